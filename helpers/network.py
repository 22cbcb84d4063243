"""An L-layer fully connected network in course notation, forward and backward.

Shapes: X is (n_x, m), one example per column; W{l} is (n[l], n[l-1]); b{l} is (n[l], 1);
parameters live in a dict keyed "W1", "b1", ..., gradients in a dict keyed "dW1", "db1", ....

Every layer is a pair ``*_forward -> (out, cache)`` / ``*_backward(d_out, cache)`` and one loop
composes them, so L2 (``lambd``), inverted dropout (``keep_prob``) and batch normalization
(``batch_norm``) are switches on the same network, not second copies.

Batch norm (``batch_norm=True``, or one True/False per hidden layer) slots in after ``linear_forward``:
Z = W A_prev, μ = 1/m Σ Z, σ² = 1/m Σ (Z − μ)², Z_norm = (Z − μ)/√(σ² + ε), Z̃ = γ Z_norm + β, A = g(Z̃).
* γ, β live in params as "gamma{l}", "beta{l}" (n[l], 1), with gradients "dgamma{l}", "dbeta{l}", so every
  update rule (they iterate over params) trains them. L2 acts on W only.
* b{l} stays in params (every params dict keeps one shape: layer_dims_of, gradcheck and the rules work
  unchanged), but a batch-norm layer ignores it: subtracting μ would cancel it anyway. So Z = W A_prev,
  its gradient db{l} is exactly 0 and every rule leaves b{l} where it started (0 from initialize_parameters).
* Running statistics for test time live OUTSIDE params, in their own dict (``initialize_running``):
  {"running_mean{l}": (n[l], 1), "running_var{l}": (n[l], 1)}. They are not parameters (no gradient; an
  update rule must not touch them). A train-mode forward given ``running`` updates it in place with the
  exponentially weighted average of the course, running := β_bn running + (1 − β_bn) batch statistic
  (β_bn = ``bn_momentum``, 0.9; no bias correction: they start at mean 0, variance 1, as in PyTorch),
  with the batch's σ² (1/m, the one it normalized with). A test-mode forward (``mode="test"``: predict,
  accuracy, dev costs) normalizes with them instead of the batch's statistics.
* PyTorch's nn.BatchNorm1d(momentum=0.1) means running := 0.9 running + 0.1 batch, i.e. its momentum is
  our 1 − β_bn; and its running_var is updated with the unbiased m/(m − 1) σ², though it normalizes with
  the biased σ² in training, as we do. Its eps default is 1e-5, as ours.

Layer norm (``batch_norm="layer"``, or "layer" among the per-layer values) is the same switch with the other
axis: μ and σ² are taken over the n[l] units of each example (each column of Z), not over the batch, so a
layer normalizes every example on its own, the same way in training and at test time, for any m (a batch of
one too). γ, β are per unit, (n[l], 1), as in batch norm, and b{l} is unused likewise (μ of a column does not
cancel a per-unit b exactly, but γ, β make it redundant; we keep one rule for both). No running statistics.
``layernorm_forward`` / ``layernorm_backward`` are its pair; torch.nn.LayerNorm(n[l]) on the rows of Z^T
computes the same (tests/test_layernorm.py).
"""
from __future__ import annotations

import contextlib
import sys

import numpy as np

from .validation import (
    as_hard_labels,
    as_labels,
    as_matrix,
    as_number,
    check_choice,
    check_float_dtype,
    check_keep_prob,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_rng,
)

HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid")
OUTPUTS = ("sigmoid", "softmax")
INITIALIZERS = ("zeros", "random", "xavier", "he")
BN_MODES = ("train", "test")
BN_EPS = 1e-5       # ε in √(σ² + ε), PyTorch's default
BN_MOMENTUM = 0.9   # β_bn of the running averages (PyTorch's momentum=0.1)
LAYER = "layer"     # batch_norm="layer": layer normalization (statistics over the units of each example)


# ---------------------------------------------------------------- parameters
def initialize_parameters(layer_dims, method: str = "he", rng: np.random.Generator | None = None,
                          scale: float = 0.01, dtype=np.float64, *, batch_norm=False) -> dict:
    """Return {"W1": (n[1], n[0]), "b1": (n[1], 1), ...} for layer_dims = [n_x, n[1], ..., n[L]].

    method: "zeros" (all zero), "random" (N(0, 1) * scale; the course uses 0.01, lab 04 also 10),
    "xavier" (N(0, 1/n[l-1])) or "he" (N(0, 2/n[l-1])). Biases start at zero.
    batch_norm: True (every hidden layer), "layer" (layer norm in every hidden layer), False, or one value
    (True / False / "layer") per hidden layer: normalized layers also get "gamma{l}" = 1 and "beta{l}" = 0,
    shape (n[l], 1). The weights drawn are the same either way.
    """
    dims = _check_layer_dims(layer_dims)
    bn = check_batch_norm(batch_norm, len(dims) - 2)
    check_choice(method, "method", INITIALIZERS)
    dtype = check_float_dtype(dtype)
    if method != "zeros":
        check_rng(rng)
    if method == "random":
        check_positive(scale, "scale (the std of the random weights)")
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
        if l < len(dims) - 1 and bn[l - 1]:
            params[f"gamma{l}"] = np.ones((dims[l], 1), dtype=dtype)
            params[f"beta{l}"] = np.zeros((dims[l], 1), dtype=dtype)
    return params


