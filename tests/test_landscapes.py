"""helpers.landscapes: gradients match finite differences, trajectory runs every helpers.optim rule,
and bad input gets a clear ValueError."""
import functools

import numpy as np
import pytest

from helpers import landscapes, optim

SURFACES = {"quadratic": landscapes.ill_conditioned(20),
            "rotated quadratic": landscapes.Quadratic([[3.0, 1.0], [1.0, 2.0]], center=(0.5, -1.0)),
            "rosenbrock": landscapes.Rosenbrock(1.0, 10.0), "saddle": landscapes.Saddle()}
RULES = {"gd": (optim.gradient_descent, {}), "momentum": (optim.momentum, {"beta": 0.9}),
         "rmsprop": (optim.rmsprop, {"beta": 0.9}), "adam": (optim.adam, {"beta1": 0.9, "beta2": 0.999})}


@pytest.mark.parametrize("name", SURFACES)
def test_gradient_matches_finite_differences(name):
    surface = SURFACES[name]
    rng = np.random.default_rng(0)
    for w in rng.uniform(-2, 2, (5, 2)):
        numeric = [(surface.value(w + e) - surface.value(w - e)) / 2e-6 for e in np.eye(2) * 1e-6]
        np.testing.assert_allclose(surface.grad(w), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", SURFACES)
def test_value_and_grad_work_on_grids(name):
    surface = SURFACES[name]
    X1, X2 = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 2, 3))
    grid = np.array([X1, X2])
    assert surface.value(grid).shape == (3, 4)
    assert surface.grad(grid).shape == (2, 3, 4)
    np.testing.assert_allclose(surface.value(grid)[1, 2], surface.value(grid[:, 1, 2]))


@pytest.mark.parametrize("name", SURFACES)
def test_minimum_has_zero_gradient(name):
    np.testing.assert_allclose(SURFACES[name].grad(SURFACES[name].minimum), 0, atol=1e-12)


def test_quadratic_kappa_and_eigenvalues():
    q = landscapes.ill_conditioned(50)
    assert q.kappa == pytest.approx(50)
    np.testing.assert_allclose(q.eigenvalues, [1 / 50, 1])


@pytest.mark.parametrize("rule", RULES)
def test_trajectory_runs_every_rule_as_its_rule_steps(rule):
    fn, kwargs = RULES[rule]
    surface = SURFACES["rotated quadratic"]
    path = landscapes.trajectory(surface, fn, (1.0, 1.0), 5, 0.05, **kwargs)
    assert path.shape == (6, 2)
    params, state = {"W1": np.array([1.0, 1.0])}, {}
    for t in range(1, 6):  # the same steps by hand
        state = fn(params, {"dW1": surface.grad(params["W1"])}, state, 0.05, **kwargs)
        np.testing.assert_allclose(path[t], params["W1"])


def test_trajectory_accepts_partial_rules_and_converges():
    q = SURFACES["quadratic"]
    path = landscapes.trajectory(q, functools.partial(optim.momentum, beta=0.5), (-2.0, 1.0), 300, 1.0)
    assert q.value(path[-1]) < 1e-8
    assert landscapes.steps_to_reach(q, path, 1e-6) is not None


def test_momentum_convergence_condition_of_the_course_form():
    # v = βv + (1-β)dW, W -= αv converges on curvature λ iff 0 < α(1-β)λ < 2 + 2β.
    q, beta = SURFACES["quadratic"], 0.9
    limit = (2 + 2 * beta) / (1 - beta)  # λ_max = 1
    inside = landscapes.trajectory(q, optim.momentum, (-2.0, 1.0), 3000, 0.99 * limit, beta=beta)
    outside = landscapes.trajectory(q, optim.momentum, (-2.0, 1.0), 3000, 1.01 * limit, beta=beta)
    assert abs(inside[-1, 1]) < 1e-6
    assert np.isnan(outside[-1, 1]) or abs(outside[-1, 1]) > 1e3


def test_diverging_path_is_padded_with_nan():
    path = landscapes.trajectory(SURFACES["quadratic"], optim.gradient_descent, (-2.0, 1.0), 3000, 2.5)
    assert path.shape == (3001, 2) and np.isnan(path[-1]).all()
    assert landscapes.steps_to_reach(SURFACES["quadratic"], path, 1e-6) is None


def test_steps_to_reach_ignores_passing_near():
    q = SURFACES["quadratic"]
    path = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0], [0.0, 0.001], [0.0, 0.0]])
    assert landscapes.steps_to_reach(q, path, 1e-4) == 3


@pytest.mark.parametrize("call, match", [
    (lambda: landscapes.trajectory(object(), optim.adam, (0, 0), 5, 0.1), "value\\(w\\) and grad\\(w\\)"),
    (lambda: landscapes.trajectory(SURFACES["saddle"], "adam", (0, 0), 5, 0.1), "rule must be an update rule"),
    (lambda: landscapes.trajectory(SURFACES["saddle"], optim.adam, (0, 0, 0), 5, 0.1), "start must be"),
    (lambda: landscapes.trajectory(SURFACES["saddle"], optim.adam, (np.nan, 0), 5, 0.1), "start must be"),
    (lambda: landscapes.trajectory(SURFACES["saddle"], optim.adam, (0, 0), 0, 0.1), "steps must be"),
    (lambda: landscapes.trajectory(SURFACES["saddle"], optim.adam, (0, 0), 2.5, 0.1), "steps must be"),
    (lambda: landscapes.trajectory(SURFACES["saddle"], optim.adam, (0, 0), 5, -0.1), "learning_rate"),
    (lambda: landscapes.Quadratic([[1, 2], [0, 1]]), "symmetric"),
    (lambda: landscapes.Quadratic([[1, 0], [0, -1]]), "positive definite"),
    (lambda: landscapes.ill_conditioned(0.5), "kappa"),
    (lambda: landscapes.Rosenbrock(b=0), "b > 0"),
    (lambda: SURFACES["saddle"].value(np.zeros(3)), "shape \\(2,\\)"),
    (lambda: landscapes.steps_to_reach(SURFACES["saddle"], np.zeros((3, 2)), 0), "tolerance"),
])
def test_bad_input_raises_clear_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
