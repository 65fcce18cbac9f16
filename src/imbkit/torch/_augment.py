"""Dependency-free augmentations: images, token sequences and tabular rows.

Each augmentation is a small callable object that turns one item into a new,
randomly changed item. Randomness comes from torch's global generator (or
from the ``generator=`` given), so :class:`~imbkit.torch.OversampledDataset`,
which seeds torch's generator before every item, makes them reproducible.
No augmentation changes its input in place; the output has the input's
dtype and container (tensor in, tensor out; ndarray in, ndarray out; list in,
list out for token sequences).
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch

from ..exceptions import InvalidInputError, LengthMismatchError, TargetError
from ..utils._checks import check_lengths, check_X

__all__ = [
    "BrightnessContrastJitter",
    "Compose",
    "GaussianNoise",
    "RandomCropPad",
    "RandomDeletion",
    "RandomFlip",
    "RandomInsertion",
    "RandomSwap",
    "smoothed_bootstrap_scale",
]


def _check_probability(value, name):
    if not isinstance(value, Real) or isinstance(value, bool) or not 0 <= value <= 1:
        raise InvalidInputError(f"{name} must be a probability in [0, 1], got {value!r}.")
    return float(value)


def _check_count(value, name, minimum=0):
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise InvalidInputError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _check_generator(generator):
    if generator is not None and not isinstance(generator, torch.Generator):
        raise InvalidInputError(
            "generator must be None (draw from torch's global generator) or a "
            f"torch.Generator, got {type(generator).__name__}."
        )
    return generator


def _as_tensor(x, owner):
    """``(tensor, was_numpy)``: ``x`` as a tensor sharing memory, never modified."""
    if isinstance(x, torch.Tensor):
        return x, False
    if isinstance(x, np.ndarray):
        if not x.flags.writeable:  # torch warns on read-only memory; a copy is cheap
            x = x.copy()
        return torch.from_numpy(x), True
    raise InvalidInputError(
        f"{owner} takes a torch.Tensor or a NumPy array, got {type(x).__name__}; "
        "convert the item first (e.g. torchvision.transforms.ToTensor() for images)."
    )


def _restore(out, was_numpy):
    return out.numpy() if was_numpy else out


def _check_image(x, owner):
    if x.ndim not in (2, 3):
        raise InvalidInputError(
            f"{owner} takes one image of shape (C, H, W) or (H, W), got shape "
            f"{tuple(x.shape)}; apply it to single items, not batches."
        )


class _Augmentation:
    """Shared ``__repr__``: the class name and its parameters."""

    _params: tuple = ()

    def __repr__(self):
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._params)
        return f"{type(self).__name__}({args})"


class RandomFlip(_Augmentation):
    """Flip an image left-right and/or upside down, each with its own probability.

    Parameters
    ----------
    horizontal : float, default=0.5
        Probability of reversing the last (width) axis.
    vertical : float, default=0.0
        Probability of reversing the second-to-last (height) axis.
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import RandomFlip
    >>> RandomFlip(horizontal=1.0)(torch.tensor([[1, 2, 3]]))
    tensor([[3, 2, 1]])
    """

    _params = ("horizontal", "vertical")

    def __init__(self, horizontal=0.5, vertical=0.0, *, generator=None):
        self.horizontal = _check_probability(horizontal, "horizontal")
        self.vertical = _check_probability(vertical, "vertical")
        self.generator = _check_generator(generator)

    def __call__(self, image):
        x, was_numpy = _as_tensor(image, "RandomFlip")
        _check_image(x, "RandomFlip")
        draws = torch.rand(2, generator=self.generator)
        dims = [d for d, u, p in ((-1, draws[0], self.horizontal), (-2, draws[1], self.vertical))
                if u < p]
        out = torch.flip(x, dims) if dims else x.clone()
        return _restore(out, was_numpy)


def _shift_window(size, shift):
    """Output and input slices for content moved by ``shift`` along an axis of ``size``."""
    lo_out, hi_out = max(0, -shift), min(size, size - shift)
    if hi_out <= lo_out:
        return None
    return slice(lo_out, hi_out), slice(lo_out + shift, hi_out + shift)


class RandomCropPad(_Augmentation):
    """Pad an image on every side, then crop a random window of the original size.

    Equivalent to shifting the content by up to ``padding`` pixels in each
    direction and filling the uncovered border with ``fill``; the padded image
    is never built.

    Parameters
    ----------
    padding : int, default=4
        Pixels added on each side; the shift is uniform in
        ``[-padding, padding]`` along height and width (a zero shift, the
        unchanged image, is one of the ``(2 * padding + 1) ** 2`` outcomes).
    fill : float, default=0
        Value of the uncovered border, cast to the image's dtype.
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import RandomCropPad
    >>> image = torch.arange(1.0, 10.0).reshape(1, 3, 3)
    >>> out = RandomCropPad(padding=1, generator=torch.Generator().manual_seed(0))(image)
    >>> out.shape, out.dtype
    (torch.Size([1, 3, 3]), torch.float32)
    """

    _params = ("padding", "fill")

    def __init__(self, padding=4, *, fill=0, generator=None):
        self.padding = _check_count(padding, "padding")
        if not isinstance(fill, Real) or isinstance(fill, bool) or not math.isfinite(fill):
            raise InvalidInputError(f"fill must be a finite number, got {fill!r}.")
        self.fill = fill
        self.generator = _check_generator(generator)

    def __call__(self, image):
        x, was_numpy = _as_tensor(image, "RandomCropPad")
        _check_image(x, "RandomCropPad")
        p = self.padding
        dy, dx = torch.randint(-p, p + 1, (2,), generator=self.generator).tolist()
        out = torch.full_like(x, self.fill)
        rows = _shift_window(x.shape[-2], dy)
        cols = _shift_window(x.shape[-1], dx)
        if rows is not None and cols is not None:
            out[..., rows[0], cols[0]] = x[..., rows[1], cols[1]]
        return _restore(out, was_numpy)


class BrightnessContrastJitter(_Augmentation):
    """Scale an image's contrast and brightness by small random factors.

    With ``c`` uniform in ``[1 - contrast, 1 + contrast]`` and ``b`` uniform in
    ``[1 - brightness, 1 + brightness]``, the image ``x`` with mean ``m`` (over
    all its values) becomes ``b * (m + c * (x - m))``. Both are relative, so
    the same settings suit images in ``[0, 1]`` and in ``[0, 255]``. Integer
    images are rounded and clipped to their dtype's range.

    Parameters
    ----------
    brightness, contrast : float, default=0.1
        Largest relative change, in ``[0, 1]``; 0 turns it off.
    clamp : tuple of (float, float), default=None
        Clip the result to ``[low, high]`` (for example ``(0.0, 1.0)``).
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import BrightnessContrastJitter
    >>> jitter = BrightnessContrastJitter(0.2, 0.2, clamp=(0.0, 1.0))
    >>> out = jitter(torch.full((1, 4, 4), 0.5))
    >>> bool(out.min() >= 0.4 and out.max() <= 0.6)
    True
    """

    _params = ("brightness", "contrast", "clamp")

    def __init__(self, brightness=0.1, contrast=0.1, *, clamp=None, generator=None):
        self.brightness = _check_probability(brightness, "brightness")
        self.contrast = _check_probability(contrast, "contrast")
        if clamp is not None:
            bad = not isinstance(clamp, (tuple, list)) or len(clamp) != 2
            if bad or not all(isinstance(v, Real) for v in clamp) or clamp[0] > clamp[1]:
                raise InvalidInputError(
                    f"clamp must be None or a pair (low, high) with low <= high, got {clamp!r}."
                )
            clamp = (clamp[0], clamp[1])
        self.clamp = clamp
        self.generator = _check_generator(generator)

    def __call__(self, image):
        x, was_numpy = _as_tensor(image, "BrightnessContrastJitter")
        _check_image(x, "BrightnessContrastJitter")
        if x.dtype == torch.bool or x.is_complex():
            raise InvalidInputError(
                f"BrightnessContrastJitter takes real-valued images, got dtype {x.dtype}."
            )
        u = torch.rand(2, generator=self.generator, dtype=torch.float64)
        contrast = 1 + self.contrast * (2 * float(u[0]) - 1)
        brightness = 1 + self.brightness * (2 * float(u[1]) - 1)
        work = x.to(torch.float64) if not x.is_floating_point() else x
        mean = work.mean()
        out = brightness * (mean + contrast * (work - mean))
        if self.clamp is not None:
            out = out.clamp(*self.clamp)
        if not x.is_floating_point():
            info = torch.iinfo(x.dtype)
            out = out.round().clamp(info.min, info.max)
        return _restore(out.to(x.dtype), was_numpy)


def _token_length(tokens, owner):
    if isinstance(tokens, list):
        return len(tokens)
    if isinstance(tokens, (torch.Tensor, np.ndarray)) and tokens.ndim == 1:
        return tokens.shape[0]
    shape = getattr(tokens, "shape", None)
    raise InvalidInputError(
        f"{owner} takes a token sequence: a list or a 1-D tensor/array, got "
        f"{type(tokens).__name__}" + (f" of shape {tuple(shape)}." if shape is not None else ".")
    )


def _gather(tokens, positions):
    """The tokens at ``positions`` (a list of ints), in the input's container."""
    if isinstance(tokens, list):
        return [tokens[i] for i in positions]
    if isinstance(tokens, np.ndarray):
        return tokens[np.asarray(positions, dtype=np.int64)]
    return tokens[torch.as_tensor(positions, dtype=torch.long, device=tokens.device)]


