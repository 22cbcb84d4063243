"""Checks for lab 04's exercises: He-uniform initialization and per-layer activation statistics.

An initializer draws random numbers, so its check cannot compare against fixed values. Instead the
learner's function is called with a seeded Generator and compared with the reference drawn in the
documented order (one ``rng.uniform(-a, a, size=(n[l], n[l-1]))`` per layer, l = 1..L). When the numbers
are the reference's draws times a wrong factor, that factor names the mistake (1/n instead of 2/n,
n[l] instead of n[l-1], a forgotten square root, the std used as the bound, ...). When the draws differ,
the empirical distribution of a large layer (its std and largest entry) still points at the problem.
"""
from __future__ import annotations

import numpy as np

from .. import network
from ..diagnostics import layer_statistics
from ._core import _call, _result


# ---------------------------------------------------------------- exercise 1: He uniform
def he_uniform_reference(layer_dims, rng: np.random.Generator) -> dict:
    """W{l} ~ U(-a, a) with a = sqrt(6 / n[l-1]) (so Var(W) = a^2 / 3 = 2 / n[l-1]); b{l} = 0.

    Draw order: one rng.uniform(-a, a, size=(n[l], n[l-1])) per layer, for l = 1, ..., L.
    """
    params = {}
    for l in range(1, len(layer_dims)):
        a = np.sqrt(6 / layer_dims[l - 1])
        params[f"W{l}"] = rng.uniform(-a, a, size=(layer_dims[l], layer_dims[l - 1]))
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def _unit_draws(layer_dims, seed: int) -> list:
    """The reference's draws before scaling: U(-1, 1) with the same seed, layer by layer."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, size=(layer_dims[l], layer_dims[l - 1])) for l in range(1, len(layer_dims))]


def _normal_draws(layer_dims, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((layer_dims[l], layer_dims[l - 1])) for l in range(1, len(layer_dims))]


def _bound_hint(l: int, n_prev: int, n_l: int, used: float) -> str:
    """Name the mistake from the bound the learner used for layer l (W = used * U(-1, 1))."""
    want = np.sqrt(6 / n_prev)
    # Each hint names the slip and points at the fact to use; none hands over the formula for a.
    derive = "Set the variance of U(-a, a), which is a^2 / 3, equal to He's 2 / n[l-1] and solve for a."
    candidates = [
        (np.sqrt(3 / n_prev), "your bound gives Var(W) = 1/n[l-1] (the Xavier/LeCun variance). He needs "
                              f"Var(W) = 2/n[l-1] for ReLU. {derive}"),
        (np.sqrt(6 / n_l), "you divided by n[l] (this layer's units). He uses the fan-in n[l-1], the number of "
                           "inputs of each unit."),
        (6 / n_prev, "your bound is the square of the right one: you forgot the square root."),
        (np.sqrt(2 / n_prev), "sqrt(2 / n[l-1]) is He's standard deviation, but the bound of a uniform "
                              "distribution is not its standard deviation: U(-a, a) has variance a^2 / 3, not "
                              f"a^2. {derive}"),
        (2 / n_prev, "2 / n[l-1] is He's variance, not a bound: U(-a, a) has variance a^2 / 3. " + derive),
        (np.sqrt(6 / (n_prev + n_l)), "that is Glorot's (Xavier) uniform bound, which averages fan-in and "
                                       "fan-out. He uses the fan-in n[l-1] only."),
        (np.sqrt(12 / n_prev), "your bound is sqrt(2) times too large, so Var(W) = 4/n[l-1], twice He's. "
                               f"Recheck the variance of U(-a, a): a^2 / 3. {derive}"),
        (np.sqrt(1 / n_prev), "sqrt(1 / n[l-1]) is the Xavier standard deviation, and a standard deviation "
                              f"is not the bound of a uniform distribution. {derive}"),
    ]
    for value, hint in candidates:
        if np.isclose(used, value, rtol=1e-6):
            return f"layer {l} (n[l-1] = {n_prev}, n[l] = {n_l}) has bound a = {used:.4g}, expected {want:.4g}: {hint}"
    return (f"layer {l} (n[l-1] = {n_prev}, n[l] = {n_l}) has bound a = {used:.4g}, expected {want:.4g} "
            f"(ratio {used / want:.3g}). {derive}")


def _he_uniform_problem(out, layer_dims, seed: int, again) -> str | None:
    if not isinstance(out, dict):
        return f"return a dict of parameters {{'W1': ..., 'b1': ..., ...}}; got {type(out).__name__}."
    L = len(layer_dims) - 1
    want_keys = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if set(out) != want_keys:
        missing, extra = sorted(want_keys - set(out)), sorted(set(out) - want_keys)
        return (f"for layer_dims {layer_dims} return keys W1, b1, ..., W{L}, b{L}"
                + (f"; missing {missing}" if missing else "") + (f"; unexpected {extra}" if extra else "")
                + ". Loop l over range(1, len(layer_dims)).")
    for l in range(1, L + 1):
        W, b = np.asarray(out[f"W{l}"]), np.asarray(out[f"b{l}"])
        n_prev, n_l = layer_dims[l - 1], layer_dims[l]
        if W.shape != (n_l, n_prev):
            if W.shape == (n_prev, n_l):
                return (f"W{l} has shape {W.shape}, expected (n[l], n[l-1]) = {(n_l, n_prev)}: rows are this "
                        f"layer's units, columns its inputs, so that Z = W A_prev + b works.")
            return f"W{l} has shape {W.shape}, expected (n[l], n[l-1]) = {(n_l, n_prev)}."
        if b.shape != (n_l, 1):
            hint = " (a column: np.zeros((n[l], 1)), not np.zeros(n[l]))" if b.shape in ((n_l,), (1, n_l)) else ""
            return f"b{l} has shape {b.shape}, expected (n[l], 1) = {(n_l, 1)}{hint}."
        if not np.all(np.isfinite(W)):
            return f"W{l} contains NaN or inf."
        if np.any(b != 0):
            return (f"b{l} is not zero: biases start at 0 (np.zeros((n[l], 1))). The random W already breaks "
                    f"the symmetry between units, and a random b would only add noise to every z.")
    if again is not None:  # the same seed must give the same numbers
        if any(not np.array_equal(np.asarray(out[f"W{l}"]), np.asarray(again[f"W{l}"])) for l in range(1, L + 1)):
            return ("two calls with identically seeded rngs gave different weights: draw every number from the rng "
                    "passed in (rng.uniform), never from np.random.")
    Ws = [np.asarray(out[f"W{l}"], dtype=float) for l in range(1, L + 1)]
    if all(np.all(W == 0) for W in Ws):
        return "all weights are zero: every unit of a layer would compute the same thing forever. Draw W at random."
    units = _unit_draws(layer_dims, seed)
    factors = []
    for W, U in zip(Ws, units, strict=True):
        c = float(np.sum(W * U) / np.sum(U * U))  # least-squares factor: W ~ c U
        factors.append(c if np.allclose(W, c * U, rtol=1e-6, atol=1e-12) else None)
    if all(c is not None for c in factors):
        for l, c in enumerate(factors, 1):
            if not np.isclose(c, np.sqrt(6 / layer_dims[l - 1]), rtol=1e-6):
                return _bound_hint(l, layer_dims[l - 1], layer_dims[l], c)
        return None
    normals = _normal_draws(layer_dims, seed)
    if all(np.allclose(W, float(np.sum(W * Z) / np.sum(Z * Z)) * Z, rtol=1e-6, atol=1e-12) for W, Z in zip(Ws, normals, strict=True)):
        return ("your weights are normal draws (rng.standard_normal). He *uniform* draws from U(-a, a): "
                "rng.uniform(-a, a, size=(n[l], n[l-1])).")
    return DRAWS_DIFFER


DRAWS_DIFFER = "draws differ"  # sentinel: judge the distribution on a large layer instead
LARGE_DIMS = [800, 600]  # 480,000 weights: the empirical std is within 0.2 % of the true one


def _he_uniform_distribution_problem(initialize) -> str:
    """The draws differ from the reference: say what the distribution of one large layer shows."""
    n_prev, n_l = LARGE_DIMS
    out, message = _call("check_initialize_he_uniform", initialize, list(LARGE_DIMS), np.random.default_rng(0))
    W = None if message or not isinstance(out, dict) else np.asarray(out.get("W1"), dtype=float)
    if W is None or W.shape != (n_l, n_prev):
        return ("the numbers differ from the reference drawn with the same seed: draw exactly one "
                "rng.uniform(-a, a, size=(n[l], n[l-1])) per layer, for l = 1, ..., L in order.")
    a, std = np.sqrt(6 / n_prev), np.sqrt(2 / n_prev)
    measured, largest = float(W.std()), float(np.max(np.abs(W)))
    where = f"for layer_dims = {LARGE_DIMS}, W1"
    if largest > a * (1 + 1e-9) and np.isclose(measured, std, rtol=0.02):
        return (f"{where} has entries beyond the He-uniform bound a = {a:.4g} (largest |w| = {largest:.4g}): "
                f"the std is right but the draws are not uniform. Use rng.uniform(-a, a, ...).")
    if not np.isclose(measured, std, rtol=0.02):
        return (f"{where} has std {measured:.4g}; He uniform gives std sqrt(2 / n[l-1]) = {std:.4g} "
                f"(ratio {measured / std:.3g}). Choose a so that the variance of U(-a, a), a^2 / 3, is 2 / n[l-1].")
    return ("the distribution looks right, but the numbers differ from the reference drawn with the same seed: "
            "draw exactly one rng.uniform(-a, a, size=(n[l], n[l-1])) per layer, for l = 1, ..., L in order, "
            "with no other draws in between and no transpose.")


def check_initialize_he_uniform(initialize) -> bool:
    """Exercise: initialize(layer_dims, rng) -> {"W1": U(-a, a) with a = sqrt(6/n[0]), "b1": zeros, ...}."""
    name = "check_initialize_he_uniform"
    cases = [[3, 5, 2], [10, 4, 7, 1], [6, 6], [2, 10, 5, 1], [800, 600, 1]]
    for i, dims in enumerate(cases, 1):
        seed = 40 + i
        out, message = _call(name, initialize, list(dims), np.random.default_rng(seed))
        if message:
            print(message)
            return False
        again, _ = _call(name, initialize, list(dims), np.random.default_rng(seed))
        problem = _he_uniform_problem(out, dims, seed, again)
        if problem == DRAWS_DIFFER:
            problem = _he_uniform_distribution_problem(initialize)
        if problem:
            return _result(name, f"case {i} (layer_dims = {dims}): {problem}", len(cases))
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- exercise 2: per-layer activation std
def activation_stds_reference(X, params: dict, hidden: str) -> np.ndarray:
    """Std of every hidden layer's activations A^[1], ..., A^[L-1] (shape (L-1,)), from helpers."""
    _, cache = network.forward(X, params, hidden)
    return layer_statistics(cache).act_std[:-1]


