"""Slider latency: the time of one redraw of every ``helpers.widgets.live`` view in a lab.

``probe`` runs inside the lab's kernel, after the lab's last cell (see ``bench.notebooks``): for every
entry of ``helpers.widgets.REGISTRY`` it finds the lab's own ``LiveView`` (or builds one with the same
draw and controls), moves one control at a time through a few positions, times ``view.redraw(**values)``
(figure cleared, ``draw``, text, PNG encoding: what a slider move costs) and prints the times as JSON
on one line. ``section`` turns those lines, one per lab, into the table.
"""
from __future__ import annotations

import json
import statistics

from .table import Section, Target, ms

MARKER = "BENCH_SLIDERS_JSON "
MAX_POSITIONS = 5  # per control: the ends and evenly spaced options in between
TARGET_MEDIAN = 0.150


# ---------------------------------------------------------------- inside the lab's kernel
def positions(control, limit: int = MAX_POSITIONS) -> list:
    """Values to try for one control: options (SelectionSlider, Dropdown, ...), min/middle/max for
    Int/FloatSlider, both states of a checkbox, else the current value."""
    options = getattr(control, "_options_values", None)
    if options is None and hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in control.options]
    if options:
        values = list(options)
    elif hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        values = [lo, (lo + hi) // 2 if isinstance(lo, int) and isinstance(hi, int) else (lo + hi) / 2, hi]
    elif isinstance(control.value, bool):
        values = [False, True]
    else:
        values = [control.value]
    if len(values) > limit:
        values = [values[round(i * (len(values) - 1) / (limit - 1))] for i in range(limit)]
    return values


def sweep(controls: dict) -> list[dict]:
    """Settings to time: every control through its positions while the others keep their values."""
    base = {name: control.value for name, control in controls.items()}
    settings, seen = [], set()
    for name, control in controls.items():
        for value in positions(control):
            setting = {**base, name: value}
            key = repr(sorted(setting.items()))
            if key not in seen:
                seen.add(key)
                settings.append(setting)
    return settings


def find_view(draw, controls):
    """(view, own): the lab's own LiveView for this registry entry (same draw and controls) and True,
    else a new LiveView with the default figure size and False."""
    import gc

    from helpers.widgets import LiveView
    for obj in gc.get_objects():
        if isinstance(obj, LiveView) and obj.draw is draw and obj.controls == controls:
            return obj, True
    return LiveView(draw, controls), False


def time_view(view, settings: list[dict], repeats: int) -> list[dict]:
    """[{values, times}] with ``repeats`` timed redraws per setting."""
    import time
    results = []
    for setting in settings:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            view.redraw(**setting)
            times.append(time.perf_counter() - t0)
        results.append({"values": {k: repr(v) for k, v in setting.items()}, "times": times})
    view.redraw()  # back to what the controls show
    return results


def probe(repeats: int = 3) -> None:
    """Time every registered live view of this kernel; print one MARKER line of JSON."""
    from helpers.widgets import REGISTRY
    out = []
    for name, draw, controls in REGISTRY:
        view, own = find_view(draw, controls)
        out.append({"name": name, "controls": list(controls), "own_view": own,
                    "positions": time_view(view, sweep(controls), repeats)})
    print(MARKER + json.dumps(out))


def probe_source(root: str, repeats: int) -> str:
    """The code cell the benchmark appends to a lab to run ``probe`` in its kernel."""
    return (f"import sys\nsys.path.insert(0, {root!r})\nfrom bench.sliders import probe\n"
            f"probe(repeats={int(repeats)})\n")


# ---------------------------------------------------------------- back in the benchmark
def parse(stdout: str) -> list[dict]:
    """The probe's JSON from the stdout of its cell ([] if it printed none)."""
    for line in stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER):])
    return []


def section(runs) -> Section:
    """One row per live view of every lab: positions timed, median and max redraw, slowest setting."""
    sec = Section("Slider latency: one LiveView.redraw (draw + PNG) per setting, controls moved one at a time",
                  ["lab / view", "controls", "settings", "redraws", "median ms", "max ms", "slowest setting"])
    for run in runs:
        if run.error:
            sec.rows.append([run.name, "-", "-", "-", "-", "-", "not measured: the lab failed"])
            continue
        if run.probe_error:
            sec.rows.append([run.name, "-", "-", "-", "-", "-", f"probe failed: {run.probe_error}"])
            continue
        views = parse(run.probe_stdout)
        if not views:
            sec.rows.append([run.name, "-", "-", "-", "-", "-", "no live() view"])
        for view in views:
            sec.rows.append(view_row(run.name, view))
            if not view.get("own_view", True):
                sec.notes.append(f"{run.name}:{view['name']}: the lab's LiveView was not found; timed a new "
                                 "one at the default figure size")
            median = statistics.median(t for p in view["positions"] for t in p["times"])
            sec.targets.append(Target(f"slider {run.name}:{view['name']} redraw median < 150 ms",
                                      f"{ms(median)} ms", median < TARGET_MEDIAN))
    if not runs:
        sec.notes.append("no notebooks/*.ipynb: nothing to measure")
    return sec


def view_row(lab: str, view: dict) -> list[str]:
    """The table row of one live view."""
    times = [t for p in view["positions"] for t in p["times"]]
    slowest = max(view["positions"], key=lambda p: statistics.median(p["times"]))
    setting = ", ".join(f"{k}={v}" for k, v in slowest["values"].items())
    return [f"{lab}:{view['name']}", ", ".join(view["controls"]), str(len(view["positions"])), str(len(times)),
            ms(statistics.median(times)), ms(max(times)),
            f"{setting} ({ms(statistics.median(slowest['times']))} ms)"]
