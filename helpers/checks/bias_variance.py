"""Checks for lab 01's exercises: the train/dev/test split and the bias/variance diagnosis."""
from __future__ import annotations

import numpy as np

from ..bias_variance import diagnose
from ._core import _call, _result


def _split_problem(out, X, Y, dev_fraction, test_fraction) -> str | None:
    if not isinstance(out, (tuple, list)) or len(out) != 6:
        return "return six arrays: X_train, Y_train, X_dev, Y_dev, X_test, Y_test."
    n_x, m = X.shape
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    sizes = {"train": m - n_dev - n_test, "dev": n_dev, "test": n_test}
    parts = dict(zip(("train", "dev", "test"), zip(out[0::2], out[1::2])))
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
    ids = np.concatenate([np.asarray(parts[p][0])[0] for p in parts])
    if sorted(ids.tolist()) != list(range(m)):
        return "some examples appear twice or are missing: the three sets must partition the m columns."
    for part, (Xp, Yp) in parts.items():
        if not np.array_equal(np.asarray(Yp)[0], Y[0, np.asarray(Xp)[0].astype(int)]):
            return f"in the {part} set, labels no longer match their examples: use the same indices for X and Y."
    if np.array_equal(ids, np.arange(m)):
        return "the sets are cut in the original order: shuffle first (rng.permutation(m)), so dev/test are a fair sample."
    return None


def check_split(split) -> bool:
    """Exercise: split(X, Y, rng, dev_fraction, test_fraction) -> X_train, Y_train, X_dev, Y_dev, X_test, Y_test."""
    name = "check_split"
    cases = [(3, 50, 0.2, 0.2), (2, 101, 0.1, 0.3), (5, 400, 0.25, 0.25), (2, 37, 0.3, 0.1)]
    for i, (n_x, m, f_dev, f_test) in enumerate(cases, 1):
        rng = np.random.default_rng(100 + i)
        X = np.vstack([np.arange(m), rng.standard_normal((n_x - 1, m))])  # row 0 = example id
        Y = rng.integers(0, 2, (1, m))
        out, message = _call(name, split, X, Y, np.random.default_rng(i), f_dev, f_test)
        if message:
            print(message)
            return False
        problem = _split_problem(out, X, Y, f_dev, f_test)
        if problem:
            return _result(name, f"case {i} (n_x={n_x}, m={m}, dev={f_dev}, test={f_test}): {problem}", len(cases))
    return _result(name, None, len(cases))


def check_diagnose(learner_diagnose) -> bool:
    """Exercise: diagnose(train_error, dev_error, bayes_error) -> one of the four case names."""
    name = "check_diagnose"
    cases = [(0.01, 0.11, 0.0), (0.15, 0.16, 0.0), (0.15, 0.30, 0.0), (0.005, 0.01, 0.0),
             (0.15, 0.16, 0.14), (0.10, 0.25, 0.10), (0.22, 0.23, 0.02), (0.12, 0.125, 0.11)]
    hints = {
        "high bias": "compare train error with Bayes error: the gap train - Bayes is the avoidable bias.",
        "high variance": "compare dev error with train error: the gap dev - train is the variance.",
        "high bias and high variance": "both gaps can be large at once; check each separately.",
        "low bias and low variance": "when both gaps are within two points, neither is high.",
    }
    for i, (train, dev, bayes) in enumerate(cases, 1):
        got, message = _call(name, learner_diagnose, train, dev, bayes)
        if message:
            print(message)
            return False
        want = diagnose(train, dev, bayes)
        if got != want:
            return _result(name, f"train {train:.1%}, dev {dev:.1%}, Bayes {bayes:.1%}: expected {want!r}, "
                                 f"got {got!r}. Hint: {hints[want]}", len(cases))
    return _result(name, None, len(cases))
