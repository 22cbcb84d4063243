"""Unit tests for helpers.training.train and the update rules in helpers.optim."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from helpers import datasets, network, optim, training


def _separable(m=80, seed=0):
    """A linearly separable 2-D set with a margin: y = 1 iff x1 + 0.5 x2 > 0, |x1 + 0.5 x2| >= 0.3."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, 4 * m))
    s = X[0] + 0.5 * X[1]
    X = X[:, np.abs(s) >= 0.3][:, :m]
    Y = (X[0] + 0.5 * X[1] > 0).astype(int).reshape(1, -1)
    assert X.shape == (2, m) and 0.3 < Y.mean() < 0.7
    return X, Y


def _full_cost(X, Y, params, hidden="relu", output="sigmoid", lambd=0.0):
    _, cache = network.forward(X, params, hidden, output)
    return network.compute_cost(cache, Y, lambd)


# ---------------------------------------------------------------- full batch
def test_full_batch_training_decreases_cost_and_separates():
    X, Y = _separable()
    result = training.train(X, Y, [2, 4, 1], rng=np.random.default_rng(1), learning_rate=0.5, num_epochs=300)
    assert result.epochs == list(range(1, 301))
    assert len(result.costs) == 300 and all(math.isfinite(c) for c in result.costs)
    assert result.costs[-1] < 0.25 * result.costs[0]
    # full-batch gradient descent with a modest step: the cost never goes up
    assert np.all(np.diff(result.costs) <= 1e-12)
    assert result.accuracy(X, Y) >= 0.97
    assert result.error(X, Y) == pytest.approx(1 - result.accuracy(X, Y))
    np.testing.assert_array_equal(result.predict(X), network.predict(X, result.params))
    P = result.probabilities(X)
    assert P.shape == (1, X.shape[1]) and np.all((P > 0) & (P < 1))
    assert result.dev_costs == []


def test_recorded_costs_are_the_costs_of_the_params_at_that_epoch():
    """With full batch, costs[0] is J at the starting params and the last recorded cost is J just
    before the last update (the params are updated after the cost is computed)."""
    X, Y = _separable(40)
    p0 = network.initialize_parameters([2, 3, 1], "he", np.random.default_rng(5))
    one = training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(0), params=p0, num_epochs=1, lambd=0.2)
    assert one.costs[0] == pytest.approx(_full_cost(X, Y, p0, lambd=0.2), rel=1e-12)
    two = training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(0), params=p0, num_epochs=2, lambd=0.2)
    assert two.costs[1] == pytest.approx(_full_cost(X, Y, one.params, lambd=0.2), rel=1e-12)
    # and params given to train are trained as a copy
    again = network.initialize_parameters([2, 3, 1], "he", np.random.default_rng(5))
    assert all(np.array_equal(p0[k], again[k]) for k in p0)


