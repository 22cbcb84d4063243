"""Bad input to the public helpers raises ValueError with a message that says what was expected.

The contract (helpers/validation.py): "a learner who passes X as (m, n_x) or keep_prob=0 is told
exactly what to fix instead of getting silently wrong numbers".
"""
from __future__ import annotations

import numpy as np
import pytest

from helpers import datasets, network, optim, training

N_X, M = 4, 7
DIMS = [N_X, 5, 3, 1]
BAD_KEEP_PROBS = [0, 0.0, -0.5, 1.5, float("nan"), float("inf")]
NOT_GENERATORS = [None, 42, np.random.RandomState(0)]
KEEP_MSG = r"keep_prob must be in \(0, 1\]"
RNG_MSG = r"rng must be a numpy\.random\.Generator"


@pytest.fixture
def net():
    rng = np.random.default_rng(0)
    params = network.initialize_parameters(DIMS, "he", rng)
    X = rng.standard_normal((N_X, M))
    Y = rng.integers(0, 2, size=(1, M))
    return params, X, Y


# ---------------------------------------------------------------- network: X
def test_forward_rejects_transposed_X_naming_the_expected_shape(net):
    params, X, _ = net
    with pytest.raises(ValueError, match=r"X must have shape \(4, m\); got \(7, 4\) \(did you pass it transposed"):
        network.forward(X.T, params)


@pytest.mark.parametrize("fn", [network.predict, lambda X, p: network.accuracy(X, np.zeros((1, X.shape[1])), p)])
def test_predict_and_accuracy_reject_transposed_X(net, fn):
    params, X, _ = net
    with pytest.raises(ValueError, match=r"X must have shape \(4, m\).*transposed"):
        fn(X.T, params)


def test_forward_rejects_wrong_feature_count_without_transpose_hint(net):
    params, _, _ = net
    with pytest.raises(ValueError, match=r"X must have shape \(4, m\); got \(3, 7\)$"):
        network.forward(np.ones((3, 7)), params)


@pytest.mark.parametrize("X, msg", [
    (np.ones(4), r"X must be 2-D with shape \(n_x, m\).*got shape \(4,\)"),
    (np.ones((4, 2, 2)), r"X must be 2-D with shape \(n_x, m\)"),
    (np.ones((4, 0)), r"X has no examples"),
])
def test_forward_rejects_X_of_wrong_rank_or_empty(net, X, msg):
    params, _, _ = net
    with pytest.raises(ValueError, match=msg):
        network.forward(X, params)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_forward_rejects_nonfinite_X(net, bad):
    params, X, _ = net
    X = X.copy()
    X[2, 3] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or inf"):
        network.forward(X, params)


# ---------------------------------------------------------------- network: names, keep_prob, rng
@pytest.mark.parametrize("kw, msg", [
    (dict(hidden="softplus"), r"hidden must be one of \['relu', 'sigmoid', 'tanh'\]; got 'softplus'"),
    (dict(hidden="softmax"), r"hidden must be one of"),
    (dict(output="linear"), r"output must be one of \['sigmoid', 'softmax'\]; got 'linear'"),
])
def test_forward_rejects_unknown_activation(net, kw, msg):
    params, X, _ = net
    with pytest.raises(ValueError, match=msg):
        network.forward(X, params, **kw)


def test_softmax_output_needs_two_classes(net):
    params, X, _ = net
    with pytest.raises(ValueError, match=r"softmax output needs n\[L\] >= 2"):
        network.forward(X, params, output="softmax")


@pytest.mark.parametrize("keep_prob", BAD_KEEP_PROBS + [(0.5, 0.0), (1.0, 1.2)])
def test_forward_rejects_bad_keep_prob(net, keep_prob):
    params, X, _ = net
    with pytest.raises(ValueError, match=KEEP_MSG):
        network.forward(X, params, keep_prob=keep_prob, rng=np.random.default_rng(0))


@pytest.mark.parametrize("keep_prob", [(0.5, 0.5, 0.5), [[0.5, 0.5]], ()])
def test_forward_rejects_keep_prob_of_wrong_length(net, keep_prob):
    params, X, _ = net
    with pytest.raises(ValueError, match=r"keep_prob must be a number or a sequence of 2 numbers"):
        network.forward(X, params, keep_prob=keep_prob, rng=np.random.default_rng(0))


@pytest.mark.parametrize("rng", NOT_GENERATORS)
def test_dropout_requires_a_generator(net, rng):
    params, X, _ = net
    with pytest.raises(ValueError, match=RNG_MSG):
        network.forward(X, params, keep_prob=0.5, rng=rng)


