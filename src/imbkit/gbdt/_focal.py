r"""Focal loss on raw margins: value, analytic gradient and hessian, optimal constant.

Everything here is plain NumPy/SciPy, so the formulas can be tested without a
boosting library.

Binary
------
For a label :math:`y \in \{0, 1\}` and a raw margin :math:`z` (log-odds of class
1), write :math:`s = 2y - 1`, :math:`u = s z` (the log-odds of the *true* class),
:math:`q = \sigma(u)` (its probability) and :math:`\ell = -\log q =
\operatorname{softplus}(-u)`. With the class weight :math:`\alpha_t` (``alpha`` for
class 1, ``1 - alpha`` for class 0, 1 for both when ``alpha`` is None), the focal
loss is

.. math::

    L = \alpha_t (1 - q)^\gamma \ell .

Differentiating in :math:`u` (with :math:`dq/du = q(1-q)` and
:math:`d\ell/du = -(1-q)`):

.. math::

    \frac{dL}{du} &= -\alpha_t (1-q)^\gamma \,[\gamma q \ell + (1 - q)], \\
    \frac{d^2L}{du^2} &= \alpha_t (1-q)^\gamma q \,
        [\gamma^2 q \ell + (1 - q)(1 + 2\gamma - \gamma \ell)],

and since :math:`u = s z` with :math:`s^2 = 1`, the gradient in :math:`z` is
:math:`s \, dL/du` and the hessian is :math:`d^2L/du^2`. With :math:`\gamma = 0`
these are the log-loss's :math:`\sigma(z) - y` and :math:`\sigma(z)(1-\sigma(z))`.

Every factor is computed in log space: :math:`\ell = \operatorname{softplus}(-u)`,
:math:`-\log(1-q) = \operatorname{softplus}(u)`, :math:`(1-q)^\gamma =
\exp(-\gamma \operatorname{softplus}(u))`, so margins as large as
:math:`|z| = 10^4` give finite values (no ``log(0)``, no ``1 - 1``).

Hessian floor. For :math:`\gamma > 0` the exact hessian is negative where the
bracket is, i.e. on badly misclassified samples (for :math:`\gamma = 2`, where
the true class has probability below about 0.08): the loss is concave there.
Boosting libraries need a positive hessian (it is the denominator of every leaf
value), so the hessian is clipped from below at ``hessian_floor`` (before the
class and sample weights multiply it; ``None`` returns the exact value, for
tests). The default 1e-16 is XGBoost's own floor for the logistic loss, so it
never changes a ``gamma=0`` model; LightGBM's ``min_sum_hessian_in_leaf`` still
keeps leaves away from near-zero total curvature.

Multi-class
-----------
For margins :math:`z_1..z_K` and true class :math:`k`, the softmax probability of
:math:`k` is :math:`\sigma(u)` with :math:`u = z_k - \log\sum_{j \ne k} e^{z_j}`, so
the softmax focal loss :math:`\alpha_k (1-p_k)^\gamma (-\log p_k)` is the binary
loss above at that :math:`u` (computed the same stable way). Writing
:math:`g_u, h_u` for the binary derivatives in :math:`u` and
:math:`\pi_j = e^{z_j} / \sum_{i \ne k} e^{z_i}` for the softmax over the other
classes (:math:`\partial u / \partial z_j = -\pi_j`):

.. math::

    \frac{\partial L}{\partial z_k} = g_u, \quad
    \frac{\partial L}{\partial z_j} = -g_u \pi_j, \quad
    \frac{\partial^2 L}{\partial z_k^2} = h_u, \quad
    \frac{\partial^2 L}{\partial z_j^2} = h_u \pi_j^2 - g_u \pi_j (1 - \pi_j)
    \quad (j \ne k).

Only this diagonal is returned (it is what LightGBM and XGBoost take), clipped
at ``hessian_floor``. With :math:`\gamma = 0` it is :math:`p_j(1 - p_j)`
(both libraries' built-in softmax objectives multiply it by a constant factor,
2 for XGBoost and :math:`K/(K-1)` for LightGBM; this module does not).

Optimal constant
----------------
:func:`focal_init_score` returns the constant margin minimising the weighted mean
loss on the training labels, the focal counterpart of LightGBM's
``boost_from_average`` and XGBoost's ``base_score``. Binary: the root of the
(scalar) mean gradient, found by Brent's method; with :math:`\gamma = 0` and no
``alpha`` it is :math:`\log(p / (1 - p))`, :math:`p` the weighted share of class 1.
Multi-class: a vector, minimised jointly over the classes by L-BFGS (the mean
loss only depends on the weight of each class, so this is a K-dimensional
problem) and normalised so that :math:`\operatorname{logsumexp}(c) = 0`; with
:math:`\gamma = 0` and no ``alpha`` it is the vector of log class shares.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from scipy.optimize import brentq, minimize
from scipy.special import logsumexp

from ..exceptions import InvalidInputError, LengthMismatchError, TargetError

__all__ = [
    "DEFAULT_HESSIAN_FLOOR",
    "binary_focal_grad_hess",
    "binary_focal_loss",
    "check_alpha",
    "focal_init_score",
    "multiclass_focal_grad_hess",
    "multiclass_focal_loss",
]

DEFAULT_HESSIAN_FLOOR = 1e-16


def check_alpha(alpha, n_classes):
    """Per-class weights from ``alpha``: None, a float (binary only) or one per class.

    Parameters
    ----------
    alpha : None, float in (0, 1) or array-like of shape (n_classes,)
        None weighs every class 1. A float, binary only, is the weight of class 1
        (class 0 gets ``1 - alpha``), as in the focal-loss paper. An array gives
        each class its non-negative weight, in the order of the class codes.
    n_classes : int

    Returns
    -------
    ndarray of shape (n_classes,)

    Examples
    --------
    >>> from imbkit.gbdt import check_alpha
    >>> check_alpha(0.25, 2)
    array([0.75, 0.25])
    >>> check_alpha(None, 3)
    array([1., 1., 1.])
    """
    if alpha is None:
        return np.ones(n_classes)
    if isinstance(alpha, Real) and not isinstance(alpha, bool):
        if n_classes != 2:
            raise InvalidInputError(
                f"A single alpha ({alpha!r}) only has a meaning for two classes, but "
                f"there are {n_classes}; pass one weight per class (a list of "
                f"{n_classes} non-negative numbers) or None."
            )
        if not 0 < alpha < 1:
            raise InvalidInputError(
                f"alpha must be in the open interval (0, 1) (the weight of class 1; "
                f"class 0 gets 1 - alpha), got {alpha!r}."
            )
        return np.array([1.0 - alpha, float(alpha)])
    weights = np.asarray(alpha, dtype=float)
    if weights.shape != (n_classes,) or not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise InvalidInputError(
            f"alpha must be None, a float in (0, 1) for two classes, or {n_classes} "
            f"finite non-negative class weights; got {alpha!r}."
        )
    return weights


def _focal_terms(u, gamma):
    """Loss, dL/du and d2L/du2 of the unweighted focal loss at true-class log-odds ``u``."""
    ell = np.logaddexp(0.0, -u)  # -log q
    nll_rest = np.logaddexp(0.0, u)  # -log(1 - q)
    q = np.exp(-ell)
    rest = np.exp(-nll_rest)  # 1 - q without cancellation
    modulator = np.exp(-gamma * nll_rest)  # (1 - q) ** gamma
    loss = modulator * ell
    grad = -modulator * (gamma * q * ell + rest)
    hess = modulator * q * (gamma**2 * q * ell + rest * (1.0 + 2.0 * gamma - gamma * ell))
    return loss, grad, hess


def _check_gamma(gamma):
    if not isinstance(gamma, Real) or isinstance(gamma, bool) or not 0 <= gamma < np.inf:
        raise InvalidInputError(
            f"gamma must be a finite number >= 0 (0 gives the log-loss), got {gamma!r}."
        )
    return float(gamma)


def _check_labels(y, n_rows, n_classes):
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != n_rows:
        raise LengthMismatchError(
            f"y has shape {y.shape} but the margins have {n_rows} rows; pass one "
            "label per row."
        )
    codes = y.astype(np.intp)
    if y.size and (not np.array_equal(codes, y) or codes.min() < 0 or codes.max() >= n_classes):
        raise TargetError(
            f"Labels must be class codes 0..{n_classes - 1} (integers); encode them "
            "first, e.g. with sklearn.preprocessing.LabelEncoder."
        )
    return codes


def binary_focal_loss(y, margin, *, gamma=2.0, alpha=None):
    """Focal loss of each sample, from labels in {0, 1} and raw margins (log-odds).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels 0 or 1.
    margin : array-like of shape (n_samples,)
        Raw scores (log-odds of class 1).
    gamma : float, default=2.0
        Focusing parameter; 0 gives the log-loss.
    alpha : None, float or array-like of shape (2,), default=None
        Class weights, see :func:`check_alpha`.

    Returns
    -------
    ndarray of shape (n_samples,)

    Examples
    --------
    >>> from imbkit.gbdt import binary_focal_loss
    >>> binary_focal_loss([1, 0], [0.0, 0.0], gamma=0.0).round(4)
    array([0.6931, 0.6931])
    >>> binary_focal_loss([1], [0.0], gamma=2.0).round(4)
    array([0.1733])
    """
    margin = np.asarray(margin, dtype=float)
    y = _check_labels(y, margin.shape[0], 2)
    weights = check_alpha(alpha, 2)
    loss, _, _ = _focal_terms(np.where(y == 1, margin, -margin), _check_gamma(gamma))
    return weights[y] * loss


def binary_focal_grad_hess(
    y, margin, *, gamma=2.0, alpha=None, sample_weight=None, hessian_floor=DEFAULT_HESSIAN_FLOOR
):
    """Gradient and hessian of the binary focal loss with respect to the raw margin.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels 0 or 1.
    margin : array-like of shape (n_samples,)
        Raw scores (log-odds of class 1).
    gamma : float, default=2.0
        Focusing parameter; 0 gives the log-loss.
    alpha : None, float or array-like of shape (2,), default=None
        Class weights, see :func:`check_alpha`.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Multiplies both outputs.
    hessian_floor : float or None, default=1e-16
        Lower bound of the hessian before weighting (see the module docstring);
        None returns the exact, possibly negative, hessian.

    Returns
    -------
    grad, hess : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from imbkit.gbdt import binary_focal_grad_hess
    >>> grad, hess = binary_focal_grad_hess([1, 0], [0.0, 0.0], gamma=0.0)
    >>> grad, hess
    (array([-0.5,  0.5]), array([0.25, 0.25]))
    """
    margin = np.asarray(margin, dtype=float)
    y = _check_labels(y, margin.shape[0], 2)
    weights = check_alpha(alpha, 2)[y]
    if sample_weight is not None:
        weights = weights * _check_sample_weight(sample_weight, margin.shape[0])
    sign = np.where(y == 1, 1.0, -1.0)
    _, grad_u, hess_u = _focal_terms(sign * margin, _check_gamma(gamma))
    if hessian_floor is not None:
        hess_u = np.maximum(hess_u, hessian_floor)
    return sign * grad_u * weights, hess_u * weights


def _check_sample_weight(sample_weight, n_rows):
    sample_weight = np.asarray(sample_weight, dtype=float)
    if sample_weight.shape != (n_rows,):
        raise LengthMismatchError(
            f"sample_weight has shape {sample_weight.shape} but there are {n_rows} "
            "samples; pass one weight per sample."
        )
    return sample_weight


def _multiclass_parts(y, margins, gamma):
    """Binary terms at each row's true-class log-odds and the others' softmax ``pi``."""
    margins = np.asarray(margins, dtype=float)
    if margins.ndim != 2 or margins.shape[1] < 2:
        raise InvalidInputError(
            f"Multi-class margins must have shape (n_samples, n_classes >= 2), got "
            f"{margins.shape}."
        )
    n_rows, n_classes = margins.shape
    y = _check_labels(y, n_rows, n_classes)
    rows = np.arange(n_rows)
    others = margins.copy()
    others[rows, y] = -np.inf
    lse_others = logsumexp(others, axis=1)
    pi = np.exp(others - lse_others[:, None])  # 0 on the true class
    terms = _focal_terms(margins[rows, y] - lse_others, _check_gamma(gamma))
    return y, rows, pi, terms


def multiclass_focal_loss(y, margins, *, gamma=2.0, alpha=None):
    """Softmax focal loss of each sample, from class codes and raw margins.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class codes 0..n_classes - 1.
    margins : array-like of shape (n_samples, n_classes)
        Raw scores, one column per class.
    gamma : float, default=2.0
        Focusing parameter; 0 gives the multinomial log-loss.
    alpha : None or array-like of shape (n_classes,), default=None
        Class weights, see :func:`check_alpha`.

    Returns
    -------
    ndarray of shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.gbdt import multiclass_focal_loss
    >>> multiclass_focal_loss([0, 2], np.zeros((2, 3)), gamma=0.0).round(4)
    array([1.0986, 1.0986])
    """
    y, _, _, (loss, _, _) = _multiclass_parts(y, margins, gamma)
    return check_alpha(alpha, np.shape(margins)[1])[y] * loss


def multiclass_focal_grad_hess(
    y, margins, *, gamma=2.0, alpha=None, sample_weight=None, hessian_floor=DEFAULT_HESSIAN_FLOOR
):
    """Gradient and diagonal hessian of the softmax focal loss in the raw margins.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class codes 0..n_classes - 1.
    margins : array-like of shape (n_samples, n_classes)
        Raw scores, one column per class.
    gamma : float, default=2.0
        Focusing parameter; 0 gives the multinomial log-loss.
    alpha : None or array-like of shape (n_classes,), default=None
        Class weights, see :func:`check_alpha`.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Multiplies both outputs.
    hessian_floor : float or None, default=1e-16
        Lower bound of each diagonal entry before weighting; None: exact values.

    Returns
    -------
    grad, hess : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.gbdt import multiclass_focal_grad_hess
    >>> grad, hess = multiclass_focal_grad_hess([0], np.zeros((1, 2)), gamma=0.0)
    >>> grad, hess
    (array([[-0.5,  0.5]]), array([[0.25, 0.25]]))
    """
    y, rows, pi, (_, grad_u, hess_u) = _multiclass_parts(y, margins, gamma)
    weights = check_alpha(alpha, pi.shape[1])[y]
    if sample_weight is not None:
        weights = weights * _check_sample_weight(sample_weight, pi.shape[0])
    grad = -grad_u[:, None] * pi
    grad[rows, y] = grad_u
    hess = hess_u[:, None] * pi**2 - grad_u[:, None] * pi * (1.0 - pi)
    hess[rows, y] = hess_u
    if hessian_floor is not None:
        hess = np.maximum(hess, hessian_floor)
    return grad * weights[:, None], hess * weights[:, None]


def _class_totals(y, n_classes, alpha, sample_weight):
    """Total (alpha times sample) weight of each class; every class must have some."""
    y = _check_labels(y, np.shape(y)[0], n_classes)
    sw = np.ones(y.shape[0]) if sample_weight is None else _check_sample_weight(
        sample_weight, y.shape[0]
    )
    totals = np.bincount(y, weights=sw, minlength=n_classes) * check_alpha(alpha, n_classes)
    empty = np.flatnonzero(totals <= 0)
    if empty.size:
        raise TargetError(
            f"Class code {int(empty[0])} has no weight (no sample, zero sample weights "
            "or a zero alpha), so no constant margin minimises the loss; drop the "
            "class or give it a positive weight."
        )
    return totals


def _binary_init(totals, gamma):
    w0, w1 = totals

    def mean_grad(c):  # d/dc of w1 * L(c) + w0 * L(-c), increasing from -w1 to w0
        return w1 * _focal_terms(np.array(c), gamma)[1] - w0 * _focal_terms(np.array(-c), gamma)[1]

    lo, hi = -1.0, 1.0
    while mean_grad(lo) > 0:
        lo *= 2.0
    while mean_grad(hi) < 0:
        hi *= 2.0
    return float(brentq(mean_grad, lo, hi, xtol=1e-14, rtol=1e-14))


def _multiclass_init(totals, gamma):
    n_classes = totals.size
    codes = np.arange(n_classes)

    def objective(c):
        margins = np.tile(c, (n_classes, 1))
        loss = multiclass_focal_loss(codes, margins, gamma=gamma) @ totals
        grad, _ = multiclass_focal_grad_hess(codes, margins, gamma=gamma, hessian_floor=None)
        return loss, totals @ grad

    start = np.log(totals / totals.sum())
    result = minimize(objective, start, jac=True, method="L-BFGS-B",
                      options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 500})
    return result.x - logsumexp(result.x)


def focal_init_score(y, n_classes=2, *, gamma=2.0, alpha=None, sample_weight=None):
    """The constant raw margin minimising the mean focal loss on labels ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class codes 0..n_classes - 1.
    n_classes : int, default=2
        2 gives a scalar (log-odds of class 1), more a vector, one per class.
    gamma : float, default=2.0
        Focusing parameter.
    alpha : None, float or array-like of shape (n_classes,), default=None
        Class weights, see :func:`check_alpha`.
    sample_weight : array-like of shape (n_samples,) or None, default=None
        Sample weights of the mean.

    Returns
    -------
    float or ndarray of shape (n_classes,)
        For more than two classes, normalised so that its logsumexp is 0.

    Examples
    --------
    >>> import numpy as np
    >>> from imbkit.gbdt import focal_init_score
    >>> y = np.array([0, 0, 0, 1])
    >>> round(focal_init_score(y, gamma=0.0), 6) == round(float(np.log(1 / 3)), 6)
    True
    >>> round(focal_init_score(y, gamma=2.0), 4)
    -0.4104
    """
    gamma = _check_gamma(gamma)
    if not isinstance(n_classes, int) or n_classes < 2:
        raise InvalidInputError(f"n_classes must be an integer >= 2, got {n_classes!r}.")
    totals = _class_totals(np.asarray(y), n_classes, alpha, sample_weight)
    if n_classes == 2:
        return _binary_init(totals, gamma)
    return _multiclass_init(totals, gamma)
