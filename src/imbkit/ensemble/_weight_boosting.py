"""RUSBoost (Seiffert et al., 2010): random under-sampling inside every AdaBoost round.

Subclasses scikit-learn's :class:`~sklearn.ensemble.AdaBoostClassifier`, which
runs the boosting loop (weight clipping, normalisation, early stops) and
predicts; the round itself (``_boost``, the hook AdaBoost's subclasses
implement) is written here: under-sample, fit the learner on the kept rows with
their current weights, then update the weights on all rows.
"""

from __future__ import annotations

import copy
import warnings
from typing import ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from ..exceptions import InvalidInputError
from ..under_sampling import RandomUnderSampler
from ..utils._checks import check_lengths
from ..utils._compat import (
    Hidden,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)
from ._common import (
    SAMPLING_STRATEGY_CONSTRAINT,
    _ResampledClassifier,
    _seed_random_states,
    check_ensemble_target,
    check_ensemble_weights,
    check_ensemble_X,
    non_finite_errors,
)

__all__ = ["RUSBoostClassifier", "samme_learner_weight"]


def samme_learner_weight(error, n_classes, learning_rate):
    """Weight of a learner in the SAMME vote, from its weighted training error.

    ``learning_rate * (log((1 - error) / error) + log(n_classes - 1))``: the
    rows it gets wrong are then multiplied by ``exp`` of this weight.

    Examples
    --------
    >>> from imbkit.ensemble._weight_boosting import samme_learner_weight
    >>> round(float(samme_learner_weight(0.25, 2, 1.0)), 4)
    1.0986
    """
    return learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0))


