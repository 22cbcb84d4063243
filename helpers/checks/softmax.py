"""Checks for lab 11's exercises: a numerically stable softmax, and the softmax cross-entropy cost with its
gradient, ``softmax_cost(ZL, Y) -> (J, dZL)``.

Each check runs the learner's function on ordinary logits first (so a formula slip is named before any
numerical one), then on logits that overflow e^z (z = 1000) and on a column whose true class has a
probability that underflows to 0 (log 0 = −inf). When the answer is wrong it recomputes the usual slips
(no max shift, softmax over the rows, the max of the whole matrix, sigmoid instead of softmax, the 1/m
forgotten in J or put into dZ, the sign, ...) on the same case and names the one that matches.
"""
from __future__ import annotations

import numpy as np

from .. import network
from ._core import _call, _require_callable, _result

_RTOL, _ATOL = 1e-7, 1e-10


def _column_softmax(Z, axis=0):
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def _logits(seed: int, C: int, m: int, scale: float = 2.0) -> np.ndarray:
    return scale * np.random.default_rng(seed).standard_normal((C, m))


def _labels(seed: int, C: int, m: int) -> np.ndarray:
    """(C, m) one-hot, every class present when m >= C (so a slip cannot hide in a missing class)."""
    labels = np.arange(m) % C
    np.random.default_rng(seed).shuffle(labels)
    return np.eye(C)[:, labels]


# The cases, ordinary first. Shapes have C != m, so a transposed answer shows as a shape error.
def _softmax_cases():
    big = np.array([[1000.0, 2.0, -3.0, 10.0], [999.0, 1.0, 0.0, 12.0], [998.0, 0.5, 1.0, 11.0]])
    mixed = np.array([[5.0, -800.0, 1.0], [2.0, -801.0, 0.0], [-1.0, -799.0, 3.0], [3.0, -805.0, 1.0],
                      [0.0, -800.5, 2.0]])
    return [("ordinary logits, Z of shape (3, 4)", _logits(1, 3, 4)),
            ("ordinary logits, Z of shape (5, 7)", _logits(2, 5, 7, 3.0)),
            ("large logits (a column z = [1000, 999, 998])", big),
            ("columns of very different size (one column near z = -800, the others near 0)", mixed)]


def _softmax_slips(Z):
    """[(wrong output, hint)] for the usual mistakes, computed on Z (with overflow warnings silenced)."""
    with np.errstate(all="ignore"):
        E = np.exp(Z)
        Eg = np.exp(Z - Z.max())
        Er = np.exp(Z - Z.max(axis=1, keepdims=True))
        Ec = np.exp(Z - Z.max(axis=0, keepdims=True))
        return [
            (E / E.sum(axis=0, keepdims=True), "NaN or inf where z = 1000: e^1000 overflows to inf, and inf/inf is "
                                               "NaN; subtract each column's max first, Z - Z.max(axis=0, "
                                               "keepdims=True): softmax(z - c) = softmax(z), and then every exponent "
                                               "is <= 0."),
            (Eg / Eg.sum(axis=0, keepdims=True), "shifted by the max of the WHOLE matrix (Z.max()): every e^z of a "
                                                 "column far below it underflows to 0, and 0/0 is NaN; subtract "
                                                 "each column's own max, Z.max(axis=0, keepdims=True)."),
            (Er / Er.sum(axis=0, keepdims=True), "shifted by each ROW's max (axis=1): all entries of a column must "
                                                 "be shifted by the same number, or their ratios change; each column "
                                                 "is one example, so use Z.max(axis=0, keepdims=True)."),
            (Ec / Ec.sum(axis=1, keepdims=True), "divided by each ROW's sum (axis=1): each column is one example, so "
                                                 "normalize each column, E.sum(axis=0, keepdims=True)."),
            (_column_softmax(Z, axis=1), "softmax over the wrong axis: each COLUMN is one example (Z is (C, m)); "
                                         "take max and sum with axis=0, keepdims=True."),
            (E / E.sum(), "divided by the sum of the whole matrix: normalize each column, E.sum(axis=0, keepdims=True)."),
            (Eg / Eg.sum(), "divided by the sum of the whole matrix: normalize each column, E.sum(axis=0, keepdims=True)."),
            (1 / (1 + np.exp(-Z)), "that is the sigmoid of each entry: softmax is e^z_k / Σ_j e^z_j over the column, "
                                   "so the column sums to 1."),
            (E, "the exponentials are not normalized: divide by their column sums so each column sums to 1."),
            (np.exp(Z - Z.max(axis=0, keepdims=True)), "the exponentials are not normalized: divide by their column "
                                                       "sums so each column sums to 1."),
            (Z / Z.sum(axis=0, keepdims=True), "softmax exponentiates first: a_k = e^z_k / Σ_j e^z_j."),
        ]


