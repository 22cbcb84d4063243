"""Batch normalization in helpers.network: the layer pair, the network switch, training, test mode.

Conventions checked here (see helpers.network's docstring): a batch-norm layer computes Z = W A_prev (b{l}
stays in params but is unused, so db{l} = 0), Z̃ = γ (Z − μ)/√(σ² + ε) + β with the batch's biased σ²;
dZ̃ carries the course's m ∂J/∂Z̃, so dγ, dβ are means over the batch, like db. Running averages live in
their own dict and follow running := β_bn running + (1 − β_bn) batch from mean 0, variance 1.
PyTorch's BatchNorm1d(momentum=1 − β_bn) matches, except that its running_var averages m/(m − 1) σ².
"""
from __future__ import annotations

import importlib
import importlib.util
import io
import itertools
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from helpers import datasets, gradcheck, network, training
from helpers.averages import ewa

pytestmark = pytest.mark.filterwarnings("error")

HIDDEN = ("relu", "tanh", "sigmoid")
ROOT = Path(__file__).resolve().parents[1]


def _bn_problem(seed: int, output: str = "sigmoid", batch_norm=True, m: int = 7):
    """A [4, 5, 3, n_y] net with batch norm, γ, β and b moved off their starting values, inputs and labels."""
    rng = np.random.default_rng(seed)
    n_y = 1 if output == "sigmoid" else 3
    dims = [4, 5, 3, n_y]
    params = network.initialize_parameters(dims, "he", rng, batch_norm=batch_norm)
    for key in params:
        if key[0] in "bg":  # b, beta, gamma
            params[key] = params[key] + 0.3 * rng.standard_normal(params[key].shape)
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, n_y, m), n_y)
    return params, X, Y


# ---------------------------------------------------------------- the numeric gradient check
@pytest.mark.parametrize("hidden, lambd", list(itertools.product(HIDDEN, (0.0, 0.7))))
def test_gradient_check_of_the_whole_network_with_batch_norm(hidden, lambd):
    params, X, Y = _bn_problem(HIDDEN.index(hidden))
    _, cache = network.forward(X, params, hidden, batch_norm=True)
    grads = network.backward(cache, Y, lambd)
    assert {"dgamma1", "dbeta1", "dgamma2", "dbeta2"} <= set(grads)

    def cost(p):
        return network.compute_cost(network.forward(X, p, hidden, batch_norm=True)[1], Y, lambd)

    check = gradcheck.gradient_check(cost, params, grads, epsilon=1e-5)
    assert check.difference <= 1e-8, check.blocks
    for l in (1, 2):  # b is unused in a batch-norm layer: both gradients exactly 0
        assert not grads[f"db{l}"].any() and not check.numerical[f"db{l}"].any()
    assert np.abs(grads["db3"]).max() > 1e-3  # the output layer keeps its b


def test_gradient_check_with_batch_norm_in_one_layer_softmax_and_running_averages():
    params, X, Y = _bn_problem(7, output="softmax", batch_norm=(False, True))
    running = network.initialize_running(params, (False, True))
    assert set(running) == {"running_mean2", "running_var2"}
    _, cache = network.forward(X, params, "tanh", "softmax", batch_norm=(False, True), running=running)
    assert not np.array_equal(running["running_var2"], np.ones((3, 1)))  # updated in place
    grads = network.backward(cache, Y, 0.3)
    assert "dgamma1" not in grads and np.abs(grads["db1"]).max() > 1e-3

    def cost(p):
        return network.compute_cost(network.forward(X, p, "tanh", "softmax", batch_norm=(False, True))[1], Y, 0.3)

    assert gradcheck.gradient_check(cost, params, grads, epsilon=1e-5).difference <= 1e-8


