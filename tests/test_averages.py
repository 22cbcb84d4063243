"""helpers.averages.ewa: the recursion, the bias correction, and clear errors for bad input."""
import numpy as np
import pytest

from helpers.averages import ewa


def direct_loop(theta, beta, bias_correction):
    v, out = 0.0, []
    for t, x in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta ** t) if bias_correction else v)
    return np.array(out)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.98, 0.999])
@pytest.mark.parametrize("bias_correction", [True, False])
def test_matches_a_direct_loop(beta, bias_correction):
    theta = np.random.default_rng(0).normal(5.0, 2.0, 300)
    np.testing.assert_allclose(ewa(theta, beta, bias_correction), direct_loop(theta, beta, bias_correction),
                               rtol=1e-13, atol=0)


def test_first_values_by_hand():
    np.testing.assert_allclose(ewa([10.0, 20.0], 0.9, bias_correction=False), [1.0, 0.9 + 2.0])
    # Bias-corrected: v1 / (1 - 0.9) = 10; v2 / (1 - 0.81) = 2.9 / 0.19.
    np.testing.assert_allclose(ewa([10.0, 20.0], 0.9), [10.0, 2.9 / 0.19])


def test_bias_correction_makes_a_constant_series_exact_from_the_first_step():
    v = ewa(np.full(50, 7.0), 0.98)
    np.testing.assert_allclose(v, 7.0, rtol=1e-12)
    raw = ewa(np.full(50, 7.0), 0.98, bias_correction=False)
    assert raw[0] == pytest.approx(0.14) and raw[-1] < 7.0  # pulled towards v_0 = 0 at the start


def test_beta_zero_returns_the_series_and_input_is_untouched():
    theta = np.array([3.0, -1.0, 4.0])
    before = theta.copy()
    np.testing.assert_array_equal(ewa(theta, 0.0), theta)
    np.testing.assert_array_equal(theta, before)


def test_accepts_lists_and_integers_returns_float_array():
    out = ewa([1, 2, 3], 0.5)
    assert out.dtype == np.float64 and out.shape == (3,)


@pytest.mark.parametrize("beta", [1.0, -0.1, 1.5, float("nan")])
def test_beta_outside_range_is_a_value_error(beta):
    with pytest.raises(ValueError, match=r"beta must be in \[0, 1\)"):
        ewa([1.0, 2.0], beta)


def test_beta_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="beta must be a number"):
        ewa([1.0, 2.0], "0.9")


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_or_inf_values_are_a_value_error(bad):
    with pytest.raises(ValueError, match="finite.*index 1"):
        ewa([1.0, bad, 2.0], 0.9)


def test_empty_is_a_value_error():
    with pytest.raises(ValueError, match="empty"):
        ewa([], 0.9)


def test_two_dimensional_is_a_value_error():
    with pytest.raises(ValueError, match="1-D series"):
        ewa(np.ones((1, 5)), 0.9)


def test_bias_correction_must_be_a_bool():
    with pytest.raises(TypeError, match="True or False"):
        ewa([1.0], 0.9, bias_correction="yes")