def _nonfinite_softmax_hint(where: str) -> str:
    if "large" in where:
        return ("NaN or inf where z = 1000: e^1000 overflows to inf, and inf/inf is NaN. Hint: subtract each "
                "column's max first, Z - Z.max(axis=0, keepdims=True): softmax(z - c) = softmax(z), and then "
                "every exponent is <= 0.")
    return ("NaN or inf in the column near z = -800: shifted by the max of the WHOLE matrix, every e^z of that "
            "column underflows to 0 and 0/0 is NaN (without a shift, the same). Hint: subtract each column's own "
            "max, Z.max(axis=0, keepdims=True).")


def check_softmax(softmax) -> bool:
    """Exercise: softmax(Z) -> A, column-wise for Z (C, m), finite even for z = 1000 and z = -800."""
    name = "check_softmax"
    _require_callable(softmax, name, "softmax")
    cases = _softmax_cases()
    for where, Z in cases:
        Z_in = Z.copy()
        with np.errstate(all="ignore"):  # the learner's overflow is reported by the hint, not by a warning
            out, message = _call(name, softmax, Z_in)
        if message:
            print(message)
            return False
        want = _column_softmax(Z)

        def fail(problem, where=where):
            return _result(name, f"{where}: {problem}", len(cases))

        if out is None:
            return fail("your function returned None: did you forget the `return`?")
        got = np.asarray(out, dtype=float)
        if got.shape != Z.shape:
            hint = " (you transposed it?)" if got.shape == Z.shape[::-1] else ""
            return fail(f"A has shape {got.shape}, expected Z's shape {Z.shape}{hint}.")
        if not np.array_equal(Z_in, Z):
            return fail("your function changed Z in place (Z -= ... ): compute Z - max into a new array.")
        if np.allclose(got, want, rtol=_RTOL, atol=_ATOL):
            continue
        for wrong, hint in _softmax_slips(Z):  # NaN where the slip makes NaN: equal_nan matches those too
            if np.shape(wrong) == got.shape and np.allclose(got, wrong, rtol=1e-6, atol=1e-9, equal_nan=True):
                return fail(f"Hint: {hint}")
        if not np.all(np.isfinite(got)):
            return fail(_nonfinite_softmax_hint(where))
        return fail(f"A differs from the column-wise softmax by up to {np.max(np.abs(got - want)):.3g} "
                    f"(column sums of yours: {np.round(got.sum(axis=0), 4).tolist()[:4]}).")
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- exercise 2: the cost and its gradient
def _cost_cases():
    big = np.array([[1000.0, 3.0, 0.0, 1.0, -2.0], [999.0, 1.0, 2.0, 0.0, 1.0], [995.0, 2.0, 1.0, 4.0, 0.0]])
    tiny = np.array([[0.0, 1.0, 2.0, -1.0], [-1000.0, 0.0, 1.0, 0.5], [5.0, -1.0, 0.0, 2.0]])
    tiny_Y = np.eye(3)[:, [1, 0, 2, 1]]  # column 0's true class (row 1) is 1000 below the others: a = e^-1000 = 0
    return [("ordinary logits, ZL of shape (3, 5)", _logits(11, 3, 5), _labels(11, 3, 5)),
            ("ordinary logits, ZL of shape (4, 7)", _logits(12, 4, 7, 3.0), _labels(12, 4, 7)),
            ("large logits (a column z = [1000, 999, 995])", big, _labels(13, 3, 5)),
            ("a true class 1000 below the others (its probability e^-1000 underflows to 0)", tiny, tiny_Y)]


