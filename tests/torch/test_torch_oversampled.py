"""OversampledDataset: epoch counts, originals, augmentation, seeding, shards, errors."""

import random
import re
import time
from collections import Counter, namedtuple

import numpy as np
import pytest

pytest.importorskip("torch.nn")  # torch.nn: a stray tests/torch folder is not PyTorch

import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset

from imbkit.exceptions import (
    AugmentationError,
    InvalidInputError,
    LengthMismatchError,
    SamplingStrategyError,
    TargetError,
)
from imbkit.torch import OversampledDataset, RandomDeletion, RandomFlip

LABELS = np.array([0] * 12 + [1] * 5 + [2] * 3)
# Distinct, left-right asymmetric images: a horizontal flip changes every one.
IMAGES = torch.arange(len(LABELS) * 12, dtype=torch.float32).reshape(len(LABELS), 1, 3, 4)


class CountingDataset(Dataset):
    """Items ``(image, label)``; counts ``__getitem__`` calls; labels in ``targets``."""

    def __init__(self, attribute="targets"):
        setattr(self, attribute, torch.as_tensor(LABELS))
        self.calls = 0

    def __len__(self):
        return len(LABELS)

    def __getitem__(self, index):
        self.calls += 1
        return IMAGES[index], int(LABELS[index])


def noisy(x):
    """A transform drawing from torch's, Python's and NumPy's global generators."""
    return x + torch.rand(x.shape) + random.random() + float(np.random.rand())


def make(labels=LABELS, **kwargs):
    kwargs.setdefault("transform", RandomFlip(horizontal=1.0))
    kwargs.setdefault("random_state", 0)
    dataset = TensorDataset(IMAGES, torch.as_tensor(LABELS))  # labels may differ: tests
    return OversampledDataset(dataset, labels, **kwargs)


def epoch_counts(data, labels=LABELS):
    sources, _ = data.epoch_indices()
    return np.bincount(labels[sources], minlength=3).tolist()


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("auto", [12, 12, 12]),
        ("minority", [12, 5, 12]),
        ("not majority", [12, 12, 12]),
        ({1: 7, 2: 9}, [12, 7, 9]),
        ({0: 30, 1: 5, 2: 4}, [30, 5, 4]),
        (lambda y: {2: int((y == 0).sum()) // 2}, [12, 5, 6]),
    ],
    ids=["auto", "minority", "not-majority", "dict", "dict-all", "callable"],
)
def test_oversampled_dataset_epoch_counts_match_the_strategy(strategy, expected):
    data = make(sampling_strategy=strategy)
    assert data.target_counts_.tolist() == expected
    assert data.class_counts_.tolist() == [12, 5, 3]
    assert len(data) == data.epoch_size_ == sum(expected)
    for epoch in range(3):
        data.set_epoch(epoch)
        assert epoch_counts(data) == expected


def test_oversampled_dataset_float_strategy_on_a_binary_target():
    labels = np.array([0] * 15 + [1] * 5)
    data = make(labels, sampling_strategy=0.6)
    assert data.target_counts_.tolist() == [15, 9]  # int(15 * 0.6) minority items
    assert dict(data.sampling_strategy_) == {1: 4}
    sources, augmented = data.epoch_indices()
    assert np.bincount(labels[sources]).tolist() == [15, 9]
    assert np.bincount(labels[sources[augmented]], minlength=2).tolist() == [0, 4]


def test_oversampled_dataset_string_classes():
    labels = np.array(["cat"] * 6 + ["dog"] * 2 + ["eel"] * 12)
    data = make(labels, sampling_strategy={"dog": 5, "cat": 8})
    assert data.classes_.tolist() == ["cat", "dog", "eel"]
    assert data.target_counts_.tolist() == [8, 5, 12]
    sources, _ = data.epoch_indices()
    assert Counter(labels[sources].tolist()) == {"cat": 8, "dog": 5, "eel": 12}


