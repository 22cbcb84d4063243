"""A progress bar for long cells that works in JupyterLab, in a terminal kernel and under nbval.

The bar is one line of text on stdout, redrawn in place with a carriage return (``\\r``). JupyterLab and
terminals show it moving; nbval keeps only what follows the last ``\\r`` of a line, so the compared output
is the final line ("... 108/108"), the same on every run. It prints counts and names, never times.
"""
from __future__ import annotations

import math
import sys
from typing import Callable, Iterable, Iterator

BAR_WIDTH = 24
MAX_REDRAWS = 100  # at most this many redraws per bar, so a 10,000-step loop does not flood the output


def progress(items: Iterable, what: str, total: int | None = None,
             describe: Callable | None = None, file=None) -> Iterator:
    """Yield the items of ``items``, drawing ``what  ████░░░░  n/N  <describe(item)>`` as they are used.

    what: what is being done ("training networks"). total: the number of items when ``items`` has no len().
    describe(item) -> str names the item being worked on (for example "width 8, m = 200, seed 1").
    The final line (all N done) ends with a newline, so whatever the cell prints next starts below it.
    """
    items = list(items) if total is None and not hasattr(items, "__len__") else items
    total = len(items) if total is None else int(total)
    out = file or sys.stdout
    every = max(1, math.ceil(total / MAX_REDRAWS))
    width = 0

    def draw(n: int, label: str) -> None:
        nonlocal width
        filled = BAR_WIDTH * n // total if total else BAR_WIDTH
        line = f"{what}  {'█' * filled}{'░' * (BAR_WIDTH - filled)}  {n}/{total}"
        if label:
            line += f"  {label}"
        padded = line.ljust(width)  # blank out what a longer previous label left behind
        width = max(width, len(line))
        out.write("\r" + padded)
        out.flush()

    n = 0
    for n, item in enumerate(items, 1):
        if n == 1 or (n - 1) % every == 0:
            draw(n - 1, describe(item) if describe else "")
        yield item
    draw(n, "done")
    out.write("\n")
    out.flush()