class RandomDeletion(_Augmentation):
    """Drop each token of a sequence with probability ``p``, keeping at least one.

    Parameters
    ----------
    p : float, default=0.1
        Probability of deleting each token. When every token would go, one
        token drawn at random is kept.
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> from imbkit.torch import RandomDeletion
    >>> RandomDeletion(p=1.0)(["a", "b", "c"]) in (["a"], ["b"], ["c"])
    True
    """

    _params = ("p",)

    def __init__(self, p=0.1, *, generator=None):
        self.p = _check_probability(p, "p")
        self.generator = _check_generator(generator)

    def __call__(self, tokens):
        n = _token_length(tokens, "RandomDeletion")
        if n == 0:
            return _gather(tokens, [])
        keep = torch.rand(n, generator=self.generator) >= self.p
        fallback = int(torch.randint(n, (1,), generator=self.generator))
        positions = keep.nonzero().flatten().tolist() if bool(keep.any()) else [fallback]
        return _gather(tokens, positions)


class RandomSwap(_Augmentation):
    """Swap the tokens at two distinct random positions, ``n_swaps`` times.

    Parameters
    ----------
    n_swaps : int, default=1
        Number of swaps; sequences shorter than two tokens come back unchanged
        (as a copy).
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import RandomSwap
    >>> sorted(RandomSwap(n_swaps=2)(torch.tensor([5, 6, 7])).tolist())
    [5, 6, 7]
    """

    _params = ("n_swaps",)

    def __init__(self, n_swaps=1, *, generator=None):
        self.n_swaps = _check_count(n_swaps, "n_swaps")
        self.generator = _check_generator(generator)

    def __call__(self, tokens):
        n = _token_length(tokens, "RandomSwap")
        positions = list(range(n))
        if n >= 2 and self.n_swaps:
            first = torch.randint(n, (self.n_swaps,), generator=self.generator).tolist()
            second = torch.randint(n - 1, (self.n_swaps,), generator=self.generator).tolist()
            for i, j in zip(first, second):
                j += j >= i  # a second position distinct from the first
                positions[i], positions[j] = positions[j], positions[i]
        return _gather(tokens, positions)


