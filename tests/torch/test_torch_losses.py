"""FocalLoss / focal_loss and ClassBalancedLoss / class_balanced_weights.

``torchvision.ops.sigmoid_focal_loss`` is the oracle when torchvision imports;
otherwise the test compares to the textbook formula written out below.
"""

import math
import warnings

import numpy as np
import pytest

pytest.importorskip("torch.nn")  # torch.nn: a stray tests/torch folder is not PyTorch

import torch
import torch.nn.functional as F

from imbkit.exceptions import (
    ImbalanceWarning,
    InvalidInputError,
    LengthMismatchError,
    TargetError,
)
from imbkit.torch import (
    ClassBalancedLoss,
    FocalLoss,
    class_balanced_weights,
    focal_loss,
)

GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)


def _reference_sigmoid_focal(x, t, alpha, gamma, reduction):
    """torchvision's definition, written naively (fine for moderate logits)."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def _sigmoid_focal_oracle():
    try:
        from torchvision.ops import sigmoid_focal_loss
    except (ImportError, RuntimeError):  # absent, or built for another torch
        return _reference_sigmoid_focal
    return lambda x, t, alpha, gamma, reduction: sigmoid_focal_loss(
        x, t, alpha=alpha, gamma=gamma, reduction=reduction
    )


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_focal_loss_matches_sigmoid_focal_loss(reduction, gamma):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(7, 3, generator=gen, dtype=torch.float64) * 3
    t = torch.rand(7, 3, generator=gen, dtype=torch.float64).round()
    t[0, 0] = 0.3  # a soft label: both definitions accept it
    expected = _sigmoid_focal_oracle()(x, t, 0.25, gamma, reduction)
    got = focal_loss(x, t, alpha=0.25, gamma=gamma, reduction=reduction)
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-12)


def test_focal_loss_multiclass_matches_naive_formula():
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(6, 4, generator=gen, dtype=torch.float64)
    t = torch.tensor([0, 1, 2, 3, 3, 1])
    alpha = [0.1, 0.2, 0.3, 0.4]
    p_t = torch.softmax(x, 1)[torch.arange(6), t]
    expected = -torch.tensor(alpha, dtype=torch.float64)[t] * (1 - p_t) ** 1.5 * p_t.log()
    got = focal_loss(x, t, alpha=alpha, gamma=1.5, reduction="none")
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-14)


def test_focal_loss_gamma_zero_equals_cross_entropy():
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(5, 3, 4, generator=gen)  # segmentation-shaped: (N, C, d)
    t = torch.randint(0, 3, (5, 4), generator=gen)
    t[0, 0] = -100
    torch.testing.assert_close(focal_loss(x, t, gamma=0), F.cross_entropy(x, t))
    xb, tb = x[:, 0], (t > 0).float()
    torch.testing.assert_close(
        focal_loss(xb, tb, gamma=0), F.binary_cross_entropy_with_logits(xb, tb)
    )


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_focal_loss_finite_values_and_gradients_at_extreme_logits(gamma, dtype):
    grid = torch.tensor([-1e4, -100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0, 1e4], dtype=dtype)
    xb = grid.repeat(2).requires_grad_()
    tb = torch.cat([torch.zeros(9), torch.ones(9)]).to(dtype)
    xm = torch.stack(torch.meshgrid(grid, grid, indexing="ij"), -1).reshape(-1, 2)
    xm = torch.cat([xm, torch.zeros(len(xm), 1, dtype=dtype)], 1).requires_grad_()
    tm = torch.arange(len(xm)) % 3
    for x, t in ((xb, tb), (xm, tm)):
        loss = focal_loss(x, t, gamma=gamma, reduction="none")
        (grad,) = torch.autograd.grad(loss.sum(), x)
        assert torch.isfinite(loss).all() and torch.isfinite(grad).all()
    # A confident right answer costs (almost) nothing; a confident wrong one 1e4.
    assert focal_loss(grid[-1:], torch.ones(1, dtype=dtype), gamma=gamma).item() == 0.0
    wrong = focal_loss(grid[:1], torch.ones(1, dtype=dtype), gamma=gamma).item()
    assert wrong == pytest.approx(1e4)


def test_focal_loss_gradient_vanishes_at_certain_correct_prediction_gamma_half():
    x = torch.tensor([[30.0, -30.0, 0.0]], dtype=torch.float64, requires_grad=True)
    loss = focal_loss(x, torch.tensor([0]), gamma=0.5)
    loss.backward()
    assert torch.isfinite(x.grad).all()
    assert x.grad.abs().max().item() < 1e-15


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_focal_loss_gradcheck_float64(gamma):
    gen = torch.Generator().manual_seed(3)
    xb = torch.randn(4, 3, generator=gen, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor([[0.0, 1.0, 0.2], [1.0, 1.0, 0.0], [0.0, -100, 1.0], [1.0, 0.0, 0.0]])
    tb = tb.double()
    assert torch.autograd.gradcheck(
        lambda x: focal_loss(x, tb, alpha=0.3, gamma=gamma), xb, fast_mode=True
    )
    xm = torch.randn(4, 3, 2, generator=gen, dtype=torch.float64, requires_grad=True)
    tm = torch.tensor([[0, 1], [2, -100], [1, 1], [0, 2]])
    assert torch.autograd.gradcheck(
        lambda x: focal_loss(x, tm, alpha=[1.0, 2.0, 0.5], gamma=gamma), xm, fast_mode=True
    )


def test_focal_loss_ignore_index_drops_positions_from_value_and_gradient():
    x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], requires_grad=True)
    t = torch.tensor([1, -1, 0])
    per = focal_loss(x, t, gamma=2.0, reduction="none", ignore_index=-1)
    assert per[1].item() == 0.0
    mean = focal_loss(x, t, gamma=2.0, ignore_index=-1)
    torch.testing.assert_close(mean, (per[0] + per[2]) / 2)
    mean.backward()
    assert x.grad[1].tolist() == [0.0, 0.0]
    all_ignored = focal_loss(x, torch.full((3,), -1), ignore_index=-1)
    assert all_ignored.item() == 0.0


def test_focal_loss_binary_alpha_pair_weighs_negative_and_positive():
    x = torch.tensor([0.3, -0.7], dtype=torch.float64)
    t = torch.tensor([1.0, 0.0], dtype=torch.float64)
    plain = focal_loss(x, t, reduction="none")
    weighted = focal_loss(x, t, alpha=[2.0, 3.0], reduction="none")
    torch.testing.assert_close(weighted, plain * torch.tensor([3.0, 2.0], dtype=torch.float64))
    torch.testing.assert_close(
        focal_loss(x, t, alpha=0.25, reduction="none"),
        plain * torch.tensor([0.25, 0.75], dtype=torch.float64),
    )


def test_focal_loss_module_equals_function_and_reprs():
    x, t = torch.tensor([[1.0, -2.0, 0.5]]), torch.tensor([2])
    module = FocalLoss(alpha=[1.0, 1.0, 2.0], gamma=1.0, reduction="sum")
    torch.testing.assert_close(
        module(x, t), focal_loss(x, t, alpha=[1.0, 1.0, 2.0], gamma=1.0, reduction="sum")
    )
    assert repr(module) == (
        "FocalLoss(alpha=[1.0, 1.0, 2.0], gamma=1.0, reduction='sum', ignore_index=-100)"
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"gamma": -1.0}, InvalidInputError, "gamma must be a finite number >= 0"),
        ({"gamma": math.nan}, InvalidInputError, "gamma must be a finite number >= 0"),
        ({"reduction": "avg"}, InvalidInputError, "reduction must be one of"),
        ({"alpha": 1.5}, InvalidInputError, "alpha must be None, a number in [0, 1]"),
        ({"ignore_index": 1.5}, InvalidInputError, "ignore_index must be an integer"),
    ],
)
def test_focal_loss_rejects_bad_options(kwargs, error, fragment):
    x, t = torch.zeros(2, 3), torch.tensor([0, 1])
    with pytest.raises(error, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        focal_loss(x, t, **kwargs)
    with pytest.raises(error, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        FocalLoss(**kwargs)


def test_focal_loss_rejects_bad_inputs_with_hints():
    x = torch.zeros(2, 3)
    with pytest.raises(InvalidInputError, match="for 3 classes pass one weight per class"):
        focal_loss(x, torch.tensor([0, 1]), alpha=0.25)
    with pytest.raises(LengthMismatchError, match=r"alpha must hold one weight per class \(3\)"):
        focal_loss(x, torch.tensor([0, 1]), alpha=[1.0, 2.0])
    with pytest.raises(TargetError, match=r"class indices \[3\] outside \[0, 3\)"):
        focal_loss(x, torch.tensor([0, 3]))
    with pytest.raises(TargetError, match="must hold integer class indices"):
        focal_loss(x, torch.tensor([0.0, 1.0]))
    with pytest.raises(LengthMismatchError, match=r"input of shape \(2, 3\) does not fit"):
        focal_loss(x, torch.tensor([0, 1, 2]))
    with pytest.raises(TargetError, match=r"binary targets must lie in \[0, 1\]"):
        focal_loss(torch.zeros(2), torch.tensor([0.0, 2.0]))
    with pytest.raises(InvalidInputError, match="must be a torch.Tensor, got ndarray"):
        focal_loss(np.zeros(2), torch.zeros(2))
    with pytest.raises(InvalidInputError, match="floating-point logits"):
        focal_loss(torch.zeros(2, dtype=torch.long), torch.zeros(2))


def test_class_balanced_weights_follow_effective_number():
    counts = np.array([1000, 100, 10, 1])
    beta = 0.999
    inverse_effective = (1 - beta) / (1 - beta ** counts.astype(float))
    expected = inverse_effective * 4 / inverse_effective.sum()
    np.testing.assert_allclose(class_balanced_weights(counts, beta), expected, rtol=1e-12)
    assert class_balanced_weights(counts, 0.0).tolist() == [1.0, 1.0, 1.0, 1.0]
    near_one = class_balanced_weights([300, 100], beta=1 - 1e-12)
    np.testing.assert_allclose(near_one, [0.5, 1.5], rtol=1e-6)  # -> inverse frequency


def test_class_balanced_weights_empty_class_gets_zero_and_a_warning():
    with pytest.warns(ImbalanceWarning, match=r"Classes \[1\] have no sample"):
        weights = class_balanced_weights([10, 0, 10], beta=0.9)
    assert weights.tolist() == [1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("counts", "beta", "fragment"),
    [
        ([10, 5], 1.0, r"beta must be a number in \[0, 1\)"),
        ([10, 5], -0.1, r"beta must be a number in \[0, 1\)"),
        ([10, -5], 0.9, "finite counts >= 0"),
        ([0, 0], 0.9, "no class with a sample"),
        ([[1, 2]], 0.9, "non-empty 1-D list of counts"),
    ],
)
def test_class_balanced_weights_rejects_bad_input(counts, beta, fragment):
    with pytest.raises(InvalidInputError, match=fragment):
        class_balanced_weights(counts, beta)


def _cb_case():
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    t = torch.tensor([0, 1, 2, 2, 0, 1])
    return x, t, ClassBalancedLoss([50, 20, 5], beta=0.99).double()


def test_class_balanced_loss_softmax_is_weighted_cross_entropy():
    x, t, loss_fn = _cb_case()
    weights = torch.as_tensor(class_balanced_weights([50, 20, 5], 0.99))
    expected = F.cross_entropy(x, t, weight=weights, reduction="sum") / 6
    torch.testing.assert_close(loss_fn(x, t), expected)
    assert loss_fn.class_weights.dtype == torch.float64  # a buffer: .double() moved it


def test_class_balanced_loss_sigmoid_and_focal_are_weighted_one_vs_all():
    x, t, _ = _cb_case()
    weights = torch.as_tensor(class_balanced_weights([50, 20, 5], 0.99))
    one_hot = F.one_hot(t, 3).double()
    bce = F.binary_cross_entropy_with_logits(x, one_hot, reduction="none")
    sigmoid = ClassBalancedLoss([50, 20, 5], beta=0.99, loss_type="sigmoid")
    torch.testing.assert_close(sigmoid(x, t), (bce.sum(1) * weights[t]).mean())
    focal = ClassBalancedLoss([50, 20, 5], beta=0.99, loss_type="focal", gamma=2.0)
    ref = _reference_sigmoid_focal(x, one_hot, -1, 2.0, "none")
    torch.testing.assert_close(focal(x, t), (ref.sum(1) * weights[t]).mean())


def test_class_balanced_loss_binary_uses_the_single_logit():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
    t = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
    loss_fn = ClassBalancedLoss([90, 10], beta=0.9, loss_type="sigmoid", reduction="none")
    w = class_balanced_weights([90, 10], 0.9)
    bce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    torch.testing.assert_close(loss_fn(x, t), bce * torch.tensor([w[1], w[0], w[0]]).double())


@pytest.mark.parametrize("loss_type", ["softmax", "sigmoid", "focal"])
def test_class_balanced_loss_gradcheck_float64(loss_type):
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(5, 3, generator=gen, dtype=torch.float64, requires_grad=True)
    t = torch.tensor([0, 1, 2, -100, 1])
    loss_fn = ClassBalancedLoss([30, 10, 2], loss_type=loss_type, gamma=0.5).double()
    assert torch.autograd.gradcheck(lambda z: loss_fn(z, t), x, fast_mode=True)


def test_class_balanced_loss_rejects_mismatches():
    with pytest.raises(InvalidInputError, match="loss_type must be one of"):
        ClassBalancedLoss([10, 5], loss_type="hinge")
    loss_fn = ClassBalancedLoss([10, 5, 1])
    with pytest.raises(LengthMismatchError, match="input has 2 class columns but"):
        loss_fn(torch.zeros(3, 2), torch.tensor([0, 1, 1]))
    with pytest.raises(InvalidInputError, match="Binary input .* needs loss_type='sigmoid'"):
        ClassBalancedLoss([10, 5])(torch.zeros(3), torch.zeros(3))


def test_class_balanced_loss_no_warning_when_all_classes_present():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ClassBalancedLoss([3, 2, 1])
