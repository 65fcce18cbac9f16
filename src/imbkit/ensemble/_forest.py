"""Balanced random forest (Chen, Liaw and Breiman, 2004).

Each tree is grown on a random balanced subset of the rows. The forest
subclasses scikit-learn's :class:`~sklearn.ensemble.RandomForestClassifier`
for ``predict``, ``apply``, ``decision_path`` and ``feature_importances_``;
its ``fit`` is written here with public scikit-learn calls only (each tree is
a plain ``DecisionTreeClassifier.fit`` on the resampled rows, the bootstrap
passed as sample weights), drawing the same seeds in the same order as
imbalanced-learn so that the trees are the same. ``predict_proba`` adds the
trees' probabilities in a fixed order, so it does not depend on ``n_jobs``.
"""

from __future__ import annotations

import copy
import warnings
from functools import partial
from numbers import Integral
from typing import ClassVar

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..exceptions import InvalidInputError
from ..under_sampling import RandomUnderSampler
from ..utils._checks import check_lengths
from ..utils._compat import InvalidParameterError, validate_parameter_constraints
from ._common import (
    MAX_INT,
    SAMPLING_STRATEGY_CONSTRAINT,
    _count_random_states,
    _ResampledClassifier,
    _seed_random_states,
    check_ensemble_target,
    check_ensemble_weights,
    check_ensemble_X,
    encode_sampling_strategy,
    non_finite_errors,
    ordered_parallel_reduce,
)

__all__ = ["BalancedRandomForestClassifier"]


def bootstrap_rows(seed, n_rows, n_draws, sample_weight=None):
    """The rows one tree draws from its balanced subset, as scikit-learn's forest does.

    Uniform draws with replacement, or draws in proportion to
    ``sample_weight`` when given, from ``RandomState(seed)``: the tree's own
    seed, as in scikit-learn.

    Examples
    --------
    >>> from imbkit.ensemble._forest import bootstrap_rows
    >>> bootstrap_rows(0, 5, 4).tolist()
    [4, 0, 3, 3]
    """
    rng = check_random_state(seed)
    if sample_weight is None:
        return rng.randint(0, n_rows, n_draws)
    return rng.choice(n_rows, n_draws, replace=True, p=sample_weight / sample_weight.sum())


def n_bootstrap_draws(n_samples, max_samples, sample_weight=None):
    """Rows each tree draws: ``max_samples`` as a count, or as a share of the data.

    A float share is of the number of rows, or of the total weight when
    ``sample_weight`` is given (scikit-learn's rule).

    Examples
    --------
    >>> from imbkit.ensemble._forest import n_bootstrap_draws
    >>> n_bootstrap_draws(200, None), n_bootstrap_draws(200, 0.25), n_bootstrap_draws(200, 7)
    (200, 50, 7)
    """
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, Integral):
        return int(max_samples)
    total = n_samples if sample_weight is None else sample_weight.sum()
    return max(int(max_samples * total), 1)


def _tree_proba(tree, X):
    return tree.predict_proba(X, check_input=False)


def _fit_balanced_tree(tree, sampler, X, y, sample_weight, bootstrap, n_draws, class_weight):
    """Resample ``(X, y)`` with ``sampler``, then grow ``tree`` on the result."""
    X_res, y_res = sampler.fit_resample(X, y)
    weight = None if sample_weight is None else sample_weight[sampler.sample_indices_]
    if not bootstrap:
        tree.fit(X_res, y_res, sample_weight=weight)
        return sampler, tree
    n_rows = X_res.shape[0]
    drawn = bootstrap_rows(tree.random_state, n_rows, min(n_draws, n_rows), weight)
    # the bootstrap as counts: no copy of the rows
    tree_weight = np.bincount(drawn, minlength=n_rows)
    if class_weight == "balanced_subsample":
        tree_weight = tree_weight * compute_sample_weight("balanced", y_res, indices=drawn)
    tree.fit(X_res, y_res, sample_weight=tree_weight)
    return sampler, tree


