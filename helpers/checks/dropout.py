"""Checks for lab 03's exercises: the forward and backward pass of a 3-layer network with inverted dropout.

The network is the course's LINEAR -> RELU -> DROPOUT -> LINEAR -> RELU -> DROPOUT -> LINEAR -> SIGMOID,
with the course's cache tuple (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3). Each check runs
the learner's function on small random networks with a seeded rng and compares it with
helpers.network.forward / backward. When the answer is wrong, it replays the usual slips (no division by
keep_prob, drop probability used as keep probability, dropout on the output or the input, one mask per
unit instead of per unit and example, masks not reused in backward, forgot 1/m, A1/A2 cached before
dropout, ...) and names the one it sees. ``forward_with_dropout`` / ``backward_with_dropout`` are the
references (built on helpers.network) that the lab runs until the learner's functions pass.
"""
from __future__ import annotations

import numpy as np

from .. import network
from ..validation import check_keep_prob, check_rng
from ._core import _call, _require_callable, _result, random_network_case

# (layer_dims [n_x, n1, n2, 1], m, keep_prob). keep_prob = 0.5 is avoided: there "keep" and "drop"
# probabilities coincide and that slip would go unnoticed. n1 != n2, so masks swapped between layers fail.
_CASES = [([3, 5, 4, 1], 6, 0.8), ([2, 7, 3, 1], 9, 0.7), ([4, 6, 5, 1], 5, 0.6), ([3, 4, 6, 1], 8, 1.0)]
_RTOL, _ATOL = 1e-6, 1e-9
_CACHE_NAMES = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")


def _case(i: int, dims, m: int):
    """A random network with nonzero biases, a batch X (n_x, m) and 0/1 labels Y (1, m)."""
    return random_network_case(300 + i, dims, m, "he", 0.3)


def _mask_seed(i: int) -> int:
    return 40 + i


def _relu(Z):
    return np.maximum(Z, 0)


# ---------------------------------------------------------------- the reference, and its usual slips
def _forward3(X, params, keep_prob, rng, bug=None):
    """The course's 3-layer forward pass with dropout; bug names a typical slip to replay."""
    def mask(A):
        shape = (A.shape[0], 1) if bug == "per_unit" else A.shape
        if bug == "drop_prob":
            return rng.random(shape) < 1 - keep_prob
        if bug == "greater":
            return rng.random(shape) > keep_prob
        return rng.random(shape) < keep_prob

    def drop(A, D):
        if bug == "no_divide":
            return A * D
        if bug == "times_keep":
            return A * D * keep_prob
        return A * D / keep_prob

    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    if bug == "input":
        X = drop(X, mask(X))
    Z1 = W1 @ X + b1
    A1 = _relu(Z1)
    D1 = np.ones_like(A1, dtype=bool)
    if bug not in ("no_dropout", "layer2_only"):
        D1 = mask(A1)
        A1 = drop(A1, D1)
    Z2 = W2 @ A1 + b2
    A2 = _relu(Z2)
    D2 = np.ones_like(A2, dtype=bool)
    if bug not in ("no_dropout", "layer1_only"):
        D2 = mask(A2)
        A2 = drop(A2, D2)
    Z3 = W3 @ A2 + b3
    A3 = network.sigmoid(Z3)
    if bug == "output":
        A3 = drop(A3, mask(A3))
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def _backward3(X, Y, cache, keep_prob, bug=None):
    """The course's 3-layer backward pass with dropout; bug names a typical slip to replay."""
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]

    def undrop(dA, D):
        if bug == "no_divide":
            return dA * D
        if bug == "no_mask":
            return dA / keep_prob
        if bug == "no_dropout":
            return dA
        if bug == "times_keep":
            return dA * D * keep_prob
        return dA * D / keep_prob

    scale = 1 if bug == "no_1_over_m" else 1 / m
    dZ3 = A3 - Y
    grads = {"dW3": scale * dZ3 @ A2.T, "db3": scale * dZ3.sum(axis=1, keepdims=True)}
    relu_grad = (lambda Z: 1) if bug == "no_relu_grad" else (lambda Z: Z > 0)
    dA2 = undrop(W3.T @ dZ3, D2)
    dZ2 = dA2 * relu_grad(Z2)
    grads["dW2"], grads["db2"] = scale * dZ2 @ A1.T, scale * dZ2.sum(axis=1, keepdims=True)
    dA1 = undrop(W2.T @ dZ2, D1)
    dZ1 = dA1 * relu_grad(Z1)
    grads["dW1"], grads["db1"] = scale * dZ1 @ X.T, scale * dZ1.sum(axis=1, keepdims=True)
    return grads


