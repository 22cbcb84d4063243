"""The exponentially weighted average, one small function shared by the labs.

v_0 = 0,  v_t = beta v_{t-1} + (1 - beta) theta_t  for t = 1, 2, ...;  bias-corrected: v_t / (1 - beta^t).

Lab 06 smooths noisy series and mini-batch cost curves with it; the same recursion is momentum's
velocity and Adam's moments (``helpers.optim``) and batch normalization's running statistics.
"""
from __future__ import annotations

import numpy as np

from .validation import as_number


def ewa(values, beta: float, bias_correction: bool = True) -> np.ndarray:
    """The exponentially weighted averages v_1 ... v_T of a 1-D series theta_1 ... theta_T.

    values: T >= 1 finite numbers (a list or a 1-D array). beta in [0, 1): the weight of the past;
    the average runs over about 1 / (1 - beta) values. bias_correction=True divides v_t by 1 - beta^t
    (t counted from 1), which undoes the pull towards the starting value v_0 = 0 in the first steps.
    Returns a float64 array of shape (T,); values is not modified.
    """
    beta = as_number(beta, "beta")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1); got {beta!r}")
    if not isinstance(bias_correction, (bool, np.bool_)):
        raise TypeError(f"bias_correction must be True or False; got {bias_correction!r}")
    theta = np.asarray(values, dtype=np.float64)
    if theta.ndim != 1:
        raise ValueError(f"values must be a 1-D series theta_1 ... theta_T; got shape {theta.shape} "
                         "(average each series separately, e.g. one row at a time)")
    if theta.size == 0:
        raise ValueError("values is empty: ewa needs at least one value")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"values must be finite; got NaN or inf at index {int(np.argmin(np.isfinite(theta)))}")
    v = np.empty_like(theta)
    running = 0.0
    for t, value in enumerate(theta):
        running = beta * running + (1 - beta) * value
        v[t] = running
    if bias_correction:
        v /= 1 - beta ** np.arange(1, theta.size + 1)
    return v
