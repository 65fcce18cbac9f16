"""SMOTEENN: over-sample with SMOTE, then clean with Edited Nearest Neighbours."""

from __future__ import annotations

import numbers

from ..over_sampling import SMOTE
from ..under_sampling._edited import EditedNearestNeighbours
from ._base import SMOTEThenClean

__all__ = ["SMOTEENN"]


class SMOTEENN(SMOTEThenClean):
    """Over-sample with SMOTE, then clean the result with Edited Nearest Neighbours.

    SMOTE's synthetic samples can fall deep inside another class; the ENN
    pass that follows removes every sample whose neighbourhood disagrees with
    its class (Batista, Prati and Monard, 2004). Same output as
    imbalanced-learn 0.14 for the same ``random_state``; the speed comes from
    imbkit's SMOTE and its exact, fast ENN.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Given to the default SMOTE; see
        :class:`~imbkit.over_sampling.base.BaseOverSampler`. Not used when
        ``smote`` is given.
    random_state : int, RandomState instance or None, default=None
        Given to the default SMOTE (the same object, so a ``RandomState`` is
        advanced by it). Not used when ``smote`` is given: that SMOTE keeps
        its own ``random_state``.
    smote : SMOTE, default=None
        The over-sampler, cloned. ``None``: ``SMOTE(sampling_strategy=
        sampling_strategy, random_state=random_state)``.
    enn : EditedNearestNeighbours, default=None
        The cleaner, cloned. ``None``: ``EditedNearestNeighbours(
        sampling_strategy='all', n_jobs=n_jobs)``.
    n_jobs : int, default=None
        Given to the default ENN.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples SMOTE added per class (``smote_.sampling_strategy_``);
        the cleaning step then removes some. imbalanced-learn 0.14 documents a
        dict here but stores the raw ``sampling_strategy`` parameter; imbkit
        stores the dict.
    smote_ : SMOTE
        The fitted over-sampler.
    enn_ : EditedNearestNeighbours
        The fitted cleaner; its ``sample_indices_`` index SMOTE's output.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from imbkit.combine import SMOTEENN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTEENN(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 758), (np.int64(1), 895)]
    """

    _cleaner_param = "enn"
    _parameter_constraints: dict = {
        **SMOTEThenClean._parameter_constraints,
        "smote": [SMOTE, None],
        "enn": [EditedNearestNeighbours, None],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None,
                 enn=None, n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _default_cleaner(self):
        return EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)
