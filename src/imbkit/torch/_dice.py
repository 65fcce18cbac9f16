"""Soft dice loss for binary and multi-class outputs, segmentation shapes included."""

from __future__ import annotations

import math
from numbers import Real

import torch
import torch.nn.functional as F
from torch import nn

from ..exceptions import InvalidInputError
from ._common import (
    check_binary_targets,
    check_ignore_index,
    check_reduction,
    loss_mode,
    valid_class_targets,
)

__all__ = ["DiceLoss", "dice_loss"]


def _check_smooth(smooth):
    if (
        not isinstance(smooth, Real)
        or isinstance(smooth, bool)
        or not math.isfinite(smooth)
        or smooth < 0
    ):
        raise InvalidInputError(
            f"smooth must be a finite number >= 0 (1.0 is usual), got {smooth!r}."
        )
    return float(smooth)


def _dice_from_sums(intersection, total, smooth):
    """``(2 I + s) / (T + s)``, and 1 where both prediction and target are empty."""
    denominator = total + smooth
    safe = denominator.clamp_min(torch.finfo(denominator.dtype).tiny)
    dice = (2 * intersection + smooth) / safe
    return torch.where(denominator > 0, dice, torch.ones_like(dice))


def _reduce(loss, reduction):
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    return loss


def _dice(input, target, smooth, reduction, ignore_index):
    mode = loss_mode(input, target)
    if mode == "binary":
        target, valid = check_binary_targets(target, ignore_index)
        mask = valid.to(input.dtype)
        probs = torch.sigmoid(input) * mask
        truth = torch.where(valid, target.to(input.dtype), 0.0)
        # One dice per sample over its other dimensions; plain (N,) input: one over all.
        dims = tuple(range(1, input.ndim)) or (0,)
        intersection = (probs * truth).sum(dim=dims)
        total = probs.sum(dim=dims) + truth.sum(dim=dims)
        return _reduce(1 - _dice_from_sums(intersection, total, smooth), reduction)
    n_classes = input.shape[1]
    safe_target, valid = valid_class_targets(target, n_classes, ignore_index)
    mask = valid.unsqueeze(1).to(input.dtype)
    probs = torch.softmax(input, dim=1) * mask
    truth = F.one_hot(safe_target, n_classes).movedim(-1, 1).to(input.dtype) * mask
    # Per sample and class over the spatial dims; (N, C) input: per class over the batch.
    dims = tuple(range(2, input.ndim)) or (0,)
    intersection = (probs * truth).sum(dim=dims)
    total = probs.sum(dim=dims) + truth.sum(dim=dims)
    per_class = 1 - _dice_from_sums(intersection, total, smooth)
    return _reduce(per_class.mean(dim=-1), reduction)


def dice_loss(input, target, *, smooth=1.0, reduction="mean", ignore_index=None):
    """Soft dice loss ``1 - (2 |P * T| + s) / (|P| + |T| + s)`` from logits.

    Binary: ``input`` and ``target`` share a shape, probabilities are
    ``sigmoid(input)``. Multi-class: ``input`` is ``(N, C, *d)``, ``target`` is
    ``(N, *d)`` class indices, probabilities are ``softmax(input, dim=1)`` and
    the loss is one minus the mean over classes of each class's dice.

    Sums run over every dimension but the batch (and class) ones, so each
    image of a segmentation batch gets its own dice. Without such dimensions
    (input ``(N,)`` or ``(N, C)``, plain classification) the sums run over the
    batch and the loss is one number (per class averaged) whatever ``reduction``.

    Parameters
    ----------
    input : Tensor
        Logits, ``(N, *d)`` binary or ``(N, C, *d)`` multi-class.
    target : Tensor
        Binary targets in ``[0, 1]``, or integer class indices.
    smooth : float, default=1.0
        Added to numerator and denominator, ``>= 0``; keeps the loss smooth
        when a class is (nearly) absent. With ``smooth=0``, a class absent
        from the target and predicted with probability exactly 0 counts as a
        perfect match rather than 0/0.
    reduction : {"mean", "sum", "none"}, default="mean"
        How per-sample losses are combined; ``"none"`` gives shape ``(N,)``.
    ignore_index : int or None, default=None
        Target value whose positions are left out of every sum.

    Returns
    -------
    loss : Tensor

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import dice_loss
    >>> logits = torch.tensor([[[4.0, -4.0], [-4.0, 4.0]]])   # one 2x2 image
    >>> mask = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    >>> round(dice_loss(logits, mask).item(), 4)
    0.0144
    """
    return _dice(
        input,
        target,
        _check_smooth(smooth),
        check_reduction(reduction),
        check_ignore_index(ignore_index, allow_none=True),
    )


class DiceLoss(nn.Module):
    """Soft dice loss as a module; see :func:`dice_loss` for shapes and formula.

    The options are checked when the module is built (a module has no ``fit``).

    Parameters
    ----------
    smooth : float, default=1.0
        Smoothing added to numerator and denominator, ``>= 0``.
    reduction : {"mean", "sum", "none"}, default="mean"
        How per-sample losses are combined.
    ignore_index : int or None, default=None
        Target value to leave out.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import DiceLoss
    >>> logits = torch.zeros(2, 3, 4, 4)               # 2 images, 3 classes, 4x4
    >>> target = torch.zeros(2, 4, 4, dtype=torch.long)
    >>> round(DiceLoss(smooth=0.0)(logits, target).item(), 4)
    0.8333
    """

    def __init__(self, *, smooth=1.0, reduction="mean", ignore_index=None):
        super().__init__()
        self.smooth = _check_smooth(smooth)
        self.reduction = check_reduction(reduction)
        self.ignore_index = check_ignore_index(ignore_index, allow_none=True)

    def forward(self, input, target):
        """Return the dice loss of ``input`` logits against ``target``."""
        return _dice(input, target, self.smooth, self.reduction, self.ignore_index)

    def extra_repr(self):
        return (
            f"smooth={self.smooth}, reduction={self.reduction!r}, "
            f"ignore_index={self.ignore_index}"
        )
