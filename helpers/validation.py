"""Input checks shared by every public helper.

Each check raises ``ValueError`` with a message that names what was expected, so a learner who passes
X as (m, n_x) or keep_prob=0 is told exactly what to fix instead of getting silently wrong numbers.
"""
from __future__ import annotations

import numpy as np


def as_matrix(X, name: str = "X", rows: int | None = None) -> np.ndarray:
    """Return X as a finite 2-D float array of shape (rows, m); raise ValueError otherwise."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D with shape (n_x, m), one example per column; got shape {X.shape}")
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    if rows is not None and X.shape[0] != rows:
        hint = " (did you pass it transposed, as (m, n_x)?)" if X.shape[1] == rows else ""
        raise ValueError(f"{name} must have shape ({rows}, m); got {X.shape}{hint}")
    if X.shape[1] == 0:
        raise ValueError(f"{name} has no examples (shape {X.shape}); expected at least one column")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf; expected finite values")
    return X


def as_labels(Y, m: int, rows: int | None = None, name: str = "Y") -> np.ndarray:
    """Return Y as a finite 2-D array with m columns (shape (rows, m)); raise ValueError otherwise."""
    Y = np.asarray(Y)
    if Y.ndim == 1:
        raise ValueError(f"{name} must be 2-D with shape ({rows if rows is not None else 'n_y'}, {m}); "
                         f"got a 1-D array of shape {Y.shape} (use Y.reshape(1, -1))")
    expected = f"({rows if rows is not None else 'n_y'}, {m})"
    if Y.ndim != 2 or Y.shape[1] != m or (rows is not None and Y.shape[0] != rows):
        raise ValueError(f"{name} must have shape {expected} to match X's {m} examples; got {Y.shape}")
    if not np.all(np.isfinite(Y)):
        raise ValueError(f"{name} contains NaN or inf; expected labels in [0, 1]")
    if np.any((Y < 0) | (Y > 1)):
        raise ValueError(f"{name} must hold labels in [0, 1] (0/1 or one-hot columns); got values in "
                         f"[{Y.min()}, {Y.max()}]")
    return Y


def as_examples(X, Y, name_X: str = "X", name_Y: str = "Y"):
    """Check a data set given as X (n_x, m) and labels Y (n_y, m) together; return (X, Y).

    When X's rows match Y's columns (X given as (m, n_x)), the error says so, rather than blaming Y.
    """
    X, Y_arr = np.asarray(X), np.asarray(Y)
    if X.ndim == 2 and Y_arr.ndim == 2 and X.shape[1] != Y_arr.shape[1] and X.shape[0] == Y_arr.shape[1]:
        raise ValueError(f"{name_X} must have shape (n_x, m) with m = {Y_arr.shape[1]} examples as columns, like "
                         f"{name_Y} {Y_arr.shape}; got {X.shape}: did you pass it transposed, as (m, n_x)?")
    X = as_matrix(X, name_X)
    return X, as_labels(Y_arr, X.shape[1], name=name_Y)


def check_keep_prob(keep_prob, n_hidden: int) -> tuple[float, ...]:
    """Return one keep_prob per hidden layer, each in (0, 1]; raise ValueError otherwise."""
    values = np.atleast_1d(np.asarray(keep_prob, dtype=float))
    if values.ndim != 1 or len(values) not in (1, n_hidden):
        raise ValueError(f"keep_prob must be a number or a sequence of {n_hidden} numbers (one per hidden "
                         f"layer); got {keep_prob!r}")
    if np.any(~np.isfinite(values)) or np.any(values <= 0) or np.any(values > 1):
        raise ValueError(f"keep_prob must be in (0, 1] (1 means no dropout); got {keep_prob!r}")
    if len(values) == 1:
        values = np.repeat(values, n_hidden)
    return tuple(float(v) for v in values)


def check_nonnegative(value, name: str) -> float:
    """Return value as a float >= 0; raise ValueError for negatives, NaN or inf."""
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value}")
    return value


def check_positive(value, name: str) -> float:
    """Return value as a float > 0; raise ValueError otherwise."""
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value}")
    return value


def check_choice(value, name: str, choices) -> str:
    """Return value if it is one of choices; raise ValueError naming the choices otherwise."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}; got {value!r}")
    return value


def check_rng(rng) -> np.random.Generator:
    """Require a numpy Generator (no global random state anywhere in the labs)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
                         f"got {type(rng).__name__}")
    return rng