class BalancedRandomForestClassifier(RandomForestClassifier):
    """Random forest in which every tree is grown on a random balanced subset.

    Before growing each tree, the rows are randomly under-sampled so that the
    classes are balanced (by default every class is drawn with replacement
    down to the size of the smallest one). With the same ``random_state`` it
    grows the same trees and gives the same predictions as imbalanced-learn
    0.14's class of this name.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Split quality measure of the trees.
    max_depth : int, default=None
        Maximum depth of the trees; ``None`` grows them until the leaves are
        pure or smaller than ``min_samples_split``.
    min_samples_split : int or float, default=2
        Minimum rows (count, or share of the subset) to split a node.
    min_samples_leaf : int or float, default=1
        Minimum rows (count, or share of the subset) in a leaf.
    min_weight_fraction_leaf : float, default=0.0
        Minimum share of the total sample weight in a leaf.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features considered at each split.
    max_leaf_nodes : int, default=None
        Grow trees best-first with at most this many leaves.
    min_impurity_decrease : float, default=0.0
        Split a node only if the impurity decreases at least this much.
    bootstrap : bool, default=False
        Also bootstrap the balanced subset before growing each tree.
    oob_score : bool or callable, default=False
        Score each row with the trees not grown on it (``bootstrap=True``
        only); a callable ``score(y_true, y_pred)`` replaces accuracy.
    sampling_strategy : float, str, dict or callable, default="all"
        How each subset is balanced (see
        :class:`~imbkit.under_sampling.RandomUnderSampler`); ``"all"`` resamples
        every class, the minority included.
    replacement : bool, default=True
        Draw the balanced subsets with replacement.
    n_jobs : int, default=None
        Trees grown and queried in parallel threads (``-1``: all cores).
        Results do not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the samplers and trees.
    verbose : int, default=0
        Verbosity of the parallel fit.
    warm_start : bool, default=False
        Keep the grown trees and add ``n_estimators - len(estimators_)`` new
        ones on the next ``fit``.
    class_weight : dict, list of dict, "balanced" or "balanced_subsample", default=None
        Class weights, multiplied into ``sample_weight``; "balanced" is
        computed on the full ``y``, "balanced_subsample" on each tree's
        bootstrap (with ``bootstrap=True``; otherwise as "balanced").
    ccp_alpha : float, default=0.0
        Minimal cost-complexity pruning of the trees.
    max_samples : int or float, default=None
        With ``bootstrap=True``, rows drawn per tree (a count, or a share of
        ``X.shape[0]``), at most the size of the balanced subset.
    monotonic_cst : array-like of int of shape (n_features,), default=None
        Monotonicity constraint per feature (1, 0 or -1) for the trees.

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
        The tree template.
    estimators_ : list of DecisionTreeClassifier
        The fitted trees; they were fitted on ``y`` encoded as indices into
        ``classes_``.
    base_sampler_ : RandomUnderSampler
        The sampler template.
    samplers_ : list of RandomUnderSampler
        The fitted samplers; ``samplers_[i].sample_indices_`` are the rows of
        ``X`` in tree ``i``'s balanced subset.
    pipelines_ : list
        Each fitted sampler with its tree (sharing the fitted objects, not
        copies); ``pipelines_[i].predict`` is the tree's prediction.
    estimators_samples_ : list of ndarray
        The rows of ``X`` each tree was grown on (with repeats when drawn with
        replacement).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_outputs_ : int
        Always 1.
    feature_importances_ : ndarray of shape (n_features,)
        Impurity-based importances, averaged over the trees.
    oob_score_ : float
        Only with ``oob_score``.
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Only with ``oob_score``; rows never left out hold zeros.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    See Also
    --------
    BalancedBaggingClassifier : Bagging with any sampler and estimator.
    EasyEnsembleClassifier : Bag of AdaBoost learners on balanced subsets.

    Notes
    -----
    NaN in ``X`` is supported (dense input), as by scikit-learn's trees.
    Differences from imbalanced-learn 0.14, each a fix:

    - ``warm_start`` adds the trees a single fit would have grown (the
      reference skips too few seeds, so its added trees differ).
    - ``estimators_samples_`` gives the rows each tree was grown on
      (the reference inherits scikit-learn's, which ignores the sampler and
      fails).
    - ``max_samples`` with ``bootstrap=False`` raises instead of being
      ignored.
    - A row is out-of-bag for a tree when the tree was not grown on it: left
      out by the sampler or by the bootstrap. The reference only considers the
      rows of the balanced subset, and counts a row drawn twice by the sampler
      as out-of-bag when the bootstrap kept one copy, so ``oob_score_`` and
      ``oob_decision_function_`` differ from it.
    - ``pipelines_`` share the fitted samplers and trees instead of holding
      deep copies (half the memory).

    References
    ----------
    .. [1] C. Chen, A. Liaw and L. Breiman, "Using random forest to learn
       imbalanced data", University of California, Berkeley, 2004.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=600, n_classes=3, n_informative=4,
    ...                            weights=[0.2, 0.3, 0.5], random_state=0)
    >>> clf = BalancedRandomForestClassifier(n_estimators=10, max_depth=3,
    ...                                      random_state=0).fit(X, y)
    >>> clf.feature_importances_.shape, clf.predict_proba(X[:2]).shape
    ((20,), (2, 3))
    """

    _parameter_constraints: ClassVar[dict] = {
        **copy.deepcopy(RandomForestClassifier._parameter_constraints),
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
    }

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features="sqrt",
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=False,
        oob_score=False,
        sampling_strategy="all",
        replacement=True,
        n_jobs=None,
        random_state=None,
        verbose=0,
        warm_start=False,
        class_weight=None,
        ccp_alpha=0.0,
        max_samples=None,
        monotonic_cst=None,
    ):
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features,
            max_leaf_nodes=max_leaf_nodes,
            min_impurity_decrease=min_impurity_decrease,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
            class_weight=class_weight,
            ccp_alpha=ccp_alpha,
            max_samples=max_samples,
            monotonic_cst=monotonic_cst,
        )
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def fit(self, X, y, sample_weight=None):
        """Grow the trees, each on a random balanced subset of ``(X, y)``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Training data, converted to float32 (sparse: CSC).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, following each row into the subsets; with
            ``bootstrap=True`` they are the bootstrap's drawing probabilities,
            as in scikit-learn's forest.

        Returns
        -------
        self : object
        """
        name = type(self).__name__
        self._check_params(name)
        allow_nan = get_tags(self).input_tags.allow_nan and not sparse.issparse(X)
        X_checked = check_ensemble_X(
            X, name, allow_nan=allow_nan, dtype=np.float32, accept_sparse=("csc",)
        )
        y_checked, classes = check_ensemble_target(y, name)
        check_lengths(X_checked, y_checked)
        weight = check_ensemble_weights(sample_weight, X_checked.shape[0])
        self.classes_, self.n_classes_, self.n_outputs_ = classes, classes.size, 1
        y_encoded = np.searchsorted(classes, y_checked).astype(np.float64)
        weight = self._with_class_weight(weight, y_checked, classes)
        n_draws = n_bootstrap_draws(X_checked.shape[0], self.max_samples, weight)
        self.estimator_ = clone(self.estimator)
        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=encode_sampling_strategy(
                self.sampling_strategy, y_checked, classes, "under-sampling"
            ),
            replacement=self.replacement,
        )
        self._grow(X_checked, y_encoded, weight, n_draws)
        self._sample_weight, self._n_draws = weight, n_draws
        if self.oob_score:
            self._set_oob_score(X_checked, y_encoded)
        validate_data(
            self, X=X if hasattr(X, "columns") else X_checked, reset=True,
            skip_check_array=True,
        )
        return self

    def _check_params(self, name):
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False), caller_name=name
        )
        if not self.bootstrap and self.oob_score:
            raise InvalidParameterError(
                "Out of bag estimation only available if bootstrap=True: set "
                "bootstrap=True, or oob_score=False."
            )
        if not self.bootstrap and self.max_samples is not None:
            raise InvalidParameterError(
                f"max_samples={self.max_samples!r} only applies when bootstrap=True; "
                "set bootstrap=True, or max_samples=None."
            )

    def _with_class_weight(self, sample_weight, y, classes):
        """``sample_weight`` times the class weights (None when neither is set)."""
        class_weight = self.class_weight
        if class_weight is None:
            return sample_weight
        if class_weight in ("balanced", "balanced_subsample") and self.warm_start:
            warnings.warn(
                f'class_weight="{class_weight}" is computed from the y of each fit; '
                "with warm_start, pass explicit weights computed on the full data "
                '(sklearn.utils.class_weight.compute_class_weight("balanced", ...)).',
                UserWarning,
                stacklevel=3,
            )
        if class_weight == "balanced_subsample" and self.bootstrap:
            return sample_weight  # computed on each tree's bootstrap
        if class_weight in ("balanced", "balanced_subsample"):
            values = compute_class_weight(
                "balanced", classes=classes, y=y, sample_weight=sample_weight
            )
            class_weight = dict(zip(classes, values))
        expanded = compute_sample_weight(class_weight, y.reshape(-1, 1))
        return expanded if sample_weight is None else sample_weight * expanded

    def _new_members(self, n_new, rng):
        """``n_new`` (tree, sampler) pairs, seeded tree first as in the reference."""
        tree = clone(self.estimator_)
        tree.set_params(**{p: getattr(self, p) for p in self.estimator_params})
        members = []
        for _ in range(n_new):
            new_tree = _seed_random_states(clone(tree), rng)
            new_sampler = _seed_random_states(clone(self.base_sampler_), rng)
            members.append((new_tree, new_sampler))
        return members

    def _grow(self, X, y, sample_weight, n_draws):
        rng = check_random_state(self.random_state)
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_, self.samplers_ = [], []
        n_grown = len(self.estimators_)
        n_new = self.n_estimators - n_grown
        if n_new < 0:
            raise InvalidParameterError(
                f"n_estimators={self.n_estimators} must be larger or equal to "
                f"len(estimators_)={n_grown} when warm_start==True; raise "
                "n_estimators or refit with warm_start=False."
            )
        if n_new == 0:
            warnings.warn(
                "Warm-start fitting without increasing n_estimators does not fit new "
                "trees.", UserWarning, stacklevel=3,
            )
        if n_grown and n_new > 0:
            # skip the seeds of the grown trees: the new ones are those a single
            # fit would have grown
            per_member = _count_random_states(self.estimator_) + _count_random_states(
                self.base_sampler_
            )
            rng.randint(MAX_INT, size=n_grown * per_member)
        fitted = Parallel(n_jobs=self.n_jobs, verbose=self.verbose, prefer="threads")(
            delayed(_fit_balanced_tree)(
                tree, sampler, X, y, sample_weight, self.bootstrap, n_draws,
                self.class_weight,
            )
            for tree, sampler in self._new_members(max(n_new, 0), rng)
        )
        self.samplers_.extend(sampler for sampler, _ in fitted)
        self.estimators_.extend(tree for _, tree in fitted)
        self.pipelines_ = [
            _ResampledClassifier(sampler=sampler, classifier=tree)
            for sampler, tree in zip(self.samplers_, self.estimators_)
        ]

    def _bootstrap_of(self, tree, rows):
        """Positions in ``rows`` (a tree's balanced subset) drawn by its bootstrap."""
        weight = None if self._sample_weight is None else self._sample_weight[rows]
        return bootstrap_rows(
            tree.random_state, rows.size, min(self._n_draws, rows.size), weight
        )

    @property
    def estimators_samples_(self):
        """The rows of ``X`` each tree was grown on, with repeats.

        Recomputed at each access from the samplers and the tree seeds.
        """
        check_is_fitted(self)
        if not self.bootstrap:
            return [sampler.sample_indices_ for sampler in self.samplers_]
        return [
            sampler.sample_indices_[self._bootstrap_of(tree, sampler.sample_indices_)]
            for sampler, tree in zip(self.samplers_, self.estimators_)
        ]

    def _set_oob_score(self, X, y):
        """Average each row's predictions by the trees not grown on it."""
        X = X.tocsr() if sparse.issparse(X) else X
        proba = np.zeros((y.shape[0], self.n_classes_))
        n_votes = np.zeros(y.shape[0], dtype=np.int64)
        for rows, tree in zip(self.estimators_samples_, self.estimators_):
            left_out = np.ones(y.shape[0], dtype=bool)
            left_out[rows] = False
            proba[left_out] += tree.predict_proba(X[left_out])
            n_votes[left_out] += 1
        if (n_votes == 0).any():
            warnings.warn(
                "Some inputs do not have OOB scores. This probably means too few "
                "trees were used to compute any reliable OOB estimates.",
                UserWarning,
                stacklevel=3,
            )
            n_votes[n_votes == 0] = 1
        self.oob_decision_function_ = proba / n_votes[:, np.newaxis]
        score = self.oob_score if callable(self.oob_score) else accuracy_score
        self.oob_score_ = score(y, np.argmax(self.oob_decision_function_, axis=1))

    def predict_proba(self, X):
        """Mean class probabilities of the trees.

        The trees' results are added in a fixed order, so the output is the
        same for any ``n_jobs``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        with non_finite_errors(type(self).__name__):
            allow_nan = get_tags(self).input_tags.allow_nan and not sparse.issparse(X)
            X = validate_data(
                self, X, dtype=np.float32, accept_sparse="csr", reset=False,
                ensure_all_finite="allow-nan" if allow_nan else True,
            )
            if sparse.issparse(X) and (
                X.indices.dtype != np.intc or X.indptr.dtype != np.intc
            ):
                raise InvalidInputError(
                    "No support for np.int64 index based sparse matrices: the trees "
                    "need int32 indices; convert with X.astype(...) on a smaller "
                    "matrix or pass a dense array."
                )
            proba = ordered_parallel_reduce(
                partial(_tree_proba, X=X), self.estimators_, np.add, 0.0,
                n_jobs=self.n_jobs, verbose=self.verbose,
            )
        return proba / len(self.estimators_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = False
        return tags