def test_oversampled_dataset_originals_appear_exactly_once_per_epoch():
    data = make()
    for epoch in range(4):
        sources, augmented = data.epoch_indices(epoch)
        assert sorted(sources[~augmented].tolist()) == list(range(len(LABELS)))
        assert augmented.sum() == 36 - 20


def test_oversampled_dataset_spreads_added_items_evenly_over_sources():
    data = make(sampling_strategy={2: 3 + 10})  # 10 added from 3 sources
    for epoch in range(3):
        sources, augmented = data.epoch_indices(epoch)
        uses = Counter(sources[augmented].tolist())
        assert set(uses) == {17, 18, 19} and sorted(uses.values()) in ([3, 3, 4], [3, 4, 3])


def test_oversampled_dataset_shuffles_and_redraws_each_epoch():
    data = make()
    first, _ = data.epoch_indices(0)
    second, _ = data.epoch_indices(1)
    assert first.tolist() != second.tolist()
    assert first[:20].tolist() != list(range(20))  # shuffled, originals not first


def test_oversampled_dataset_added_items_are_transformed_originals_are_not():
    data = make()
    for epoch in (0, 1):
        data.set_epoch(epoch)
        sources, augmented = data.epoch_indices()
        for i in range(len(data)):
            image, label = data[i]
            source = IMAGES[sources[i]]
            assert label.item() == LABELS[sources[i]]
            if augmented[i]:
                assert torch.equal(image, source.flip(-1))
            else:
                assert torch.equal(image, source)


def test_oversampled_dataset_base_transform_applies_to_every_item_before_transform():
    data = make(base_transform=lambda x: x * 2, transform=lambda x: x + 1)
    sources, augmented = data.epoch_indices()
    for i in range(len(data)):
        expected = IMAGES[sources[i]] * 2 + (1 if augmented[i] else 0)
        assert torch.equal(data[i][0], expected)


def test_oversampled_dataset_same_seed_and_epoch_replays_values():
    one, two = make(transform=noisy, random_state=4), make(transform=noisy, random_state=4)
    for data in (one, two):
        data.set_epoch(2)
    assert all(torch.equal(one[i][0], two[i][0]) for i in range(len(one)))
    assert one.epoch_indices()[0].tolist() == two.epoch_indices()[0].tolist()
    replay = [one[i][0] for i in range(len(one))]
    assert all(torch.equal(one[i][0], replay[i]) for i in range(len(one)))
    two.set_epoch(3)
    added_one = torch.stack([one[i][0] for i in np.flatnonzero(one.epoch_indices()[1])])
    added_two = torch.stack([two[i][0] for i in np.flatnonzero(two.epoch_indices()[1])])
    assert not torch.equal(added_one, added_two)
    other_seed = make(transform=noisy, random_state=5)
    other_seed.set_epoch(2)
    assert other_seed.epoch_indices()[0].tolist() != one.epoch_indices()[0].tolist()


def test_oversampled_dataset_restores_the_global_generators():
    data = make(transform=noisy)
    torch.manual_seed(11)
    random.seed(11)
    np.random.seed(11)
    expected = (torch.rand(3), random.random(), np.random.rand())
    torch.manual_seed(11)
    random.seed(11)
    np.random.seed(11)
    for i in range(len(data)):
        data[i]
    got = (torch.rand(3), random.random(), np.random.rand())
    assert torch.equal(got[0], expected[0]) and got[1:] == expected[1:]


