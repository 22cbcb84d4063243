"""Checks for lab 06's exercises: the random mini-batch partition and the bias-corrected EWA."""
from __future__ import annotations

import numpy as np

from ..averages import ewa
from ..datasets import minibatches
from ._core import _call, _result


def random_mini_batches(X, Y, batch_size, rng):
    """The reference partition: list(helpers.datasets.minibatches(X, Y, batch_size, rng)).

    One permutation rng.permutation(m) of the columns of X (n_x, m) and Y (n_y, m), cut into batches of
    batch_size columns, the last one keeping the remaining m % batch_size. Returns a list of (X_b, Y_b).
    """
    return list(minibatches(X, Y, batch_size, rng))


# ---------------------------------------------------------------- the mini-batch partition
def _as_batches(out):
    """The learner's output as a list of (X_b, Y_b) arrays, or a message saying what is wrong with it."""
    if out is None:
        return None, "your function returned None: did you forget the `return`?"
    if isinstance(out, np.ndarray) or not hasattr(out, "__iter__"):
        return None, f"return a list of (X_b, Y_b) pairs; got a {type(out).__name__}."
    batches = list(out)
    for k, pair in enumerate(batches):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            return None, f"batch {k} is not a pair (X_b, Y_b): append tuples (X_b, Y_b) to the list."
    return [(np.asarray(a), np.asarray(b)) for a, b in batches], None


def _partition_problem(batches, X, Y, batch_size, rng_seed) -> str | None:
    n_x, m = X.shape
    want = random_mini_batches(X, Y, batch_size, np.random.default_rng(rng_seed))
    sizes = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
    for k, (X_b, Y_b) in enumerate(batches):
        if X_b.ndim != 2 or X_b.shape[0] != n_x:
            if X_b.ndim == 2 and X_b.shape[1] == n_x:
                return (f"X_b of batch {k} has shape {X_b.shape}: examples are columns, so a batch is "
                        f"X[:, indices] of shape (n_x, batch size) = ({n_x}, ...), not rows of X.")
            return f"X_b of batch {k} has shape {X_b.shape}; expected ({n_x}, batch size)."
        if Y_b.shape != (Y.shape[0], X_b.shape[1]):
            return (f"Y_b of batch {k} has shape {Y_b.shape}, expected {(Y.shape[0], X_b.shape[1])}: "
                    "take the same columns of Y as of X, as a 2-D array (Y[:, indices]).")
    got_sizes = [X_b.shape[1] for X_b, _ in batches]
    if got_sizes and got_sizes[-1] == 0:
        return ("the last batch is empty: when m is a multiple of batch_size there is no partial batch; "
                "add the last batch only when m % batch_size != 0.")
    if got_sizes == sizes[:-1] and m % batch_size:
        return (f"the last partial batch is missing: m = {m}, batch_size = {batch_size}, so after "
                f"{m // batch_size} full batches {m % batch_size} examples remain; keep them as a last, smaller batch.")
    if got_sizes != sizes:
        return (f"batch sizes {got_sizes}, expected {sizes}: every batch has batch_size columns except the "
                f"last, which keeps the remaining m % batch_size.")
    ids = np.concatenate([X_b[0] for X_b, _ in batches]).astype(int)  # row 0 of the test X holds example ids
    if sorted(ids.tolist()) != list(range(m)):
        return ("some examples appear twice and others are missing: shuffle with one permutation of the m "
                "columns (rng.permutation(m)), not by drawing each batch at random.")
    for k, (X_b, Y_b) in enumerate(batches):
        if not np.array_equal(Y_b, Y[:, X_b[0].astype(int)]):
            return (f"in batch {k} the labels no longer belong to their examples: shuffle X and Y with the "
                    "same permutation (one perm = rng.permutation(m), then X[:, perm] and Y[:, perm]).")
    if np.array_equal(ids, np.arange(m)):
        return "the batches are cut in the original order: shuffle first with perm = rng.permutation(m)."
    if not all(np.array_equal(X_b, W_b) for (X_b, _), (W_b, _) in zip(batches, want, strict=True)):
        return ("a valid shuffle, but not the one the given rng draws: use the rng passed in (not np.random "
                "or a new generator) and draw exactly one perm = rng.permutation(m) before cutting, so the "
                "same rng gives the same batches (the lab's results then match).")
    return None


