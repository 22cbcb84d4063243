"""The helpers against PyTorch: gradients against torch.autograd, update rules against torch.optim.

Gradients: every hidden activation × output, with L2 and a fixed dropout mask (the masks forward drew,
replayed in PyTorch), in float64. Update rules: several steps from the same start with the same gradients.
Momentum: the course's v := βv + (1−β)dW, W := W − αv equals torch.optim.SGD(lr=α(1−β), momentum=β): PyTorch's
buffer is the undamped sum b := βb + dW = v / (1−β), so its learning rate absorbs the (1−β).
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers import datasets, network, optim

torch = pytest.importorskip("torch")

HIDDEN = ("relu", "tanh", "sigmoid")
OUTPUT = ("sigmoid", "softmax")
TORCH_ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


def _torch_cost(X, Y, params, hidden, output, lambd, cache):
    """The helpers' cost in PyTorch, replaying forward's dropout masks; returns (J, {key: leaf tensor})."""
    leaves = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    L = len(cache["layers"])
    A = torch.tensor(X)
    for l in range(1, L + 1):
        Z = leaves[f"W{l}"] @ A + leaves[f"b{l}"]
        if l < L:
            A = TORCH_ACT[hidden](Z)
            layer = cache["layers"][l - 1]
            if "D" in layer:
                A = A * torch.tensor(layer["D"], dtype=torch.float64) / layer["keep_prob"]
    m = X.shape[1]
    Yt = torch.tensor(Y, dtype=torch.float64)
    if output == "sigmoid":
        J = torch.nn.functional.binary_cross_entropy_with_logits(Z, Yt, reduction="sum") / m
    else:
        J = -(Yt * torch.log_softmax(Z, dim=0)).sum() / m
    J = J + lambd / (2 * m) * sum((leaves[f"W{l}"] ** 2).sum() for l in range(1, L + 1))
    return J, leaves


@pytest.mark.parametrize("hidden, output", list(itertools.product(HIDDEN, OUTPUT)))
def test_gradients_match_torch_autograd(hidden, output):
    rng = np.random.default_rng(HIDDEN.index(hidden) * 2 + OUTPUT.index(output))
    n_y = 1 if output == "sigmoid" else 4
    dims = [5, 6, 4, n_y]
    params = network.initialize_parameters(dims, "he", rng)
    for l in range(1, len(dims)):
        params[f"b{l}"] = 0.2 * rng.standard_normal((dims[l], 1))
    m, lambd = 9, 0.3
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, n_y, m), n_y)
    AL, cache = network.forward(X, params, hidden, output, keep_prob=(0.8, 0.6), rng=rng)
    assert all("D" in layer for layer in cache["layers"][:-1])  # the dropout masks are in play
    J = network.compute_cost(cache, Y, lambd)
    grads = network.backward(cache, Y, lambd)

    J_torch, leaves = _torch_cost(X, Y, params, hidden, output, lambd, cache)
    J_torch.backward()
    assert J == pytest.approx(J_torch.item(), rel=1e-13)
    for key, leaf in leaves.items():
        np.testing.assert_allclose(grads["d" + key], leaf.grad.numpy(), rtol=1e-11, atol=1e-14, err_msg=key)


def _run(rule_np, make_torch, steps=6, **kw):
    """Apply a numpy rule and a torch optimizer to the same start and gradients; return both parameter sets."""
    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal((3, 1))}
    leaves = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    opt = make_torch(list(leaves.values()))
    state: dict = {}
    for _ in range(steps):
        grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
        state = rule_np(params, grads, state, **kw)
        for k, leaf in leaves.items():
            leaf.grad = torch.tensor(grads["d" + k])
        opt.step()
    return params, {k: v.detach().numpy() for k, v in leaves.items()}


def _assert_same(ours, theirs):
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-14, err_msg=key)


def test_gradient_descent_matches_torch_sgd():
    _assert_same(*_run(optim.gradient_descent, lambda p: torch.optim.SGD(p, lr=0.1), learning_rate=0.1))


@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_momentum_matches_torch_sgd_with_lr_times_one_minus_beta(beta):
    alpha = 0.05
    ours, theirs = _run(optim.momentum, lambda p: torch.optim.SGD(p, lr=alpha * (1 - beta), momentum=beta),
                        learning_rate=alpha, beta=beta)
    _assert_same(ours, theirs)
    _, plain = _run(optim.momentum, lambda p: torch.optim.SGD(p, lr=alpha, momentum=beta),
                    learning_rate=alpha, beta=beta)
    assert not np.allclose(ours["W1"], plain["W1"])  # without the (1 - beta) the two differ


@pytest.mark.parametrize("beta1, beta2, epsilon", [(0.9, 0.999, 1e-8), (0.5, 0.9, 1e-3)])
def test_adam_matches_torch_adam(beta1, beta2, epsilon):
    _assert_same(*_run(optim.adam, lambda p: torch.optim.Adam(p, lr=0.01, betas=(beta1, beta2), eps=epsilon),
                       learning_rate=0.01, beta1=beta1, beta2=beta2, epsilon=epsilon))


@pytest.mark.skipif(not hasattr(optim, "rmsprop"), reason="helpers.optim has no rmsprop yet")
def test_rmsprop_matches_torch_rmsprop():
    _assert_same(*_run(optim.rmsprop, lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8),
                       learning_rate=0.01, beta=0.9, epsilon=1e-8))
