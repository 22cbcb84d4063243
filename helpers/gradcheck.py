"""Gradient checking: compare a backward pass with two-sided finite differences of the cost.

Everything here works on a cost function ``cost_fn(params) -> float`` (for example
``lambda p: network.compute_cost(network.forward(X, p, ...)[1], Y, lambd)``) and a parameter
dictionary in course notation, ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``, with its gradients
``{"dW1": ..., "db1": ...}`` as returned by a backward pass. The same functions also accept a plain
1-D vector theta (then ``cost_fn(theta)`` takes the vector and ``grads`` is a vector of the same shape).

Flat vector order (``params_to_vector`` / ``vector_to_params``): the blocks are laid out layer by layer,
W before b: W1, b1, W2, b2, ..., WL, bL; any other per-layer parameter (gamma1, beta1 in batch norm)
follows its layer's b, in alphabetical order. Each block is flattened row by row (``ndarray.ravel``).

* ``numerical_gradient``: (J(θ + ε e_i) − J(θ − ε e_i)) / 2ε for every parameter i: 2n cost evaluations
  for n parameters, truncation error O(ε²).
* ``relative_difference``: ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂).
* ``gradient_check``: the full check: overall relative difference and one per block (W1, b1, ...), so
  a wrong block points at the bug.
* ``directional_check`` (``directional_difference`` for one given u): the cheap check: along k random
  unit directions u compare (J(θ + εu) − J(θ − εu)) / 2ε with g·u: 2k cost evaluations, whatever n is.

Use these to test a backward pass, never inside training (the full check costs 2n forward passes per
step), with dropout off (keep_prob = 1, or the same masks on every evaluation), and with the same cost
(regularization term included) that the backward pass differentiates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .validation import check_positive, check_rng

_KEY = re.compile(r"^([A-Za-z_]+?)(\d+)$")
_RANK = {"W": 0, "b": 1}


# ---------------------------------------------------------------- dict <-> vector
def parameter_order(keys) -> list[str]:
    """The keys in the fixed vector order: by layer number, W before b, then other names alphabetically.

    Every key must be a name followed by a layer number >= 1 ("W1", "b1", "gamma2"); raise ValueError
    otherwise.
    """
    parsed = []
    for key in keys:
        match = _KEY.match(key) if isinstance(key, str) else None
        if match is None or int(match.group(2)) < 1:
            raise ValueError(f"parameter names must be a name followed by a layer number >= 1, like 'W1' or "
                             f"'b1'; got {key!r}")
        name, layer = match.group(1), int(match.group(2))
        parsed.append((layer, _RANK.get(name, 2), name, key))
    return [key for *_, key in sorted(parsed)]


def _as_param_dict(params, what: str = "params") -> dict:
    """Check params is a non-empty dict of finite float arrays; return {key: float array} in vector order."""
    if not isinstance(params, dict) or not params:
        raise ValueError(f"{what} must be a non-empty dict like {{'W1': array, 'b1': array, ...}}; "
                         f"got {type(params).__name__}")
    out = {}
    for key in parameter_order(params):
        P = np.asarray(params[key])
        if not (np.issubdtype(P.dtype, np.floating) or np.issubdtype(P.dtype, np.integer)):
            raise ValueError(f"{what}[{key!r}] must be a numeric array; got dtype {P.dtype}")
        if P.size == 0:
            raise ValueError(f"{what}[{key!r}] is empty (shape {P.shape}); expected at least one entry")
        if not np.all(np.isfinite(P)):
            raise ValueError(f"{what}[{key!r}] contains NaN or inf; expected finite values")
        out[key] = P if np.issubdtype(P.dtype, np.floating) else P.astype(np.float64)
    return out


def params_to_vector(params: dict) -> np.ndarray:
    """Flatten {"W1": ..., "b1": ..., ...} into one 1-D vector θ in the order W1, b1, W2, b2, ....

    The vector has the common float dtype of the blocks (float32 blocks give a float32 vector).
    """
    params = _as_param_dict(params)
    return np.concatenate([P.ravel() for P in params.values()])


def grads_to_vector(grads: dict, params: dict) -> np.ndarray:
    """Flatten the gradients {"dW1": ..., "db1": ...} in the same order as params_to_vector(params).

    Extra keys in grads (such as "dA1") are ignored; a missing or mis-shaped gradient raises ValueError.
    """
    return params_to_vector(_grads_as_params(grads, _as_param_dict(params)))


def vector_to_params(theta, like) -> dict:
    """Split a 1-D vector θ back into a parameter dict, the inverse of params_to_vector.

    like gives the blocks' shapes: either a parameter dict (only its keys and shapes are used) or
    layer_dims = [n_x, n[1], ..., n[L]] (then the blocks are W1 (n[1], n_x), b1 (n[1], 1), ...).
    The blocks are new arrays in θ's dtype.
    """
    shapes = _shapes_of(like)
    theta = np.asarray(theta)
    n = sum(int(np.prod(s)) for s in shapes.values())
    if theta.ndim != 1 or not np.issubdtype(theta.dtype, np.number):
        raise ValueError(f"theta must be a 1-D numeric vector of {n} entries; got shape {theta.shape}")
    if theta.size != n:
        raise ValueError(f"theta has {theta.size} entries but the parameters {list(shapes)} need {n}")
    out, start = {}, 0
    for key, shape in shapes.items():
        size = int(np.prod(shape))
        out[key] = theta[start:start + size].reshape(shape).copy()
        start += size
    return out


def block_slices(like) -> dict:
    """{"W1": slice, "b1": slice, ...}: where each block sits in the flat vector (like: params or layer_dims)."""
    out, start = {}, 0
    for key, shape in _shapes_of(like).items():
        size = int(np.prod(shape))
        out[key] = slice(start, start + size)
        start += size
    return out


def _shapes_of(like) -> dict:
    if isinstance(like, dict):
        return {key: np.shape(like[key]) for key in parameter_order(like)}
    dims = list(like) if isinstance(like, (list, tuple)) or (isinstance(like, np.ndarray) and like.ndim == 1) else None
    if dims is None or len(dims) < 2 or any(isinstance(n, (bool, str)) or not isinstance(n, (int, float, np.number))
                                            or not np.isfinite(n) or int(n) != n or n < 1 for n in dims):
        raise ValueError("like must be a parameter dict {'W1': ..., 'b1': ...} or layer_dims "
                         f"[n_x, n[1], ..., n[L]] of positive integers; got {like!r}")
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = (int(dims[l]), int(dims[l - 1]))
        shapes[f"b{l}"] = (int(dims[l]), 1)
    return shapes


def _grads_as_params(grads, params: dict) -> dict:
    """{"W1": dW1, ...} from grads {"dW1": ...}, checked against params' keys and shapes."""
    if not isinstance(grads, dict):
        raise ValueError(f"grads must be a dict like {{'dW1': array, 'db1': array, ...}}; got {type(grads).__name__}")
    out = {}
    for key, P in params.items():
        if "d" + key not in grads:
            raise ValueError(f"grads has no 'd{key}' (the gradient of {key}); got keys {sorted(grads)}")
        G = np.asarray(grads["d" + key])
        if G.shape != P.shape:
            raise ValueError(f"grads['d{key}'] must have {key}'s shape {P.shape}; got {G.shape}")
        if not np.issubdtype(G.dtype, np.number) or not np.all(np.isfinite(G)):
            raise ValueError(f"grads['d{key}'] must hold finite numbers")
        out[key] = G
    return out


