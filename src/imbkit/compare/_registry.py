"""The registry of named strategies and the named sets of them.

A :class:`Strategy` is a name, a factory ``factory(random_state, context)``
returning an unfitted estimator, and a little metadata (its family and base
learner). The built-in strategies are registered by
:mod:`imbkit.compare._strategies`; users add theirs with
:func:`register_strategy`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from ..exceptions import InvalidInputError

__all__ = [
    "FAMILIES",
    "PRESETS",
    "Strategy",
    "get_strategy",
    "list_strategies",
    "register_strategy",
    "resolve_strategies",
    "unregister_strategy",
]

#: Families a strategy can belong to; "baseline" ones are what the others must beat.
FAMILIES = (
    "baseline", "weighting", "threshold", "resampling", "ensemble", "cost", "loss", "custom",
)

_REGISTRY: dict[str, Strategy] = {}

#: The named sets accepted by ``compare_strategies(strategies=...)`` ("all" is every
#: registered strategy). Cost-sensitive members are only used when costs are given.
PRESETS = {
    "fast": ("lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+smote", "lr+cost"),
    "default": (
        "lr", "lr+balanced", "lr+threshold", "lr+rus", "lr+ros", "lr+smote", "lr+cost",
        "hgb", "hgb+balanced", "hgb+cost", "rf", "brf", "balanced_bagging",
    ),
}


@dataclass(frozen=True)
class Strategy:
    """A named way of handling imbalance: how to build its (unfitted) estimator.

    Parameters
    ----------
    name : str
        Unique name, e.g. ``"lr+smote"``.
    factory : callable
        ``factory(random_state, context)`` returning an unfitted estimator with
        ``fit``, ``predict`` and ``predict_proba`` (or ``decision_function``);
        ``context`` is a :class:`~imbkit.compare.StrategyContext`.
    family : str, default="custom"
        One of ``FAMILIES``.
    learner : str or None, default=None
        The base learner (``"lr"``, ``"hgb"``, ``"rf"``, ...); a baseline of the
        same learner is what the strategy is compared with first.
    description : str, default=""
        One line for tables and reports.
    requires_cost : bool, default=False
        Only meaningful with costs; refused without them.
    requires : tuple of str, default=()
        Modules that must be importable; without them the strategy is
        skipped, with a note.
    install : str, default=""
        How to install ``requires``, quoted in that note (e.g.
        ``'pip install "imbkit[gbdt]"'``).

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from imbkit.compare import Strategy
    >>> s = Strategy("prior", lambda random_state, context: DummyClassifier(), family="baseline")
    >>> s.name, s.family, s.missing_modules()
    ('prior', 'baseline', [])
    """

    name: str
    factory: Callable
    family: str = "custom"
    learner: str | None = None
    description: str = ""
    requires_cost: bool = False
    requires: tuple = ()
    install: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise InvalidInputError(f"A strategy name must be a non-empty string; got {self.name!r}.")
        if not callable(self.factory):
            raise InvalidInputError(
                f"The factory of strategy {self.name!r} must be callable as "
                "factory(random_state, context); got "
                f"{type(self.factory).__name__}."
            )
        if self.family not in FAMILIES:
            raise InvalidInputError(
                f"Unknown family {self.family!r} for strategy {self.name!r}; use one of "
                f"{list(FAMILIES)}."
            )

    def missing_modules(self):
        """The modules of ``requires`` that cannot be imported."""
        missing = []
        for module in self.requires:
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                missing.append(module)
        return missing


def register_strategy(
    name, factory, *, family="custom", learner=None, description="", requires_cost=False,
    requires=(), install="", replace=False,
):
    """Add a strategy to the registry, so ``compare_strategies`` can use it by name.

    Parameters are those of :class:`Strategy`, plus ``replace``: allow
    replacing a strategy of the same name (refused otherwise).

    Returns
    -------
    Strategy

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.compare import register_strategy, unregister_strategy
    >>> def lr_c01(random_state, context):
    ...     return context.pipeline(LogisticRegression(C=0.1), scale=True)
    >>> register_strategy("lr_c01", lr_c01, learner="lr").name
    'lr_c01'
    >>> unregister_strategy("lr_c01")
    """
    strategy = Strategy(
        name, factory, family=family, learner=learner, description=description,
        requires_cost=requires_cost, requires=tuple(requires), install=install,
    )
    if name in _REGISTRY and not replace:
        raise InvalidInputError(
            f"A strategy named {name!r} is already registered; pass replace=True to "
            "replace it, or choose another name."
        )
    _REGISTRY[name] = strategy
    return strategy


def unregister_strategy(name):
    """Remove a strategy from the registry."""
    if name not in _REGISTRY:
        raise InvalidInputError(f"No strategy named {name!r} is registered.")
    del _REGISTRY[name]


def get_strategy(name):
    """The registered :class:`Strategy` called ``name``.

    Examples
    --------
    >>> from imbkit.compare import get_strategy
    >>> get_strategy("lr+smote").family
    'resampling'
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"Unknown strategy {name!r}; valid names are {sorted(_REGISTRY)} "
            f"(or a set: {['all', *PRESETS]})."
        ) from None


def list_strategies(family=None):
    """Names of the registered strategies, in registration order.

    Examples
    --------
    >>> from imbkit.compare import list_strategies
    >>> list_strategies("baseline")
    ['lr', 'hgb', 'rf']
    """
    if family is not None and family not in FAMILIES:
        raise InvalidInputError(f"Unknown family {family!r}; use one of {list(FAMILIES)}.")
    return [s.name for s in _REGISTRY.values() if family in (None, s.family)]


def _requested(spec):
    """``(strategies, explicit)`` from a preset name, a name, or a list."""
    if isinstance(spec, str):
        if spec == "all":
            return list(_REGISTRY.values()), False
        if spec in PRESETS:
            return [_REGISTRY[n] for n in PRESETS[spec] if n in _REGISTRY], False
        return [get_strategy(spec)], True
    if isinstance(spec, Strategy):
        return [spec], True
    try:
        items = list(spec)
    except TypeError:
        raise InvalidInputError(
            "strategies must be 'default', 'fast', 'all', a strategy name, or a list "
            f"of names or Strategy objects; got {type(spec).__name__}."
        ) from None
    if not items:
        raise InvalidInputError("strategies is empty; name at least one strategy.")
    return [s if isinstance(s, Strategy) else get_strategy(s) for s in items], True


def resolve_strategies(spec, has_cost):
    """The strategies to run and the notes on those left out.

    Explicitly named cost-sensitive strategies without costs are an error;
    in a named set they are left out. Strategies whose modules are missing
    are left out, with a note.
    """
    strategies, explicit = _requested(spec)
    names = [s.name for s in strategies]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise InvalidInputError(f"strategies lists {duplicated} more than once; list each once.")
    kept, notes = [], []
    for strategy in strategies:
        if strategy.requires_cost and not has_cost:
            if explicit:
                raise InvalidInputError(
                    f"Strategy {strategy.name!r} makes cost-sensitive decisions and needs "
                    "costs: pass cost={'FN': ..., 'FP': ...} or a cost matrix, or drop it."
                )
            continue
        missing = strategy.missing_modules()
        if missing:
            hint = f" ({strategy.install})" if strategy.install else ""
            notes.append(
                f"Strategy {strategy.name} skipped: it needs {', '.join(missing)}, which "
                f"cannot be imported here{hint}."
            )
            continue
        kept.append(strategy)
    if not kept:
        raise InvalidInputError(
            f"None of the strategies requested can run here ({names}); see the notes: "
            f"{' '.join(notes) or 'they need costs.'}"
        )
    return kept, notes
