"""Dependency-free augmentations: exact outputs, dtypes, no mutation, seeding."""

import re

import numpy as np
import pytest

pytest.importorskip("torch.nn")  # torch.nn: a stray tests/torch folder is not PyTorch

import torch
import torch.nn.functional as F

from imbkit.exceptions import InvalidInputError, LengthMismatchError, TargetError
from imbkit.torch import (
    BrightnessContrastJitter,
    Compose,
    GaussianNoise,
    RandomCropPad,
    RandomDeletion,
    RandomFlip,
    RandomInsertion,
    RandomSwap,
    smoothed_bootstrap_scale,
)

TOKEN_OPS = (RandomDeletion, RandomSwap, RandomInsertion)
IMAGE = torch.arange(2 * 5 * 6, dtype=torch.float32).reshape(2, 5, 6) / 10


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _image_augmentations():
    return [
        RandomFlip(horizontal=1.0, vertical=1.0),
        RandomCropPad(padding=2),
        BrightnessContrastJitter(0.3, 0.3),
    ]


def _token_augmentations():
    return [RandomDeletion(p=1.0), RandomSwap(n_swaps=1), RandomInsertion(n_insertions=2)]


@pytest.mark.parametrize("augment", _image_augmentations(), ids=repr)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.uint8])
def test_image_augmentations_keep_shape_dtype_and_input(augment, dtype):
    image = (IMAGE * 10).to(dtype)
    before = image.clone()
    torch.manual_seed(0)
    out = augment(image)
    assert out.shape == image.shape and out.dtype == dtype
    assert torch.equal(image, before)


@pytest.mark.parametrize("augment", _image_augmentations(), ids=repr)
def test_image_augmentations_take_numpy_and_hand_back_numpy(augment):
    image = IMAGE.numpy().copy()
    image.flags.writeable = False
    torch.manual_seed(0)
    out = augment(image)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32 and out.shape == (2, 5, 6)
    assert np.array_equal(image, IMAGE.numpy())


@pytest.mark.parametrize("augment", _image_augmentations() + _token_augmentations(), ids=repr)
def test_augmentations_are_reproducible_under_a_seed_and_change_the_input(augment):
    item = torch.arange(10) if isinstance(augment, TOKEN_OPS) else IMAGE
    outputs = []
    for seed in (3, 3, 4):
        torch.manual_seed(seed)
        outputs.append(augment(item))
    assert torch.equal(outputs[0], outputs[1])
    # Draws that change the input: every one of 20 seeds (p=1, padding 2 hits
    # the zero shift with probability 1/25, so compare over seeds for the crop).
    changed = []
    for seed in range(20):
        torch.manual_seed(seed)
        out = augment(item)
        changed.append(out.shape != item.shape or not torch.equal(out, item))
    assert sum(changed) >= (18 if isinstance(augment, RandomCropPad) else 20)


@pytest.mark.parametrize(
    "augment",
    [RandomFlip(), RandomCropPad(1), BrightnessContrastJitter(), RandomDeletion(0.5),
     RandomSwap(2), RandomInsertion(2), GaussianNoise(1.0)],
    ids=repr,
)
def test_augmentations_draw_from_the_given_generator(augment):
    item = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    if isinstance(augment, TOKEN_OPS):
        item = item.flatten()
    augment.generator = _gen(5)
    first = augment(item)
    augment.generator = _gen(5)
    torch.manual_seed(0)
    second = augment(item)
    torch.manual_seed(1)  # the global generator plays no part
    augment.generator = _gen(5)
    assert torch.equal(first, second) and torch.equal(augment(item), first)


def test_random_flip_reverses_the_chosen_axes():
    image = torch.tensor([[1, 2, 3], [4, 5, 6]])
    assert RandomFlip(horizontal=1.0)(image).tolist() == [[3, 2, 1], [6, 5, 4]]
    assert RandomFlip(horizontal=0.0, vertical=1.0)(image).tolist() == [[4, 5, 6], [1, 2, 3]]
    both = RandomFlip(horizontal=1.0, vertical=1.0)(image[None])
    assert both.tolist() == [[[6, 5, 4], [3, 2, 1]]]
    unchanged = RandomFlip(horizontal=0.0)(image)
    assert torch.equal(unchanged, image) and unchanged.data_ptr() != image.data_ptr()


