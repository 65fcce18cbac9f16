"""DiceLoss / dice_loss: values by hand, segmentation shapes, gradients, errors."""

import pytest

pytest.importorskip("torch.nn")  # torch.nn: a stray tests/torch folder is not PyTorch

import torch

from imbkit.exceptions import InvalidInputError, TargetError
from imbkit.torch import DiceLoss, dice_loss


def test_dice_loss_binary_per_image_by_hand():
    x = torch.tensor([[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]])
    t = torch.tensor([[[1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]]])
    # p = 0.5 everywhere: image 0: 1 - (2*0.5 + 1) / (2 + 1 + 1); image 1: 1 - (4 + 1) / (2 + 4 + 1)
    got = dice_loss(x, t, reduction="none")
    torch.testing.assert_close(got, torch.tensor([1 - 2 / 4, 1 - 5 / 7]))
    torch.testing.assert_close(dice_loss(x, t), got.mean())
    torch.testing.assert_close(dice_loss(x, t, reduction="sum"), got.sum())


def test_dice_loss_multiclass_segmentation_by_hand():
    x = torch.zeros(2, 3, 4, 4)
    t = torch.zeros(2, 4, 4, dtype=torch.long)
    t[1, :2] = 2
    # image 0: class 0 dice (2*16/3) / (16/3 + 16) = 1/2, classes 1 and 2: 0
    # image 1: classes 0 and 2 (8 pixels each): (16/3) / (16/3 + 8) = 2/5, class 1: 0
    got = dice_loss(x, t, smooth=0.0, reduction="none")
    torch.testing.assert_close(got, torch.tensor([1 - 1 / 6, 1 - 4 / 15]))


def test_dice_loss_near_zero_for_confident_correct_prediction():
    t = torch.randint(0, 3, (2, 5, 5), generator=torch.Generator().manual_seed(0))
    x = torch.nn.functional.one_hot(t, 3).movedim(-1, 1).float() * 40 - 20
    assert dice_loss(x, t, smooth=0.0).item() == pytest.approx(0.0, abs=1e-6)


def test_dice_loss_empty_class_counts_as_perfect_even_without_smoothing():
    x = torch.full((1, 3), -1e4, dtype=torch.float64)  # sigmoid is exactly 0
    t = torch.zeros(1, 3, dtype=torch.float64)
    assert dice_loss(x, t, smooth=0.0).item() == 0.0
    # Nearly empty is not empty: without smoothing, dice is 0 there (why smooth=1).
    assert dice_loss(torch.full((1, 3), -50.0), t.float(), smooth=0.0).item() == 1.0
    assert dice_loss(torch.full((1, 3), -50.0), t.float()).item() == pytest.approx(0.0, abs=1e-12)
    x.requires_grad_()
    dice_loss(x, t, smooth=0.0).backward()
    assert torch.isfinite(x.grad).all()


def test_dice_loss_plain_classification_sums_over_the_batch():
    x = torch.tensor([0.0, 0.0, 0.0, 0.0])
    t = torch.tensor([1.0, 1.0, 0.0, 0.0])
    # one dice over the batch: 1 - (2*1 + 1) / (2 + 2 + 1)
    assert dice_loss(x, t, reduction="none").item() == pytest.approx(1 - 3 / 5)


def test_dice_loss_ignore_index_leaves_pixels_out():
    x = torch.zeros(1, 2, 1, 3)
    t = torch.tensor([[[0, 1, 255]]])
    full = dice_loss(x[..., :2], t[..., :2], smooth=0.0)
    torch.testing.assert_close(dice_loss(x, t, smooth=0.0, ignore_index=255), full)
    with pytest.raises(TargetError, match=r"class indices \[255\] outside \[0, 2\)"):
        dice_loss(x, t)


@pytest.mark.parametrize("multiclass", [False, True])
def test_dice_loss_gradcheck_float64(multiclass):
    gen = torch.Generator().manual_seed(1)
    if multiclass:
        x = torch.randn(2, 3, 2, 2, generator=gen, dtype=torch.float64, requires_grad=True)
        t = torch.randint(0, 3, (2, 2, 2), generator=gen)
    else:
        x = torch.randn(2, 2, 2, generator=gen, dtype=torch.float64, requires_grad=True)
        t = torch.randint(0, 2, (2, 2, 2), generator=gen).double()
    assert torch.autograd.gradcheck(lambda z: dice_loss(z, t), x, fast_mode=True)


def test_dice_loss_module_equals_function_and_checks_options():
    x, t = torch.randn(2, 3, 4), torch.randint(0, 3, (2, 4))
    torch.testing.assert_close(DiceLoss(smooth=0.5)(x, t), dice_loss(x, t, smooth=0.5))
    assert repr(DiceLoss()) == "DiceLoss(smooth=1.0, reduction='mean', ignore_index=None)"
    with pytest.raises(InvalidInputError, match=r"smooth must be a finite number >= 0"):
        DiceLoss(smooth=-1)
    with pytest.raises(InvalidInputError, match="reduction must be one of"):
        dice_loss(x, t, reduction="avg")
