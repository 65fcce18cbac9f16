"""Class-balanced samplers for ``torch.utils.data.DataLoader``, at any scale.

Neither sampler builds a weight per sample. The labels are grouped once into
per-class index arrays (a counting sort, int64 indices); each epoch draws
classes first and then positions inside each class. Positions cycle through a
fresh random permutation of the class, so a sample repeats only after every
sample of its class has been drawn. ``torch.multinomial``'s limit of 2**24
categories does not apply.

An epoch is a function of ``(random_state, epoch)`` only: every rank of a
distributed job draws the same global epoch and keeps its own interleaved
share, so shards are disjoint (by position) and together cover the epoch.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import torch
from torch.utils.data import Sampler

from ..exceptions import InvalidInputError, TargetError
from ._losses import class_balanced_weights

__all__ = ["BalancedBatchSampler", "ClassAwareSampler"]

_WEIGHTINGS = ("uniform", "inverse", "sqrt", "effective_number")
_CHUNK = 1 << 16


def _labels_array(labels):
    """``labels`` as a 1-D NumPy array, without copying a NumPy input."""
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    y = np.asarray(labels)
    if y.ndim != 1 or y.size == 0:
        raise TargetError(
            f"labels must be a non-empty 1-D sequence with the class of every sample, "
            f"got shape {y.shape}."
        )
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise TargetError("labels contain NaN or infinity; give every sample a class.")
    return y


def _smallest_uint(n_values):
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_values <= np.iinfo(dtype).max + 1:
            return dtype
    return np.int64


def _group_by_class(labels):
    """Return ``classes, counts, order, offsets``: ``order[offsets[c]:offsets[c+1]]``
    are the (int64) indices of class ``c``, in increasing order."""
    y = _labels_array(labels)
    if y.dtype.kind in "iub" and y.min() >= 0 and int(y.max()) < max(1 << 20, 2 * y.size):
        full_counts = np.bincount(y)  # O(n), no sort of the labels
        classes = np.flatnonzero(full_counts)
        counts = full_counts[classes]
        if classes.size == full_counts.size and classes.size <= 1 << 16:
            codes = y.astype(_smallest_uint(classes.size), copy=False)
        else:
            lookup = np.cumsum(full_counts > 0) - 1
            codes = lookup.astype(_smallest_uint(classes.size))[y]
        classes = classes.astype(y.dtype)
    else:
        classes, codes = np.unique(y, return_inverse=True)
        counts = np.bincount(codes, minlength=classes.size)
        codes = codes.astype(_smallest_uint(classes.size))
    # A stable argsort of small unsigned codes is a radix sort: linear time.
    order = np.argsort(codes, kind="stable").astype(np.int64, copy=False)
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return classes, counts.astype(np.int64), order, offsets


def _cycled_positions(rng, n, m):
    """``m`` positions in ``[0, n)`` from back-to-back random permutations of ``n``."""
    full, rest = divmod(int(m), int(n))
    parts = []
    if full == 1:
        parts.append(rng.permutation(n))
    elif full > 1:
        parts.append(rng.permuted(np.tile(np.arange(n, dtype=np.int64), (full, 1)), axis=1).ravel())
    if rest:
        parts.append(rng.choice(n, size=rest, replace=False))
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.concatenate(parts).astype(np.int64, copy=False)


def _check_positive_int(value, name, *, allow_none=False, minimum=1):
    if value is None and allow_none:
        return None
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise InvalidInputError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _resolve_replicas(num_replicas, rank):
    """Fill ``num_replicas`` / ``rank`` from ``torch.distributed`` when left as None."""
    dist = torch.distributed
    running = dist.is_available() and dist.is_initialized()
    if num_replicas is None:
        num_replicas = dist.get_world_size() if running else 1
    if rank is None:
        rank = dist.get_rank() if running else 0
    num_replicas = _check_positive_int(num_replicas, "num_replicas")
    rank = _check_positive_int(rank, "rank", minimum=0)
    if rank >= num_replicas:
        raise InvalidInputError(
            f"rank must be in [0, num_replicas - 1] = [0, {num_replicas - 1}], got {rank}."
        )
    return num_replicas, rank


def _resolve_seed(random_state, num_replicas):
    if random_state is None:
        if num_replicas > 1:
            raise InvalidInputError(
                "random_state=None would give each rank a different epoch: pass the same "
                "integer random_state on every rank."
            )
        return int(np.random.SeedSequence().entropy)
    if not isinstance(random_state, Integral) or isinstance(random_state, bool) or random_state < 0:
        raise InvalidInputError(
            f"random_state must be None or an integer >= 0 (an epoch is replayed from "
            f"it and the epoch number), got {random_state!r}."
        )
    return int(random_state)


class _EpochSampler(Sampler):
    """Shared state: the grouped labels, the seed, the epoch and the shard."""

    def _setup(self, labels, random_state, num_replicas, rank):
        self.classes_, self.class_counts_, self._order, self._offsets = _group_by_class(labels)
        self.n_samples_ = int(self._offsets[-1])
        self.num_replicas, self.rank = _resolve_replicas(num_replicas, rank)
        self.random_state = random_state
        self._seed = _resolve_seed(random_state, self.num_replicas)
        self.epoch = 0

    def set_epoch(self, epoch):
        """Draw epoch ``epoch`` on the next iteration (call it on every rank).

        Each iteration then moves on to the next epoch by itself, so two
        passes without ``set_epoch`` differ, and ``set_epoch(e)`` replays ``e``.
        """
        self.epoch = _check_positive_int(epoch, "epoch", minimum=0)

    def _next_rng(self):
        rng = np.random.default_rng([self._seed, self.epoch])
        self.epoch += 1
        return rng

    def _class_draws(self, rng, class_index, m):
        """``m`` dataset indices of class ``class_index``, cycling through the class."""
        start, stop = self._offsets[class_index], self._offsets[class_index + 1]
        return self._order[start:stop][_cycled_positions(rng, stop - start, m)]


class ClassAwareSampler(_EpochSampler):
    """Sample indices by drawing a class first, then a sample of that class.

    Classes are drawn with probability proportional to a class weight; within
    a class, samples come from a fresh random permutation, renewed when used up.

    Parameters
    ----------
    labels : array-like or Tensor of shape (n_samples,)
        The class of every sample of the dataset.
    weighting : {"uniform", "inverse", "sqrt", "effective_number"} or array-like, \