def check_batch_norm(batch_norm, n_hidden: int) -> tuple:
    """One value per hidden layer, False, True (batch norm) or "layer" (layer norm), from batch_norm = True /
    False / "layer" / a sequence of n_hidden such values; raise otherwise.

    Normalization acts on hidden layers only (the output layer's Z[L] are the logits), so batch_norm=True on a
    network without hidden layers is an error.
    """
    expected = (f"batch_norm must be True, False, \"layer\" or a sequence of {n_hidden} of them (one per hidden "
                "layer; the output layer never has batch norm)")
    if isinstance(batch_norm, (bool, np.bool_)) or (isinstance(batch_norm, str) and batch_norm == LAYER):
        if batch_norm and n_hidden == 0:
            raise ValueError(f"{expected}; got {batch_norm!r} for a network without hidden layers")
        return (batch_norm if batch_norm == LAYER else bool(batch_norm),) * n_hidden
    if not isinstance(batch_norm, (list, tuple, np.ndarray)) or np.ndim(batch_norm) != 1:
        raise ValueError(f"{expected}; got {batch_norm!r}")
    if len(batch_norm) != n_hidden or not all(isinstance(x, (bool, np.bool_)) or (isinstance(x, str) and x == LAYER)
                                              for x in batch_norm):
        raise ValueError(f"{expected}; got {batch_norm!r}")
    return tuple(x if isinstance(x, str) else bool(x) for x in batch_norm)


def _batch_layers(bn) -> tuple[bool, ...]:
    """Which hidden layers use batch norm proper (True), not layer norm nor nothing."""
    return tuple(x is True for x in bn)


def initialize_running(params: dict, batch_norm=True) -> dict:
    """The running statistics a batch-norm network carries between training steps, at their start.

    Returns {"running_mean{l}": zeros (n[l], 1), "running_var{l}": ones (n[l], 1)} for every hidden layer
    l with batch norm (PyTorch starts there too), in the dtype of W{l}. They are not parameters: keep them
    in this dict, next to params, and pass it to forward(..., running=...) (train mode updates it in place;
    test mode uses it). Layer-norm layers have none.
    """
    dims = layer_dims_of(params)
    bn = _batch_layers(check_batch_norm(batch_norm, len(dims) - 2))
    running = {}
    for l, on in enumerate(bn, start=1):
        if on:
            dtype = np.asarray(params[f"W{l}"]).dtype
            dtype = dtype if np.issubdtype(dtype, np.floating) else np.float64
            running[f"running_mean{l}"] = np.zeros((dims[l], 1), dtype=dtype)
            running[f"running_var{l}"] = np.ones((dims[l], 1), dtype=dtype)
    return running


def _check_layer_dims(layer_dims) -> list[int]:
    """layer_dims as a list of at least two positive ints; raise ValueError (TypeError) otherwise."""
    expected = "layer_dims must be a list of at least two positive integers [n_x, ..., n_y]"
    if isinstance(layer_dims, (str, bytes, dict)) or not hasattr(layer_dims, "__len__") or len(layer_dims) < 2:
        raise ValueError(f"{expected}; got {layer_dims!r}")
    for n in layer_dims:
        if isinstance(n, (bool, np.bool_, str)) or not isinstance(n, (int, float, np.integer, np.floating)):
            raise TypeError(f"{expected}; got {layer_dims!r}")
    if any(not np.isfinite(n) or int(n) != n or n < 1 for n in layer_dims):
        raise ValueError(f"{expected}; got {layer_dims!r}")
    return [int(n) for n in layer_dims]