def test_one_full_batch_step_is_gradient_descent():
    X, Y = _separable(30)
    p0 = network.initialize_parameters([2, 3, 1], "xavier", np.random.default_rng(2))
    result = training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(0), params=p0, num_epochs=1,
                            learning_rate=0.3, hidden="tanh", lambd=0.1)
    _, cache = network.forward(X, p0, "tanh", "sigmoid")
    grads = network.backward(cache, Y, 0.1)
    for key in p0:
        np.testing.assert_allclose(result.params[key], p0[key] - 0.3 * grads["d" + key], rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- mini-batches, recording, dev set
def test_minibatch_training_records_one_cost_per_recorded_epoch():
    X, Y = _separable(50)
    result = training.train(X, Y, [2, 4, 1], rng=np.random.default_rng(3), learning_rate=0.2,
                            num_epochs=12, batch_size=16, record_every=5)
    assert result.epochs == [1, 5, 10, 12]
    assert len(result.costs) == len(result.epochs)
    assert all(math.isfinite(c) and c > 0 for c in result.costs)
    assert result.costs[-1] < result.costs[0]
    assert result.dev_costs == []


def test_minibatch_epoch_cost_is_the_mean_over_all_examples():
    """With an update rule that leaves params alone, every mini-batch cost is evaluated at the same
    params, so the epoch's (example-weighted) mean must be the full-data cost."""
    X, Y = _separable(50)
    p0 = network.initialize_parameters([2, 4, 1], "he", np.random.default_rng(4))
    result = training.train(X, Y, [2, 4, 1], rng=np.random.default_rng(0), params=p0, num_epochs=3,
                            batch_size=16, update=lambda params, grads, state, lr: state)
    expected = _full_cost(X, Y, p0)
    assert result.costs == pytest.approx([expected] * 3, rel=1e-12)


def test_batch_size_at_least_m_is_full_batch():
    X, Y = _separable(30)
    kw = dict(rng=None, learning_rate=0.3, num_epochs=5)
    runs = []
    for batch_size in (None, 30, 100):
        kw["rng"] = np.random.default_rng(9)
        runs.append(training.train(X, Y, [2, 3, 1], batch_size=batch_size, **kw))
    for other in runs[1:]:
        assert other.costs == pytest.approx(runs[0].costs, rel=1e-12)
        for key in runs[0].params:
            np.testing.assert_allclose(other.params[key], runs[0].params[key], rtol=1e-12)


@pytest.mark.parametrize("batch_size, keep_prob", [(None, 1.0), (8, 1.0), (8, 0.5)])
def test_dev_costs_recorded_when_a_dev_set_is_given(batch_size, keep_prob):
    X, Y = _separable(60)
    X_tr, Y_tr, X_dev, Y_dev = X[:, :40], Y[:, :40], X[:, 40:], Y[:, 40:]
    result = training.train(X_tr, Y_tr, [2, 5, 1], rng=np.random.default_rng(6), learning_rate=0.3,
                            num_epochs=9, batch_size=batch_size, record_every=4, X_dev=X_dev, Y_dev=Y_dev,
                            keep_prob=keep_prob, lambd=0.05)
    assert result.epochs == [1, 4, 8, 9]
    assert len(result.dev_costs) == len(result.costs) == 4
    assert all(math.isfinite(c) for c in result.dev_costs)
    # the last dev cost is the cross-entropy of the returned params on the dev set, without dropout
    assert result.dev_costs[-1] == pytest.approx(_full_cost(X_dev, Y_dev, result.params), rel=1e-12)


# ---------------------------------------------------------------- pluggable update rule
def test_update_rule_is_pluggable():
    X, Y = _separable(20)
    calls = []

    def rule(params, grads, state, learning_rate):
        calls.append((params, {k: v.copy() for k, v in grads.items()}, dict(state), learning_rate))
        for key, value in params.items():
            value -= learning_rate * grads["d" + key]
        return {"steps": state.get("steps", 0) + 1}

    result = training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(0), learning_rate=0.07,
                            num_epochs=4, batch_size=6, update=rule)
    assert len(calls) == 4 * 4  # 4 epochs x batches of 6, 6, 6, 2
    for i, (params, grads, state, lr) in enumerate(calls):
        assert params is result.params  # updated in place, the dict train returns
        assert sorted(grads) == ["dW1", "dW2", "db1", "db2"]
        assert all(grads["d" + k].shape == result.params[k].shape for k in result.params)
        assert state == ({} if i == 0 else {"steps": i})  # the state returned last time comes back
        assert lr == 0.07


def test_a_rule_that_does_nothing_leaves_params_alone():
    X, Y = _separable(20)
    p0 = network.initialize_parameters([2, 3, 1], "he", np.random.default_rng(1))
    result = training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(0), params=p0, num_epochs=3,
                            update=lambda params, grads, state, lr: state)
    for key in p0:
        np.testing.assert_array_equal(result.params[key], p0[key])
    assert result.costs[0] == result.costs[-1]


# ---------------------------------------------------------------- optim rules
def _one_step(rule, lr=0.1, **kw):
    rng = np.random.default_rng(8)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1))}
    grads = {"dW1": rng.standard_normal((3, 2)), "db1": rng.standard_normal((3, 1))}
    before = {k: v.copy() for k, v in params.items()}
    state = rule(params, grads, {}, lr, **kw)
    return before, params, grads, state


def test_gradient_descent_step():
    before, params, grads, state = _one_step(optim.gradient_descent, 0.1)
    for k in params:
        np.testing.assert_allclose(params[k], before[k] - 0.1 * grads["d" + k], rtol=1e-15)
    assert state == {"t": 1}  # plain gradient descent remembers only the step count


def test_momentum_first_and_second_steps():
    before, params, grads, state = _one_step(optim.momentum, 0.1, beta=0.8)
    for k in params:
        np.testing.assert_allclose(state["v"][k], 0.2 * grads["d" + k], rtol=1e-15)
        np.testing.assert_allclose(params[k], before[k] - 0.1 * 0.2 * grads["d" + k], rtol=1e-14)
    mid = {k: v.copy() for k, v in params.items()}
    state = optim.momentum(params, grads, state, 0.1, beta=0.8)
    for k in params:  # v = 0.8 * 0.2 g + 0.2 g = 0.36 g
        np.testing.assert_allclose(state["v"][k], 0.36 * grads["d" + k], rtol=1e-14)
        np.testing.assert_allclose(params[k], mid[k] - 0.1 * 0.36 * grads["d" + k], rtol=1e-14)


