"""BalancedBatchSampler and ClassAwareSampler: counts, epochs, shards, scale."""

import time
import tracemalloc

import numpy as np
import pytest

pytest.importorskip("torch.nn")  # torch.nn: a stray tests/torch folder is not PyTorch

import torch
from torch.utils.data import DataLoader, TensorDataset

from imbkit.exceptions import InvalidInputError, TargetError
from imbkit.torch import BalancedBatchSampler, ClassAwareSampler

LABELS = np.array([0] * 200 + [1] * 30 + [2] * 3)


def test_balanced_batch_sampler_exact_counts_per_batch():
    sampler = BalancedBatchSampler(LABELS, samples_per_class=3, random_state=0)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 26  # ceil(233 / 9)
    assert sampler.batch_size_ == 9
    for batch in batches:
        assert np.bincount(LABELS[batch], minlength=3).tolist() == [3, 3, 3]
        assert all(isinstance(i, int) for i in batch)


def test_balanced_batch_sampler_at_least_one_of_each_class():
    sampler = BalancedBatchSampler(LABELS, batch_size=16, n_batches=40, random_state=1)
    batches = list(sampler)
    assert len(batches) == 40
    for batch in batches:
        counts = np.bincount(LABELS[batch], minlength=3)
        assert len(batch) == 16 and counts.min() >= 1
    # The free places follow the data: class 0 fills most of them.
    total = np.bincount(LABELS[np.concatenate(batches)], minlength=3)
    assert total[0] > 400


def test_balanced_batch_sampler_visits_majority_without_repeats():
    sampler = BalancedBatchSampler(LABELS, samples_per_class=5, n_batches=40, random_state=2)
    majority = [i for batch in sampler for i in batch if LABELS[i] == 0]
    assert len(majority) == 200 and len(set(majority)) == 200


def test_balanced_batch_sampler_works_as_dataloader_batch_sampler():
    data = TensorDataset(torch.arange(len(LABELS)), torch.as_tensor(LABELS))
    sampler = BalancedBatchSampler(torch.as_tensor(LABELS), samples_per_class=2, random_state=0)
    for _, y in DataLoader(data, batch_sampler=sampler):
        assert torch.bincount(y, minlength=3).tolist() == [2, 2, 2]


def test_samplers_replay_an_epoch_and_advance_by_themselves():
    for sampler in (
        BalancedBatchSampler(LABELS, samples_per_class=2, random_state=5),
        ClassAwareSampler(LABELS, random_state=5),
    ):
        sampler.set_epoch(3)
        first = list(sampler)
        assert sampler.epoch == 4
        second = list(sampler)
        sampler.set_epoch(3)
        assert list(sampler) == first and second != first