# ---------------------------------------------------------------- network: params
def _bad_params(params, kind):
    p = {k: v.copy() for k, v in params.items()}
    if kind == "missing b2":
        del p["b2"]
    elif kind == "missing W3":
        del p["W3"]
    elif kind == "empty":
        p = {}
    elif kind == "W2 wrong inner dim":
        p["W2"] = np.ones((3, 4))
    elif kind == "b1 1-D":
        p["b1"] = np.zeros(5)
    elif kind == "b3 wrong rows":
        p["b3"] = np.zeros((2, 1))
    elif kind == "W1 1-D":
        p["W1"] = np.ones(4)
    return p


@pytest.mark.parametrize("kind, msg", [
    ("missing b2", r"params must hold W1, b1, \.\.\., WL, bL"),
    # BUG (helpers/network.py, layer_dims_of): L is the number of "W" keys only
    # (`L = sum(1 for k in params if k.startswith("W"))`), so without W3 but with b3 the params pass
    # as a 2-layer net [4, 5, 3]: forward silently returns a (3, m) output and ignores b3.
    ("missing W3", r"params must hold W1, b1"),
    ("empty", r"params must hold W1, b1"),
    ("W2 wrong inner dim", r"W2 must have shape \(n\[2\], 5\); got \(3, 4\)"),
    ("b1 1-D", r"b1 must have shape \(5, 1\); got \(5,\)"),
    ("b3 wrong rows", r"b3 must have shape \(1, 1\); got \(2, 1\)"),
    # BUG (helpers/network.py, layer_dims_of): `dims = [params["W1"].shape[1]]` runs before the
    # `W.ndim != 2` check, so a 1-D W1 raises IndexError instead of the ValueError below.
    ("W1 1-D", r"W1 must have shape \(n\[1\], .*\); got \(4,\)|W1 must be 2-D"),
])
def test_forward_rejects_bad_params(net, kind, msg):
    params, X, _ = net
    with pytest.raises(ValueError, match=msg):
        network.forward(X, _bad_params(params, kind))


# ---------------------------------------------------------------- network: Y, lambd
@pytest.mark.parametrize("Y, msg", [
    (np.zeros((1, 6)), r"Y must have shape \(1, 7\) to match X's 7 examples; got \(1, 6\)"),
    (np.zeros((1, 8)), r"Y must have shape \(1, 7\)"),
    (np.zeros((7, 1)), r"Y must have shape \(1, 7\)"),
    (np.zeros((2, 7)), r"Y must have shape \(1, 7\)"),
    (np.zeros(7), r"Y must be 2-D with shape \(1, 7\); got a 1-D array of shape \(7,\)"),
    (np.full((1, 7), np.nan), r"Y contains NaN or inf"),
    (np.full((1, 7), 2.0), r"Y must hold labels in \[0, 1\]"),
    (np.full((1, 7), -1.0), r"Y must hold labels in \[0, 1\]"),
])
@pytest.mark.parametrize("fn", [network.compute_cost, network.backward])
def test_cost_and_backward_reject_bad_Y(net, fn, Y, msg):
    params, X, _ = net
    _, cache = network.forward(X, params)
    with pytest.raises(ValueError, match=msg):
        fn(cache, Y)


@pytest.mark.parametrize("lambd", [-0.1, float("nan"), float("inf")])
@pytest.mark.parametrize("fn", [network.compute_cost, network.backward])
def test_cost_and_backward_reject_bad_lambd(net, fn, lambd):
    params, X, Y = net
    _, cache = network.forward(X, params)
    with pytest.raises(ValueError, match=r"lambd \(the L2 strength λ\) must be a finite number >= 0"):
        fn(cache, Y, lambd)


def test_accuracy_rejects_mismatched_Y(net):
    params, X, _ = net
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 7\)"):
        network.accuracy(X, np.zeros((1, 5)), params)
    with pytest.raises(ValueError, match=r"1-D array"):
        network.accuracy(X, np.zeros(7), params)


# ---------------------------------------------------------------- network: initialize_parameters
@pytest.mark.parametrize("layer_dims", [[], [4], [4, 0, 1], [4, -3, 1], [4, 2.5, 1], (3, 1.5)])
def test_initialize_rejects_bad_layer_dims(layer_dims):
    with pytest.raises(ValueError, match=r"layer_dims must be a list of at least two positive integers"):
        network.initialize_parameters(layer_dims, "he", np.random.default_rng(0))


@pytest.mark.parametrize("method", ["glorot", "He", "", "normal"])
def test_initialize_rejects_unknown_method(method):
    with pytest.raises(ValueError, match=r"method must be one of \['he', 'random', 'xavier', 'zeros'\]"):
        network.initialize_parameters(DIMS, method, np.random.default_rng(0))


