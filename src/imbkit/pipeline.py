"""Pipelines whose samplers act while fitting only.

:class:`Pipeline` is scikit-learn's :class:`~sklearn.pipeline.Pipeline` with one
more kind of step: a *sampler* (any object with ``fit_resample``). While the
pipeline is being fitted (``fit``, ``fit_transform``, ``fit_predict``,
``fit_resample``), a sampler replaces ``X`` and ``y`` by its resampled output
for the steps after it; everywhere else (``predict``, ``predict_proba``,
``predict_log_proba``, ``decision_function``, ``score``, ``score_samples``,
``transform``, ``inverse_transform``) it is skipped, so new data are never
resampled.

Per-row fit parameters (``sample_weight`` and any other array with one entry
per row) follow the rows a sampler keeps, through its ``sample_indices_``.

Examples
--------
>>> from imbkit.datasets import load_yeast_me2
>>> from imbkit.over_sampling import SMOTE
>>> from imbkit.pipeline import make_pipeline
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_yeast_me2(return_X_y=True)
>>> model = make_pipeline(SMOTE(random_state=0), LogisticRegression()).fit(X, y)
>>> model.predict(X[:4]).shape
(4,)
"""

from __future__ import annotations

from collections import Counter

from sklearn import get_config
from sklearn import pipeline as _sk_pipeline
from sklearn.base import clone
from sklearn.utils import Bunch
from sklearn.utils.metadata_routing import MethodMapping
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_memory

from .base import is_sampler
from .exceptions import InvalidInputError
from .utils._compat import (
    _print_elapsed_time,
    _safe_indexing,
    validate_parameter_constraints,
)

__all__ = ["Pipeline", "make_pipeline"]

_FIT_CALLERS = ("fit", "fit_transform", "fit_predict")


def _final_step_has(attr):
    """Availability test: the last step has ``attr`` (its AttributeError otherwise)."""

    def check(self):
        getattr(self._final_estimator, attr)
        return True

    return check


def _can_fit_transform(self):
    final = self._final_estimator
    return final == "passthrough" or hasattr(final, "transform") or hasattr(
        final, "fit_transform"
    )


def _can_fit_resample(self):
    final = self._final_estimator
    return final == "passthrough" or hasattr(final, "fit_resample")


