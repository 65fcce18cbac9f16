"""Focal and class-balanced losses, computed in log space.

The focal term ``(1 - p_t) ** gamma`` is evaluated as ``exp(gamma * log(1 - p_t))``
with ``log(1 - p_t)`` taken from log-sigmoids (binary) or from a log-sum-exp over
the other classes (multi-class), never from ``1 - p``. That keeps values and
gradients finite for any finite logit, ``gamma < 1`` included, where the naive
form's derivative ``gamma * (1 - p) ** (gamma - 1)`` overflows as ``p -> 1``.

Shapes follow :func:`torch.nn.functional.cross_entropy`: logits ``(N, C, *d)``
with a target ``(N, *d)`` of class indices for multi-class problems; logits and
target of the same shape (targets in ``[0, 1]``) for binary ones.
"""

from __future__ import annotations

import math
import warnings
from numbers import Real

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..exceptions import ImbalanceWarning, InvalidInputError, LengthMismatchError
from ._common import (
    as_weight_vector,
    check_binary_targets,
    check_gamma,
    check_ignore_index,
    check_reduction,
    loss_mode,
    reduce_loss,
    valid_class_targets,
)

__all__ = ["ClassBalancedLoss", "FocalLoss", "class_balanced_weights", "focal_loss"]

_LOSS_TYPES = ("softmax", "sigmoid", "focal")


def _sigmoid_focal_terms(logits, target, gamma):
    """Elementwise binary focal loss (no alpha); ``target`` is a float tensor in [0, 1]."""
    log_p = F.logsigmoid(logits)
    log_q = F.logsigmoid(-logits)
    ce = -(target * log_p + (1 - target) * log_q)
    if gamma == 0:
        return ce
    # 1 - p_t = t * (1 - p) + (1 - t) * p, in log space; log(0) = -inf drops a term.
    log_one_minus_pt = torch.logaddexp(
        torch.log(target) + log_q, torch.log1p(-target) + log_p
    )
    return ce * torch.exp(gamma * log_one_minus_pt)


def _softmax_focal_terms(logits, safe_target, gamma):
    """Per-position multi-class focal loss (no alpha); ``safe_target`` holds valid indices."""
    log_norm = torch.logsumexp(logits, dim=1)
    logit_t = logits.gather(1, safe_target.unsqueeze(1)).squeeze(1)
    ce = log_norm - logit_t
    if gamma == 0:
        return ce
    is_target = F.one_hot(safe_target, logits.shape[1]).movedim(-1, 1).bool()
    log_rest = torch.logsumexp(logits.masked_fill(is_target, -math.inf), dim=1)
    return ce * torch.exp(gamma * (log_rest - log_norm))


def _check_alpha(alpha):
    """Return ``alpha`` after a shape-free check (None, a rate in [0, 1], or weights)."""
    if alpha is None or isinstance(alpha, (torch.Tensor, np.ndarray, list, tuple)):
        return alpha
    if isinstance(alpha, Real) and not isinstance(alpha, bool) and 0 <= alpha <= 1:
        return float(alpha)
    raise InvalidInputError(
        f"alpha must be None, a number in [0, 1] (weight of the positive class, "
        f"binary only) or one weight per class, got {alpha!r}."
    )


def _alpha_vector(alpha, mode, n_classes, like):
    """``alpha`` as a weight per class (2 for binary: negative, positive), or None."""
    if alpha is None:
        return None
    if isinstance(alpha, float):
        if mode != "binary":
            raise InvalidInputError(
                f"A single alpha ({alpha}) weighs the positive class of a binary "
                f"problem; for {n_classes} classes pass one weight per class."
            )
        return torch.tensor([1.0 - alpha, alpha], dtype=like.dtype, device=like.device)
    if isinstance(alpha, torch.Tensor) and alpha.shape == (n_classes,):
        return alpha.to(dtype=like.dtype, device=like.device)
    return as_weight_vector(alpha, "alpha", n_classes, like)