@pytest.mark.parametrize("method", ["he", "xavier", "random"])
@pytest.mark.parametrize("rng", NOT_GENERATORS)
def test_initialize_requires_a_generator(method, rng):
    with pytest.raises(ValueError, match=RNG_MSG):
        network.initialize_parameters(DIMS, method, rng)


# ---------------------------------------------------------------- training.train
@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2, 20))
    Y = (X[0] > X[1]).astype(int).reshape(1, -1)
    return X, Y


def _train(X, Y, **kw):
    kw.setdefault("rng", np.random.default_rng(0))
    kw.setdefault("num_epochs", 2)
    layer_dims = kw.pop("layer_dims", [2, 3, 1])
    return training.train(X, Y, layer_dims, **kw)


def test_train_accepts_the_defaults(data):
    """The baseline every bad-input case below differs from in exactly one argument."""
    result = _train(*data)
    assert len(result.costs) == 2


def test_train_rejects_transposed_X(data):
    X, Y = data
    with pytest.raises(ValueError, match=r"X must have shape \(2, m\); got \(20, 2\) \(did you pass it transposed"):
        _train(X.T, Y)


@pytest.mark.parametrize("Y_bad, msg", [
    (lambda Y: Y[:, :-1], r"Y must have shape \(1, 20\) to match X's 20 examples; got \(1, 19\)"),
    (lambda Y: Y.T, r"Y must have shape \(1, 20\)"),
    (lambda Y: Y.ravel(), r"Y must be 2-D with shape \(1, 20\); got a 1-D array"),
    (lambda Y: Y * 3, r"Y must hold labels in \[0, 1\]"),
])
def test_train_rejects_bad_Y(data, Y_bad, msg):
    X, Y = data
    with pytest.raises(ValueError, match=msg):
        _train(X, Y_bad(Y))


def test_train_rejects_nan_in_X(data):
    X, Y = data
    X = X.copy()
    X[0, 5] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or inf"):
        _train(X, Y)


@pytest.mark.parametrize("keep_prob", BAD_KEEP_PROBS)
def test_train_rejects_bad_keep_prob(data, keep_prob):
    with pytest.raises(ValueError, match=KEEP_MSG):
        _train(*data, keep_prob=keep_prob)


@pytest.mark.parametrize("lambd", [-1.0, -1e-9, float("nan"), float("inf")])
def test_train_rejects_bad_lambd(data, lambd):
    with pytest.raises(ValueError, match=r"lambd \(the L2 strength λ\) must be a finite number >= 0"):
        _train(*data, lambd=lambd)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_train_rejects_bad_learning_rate(data, lr):
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0"):
        _train(*data, learning_rate=lr)


@pytest.mark.parametrize("kw, msg", [
    (dict(hidden="leaky"), r"hidden must be one of"),
    (dict(output="relu"), r"output must be one of"),
    (dict(init="glorot"), r"method must be one of"),
    (dict(output="softmax"), r"softmax output needs n\[L\] >= 2"),
])
def test_train_rejects_unknown_names(data, kw, msg):
    with pytest.raises(ValueError, match=msg):
        _train(*data, **kw)


@pytest.mark.parametrize("rng", NOT_GENERATORS)
def test_train_requires_a_generator(data, rng):
    with pytest.raises(ValueError, match=RNG_MSG):
        _train(*data, rng=rng)


@pytest.mark.parametrize("layer_dims", [[2], [2, 0, 1], [2, 3.5, 1]])
def test_train_rejects_bad_layer_dims(data, layer_dims):
    with pytest.raises(ValueError, match=r"layer_dims must be a list of at least two positive integers"):
        _train(*data, layer_dims=layer_dims)


def test_train_rejects_params_that_do_not_match_layer_dims(data):
    params = network.initialize_parameters([2, 4, 1], "he", np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"params have layer dims \[2, 4, 1\], but layer_dims is \[2, 3, 1\]"):
        _train(*data, params=params)
    params["b1"] = np.zeros(4)
    with pytest.raises(ValueError, match=r"b1 must have shape \(4, 1\)"):
        _train(*data, params=params, layer_dims=[2, 4, 1])


@pytest.mark.parametrize("kw", [dict(num_epochs=0), dict(num_epochs=2.5), dict(num_epochs=-3),
                                dict(record_every=0), dict(record_every=1.5)])
def test_train_rejects_bad_epoch_counts(data, kw):
    with pytest.raises(ValueError, match=r"(num_epochs|record_every) must be an integer >= 1"):
        _train(*data, **kw)


@pytest.mark.parametrize("batch_size", [0, -4, 2.5])
def test_train_rejects_bad_batch_size(data, batch_size):
    with pytest.raises(ValueError, match=r"batch_size \(None for full batch\) must be an integer >= 1"):
        _train(*data, batch_size=batch_size)


