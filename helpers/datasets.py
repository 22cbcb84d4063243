"""Data sets and data plumbing: 2-D toy sets, the shipped digits, splits, standardization, mini-batches.

Everything returns course shapes: X (n_x, m), Y (1, m) of 0/1 labels (or (C, m) one-hot).
Every random draw comes from the numpy Generator you pass in.
"""
from __future__ import annotations

import hashlib
import io
import pathlib
from typing import Iterator, NamedTuple

import numpy as np

from .validation import as_examples, as_matrix, as_number, check_nonnegative, check_positive_int, check_rng

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"
DIGITS_SHA256 = "b2dab7b501728c22e9119ad76740b2e17c77a231e42d1e592380d90886f1a05e"
DIGITS_SIZE = 45394  # bytes: checked before reading, so a wrong path (/dev/zero, a huge file) is never read


def _check_m(m) -> int:
    return check_positive_int(m, "m (the number of examples)", minimum=2)


def _check_noise(noise) -> float:
    return check_nonnegative(noise, "noise")


def make_moons(m: int, noise: float, rng: np.random.Generator):
    """Two interleaving half circles: X (2, m), Y (1, m); noise is the std of added Gaussian jitter."""
    m, noise, rng = _check_m(m), _check_noise(noise), check_rng(rng)
    Y = (np.arange(m) % 2).reshape(1, m)
    t = rng.uniform(0, np.pi, m)
    X = np.where(Y == 0, [np.cos(t), np.sin(t)], [1 - np.cos(t), 0.5 - np.sin(t)])
    return X + noise * rng.standard_normal((2, m)), Y


def make_circles(m: int, noise: float, rng: np.random.Generator, factor: float = 0.5):
    """A circle of class 0 around a smaller circle (radius factor) of class 1: X (2, m), Y (1, m)."""
    m, noise, rng = _check_m(m), _check_noise(noise), check_rng(rng)
    if not 0 < as_number(factor, "factor") < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be in (0, 1); got {factor!r}")
    Y = (np.arange(m) % 2).reshape(1, m)
    t = rng.uniform(0, 2 * np.pi, m)
    r = np.where(Y == 1, factor, 1.0)
    X = r * np.array([np.cos(t), np.sin(t)])
    return X + noise * rng.standard_normal((2, m)), Y


def _check_classes(num_classes) -> int:
    return check_positive_int(num_classes, "num_classes (the number of classes C)", minimum=2)


def _balanced_labels(m: int, num_classes: int) -> np.ndarray:
    """(m,) labels 0, 1, ..., C-1, 0, 1, ...: every class gets m // C or m // C + 1 examples."""
    return np.arange(m) % num_classes


def make_spirals(m: int, num_classes: int, noise: float, rng: np.random.Generator, turns: float = 0.5):
    """C interleaved spiral arms (the CS231n toy set): X (2, m) inside about [-1, 1]^2, Y (C, m) one-hot.

    Arm k starts near the origin and winds ``turns`` times around it (0.5: half a circle) as its radius grows
    from 0.05 to 1, rotated by 2πk/C; noise is the std (in radians) of the jitter added to each point's angle. No straight line separates two neighbouring arms, so a softmax
    regression (linear regions) fails where a network with a hidden layer succeeds.
    """
    m, noise, rng = _check_m(m), _check_noise(noise), check_rng(rng)
    num_classes = _check_classes(num_classes)
    labels = _balanced_labels(m, num_classes)
    r = rng.uniform(0.05, 1.0, m)
    turns = check_nonnegative(turns, "turns (how many times each arm winds around the origin)")
    t = 2 * np.pi * (labels / num_classes + turns * r) + noise * rng.standard_normal(m)
    return np.vstack([r * np.cos(t), r * np.sin(t)]), one_hot(labels, num_classes)


def make_blobs(m: int, num_classes: int, spread: float, rng: np.random.Generator, radius: float = 2.0):
    """C Gaussian clusters with std spread, their centres evenly spaced on a circle of the given radius.

    Returns X (2, m), Y (C, m) one-hot. Nearly linearly separable while spread is small next to the gap
    between centres (2·radius·sin(π/C)): the set where softmax regression's linear regions suffice.
    """
    m, rng = _check_m(m), check_rng(rng)
    num_classes = _check_classes(num_classes)
    spread = check_nonnegative(spread, "spread (the std of each cluster)")
    radius = check_nonnegative(radius, "radius (of the circle the centres lie on)")
    labels = _balanced_labels(m, num_classes)
    angle = 2 * np.pi * labels / num_classes + np.pi / 2
    centres = radius * np.vstack([np.cos(angle), np.sin(angle)])
    return centres + spread * rng.standard_normal((2, m)), one_hot(labels, num_classes)


def true_boundary_curve(x1) -> np.ndarray:
    """x2 on the Bayes boundary of ``make_noisy_boundary``: x2 = 1.2 sin(1.6 x1)."""
    return 1.2 * np.sin(1.6 * np.asarray(x1))


def true_boundary_labels(X) -> np.ndarray:
    """The noise-free labels of ``make_noisy_boundary``: 1 above ``true_boundary_curve``."""
    X = as_matrix(X, "X", rows=2)
    return (X[1] > true_boundary_curve(X[0])).astype(int).reshape(1, -1)