class Pipeline(_sk_pipeline.Pipeline):
    """A chain of transformers and samplers ending with any estimator.

    Same constructor, parameters and behaviour as scikit-learn's
    :class:`~sklearn.pipeline.Pipeline`, plus samplers: every step but the
    last is a transformer (``fit`` and ``transform``), a sampler
    (``fit_resample``) or ``'passthrough'``/``None``; the last step may be
    any estimator, a sampler included, in which case :meth:`fit_resample`
    returns the resampled data. Samplers run only while fitting; predicting,
    scoring and transforming skip them.

    A drop-in for ``imblearn.pipeline.Pipeline`` (imbalanced-learn 0.14),
    with these differences:

    - per-row fit parameters follow the resampled rows (imbalanced-learn
      passes them unchanged, so the steps after a sampler get the wrong length);
    - an intermediate scikit-learn pipeline is allowed as long as it holds
      no sampler (imbalanced-learn refuses every nested pipeline);
    - ``fit_resample`` with a ``'passthrough'`` last step returns ``(X, y)``,
      not ``X`` alone; ``fit_transform`` fits a last step without
      ``fit_transform`` on the resampled ``y``, not on the original one.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        The steps, in order. Names must be unique and contain no ``'__'``.
    transform_input : list of str, default=None
        Names of fit metadata (e.g. a validation set) to pass through the
        transformers before the step consuming them; needs metadata routing
        (``sklearn.set_config(enable_metadata_routing=True)``). Samplers do
        not resample these parameters.
    memory : str, object with the joblib.Memory interface or None, default=None
        Caches the fitted transformers and samplers (not the last step). When
        set, steps are cloned before fitting: inspect them through ``steps``
        or ``named_steps``, not through the objects passed in.
    verbose : bool, default=False
        Print the time taken by each step while fitting.

    Attributes
    ----------
    named_steps : :class:`~sklearn.utils.Bunch`
        The steps by name.
    classes_ : ndarray of shape (n_classes,)
        The classes of the last step, when it is a classifier.
    n_features_in_ : int
        Number of features seen by the first step.
    feature_names_in_ : ndarray of str
        Column names seen by the first step, when it records them.

    Notes
    -----
    **Fit parameters.** With metadata routing disabled (the default),
    parameters are given as ``step__name=value`` (``clf__sample_weight=w``),
    as for scikit-learn. With routing enabled, each step asks for what it
    wants (``LogisticRegression().set_fit_request(sample_weight=True)``); a
    sampler asks through its ``fit`` method (``set_fit_request``) and then
    receives the parameters in ``fit_resample``.

    **Per-row parameters after a sampler.** A parameter value with as many
    entries as the rows entering a sampler (the rule scikit-learn's
    cross-validation uses to split fit parameters) is a per-row parameter.
    Those passed to steps after the sampler are indexed with the sampler's
    ``sample_indices_``, so a row's weight goes wherever the row goes (kept,
    dropped or repeated); the caller's arrays are never modified. A sampler
    without ``sample_indices_`` (SMOTE and the other generators of new rows,
    :class:`~imbkit.FunctionSampler`) cannot say where its rows come from:
    then an :class:`~imbkit.exceptions.InvalidInputError` is raised rather
    than inventing values for the new rows. Pass such parameters only to
    steps before the sampler, or resample with a sampler that records
    ``sample_indices_``. Parameters named in ``transform_input`` are never
    resampled.

    ``fit_predict`` returns the predictions for the resampled rows.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from imbkit.over_sampling import SMOTE
    >>> from imbkit.pipeline import Pipeline
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> pipe = Pipeline([("scale", StandardScaler()),
    ...                  ("smote", SMOTE(random_state=0)),
    ...                  ("clf", LogisticRegression())])
    >>> pipe.fit(X, y).predict(X).shape  # SMOTE is skipped at predict time
    (200,)
    >>> pipe.set_params(smote__k_neighbors=3).get_params()["smote__k_neighbors"]
    3
    """

    def _iter(self, with_final=True, filter_passthrough=True, filter_resample=True):
        """Yield ``(index, name, step)``; samplers left out unless ``filter_resample=False``.

        scikit-learn's prediction, scoring and transform methods walk the steps
        through this, which is how samplers are skipped outside fitting.
        """
        steps = super()._iter(with_final=with_final, filter_passthrough=filter_passthrough)
        if not filter_resample:
            return steps
        return ((idx, name, step) for idx, name, step in steps if not is_sampler(step))

    def _validate_steps(self):
        if not self.steps:
            raise ValueError(
                "The pipeline is empty: give it at least one (name, estimator) step."
            )
        names, _ = zip(*self.steps)
        self._validate_names(names)
        for name, step in self.steps:
            if isinstance(step, type):
                raise TypeError(
                    f"Step {name!r} is the class {step.__name__}, not an instance of "
                    f"it: pass {step.__name__}() instead."
                )
        for name, step in self.steps[:-1]:
            if step is not None and not _is_passthrough(step):
                _check_intermediate_step(name, step)
        name, final = self.steps[-1]
        if final is not None and not _is_passthrough(final) and not hasattr(final, "fit"):
            raise TypeError(
                f"The last step {name!r} ({type(final).__name__}) has no fit method: "
                "it must be an estimator or the string 'passthrough'."
            )

    def _validate_fit_call(self):
        """Check parameters and steps (before routing reads them) and transform_input."""
        if not get_config()["skip_parameter_validation"]:
            validate_parameter_constraints(
                self._parameter_constraints,
                self.get_params(deep=False),
                caller_name=type(self).__name__,
            )
        self._validate_steps()
        if self.transform_input is not None and not _routing_enabled():
            raise ValueError(
                "transform_input is set but metadata routing is disabled: enable it "
                "with sklearn.set_config(enable_metadata_routing=True), or leave "
                "transform_input=None."
            )

    def _get_metadata_for_step(self, *, step_idx, step_params, all_params):
        """Route ``transform_input`` metadata through the transformers before a step.

        scikit-learn transforms them with the sub-pipeline ``self[:step_idx]``,
        whose ``transform`` is missing when it ends with a sampler; samplers
        are skipped by ``transform`` anyway, so they are left out of it here.
        """
        if self.transform_input is None or not all_params or not step_params:
            return step_params
        before = [(n, s) for n, s in self.steps[:step_idx] if not is_sampler(s)]
        stand_in = type(self)(
            before + [self.steps[step_idx]], transform_input=self.transform_input
        )
        return super(Pipeline, stand_in)._get_metadata_for_step(
            step_idx=len(before), step_params=step_params, all_params=all_params
        )

    def _fit(self, X, y=None, routed_params=None, raw_params=None):
        """Fit every step but the last (steps already validated); return (Xt, yt, routed).

        ``routed_params`` comes back with the per-row parameters of the steps
        after each sampler indexed by that sampler's ``sample_indices_``.
        """
        self.steps = list(self.steps)
        memory = check_memory(self.memory)
        fit_transform_cached = memory.cache(_fit_transform_one)
        fit_resample_cached = memory.cache(_fit_resample_one)
        # without a cache, fit the caller's steps in place, as scikit-learn does
        no_cache = hasattr(memory, "location") and memory.location is None
        keep = set(self.transform_input or ())
        for step_idx, name, step in self._iter(
            with_final=False, filter_passthrough=False, filter_resample=False
        ):
            message = self._log_message(step_idx)
            if step is None or _is_passthrough(step):
                with _print_elapsed_time("Pipeline", message):
                    continue
            step = step if no_cache else clone(step)
            params = self._get_metadata_for_step(
                step_idx=step_idx, step_params=routed_params[name], all_params=raw_params
            )
            if is_sampler(step):
                rows_in = _n_rows(X)
                X, y, step = fit_resample_cached(step, X, y, message, params)
                later = [n for n, _ in self.steps[step_idx + 1:]]
                routed_params = _follow_rows(
                    routed_params, later, (rows_in, _n_rows(X)), (name, step), keep
                )
            else:
                X, step = fit_transform_cached(step, X, y, message, params)
            self.steps[step_idx] = (name, step)
        return X, y, routed_params

    def _last_step_params(self, routed_params, raw_params):
        return self._get_metadata_for_step(
            step_idx=len(self) - 1,
            step_params=routed_params[self.steps[-1][0]],
            all_params=raw_params,
        )

    def fit(self, X, y=None, **params):
        """Fit the steps in order, resampling ``X`` and ``y`` at each sampler.

        Parameters
        ----------
        X : iterable
            Training data, as the first step accepts it.
        y : iterable, default=None
            Training targets; samplers need them.
        **params : dict of str -> object
            Fit parameters: ``step__name=value`` with metadata routing
            disabled, or the metadata the steps requested with it enabled.
            Per-row parameters follow the rows kept by samplers (see Notes
            of :class:`Pipeline`).

        Returns
        -------
        self : Pipeline
            This pipeline, fitted.
        """
        self._validate_fit_call()
        routed = self._check_method_params(method="fit", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if self._final_estimator != "passthrough":
                last_params = self._last_step_params(routed, params)
                self._final_estimator.fit(Xt, yt, **last_params["fit"])
        return self

    @available_if(_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fit the pipeline, then return the last step's transform of the training data.

        Parameters
        ----------
        X, y, **params
            As for :meth:`fit`.

        Returns
        -------
        Xt : array-like of shape (n_resampled_samples, n_output_features)
            The transformed training data, after resampling (so its number of
            rows is the one the samplers produced).
        """
        self._validate_fit_call()
        routed = self._check_method_params(method="fit_transform", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        last = self._final_estimator
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if last == "passthrough":
                return Xt
            last_params = self._last_step_params(routed, params)
            if hasattr(last, "fit_transform"):
                return last.fit_transform(Xt, yt, **last_params["fit_transform"])
            last.fit(Xt, yt, **last_params["fit"])
            return last.transform(Xt, **last_params.get("transform", {}))

    @available_if(_final_step_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit the pipeline and return the last step's ``fit_predict`` output.

        Parameters
        ----------
        X, y, **params
            As for :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_resampled_samples,)
            Predictions for the resampled training rows.
        """
        self._validate_fit_call()
        routed = self._check_method_params(method="fit_predict", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        last_params = routed[self.steps[-1][0]]
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            return self.steps[-1][1].fit_predict(
                Xt, yt, **last_params.get("fit_predict", {})
            )

    @available_if(_can_fit_resample)
    def fit_resample(self, X, y=None, **params):
        """Fit the pipeline and return the last step's resampling of the training data.

        Available when the last step is a sampler or ``'passthrough'``.
        Metadata are routed as for :meth:`fit` (the last sampler receives what
        its ``fit`` requested).

        Parameters
        ----------
        X, y, **params
            As for :meth:`fit`.

        Returns
        -------
        X_resampled : array-like of shape (n_resampled_samples, n_output_features)
        y_resampled : array-like of shape (n_resampled_samples,)

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.preprocessing import StandardScaler
        >>> from imbkit.pipeline import make_pipeline
        >>> from imbkit.under_sampling import RandomUnderSampler
        >>> X, y = np.arange(12.0).reshape(6, 2), np.array([0, 0, 0, 0, 1, 1])
        >>> pipe = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0))
        >>> np.bincount(pipe.fit_resample(X, y)[1]).tolist()
        [2, 2]
        """
        self._validate_fit_call()
        # "fit_resample" is not a method scikit-learn's routing knows: route as fit
        routed = self._check_method_params(method="fit", props=params)
        Xt, yt, routed = self._fit(X, y, routed, raw_params=params)
        last = self._final_estimator
        with _print_elapsed_time("Pipeline", self._log_message(len(self.steps) - 1)):
            if last == "passthrough":
                return Xt, yt
            last_params = self._last_step_params(routed, params)
            return last.fit_resample(Xt, yt, **last_params.get("fit", {}))

    def get_metadata_routing(self):
        """Describe which metadata each step receives, samplers included.

        Transformers and the last step are routed as in scikit-learn. A
        sampler receives, in ``fit_resample``, the metadata requested by its
        ``fit`` (``sampler.set_fit_request(...)``), whenever the pipeline is
        being fitted; it receives nothing at predict, score or transform time.

        Returns
        -------
        routing : sklearn.utils.metadata_routing.MetadataRouter
        """
        router = super().get_metadata_routing()
        for _, name, step in self._iter(with_final=False, filter_resample=False):
            if is_sampler(step):
                mapping = MethodMapping()
                for caller in _FIT_CALLERS:
                    mapping.add(caller=caller, callee="fit")
                router.add(method_mapping=mapping, **{name: step})
        return router

    def set_callbacks(self, *callbacks):
        """Not supported: imbkit's Pipeline does not run scikit-learn callbacks.

        Raises
        ------
        NotImplementedError
            Always, rather than accepting callbacks that would never be called.
        """
        raise NotImplementedError(
            "imbkit.pipeline.Pipeline does not run scikit-learn fit callbacks yet; "
            "set the callbacks on the individual steps instead."
        )


def _routing_enabled():
    return bool(get_config().get("enable_metadata_routing", False))


def _is_passthrough(step):
    return isinstance(step, str) and step == "passthrough"


def _check_intermediate_step(name, step):
    """Raise TypeError unless ``step`` is a transformer or a sampler, not both."""
    transformer = (hasattr(step, "fit") or hasattr(step, "fit_transform")) and hasattr(
        step, "transform"
    )
    sampler = is_sampler(step)
    kind = type(step).__name__
    inner = _inner_sampler(step)
    if inner is not None:
        raise TypeError(
            f"Step {name!r} is a pipeline holding the sampler {inner!r}. Nested "
            "before the last step, it would either change the rows of X but not "
            "those of y (as a transformer) or have its transformers skipped at "
            "predict time (as a sampler): put its steps in the outer pipeline."
        )
    if transformer and sampler:
        raise TypeError(
            f"Step {name!r} ({kind}) implements both transform and fit_resample, so "
            "the pipeline cannot tell whether to transform or to resample with it. "
            "Every step but the last must be a transformer or a sampler, not both: "
            "wrap it so that it exposes only one of the two."
        )
    if not (transformer or sampler):
        raise TypeError(
            f"Step {name!r} ({kind}) is neither a transformer (fit and transform) nor "
            "a sampler (fit_resample). Every step but the last must be one of the "
            "two, or the string 'passthrough'."
        )


def _inner_sampler(step):
    """Name of a sampler inside a nested scikit-learn pipeline ``step``, else None."""
    if not isinstance(step, _sk_pipeline.Pipeline):
        return None
    for name, inner in step.steps:
        if is_sampler(inner):
            return name
        nested = _inner_sampler(inner)
        if nested is not None:
            return f"{name}__{nested}"
    return None


def _n_rows(value):
    """Number of rows of an array-like value; None for scalars, strings, dicts."""
    if value is None or isinstance(value, (str, bytes, dict)):
        return None
    shape = getattr(value, "shape", None)
    if shape is not None:
        return shape[0] if len(shape) else None
    return len(value) if hasattr(value, "__len__") else None


def _follow_rows(routed_params, later, rows, sampler, keep):
    """Index the per-row parameters of the steps ``later`` by the sampler's rows.

    ``rows`` is ``(rows_in, rows_out)``, the rows the sampler received and
    returned; ``sampler`` is ``(name, fitted_sampler)``. Parameters named in
    ``keep`` are left as they are. Returns new containers; the values passed
    in are never modified.
    """
    n_rows = rows[0]
    followed = Bunch(**routed_params)
    for step_name in later:
        if step_name not in routed_params:
            continue
        followed[step_name] = Bunch(**{
            method: {
                key: value if key in keep or _n_rows(value) != n_rows
                else _safe_indexing(value, _row_origin(sampler, rows, key, step_name))
                for key, value in method_params.items()
            }
            for method, method_params in routed_params[step_name].items()
        })
    return followed


def _row_origin(sampler, rows, key, step_name):
    """The sampler's ``sample_indices_``, or an error saying why rows cannot follow."""
    name, fitted = sampler
    n_rows, rows_out = rows
    indices = getattr(fitted, "sample_indices_", None)
    if indices is not None and _n_rows(indices) == rows_out:
        return indices
    kind = type(fitted).__name__
    reason = (
        "it records no sample_indices_ (it may create new rows, whose values would "
        "have to be invented)" if indices is None
        else "its sample_indices_ does not match the rows it returned"
    )
    raise InvalidInputError(
        f"The fit parameter {key!r} has one value per row ({n_rows} rows) and is "
        f"passed to step {step_name!r}, after the sampler {name!r} ({kind}); it "
        f"cannot follow the resampled rows because {reason}. Pass {key!r} only to "
        f"steps before {name!r}, or resample with a sampler that records "
        "sample_indices_ (e.g. RandomUnderSampler or RandomOverSampler)."
    )


def _fit_transform_one(transformer, X, y, message, params):
    """Fit ``transformer`` and transform ``X``; return ``(Xt, fitted)``."""
    with _print_elapsed_time("Pipeline", message):
        if hasattr(transformer, "fit_transform"):
            Xt = transformer.fit_transform(X, y, **params.get("fit_transform", {}))
        else:
            transformer.fit(X, y, **params.get("fit", {}))
            Xt = transformer.transform(X, **params.get("transform", {}))
    return Xt, transformer


def _fit_resample_one(sampler, X, y, message, params):
    """Resample with ``sampler``; return ``(X_res, y_res, fitted)``."""
    with _print_elapsed_time("Pipeline", message):
        output = sampler.fit_resample(X, y, **params.get("fit", {}))
    return output[0], output[1], sampler


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline`, naming each step after its class in lower case.

    Repeated class names get ``-1``, ``-2``, ... in order, as scikit-learn's
    and imbalanced-learn's ``make_pipeline`` do.

    Parameters
    ----------
    *steps : estimators
        The transformers and samplers, then the last estimator.
    memory : str, object with the joblib.Memory interface or None, default=None
        Cache for the fitted transformers and samplers; see :class:`Pipeline`.
    transform_input : list of str, default=None
        Metadata to transform before the step that consumes them; see
        :class:`Pipeline`.
    verbose : bool, default=False
        Print the time taken by each step while fitting.

    Returns
    -------
    Pipeline

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbkit.pipeline import make_pipeline
    >>> from imbkit.under_sampling import RandomUnderSampler
    >>> pipe = make_pipeline(RandomUnderSampler(), LogisticRegression())
    >>> [name for name, _ in pipe.steps]
    ['randomundersampler', 'logisticregression']
    """
    return Pipeline(
        _step_names(steps),
        transform_input=transform_input,
        memory=memory,
        verbose=verbose,
    )


def _step_names(steps):
    """``[(name, step)]`` with lower-cased class names, numbered where repeated."""
    names = [s if isinstance(s, str) else type(s).__name__.lower() for s in steps]
    totals = Counter(names)
    seen = Counter()
    named = []
    for name, step in zip(names, steps):
        if totals[name] > 1:
            seen[name] += 1
            name = f"{name}-{seen[name]}"
        named.append((name, step))
    return named
