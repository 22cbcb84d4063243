"""Input checks shared by every public helper.

Each check raises an error whose message names the argument and what was expected, so a learner who
passes X as (m, n_x), keep_prob=0 or learning_rate="0.1" is told exactly what to fix instead of getting
silently wrong numbers. A value of the wrong kind (a string or None for a number, a non-numeric array)
raises ``TypeError``; a value of the right kind outside its range or of the wrong shape raises ``ValueError``.
A value that passes a check is the value used: the checks return it, converted only where conversion
cannot change a result (integers to float64, booleans to integers).
"""
from __future__ import annotations

import math
import numbers

import numpy as np


# ---------------------------------------------------------------- numbers
def as_number(value, name: str) -> float:
    """Return a real number (Python or numpy scalar, or a 0-d array) as a float; raise TypeError otherwise.

    Strings, None and booleans are refused rather than converted, so "0.1" is never silently read as 0.1.
    """
    if type(value) is float or type(value) is int:  # the common case, checked first: update rules call this every step
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        hint = f" (write {value}, without quotes)" if isinstance(value, str) and _is_float_text(value) else ""
        raise TypeError(f"{name} must be a number; got {type(value).__name__} {value!r}{hint}")
    return float(value)


def _is_float_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_nonnegative(value, name: str) -> float:
    """Return value as a float >= 0; TypeError if it is not a number, ValueError for negatives, NaN or inf."""
    number = as_number(value, name)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return number


def check_positive(value, name: str) -> float:
    """Return value as a float > 0; TypeError if it is not a number, ValueError otherwise."""
    number = as_number(value, name)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    return number


