"""Unit tests for helpers.network: gradients, numerical stability, initializers, predictions, dropout.

Course notation: X is (n_x, m), W{l} is (n[l], n[l-1]), b{l} is (n[l], 1); params "W1", "b1", ...,
grads "dW1", "db1", ....
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers import datasets, network, training

# Floating-point errors that mean a wrong number. Underflow (e.g. exp(-10000) -> 0.0) is the correctly
# rounded IEEE result and numpy ignores it by default, so it is not treated as an error here.
STRICT_FP = dict(over="raise", divide="raise", invalid="raise", under="ignore")

pytestmark = pytest.mark.filterwarnings("error")

HIDDEN = ("relu", "tanh", "sigmoid")
OUTPUT = ("sigmoid", "softmax")


# ---------------------------------------------------------------- gradient check
def _problem(output: str, seed: int, n_y: int = 3, m: int = 7):
    """A small [4, 5, 3, n_y] net with random biases, inputs and labels (float64)."""
    rng = np.random.default_rng(seed)
    n_y = 1 if output == "sigmoid" else n_y
    dims = [4, 5, 3, n_y]
    params = network.initialize_parameters(dims, "he", rng)
    for l in range(1, len(dims)):
        params[f"b{l}"] = 0.3 * rng.standard_normal((dims[l], 1))
    X = rng.standard_normal((dims[0], m))
    if output == "sigmoid":
        Y = rng.integers(0, 2, size=(1, m))
    else:
        Y = datasets.one_hot(rng.integers(0, n_y, size=m), n_y)
    return params, X, Y


def _forward(params, X, hidden, output, keep_prob, mask_seed):
    """Forward pass; with dropout the masks come from a freshly seeded Generator, so they are identical
    on every call with the same mask_seed (the numeric check perturbs params, never the masks)."""
    rng = np.random.default_rng(mask_seed) if np.any(np.asarray(keep_prob) < 1) else None
    return network.forward(X, params, hidden, output, keep_prob, rng)


def _cost(params, X, Y, hidden, output, lambd, keep_prob, mask_seed):
    _, cache = _forward(params, X, hidden, output, keep_prob, mask_seed)
    return network.compute_cost(cache, Y, lambd)


def _numeric_grads(params, X, Y, hidden, output, lambd, keep_prob, mask_seed, eps=1e-6):
    """Two-sided differences (J(theta + eps) - J(theta - eps)) / (2 eps), one parameter at a time."""
    grads = {}
    for key, P in params.items():
        G = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + eps
            plus = _cost(params, X, Y, hidden, output, lambd, keep_prob, mask_seed)
            P[idx] = old - eps
            minus = _cost(params, X, Y, hidden, output, lambd, keep_prob, mask_seed)
            P[idx] = old
            G[idx] = (plus - minus) / (2 * eps)
        grads["d" + key] = G
    return grads


def _relative_difference(a: dict, b: dict) -> float:
    keys = sorted(a)
    assert keys == sorted(b)
    va = np.concatenate([a[k].ravel() for k in keys])
    vb = np.concatenate([b[k].ravel() for k in keys])
    return float(np.linalg.norm(va - vb) / (np.linalg.norm(va) + np.linalg.norm(vb)))


def _safe_problem(hidden, output, keep_prob, margin=1e-3):
    """A problem whose hidden pre-activations are all at least margin away from 0 (the relu kink),
    so a perturbation of 1e-6 never crosses it. Deterministic: tries seeds 0, 1, 2, ... in order."""
    for seed in range(100):
        params, X, Y = _problem(output, seed)
        _, cache = _forward(params, X, hidden, output, keep_prob, mask_seed=1000 + seed)
        hidden_Z = [layer["Z"] for layer in cache["layers"][:-1]]
        if hidden != "relu" or min(np.abs(Z).min() for Z in hidden_Z) > margin:
            return params, X, Y, 1000 + seed, cache
    raise AssertionError("no seed gave pre-activations away from the relu kink")


CASES = [
    pytest.param(hidden, output, lambd, keep_prob, id=f"{hidden}-{output}-{name}")
    for hidden, output in itertools.product(HIDDEN, OUTPUT)
    for name, lambd, keep_prob in [
        ("plain", 0.0, 1.0),
        ("l2", 0.7, 1.0),
        ("dropout", 0.0, 0.6),
        ("dropout-per-layer-l2", 0.3, (0.8, 0.5)),
    ]
]


@pytest.mark.parametrize("hidden, output, lambd, keep_prob", CASES)
def test_backward_matches_numeric_gradient(hidden, output, lambd, keep_prob):
    params, X, Y, mask_seed, cache = _safe_problem(hidden, output, keep_prob)
    assert all(P.dtype == np.float64 for P in params.values())
    if np.any(np.asarray(keep_prob) < 1):
        # the check is only meaningful if dropout really zeroed some units in every hidden layer
        for layer in cache["layers"][:-1]:
            assert "D" in layer and not layer["D"].all() and layer["D"].any()
        assert "D" not in cache["layers"][-1]
    with np.errstate(**STRICT_FP):
        analytic = network.backward(cache, Y, lambd)
        numeric = _numeric_grads(params, X, Y, hidden, output, lambd, keep_prob, mask_seed)
    assert set(analytic) == {f"d{k}" for k in params}
    for key, P in params.items():
        assert analytic["d" + key].shape == P.shape
    diff = _relative_difference(analytic, numeric)
    assert diff < 1e-7, f"relative difference {diff:.3e} between backward and numeric gradients"
    # and no single block (e.g. a small db) hides behind the global norm
    for key in analytic:
        block = _relative_difference({key: analytic[key]}, {key: numeric[key]})
        assert block < 1e-5, f"{key}: relative difference {block:.3e}"


def test_l2_term_is_in_cost_and_gradient():
    hidden, output, lambd = "tanh", "softmax", 0.5
    params, X, Y, _, cache = _safe_problem(hidden, output, 1.0)
    m = X.shape[1]
    plain_cost = network.compute_cost(cache, Y, 0.0)
    l2_cost = network.compute_cost(cache, Y, lambd)
    penalty = lambd / (2 * m) * sum(np.sum(params[f"W{l}"] ** 2) for l in (1, 2, 3))
    assert l2_cost == pytest.approx(plain_cost + penalty, rel=1e-12)
    g0, g1 = network.backward(cache, Y, 0.0), network.backward(cache, Y, lambd)
    for l in (1, 2, 3):
        np.testing.assert_allclose(g1[f"dW{l}"] - g0[f"dW{l}"], lambd / m * params[f"W{l}"], rtol=1e-10, atol=1e-14)
        np.testing.assert_array_equal(g1[f"db{l}"], g0[f"db{l}"])


def test_gradient_check_detects_a_wrong_gradient():
    """The checker itself can fail: a 1% error in one block of the gradient is caught."""
    hidden, output = "tanh", "sigmoid"
    params, X, Y, mask_seed, cache = _safe_problem(hidden, output, 1.0)
    analytic = network.backward(cache, Y, 0.0)
    numeric = _numeric_grads(params, X, Y, hidden, output, 0.0, 1.0, mask_seed)
    analytic["dW2"] = analytic["dW2"] * 1.01
    assert _relative_difference(analytic, numeric) > 1e-7


# ---------------------------------------------------------------- numerical stability
LOGITS = np.array([-1e4, -1e3, -800.0, -100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0, 800.0, 1e3, 1e4])


def test_sigmoid_is_stable_and_correct():
    with np.errstate(**STRICT_FP):
        A = network.sigmoid(LOGITS.reshape(1, -1))
    assert A.shape == (1, LOGITS.size)
    assert np.all(np.isfinite(A)) and np.all((A >= 0) & (A <= 1))
    assert A[0, 0] == 0.0 and A[0, -1] == 1.0
    assert A[0, LOGITS == 0][0] == 0.5
    moderate = np.abs(LOGITS) <= 30
    np.testing.assert_allclose(A[0, moderate], 1 / (1 + np.exp(-LOGITS[moderate])), rtol=1e-14)
    np.testing.assert_allclose(A[0] + A[0, ::-1], 1.0, rtol=0, atol=1e-15)  # sigmoid(-z) = 1 - sigmoid(z)
    assert np.all(np.diff(A[0]) >= 0)


def test_softmax_is_stable_and_correct():
    # columns (z, -z) and (z, 0, -z): huge logits in both signs
    Z2 = np.vstack([LOGITS, -LOGITS])
    Z3 = np.vstack([LOGITS, np.zeros_like(LOGITS), -LOGITS])
    with np.errstate(**STRICT_FP):
        A2, A3 = network.softmax(Z2), network.softmax(Z3)
        shifted = network.softmax(Z3 + 1e4)
    for A in (A2, A3):
        assert np.all(np.isfinite(A)) and np.all(A >= 0)
        np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=0, atol=1e-15)
    assert A2[0, 0] == 0.0 and A2[1, 0] == 1.0 and A2[0, -1] == 1.0
    np.testing.assert_allclose(A2[:, LOGITS == 0], 0.5)
    np.testing.assert_allclose(A3[:, LOGITS == 0], 1 / 3)
    moderate = np.abs(LOGITS) <= 30
    E = np.exp(Z3[:, moderate])
    np.testing.assert_allclose(A3[:, moderate], E / E.sum(axis=0), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(shifted, A3, rtol=1e-12, atol=1e-300)  # shift invariance


def _reference_binary_ce(z, y):
    """-(y log a + (1-y) log(1-a)) with a = sigmoid(z), written as y log(1+e^-z) + (1-y) log(1+e^z)."""
    return y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)


def test_cross_entropy_from_logits_sigmoid_limits():
    z = LOGITS.reshape(1, -1)
    big = np.abs(z) >= 800
    right = (z > 0).astype(float)  # confidently right where |z| is large
    wrong = 1 - right
    with np.errstate(**STRICT_FP):
        for mask in (big, np.abs(z) >= 30):
            cols = mask[0]
            zr, yr, yw = z[:, cols], right[:, cols], wrong[:, cols]
            assert network.cross_entropy_from_logits(zr, yr, "sigmoid") == pytest.approx(
                np.mean(np.log1p(np.exp(-np.abs(zr)))), rel=1e-12, abs=1e-300)
            assert network.cross_entropy_from_logits(zr, yr, "sigmoid") < 1e-12
            assert network.cross_entropy_from_logits(zr, yw, "sigmoid") == pytest.approx(np.mean(np.abs(zr)), rel=1e-12)
        one = np.array([[1e4]])
        assert network.cross_entropy_from_logits(one, np.array([[0.0]]), "sigmoid") == pytest.approx(1e4, rel=1e-15)
        assert network.cross_entropy_from_logits(-one, np.array([[1.0]]), "sigmoid") == pytest.approx(1e4, rel=1e-15)
        assert network.cross_entropy_from_logits(one, np.array([[1.0]]), "sigmoid") == 0.0
        for y in (0.0, 1.0):
            got = network.cross_entropy_from_logits(z, np.full(z.shape, y), "sigmoid")
            assert got == pytest.approx(np.mean(_reference_binary_ce(z, y)), rel=1e-12)
        mixed = (np.arange(z.size) % 2).reshape(1, -1)
        got = network.cross_entropy_from_logits(z, mixed, "sigmoid")
        assert got == pytest.approx(np.mean(_reference_binary_ce(z, mixed)), rel=1e-12)


def test_cross_entropy_from_logits_softmax_limits():
    pos = LOGITS[LOGITS > 0]
    Z = np.vstack([pos, -pos, np.zeros_like(pos)])  # class 0 is the confident prediction
    right = datasets.one_hot(np.zeros(pos.size, dtype=int), 3)
    wrong = datasets.one_hot(np.ones(pos.size, dtype=int), 3)
    with np.errstate(**STRICT_FP):
        c_right = network.cross_entropy_from_logits(Z[:, pos >= 800], right[:, pos >= 800], "softmax")
        c_wrong = network.cross_entropy_from_logits(Z[:, pos >= 800], wrong[:, pos >= 800], "softmax")
        c_mod = network.cross_entropy_from_logits(Z[:, pos <= 30], wrong[:, pos <= 30], "softmax")
    assert 0 <= c_right < 1e-12
    assert c_wrong == pytest.approx(np.mean(2 * pos[pos >= 800]), rel=1e-12)  # gap between logits
    E = np.exp(Z[:, pos <= 30])
    assert c_mod == pytest.approx(np.mean(-np.log(E[1] / E.sum(axis=0))), rel=1e-10)


@pytest.mark.parametrize("output", OUTPUT)
def test_compute_cost_and_backward_stable_for_huge_logits(output):
    """A one-layer net whose logits are the inputs themselves (W = identity-like), |z| up to 1e4."""
    z = LOGITS[LOGITS != 0].reshape(1, -1)
    if output == "sigmoid":
        params = {"W1": np.array([[1.0]]), "b1": np.zeros((1, 1))}
        Y_right, Y_wrong = (z > 0).astype(float), (z < 0).astype(float)
        expected_wrong = np.mean(np.logaddexp(0, np.abs(z)))  # = |z| + log(1 + e^-|z|)
    else:
        params = {"W1": np.array([[1.0], [-1.0]]), "b1": np.zeros((2, 1))}  # logits (z, -z)
        Y_right = datasets.one_hot((z[0] < 0).astype(int), 2)
        Y_wrong = datasets.one_hot((z[0] > 0).astype(int), 2)
        expected_wrong = np.mean(np.logaddexp(0, 2 * np.abs(z)))  # = 2|z| + log(1 + e^-2|z|)
    with np.errstate(**STRICT_FP):
        AL, cache = network.forward(z, params, output=output)
        assert np.all(np.isfinite(AL))
        np.testing.assert_array_equal(cache["layers"][-1]["Z"][0], z[0])
        big = np.abs(z[0]) >= 800
        cost_right = network.compute_cost(cache, Y_right)
        cost_wrong = network.compute_cost(cache, Y_wrong, lambd=0.0)
        for Y in (Y_right, Y_wrong):
            grads = network.backward(cache, Y, lambd=1.0)
            assert all(np.all(np.isfinite(g)) for g in grads.values())
        _, big_cache = network.forward(z[:, big], params, output=output)
        big_right = network.compute_cost(big_cache, Y_right[:, big])
        big_wrong = network.compute_cost(big_cache, Y_wrong[:, big])
    assert np.isfinite(cost_right) and np.isfinite(cost_wrong)
    assert 0 <= big_right < 1e-12  # confident and right: cost ~ 0
    gap = 1 if output == "sigmoid" else 2  # the wrong class's logit is |z| (sigmoid) or 2|z| below
    assert big_wrong == pytest.approx(gap * np.mean(np.abs(z[0, big])), rel=1e-12)  # confident, wrong: ~|z|
    assert cost_wrong == pytest.approx(expected_wrong, rel=1e-12)
    assert cost_right == pytest.approx(np.mean(np.logaddexp(0, -gap * np.abs(z))), rel=1e-12)


# ---------------------------------------------------------------- initializers
DIMS = [4, 5, 3, 2]


@pytest.mark.parametrize("method", network.INITIALIZERS)
def test_initializer_shapes_and_zero_biases(method):
    params = network.initialize_parameters(DIMS, method, np.random.default_rng(0))
    assert sorted(params) == sorted([f"W{l}" for l in (1, 2, 3)] + [f"b{l}" for l in (1, 2, 3)])
    for l in range(1, len(DIMS)):
        assert params[f"W{l}"].shape == (DIMS[l], DIMS[l - 1])
        assert params[f"b{l}"].shape == (DIMS[l], 1)
        assert params[f"W{l}"].dtype == np.float64
        np.testing.assert_array_equal(params[f"b{l}"], 0.0)
        if method == "zeros":
            np.testing.assert_array_equal(params[f"W{l}"], 0.0)
        else:
            assert np.all(params[f"W{l}"] != 0)
    assert network.layer_dims_of(params) == DIMS
    assert network.num_layers(params) == 3


def test_zeros_needs_no_rng_and_dtype_is_respected():
    params = network.initialize_parameters(DIMS, "zeros", None, dtype=np.float32)
    assert all(P.dtype == np.float32 for P in params.values())
    params = network.initialize_parameters(DIMS, "he", np.random.default_rng(0), dtype=np.float32)
    assert all(P.dtype == np.float32 for P in params.values())


@pytest.mark.parametrize("method, std_of", [
    ("he", lambda n_prev, scale: np.sqrt(2.0 / n_prev)),
    ("xavier", lambda n_prev, scale: np.sqrt(1.0 / n_prev)),
    ("random", lambda n_prev, scale: scale),
])
@pytest.mark.parametrize("scale", [0.01, 10.0])
def test_initializer_standard_deviations(method, std_of, scale):
    dims = [400, 300, 50]
    params = network.initialize_parameters(dims, method, np.random.default_rng(1), scale=scale)
    for l in (1, 2):
        W = params[f"W{l}"]
        expected = std_of(dims[l - 1], scale)
        assert W.std() == pytest.approx(expected, rel=0.05)
        assert abs(W.mean()) < 0.05 * expected


def test_initializers_draw_the_same_normals_scaled_differently():
    dims = [6, 4, 3]
    he = network.initialize_parameters(dims, "he", np.random.default_rng(3))
    xavier = network.initialize_parameters(dims, "xavier", np.random.default_rng(3))
    random = network.initialize_parameters(dims, "random", np.random.default_rng(3), scale=0.5)
    for l in (1, 2):
        np.testing.assert_allclose(he[f"W{l}"], np.sqrt(2) * xavier[f"W{l}"], rtol=1e-14)
        np.testing.assert_allclose(random[f"W{l}"], 0.5 / np.sqrt(1.0 / dims[l - 1]) * xavier[f"W{l}"], rtol=1e-14)
    again = network.initialize_parameters(dims, "he", np.random.default_rng(3))
    other = network.initialize_parameters(dims, "he", np.random.default_rng(4))
    assert all(np.array_equal(he[k], again[k]) for k in he)
    assert not np.array_equal(he["W1"], other["W1"])


# ---------------------------------------------------------------- predict / accuracy
def test_predict_and_accuracy_sigmoid_by_hand():
    params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}  # 1 iff x1 > x2
    X = np.array([[2.0, 0.0, -1.0, 3.0], [1.0, 1.0, -3.0, 5.0]])
    pred = network.predict(X, params, output="sigmoid")
    np.testing.assert_array_equal(pred, [[1, 0, 1, 0]])
    assert pred.shape == (1, 4)
    assert network.accuracy(X, np.array([[1, 0, 0, 0]]), params) == 0.75
    assert network.accuracy(X, np.array([[1, 0, 1, 0]]), params) == 1.0
    assert network.accuracy(X, np.array([[0, 1, 0, 1]]), params) == 0.0


def test_predict_with_a_hidden_relu_layer_by_hand():
    params = {"W1": np.eye(2), "b1": np.zeros((2, 1)), "W2": np.array([[1.0, -1.0]]), "b2": np.array([[-0.25]])}
    X = np.array([[2.0, -1.0, 0.5, 0.1], [1.0, 3.0, -2.0, -5.0]])
    # relu(X) = [[2, 0, .5, .1], [1, 3, 0, 0]] -> z = [0.75, -3.25, 0.25, -0.15]
    np.testing.assert_array_equal(network.predict(X, params, hidden="relu"), [[1, 0, 1, 0]])
    # tanh keeps the sign of negative inputs: z = tanh(x1) - tanh(x2) - 0.25
    z = np.tanh(X[0]) - np.tanh(X[1]) - 0.25
    np.testing.assert_array_equal(network.predict(X, params, hidden="tanh"), (z > 0).astype(int).reshape(1, -1))


def test_predict_and_accuracy_softmax_by_hand():
    params = {"W1": np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]), "b1": np.zeros((3, 1))}
    X = np.array([[3.0, 0.0, -1.0, -3.0], [1.0, 2.0, -1.0, -0.5]])
    pred = network.predict(X, params, output="softmax")
    np.testing.assert_array_equal(pred, [[0, 1, 2, 2]])
    assert pred.shape == (1, 4)
    Y = datasets.one_hot(np.array([0, 1, 1, 2]), 3)
    assert network.accuracy(X, Y, params, output="softmax") == 0.75


# ---------------------------------------------------------------- dropout
def test_dropout_forward_is_inverted_dropout():
    rng = np.random.default_rng(0)
    A = rng.uniform(0.5, 1.5, size=(200, 500))
    out, D = network.dropout_forward(A, 0.7, rng)
    assert out.shape == A.shape and D.shape == A.shape
    assert np.mean(D) == pytest.approx(0.7, abs=0.01)
    np.testing.assert_array_equal(out[~D], 0.0)
    np.testing.assert_allclose(out[D], A[D] / 0.7, rtol=1e-15)
    assert out.mean() == pytest.approx(A.mean(), rel=0.01)  # expectation preserved
    dA = rng.standard_normal(A.shape)
    np.testing.assert_allclose(network.dropout_backward(dA, D, 0.7), dA * D / 0.7, rtol=1e-15)


def test_forward_with_dropout_preserves_mean_and_draws_new_masks():
    rng_data = np.random.default_rng(5)
    params = network.initialize_parameters([10, 200, 100, 1], "he", rng_data)
    X = rng_data.standard_normal((10, 300))
    _, clean = network.forward(X, params, keep_prob=1.0)
    rng = np.random.default_rng(6)
    _, c1 = network.forward(X, params, keep_prob=0.8, rng=rng)
    _, c2 = network.forward(X, params, keep_prob=0.8, rng=rng)
    # first hidden layer: same G as without dropout, A = G * D / keep
    np.testing.assert_allclose(c1["layers"][0]["G"], clean["layers"][0]["A"], rtol=1e-15)
    A1 = c1["layers"][0]["A"]
    assert A1.mean() == pytest.approx(clean["layers"][0]["A"].mean(), rel=0.02)
    for l in (0, 1):
        D1, D2 = c1["layers"][l]["D"], c2["layers"][l]["D"]
        assert D1.mean() == pytest.approx(0.8, abs=0.01)
        assert not np.array_equal(D1, D2)  # a fresh mask on every call
    assert "D" not in c1["layers"][-1]  # never on the output layer


def test_no_dropout_when_keep_prob_is_one():
    rng_data = np.random.default_rng(7)
    params = network.initialize_parameters([3, 6, 4, 1], "he", rng_data)
    X = rng_data.standard_normal((3, 9))
    AL_plain, plain = network.forward(X, params)
    rng = np.random.default_rng(8)
    state = rng.bit_generator.state
    AL, cache = network.forward(X, params, keep_prob=1.0, rng=rng)
    np.testing.assert_array_equal(AL, AL_plain)
    assert all("D" not in layer for layer in cache["layers"])
    assert rng.bit_generator.state == state  # no random numbers drawn
    # per-layer keep_prob: only the layer with keep < 1 gets a mask
    _, mixed = network.forward(X, params, keep_prob=(1.0, 0.5), rng=rng)
    assert "D" not in mixed["layers"][0] and "D" in mixed["layers"][1]
    np.testing.assert_array_equal(mixed["layers"][0]["A"], plain["layers"][0]["A"])


# ---------------------------------------------------------------- determinism of training
def _train(seed, **kw):
    X, Y = datasets.make_moons(40, 0.1, np.random.default_rng(100))
    return training.train(X, Y, [2, 6, 4, 1], rng=np.random.default_rng(seed), learning_rate=0.3,
                          num_epochs=15, batch_size=16, keep_prob=0.8, lambd=0.1, **kw)


def test_training_is_bit_identical_for_the_same_seed():
    a, b = _train(11), _train(11)
    assert a.costs == b.costs and a.epochs == b.epochs
    assert sorted(a.params) == sorted(b.params)
    for key in a.params:
        assert a.params[key].tobytes() == b.params[key].tobytes()


def test_training_differs_for_different_seeds():
    a, b = _train(11), _train(12)
    assert a.costs != b.costs
    assert not np.array_equal(a.params["W1"], b.params["W1"])


# ---------------------------------------------------------------- issue 8, section 4: no process-wide side effects
def test_importing_helpers_changes_no_process_wide_setting():
    """Importing every helpers module calls no C library (glibc's mallopt was called on import before).

    helpers.torch_bridge is left out: it exists to import PyTorch (lab 12 only), whose import loads libraries."""
    import subprocess
    import sys
    code = ("import ctypes, importlib, pkgutil\n"
            "calls = []\n"
            "real = ctypes.CDLL\n"
            "ctypes.CDLL = lambda *a, **k: calls.append(a) or real(*a, **k)\n"
            "import helpers\n"
            "for mod in pkgutil.walk_packages(helpers.__path__, 'helpers.'):\n"
            "    if mod.name != 'helpers.torch_bridge':\n"  # imports PyTorch, which loads its own libraries
            "        importlib.import_module(mod.name)\n"
            "print(calls)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"importing helpers loaded a C library: {out.stdout}"


def test_the_benchmark_keeps_its_malloc_setting_to_itself():
    import inspect

    from bench import step
    assert "mallopt" in inspect.getsource(step.keep_freed_memory)
    assert "keep_freed_memory()" in inspect.getsource(step.run)  # called when the benchmark runs, not on import
