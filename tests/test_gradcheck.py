"""Unit tests for helpers.gradcheck: dict <-> vector, numerical gradients, the full and directional checks.

The networks are small (a [3, 5, 4, n_y] net on 6 examples) so every full check costs a few hundred
cost evaluations. Course notation: X is (n_x, m), params "W1", "b1", ..., grads "dW1", "db1", ....
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers import datasets, gradcheck, network

HIDDEN = ("relu", "tanh", "sigmoid")
OUTPUT = ("sigmoid", "softmax")


def _problem(hidden: str, output: str, seed: int, lambd: float = 0.0, dims=(3, 5, 4), m: int = 6):
    """params, grads (from helpers.network.backward) and cost_fn for a small random net.

    For relu, the seed is advanced until no hidden pre-activation is within 1e-3 of the kink at 0,
    so a perturbation of 1e-6 never crosses it and the check is meaningful.
    """
    for s in itertools.count(seed):
        rng = np.random.default_rng(s)
        n_y = 1 if output == "sigmoid" else 3
        layer_dims = [*dims, n_y]
        params = network.initialize_parameters(layer_dims, "xavier", rng)
        for l in range(1, len(layer_dims)):
            params[f"b{l}"] = 0.3 * rng.standard_normal((layer_dims[l], 1))
        X = rng.standard_normal((layer_dims[0], m))
        Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, n_y, m), n_y)
        _, cache = network.forward(X, params, hidden, output)
        if hidden != "relu" or min(np.abs(layer["Z"]).min() for layer in cache["layers"][:-1]) > 1e-3:
            break
    grads = network.backward(cache, Y, lambd)

    def cost_fn(p):
        return network.compute_cost(network.forward(X, p, hidden, output)[1], Y, lambd)

    return params, grads, cost_fn


CASES = [pytest.param(h, o, lambd, id=f"{h}-{o}-lambd{lambd}")
         for h, o in itertools.product(HIDDEN, OUTPUT) for lambd in (0.0, 0.7)]


# ---------------------------------------------------------------- dict <-> vector
def test_vector_order_is_w1_b1_w2_b2_and_round_trips():
    params, _, _ = _problem("tanh", "sigmoid", 0)
    shuffled = {key: params[key] for key in ["b2", "W3", "W1", "b3", "W2", "b1"]}  # insertion order ignored
    theta = gradcheck.params_to_vector(shuffled)
    expected = np.concatenate([params[k].ravel() for k in ["W1", "b1", "W2", "b2", "W3", "b3"]])
    np.testing.assert_array_equal(theta, expected)
    assert gradcheck.parameter_order(shuffled) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    back = gradcheck.vector_to_params(theta, params)
    assert list(back) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for key in params:
        np.testing.assert_array_equal(back[key], params[key])
        assert not np.shares_memory(back[key], theta)
    from_dims = gradcheck.vector_to_params(theta, [3, 5, 4, 1])
    assert all(np.array_equal(from_dims[k], params[k]) for k in params)
    slices = gradcheck.block_slices(params)
    assert slices["W1"] == slice(0, 15) and slices["b1"] == slice(15, 20) and slices["b3"] == slice(48, 49)
    assert theta.size == 49  # 15 + 5 + 20 + 4 + 4 + 1


def test_order_sorts_layers_numerically_and_extra_parameters_after_b():
    keys = ["W10", "b2", "W2", "gamma1", "beta1", "b1", "W1", "b10"]
    assert gradcheck.parameter_order(keys) == ["W1", "b1", "beta1", "gamma1", "W2", "b2", "W10", "b10"]


def test_grads_to_vector_follows_params_order_and_ignores_extras():
    params, grads, _ = _problem("relu", "softmax", 1)
    extra = dict(grads, dA1=np.ones((5, 6)))
    v = gradcheck.grads_to_vector(extra, params)
    np.testing.assert_array_equal(v, np.concatenate([grads["d" + k].ravel() for k in ["W1", "b1", "W2", "b2", "W3", "b3"]]))


def test_float32_blocks_give_a_float32_vector():
    params, _, _ = _problem("tanh", "sigmoid", 2)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    assert gradcheck.params_to_vector(p32).dtype == np.float32
    assert gradcheck.vector_to_params(gradcheck.params_to_vector(p32), p32)["W1"].dtype == np.float32


# ---------------------------------------------------------------- the full check
@pytest.mark.parametrize("hidden, output, lambd", CASES)
def test_gradient_check_passes_the_reference_backward(hidden, output, lambd):
    params, grads, cost_fn = _problem(hidden, output, 10, lambd)
    result = gradcheck.gradient_check(cost_fn, params, grads, epsilon=1e-6)
    assert result.difference < 1e-8, result
    assert list(result.blocks) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert max(result.blocks.values()) < 1e-6
    assert result.num_evaluations == 2 * gradcheck.params_to_vector(params).size
    assert result.passed(1e-7) and result.wrong_blocks(1e-7) == []
    for key in params:
        assert result.numerical["d" + key].shape == params[key].shape


@pytest.mark.parametrize("block, factor", [("dW2", 1.01), ("db1", -1.0), ("dW3", 0.0)])
def test_gradient_check_flags_a_planted_bug_in_the_right_block(block, factor):
    params, grads, cost_fn = _problem("relu", "sigmoid", 20, lambd=0.3)
    wrong = dict(grads)
    wrong[block] = grads[block] * factor
    result = gradcheck.gradient_check(cost_fn, params, wrong, epsilon=1e-6)
    assert not result.passed(1e-7)
    assert result.wrong_blocks(1e-5) == [block[1:]]


def test_gradient_check_flags_a_missing_l2_term():
    params, _, cost_fn = _problem("tanh", "softmax", 3, lambd=0.7)
    _, grads_without_l2, _ = _problem("tanh", "softmax", 3, lambd=0.0)
    result = gradcheck.gradient_check(cost_fn, params, grads_without_l2, epsilon=1e-6)
    assert result.wrong_blocks(1e-5) == ["W1", "W2", "W3"]


def test_numerical_gradient_is_two_sided_and_leaves_params_untouched():
    # J(θ) = Σ θ_i³: two-sided differences are exact up to ε² (3θ² + ε²), one-sided would be off by 3θε.
    theta = np.array([1.0, -2.0, 0.5])
    before = theta.copy()
    approx = gradcheck.numerical_gradient(lambda t: float(np.sum(t ** 3)), theta, epsilon=1e-2)
    np.testing.assert_allclose(approx, 3 * before ** 2 + 1e-4, rtol=1e-9)
    np.testing.assert_array_equal(theta, before)
    params, _, cost_fn = _problem("sigmoid", "sigmoid", 4)
    copies = {k: v.copy() for k, v in params.items()}
    gradcheck.numerical_gradient(cost_fn, params)
    assert all(np.array_equal(params[k], copies[k]) for k in params)


def test_numerical_gradient_counts_evaluations_and_sees_each_perturbation():
    calls = []

    def cost_fn(p):
        calls.append(gradcheck.params_to_vector(p).copy())
        return float(np.sum(gradcheck.params_to_vector(p) ** 2))

    params = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[3.0]])}
    g = gradcheck.numerical_gradient(cost_fn, params, epsilon=0.5)
    assert len(calls) == 6
    np.testing.assert_allclose(calls[0], [1.5, 2.0, 3.0])
    np.testing.assert_allclose(calls[1], [0.5, 2.0, 3.0])
    np.testing.assert_allclose(calls[5], [1.0, 2.0, 2.5])
    np.testing.assert_allclose(g["dW1"], [[2.0, 4.0]])
    np.testing.assert_allclose(g["db1"], [[6.0]])


def test_vector_problem():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((4, 4))
    theta = rng.standard_normal(4)
    result = gradcheck.gradient_check(lambda t: float(np.tanh(t @ A @ t)), theta,
                                      (1 - np.tanh(theta @ A @ theta) ** 2) * (A + A.T) @ theta, epsilon=1e-6)
    assert result.difference < 1e-8 and list(result.blocks) == ["theta"] and result.num_evaluations == 8


def test_relative_difference():
    g = np.array([3.0, 4.0])
    assert gradcheck.relative_difference(g, g) == 0.0
    assert gradcheck.relative_difference(g, -g) == 1.0
    assert gradcheck.relative_difference(g, np.zeros(2)) == 1.0
    assert gradcheck.relative_difference(np.zeros(2), np.zeros(2)) == 0.0
    assert gradcheck.relative_difference(g, 2 * g) == pytest.approx(5 / 15)
    a = {"dW1": np.array([[3.0]]), "db1": np.array([[4.0]])}
    b = {"db1": np.array([[4.0]]), "dW1": np.array([[0.0]])}
    assert gradcheck.relative_difference(a, b) == pytest.approx(3 / (5 + 4))


# ---------------------------------------------------------------- the directional check
@pytest.mark.parametrize("hidden, output, lambd", CASES)
def test_directional_check_passes_the_reference_backward(hidden, output, lambd):
    params, grads, cost_fn = _problem(hidden, output, 30, lambd)
    result = gradcheck.directional_check(cost_fn, params, grads, np.random.default_rng(0), num_directions=4)
    assert result.difference < 1e-7 and result.passed(1e-7)
    assert result.num_evaluations == 8 and result.differences.shape == (4,) and result.blocks == {}
    np.testing.assert_allclose(result.numerical, result.analytic, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("block, factor", [("dW2", 1.01), ("db1", -1.0), ("dW3", 0.0)])
def test_directional_check_flags_a_planted_bug_and_per_block_finds_it(block, factor):
    params, grads, cost_fn = _problem("relu", "sigmoid", 40, lambd=0.3)
    wrong = dict(grads)
    wrong[block] = grads[block] * factor
    result = gradcheck.directional_check(cost_fn, params, wrong, np.random.default_rng(1), num_directions=3,
                                         per_block=True)
    assert result.difference > 1e-5
    assert [key for key, d in result.blocks.items() if d > 1e-5] == [block[1:]]
    assert result.num_evaluations == 2 * 3 * (1 + 6)


def test_directional_check_is_reproducible_from_the_generator():
    params, grads, cost_fn = _problem("tanh", "sigmoid", 6)
    a = gradcheck.directional_check(cost_fn, params, grads, np.random.default_rng(7))
    b = gradcheck.directional_check(cost_fn, params, grads, np.random.default_rng(7))
    np.testing.assert_array_equal(a.differences, b.differences)


def test_directional_difference_matches_the_slopes():
    theta = np.array([1.0, 2.0, -1.0])
    u = np.array([0.0, 0.6, 0.8])

    def J(t):
        return float(np.sum(t ** 2))

    assert gradcheck.directional_difference(J, theta, 2 * theta, u, epsilon=1e-3) < 1e-10
    # a gradient wrong by a factor 2: slopes s and 2s give |s - 2s| / (|s| + |2s|) = 1/3
    assert gradcheck.directional_difference(J, theta, 4 * theta, u, epsilon=1e-3) == pytest.approx(1 / 3)


# ---------------------------------------------------------------- input validation
def test_bad_inputs_raise_value_errors_naming_what_was_expected():
    params, grads, cost_fn = _problem("tanh", "sigmoid", 8)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="cost_fn must be a function"):
        gradcheck.gradient_check("J", params, grads)
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0"):
        gradcheck.gradient_check(cost_fn, params, grads, epsilon=0)
    with pytest.raises(ValueError, match="grads has no 'dW2'"):
        gradcheck.gradient_check(cost_fn, params, {k: v for k, v in grads.items() if k != "dW2"})
    with pytest.raises(ValueError, match=r"grads\['dW1'\] must have W1's shape"):
        gradcheck.gradient_check(cost_fn, params, dict(grads, dW1=grads["dW1"].T))
    with pytest.raises(ValueError, match="name followed by a layer number"):
        gradcheck.params_to_vector({"W": np.ones((2, 2))})
    with pytest.raises(ValueError, match="NaN or inf"):
        gradcheck.params_to_vector({"W1": np.array([[np.nan]])})
    with pytest.raises(ValueError, match="non-empty dict"):
        gradcheck.params_to_vector({})
    with pytest.raises(ValueError, match="theta has 3 entries"):
        gradcheck.vector_to_params(np.ones(3), params)
    with pytest.raises(ValueError, match="layer_dims"):
        gradcheck.vector_to_params(np.ones(3), [2, 0])
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_difference(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="same keys"):
        gradcheck.relative_difference({"dW1": np.ones(1)}, np.ones(1))
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        gradcheck.directional_check(cost_fn, params, grads, 0)
    with pytest.raises(ValueError, match="num_directions must be an integer >= 1"):
        gradcheck.directional_check(cost_fn, params, grads, rng, num_directions=0)
    with pytest.raises(ValueError, match="cost_fn must return one number"):
        gradcheck.numerical_gradient(lambda p: np.ones(2), params)
    with pytest.raises(ValueError, match="finite cost"):
        gradcheck.numerical_gradient(lambda p: float("nan"), params)
    with pytest.raises(ValueError, match="u must be a direction"):
        gradcheck.directional_difference(cost_fn, params, grads, np.ones(3))
    with pytest.raises(ValueError, match="zero vector"):
        gradcheck.directional_difference(cost_fn, params, grads, np.zeros(gradcheck.params_to_vector(params).size))
    with pytest.raises(ValueError, match="grads must have theta's shape"):
        gradcheck.gradient_check(lambda t: float(t @ t), np.ones(3), np.ones(2))


# ---------------------------------------------------------------- issue 8, section 3
def _tanh_problem(dtype, seed=0):
    rng = np.random.default_rng(seed)
    params = network.initialize_parameters([3, 4, 1], "xavier", rng)
    X, Y = rng.standard_normal((3, 8)), rng.integers(0, 2, (1, 8))
    grads = network.backward(network.forward(X, params, "tanh")[1], Y)
    params = {k: v.astype(dtype) for k, v in params.items()}
    Xd, Yd = X.astype(dtype), Y.astype(dtype)

    def cost(p):
        return network.compute_cost(network.forward(Xd, p, "tanh")[1], Yd)
    return cost, params, grads


def test_float32_below_its_resolution_refuses_to_judge():
    cost, params32, grads = _tanh_problem(np.float32)
    check = gradcheck.gradient_check(cost, params32, grads, epsilon=1e-7)
    assert check.difference > 1e-2  # a correct backward pass, and the number alone says "wrong"
    assert "float32" in check.precision_note
    with pytest.raises(ValueError, match="cannot judge the backward pass: epsilon = 1e-07 is below what float32"):
        check.passed()
    with pytest.raises(ValueError, match="Check gradients in float64"):
        check.wrong_blocks()
    with pytest.raises(ValueError, match="float32"):
        gradcheck.directional_check(cost, params32, grads, np.random.default_rng(0)).passed()
    ok = gradcheck.gradient_check(cost, params32, grads, epsilon=1e-2)  # above sqrt(u): judged, as before
    assert ok.precision_note is None and ok.difference < 1e-3


def test_float64_checks_carry_no_precision_note():
    cost, params, grads = _tanh_problem(np.float64)
    check = gradcheck.gradient_check(cost, params, grads, epsilon=1e-7)
    assert check.precision_note is None and check.passed()
    assert gradcheck.directional_check(cost, params, grads, np.random.default_rng(0)).precision_note is None


def _random_network_problem(seed):
    """A random small network (depth, widths, activations, output, L2) with its exact gradients."""
    rng = np.random.default_rng(seed)
    hidden, output = ("relu", "tanh", "sigmoid")[seed % 3], ("sigmoid", "softmax")[(seed // 3) % 2]
    n_out = 1 if output == "sigmoid" else int(rng.integers(2, 5))
    dims = [int(rng.integers(1, 6))] + [int(rng.integers(1, 6)) for _ in range(int(rng.integers(0, 3)))] + [n_out]
    params = network.initialize_parameters(dims, ("he", "xavier", "random")[seed % 3], rng, scale=0.5)
    for key in params:
        if key.startswith("b"):
            params[key] = 0.1 * rng.standard_normal(params[key].shape)
    m = int(rng.integers(2, 12))
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, n_out, m), n_out)
    lambd = float(rng.choice([0.0, 0.1, 0.7]))

    def cost(p):
        return network.compute_cost(network.forward(X, p, hidden, output)[1], Y, lambd)
    return cost, params, network.backward(network.forward(X, params, hidden, output)[1], Y, lambd)


def test_directional_check_passes_every_correct_network_of_600():
    # The plain ratio |s~ - s| / (|s~| + |s|) fails about 1 correct network in 130 at 1e-7 (15 of 2,000 in a
    # measurement): directions nearly orthogonal to g. passed() floors the denominator at ||g|| / sqrt(n).
    plain_failures = robust_failures = 0
    for seed in range(600):
        cost, params, grads = _random_network_problem(seed)
        check = gradcheck.directional_check(cost, params, grads, np.random.default_rng(10_000 + seed))
        plain_failures += check.difference >= 1e-7
        robust_failures += not check.passed()
    assert robust_failures == 0
    assert plain_failures >= 1  # the set does hold the directions that made the old default fail


def test_directional_check_still_fails_planted_bugs():
    for seed in range(0, 600, 3):
        cost, params, grads = _random_network_problem(seed)
        bad = {k: v.copy() for k, v in grads.items()}
        key = sorted(bad)[seed % len(bad)]
        bad[key].flat[0] = bad[key].flat[0] * 1.1 + 1e-3  # one entry off by 10 % + 1e-3
        assert not gradcheck.directional_check(cost, params, bad, np.random.default_rng(10_000 + seed)).passed()