# ---------------------------------------------------------------- the layer pair
def _step_by_step_backward(dZ_tilde, Z, gamma, eps):
    """The computational graph of batch norm walked backwards one node at a time (train mode).

    Works with G = ∂J/∂Z̃ = dZ̃ / m and returns the course's (m ∂J/∂Z, ∂J/∂γ, ∂J/∂β)."""
    n, m = Z.shape
    G = dZ_tilde / m
    mu = Z.sum(axis=1, keepdims=True) / m
    Zc = Z - mu
    sq = Zc ** 2
    var = sq.sum(axis=1, keepdims=True) / m
    std = np.sqrt(var + eps)
    istd = 1 / std
    Zn = Zc * istd
    dgamma = (G * Zn).sum(axis=1, keepdims=True)
    dbeta = G.sum(axis=1, keepdims=True)
    dZn = G * gamma
    dZc = dZn * istd
    distd = (dZn * Zc).sum(axis=1, keepdims=True)
    dstd = -distd / std ** 2
    dvar = dstd * 0.5 / std
    dsq = np.ones((n, m)) * dvar / m
    dZc = dZc + 2 * Zc * dsq
    dmu = -dZc.sum(axis=1, keepdims=True)
    dZ = dZc + dmu / m
    return m * dZ, dgamma, dbeta


@pytest.mark.parametrize("m", [2, 3, 16])
def test_compact_backward_matches_the_step_by_step_backward(m):
    rng = np.random.default_rng(m)
    Z = 3 * rng.standard_normal((4, m)) + 1
    gamma, beta = rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
    dZ_tilde = rng.standard_normal((4, m))
    _, cache = network.batchnorm_forward(Z, gamma, beta, eps=1e-5)
    ours = network.batchnorm_backward(dZ_tilde, cache)
    for got, want, name in zip(ours, _step_by_step_backward(dZ_tilde, Z, gamma, 1e-5), ("dZ", "dgamma", "dbeta"),
                               strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=name)


