"""Lab 08's check passes the reference and a learner's closure, fails each typical slip with its own hint,
reports stubs and crashes."""
import math

import pytest

from helpers import checks
from helpers.schedules import inverse_time


def run(fn, capsys):
    ok = checks.check_inverse_time_decay(fn)
    return ok, capsys.readouterr().out


def make(formula):
    """A learner's inverse_time_decay whose schedule computes formula(alpha0, k, every, epoch)."""
    def inverse_time_decay(alpha0, decay_rate, decay_every=1):
        def rate(epoch):
            return formula(alpha0, decay_rate, decay_every, epoch)
        return rate
    return inverse_time_decay


def solution(alpha0, decay_rate, decay_every=1):
    def rate(epoch):
        return alpha0 / (1 + decay_rate * (epoch // decay_every))
    return rate


@pytest.mark.parametrize("fn", [inverse_time, solution])
def test_correct_schedules_pass(capsys, fn):
    ok, out = run(fn, capsys)
    assert ok and out.startswith("✅") and "all 24 cases" in out


SLIPS = {
    "from epoch 1": (lambda a, k, e, t: a / (1 + k * (t // e + 1)), "one step too early"),
    "staircase from epoch 1": (lambda a, k, e, t: a / (1 + k * ((t + 1) // e)), "one step too early"),
    "true division": (lambda a, k, e, t: a / (1 + k * t / e), "floor division"),
    "ignores decay_every": (lambda a, k, e, t: a / (1 + k * t), "decay_every is ignored"),
    "decay factor": (lambda a, k, e, t: 1 / (1 + k * (t // e)), "decay factor"),
    "grows": (lambda a, k, e, t: a * (1 + k * (t // e)), "the rate grows"),
    "k·epoch in the numerator": (lambda a, k, e, t: a * k * (t // e) / (1 + k * (t // e)), "only in the denominator"),
    "missing brackets": (lambda a, k, e, t: a / 1 + k * (t // e), "missing brackets"),
    "brackets off": (lambda a, k, e, t: a / (1 + k) * (t // e), "the brackets are off"),
    "exponential e^-kt": (lambda a, k, e, t: a * math.exp(-k * (t // e)), "exponential decay alpha0 * e^(-k t)"),
    "exponential (1-k)^t": (lambda a, k, e, t: a * (1 - k) ** (t // e), "exponential decay alpha0 * (1 - k)^t"),
    "k * epoch // every": (lambda a, k, e, t: a / (1 + k * t // e), "which floors the product"),
    "math.ceil": (lambda a, k, e, t: a / (1 + k * math.ceil(t / e)), "math.ceil (rounding up)"),
    "round": (lambda a, k, e, t: a / (1 + k * round(t / e)), "round() decays halfway"),
    "remainder": (lambda a, k, e, t: a / (1 + k * (t % e)), "% is the remainder"),
}


@pytest.mark.parametrize("slip", SLIPS)
def test_each_slip_gets_its_hint(capsys, slip):
    formula, hint = SLIPS[slip]
    ok, out = run(make(formula), capsys)
    assert not ok and out.startswith("❌"), out
    assert hint in out, out


def test_an_unknown_mistake_gets_the_formula(capsys):
    ok, out = run(make(lambda a, k, e, t: a / (1 + 2 * k * (t // e))), capsys)
    assert not ok and "expected" in out and "alpha0 / (1 + decay_rate * (epoch // decay_every))" in out


def test_stub_is_not_done_yet(capsys):
    def inverse_time_decay(alpha0, decay_rate, decay_every=1):
        def rate(epoch):
            raise NotImplementedError
        return rate
    ok, out = run(inverse_time_decay, capsys)
    assert not ok and out.startswith("⏳")


def test_returning_a_number_instead_of_a_schedule(capsys):
    ok, out = run(lambda a, k, e=1: a / (1 + k), capsys)
    assert not ok and "return the schedule, a function of the epoch" in out


def test_returning_a_non_number(capsys):
    ok, out = run(make(lambda a, k, e, t: [a]), capsys)
    assert not ok and "must return one number" in out


def test_a_crash_names_the_case_and_epoch(capsys):
    ok, out = run(make(lambda a, k, e, t: a / (1 + k * (t // (e - 1)))), capsys)
    assert not ok and "ZeroDivisionError" in out and "case 1" in out and "epoch 0" in out


def test_use_if_passed_drives_the_lab(capsys):
    assert checks.use_if_passed(solution, checks.check_inverse_time_decay, reference=inverse_time) is solution
    wrong = make(SLIPS["true division"][0])
    assert checks.use_if_passed(wrong, checks.check_inverse_time_decay, reference=inverse_time) is inverse_time