@pytest.mark.parametrize("num_replicas", [2, 3, 7])
def test_oversampled_dataset_shards_are_disjoint_and_cover_the_epoch(num_replicas):
    whole = make(transform=noisy, random_state=3)
    whole.set_epoch(1)
    sources, augmented = whole.epoch_indices()
    shards = []
    for rank in range(num_replicas):
        part = make(transform=noisy, random_state=3, num_replicas=num_replicas, rank=rank)
        part.set_epoch(1)
        shard_sources, shard_augmented = part.epoch_indices()
        assert len(part) == len(range(rank, 36, num_replicas))
        # Position p of the epoch belongs to rank p % num_replicas only.
        assert shard_sources.tolist() == sources[rank::num_replicas].tolist()
        assert shard_augmented.tolist() == augmented[rank::num_replicas].tolist()
        for i in (0, len(part) - 1):  # a shard serves the very same items
            assert torch.equal(part[i][0], whole[rank + i * num_replicas][0])
        shards.append(shard_sources)
    assert sum(len(s) for s in shards) == 36  # no padding
    assert Counter(np.concatenate(shards).tolist()) == Counter(sources.tolist())


def test_oversampled_dataset_labels_from_an_attribute_never_load_an_item():
    for attribute in ("targets", "labels"):
        dataset = CountingDataset(attribute)
        data = OversampledDataset(dataset, transform=RandomFlip(1.0), random_state=0)
        data.set_epoch(5)
        data.epoch_indices()
        assert len(data) == 36 and data.target_counts_.tolist() == [12, 12, 12]
        assert dataset.calls == 0
        data[0]
        assert dataset.calls == 1


def _loader_values(num_workers):
    data = make(transform=noisy, random_state=8)
    data.set_epoch(3)
    loader = DataLoader(data, batch_size=6, num_workers=num_workers)
    return torch.cat([images for images, _ in loader])


def test_oversampled_dataset_values_do_not_depend_on_num_workers():
    start = time.perf_counter()
    single, multi = _loader_values(0), _loader_values(2)
    assert single.shape == (36, 1, 3, 4) and torch.equal(single, multi)
    assert time.perf_counter() - start < 10


def test_oversampled_dataset_transforms_only_the_input_of_a_tuple():
    Item = namedtuple("Item", "image label name")

    class Named(Dataset):
        targets = LABELS

        def __len__(self):
            return len(LABELS)

        def __getitem__(self, i):
            return Item(IMAGES[i], int(LABELS[i]), f"item{i}")

    data = OversampledDataset(Named(), transform=lambda x: x - 1000, random_state=0)
    sources, augmented = data.epoch_indices()
    i = int(np.flatnonzero(augmented)[0])
    item = data[i]
    assert isinstance(item, Item) and item.name == f"item{sources[i]}"
    assert torch.equal(item.image, IMAGES[sources[i]] - 1000)
    listed = OversampledDataset([[IMAGES[k], "x"] for k in range(20)], LABELS,
                                transform=lambda x: x * 0, random_state=0)
    assert listed[i][1] == "x" and listed[i][0].abs().sum() == 0


def test_oversampled_dataset_transforms_a_list_of_tokens_whole():
    sentences = [[f"w{k}", f"v{k}", f"u{k}"] for k in range(20)]
    data = OversampledDataset(sentences, LABELS, transform=RandomDeletion(p=1.0),
                              random_state=0)
    sources, augmented = data.epoch_indices()
    for i in range(len(data)):
        item = data[i]
        if augmented[i]:
            assert len(item) == 1 and item[0] in sentences[sources[i]]
        else:
            assert item == sentences[sources[i]]


def test_oversampled_dataset_wraps_a_failing_transform():
    def fragile(x):
        raise KeyError("no such channel")

    data = make(transform=fragile)
    data.set_epoch(3)
    sources, augmented = data.epoch_indices()
    i = int(np.flatnonzero(augmented)[0])
    source = int(sources[i])
    message = (
        f"transform failed on dataset item {source} (class {LABELS[source]}, epoch 3): "
        "KeyError: 'no such channel'"
    )
    with pytest.raises(AugmentationError, match=re.escape(message)) as info:
        data[i]
    assert isinstance(info.value.__cause__, KeyError)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, ValueError)
    broken_base = make(base_transform=lambda x: x.reshape(5))
    with pytest.raises(AugmentationError, match="base_transform failed on dataset item"):
        broken_base[0]


