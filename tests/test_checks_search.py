"""Lab 09's checks pass the reference and valid variants, fail each typical slip with its own hint, report stubs
and crashes."""
import numpy as np
import pytest

from helpers import checks, search


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


def exp_natural(low, high, size, rng):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def power_form(low, high, size, rng):
    return low * (high / low) ** rng.random(size)


def beta_via_learner(low, high, size, rng):
    return 1 - search.sample_log_uniform(1 - high, 1 - low, size, rng)


@pytest.mark.parametrize("fn", [search.sample_log_uniform, exp_natural, power_form])
def test_correct_log_samplers_pass(capsys, fn):
    ok, out = run(checks.check_sample_log_uniform, fn, capsys)
    assert ok and out.startswith("✅"), out


@pytest.mark.parametrize("fn", [search.sample_beta, beta_via_learner])
def test_correct_beta_samplers_pass(capsys, fn):
    ok, out = run(checks.check_sample_beta, fn, capsys)
    assert ok and out.startswith("✅"), out


def test_a_valid_sampler_with_another_stream_passes_on_its_distribution(capsys):
    def reversed_stream(low, high, size, rng):  # 1 - u is uniform too, but gives other values than the reference
        return 10 ** (np.log10(high) - rng.uniform(0, 1, size) * (np.log10(high) - np.log10(low)))
    ok, out = run(checks.check_sample_log_uniform, reversed_stream, capsys)
    assert ok, out


LOG_SLIPS = {
    "uniform on the linear scale": (lambda lo, hi, s, r: r.uniform(lo, hi, s), "linear scale"),
    "natural log in, 10 ** out": (lambda lo, hi, s, r: 10 ** r.uniform(np.log(lo), np.log(hi), s), "(natural log)"),
    "log10 in, exp out": (lambda lo, hi, s, r: np.exp(r.uniform(np.log10(lo), np.log10(hi), s)), "raised with np.exp"),
    "exponent between low and high": (lambda lo, hi, s, r: 10 ** r.uniform(lo, hi, s), "not between low and high"),
    "returned the exponent": (lambda lo, hi, s, r: r.uniform(np.log10(lo), np.log10(hi), s), "returned the exponent"),
    "global np.random": (lambda lo, hi, s, r: 10 ** np.random.uniform(np.log10(lo), np.log10(hi), s), "rng you are given"),
    "own generator": (lambda lo, hi, s, r: 10 ** np.random.default_rng(5).uniform(np.log10(lo), np.log10(hi), s),
                      "rng you are given"),
    "column shape": (lambda lo, hi, s, r: 10 ** r.uniform(np.log10(lo), np.log10(hi), (s, 1)), "expected ("),
    "a list of one": (lambda lo, hi, s, r: [10 ** r.uniform(np.log10(lo), np.log10(hi))], "expected ("),
}


@pytest.mark.parametrize("name", LOG_SLIPS)
def test_each_log_slip_gets_its_hint(capsys, name):
    fn, hint = LOG_SLIPS[name]
    ok, out = run(checks.check_sample_log_uniform, fn, capsys)
    assert not ok and out.startswith("❌") and hint in out, out


BETA_SLIPS = {
    "β uniform": (lambda lo, hi, s, r: r.uniform(lo, hi, s), "β was sampled uniformly on the linear scale"),
    "β itself log-uniform": (lambda lo, hi, s, r: 10 ** r.uniform(np.log10(lo), np.log10(hi), s),
                             "β itself was sampled on a log scale"),
    "returned 1 − β": (lambda lo, hi, s, r: 10 ** r.uniform(np.log10(1 - hi), np.log10(1 - lo), s), "returned 1 − β"),
    "global np.random": (lambda lo, hi, s, r: 1 - 10 ** np.random.uniform(np.log10(1 - hi), np.log10(1 - lo), s),
                         "rng you are given"),
    "column shape": (lambda lo, hi, s, r: 1 - 10 ** r.uniform(np.log10(1 - hi), np.log10(1 - lo), (s, 1)),
                     "expected ("),
}


@pytest.mark.parametrize("name", BETA_SLIPS)
def test_each_beta_slip_gets_its_hint(capsys, name):
    fn, hint = BETA_SLIPS[name]
    ok, out = run(checks.check_sample_beta, fn, capsys)
    assert not ok and out.startswith("❌") and hint in out, out


def test_wrong_distribution_not_matching_a_known_slip_is_refused(capsys):
    def squeezed(low, high, size, rng):  # in range, uses rng, right shape, but crowds the middle decades
        r = rng.uniform(0, 1, size) ** 2
        return 10 ** (np.log10(low) + r * (np.log10(high) - np.log10(low)))
    ok, out = run(checks.check_sample_log_uniform, squeezed, capsys)
    assert not ok and "Kolmogorov-Smirnov" in out, out


def test_stub_and_crash(capsys):
    def stub(low, high, size, rng):
        raise NotImplementedError
    ok, out = run(checks.check_sample_beta, stub, capsys)
    assert not ok and out.startswith("⏳")

    def crash(low, high, size, rng):
        return rng.uniform(np.log10(1 - low), np.log10(1 - high), size)  # bounds reversed: numpy refuses
    ok, out = run(checks.check_sample_beta, crash, capsys)
    assert not ok and "ValueError" in out and "line" in out


def test_use_if_passed_runs_the_reference_until_solved(capsys):
    def stub(low, high, size, rng):
        raise NotImplementedError
    chosen = checks.use_if_passed(stub, checks.check_sample_log_uniform, reference=search.sample_log_uniform)
    assert chosen is search.sample_log_uniform
    assert checks.use_if_passed(power_form, checks.check_sample_log_uniform,
                                reference=search.sample_log_uniform) is power_form
