"""The checks of lab 04 pass the reference, fail each typical slip with its own hint, and report stubs."""
import numpy as np
import pytest

from helpers import checks, network
from helpers.checks import initialization


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


def he_uniform(bound=lambda n_prev, n_l: np.sqrt(6 / n_prev), draw="uniform", bias=None, transpose=False,
               b_shape=None):
    """A He-uniform initializer with one configurable slip (the reference when called with defaults)."""
    def init(layer_dims, rng):
        params = {}
        for l in range(1, len(layer_dims)):
            n_prev, n_l = layer_dims[l - 1], layer_dims[l]
            a = bound(n_prev, n_l)
            shape = (n_prev, n_l) if transpose else (n_l, n_prev)
            if draw == "uniform":
                W = rng.uniform(-a, a, size=shape)
            elif draw == "normal":
                W = np.sqrt(2 / n_prev) * rng.standard_normal(shape)
            elif draw == "global":
                W = np.random.uniform(-a, a, size=shape)
            elif draw == "uniform_transposed":
                W = rng.uniform(-a, a, size=(n_prev, n_l)).T
            params[f"W{l}"] = W
            params[f"b{l}"] = np.zeros(b_shape(n_l) if b_shape else (n_l, 1)) if bias is None else bias(rng, n_l)
        return params
    return init


# ---------------------------------------------------------------- exercise 1: He uniform
def test_reference_passes(capsys):
    ok, out = run(checks.check_initialize_he_uniform, initialization.he_uniform_reference, capsys)
    assert ok and "all 5 cases" in out


def test_configurable_reference_passes(capsys):
    ok, _ = run(checks.check_initialize_he_uniform, he_uniform(), capsys)
    assert ok


def test_reference_has_he_variance():
    W = initialization.he_uniform_reference([1000, 500], np.random.default_rng(0))["W1"]
    assert W.shape == (500, 1000)
    assert abs(W.std() - np.sqrt(2 / 1000)) < 0.01 * np.sqrt(2 / 1000)
    assert np.abs(W).max() <= np.sqrt(6 / 1000)


def test_stub_is_not_done(capsys):
    def stub(layer_dims, rng):
        raise NotImplementedError

    ok, out = run(checks.check_initialize_he_uniform, stub, capsys)
    assert not ok and "not done yet" in out


def test_crash_is_reported(capsys):
    ok, out = run(checks.check_initialize_he_uniform, lambda dims, rng: dims[99], capsys)
    assert not ok and "raised IndexError" in out


@pytest.mark.parametrize("bug, hint", [
    (he_uniform(bound=lambda n_prev, n_l: np.sqrt(3 / n_prev)), "Var(W) = 1/n[l-1]"),
    (he_uniform(bound=lambda n_prev, n_l: np.sqrt(6 / n_l)), "divided by n[l]"),
    (he_uniform(bound=lambda n_prev, n_l: 6 / n_prev), "forgot the square root"),
    (he_uniform(bound=lambda n_prev, n_l: np.sqrt(2 / n_prev)), "variance a^2 / 3"),
    (he_uniform(bound=lambda n_prev, n_l: np.sqrt(6 / (n_prev + n_l))), "Glorot"),
    (he_uniform(bound=lambda n_prev, n_l: 0.01), "solve for a"),
    (he_uniform(bound=lambda n_prev, n_l: 2 / n_prev), "not a bound"),
    (he_uniform(bound=lambda n_prev, n_l: np.sqrt(1 / n_prev)), "Xavier standard deviation"),
    (he_uniform(transpose=True), "rows are this layer's units"),
    (he_uniform(b_shape=lambda n_l: (n_l,)), "a column"),
    (he_uniform(bias=lambda rng, n_l: 0.1 * np.ones((n_l, 1))), "biases start at 0"),
    (he_uniform(draw="normal"), "normal draws"),
    (he_uniform(draw="global"), "never from np.random"),
    (he_uniform(draw="uniform_transposed"), "no transpose"),
    (lambda dims, rng: {f"W{l}": np.zeros((dims[l], dims[l - 1])) for l in range(1, len(dims))}, "missing"),
    (lambda dims, rng: {k: np.zeros_like(v) for k, v in initialization.he_uniform_reference(dims, rng).items()},
     "all weights are zero"),
    (lambda dims, rng: [np.zeros((dims[1], dims[0]))], "return a dict"),
])
def test_typical_bugs_get_their_hint(bug, hint, capsys):
    ok, out = run(checks.check_initialize_he_uniform, bug, capsys)
    assert not ok
    assert hint in out, out