def layer_dims_of(params: dict) -> list[int]:
    """Return [n_x, n[1], ..., n[L]] after checking every W{l}, b{l} (shape, numbers, finite); raise otherwise."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict {{'W1': ..., 'b1': ..., ...}}; got {type(params).__name__}")
    layers = {int(k[1:]) for k in params if k[:1] in "Wb" and k[1:].isdigit()}
    L = max(layers, default=0)
    if L == 0 or any(f"W{l}" not in params or f"b{l}" not in params for l in range(1, L + 1)):
        raise ValueError(f"params must hold W1, b1, ..., WL, bL; got keys {sorted(params)}")
    dims = []
    for l in range(1, L + 1):
        W, b = np.asarray(params[f"W{l}"]), np.asarray(params[f"b{l}"])
        for key, P in ((f"W{l}", W), (f"b{l}", b)):
            if not (np.issubdtype(P.dtype, np.floating) or np.issubdtype(P.dtype, np.integer)):
                raise TypeError(f"params['{key}'] must be an array of numbers; got dtype {P.dtype}")
            if not np.all(np.isfinite(P)):
                raise ValueError(f"params['{key}'] contains NaN or inf: the network is broken before this call")
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
    """g(Z) for kind in relu / tanh / sigmoid / softmax; any other kind raises ValueError."""
    Z = _numeric(Z, "Z")
    if not isinstance(kind, str):
        raise ValueError(f"kind must be one of {sorted(set(HIDDEN_ACTIVATIONS) | set(OUTPUTS))}; got {kind!r}")
    return _activation_forward(Z, kind)


def _numeric(A, name: str) -> np.ndarray:
    """A as a numeric array (NaN and inf allowed: they propagate); TypeError naming it otherwise."""
    A = np.asarray(A)
    if not (np.issubdtype(A.dtype, np.floating) or np.issubdtype(A.dtype, np.integer)):
        raise TypeError(f"{name} must be an array of numbers; got {type(A).__name__} of dtype {A.dtype}")
    return A


def _activation_forward(Z, kind):
    """activation_forward() without input checks."""
    if kind == "relu":
        return np.maximum(Z, 0)
    if kind == "tanh":
        return np.tanh(Z)
    if kind == "sigmoid":
        return sigmoid(Z)
    if kind == "softmax":
        return softmax(Z)
    raise ValueError(f"kind must be one of {sorted(set(HIDDEN_ACTIVATIONS) | set(OUTPUTS))}; got {kind!r}")


def activation_backward(dA: np.ndarray, Z: np.ndarray, G: np.ndarray, kind: str) -> np.ndarray:
    """dZ = dA * g'(Z) for a hidden activation (G = g(Z) is reused where g' is cheaper from it).

    kind: relu / tanh / sigmoid. A softmax (or sigmoid) output's dZ[L] = A[L] - Y comes from ``backward``.
    """
    dA, Z, G = _numeric(dA, "dA"), _numeric(Z, "Z"), _numeric(G, "G")
    if not (dA.shape == Z.shape == G.shape):
        raise ValueError(f"dA, Z and G must have the same shape; got {dA.shape}, {Z.shape} and {G.shape}")
    if not isinstance(kind, str):
        raise ValueError(f"kind must be one of {sorted(HIDDEN_ACTIVATIONS)}; got {kind!r}")
    return _activation_backward(dA, Z, G, kind)


def _activation_backward(dA, Z, G, kind):
    """activation_backward() without input checks."""
    if kind == "relu":
        return dA * (Z > 0)
    if kind == "tanh":
        return dA * (1 - G * G)
    if kind == "sigmoid":
        return dA * G * (1 - G)
    raise ValueError(f"kind must be one of {sorted(HIDDEN_ACTIVATIONS)} (hidden activations; a softmax output's "
                     f"dZ = A - Y is computed by backward); got {kind!r}")


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
    W = as_matrix(W, "W")
    dZ = as_matrix(dZ, "dZ", rows=W.shape[0])
    A_prev = as_matrix(A_prev, "A_prev", rows=W.shape[1])
    if A_prev.shape[1] != dZ.shape[1]:
        raise ValueError(f"A_prev must have dZ's m = {dZ.shape[1]} columns; got {A_prev.shape}")
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    return _linear_backward(dZ, A_prev, W, lambd)


def _linear_backward(dZ, A_prev, W, lambd):
    """linear_backward() without input checks."""
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
    keep_prob must be in (0, 1] (1 keeps every unit); rng a numpy Generator.
    """
    A = as_matrix(A, "A")
    keep_prob = check_keep_prob(as_number(keep_prob, "keep_prob"), 1)[0]
    check_rng(rng)
    return _dropout_forward(A, keep_prob, rng)


def _dropout_forward(A, keep_prob, rng):
    """dropout_forward() without input checks."""
    D = rng.random(A.shape) < keep_prob
    return A * D / keep_prob, D


def dropout_backward(dA: np.ndarray, D: np.ndarray, keep_prob: float) -> np.ndarray:
    """Gradient through inverted dropout: the same mask D (dA's shape) and the same 1/keep_prob scaling."""
    dA = as_matrix(dA, "dA")
    D = np.asarray(D)
    if D.shape != dA.shape:
        raise ValueError(f"D (the dropout mask from dropout_forward) must have dA's shape {dA.shape}; got {D.shape}")
    if D.dtype != bool and not np.all((D == 0) | (D == 1)):
        raise ValueError("D must be the 0/1 mask dropout_forward returned (True/False or 0/1 entries)")
    keep_prob = check_keep_prob(as_number(keep_prob, "keep_prob"), 1)[0]
    return _dropout_backward(dA, D, keep_prob)


def _dropout_backward(dA, D, keep_prob):
    """dropout_backward() without input checks."""
    return dA * D / keep_prob


def batchnorm_forward(Z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = BN_EPS,
                      mode: str = "train", running=None, momentum: float = BN_MOMENTUM):
    """Batch normalization of Z (n, m), one row per unit, one column per example; returns (Z_tilde, cache).

    train: μ = 1/m Σ Z, σ² = 1/m Σ (Z − μ)² over the m columns (the mini-batch), Z_norm = (Z − μ)/√(σ² + ε),
    Z̃ = γ Z_norm + β; m must be at least 2. If running = (running_mean, running_var), two (n, 1) float arrays,
    they are updated IN PLACE: running := momentum running + (1 − momentum) (μ or σ²), momentum in [0, 1).
    test: Z_norm = (Z − running_mean)/√(running_var + ε) with the running averages (required), any m.
    gamma, beta: (n, 1); eps > 0. cache (a dict: Z_norm, gamma, inv_std = 1/√(σ² + ε), mode, mu, var)
    is what batchnorm_backward needs.
    """
    Z = as_matrix(Z, "Z")
    n, m = Z.shape
    _check_gamma_beta(gamma, beta, n)
    eps, momentum = _check_bn_numbers(eps, momentum)
    check_choice(mode, "mode", BN_MODES)
    if running is not None or mode == "test":
        _check_running_pair(running, n, mode)
    if mode == "train" and m < 2:
        raise ValueError(_BATCH_OF_ONE)
    return _reference_batchnorm_forward(Z, np.asarray(gamma), np.asarray(beta), eps, mode, running, momentum)


