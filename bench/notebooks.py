"""Lab wall times: every notebooks/*.ipynb executed top to bottom in a fresh kernel, as nbval does.

Each lab runs once, with nbclient, in a new kernel whose working directory is notebooks/. Its wall
time runs from the kernel's start to the end of its last cell. When the slider section is wanted, one
more cell (``bench.sliders.probe``) then runs in the same kernel, outside the timed span.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .table import Section, Target

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LAB_TARGET = 30.0      # seconds per lab
SUITE_TARGET = 180.0   # seconds for the whole nbval suite
CELL_TIMEOUT = 600     # seconds; a stuck cell fails its lab instead of hanging the benchmark


@dataclass
class NotebookRun:
    """One lab's execution: times in seconds, per-cell times by cell index, and what went wrong, if anything."""
    name: str
    kernel_start: float = 0.0
    wall: float = 0.0
    cells: dict = field(default_factory=dict)
    error: str = ""
    probe_stdout: str = ""
    probe_error: str = ""


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The labs (NN_name.ipynb), in file-name order (checkpoint and scratch copies excluded)."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def stdout_of(cell) -> str:
    """The text a cell printed to stdout."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def first_line(error: BaseException) -> str:
    """A one-line description of an exception (nbclient's errors are many lines long)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # tracebacks come with terminal colours
    lines = [line for line in text.splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else ''}"[:160]


def execute(path: Path, probe: str | None = None, timeout: int = CELL_TIMEOUT) -> NotebookRun:
    """Run one lab in a fresh kernel (cwd = its folder), timing it; then run ``probe`` in that kernel."""
    import nbformat
    from nbclient import NotebookClient

    run = NotebookRun(path.stem)
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as error:  # a lab being rewritten by someone else right now
        run.error = first_line(error)
        return run
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    with client.setup_kernel():
        run.kernel_start = time.perf_counter() - t0
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    start = time.perf_counter()
                    try:
                        client.execute_cell(cell, index)
                    finally:
                        run.cells[index] = time.perf_counter() - start
        except Exception as error:  # a failing lab is a row in the table, not a crash of the benchmark
            run.error = first_line(error)
        run.wall = time.perf_counter() - t0
        if probe is not None and not run.error:
            cell = nbformat.v4.new_code_cell(probe)
            nb.cells.append(cell)
            try:
                client.execute_cell(cell, len(nb.cells) - 1)
                run.probe_stdout = stdout_of(cell)
            except Exception as error:
                run.probe_error = first_line(error)
    return run


def execute_all(probe: str | None = None, folder: Path = NOTEBOOKS, log=print) -> list[NotebookRun]:
    """Every lab in turn (one at a time: the machine has 2 cores and other users)."""
    runs = []
    for path in notebook_paths(folder):
        log(f"  running {path.name} ...", flush=True)
        runs.append(execute(path, probe))
    return runs


def slowest_cells(run: NotebookRun, n: int = 3) -> str:
    """The n slowest cells as '[index] seconds', slowest first."""
    top = sorted(run.cells.items(), key=lambda item: -item[1])[:n]
    return ", ".join(f"[{i}] {t:.1f}" for i, t in top)


def time_test_suite() -> tuple[float, int]:
    """Wall time and exit code of ``python -m pytest`` in the repo: the whole suite ``make test`` runs
    (unit tests + every notebook under nbval, with the options from pyproject.toml)."""
    t0 = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - t0, code


def section(runs: list[NotebookRun], suite: tuple[float, int] | None = None) -> Section:
    """One row per lab (kernel start, wall time, slowest cells) and the total; the two time targets."""
    sec = Section("Labs: fresh-kernel execution of notebooks/*.ipynb",
                  ["lab", "kernel start s", "wall s", "code cells", "slowest cells [index] s", "status"])
    for run in runs:
        sec.rows.append([run.name, f"{run.kernel_start:.1f}", f"{run.wall:.1f}", str(len(run.cells)),
                         slowest_cells(run), run.error or "ok"])
        sec.targets.append(Target(f"lab {run.name} under 30 s", f"{run.wall:.1f} s",
                                  None if run.error else run.wall < LAB_TARGET))
    total = sum(run.wall for run in runs)
    sec.rows.append(["total", f"{sum(r.kernel_start for r in runs):.1f}", f"{total:.1f}",
                     str(sum(len(r.cells) for r in runs)), "", ""])
    if not runs:
        sec.notes.append(f"no notebooks in {NOTEBOOKS}: nothing to run")
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    sec.notes.append(f"kernels ran with OPENBLAS_NUM_THREADS={threads}" if threads else
                     "kernels ran with OPENBLAS_NUM_THREADS unset (every core; `make` sets 1)")
    if suite is None:
        sec.targets.append(Target("nbval suite under 3 min (estimate: sum of the lab wall times; "
                                  "--suite times the real `make test` run)", f"{total:.1f} s",
                                  total < SUITE_TARGET if runs else None))
    else:
        seconds, code = suite
        sec.notes.append(f"`python -m pytest` (make test: unit tests + nbval on every lab): {seconds:.1f} s, "
                         f"exit code {code}")
        sec.targets.append(Target("nbval suite (make test) under 3 min", f"{seconds:.1f} s (exit {code})",
                                  seconds < SUITE_TARGET))
    return sec