def test_oversampled_dataset_refuses_a_transform_that_changes_the_shape():
    data = make(transform=lambda x: x[:, :2, :2])
    sources, augmented = data.epoch_indices()
    i = int(np.flatnonzero(augmented)[0])
    fragment = (
        f"transform changed the shape of dataset item {sources[i]} (class "
        f"{LABELS[sources[i]]}, epoch 0) from (1, 3, 4) to (1, 2, 2)"
    )
    with pytest.raises(AugmentationError, match=re.escape(fragment)):
        data[i]
    lenient = make(transform=lambda x: x[:, :2, :2], check_shapes=False)
    assert lenient[i][0].shape == (1, 2, 2)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"labels": LABELS[:-1]}, LengthMismatchError,
         "labels holds 19 classes but the dataset has 20 items"),
        ({"sampling_strategy": {5: 30}}, SamplingStrategyError,
         "names the class(es) [5] which are not present in y"),
        ({"sampling_strategy": {1: 2}}, SamplingStrategyError, "cannot shrink class 1"),
        ({"transform": "flip"}, InvalidInputError, "transform must be a callable"),
        ({"base_transform": 3}, InvalidInputError, "base_transform must be a callable"),
        ({"labels": np.zeros(20)}, TargetError, "at least 2 classes"),
        ({"labels": np.zeros((20, 2))}, TargetError, "non-empty 1-D sequence"),
        ({"check_shapes": "yes"}, InvalidInputError, "check_shapes must be True or False"),
        ({"random_state": None, "num_replicas": 2, "rank": 0}, InvalidInputError,
         "pass the same integer random_state on every rank"),
        ({"num_replicas": 2, "rank": 2}, InvalidInputError, "rank must be in [0, num_replicas - 1] = [0, 1], got 2."),
    ],
)
def test_oversampled_dataset_refuses_bad_input(kwargs, error, fragment):
    kwargs = {"labels": LABELS, **kwargs}
    labels = kwargs.pop("labels")
    with pytest.raises(error, match=re.escape(fragment)):
        make(labels, **kwargs)


def test_oversampled_dataset_refuses_datasets_it_cannot_index():
    class Stream(IterableDataset):
        def __iter__(self):
            yield from range(3)

    with pytest.raises(InvalidInputError, match="wraps a map-style dataset"):
        OversampledDataset(Stream(), [0, 1, 1], transform=abs)
    with pytest.raises(InvalidInputError, match="pass labels=, one class per item"):
        OversampledDataset(TensorDataset(IMAGES), transform=abs)
    data = make()
    with pytest.raises(IndexError, match="index 36 is out of range for a shard of 36 items"):
        data[36]
    with pytest.raises(InvalidInputError, match="takes one integer index, got str"):
        data["0"]
    with pytest.raises(InvalidInputError, match="epoch must be an integer >= 0"):
        data.set_epoch(-1)
    assert torch.equal(data[-1][0], data[35][0])


def test_digits_example_runs_and_reports_every_arm():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "digits_augmentation.py"
    spec = importlib.util.spec_from_file_location("digits_augmentation_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    threads = torch.get_num_threads()
    try:
        result = module.main(["--seeds", "1", "--epochs", "1"])
    finally:
        torch.set_num_threads(threads)
    assert result["arms"] == ["plain", "weighted sampling", "augmentation + focal"]
    steps = result["optimizer_steps"]
    assert steps["plain"] == steps["weighted sampling"] == [20]  # ceil(1235 / 64)
    assert steps["augmentation + focal"] == [22]  # ceil(1360 / 64): 10 digits x 136
    for arm in result["arms"]:
        scores = result["per_seed"][arm][0]
        # 46 threes among 450 test images: a random ranking scores about 0.10.
        assert 0.10 < scores["minority_pr_auc"] <= 1.0 and 0.0 <= scores["minority_recall"] <= 1
