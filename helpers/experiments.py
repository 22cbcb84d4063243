"""Running a grid of experiments over several seeds, and printing their results as tables."""
from __future__ import annotations

import itertools
from typing import Callable

import numpy as np

from .progress import progress


def sweep(run: Callable, seeds, what: str = "training", **axes) -> dict:
    """Call run(seed=s, **point) for every seed and every point of the grid spanned by axes.

    Returns {(value_of_axis_1, ..., seed): result}, keys ordered as the keyword arguments.
    Example: sweep(fit, seeds=[0, 1], width=[2, 8], m=[100, 800]) -> keys (2, 100, 0), ...
    A progress bar (``helpers.progress``) labelled ``what`` names each run as it starts.
    """
    names = list(axes)
    points = [(*values, seed) for values in itertools.product(*axes.values()) for seed in seeds]

    def describe(point):
        return ", ".join(f"{n} = {v}" for n, v in zip([*names, "seed"], point, strict=True))

    results = {}
    for point in progress(points, what, describe=describe):
        results[point] = run(seed=point[-1], **dict(zip(names, point[:-1], strict=True)))
    return results


def mean_std(values) -> tuple[float, float]:
    """Mean and (population) standard deviation of a non-empty sequence of finite numbers."""
    values = np.asarray(list(values), dtype=float)
    if values.size == 0:
        raise ValueError("mean_std needs at least one value; got an empty sequence")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"mean_std needs finite values; got {values.tolist()}")
    return float(values.mean()), float(values.std())


def format_table(headers, rows) -> str:
    """A plain-text table with right-aligned columns (stable text, so nbval can compare it)."""
    cells = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    if any(len(row) != len(headers) for row in cells):
        raise ValueError(f"every row must have {len(headers)} cells, one per header {list(headers)}; got rows of "
                         f"lengths {sorted({len(row) for row in cells[1:]})}")
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def pct(mean: float, std: float | None = None) -> str:
    """0.1234 -> '12.3 %', or '12.3 ± 0.8 %' with a spread."""
    return f"{100 * mean:.1f} %" if std is None else f"{100 * mean:.1f} ± {100 * std:.1f} %"
