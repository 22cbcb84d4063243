"""Layer normalization in helpers.network: batch_norm="layer" on the same switch (statistics over each
example's units instead of over the batch), its forward/backward pair, a numeric gradient check of the whole
network, and agreement with torch.nn.LayerNorm."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import datasets, gradcheck, network, training

pytestmark = pytest.mark.filterwarnings("error")


def _problem(seed: int, batch_norm="layer", output: str = "sigmoid", m: int = 6):
    rng = np.random.default_rng(seed)
    n_y = 1 if output == "sigmoid" else 3
    params = network.initialize_parameters([4, 5, 3, n_y], "he", rng, batch_norm=batch_norm)
    for key in params:
        if key[0] in "bg":
            params[key] = params[key] + 0.3 * rng.standard_normal(params[key].shape)
    X = rng.standard_normal((4, m))
    Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, n_y, m), n_y)
    return params, X, Y


def test_layernorm_normalizes_each_column_over_its_units():
    rng = np.random.default_rng(0)
    Z = 3 * rng.standard_normal((6, 4)) + 2
    Zt, cache = network.layernorm_forward(Z, np.ones((6, 1)), np.zeros((6, 1)), eps=1e-12)
    np.testing.assert_allclose(Zt.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Zt.var(axis=0), 1, rtol=1e-9)
    assert not np.allclose(Zt.mean(axis=1), 0)  # rows (units) are not normalized: the other axis than batch norm


@pytest.mark.parametrize("hidden, output, batch_norm", [("relu", "sigmoid", "layer"), ("tanh", "softmax", "layer"),
                                                         ("sigmoid", "softmax", ("layer", True)),
                                                         ("tanh", "sigmoid", (False, "layer"))])
def test_gradient_check_of_the_whole_network_with_layer_norm(hidden, output, batch_norm):
    params, X, Y = _problem(1, batch_norm, output)
    _, cache = network.forward(X, params, hidden, output, batch_norm=batch_norm)
    grads = network.backward(cache, Y, 0.3)

    def cost(p):
        return network.compute_cost(network.forward(X, p, hidden, output, batch_norm=batch_norm)[1], Y, 0.3)

    check = gradcheck.gradient_check(cost, params, grads, epsilon=1e-5)
    assert check.difference <= 1e-8, check.blocks
    for l, kind in enumerate(network.check_batch_norm(batch_norm, 2), start=1):
        assert (f"dgamma{l}" in grads) == bool(kind)


@pytest.mark.parametrize("m", [1, 2, 7])
def test_agrees_with_torch_layernorm_forward_and_backward(m):
    rng = np.random.default_rng(m)
    n = 5
    Z = 2 * rng.standard_normal((n, m)) + 1
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    dZ_tilde = rng.standard_normal((n, m))
    Zt, cache = network.layernorm_forward(Z, gamma, beta, eps=1e-5)
    dZ, dgamma, dbeta = network.layernorm_backward(dZ_tilde, cache)

    layer = torch.nn.LayerNorm(n, eps=1e-5, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma.ravel()))
        layer.bias.copy_(torch.tensor(beta.ravel()))
    Z_torch = torch.tensor(Z.T.copy(), requires_grad=True)  # PyTorch: examples are rows, normalized over the last axis
    out = layer(Z_torch)
    (out * torch.tensor(dZ_tilde.T)).sum().div(m).backward()  # J with ∂J/∂Z̃ = dZ̃ / m (the course's dZ̃ = m ∂J/∂Z̃)
    np.testing.assert_allclose(Zt, out.detach().numpy().T, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(dgamma.ravel(), layer.weight.grad.numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dbeta.ravel(), layer.bias.grad.numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dZ / m, Z_torch.grad.numpy().T, rtol=1e-10, atol=1e-13)


def test_a_wrong_axis_would_fail_the_torch_comparison():
    """The agreement test can fail: batch norm (the other axis) on the same numbers differs from LayerNorm."""
    rng = np.random.default_rng(3)
    Z = rng.standard_normal((5, 4))
    ones, zeros = np.ones((5, 1)), np.zeros((5, 1))
    out = torch.nn.LayerNorm(5, dtype=torch.float64)(torch.tensor(Z.T.copy())).detach().numpy().T
    assert not np.allclose(network.batchnorm_forward(Z, ones, zeros)[0], out)
    np.testing.assert_allclose(network.layernorm_forward(Z, ones, zeros)[0], out, rtol=1e-12, atol=1e-13)


def test_layer_norm_has_no_running_statistics_is_the_same_in_test_mode_and_takes_a_batch_of_one():
    params, X, _ = _problem(4)
    assert network.initialize_running(params, "layer") == {}
    A_train, _ = network.forward(X, params, batch_norm="layer")
    A_test, _ = network.forward(X, params, batch_norm="layer", mode="test")  # no running needed
    np.testing.assert_array_equal(A_train, A_test)
    one = [network.forward(X[:, [i]], params, batch_norm="layer")[0] for i in range(X.shape[1])]
    np.testing.assert_allclose(np.hstack(one), A_train, rtol=1e-13, atol=1e-15)  # each example on its own
    with pytest.raises(ValueError, match="at least 2 examples"):  # batch norm still refuses a batch of one
        network.forward(X[:, :1], network.initialize_parameters([4, 5, 3, 1], "he", np.random.default_rng(0),
                                                                batch_norm=True), batch_norm=True)


def test_train_with_layer_norm_learns_and_leaves_b_alone():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((2, 200))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    result = training.train(X, Y, [2, 16, 16, 1], rng=rng, update="adam", learning_rate=0.02, num_epochs=40,
                            batch_size=32, batch_norm="layer")
    assert result.costs[-1] < 0.5 * result.costs[0]
    assert result.batch_norm == ("layer", "layer") and result.running == {}
    assert not result.params["b1"].any() and not np.array_equal(result.params["gamma1"], np.ones((16, 1)))
    assert result.accuracy(X, Y) > 0.85


@pytest.mark.parametrize("bad", ["Layer", "batch", ("layer",), ("layer", "group")])
def test_bad_switch_values_are_named(bad):
    with pytest.raises(ValueError, match="layer"):
        network.check_batch_norm(bad, 2)


def test_layernorm_backward_refuses_a_batch_norm_cache():
    Z = np.random.default_rng(6).standard_normal((3, 4))
    _, cache = network.batchnorm_forward(Z, np.ones((3, 1)), np.zeros((3, 1)))
    with pytest.raises(TypeError, match="layernorm_forward"):
        network.layernorm_backward(Z, cache)
