"""Check for lab 08's exercise: inverse-time learning-rate decay, every epoch or as a staircase."""
from __future__ import annotations

import math

from ..schedules import inverse_time
from ._core import FAIL, _call, _result

# (alpha0, decay_rate, decay_every, epochs asked): every epoch from 0, a staircase whose boundaries are probed
# on both sides, a rate that is not 1, and no decay at all.
CASES = [
    (0.1, 1.0, 1, [0, 1, 2, 3, 9, 99]),
    (0.1, 1.0, 1000, [0, 1, 999, 1000, 1001, 1999, 2000, 4999]),
    (0.5, 0.3, 10, [0, 5, 9, 10, 15, 20, 95]),
    (2.0, 0.0, 1, [0, 10, 500]),
]


def _wrong_answers(alpha0, k, every, t):
    """(rate a common slip returns at epoch t, the hint for it), most specific first."""
    steps = t // every
    return [
        (alpha0 / (1 + k * (steps + 1)), "the rate is decayed one step too early: epoch counts COMPLETED epochs from "
                                         "0, so at epoch 0 the rate must be alpha0; use epoch // decay_every as "
                                         "given, not epoch + 1 (or epoch // decay_every + 1)."),
        (alpha0 / (1 + k * t / every), "use floor division epoch // decay_every: with true division (/) the rate "
                                       "falls a little every epoch instead of staying flat between the steps of the "
                                       "staircase."),
        (alpha0 / (1 + k * t), "decay_every is ignored: the number of decays so far is epoch // decay_every."),
        (alpha0 / (1 + (k * t) // every), "brackets: decay_rate * epoch // decay_every is (decay_rate * epoch) // "
                                          "decay_every, which floors the product; write decay_rate * (epoch // "
                                          "decay_every)."),
        (alpha0 / (1 + k * math.ceil(t / every)), "round DOWN: math.ceil (rounding up) decays at the first epoch of "
                                                  "each block; epoch // decay_every is the number of COMPLETED blocks."),
        (alpha0 / (1 + k * round(t / every)), "round DOWN: round() decays halfway through each block of epochs; "
                                              "epoch // decay_every is the number of COMPLETED blocks."),
        (alpha0 / (1 + k * (t % every)), "% is the remainder; the number of decays so far is the quotient, "
                                         "epoch // decay_every."),
        (1 / (1 + k * steps), "you returned the decay factor 1 / (1 + k * ...): multiply it by alpha0 to get the rate."),
        (alpha0 * (1 + k * steps), "the rate grows: (1 + decay_rate * ...) belongs in the denominator, "
                                   "alpha0 / (1 + decay_rate * (epoch // decay_every))."),
        (alpha0 * k * steps / (1 + k * steps), "decay_rate * epoch belongs only in the denominator: the numerator is "
                                               "alpha0 alone, alpha0 / (1 + decay_rate * (epoch // decay_every))."),
        (alpha0 + k * steps, "missing brackets: alpha0 / 1 + decay_rate * epoch is alpha0 + decay_rate * epoch; "
                             "write alpha0 / (1 + decay_rate * (epoch // decay_every))."),
        (alpha0 / (1 + k) * steps, "the brackets are off: alpha0 / (1 + decay_rate * steps), with steps = "
                                   "epoch // decay_every, multiplies decay_rate by steps inside the denominator."),
        (alpha0 * math.exp(-k * steps), "that is exponential decay alpha0 * e^(-k t); this exercise is inverse-time "
                                        "decay, alpha0 / (1 + decay_rate * (epoch // decay_every))."),
        (alpha0 * (1 - k) ** steps if k <= 1 else math.nan,
         "that is exponential decay alpha0 * (1 - k)^t; this exercise is inverse-time decay, "
         "alpha0 / (1 + decay_rate * (epoch // decay_every))."),
    ]


def _close(a, b) -> bool:
    return math.isfinite(a) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def check_inverse_time_decay(inverse_time_decay) -> bool:
    """Exercise: inverse_time_decay(alpha0, decay_rate, decay_every=1) -> schedule, where schedule(epoch) is
    alpha0 / (1 + decay_rate * (epoch // decay_every)) for epoch = 0, 1, 2, ... (helpers.schedules.inverse_time).

    A wrong case gets the hint of the common slip that gives the learner's rates at every epoch asked."""
    name = "check_inverse_time_decay"
    total = sum(len(epochs) for *_, epochs in CASES)
    for i, (alpha0, k, every, epochs) in enumerate(CASES, 1):
        schedule, message = _call(name, inverse_time_decay, alpha0, k, every)
        if message:
            print(message)
            return False
        where = f"case {i} (alpha0={alpha0}, decay_rate={k}, decay_every={every})"
        if not callable(schedule):
            return _result(name, f"{where}: return the schedule, a function of the epoch (def rate(epoch): ... "
                                 f"return rate); got {type(schedule).__name__}.", total)
        reference = inverse_time(alpha0, k, every)
        got = []
        for t in epochs:
            value, message = _call(name, schedule, t)
            if message:
                print(message.replace(f"{FAIL} {name}:", f"{FAIL} {name}: {where}, epoch {t}:"))
                return False
            try:
                got.append(float(value))
            except (TypeError, ValueError):
                return _result(name, f"{where}, epoch {t}: the schedule must return one number (the rate); "
                                     f"got {type(value).__name__}.", total)
        want = [reference(t) for t in epochs]
        wrong = [j for j, (a, b) in enumerate(zip(got, want, strict=True)) if not _close(a, b)]
        if not wrong:
            continue
        slips = [_wrong_answers(alpha0, k, every, t) for t in epochs]
        hint = next((slips[0][s][1] for s in range(len(slips[0]))
                     if all(_close(g, slips[j][s][0]) for j, g in enumerate(got))), None)
        t = epochs[wrong[0]]
        return _result(name, f"{where}, epoch {t}: got {got[wrong[0]]:.6g}, expected {want[wrong[0]]:.6g}"
                             + (f": {hint}" if hint else " = alpha0 / (1 + decay_rate * (epoch // decay_every))."),
                       total)
    return _result(name, None, total)