def _check_gamma_beta(gamma, beta, n: int) -> None:
    """gamma and beta must be numeric (n, 1) arrays, one value per row (unit) of Z; raise otherwise."""
    for name, P in (("gamma", gamma), ("beta", beta)):
        if np.shape(P) != (n, 1):
            raise ValueError(f"{name} must have shape ({n}, 1), one value per row (unit) of Z; got {np.shape(P)}")
        _numeric(P, name)


_BATCH_OF_ONE = ("batch norm in train mode needs a batch of at least 2 examples: with m = 1, μ = Z and σ² = 0, "
                 "so Z_norm = 0 and every unit outputs β whatever the input (and no gradient reaches W). "
                 "Train on mini-batches of 2 or more; normalize single examples in test mode (running averages)")


def _check_bn_numbers(eps, momentum) -> tuple[float, float]:
    """eps > 0 (ε keeps √(σ² + ε) away from 0) and momentum (β_bn) in [0, 1), as floats."""
    eps = check_positive(eps, "eps (the ε in √(σ² + ε))")
    momentum = as_number(momentum, "momentum")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum (β_bn of the running averages, running := β_bn running + (1 − β_bn) batch) "
                         f"must be in [0, 1); got {momentum!r} (PyTorch's momentum 0.1 is β_bn = 0.9)")
    return eps, momentum


def _check_running_pair(running, n: int, mode: str) -> None:
    if running is None:
        raise ValueError(f"mode={mode!r} normalizes with the running averages: pass running=(running_mean, "
                         "running_var), two (n, 1) arrays")
    if not isinstance(running, (tuple, list)) or len(running) != 2:
        raise ValueError(f"running must be the pair (running_mean, running_var); got {type(running).__name__}")
    for name, R in zip(("running_mean", "running_var"), running, strict=True):
        if not isinstance(R, np.ndarray) or not np.issubdtype(R.dtype, np.floating) or R.shape != (n, 1):
            raise ValueError(f"{name} must be a float numpy array of shape ({n}, 1) (it is updated in place); "
                             f"got {type(R).__name__} of shape {np.shape(R)}")
    if np.any(running[1] < 0):
        raise ValueError("running_var must be >= 0 (a variance)")


def _batchnorm_forward(Z, gamma, beta, eps, mode, running, momentum):
    """batchnorm_forward() without input checks."""
    if mode == "train":
        m = Z.shape[1]  # sum / m: the same numbers as .mean(), without its Python-level overhead (a hot path)
        mu = Z.sum(axis=1, keepdims=True) / m
        Z_centered = Z - mu
        var = (Z_centered * Z_centered).sum(axis=1, keepdims=True) / m  # biased: 1/m, as the lecture
        if running is not None:  # the exponentially weighted averages, in place
            for R, batch in zip(running, (mu, var), strict=True):
                R *= momentum
                R += (1 - momentum) * batch
    else:
        mu, var = running
        Z_centered = Z - mu
    inv_std = 1.0 / np.sqrt(var + eps)
    Z_norm = Z_centered * inv_std
    cache = {"Z_norm": Z_norm, "gamma": gamma, "inv_std": inv_std, "mode": mode, "mu": mu, "var": var}
    return gamma * Z_norm + beta, cache


# What the public batchnorm_forward always runs; substituted() swaps only _batchnorm_forward, the name the network
# calls, so a learner's function may call network.batchnorm_forward inside a swap without recursing.
_reference_batchnorm_forward = _batchnorm_forward


def batchnorm_backward(dZ_tilde: np.ndarray, cache: dict):
    """Return dZ (n, m), dgamma (n, 1), dbeta (n, 1) from dZ_tilde (n, m) and batchnorm_forward's cache.

    The course's convention, as linear_backward's: dZ̃ is m ∂J/∂Z̃ (dZ[L] = A[L] − Y carries no 1/m), and
    the parameter gradients are means over the m examples: dβ = 1/m Σ dZ̃, dγ = 1/m Σ dZ̃ Z_norm.
    The compact formula (train mode; μ and σ² depend on every column of Z):
        dZ = γ/√(σ² + ε) (dZ̃ − dβ − Z_norm dγ)
    test mode (μ, σ² the running averages, constants): dZ = γ/√(σ² + ε) dZ̃.
    """
    dZ_tilde = _check_backward_inputs(dZ_tilde, cache, "batchnorm_forward",
                                      isinstance(cache, dict) and "mode" in cache)
    return _reference_batchnorm_backward(dZ_tilde, cache)


def _check_backward_inputs(dZ_tilde, cache, producer: str, cache_ok: bool) -> np.ndarray:
    """dZ_tilde as a matrix of the cached Z_norm's shape; TypeError unless cache is producer's cache (cache_ok and
    the keys every normalization backward reads), ValueError on a shape mismatch."""
    if not (cache_ok and {"Z_norm", "gamma", "inv_std"} <= set(cache)):
        raise TypeError(f"cache must be the dict {producer} returned (Z_tilde, cache = {producer}(...)); "
                        f"got {type(cache).__name__}")
    dZ_tilde = as_matrix(dZ_tilde, "dZ_tilde")
    if dZ_tilde.shape != cache["Z_norm"].shape:
        raise ValueError(f"dZ_tilde must have Z's shape {cache['Z_norm'].shape}; got {dZ_tilde.shape}")
    return dZ_tilde


