"""Focal-loss maths: finite differences, torch autograd, stability, optimal constants."""

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, log_softmax
from sklearn.metrics import log_loss

pytest.importorskip("lightgbm")  # imbkit.gbdt imports only with the gbdt extra

from imbkit.exceptions import InvalidInputError, LengthMismatchError, TargetError
from imbkit.gbdt import (
    binary_focal_grad_hess,
    binary_focal_loss,
    check_alpha,
    focal_init_score,
    multiclass_focal_grad_hess,
    multiclass_focal_loss,
)
from imbkit.gbdt._focal import _focal_terms

CASES = [(0.0, None), (0.5, None), (1.0, 0.25), (2.0, None), (2.0, 0.25), (3.5, [2.0, 0.5])]
EPS = 1e-5


def _binary_data(seed=0, n=200):
    rng = np.random.RandomState(seed)
    return rng.randint(0, 2, n), rng.uniform(-8, 8, n)


def _multiclass_data(seed=0, n=100, k=4):
    rng = np.random.RandomState(seed)
    return rng.randint(0, k, n), rng.uniform(-6, 6, (n, k))


@pytest.mark.parametrize("gamma, alpha", CASES)
def test_binary_focal_grad_hess_match_finite_differences(gamma, alpha):
    y, z = _binary_data()
    grad, hess = binary_focal_grad_hess(y, z, gamma=gamma, alpha=alpha, hessian_floor=None)
    loss = lambda m: binary_focal_loss(y, m, gamma=gamma, alpha=alpha)
    num_grad = (loss(z + EPS) - loss(z - EPS)) / (2 * EPS)
    gradient = lambda m: binary_focal_grad_hess(
        y, m, gamma=gamma, alpha=alpha, hessian_floor=None)[0]
    num_hess = (gradient(z + EPS) - gradient(z - EPS)) / (2 * EPS)
    np.testing.assert_allclose(grad, num_grad, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(hess, num_hess, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("gamma, alpha", [(0.0, None), (2.0, None), (1.5, [1.0, 3.0, 0.5, 2.0])])
def test_multiclass_focal_grad_hess_match_finite_differences(gamma, alpha):
    y, z = _multiclass_data()
    grad, hess = multiclass_focal_grad_hess(y, z, gamma=gamma, alpha=alpha, hessian_floor=None)

    def loss(m):
        return multiclass_focal_loss(y, m, gamma=gamma, alpha=alpha)

    def gradient(m):
        return multiclass_focal_grad_hess(y, m, gamma=gamma, alpha=alpha, hessian_floor=None)[0]

    for j in range(z.shape[1]):
        step = np.zeros_like(z)
        step[:, j] = EPS
        np.testing.assert_allclose(
            grad[:, j], (loss(z + step) - loss(z - step)) / (2 * EPS), rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(
            hess[:, j], (gradient(z + step) - gradient(z - step))[:, j] / (2 * EPS),
            rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("gamma, alpha", CASES)
def test_binary_focal_grad_hess_match_torch_autograd(gamma, alpha):
    torch = pytest.importorskip("torch")
    y, z = _binary_data(seed=1)
    weights = torch.tensor(check_alpha(alpha, 2)[y])
    margin = torch.tensor(z, requires_grad=True)
    sign = torch.tensor(2.0 * y - 1.0)
    log_pt = torch.nn.functional.logsigmoid(sign * margin)
    loss = -weights * (1 - log_pt.exp()) ** gamma * log_pt  # the paper's definition
    (grad,) = torch.autograd.grad(loss.sum(), margin, create_graph=True)
    (hess,) = torch.autograd.grad(grad.sum(), margin)  # samples are independent
    ours_grad, ours_hess = binary_focal_grad_hess(
        y, z, gamma=gamma, alpha=alpha, hessian_floor=None)
    np.testing.assert_allclose(binary_focal_loss(y, z, gamma=gamma, alpha=alpha),
                               loss.detach().numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ours_grad, grad.detach().numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ours_hess, hess.numpy(), rtol=1e-8, atol=1e-14)


@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_multiclass_focal_grad_hess_match_torch_autograd(gamma):
    torch = pytest.importorskip("torch")
    y, z = _multiclass_data(seed=2, k=3)
    alpha = [0.5, 1.0, 2.0]
    margins = torch.tensor(z, requires_grad=True)
    log_p = torch.log_softmax(margins, dim=1)[torch.arange(len(y)), torch.tensor(y)]
    loss = -torch.tensor(alpha)[torch.tensor(y)] * (1 - log_p.exp()) ** gamma * log_p
    (grad,) = torch.autograd.grad(loss.sum(), margins, create_graph=True)
    diag = np.column_stack([
        torch.autograd.grad(grad[:, j].sum(), margins, retain_graph=True)[0][:, j].numpy()
        for j in range(3)
    ])
    ours_grad, ours_hess = multiclass_focal_grad_hess(
        y, z, gamma=gamma, alpha=alpha, hessian_floor=None)
    np.testing.assert_allclose(ours_grad, grad.detach().numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ours_hess, diag, rtol=1e-8, atol=1e-14)


def test_focal_gamma_zero_is_log_loss():
    y, z = _binary_data(seed=3)
    p = expit(z)
    assert binary_focal_loss(y, z, gamma=0.0).mean() == pytest.approx(log_loss(y, p), rel=1e-12)
    grad, hess = binary_focal_grad_hess(y, z, gamma=0.0)
    np.testing.assert_allclose(grad, p - y, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(hess, p * (1 - p), rtol=1e-12)
    y3, z3 = _multiclass_data(seed=3, k=3)
    assert multiclass_focal_loss(y3, z3, gamma=0.0).mean() == pytest.approx(
        -log_softmax(z3, axis=1)[np.arange(len(y3)), y3].mean(), rel=1e-12)
    grad3, hess3 = multiclass_focal_grad_hess(y3, z3, gamma=0.0)
    p3 = np.exp(log_softmax(z3, axis=1))
    np.testing.assert_allclose(grad3, p3 - np.eye(3)[y3], rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(hess3, p3 * (1 - p3), rtol=1e-10, atol=1e-300)


def test_binary_focal_grad_hess_finite_at_extreme_margins():
    z = np.array([-1e4, -700.0, -40.0, 0.0, 40.0, 700.0, 1e4])
    for label in (0, 1):
        y = np.full(z.size, label)
        loss = binary_focal_loss(y, z, gamma=2.0, alpha=0.25)
        grad, hess = binary_focal_grad_hess(y, z, gamma=2.0, alpha=0.25)
        assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))
        assert np.all(hess > 0)
    # misclassified by 1e4: loss alpha_t * 1e4, gradient -alpha_t (positive class)
    loss = binary_focal_loss([1, 0], [-1e4, 1e4], gamma=2.0, alpha=0.25)
    np.testing.assert_array_equal(loss, [0.25e4, 0.75e4])
    grad, hess = binary_focal_grad_hess([1, 0], [-1e4, 1e4], gamma=2.0, alpha=0.25)
    np.testing.assert_array_equal(grad, [-0.25, 0.75])
    np.testing.assert_array_equal(hess, [0.25e-16, 0.75e-16])


def test_multiclass_focal_grad_hess_finite_at_extreme_margins():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [0.0, 0.0, 0.0]])
    grad, hess = multiclass_focal_grad_hess([0, 0, 2], z, gamma=2.0)
    assert np.all(np.isfinite(grad)) and np.all(hess > 0)
    np.testing.assert_array_equal(grad[1], [-1.0, 1.0, 0.0])
    np.testing.assert_array_equal(multiclass_focal_loss([0, 0], z[:2]), [0.0, 2e4])


def test_binary_focal_hessian_clipped_where_exact_is_negative():
    z = np.linspace(-10, 10, 201)
    y = np.ones_like(z, dtype=int)
    _, exact = binary_focal_grad_hess(y, z, gamma=2.0, hessian_floor=None)
    _, clipped = binary_focal_grad_hess(y, z, gamma=2.0, hessian_floor=1e-3)
    negative = exact < 0
    # for gamma=2 the loss is concave where the true class has probability below ~0.08
    assert negative.any() and np.all(expit(z[negative]) < 0.09)
    np.testing.assert_array_equal(clipped, np.maximum(exact, 1e-3))
    _, with_weights = binary_focal_grad_hess(
        y, z, gamma=2.0, hessian_floor=1e-3, sample_weight=np.full(z.size, 2.0))
    np.testing.assert_array_equal(with_weights, 2 * clipped)


def test_focal_init_score_gamma_zero_is_log_odds():
    y = np.array([0] * 90 + [1] * 10)
    assert focal_init_score(y, gamma=0.0) == pytest.approx(np.log(10 / 90), abs=1e-12)
    sw = np.r_[np.full(90, 0.5), np.full(10, 3.0)]
    assert focal_init_score(y, gamma=0.0, sample_weight=sw) == pytest.approx(
        np.log(30 / 45), abs=1e-12)
    # a float alpha weighs the shares: p = 0.25 * 10 / (0.25 * 10 + 0.75 * 90)
    assert focal_init_score(y, gamma=0.0, alpha=0.25) == pytest.approx(
        np.log(2.5 / 67.5), abs=1e-12)


@pytest.mark.parametrize("gamma, alpha", [(1.0, None), (2.0, None), (2.0, 0.25), (5.0, None)])
def test_focal_init_score_minimises_mean_binary_loss(gamma, alpha):
    y = np.array([0] * 97 + [1] * 3)
    best = minimize_scalar(
        lambda c: binary_focal_loss(y, np.full(y.size, c), gamma=gamma, alpha=alpha).mean(),
        bounds=(-20, 20), method="bounded", options={"xatol": 1e-10})
    assert focal_init_score(y, gamma=gamma, alpha=alpha) == pytest.approx(best.x, abs=1e-6)


def test_focal_init_score_binary_stationary_point_is_unique():
    # The mean loss is not convex for gamma > 0, but its derivative in the constant
    # changes sign exactly once, so the root found is the global minimiser.
    c = np.linspace(-30, 30, 6001)
    for gamma in (0.5, 1.0, 2.0, 5.0, 10.0):
        for share in (0.3, 0.1, 1e-2, 1e-4):
            slope = share * _focal_terms(c, gamma)[1] - (1 - share) * _focal_terms(-c, gamma)[1]
            assert np.count_nonzero(np.diff(np.sign(slope))) == 1


def test_focal_init_score_multiclass_gamma_zero_is_log_shares():
    y = np.repeat([0, 1, 2], [70, 20, 10])
    np.testing.assert_allclose(focal_init_score(y, 3, gamma=0.0), np.log([0.7, 0.2, 0.1]),
                               atol=1e-8)


def test_focal_init_score_minimises_mean_multiclass_loss():
    y = np.repeat([0, 1, 2], [70, 20, 10])
    alpha = [0.2, 1.0, 2.0]

    def mean_loss(c):
        return multiclass_focal_loss(y, np.tile(c, (y.size, 1)), gamma=2.0, alpha=alpha).mean()

    best = minimize(mean_loss, np.zeros(3), method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 5000})
    ours = focal_init_score(y, 3, gamma=2.0, alpha=alpha)
    assert mean_loss(ours) <= best.fun + 1e-12
    assert np.logaddexp.reduce(ours) == pytest.approx(0.0, abs=1e-12)


def test_focal_init_score_class_without_weight_raises():
    y = np.array([0, 0, 1, 1])
    with pytest.raises(TargetError, match="Class code 1 has no weight"):
        focal_init_score(y, sample_weight=[1.0, 1.0, 0.0, 0.0])
    with pytest.raises(TargetError, match="Class code 2 has no weight"):
        focal_init_score(y, 3)


def test_check_alpha_forms_and_errors():
    np.testing.assert_array_equal(check_alpha(0.25, 2), [0.75, 0.25])
    np.testing.assert_array_equal(check_alpha([1, 2, 3], 3), [1.0, 2.0, 3.0])
    with pytest.raises(InvalidInputError, match="only has a meaning for two classes"):
        check_alpha(0.25, 3)
    with pytest.raises(InvalidInputError, match=r"open interval \(0, 1\)"):
        check_alpha(1.0, 2)
    with pytest.raises(InvalidInputError, match="3 finite non-negative class weights"):
        check_alpha([1.0, -1.0, 2.0], 3)
    with pytest.raises(InvalidInputError, match="2 finite non-negative class weights"):
        check_alpha([1.0, 2.0, 3.0], 2)


def test_focal_functions_reject_bad_labels_and_shapes():
    with pytest.raises(TargetError, match=r"class codes 0\.\.1"):
        binary_focal_loss([0, 2], [0.0, 0.0])
    with pytest.raises(TargetError, match=r"class codes 0\.\.2"):
        multiclass_focal_loss([0.5, 1], np.zeros((2, 3)))
    with pytest.raises(LengthMismatchError, match=r"y has shape \(3,\) but the margins have 2"):
        binary_focal_grad_hess([0, 1, 1], [0.0, 0.0])
    with pytest.raises(LengthMismatchError, match="sample_weight has shape"):
        binary_focal_grad_hess([0, 1], [0.0, 0.0], sample_weight=[1.0])
    with pytest.raises(InvalidInputError, match=r"shape \(n_samples, n_classes >= 2\)"):
        multiclass_focal_grad_hess([0, 1], np.zeros(2))
    with pytest.raises(InvalidInputError, match="gamma must be a finite number >= 0"):
        binary_focal_loss([0, 1], [0.0, 0.0], gamma=-1.0)
    with pytest.raises(InvalidInputError, match="n_classes must be an integer >= 2"):
        focal_init_score([0, 1], 1)