def test_adam_first_step_is_lr_times_sign_and_state_holds_t():
    before, params, grads, state = _one_step(optim.adam, 0.01)
    assert state["t"] == 1
    for k in params:
        g = grads["d" + k]
        # bias correction makes v_hat = g and s_hat = g^2 on the first step
        np.testing.assert_allclose(params[k], before[k] - 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-12)
        np.testing.assert_allclose(state["v"][k], 0.1 * g, rtol=1e-14)
        np.testing.assert_allclose(state["s"][k], 0.001 * g * g, rtol=1e-14)
    state = optim.adam(params, grads, state, 0.01)
    assert state["t"] == 2


@pytest.mark.parametrize("rule, lr", [(optim.momentum, 0.5), (optim.adam, 0.02)])
def test_momentum_and_adam_reduce_the_cost(rule, lr):
    X, Y = _separable(60)
    captured = {}

    def capture(params, grads, state, learning_rate):
        captured["state"] = rule(params, grads, state, learning_rate)
        return captured["state"]

    result = training.train(X, Y, [2, 4, 1], rng=np.random.default_rng(2), learning_rate=lr, num_epochs=40,
                            batch_size=16, update=capture)
    assert result.costs[-1] < 0.5 * result.costs[0]
    assert result.accuracy(X, Y) >= 0.9
    assert set(captured["state"]["v"]) == set(result.params)
    if rule is optim.adam:
        assert captured["state"]["t"] == 40 * 4  # one step per mini-batch: 16, 16, 16, 12


# ---------------------------------------------------------------- divergence, dtypes
def _diverging(num_epochs):
    X, Y = _separable(20)
    with np.errstate(all="ignore"):  # train must notice by itself, not through numpy's error state
        return training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(1), learning_rate=1e6,
                              num_epochs=num_epochs)


def test_too_large_learning_rate_raises_instead_of_returning_nan():
    with pytest.raises(FloatingPointError, match=r"training diverged: the cost (became (nan|inf)|grew to .*) at epoch "
                                                 r"\d+.*: the learning rate 1000000.0 is too large"):
        _diverging(200)


def test_divergence_on_the_last_epoch_is_not_returned_silently():
    # BUG (helpers/training.py, the `if not np.isfinite(total)` check at the end of the epoch loop):
    # the cost checked is the one computed *before* each update, so the update made in the last epoch
    # is never checked. If the blow-up happens there, train returns params whose cost is NaN/inf
    # without raising.
    with pytest.raises(FloatingPointError, match=r"at epoch (\d+)") as info:
        _diverging(200)
    first_bad = int(re.search(r"at epoch (\d+)", str(info.value)).group(1))
    assert first_bad > 1
    # params after first_bad - 1 epochs are exactly the ones whose cost was found to be non-finite
    try:
        result = _diverging(first_bad - 1)
    except (FloatingPointError, ValueError):
        return
    X, Y = _separable(20)
    with np.errstate(all="ignore"):
        cost = _full_cost(X, Y, result.params)
    assert math.isfinite(cost), f"train returned params with cost {cost} without raising"


def test_float32_training_keeps_float32():
    X, Y = _separable(40)  # int labels, float64 X: train converts X to the requested dtype
    dtypes = set()

    def rule(params, grads, state, learning_rate):
        dtypes.update(g.dtype for g in grads.values())
        return optim.gradient_descent(params, grads, state, learning_rate)

    result = training.train(X, Y, [2, 4, 1], rng=np.random.default_rng(0), learning_rate=0.5, num_epochs=50,
                            dtype=np.float32, update=rule, batch_size=16)
    assert all(p.dtype == np.float32 for p in result.params.values())
    assert dtypes == {np.dtype(np.float32)}  # the backward pass ran in float32 too
    assert all(math.isfinite(c) for c in result.costs)
    assert result.costs[-1] < result.costs[0]
    ref = training.train(X, Y, [2, 4, 1], rng=np.random.default_rng(0), learning_rate=0.5, num_epochs=50,
                         batch_size=16)
    assert all(p.dtype == np.float64 for p in ref.params.values())
    # same draws, lower precision: close to the float64 run, but not bit-identical
    np.testing.assert_allclose(result.params["W1"], ref.params["W1"], rtol=1e-3, atol=1e-4)
    assert not np.array_equal(result.params["W1"], ref.params["W1"])