def _focal(input, target, alpha, gamma, reduction, ignore_index):
    """Focal loss on checked options; ``alpha`` is None or a per-class weight tensor."""
    mode = loss_mode(input, target)
    if mode == "binary":
        target, valid = check_binary_targets(target, ignore_index)
        target = torch.where(valid, target.to(input.dtype), 0.0)
        loss = _sigmoid_focal_terms(input, target, gamma)
        weights = _alpha_vector(alpha, mode, 2, input)
        if weights is not None:
            loss = loss * (weights[1] * target + weights[0] * (1 - target))
        return reduce_loss(loss, valid, reduction)
    n_classes = input.shape[1]
    safe_target, valid = valid_class_targets(target, n_classes, ignore_index)
    loss = _softmax_focal_terms(input, safe_target, gamma)
    weights = _alpha_vector(alpha, mode, n_classes, input)
    if weights is not None:
        loss = loss * weights[safe_target]
    return reduce_loss(loss, valid, reduction)


def focal_loss(input, target, *, alpha=None, gamma=2.0, reduction="mean", ignore_index=-100):
    """Focal loss from logits, binary (sigmoid) or multi-class (softmax).

    ``FL = -alpha_t * (1 - p_t) ** gamma * log(p_t)``: cross-entropy scaled down
    on well-classified samples so the hard (often minority) ones dominate.

    Parameters
    ----------
    input : Tensor
        Logits: the target's shape for a binary problem, ``(N, C, *d)`` for a
        multi-class one.
    target : Tensor
        Binary: numbers in ``[0, 1]`` (soft labels allowed). Multi-class:
        integer class indices of shape ``(N, *d)``.
    alpha : None, float or sequence of float, default=None
        Class weights. A float in ``[0, 1]`` weighs the positive class of a
        binary problem and ``1 - alpha`` the negative one (torchvision's
        convention; it uses ``alpha=0.25`` by default). A sequence gives one
        weight per class (``[negative, positive]`` for binary). None: no weight.
    gamma : float, default=2.0
        Focusing parameter, ``>= 0``; 0 gives plain cross-entropy.
    reduction : {"mean", "sum", "none"}, default="mean"
        ``"mean"`` divides by the number of non-ignored elements (not by the
        sum of the weights, unlike ``cross_entropy(weight=...)``).
    ignore_index : int, default=-100
        Target value whose positions add nothing to the loss or its gradient.

    Returns
    -------
    loss : Tensor
        A scalar, or the target's shape for ``reduction="none"`` (0 at ignored
        positions).

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import focal_loss
    >>> logits = torch.tensor([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0]])
    >>> target = torch.tensor([0, 2])
    >>> round(focal_loss(logits, target, gamma=2.0).item(), 4)
    0.003
    >>> ce = torch.nn.functional.cross_entropy(logits, target)
    >>> bool(torch.isclose(focal_loss(logits, target, gamma=0.0), ce))
    True
    """
    return _focal(
        input,
        target,
        _check_alpha(alpha),
        check_gamma(gamma),
        check_reduction(reduction),
        check_ignore_index(ignore_index),
    )


