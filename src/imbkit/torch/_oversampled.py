"""Augmentation as over-sampling: a map-style dataset that adds fresh minority items.

An epoch lists every original item once and, for each class, as many added
items as ``sampling_strategy`` asks for. An added item is a source item of its
class passed through ``transform``; sources cycle through a random
permutation of the class (as the samplers do), so they are spread evenly.
Everything about an epoch (which items, in which order, and the augmented
values) is a function of ``(random_state, epoch, position)`` only, so an epoch
replays exactly, whatever the number of DataLoader workers, and every rank of
a distributed job computes the same epoch and keeps its own share.
"""

from __future__ import annotations

import operator
import random
from numbers import Number

import numpy as np
import torch
from torch.utils.data import Dataset, IterableDataset

from ..exceptions import AugmentationError, InvalidInputError, LengthMismatchError
from ..utils._validation import check_sampling_strategy
from ._samplers import (
    _check_positive_int,
    _cycled_positions,
    _group_by_class,
    _labels_array,
    _resolve_replicas,
    _resolve_seed,
)

__all__ = ["OversampledDataset"]


def _check_callable(value, name, *, allow_none=False):
    if value is None and allow_none:
        return None
    if not callable(value):
        raise InvalidInputError(
            f"{name} must be a callable taking one item and returning it transformed "
            f"(a function, a torchvision/albumentations pipeline, ...), got {value!r}."
        )
    return value


def _dataset_length(dataset):
    if isinstance(dataset, IterableDataset) or not hasattr(dataset, "__getitem__"):
        raise InvalidInputError(
            f"OversampledDataset wraps a map-style dataset (with __getitem__ and "
            f"__len__); got {type(dataset).__name__}."
        )
    try:
        return len(dataset)
    except TypeError as exc:
        raise InvalidInputError(
            f"{type(dataset).__name__} has no length: OversampledDataset needs "
            "len(dataset) to list every item of an epoch."
        ) from exc


def _find_labels(dataset, labels):
    """``labels``, else ``dataset.targets``, else ``dataset.labels``; never loads an item."""
    if labels is not None:
        return labels, "labels"
    for name in ("targets", "labels"):
        value = getattr(dataset, name, None)
        if value is not None and not callable(value):
            return value, f"dataset.{name}"
    raise InvalidInputError(
        f"{type(dataset).__name__} has no `targets` or `labels` attribute, so the "
        "class of each item is unknown: pass labels=, one class per item (e.g. from "
        "the annotation file), so that no item has to be loaded to find its class."
    )


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _item_seeds(seed, epoch, position):
    """A torch/Python seed (64 bits) and a NumPy seed (two 32-bit words)."""
    words = np.random.SeedSequence([seed, epoch, position]).generate_state(4)
    return int(words[0]) | int(words[1]) << 32, words[2:]


def _call_seeded(function, seed, numpy_seed):
    """``function()`` with torch's CPU, Python's and NumPy's global RNGs seeded.

    The three generators are put back as they were afterwards, so seeding an
    item never disturbs the caller's random streams.
    """
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    with torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(seed)
        random.seed(seed)
        np.random.seed(numpy_seed)
        try:
            return function()
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)


def _is_scalar(value):
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return value.ndim == 0
    return isinstance(value, (str, bytes, Number, np.generic))


def _split_item(item):
    """``(input, rebuild)``: the part to transform and how to put the item back together.

    A tuple (namedtuples included) is ``(input, *rest)``; so is a list, unless
    all its elements are scalars (a list of tokens, transformed whole).
    Anything else is transformed whole.
    """
    if isinstance(item, tuple) and item:
        rest = item[1:]
        if hasattr(item, "_make"):
            return item[0], lambda first: item._make((first, *rest))
        return item[0], lambda first: (first, *rest)
    if isinstance(item, list) and len(item) >= 2 and not all(map(_is_scalar, item)):
        rest = item[1:]
        return item[0], lambda first: [first, *rest]
    return item, lambda whole: whole


def _shape(value):
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return tuple(value.shape)
    return None