def test_random_flip_flips_about_as_often_as_asked():
    flip = RandomFlip(horizontal=0.3, generator=_gen(0))
    image = torch.tensor([[0, 1]])
    flipped = sum(flip(image)[0, 0].item() == 1 for _ in range(2000))
    assert 520 <= flipped <= 680  # 600 expected, sd ~ 20


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("padding", [1, 3, 7])
def test_random_crop_pad_equals_pad_then_crop(seed, padding):
    dy, dx = torch.randint(-padding, padding + 1, (2,), generator=_gen(seed)).tolist()
    padded = F.pad(IMAGE, (padding,) * 4, value=-1.0)
    top, left = padding + dy, padding + dx
    expected = padded[:, top : top + 5, left : left + 6]
    out = RandomCropPad(padding, fill=-1.0, generator=_gen(seed))(IMAGE)
    assert torch.equal(out, expected)


def test_random_crop_pad_zero_padding_is_the_identity():
    out = RandomCropPad(0)(IMAGE)
    assert torch.equal(out, IMAGE) and out.data_ptr() != IMAGE.data_ptr()


def test_brightness_contrast_jitter_follows_its_formula():
    u = torch.rand(2, generator=_gen(9), dtype=torch.float64)
    c, b = 1 + 0.2 * (2 * u[0].item() - 1), 1 + 0.4 * (2 * u[1].item() - 1)
    x = IMAGE.double()
    expected = b * (x.mean() + c * (x - x.mean()))
    out = BrightnessContrastJitter(0.4, 0.2, generator=_gen(9))(x)
    assert torch.allclose(out, expected, rtol=0, atol=1e-12)
    clamped = BrightnessContrastJitter(0.4, 0.2, clamp=(0.5, 5.0), generator=_gen(9))(x)
    assert torch.allclose(clamped, expected.clamp(0.5, 5.0), rtol=0, atol=1e-12)


def test_brightness_contrast_jitter_rounds_and_clips_integer_images():
    image = torch.tensor([[0, 100, 250, 255]], dtype=torch.uint8)
    jitter = BrightnessContrastJitter(1.0, 0.0, generator=_gen(1))
    u = torch.rand(2, generator=_gen(1), dtype=torch.float64)
    b = 1 + (2 * u[1].item() - 1)
    expected = (image.double() * b).round().clamp(0, 255).to(torch.uint8)
    assert torch.equal(jitter(image), expected)
    assert torch.equal(BrightnessContrastJitter(0.0, 0.0)(image), image)


def test_random_deletion_keeps_an_ordered_subsequence_and_at_least_one_token():
    tokens = ["a", "b", "c", "d", "e", "f"]
    torch.manual_seed(0)
    for _ in range(50):
        out = RandomDeletion(p=0.5)(tokens)
        assert isinstance(out, list) and 1 <= len(out) <= 6
        assert out == [t for t in tokens if t in out]
    one = RandomDeletion(p=1.0)(torch.tensor([7, 8, 9], dtype=torch.int32))
    assert one.dtype == torch.int32 and one.shape == (1,) and one.item() in (7, 8, 9)
    assert RandomDeletion(p=0.0)(tokens) == tokens
    assert RandomDeletion(p=1.0)([]) == []


def test_random_swap_moves_exactly_two_tokens():
    tokens = list("abcdefgh")
    torch.manual_seed(0)
    for _ in range(30):
        out = RandomSwap(n_swaps=1)(tokens)
        assert sorted(out) == tokens and sum(a != b for a, b in zip(out, tokens)) == 2
    assert RandomSwap(n_swaps=3)(["x"]) == ["x"]
    array = np.array([1, 2, 3])
    out = RandomSwap()(array)
    assert isinstance(out, np.ndarray) and sorted(out.tolist()) == [1, 2, 3]
    assert array.tolist() == [1, 2, 3]


def test_random_insertion_adds_tokens_from_the_sequence_itself():
    tokens = torch.tensor([4, 5, 6])
    torch.manual_seed(0)
    for _ in range(30):
        out = RandomInsertion(n_insertions=3)(tokens)
        assert out.dtype == tokens.dtype and out.shape == (6,)
        assert set(out.tolist()) <= {4, 5, 6}
        # The original tokens are still there, in their order.
        rest = out.tolist()
        for t in tokens.tolist():
            rest = rest[rest.index(t) + 1 :]
    assert RandomInsertion(2)([]) == []


@pytest.mark.parametrize("augment", _token_augmentations(), ids=repr)
def test_token_augmentations_do_not_mutate_a_list(augment):
    tokens = ["w1", "w2", "w3", "w4"]
    augment(tokens)
    assert tokens == ["w1", "w2", "w3", "w4"]


def test_gaussian_noise_scales_each_feature():
    rows = torch.zeros(20000, 3, dtype=torch.float32)
    out = GaussianNoise([0.0, 1.0, 3.0], generator=_gen(0))(rows)
    assert out.dtype == torch.float32 and torch.equal(rows, torch.zeros(20000, 3))
    assert torch.equal(out[:, 0], rows[:, 0])
    std = out.std(dim=0)
    assert abs(std[1].item() - 1.0) < 0.03 and abs(std[2].item() - 3.0) < 0.09
    row = np.array([1.0, 2.0])
    noisy = GaussianNoise(0.5)(row)
    assert isinstance(noisy, np.ndarray) and noisy.dtype == np.float64
    assert row.tolist() == [1.0, 2.0] and not np.array_equal(noisy, row)


