"""network.substituted: a learner's parts drive the whole network, and the references come back."""
import numpy as np
import pytest

from helpers import network
from helpers.training import train


def _data(rng, C=3, m=40):
    X = rng.standard_normal((4, m))
    y = rng.integers(0, C, m)
    return X, np.eye(C)[:, y]


def test_a_learners_softmax_and_cost_are_what_train_runs():
    calls = {"softmax": 0, "cost": 0}

    def my_softmax(Z):
        calls["softmax"] += 1
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)

    def my_cost(ZL, Y):
        calls["cost"] += 1
        return network._reference_softmax_cost(ZL, Y)

    X, Y = _data(np.random.default_rng(0))
    kwargs = dict(layer_dims=[4, 5, 3], output="softmax", learning_rate=0.1, num_epochs=5,
                  rng=np.random.default_rng(1))
    ref = train(X, Y, **kwargs)
    with network.substituted(softmax=my_softmax, softmax_cost=my_cost):
        mine = train(X, Y, **{**kwargs, "rng": np.random.default_rng(1)})
    assert calls["softmax"] > 0 and calls["cost"] > 0
    for k in ref.params:
        np.testing.assert_array_equal(ref.params[k], mine.params[k])
    assert network.softmax is not my_softmax and network._softmax_cost is network._reference_softmax_cost


def test_a_wrong_gradient_changes_training():
    X, Y = _data(np.random.default_rng(0))
    kwargs = dict(layer_dims=[4, 3], output="softmax", learning_rate=0.1, num_epochs=3)
    ref = train(X, Y, rng=np.random.default_rng(1), **kwargs)
    with network.substituted(softmax_cost=lambda ZL, Y: (network._reference_softmax_cost(ZL, Y)[0], Y - network.softmax(ZL))):
        wrong = train(X, Y, rng=np.random.default_rng(1), **kwargs)
    assert not np.allclose(ref.params["W1"], wrong.params["W1"])


def test_restored_after_an_error_and_bad_names_refused():
    with pytest.raises(RuntimeError):
        with network.substituted(batchnorm_forward=lambda *a: None):
            raise RuntimeError
    assert network._batchnorm_forward.__name__ == "_batchnorm_forward"
    with pytest.raises(ValueError, match="substituted"):
        with network.substituted(relu=np.tanh):
            pass
    with pytest.raises(TypeError, match="function"):
        with network.substituted(softmax=3):
            pass