def test_train_rejects_bad_dev_set(data):
    X, Y = data
    with pytest.raises(ValueError, match=r"X_dev must have shape \(2, m\); got \(5, 2\) \(did you pass it transposed"):
        _train(X, Y, X_dev=X[:, :5].T, Y_dev=Y[:, :5])
    with pytest.raises(ValueError, match=r"Y_dev must have shape \(1, 5\) to match X's 5 examples; got \(1, 4\)"):
        _train(X, Y, X_dev=X[:, :5], Y_dev=Y[:, :4])


# ---------------------------------------------------------------- datasets
MAKERS = {
    "moons": lambda m=50, noise=0.1, rng=None: datasets.make_moons(m, noise, rng if rng is not None else np.random.default_rng(0)),
    "circles": lambda m=50, noise=0.1, rng=None: datasets.make_circles(m, noise, rng if rng is not None else np.random.default_rng(0)),
    "noisy_boundary": lambda m=50, noise=None, rng=None: datasets.make_noisy_boundary(m, rng if rng is not None else np.random.default_rng(0)),
}


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize("m", [1, 0, -5, 2.5])
def test_makers_reject_bad_m(maker, m):
    with pytest.raises(ValueError, match=r"m \(the number of examples\) must be an integer >= 2"):
        MAKERS[maker](m=m)


@pytest.mark.parametrize("maker", ["moons", "circles"])
@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf")])
def test_makers_reject_bad_noise(maker, noise):
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0"):
        MAKERS[maker](noise=noise)


@pytest.mark.parametrize("maker", sorted(MAKERS))
@pytest.mark.parametrize("rng", [42, np.random.RandomState(0)])
def test_makers_require_a_generator(maker, rng):
    with pytest.raises(ValueError, match=RNG_MSG):
        MAKERS[maker](rng=rng)


@pytest.mark.parametrize("factor", [0, 1, 1.5, -0.5, float("nan")])
def test_make_circles_rejects_bad_factor(factor):
    with pytest.raises(ValueError, match=r"factor \(inner radius / outer radius\) must be in \(0, 1\)"):
        datasets.make_circles(20, 0.0, np.random.default_rng(0), factor=factor)


@pytest.mark.parametrize("flip", [-0.1, 0.5, 0.9, float("nan")])
def test_make_noisy_boundary_rejects_bad_flip(flip):
    with pytest.raises(ValueError, match=r"flip \(the label-noise rate\) must be in \[0, 0\.5\)"):
        datasets.make_noisy_boundary(20, np.random.default_rng(0), flip=flip)


def test_true_boundary_labels_rejects_transposed_X():
    with pytest.raises(ValueError, match=r"X must have shape \(2, m\); got \(6, 2\) \(did you pass it transposed"):
        datasets.true_boundary_labels(np.zeros((6, 2)))


@pytest.fixture
def table():
    rng = np.random.default_rng(2)
    return rng.standard_normal((3, 30)), rng.integers(0, 2, size=(1, 30))


@pytest.mark.parametrize("Y_bad, msg", [
    (lambda Y: Y[:, :10], r"Y must have shape \(n_y, 30\) to match X's 30 examples; got \(1, 10\)"),
    (lambda Y: Y.ravel(), r"Y must be 2-D with shape \(n_y, 30\); got a 1-D array"),
])
def test_split_and_minibatches_reject_bad_Y(table, Y_bad, msg):
    X, Y = table
    with pytest.raises(ValueError, match=msg):
        datasets.train_dev_test_split(X, Y_bad(Y), np.random.default_rng(0))
    with pytest.raises(ValueError, match=msg):
        list(datasets.minibatches(X, Y_bad(Y), 8, np.random.default_rng(0)))


@pytest.mark.parametrize("fn", [
    pytest.param(lambda X, Y: datasets.train_dev_test_split(X, Y, np.random.default_rng(0)), id="split"),
    pytest.param(lambda X, Y: list(datasets.minibatches(X, Y, 8, np.random.default_rng(0))), id="minibatches"),
])
def test_split_and_minibatches_point_at_a_transposed_X(table, fn):
    # BUG (helpers/datasets.py, train_dev_test_split and minibatches): they call `as_matrix(X)` without
    # rows, so X passed as (m, n_x) = (30, 3) with Y (1, 30) is reported as
    # "Y must have shape (n_y, 3) to match X's 3 examples; got (1, 30)", i.e. the learner is told to
    # change Y, which is the wrong fix. When X.shape[0] == Y.shape[1] != X.shape[1] the message should say X
    # looks transposed (as network.forward does).
    X, Y = table
    with pytest.raises(ValueError, match=r"transposed"):
        fn(X.T, Y)


