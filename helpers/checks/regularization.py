"""Checks for lab 02's exercises: the cost with the L2 term, and the extra λ/m·W in backprop.

Each check runs the learner's function on small random networks (biases nonzero, so a penalty that
also sums b is caught) and compares it with helpers.network.compute_cost / backward with lambd.
When the answer is wrong, the check recognises the usual slips (forgot the 1/2, used 1/m instead of
λ/(2m), summed b too, wrong sign, ...) and names the one it sees.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import network
from ._core import _call, _require_callable, _result, random_network_case

# (layer_dims, m, lambd): λ = 0 first, so a wrong cross-entropy is reported before any L2 slip.
# λ and m are chosen so that every slip below gives a different number.
_CASES = [([3, 4, 1], 5, 0.0), ([2, 5, 3, 1], 7, 0.7), ([4, 6, 1], 10, 1.3), ([3, 4, 4, 2, 1], 8, 0.35)]
_RTOL, _ATOL = 1e-6, 1e-9


def _case(i: int, dims, m: int):
    """A random network with nonzero biases, a batch X (n_x, m), 0/1 labels Y (1, m), and its forward cache."""
    params, X, Y = random_network_case(200 + i, dims, m, "xavier", 0.5)
    AL, cache = network.forward(X, params)
    return params, X, Y, AL, cache


def _close(a, b) -> bool:
    return bool(np.isclose(a, b, rtol=_RTOL, atol=_ATOL))


# ---------------------------------------------------------------- exercise 1: the cost
def _scalar(out):
    """(the learner's cost as a float, None), or (None, what is wrong with it)."""
    if out is None:
        return None, "your function returned None: did you forget the `return`?"
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None, f"return the cost as one number (a float); got {type(out).__name__}."
    if arr.size != 1:
        return None, (f"return the cost as one number; got an array of shape {arr.shape}. "
                      "Did you forget to sum over the examples (np.sum)?")
    return float(arr.reshape(())), None


def _cross_entropy_problem(got: float, ce: float, AL, Y) -> str:
    """got is the learner's cost at λ = 0, ce the reference cross-entropy."""
    m = AL.shape[1]
    first = float(-np.sum(Y * np.log(AL)) / m)
    hints = [
        (-ce, "wrong sign: the cross-entropy is −1/m Σ [y log a + (1 − y) log(1 − a)], a positive number."),
        (ce * m, "forgot the 1/m: the cost is the mean over the m examples (m = AL.shape[1])."),
        (first, "the (1 − y) log(1 − a) term is missing: the cost has both terms."),
        (ce / m, "divided by m twice: the cross-entropy is −1/m Σ [...], once."),
    ]
    for value, hint in hints:
        if _close(got, value):
            return f"with λ = 0 your cost is {got:.6f}, expected {ce:.6f}. Hint: {hint}"
    return (f"with λ = 0 (no L2 term) your cost is {got:.6f}, expected {ce:.6f}: check the cross-entropy "
            "−1/m Σ [Y log(AL) + (1 − Y) log(1 − AL)] (m = AL.shape[1]).")


def _penalty_problem(extra: float, params: dict, lambd: float, m: int) -> str:
    """extra = learner's cost − cross-entropy; name the slip it matches."""
    L = network.num_layers(params)
    sq = [float(np.sum(params[f"W{l}"] ** 2)) for l in range(1, L + 1)]
    P, Pb = sum(sq), sum(float(np.sum(params[f"b{l}"] ** 2)) for l in range(1, L + 1))
    want = lambd / (2 * m) * P
    named = [
        (lambd / m * P, "forgot the 1/2: the L2 term is λ/(2m) Σ‖W^[l]‖²_F (the 1/2 makes its derivative exactly λ/m·W)."),
        (P / m, "used 1/m instead of λ/(2m): multiply by λ and divide by 2m."),
        (P / (2 * m), "forgot λ: the L2 term is λ/(2m) Σ‖W^[l]‖²_F."),
        (lambd / 2 * P, "forgot to divide by m (the number of examples, AL.shape[1]): the term is λ/(2m) Σ‖W‖²."),
        (lambd * P, "the factor is λ/(2m), not λ (divide by 2m, m = AL.shape[1])."),
        (lambd / (2 * m) * (P + Pb), "summed b too: only the weights W^[l] are penalized, not the biases b^[l]."),
        (lambd / m * (P + Pb), "summed b too (and forgot the 1/2): penalize only W^[l], with λ/(2m)."),
        (-want, "wrong sign: the L2 term is added to the cost, J = cross-entropy + λ/(2m) Σ‖W‖²."),
        (lambd / (2 * m) * sum(np.sqrt(s) for s in sq), "square the Frobenius norms: ‖W‖²_F = np.sum(np.square(W))."),
        (lambd / (2 * m) * sum(float(np.sum(params[f"W{l}"])) for l in range(1, L + 1)),
         "square each weight before summing: np.sum(np.square(W)), not np.sum(W)."),
        (0.0, "the L2 term is missing: add λ/(2m) Σ_l ‖W^[l]‖²_F to the cross-entropy."),
    ]
    for value, hint in named:
        if _close(extra, value):
            return hint
    for r in range(1, L):
        for subset in itertools.combinations(range(L), r):
            if _close(extra, lambd / (2 * m) * sum(sq[j] for j in subset)):
                layers = ", ".join(f"W{j + 1}" for j in subset)
                return (f"only {layers} counted: sum ‖W^[l]‖²_F over every layer l = 1..L "
                        f"(L = {L} here; loop over range(1, L + 1)).")
    return f"your L2 term is {extra:.6f}, expected λ/(2m) Σ‖W^[l]‖²_F = {want:.6f}."


def check_compute_cost_with_l2(compute_cost_with_l2) -> bool:
    """Exercise: compute_cost_with_l2(AL, Y, params, lambd) -> cross-entropy + λ/(2m) Σ_l ‖W^[l]‖²_F."""
    name = "check_compute_cost_with_l2"
    _require_callable(compute_cost_with_l2, name, "compute_cost_with_l2")
    for i, (dims, m, lambd) in enumerate(_CASES, 1):
        params, _, Y, AL, cache = _case(i, dims, m)
        snapshot = {k: v.copy() for k, v in params.items()}
        out, message = _call(name, compute_cost_with_l2, AL.copy(), Y.copy(), params, lambd)
        if message:
            print(message)
            return False
        where = f"case {i} (layer_dims {dims}, m = {m}, λ = {lambd})"
        if any(not np.array_equal(params[k], snapshot[k]) for k in params):
            return _result(name, f"{where}: your function changed params; compute the cost without modifying "
                                 "the weights.", len(_CASES))
        got, problem = _scalar(out)
        if problem:
            return _result(name, f"{where}: {problem}", len(_CASES))
        ce = network.compute_cost(cache, Y)
        want = network.compute_cost(cache, Y, lambd)
        if _close(got, want):
            continue
        if lambd == 0:
            return _result(name, f"{where}: {_cross_entropy_problem(got, ce, AL, Y)}", len(_CASES))
        return _result(name, f"{where}: cost {got:.6f}, expected {want:.6f}. "
                             f"Hint: {_penalty_problem(got - ce, params, lambd, m)}", len(_CASES))
    return _result(name, None, len(_CASES))


# ---------------------------------------------------------------- exercise 2: the gradients
def _gradient_problem(key: str, got, dW0, W, lambd: float, m: int) -> str | None:
    """None if got == dW0 + λ/m W, else the slip it matches (or a generic message)."""
    want = dW0 + lambd / m * W
    if np.allclose(got, want, rtol=_RTOL, atol=_ATOL):
        return None
    named = [
        (dW0, "the λ/m·W term is missing: dW = (backprop dW) + λ/m·W."),
        (dW0 + lambd / (2 * m) * W, "the derivative of λ/(2m)‖W‖² is λ/m·W: the 2 from W² cancels the 1/2."),
        (dW0 + 2 * lambd / m * W, "the factor is λ/m, not 2λ/m: the 2 from W² cancels the 1/2 of λ/(2m)."),
        (dW0 + lambd * W, "forgot to divide by m: the extra term is λ/m·W."),
        (dW0 + W / m, "forgot λ: the extra term is λ/m·W."),
        (dW0 - lambd / m * W, "wrong sign: add λ/m·W (the penalty grows with the weights, so its gradient points along W)."),
        (dW0 + lambd / m * W ** 2, "the derivative of W² is 2W, so the term is λ/m·W, not λ/m·W²."),
        (dW0 + lambd / m * np.sign(W), "λ/m·sign(W) is the gradient of L1 regularization; L2 gives λ/m·W."),
        (lambd / m * W, "keep the backprop part: dW = (backprop dW) + λ/m·W, not the L2 term alone."),
    ]
    for value, hint in named:
        if np.allclose(got, value, rtol=_RTOL, atol=_ATOL):
            return f"{key} is not (backprop {key}) + λ/m·{key[1:]}. Hint: {hint}"
    return f"{key} differs from (backprop {key}) + λ/m·W by up to {np.max(np.abs(got - want)):.3g}."


def check_add_l2_to_gradients(add_l2_to_gradients) -> bool:
    """Exercise: add_l2_to_gradients(grads, params, lambd, m) -> the gradients of the cost with L2.

    grads are backprop's gradients of the cross-entropy alone; the answer must equal
    helpers.network.backward(cache, Y, lambd): every dW^[l] gets + λ/m·W^[l], every db^[l] stays.
    """
    name = "check_add_l2_to_gradients"
    _require_callable(add_l2_to_gradients, name, "add_l2_to_gradients")
    cases = [c for c in _CASES if c[2] > 0]
    for i, (dims, m, lambd) in enumerate(cases, 1):
        params, _, Y, _, cache = _case(i, dims, m)
        grads = network.backward(cache, Y)
        want = network.backward(cache, Y, lambd)
        grads_in = {k: v.copy() for k, v in grads.items()}
        params_in = {k: v.copy() for k, v in params.items()}
        out, message = _call(name, add_l2_to_gradients, grads_in, params_in, lambd, m)
        if message:
            print(message)
            return False
        where = f"case {i} (layer_dims {dims}, m = {m}, λ = {lambd})"

        def fail(problem, where=where):
            return _result(name, f"{where}: {problem}", len(cases))

        if out is None:
            return fail("your function returned None: did you forget the `return`?")
        if not isinstance(out, dict):
            return fail(f"return a dict of gradients {{'dW1': ..., 'db1': ...}}; got {type(out).__name__}.")
        missing = sorted((k for k in want if k not in out), key=lambda k: (int(k[2:]), k[1]))
        if missing:
            return fail(f"the returned dict lacks {', '.join(missing)}: return every dW and db, "
                        "with the db unchanged.")
        if any(not np.array_equal(params_in[k], params[k]) for k in params):
            return fail("your function changed params; it should only compute gradients.")
        for l in range(1, len(dims)):
            for key in (f"dW{l}", f"db{l}"):
                got = np.asarray(out[key])
                if got.shape != want[key].shape:
                    return fail(f"{key} has shape {got.shape}, expected {want[key].shape} (the shape of "
                                f"{key[1:]}).")
            db_got = np.asarray(out[f"db{l}"])
            if not np.allclose(db_got, grads[f"db{l}"], rtol=_RTOL, atol=_ATOL):
                if np.allclose(db_got, grads[f"db{l}"] + lambd / m * params[f"b{l}"], rtol=_RTOL, atol=_ATOL):
                    return fail(f"db{l} got + λ/m·b{l}: the biases are not penalized, so db stays as backprop "
                                "computed it.")
                return fail(f"db{l} changed: L2 penalizes only the weights, so every db stays as backprop "
                            "computed it.")
            problem = _gradient_problem(f"dW{l}", np.asarray(out[f"dW{l}"]), grads[f"dW{l}"], params[f"W{l}"],
                                        lambd, m)
            if problem:
                return fail(problem)
        if any(not np.array_equal(grads_in[k], grads[k]) for k in grads):
            return fail("the answer is right, but your function changed the grads it was given (in place): "
                        "build new arrays, e.g. grads[k] + ..., so calling it twice does not add λ/m·W twice.")
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- references for use_if_passed
def compute_cost_with_l2(AL, Y, params: dict, lambd: float) -> float:
    """Exercise 1's answer: the cross-entropy of AL (1, m) against Y (1, m) plus λ/(2m) Σ_l ‖W^[l]‖²_F."""
    m = AL.shape[1]
    cross_entropy = float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
    return cross_entropy + network.l2_penalty(params, lambd, m)


def add_l2_to_gradients(grads: dict, params: dict, lambd: float, m: int) -> dict:
    """Exercise 2's answer: a new dict, every dW^[l] + λ/m·W^[l], every db^[l] unchanged."""
    return {key: grad + lambd / m * params[key[1:]] if key.startswith("dW") else grad for key, grad in grads.items()}