class FocalLoss(nn.Module):
    """Focal loss as a module; see :func:`focal_loss` for the formula and shapes.

    Unlike scikit-learn estimators, a module has no ``fit``: the options are
    checked here, when it is built, so a bad value fails before training.

    Parameters
    ----------
    alpha : None, float or sequence of float, default=None
        A float in ``[0, 1]`` (binary: positive-class weight) or one weight
        per class.
    gamma : float, default=2.0
        Focusing parameter, ``>= 0``.
    reduction : {"mean", "sum", "none"}, default="mean"
        How per-element losses are combined.
    ignore_index : int, default=-100
        Target value to skip.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import FocalLoss
    >>> loss_fn = FocalLoss(alpha=0.25, gamma=2.0)
    >>> logits = torch.tensor([3.0, -2.0, 0.0])
    >>> target = torch.tensor([1.0, 0.0, 1.0])
    >>> round(loss_fn(logits, target).item(), 4)
    0.0149
    """

    def __init__(self, *, alpha=None, gamma=2.0, reduction="mean", ignore_index=-100):
        super().__init__()
        self.alpha = _check_alpha(alpha)
        self.gamma = check_gamma(gamma)
        self.reduction = check_reduction(reduction)
        self.ignore_index = check_ignore_index(ignore_index)

    def forward(self, input, target):
        """Return the focal loss of ``input`` logits against ``target``."""
        return _focal(input, target, self.alpha, self.gamma, self.reduction, self.ignore_index)

    def extra_repr(self):
        return (
            f"alpha={self.alpha}, gamma={self.gamma}, reduction={self.reduction!r}, "
            f"ignore_index={self.ignore_index}"
        )


def _check_beta(beta):
    if not isinstance(beta, Real) or isinstance(beta, bool) or not 0 <= beta < 1:
        raise InvalidInputError(
            f"beta must be a number in [0, 1) (0: no re-weighting; 0.9, 0.99, 0.999, "
            f"0.9999 are usual), got {beta!r}."
        )
    return float(beta)


def class_balanced_weights(samples_per_class, beta=0.999):
    """Class weights from the effective number of samples (Cui et al., 2019).

    The effective number of ``n`` samples is ``(1 - beta**n) / (1 - beta)``; each
    class gets the inverse, ``(1 - beta) / (1 - beta**n_c)``, and the weights are
    scaled to sum to the number of non-empty classes (the number of classes
    when none is empty). ``beta=0`` gives equal weights; ``beta -> 1`` tends to
    inverse class frequency. A class with no sample gets weight 0 and an
    :class:`~imbkit.exceptions.ImbalanceWarning`.

    Parameters
    ----------
    samples_per_class : array-like of shape (n_classes,)
        Number of training samples of each class, in class-index order.
    beta : float, default=0.999
        Hyper-parameter in ``[0, 1)``.

    Returns
    -------
    weights : ndarray of shape (n_classes,), dtype float64

    Examples
    --------
    >>> from imbkit.torch import class_balanced_weights
    >>> class_balanced_weights([900, 90, 10], beta=0.99).round(4)
    array([0.2284, 0.3836, 2.388 ])
    """
    beta = _check_beta(beta)
    try:
        counts = np.asarray(samples_per_class, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"samples_per_class must be counts (numbers), got {samples_per_class!r}."
        ) from exc
    if counts.ndim != 1 or counts.size == 0:
        raise InvalidInputError(
            f"samples_per_class must be a non-empty 1-D list of counts, one per class, "
            f"got shape {counts.shape}."
        )
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise InvalidInputError(
            f"samples_per_class must be finite counts >= 0, got {counts.tolist()}."
        )
    present = counts > 0
    if not present.any():
        raise InvalidInputError("samples_per_class has no class with a sample.")
    if not present.all():
        warnings.warn(
            f"Classes {np.flatnonzero(~present).tolist()} have no sample: their weight "
            "is 0. Check the counts, or drop these classes.",
            ImbalanceWarning,
            stacklevel=2,
        )
    weights = np.zeros_like(counts)
    with np.errstate(divide="ignore"):
        log_beta = np.log(beta)
    # 1 - beta**n as -expm1(n log beta): accurate for beta close to 1.
    weights[present] = (1.0 - beta) / -np.expm1(counts[present] * log_beta)
    return weights * (present.sum() / weights.sum())