# ---------------------------------------------------------------- the pieces
def relative_difference(grad, grad_approx) -> float:
    """‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂): 0 when equal, 1 when one is zero or they are opposite, at most 1.

    grad and grad_approx are arrays of the same shape, or two gradient dicts with the same keys (then
    every block is compared, all together). Two zero gradients have relative difference 0.
    """
    if isinstance(grad, dict) or isinstance(grad_approx, dict):
        if not (isinstance(grad, dict) and isinstance(grad_approx, dict)) or set(grad) != set(grad_approx):
            raise ValueError("grad and grad_approx must be two arrays, or two dicts with the same keys; got "
                             f"{sorted(grad) if isinstance(grad, dict) else type(grad).__name__} and "
                             f"{sorted(grad_approx) if isinstance(grad_approx, dict) else type(grad_approx).__name__}")
        keys = sorted(grad)
        for key in keys:
            if np.shape(grad[key]) != np.shape(grad_approx[key]):
                raise ValueError(f"block {key!r} has shape {np.shape(grad[key])} in the first gradient and "
                                 f"{np.shape(grad_approx[key])} in the second")
        a = np.concatenate([np.ravel(grad[k]) for k in keys]) if keys else np.zeros(0)
        b = np.concatenate([np.ravel(grad_approx[k]) for k in keys]) if keys else np.zeros(0)
    else:
        a, b = np.asarray(grad), np.asarray(grad_approx)
        if a.shape != b.shape:
            raise ValueError(f"the two gradients must have the same shape; got {a.shape} and {b.shape}")
    a, b = a.astype(np.float64, copy=False).ravel(), b.astype(np.float64, copy=False).ravel()
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("the gradients contain NaN or inf; expected finite values")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def _check_cost_fn(cost_fn):
    if not callable(cost_fn):
        raise ValueError(f"cost_fn must be a function params -> cost (a float); got {type(cost_fn).__name__}")


