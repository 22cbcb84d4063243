"""Tests for helpers.augmentation: shifts and rotations of square images, in both input forms."""
import numpy as np
import pytest

from helpers.augmentation import augment, rotate, shift
from helpers.datasets import load_digits


def _stack(m=3, h=5, w=5, seed=0):
    return np.random.default_rng(seed).random((m, h, w))


def test_shift_moves_pixels_and_fills_with_zero():
    img = np.arange(1, 10, dtype=float).reshape(1, 3, 3)
    right = shift(img, 1, 0)[0]
    np.testing.assert_array_equal(right, [[0, 1, 2], [0, 4, 5], [0, 7, 8]])
    up = shift(img, 0, -1)[0]
    np.testing.assert_array_equal(up, [[4, 5, 6], [7, 8, 9], [0, 0, 0]])
    np.testing.assert_array_equal(shift(img, 0, 0), img)


def test_shift_matches_roll_away_from_the_border():
    s = _stack(h=6, w=7)
    out = shift(s, -2, 1)
    rolled = np.roll(np.roll(s, -2, axis=2), 1, axis=1)
    np.testing.assert_array_equal(out[:, 1:, :-2], rolled[:, 1:, :-2])
    assert np.all(out[:, 0, :] == 0) and np.all(out[:, :, -2:] == 0)


def test_X_form_and_image_form_agree():
    s = _stack(m=4, h=8, w=8)
    X = s.reshape(4, 64).T
    np.testing.assert_allclose(shift(X, 1, -1), shift(s, 1, -1).reshape(4, 64).T)
    np.testing.assert_allclose(rotate(X, 12.5), rotate(s, 12.5).reshape(4, 64).T)
    assert shift(X, 1, 0).shape == (64, 4) and rotate(s, 5).shape == (4, 8, 8)


def test_digits_X_columns_are_the_images():
    d = load_digits()
    X = d.X[:, :5]
    np.testing.assert_allclose(shift(X, 1, 0), shift(d.images[:5] / 16.0, 1, 0).reshape(5, 64).T)


def test_rotate_zero_and_full_turn_are_identity():
    s = _stack()
    np.testing.assert_allclose(rotate(s, 0), s)
    np.testing.assert_allclose(rotate(s, 360), s, atol=1e-9)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_rotate_quarter_turns_match_rot90(k):
    s = _stack(m=2, h=6, w=6)
    np.testing.assert_allclose(rotate(s, 90 * k), np.rot90(s, k, axes=(1, 2)), atol=1e-12)


def test_rotate_is_counter_clockwise_as_displayed():
    img = np.zeros((1, 5, 5))
    img[0, 2, 4] = 1.0  # a pixel to the right of the centre
    out = rotate(img, 90)[0]
    assert out[0, 2] == pytest.approx(1.0)  # ends up above the centre (row 0 is the top)


def test_rotate_interpolates_linear_images_exactly():
    # bilinear interpolation reproduces a linear ramp exactly wherever all four neighbours are inside
    h = w = 9
    ramp = np.tile(np.arange(w, dtype=float), (h, 1))[None]  # pixel value = its column index
    out = rotate(ramp, 10)[0]
    theta = np.deg2rad(10)
    r, c = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    x, y = c - 4, 4 - r
    c_src = np.cos(theta) * x + np.sin(theta) * y + 4
    interior = (slice(2, 7), slice(2, 7))
    np.testing.assert_allclose(out[interior], c_src[interior], atol=1e-12)


def test_rotate_stays_in_range_and_loses_mass_to_zero_fill():
    s = _stack(m=5, h=8, w=8)
    out = rotate(s, 10)
    assert out.min() >= 0 and out.max() <= 1
    assert out.sum() < s.sum()


def test_augment_stacks_copies_and_repeats_labels():
    d = load_digits()
    X, labels = d.X[:, :10], d.labels[:, :10]
    Y = np.eye(10)[labels[0]].T
    X_aug, Y_aug = augment(X, Y)
    assert X_aug.shape == (64, 70) and Y_aug.shape == (10, 70)
    np.testing.assert_array_equal(X_aug[:, :10], X)
    np.testing.assert_allclose(X_aug[:, 10:20], shift(X, 1, 0))
    np.testing.assert_allclose(X_aug[:, 60:70], rotate(X, 10))
    for k in range(7):
        np.testing.assert_array_equal(Y_aug[:, 10 * k:10 * (k + 1)], Y)
    X_only, _ = augment(X, Y, shifts=[], angles=[])
    np.testing.assert_array_equal(X_only, X)


@pytest.mark.parametrize("bad, match", [
    (np.zeros((64,)), "stack"),
    (np.zeros((63, 4)), "square"),
    (np.zeros((2, 3, 4, 5)), "stack"),
    (np.full((1, 3, 3), np.nan), "NaN"),
    (np.array([["a"]]), "numeric"),
    (np.zeros((0, 3, 3)), r"\(m, h, w\)"),
])
def test_bad_images_raise(bad, match):
    with pytest.raises(ValueError, match=match):
        shift(bad, 1, 0)
    with pytest.raises(ValueError, match=match):
        rotate(bad, 5)


@pytest.mark.parametrize("dx, dy", [(1.5, 0), (0, 8), (-8, 0), (True, 0), ("1", 0)])
def test_bad_shift_raises(dx, dy):
    with pytest.raises(ValueError, match="integer number of pixels"):
        shift(np.zeros((1, 8, 8)), dx, dy)


@pytest.mark.parametrize("deg", [np.nan, np.inf, "ten", None])
def test_bad_angle_raises(deg):
    with pytest.raises(ValueError, match="degrees"):
        rotate(np.zeros((1, 8, 8)), deg)


def test_augment_bad_input_raises():
    X = np.zeros((64, 3))
    with pytest.raises(ValueError, match="data matrix"):
        augment(np.zeros((3, 8, 8)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="Y must have shape"):
        augment(X, np.zeros((1, 4)))
    with pytest.raises(ValueError, match="pairs"):
        augment(X, np.zeros((1, 3)), shifts=[1, 2])


# ---------------------------------------------------------------- issue 8: X given transposed
def test_transposed_X_is_refused_not_read_as_smaller_images():
    X = load_digits().X[:, :49]  # (64, 49): 49 digits
    with pytest.raises(ValueError, match=r"X must have shape \(64, m\) .* got \(49, 64\) \(did you pass it transposed"):
        shift(X.T, 1, 0)  # it returned 64 images of 7x7
    with pytest.raises(ValueError, match=r"got \(49, 64\) \(did you pass it transposed"):
        rotate(X.T, 10)
    with pytest.raises(ValueError, match=r"got \(49, 64\)"):
        augment(X.T, np.zeros((1, 64)))
    assert shift(X, 1, 0).shape == (64, 49)


def test_other_square_images_say_their_side():
    s = np.arange(2 * 9, dtype=float).reshape(2, 3, 3)
    X = s.reshape(2, 9).T
    np.testing.assert_array_equal(shift(X, 1, 0, side=3), shift(s, 1, 0).reshape(2, 9).T)
    np.testing.assert_allclose(rotate(X, 90, side=3), rotate(s, 90).reshape(2, 9).T, atol=1e-12)
    with pytest.raises(ValueError, match=r"X must have shape \(64, m\) for square 8x8 images"):
        shift(X, 1, 0)