def _gamma_beta_gradients(dZ_tilde, Z_norm):
    """dγ = 1/m Σ dZ̃ Z_norm and dβ = 1/m Σ dZ̃, sums over the m examples (columns): (n, 1) each."""
    m = Z_norm.shape[1]
    return (dZ_tilde * Z_norm).sum(axis=1, keepdims=True) / m, dZ_tilde.sum(axis=1, keepdims=True) / m


def _batchnorm_backward(dZ_tilde, cache):
    """batchnorm_backward() without input checks."""
    Z_norm = cache["Z_norm"]
    dgamma, dbeta = _gamma_beta_gradients(dZ_tilde, Z_norm)
    scale = cache["gamma"] * cache["inv_std"]
    if cache["mode"] == "test":
        return scale * dZ_tilde, dgamma, dbeta
    return scale * (dZ_tilde - dbeta - Z_norm * dgamma), dgamma, dbeta


_reference_batchnorm_backward = _batchnorm_backward  # what the public batchnorm_backward always runs


def layernorm_forward(Z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = BN_EPS):
    """Layer normalization of Z (n, m): each column (example) normalized over its n units; returns (Z_tilde, cache).

    μ = 1/n Σ_units Z, σ² = 1/n Σ_units (Z − μ)², both (1, m); Z_norm = (Z − μ)/√(σ² + ε); Z̃ = γ Z_norm + β
    with gamma, beta (n, 1), one per unit. No batch statistics: the same in training and at test time, any m.
    """
    Z = as_matrix(Z, "Z")
    n = Z.shape[0]
    _check_gamma_beta(gamma, beta, n)
    eps = check_positive(eps, "eps (the ε in √(σ² + ε))")
    return _layernorm_forward(Z, np.asarray(gamma), np.asarray(beta), eps)


