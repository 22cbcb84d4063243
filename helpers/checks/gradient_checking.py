"""Checks for lab 05's exercises: the two-sided gradient check and the directional check on a vector θ.

Every case is a smooth cost J(θ) of a 1-D vector θ with a known gradient (sometimes deliberately
wrong), compared with helpers.gradcheck. The ε of each case is large enough that truncation, not
round-off, sets the relative difference, so a correct answer matches the reference to 0.1 % and each
typical mistake (one-sided difference, forgot the 2, no denominator, θ not restored, ...) gives a
clearly different number that the hints recognise.
"""
from __future__ import annotations

import numpy as np

from .. import gradcheck
from ._core import _call, _result


# ---------------------------------------------------------------- the test problems
def _problems():
    """(name, J, gradient function) of three smooth costs of a vector θ with non-zero third derivatives."""
    def cubic(t):
        return float(np.sum(t ** 3) / 3 + 0.5 * np.sum(t ** 2))

    def logistic(t):
        a = np.linspace(-1.0, 1.5, t.size)
        return float(np.log1p(np.exp(a @ t)) + 0.25 * np.sum(t ** 4))

    def d_logistic(t):
        a = np.linspace(-1.0, 1.5, t.size)
        return a / (1 + np.exp(-(a @ t))) + t ** 3

    def tanh_weighted(t):
        return float(np.sum(np.tanh(t) * np.arange(1, t.size + 1)))

    return [("J(θ) = Σ θ³/3 + θ²/2", cubic, lambda t: t ** 2 + t),
            ("J(θ) = log(1 + e^(a·θ)) + Σ θ⁴/4", logistic, d_logistic),
            ("J(θ) = Σ i·tanh(θ_i)", tanh_weighted, lambda t: (1 - np.tanh(t) ** 2) * np.arange(1, t.size + 1))]


def _cases():
    """(description, J, θ, grad, ε): correct gradients at ε = 1e-2, 1e-3 and wrong ones."""
    cases = []
    for k, (name, J, dJ) in enumerate(_problems()):
        rng = np.random.default_rng(500 + k)
        theta = rng.uniform(-1.5, 1.5, 4 + k)
        cases.append((f"{name}, correct gradient, ε = 1e-2", J, theta, dJ(theta), 1e-2))
        cases.append((f"{name}, correct gradient, ε = 1e-3", J, theta, dJ(theta), 1e-3))
        wrong = dJ(theta).copy()
        wrong[k % wrong.size] *= (-2.0, 1.5, -1.0)[k]  # -2 changes ‖g‖, so ‖g‖ and ‖g̃‖ differ
        cases.append((f"{name}, a wrong gradient entry, ε = 1e-5", J, theta, wrong, 1e-5))
    return cases


def _numerical(J, theta, epsilon, kind):
    """The finite-difference gradient as written right (two-sided) and as typically written wrong."""
    out = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        if kind == "two-sided":
            out[i] = (J(plus) - J(minus)) / (2 * epsilon)
        elif kind == "one-sided":
            out[i] = (J(plus) - J(theta)) / epsilon
        elif kind == "no 2":
            out[i] = (J(plus) - J(minus)) / epsilon
        elif kind == "precedence":
            out[i] = (J(plus) - J(minus)) / 2 * epsilon
        elif kind == "half":  # theta_plus and theta_minus were the same array
            out[i] = (J(plus) - J(theta)) / (2 * epsilon)
    return out


def _close(got, want, rtol=1e-3) -> bool:
    return abs(got - want) <= rtol * abs(want) + 1e-12


def _as_number(out):
    """The learner's return value as a float, or None if it is not one number."""
    if isinstance(out, (bool, np.bool_)):
        return None
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(arr) if arr.size == 1 and np.isfinite(arr).all() else None