class RandomInsertion(_Augmentation):
    """Insert ``n_insertions`` copies of the sequence's own tokens at random places.

    Each inserted token is drawn uniformly from the original sequence, so no
    vocabulary is needed; an empty sequence comes back empty.

    Parameters
    ----------
    n_insertions : int, default=1
        Number of tokens inserted.
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> from imbkit.torch import RandomInsertion
    >>> out = RandomInsertion(n_insertions=2)(["to", "be"])
    >>> len(out), set(out) <= {"to", "be"}
    (4, True)
    """

    _params = ("n_insertions",)

    def __init__(self, n_insertions=1, *, generator=None):
        self.n_insertions = _check_count(n_insertions, "n_insertions")
        self.generator = _check_generator(generator)

    def __call__(self, tokens):
        n = _token_length(tokens, "RandomInsertion")
        positions = list(range(n))
        if n and self.n_insertions:
            k = self.n_insertions
            sources = torch.randint(n, (k,), generator=self.generator).tolist()
            places = torch.rand(k, generator=self.generator, dtype=torch.float64).tolist()
            for step, (source, u) in enumerate(zip(sources, places)):
                positions.insert(int(u * (n + step + 1)), source)
        return _gather(tokens, positions)


def smoothed_bootstrap_scale(X, y=None, *, target_class=None, shrinkage=1.0):
    """Per-feature noise scale of a smoothed bootstrap (random over-sampling with shrinkage).

    The scale of feature ``j`` is ``shrinkage * h * std_j``, where ``std_j`` is
    the (population) standard deviation of feature ``j`` over the rows of
    ``target_class`` (all rows when None) and
    ``h = (4 / ((d + 2) * n)) ** (1 / (d + 4))`` is the rule-of-thumb bandwidth
    of a Gaussian kernel for ``n`` rows (all of ``X``) and ``d`` features, the
    smoothing used by imbalanced-learn's ``RandomOverSampler(shrinkage=...)``.

    Parameters
    ----------
    X : array-like or Tensor of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), default=None
        Classes of the rows; needed with ``target_class``.
    target_class : object, default=None
        Class whose spread sets the scale; None uses every row.
    shrinkage : float, default=1.0
        Multiplier of the scale, ``>= 0`` (0: no noise).

    Returns
    -------
    scale : ndarray of shape (n_features,), float64

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.torch import smoothed_bootstrap_scale
    >>> X = np.array([[0.0, 0.0], [2.0, 4.0], [4.0, 8.0], [6.0, 12.0]])
    >>> smoothed_bootstrap_scale(X).round(4).tolist()
    [1.7748, 3.5495]
    """
    if not isinstance(shrinkage, Real) or isinstance(shrinkage, bool) or not (
        math.isfinite(shrinkage) and shrinkage >= 0
    ):
        raise InvalidInputError(f"shrinkage must be a finite number >= 0, got {shrinkage!r}.")
    if isinstance(X, torch.Tensor):
        X = X.detach().cpu().numpy()
    X = check_X(X, accept_sparse=False)
    rows = X
    if target_class is not None:
        if y is None:
            raise InvalidInputError("target_class needs y, the class of every row of X.")
        y = np.asarray(y.detach().cpu().numpy() if isinstance(y, torch.Tensor) else y)
        check_lengths(X, y)
        rows = X[y == target_class]
        if rows.shape[0] == 0:
            raise TargetError(
                f"target_class={target_class!r} has no row in y; the classes in y are "
                f"{np.unique(y).tolist()}."
            )
    n_samples, n_features = X.shape
    bandwidth = (4 / ((n_features + 2) * n_samples)) ** (1 / (n_features + 4))
    return float(shrinkage) * bandwidth * np.std(rows, axis=0, dtype=np.float64)


