"""Update rules. Each has one signature, ``rule(params, grads, state, learning_rate) -> state``:
it updates params in place (W := W - learning_rate * step) and keeps whatever it remembers between
steps (velocities, moments, the step count t) in the dict ``state``, which starts empty.
Later labs add momentum, RMSprop and Adam here with the same signature.
"""
from __future__ import annotations

import numpy as np

from .validation import check_positive


def _start_step(params: dict, grads: dict, state: dict, learning_rate: float, **betas) -> int:
    """Check the step's inputs and return its number t (1, 2, ...), kept in state["t"].

    Scalars are checked every step (cheap); gradient shapes on the first step, when a mistake is made.
    """
    check_positive(learning_rate, "learning_rate")
    for name, beta in betas.items():
        if not 0 <= beta < 1:
            raise ValueError(f"{name} must be in [0, 1); got {beta!r}")
    t = state.get("t", 0) + 1
    if t == 1:
        for key, value in params.items():
            grad = grads.get("d" + key)
            if grad is None or np.shape(grad) != np.shape(value):
                raise ValueError(f"grads['d{key}'] must have the shape of params['{key}'] {np.shape(value)}; "
                                 f"got {None if grad is None else np.shape(grad)}")
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


def adam(params: dict, grads: dict, state: dict, learning_rate: float, beta1: float = 0.9,
         beta2: float = 0.999, epsilon: float = 1e-8) -> dict:
    """Adam: momentum v and RMS s of the gradients, bias-corrected by 1 - beta^t, then
    W := W - alpha v_hat / (sqrt(s_hat) + epsilon)."""
    v = state.setdefault("v", {k: np.zeros_like(p) for k, p in params.items()})
    s = state.setdefault("s", {k: np.zeros_like(p) for k, p in params.items()})
    t = _start_step(params, grads, state, learning_rate, beta1=beta1, beta2=beta2)
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
