"""Unit tests for helpers.diagnostics: per-layer statistics, saturation, histograms, input validation."""
import numpy as np
import pytest

from helpers import diagnostics, network

pytestmark = pytest.mark.filterwarnings("error")


def _net(hidden="relu", dims=(6, 8, 8, 1), seed=0, m=20, method="he"):
    rng = np.random.default_rng(seed)
    params = network.initialize_parameters(list(dims), method, rng)
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m))
    _, cache = network.forward(X, params, hidden)
    grads = network.backward(cache, Y)
    return params, X, Y, cache, grads


# ---------------------------------------------------------------- layer_statistics
@pytest.mark.parametrize("hidden", network.HIDDEN_ACTIVATIONS)
def test_statistics_match_a_direct_computation(hidden):
    params, X, Y, cache, grads = _net(hidden)
    stats = diagnostics.layer_statistics(cache, grads)
    L = 3
    A, As = X, []
    for l in range(1, L + 1):
        A = network.activation_forward(params[f"W{l}"] @ A + params[f"b{l}"], hidden if l < L else "sigmoid")
        As.append(A)
    for name in ("act_mean", "act_std", "grad_std", "saturated"):
        assert getattr(stats, name).shape == (L,)
    np.testing.assert_allclose(stats.act_std, [A.std() for A in As])
    np.testing.assert_allclose(stats.act_mean, [A.mean() for A in As])
    np.testing.assert_allclose(stats.grad_std, [grads[f"dW{l}"].std() for l in range(1, L + 1)])
    if hidden == "relu":
        assert np.all(np.isnan(stats.saturated[:-1]))
    else:
        np.testing.assert_allclose(stats.saturated[:-1], [diagnostics.fraction_saturated(A, hidden) for A in As[:-1]])
    assert stats.saturated[-1] == diagnostics.fraction_saturated(As[-1], "sigmoid")


def test_statistics_without_grads():
    _, _, _, cache, _ = _net()
    assert diagnostics.layer_statistics(cache).grad_std is None


def test_measure_equals_forward_backward_then_statistics():
    params, X, Y, cache, grads = _net("tanh")
    got = diagnostics.measure(params, X, Y, "tanh")
    want = diagnostics.layer_statistics(cache, grads)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_zeros_initialization_gives_zero_stds():
    params, X, Y, cache, grads = _net("relu", method="zeros")
    stats = diagnostics.layer_statistics(cache, grads)
    assert np.all(stats.act_std[:-1] == 0) and np.all(stats.grad_std[:-1] == 0)


def test_he_keeps_relu_activation_std_level_xavier_halves_the_variance():
    """The variance argument, measured: with Var(W) = 2/n the mean square of A stays put; with 1/n it halves.

    Per-layer factor of E[a^2] from hidden layer 1 to hidden layer L-1, averaged (in log) over 4 seeds.
    """
    n, L = 300, 11
    factors = {"he": [], "xavier": []}
    for seed in range(4):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n, 200))
        Y = rng.integers(0, 2, (1, 200))
        for method in factors:
            s = diagnostics.measure(network.initialize_parameters([n] * L + [1], method, rng), X, Y)
            mean_sq = s.act_std ** 2 + s.act_mean ** 2  # hidden layers 1..L-1 at indices 0..L-2
            factors[method].append(np.log(mean_sq[L - 2] / mean_sq[0]) / (L - 2))
    assert abs(np.exp(np.mean(factors["he"])) - 1) < 0.05
    assert abs(np.exp(np.mean(factors["xavier"])) - 0.5) < 0.03


# ---------------------------------------------------------------- fraction_saturated
def test_fraction_saturated_tanh_and_sigmoid_use_the_same_rule():
    Z = np.linspace(-6, 6, 1001).reshape(1, -1)
    tanh = diagnostics.fraction_saturated(np.tanh(Z / 2), "tanh")
    sigmoid = diagnostics.fraction_saturated(network.sigmoid(Z), "sigmoid")
    assert tanh == pytest.approx(sigmoid)  # 2 sigmoid(z) - 1 = tanh(z / 2)
    assert diagnostics.fraction_saturated(np.array([[0.0, 0.5, 0.98, -0.99]]), "tanh") == 0.5
    assert diagnostics.fraction_saturated(np.array([[0.5, 0.99, 0.01, 0.9]]), "sigmoid") == 0.5
    assert diagnostics.fraction_saturated(np.array([[0.5, 0.9]]), "tanh", threshold=0.8) == 0.5


@pytest.mark.parametrize("args, match", [
    ((np.zeros((2, 2)), "relu"), "kind must be one of"),
    ((np.zeros((2, 2)), "tanh", 1.0), "threshold must be in"),
    ((np.zeros((2, 2)), "tanh", 0), "threshold must be in"),
    ((np.array([[np.nan]]), "tanh"), "finite"),
    ((np.zeros((0, 3)), "tanh"), "non-empty"),
    ((np.array([[1.5]]), "tanh"), r"tanh outputs in \[-1, 1\]"),
    ((np.array([[-0.5]]), "sigmoid"), r"sigmoid outputs in \[0, 1\]"),
])
def test_fraction_saturated_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        diagnostics.fraction_saturated(*args)