def test_split_and_minibatches_reject_nan_in_X(table):
    X, Y = table
    X = X.copy()
    X[1, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or inf"):
        datasets.train_dev_test_split(X, Y, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"X contains NaN or inf"):
        list(datasets.minibatches(X, Y, 8, None))


@pytest.mark.parametrize("kw, msg", [
    (dict(dev_fraction=-0.1), r"dev_fraction must be in \[0, 1\); got -0\.1"),
    (dict(dev_fraction=1.0), r"dev_fraction must be in \[0, 1\)"),
    (dict(test_fraction=float("nan")), r"test_fraction must be in \[0, 1\)"),
    (dict(dev_fraction=0.5, test_fraction=0.5), r"dev_fraction \+ test_fraction must leave at least one training example"),
    (dict(dev_fraction=0.6, test_fraction=0.39), r"must leave at least one training example"),
])
def test_split_rejects_bad_fractions(table, kw, msg):
    X, Y = table
    with pytest.raises(ValueError, match=msg):
        datasets.train_dev_test_split(X, Y, np.random.default_rng(0), **kw)


@pytest.mark.parametrize("rng", NOT_GENERATORS)
def test_split_requires_a_generator(table, rng):
    X, Y = table
    with pytest.raises(ValueError, match=RNG_MSG):
        datasets.train_dev_test_split(X, Y, rng)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5])
def test_minibatches_reject_bad_batch_size(table, batch_size):
    X, Y = table
    with pytest.raises(ValueError, match=r"batch_size must be an integer >= 1"):
        list(datasets.minibatches(X, Y, batch_size, None))


@pytest.mark.parametrize("rng", [42, np.random.RandomState(0)])
def test_minibatches_require_a_generator_or_none(table, rng):
    X, Y = table
    with pytest.raises(ValueError, match=RNG_MSG):
        list(datasets.minibatches(X, Y, 8, rng))


def test_standardize_rejects_bad_inputs(table):
    X, _ = table
    mu, sigma = datasets.fit_standardizer(X)
    with pytest.raises(ValueError, match=r"mu and sigma must have shape \(3, 1\) to match X \(3, 30\); got \(3,\)"):
        datasets.standardize(X, mu.ravel(), sigma)
    with pytest.raises(ValueError, match=r"mu and sigma must have shape \(3, 1\).*got \(3, 1\) and \(1, 3\)"):
        datasets.standardize(X, mu, sigma.T)
    with pytest.raises(ValueError, match=r"sigma must be > 0 everywhere"):
        datasets.standardize(X, mu, np.where(np.arange(3)[:, None] == 1, 0.0, sigma))
    with pytest.raises(ValueError, match=r"sigma must be > 0 everywhere"):
        datasets.standardize(X, mu, -sigma)
    bad = X.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"X contains NaN or inf"):
        datasets.standardize(bad, mu, sigma)


def test_fit_standardizer_rejects_bad_X():
    with pytest.raises(ValueError, match=r"X_train must be 2-D with shape \(n_x, m\)"):
        datasets.fit_standardizer(np.arange(5.0))
    with pytest.raises(ValueError, match=r"X_train contains NaN or inf"):
        datasets.fit_standardizer(np.array([[1.0, np.nan], [0.0, 1.0]]))


@pytest.mark.parametrize("labels, C, msg", [
    (np.array([0.0, 1.0]), 2, r"labels must be a non-empty array of integers; got dtype float64"),
    (np.array([], dtype=int), 2, r"labels must be a non-empty array of integers"),
    (np.array([0, 3]), 3, r"labels must be in \[0, 3\); got values in \[0, 3\]"),
    (np.array([-1, 1]), 3, r"labels must be in \[0, 3\); got values in \[-1, 1\]"),
])
def test_one_hot_rejects_bad_labels(labels, C, msg):
    with pytest.raises(ValueError, match=msg):
        datasets.one_hot(labels, C)


# ---------------------------------------------------------------- optim
RULES = {"gradient_descent": optim.gradient_descent, "momentum": optim.momentum, "adam": optim.adam}


