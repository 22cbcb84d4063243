"""Unit tests for helpers.datasets: toy sets, splits, mini-batches, standardization, one-hot, digits."""
from __future__ import annotations

import io

import numpy as np
import pytest

from helpers import datasets


def _rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- toy 2-D sets
@pytest.mark.parametrize("make", [
    pytest.param(lambda m, rng: datasets.make_moons(m, 0.2, rng), id="moons"),
    pytest.param(lambda m, rng: datasets.make_circles(m, 0.1, rng), id="circles"),
    pytest.param(lambda m, rng: datasets.make_noisy_boundary(m, rng), id="noisy_boundary"),
])
@pytest.mark.parametrize("m", [2, 7, 200])
def test_toy_sets_shapes_labels_and_determinism(make, m):
    X, Y = make(m, _rng(1))
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert np.all(np.isfinite(X))
    assert set(np.unique(Y)) <= {0, 1}
    X2, Y2 = make(m, _rng(1))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    X3, _ = make(m, _rng(2))
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("make", [datasets.make_moons, datasets.make_circles])
def test_moons_and_circles_are_balanced(make):
    _, Y = make(101, 0.1, _rng())
    assert Y.sum() == 50  # alternating labels: 51 zeros, 50 ones


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, Y = datasets.make_moons(200, 0.0, _rng(3))
    upper, lower = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(upper[0] ** 2 + upper[1] ** 2, 1.0, rtol=1e-12)
    assert np.all(upper[1] >= 0)
    np.testing.assert_allclose((lower[0] - 1) ** 2 + (lower[1] - 0.5) ** 2, 1.0, rtol=1e-12)
    assert np.all(lower[1] <= 0.5)
    noisy, _ = datasets.make_moons(200, 0.3, _rng(3))
    assert np.std(noisy - X) == pytest.approx(0.3, rel=0.15)


