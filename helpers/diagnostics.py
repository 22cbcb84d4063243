"""Per-layer health statistics of a network at one point in time (lab 04, and any lab that trains deep nets).

Given the cache of ``helpers.network.forward`` and the grads of ``helpers.network.backward``, report for
every layer l = 1..L how large the activations A^[l] and the gradients dW^[l] are, and how many tanh/sigmoid
units sit on their flat tails (saturated). Plotted against l on a log scale these show vanishing or
exploding signals at a glance, as in the per-layer diagnostics of makemore part 3.

Shapes: every statistic is a float array of shape (L,), entry l - 1 describing layer l, so the output
layer is the last entry. A^[l] is (n[l], m) and dW^[l] is (n[l], n[l-1]); each std is taken over all
entries of that matrix (units and examples together).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import network
from .validation import check_choice

SATURATING = ("tanh", "sigmoid")
DEFAULT_THRESHOLD = 0.97  # |tanh| > 0.97: g'(z) < 0.06, the unit passes back less than 6 % of its gradient


class LayerStats(NamedTuple):
    """Per-layer statistics, each of shape (L,): entry l - 1 is layer l (hidden layers, then the output).

    act_mean, act_std: mean and std of the entries of A^[l] = g(Z^[l]) (before dropout).
    grad_std: std of the entries of dW^[l]; None when no grads were given.
    saturated: fraction of the entries of A^[l] on a flat tail of g (see ``fraction_saturated``);
    NaN for layers whose activation does not saturate (ReLU, softmax).
    """
    act_mean: np.ndarray
    act_std: np.ndarray
    grad_std: np.ndarray | None
    saturated: np.ndarray


def _check_threshold(threshold) -> float:
    threshold = float(threshold)
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be in (0, 1) (e.g. 0.97: |tanh(z)| > 0.97 counts as saturated); "
                         f"got {threshold}")
    return threshold


def fraction_saturated(A, kind: str, threshold: float = DEFAULT_THRESHOLD) -> float:
    """Fraction of the entries of A = g(Z) that lie on a flat tail of g.

    tanh: |a| > threshold. sigmoid: |2a - 1| > threshold, the same rule after rescaling, since
    2 sigmoid(z) - 1 = tanh(z / 2); with 0.97 that is a < 0.015 or a > 0.985. A saturated unit's local
    gradient g'(z) is almost zero, so it passes (almost) nothing back to the layers below.
    A: any array of finite activations, e.g. (n[l], m). kind: "tanh" or "sigmoid".
    """
    if kind not in SATURATING:
        raise ValueError(f"kind must be one of {list(SATURATING)} (ReLU and softmax have no flat tail that this "
                         f"rule measures); got {kind!r}")
    threshold = _check_threshold(threshold)
    A = np.asarray(A, dtype=float)
    if A.size == 0 or not np.all(np.isfinite(A)):
        raise ValueError(f"A must be a non-empty array of finite activations; got shape {A.shape}")
    low, high = (-1.0, 1.0) if kind == "tanh" else (0.0, 1.0)
    if A.min() < low or A.max() > high:
        raise ValueError(f"A must hold {kind} outputs in [{low:g}, {high:g}]; got values in [{A.min():g}, {A.max():g}]")
    centred = A if kind == "tanh" else 2 * A - 1
    return float(np.mean(np.abs(centred) > threshold))


def _check_cache(cache) -> list:
    if not isinstance(cache, dict) or not isinstance(cache.get("layers"), list) or not cache["layers"] \
            or "hidden" not in cache or "output" not in cache:
        raise ValueError("cache must be the second value returned by helpers.network.forward(X, params, ...) "
                         "(a dict with 'layers', 'hidden', 'output')")
    return cache["layers"]


def layer_statistics(cache, grads=None, threshold: float = DEFAULT_THRESHOLD) -> LayerStats:
    """Per-layer statistics from forward's cache (and backward's grads, if given); see ``LayerStats``."""
    layers = _check_cache(cache)
    threshold = _check_threshold(threshold)
    L = len(layers)
    kinds = [cache["hidden"]] * (L - 1) + [cache["output"]]
    acts = [layer["G"] for layer in layers]
    act_mean = np.array([A.mean() for A in acts])
    act_std = np.array([A.std() for A in acts])
    saturated = np.array([fraction_saturated(A, kind, threshold) if kind in SATURATING else np.nan
                          for A, kind in zip(acts, kinds, strict=True)])
    grad_std = None
    if grads is not None:
        if not isinstance(grads, dict):
            raise ValueError(f"grads must be the dict returned by helpers.network.backward; got {type(grads).__name__}")
        grad_std = np.empty(L)
        for l, layer in enumerate(layers, 1):
            dW = grads.get(f"dW{l}")
            want = (layer["Z"].shape[0], layer["A_prev"].shape[0])
            if dW is None or np.shape(dW) != want:
                raise ValueError(f"grads['dW{l}'] must have shape {want} (n[{l}], n[{l - 1}]) to match the cache; "
                                 f"got {None if dW is None else np.shape(dW)}")
            grad_std[l - 1] = np.std(dW)
    return LayerStats(act_mean, act_std, grad_std, saturated)


def measure(params: dict, X, Y, hidden: str = "relu", output: str = "sigmoid",
            threshold: float = DEFAULT_THRESHOLD) -> LayerStats:
    """Forward X (n_x, m) through params, back-propagate the cost against Y, return ``layer_statistics``.

    No training happens: this is the network's health at these parameters (usually at initialization).
    """
    check_choice(hidden, "hidden", network.HIDDEN_ACTIVATIONS)
    _, cache = network.forward(X, params, hidden, output)
    grads = network.backward(cache, Y)
    return layer_statistics(cache, grads, threshold)


def activation_histograms(cache, bins, normalize: bool = False) -> np.ndarray:
    """Fraction of the entries of each A^[l] falling in each bin: shape (L, len(bins) - 1), rows sum to <= 1.

    bins: increasing bin edges (as for np.histogram); entries outside [bins[0], bins[-1]] are not counted.
    normalize: divide each layer's activations by their std first (a layer with std 0 is left as it is), so
    layers whose scales differ by orders of magnitude (ReLU) can share one axis: this shows shapes, not sizes.
    """
    layers = _check_cache(cache)
    bins = np.asarray(bins, dtype=float)
    if bins.ndim != 1 or len(bins) < 2 or not np.all(np.isfinite(bins)) or np.any(np.diff(bins) <= 0):
        raise ValueError(f"bins must be at least two finite, strictly increasing edges; got {bins!r}")
    rows = []
    for layer in layers:
        A = layer["G"]
        if normalize and A.std() > 0:
            A = A / A.std()
        rows.append(np.histogram(A, bins=bins)[0] / A.size)
    return np.array(rows)


def ratio_last_to_first(values) -> float:
    """values[-1] / values[0] for a per-layer statistic: > 1 grows with depth, < 1 shrinks (NaN for 0 / 0)."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) < 2 or not np.all(np.isfinite(values)):
        raise ValueError(f"values must be a 1-D array of at least two finite numbers, one per layer; got {values!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(values[-1] / values[0])


def geometric_summary(values, digits: int = 2) -> str:
    """'7.7e-01 [7.5e-01, 7.9e-01]': the geometric mean of positive numbers (e.g. a ratio over seeds) and the
    smallest and largest, all printed with the same number of significant digits, so the printed mean always
    lies inside its printed range (rounding is monotone). All zero -> '0 (all zero)'.
    """
    values = np.asarray(list(values), dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"values must be a non-empty sequence of finite numbers >= 0; got {values.tolist()}")
    if int(digits) != digits or digits < 1:
        raise ValueError(f"digits must be a positive integer; got {digits!r}")
    if np.all(values == 0):
        return "0 (all zero)"
    if np.any(values == 0):
        raise ValueError(f"a geometric mean needs all values > 0 (or all zero); got {values.tolist()}")
    fmt = f".{int(digits) - 1}e"
    mean = float(np.exp(np.mean(np.log(values))))
    return f"{mean:{fmt}} [{values.min():{fmt}}, {values.max():{fmt}}]"


__all__ = ["LayerStats", "SATURATING", "DEFAULT_THRESHOLD", "fraction_saturated", "layer_statistics", "measure",
           "activation_histograms", "ratio_last_to_first", "geometric_summary"]