class GaussianNoise(_Augmentation):
    """Add Gaussian noise to a numeric row (or any float tensor), scaled per feature.

    Parameters
    ----------
    scale : float or array-like of shape (n_features,), default=0.1
        Standard deviation of the noise: one for all values, or one per
        feature (the last axis of the input). :meth:`from_data` computes it
        like random over-sampling with shrinkage.
    generator : torch.Generator, default=None
        Source of randomness; None draws from torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import GaussianNoise
    >>> noise = GaussianNoise([0.0, 1.0], generator=torch.Generator().manual_seed(0))
    >>> out = noise(torch.tensor([3.0, 3.0]))
    >>> out[0].item(), out[1].item() != 3.0
    (3.0, True)
    """

    _params = ("scale",)

    def __init__(self, scale=0.1, *, generator=None):
        values = np.asarray(scale.detach().cpu() if isinstance(scale, torch.Tensor) else scale)
        if values.ndim > 1 or values.dtype.kind not in "iuf":
            raise InvalidInputError(
                f"scale must be a number or a 1-D array with one scale per feature, got {scale!r}."
            )
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise InvalidInputError(f"scale must be finite and >= 0, got {scale!r}.")
        self.scale = scale
        self._scale = torch.as_tensor(values, dtype=torch.float64)
        self.generator = _check_generator(generator)

    @classmethod
    def from_data(cls, X, y=None, *, target_class=None, shrinkage=1.0, generator=None):
        """Noise scaled like a smoothed bootstrap of ``X`` (see :func:`smoothed_bootstrap_scale`).

        Examples
        --------
        >>> import numpy as np
        >>> from imbkit.torch import GaussianNoise
        >>> X = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 5.0], [6.0, 5.0]])
        >>> noise = GaussianNoise.from_data(X, [0, 0, 1, 1], target_class=1, shrinkage=0.5)
        >>> noise.scale.round(4).tolist()
        [0.3969, 0.0]
        """
        scale = smoothed_bootstrap_scale(X, y, target_class=target_class, shrinkage=shrinkage)
        return cls(scale, generator=generator)

    def __call__(self, row):
        x, was_numpy = _as_tensor(row, "GaussianNoise")
        if not x.is_floating_point():
            raise InvalidInputError(
                f"GaussianNoise takes floating-point values, got dtype {x.dtype}; "
                "convert the item with .float() (or .astype(np.float32)) first."
            )
        if self._scale.ndim == 1 and (x.ndim == 0 or x.shape[-1] != self._scale.shape[0]):
            raise LengthMismatchError(
                f"GaussianNoise has {self._scale.shape[0]} per-feature scales but the item "
                f"has shape {tuple(x.shape)}; give one scale per value of the last axis."
            )
        noise = torch.randn(x.shape, generator=self.generator, dtype=x.dtype)
        out = x + noise * self._scale.to(dtype=x.dtype, device=x.device)
        return _restore(out, was_numpy)


class Compose(_Augmentation):
    """Apply several augmentations one after the other.

    Parameters
    ----------
    transforms : sequence of callables
        Applied in order, each to the output of the previous one.

    Examples
    --------
    >>> import torch
    >>> from imbkit.torch import Compose, RandomFlip
    >>> flip_twice = Compose([RandomFlip(horizontal=1.0), RandomFlip(horizontal=1.0)])
    >>> flip_twice(torch.tensor([[1, 2]]))
    tensor([[1, 2]])
    """

    _params = ("transforms",)

    def __init__(self, transforms):
        transforms = list(transforms)
        for position, transform in enumerate(transforms):
            if not callable(transform):
                raise InvalidInputError(
                    f"Compose takes callables; item {position} is "
                    f"{type(transform).__name__}, not callable."
                )
        self.transforms = transforms

    def __call__(self, item):
        for transform in self.transforms:
            item = transform(item)
        return item
