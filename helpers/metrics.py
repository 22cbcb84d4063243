"""What a multi-class classifier gets wrong and how far to trust its probabilities.

Course shapes: labels are (1, m) class indices or (C, m) one-hot columns; probabilities are A[L], (C, m),
each column summing to 1. ``confusion_matrix`` counts (true, predicted) pairs; ``most_confused`` lists
the largest off-diagonal counts; ``reliability_bins`` and ``expected_calibration_error`` compare the
confidence max_k a_k of each prediction with how often such predictions are right.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validation import as_labels, as_matrix, check_positive_int


def class_indices(Y, m: int | None = None, name: str = "Y", num_classes: int | None = None) -> np.ndarray:
    """(m,) integer classes from Y given as (1, m) class indices or (C, m) one-hot; ValueError otherwise.

    A (1, m) row is read as class indices 0..C-1 (not as 0/1 probabilities); num_classes, when given,
    bounds them (and must equal C for one-hot Y).
    """
    Y = np.asarray(Y)
    if Y.ndim != 2:
        raise ValueError(f"{name} must be 2-D: (1, m) class indices or (C, m) one-hot; got shape {Y.shape}"
                         + (" (use .reshape(1, -1))" if Y.ndim == 1 else ""))
    if m is not None and Y.shape[1] != m:
        raise ValueError(f"{name} must have m = {m} columns (one per example); got shape {Y.shape}")
    if Y.shape[1] == 0:
        raise ValueError(f"{name} has no examples (shape {Y.shape})")
    if Y.shape[0] == 1:
        if not (np.issubdtype(Y.dtype, np.integer) or (np.issubdtype(Y.dtype, np.floating)
                                                        and np.all(np.isfinite(Y)) and np.all(Y == np.round(Y)))):
            raise ValueError(f"{name} as a (1, m) row must hold integer class indices; got dtype {Y.dtype}")
        labels = Y[0].astype(int)
        if labels.min() < 0 or (num_classes is not None and labels.max() >= num_classes):
            top = "C - 1" if num_classes is None else num_classes - 1
            raise ValueError(f"{name} class indices must be in 0..{top}; got values in [{labels.min()}, {labels.max()}]")
        return labels
    if num_classes is not None and Y.shape[0] != num_classes:
        raise ValueError(f"{name} one-hot must have C = {num_classes} rows; got shape {Y.shape}")
    Y = as_labels(Y, Y.shape[1], name=name, one_hot=True)
    if np.any((Y != 0) & (Y != 1)):
        raise ValueError(f"{name} (C, m) must be one-hot (one 1 per column); got soft labels")
    return Y.argmax(axis=0)


def confusion_matrix(Y_true, Y_pred, num_classes: int) -> np.ndarray:
    """(C, C) integer counts: entry [i, j] = number of examples of true class i predicted as class j.

    Y_true, Y_pred: (1, m) class indices or (C, m) one-hot (each may be either). Rows sum to the class
    counts; the diagonal holds the correct predictions; the trace over m is the accuracy.
    """
    C = check_positive_int(num_classes, "num_classes (the number of classes C)", minimum=2)
    true = class_indices(Y_true, name="Y_true", num_classes=C)
    pred = class_indices(Y_pred, m=true.size, name="Y_pred", num_classes=C)
    counts = np.zeros((C, C), dtype=int)
    np.add.at(counts, (true, pred), 1)
    return counts


def most_confused(counts, k: int = 5) -> list[tuple[int, int, int]]:
    """The k largest off-diagonal entries of a confusion matrix as (true class, predicted class, count),
    largest first (ties: smaller true class, then smaller predicted class, first); zero counts are left out."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts must be a square (C, C) integer confusion matrix; got shape {counts.shape}, "
                         f"dtype {counts.dtype}")
    k = check_positive_int(k, "k (how many pairs)")
    pairs = [(int(counts[i, j]), i, j) for i in range(len(counts)) for j in range(len(counts))
             if i != j and counts[i, j] > 0]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [(i, j, n) for n, i, j in pairs[:k]]


class Reliability(NamedTuple):
    """Per confidence bin b (edges[b] < confidence <= edges[b+1]; the first bin also holds 0):
    counts[b] predictions, their mean confidence confidence[b] and their accuracy accuracy[b] (NaN where
    a bin is empty). edges has n_bins + 1 entries from 0 to 1."""
    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray


def _check_probabilities(A, name: str = "A") -> np.ndarray:
    A = as_matrix(A, name)
    if A.shape[0] < 2:
        raise ValueError(f"{name} must be (C, m) class probabilities with C >= 2 rows (softmax output A[L]); "
                         f"got shape {A.shape}")
    if np.any(A < 0) or np.any(np.abs(A.sum(axis=0) - 1) > 1e-6):
        raise ValueError(f"{name}'s columns must be probabilities (>= 0, summing to 1), as softmax returns")
    return A


def reliability_bins(A, Y, n_bins: int = 10) -> Reliability:
    """Bin the predictions of A (C, m) by their confidence max_k a_k into n_bins equal-width bins of [0, 1].

    Y: the true classes, (1, m) indices or (C, m) one-hot. A perfectly calibrated model has
    accuracy[b] = confidence[b] in every bin: of the predictions made with 80 % confidence, 80 % are right.
    """
    A = _check_probabilities(A)
    true = class_indices(Y, m=A.shape[1], num_classes=A.shape[0])
    n_bins = check_positive_int(n_bins, "n_bins")
    confidence, correct = A.max(axis=0), (A.argmax(axis=0) == true).astype(float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    counts = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(which, confidence, minlength=n_bins) / counts
        accuracy = np.bincount(which, correct, minlength=n_bins) / counts
    return Reliability(edges, counts, mean_conf, accuracy)


def expected_calibration_error(A, Y, n_bins: int = 10) -> float:
    """ECE = Σ_b (n_b / m) |accuracy_b − confidence_b| over the confidence bins of ``reliability_bins``.

    0 for a perfectly calibrated model; the average gap, weighted by how many predictions fall in each bin.
    """
    bins = reliability_bins(A, Y, n_bins)
    full = bins.counts > 0
    m = bins.counts.sum()
    return float(np.sum(bins.counts[full] / m * np.abs(bins.accuracy[full] - bins.confidence[full])))


def overconfidence(A, Y) -> float:
    """Mean confidence minus accuracy over all m predictions: > 0 overconfident, < 0 underconfident."""
    A = _check_probabilities(A)
    true = class_indices(Y, m=A.shape[1], num_classes=A.shape[0])
    return float(A.max(axis=0).mean() - np.mean(A.argmax(axis=0) == true))