_FORWARD_HINTS = {
    "no_divide": "forgot to divide by keep_prob: inverted dropout is A = A * D / keep_prob, so that the "
                 "expected activation stays the same and nothing needs rescaling at test time.",
    "times_keep": "multiplied by keep_prob: divide instead (A = A * D / keep_prob scales the kept units up).",
    "drop_prob": "the mask keeps units with probability 1 − keep_prob: keep_prob is the probability of "
                 "KEEPING a unit, so D = rng.random(A.shape) < keep_prob.",
    "greater": "D = rng.random(...) > keep_prob keeps a unit with probability 1 − keep_prob: use "
               "< keep_prob (keep_prob is the probability of keeping a unit).",
    "output": "dropout is applied to the output layer too: drop hidden units only (A1 and A2), never A3, "
              "which is the prediction.",
    "input": "dropout is applied to the input X too: in this exercise drop only the hidden activations A1 "
             "and A2 (the course's network keeps every input feature).",
    "per_unit": "one mask entry per unit (shape (n, 1)) drops a unit for the whole batch: draw one entry "
                "per unit AND per example, D = rng.random(A.shape) < keep_prob.",
    "no_dropout": "the result equals the network without dropout: multiply A1 and A2 by their masks D1, D2 "
                  "(and divide by keep_prob).",
    "layer1_only": "only layer 1 is dropped: apply dropout to A2 as well (draw D2 after D1).",
    "layer2_only": "only layer 2 is dropped: apply dropout to A1 as well (draw D1 first, then D2).",
}

_BACKWARD_HINTS = {
    "no_divide": "forgot to divide by keep_prob in backward: dA = dA * D / keep_prob, the same scaling as "
                 "in forward (A was divided by keep_prob, so its gradient is too).",
    "no_mask": "the mask is not applied in backward: a unit dropped in forward got no output, so its "
               "gradient is 0. Use dA2 = dA2 * D2 / keep_prob with the SAME D2 from the cache.",
    "no_dropout": "backward ignores dropout: multiply dA2 by D2 and dA1 by D1 (the masks from the cache) "
                  "and divide by keep_prob.",
    "times_keep": "multiplied by keep_prob in backward: divide instead, dA = dA * D / keep_prob.",
    "no_relu_grad": "the ReLU derivative is missing: after the mask, dZ2 = dA2 * (Z2 > 0), and the same for "
                    "layer 1 (the mask and the ReLU derivative are two separate factors).",
    "no_1_over_m": "forgot the 1/m: dW = 1/m dZ A_prevᵀ and db = 1/m Σ dZ (m = X.shape[1]).",
}


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=_RTOL, atol=_ATOL))


# ---------------------------------------------------------------- the references the lab runs until the learner's pass
def forward_with_dropout(X, params, keep_prob, rng):
    """Exercise 1's function built on helpers.network's forward pass: (A3, the course's cache tuple).

    X (n_x, m); params of a 3-layer network; keep_prob for both hidden layers; rng draws D1 then D2.
    With keep_prob = 1 the masks are all ones (helpers.network draws none). It runs at every step of the
    lab's training loop, so it checks only what can go wrong there (the network's depth, keep_prob, rng)
    and calls the unchecked network._forward.
    """
    if network.num_layers(params) != 3:
        raise ValueError(f"forward_with_dropout is for a 3-layer network; params have {network.num_layers(params)} "
                         "layers")
    keep = check_keep_prob(keep_prob, 2)
    if keep[0] < 1:
        check_rng(rng)
    A3, cache = network._forward(np.asarray(X), params, "relu", "sigmoid", keep, rng)
    (l1, l2, l3), p = cache["layers"], params
    D1, D2 = (layer.get("D", np.ones(layer["A"].shape, dtype=bool)) for layer in (l1, l2))
    return A3, (l1["Z"], D1, l1["A"], p["W1"], p["b1"], l2["Z"], D2, l2["A"], p["W2"], p["b2"],
                l3["Z"], A3, p["W3"], p["b3"])


