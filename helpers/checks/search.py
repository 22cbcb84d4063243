"""Checks for lab 09's exercise: sampling α on a log scale, and β through 1 − β on a log scale."""
from __future__ import annotations

import numpy as np

from ..search import sample_beta, sample_log_uniform
from ._core import _call, _result

N_DIST = 20_000  # samples for the distribution test (a valid sampler that draws differently from the reference)
KS_LIMIT = 0.02  # Kolmogorov-Smirnov distance to the uniform law; a correct sampler is near 0.007 at this size

# (low, high, size, seed)
LOG_CASES = [(1e-4, 1.0, 7, 0), (1e-3, 10.0, 12, 1), (0.5, 2.0, 5, 2), (1e-6, 1e-2, 1, 3)]
BETA_CASES = [(0.9, 0.999, 7, 0), (0.5, 0.99, 12, 1), (0.99, 0.9999, 5, 2), (0.0, 0.9, 1, 3)]


def _ks_uniform(values, low, high) -> float:
    """Largest gap between the empirical CDF of values and the uniform CDF on [low, high]."""
    x = np.sort((np.asarray(values, dtype=float) - low) / (high - low))
    n = len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - x), np.max(x - np.arange(n) / n)))


def _replayer(rng):
    """A function returning fresh generators that replay rng's stream from here (one per slip)."""
    state = rng.bit_generator.state

    def fresh():
        g = np.random.default_rng()
        g.bit_generator.state = state
        return g
    return fresh


def _log_slips(low, high, size, rng):
    """(values a common slip returns with this rng, its hint) for sample_log_uniform."""
    lo, hi, ln_lo, ln_hi = np.log10(low), np.log10(high), np.log(low), np.log(high)
    fresh = _replayer(rng)
    return [
        (fresh().uniform(low, high, size), "you sampled uniformly on the linear scale: most samples land in the top "
                                           "decade (for [1e-4, 1], 90 % above 0.1). Sample the exponent r uniformly "
                                           "in [log10(low), log10(high)], then return 10 ** r."),
        (10 ** fresh().uniform(ln_lo, ln_hi, size), "log base mixup: the exponent was drawn between np.log(low) and "
                                                    "np.log(high) (natural log) but raised as 10 ** r; use the same base "
                                                    "both ways (np.log10 with 10 **, or np.log with np.exp)."),
        (np.exp(fresh().uniform(lo, hi, size)), "log base mixup: the exponent was drawn between np.log10(low) and "
                                                "np.log10(high) but raised with np.exp; use 10 ** r (or np.log with "
                                                "np.exp)."),
        (10 ** fresh().uniform(low, high, size), "draw the exponent between log10(low) and log10(high), not between "
                                                 "low and high themselves."),
        (fresh().uniform(lo, hi, size), "you returned the exponent r; the value is 10 ** r."),
    ]


def _beta_slips(low, high, size, rng):
    """(values a common slip returns with this rng, its hint) for sample_beta."""
    fresh = _replayer(rng)
    r = 10 ** fresh().uniform(np.log10(1 - high), np.log10(1 - low), size)
    out = [
        (fresh().uniform(low, high, size), "β was sampled uniformly on the linear scale: for [0.9, 0.999] only 9 % "
                                           "of the samples have β > 0.99, where the averaging window 1/(1 − β) grows "
                                           "from 100 to 1000. Sample 1 − β on a log scale, then β = 1 − (1 − β)."),
        (r, "you returned 1 − β (the log-uniform sample r); β = 1 − r."),
    ]
    if low > 0:
        out.insert(0, (10 ** fresh().uniform(np.log10(low), np.log10(high), size),
                       "β itself was sampled on a log scale, which is nearly uniform between 0.9 and 0.999; sample "
                       "r = 1 − β log-uniformly in [1 − high, 1 − low], then return β = 1 − r."))
    return out


def _check_sampler(name, fn, reference, cases, slips, log_scale: bool) -> bool:
    """Shared checks: same values as the reference (or a slip's hint); shape, range, use of rng; and for a
    sampler that draws differently, its distribution on the right scale."""
    total = len(cases) + 1
    for i, (low, high, size, seed) in enumerate(cases, 1):
        where = f"case {i} ({name.removeprefix('check_')}({low}, {high}, size={size}, rng))"
        got, message = _call(name, fn, low, high, size, np.random.default_rng(seed))
        if message:
            print(message)
            return False
        want = reference(low, high, size, np.random.default_rng(seed))
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return _result(name, f"{where}: return a numpy array of {size} numbers; got {type(got).__name__}.", total)
        if got.shape != want.shape:
            return _result(name, f"{where}: got shape {got.shape}, expected ({size},): return exactly `size` values "
                                 "as a 1-D array (pass size to the rng's method, e.g. rng.uniform(a, b, size)).", total)
        if np.allclose(got, want, rtol=1e-9, atol=0):
            continue
        for values, hint in slips(low, high, size, np.random.default_rng(seed)):
            if np.allclose(got, values, rtol=1e-9, atol=0):
                return _result(name, f"{where}: {hint}", total)
        if np.any(got < low * (1 - 1e-12)) or np.any(got > high * (1 + 1e-12)) or not np.all(np.isfinite(got)):
            return _result(name, f"{where}: values outside [{low}, {high}] (got min {got.min():.3g}, max "
                                 f"{got.max():.3g}).", total)
        again, _ = _call(name, fn, low, high, size, np.random.default_rng(seed))
        other, _ = _call(name, fn, low, high, size, np.random.default_rng(seed + 100))
        if not np.allclose(np.asarray(again, float), got) or np.allclose(np.asarray(other, float), got):
            return _result(name, f"{where}: draw from the rng you are given (rng.uniform(...)), not from np.random "
                                 "or a generator of your own: the same rng seed must give the same values, another "
                                 "seed other values.", total)
    low, high = cases[0][:2]
    many, message = _call(name, fn, low, high, N_DIST, np.random.default_rng(7))
    if message:
        print(message)
        return False
    many = np.asarray(many, dtype=float).reshape(-1)
    scaled = np.log10(many) if log_scale else np.log10(1 - many)
    lo, hi = (np.log10(low), np.log10(high)) if log_scale else (np.log10(1 - high), np.log10(1 - low))
    ks = _ks_uniform(scaled, lo, hi)
    if ks > KS_LIMIT:
        what = "log10 of the values" if log_scale else "log10(1 − β)"
        return _result(name, f"{N_DIST} samples in [{low}, {high}]: {what} should be uniform in "
                             f"[{lo:g}, {hi:g}], but its distribution is {ks:.3f} away from uniform "
                             f"(Kolmogorov-Smirnov; a correct sampler is below {KS_LIMIT}).", total)
    return _result(name, None, total)


def check_sample_log_uniform(sample_log_uniform_fn) -> bool:
    """Exercise: sample_log_uniform(low, high, size, rng) -> (size,) values with log10 uniform in
    [log10 low, log10 high] (helpers.search.sample_log_uniform)."""
    return _check_sampler("check_sample_log_uniform", sample_log_uniform_fn, sample_log_uniform, LOG_CASES,
                          _log_slips, log_scale=True)


def check_sample_beta(sample_beta_fn) -> bool:
    """Exercise: sample_beta(low, high, size, rng) -> (size,) values of β in [low, high] with 1 − β log-uniform
    in [1 − high, 1 − low] (helpers.search.sample_beta)."""
    return _check_sampler("check_sample_beta", sample_beta_fn, sample_beta, BETA_CASES, _beta_slips,
                          log_scale=False)
