"""2-D cost surfaces and the path any update rule of ``helpers.optim`` takes on them.

A surface has ``value(w)`` and ``grad(w)`` for a point w of shape (2,), or for a stack of points of
shape (2, ...) (a grid for contour plots: ``value(np.array([X1, X2]))``), and ``minimum`` (the lowest
point, shape (2,)). ``trajectory(surface, rule, start, steps, learning_rate, **rule_kwargs)`` runs a rule
with the signature ``rule(params, grads, state, learning_rate, ...) -> state`` on params {"W1": w}, so
the 2-D demos use the very update rules that train the networks.
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def _as_points(w, name: str = "w") -> np.ndarray:
    w = np.asarray(w, dtype=float)
    if w.ndim == 0 or w.shape[0] != 2:
        raise ValueError(f"{name} must be a point of shape (2,) or a stack of points of shape (2, ...); "
                         f"got shape {w.shape}")
    return w


class Quadratic:
    """f(w) = 1/2 (w - center)^T A (w - center) with a symmetric positive definite 2x2 A.

    The eigenvalues of A are the curvatures along the principal axes; kappa = lambda_max / lambda_min is
    the condition number (elongated contours when kappa >> 1, round ones when kappa = 1).
    """

    def __init__(self, A, center=(0.0, 0.0)):
        A = np.asarray(A, dtype=float)
        if A.shape != (2, 2) or not np.allclose(A, A.T) or not np.all(np.isfinite(A)):
            raise ValueError(f"A must be a finite symmetric 2x2 matrix; got {A.tolist() if A.size <= 9 else A.shape}")
        self.eigenvalues = np.linalg.eigvalsh(A)
        if self.eigenvalues[0] <= 0:
            raise ValueError(f"A must be positive definite (both eigenvalues > 0); got eigenvalues {self.eigenvalues}")
        self.A, self.center = A, _as_points(center, "center").reshape(2)
        self.minimum = self.center.copy()

    @property
    def kappa(self) -> float:
        return float(self.eigenvalues[1] / self.eigenvalues[0])

    def _d(self, w):
        w = _as_points(w)
        return w - self.center.reshape((2,) + (1,) * (w.ndim - 1))

    def value(self, w):
        d = self._d(w)
        return 0.5 * np.einsum("i...,ij,j...->...", d, self.A, d)

    def grad(self, w):
        return np.einsum("ij,j...->i...", self.A, self._d(w))


def ill_conditioned(kappa: float = 20.0) -> Quadratic:
    """f = 1/2 (x^2 / kappa + y^2): curvature 1 across the valley (y), 1/kappa along it (x)."""
    if not np.isfinite(kappa) or kappa < 1:
        raise ValueError(f"kappa (the condition number) must be a finite number >= 1; got {kappa!r}")
    return Quadratic(np.diag([1.0 / kappa, 1.0]))


class Rosenbrock:
    """The banana valley f = (a - x)^2 + b (y - x^2)^2: nonconvex, minimum 0 at (a, a^2) at the end of a
    curved, flat-bottomed valley."""

    def __init__(self, a: float = 1.0, b: float = 10.0):
        if not (np.isfinite(a) and np.isfinite(b) and b > 0):
            raise ValueError(f"a must be finite and b > 0; got a={a!r}, b={b!r}")
        self.a, self.b = float(a), float(b)
        self.minimum = np.array([self.a, self.a ** 2])

    def value(self, w):
        x, y = _as_points(w)
        return (self.a - x) ** 2 + self.b * (y - x ** 2) ** 2

    def grad(self, w):
        x, y = _as_points(w)
        return np.array([-2 * (self.a - x) - 4 * self.b * x * (y - x ** 2), 2 * self.b * (y - x ** 2)])


class Saddle:
    """f = 1/2 (x^2 - y^2) + y^4 / 4: a saddle point at the origin (curving up along x, down along y)
    between two minima at (0, +-1), where f = -1/4."""

    minimum = np.array([0.0, 1.0])  # one of the two

    def value(self, w):
        x, y = _as_points(w)
        return 0.5 * (x ** 2 - y ** 2) + y ** 4 / 4

    def grad(self, w):
        x, y = _as_points(w)
        return np.array([x, -y + y ** 3])


def trajectory(surface, rule: Callable, start, steps: int, learning_rate: float, **rule_kwargs) -> np.ndarray:
    """The points w_0 = start, w_1, ..., w_steps visited by ``rule`` on ``surface``: shape (steps + 1, 2).

    rule is any helpers.optim rule (gradient_descent, momentum, rmsprop, adam, or a learner's function with
    the same signature); rule_kwargs are its hyperparameters (beta=0.9, ...). The rule updates
    params {"W1": w} in place from grads {"dW1": surface.grad(w)}. If the path leaves the floats (diverges),
    the remaining rows are NaN.
    """
    if not (callable(getattr(surface, "value", None)) and callable(getattr(surface, "grad", None))):
        raise ValueError(f"surface must have value(w) and grad(w) methods (see helpers.landscapes); "
                         f"got {type(surface).__name__}")
    if not callable(rule):
        raise ValueError(f"rule must be an update rule rule(params, grads, state, learning_rate, ...); "
                         f"got {type(rule).__name__}")
    start = np.asarray(start, dtype=float)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a finite point of shape (2,); got {start.tolist()}")
    if isinstance(steps, bool) or int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be a positive integer; got {steps!r}")
    path = np.full((int(steps) + 1, 2), np.nan)
    path[0] = start
    params, state = {"W1": start.copy()}, {}
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, int(steps) + 1):
            state = rule(params, {"dW1": surface.grad(params["W1"])}, state, learning_rate, **rule_kwargs)
            if not np.all(np.isfinite(params["W1"])):
                break
            path[t] = params["W1"]
    return path


def steps_to_reach(surface, path: np.ndarray, tolerance: float) -> int | None:
    """The first step t from which f(w) - f(minimum) stays below tolerance to the end of the path, or None
    if the path does not end there (a path that only passes near the minimum does not count)."""
    if not tolerance > 0:
        raise ValueError(f"tolerance must be > 0; got {tolerance!r}")
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging path overflows before it turns NaN
        gap = np.nan_to_num(surface.value(np.asarray(path, dtype=float).T) - surface.value(surface.minimum), nan=np.inf)
    above = np.flatnonzero(~(gap < tolerance))
    if above.size == 0:
        return 0
    return None if above[-1] == len(gap) - 1 else int(above[-1] + 1)