# ---------------------------------------------------------------- exercise 1
_GRADIENT_HINTS = {
    "one-sided": "this is the one-sided difference (J(θ+ε) − J(θ)) / ε, whose error is O(ε). Use the two-sided "
                 "(J(θ+ε) − J(θ−ε)) / (2ε), error O(ε²).",
    "no 2": "the numerical gradient is twice too large: divide J(θ+ε) − J(θ−ε) by 2ε, not by ε.",
    "precedence": "operator precedence: (J_plus - J_minus) / 2 * epsilon multiplies by ε. Write / (2 * epsilon).",
    "no division": "the numerical gradient is J(θ+ε) − J(θ−ε) divided by 2ε; you left out the division.",
    "half": "θ⁻ was not θ − ε: θ⁺ and θ⁻ must be separate copies (np.copy(theta)); writing theta_plus = theta "
            "makes both names point at the same array.",
    "no denominator": "you returned ‖g − g̃‖₂ alone: divide by ‖g‖₂ + ‖g̃‖₂ so the number does not depend on the "
                      "scale of the gradient.",
    "squared": "use the 2-norm (np.linalg.norm), not the sum of squares, in both numerator and denominator.",
    "abs sum": "use the 2-norm (np.linalg.norm), not the sum of absolute values, in numerator and denominator.",
    "only grad norm": "the denominator is ‖g‖₂ + ‖g̃‖₂ (both norms), not ‖g‖₂ alone.",
    "only approx norm": "the denominator is ‖g‖₂ + ‖g̃‖₂ (both norms), not ‖g̃‖₂ alone.",
    "norm of sum": "the denominator is the sum of the two norms, ‖g‖₂ + ‖g̃‖₂ (np.linalg.norm(grad) + "
                   "np.linalg.norm(grad_approx)), not the norm of the sum ‖g + g̃‖₂.",
    "difference of norms": "subtract the vectors first, then take the norm: the numerator is ‖g − g̃‖₂, not "
                           "‖g‖₂ − ‖g̃‖₂ (two different vectors can have the same norm).",
}


def _gradient_variants(J, theta, grad, epsilon) -> dict:
    """{slip: the relative difference a learner who makes it returns} on one case."""
    approx = _numerical(J, theta, epsilon, "two-sided")
    variants = {kind: gradcheck.relative_difference(grad, _numerical(J, theta, epsilon, kind))
                for kind in ("one-sided", "no 2", "precedence", "half")}
    variants["no division"] = gradcheck.relative_difference(grad, 2 * epsilon * approx)
    diff, g, a = np.linalg.norm(grad - approx), np.linalg.norm(grad), np.linalg.norm(approx)
    variants["no denominator"] = diff
    variants["squared"] = diff ** 2 / (np.sum(grad ** 2) + np.sum(approx ** 2))
    variants["abs sum"] = np.sum(np.abs(grad - approx)) / (np.sum(np.abs(grad)) + np.sum(np.abs(approx)))
    variants["only grad norm"] = diff / g
    variants["only approx norm"] = diff / a
    variants["norm of sum"] = diff / np.linalg.norm(grad + approx)
    variants["difference of norms"] = abs(g - a) / (g + a)
    return variants


def _slip(got, want, variants: dict, others) -> str | None:
    """The slip (a key of variants) that explains the learner's answer got on the failing case, or None.

    A slip must give got and not the right answer want. When several slips give the same number on this
    case (e.g. 1.0 for any slope of the wrong sign), keep those that also give the learner's answer on the
    other cases; others is a generator of (learner's answer, variants) for those cases, run only if needed.
    """
    kinds = [k for k, v in variants.items() if _close(got, v) and not _close(v, want)]
    if len(kinds) > 1:
        answers = list(others)
        kinds = [k for k in kinds if all(a is not None and _close(a, vs[k]) for a, vs in answers)]
    return kinds[0] if len(kinds) == 1 else None