class RUSBoostClassifier(AdaBoostClassifier):
    """AdaBoost in which every round first under-samples the data at random.

    Each round draws a random balanced subset, fits a clone of ``estimator``
    on it with the rows' current boosting weights, and re-weights all rows by
    the learner's errors (SAMME). With the same ``random_state`` it gives the
    same learners and predictions as imbalanced-learn 0.14's class of this name.

    Parameters
    ----------
    estimator : estimator object, default=None
        The weak learner; its ``fit`` must take ``sample_weight``. ``None``
        means a depth-1 :class:`~sklearn.tree.DecisionTreeClassifier`.
    n_estimators : int, default=50
        Maximum number of boosting rounds (fewer if the fit becomes perfect).
    learning_rate : float, default=1.0
        Shrinks the weight of every learner.
    algorithm : {"SAMME", "SAMME.R"}, default="deprecated"
        Deprecated, as in imbalanced-learn: leave it unset (SAMME). Setting it
        warns; "SAMME.R" re-weights rows from the learners' probabilities
        during fit while prediction still combines the learners' votes with
        unit weights, exactly as the reference does with scikit-learn >= 1.6,
        and needs a learner with ``predict_proba``.
    sampling_strategy : float, str, dict or callable, default='auto'
        How each round's subset is balanced (see
        :class:`~imbkit.under_sampling.RandomUnderSampler`).
    replacement : bool, default=False
        Draw the subsets with replacement.
    random_state : int, RandomState instance or None, default=None
        Seeds every round's sampler and learner.

    Attributes
    ----------
    estimator_ : estimator
        The learner template.
    estimators_ : list of classifiers
        The fitted learners.
    base_sampler_ : RandomUnderSampler
        The sampler template.
    samplers_ : list of RandomUnderSampler
        The fitted samplers; ``samplers_[i].sample_indices_`` are the rows
        learner ``i`` was fitted on.
    pipelines_ : list
        Each fitted sampler with its learner (sharing the fitted objects).
    estimators_samples_ : list of ndarray
        The rows of ``X`` each learner was fitted on (not in imbalanced-learn).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    estimator_weights_ : ndarray of shape (n_estimators,)
        Weight of each learner in the vote.
    estimator_errors_ : ndarray of shape (n_estimators,)
        Weighted training error of each learner.
    feature_importances_ : ndarray of shape (n_features,)
        Only when the learners have ``feature_importances_``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    See Also
    --------
    EasyEnsembleClassifier : Bag of AdaBoost learners on balanced subsets.
    BalancedBaggingClassifier : Bagging with any sampler and estimator.

    Notes
    -----
    There is no ``n_jobs``: boosting rounds depend on each other. The
    reference pops the sampler of a learner discarded for being worse than
    random guessing; so does this class, and ``pipelines_`` holds the fitted
    objects rather than deep copies of them.

    References
    ----------
    .. [1] C. Seiffert, T. M. Khoshgoftaar, J. Van Hulse and A. Napolitano,
       "RUSBoost: a hybrid approach to alleviating class imbalance", IEEE
       Transactions on Systems, Man, and Cybernetics, Part A 40(1), 2010.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.ensemble import RUSBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = RUSBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> len(clf.samplers_) == len(clf.estimators_), clf.predict_proba(X[:3]).shape
    (True, (3, 2))
    """

    _parameter_constraints: ClassVar[dict] = {
        **copy.deepcopy(AdaBoostClassifier._parameter_constraints),
        "algorithm": [StrOptions({"SAMME", "SAMME.R"}), Hidden(StrOptions({"deprecated"}))],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=50,
        learning_rate=1.0,
        algorithm="deprecated",
        sampling_strategy="auto",
        replacement=False,
        random_state=None,
    ):
        super().__init__(
            estimator=estimator,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            random_state=random_state,
        )
        self.algorithm = algorithm
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def fit(self, X, y, sample_weight=None):
        """Boost learners, each fitted on a random balanced subset of ``(X, y)``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Initial row weights; ``None`` means equal weights.

        Returns
        -------
        self : object
        """
        name = type(self).__name__
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False), caller_name=name
        )
        if self.algorithm != "deprecated":
            warnings.warn(
                "`algorithm` parameter is deprecated in 0.12 and will be removed in "
                "0.14. In the future, the SAMME algorithm will always be used.",
                FutureWarning,
                stacklevel=2,
            )
        X_checked = check_ensemble_X(X, name, allow_nan=False)
        y_checked, _ = check_ensemble_target(y, name)
        check_lengths(X_checked, y_checked)
        weight = check_ensemble_weights(sample_weight, X_checked.shape[0])
        self.samplers_ = []
        super().fit(X_checked, y_checked, sample_weight=weight)
        self.pipelines_ = [
            _ResampledClassifier(sampler=sampler, classifier=learner)
            for sampler, learner in zip(self.samplers_, self.estimators_)
        ]
        validate_data(
            self, X=X if hasattr(X, "columns") else X_checked, reset=True,
            skip_check_array=True,
        )
        return self

    def _validate_estimator(self):
        # called by AdaBoostClassifier.fit before the first round
        if self.estimator is None:
            self.estimator_ = DecisionTreeClassifier(max_depth=1)
        else:
            self.estimator_ = clone(self.estimator)
        learner = type(self.estimator_).__name__
        if not has_fit_parameter(self.estimator_, "sample_weight"):
            raise InvalidParameterError(
                f"{learner}.fit does not accept sample_weight, which "
                "RUSBoostClassifier needs to boost. Use a learner whose fit takes "
                "sample_weight, e.g. DecisionTreeClassifier."
            )
        if self.algorithm == "SAMME.R" and not hasattr(self.estimator_, "predict_proba"):
            raise InvalidParameterError(
                f"algorithm='SAMME.R' re-weights rows from class probabilities, but "
                f"{learner} has no predict_proba. Use a learner with predict_proba, "
                "or leave algorithm unset (SAMME)."
            )
        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=self.sampling_strategy, replacement=self.replacement
        )

    def _boost(self, iboost, X, y, sample_weight, random_state):
        """One round: under-sample, fit a learner on the kept rows, update the weights.

        Returns ``(sample_weight, learner_weight, learner_error)``, or three
        ``None`` when the learner is discarded (worse than random guessing).
        """
        learner = _seed_random_states(clone(self.estimator_), random_state)
        sampler = _seed_random_states(clone(self.base_sampler_), random_state)
        self.estimators_.append(learner)
        self.samplers_.append(sampler)
        X_res, y_res = sampler.fit_resample(X, y)
        learner.fit(X_res, y_res, sample_weight=sample_weight[sampler.sample_indices_])
        if self.algorithm == "SAMME.R":
            predicted = learner.predict_proba(X)
            if iboost == 0:
                self._set_classes(learner)
            return self._samme_r_round(iboost, predicted, y, sample_weight)
        predicted = learner.predict(X)
        if iboost == 0:
            self._set_classes(learner)
        incorrect = predicted != y
        error = np.mean(np.average(incorrect, weights=sample_weight, axis=0))
        if error <= 0:
            return sample_weight, 1.0, 0.0
        if error >= 1.0 - 1.0 / self.n_classes_:
            self.estimators_.pop(-1)
            self.samplers_.pop(-1)
            if not self.estimators_:
                raise InvalidInputError(
                    f"The first learner of RUSBoostClassifier has a weighted error of "
                    f"{error:.4g}, no better than random guessing among "
                    f"{self.n_classes_} classes, so the ensemble cannot be fit. Use a "
                    "stronger learner, or check that X carries information on y."
                )
            return None, None, None
        alpha = samme_learner_weight(error, self.n_classes_, self.learning_rate)
        if iboost != self.n_estimators - 1:  # re-weight for the next round
            sample_weight *= np.exp(alpha * incorrect * (sample_weight > 0))
        return sample_weight, alpha, error

    @property
    def estimators_samples_(self):
        """The rows of ``X`` each learner was fitted on (its sampler's ``sample_indices_``)."""
        check_is_fitted(self)
        return [sampler.sample_indices_ for sampler in self.samplers_]

    def _set_classes(self, learner):
        self.classes_ = getattr(learner, "classes_", None)
        self.n_classes_ = len(self.classes_)

    def _samme_r_round(self, iboost, proba, y, sample_weight):
        """The deprecated SAMME.R re-weighting, kept for drop-in results."""
        n_classes = self.n_classes_
        predicted = self.classes_.take(np.argmax(proba, axis=1), axis=0)
        error = np.mean(np.average(predicted != y, weights=sample_weight, axis=0))
        if error <= 0:
            return sample_weight, 1.0, 0.0
        codes = np.array([-1.0 / (n_classes - 1), 1.0])
        coding = codes.take(self.classes_ == y[:, np.newaxis])
        np.clip(proba, np.finfo(proba.dtype).eps, None, out=proba)
        row_weight = (
            -self.learning_rate * ((n_classes - 1.0) / n_classes)
            * (coding * np.log(proba)).sum(axis=1)
        )
        if iboost != self.n_estimators - 1:
            sample_weight *= np.exp(row_weight * ((sample_weight > 0) | (row_weight < 0)))
        return sample_weight, 1.0, error

    def decision_function(self, X):
        """Weighted vote of the learners.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
            Positive values (two classes) favour ``classes_[1]``.
        """
        with non_finite_errors(type(self).__name__):
            return super().decision_function(X)