def _params_and_grads():
    rng = np.random.default_rng(3)
    params = network.initialize_parameters([3, 4, 1], "he", rng)
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    return params, grads


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("key, shape", [("dW1", (4, 1)), ("db1", (1, 1))])
def test_update_rules_reject_gradients_of_the_wrong_shape(rule, key, shape):
    # BUG (helpers/optim.py, every rule: `value -= learning_rate * grads["d" + key]` and the v/s
    # updates): there is no shape check, so a gradient that broadcasts against its parameter, e.g.
    # dW1 of shape (4, 1) for W1 (4, 3), silently updates every column with the same numbers instead
    # of raising.
    params, grads = _params_and_grads()
    grads[key] = np.ones(shape)
    with pytest.raises(ValueError, match=key):
        RULES[rule](params, grads, {}, 0.1)


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("lr", [-0.1, float("nan")])
def test_update_rules_reject_bad_learning_rate(rule, lr):
    # BUG (helpers/optim.py): no rule validates learning_rate (train() does, the rules do not), so a
    # NaN or negative learning rate silently yields NaN or ascending parameters when a notebook calls
    # a rule directly.
    params, grads = _params_and_grads()
    with pytest.raises(ValueError, match=r"learning_rate"):
        RULES[rule](params, grads, {}, lr)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("rule, kw, name", [
    ("momentum", dict(beta=1.0), "beta"),
    ("adam", dict(beta1=1.0), "beta1"),
    ("adam", dict(beta2=1.0), "beta2"),
])
def test_update_rules_reject_bad_hyperparameters(rule, kw, name):
    # BUG (helpers/optim.py): beta, beta1 and beta2 are unchecked; adam with beta1=1 or beta2=1
    # divides by 1 - beta**t = 0 and silently produces NaN parameters, momentum with beta=1 never moves.
    params, grads = _params_and_grads()
    with pytest.raises(ValueError, match=name):
        RULES[rule](params, grads, {}, 0.1, **kw)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_update_rules_reject_missing_gradients(rule):
    # A missing gradient raises today, but as KeyError('dW2') rather than the ValueError the other
    # helpers use; this test accepts either as long as the missing key is named.
    params, grads = _params_and_grads()
    del grads["dW2"]
    with pytest.raises((ValueError, KeyError), match="dW2"):
        RULES[rule](params, grads, {}, 0.1)


# ---------------------------------------------------------------- issue 8, section 1: each case of the list
def _small(output="sigmoid", dims=(3, 4, 1), m=6, seed=0):
    rng = np.random.default_rng(seed)
    params = network.initialize_parameters(list(dims), "he", rng)
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, (1, m)) if output == "sigmoid" else datasets.one_hot(rng.integers(0, dims[-1], m), dims[-1])
    return params, X, Y


@pytest.mark.parametrize("kind", ["RELU", "Tanh", "linear", None])
def test_unknown_activation_kinds_raise_with_the_choices(kind):
    Z = np.array([[0.5, -1.0]])
    with pytest.raises(ValueError, match=r"kind must be one of \['relu', 'sigmoid', 'softmax', 'tanh'\]"):
        network.activation_forward(Z, kind)
    with pytest.raises(ValueError, match=r"kind must be one of \['relu', 'sigmoid', 'tanh'\]"):
        network.activation_backward(Z, Z, Z, kind)


def test_activation_backward_refuses_softmax_instead_of_computing_sigmoid_prime():
    Z = np.array([[0.5], [-1.0]])
    with pytest.raises(ValueError, match="dZ = A - Y is computed by backward"):
        network.activation_backward(Z, Z, network.softmax(Z), "softmax")


def test_cross_entropy_from_logits_checks_shapes_and_output():
    ZL = np.linspace(-1, 1, 10).reshape(1, 10)
    Y = np.ones((10, 1))  # broadcast against ZL it gave 7.18
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 10\)"):
        network.cross_entropy_from_logits(ZL, Y, "sigmoid")
    with pytest.raises(ValueError, match=r"output must be one of \['sigmoid', 'softmax'\]; got 'SIGMOID'"):
        network.cross_entropy_from_logits(ZL, Y.T, "SIGMOID")  # it returned 0.0


def test_cross_entropy_accepts_boolean_one_hot_labels():
    ZL = np.array([[2.0, -1.0], [0.0, 1.0], [-1.0, 0.5]])
    Y = np.array([[True, False], [False, True], [False, False]])
    expected = network.cross_entropy_from_logits(ZL, Y.astype(float), "softmax")
    assert network.cross_entropy_from_logits(ZL, Y, "softmax") == expected  # was a TypeError (-Y on bools)
    assert network.cross_entropy_from_logits(ZL[:1], Y[:1], "sigmoid") == pytest.approx(
        network.cross_entropy_from_logits(ZL[:1], Y[:1].astype(int), "sigmoid"), rel=0, abs=0)