def _layernorm_forward(Z, gamma, beta, eps):
    """layernorm_forward() without input checks."""
    Z_centered = Z - Z.mean(axis=0, keepdims=True)
    var = (Z_centered * Z_centered).mean(axis=0, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    Z_norm = Z_centered * inv_std
    cache = {"Z_norm": Z_norm, "gamma": gamma, "inv_std": inv_std, "mode": LAYER}
    return gamma * Z_norm + beta, cache


def layernorm_backward(dZ_tilde: np.ndarray, cache: dict):
    """Return dZ (n, m), dgamma (n, 1), dbeta (n, 1) from dZ_tilde (n, m) and layernorm_forward's cache.

    Course convention as in batchnorm_backward (dZ̃ = m ∂J/∂Z̃; dγ, dβ means over the m examples). With
    G = γ dZ̃ (the gradient reaching Z_norm), the compact formula is batch norm's with the axes swapped:
        dZ = 1/√(σ² + ε) (G − mean_units(G) − Z_norm mean_units(G Z_norm)), means over each column's n units.
    """
    dZ_tilde = _check_backward_inputs(dZ_tilde, cache, "layernorm_forward",
                                      isinstance(cache, dict) and cache.get("mode") == LAYER)
    return _layernorm_backward(dZ_tilde, cache)


def _layernorm_backward(dZ_tilde, cache):
    """layernorm_backward() without input checks."""
    Z_norm = cache["Z_norm"]
    dgamma, dbeta = _gamma_beta_gradients(dZ_tilde, Z_norm)
    G = cache["gamma"] * dZ_tilde
    dZ = cache["inv_std"] * (G - G.mean(axis=0, keepdims=True)
                             - Z_norm * (G * Z_norm).mean(axis=0, keepdims=True))
    return dZ, dgamma, dbeta


# ---------------------------------------------------------------- the network
def forward(X, params: dict, hidden: str = "relu", output: str = "sigmoid", keep_prob=1.0,
            rng: np.random.Generator | None = None, *, batch_norm=False, mode: str = "train", running=None,
            bn_momentum: float = BN_MOMENTUM, bn_eps: float = BN_EPS):
    """Forward pass of [LINEAR -> (batch norm) -> hidden]*(L-1) -> LINEAR -> output.

    X: (n_x, m). keep_prob: 1 (no dropout, always at test time), a number in (0, 1] for every hidden
    layer, or one per hidden layer; dropout needs rng. Returns (AL, cache): AL is (n[L], m), cache
    holds what ``backward`` and ``compute_cost`` need.
    batch_norm: True / False / "layer" / one such value per hidden layer; normalized layers need params
    "gamma{l}", "beta{l}"
    (see initialize_parameters) and ignore b{l}. mode "train" normalizes with the batch's μ, σ² (m >= 2) and,
    if running (the dict from initialize_running) is given, updates it in place with β_bn = bn_momentum;
    mode "test" normalizes with running (required). bn_eps is the ε in √(σ² + ε). Without batch norm,
    mode, running, bn_momentum and bn_eps are not used.
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
    bn = check_bn_setup(params, batch_norm, mode, running, bn_momentum, bn_eps, X.shape[1])
    return _forward(X, params, hidden, output, keep, rng, bn, mode, running, bn_momentum, bn_eps)


def check_bn_setup(params: dict, batch_norm, mode: str, running, momentum, eps, m: int | None = None):
    """Check a batch-norm configuration against params; return one bool per hidden layer.

    Raises ValueError naming the problem: gamma{l} / beta{l} missing or mis-shaped for a layer with batch
    norm (or present for one without: the switch and the parameters disagree), running missing in test
    mode or lacking a layer's statistics, eps <= 0, momentum outside [0, 1), a batch of m = 1 in train mode.
    """
    dims = layer_dims_of(params)
    bn = check_batch_norm(batch_norm, len(dims) - 2)
    for l, on in enumerate(bn, start=1):
        for name in ("gamma", "beta"):
            key = f"{name}{l}"
            if on and key not in params:
                raise ValueError(f"batch norm in layer {l} needs params['{key}'] of shape ({dims[l]}, 1); params "
                                 f"has keys {sorted(params)} (initialize_parameters(..., batch_norm=...) adds them)")
            if not on and key in params:
                raise ValueError(f"params has '{key}' but batch_norm is off for layer {l}: pass the batch_norm "
                                 "the parameters were made with")
            if on:
                _check_bn_param(params[key], key, dims[l])
    if not any(bn):
        if running is not None:
            raise ValueError("running (batch norm's running averages) was given, but batch_norm is off")
        return ()
    check_choice(mode, "mode", BN_MODES)
    _check_bn_numbers(eps, momentum)
    batch = _batch_layers(bn)
    if any(batch) and (running is not None or mode == "test"):
        _check_running(running, batch, dims, mode)
    if any(batch) and mode == "train" and m is not None and m < 2:
        raise ValueError(_BATCH_OF_ONE)
    return bn


def _check_bn_param(P, key: str, n: int) -> None:
    P = np.asarray(P)
    if not np.issubdtype(P.dtype, np.floating) and not np.issubdtype(P.dtype, np.integer):
        raise TypeError(f"params['{key}'] must be an array of numbers; got dtype {P.dtype}")
    if P.shape != (n, 1):
        raise ValueError(f"params['{key}'] must have shape ({n}, 1); got {P.shape}")
    if not np.all(np.isfinite(P)):
        raise ValueError(f"params['{key}'] contains NaN or inf: the network is broken before this call")


def _check_running(running, bn, dims, mode) -> None:
    if not isinstance(running, dict):
        raise ValueError(f"mode={mode!r} needs running, the dict of running averages from initialize_running "
                         f"(carried through training); got {type(running).__name__}")
    for l, on in enumerate(bn, start=1):
        if on:
            pair = tuple(running.get(f"running_{name}{l}") for name in ("mean", "var"))
            if any(R is None for R in pair):
                raise ValueError(f"running must hold 'running_mean{l}' and 'running_var{l}' (layer {l} has batch "
                                 f"norm); got keys {sorted(running)}")
            _check_running_pair(pair, dims[l], mode)


def _forward(X, params, hidden, output, keep, rng, bn=(), mode="train", running=None,
             bn_momentum=BN_MOMENTUM, bn_eps=BN_EPS):
    """forward() without input checks; keep is one keep_prob per hidden layer, bn one bool per hidden layer
    (or () for none)."""
    L = num_layers(params)
    layers = []
    A = X
    for l in range(1, L + 1):
        kind = hidden if l < L else output
        norm = None
        if bn and l < L and bn[l - 1] == LAYER:
            norm = (LAYER, params[f"gamma{l}"], params[f"beta{l}"], bn_eps)
        elif bn and l < L and bn[l - 1]:
            pair = None if running is None else (running[f"running_mean{l}"], running[f"running_var{l}"])
            norm = (params[f"gamma{l}"], params[f"beta{l}"], bn_eps, mode, pair, bn_momentum)
        layer = _layer_forward(A, params[f"W{l}"], params[f"b{l}"], kind,
                               keep[l - 1] if l < L else 1.0, rng, norm)
        layers.append(layer)
        A = layer["A"]
    return A, {"layers": layers, "params": params, "hidden": hidden, "output": output, "keep": keep,
               "batch_norm": bn}


def _layer_forward(A_prev, W, b, kind, keep_prob, rng, norm=None):
    """One layer: Z = W A_prev + b, G = g(Z), dropout; with norm = (gamma, beta, eps, mode, running, momentum),
    Z = W A_prev (b is redundant) and G = g(Z̃), Z̃ = batchnorm(Z); the layer dict keeps Z, Z_tilde and the
    batch-norm cache. norm = ("layer", gamma, beta, eps): the same with Z̃ = layernorm(Z)."""
    if norm is None:
        Z = linear_forward(A_prev, W, b)
        G = _activation_forward(Z, kind)
        layer = {"A_prev": A_prev, "Z": Z, "G": G, "A": G}  # G = g(Z); A is G after dropout, if any
    else:
        Z = W @ A_prev
        layer_norm = isinstance(norm[0], str) and norm[0] == LAYER
        if layer_norm:
            Z_tilde, bn_cache = _layernorm_forward(Z, *norm[1:])
        else:
            Z_tilde, bn_cache = _batchnorm_forward(Z, *norm)
        G = _activation_forward(Z_tilde, kind)
        layer = {"A_prev": A_prev, "Z": Z, "Z_tilde": Z_tilde, "bn": bn_cache, "G": G, "A": G,
                 "layer_norm": layer_norm}
    if keep_prob < 1:
        layer["A"], layer["D"] = _dropout_forward(G, keep_prob, rng)
        layer["keep_prob"] = keep_prob
    return layer


def cross_entropy_from_logits(ZL: np.ndarray, Y: np.ndarray, output: str) -> float:
    """Mean cross-entropy over the m columns, computed from the logits ZL so it never overflows.

    sigmoid: -1/m sum[y log a + (1-y) log(1-a)] = 1/m sum[max(z,0) - z y + log(1 + e^-|z|)]
    softmax: -1/m sum_i sum_k y_k log softmax(z)_k, with log-softmax shifted by the column max.
    ZL: (n[L], m) finite logits; Y: labels of the same shape (one-hot or probability columns for softmax);
    output: "sigmoid" or "softmax".
    """
    check_choice(output, "output", OUTPUTS)
    ZL = as_matrix(ZL, "ZL")
    if output == "softmax" and ZL.shape[0] < 2:
        raise ValueError(f"a softmax output needs ZL with n[L] >= 2 rows (classes); got {ZL.shape}")
    Y = as_labels(Y, ZL.shape[1], rows=ZL.shape[0], one_hot=output == "softmax")
    return _cross_entropy(ZL, Y, output)


def _cross_entropy(ZL, Y, output):
    """cross_entropy_from_logits() without input checks."""
    if output == "softmax" and _softmax_cost is not _reference_softmax_cost:  # a learner's, in substituted()
        return float(_softmax_cost(ZL, Y)[0])
    if output == "sigmoid":
        loss = np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))
        return float(loss.sum() / ZL.shape[1])
    return _softmax_cross_entropy(ZL, Y)


def _softmax_cross_entropy(ZL, Y) -> float:
    shifted = ZL - ZL.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float((-Y * log_probs).sum() / ZL.shape[1])


def _reference_softmax_cost(ZL, Y):
    """(J, dZL) of a softmax output with categorical cross-entropy: J = −1/m Σ_i Σ_k y_k log softmax(z)_k
    and dZ[L] = A[L] − Y (no 1/m: the course's convention). ZL, Y: (C, m)."""
    return _softmax_cross_entropy(ZL, Y), softmax(ZL) - Y.astype(ZL.dtype, copy=False)


_softmax_cost = _reference_softmax_cost  # what the network calls; substituted() swaps in a learner's


def l2_penalty(params: dict, lambd: float, m: int) -> float:
    """lambd / (2m) * sum_l ||W{l}||_F^2; lambd >= 0, m (the number of examples) a positive integer."""
    layer_dims_of(params)
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    m = check_positive_int(m, "m (the number of examples)")
    return _l2_penalty(params, lambd, m)


def _l2_penalty(params, lambd, m):
    """l2_penalty() without input checks."""
    if not lambd:
        return 0.0
    return float(lambd / (2 * m) * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, num_layers(params) + 1)))