def test_circles_without_noise_have_the_two_radii():
    X, Y = datasets.make_circles(200, 0.0, _rng(4), factor=0.3)
    r = np.sqrt((X ** 2).sum(axis=0))
    np.testing.assert_allclose(r[Y[0] == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(r[Y[0] == 1], 0.3, rtol=1e-12)


@pytest.mark.parametrize("flip", [0.0, 0.1, 0.3])
def test_noisy_boundary_flip_rate(flip):
    m = 6000
    X, Y = datasets.make_noisy_boundary(m, _rng(5), flip=flip)
    assert np.all((X >= -2.5) & (X <= 2.5))
    clean = datasets.true_boundary_labels(X)
    assert clean.shape == (1, m)
    rate = np.mean(Y != clean)
    if flip == 0:
        assert rate == 0
    else:
        # 4 standard errors of a binomial proportion
        assert abs(rate - flip) < 4 * np.sqrt(flip * (1 - flip) / m)
    assert 0.3 < clean.mean() < 0.7  # the curve splits the square into two sizeable classes


def test_true_boundary_labels_are_one_above_the_curve():
    x1 = np.linspace(-2.5, 2.5, 11)
    curve = datasets.true_boundary_curve(x1)
    assert curve.shape == x1.shape and np.all(np.isfinite(curve))
    assert np.ptp(curve) > 0.5  # a wavy boundary, not a constant
    above = np.vstack([x1, curve + 1e-3])
    below = np.vstack([x1, curve - 1e-3])
    np.testing.assert_array_equal(datasets.true_boundary_labels(above), np.ones((1, 11), dtype=int))
    np.testing.assert_array_equal(datasets.true_boundary_labels(below), np.zeros((1, 11), dtype=int))


# ---------------------------------------------------------------- train / dev / test split
def _indexed(m, n_x=3):
    """X whose first row is the column index (so every column is traceable) and Y = index % 2."""
    idx = np.arange(m)
    X = np.vstack([idx, _rng(9).standard_normal((n_x - 1, m))])
    return X, (idx % 2).reshape(1, -1)


@pytest.mark.parametrize("m, dev, test, sizes", [
    (50, 0.2, 0.2, (30, 10, 10)),
    (10, 0.1, 0.3, (6, 1, 3)),
    (40, 0.0, 0.25, (30, 0, 10)),
    (7, 0.3, 0.0, (5, 2, 0)),
])
def test_split_sizes_disjoint_complete_and_paired(m, dev, test, sizes):
    X, Y = _indexed(m)
    parts = datasets.train_dev_test_split(X, Y, _rng(1), dev_fraction=dev, test_fraction=test)
    assert len(parts) == 6
    Xs, Ys = parts[0::2], parts[1::2]
    assert tuple(x.shape[1] for x in Xs) == sizes
    for x, y in zip(Xs, Ys, strict=True):
        assert x.shape[0] == 3 and y.shape == (1, x.shape[1])
        np.testing.assert_array_equal(y[0], x[0].astype(int) % 2)  # labels still with their x
        # the whole column travelled together
        np.testing.assert_array_equal(x, X[:, x[0].astype(int)])
    ids = np.concatenate([x[0] for x in Xs]).astype(int)
    np.testing.assert_array_equal(np.sort(ids), np.arange(m))  # every column exactly once


def test_split_is_shuffled_and_deterministic_per_seed():
    X, Y = _indexed(60)
    a = datasets.train_dev_test_split(X, Y, _rng(7))
    b = datasets.train_dev_test_split(X, Y, _rng(7))
    c = datasets.train_dev_test_split(X, Y, _rng(8))
    for pa, pb in zip(a, b, strict=True):
        np.testing.assert_array_equal(pa, pb)
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[0][0], np.arange(60)[24:])  # not simply the last columns in order
    assert not np.array_equal(np.sort(a[2][0]), np.arange(12))  # dev is not simply the first 12


def test_split_keeps_one_hot_labels_paired():
    m = 20
    X = np.arange(m, dtype=float).reshape(1, -1)
    labels = np.arange(m) % 4
    Y = datasets.one_hot(labels, 4)
    X_tr, Y_tr, X_dv, Y_dv, X_te, Y_te = datasets.train_dev_test_split(X, Y, _rng(0))
    for x, y in ((X_tr, Y_tr), (X_dv, Y_dv), (X_te, Y_te)):
        assert y.shape == (4, x.shape[1])
        np.testing.assert_array_equal(y.argmax(axis=0), x[0].astype(int) % 4)


# ---------------------------------------------------------------- mini-batches
def test_minibatches_sizes_and_last_partial_batch():
    X, Y = _indexed(10)
    batches = list(datasets.minibatches(X, Y, 4, _rng(0)))
    assert [xb.shape[1] for xb, _ in batches] == [4, 4, 2]
    assert [yb.shape for _, yb in batches] == [(1, 4), (1, 4), (1, 2)]


@pytest.mark.parametrize("m, batch_size, sizes", [(12, 4, [4, 4, 4]), (5, 8, [5]), (7, 1, [1] * 7), (9, 9, [9])])
def test_minibatches_sizes_other_cases(m, batch_size, sizes):
    X, Y = _indexed(m)
    assert [xb.shape[1] for xb, _ in datasets.minibatches(X, Y, batch_size, _rng(0))] == sizes


def test_minibatches_cover_every_column_once_shuffled_and_paired():
    m = 23
    X, Y = _indexed(m)
    batches = list(datasets.minibatches(X, Y, 5, _rng(3)))
    ids = np.concatenate([xb[0] for xb, _ in batches]).astype(int)
    np.testing.assert_array_equal(np.sort(ids), np.arange(m))
    assert not np.array_equal(ids, np.arange(m))  # shuffled
    for xb, yb in batches:
        np.testing.assert_array_equal(yb[0], xb[0].astype(int) % 2)
        np.testing.assert_array_equal(xb, X[:, xb[0].astype(int)])
    # a new permutation from the same generator on the next epoch, the same one from the same seed
    rng = _rng(3)
    first = np.concatenate([xb[0] for xb, _ in datasets.minibatches(X, Y, 5, rng)])
    second = np.concatenate([xb[0] for xb, _ in datasets.minibatches(X, Y, 5, rng)])
    np.testing.assert_array_equal(first, ids)
    assert not np.array_equal(first, second)


def test_minibatches_without_rng_keep_the_order():
    X, Y = _indexed(10)
    ids = np.concatenate([xb[0] for xb, _ in datasets.minibatches(X, Y, 3, None)]).astype(int)
    np.testing.assert_array_equal(ids, np.arange(10))


# ---------------------------------------------------------------- standardization
def test_standardizer_gives_zero_mean_unit_std_on_train():
    rng = _rng(11)
    X_train = rng.normal(loc=[[5.0], [-3.0], [100.0]], scale=[[2.0], [0.1], [30.0]], size=(3, 80))
    X_dev = rng.normal(loc=[[5.0], [-3.0], [100.0]], scale=[[2.0], [0.1], [30.0]], size=(3, 20))
    mu, sigma = datasets.fit_standardizer(X_train)
    assert mu.shape == (3, 1) and sigma.shape == (3, 1)
    np.testing.assert_allclose(mu[:, 0], X_train.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(sigma[:, 0], X_train.std(axis=1), rtol=1e-12)
    Z = datasets.standardize(X_train, mu, sigma)
    assert Z.shape == X_train.shape
    np.testing.assert_allclose(Z.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=1), 1.0, rtol=1e-12)
    # dev uses the training statistics, not its own
    Z_dev = datasets.standardize(X_dev, mu, sigma)
    np.testing.assert_allclose(Z_dev, (X_dev - mu) / sigma, rtol=1e-12)
    assert not np.allclose(Z_dev.mean(axis=1), 0.0, atol=1e-6)


def test_standardizer_leaves_constant_features_finite():
    X = np.vstack([np.full(10, 4.0), np.arange(10.0)])
    mu, sigma = datasets.fit_standardizer(X)
    assert sigma[0, 0] == 1.0
    Z = datasets.standardize(X, mu, sigma)
    np.testing.assert_array_equal(Z[0], 0.0)
    assert Z[1].std() == pytest.approx(1.0, rel=1e-12)


# ---------------------------------------------------------------- one-hot
def test_one_hot_by_hand():
    out = datasets.one_hot(np.array([2, 0, 1, 2]), 3)
    np.testing.assert_array_equal(out, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    assert out.shape == (3, 4)
    # (1, m) labels, as predict returns them, work too; unused classes give zero rows
    out = datasets.one_hot(np.array([[1, 1, 0]]), 4)
    np.testing.assert_array_equal(out, [[0, 0, 1], [1, 1, 0], [0, 0, 0], [0, 0, 0]])


def test_one_hot_round_trips_with_argmax():
    labels = _rng(2).integers(0, 10, size=50)
    out = datasets.one_hot(labels, 10)
    np.testing.assert_array_equal(out.sum(axis=0), 1.0)
    np.testing.assert_array_equal(out.argmax(axis=0), labels)


# ---------------------------------------------------------------- digits
@pytest.fixture(scope="module")
def digits():
    return datasets.load_digits()


def test_load_digits_shapes_and_ranges(digits):
    X, labels, images = digits
    assert X.shape == (64, 1797) and X.dtype == np.float64
    assert X.min() == 0.0 and X.max() == 1.0
    assert labels.shape == (1, 1797) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(np.unique(labels), np.arange(10))
    assert images.shape == (1797, 8, 8)
    # X is the images flattened row by row, one example per column, scaled from 0..16 to [0, 1]
    np.testing.assert_allclose(X[:, 123], images[123].ravel() / 16.0)
    np.testing.assert_allclose(X * 16, np.round(X * 16))
    counts = np.bincount(labels[0], minlength=10)
    assert counts.min() > 150  # every class is well represented


def test_load_digits_with_an_explicit_path_of_an_identical_copy(tmp_path, digits):
    copy = tmp_path / "digits.npz"
    copy.write_bytes((datasets.DATA_DIR / "digits.npz").read_bytes())
    again = datasets.load_digits(copy)
    np.testing.assert_array_equal(again.X, digits.X)
    np.testing.assert_array_equal(again.labels, digits.labels)


def _corrupted_copies(tmp_path):
    raw = (datasets.DATA_DIR / "digits.npz").read_bytes()
    with np.load(io.BytesIO(raw)) as f:
        images, labels = f["images"].copy(), f["labels"].copy()
    images[0, 3, 3] = 16 - images[0, 3, 3] if images[0, 3, 3] != 8 else 0  # one changed pixel
    modified = tmp_path / "modified.npz"
    np.savez(modified, images=images, labels=labels)
    relabeled = tmp_path / "relabeled.npz"
    labels2 = labels.copy()
    labels2[5] = (labels2[5] + 1) % 10
    with np.load(io.BytesIO(raw)) as f:
        np.savez(relabeled, images=f["images"], labels=labels2)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(raw[:-100])
    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0xFF
    bitflip = tmp_path / "bitflip.npz"
    bitflip.write_bytes(bytes(flipped))
    return [modified, relabeled, truncated, bitflip]


def test_load_digits_rejects_corrupted_copies(tmp_path):
    for path in _corrupted_copies(tmp_path):
        with pytest.raises(ValueError, match=r"SHA-256 .* expected .*: the file is corrupt or not the shipped one"
                                             r"|has \d+ bytes, expected 45394: not the shipped digits.npz"):
            datasets.load_digits(path)


# ---------------------------------------------------------------- issue 8, section 5
def test_load_digits_checks_the_size_before_reading(tmp_path):
    import os
    if os.path.exists("/dev/zero"):
        with pytest.raises(ValueError, match="/dev/zero is not a regular file"):
            datasets.load_digits("/dev/zero")  # it read until memory ran out
    big = tmp_path / "big.npz"
    with big.open("wb") as f:
        f.truncate(10 * datasets.DIGITS_SIZE)  # sparse: no data is written
    with pytest.raises(ValueError, match=rf"has {10 * datasets.DIGITS_SIZE} bytes, expected {datasets.DIGITS_SIZE}"):
        datasets.load_digits(big)
    with pytest.raises(ValueError, match="not a regular file"):
        datasets.load_digits(tmp_path)
    assert datasets.load_digits().X.shape == (64, 1797)
