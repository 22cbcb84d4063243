"""The bias/variance diagnosis of lab 01, as the lectures state it."""
from __future__ import annotations

from .validation import check_nonnegative

DIAGNOSES = ("high bias", "high variance", "high bias and high variance", "low bias and low variance")


def diagnose(train_error: float, dev_error: float, bayes_error: float = 0.0, tolerance: float = 0.02) -> str:
    """Name the case from errors given as fractions in [0, 1].

    avoidable bias = train_error - bayes_error; variance = dev_error - train_error. Each is "high"
    when it exceeds tolerance (default two percentage points).
    """
    errors = {}
    for name, value in (("train_error", train_error), ("dev_error", dev_error), ("bayes_error", bayes_error)):
        errors[name] = check_nonnegative(value, name)  # a number (not "0.15"), finite, >= 0
        if errors[name] > 1:
            raise ValueError(f"{name} must be a fraction in [0, 1] (write 15 % as 0.15); got {value}")
    train_error, dev_error, bayes_error = errors["train_error"], errors["dev_error"], errors["bayes_error"]
    tolerance = check_nonnegative(tolerance, "tolerance")
    high_bias = train_error - bayes_error > tolerance
    high_variance = dev_error - train_error > tolerance
    if high_bias and high_variance:
        return "high bias and high variance"
    if high_bias:
        return "high bias"
    if high_variance:
        return "high variance"
    return "low bias and low variance"


RECIPE = {
    "high bias": "bigger network (more units or layers), train longer, or a better architecture",
    "high variance": "more data, regularization (L2, dropout, augmentation), or a better architecture",
    "high bias and high variance": "fix the bias first (bigger network), then the variance (more data, regularization)",
    "low bias and low variance": "done: the model is close to Bayes error on train and dev",
}
