"""Unit tests for the multi-class 2-D sets of helpers.datasets: make_spirals, make_blobs."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import datasets

MAKERS = {
    "spirals": lambda m, C, rng: datasets.make_spirals(m, C, 0.2, rng),
    "blobs": lambda m, C, rng: datasets.make_blobs(m, C, 0.5, rng),
}


@pytest.mark.parametrize("name", MAKERS)
@pytest.mark.parametrize("m, C", [(2, 2), (7, 3), (300, 5)])
def test_shapes_one_hot_balance_and_determinism(name, m, C):
    X, Y = MAKERS[name](m, C, np.random.default_rng(3))
    assert X.shape == (2, m) and Y.shape == (C, m) and np.all(np.isfinite(X))
    np.testing.assert_array_equal(Y.sum(axis=0), np.ones(m))
    assert set(np.unique(Y)) <= {0.0, 1.0}
    counts = Y.sum(axis=1)
    assert counts.max() - counts.min() <= 1  # balanced
    X2, Y2 = MAKERS[name](m, C, np.random.default_rng(3))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)


def test_blobs_sit_around_their_centres():
    X, Y = datasets.make_blobs(400, 4, 0.1, np.random.default_rng(0), radius=2.0)
    labels = Y.argmax(axis=0)
    for k in range(4):
        centre = X[:, labels == k].mean(axis=1)
        angle = 2 * np.pi * k / 4 + np.pi / 2
        np.testing.assert_allclose(centre, [2 * np.cos(angle), 2 * np.sin(angle)], atol=0.05)


def test_spirals_are_not_linearly_separable_but_arms_are_distinct():
    X, Y = datasets.make_spirals(600, 3, 0.0, np.random.default_rng(0))
    radius = np.linalg.norm(X, axis=0)
    assert radius.min() >= 0.05 - 1e-12 and radius.max() <= 1.0 + 1e-12
    labels = Y.argmax(axis=0)
    # without noise, a point's angle minus π r is its arm's rotation 2πk/C
    offset = np.mod(np.arctan2(X[1], X[0]) - np.pi * radius, 2 * np.pi)
    np.testing.assert_allclose(np.mod(offset - 2 * np.pi * labels / 3 + 0.1, 2 * np.pi), 0.1, atol=1e-9)


@pytest.mark.parametrize("bad, match", [
    (dict(m=1), "m "), (dict(num_classes=1), "num_classes"), (dict(num_classes=2.5), "num_classes"),
    (dict(noise=-1), "noise"),
])
def test_spirals_bad_input(bad, match):
    kwargs = dict(m=10, num_classes=3, noise=0.1, rng=np.random.default_rng(0)) | bad
    with pytest.raises((ValueError, TypeError), match=match):
        datasets.make_spirals(**kwargs)


@pytest.mark.parametrize("bad, match", [(dict(spread=-0.1), "spread"), (dict(radius=-1), "radius"),
                                        (dict(rng=0), "rng"), (dict(num_classes=0), "num_classes")])
def test_blobs_bad_input(bad, match):
    kwargs = dict(m=10, num_classes=3, spread=0.5, rng=np.random.default_rng(0)) | bad
    with pytest.raises((ValueError, TypeError), match=match):
        datasets.make_blobs(**kwargs)
