"""Tests for helpers.checks.gradient_checking: the reference passes, each typical bug fails with its hint,
and a stub that still raises NotImplementedError is reported as not done."""
from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import gradient_checking as gcheck


# ---------------------------------------------------------------- exercise 1: gradient_check
def _gradient_check(kind="right"):
    def fn(J, theta, grad, epsilon):
        approx = np.zeros_like(theta)
        for i in range(theta.size):
            if kind == "not restored":
                theta[i] += epsilon
                plus = J(theta)
                theta[i] -= 2 * epsilon
                minus = J(theta)
            elif kind == "shared":
                theta_plus = theta
                theta_plus[i] += epsilon
                plus = J(theta_plus)
                theta_minus = theta
                theta_minus[i] -= epsilon
                minus = J(theta_minus)
            else:
                theta_plus, theta_minus = np.copy(theta), np.copy(theta)
                theta_plus[i] += epsilon
                theta_minus[i] -= epsilon
                plus, minus = J(theta_plus), J(theta_minus)
                if kind == "one-sided":
                    minus = J(theta)
            if kind in ("no 2", "one-sided"):
                approx[i] = (plus - minus) / epsilon
            elif kind == "precedence":
                approx[i] = (plus - minus) / 2 * epsilon
            elif kind == "no division":
                approx[i] = plus - minus
            else:
                approx[i] = (plus - minus) / (2 * epsilon)
        numerator = np.linalg.norm(grad - approx)
        if kind == "no denominator":
            return numerator
        if kind == "only grad norm":
            return numerator / np.linalg.norm(grad)
        if kind == "only approx norm":
            return numerator / np.linalg.norm(approx)
        if kind == "norm of sum":
            return numerator / np.linalg.norm(grad + approx)
        if kind == "difference of norms":
            g, a = np.linalg.norm(grad), np.linalg.norm(approx)
            return abs(g - a) / (g + a)
        if kind == "abs sum":
            return np.sum(np.abs(grad - approx)) / (np.sum(np.abs(grad)) + np.sum(np.abs(approx)))
        if kind == "squared":
            return np.sum((grad - approx) ** 2) / (np.sum(grad ** 2) + np.sum(approx ** 2))
        if kind == "array":
            return approx
        return numerator / (np.linalg.norm(grad) + np.linalg.norm(approx))
    return fn


def test_reference_solution_passes(capsys):
    assert gcheck.check_gradient_check(_gradient_check()) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("kind, hint", [
    ("one-sided", "one-sided difference"),
    ("no 2", "twice too large"),
    ("precedence", "operator precedence"),
    ("not restored", "θ changed after your function ran"),
    ("shared", "separate copies"),
    ("no division", "you left out the division"),
    ("no denominator", "divide by ‖g‖₂ + ‖g̃‖₂"),
    ("only grad norm", "not ‖g‖₂ alone"),
    ("only approx norm", "not ‖g̃‖₂ alone"),
    ("norm of sum", "not the norm of the sum ‖g + g̃‖₂"),
    ("difference of norms", "not ‖g‖₂ − ‖g̃‖₂"),
    ("squared", "not the sum of squares"),
    ("abs sum", "not the sum of absolute values"),
    ("array", "return one finite number"),
])
def test_each_typical_bug_gets_its_hint(kind, hint, capsys):
    assert gcheck.check_gradient_check(_gradient_check(kind)) is False
    out = capsys.readouterr().out
    assert "❌" in out and hint in out, out


def test_not_done_and_crash(capsys):
    def stub(J, theta, grad, epsilon):
        raise NotImplementedError

    assert gcheck.check_gradient_check(stub) is False
    assert "not done yet" in capsys.readouterr().out

    def crash(J, theta, grad, epsilon):
        return 1 / 0

    assert gcheck.check_gradient_check(crash) is False
    assert "ZeroDivisionError" in capsys.readouterr().out


# ---------------------------------------------------------------- exercise 2: directional_difference
def _directional(kind="right"):
    def fn(J, theta, grad, u, epsilon):
        step = epsilon * (np.ones_like(u) if kind == "ones" else u)
        if kind == "one-sided":
            s_num = (J(theta + step) - J(theta)) / epsilon
        elif kind == "no 2":
            s_num = (J(theta + step) - J(theta - step)) / epsilon
        elif kind == "no division":
            s_num = J(theta + step) - J(theta - step)
        else:
            s_num = (J(theta + step) - J(theta - step)) / (2 * epsilon)
        s = {"norm": np.linalg.norm(grad), "sum": np.sum(grad)}.get(kind, np.dot(grad, u))
        if kind == "signed":
            return (s_num - s) / (s_num + s)
        if kind == "signed numerator":
            return (s_num - s) / (abs(s_num) + abs(s))
        if kind == "abs of sum":
            return abs(s_num - s) / abs(s_num + s)
        if kind == "no denominator":
            return abs(s_num - s)
        if kind == "in place":
            theta += step
        return abs(s_num - s) / (abs(s_num) + abs(s))
    return fn


def test_directional_reference_passes(capsys):
    assert gcheck.check_directional_difference(_directional()) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("kind, hint", [
    ("one-sided", "one-sided slope"),
    ("no 2", "twice too large"),
    ("no division", "you left out the division"),
    ("norm", "not with ‖g‖"),
    ("sum", "not np.sum(grad)"),
    ("ones", "step along u"),
    ("signed", "take absolute values"),
    ("signed numerator", "take its absolute value"),
    ("abs of sum", "not |s̃ + s|"),
    ("no denominator", "divide by |s̃| + |s|"),
    ("in place", "θ changed"),
])
def test_each_typical_directional_bug_gets_its_hint(kind, hint, capsys):
    assert gcheck.check_directional_difference(_directional(kind)) is False
    out = capsys.readouterr().out
    assert "❌" in out and hint in out, out


def test_directional_not_done(capsys):
    def stub(J, theta, grad, u, epsilon):
        raise NotImplementedError

    assert gcheck.check_directional_difference(stub) is False
    assert "not done yet" in capsys.readouterr().out


def test_checks_are_registered():
    from helpers import checks
    assert checks.check_gradient_check is gcheck.check_gradient_check
    assert checks.check_directional_difference is gcheck.check_directional_difference


def test_the_references_the_lab_falls_back_to_pass_their_checks(capsys):
    # use_if_passed runs these until the learner's functions pass: they must be right.
    assert gcheck.check_gradient_check(gcheck.gradient_check) is True
    assert gcheck.check_directional_difference(gcheck.directional_difference) is True