def make_noisy_boundary(m: int, rng: np.random.Generator, flip: float = 0.1):
    """Points uniform in [-2.5, 2.5]^2 labelled by a wavy curve, each label flipped with probability flip.

    Because the flips are independent of X, the best possible classifier is the curve itself and its
    error (the Bayes error) is exactly ``flip``: the reference the bias/variance diagnosis needs.
    An unregularized network given few points learns the flipped labels (it overfits).
    """
    m, rng = _check_m(m), check_rng(rng)
    if not 0 <= as_number(flip, "flip") < 0.5:
        raise ValueError(f"flip (the label-noise rate) must be in [0, 0.5); got {flip!r}")
    X = rng.uniform(-2.5, 2.5, (2, m))
    flips = rng.random((1, m)) < flip
    return X, np.where(flips, 1 - true_boundary_labels(X), true_boundary_labels(X))


def train_dev_test_split(X, Y, rng: np.random.Generator, dev_fraction: float = 0.2,
                         test_fraction: float = 0.2):
    """Shuffle the m columns once, then cut them into train / dev / test.

    Returns X_train, Y_train, X_dev, Y_dev, X_test, Y_test (columns are examples). The dev and test
    sizes are round(fraction * m); train gets the rest. Dev and test come from the same shuffle, so
    they come from the same distribution.
    """
    X, Y = as_examples(X, Y)
    check_rng(rng)
    m = X.shape[1]
    for name, f in (("dev_fraction", dev_fraction), ("test_fraction", test_fraction)):
        if not 0 <= as_number(f, name) < 1:
            raise ValueError(f"{name} must be in [0, 1); got {f!r}")
    n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
    if n_dev + n_test >= m:
        raise ValueError(f"dev_fraction + test_fraction must leave at least one training example; "
                         f"got {dev_fraction} + {test_fraction} of m = {m}")
    order = rng.permutation(m)
    dev, test, train = order[:n_dev], order[n_dev:n_dev + n_test], order[n_dev + n_test:]
    return X[:, train], Y[:, train], X[:, dev], Y[:, dev], X[:, test], Y[:, test]


def fit_standardizer(X_train):
    """mu, sigma (each (n_x, 1)) of the training set; features with zero spread get sigma = 1."""
    X_train = as_matrix(X_train, "X_train")
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    return mu, np.where(sigma > 0, sigma, 1.0)


def standardize(X, mu, sigma) -> np.ndarray:
    """(X - mu) / sigma with the *training* mu and sigma, so dev and test are scaled the same way."""
    X = as_matrix(X)
    mu, sigma = np.asarray(mu), np.asarray(sigma)
    if mu.shape != (X.shape[0], 1) or sigma.shape != (X.shape[0], 1):
        raise ValueError(f"mu and sigma must have shape ({X.shape[0]}, 1) to match X {X.shape}; "
                         f"got {mu.shape} and {sigma.shape}")
    mu, sigma = as_matrix(mu, "mu"), as_matrix(sigma, "sigma")  # numbers, finite
    if np.any(sigma <= 0):
        raise ValueError("sigma must be > 0 everywhere")
    return (X - mu) / sigma


def minibatches(X, Y, batch_size: int, rng: np.random.Generator | None) -> Iterator[tuple]:
    """Return an iterator of (X_batch, Y_batch) covering all m columns once, shuffled by rng (None: in order).

    Every batch has batch_size columns except the last, which keeps the remaining m % batch_size.
    Inputs are checked (and the shuffle drawn) when called, not when the first batch is taken.
    """
    X, Y = as_examples(X, Y)
    m = X.shape[1]
    batch_size = check_positive_int(batch_size, "batch_size")
    order = np.arange(m) if rng is None else check_rng(rng).permutation(m)
    return ((X[:, order[i:i + batch_size]], Y[:, order[i:i + batch_size]]) for i in range(0, m, batch_size))


def one_hot(labels, num_classes: int) -> np.ndarray:
    """(C, m) one-hot matrix from m integer labels in [0, C)."""
    num_classes = check_positive_int(num_classes, "num_classes")
    labels = np.asarray(labels).reshape(-1)
    if labels.size == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a non-empty array of integers; got dtype {labels.dtype}")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"labels must be in [0, {num_classes}); got values in [{labels.min()}, {labels.max()}]")
    out = np.zeros((num_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1
    return out


class Digits(NamedTuple):
    """The 8x8 handwritten digits: X (64, 1797) in [0, 1], labels (1, 1797) in 0..9, images (1797, 8, 8)."""
    X: np.ndarray
    labels: np.ndarray
    images: np.ndarray


def load_digits(path: str | pathlib.Path | None = None) -> Digits:
    """Load data/digits.npz (see data/README.md), verifying its size and SHA-256 first."""
    path = pathlib.Path(path) if path is not None else DATA_DIR / "digits.npz"
    if not path.is_file():
        raise ValueError(f"{path} is not a regular file; expected the shipped digits.npz (see data/README.md)")
    size = path.stat().st_size
    if size != DIGITS_SIZE:  # checked before reading: a wrong file is never read into memory
        raise ValueError(f"{path} has {size} bytes, expected {DIGITS_SIZE}: not the shipped digits.npz "
                         "(see data/README.md)")
    with path.open("rb") as f:
        raw = f.read(DIGITS_SIZE + 1)  # at most one byte more than expected, even if the file grew meanwhile
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        raise ValueError(f"{path} has SHA-256 {digest}, expected {DIGITS_SHA256}: the file is corrupt or "
                         "not the shipped one (see data/README.md)")
    with np.load(io.BytesIO(raw), allow_pickle=False) as f:  # the bytes just verified, not a second read
        images, labels = f["images"], f["labels"]
    X = images.reshape(len(images), 64).T.astype(np.float64) / 16.0
    return Digits(X, labels.astype(int).reshape(1, -1), images)