# ---------------------------------------------------------------- histograms, ratios
def test_histograms_rows_are_fractions_per_layer():
    _, _, _, cache, _ = _net("tanh")
    bins = np.linspace(-1, 1, 21)
    H = diagnostics.activation_histograms(cache, bins)
    assert H.shape == (3, 20)
    np.testing.assert_allclose(H[:-1].sum(axis=1), 1.0)  # tanh lies in [-1, 1]: everything counted
    np.testing.assert_allclose(H[0], np.histogram(cache["layers"][0]["G"], bins)[0] / cache["layers"][0]["G"].size)


def test_normalized_histograms_do_not_depend_on_the_scale():
    params, X, _, _, _ = _net("relu")
    _, cache = network.forward(X, params, "relu")
    big = {k: (1e3 * v if k == "W1" else v) for k, v in params.items()}
    _, cache_big = network.forward(X, big, "relu")
    bins = np.linspace(0, 5, 11)
    H, H_big = (diagnostics.activation_histograms(c, bins, normalize=True) for c in (cache, cache_big))
    np.testing.assert_allclose(H[0], H_big[0])
    assert not np.allclose(diagnostics.activation_histograms(cache, bins)[0],
                           diagnostics.activation_histograms(cache_big, bins)[0])
    _, zero_cache = network.forward(X, network.initialize_parameters([6, 8, 8, 1], "zeros"), "relu")
    assert diagnostics.activation_histograms(zero_cache, [-1, 1], normalize=True)[0, 0] == 1.0


@pytest.mark.parametrize("bins", [[0.0], [1.0, 0.0], [[0.0, 1.0]], [0.0, np.inf]])
def test_histograms_reject_bad_bins(bins):
    _, _, _, cache, _ = _net()
    with pytest.raises(ValueError, match="bins must be"):
        diagnostics.activation_histograms(cache, bins)


def test_ratio_last_to_first():
    assert diagnostics.ratio_last_to_first([2.0, 5.0, 1.0]) == 0.5
    assert np.isnan(diagnostics.ratio_last_to_first([0.0, 0.0]))
    assert diagnostics.ratio_last_to_first([0.0, 1.0]) == np.inf
    for bad in ([1.0], [[1.0, 2.0]], [1.0, np.nan]):
        with pytest.raises(ValueError, match="one per layer"):
            diagnostics.ratio_last_to_first(bad)


# ---------------------------------------------------------------- validation of cache and grads
@pytest.mark.parametrize("cache", [None, {}, {"layers": []}, {"layers": [1]}, (1, 2)])
def test_statistics_reject_something_that_is_not_a_cache(cache):
    with pytest.raises(ValueError, match="helpers.network.forward"):
        diagnostics.layer_statistics(cache)


def test_statistics_reject_mismatched_grads():
    _, _, _, cache, grads = _net()
    bad = dict(grads, dW2=grads["dW2"].T[:, :3])
    with pytest.raises(ValueError, match=r"grads\['dW2'\] must have shape \(8, 8\)"):
        diagnostics.layer_statistics(cache, bad)
    with pytest.raises(ValueError, match="grads must be the dict"):
        diagnostics.layer_statistics(cache, [1, 2])
    missing = {k: v for k, v in grads.items() if k != "dW3"}
    with pytest.raises(ValueError, match=r"grads\['dW3'\]"):
        diagnostics.layer_statistics(cache, missing)


def test_measure_rejects_bad_hidden_and_bad_X():
    params, X, Y, _, _ = _net()
    with pytest.raises(ValueError, match="hidden must be one of"):
        diagnostics.measure(params, X, Y, "softplus")
    with pytest.raises(ValueError, match="X must have shape"):
        diagnostics.measure(params, X.T, Y)


def test_geometric_summary_prints_its_mean_inside_its_range():
    # The bug this replaces printed "7.7e-01 [8e-01, 8e-01]": mean and range at different precisions.
    values = [0.77, 0.76, 0.78, 0.774, 0.772]
    text = diagnostics.geometric_summary(values)
    mean, low, high = (float(x) for x in text.replace("[", " ").replace("]", " ").replace(",", " ").split())
    assert low <= mean <= high, text
    assert text == "7.7e-01 [7.6e-01, 7.8e-01]"
    assert diagnostics.geometric_summary([1e-60, 1e-61], digits=3).startswith("3.16e-61 [1.00e-61")
    assert diagnostics.geometric_summary([0.0, 0.0]) == "0 (all zero)"


@pytest.mark.parametrize("values, digits", [([], 2), ([1.0, np.nan], 2), ([1.0, -1.0], 2), ([0.0, 1.0], 2), ([1.0], 0)])
def test_geometric_summary_rejects_bad_input(values, digits):
    with pytest.raises(ValueError):
        diagnostics.geometric_summary(values, digits)
