"""Checks for lab 01's exercises: the train/dev/test split and the bias/variance diagnosis."""
from __future__ import annotations

import numpy as np

from ..bias_variance import DIAGNOSES, diagnose
from ..datasets import train_dev_test_split
from ._core import _call, _result

_PARTS = ("train", "dev", "test")


# ---------------------------------------------------------------- split
def _split_shape_problem(out, X, Y, dev_fraction, test_fraction) -> str | None:
    """Six arrays of the right shapes that partition the m columns, labels still with their examples."""
    if not isinstance(out, (tuple, list)) or len(out) != 6:
        return "return six arrays: X_train, Y_train, X_dev, Y_dev, X_test, Y_test."
    n_x, m = X.shape
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    sizes = {"train": m - n_dev - n_test, "dev": n_dev, "test": n_test}
    parts = dict(zip(_PARTS, zip(out[0::2], out[1::2], strict=True), strict=True))
    for part, (Xp, Yp) in parts.items():
        Xp, Yp = np.asarray(Xp), np.asarray(Yp)
        want = (n_x, sizes[part])
        if Xp.shape != want:
            if Xp.shape[::-1] == want or (Xp.ndim == 2 and Xp.shape[1] == n_x):
                return (f"X_{part} has shape {Xp.shape}, expected {want}. Examples are columns: select "
                        f"columns with X[:, idx], not rows.")
            return (f"X_{part} has shape {Xp.shape}, expected {want} "
                    f"({part} size = round(fraction * m), train gets the rest).")
        if Yp.shape != (1, sizes[part]):
            return f"Y_{part} has shape {Yp.shape}, expected {(1, sizes[part])}; index Y with the same columns as X."
    ids = np.concatenate([np.asarray(parts[p][0])[0] for p in _PARTS])
    if sorted(ids.tolist()) != list(range(m)):
        return "some examples appear twice or are missing: the three sets must partition the m columns."
    for part, (Xp, Yp) in parts.items():
        if not np.array_equal(np.asarray(Yp)[0], Y[0, np.asarray(Xp)[0].astype(int)]):
            return f"in the {part} set, labels no longer match their examples: use the same indices for X and Y."
    return None


def _ids(out) -> dict:
    """{part: example ids (row 0 of X) in the order returned}."""
    return {p: np.asarray(out[2 * k])[0].astype(int) for k, p in enumerate(_PARTS)}


def _unshuffled(ids: dict) -> bool:
    """True when every set is one block of consecutive columns of X, in whatever order the blocks come."""
    return all(len(v) == 0 or np.array_equal(np.sort(v), np.arange(v.min(), v.min() + len(v))) for v in ids.values())


def _same_sets(a: dict, b: dict) -> bool:
    return all(np.array_equal(np.sort(a[p]), np.sort(b[p])) for p in _PARTS)


def _split_problem(split, X, Y, seed: int, dev_fraction, test_fraction) -> tuple[str | None, str | None]:
    """(problem, crash message) for one case: shapes, partition, shuffling, use of rng, and the cut."""
    calls = []
    for s in (seed, seed, seed + 1000):  # twice the same seed, then another one
        out, message = _call("check_split", split, X, Y, np.random.default_rng(s), dev_fraction, test_fraction)
        if message and "IndexError" in message and "axis 0" in message:  # X[idx] picks rows (features)
            message += " Hint: examples are columns, so select them with X[:, idx] and Y[:, idx]."
        if message:
            return None, message
        problem = _split_shape_problem(out, X, Y, dev_fraction, test_fraction)
        if problem:
            return problem, None
        calls.append(_ids(out))
    first, again, other = calls
    if _unshuffled(first):
        return ("each set is a block of consecutive columns, cut in the original order: shuffle first "
                "(order = rng.permutation(m)), so dev and test are a fair sample of the data."), None
    if not _same_sets(first, again):
        return ("two generators with the same seed gave different sets: draw the shuffle from the rng "
                "passed in (rng.permutation(m)), not from np.random."), None
    if _same_sets(first, other):
        return ("generators with different seeds gave the same sets: your split ignores the rng argument "
                "(did you make your own np.random.default_rng(...)?). Use the rng passed in: rng.permutation(m)."), None
    reference = _ids(train_dev_test_split(X, Y, np.random.default_rng(seed), dev_fraction, test_fraction))
    if not _same_sets(first, reference):
        order = np.random.default_rng(seed).permutation(X.shape[1])
        if np.array_equal(np.sort(first["train"]), np.sort(order[:len(first["train"])])):
            return ("you took train from the front of the permutation: take dev first, then test, and "
                    "train gets the rest (order[:n_dev], order[n_dev:n_dev + n_test], order[n_dev + n_test:])."), None
        return ("a shuffled split, but not the one the exercise asks for: order = rng.permutation(m) once, "
                "then dev = order[:n_dev], test = order[n_dev:n_dev + n_test], train = the rest."), None
    return None, None