class OversampledDataset(Dataset):
    """A dataset whose epochs reach the class counts of ``sampling_strategy`` with augmentations.

    Each epoch holds every item of ``dataset`` exactly once (through
    ``base_transform`` if given) plus, for each class, the number of added
    items that ``sampling_strategy`` asks for. An added item is an item of its
    class passed through ``transform``, drawn anew every epoch: sources cycle
    through a random permutation of the class, so every item of a small class
    is used before any is used twice. The epoch is shuffled.

    Parameters
    ----------
    dataset : map-style torch Dataset
        Any object with ``__getitem__`` and ``__len__``.
    labels : array-like or Tensor of shape (len(dataset),), default=None
        The class of every item. None reads ``dataset.targets``, then
        ``dataset.labels``; items are never loaded to find their class.
    transform : callable
        Makes an added item from its source's input (see Notes): a function,
        a torchvision or albumentations pipeline, a text augmenter, or
        :class:`~imbkit.torch.Compose` of imbkit's augmentations.
    sampling_strategy : float, str, dict or callable, default="auto"
        Class counts per epoch, as for the over-samplers: ``"auto"`` (every
        class up to the majority count), a float (binary: minority count =
        ratio * majority count), a dict ``{class: count}``, a callable
        ``f(labels) -> dict``, or one of ``"minority"``, ``"not majority"``,
        ``"not minority"``, ``"all"``.
    base_transform : callable, default=None
        Applied to every item's input, original or added (``transform`` then
        works on its output), e.g. a conversion to a normalised tensor.
    random_state : int, default=None
        Seed of every epoch; required, and equal on all ranks, when
        ``num_replicas > 1``. None draws a seed once, at construction.
    num_replicas, rank : int, default=None
        Distributed shard; taken from ``torch.distributed`` when initialised,
        else one replica.
    check_shapes : bool, default=True
        Refuse an added item whose tensor/ndarray input changes shape in
        ``transform``, so that a batch does not fail later with an obscure
        error. Set False for items of varying shape (token sequences).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_counts_ : ndarray of shape (n_classes,), int64
        Items of each class in ``dataset``.
    target_counts_ : ndarray of shape (n_classes,), int64
        Items of each class in one epoch (all ranks together).
    sampling_strategy_ : dict
        Number of items added per class, as the over-samplers report it.
    epoch_size_ : int
        Items in one epoch over all ranks; ``len(self)`` is this rank's share.
    epoch : int
        The epoch served now; change it with :meth:`set_epoch`.

    Notes
    -----
    *Items.* When ``dataset[i]`` is a tuple (or a list not made of scalars
    only), its first element is the input: the transforms apply to it and the
    other elements (the label, ...) are kept. Any other item (a tensor, a
    list of tokens, a dict) goes through the transforms whole.

    *Epochs.* Call :meth:`set_epoch` before each epoch, on every rank, as for
    ``DistributedSampler``: the epoch does not advance by itself, since a
    dataset cannot tell when an epoch ends. Each DataLoader worker rebuilds the
    epoch from the dataset it was given, so use ``persistent_workers=False``
    (the default): a persistent worker keeps the epoch it started with.

    *Reproducibility.* Before the transforms of the item at each position,
    torch's CPU generator, Python's ``random`` and NumPy's global generator are
    seeded from ``(random_state, epoch, position)`` and restored afterwards, so
    third-party transforms drawing from any of them (torchvision,
    albumentations) give the same values for the same seed and epoch, whatever
    the number of workers. Transforms with their own generator (or drawing on
    a GPU) are not covered.

    *Shards.* With ``num_replicas > 1``, rank ``r`` serves positions ``r,
    r + num_replicas, ...`` of the shuffled epoch: shards are disjoint and
    together cover the epoch exactly, with no padding, so their lengths differ
    by at most one. Do not add a ``DistributedSampler`` on top; a plain
    DataLoader (shuffled or not) over this dataset is enough. When every rank
    must take the same number of steps, stop each rank after
    ``epoch_size_ // num_replicas`` items or use torch's ``Join`` context.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import TensorDataset
    >>> from imbkit.torch import OversampledDataset, RandomFlip
    >>> images = torch.rand(10, 1, 4, 4)
    >>> labels = torch.tensor([0] * 8 + [1] * 2)
    >>> data = OversampledDataset(TensorDataset(images, labels), labels,
    ...                           transform=RandomFlip(horizontal=1.0), random_state=0)
    >>> len(data), data.target_counts_.tolist()
    (16, [8, 8])
    >>> data.set_epoch(1)
    >>> sources, augmented = data.epoch_indices()
    >>> sorted(sources[augmented].tolist())
    [8, 8, 8, 9, 9, 9]
    >>> image, label = data[0]
    >>> image.shape, label.item() == labels[sources[0]].item()
    (torch.Size([1, 4, 4]), True)
    """

    def __init__(
        self,
        dataset,
        labels=None,
        *,
        transform,
        sampling_strategy="auto",
        base_transform=None,
        random_state=None,
        num_replicas=None,
        rank=None,
        check_shapes=True,
    ):
        self.dataset = dataset
        self.transform = _check_callable(transform, "transform")
        self.base_transform = _check_callable(base_transform, "base_transform", allow_none=True)
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        if not isinstance(check_shapes, bool):
            raise InvalidInputError(f"check_shapes must be True or False, got {check_shapes!r}.")
        self.check_shapes = check_shapes
        self._setup_labels(dataset, labels)
        self.num_replicas, self.rank = _resolve_replicas(num_replicas, rank)
        self._seed = _resolve_seed(random_state, self.num_replicas)
        self.epoch = 0
        self._cache = None

    def _setup_labels(self, dataset, labels):
        n_items = _dataset_length(dataset)
        labels, source = _find_labels(dataset, labels)
        y = _labels_array(labels)
        if y.shape[0] != n_items:
            raise LengthMismatchError(
                f"{source} holds {y.shape[0]} classes but the dataset has {n_items} items; "
                "give exactly one class per item, in the dataset's order."
            )
        self._labels = y
        self.classes_, self.class_counts_, self._order, self._offsets = _group_by_class(y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, "over-sampling"
        )
        position = {klass: i for i, klass in enumerate(self.classes_.tolist())}
        self._added = np.zeros(self.classes_.size, dtype=np.int64)
        for klass, n_added in self.sampling_strategy_.items():
            self._added[position[_plain(klass)]] = int(n_added)
        self.target_counts_ = self.class_counts_ + self._added
        self.epoch_size_ = int(self.target_counts_.sum())

    def set_epoch(self, epoch):
        """Serve epoch ``epoch`` from now on (call it on every rank, before each epoch)."""
        self.epoch = _check_positive_int(epoch, "epoch", minimum=0)

    def __len__(self):
        return len(range(self.rank, self.epoch_size_, self.num_replicas))

    def _epoch_plan(self, epoch):
        """Source index and added-item flag of every position of the whole epoch."""
        rng = np.random.default_rng([self._seed, epoch])
        n_items = self._labels.shape[0]
        parts = [np.arange(n_items, dtype=np.int64)]
        for c in np.flatnonzero(self._added):
            start, stop = self._offsets[c], self._offsets[c + 1]
            parts.append(self._order[start:stop][_cycled_positions(rng, stop - start, self._added[c])])
        sources = np.concatenate(parts)
        augmented = np.arange(sources.size) >= n_items
        order = rng.permutation(sources.size)
        return sources[order], augmented[order]

    def _shard(self, epoch):
        if self._cache is None or self._cache[0] != epoch:
            sources, augmented = self._epoch_plan(epoch)
            step = self.num_replicas
            self._cache = (epoch, sources[self.rank :: step], augmented[self.rank :: step])
        return self._cache[1], self._cache[2]

    def epoch_indices(self, epoch=None):
        """This rank's share of an epoch: what ``self[i]`` will be made from.

        Parameters
        ----------
        epoch : int, default=None
            The epoch to describe; None for the current one (``self.epoch``).

        Returns
        -------
        sources : ndarray of shape (len(self),), int64
            ``self[i]`` is made from ``dataset[sources[i]]``.
        augmented : ndarray of shape (len(self),), bool
            Whether ``self[i]`` is an added item (passed through ``transform``).

        Examples
        --------
        >>> from imbkit.torch import OversampledDataset
        >>> data = OversampledDataset(list(range(5)), [0, 0, 0, 1, 1],
        ...                           transform=lambda x: x + 100, random_state=0)
        >>> sources, augmented = data.epoch_indices()
        >>> sorted(sources.tolist()), int(augmented.sum())
        ([0, 1, 2, 3, 4, 4], 1)
        """
        epoch = self.epoch if epoch is None else _check_positive_int(epoch, "epoch", minimum=0)
        sources, augmented = self._shard(epoch)
        return sources.copy(), augmented.copy()

    def __getitem__(self, index):
        try:
            index = operator.index(index)
        except TypeError as exc:
            raise InvalidInputError(
                f"OversampledDataset takes one integer index, got {type(index).__name__}."
            ) from exc
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range for a shard of {size} items.")
        index %= size
        epoch = self.epoch
        sources, augmented = self._shard(epoch)
        source, is_added = int(sources[index]), bool(augmented[index])
        seeds = _item_seeds(self._seed, epoch, self.rank + index * self.num_replicas)
        # The item is loaded under the seeds too: a dataset with its own random
        # transforms is then reproducible as well.
        return _call_seeded(lambda: self._build(source, is_added, epoch), *seeds)

    def _build(self, source, is_added, epoch):
        """The item at one position: ``base_transform``, then ``transform`` if added."""
        item = self.dataset[source]
        value, rebuild = _split_item(item)
        if self.base_transform is None and not is_added:
            return item
        if self.base_transform is not None:
            value = self._apply(self.base_transform, "base_transform", value, source, epoch)
        if is_added:
            before = _shape(value)
            value = self._apply(self.transform, "transform", value, source, epoch)
            after = _shape(value)
            if self.check_shapes and before is not None and after is not None and before != after:
                raise AugmentationError(
                    f"transform changed the shape of dataset item {source} "
                    f"({self._describe(source, epoch)}) from {before} to {after}; items of "
                    "one batch need one shape. Keep the shape (crop/pad back) or pass "
                    "check_shapes=False if items legitimately vary (e.g. token sequences)."
                )
        return rebuild(value)

    def _describe(self, source, epoch):
        return f"class {_plain(self._labels[source])!r}, epoch {epoch}"

    def _apply(self, function, name, value, source, epoch):
        try:
            return function(value)
        except Exception as exc:
            raise AugmentationError(
                f"{name} failed on dataset item {source} ({self._describe(source, epoch)}): "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = None  # workers rebuild the epoch; no need to pickle it
        return state

    def __repr__(self):
        return (
            f"{type(self).__name__}({type(self.dataset).__name__} of "
            f"{self._labels.shape[0]} items, epoch of {self.epoch_size_}, "
            f"transform={self.transform!r})"
        )
