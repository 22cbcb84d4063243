"""Running a grid of experiments over several seeds, and printing their results as tables."""
from __future__ import annotations

import itertools
from typing import Callable

import numpy as np


def sweep(run: Callable, seeds, **axes) -> dict:
    """Call run(seed=s, **point) for every seed and every point of the grid spanned by axes.

    Returns {(value_of_axis_1, ..., seed): result}, keys ordered as the keyword arguments.
    Example: sweep(fit, seeds=[0, 1], width=[2, 8], m=[100, 800]) -> keys (2, 100, 0), ...
    """
    names = list(axes)
    results = {}
    for values in itertools.product(*axes.values()):
        for seed in seeds:
            results[(*values, seed)] = run(seed=seed, **dict(zip(names, values)))
    return results


def mean_std(values) -> tuple[float, float]:
    """Mean and (population) standard deviation of a sequence of numbers."""
    values = np.asarray(list(values), dtype=float)
    return float(values.mean()), float(values.std())


def format_table(headers, rows) -> str:
    """A plain-text table with right-aligned columns (stable text, so nbval can compare it)."""
    cells = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def pct(mean: float, std: float | None = None) -> str:
    """0.1234 -> '12.3 %', or '12.3 ± 0.8 %' with a spread."""
    return f"{100 * mean:.1f} %" if std is None else f"{100 * mean:.1f} ± {100 * std:.1f} %"
