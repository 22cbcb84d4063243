"""Lab 10's checks pass the reference and a learner-style solution, report stubs and crashes, and give each
usual slip its own hint (each test below is one wrong answer a learner writes)."""
import numpy as np
import pytest

from helpers import checks, network
from helpers.checks import batchnorm


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


# ---------------------------------------------------------------- learner-style solutions (as in the lab)
def forward_solution(Z, gamma, beta, eps=1e-5, mode="train", running=None, momentum=0.9):
    if mode == "train":
        mu = Z.mean(axis=1, keepdims=True)
        var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
        if running is not None:
            running[0][...] = momentum * running[0] + (1 - momentum) * mu
            running[1][...] = momentum * running[1] + (1 - momentum) * var
    else:
        mu, var = running
    inv_std = 1 / np.sqrt(var + eps)
    Z_norm = (Z - mu) * inv_std
    return gamma * Z_norm + beta, {"Z_norm": Z_norm, "gamma": gamma, "inv_std": inv_std, "mode": mode}


def backward_solution(dZ_tilde, cache):
    Z_norm, gamma, inv_std = cache["Z_norm"], cache["gamma"], cache["inv_std"]
    m = Z_norm.shape[1]
    dbeta = dZ_tilde.sum(axis=1, keepdims=True) / m
    dgamma = (dZ_tilde * Z_norm).sum(axis=1, keepdims=True) / m
    if cache["mode"] == "test":
        return gamma * inv_std * dZ_tilde, dgamma, dbeta
    return gamma * inv_std * (dZ_tilde - dbeta - Z_norm * dgamma), dgamma, dbeta


def test_solutions_and_references_pass(capsys):
    for fn in (forward_solution, network.batchnorm_forward, network._batchnorm_forward):
        ok, out = run(checks.check_batchnorm_forward, fn, capsys)
        assert ok and "all 4 cases match" in out, out
    for fn in (backward_solution, network.batchnorm_backward, network._batchnorm_backward):
        ok, out = run(checks.check_batchnorm_backward, fn, capsys)
        assert ok and "all 3 cases match" in out, out


def test_replays_without_a_slip_are_the_reference(capsys):
    for _, args in batchnorm._forward_cases():
        ref_args = batchnorm._copy_args(args)
        want = network.batchnorm_forward(*ref_args)[0]
        got, running = batchnorm._forward(*batchnorm._copy_args(args))
        np.testing.assert_allclose(got, want, rtol=1e-12)
        if running is not None:
            for R, W in zip(running, ref_args[5], strict=True):
                np.testing.assert_allclose(R, W, rtol=1e-12)
    assert run(checks.check_batchnorm_backward, batchnorm._backward, capsys)[0]


def test_stubs_and_crashes(capsys):
    def stub(*args):
        raise NotImplementedError

    for check in (checks.check_batchnorm_forward, checks.check_batchnorm_backward):
        ok, out = run(check, stub, capsys)
        assert not ok and "not done yet" in out

    def crash(Z, gamma, beta, eps=1e-5, mode="train", running=None, momentum=0.9):
        return Z @ gamma, {}

    ok, out = run(checks.check_batchnorm_forward, crash, capsys)
    assert not ok and "raised ValueError" in out and "Z @ gamma" in out


