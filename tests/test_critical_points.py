"""helpers.critical_points: GOE fractions, the batched tanh net's gradient and Hessian against helpers.network
and finite differences, the critical-point search and its classification, the 2-D plateau."""
import numpy as np
import pytest

from helpers import network
from helpers.critical_points import Plateau, TanhNet, classify, find_critical_points, fraction_positive_definite, goe
from helpers.datasets import make_moons


def test_goe_is_symmetric_with_the_semicircle_scale():
    H = goe(50, 40, np.random.default_rng(0))
    assert H.shape == (40, 50, 50) and np.allclose(H, np.swapaxes(H, 1, 2))
    ev = np.linalg.eigvalsh(H)
    assert 1.7 < ev.max(axis=1).mean() < 2.1 and -2.1 < ev.min(axis=1).mean() < -1.7  # semicircle edges at +-2


def test_fraction_positive_definite_is_one_half_in_one_dimension_and_falls():
    f1, c1 = fraction_positive_definite(1, 20000, np.random.default_rng(1))
    f3, _ = fraction_positive_definite(3, 20000, np.random.default_rng(1))
    assert abs(f1 - 0.5) < 0.015 and c1 == round(f1 * 20000)
    assert f3 < 0.05


@pytest.fixture
def net():
    X, Y = make_moons(40, 0.3, np.random.default_rng(0))
    return TanhNet(X, Y, 3, lambd=0.5)


def test_gradient_matches_helpers_network(net):
    theta = np.random.default_rng(1).standard_normal(net.P)
    params = net.unflatten(theta)
    _, cache = network.forward(net.X, params, hidden="tanh")
    grads = network.backward(cache, net.Y, 0.5)
    want = np.concatenate([grads[k].ravel() for k in ("dW1", "db1", "dW2", "db2")])
    assert np.allclose(net.grad(theta), want, atol=1e-12)
    cost = network.compute_cost(cache, net.Y, 0.5)
    assert np.isclose(net.value(theta), cost)


def test_batched_values_match_one_by_one(net):
    thetas = np.random.default_rng(2).standard_normal((4, net.P))
    assert np.allclose(net.value(thetas), [net.value(t) for t in thetas])
    assert np.allclose(net.grad(thetas), [net.grad(t) for t in thetas])


def test_hessian_matches_second_differences_of_the_value(net):
    theta = np.random.default_rng(3).standard_normal(net.P)
    H = net.hessian(theta)
    eps, P = 1e-4, net.P
    E = eps * np.eye(P)
    i, j = 2, 7
    fd = (net.value(theta + E[i] + E[j]) - net.value(theta + E[i] - E[j]) - net.value(theta - E[i] + E[j])
          + net.value(theta - E[i] - E[j])) / (4 * eps ** 2)
    assert np.allclose(H, H.T) and abs(H[i, j] - fd) < 1e-6
    assert net.hessian(np.zeros((0, P))).shape == (0, P, P)


def test_search_reaches_zero_gradient_and_classifies(net):
    starts = np.random.default_rng(4).standard_normal((6, net.P))
    theta, norms = find_critical_points(net, starts, iterations=40)
    assert np.all(norms[norms < 1e-8] >= 0) and np.sum(norms < 1e-8) >= 3
    assert np.allclose(np.linalg.norm(net.grad(theta), axis=1), norms)
    index, _ = classify(np.linalg.eigvalsh(net.hessian(theta[norms < 1e-8])))
    assert index.min() >= 0


def test_classify_counts_negative_and_flat_directions():
    index, zeros = classify([[-2.0, -1e-9, 3.0], [1.0, 2.0, 3.0]], tol=1e-6)
    assert index.tolist() == [1, 0] and zeros.tolist() == [1, 0]


def test_plateau_gradient_and_minimum():
    s, w = Plateau(), np.array([0.3, -0.7])
    fd = [(s.value(w + d) - s.value(w - d)) / 2e-6 for d in 1e-6 * np.eye(2)]
    assert np.allclose(s.grad(w), fd, atol=1e-8)
    assert np.allclose(s.grad(s.minimum), 0) and np.isclose(s.value(s.minimum), -1 / 12)


def test_bad_input():
    with pytest.raises(ValueError, match="theta must have"):
        TanhNet(np.zeros((2, 5)), np.zeros((1, 5)), 2).value(np.zeros(3))
    with pytest.raises(ValueError, match="lambd"):
        TanhNet(np.zeros((2, 5)), np.zeros((1, 5)), 2, lambd=-1)
