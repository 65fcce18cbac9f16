"""SMOTE variants that first pick the minority samples near the class border.

:class:`BorderlineSMOTE` interpolates only from the minority samples "in
danger" (most, but not all, of their ``m`` nearest neighbours belong to other
classes); :class:`SVMSMOTE` starts from the support vectors of an SVM and
extrapolates away from the safe ones. Both draw their random numbers in the
order imbalanced-learn 0.14 does, so the same ``random_state`` gives the same
rows.
"""

from __future__ import annotations

import numbers
import warnings
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.svm import SVC
from sklearn.utils import check_random_state

from ...exceptions import ImbalanceWarning, InvalidInputError, NotEnoughSamplesError
from ...neighbors import neighbour_indices
from ...utils._compat import HasMethods, Interval, StrOptions
from ...utils._validation import check_neighbors_object
from .base import BaseSMOTE, stack_synthetic

__all__ = ["BorderlineSMOTE", "SVMSMOTE", "danger_noise_masks"]

_M_NEIGHBORS_CONSTRAINT = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


def danger_noise_masks(n_other, n_neighbors):
    """Which samples are in danger and which are noise, from their neighbours' classes.

    A sample whose ``m`` nearest neighbours include ``n_other`` of another
    class is *in danger* when ``m / 2 <= n_other < m`` and *noise* when
    ``n_other == m`` (Han et al., 2005).

    Parameters
    ----------
    n_other : ndarray of int, shape (n_samples,)
        Number of neighbours of another class, per sample.
    n_neighbors : int
        ``m``, the number of neighbours looked at (the sample itself excluded).

    Returns
    -------
    danger, noise : ndarray of bool, shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.over_sampling._smote.filter import danger_noise_masks
    >>> danger, noise = danger_noise_masks(np.array([0, 2, 3, 4]), 4)
    >>> danger.tolist(), noise.tolist()
    ([False, True, True, False], [False, False, False, True])
    """
    danger = (n_other >= n_neighbors / 2) & (n_other < n_neighbors)
    return danger, n_other == n_neighbors


def _other_class_counts(sampler, X, y, query, klass):
    """For each ``query`` row, how many of its ``m`` neighbours in ``X`` are not ``klass``.

    Like the reference, the first neighbour returned (normally the row itself)
    is dropped.
    """
    n_neighbors = getattr(sampler.nn_m_, "n_neighbors", None)
    if n_neighbors is not None and X.shape[0] < n_neighbors:
        raise NotEnoughSamplesError(
            f"m_neighbors={n_neighbors - 1} needs at least {n_neighbors} samples in X "
            f"(a sample and its {n_neighbors - 1} neighbours); X has {X.shape[0]}. "
            f"Lower m_neighbors to at most {X.shape[0] - 1}."
        )
    neighbours = neighbour_indices(sampler.nn_m_, sampler.m_neighbors, X, query)[:, 1:]
    n_other = np.count_nonzero(y[neighbours] != klass, axis=1)
    return n_other, neighbours.shape[1]


_SVC_CACHE_MB = 1000


