"""Losses and balanced batch samplers for PyTorch (needs the ``torch`` extra).

Losses (``torch.nn.Module`` classes and their functional forms), all computed
in log space so that extreme logits give finite values and gradients:

- :class:`FocalLoss` / :func:`focal_loss`: binary (sigmoid) and multi-class
  (softmax) focal loss with per-class ``alpha``.
- :class:`ClassBalancedLoss` with :func:`class_balanced_weights`: weights from
  the effective number of samples over cross-entropy, sigmoid or focal loss.
- :class:`DiceLoss` / :func:`dice_loss`: soft dice, segmentation shapes too.

Samplers for ``torch.utils.data.DataLoader`` that never build per-sample
weights, so they handle any number of samples (no 2**24 limit), replay an
epoch exactly (``set_epoch``) and shard it across distributed ranks:

- :class:`BalancedBatchSampler`: every batch holds a fixed number, or at
  least one, of each class.
- :class:`ClassAwareSampler`: draws a class first, then a sample of it.

Augmentation as over-sampling, for images, text and tables:

- :class:`OversampledDataset`: wraps any map-style dataset; each epoch adds
  fresh augmentations of minority items until the class counts of
  ``sampling_strategy`` are reached (reproducible, ``set_epoch``, shards).
- Dependency-free augmentations: :class:`RandomFlip`, :class:`RandomCropPad`,
  :class:`BrightnessContrastJitter` (images); :class:`RandomDeletion`,
  :class:`RandomSwap`, :class:`RandomInsertion` (token sequences);
  :class:`GaussianNoise` with :func:`smoothed_bootstrap_scale` (tabular
  rows); :class:`Compose`.

Importing this package without PyTorch raises
:class:`~imbkit.exceptions.MissingExtraError`; the rest of imbkit never
imports torch. The examples live in each object's docstring.
"""

from ..exceptions import MissingExtraError

_INSTALL_HINT = (
    'imbkit.torch needs PyTorch, which is not installed: pip install "imbkit[torch]" '
    "(or install torch itself, see pytorch.org for the CPU or CUDA build you need)."
)

try:
    import torch as _torch
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess test
    raise MissingExtraError(_INSTALL_HINT) from _exc
if not hasattr(_torch, "Tensor"):  # a stray folder named torch, not PyTorch
    raise MissingExtraError(_INSTALL_HINT)

from ._augment import (
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
from ._dice import DiceLoss, dice_loss
from ._losses import (
    ClassBalancedLoss,
    FocalLoss,
    class_balanced_weights,
    focal_loss,
)
from ._oversampled import OversampledDataset
from ._samplers import BalancedBatchSampler, ClassAwareSampler

__all__ = [
    "BalancedBatchSampler",
    "BrightnessContrastJitter",
    "ClassAwareSampler",
    "ClassBalancedLoss",
    "Compose",
    "DiceLoss",
    "FocalLoss",
    "GaussianNoise",
    "OversampledDataset",
    "RandomCropPad",
    "RandomDeletion",
    "RandomFlip",
    "RandomInsertion",
    "RandomSwap",
    "class_balanced_weights",
    "dice_loss",
    "focal_loss",
    "smoothed_bootstrap_scale",
]
