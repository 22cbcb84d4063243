"""An L-layer fully connected network in course notation, forward and backward.

Shapes: X is (n_x, m), one example per column; W{l} is (n[l], n[l-1]); b{l} is (n[l], 1);
parameters live in a dict keyed "W1", "b1", ..., gradients in a dict keyed "dW1", "db1", ....

Every layer is a pair ``*_forward -> (out, cache)`` / ``*_backward(d_out, cache)`` and one loop
composes them, so L2 (``lambd``) and inverted dropout (``keep_prob``) are switches on the same
network, not second copies. Batch norm can slot in after ``linear_forward`` in ``_layer_forward``.
"""
from __future__ import annotations

import numpy as np

from .validation import (as_labels, as_matrix, check_choice, check_keep_prob, check_nonnegative,
                         check_rng)

HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid")
OUTPUTS = ("sigmoid", "softmax")
INITIALIZERS = ("zeros", "random", "xavier", "he")


# ---------------------------------------------------------------- parameters
def initialize_parameters(layer_dims, method: str = "he", rng: np.random.Generator | None = None,
                          scale: float = 0.01, dtype=np.float64) -> dict:
    """Return {"W1": (n[1], n[0]), "b1": (n[1], 1), ...} for layer_dims = [n_x, n[1], ..., n[L]].

    method: "zeros" (all zero), "random" (N(0, 1) * scale; the course uses 0.01, lab 04 also 10),
    "xavier" (N(0, 1/n[l-1])) or "he" (N(0, 2/n[l-1])). Biases start at zero.
    """
    dims = [int(n) for n in layer_dims]
    if len(dims) < 2 or any(n < 1 for n in dims) or any(n != d for n, d in zip(dims, layer_dims)):
        raise ValueError(f"layer_dims must be a list of at least two positive integers [n_x, ..., n_y]; "
                         f"got {layer_dims!r}")
    check_choice(method, "method", INITIALIZERS)
    if method != "zeros":
        check_rng(rng)
    params = {}
    for l in range(1, len(dims)):
        shape = (dims[l], dims[l - 1])
        if method == "zeros":
            W = np.zeros(shape)
        else:
            std = {"random": scale, "xavier": np.sqrt(1.0 / dims[l - 1]),
                   "he": np.sqrt(2.0 / dims[l - 1])}[method]
            W = rng.standard_normal(shape) * std
        params[f"W{l}"] = W.astype(dtype, copy=False)
        params[f"b{l}"] = np.zeros((dims[l], 1), dtype=dtype)
    return params


def layer_dims_of(params: dict) -> list[int]:
    """Return [n_x, n[1], ..., n[L]] after checking every W{l}, b{l} shape; raise ValueError otherwise."""
    layers = {int(k[1:]) for k in params if k[:1] in "Wb" and k[1:].isdigit()}
    L = max(layers, default=0)
    if L == 0 or any(f"W{l}" not in params or f"b{l}" not in params for l in range(1, L + 1)):
        raise ValueError(f"params must hold W1, b1, ..., WL, bL; got keys {sorted(params)}")
    dims = []
    for l in range(1, L + 1):
        W, b = np.asarray(params[f"W{l}"]), np.asarray(params[f"b{l}"])
        if W.ndim != 2:
            raise ValueError(f"W{l} must be 2-D with shape (n[{l}], n[{l - 1}]); got {W.shape}")
        if dims and W.shape[1] != dims[-1]:
            raise ValueError(f"W{l} must have shape (n[{l}], {dims[-1]}); got {W.shape}")
        if not dims:
            dims.append(W.shape[1])
        if b.shape != (W.shape[0], 1):
            raise ValueError(f"b{l} must have shape ({W.shape[0]}, 1); got {b.shape}")
        dims.append(W.shape[0])
    return dims


def num_layers(params: dict) -> int:
    """L, the number of layers with weights (hidden layers + output layer); params already checked."""
    return sum(1 for k in params if k[:1] == "W" and k[1:].isdigit())


# ---------------------------------------------------------------- activations
def sigmoid(Z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-Z) without overflow for any finite Z."""
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise softmax of Z (C, m); each column sums to 1. Shifted by the max, so never overflows."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def activation_forward(Z: np.ndarray, kind: str) -> np.ndarray:
    """g(Z) for kind in relu / tanh / sigmoid / softmax."""
    if kind == "relu":
        return np.maximum(Z, 0)
    if kind == "tanh":
        return np.tanh(Z)
    if kind == "sigmoid":
        return sigmoid(Z)
    return softmax(Z)


def activation_backward(dA: np.ndarray, Z: np.ndarray, G: np.ndarray, kind: str) -> np.ndarray:
    """dZ = dA * g'(Z) for a hidden activation (G = g(Z) is reused where g' is cheaper from it)."""
    if kind == "relu":
        return dA * (Z > 0)
    if kind == "tanh":
        return dA * (1 - G * G)
    return dA * G * (1 - G)


# ---------------------------------------------------------------- layers
def linear_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Z = W A_prev + b: (n[l], n[l-1]) @ (n[l-1], m) + (n[l], 1) -> (n[l], m)."""
    Z = W @ A_prev
    Z += b
    return Z


