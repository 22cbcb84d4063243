"""Tests for train(..., keep_best=True): early stopping keeps the parameters of the lowest dev cost."""
import numpy as np
import pytest

from helpers.datasets import make_noisy_boundary
from helpers.optim import adam
from helpers.training import train


def _data():
    rng = np.random.default_rng(0)
    X, Y = make_noisy_boundary(260, rng, flip=0.1)
    return X[:, :60], Y[:, :60], X[:, 60:], Y[:, 60:]


def _fit(num_epochs, **kw):
    X, Y, X_dev, Y_dev = _data()
    return train(X, Y, [2, 16, 16, 1], rng=np.random.default_rng(1), update=adam, learning_rate=0.03,
                 num_epochs=num_epochs, X_dev=X_dev, Y_dev=Y_dev, **kw)


def test_keep_best_off_by_default_and_changes_nothing():
    plain, best = _fit(80), _fit(80, keep_best=True)
    assert plain.best_epoch is None and plain.best_params is None
    assert plain.costs == best.costs and plain.dev_costs == best.dev_costs
    for k in plain.params:
        np.testing.assert_array_equal(plain.params[k], best.params[k])


def test_best_epoch_is_the_lowest_dev_cost_and_its_params_are_those_of_that_epoch():
    result = _fit(150, keep_best=True)
    i = int(np.argmin(result.dev_costs))
    assert result.best_epoch == result.epochs[i]
    assert 1 < result.best_epoch < 150  # this net overfits: the dev cost goes down, then up
    again = _fit(result.best_epoch)  # the same seed stopped at the best epoch: the same parameters
    for k in again.params:
        np.testing.assert_allclose(result.best_params[k], again.params[k], rtol=0, atol=1e-12)
        assert not np.shares_memory(result.best_params[k], result.params[k])
    assert not all(np.array_equal(result.best_params[k], result.params[k]) for k in result.params)


def test_best_epoch_only_among_recorded_epochs():
    result = _fit(150, keep_best=True, record_every=10)
    assert result.best_epoch in result.epochs
    assert result.best_epoch == result.epochs[int(np.argmin(result.dev_costs))]


def test_keep_best_needs_a_dev_set():
    X, Y, _, _ = _data()
    with pytest.raises(ValueError, match="X_dev and Y_dev"):
        train(X, Y, [2, 4, 1], rng=np.random.default_rng(0), num_epochs=5, keep_best=True)
