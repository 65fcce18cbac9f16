"""Checks shared by the losses: options, tensor shapes and class targets."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch

from ..exceptions import InvalidInputError, LengthMismatchError, TargetError

__all__ = [
    "REDUCTIONS",
    "as_weight_vector",
    "check_binary_targets",
    "check_gamma",
    "check_ignore_index",
    "check_reduction",
    "loss_mode",
    "reduce_loss",
    "valid_class_targets",
]

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction):
    """Return ``reduction`` if it is one of ``"none"``, ``"mean"``, ``"sum"``."""
    if reduction not in REDUCTIONS:
        raise InvalidInputError(
            f"reduction must be one of {list(REDUCTIONS)}, got {reduction!r}."
        )
    return reduction


def check_gamma(gamma, name="gamma"):
    """Return ``gamma`` as a float after checking it is a finite number >= 0."""
    if (
        not isinstance(gamma, Real)
        or isinstance(gamma, bool)
        or not math.isfinite(gamma)
        or gamma < 0
    ):
        raise InvalidInputError(
            f"{name} must be a finite number >= 0 (0 turns the focal term off), "
            f"got {gamma!r}."
        )
    return float(gamma)


def check_ignore_index(ignore_index, *, allow_none=False):
    """Return ``ignore_index`` after checking it is an integer (or None if allowed)."""
    if ignore_index is None and allow_none:
        return None
    if not isinstance(ignore_index, Integral) or isinstance(ignore_index, bool):
        raise InvalidInputError(
            f"ignore_index must be an integer class label to skip (e.g. -100), "
            f"got {ignore_index!r}."
        )
    return int(ignore_index)


def loss_mode(input, target):
    """Return ``"binary"`` or ``"multiclass"`` from the shapes of ``input`` and ``target``.

    ``"binary"``: ``input`` and ``target`` have the same shape (one logit per
    element, sigmoid). ``"multiclass"``: ``input`` is ``(N, C, *d)`` logits and
    ``target`` is ``(N, *d)`` integer class indices (softmax over dim 1).
    """
    for name, value in (("input", input), ("target", target)):
        if not isinstance(value, torch.Tensor):
            raise InvalidInputError(
                f"{name} must be a torch.Tensor, got {type(value).__name__}; "
                "convert it with torch.as_tensor."
            )
    if not input.is_floating_point():
        raise InvalidInputError(
            f"input must hold floating-point logits, got dtype {input.dtype}."
        )
    if input.shape == target.shape:
        return "binary"
    if (
        input.ndim == target.ndim + 1
        and input.ndim >= 2
        and input.shape[0] == target.shape[0]
        and input.shape[2:] == target.shape[1:]
    ):
        if target.is_floating_point() or target.is_complex() or target.dtype == torch.bool:
            raise TargetError(
                f"A multi-class target must hold integer class indices, got dtype "
                f"{target.dtype}; convert it with target.long()."
            )
        if input.shape[1] < 2:
            raise InvalidInputError(
                "input has a single class column: for a binary problem pass one "
                "logit per element, with input and target of the same shape."
            )
        return "multiclass"
    raise LengthMismatchError(
        f"input of shape {tuple(input.shape)} does not fit target of shape "
        f"{tuple(target.shape)}: pass logits of the target's shape (binary, sigmoid) "
        "or of shape (N, C, ...) for a target (N, ...) of class indices (softmax)."
    )


def valid_class_targets(target, n_classes, ignore_index):
    """Return ``(safe_target, valid)``: indices with ignored ones set to 0, and the mask.

    Raises :class:`TargetError` for an index outside ``[0, n_classes)`` that is not
    ``ignore_index``.
    """
    target = target.long()
    valid = target != ignore_index if ignore_index is not None else torch.ones_like(
        target, dtype=torch.bool
    )
    bad = valid & ((target < 0) | (target >= n_classes))
    if bool(bad.any()):
        found = torch.unique(target[bad])[:5].tolist()
        raise TargetError(
            f"target holds class indices {found} outside [0, {n_classes}) for input "
            f"with {n_classes} classes; mark positions to skip with ignore_index="
            f"{ignore_index}."
        )
    return target.masked_fill(~valid, 0), valid


def check_binary_targets(target, ignore_index):
    """Return ``(target_as_float, valid)`` after checking targets lie in [0, 1]."""
    valid = target != ignore_index if ignore_index is not None else torch.ones_like(
        target, dtype=torch.bool
    )
    bad = valid & ((target < 0) | (target > 1))
    if bool(bad.any()):
        found = torch.unique(target[bad])[:5].tolist()
        raise TargetError(
            f"binary targets must lie in [0, 1] (or equal ignore_index={ignore_index}), "
            f"found {found}; for multi-class targets pass input of shape (N, C, ...)."
        )
    return target, valid


def reduce_loss(loss, valid, reduction):
    """Zero ``loss`` where not ``valid``, then reduce; ``"mean"`` divides by the valid count."""
    loss = torch.where(valid, loss, torch.zeros((), dtype=loss.dtype, device=loss.device))
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    return total / valid.sum().clamp_min(1).to(loss.dtype)


def as_weight_vector(values, name, length, like):
    """``values`` as a 1-D tensor of ``length`` finite non-negative weights shaped like ``like``."""
    array = values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else values
    try:
        array = np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{name} must be numbers, got {values!r}.") from exc
    if array.ndim != 1 or array.shape[0] != length:
        raise LengthMismatchError(
            f"{name} must hold one weight per class ({length}), got shape {array.shape}."
        )
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise InvalidInputError(
            f"{name} must be finite weights >= 0, got {array.tolist()}."
        )
    return torch.as_tensor(array, dtype=like.dtype, device=like.device)