def _stds_problem(got, X, params, hidden) -> str | None:
    L = network.num_layers(params)
    want = activation_stds_reference(X, params, hidden)
    if isinstance(got, (list, tuple)) and any(np.ndim(v) > 0 for v in got):
        return ("some of your values are arrays: return one number per layer, the std over all entries "
                "of A^[l] (np.std(A) with no axis).")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return "return one number per hidden layer (a list or a 1-D array of L-1 floats)."
    if got.ndim != 1:
        return (f"got an array of shape {got.shape}: return one number per layer, the std over all entries "
                f"of A^[l] (np.std(A) with no axis), in a 1-D list or array.")
    A, Zs, As = X, [], [X]
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        A = network.activation_forward(Z, hidden if l < L else "sigmoid")
        Zs.append(Z)
        As.append(A)
    if len(got) != L - 1:
        if len(got) == L and np.allclose(got[:-1], want, rtol=1e-6):
            return (f"got {len(got)} values for a net with L = {L} layers: leave out the output layer, "
                    f"return the {L - 1} hidden layers' stds.")
        if len(got) == L and np.allclose(got, [A.std() for A in As[:-1]], rtol=1e-6):
            return "your first value is std(X): start at layer 1 (A^[0] = X is the input, not a hidden layer)."
        return f"got {len(got)} values, expected one per hidden layer: L - 1 = {L - 1}."
    if np.allclose(got, want, rtol=1e-6):
        return None
    if np.allclose(got, [Z.std() for Z in Zs[:-1]], rtol=1e-6):
        return "these are the stds of Z^[l]: apply the activation, A^[l] = g(Z^[l]), and measure A."
    if np.allclose(got, [A.std() for A in As[:-2]], rtol=1e-6):
        return "your values are shifted by one layer: the first should be std(A^[1]), not std(X)."
    no_bias, A = [], X
    for l in range(1, L):
        A = network.activation_forward(params[f"W{l}"] @ A, hidden)
        no_bias.append(A.std())
    if np.allclose(got, no_bias, rtol=1e-6):
        return "you left out the bias: Z^[l] = W^[l] A^[l-1] + b^[l]."
    for other in network.HIDDEN_ACTIVATIONS:
        if other != hidden and np.allclose(got, activation_stds_reference(X, params, other), rtol=1e-6):
            return f"you used {other} in the hidden layers, but hidden = {hidden!r}: apply the activation passed in."
    first_bad = int(np.argmax(~np.isclose(got, want, rtol=1e-6))) + 1
    return f"layer {first_bad}: expected std {want[first_bad - 1]:.6g}, got {got[first_bad - 1]:.6g}."


def check_activation_stds(activation_stds) -> bool:
    """Exercise: activation_stds(X, params, hidden) -> the std of A^[1], ..., A^[L-1] (L-1 numbers)."""
    name = "check_activation_stds"
    cases = [([4, 6, 5, 1], "relu"), ([3, 8, 8, 8, 1], "tanh"), ([5, 4, 1], "sigmoid"), ([6, 7, 7, 7, 7, 1], "relu")]
    for i, (dims, hidden) in enumerate(cases, 1):
        rng = np.random.default_rng(70 + i)
        params = network.initialize_parameters(dims, "he", rng)
        for l in range(1, len(dims)):
            params[f"b{l}"] = 0.5 * rng.standard_normal((dims[l], 1))
        X = rng.standard_normal((dims[0], 9))
        got, message = _call(name, activation_stds, X, {k: v.copy() for k, v in params.items()}, hidden)
        if message:
            print(message)
            return False
        problem = _stds_problem(got, X, params, hidden)
        if problem:
            return _result(name, f"case {i} (layer_dims = {dims}, hidden = {hidden!r}): {problem}", len(cases))
    return _result(name, None, len(cases))