def compute_cost(cache: dict, Y, lambd: float = 0.0) -> float:
    """J = cross-entropy + lambd/(2m) sum ||W||_F^2, for the forward pass stored in cache."""
    _check_cache(cache, "compute_cost")
    ZL = cache["layers"][-1]["Z"]
    Y = as_labels(Y, ZL.shape[1], rows=ZL.shape[0], one_hot=cache["output"] == "softmax")
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    return _cross_entropy(ZL, Y, cache["output"]) + _l2_penalty(cache["params"], lambd, ZL.shape[1])


def _check_cache(cache, caller: str) -> None:
    """TypeError unless cache is the dict forward() returned (second value), e.g. not A[L] itself."""
    if not (isinstance(cache, dict) and {"layers", "params", "output"} <= set(cache)):
        got = f"an array of shape {np.shape(cache)}" if isinstance(cache, np.ndarray) else type(cache).__name__
        raise TypeError(f"{caller} needs the cache from forward (AL, cache = forward(X, params, ...); "
                        f"{caller}(cache, Y, ...)), not A[L]; got {got}")


def backward(cache: dict, Y, lambd: float = 0.0) -> dict:
    """Gradients {"dW1": ..., "db1": ..., ...} of compute_cost(cache, Y, lambd) w.r.t. the parameters.

    Both outputs use dZ[L] = A[L] - Y (sigmoid + binary CE and softmax + categorical CE). Layers the forward
    pass normalized also get "dgamma{l}", "dbeta{l}" (batchnorm_backward), and "db{l}" = 0 (b is unused there).
    """
    _check_cache(cache, "backward")
    AL = cache["layers"][-1]["A"]
    Y = as_labels(Y, AL.shape[1], rows=AL.shape[0], one_hot=cache["output"] == "softmax")
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    return _backward(cache, Y, lambd)