class BorderlineSMOTE(BaseSMOTE):
    """Borderline-SMOTE: SMOTE from the minority samples on the class border.

    A minority sample is *in danger* when at least half, but not all, of its
    ``m_neighbors`` nearest neighbours (in the whole dataset) belong to other
    classes; only those samples are over-sampled (Han et al., 2005).
    ``'borderline-1'`` interpolates towards their ``k_neighbors`` nearest
    neighbours of the same class; ``'borderline-2'`` towards their nearest
    neighbours of any class, stopping before the midpoint (a step in
    ``[0, 0.5)`` of the way) when the neighbour is of another class.
    Multi-class targets are handled one class against the rest.

    Same output as imbalanced-learn 0.14 for the same ``random_state``;
    faster, as the neighbour searches use imbkit's exact engine and new rows
    are written in place. Unlike imbalanced-learn, sparse ``X`` works with
    ``kind='borderline-2'`` (it raises there), and a class left unchanged
    because none of its samples is in danger gives an ``ImbalanceWarning``
    instead of passing silently.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`.
    random_state : int, RandomState instance or None, default=None
    k_neighbors : int or object, default=5
        Number of neighbours to interpolate with, or an object with
        ``kneighbors`` (asked for ``n_neighbors`` neighbours, the first of
        which is the sample itself).
    m_neighbors : int or object, default=10
        Number of neighbours deciding whether a sample is in danger, or an
        object with ``kneighbors`` as for ``k_neighbors``.
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples to add per class.
    nn_k_ : estimator object
        The neighbours estimator built from ``k_neighbors``.
    nn_m_ : estimator object
        The neighbours estimator built from ``m_neighbors``.
    in_danger_indices : dict of ndarray
        Per over-sampled class with at least one sample in danger, the row
        indices (in ``X``) of those samples.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.over_sampling import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=1)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 447), (np.int64(1), 447)]
    """

    _parameter_constraints: dict = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": _M_NEIGHBORS_CONSTRAINT,
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        kind="borderline-1",
    ):
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
        )
        self.m_neighbors = m_neighbors
        self.kind = kind

    def _validate_estimator(self):
        super()._validate_estimator()
        self.nn_m_ = check_neighbors_object("m_neighbors", self.m_neighbors, additional_neighbor=1)

    def _fit_resample(self, X, y):
        self._validate_estimator()
        self.in_danger_indices = {}
        segments = []
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            class_rows = np.flatnonzero(y == klass)
            X_class = X[class_rows]
            n_other, m = _other_class_counts(self, X, y, X_class, klass)
            danger = danger_noise_masks(n_other, m)[0]
            if not danger.any():
                warnings.warn(
                    f"BorderlineSMOTE generated no samples for class {klass!r}: none "
                    f"of its {class_rows.size} samples is in danger (at least half, "
                    f"but not all, of its {m} nearest neighbours of other classes), "
                    "so the class is left as it is, as in imbalanced-learn. Try "
                    "SMOTE, or another m_neighbors.",
                    ImbalanceWarning,
                    stacklevel=3,
                )
                continue
            self.in_danger_indices[klass] = class_rows[danger]
            X_danger = X_class[danger]
            if self.kind == "borderline-1":
                self._check_class_size(X_class.shape[0], klass)
                nns = neighbour_indices(self.nn_k_, self.k_neighbors, X_class, X_danger)
                segments.append(self._segments(klass, X_danger, X_class, nns[:, 1:], n_samples))
            else:
                self._check_total_size(X.shape[0])
                nns = neighbour_indices(self.nn_k_, self.k_neighbors, X, X_danger)
                segments.append(
                    self._segments_any_class(X_danger, X, y, klass, nns[:, 1:], n_samples)
                )
        return stack_synthetic(X, y, segments)

    def _check_total_size(self, n_rows):
        n_neighbors = getattr(self.nn_k_, "n_neighbors", None)
        if n_neighbors is not None and n_rows < n_neighbors:
            raise NotEnoughSamplesError(
                f"k_neighbors={n_neighbors - 1} needs at least {n_neighbors} samples "
                f"in X for kind='borderline-2' (a sample and its {n_neighbors - 1} "
                f"neighbours); X has {n_rows}. Lower k_neighbors to at most "
                f"{n_rows - 1}."
            )

    def _segments_any_class(self, X_danger, X, y, klass, nn_num, n_samples):
        """Borderline-2 samples: towards neighbours of any class, at most half-way to others.

        The differences towards a neighbour of another class are first scaled
        by a uniform factor in ``[0, 0.5)``, drawn from a generator made afresh
        from ``random_state`` (the reference's order of draws).
        """
        segments = self._segments(klass, X_danger, X, nn_num, n_samples)
        to_other = y[segments.neighbour_rows] != klass
        diff_scale = np.ones(n_samples)
        diff_scale[to_other] = check_random_state(self.random_state).uniform(
            low=0.0, high=0.5, size=np.count_nonzero(to_other)
        )
        return segments._replace(diff_scale=diff_scale)