def backward_with_dropout(X, Y, cache, keep_prob):
    """Exercise 2's function built on helpers.network's backward pass: grads dW1 ... db3 from the course's
    cache tuple (as forward_with_dropout returns it)."""
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    layers = [{"A_prev": A_prev, "Z": Z, "G": _relu(Z), "A": A, "D": D, "keep_prob": keep_prob}
              for A_prev, Z, A, D in ((np.asarray(X), Z1, A1, D1), (A1, Z2, A2, D2))]
    layers.append({"A_prev": A2, "Z": Z3, "G": A3, "A": A3})
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    return network._backward({"layers": layers, "params": params, "hidden": "relu", "output": "sigmoid",
                              "keep": (keep_prob, keep_prob)}, np.asarray(Y), 0.0)


# ---------------------------------------------------------------- exercise 1: forward
def _forward_problem(out, X, params, keep_prob, seed, fn=None) -> str | None:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return "return two things: A3 and cache."
    try:
        A3 = np.asarray(out[0], dtype=float)
    except (TypeError, ValueError):
        return f"A3 must be an array; got {type(out[0]).__name__}."
    want, _ = network.forward(X, params, keep_prob=keep_prob, rng=np.random.default_rng(seed))
    if A3.shape != want.shape:
        hint = " (examples are columns)" if A3.shape == want.shape[::-1] else ""
        return f"A3 has shape {A3.shape}, expected {want.shape}{hint}."
    if not _close(A3, want):
        for bug, hint in _FORWARD_HINTS.items():
            if _close(A3, _forward3(X, params, keep_prob, np.random.default_rng(seed), bug)[0]):
                return hint
        if fn is not None and _ignores_rng(fn, X, params, keep_prob, seed, A3):
            return ("two calls with the same rng gave different A3: the masks do not come from the rng you are "
                    "given (np.random.rand uses numpy's global state). Draw them with "
                    "D = rng.random(A.shape) < keep_prob.")
        return ("A3 does not match. Draw each mask with D = rng.random(A.shape) < keep_prob from the rng you "
                "are given, D1 first and then D2 (so the check can reproduce them), and apply "
                "A = A * D / keep_prob to the hidden layers only.")
    cache = out[1]
    if not isinstance(cache, (tuple, list)) or len(cache) != len(_CACHE_NAMES):
        return ("A3 is right, but cache must be the tuple (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, "
                "W3, b3): backward needs the masks D1 and D2 from it.")
    _, ref = _forward3(X, params, keep_prob, np.random.default_rng(seed))
    for name, got, exp in zip(_CACHE_NAMES, cache, ref, strict=True):
        if not _close(got, exp):
            return _cache_hint(name, got, dict(zip(_CACHE_NAMES, ref, strict=True)))
    return None


def _ignores_rng(fn, X, params, keep_prob, seed, A3) -> bool:
    """True when a second call with an identically seeded rng gives another A3 (masks from global state)."""
    again, message = _call("", fn, X.copy(), {k: v.copy() for k, v in params.items()}, keep_prob,
                           np.random.default_rng(seed))
    try:
        return message is None and not _close(np.asarray(again[0], dtype=float), A3)
    except (TypeError, ValueError, IndexError):
        return False


def _cache_hint(name: str, got, ref: dict) -> str:
    """The hint for a wrong cache entry; A1/A2 stored before dropout (or before the division) get their own."""
    if name in ("A1", "A2"):
        n = int(name[1])
        before = _relu(ref[f"Z{n}"])
        if _close(got, before):
            return (f"A3 is right, but cache's {name} is the activation BEFORE dropout, relu(Z{n}). Store it "
                    f"after dropout, {name} = relu(Z{n}) * D{n} / keep_prob: that is what layer {n + 1} "
                    f"multiplied by W{n + 1}, and backward needs exactly it for dW{n + 1} = 1/m dZ{n + 1} {name}ᵀ.")
        if _close(got, before * ref[f"D{n}"]):
            return (f"A3 is right, but cache's {name} is masked but not divided by keep_prob: store "
                    f"{name} = relu(Z{n}) * D{n} / keep_prob, the value layer {n + 1} received.")
    return (f"A3 is right, but cache's {name} is not: keep the cache order (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, "
            f"b2, Z3, A3, W3, b3), with A1 and A2 stored after dropout (A = relu(Z) * D / keep_prob).")