def _cost_J_slips(ZL, Y):
    """[(wrong J, hint)] on ordinary logits."""
    m, C = ZL.shape[1], ZL.shape[0]
    A = _column_softmax(ZL)
    J = float(-np.sum(Y * np.log(A)) / m)
    S = 1 / (1 + np.exp(-ZL))
    rows = _column_softmax(ZL, axis=1)
    return [
        (J * m, "forgot the 1/m: J is the mean loss over the m examples, −1/m Σ_i Σ_k y_k log a_k (m = ZL.shape[1])."),
        (-J, "wrong sign: J = −1/m Σ y log a is positive (log a <= 0)."),
        (J / C, "divided by C·m (np.mean over the whole (C, m) matrix): the sum over the C classes is not averaged, "
                "only the one over the m examples: −np.sum(Y * log A) / m."),
        (float(-np.sum(Y * np.log(S) + (1 - Y) * np.log(1 - S)) / m),
         "that is the binary cross-entropy of sigmoid outputs: a softmax output's loss is −Σ_k y_k log a_k with "
         "a = softmax(z)."),
        (float(-np.sum(Y * np.log(S)) / m), "used the sigmoid of each logit: a = softmax(z) over the column."),
        (float(-np.sum(Y * np.log(rows)) / m), "softmax over the wrong axis: normalize each column (axis=0)."),
        (float(-np.sum(Y * ZL) / m), "the log-softmax is z − log Σ_j e^z_j (shifted by the max), not z alone."),
    ]


def _cost_dZ_slips(ZL, Y):
    """[(wrong dZ, hint)] on ordinary logits."""
    m = ZL.shape[1]
    A = _column_softmax(ZL)
    S = 1 / (1 + np.exp(-ZL))
    return [
        ((A - Y) / m, "dZ has no 1/m in the course's convention: dZ[L] = A − Y, and the 1/m is applied once, in "
                      "dW = 1/m dZ A_prev^T and db = 1/m Σ dZ."),
        (Y - A, "wrong sign: dZ = A − Y (raise the logit of a class predicted too low, so its gradient is negative)."),
        (A, "forgot to subtract Y: dZ = A − Y."),
        (S - Y, "used the sigmoid: dZ = softmax(ZL) − Y, with the softmax over each column."),
        (_column_softmax(ZL, axis=1) - Y, "softmax over the wrong axis: normalize each column (axis=0), then A − Y."),
        ((A - Y) * A * (1 - A), "no extra a(1 − a) factor: the softmax Jacobian and the log's 1/a cancel, leaving "
                                "dZ = A − Y."),
    ]


def _unpack(out):
    """(J as float, dZ array, None) or (None, None, what is wrong)."""
    if out is None:
        return None, None, "your function returned None: did you forget the `return`?"
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return None, None, f"return a pair (J, dZ), as in `return J, dZ`; got {type(out).__name__}."
    J, dZ = out
    try:
        J_arr = np.asarray(J, dtype=float)
        dZ = np.asarray(dZ, dtype=float)
    except (TypeError, ValueError):
        return None, None, "J must be a number and dZ an array of numbers."
    if J_arr.size != 1:
        return None, None, (f"J must be one number; got an array of shape {J_arr.shape}. Did you forget to sum "
                            "over the classes and the examples?")
    return float(J_arr.reshape(())), dZ, None


