"""Gradient check cost: the full check (two-sided difference for every parameter) against the directional
check (a few random directions) as the parameter count grows.

Lab 05 brings ``helpers/gradcheck.py``; until it exists this section prints 'n/a: lab 05 not present'.
Both checks are called as lab 05 does: ``gradient_check(cost_fn, params, grads)`` and
``directional_check(cost_fn, params, grads, rng)`` with ``cost_fn(p) = compute_cost(forward(X, p)[1], Y)``
and ``grads = backward(...)``. Their time is reported next to the time of one forward + backward pass,
the unit both are made of (the full check needs 2n cost evaluations for n parameters, the directional
one 2 per direction whatever n is).
"""
from __future__ import annotations

import importlib
import statistics
import time
from pathlib import Path

import numpy as np

from helpers import network

from .table import Section, ms

MODULE = Path(__file__).resolve().parent.parent / "helpers" / "gradcheck.py"
# kind of check -> its name in helpers.gradcheck
CHECKS = {"full": "gradient_check", "directional": "directional_check"}
SIZES = ([2, 4, 1], [2, 16, 1], [2, 32, 32, 1], [20, 64, 64, 1], [64, 128, 64, 10])
M = 64                  # examples in the checked batch
FULL_BUDGET = 20.0      # seconds: a full check estimated to take longer is skipped, with its estimate
HEADER = ["layer dims", "parameters", "fwd+bwd ms (best)", "full check ms", "directional ms", "full / directional",
          "cost evaluations (full / directional)"]


def present() -> bool:
    """Whether lab 05's helpers/gradcheck.py exists."""
    return MODULE.exists()


def check_functions(module) -> dict:
    """{kind: function} for the kinds of check ``module`` provides."""
    return {kind: getattr(module, name) for kind, name in CHECKS.items() if callable(getattr(module, name, None))}


def problem(dims, seed: int = 0):
    """Deterministic X (n_x, M), Y and He-initialized params for layer dims (sigmoid or softmax output)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], M))
    output = "sigmoid" if dims[-1] == 1 else "softmax"
    labels = rng.integers(0, max(2, dims[-1]), M)
    Y = labels.reshape(1, M).astype(float) if dims[-1] == 1 else np.eye(dims[-1])[:, labels]
    return X, Y, network.initialize_parameters(dims, "he", rng), output


def call(kind: str, fn, X, Y, params, output, seed: int = 0):
    """Run one check as lab 05 does: on cost_fn(params) -> J and the backward pass's gradients."""
    def cost_fn(p):
        return network.compute_cost(network.forward(X, p, "relu", output)[1], Y)
    grads = network.backward(network.forward(X, params, "relu", output)[1], Y)
    if kind == "full":
        return fn(cost_fn, params, grads)
    return fn(cost_fn, params, grads, np.random.default_rng(seed))


def median_time(fn, repeats: int):
    """(median seconds of ``repeats`` calls of fn(), the last call's result)."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def best_time(fn, repeats: int) -> float:
    """Fastest of ``repeats`` calls of fn(), in seconds (the unit cost, least disturbed by other load)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def size_row(dims, checks: dict, repeats: int) -> list[str]:
    """Timings of one network size."""
    X, Y, params, output = problem(dims)
    n_params = sum(p.size for p in params.values())
    pass_time = best_time(lambda: network.backward(network.forward(X, params, "relu", output)[1], Y), 20)
    cells, evals = {}, {}
    for kind, fn in checks.items():
        estimate = 2 * n_params * pass_time if kind == "full" else 0.0
        if estimate > FULL_BUDGET:
            cells[kind] = f"skipped (~{estimate:.0f} s)"
            continue
        try:
            cells[kind], result = median_time(lambda kind=kind, fn=fn: call(kind, fn, X, Y, params, output), repeats)
            evals[kind] = getattr(result, "num_evaluations", None)
        except Exception as error:  # lab 05's helpers may change under the benchmark: say so, go on
            cells[kind] = f"failed: {type(error).__name__}"
    full, directional = cells.get("full"), cells.get("directional")
    ratio = f"{full / directional:.0f}x" if isinstance(full, float) and isinstance(directional, float) else "n/a"
    fmt = lambda v: ms(v) if isinstance(v, float) else (v or "n/a")  # noqa: E731
    count = " / ".join(str(evals.get(kind, "-")) for kind in CHECKS)
    return ["-".join(map(str, dims)), str(n_params), ms(pass_time), fmt(full), fmt(directional), ratio, count]


def run(repeats: int = 3) -> Section:
    """The gradient-check section, or its n/a line while lab 05 is not there."""
    sec = Section("Gradient check cost: full vs directional, as the parameter count grows", HEADER)
    if not present():
        sec.notes.append("n/a: lab 05 not present (helpers/gradcheck.py does not exist yet)")
        return sec
    checks = check_functions(importlib.import_module("helpers.gradcheck"))
    if not checks:
        sec.notes.append(f"n/a: helpers/gradcheck.py defines none of {', '.join(CHECKS.values())}")
        return sec
    sec.rows = [size_row(dims, checks, repeats) for dims in SIZES]
    sec.notes.append(f"batch m = {M}, relu hidden layers, float64; median of {repeats} runs per check; directional "
                     f"= 3 random directions (its default); a full check estimated over {FULL_BUDGET:.0f} s "
                     "(2 x parameters x fwd+bwd) is skipped.")
    return sec