def check_forward_with_dropout(forward_with_dropout) -> bool:
    """Exercise: forward_with_dropout(X, params, keep_prob, rng) -> (A3, cache) for the 3-layer network."""
    name = "check_forward_with_dropout"
    _require_callable(forward_with_dropout, name, "forward_with_dropout")
    for i, (dims, m, keep_prob) in enumerate(_CASES, 1):
        params, X, _ = _case(i, dims, m)
        out, message = _call(name, forward_with_dropout, X.copy(), {k: v.copy() for k, v in params.items()},
                             keep_prob, np.random.default_rng(_mask_seed(i)))
        if message:
            print(message)
            return False
        problem = _forward_problem(out, X, params, keep_prob, _mask_seed(i), forward_with_dropout)
        if problem:
            return _result(name, f"case {i} (layer_dims {dims}, m = {m}, keep_prob = {keep_prob}): {problem}",
                           len(_CASES))
    return _result(name, None, len(_CASES))


# ---------------------------------------------------------------- exercise 2: backward
def _backward_problem(grads, X, Y, cache, keep_prob, want) -> str | None:
    if not isinstance(grads, dict):
        return f'return a dict {{"dW1": ..., "db1": ..., ..., "db3": ...}}; got {type(grads).__name__}.'
    missing = [k for k in want if k not in grads]
    if missing:
        return f"grads is missing {', '.join(missing)}: return dW1, db1, dW2, db2, dW3, db3."
    for key in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
        got = np.asarray(grads[key], dtype=float)
        if got.shape != want[key].shape:
            hint = " (use keepdims=True in np.sum)" if key.startswith("db") and got.size == want[key].size else ""
            return f"{key} has shape {got.shape}, expected {want[key].shape}{hint}."
    if all(_close(grads[k], want[k]) for k in want):
        return None
    for bug, hint in _BACKWARD_HINTS.items():
        replay = _backward3(X, Y, cache, keep_prob, bug)
        if all(_close(grads[k], replay[k]) for k in want):
            return hint
    wrong = [k for k in ("dW3", "db3", "dW2", "db2", "dW1", "db1") if not _close(grads[k], want[k])]
    if not {"dW3", "db3"} & set(wrong):
        return (f"{', '.join(wrong)} are wrong (dW3, db3 are right): after dA2 = W3ᵀ dZ3, apply the forward "
                "pass's mask, dA2 = dA2 * D2 / keep_prob, then dZ2 = dA2 * (Z2 > 0); the same for layer 1 with "
                "D1. Take D1 and D2 from the cache: never draw new masks in backward.")
    return f"{', '.join(wrong)} are wrong: start from dZ3 = A3 − Y and dW3 = 1/m dZ3 A2ᵀ."


def check_backward_with_dropout(backward_with_dropout) -> bool:
    """Exercise: backward_with_dropout(X, Y, cache, keep_prob) -> grads of the 3-layer network."""
    name = "check_backward_with_dropout"
    _require_callable(backward_with_dropout, name, "backward_with_dropout")
    for i, (dims, m, keep_prob) in enumerate(_CASES, 1):
        params, X, Y = _case(i, dims, m)
        _, cache = _forward3(X, params, keep_prob, np.random.default_rng(_mask_seed(i)))
        _, ref_cache = network.forward(X, params, keep_prob=keep_prob, rng=np.random.default_rng(_mask_seed(i)))
        want = network.backward(ref_cache, Y)
        out, message = _call(name, backward_with_dropout, X.copy(), Y.copy(),
                             tuple(np.copy(c) for c in cache), keep_prob)
        if message:
            print(message)
            return False
        problem = _backward_problem(out, X, Y, cache, keep_prob, want)
        if problem:
            return _result(name, f"case {i} (layer_dims {dims}, m = {m}, keep_prob = {keep_prob}): {problem}",
                           len(_CASES))
    return _result(name, None, len(_CASES))
