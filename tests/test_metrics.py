"""Unit tests for helpers.metrics: confusion matrix, most-confused pairs, reliability bins and ECE."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import metrics


def test_confusion_matrix_by_hand_and_both_label_forms():
    true = np.array([[0, 0, 1, 2, 2, 2]])
    pred = np.array([[0, 1, 1, 2, 0, 0]])
    want = np.array([[1, 1, 0], [0, 1, 0], [2, 0, 1]])
    np.testing.assert_array_equal(metrics.confusion_matrix(true, pred, 3), want)
    one_hot = np.eye(3)[:, true[0]]
    np.testing.assert_array_equal(metrics.confusion_matrix(one_hot, pred, 3), want)
    np.testing.assert_array_equal(metrics.confusion_matrix(true, np.eye(3)[:, pred[0]], 3), want)
    counts = metrics.confusion_matrix(true, pred, 3)
    assert counts.sum() == 6 and np.trace(counts) == 3


def test_confusion_matrix_is_not_transposed():
    # one example of true class 0 predicted as 2: row 0 (true), column 2 (predicted)
    counts = metrics.confusion_matrix(np.array([[0]]), np.array([[2]]), 3)
    assert counts[0, 2] == 1 and counts[2, 0] == 0


@pytest.mark.parametrize("Y_true, Y_pred, C, match", [
    (np.array([0, 1]), np.array([[0, 1]]), 2, "2-D"),
    (np.array([[0, 1]]), np.array([[0, 1, 1]]), 2, "m = 2"),
    (np.array([[0, 3]]), np.array([[0, 1]]), 3, "0..2"),
    (np.array([[0.5, 1]]), np.array([[0, 1]]), 2, "integer"),
    (np.array([[0, 1]]), np.array([[0, 1]]), 1, "num_classes"),
    (np.full((3, 2), 1 / 3), np.array([[0, 1]]), 3, "one-hot"),
    (np.eye(3)[:, [0, 1]], np.array([[0, 1]]), 4, "C = 4 rows"),
])
def test_confusion_matrix_bad_input(Y_true, Y_pred, C, match):
    with pytest.raises(ValueError, match=match):
        metrics.confusion_matrix(Y_true, Y_pred, C)


def test_most_confused_order_ties_and_zeros():
    counts = np.array([[9, 0, 3], [3, 8, 1], [5, 0, 7]])
    # ties broken by the true class first: (0, 2) before (1, 0)
    assert metrics.most_confused(counts, 3) == [(2, 0, 5), (0, 2, 3), (1, 0, 3)]
    assert metrics.most_confused(counts, 10) == [(2, 0, 5), (0, 2, 3), (1, 0, 3), (1, 2, 1)]
    assert metrics.most_confused(np.eye(3, dtype=int)) == []
    with pytest.raises(ValueError, match="square"):
        metrics.most_confused(np.ones((2, 3), dtype=int))


def test_reliability_bins_by_hand():
    # confidences 0.9, 0.9, 0.6, 0.55 (C = 2); the first two right, the third wrong, the fourth right
    A = np.array([[0.9, 0.1, 0.6, 0.45], [0.1, 0.9, 0.4, 0.55]])
    Y = np.array([[0, 1, 1, 1]])
    bins = metrics.reliability_bins(A, Y, n_bins=10)
    assert bins.edges.shape == (11,) and bins.counts.sum() == 4
    assert bins.counts[8] == 2 and bins.accuracy[8] == 1.0 and bins.confidence[8] == pytest.approx(0.9)
    assert bins.counts[5] == 2 and bins.accuracy[5] == 0.5 and bins.confidence[5] == pytest.approx(0.575)
    assert np.isnan(bins.accuracy[0])
    ece = metrics.expected_calibration_error(A, Y, n_bins=10)
    assert ece == pytest.approx(2 / 4 * 0.1 + 2 / 4 * 0.075)
    assert metrics.overconfidence(A, Y) == pytest.approx((0.9 + 0.9 + 0.6 + 0.55) / 4 - 0.75)


def test_ece_weights_each_bin_by_its_count():
    # three predictions at 0.9 confidence, all right (gap 0.1); one at 0.6, wrong (gap 0.6)
    A = np.array([[0.9, 0.9, 0.9, 0.6], [0.1, 0.1, 0.1, 0.4]])
    Y = np.array([[0, 0, 0, 1]])
    assert metrics.expected_calibration_error(A, Y) == pytest.approx(3 / 4 * 0.1 + 1 / 4 * 0.6)


def test_bin_edges_are_right_closed():
    # a confidence of exactly 0.6 belongs to (0.5, 0.6], bin 5 of 10
    bins = metrics.reliability_bins(np.array([[0.6], [0.4]]), np.array([[0]]), n_bins=10)
    assert bins.counts[5] == 1


def test_a_calibrated_model_has_small_ece_and_an_overconfident_one_does_not():
    rng = np.random.default_rng(0)
    m = 20000
    conf = rng.uniform(0.5, 1.0, m)
    right = rng.random(m) < conf  # right with exactly the stated probability
    A = np.vstack([conf, 1 - conf])
    Y = np.where(right, 0, 1).reshape(1, -1)
    assert metrics.expected_calibration_error(A, Y) < 0.02
    sharp = np.vstack([np.minimum(conf + 0.2, 1.0), 1 - np.minimum(conf + 0.2, 1.0)])
    assert metrics.expected_calibration_error(sharp, Y) > 0.1
    assert metrics.overconfidence(sharp, Y) > 0.1


@pytest.mark.parametrize("A, match", [(np.array([[1.0, 0.5]]), "C >= 2"),
                                      (np.array([[0.7, 0.5], [0.7, 0.5]]), "summing to 1")])
def test_reliability_bad_probabilities(A, match):
    with pytest.raises(ValueError, match=match):
        metrics.reliability_bins(A, np.array([[0, 1]]))