class SVMSMOTE(BaseSMOTE):
    """SVM-SMOTE: SMOTE from the minority support vectors of an SVM.

    An SVM is fitted on the data; the support vectors of the class to
    over-sample whose ``m_neighbors`` nearest neighbours all belong to other
    classes are dropped as noise. From the support vectors in danger (at
    least half of those neighbours of other classes), new samples are
    interpolated towards their ``k_neighbors`` nearest neighbours of the same
    class; from the safe ones they are extrapolated, up to ``out_step`` of the
    way, away from those neighbours (Nguyen et al., 2009). The share of
    samples from the danger group is drawn from a Beta(10, 10) distribution.
    Multi-class targets are handled one class against the rest.

    Same output as imbalanced-learn 0.14 for the same ``random_state``. Like
    the reference, when no support vector is in danger (or none is safe) the
    share drawn for that group is not generated, so fewer samples than asked
    are added; imbkit says so with an ``ImbalanceWarning``. The default SVM is
    fitted once instead of once per class (its fit is deterministic), with the
    reference's random draws kept.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        See :class:`~imbkit.over_sampling.base.BaseOverSampler`.
    random_state : int, RandomState instance or None, default=None
    k_neighbors : int or object, default=5
        Number of same-class neighbours to interpolate or extrapolate with, or
        an object with ``kneighbors`` (asked for ``n_neighbors`` neighbours,
        the first of which is the sample itself).
    m_neighbors : int or object, default=10
        Number of neighbours deciding whether a support vector is noise or in
        danger, or an object with ``kneighbors``.
    svm_estimator : estimator object, default=None
        A classifier exposing ``support_`` once fitted; ``None`` means
        ``sklearn.svm.SVC(gamma='scale', random_state=random_state,
        cache_size=1000)``: imbalanced-learn's SVC with a 1 GB kernel cache
        instead of 200 MB, which fits the same model faster on large data
        (the cache changes speed only, never the support vectors).
    out_step : float, default=0.5
        Largest step, as a fraction of the distance to the neighbour, when
        extrapolating from safe support vectors.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples to add per class.
    nn_k_ : estimator object
        The neighbours estimator built from ``k_neighbors``.
    nn_m_ : estimator object
        The neighbours estimator built from ``m_neighbors``.
    svm_estimator_ : estimator object
        The fitted SVM.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.over_sampling import SVMSMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=1)
    >>> X_res, y_res = SVMSMOTE(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 447), (np.int64(1), 447)]
    """

    _parameter_constraints: dict = {
        **BaseSMOTE._parameter_constraints,
        "m_neighbors": _M_NEIGHBORS_CONSTRAINT,
        "svm_estimator": [HasMethods(["fit", "predict"]), None],
        "out_step": [Interval(numbers.Real, 0, 1, closed="both")],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        m_neighbors=10,
        svm_estimator=None,
        out_step=0.5,
    ):
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
        )
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step

    def _validate_estimator(self):
        super()._validate_estimator()
        self.nn_m_ = check_neighbors_object("m_neighbors", self.m_neighbors, additional_neighbor=1)
        if self.svm_estimator is None:
            # a larger kernel cache than SVC's 200 MB default: same fit, less recomputation
            self.svm_estimator_ = SVC(
                gamma="scale", random_state=self.random_state, cache_size=_SVC_CACHE_MB
            )
        else:
            self.svm_estimator_ = clone(self.svm_estimator)

    def _fit_svm(self, X, y, first):
        """Fit the SVM as the reference does before each class, without redundant refits.

        The reference refits the SVM for every class. A user's estimator is
        refitted likewise (it may not be deterministic). The default SVC's fit
        is deterministic but takes one draw from ``random_state`` when that is
        a shared generator (a RandomState instance, or NumPy's global one for
        None); that draw is taken so the later draws match the reference.
        """
        if first or self.svm_estimator is not None:
            self.svm_estimator_.fit(X, y)
        elif not isinstance(self.random_state, Integral):
            check_random_state(self.random_state).randint(np.iinfo("i").max)
        if not hasattr(self.svm_estimator_, "support_"):
            raise RuntimeError(
                "svm_estimator must expose a fitted `support_` attribute (the "
                "indices of its support vectors), as sklearn.svm.SVC does; "
                f"{type(self.svm_estimator_).__name__} does not."
            )

    def _fit_resample(self, X, y):
        self._validate_estimator()
        random_state = check_random_state(self.random_state)
        segments = []
        first = True
        for klass, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            class_rows = np.flatnonzero(y == klass)
            self._check_class_size(class_rows.size, klass)
            self._fit_svm(X, y, first)
            first = False
            support, danger = self._kept_support_vectors(X, y, klass)
            X_support = X[support]
            X_class = X[class_rows]
            nns = neighbour_indices(self.nn_k_, self.k_neighbors, X_class, X_support)[:, 1:]
            n_danger_share = int(random_state.beta(10, 10) * (n_samples + 1))
            groups = (
                (danger, n_danger_share, 1.0),
                (~danger, n_samples - n_danger_share, -self.out_step),
            )
            n_added = 0
            for mask, n_group, step_size in groups:
                if not mask.any():
                    continue
                segments.append(self._segments(
                    klass, X_support[mask], X_class, nns[mask], n_group, step_size
                ))
                n_added += n_group
            if n_added < n_samples:
                group = "in danger" if not danger.any() else "safe"
                warnings.warn(
                    f"SVMSMOTE generated {n_added} of the {n_samples} samples asked "
                    f"for class {klass!r}: none of its support vectors is {group}, "
                    f"and the {n_samples - n_added} samples drawn for that group are "
                    "not generated, as in imbalanced-learn.",
                    ImbalanceWarning,
                    stacklevel=3,
                )
        return stack_synthetic(X, y, segments)

    def _kept_support_vectors(self, X, y, klass):
        """Support vectors of ``klass`` that are not noise (rows of ``X``), and their danger mask.

        One neighbour query serves both masks; the reference asks it twice.
        """
        support = np.asarray(self.svm_estimator_.support_)
        support = support[y[support] == klass]
        if support.size == 0:
            raise InvalidInputError(
                f"The SVM has no support vector of class {klass!r}, so SVM-SMOTE has "
                "nothing to over-sample it from. Try another SMOTE variant or "
                "another svm_estimator."
            )
        n_other, m = _other_class_counts(self, X, y, X[support], klass)
        danger, noise = danger_noise_masks(n_other, m)
        if noise.all():
            raise InvalidInputError(
                f"All {support.size} support vectors of class {klass!r} are noise "
                f"(their {m} nearest neighbours all belong to other classes), so "
                "SVM-SMOTE cannot over-sample this dataset. Try another SMOTE "
                "variant."
            )
        return support[~noise], danger[~noise]