def _answers(fn, cases, skip: int):
    """(the learner's answer as a number or None, variants) on every case but number `skip` (silently)."""
    for i, (_, J, *args) in enumerate(cases, 1):
        if i == skip:
            continue
        try:
            got = _as_number(fn(J, *(a.copy() if isinstance(a, np.ndarray) else a for a in args)))
        except Exception:  # a crash on another case explains nothing
            got = None
        yield got, (_gradient_variants(J, *args) if len(args) == 3 else _directional_variants(J, *args))


def check_gradient_check(learner_gradient_check) -> bool:
    """Exercise: gradient_check(J, theta, grad, epsilon) -> ‖grad − g̃‖₂ / (‖grad‖₂ + ‖g̃‖₂), g̃ two-sided."""
    name = "check_gradient_check"
    cases = _cases()
    for i, (description, J, theta, grad, epsilon) in enumerate(cases, 1):
        theta_in = theta.copy()
        out, message = _call(name, learner_gradient_check, J, theta_in, grad.copy(), epsilon)
        if message:
            print(message)
            return False
        where = f"case {i} ({description})"
        if not np.array_equal(theta_in, theta):
            return _result(name, f"{where}: θ changed after your function ran. Restore θ[i] after each perturbation "
                                 f"(or perturb copies: theta_plus = np.copy(theta)).", len(cases))
        got = _as_number(out)
        if got is None:
            return _result(name, f"{where}: return one finite number, the relative difference (got "
                                 f"{type(out).__name__} {np.shape(out)}), not the numerical gradient.", len(cases))
        want = gradcheck.gradient_check(J, theta, grad, epsilon).difference
        if _close(got, want):
            continue
        kind = _slip(got, want, _gradient_variants(J, theta, grad, epsilon),
                     _answers(learner_gradient_check, cases, i))
        if kind:
            return _result(name, f"{where}: expected {want:.3e}, got {got:.3e}. Hint: {_GRADIENT_HINTS[kind]}", len(cases))
        return _result(name, f"{where}: expected {want:.3e}, got {got:.3e}. Compute g̃_i = (J(θ+ε e_i) − J(θ−ε e_i)) / (2ε) "
                             f"for every i, then ‖grad − g̃‖₂ / (‖grad‖₂ + ‖g̃‖₂).", len(cases))
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- exercise 2
_DIRECTIONAL_HINTS = {
    "one-sided": "this is the one-sided slope (J(θ+εu) − J(θ)) / ε. Use (J(θ+εu) − J(θ−εu)) / (2ε).",
    "no 2": "the numerical slope is twice too large: divide by 2ε, not ε.",
    "no division": "the numerical slope is J(θ+εu) − J(θ−εu) divided by 2ε; you left out the division.",
    "norm": "compare with the slope the gradient predicts along u, s = g·u (np.dot(grad, u)), not with ‖g‖ "
            "(that is the slope along the gradient's own direction, not along u).",
    "sum": "the predicted slope is s = g·u = np.dot(grad, u): weight each entry of g by u, not np.sum(grad).",
    "ones": "step along u: evaluate J(θ + ε·u) and J(θ − ε·u), not θ ± ε in every coordinate.",
    "signed": "take absolute values: |s̃ − s| / (|s̃| + |s|); a slope can be negative.",
    "signed numerator": "the numerator is |s̃ − s|: take its absolute value (the difference can be negative).",
    "abs of sum": "the denominator is |s̃| + |s|, the sum of the absolute values, not |s̃ + s| (which is near 0 "
                  "when the slopes have opposite signs).",
    "no denominator": "you returned |s̃ − s| alone: divide by |s̃| + |s|.",
}


