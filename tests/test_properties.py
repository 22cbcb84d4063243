"""Property tests (hypothesis) for the validation layer and the network's public functions.

Every call with random shapes, dtypes and values either gives the right answer or raises ValueError /
TypeError whose message names the argument at fault. No other exception (IndexError, AttributeError, a
numpy casting error) and no silently wrong result. Kept fast: few examples per property, no deadline.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers import network, training, validation
from helpers.datasets import standardize
from helpers.optim import adam, gradient_descent, momentum

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)

# Anything a learner might pass where a number is expected.
numbers_and_junk = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.text(max_size=5), st.sampled_from(["0.1", "1e-3", "nan"]), st.lists(st.floats(0, 1), max_size=2),
    st.just(np.float32(0.5)), st.just(np.array(0.3)), st.just(np.array([0.1, 0.2])))


def clear_error_or(fn, names):
    """Call fn(); return (True, value) or (False, exc) for a ValueError/TypeError naming one of names.

    Any other exception, or a ValueError/TypeError whose message names none of them, fails the test.
    """
    try:
        return True, fn()
    except (ValueError, TypeError) as exc:
        assert any(name in str(exc) for name in names), f"{type(exc).__name__} does not name {names}: {exc}"
        return False, exc


def _is_real_number(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 0
    return isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool)


# ---------------------------------------------------------------- scalar checks
@FAST
@given(value=numbers_and_junk)
def test_check_positive_accepts_exactly_the_positive_finite_numbers(value):
    ok, out = clear_error_or(lambda: validation.check_positive(value, "learning_rate"), ["learning_rate"])
    should = _is_real_number(value) and np.isfinite(float(value)) and float(value) > 0
    assert ok == should
    if ok:
        assert out == float(value) and isinstance(out, float)


@FAST
@given(value=numbers_and_junk)
def test_check_nonnegative_accepts_exactly_the_nonnegative_finite_numbers(value):
    ok, out = clear_error_or(lambda: validation.check_nonnegative(value, "lambd"), ["lambd"])
    assert ok == (_is_real_number(value) and np.isfinite(float(value)) and float(value) >= 0)
    if ok:
        assert out == float(value)


@FAST
@given(value=st.one_of(numbers_and_junk, st.lists(st.floats(-1, 2), min_size=1, max_size=4)),
       n_hidden=st.integers(0, 3))
def test_check_keep_prob(value, n_hidden):
    ok, out = clear_error_or(lambda: validation.check_keep_prob(value, n_hidden), ["keep_prob"])
    if ok:
        assert len(out) == n_hidden and all(0 < k <= 1 for k in out)
        items = list(value) if isinstance(value, (list, np.ndarray)) and np.ndim(value) == 1 else [value]
        assert [float(np.asarray(k)) for k in items] in ([*out], [out[0]] if out else [1.0])


@FAST
@given(value=st.one_of(st.text(max_size=8), st.none(), st.integers(), st.sampled_from(["relu", "RELU", "Tanh"])))
def test_check_choice(value):
    ok, out = clear_error_or(lambda: validation.check_choice(value, "hidden", ("relu", "tanh")), ["hidden"])
    assert ok == (value in ("relu", "tanh"))


# ---------------------------------------------------------------- arrays
dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_, np.complex128, np.str_])
arrays = hnp.arrays(dtype=dtypes, shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))


@FAST
@given(X=arrays)
def test_as_matrix(X):
    ok, out = clear_error_or(lambda: validation.as_matrix(X, "X"), ["X"])
    numeric = X.dtype.kind in "fiub"
    should = numeric and X.ndim == 2 and X.shape[1] > 0 and bool(np.all(np.isfinite(X.astype(float))))
    assert ok == should
    if ok:
        assert out.shape == X.shape and np.issubdtype(out.dtype, np.floating)
        np.testing.assert_array_equal(out, X.astype(out.dtype))


@FAST
@given(Y=hnp.arrays(dtype=np.float64, shape=hnp.array_shapes(max_dims=2), elements=st.sampled_from([0, 1, 0.5, 2, -1, np.nan])),
       cast=st.sampled_from([None, np.int64, np.bool_]), one_hot=st.booleans())
def test_as_labels(Y, cast, one_hot):
    if cast is not None and np.all((Y == 0) | (Y == 1)):
        Y = Y.astype(cast)
    m = Y.shape[-1]
    ok, out = clear_error_or(lambda: validation.as_labels(Y, m, one_hot=one_hot), ["Y"])
    if ok:
        assert out.ndim == 2 and np.all((out >= 0) & (out <= 1)) and out.dtype != bool
        if one_hot:
            np.testing.assert_allclose(out.sum(axis=0), 1)
    else:
        Yf = Y.astype(float)
        assert (Y.ndim != 2 or not np.all(np.isfinite(Yf)) or np.any((Yf < 0) | (Yf > 1))
                or (one_hot and not np.allclose(Yf.sum(axis=0), 1)))


# ---------------------------------------------------------------- the network
def _net(seed, dims, output):
    rng = np.random.default_rng(seed)
    params = network.initialize_parameters(dims, "he", rng)
    X = rng.standard_normal((dims[0], 5))
    if output == "sigmoid":
        Y = rng.integers(0, 2, (1, 5))
    else:
        Y = np.eye(dims[-1])[:, rng.integers(0, dims[-1], 5)]
    return params, X, Y


@FAST
@given(shape=st.tuples(st.integers(0, 4), st.integers(0, 6)), dtype=dtypes, hidden=st.sampled_from(["relu", "x"]),
       keep_prob=st.sampled_from([1.0, 0.5, 0.0, 1.5]), depth=st.integers(0, 2))
def test_forward(shape, dtype, hidden, keep_prob, depth):
    dims = [3] + [4] * depth + [1]
    params, _, _ = _net(0, dims, "sigmoid")
    X = np.ones(shape, dtype=dtype)
    ok, out = clear_error_or(lambda: network.forward(X, params, hidden, "sigmoid", keep_prob,
                                                     np.random.default_rng(1)), ["X", "hidden", "keep_prob"])
    should = (X.dtype.kind in "fiub" and shape[0] == 3 and shape[1] > 0 and hidden == "relu"
              and (keep_prob == 1.0 or (keep_prob == 0.5 and depth > 0)))
    assert ok == should
    if ok:
        AL, _ = out
        assert AL.shape == (1, shape[1]) and np.all((AL > 0) & (AL < 1))


@FAST
@given(kind=st.one_of(st.sampled_from(["relu", "tanh", "sigmoid", "softmax", "RELU", "linear", ""]), st.none()))
def test_activations(kind):
    Z = np.array([[-1.0, 0.5], [2.0, -0.1]])
    ok, A = clear_error_or(lambda: network.activation_forward(Z, kind), ["kind"])
    assert ok == (kind in ("relu", "tanh", "sigmoid", "softmax"))
    ok, dZ = clear_error_or(lambda: network.activation_backward(np.ones_like(Z), Z, np.tanh(Z), kind), ["kind"])
    assert ok == (kind in ("relu", "tanh", "sigmoid"))


@FAST
@given(keep_prob=numbers_and_junk, rng=st.sampled_from([None, 0, "rng", np.random.default_rng(0)]))
def test_dropout(keep_prob, rng):
    A = np.ones((3, 4))
    ok, out = clear_error_or(lambda: network.dropout_forward(A, keep_prob, rng), ["keep_prob", "rng"])
    valid_kp = _is_real_number(keep_prob) and 0 < float(keep_prob) <= 1
    assert ok == (valid_kp and isinstance(rng, np.random.Generator))
    if ok:
        A_drop, D = out
        np.testing.assert_allclose(A_drop, D / float(keep_prob))
    ok, _ = clear_error_or(lambda: network.dropout_backward(A, A > 0, keep_prob), ["keep_prob"])
    assert ok == valid_kp


@FAST
@given(lambd=numbers_and_junk, m=numbers_and_junk)
def test_l2_penalty(lambd, m):
    params, _, _ = _net(0, [2, 3, 1], "sigmoid")
    ok, out = clear_error_or(lambda: network.l2_penalty(params, lambd, m), ["lambd", "m"])
    valid_m = _is_real_number(m) and np.isfinite(float(m)) and float(m) >= 1 and float(m) == int(float(m))
    assert ok == (_is_real_number(lambd) and np.isfinite(float(lambd)) and float(lambd) >= 0 and valid_m)
    if ok:
        assert out >= 0


@FAST
@given(rows=st.integers(1, 3), cols=st.integers(1, 3), y_rows=st.integers(1, 3), y_cols=st.integers(1, 3),
       output=st.sampled_from(["sigmoid", "softmax", "SIGMOID"]), as_bool=st.booleans())
def test_cross_entropy_from_logits(rows, cols, y_rows, y_cols, output, as_bool):
    ZL = np.linspace(-2, 2, rows * cols).reshape(rows, cols)
    Y = np.zeros((y_rows, y_cols), dtype=bool if as_bool else int)
    Y[0] = 1
    ok, J = clear_error_or(lambda: network.cross_entropy_from_logits(ZL, Y, output), ["ZL", "Y", "output"])
    should = (rows, cols) == (y_rows, y_cols) and output != "SIGMOID" and not (output == "softmax" and rows < 2)
    assert ok == should
    if ok:  # against the formula on probabilities
        A = network.sigmoid(ZL) if output == "sigmoid" else network.softmax(ZL)
        Yf = Y.astype(float)
        ref = (-np.sum(Yf * np.log(A) + (1 - Yf) * np.log(1 - A)) if output == "sigmoid"
               else -np.sum(Yf * np.log(A))) / cols
        assert J == pytest.approx(ref, rel=1e-12)


@FAST
@given(scale=numbers_and_junk, dtype=st.sampled_from([np.float64, np.float32, int, np.int32, "float64", "junk"]))
def test_initialize_parameters(scale, dtype):
    ok, params = clear_error_or(
        lambda: network.initialize_parameters([2, 3, 1], "random", np.random.default_rng(0), scale, dtype),
        ["scale", "dtype"])
    valid_dtype = dtype in (np.float64, np.float32, "float64")
    assert ok == (valid_dtype and _is_real_number(scale) and np.isfinite(float(scale)) and float(scale) > 0)
    if ok:
        assert np.all(params["W1"] != 0) and np.issubdtype(params["W1"].dtype, np.floating)


@FAST
@given(learning_rate=numbers_and_junk, lambd=st.sampled_from([0.0, -1.0, np.nan, "0.1", None]),
       update=st.sampled_from([gradient_descent, "adam", "momentum", "Adam", 3, None]))
def test_train_hyperparameters(learning_rate, lambd, update):
    params, X, Y = _net(0, [3, 2, 1], "sigmoid")
    ok, result = clear_error_or(
        lambda: training.train(X, Y, [3, 2, 1], rng=np.random.default_rng(0), learning_rate=learning_rate,
                               lambd=lambd, update=update, num_epochs=2),
        ["learning_rate", "lambd", "update"])
    valid_lr = _is_real_number(learning_rate) and np.isfinite(float(learning_rate)) and float(learning_rate) > 0
    valid = valid_lr and lambd == 0.0 and update in (gradient_descent, "adam", "momentum")
    if valid and float(learning_rate) > 1e3:  # may diverge: then FloatingPointError, which names the rate
        return
    assert ok == valid


@FAST
@given(mu=st.sampled_from([0.0, np.nan, np.inf, "a"]), sigma=st.sampled_from([1.0, 0.0, np.nan, -1.0]))
def test_standardize(mu, sigma):
    X = np.arange(6.0).reshape(2, 3)
    ok, Z = clear_error_or(lambda: standardize(X, np.full((2, 1), mu), np.full((2, 1), sigma)), ["mu", "sigma"])
    assert ok == (mu == 0.0 and sigma == 1.0)


@FAST
@given(rule=st.sampled_from([gradient_descent, momentum, adam]),
       p_dtype=st.sampled_from([np.float64, np.float32, np.int64]),
       learning_rate=st.sampled_from([0.1, "0.1", None, -1.0]), fresh_state=st.booleans())
def test_update_rules(rule, p_dtype, learning_rate, fresh_state):
    state = {} if fresh_state else None
    params = {"W1": np.ones((2, 2), dtype=p_dtype)}
    grads = {"dW1": np.ones((2, 2))}
    ok, _ = clear_error_or(lambda: rule(params, grads, state, learning_rate), ["params", "learning_rate", "state"])
    assert ok == (p_dtype != np.int64 and learning_rate == 0.1 and fresh_state)
    if ok:
        assert np.all(params["W1"] < 1)


# ---------------------------------------------------------------- every public function, one junk argument
JUNK = [None, "0.1", "abc", -1, 0, 1.5, 2, np.nan, np.inf, True, [], {}, (1, 2), np.array([[np.nan]]),
        np.ones((2, 2)), np.ones(3), np.float32(0.5), np.array([["a"]])]


def _public_calls():
    """(function, valid keyword arguments, {argument: words its error message may use}) for every public function."""
    from helpers import datasets as ds
    from helpers import gradcheck as gc
    from helpers.augmentation import augment, rotate, shift
    from helpers.bias_variance import diagnose

    rng = np.random.default_rng(0)
    params, X, Y = _net(0, [3, 4, 1], "sigmoid")
    _, cache = network.forward(X, params)
    grads = network.backward(cache, Y)
    psm, Xs, Ysm = _net(1, [3, 4, 3], "softmax")
    img = np.random.default_rng(2).random((64, 3))

    def cost(p):
        return network.compute_cost(network.forward(X, p)[1], Y)

    return [
        (network.initialize_parameters, dict(layer_dims=[3, 4, 1], method="random", rng=rng, scale=0.5, dtype=np.float64)),
        (network.forward, dict(X=X, params=params, hidden="relu", output="sigmoid", keep_prob=1.0, rng=rng)),
        (network.compute_cost, dict(cache=cache, Y=Y, lambd=0.1)),
        (network.backward, dict(cache=cache, Y=Y, lambd=0.1)),
        (network.predict, dict(X=X, params=params, hidden="relu", output="sigmoid")),
        (network.accuracy, dict(X=X, Y=Y, params=params, hidden="relu", output="sigmoid")),
        (network.l2_penalty, dict(params=params, lambd=0.1, m=5)),
        (network.linear_backward, dict(dZ=np.ones((4, 5)), A_prev=X, W=params["W1"], lambd=0.1)),
        (network.dropout_forward, dict(A=X, keep_prob=0.5, rng=rng)),
        (network.dropout_backward, dict(dA=X, D=X > 0, keep_prob=0.5)),
        (network.cross_entropy_from_logits, dict(ZL=cache["layers"][-1]["Z"], Y=Y, output="sigmoid")),
        (network.activation_forward, dict(Z=X, kind="tanh")),
        (network.labels_of, dict(Y=Y)),
        (training.train, dict(X=Xs, Y=Ysm, layer_dims=[3, 4, 3], rng=rng, output="softmax", learning_rate=0.1,
                              num_epochs=2, lambd=0.1, keep_prob=0.8, batch_size=2, record_every=1, X_dev=Xs, Y_dev=Ysm)),
        (gradient_descent, dict(params={"W1": np.ones((2, 2))}, grads={"dW1": np.ones((2, 2))}, state={}, learning_rate=0.1)),
        (momentum, dict(params={"W1": np.ones((2, 2))}, grads={"dW1": np.ones((2, 2))}, state={}, learning_rate=0.1, beta=0.9)),
        (adam, dict(params={"W1": np.ones((2, 2))}, grads={"dW1": np.ones((2, 2))}, state={}, learning_rate=0.1,
                    beta1=0.9, beta2=0.999, epsilon=1e-8)),
        (ds.make_moons, dict(m=4, noise=0.1, rng=rng)),
        (ds.make_circles, dict(m=4, noise=0.1, rng=rng, factor=0.5)),
        (ds.make_noisy_boundary, dict(m=4, rng=rng, flip=0.1)),
        (ds.train_dev_test_split, dict(X=X, Y=Y, rng=rng, dev_fraction=0.2, test_fraction=0.2)),
        (ds.fit_standardizer, dict(X_train=X)),
        (ds.standardize, dict(X=X, mu=np.zeros((3, 1)), sigma=np.ones((3, 1)))),
        (ds.minibatches, dict(X=X, Y=Y, batch_size=2, rng=rng)),
        (ds.one_hot, dict(labels=np.array([0, 2, 1]), num_classes=3)),
        (diagnose, dict(train_error=0.1, dev_error=0.2, bayes_error=0.05, tolerance=0.02)),
        (shift, dict(images=img, dx=1, dy=0)),
        (rotate, dict(images=img, degrees=10.0)),
        (augment, dict(X=img, Y=np.array([[0, 1, 1]]))),
        (gc.numerical_gradient, dict(cost_fn=cost, params=params, epsilon=1e-6)),
        (gc.gradient_check, dict(cost_fn=cost, params=params, grads=grads, epsilon=1e-6)),
        (gc.directional_check, dict(cost_fn=cost, params=params, grads=grads, rng=rng, num_directions=2, epsilon=1e-6)),
        (gc.relative_difference, dict(grad=np.ones(3), grad_approx=np.ones(3))),
        (gc.params_to_vector, dict(params=params)),
        (gc.vector_to_params, dict(theta=gc.params_to_vector(params), like=params)),
    ]


ALIASES = {"params": ["params", "W1", "b1", "layer_dims", "grads"], "images": ["images", "X"], "labels": ["labels"],
           "grads": ["grads"], "like": ["like", "theta"], "grad": ["grad", "gradient"], "grad_approx": ["grad", "gradient"],
           "layer_dims": ["layer_dims"], "scale": ["scale"], "m": ["m ("], "Y": ["Y", "labels", "D"],
           "cache": ["cache"], "X": ["X"], "D": ["D"], "degrees": ["degrees"], "mu": ["mu"], "sigma": ["sigma"],
           # a shape that disagrees with another argument's: either one may be named
           "W": ["W", "dZ", "A_prev"], "ZL": ["ZL", "Y"], "num_classes": ["num_classes", "labels"]}
ALIASES_BY_FUNCTION = {("train", "layer_dims"): ["layer_dims", "X must have shape"]}
CALLS = _public_calls()


@settings(max_examples=250, deadline=None, derandomize=True)
@given(which=st.integers(0, len(CALLS) - 1), arg=st.integers(0, 20), junk=st.sampled_from(JUNK))
def test_every_public_function_with_one_junk_argument(which, arg, junk):
    fn, kwargs = CALLS[which]
    name = sorted(kwargs)[arg % len(kwargs)]
    kwargs = {**kwargs, name: junk}
    if isinstance(junk, (list, dict)):
        kwargs[name] = type(junk)()  # a fresh empty one: state dicts are written to
    if "state" in kwargs and name != "state":
        kwargs["state"] = {}  # a fresh state: a rule checks its arrays on the first step
    try:
        with np.errstate(all="raise", under="ignore"):  # a NaN or inf computed from junk must not slip through
            out = fn(**kwargs)
            if fn is network.linear_backward or fn is network.dropout_forward:
                out = out[0]
    except (ValueError, TypeError) as exc:
        words = ALIASES_BY_FUNCTION.get((fn.__name__, name), ALIASES.get(name, [name]))
        assert any(w in str(exc) for w in words), f"{fn.__name__}({name}={junk!r}): {type(exc).__name__}: {exc}"
        return
    except FloatingPointError as exc:  # only training may diverge, and it says why
        assert fn is training.train and "learning rate" in str(exc), f"{fn.__name__}({name}={junk!r}): {exc}"
        return
    if fn is network.activation_forward:
        return  # g(NaN) = NaN and g(inf) are the right answers: an activation propagates what it is given
    if isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.number):
        assert np.all(np.isfinite(out)), f"{fn.__name__}({name}={junk!r}) returned non-finite values"
    if isinstance(out, float):
        assert np.isfinite(out), f"{fn.__name__}({name}={junk!r}) returned {out}"