def _backward(cache, Y, lambd):
    """backward() without input checks."""
    params, layers = cache["params"], cache["layers"]
    L = len(layers)
    grads = {}
    AL = layers[-1]["A"]
    if cache["output"] == "softmax" and _softmax_cost is not _reference_softmax_cost:  # a learner's
        dZ = _softmax_cost(layers[-1]["Z"], Y)[1]
    else:
        dZ = AL - Y.astype(AL.dtype, copy=False)  # in the network's dtype: float32 labels stay float32
    dA_prev = None  # W[l+1]^T dZ[l+1], set by each layer for the one below it
    for l in range(L, 0, -1):
        layer = layers[l - 1]
        if l < L:
            dA = dA_prev
            if "D" in layer:
                dA = _dropout_backward(dA, layer["D"], layer["keep_prob"])
            if "bn" in layer:
                dZ_tilde = _activation_backward(dA, layer["Z_tilde"], layer["G"], cache["hidden"])
                pair = _layernorm_backward if layer["layer_norm"] else _batchnorm_backward
                dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = pair(dZ_tilde, layer["bn"])
            else:
                dZ = _activation_backward(dA, layer["Z"], layer["G"], cache["hidden"])
        if l > 1:
            dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = _linear_backward(dZ, layer["A_prev"], params[f"W{l}"], lambd)
        else:  # the same dW, db; dA[0] = W[1]^T dZ[1] is skipped, as nothing needs it
            grads["dW1"], grads["db1"] = _linear_param_gradients(dZ, layer["A_prev"], params["W1"], lambd)
        if "bn" in layer:  # Z = W A_prev ignores b: its gradient is exactly 0 (1/m Σ dZ would be round-off)
            grads[f"db{l}"] = np.zeros_like(grads[f"db{l}"])
    return grads


# ---------------------------------------------------------------- the learner's parts
# Name in substituted() -> the module attribute the network calls (looked up at call time, so a swap
# reaches forward, backward, compute_cost, predict and training.train). Each must keep the reference's
# signature: softmax(Z) -> A; softmax_cost(ZL, Y) -> (J, dZL); batchnorm_forward(Z, gamma, beta, eps, mode,
# running, momentum) -> (Z_tilde, cache); batchnorm_backward(dZ_tilde, cache) -> (dZ, dgamma, dbeta).
SUBSTITUTABLE = {"softmax": "softmax", "softmax_cost": "_softmax_cost",
                 "batchnorm_forward": "_batchnorm_forward", "batchnorm_backward": "_batchnorm_backward"}


@contextlib.contextmanager
def substituted(**parts):
    """Run the network with a learner's versions of some of its parts, e.g.
    ``with substituted(softmax=my_softmax): result = train(...)``; the references come back on exit.

    parts: names from SUBSTITUTABLE mapped to callables with the reference's signature. The public reference
    itself (what checks.use_if_passed returns until the learner's passes) means the reference: the network keeps
    calling its unchecked version (the public one calls it, so swapping it in would recurse forever).
    """
    for name, fn in parts.items():
        if name not in SUBSTITUTABLE:
            raise ValueError(f"substituted() replaces {sorted(SUBSTITUTABLE)}; got {name!r}")
        if not callable(fn):
            raise TypeError(f"{name} must be a function; got {type(fn).__name__}")
    parts = {name: _REFERENCES.get(name, {}).get(fn, fn) for name, fn in parts.items()}
    module = sys.modules[__name__]
    saved = {SUBSTITUTABLE[name]: getattr(module, SUBSTITUTABLE[name]) for name in parts}
    try:
        for name, fn in parts.items():
            setattr(module, SUBSTITUTABLE[name], fn)
        yield
    finally:
        for attr, fn in saved.items():
            setattr(module, attr, fn)


# The public (checked) references -> the unchecked functions the network calls, captured before any swap.
_REFERENCES = {"batchnorm_forward": {batchnorm_forward: _batchnorm_forward},
               "batchnorm_backward": {batchnorm_backward: _batchnorm_backward}}


# ---------------------------------------------------------------- predictions
def predict(X, params: dict, hidden: str = "relu", output: str = "sigmoid", *, batch_norm=False,
            running=None, bn_eps: float = BN_EPS) -> np.ndarray:
    """Predicted labels, shape (1, m): 0/1 (sigmoid output, threshold 0.5) or class index (softmax).

    With batch_norm, the network runs in test mode: it normalizes with running, the running averages from
    training (required), and bn_eps must be the ε used in training.
    """
    AL, _ = forward(X, params, hidden, output, batch_norm=batch_norm, mode="test", running=running, bn_eps=bn_eps)
    if output == "sigmoid":
        return (AL > 0.5).astype(int)
    return AL.argmax(axis=0).reshape(1, -1)


def labels_of(Y) -> np.ndarray:
    """(1, m) labels from Y given as 0/1 (1, m) or one-hot (C, m); anything else raises ValueError."""
    Y = np.asarray(Y)
    if Y.ndim != 2:
        raise ValueError(f"Y must be 2-D, (1, m) 0/1 labels or (C, m) one-hot; got shape {Y.shape}"
                         + (" (use Y.reshape(1, -1))" if Y.ndim == 1 else ""))
    return as_hard_labels(Y, Y.shape[1])


def accuracy(X, Y, params: dict, hidden: str = "relu", output: str = "sigmoid", *, batch_norm=False,
             running=None, bn_eps: float = BN_EPS) -> float:
    """Fraction of the m examples whose prediction matches Y (0/1 (1, m) or one-hot (C, m)).

    batch_norm, running, bn_eps: as in predict (test mode)."""
    pred = predict(X, params, hidden, output, batch_norm=batch_norm, running=running, bn_eps=bn_eps)
    n_L = layer_dims_of(params)[-1]
    if output == "sigmoid" and n_L != 1:
        raise ValueError(f"accuracy counts one label per example: a sigmoid output needs n[L] = 1; got n[L] = {n_L}")
    Y = as_labels(Y, pred.shape[1], rows=n_L)  # (1, m) 0/1 labels, or (C, m) one-hot for softmax
    return float(np.mean(pred == as_hard_labels(Y, pred.shape[1])))
