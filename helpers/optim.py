"""Update rules. Each has one signature, ``rule(params, grads, state, learning_rate) -> state``:
it updates params in place (W := W - learning_rate * step) and keeps whatever it remembers between
steps (velocities, moments, the step count t) in the dict ``state``, which starts empty.
Gradient descent, momentum, RMSprop and Adam, each in the course's form (lab 07 compares them with torch.optim).
"""
from __future__ import annotations

import numpy as np

from .validation import check_fraction, check_positive


def _start_step(params: dict, grads: dict, state: dict, learning_rate: float, **betas) -> int:
    """Check the step's inputs and return its number t (1, 2, ...), kept in state["t"].

    Scalars are checked every step (cheap); arrays on the first step, when a mistake is made: params must
    be float arrays (a rule writes into them), grads numeric arrays of the same shapes.
    """
    for name, value in (("params", params), ("grads", grads), ("state", state)):
        if not isinstance(value, dict):
            what = "start with state = {}" if name == "state" else "keyed W1, b1, ..."
            raise TypeError(f"{name} must be a dict ({what}); got {type(value).__name__}")
    check_positive(learning_rate, "learning_rate")
    for name, beta in betas.items():
        check_fraction(beta, name, high_open=True)
    t = state.get("t", 0) + 1
    if t == 1:
        for key, value in params.items():
            if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.floating):
                raise TypeError(f"params['{key}'] must be a float numpy array (the rule updates it in place); got "
                                f"{type(value).__name__} of dtype {np.asarray(value).dtype} (use .astype(float))")
            grad = grads.get("d" + key)
            if grad is None or np.shape(grad) != np.shape(value):
                raise ValueError(f"grads['d{key}'] must have the shape of params['{key}'] {np.shape(value)}; "
                                 f"got {None if grad is None else np.shape(grad)}")
            grad_dtype = np.asarray(grad).dtype
            if not (np.issubdtype(grad_dtype, np.floating) or np.issubdtype(grad_dtype, np.integer)):
                raise TypeError(f"grads['d{key}'] must be an array of numbers; got dtype {grad_dtype}")
    state["t"] = t
    return t


def gradient_descent(params: dict, grads: dict, state: dict, learning_rate: float) -> dict:
    """W := W - alpha dW, b := b - alpha db for every parameter; state holds only the step count t."""
    _start_step(params, grads, state, learning_rate)
    for key, value in params.items():
        value -= learning_rate * grads["d" + key]
    return state


def momentum(params: dict, grads: dict, state: dict, learning_rate: float, beta: float = 0.9) -> dict:
    """v := beta v + (1 - beta) dW;  W := W - alpha v  (the course's convention; PyTorch drops 1 - beta)."""
    _start_step(params, grads, state, learning_rate, beta=beta)
    v = state.setdefault("v", {k: np.zeros_like(p) for k, p in params.items()})
    for key, value in params.items():
        v[key] *= beta
        v[key] += (1 - beta) * grads["d" + key]
        value -= learning_rate * v[key]
    return state


def rmsprop(params: dict, grads: dict, state: dict, learning_rate: float, beta: float = 0.9,
            epsilon: float = 1e-8) -> dict:
    """RMSprop: s := beta s + (1 - beta) dW**2;  W := W - alpha dW / (sqrt(s) + epsilon), epsilon outside the root.

    torch.optim.RMSprop(lr=alpha, alpha=beta, eps=epsilon) computes the same step (its alpha is our beta, its
    eps is also added after the square root)."""
    _start_step(params, grads, state, learning_rate, beta=beta)
    s = state.setdefault("s", {k: np.zeros_like(p) for k, p in params.items()})
    check_positive(epsilon, "epsilon")
    for key, value in params.items():
        g = grads["d" + key]
        s[key] *= beta
        s[key] += (1 - beta) * g * g
        value -= learning_rate * g / (np.sqrt(s[key]) + epsilon)
    return state


def adam(params: dict, grads: dict, state: dict, learning_rate: float, beta1: float = 0.9,
         beta2: float = 0.999, epsilon: float = 1e-8) -> dict:
    """Adam: momentum v and RMS s of the gradients, bias-corrected by 1 - beta^t, then
    W := W - alpha v_hat / (sqrt(s_hat) + epsilon)."""
    t = _start_step(params, grads, state, learning_rate, beta1=beta1, beta2=beta2)
    v = state.setdefault("v", {k: np.zeros_like(p) for k, p in params.items()})
    s = state.setdefault("s", {k: np.zeros_like(p) for k, p in params.items()})
    check_positive(epsilon, "epsilon")
    for key, value in params.items():
        g = grads["d" + key]
        v[key] *= beta1
        v[key] += (1 - beta1) * g
        s[key] *= beta2
        s[key] += (1 - beta2) * g * g
        v_hat = v[key] / (1 - beta1 ** t)
        s_hat = s[key] / (1 - beta2 ** t)
        value -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return state