class ClassBalancedLoss(nn.Module):
    """Class-balanced loss: a loss weighted by the inverse effective number of samples.

    Each sample's loss is multiplied by :func:`class_balanced_weights` of its class.

    Parameters
    ----------
    samples_per_class : array-like of shape (n_classes,)
        Training samples of each class (class-index order).
    beta : float, default=0.999
        Effective-number hyper-parameter in ``[0, 1)``.
    loss_type : {"softmax", "sigmoid", "focal"}, default="softmax"
        ``"softmax"``: cross-entropy. ``"sigmoid"``: binary cross-entropy of
        each class's logit against the one-hot target, summed over classes.
        ``"focal"``: the same one-vs-all sum with the sigmoid focal term (the
        paper's variant). With binary input (same shape as the target, two
        counts) ``"sigmoid"`` and ``"focal"`` use the single logit.
    gamma : float, default=2.0
        Focusing parameter, used by ``"focal"`` only.
    reduction : {"mean", "sum", "none"}, default="mean"
        ``"mean"`` averages over non-ignored samples.
    ignore_index : int, default=-100
        Target value to skip.

    Attributes
    ----------
    class_weights : Tensor of shape (n_classes,)
        The weights (a buffer: ``.to(device)`` moves it).

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import ClassBalancedLoss
    >>> loss_fn = ClassBalancedLoss([900, 90, 10], beta=0.99)
    >>> loss_fn.class_weights
    tensor([0.2284, 0.3836, 2.3880])
    >>> logits = torch.tensor([[2.0, 0.0, -1.0], [0.5, 0.1, 3.0]])
    >>> round(loss_fn(logits, torch.tensor([0, 2])).item(), 4)
    0.1728
    """

    def __init__(
        self,
        samples_per_class,
        *,
        beta=0.999,
        loss_type="softmax",
        gamma=2.0,
        reduction="mean",
        ignore_index=-100,
    ):
        super().__init__()
        if loss_type not in _LOSS_TYPES:
            raise InvalidInputError(
                f"loss_type must be one of {list(_LOSS_TYPES)}, got {loss_type!r}."
            )
        weights = class_balanced_weights(samples_per_class, beta)
        self.beta = float(beta)
        self.loss_type = loss_type
        self.gamma = check_gamma(gamma)
        self.reduction = check_reduction(reduction)
        self.ignore_index = check_ignore_index(ignore_index)
        self.register_buffer(
            "class_weights", torch.as_tensor(weights, dtype=torch.get_default_dtype())
        )

    def forward(self, input, target):
        """Return the class-balanced loss of ``input`` logits against ``target``."""
        mode = loss_mode(input, target)
        weights = self.class_weights.to(dtype=input.dtype, device=input.device)
        n_classes = weights.shape[0]
        gamma = self.gamma if self.loss_type == "focal" else 0.0
        if mode == "binary":
            if self.loss_type == "softmax" or n_classes != 2:
                raise InvalidInputError(
                    "Binary input (one logit per element) needs loss_type='sigmoid' or "
                    f"'focal' and two class counts; got loss_type={self.loss_type!r} "
                    f"and {n_classes} counts."
                )
            return _focal(input, target, weights, gamma, self.reduction, self.ignore_index)
        if input.shape[1] != n_classes:
            raise LengthMismatchError(
                f"input has {input.shape[1]} class columns but samples_per_class has "
                f"{n_classes} counts; give one count per class."
            )
        if self.loss_type == "softmax":
            return _focal(input, target, weights, 0.0, self.reduction, self.ignore_index)
        safe_target, valid = valid_class_targets(target, n_classes, self.ignore_index)
        one_hot = F.one_hot(safe_target, n_classes).movedim(-1, 1).to(input.dtype)
        loss = _sigmoid_focal_terms(input, one_hot, gamma).sum(dim=1)
        return reduce_loss(loss * weights[safe_target], valid, self.reduction)

    def extra_repr(self):
        return (
            f"n_classes={self.class_weights.shape[0]}, beta={self.beta}, "
            f"loss_type={self.loss_type!r}, gamma={self.gamma}, "
            f"reduction={self.reduction!r}"
        )