def check_fraction(value, name: str, low_open: bool = False, high_open: bool = False) -> float:
    """Return value as a float in [0, 1] ((0, ...] / [..., 1) with low_open / high_open); raise otherwise."""
    number = as_number(value, name)
    above_low = number > 0 if low_open else number >= 0
    below_high = number < 1 if high_open else number <= 1
    if not (math.isfinite(number) and above_low and below_high):
        interval = f"{'(' if low_open else '['}0, 1{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {interval}; got {value!r}")
    return number


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    """Return value as an int >= minimum (an integral float such as 100.0 is accepted); raise otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


# ---------------------------------------------------------------- arrays
def _numeric_array(X, name: str) -> np.ndarray:
    """np.asarray(X) with a real numeric dtype (booleans become integers); TypeError for anything else."""
    X = np.asarray(X)
    if X.dtype == bool:
        return X.astype(np.int64)
    if np.issubdtype(X.dtype, np.integer) or np.issubdtype(X.dtype, np.floating):
        return X
    if X.dtype == object:
        try:
            return X.astype(np.float64)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be an array of real numbers; got dtype {X.dtype}")


def as_matrix(X, name: str = "X", rows: int | None = None) -> np.ndarray:
    """Return X as a finite 2-D float array of shape (rows, m); raise ValueError (TypeError) otherwise."""
    X = _numeric_array(X, name)
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


def as_labels(Y, m: int, rows: int | None = None, name: str = "Y", one_hot: bool = False) -> np.ndarray:
    """Return Y as a finite 2-D array with m columns (shape (rows, m)); raise ValueError otherwise.

    Values must lie in [0, 1]. one_hot=True (labels for a softmax output, whose gradient dZ = A - Y holds
    only for them) also requires every column to sum to 1: a one-hot column, or a probability column.
    Boolean labels become integers (so -Y and 1 - Y mean what they should).
    """
    Y = _numeric_array(Y, name)
    shape_text = f"({rows if rows is not None else 'n_y'}, {m})"
    if Y.ndim == 1:
        raise ValueError(f"{name} must be 2-D with shape {shape_text}; got a 1-D array of shape {Y.shape} "
                         "(use Y.reshape(1, -1))")
    if Y.ndim != 2 or Y.shape[1] != m or (rows is not None and Y.shape[0] != rows):
        raise ValueError(f"{name} must have shape {shape_text} to match X's {m} examples; got {Y.shape}")
    if not np.all(np.isfinite(Y)):
        raise ValueError(f"{name} contains NaN or inf; expected labels in [0, 1]")
    if np.any((Y < 0) | (Y > 1)):
        raise ValueError(f"{name} must hold labels in [0, 1] (0/1 or one-hot columns); got values in "
                         f"[{Y.min()}, {Y.max()}]")
    if one_hot:
        sums = Y.sum(axis=0)
        tol = 1e-6 if not np.issubdtype(Y.dtype, np.floating) else max(1e-6, 10 * Y.shape[0] * np.finfo(Y.dtype).eps)
        bad = np.flatnonzero(np.abs(sums - 1) > tol)
        if bad.size:
            raise ValueError(f"{name}'s columns must be one-hot (or probabilities) summing to 1 for a softmax "
                             f"output; column {bad[0]} sums to {sums[bad[0]]:g} ({bad.size} of {m} columns do not)")
    return Y


def as_hard_labels(Y, m: int, name: str = "Y") -> np.ndarray:
    """Return (1, m) integer class labels from Y given as 0/1 (1, m) or one-hot (C, m); raise otherwise.

    Soft labels (0.7, or a column of probabilities) have no single class, so they are refused here.
    """
    Y = as_labels(Y, m, name=name)
    if Y.shape[0] == 1:
        if np.any((Y != 0) & (Y != 1)):
            raise ValueError(f"{name} must hold 0/1 labels to count correct predictions; got values such as "
                             f"{Y[(Y != 0) & (Y != 1)][0]}")
        return Y.astype(int)
    if np.any((Y != 0) & (Y != 1)) or np.any(Y.sum(axis=0) != 1):
        raise ValueError(f"{name} must be one-hot (one 1 per column, zeros elsewhere) to count correct predictions")
    return Y.argmax(axis=0).reshape(1, -1)


def as_examples(X, Y, name_X: str = "X", name_Y: str = "Y"):
    """Check a data set given as X (n_x, m) and labels Y (n_y, m) together; return (X, Y).

    When X's rows match Y's columns (X given as (m, n_x)), the error says so, rather than blaming Y.
    """
    X, Y_arr = _numeric_array(X, name_X), _numeric_array(Y, name_Y)
    if X.ndim == 2 and Y_arr.ndim == 2 and X.shape[1] != Y_arr.shape[1] and X.shape[0] == Y_arr.shape[1]:
        raise ValueError(f"{name_X} must have shape (n_x, m) with m = {Y_arr.shape[1]} examples as columns, like "
                         f"{name_Y} {Y_arr.shape}; got {X.shape}: did you pass it transposed, as (m, n_x)?")
    X = as_matrix(X, name_X)
    return X, as_labels(Y_arr, X.shape[1], name=name_Y)


# ---------------------------------------------------------------- hyperparameters
def check_keep_prob(keep_prob, n_hidden: int) -> tuple[float, ...]:
    """Return one keep_prob per hidden layer, each in (0, 1]; raise ValueError (TypeError) otherwise.

    Dropout acts on hidden layers only, so keep_prob < 1 on a network without hidden layers is an error.
    """
    if isinstance(keep_prob, np.ndarray) and keep_prob.ndim == 1 or isinstance(keep_prob, (list, tuple)):
        items = list(keep_prob)
    else:
        items = [keep_prob]  # a number (or a 0-d or 2-D array, refused below)
    for item in items:
        if isinstance(item, (list, tuple)) or (isinstance(item, np.ndarray) and item.ndim > 0):
            raise ValueError(f"keep_prob must be a number or a sequence of {n_hidden} numbers (one per hidden "
                             f"layer); got {keep_prob!r}")
    values = np.array([as_number(item, "keep_prob") for item in items])
    if len(values) not in (1, n_hidden):
        raise ValueError(f"keep_prob must be a number or a sequence of {n_hidden} numbers (one per hidden "
                         f"layer); got {keep_prob!r}")
    if np.any(~np.isfinite(values)) or np.any(values <= 0) or np.any(values > 1):
        raise ValueError(f"keep_prob must be in (0, 1] (1 means no dropout); got {keep_prob!r}")
    if n_hidden == 0 and np.any(values < 1):
        raise ValueError(f"keep_prob={keep_prob!r} asks for dropout, but the network has no hidden layer "
                         "(dropout acts on hidden units only): use keep_prob=1 or add a hidden layer")
    if len(values) == 1:
        values = np.repeat(values, n_hidden)
    return tuple(float(v) for v in values)


def check_choice(value, name: str, choices) -> str:
    """Return value if it is one of choices (strings); raise ValueError naming the choices otherwise."""
    if not isinstance(value, str) or value not in choices:
        hint = ""
        if isinstance(value, str) and value.lower() in choices:
            hint = f" (names are lower case: {value.lower()!r})"
        raise ValueError(f"{name} must be one of {sorted(choices)}; got {value!r}{hint}")
    return value


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """Require a numpy Generator (no global random state anywhere in the labs)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"{name} must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
                         f"got {type(rng).__name__}")
    return rng


def check_float_dtype(dtype, name: str = "dtype") -> np.dtype:
    """Return np.dtype(dtype) if it is a floating type (float32, float64); raise TypeError otherwise."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be a float dtype such as np.float64 or np.float32; got {dtype!r}") from None
    if not np.issubdtype(resolved, np.floating):
        raise TypeError(f"{name} must be a float dtype such as np.float64 or np.float32; got {resolved} "
                        "(an integer dtype would truncate every weight)")
    return resolved
