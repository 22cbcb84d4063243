"""Learning-rate schedules: each is a function ``schedule(epoch) -> learning_rate``.

``epoch`` counts the epochs already completed, from 0, so every schedule starts at its initial rate:
``schedule(0) == alpha0`` (for cosine with warm-up, the warm-up's first rate). ``helpers.training.train``
accepts such a schedule in place of a number and asks it for the rate at the start of every epoch.

Names as used in the literature (the course's programming assignment calls ``inverse_time`` "exponential
decay"; it is not: alpha0 / (1 + k t) falls like 1/t, not like a power of a base below 1).
"""
from __future__ import annotations

import math
from typing import Callable

from .validation import check_nonnegative, check_positive, check_positive_int


class Schedule:
    """A named learning-rate schedule: call it with the number of completed epochs (0, 1, 2, ...)."""

    def __init__(self, name: str, rate: Callable[[int], float]):
        self.name, self._rate = name, rate

    def __call__(self, epoch) -> float:
        if isinstance(epoch, bool) or int(epoch) != epoch or epoch < 0:
            raise ValueError(f"a schedule takes the number of completed epochs, an integer >= 0; got {epoch!r}")
        return float(self._rate(int(epoch)))

    def __repr__(self) -> str:
        return self.name


def constant(alpha0: float) -> Schedule:
    """alpha_t = alpha0."""
    alpha0 = check_positive(alpha0, "alpha0")
    return Schedule(f"constant {alpha0:g}", lambda t: alpha0)


def inverse_time(alpha0: float, decay_rate: float, decay_every: int = 1) -> Schedule:
    """alpha_t = alpha0 / (1 + decay_rate * floor(t / decay_every)): the lecture's first formula.

    decay_every = 1 decays every epoch; a larger value gives the staircase ("fixed interval") version.
    """
    alpha0, k = check_positive(alpha0, "alpha0"), check_nonnegative(decay_rate, "decay_rate")
    every = check_positive_int(decay_every, "decay_every")
    stairs = f", every {every} epochs" if every > 1 else ""
    return Schedule(f"inverse time {alpha0:g}/(1 + {k:g}·t{stairs})", lambda t: alpha0 / (1 + k * (t // every)))


def exponential(alpha0: float, base: float = 0.95, decay_every: int = 1) -> Schedule:
    """alpha_t = alpha0 * base ** floor(t / decay_every), 0 < base <= 1 (the lecture's 0.95^epoch)."""
    alpha0, every = check_positive(alpha0, "alpha0"), check_positive_int(decay_every, "decay_every")
    base = check_positive(base, "base")
    if base > 1:
        raise ValueError(f"base must be in (0, 1] for a decay; got {base}")
    stairs = f", every {every} epochs" if every > 1 else ""
    return Schedule(f"exponential {alpha0:g}·{base:g}^t{stairs}", lambda t: alpha0 * base ** (t // every))


def step(alpha0: float, factor: float, every: int) -> Schedule:
    """Staircase: alpha_t = alpha0 * factor ** floor(t / every), e.g. halve the rate every 100 epochs."""
    alpha0, every = check_positive(alpha0, "alpha0"), check_positive_int(every, "every")
    factor = check_positive(factor, "factor")
    if factor > 1:
        raise ValueError(f"factor must be in (0, 1] for a decay; got {factor}")
    return Schedule(f"step {alpha0:g}·{factor:g}^⌊t/{every}⌋", lambda t: alpha0 * factor ** (t // every))


def inverse_sqrt(alpha0: float, k: float = 1.0) -> Schedule:
    """alpha_t = alpha0 / sqrt(1 + k t): the lecture's k / sqrt(epoch) * alpha0, shifted so alpha_0 = alpha0."""
    alpha0, k = check_positive(alpha0, "alpha0"), check_nonnegative(k, "k")
    return Schedule(f"1/√t {alpha0:g}/√(1 + {k:g}·t)", lambda t: alpha0 / math.sqrt(1 + k * t))


def cosine(alpha0: float, total: int, warmup: int = 0, alpha_min: float = 0.0) -> Schedule:
    """Linear warm-up over ``warmup`` epochs (alpha0 * (t + 1) / warmup), then a half cosine from alpha0 down
    to alpha_min at epoch ``total`` (and alpha_min after it): the schedule most large models train with today.
    """
    alpha0, alpha_min = check_positive(alpha0, "alpha0"), check_nonnegative(alpha_min, "alpha_min")
    total = check_positive_int(total, "total (the number of epochs)")
    if isinstance(warmup, bool) or int(warmup) != warmup or not 0 <= warmup < total:
        raise ValueError(f"warmup must be an integer in [0, total); got {warmup!r} with total = {total}")
    if alpha_min > alpha0:
        raise ValueError(f"alpha_min ({alpha_min}) must not exceed alpha0 ({alpha0})")
    warmup = int(warmup)

    def rate(t):
        if t < warmup:
            return alpha0 * (t + 1) / warmup
        progress = min(1.0, (t - warmup) / (total - warmup))
        return alpha_min + 0.5 * (alpha0 - alpha_min) * (1 + math.cos(math.pi * progress))

    return Schedule(f"cosine {alpha0:g}→{alpha_min:g} over {total}" + (f", warm-up {warmup}" if warmup else ""), rate)


def as_schedule(learning_rate) -> Schedule:
    """A Schedule from a number (constant) or a callable epoch -> rate; checks the rate at t = 0."""
    if isinstance(learning_rate, Schedule):
        return learning_rate
    if callable(learning_rate):
        schedule = Schedule(getattr(learning_rate, "__name__", "schedule"), learning_rate)
        check_positive(schedule(0), "the schedule's learning rate at epoch 0")
        return schedule
    return constant(learning_rate)
