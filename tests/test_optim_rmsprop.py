"""helpers.optim.rmsprop is the course's RMSprop and agrees with torch.optim.RMSprop step by step.

Conventions: torch's ``alpha`` is our ``beta`` (the decay of the mean square s), and its ``eps`` is added
after the square root, W -= lr * g / (sqrt(s) + eps), as in ours; with centered=False, momentum=0 and
weight_decay=0 (its defaults) the two compute the same numbers.
"""
import numpy as np
import pytest

from helpers import optim

torch = pytest.importorskip("torch")


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal((3, 1))}
    grads = [{"d" + k: rng.standard_normal(v.shape) for k, v in params.items()} for _ in range(6)]
    return params, grads


@pytest.mark.parametrize("beta, epsilon, lr", [(0.9, 1e-8, 0.01), (0.99, 1e-3, 0.1), (0.5, 0.5, 0.05)])
def test_rmsprop_matches_torch_step_by_step(beta, epsilon, lr):
    params, grads = _problem()
    ours = {k: v.copy() for k, v in params.items()}
    theirs = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    opt = torch.optim.RMSprop(list(theirs.values()), lr=lr, alpha=beta, eps=epsilon)
    state = {}
    for g in grads:
        state = optim.rmsprop(ours, g, state, lr, beta=beta, epsilon=epsilon)
        for k, p in theirs.items():
            p.grad = torch.tensor(g["d" + k])
        opt.step()
        for k in ours:
            np.testing.assert_allclose(ours[k], theirs[k].detach().numpy(), rtol=1e-12, atol=1e-12)
    assert state["t"] == len(grads)


def test_rmsprop_first_step_by_hand():
    params = {"W1": np.array([1.0, -2.0])}
    grads = {"dW1": np.array([0.5, -4.0])}
    optim.rmsprop(params, grads, {}, 0.1, beta=0.9, epsilon=1e-3)
    s = 0.1 * grads["dW1"] ** 2
    np.testing.assert_allclose(params["W1"], [1.0, -2.0] - 0.1 * grads["dW1"] / (np.sqrt(s) + 1e-3))


def test_epsilon_inside_the_root_would_differ():
    # Guards the convention: with a large eps, eps inside the root gives a visibly different step.
    params = {"W1": np.array([1.0])}
    optim.rmsprop(params, {"dW1": np.array([0.1])}, {}, 1.0, beta=0.0, epsilon=0.5)
    assert params["W1"][0] == pytest.approx(1 - 0.1 / (0.1 + 0.5))
    assert abs(params["W1"][0] - (1 - 0.1 / np.sqrt(0.01 + 0.5))) > 0.01


@pytest.mark.parametrize("kwargs, match", [({"beta": 1.0}, "beta"), ({"beta": -0.1}, "beta"),
                                           ({"epsilon": 0.0}, "epsilon"), ({"epsilon": -1e-8}, "epsilon")])
def test_bad_hyperparameters_raise(kwargs, match):
    params, grads = _problem()
    with pytest.raises(ValueError, match=match):
        optim.rmsprop(params, grads[0], {}, 0.1, **kwargs)


def test_bad_learning_rate_and_shapes_raise():
    params, grads = _problem()
    with pytest.raises(ValueError, match="learning_rate"):
        optim.rmsprop(params, grads[0], {}, 0.0)
    with pytest.raises(ValueError, match="dW1"):
        optim.rmsprop(params, {"dW1": np.zeros((4, 3)), "db1": grads[0]["db1"]}, {}, 0.1)


def test_state_none_gives_the_clear_error():
    # The state must be checked before it is used: state=None names the fix, not an AttributeError.
    params, grads = _problem()
    with pytest.raises(TypeError, match=r"state must be a dict \(start with state = \{\}\)"):
        optim.rmsprop(params, grads[0], None, 0.1)