def test_smoothed_bootstrap_scale_matches_random_over_sampler_shrinkage():
    imblearn = pytest.importorskip("imblearn.over_sampling")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)) * [1.0, 2.0, 0.5, 3.0]
    y = np.array([0] * 50 + [1] * 10)
    ros = imblearn.RandomOverSampler(shrinkage=0.7, random_state=3)
    X_res, _ = ros.fit_resample(X, y)
    # Replay its draws: the bootstrap choice, then standard normals.
    state = np.random.RandomState(3)
    state.choice(np.flatnonzero(y == 1), size=40, replace=True)
    z = state.randn(40, 4)
    implied = (X_res[60:] - X[ros.sample_indices_[60:]]) / z
    ours = smoothed_bootstrap_scale(X, y, target_class=1, shrinkage=0.7)
    assert np.allclose(implied, ours, rtol=1e-9, atol=0)
    noise = GaussianNoise.from_data(torch.as_tensor(X), y, target_class=1, shrinkage=0.7)
    assert np.allclose(noise.scale, ours, rtol=0, atol=0)


def test_smoothed_bootstrap_scale_uses_all_rows_without_a_class():
    X = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0]])
    h = (4 / (4 * 3)) ** (1 / 6)
    assert np.allclose(smoothed_bootstrap_scale(X), [h * np.std([0, 2, 4]), 0.0])


def test_compose_applies_in_order():
    steps = Compose([lambda x: x + 1, lambda x: x * 10])
    assert steps(torch.tensor([1])).tolist() == [20]
    assert "Compose(transforms=[" in repr(steps)


@pytest.mark.parametrize(
    ("make", "error", "fragment"),
    [
        (lambda: RandomFlip(horizontal=1.5), InvalidInputError, "horizontal must be a probability"),
        (lambda: RandomCropPad(-1), InvalidInputError, "padding must be an integer >= 0"),
        (lambda: RandomCropPad(2, fill=float("nan")), InvalidInputError, "fill must be a finite"),
        (lambda: BrightnessContrastJitter(clamp=(1, 0)), InvalidInputError, "low <= high"),
        (lambda: RandomDeletion(p=-0.1), InvalidInputError, "p must be a probability"),
        (lambda: RandomSwap(n_swaps=1.5), InvalidInputError, "n_swaps must be an integer"),
        (lambda: RandomInsertion(generator=3), InvalidInputError, "or a torch.Generator"),
        (lambda: GaussianNoise([1.0, -1.0]), InvalidInputError, "finite and >= 0"),
        (lambda: GaussianNoise([[1.0]]), InvalidInputError, "one scale per feature"),
        (lambda: Compose([abs, 3]), InvalidInputError, "item 1 is int, not callable"),
        (lambda: smoothed_bootstrap_scale([[1.0]], shrinkage=-1), InvalidInputError,
         "shrinkage must be a finite number >= 0"),
        (lambda: smoothed_bootstrap_scale([[1.0], [2.0]], [0, 0], target_class=1), TargetError,
         "target_class=1 has no row in y"),
        (lambda: smoothed_bootstrap_scale([[1.0]], target_class=0), InvalidInputError,
         "target_class needs y"),
    ],
)
def test_augmentations_refuse_bad_parameters(make, error, fragment):
    with pytest.raises(error, match=fragment):
        make()


@pytest.mark.parametrize(
    ("augment", "item", "error", "fragment"),
    [
        (RandomFlip(), torch.zeros(2, 1, 3, 3), InvalidInputError, "got shape (2, 1, 3, 3)"),
        (RandomCropPad(), [[1, 2]], InvalidInputError, "got list"),
        (BrightnessContrastJitter(), torch.zeros(2, 2, dtype=torch.bool), InvalidInputError,
         "real-valued"),
        (RandomSwap(), torch.zeros(2, 2), InvalidInputError, "1-D tensor/array, got Tensor of shape (2, 2)"),
        (RandomDeletion(), "a sentence", InvalidInputError, "got str"),
        (GaussianNoise(0.1), torch.tensor([1, 2]), InvalidInputError, "convert the item"),
        (GaussianNoise([0.1, 0.2]), torch.zeros(3), LengthMismatchError,
         "2 per-feature scales but the item has shape (3,)"),
    ],
)
def test_augmentations_refuse_bad_items(augment, item, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        augment(item)