@pytest.mark.parametrize("num_replicas", [2, 3])
def test_class_aware_sampler_shards_are_disjoint_and_cover_the_epoch(num_replicas):
    labels = np.repeat([0, 1, 2], [400, 300, 200])
    kwargs = {"num_samples": 301, "random_state": 7}
    shards = [
        list(ClassAwareSampler(labels, num_replicas=num_replicas, rank=r, **kwargs))
        for r in range(num_replicas)
    ]
    per_replica = -(-301 // num_replicas)
    assert [len(s) for s in shards] == [per_replica] * num_replicas
    # Few draws per class: no index repeats, so the shards are disjoint as sets too.
    flat = [i for s in shards for i in s]
    assert len(set(flat)) == len(flat)
    whole = ClassAwareSampler(labels, num_samples=per_replica * num_replicas, random_state=7)
    interleaved = np.array(shards).T.ravel().tolist()
    assert interleaved == list(whole)


def test_balanced_batch_sampler_shards_whole_batches_across_ranks():
    kwargs = {"samples_per_class": 2, "n_batches": 7, "random_state": 3}
    shards = [list(BalancedBatchSampler(LABELS, num_replicas=2, rank=r, **kwargs)) for r in (0, 1)]
    assert [len(s) for s in shards] == [4, 4]
    whole = list(BalancedBatchSampler(LABELS, samples_per_class=2, n_batches=8, random_state=3))
    assert [b for pair in zip(*shards) for b in pair] == whole
    majority = [i for s in shards for b in s for i in b if LABELS[i] == 0]
    assert len(set(majority)) == len(majority) == 16


def test_class_aware_sampler_probabilities_per_weighting():
    labels = np.repeat([0, 1], [900, 100])
    probs = {
        w: ClassAwareSampler(labels, weighting=w, random_state=0).class_probabilities_
        for w in ("uniform", "inverse", "sqrt")
    }
    np.testing.assert_allclose(probs["uniform"], [0.5, 0.5])
    np.testing.assert_allclose(probs["inverse"], [0.1, 0.9])
    np.testing.assert_allclose(probs["sqrt"], [0.25, 0.75])
    eff = ClassAwareSampler(labels, weighting="effective_number", beta=0.99, random_state=0)
    w = (1 - 0.99) / (1 - 0.99 ** np.array([900.0, 100.0]))
    np.testing.assert_allclose(eff.class_probabilities_, w / w.sum())
    custom = ClassAwareSampler(labels, weighting=np.sqrt([900, 100]), random_state=0)
    np.testing.assert_allclose(custom.class_probabilities_, [0.75, 0.25])


def test_class_aware_sampler_draw_frequencies_and_even_cycling():
    labels = np.repeat([0, 1], [900, 10])
    sampler = ClassAwareSampler(labels, num_samples=4000, random_state=0)
    drawn = np.array(list(sampler))
    minority = drawn[labels[drawn] == 1]
    assert abs(minority.size - 2000) < 150
    # Within a class, permutations are used up before any sample repeats.
    per_sample = np.bincount(minority, minlength=910)[900:]
    assert per_sample.max() - per_sample.min() <= 1


def test_samplers_accept_string_torch_and_sparse_integer_labels():
    strings = ClassAwareSampler(np.array(["b", "a", "b", "c"]), random_state=0)
    assert strings.classes_.tolist() == ["a", "b", "c"]
    assert strings.class_counts_.tolist() == [1, 2, 1]
    sparse = BalancedBatchSampler(torch.tensor([5, 100, 5, 7]), batch_size=3, random_state=0)
    assert sparse.classes_.tolist() == [5, 7, 100]
    assert sparse.class_counts_.dtype == np.int64
    for batch in sparse:
        assert sorted(set(np.array([5, 100, 5, 7])[batch])) == [5, 7, 100]


@pytest.mark.parametrize(
    ("make", "error", "fragment"),
    [
        (lambda: BalancedBatchSampler(LABELS), InvalidInputError, "Give exactly one of"),
        (
            lambda: BalancedBatchSampler(LABELS, samples_per_class=1, batch_size=3),
            InvalidInputError,
            "Give exactly one of",
        ),
        (
            lambda: BalancedBatchSampler(LABELS, batch_size=2),
            InvalidInputError,
            "batch_size=2 cannot hold one sample of each of the 3 classes",
        ),
        (
            lambda: ClassAwareSampler(LABELS, num_replicas=2, rank=0),
            InvalidInputError,
            "pass the same integer random_state on every rank",
        ),
        (
            lambda: ClassAwareSampler(LABELS, num_replicas=2, rank=2, random_state=0),
            InvalidInputError,
            r"rank must be in \[0, num_replicas - 1\] = \[0, 1\], got 2",
        ),
        (
            lambda: ClassAwareSampler(LABELS, weighting="balanced"),
            InvalidInputError,
            "weighting must be one of",
        ),
        (
            lambda: ClassAwareSampler(LABELS, weighting=[1.0, 2.0]),
            InvalidInputError,
            r"give one weight per class \(3, in the order of classes_\)",
        ),
        (
            lambda: ClassAwareSampler(LABELS, random_state=np.random.default_rng(0)),
            InvalidInputError,
            "random_state must be None or an integer >= 0",
        ),
        (lambda: ClassAwareSampler(np.zeros((3, 2))), TargetError, "non-empty 1-D sequence"),
        (lambda: ClassAwareSampler([0.0, np.nan]), TargetError, "NaN or infinity"),
        (
            lambda: ClassAwareSampler(LABELS, num_samples=0),
            InvalidInputError,
            "num_samples must be an integer >= 1, got 0",
        ),
    ],
)
def test_samplers_reject_bad_options(make, error, fragment):
    with pytest.raises(error, match=fragment):
        make()


def _scale_check(n):
    labels = np.zeros(n, dtype=np.int64)
    labels[::1000] = 1
    labels[:7] = 2
    tracemalloc.start()
    start = time.perf_counter()
    sampler = ClassAwareSampler(labels, num_samples=100_000, random_state=0)
    drawn = np.fromiter(sampler, dtype=np.int64, count=len(sampler))
    batches = BalancedBatchSampler(labels, samples_per_class=4, n_batches=50, random_state=0)
    first = next(iter(batches))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sampler.class_counts_.tolist() == [n - n // 1000 - 6, n // 1000 - 1, 7]
    assert sampler._order.dtype == np.int64
    assert drawn.min() >= 0 and drawn.max() < n
    assert np.bincount(labels[first], minlength=3).tolist() == [4, 4, 4]
    # Two int64 index arrays (the samplers' class groupings) and small change;
    # per-sample float64 weights on top would need another 8 bytes a sample.
    assert peak < 2 * 8 * n + 4 * n
    return elapsed


def test_samplers_scale_without_per_sample_weights():
    assert _scale_check(3_000_000) < 10


@pytest.mark.slow
def test_samplers_handle_30_million_labels():
    assert _scale_check(30_000_000) < 60