def _directional_cases():
    """(description, J, θ, grad, u, ε): per problem a positive and a negative slope with the right gradient,
    and a wrong gradient entry. With a positive slope every slip gives its own number (against a negative
    one, any positive stand-in for s gives exactly 1)."""
    cases = []
    for k, (name, J, dJ) in enumerate(_problems()):
        rng = np.random.default_rng(700 + k)
        theta = rng.uniform(-1.5, 1.5, 5 + k)
        for j, (sign, eps) in enumerate([(1, 1e-2), (-1, 1e-3), (1, 1e-5)]):
            u = rng.standard_normal(theta.size)
            u /= np.linalg.norm(u)
            grad = dJ(theta)
            if np.sign(grad @ u) != sign:
                u = -u
            if j == 2:
                grad = grad.copy()
                grad[k] *= -2.0
            label = "correct gradient" if j < 2 else "a wrong gradient entry"
            cases.append((f"{name}, {label}, slope g·u = {grad @ u:+.3f}, ε = {eps:g}", J, theta, grad, u, eps))
    return cases


def _directional_variants(J, theta, grad, u, epsilon) -> dict:
    s = float(grad @ u)
    two = (J(theta + epsilon * u) - J(theta - epsilon * u)) / (2 * epsilon)
    slopes = {"one-sided": (J(theta + epsilon * u) - J(theta)) / epsilon, "no 2": 2 * two,
              "no division": 2 * epsilon * two, "ones": (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)}
    out = {kind: abs(v - s) / (abs(v) + abs(s)) for kind, v in slopes.items()}
    for kind, predicted in (("norm", float(np.linalg.norm(grad))), ("sum", float(np.sum(grad)))):
        out[kind] = abs(two - predicted) / (abs(two) + abs(predicted))
    out["signed"] = (two - s) / (two + s)
    out["signed numerator"] = (two - s) / (abs(two) + abs(s))
    out["abs of sum"] = abs(two - s) / abs(two + s)
    out["no denominator"] = abs(two - s)
    return out


def check_directional_difference(learner_directional_difference) -> bool:
    """Exercise: directional_difference(J, theta, grad, u, epsilon) -> |s̃ − g·u| / (|s̃| + |g·u|)."""
    name = "check_directional_difference"
    cases = _directional_cases()
    for i, (description, J, theta, grad, u, epsilon) in enumerate(cases, 1):
        theta_in = theta.copy()
        out, message = _call(name, learner_directional_difference, J, theta_in, grad.copy(), u.copy(), epsilon)
        if message:
            print(message)
            return False
        where = f"case {i} ({description})"
        if not np.array_equal(theta_in, theta):
            return _result(name, f"{where}: θ changed after your function ran; build θ + εu and θ − εu as new "
                                 f"arrays instead of changing θ in place.", len(cases))
        got = _as_number(out)
        if got is None:
            return _result(name, f"{where}: return one finite number, the relative difference of the two slopes "
                                 f"(got {type(out).__name__} {np.shape(out)}).", len(cases))
        want = gradcheck.directional_difference(J, theta, grad, u, epsilon)
        if _close(got, want):
            continue
        kind = _slip(got, want, _directional_variants(J, theta, grad, u, epsilon),
                     _answers(learner_directional_difference, cases, i))
        if kind:
            return _result(name, f"{where}: expected {want:.3e}, got {got:.3e}. Hint: {_DIRECTIONAL_HINTS[kind]}",
                           len(cases))
        return _result(name, f"{where}: expected {want:.3e}, got {got:.3e}. Compute s̃ = (J(θ+εu) − J(θ−εu)) / (2ε) "
                             f"and s = g·u, then |s̃ − s| / (|s̃| + |s|).", len(cases))
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- references for use_if_passed
def gradient_check(J, theta, grad, epsilon) -> float:
    """Exercise 1's answer: the relative difference of grad and the two-sided numerical gradient of J at
    the 1-D vector θ (helpers.gradcheck.gradient_check on vectors)."""
    return gradcheck.gradient_check(J, theta, grad, epsilon).difference


def directional_difference(J, theta, grad, u, epsilon) -> float:
    """Exercise 2's answer: |s̃ − g·u| / (|s̃| + |g·u|) along the unit vector u (helpers.gradcheck)."""
    return gradcheck.directional_difference(J, theta, grad, u, epsilon)