def test_softmax_labels_must_be_one_hot_or_probability_columns():
    params, X, _ = _small("softmax", (3, 4, 3))
    _, cache = network.forward(X, params, output="softmax")
    Y = np.zeros((3, 6))
    Y[0, :3] = 1
    Y[1, :] = 1  # columns 0-2 sum to 2, columns 3-5 to 1
    for fn in (network.compute_cost, network.backward):
        with pytest.raises(ValueError, match="columns must be one-hot .* column 0 sums to 2"):
            fn(cache, Y)
    probs = np.full((3, 6), 1 / 3)  # probability columns: dZ = A - Y is their gradient too
    network.backward(cache, probs)
    with pytest.raises(ValueError, match="one-hot"):
        training.train(X, Y, [3, 4, 3], rng=np.random.default_rng(0), output="softmax", num_epochs=1)


def test_labels_of_refuses_1d_and_soft_labels():
    with pytest.raises(ValueError, match=r"Y must be 2-D.*got shape \(3,\) \(use Y.reshape\(1, -1\)\)"):
        network.labels_of(np.array([0, 1, 1]))  # it returned [[1]]
    with pytest.raises(ValueError, match="0/1 labels"):
        network.labels_of(np.array([[0.7, 0.2]]))  # astype(int) made both 0
    np.testing.assert_array_equal(network.labels_of(np.array([[0, 1, 1]])), [[0, 1, 1]])
    np.testing.assert_array_equal(network.labels_of(np.eye(3)[:, [2, 0]]), [[2, 0]])


def test_accuracy_refuses_soft_labels():
    params, X, _ = _small()
    with pytest.raises(ValueError, match="0/1 labels"):
        network.accuracy(X, np.full((1, 6), 0.7), params)


@pytest.mark.parametrize("keep_prob, match", [(0, r"\(0, 1\]"), (1.5, r"\(0, 1\]"), (np.nan, r"\(0, 1\]"),
                                              ("0.5", "keep_prob must be a number"), (None, "keep_prob must be a number"),
                                              ([0.5], "keep_prob must be a number")])
def test_dropout_checks_keep_prob(keep_prob, match):
    A = np.ones((2, 3))
    with pytest.raises((ValueError, TypeError), match=match):
        network.dropout_forward(A, keep_prob, np.random.default_rng(0))
    with pytest.raises((ValueError, TypeError), match=match):
        network.dropout_backward(A, A > 0, keep_prob)


def test_dropout_needs_a_generator_and_a_matching_mask():
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        network.dropout_forward(np.ones((2, 3)), 0.5, None)  # was an AttributeError
    with pytest.raises(ValueError, match=r"D \(the dropout mask from dropout_forward\) must have dA's shape"):
        network.dropout_backward(np.ones((2, 3)), np.ones((3, 2)), 0.5)


@pytest.mark.parametrize("lambd", [-0.1, np.nan, np.inf])
def test_negative_or_nan_lambda_is_refused_everywhere(lambd):
    params, X, Y = _small()
    _, cache = network.forward(X, params)
    dZ, A_prev, W = np.ones((4, 6)), X, params["W1"]
    with pytest.raises(ValueError, match=r"lambd \(the L2 strength λ\) must be a finite number >= 0"):
        network.linear_backward(dZ, A_prev, W, lambd)
    with pytest.raises(ValueError, match=r"lambd \(the L2 strength λ\) must be a finite number >= 0"):
        network.l2_penalty(params, lambd, 6)


@pytest.mark.parametrize("m", [-6, 0, 2.5, "6", None])
def test_l2_penalty_needs_a_positive_integer_m(m):
    params, _, _ = _small()
    with pytest.raises((ValueError, TypeError), match=r"m \(the number of examples\) must be an integer >= 1"):
        network.l2_penalty(params, 0.1, m)


def test_linear_backward_checks_shapes():
    with pytest.raises(ValueError, match=r"A_prev must have shape \(3, m\)"):
        network.linear_backward(np.ones((4, 6)), np.ones((2, 6)), np.ones((4, 3)))


@pytest.mark.parametrize("mu, sigma, match", [(np.nan, 1.0, "mu contains NaN"), (0.0, np.nan, "sigma contains NaN"),
                                              (np.inf, 1.0, "mu contains NaN or inf")])
def test_standardize_refuses_nan_statistics(mu, sigma, match):
    X = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match=match):
        datasets.standardize(X, np.full((2, 1), mu), np.full((2, 1), sigma))


def test_initialize_parameters_refuses_nan_scale_and_integer_dtype():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"scale \(the std of the random weights\) must be a finite number > 0"):
        network.initialize_parameters([2, 3, 1], "random", rng, scale=np.nan)
    with pytest.raises(TypeError, match="dtype must be a float dtype .* would truncate every weight"):
        network.initialize_parameters([2, 3, 1], "he", rng, dtype=int)
    with pytest.raises(TypeError, match="layer_dims must be a list of at least two positive integers"):
        network.initialize_parameters([2, None, 1], "he", rng)