def _evaluate(cost_fn, params) -> float:
    value = cost_fn(params)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"cost_fn must return one number (the cost J); got {type(value).__name__}") from None
    if not np.isfinite(value):
        raise ValueError(f"cost_fn returned {value}; expected a finite cost")
    return value


def _as_vector(theta, what="params") -> np.ndarray:
    theta = np.asarray(theta)
    if theta.ndim != 1 or theta.size == 0 or not np.issubdtype(theta.dtype, np.number):
        raise ValueError(f"{what} must be a parameter dict or a non-empty 1-D vector; got shape {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"{what} contains NaN or inf; expected finite values")
    return theta if np.issubdtype(theta.dtype, np.floating) else theta.astype(np.float64)


def numerical_gradient(cost_fn: Callable, params, epsilon: float = 1e-7):
    """Two-sided finite differences of cost_fn at params, one parameter at a time.

    dθ_i ≈ (J(θ + ε e_i) − J(θ − ε e_i)) / 2ε, for every entry i of every block: 2n calls of cost_fn.
    params: a dict {"W1": ..., "b1": ...} -> returns {"dW1": ..., "db1": ...} with the same shapes
    and dtypes; or a 1-D vector θ -> returns a vector. The perturbed parameters live in a private
    copy (so float32 parameters are perturbed in float32); params itself is never modified.
    """
    _check_cost_fn(cost_fn)
    epsilon = check_positive(epsilon, "epsilon")
    if not isinstance(params, dict):
        theta = _as_vector(params).copy()
        return _numerical_into(cost_fn, theta, theta, epsilon)
    work = {key: P.copy() for key, P in _as_param_dict(params).items()}
    return {"d" + key: _numerical_into(cost_fn, work, P, epsilon) for key, P in work.items()}


def _numerical_into(cost_fn, container, P, epsilon) -> np.ndarray:
    """Finite differences w.r.t. every entry of the array P, which lives inside container."""
    G = np.empty(P.shape, dtype=P.dtype)
    flat = P.reshape(-1)  # a view: writing flat[i] perturbs the parameter cost_fn sees
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + epsilon
        plus = _evaluate(cost_fn, container)
        flat[i] = old - epsilon
        minus = _evaluate(cost_fn, container)
        flat[i] = old  # restore before moving on
        G.reshape(-1)[i] = (plus - minus) / (2 * epsilon)
    return G


# ---------------------------------------------------------------- the checks
@dataclass
class GradientCheck:
    """Result of gradient_check.

    difference: relative difference over all parameters; blocks: {"W1": difference, "b1": ...} (one
    entry "theta" for a vector); numerical: the finite-difference gradients (same form as grads);
    num_evaluations: the calls of cost_fn made (2n); precision_note: why the check cannot judge (ε below the
    resolution of float32 parameters), else None. passed() and wrong_blocks() refuse to judge such a check.
    """
    difference: float
    blocks: dict
    numerical: object
    num_evaluations: int
    precision_note: str | None = None

    def passed(self, threshold: float = 1e-7) -> bool:
        """True when the overall relative difference is below threshold."""
        _refuse_if_imprecise(self.precision_note)
        return self.difference < threshold

    def wrong_blocks(self, threshold: float = 1e-7) -> list:
        """The blocks whose relative difference is at or above threshold, in vector order."""
        _refuse_if_imprecise(self.precision_note)
        return [key for key, d in self.blocks.items() if d >= threshold]


def _precision_note(dtypes, epsilon: float) -> str | None:
    """Why ε is too small for parameters of a float type less precise than float64, or None.

    θ ± ε is stored in the parameters' own type: below about sqrt(u) (u its machine epsilon; 3.5e-4 for
    float32) the rounding of θ ± ε and of the two costs swamps the difference, whatever the backward pass.
    """
    for dtype in dtypes:
        dtype = np.dtype(dtype)
        if np.issubdtype(dtype, np.floating) and np.finfo(dtype).eps > np.finfo(np.float64).eps:
            u = float(np.finfo(dtype).eps)
            if epsilon < np.sqrt(u):
                return (f"epsilon = {epsilon:g} is below what {dtype} parameters resolve (machine epsilon {u:.1e}): "
                        f"θ ± ε is rounded to {dtype}, so the finite differences are mostly round-off and say "
                        "nothing about the backward pass. Check gradients in float64, or use epsilon >= "
                        f"{np.sqrt(u):.0e}")
    return None


def _refuse_if_imprecise(note: str | None) -> None:
    if note is not None:
        raise ValueError(f"this gradient check cannot judge the backward pass: {note}")


def gradient_check(cost_fn: Callable, params, grads, epsilon: float = 1e-7) -> GradientCheck:
    """The full gradient check: two-sided differences for every parameter against grads.

    cost_fn(params) -> float is the cost J that grads claim to differentiate (with the L2 term if
    the backward pass has one, and without dropout). params: {"W1": ..., "b1": ...}, grads:
    {"dW1": ..., "db1": ...} (extra keys ignored); or θ and its gradient as two 1-D vectors.
    Cost: 2n calls of cost_fn for n parameters. Returns a GradientCheck with .difference (overall
    ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂)), .blocks (the same per block: W1, b1, W2, ...), .numerical and
    .num_evaluations. Take ε ≈ 1e-6 in float64 (the default 1e-7 is the course's): a correct backward
    pass then gives a difference set by truncation and round-off, about 1e-9 on a small network (more
    with float32, near a minimum where the gradient is tiny, or with a cost computed inaccurately);
    a wrong one usually 1e-3 or more. With float32 parameters and ε below about 3.5e-4 the result carries
    a precision_note, and its passed() / wrong_blocks() refuse to judge (raise ValueError saying why).
    """
    if isinstance(params, dict):
        params = _as_param_dict(params)
        analytic = _grads_as_params(grads, params)
        numerical = numerical_gradient(cost_fn, params, epsilon)
        blocks = {key: relative_difference(analytic[key], numerical["d" + key]) for key in params}
        overall = relative_difference(analytic, {key: numerical["d" + key] for key in params})
        n = sum(P.size for P in params.values())
        dtypes = [P.dtype for P in params.values()]
    else:
        theta = _as_vector(params)
        grad = _as_vector(grads, "grads")
        if grad.shape != theta.shape:
            raise ValueError(f"grads must have theta's shape {theta.shape}; got {grad.shape}")
        numerical = numerical_gradient(cost_fn, theta, epsilon)
        overall = relative_difference(grad, numerical)
        blocks, n, dtypes = {"theta": overall}, theta.size, [theta.dtype]
    return GradientCheck(overall, blocks, numerical, 2 * n, _precision_note(dtypes, epsilon))


@dataclass
class DirectionalCheck:
    """Result of directional_check.

    difference: the largest relative difference over the directions; differences, numerical
    (finite-difference slopes), analytic (g·u): one entry per direction; num_evaluations: calls of
    cost_fn made (2 per direction); blocks: with per_block=True, {"W1": largest difference along
    directions inside that block, ...}, else empty; gradient_norm ‖g‖₂ and num_parameters n (for passed());
    precision_note as in GradientCheck.
    """
    difference: float
    differences: np.ndarray
    numerical: np.ndarray
    analytic: np.ndarray
    num_evaluations: int
    blocks: dict = field(default_factory=dict)
    gradient_norm: float | None = None
    num_parameters: int | None = None
    precision_note: str | None = None

    def passed(self, threshold: float = 1e-7) -> bool:
        """True when every direction's slopes agree: |s̃ − s| / max(|s̃| + |s|, ‖g‖₂/√n) < threshold.

        ‖g‖₂/√n is the typical |g·u| of a random unit u. Without that floor a direction that happens to be
        nearly orthogonal to g (s ≈ 0) divides the slope's ordinary round-off by almost nothing and fails a
        correct backward pass (about 1 network in 100 at the default threshold); a wrong g still shifts
        the slope by about as much as g·u itself, so it still fails. .difference stays the plain ratio.
        """
        _refuse_if_imprecise(self.precision_note)
        if self.gradient_norm is None or not self.num_parameters:
            return self.difference < threshold
        floor = self.gradient_norm / np.sqrt(self.num_parameters)
        error = np.abs(np.asarray(self.numerical) - np.asarray(self.analytic))
        scale = np.maximum(np.abs(self.numerical) + np.abs(self.analytic), floor)
        robust = np.divide(error, scale, out=np.zeros_like(error, dtype=float), where=scale > 0)
        return bool(np.all(robust < threshold))


def directional_difference(cost_fn: Callable, params, grads, u, epsilon: float = 1e-6) -> float:
    """One direction of the directional check: |s̃ − s| / (|s̃| + |s|) with s̃ = (J(θ + εu) − J(θ − εu)) / 2ε
    and s = g·u (0 when both slopes are 0).

    u is a 1-D vector in the flat order of params_to_vector (W1, b1, W2, ...), used as given (scale it
    to ‖u‖₂ = 1 for a unit direction); params and grads as for gradient_check. 2 calls of cost_fn.
    """
    _check_cost_fn(cost_fn)
    epsilon = check_positive(epsilon, "epsilon")
    theta, g, cost_at, _ = _flat_problem(cost_fn, params, grads)
    u = _as_vector(u, "u")
    if u.shape != theta.shape:
        raise ValueError(f"u must be a direction with one entry per parameter, shape {theta.shape}; got {u.shape}")
    if not np.any(u):
        raise ValueError("u must not be the zero vector")
    return _directional(cost_at, theta, g, u, epsilon)[2]


def _flat_problem(cost_fn, params, grads):
    """(θ, g, cost_at(vector) -> float, {block: slice}) for a dict or vector problem, all checked."""
    if isinstance(params, dict):
        params = _as_param_dict(params)
        theta = params_to_vector(params)
        g = params_to_vector(_grads_as_params(grads, params))

        def cost_at(vector):
            return _evaluate(cost_fn, vector_to_params(vector, params))
        return theta, g, cost_at, block_slices(params)
    theta = _as_vector(params)
    g = _as_vector(grads, "grads")
    if g.shape != theta.shape:
        raise ValueError(f"grads must have theta's shape {theta.shape}; got {g.shape}")

    def cost_at(vector):
        return _evaluate(cost_fn, vector)
    return theta, g, cost_at, {"theta": slice(0, theta.size)}


def _directional(cost_at, theta, g, u, epsilon):
    """(numerical slope, analytic slope g·u, relative difference) along u: 2 cost evaluations."""
    step = (epsilon * u).astype(theta.dtype, copy=False)
    numeric = (cost_at(theta + step) - cost_at(theta - step)) / (2 * epsilon)
    analytic = float(g.astype(np.float64) @ u.astype(np.float64))
    denominator = abs(numeric) + abs(analytic)
    return numeric, analytic, 0.0 if denominator == 0 else abs(numeric - analytic) / denominator


def directional_check(cost_fn: Callable, params, grads, rng: np.random.Generator, num_directions: int = 3,
                      epsilon: float = 1e-6, per_block: bool = False) -> DirectionalCheck:
    """The cheap check: directional derivatives along random unit vectors u, 2 cost evaluations each.

    For each of num_directions directions u (standard normal over all n parameters, scaled to
    ‖u‖₂ = 1, drawn from rng) compare the two-sided slope s̃ = (J(θ + εu) − J(θ − εu)) / 2ε with
    s = g·u, the slope the backward pass predicts, by |s̃ − s| / (|s̃| + |s|). A wrong g fails along
    almost every direction, so a few directions suffice, and the cost does not grow with n.
    It does not say which block is wrong unless per_block=True, which adds num_directions
    directions inside each block (W1, b1, ...) and reports the worst one per block in .blocks.

    cost_fn(params) -> float, params, grads: as for gradient_check (dicts, or θ and its gradient as
    1-D vectors). Cost: 2 · num_directions calls of cost_fn (times 1 + number of blocks with
    per_block=True). Returns a DirectionalCheck; .difference is the worst direction's.
    """
    _check_cost_fn(cost_fn)
    epsilon = check_positive(epsilon, "epsilon")
    check_rng(rng)
    if isinstance(num_directions, bool) or not isinstance(num_directions, (int, np.integer)) or num_directions < 1:
        raise ValueError(f"num_directions must be an integer >= 1; got {num_directions!r}")
    if not isinstance(per_block, (bool, np.bool_)):
        raise ValueError(f"per_block must be True or False; got {per_block!r}")
    theta, g, cost_at, slices = _flat_problem(cost_fn, params, grads)

    def along(support: slice):
        u = np.zeros(theta.size)
        u[support] = rng.standard_normal(support.stop - support.start)
        u /= np.linalg.norm(u)
        return _directional(cost_at, theta, g, u, epsilon)

    results = np.array([along(slice(0, theta.size)) for _ in range(num_directions)])
    blocks = {}
    if per_block:
        for key, support in slices.items():
            blocks[key] = float(max(along(support)[2] for _ in range(num_directions)))
    evaluations = 2 * num_directions * (1 + (len(slices) if per_block else 0))
    return DirectionalCheck(float(results[:, 2].max()), results[:, 2], results[:, 0], results[:, 1],
                            evaluations, blocks, float(np.linalg.norm(g.astype(np.float64))), int(theta.size),
                            _precision_note([theta.dtype], epsilon))