def test_train_mode_normalizes_each_row_and_test_mode_uses_the_running_averages():
    rng = np.random.default_rng(3)
    Z = 5 * rng.standard_normal((3, 50)) - 2
    gamma, beta = np.ones((3, 1)), np.zeros((3, 1))
    Zt, cache = network.batchnorm_forward(Z, gamma, beta, eps=1e-8)
    np.testing.assert_allclose(Zt.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Zt.var(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(cache["var"], Z.var(axis=1, keepdims=True))  # the biased 1/m variance
    # b is redundant: adding it to Z changes nothing after the mean is subtracted
    np.testing.assert_allclose(network.batchnorm_forward(Z + 7.0, gamma, beta)[0],
                               network.batchnorm_forward(Z, gamma, beta)[0], atol=1e-12)
    running = (np.full((3, 1), 0.5), np.full((3, 1), 4.0))
    Zt_test, _ = network.batchnorm_forward(Z, 2 * gamma, beta + 1, mode="test", running=running)
    np.testing.assert_allclose(Zt_test, 2 * (Z - 0.5) / np.sqrt(4.0 + 1e-5) + 1)
    # test mode handles one example at a time: each column alone gives its column of the whole batch
    one = network.batchnorm_forward(Z[:, :1], 2 * gamma, beta + 1, mode="test", running=running)[0]
    np.testing.assert_array_equal(one, Zt_test[:, :1])


def test_test_mode_backward_treats_the_running_statistics_as_constants():
    rng = np.random.default_rng(4)
    Z, gamma = rng.standard_normal((3, 6)), rng.standard_normal((3, 1))
    running = (rng.standard_normal((3, 1)), rng.random((3, 1)) + 0.5)
    dZ_tilde = rng.standard_normal((3, 6))
    _, cache = network.batchnorm_forward(Z, gamma, np.zeros((3, 1)), mode="test", running=running)
    dZ, dgamma, dbeta = network.batchnorm_backward(dZ_tilde, cache)
    np.testing.assert_allclose(dZ, gamma / np.sqrt(running[1] + 1e-5) * dZ_tilde)
    np.testing.assert_allclose(dbeta, dZ_tilde.mean(axis=1, keepdims=True))


def test_running_averages_are_the_exponentially_weighted_averages_of_the_batch_statistics():
    rng = np.random.default_rng(5)
    beta_bn, steps = 0.8, 6
    running = (np.zeros((2, 1)), np.ones((2, 1)))
    means, variances = [], []
    for _ in range(steps):
        Z = rng.standard_normal((2, 9)) * 2 + 3
        means.append(Z.mean(axis=1))
        variances.append(Z.var(axis=1))
        network.batchnorm_forward(Z, np.ones((2, 1)), np.zeros((2, 1)), running=running, momentum=beta_bn)
    for row in range(2):
        # v_0 = 0: the running mean is lab 06's EWA without bias correction; the variance starts at 1
        assert running[0][row, 0] == pytest.approx(ewa(np.array(means)[:, row], beta_bn, bias_correction=False)[-1])
        want_var = beta_bn ** steps + ewa(np.array(variances)[:, row], beta_bn, bias_correction=False)[-1]
        assert running[1][row, 0] == pytest.approx(want_var)


# ---------------------------------------------------------------- PyTorch
def test_agrees_with_torch_batchnorm1d_in_train_and_eval_mode():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    n, m, beta_bn, eps = 4, 8, 0.9, 1e-5
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    layer = torch.nn.BatchNorm1d(n, eps=eps, momentum=1 - beta_bn, dtype=torch.float64)  # momentum = 1 − β_bn
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma.ravel()))
        layer.bias.copy_(torch.tensor(beta.ravel()))
    running = (np.zeros((n, 1)), np.ones((n, 1)))
    steps = 5
    for mode in ["train"] * steps + ["test"]:
        layer.train(mode == "train")
        Z = rng.standard_normal((n, m)) * 2 - 1
        dZ_tilde = rng.standard_normal((n, m))
        Zt, cache = network.batchnorm_forward(Z, gamma, beta, eps, mode, running, beta_bn)
        dZ, dgamma, dbeta = network.batchnorm_backward(dZ_tilde, cache)

        Z_torch = torch.tensor(Z.T.copy(), requires_grad=True)  # PyTorch: examples are rows
        layer.zero_grad()
        out = layer(Z_torch)
        (out * torch.tensor(dZ_tilde.T)).sum().div(m).backward()  # J with ∂J/∂Z̃ = dZ̃ / m
        np.testing.assert_allclose(Zt, out.detach().numpy().T, rtol=1e-12, atol=1e-13, err_msg=mode)
        np.testing.assert_allclose(dgamma.ravel(), layer.weight.grad.numpy(), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(dbeta.ravel(), layer.bias.grad.numpy(), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(dZ / m, Z_torch.grad.numpy().T, rtol=1e-10, atol=1e-13)  # dZ = m ∂J/∂Z
        if mode == "train":
            np.testing.assert_allclose(running[0].ravel(), layer.running_mean.numpy(), rtol=1e-12)
            # PyTorch averages the unbiased m/(m−1) σ²; both start at 1, whose weight β_bn^t is the same
            start = beta_bn ** layer.num_batches_tracked.item()
            np.testing.assert_allclose(start + (running[1].ravel() - start) * m / (m - 1),
                                       layer.running_var.numpy(), rtol=1e-12)
            assert not np.allclose(running[1].ravel(), layer.running_var.numpy())  # the conventions do differ
            if layer.num_batches_tracked.item() == steps:  # eval mode next: give PyTorch our running variance
                layer.running_var.copy_(torch.tensor(running[1].ravel()))


# ---------------------------------------------------------------- the network and the training loop
def test_train_and_test_mode_differ_on_a_batch_and_the_test_mode_is_per_example():
    params, X, _ = _bn_problem(8)
    running = network.initialize_running(params)
    network.forward(X, params, batch_norm=True, running=running)
    A_train, _ = network.forward(X, params, batch_norm=True)
    A_test, _ = network.forward(X, params, batch_norm=True, mode="test", running=running)
    assert not np.allclose(A_train, A_test)
    per_example = [network.forward(X[:, [i]], params, batch_norm=True, mode="test", running=running)[0]
                   for i in range(X.shape[1])]
    np.testing.assert_allclose(np.hstack(per_example), A_test, rtol=1e-13, atol=1e-15)
    # b{l} of a batch-norm layer changes nothing
    moved = dict(params, b1=params["b1"] + 5.0)
    np.testing.assert_array_equal(network.forward(X, moved, batch_norm=True)[0], A_train)


@pytest.mark.parametrize("rule", sorted(training.update_rules()))
def test_every_update_rule_trains_gamma_and_beta_and_leaves_b_of_a_batch_norm_layer_alone(rule):
    rng = np.random.default_rng(9)
    X, Y = datasets.make_moons(64, noise=0.2, rng=rng)
    result = training.train(X, Y, [2, 6, 5, 1], rng=rng, update=rule, learning_rate=0.01, num_epochs=5,
                            batch_size=16, batch_norm=True)
    p = result.params
    for l in (1, 2):
        assert not np.array_equal(p[f"gamma{l}"], np.ones_like(p[f"gamma{l}"])), f"{rule} left gamma{l}"
        assert not np.array_equal(p[f"beta{l}"], np.zeros_like(p[f"beta{l}"])), f"{rule} left beta{l}"
        assert not p[f"b{l}"].any(), f"{rule} moved b{l}, which a batch-norm layer does not use"
        assert not np.array_equal(result.running[f"running_var{l}"], np.ones_like(p[f"gamma{l}"]))
    assert set(p) == {"W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"}


def test_train_with_batch_norm_learns_and_predicts_in_test_mode():
    rng = np.random.default_rng(10)
    X = rng.standard_normal((2, 200))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    X_dev = rng.standard_normal((2, 100))
    Y_dev = (X_dev[0:1] * X_dev[1:2] > 0).astype(float)
    result = training.train(X, Y, [2, 16, 16, 1], rng=rng, hidden="relu", update="adam", learning_rate=0.02,
                            num_epochs=60, batch_size=32, batch_norm=True, X_dev=X_dev, Y_dev=Y_dev,
                            keep_best=True, record_every=5)
    assert result.costs[-1] < 0.5 * result.costs[0]
    assert result.batch_norm == (True, True) and result.best_running is not None
    want = network.accuracy(X_dev, Y_dev, result.params, batch_norm=True, running=result.running)
    assert result.accuracy(X_dev, Y_dev) == want > 0.85
    AL, cache = network.forward(X_dev, result.params, batch_norm=True, mode="test", running=result.running)
    assert result.dev_costs[-1] == network.compute_cost(cache, Y_dev)  # dev costs in test mode
    np.testing.assert_array_equal(result.probabilities(X_dev), AL)


def test_float32_batch_norm_with_dropout_in_one_layer_stays_float32():
    rng = np.random.default_rng(18)
    X, Y = datasets.make_moons(100, noise=0.2, rng=rng)
    result = training.train(X, Y, [2, 8, 8, 1], rng=rng, dtype=np.float32, batch_norm=(True, False), batch_size=32,
                            num_epochs=3, update="adam", learning_rate=0.01, keep_prob=0.9)
    assert set(result.params) == {"W1", "b1", "gamma1", "beta1", "W2", "b2", "W3", "b3"}
    assert {v.dtype for v in [*result.params.values(), *result.running.values()]} == {np.dtype(np.float32)}
    assert set(result.running) == {"running_mean1", "running_var1"}


def _committed_helpers(tmp_path_factory):
    """helpers as committed before batch norm existed, imported as the package 'helpers_before_bn'.

    Uses the parent of the commit that added batchnorm_forward, or HEAD while that is not committed yet."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git history")
    if "helpers_before_bn" in sys.modules:
        return sys.modules["helpers_before_bn"]

    def git(*args):
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, check=True).stdout

    added = git("log", "--format=%H", "-S", "def batchnorm_forward", "--", "helpers/network.py").split()
    base = added[-1].decode() + "^" if added else "HEAD"
    try:
        archive = git("archive", "--format=tar", base, "helpers")
    except subprocess.CalledProcessError as error:
        pytest.skip(f"cannot read helpers at {base}: {error.stderr.decode()[:200]}")
    where = tmp_path_factory.mktemp("before_bn")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    spec = importlib.util.spec_from_file_location("helpers_before_bn", where / "helpers" / "__init__.py",
                                                  submodule_search_locations=[str(where / "helpers")])
    package = importlib.util.module_from_spec(spec)
    sys.modules["helpers_before_bn"] = package
    spec.loader.exec_module(package)
    return package


@pytest.mark.parametrize("hidden, output", list(itertools.product(HIDDEN, ("sigmoid", "softmax"))))
def test_without_batch_norm_forward_and_backward_are_bit_identical_to_before(hidden, output, tmp_path_factory):
    old = importlib.import_module(_committed_helpers(tmp_path_factory).__name__ + ".network")
    params, X, Y = _bn_problem(11, output, batch_norm=False)
    outs = []
    for module in (network, old):
        rng = np.random.default_rng(0)
        AL, cache = module.forward(X, params, hidden, output, keep_prob=(0.8, 0.7), rng=rng)
        outs.append((AL, module.compute_cost(cache, Y, 0.4), module.backward(cache, Y, 0.4),
                     module.predict(X, params, hidden, output),
                     module.initialize_parameters([4, 5, 3, 2], "he", np.random.default_rng(1))))
    (AL, J, grads, pred, init), (AL_old, J_old, grads_old, pred_old, init_old) = outs
    np.testing.assert_array_equal(AL, AL_old)
    assert J == J_old
    assert grads.keys() == grads_old.keys()
    for key in grads:
        np.testing.assert_array_equal(grads[key], grads_old[key], err_msg=key)
    np.testing.assert_array_equal(pred, pred_old)
    assert init.keys() == init_old.keys() and all(np.array_equal(init[k], init_old[k]) for k in init)


def test_without_batch_norm_training_is_bit_identical_to_before(tmp_path_factory):
    old = importlib.import_module(_committed_helpers(tmp_path_factory).__name__ + ".training")
    from helpers import optim
    rng = np.random.default_rng(12)
    X, X_dev = rng.standard_normal((3, 90)), rng.standard_normal((3, 30))
    Y, Y_dev = (X[:1] > 0).astype(float), (X_dev[:1] > 0).astype(float)
    runs = [module.train(X, Y, [3, 8, 4, 1], rng=np.random.default_rng(0), hidden="tanh", learning_rate=0.05,
                         num_epochs=6, batch_size=16, update=optim.adam, lambd=0.2, keep_prob=(0.9, 0.8),
                         X_dev=X_dev, Y_dev=Y_dev, record_every=2, keep_best=True)
            for module in (training, old)]
    new, before = runs
    assert new.costs == before.costs and new.dev_costs == before.dev_costs and new.epochs == before.epochs
    assert new.best_epoch == before.best_epoch
    for key in before.params:
        np.testing.assert_array_equal(new.params[key], before.params[key], err_msg=key)
    assert new.params.keys() == before.params.keys() and new.running is None and new.batch_norm == ()
    assert new.accuracy(X_dev, Y_dev) == before.accuracy(X_dev, Y_dev)


# ---------------------------------------------------------------- bad inputs
def _layer_args():
    rng = np.random.default_rng(13)
    return rng.standard_normal((3, 5)), np.ones((3, 1)), np.zeros((3, 1))


@pytest.mark.parametrize("eps", [0, -1e-5])
def test_eps_must_be_positive(eps):
    Z, gamma, beta = _layer_args()
    with pytest.raises(ValueError, match="eps"):
        network.batchnorm_forward(Z, gamma, beta, eps=eps)
    params, X, _ = _bn_problem(14)
    with pytest.raises(ValueError, match="eps"):
        network.forward(X, params, batch_norm=True, bn_eps=eps)


@pytest.mark.parametrize("momentum", [1.0, -0.1, 1.5])
def test_momentum_must_be_in_zero_one(momentum):
    Z, gamma, beta = _layer_args()
    with pytest.raises(ValueError, match=r"momentum.*\[0, 1\)"):
        network.batchnorm_forward(Z, gamma, beta, momentum=momentum)
    X = np.random.default_rng(0).standard_normal((2, 20))
    with pytest.raises(ValueError, match="momentum"):
        training.train(X, X[:1] > 0, [2, 3, 1], rng=np.random.default_rng(0), batch_norm=True,
                       bn_momentum=momentum, num_epochs=1)


def test_a_batch_of_one_in_train_mode_is_refused_and_says_why():
    Z, gamma, beta = _layer_args()
    with pytest.raises(ValueError, match="σ² = 0"):
        network.batchnorm_forward(Z[:, :1], gamma, beta)
    network.batchnorm_forward(Z[:, :1], gamma, beta, mode="test", running=(np.zeros((3, 1)), np.ones((3, 1))))
    params, X, _ = _bn_problem(15)
    with pytest.raises(ValueError, match="at least 2 examples"):
        network.forward(X[:, :1], params, batch_norm=True)
    X2 = np.random.default_rng(0).standard_normal((2, 9))
    with pytest.raises(ValueError, match="last mini-batch of 1"):  # 9 = 4 + 4 + 1
        training.train(X2, X2[:1] > 0, [2, 3, 1], rng=np.random.default_rng(0), batch_norm=True, batch_size=4)
    training.train(X2, X2[:1] > 0, [2, 3, 1], rng=np.random.default_rng(0), batch_size=4, num_epochs=1)  # no BN: fine


@pytest.mark.parametrize("missing", ["gamma2", "beta1"])
def test_missing_gamma_or_beta_is_named(missing):
    params, X, _ = _bn_problem(16)
    del params[missing]
    with pytest.raises(ValueError, match=f"params\\['{missing}'\\]"):
        network.forward(X, params, batch_norm=True)


def test_other_batch_norm_mistakes_are_named():
    params, X, _ = _bn_problem(17)
    with pytest.raises(ValueError, match="batch_norm is off"):  # BN parameters, switch forgotten
        network.predict(X, params)
    with pytest.raises(ValueError, match="running"):
        network.predict(X, params, batch_norm=True)  # test mode without running averages
    running = network.initialize_running(params)
    del running["running_var2"]
    with pytest.raises(ValueError, match="running_var2"):
        network.forward(X, params, batch_norm=True, mode="test", running=running)
    with pytest.raises(ValueError, match="mode"):
        network.forward(X, params, batch_norm=True, mode="eval")
    with pytest.raises(ValueError, match="one per hidden layer"):
        network.forward(X, params, batch_norm=(True,))
    with pytest.raises(ValueError, match="without hidden layers"):
        network.initialize_parameters([3, 1], "he", np.random.default_rng(0), batch_norm=True)
    bad = dict(params, gamma1=np.ones((1, 5)))
    with pytest.raises(ValueError, match=r"gamma1'\] must have shape \(5, 1\)"):
        network.forward(X, bad, batch_norm=True)
    Z, gamma, beta = _layer_args()
    with pytest.raises(ValueError, match=r"beta must have shape \(3, 1\)"):
        network.batchnorm_forward(Z, gamma, beta.ravel())
    with pytest.raises(TypeError, match="cache"):
        network.batchnorm_backward(Z, (Z, gamma))