def check_softmax_cost(softmax_cost) -> bool:
    """Exercise: softmax_cost(ZL, Y) -> (J, dZL): J = −1/m Σ_i Σ_k y_k log softmax(z)_k, dZL = softmax(ZL) − Y.

    J must stay finite where a probability underflows to 0 (log-softmax, or a clipped log: the check then
    asks only for a finite J there); dZL must match everywhere.
    """
    name = "check_softmax_cost"
    _require_callable(softmax_cost, name, "softmax_cost")
    cases = _cost_cases()
    for i, (where, ZL, Y) in enumerate(cases):
        ZL_in, Y_in = ZL.copy(), Y.copy()
        with np.errstate(all="ignore"):
            out, message = _call(name, softmax_cost, ZL_in, Y_in)
        if message:
            print(message)
            return False
        J_want, dZ_want = network._reference_softmax_cost(ZL, Y)

        def fail(problem, where=where):
            return _result(name, f"{where}: {problem}", len(cases))

        J, dZ, problem = _unpack(out)
        if problem:
            return fail(problem)
        if dZ.shape != ZL.shape:
            hint = " (transposed?)" if dZ.shape == ZL.shape[::-1] else ""
            return fail(f"dZ has shape {dZ.shape}, expected ZL's shape {ZL.shape}{hint}.")
        if not (np.array_equal(ZL_in, ZL) and np.array_equal(Y_in, Y)):
            return fail("your function changed ZL or Y in place: compute into new arrays.")
        ordinary = i < 2
        J_ok = np.isclose(J, J_want, rtol=_RTOL, atol=_ATOL) or (not ordinary and "underflows" in where
                                                                 and np.isfinite(J) and J > 0)
        if not J_ok:
            if ordinary:
                for wrong, hint in _cost_J_slips(ZL, Y):
                    if np.isclose(J, wrong, rtol=1e-6, atol=1e-9):
                        return fail(f"J = {J:.6f}, expected {J_want:.6f}. Hint: {hint}")
                return fail(f"J = {J:.6f}, expected {J_want:.6f} = −1/m Σ_i Σ_k y_k log softmax(z)_k.")
            if "underflows" in where and not np.isfinite(J):
                return fail(f"J = {J}: the true class's probability e^-1000 underflows to 0, and log 0 = −inf "
                            "(0 · log 0 gives NaN). Hint: take the log-softmax directly, log a_k = (z_k − max) − "
                            "log Σ_j e^(z_j − max), which never takes the log of 0 (or clip A before the log).")
            if not np.isfinite(J):
                return fail(f"J = {J}: e^1000 overflows. Hint: shift each column by its max before exponentiating.")
            return fail(f"J = {J:.6f}, expected {J_want:.6f}.")
        if np.allclose(dZ, dZ_want, rtol=_RTOL, atol=_ATOL):
            continue
        if not np.all(np.isfinite(dZ)):
            return fail("dZ holds NaN or inf: e^1000 overflows. Hint: compute A with the max shift, "
                        "A = softmax(ZL - ZL.max(axis=0, keepdims=True)), then dZ = A − Y.")
        for wrong, hint in _cost_dZ_slips(ZL, Y):
            with np.errstate(all="ignore"):
                if np.all(np.isfinite(wrong)) and np.allclose(dZ, wrong, rtol=1e-6, atol=1e-9):
                    return fail(f"J is right, dZ is not. Hint: {hint}")
        return fail(f"J is right, but dZ differs from A − Y by up to {np.max(np.abs(dZ - dZ_want)):.3g}.")
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- references for use_if_passed
def softmax(Z: np.ndarray) -> np.ndarray:
    """Exercise 1's answer: column-wise softmax of Z (C, m), shifted by each column's max.

    Written out rather than calling network.softmax: inside network.substituted(softmax=...) that name is
    the substituted function, so calling it from here would call this function again."""
    return _column_softmax(Z)


def softmax_cost(ZL: np.ndarray, Y: np.ndarray):
    """Exercise 2's answer: (J, dZL) with J = −1/m Σ_i Σ_k y_k log softmax(z)_k (log-softmax shifted by the
    max) and dZL = softmax(ZL) − Y (no 1/m: the course's convention). ZL, Y: (C, m)."""
    return network._reference_softmax_cost(ZL, Y)