def test_train_refuses_y_dev_without_x_dev():
    params, X, Y = _small()
    with pytest.raises(ValueError, match="a dev set needs both X_dev and Y_dev; got only Y_dev"):
        training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), Y_dev=Y, num_epochs=1)
    with pytest.raises(ValueError, match="got only X_dev"):
        training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), X_dev=X, num_epochs=1)


def test_dropout_without_a_hidden_layer_is_refused():
    params, X, Y = _small(dims=(3, 1))
    with pytest.raises(ValueError, match="no hidden layer"):
        training.train(X, Y, [3, 1], rng=np.random.default_rng(0), keep_prob=0.5, num_epochs=1)
    with pytest.raises(ValueError, match="no hidden layer"):
        network.forward(X, params, keep_prob=0.5, rng=np.random.default_rng(0))
    network.forward(X, params, keep_prob=1.0)  # keep_prob = 1 (no dropout) stays fine


@pytest.mark.parametrize("kw, name", [(dict(learning_rate="0.1"), "learning_rate"), (dict(learning_rate=None), "learning_rate"),
                                      (dict(lambd="0.1"), "lambd"), (dict(lambd=None), "lambd"),
                                      (dict(num_epochs="10"), "num_epochs"), (dict(keep_prob="0.5"), "keep_prob"),
                                      (dict(batch_size="4"), "batch_size"), (dict(init_scale=None, init="random"), "scale")])
def test_strings_and_none_for_numbers_name_the_parameter(kw, name):
    _, X, Y = _small()
    with pytest.raises(TypeError, match=rf"{name}.* must be (a number|an integer)"):
        training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), num_epochs=kw.pop("num_epochs", 2), **kw)


def test_learning_rate_as_text_gets_a_hint():
    with pytest.raises(TypeError, match=r"learning_rate must be a number; got str '0.1' \(write 0.1, without quotes\)"):
        optim.gradient_descent({"W1": np.ones((1, 1))}, {"dW1": np.ones((1, 1))}, {}, "0.1")


def test_update_by_name_is_the_same_as_the_function():
    _, X, Y = _small()
    by_fn = training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), update=optim.adam, learning_rate=0.01,
                           num_epochs=5)
    by_name = training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), update="adam", learning_rate=0.01,
                             num_epochs=5)
    assert by_fn.costs == by_name.costs
    with pytest.raises(ValueError, match=r"update must be an update rule .* one of \[.*'adam'.*'gradient_descent'"):
        training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), update="Adam", num_epochs=1)
    with pytest.raises(TypeError, match=r"update must be an update rule.*\(pass the function itself\)"):
        training.train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), update=0.1, num_epochs=1)


def test_compute_cost_and_backward_given_AL_instead_of_the_cache():
    params, X, Y = _small()
    AL, _ = network.forward(X, params)
    for fn in (network.compute_cost, network.backward):
        with pytest.raises(TypeError, match=r"needs the cache from forward .* not A\[L\]; got an array of shape \(1, 6\)"):
            fn(AL, Y)  # was an IndexError


def test_integer_params_are_refused_by_the_rules_and_converted_by_train():
    params = {"W1": np.ones((2, 2), dtype=int), "b1": np.zeros((2, 1), dtype=int)}
    grads = {"dW1": np.ones((2, 2)), "db1": np.ones((2, 1))}
    for rule in (optim.gradient_descent, optim.momentum, optim.adam):
        with pytest.raises(TypeError, match=r"params\['W1'\] must be a float numpy array.*astype\(float\)"):
            rule({k: v.copy() for k, v in params.items()}, grads, {}, 0.1)  # was a ufunc casting error
    _, X, _ = _small(dims=(2, 2))
    out = training.train(X, np.eye(2)[:, [0, 1, 0, 1, 0, 1]], [2, 2], rng=np.random.default_rng(0), params=params,
                         output="softmax", num_epochs=3)
    assert out.params["W1"].dtype == np.float64 and not np.all(out.params["W1"] == 1)


@pytest.mark.parametrize("args, match", [(("0.1", "0.2"), "train_error must be a number"),
                                         ((0.1, None), "dev_error must be a number"),
                                         ((0.1, 0.2, np.nan), "bayes_error must be a finite number"),
                                         ((0.1, 0.2, 0.0, "0.02"), "tolerance must be a number")])
def test_diagnose_refuses_text_and_none(args, match):
    from helpers.bias_variance import diagnose
    with pytest.raises((TypeError, ValueError), match=match):
        diagnose(*args)  # ("0.1", "0.2") was a TypeError from str - str


def test_diagnose_numbers_are_unchanged():
    from helpers.bias_variance import diagnose
    assert diagnose(0.15, 0.16, 0.0) == "high bias"
    assert diagnose(np.float64(0.01), 0.11) == "high variance"