def check_split(split) -> bool:
    """Exercise: split(X, Y, rng, dev_fraction, test_fraction) -> X_train, Y_train, X_dev, Y_dev, X_test, Y_test.

    Besides shapes and labels, it catches a cut without a shuffle (in any order of the three blocks), a
    shuffle that ignores the given rng (np.random, or a generator of its own), and a cut in another order.
    """
    name = "check_split"
    cases = [(3, 50, 0.2, 0.2), (2, 101, 0.1, 0.3), (5, 400, 0.25, 0.25), (2, 37, 0.3, 0.1)]
    for i, (n_x, m, f_dev, f_test) in enumerate(cases, 1):
        rng = np.random.default_rng(100 + i)
        X = np.vstack([np.arange(m), rng.standard_normal((n_x - 1, m))])  # row 0 = example id
        Y = rng.integers(0, 2, (1, m))
        problem, message = _split_problem(split, X, Y, i, f_dev, f_test)
        if message:
            print(message)
            return False
        if problem:
            return _result(name, f"case {i} (n_x={n_x}, m={m}, dev={f_dev}, test={f_test}): {problem}", len(cases))
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- diagnose
# (train, dev, Bayes). Besides the lecture's four cases, gaps of 1.5, 3, 4 and 7 points (a tolerance of 1, 3,
# 5 or 10 points gives another answer), gaps of exactly 0.02 (0.02 - 0.0 is exactly 0.02 in floating point, unlike
# 0.12 - 0.10), a training error below Bayes, and dev - Bayes above the line while dev - train is not.
DIAGNOSE_CASES = [
    (0.01, 0.11, 0.0), (0.15, 0.16, 0.0), (0.15, 0.30, 0.0), (0.005, 0.01, 0.0),
    (0.15, 0.16, 0.14), (0.10, 0.25, 0.10), (0.22, 0.23, 0.02), (0.12, 0.125, 0.11),
    (0.13, 0.135, 0.10), (0.10, 0.13, 0.10), (0.115, 0.13, 0.10), (0.02, 0.03, 0.0),
    (0.0, 0.02, 0.0), (0.05, 0.20, 0.10), (0.11, 0.125, 0.10), (0.14, 0.145, 0.10), (0.10, 0.17, 0.10),
]


def _named(high_bias: bool, high_variance: bool) -> str:
    return DIAGNOSES[{(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[(high_bias, high_variance)]]


def _slip(bias, variance, high=lambda gap: gap > 0.02):
    """A diagnosis built from two gap formulas (functions of train, dev, Bayes) and a test of 'high'."""
    return lambda t, d, b: _named(bool(high(bias(t, d, b))), bool(high(variance(t, d, b))))


def _bias(t, d, b):
    return t - b


def _variance(t, d, b):
    return d - t


# Common wrong answers and the hint that names each. A learner whose answers match one of these on every
# case gets its hint; otherwise the hint of the case's expected diagnosis.
DIAGNOSE_SLIPS = [
    (_slip(_bias, lambda t, d, b: d - b),
     "you measured variance as dev - Bayes; variance is dev - train (how much worse the model does on data "
     "it did not train on), the avoidable bias is train - Bayes."),
    (_slip(lambda t, d, b: d - b, _variance),
     "you measured the avoidable bias as dev - Bayes; it is train - Bayes (how far the training error is "
     "from the best possible)."),
    (_slip(lambda t, d, b: t, _variance),
     "you compared the training error with 0, not with the Bayes error: the avoidable bias is train - Bayes "
     "(with Bayes error 14 %, a 15 % training error is fine)."),
    (_slip(_variance, _bias),
     "the two gaps are swapped: train - Bayes is the (avoidable) bias, dev - train is the variance."),
    (_slip(lambda t, d, b: abs(t - b), _variance),
     "a training error below the Bayes error is not bias (the model fits label noise): compare train - Bayes "
     "itself with 0.02, not its absolute value."),
    (_slip(_bias, _variance, high=lambda gap: gap >= 0.02),
     "a gap of exactly two points is not 'more than two points': use gap > 0.02, not >=."),
    *[(_slip(_bias, _variance, high=lambda gap, tol=tol: gap > tol),
       f"your line between low and high looks like {tol} instead of 0.02: errors are fractions, so two "
       f"percentage points is 0.02." if tol >= 1 else
       f"your line between low and high looks like {tol:.0%} instead of two percentage points: compare each "
       f"gap with 0.02.")
      for tol in (0.01, 0.03, 0.05, 0.1, 1)],
]

_EXPECTED_HINTS = {
    "high bias": "compare train error with Bayes error: the gap train - Bayes is the avoidable bias.",
    "high variance": "compare dev error with train error: the gap dev - train is the variance.",
    "high bias and high variance": "both gaps can be large at once; check each separately.",
    "low bias and low variance": "when neither gap is more than two points (> 0.02), neither is high.",
}


def check_diagnose(learner_diagnose) -> bool:
    """Exercise: diagnose(train_error, dev_error, bayes_error) -> one of the four case names.

    A gap is high when it is more than 0.02 (``>``), as in ``helpers.bias_variance.diagnose``.
    """
    name = "check_diagnose"
    answers = []
    for train, dev, bayes in DIAGNOSE_CASES:
        got, message = _call(name, learner_diagnose, train, dev, bayes)
        if message:
            print(message)
            return False
        if got not in DIAGNOSES:
            return _result(name, f"train {train:.1%}, dev {dev:.1%}, Bayes {bayes:.1%}: got {got!r}; return "
                                 f"exactly one of {', '.join(map(repr, DIAGNOSES))}.", len(DIAGNOSE_CASES))
        answers.append(got)
    wrong = [(case, got) for case, got in zip(DIAGNOSE_CASES, answers, strict=True) if got != diagnose(*case)]
    if not wrong:
        return _result(name, None, len(DIAGNOSE_CASES))
    (train, dev, bayes), got = wrong[0]
    want = diagnose(train, dev, bayes)
    hint = next((h for slip, h in DIAGNOSE_SLIPS if [slip(*c) for c in DIAGNOSE_CASES] == answers), _EXPECTED_HINTS[want])
    return _result(name, f"train {train:.1%}, dev {dev:.1%}, Bayes {bayes:.1%}: expected {want!r}, got {got!r}. "
                         f"Hint: {hint}", len(DIAGNOSE_CASES))