@pytest.mark.parametrize("bound", [
    lambda n_prev, n_l: np.sqrt(2 / n_prev),  # He's std used as the bound
    lambda n_prev, n_l: np.sqrt(1 / n_prev),
    lambda n_prev, n_l: np.sqrt(3 / n_prev),
    lambda n_prev, n_l: 2 / n_prev,
    lambda n_prev, n_l: 0.01,
])
def test_bound_hints_point_at_the_uniform_variance_without_giving_the_answer(bound, capsys):
    ok, out = run(checks.check_initialize_he_uniform, he_uniform(bound=bound), capsys)
    assert not ok
    assert "a^2 / 3" in out and "solve for a" in out, out
    assert "sqrt(6" not in out and "sqrt(3 * 2" not in out, out


def test_empirical_fallback_names_a_wrong_std(capsys):
    def uniform_wrong_scale_other_draws(dims, rng):
        rng.random()  # an extra draw shifts the stream, so only the distribution can be judged
        return {k: (v * 3 if k.startswith("W") else v) for k, v in initialization.he_uniform_reference(dims, rng).items()}

    ok, out = run(checks.check_initialize_he_uniform, uniform_wrong_scale_other_draws, capsys)
    assert not ok and "ratio 3" in out, out


def test_empirical_fallback_names_normal_draws_with_the_right_std(capsys):
    def normal_shifted(dims, rng):
        rng.random()
        return {k: (np.sqrt(2 / v.shape[1]) * rng.standard_normal(v.shape) if k.startswith("W") else np.zeros_like(v))
                for k, v in initialization.he_uniform_reference(dims, np.random.default_rng(0)).items()}

    ok, out = run(checks.check_initialize_he_uniform, normal_shifted, capsys)
    assert not ok and "not uniform" in out, out


# ---------------------------------------------------------------- exercise 2: activation stds
def stds(X, params, hidden):
    L = network.num_layers(params)
    A, out = X, []
    for l in range(1, L):
        A = network.activation_forward(params[f"W{l}"] @ A + params[f"b{l}"], hidden)
        out.append(A.std())
    return out


def test_stds_reference_passes(capsys):
    ok, out = run(checks.check_activation_stds, stds, capsys)
    assert ok and "all 4 cases" in out


def test_stds_helper_reference_passes(capsys):
    ok, _ = run(checks.check_activation_stds, initialization.activation_stds_reference, capsys)
    assert ok


def test_stds_stub_is_not_done(capsys):
    def stub(X, params, hidden):
        raise NotImplementedError

    ok, out = run(checks.check_activation_stds, stub, capsys)
    assert not ok and "not done yet" in out


def _z_stds(X, params, hidden):
    A, out = X, []
    for l in range(1, network.num_layers(params)):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        out.append(Z.std())
        A = network.activation_forward(Z, hidden)
    return out


def _with_output(X, params, hidden):
    return stds(X, params, hidden) + [network.forward(X, params, hidden)[0].std()]


def _with_input(X, params, hidden):
    return [X.std()] + stds(X, params, hidden)


def _shifted(X, params, hidden):
    return ([X.std()] + stds(X, params, hidden))[:-1]


def _no_bias(X, params, hidden):
    A, out = X, []
    for l in range(1, network.num_layers(params)):
        A = network.activation_forward(params[f"W{l}"] @ A, hidden)
        out.append(A.std())
    return out


def _per_unit(X, params, hidden):
    A, out = X, []
    for l in range(1, network.num_layers(params)):
        A = network.activation_forward(params[f"W{l}"] @ A + params[f"b{l}"], hidden)
        out.append(A.std(axis=1))
    return out


@pytest.mark.parametrize("bug, hint", [
    (_z_stds, "stds of Z^[l]"),
    (_with_output, "leave out the output layer"),
    (_with_input, "your first value is std(X)"),
    (_shifted, "shifted by one layer"),
    (_no_bias, "left out the bias"),
    (_per_unit, "np.std(A) with no axis"),
    (lambda X, params, hidden: stds(X, params, "relu"), "apply the activation passed in"),
    (lambda X, params, hidden: [2 * s for s in stds(X, params, hidden)], "layer 1: expected std"),
    (lambda X, params, hidden: "many", "one number per hidden layer"),
    (lambda X, params, hidden: np.array(_per_unit(X, params, hidden)[:1]), "np.std(A) with no axis"),
])
def test_stds_typical_bugs_get_their_hint(bug, hint, capsys):
    ok, out = run(checks.check_activation_stds, bug, capsys)
    assert not ok
    assert hint in out, out