default="uniform"
        Probability of drawing class ``c`` with ``n_c`` samples, up to scaling:
        ``"uniform"``: 1 (every class equally often, class-aware sampling);
        ``"inverse"``: ``1 / n_c``; ``"sqrt"``: ``1 / sqrt(n_c)``;
        ``"effective_number"``: ``(1 - beta) / (1 - beta**n_c)``. An array
        gives one non-negative weight per class of ``classes_`` (for example
        ``np.sqrt(class_counts_)`` for square-root sampling).
    beta : float, default=0.999
        For ``weighting="effective_number"``, in ``[0, 1)``.
    num_samples : int, default=None
        Indices per epoch over all replicas (``n_samples`` when None).
    random_state : int, default=None
        Seed of every epoch; required, and equal on all ranks, when
        ``num_replicas > 1``.
    num_replicas, rank : int, default=None
        Distributed shard; taken from ``torch.distributed`` when initialised,
        else one replica.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_counts_ : ndarray of shape (n_classes,), int64
    class_probabilities_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.torch import ClassAwareSampler
    >>> labels = np.array([0] * 90 + [1] * 10)
    >>> sampler = ClassAwareSampler(labels, num_samples=1000, random_state=0)
    >>> len(sampler)
    1000
    >>> drawn = labels[list(sampler)]
    >>> bool(abs((drawn == 1).mean() - 0.5) < 0.05)
    True
    """

    def __init__(
        self,
        labels,
        *,
        weighting="uniform",
        beta=0.999,
        num_samples=None,
        random_state=None,
        num_replicas=None,
        rank=None,
    ):
        self._setup(labels, random_state, num_replicas, rank)
        self.weighting = weighting
        self.beta = beta
        self.class_probabilities_ = self._probabilities(weighting, beta)
        self.num_samples = _check_positive_int(num_samples, "num_samples", allow_none=True)
        total = self.n_samples_ if self.num_samples is None else self.num_samples
        self._per_replica = -(-total // self.num_replicas)

    def _probabilities(self, weighting, beta):
        counts = self.class_counts_.astype(np.float64)
        if isinstance(weighting, str):
            if weighting not in _WEIGHTINGS:
                raise InvalidInputError(
                    f"weighting must be one of {list(_WEIGHTINGS)} or one weight per "
                    f"class, got {weighting!r}."
                )
            weights = {
                "uniform": lambda: np.ones_like(counts),
                "inverse": lambda: 1.0 / counts,
                "sqrt": lambda: 1.0 / np.sqrt(counts),
                "effective_number": lambda: class_balanced_weights(counts, beta),
            }[weighting]()
        else:
            weights = np.asarray(weighting, dtype=np.float64)
            if weights.shape != counts.shape:
                raise InvalidInputError(
                    f"weighting has shape {weights.shape}; give one weight per class "
                    f"({counts.size}, in the order of classes_)."
                )
            if not np.all(np.isfinite(weights)) or np.any(weights < 0) or weights.sum() <= 0:
                raise InvalidInputError(
                    "weighting must be finite and >= 0 with at least one positive weight, "
                    f"got {weights.tolist()}."
                )
        return weights / weights.sum()

    def __len__(self):
        return self._per_replica

    def _epoch_indices(self, rng):
        """All indices of one epoch (every replica's share, interleaved)."""
        total = self._per_replica * self.num_replicas
        n_classes = self.classes_.size
        drawn = rng.choice(n_classes, size=total, p=self.class_probabilities_)
        drawn = drawn.astype(_smallest_uint(n_classes), copy=False)
        slots = np.argsort(drawn, kind="stable")
        per_class = np.bincount(drawn, minlength=n_classes)
        out = np.empty(total, dtype=np.int64)
        start = 0
        for c in np.flatnonzero(per_class):
            stop = start + per_class[c]
            out[slots[start:stop]] = self._class_draws(rng, c, per_class[c])
            start = stop
        return out

    def __iter__(self):
        shard = self._epoch_indices(self._next_rng())[self.rank :: self.num_replicas]
        for start in range(0, shard.size, _CHUNK):
            yield from shard[start : start + _CHUNK].tolist()


class BalancedBatchSampler(_EpochSampler):
    """Batches with a fixed number, or at least one, of every class.

    A batch sampler: pass it as ``DataLoader(dataset, batch_sampler=...)``.

    Parameters
    ----------
    labels : array-like or Tensor of shape (n_samples,)
        The class of every sample of the dataset.
    samples_per_class : int, default=None
        Exactly this many samples of each class per batch (batch size
        ``samples_per_class * n_classes``). Give this or ``batch_size``.
    batch_size : int, default=None
        With ``samples_per_class=None``: batches of this size holding at least
        one sample of each class, the other places drawn from the whole dataset
        (natural class frequencies). Must be ``>= n_classes``.
    n_batches : int, default=None
        Batches per epoch over all replicas; ``ceil(n_samples / batch_size)``
        when None.
    random_state : int, default=None
        Seed of every epoch; required, and equal on all ranks, when
        ``num_replicas > 1``.
    num_replicas, rank : int, default=None
        Distributed shard (whole batches); taken from ``torch.distributed`` when
        initialised, else one replica.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_counts_ : ndarray of shape (n_classes,), int64
    batch_size_ : int

    Notes
    -----
    Samples of a class appear in a random order that is renewed once the
    class is used up; a batch repeats a sample only when its class is smaller
    than ``samples_per_class`` or, rarely, where two permutations meet.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.torch import BalancedBatchSampler
    >>> labels = np.array([0] * 90 + [1] * 8 + [2] * 2)
    >>> sampler = BalancedBatchSampler(labels, samples_per_class=2, random_state=0)
    >>> len(sampler), sampler.batch_size_
    (17, 6)
    >>> [np.bincount(labels[batch]).tolist() for batch in sampler][:3]
    [[2, 2, 2], [2, 2, 2], [2, 2, 2]]
    """

    def __init__(
        self,
        labels,
        *,
        samples_per_class=None,
        batch_size=None,
        n_batches=None,
        random_state=None,
        num_replicas=None,
        rank=None,
    ):
        self._setup(labels, random_state, num_replicas, rank)
        self.samples_per_class = _check_positive_int(
            samples_per_class, "samples_per_class", allow_none=True
        )
        self.batch_size = _check_positive_int(batch_size, "batch_size", allow_none=True)
        self.n_batches = _check_positive_int(n_batches, "n_batches", allow_none=True)
        self.batch_size_ = self._resolve_batch_size()
        total = self.n_batches or -(-self.n_samples_ // self.batch_size_)
        self._per_replica = -(-total // self.num_replicas)

    def _resolve_batch_size(self):
        n_classes = self.classes_.size
        if (self.samples_per_class is None) == (self.batch_size is None):
            raise InvalidInputError(
                "Give exactly one of samples_per_class (that many of each class per "
                "batch) and batch_size (at least one of each class per batch)."
            )
        if self.samples_per_class is not None:
            return self.samples_per_class * n_classes
        if self.batch_size < n_classes:
            raise InvalidInputError(
                f"batch_size={self.batch_size} cannot hold one sample of each of the "
                f"{n_classes} classes; use batch_size >= {n_classes}."
            )
        return self.batch_size

    def __len__(self):
        return self._per_replica

    def _epoch_batches(self, rng):
        """All batches of one epoch, shape ``(n_batches_total, batch_size_)``."""
        n_batches = self._per_replica * self.num_replicas
        per_class = self.samples_per_class or 1
        columns = [
            self._class_draws(rng, c, n_batches * per_class).reshape(n_batches, per_class)
            for c in range(self.classes_.size)
        ]
        n_free = self.batch_size_ - per_class * self.classes_.size
        if n_free:
            free = _cycled_positions(rng, self.n_samples_, n_batches * n_free)
            columns.append(free.reshape(n_batches, n_free))
        return rng.permuted(np.concatenate(columns, axis=1), axis=1)

    def __iter__(self):
        batches = self._epoch_batches(self._next_rng())[self.rank :: self.num_replicas]
        for batch in batches:
            yield batch.tolist()