def check_random_mini_batches(random_mini_batches_fn) -> bool:
    """Exercise: random_mini_batches(X, Y, batch_size, rng) -> [(X_b, Y_b), ...] as helpers.datasets.minibatches."""
    name = "check_random_mini_batches"
    cases = [(3, 10, 4), (2, 64, 16), (5, 37, 8), (2, 5, 8), (4, 148, 64), (2, 9, 1)]
    for i, (n_x, m, batch_size) in enumerate(cases, 1):
        data = np.random.default_rng(200 + i)
        X = np.vstack([np.arange(m), data.standard_normal((n_x - 1, m))])  # row 0 = example id
        Y = data.integers(0, 2, (1, m))
        seed = 10 + i
        X_before, Y_before = X.copy(), Y.copy()
        out, message = _call(name, random_mini_batches_fn, X, Y, batch_size, np.random.default_rng(seed))
        if message:
            print(message)
            return False
        where = f"case {i} (n_x={n_x}, m={m}, batch_size={batch_size})"
        if not (np.array_equal(X, X_before) and np.array_equal(Y, Y_before)):
            return _result(name, f"{where}: your function changed X or Y in place; shuffle a copy "
                                 "(X[:, perm] makes one).", len(cases))
        batches, problem = _as_batches(out)
        problem = problem or _partition_problem(batches, X, Y, batch_size, seed)
        if problem:
            return _result(name, f"{where}: {problem}", len(cases))
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- the exponentially weighted average
def _ewa_hint(got, theta, beta, bias_correction) -> str:
    """The likeliest slip that produces ``got`` instead of ewa(theta, beta, bias_correction)."""
    T = theta.size
    t = np.arange(1, T + 1)
    raw = ewa(theta, beta, bias_correction=False)
    candidates = []
    if bias_correction:
        candidates.append((raw, "you returned v_t without the bias correction: divide by 1 - beta**t."))
        with np.errstate(divide="ignore", invalid="ignore"):
            candidates.append((raw / (1 - beta ** (t - 1)), "t is counted from 0: the first average v_1 is "
                                                            "divided by 1 - beta**1, so t starts at 1."))
        candidates.append((raw / (1 - beta ** (t + 1)), "the correction is off by one step: v_t is divided by "
                                                        "1 - beta**t with t = 1 for the first value."))
        candidates.append((raw / (1 - beta ** T), "every v_t was divided by the same 1 - beta**T: divide each v_t "
                                                  "by its own 1 - beta**t (t = 1 for the first value, 2 for the next, ...)."))
        fed_back = np.empty(T)
        v = 0.0
        for k, x in enumerate(theta):
            v = (beta * v + (1 - beta) * x) / (1 - beta ** (k + 1))
            fed_back[k] = v
        candidates.append((fed_back, "the corrected value was fed back into the recursion: keep the raw v_t for the "
                                     "next step (v = beta * v + (1 - beta) * theta_t) and store v / (1 - beta**t) "
                                     "in the output only."))
    else:
        candidates.append((ewa(theta, beta, bias_correction=True),
                           "with bias_correction=False return the raw v_t, without dividing by 1 - beta**t."))
    swapped = np.empty(T)
    v = 0.0
    for k, x in enumerate(theta):
        v = (1 - beta) * v + beta * x
        swapped[k] = v
    for corrected in ([swapped / (1 - beta ** t), swapped] if bias_correction else [swapped]):
        candidates.append((corrected, "(1 - beta) multiplies the new value theta_t, beta the old average: "
                                      "v_t = beta * v_{t-1} + (1 - beta) * theta_t."))
    from_first = np.empty(T)
    v = theta[0]
    for k, x in enumerate(theta):
        v = beta * v + (1 - beta) * x
        from_first[k] = v
    for corrected in (from_first, from_first / (1 - beta ** t)):
        candidates.append((corrected, "start from v_0 = 0, not from the first value; the bias correction is "
                                      "what fixes the start."))
    plain = np.empty(T)
    v = 0.0
    for k, x in enumerate(theta):
        v = beta * v + x
        plain[k] = v
    candidates.append((plain, "the new value needs its weight (1 - beta): v_t = beta * v_{t-1} + (1 - beta) * theta_t."))
    for wrong, hint in candidates:
        if got.shape == wrong.shape and np.allclose(got, wrong, rtol=1e-9, atol=1e-12, equal_nan=True):
            return hint
    return ""


def check_ewa(ewa_fn) -> bool:
    """Exercise: ewa(values, beta, bias_correction=True) -> array (T,) of v_1 ... v_T, as helpers.averages.ewa."""
    name = "check_ewa"
    rng = np.random.default_rng(6)
    series = 10 + rng.standard_normal(40)
    cases = [(series, 0.9, True), (series, 0.9, False), (series[:12], 0.5, True), (series, 0.98, True),
             (np.array([4.0]), 0.9, True), (series[:20], 0.0, True)]
    for i, (theta, beta, bias_correction) in enumerate(cases, 1):
        before = theta.copy()
        out, message = _call(name, ewa_fn, theta, beta, bias_correction)
        if message:
            if "ZeroDivisionError" in message:
                message += " Hint: t counts from 1, so the first correction is 1 - beta**1, never 1 - beta**0 = 0."
            print(message)
            return False
        where = f"case {i} (T={theta.size}, beta={beta}, bias_correction={bias_correction})"
        if out is None:
            return _result(name, f"{where}: your function returned None: did you forget the `return`?", len(cases))
        if not np.array_equal(theta, before):
            return _result(name, f"{where}: your function changed the input series; write the averages to a "
                                 "new array.", len(cases))
        got = np.asarray(out, dtype=float)
        want = ewa(theta, beta, bias_correction)
        if got.shape != want.shape:
            if got.size == 1:
                return _result(name, f"{where}: you returned one number; return the whole sequence v_1 ... v_T "
                                     f"(shape {want.shape}), one average per value.", len(cases))
            return _result(name, f"{where}: result has shape {got.shape}, expected {want.shape} "
                                 "(one average per value).", len(cases))
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            k = int(np.argmax(~np.isclose(got, want, rtol=1e-9, atol=1e-12)))
            hint = _ewa_hint(got, theta, beta, bias_correction)
            return _result(name, f"{where}: at t = {k + 1} expected {want[k]:.6g}, got {got[k]:.6g}. "
                                 f"{'Hint: ' + hint if hint else ''}".rstrip(), len(cases))
    return _result(name, None, len(cases))