def linear_backward(dZ: np.ndarray, A_prev: np.ndarray, W: np.ndarray, lambd: float = 0.0):
    """Return dA_prev (n[l-1], m), dW (n[l], n[l-1]), db (n[l], 1).

    dW = 1/m dZ A_prev^T + lambd/m W (the L2 term: "weight decay"), db = 1/m sum(dZ), dA_prev = W^T dZ.
    """
    dW, db = _linear_param_gradients(dZ, A_prev, W, lambd)
    return W.T @ dZ, dW, db


def _linear_param_gradients(dZ, A_prev, W, lambd):
    """dW = 1/m dZ A_prev^T + lambd/m W and db = 1/m sum(dZ): linear_backward without dA_prev.

    The first layer's backward step uses this alone: nothing needs dA[0] (the gradient w.r.t. X), and
    W[1]^T dZ[1] would be the step's largest matrix multiply. ``/=`` and ``+=`` reuse dW's memory.
    """
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T
    dW /= m
    if lambd:
        dW += (lambd / m) * W
    db = dZ.sum(axis=1, keepdims=True) / m
    return dW, db


def dropout_forward(A: np.ndarray, keep_prob: float, rng: np.random.Generator):
    """Inverted dropout: keep each unit with probability keep_prob and divide by keep_prob.

    Returns (A * D / keep_prob, D), D a fresh 0/1 mask of A's shape drawn from rng on every call.
    """
    D = rng.random(A.shape) < keep_prob
    return A * D / keep_prob, D


def dropout_backward(dA: np.ndarray, D: np.ndarray, keep_prob: float) -> np.ndarray:
    """Gradient through inverted dropout: the same mask and the same 1/keep_prob scaling."""
    return dA * D / keep_prob


# ---------------------------------------------------------------- the network
def forward(X, params: dict, hidden: str = "relu", output: str = "sigmoid", keep_prob=1.0,
            rng: np.random.Generator | None = None):
    """Forward pass of [LINEAR -> hidden]*(L-1) -> LINEAR -> output.

    X: (n_x, m). keep_prob: 1 (no dropout, always at test time), a number in (0, 1] for every hidden
    layer, or one per hidden layer; dropout needs rng. Returns (AL, cache): AL is (n[L], m), cache
    holds what ``backward`` and ``compute_cost`` need.
    """
    dims = layer_dims_of(params)
    X = as_matrix(X, "X", rows=dims[0])
    check_choice(hidden, "hidden", HIDDEN_ACTIVATIONS)
    check_choice(output, "output", OUTPUTS)
    if output == "softmax" and dims[-1] < 2:
        raise ValueError(f"a softmax output needs n[L] >= 2 classes; got n[L] = {dims[-1]}")
    keep = check_keep_prob(keep_prob, len(dims) - 2)
    if any(k < 1 for k in keep):
        check_rng(rng)
    return _forward(X, params, hidden, output, keep, rng)


def _forward(X, params, hidden, output, keep, rng):
    """forward() without input checks; keep is one keep_prob per hidden layer."""
    L = num_layers(params)
    layers = []
    A = X
    for l in range(1, L + 1):
        kind = hidden if l < L else output
        layer = _layer_forward(A, params[f"W{l}"], params[f"b{l}"], kind,
                               keep[l - 1] if l < L else 1.0, rng)
        layers.append(layer)
        A = layer["A"]
    return A, {"layers": layers, "params": params, "hidden": hidden, "output": output, "keep": keep}


def _layer_forward(A_prev, W, b, kind, keep_prob, rng):
    Z = linear_forward(A_prev, W, b)
    G = activation_forward(Z, kind)
    layer = {"A_prev": A_prev, "Z": Z, "G": G, "A": G}  # G = g(Z); A is G after dropout, if any
    if keep_prob < 1:
        layer["A"], layer["D"] = dropout_forward(G, keep_prob, rng)
        layer["keep_prob"] = keep_prob
    return layer


def cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray, output: str) -> float:
    """Mean cross-entropy over the m columns, computed from the logits ZL so it never overflows.

    sigmoid: -1/m sum[y log a + (1-y) log(1-a)] = 1/m sum[max(z,0) - z y + log(1 + e^-|z|)]
    softmax: -1/m sum_i sum_k y_k log softmax(z)_k, with log-softmax shifted by the column max.
    """
    m = ZL.shape[1]
    if output == "sigmoid":
        loss = np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))
    else:
        shifted = ZL - ZL.max(axis=0, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
        loss = -Y * log_probs
    return float(loss.sum() / m)


def l2_penalty(params: dict, lambd: float, m: int) -> float:
    """lambd / (2m) * sum_l ||W{l}||_F^2."""
    if not lambd:
        return 0.0
    return float(lambd / (2 * m) * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, num_layers(params) + 1)))


def compute_cost(cache: dict, Y, lambd: float = 0.0) -> float:
    """J = cross-entropy + lambd/(2m) sum ||W||_F^2, for the forward pass stored in cache."""
    ZL = cache["layers"][-1]["Z"]
    Y = as_labels(Y, ZL.shape[1], rows=ZL.shape[0])
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    return cross_entropy_from_logits(ZL, Y, cache["output"]) + l2_penalty(cache["params"], lambd, ZL.shape[1])


def backward(cache: dict, Y, lambd: float = 0.0) -> dict:
    """Gradients {"dW1": ..., "db1": ..., ...} of compute_cost(cache, Y, lambd) w.r.t. the parameters.

    Both outputs use dZ[L] = A[L] - Y (sigmoid + binary CE and softmax + categorical CE).
    """
    AL = cache["layers"][-1]["A"]
    Y = as_labels(Y, AL.shape[1], rows=AL.shape[0])
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    return _backward(cache, Y, lambd)


def _backward(cache, Y, lambd):
    """backward() without input checks."""
    params, layers = cache["params"], cache["layers"]
    L = len(layers)
    grads = {}
    AL = layers[-1]["A"]
    dZ = AL - Y.astype(AL.dtype, copy=False)  # in the network's dtype: float32 labels stay float32
    for l in range(L, 0, -1):
        layer = layers[l - 1]
        if l < L:
            dA = dA_prev
            if "D" in layer:
                dA = dropout_backward(dA, layer["D"], layer["keep_prob"])
            dZ = activation_backward(dA, layer["Z"], layer["G"], cache["hidden"])
        if l > 1:
            dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, layer["A_prev"], params[f"W{l}"], lambd)
        else:  # the same dW, db; dA[0] = W[1]^T dZ[1] is skipped, as nothing needs it
            grads["dW1"], grads["db1"] = _linear_param_gradients(dZ, layer["A_prev"], params["W1"], lambd)
    return grads


# ---------------------------------------------------------------- predictions
def predict(X, params: dict, hidden: str = "relu", output: str = "sigmoid") -> np.ndarray:
    """Predicted labels, shape (1, m): 0/1 (sigmoid output, threshold 0.5) or class index (softmax)."""
    AL, _ = forward(X, params, hidden, output)
    if output == "sigmoid":
        return (AL > 0.5).astype(int)
    return AL.argmax(axis=0).reshape(1, -1)


def labels_of(Y) -> np.ndarray:
    """(1, m) labels from Y given as 0/1 (1, m) or one-hot (C, m)."""
    Y = np.asarray(Y)
    return Y.astype(int) if Y.shape[0] == 1 else Y.argmax(axis=0).reshape(1, -1)


def accuracy(X, Y, params: dict, hidden: str = "relu", output: str = "sigmoid") -> float:
    """Fraction of the m examples whose prediction matches Y (0/1 (1, m) or one-hot (C, m))."""
    pred = predict(X, params, hidden, output)
    Y = as_labels(Y, pred.shape[1])
    return float(np.mean(pred == labels_of(Y)))


# ---------------------------------------------------------------- memory (no math here)
def _keep_freed_memory() -> None:
    """Ask glibc's malloc to keep freed memory for the next step instead of handing it back to the OS.

    Every step allocates its Z, A and gradient arrays afresh and frees them at its end. With glibc's
    defaults, a float64 step of a few-MB network gives that memory back and faults it in again on the
    next step, page by page: about 2,400 page faults, a third of the time of the benchmark's
    784-256-128-10 float64 step (``python -m bench --only step``). PyTorch's allocator keeps freed blocks
    for the same reason. Arrays under 32 MiB then come from the heap, which keeps up to 128 MiB free.
    Does nothing where there is no glibc (macOS, Windows, musl).
    """
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # from glibc's <malloc.h>
    mallopt(M_MMAP_THRESHOLD, 32 << 20)
    mallopt(M_TRIM_THRESHOLD, 128 << 20)


_keep_freed_memory()