@pytest.mark.parametrize("rule", [optim.momentum, optim.adam])
def test_float32_state_of_momentum_and_adam(rule):
    X, Y = _separable(20)
    captured = {}

    def capture(params, grads, state, learning_rate):
        captured["state"] = rule(params, grads, state, learning_rate)
        return captured["state"]

    result = training.train(X, Y, [2, 3, 1], rng=np.random.default_rng(0), learning_rate=0.01, num_epochs=3,
                            dtype=np.float32, update=capture)
    assert all(p.dtype == np.float32 for p in result.params.values())
    assert all(v.dtype == np.float32 for v in captured["state"]["v"].values())


def test_softmax_training_on_three_blobs():
    rng = np.random.default_rng(4)
    centers = np.array([[0.0, 3.0, -3.0], [3.0, -2.0, -2.0]])
    labels = np.repeat(np.arange(3), 20)
    X = centers[:, labels] + 0.5 * rng.standard_normal((2, 60))
    Y = datasets.one_hot(labels, 3)
    result = training.train(X, Y, [2, 5, 3], rng=np.random.default_rng(5), output="softmax",
                            learning_rate=0.3, num_epochs=100)
    assert result.costs[-1] < 0.2 * result.costs[0]
    assert result.accuracy(X, Y) == 1.0
    P = result.probabilities(X)
    assert P.shape == (3, 60)
    np.testing.assert_allclose(P.sum(axis=0), 1.0)


# ---------------------------------------------------------------- issue 8, section 2: divergence caught early
def _blobs():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 40))
    return X, (X[0:1] + X[1:2] > 0).astype(int)


@pytest.mark.parametrize("learning_rate", [100, 1e4, 1e6])
@pytest.mark.parametrize("record_every", [1, 1000])
def test_divergence_is_caught_within_a_few_epochs_whatever_record_every(learning_rate, record_every):
    # Before: lr 100 returned a dead network (accuracy 0.575, cost back under 1 after reaching 1e4) without a
    # word; lr 1e4 and 1e6 reported NaN "at epoch 200" with record_every=1000 (the first NaN was at epoch 30-47).
    X, Y = _blobs()
    with pytest.raises(FloatingPointError, match=r"training diverged: the cost (grew to|became) .* at epoch (\d+)") as info:
        training.train(X, Y, [2, 8, 1], rng=np.random.default_rng(1), learning_rate=learning_rate, num_epochs=200,
                       record_every=record_every)
    assert int(re.search(r"at epoch (\d+)", str(info.value)).group(1)) <= 3
    assert f"the learning rate {learning_rate} is too large" in str(info.value)


def test_a_learning_rate_that_trains_is_not_called_divergence():
    X, Y = _blobs()
    result = training.train(X, Y, [2, 8, 1], rng=np.random.default_rng(1), learning_rate=10, num_epochs=200)
    assert result.accuracy(X, Y) == 1.0


def test_non_finite_starting_parameters_are_not_blamed_on_the_learning_rate():
    X, Y = _blobs()
    params = network.initialize_parameters([2, 8, 1], "he", np.random.default_rng(0))
    params["W2"][0, 3] = np.nan
    with pytest.raises(ValueError, match=r"params\['W2'\] contains NaN or inf: the network is broken before") as info:
        training.train(X, Y, [2, 8, 1], rng=np.random.default_rng(1), params=params, num_epochs=5)
    assert "learning rate" not in str(info.value)
    X_bad = X.copy()
    X_bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="X contains NaN or inf"):
        training.train(X_bad, Y, [2, 8, 1], rng=np.random.default_rng(1), num_epochs=5)


def test_an_update_rule_that_makes_nan_is_reported_at_its_epoch():
    X, Y = _blobs()
    calls = []

    def poisoned(params, grads, state, learning_rate):
        calls.append(1)
        optim.gradient_descent(params, grads, state, learning_rate)
        if len(calls) == 7:
            params["W1"][0, 0] = np.nan
        return state

    with pytest.raises(FloatingPointError, match="the cost became nan at epoch 8 "):
        training.train(X, Y, [2, 8, 1], rng=np.random.default_rng(1), update=poisoned, num_epochs=100,
                       record_every=50)


def test_layer_norm_trains_with_a_last_mini_batch_of_one_but_batch_norm_refuses_it():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 9))
    Y = (X[:1] > 0).astype(float)
    kwargs = dict(layer_dims=[3, 4, 1], learning_rate=0.1, num_epochs=2, batch_size=4)  # batches of 4, 4, 1
    result = training.train(X, Y, batch_norm="layer", rng=np.random.default_rng(1), **kwargs)
    assert np.isfinite(result.costs).all()
    with pytest.raises(ValueError, match="last mini-batch of 1 example"):
        training.train(X, Y, batch_norm=True, rng=np.random.default_rng(1), **kwargs)