# ---------------------------------------------------------------- forward slips, one learner mistake each
def _forward_with(**changes):
    """A learner's forward with one mistake; changes name which."""
    def forward(Z, gamma, beta, eps=1e-5, mode="train", running=None, momentum=0.9):
        axis = changes.get("axis", 1)
        if mode == "train" or changes.get("test_batch_stats"):
            mu = Z.mean(axis=axis, keepdims=True)
            var = Z.var(axis=axis, ddof=changes.get("ddof", 0), keepdims=True)
            if running is not None and mode == "train":
                if changes.get("not_in_place"):
                    running = (momentum * running[0] + (1 - momentum) * mu, momentum * running[1] + (1 - momentum) * var)
                elif changes.get("swapped"):
                    running[0][...] = (1 - momentum) * running[0] + momentum * mu
                    running[1][...] = (1 - momentum) * running[1] + momentum * var
                else:
                    m = Z.shape[1]
                    running[0][...] = momentum * running[0] + (1 - momentum) * mu
                    unbiased = m / (m - 1) if changes.get("unbiased_running") else 1
                    running[1][...] = momentum * running[1] + (1 - momentum) * var * unbiased
        else:
            mu, var = running[0].copy(), running[1].copy()
            if changes.get("test_updates"):
                running[0][...] = momentum * running[0] + (1 - momentum) * Z.mean(axis=1, keepdims=True)
                running[1][...] = momentum * running[1] + (1 - momentum) * Z.var(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_std = 1 / np.sqrt(var) if changes.get("no_eps") else 1 / np.sqrt(var + eps)
            Z_norm = (Z - mu) * inv_std
        Z_tilde = Z_norm if changes.get("no_affine") else gamma * Z_norm + beta
        return Z_tilde, {"Z_norm": Z_norm, "gamma": gamma, "inv_std": inv_std, "mode": mode}
    return forward


@pytest.mark.parametrize("change, hint", [
    ({"ddof": 1}, "m − 1"),
    ({"axis": 0}, "wrong axis"),
    ({"no_eps": True}, "ε is missing"),
    ({"no_affine": True}, "you returned Z_norm"),
    ({"test_batch_stats": True}, "test mode used the batch's own μ and σ²"),
    ({"swapped": True}, "weights are swapped"),
    ({"unbiased_running": True}, "PyTorch's convention"),
    ({"not_in_place": True}, "in place"),
    ({"test_updates": True}, "test mode changed the running averages"),
])
def test_each_forward_slip_gets_its_hint(change, hint, capsys):
    ok, out = run(checks.check_batchnorm_forward, _forward_with(**change), capsys)
    assert not ok and "Hint" in out and hint in out, out


def test_eps_outside_the_root_and_dividing_by_the_variance_are_named(capsys):
    def outside(Z, gamma, beta, eps=1e-5, mode="train", running=None, momentum=0.9):
        Z_tilde, cache = forward_solution(Z, gamma, beta, eps, mode, running, momentum)
        var = 1 / cache["inv_std"] ** 2 - eps
        return gamma * (Z - Z.mean(axis=1, keepdims=True) if mode == "train" else Z - running[0]) / (
            np.sqrt(var) + eps) + beta, cache

    ok, out = run(checks.check_batchnorm_forward, outside, capsys)
    assert not ok and "inside the root" in out, out


def test_a_cache_without_the_keys_the_backward_reads_is_named(capsys):
    def no_cache(*args):
        return forward_solution(*args)[0], (1, 2)

    ok, out = run(checks.check_batchnorm_forward, no_cache, capsys)
    assert not ok and "'inv_std'" in out and "cache" in out, out


def test_returning_only_z_tilde_is_named(capsys):
    ok, out = run(checks.check_batchnorm_forward, lambda *a: forward_solution(*a)[0], capsys)
    assert not ok and "(Z_tilde, cache)" in out, out


# ---------------------------------------------------------------- backward slips
def _backward_with(**changes):
    def backward(dZ_tilde, cache):
        Z_norm, gamma, inv_std = cache["Z_norm"], cache["gamma"], cache["inv_std"]
        m = Z_norm.shape[1]
        axis = changes.get("axis", 1)
        dbeta = dZ_tilde.sum(axis=axis, keepdims=True)
        dgamma = (dZ_tilde * Z_norm).sum(axis=axis, keepdims=True)
        if not changes.get("no_mean"):
            dbeta, dgamma = dbeta / Z_norm.shape[axis], dgamma / Z_norm.shape[axis]
        scale = (1 if changes.get("no_gamma") else gamma) * inv_std
        if (cache["mode"] == "test" or changes.get("test_formula")) and not changes.get("train_formula"):
            return scale * dZ_tilde, dgamma, dbeta
        mu_term = 0 if changes.get("no_mu_term") else dbeta * (m if changes.get("sums_inside") else 1)
        var_term = 0 if changes.get("no_var_term") else Z_norm * dgamma * (m if changes.get("sums_inside") else 1)
        return scale * (dZ_tilde - mu_term - var_term), dgamma, dbeta
    return backward


@pytest.mark.parametrize("change, hint", [
    ({"test_formula": True}, "that is test mode"),
    ({"no_mu_term": True}, "term from μ is missing"),
    ({"no_var_term": True}, "term from σ² is missing"),
    ({"no_mean": True}, "dγ and dβ need 1/m"),
    ({"sums_inside": True}, "not the sums"),
    ({"no_gamma": True}, "γ is missing"),
    ({"train_formula": True}, "test mode normalizes with the running averages"),
])
def test_each_backward_slip_gets_its_hint(change, hint, capsys):
    ok, out = run(checks.check_batchnorm_backward, _backward_with(**change), capsys)
    assert not ok and "Hint" in out and hint in out, out


def test_backward_summed_over_the_wrong_axis_is_named(capsys):
    ok, out = run(checks.check_batchnorm_backward, _backward_with(axis=0), capsys)
    assert not ok and ("wrong axis" in out or "shape (3, 1)" in out), out


def test_the_learners_pair_drives_the_network_like_the_reference():
    rng = np.random.default_rng(0)
    params = network.initialize_parameters([4, 6, 5, 1], "he", rng, batch_norm=True)
    X, Y = rng.standard_normal((4, 8)), rng.integers(0, 2, (1, 8))
    running = [network.initialize_running(params) for _ in range(2)]
    _, cache = network.forward(X, params, batch_norm=True, running=running[0])
    want = network.backward(cache, Y)
    with network.substituted(batchnorm_forward=forward_solution, batchnorm_backward=backward_solution):
        _, cache = network.forward(X, params, batch_norm=True, running=running[1])
        got = network.backward(cache, Y)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-12, atol=1e-14)
    for key in running[0]:
        np.testing.assert_allclose(running[1][key], running[0][key], rtol=1e-12)


def test_the_public_references_given_to_substituted_mean_the_references():
    """Until the learner's functions pass, use_if_passed returns network.batchnorm_forward / _backward, which
    call the network's own functions: substituted() must not swap them in (that would recurse)."""
    rng = np.random.default_rng(1)
    params = network.initialize_parameters([4, 5, 1], "he", rng, batch_norm=True)
    X, Y = rng.standard_normal((4, 6)), rng.integers(0, 2, (1, 6))
    _, cache = network.forward(X, params, batch_norm=True)
    want = network.backward(cache, Y)
    with network.substituted(batchnorm_forward=network.batchnorm_forward,
                             batchnorm_backward=network.batchnorm_backward):
        assert network._batchnorm_forward.__name__ == "_batchnorm_forward"
        _, cache = network.forward(X, params, batch_norm=True)
        got = network.backward(cache, Y)
    for key in want:
        np.testing.assert_array_equal(got[key], want[key])
