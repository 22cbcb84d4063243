"""Slider latency: the time of one redraw of every ``helpers.widgets.live`` view in a lab.

``probe`` runs inside the lab's kernel, after the lab's last cell (see ``bench.notebooks``): for every
``LiveView`` in ``helpers.widgets.REGISTRY`` (the lab's own views) it moves one control at a time through
a few positions and times, per setting, an uncached render (``view.render``: figure cleared, ``draw``,
layout and rasterization, PNG encoding: what a first visit of a slider position costs), its parts, the
PNG size, and a revisit (``view.redraw`` with the frame already stored). It prints the times as JSON on
one line; ``section`` turns those lines, one per lab, into the table. The browser's share (comm
round trip, image decode) is measured by ``bench.browser``.
"""
from __future__ import annotations

import json
import statistics

from .table import Section, Target, ms

MARKER = "BENCH_SLIDERS_JSON "
MAX_POSITIONS = 5  # per control: the ends and evenly spaced options in between
TARGET_MEDIAN = 0.100  # s, an uncached render in the kernel (the browser adds its share on top)
TARGET_REVISIT = 0.030  # s, a setting already seen


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


def time_setting(view, values: dict, repeats: int) -> dict:
    """One setting, ``repeats`` times, interleaved so machine load hits both alike: the uncached render
    (``view.render``) split into draw / layout+render / PNG encode; the render as it was before layouts
    were reused (a cleared constrained-layout figure, laid out on every draw); and a revisit
    (``view.redraw`` with the frame already stored)."""
    import time

    from helpers.widgets import ConstrainedLayoutEngine, encode_png, png_bytes
    if not hasattr(view, "_bench_figure"):
        view._bench_figure = view._new_figure()
    draw_t, render_t, png_t, total_t, before_t, revisit_t = [], [], [], [], [], []
    size = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        view.render(values)  # the whole uncached path as a slider move runs it
        total_t.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        view.figure = fig = view._new_figure()  # the same path again, in parts
        view.draw(fig, **values)
        t1 = time.perf_counter()
        if fig.axes and isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
            view._place_axes()
        fig.canvas.draw()
        t2 = time.perf_counter()
        size = len(encode_png(fig.canvas))
        t3 = time.perf_counter()
        draw_t.append(t1 - t0)
        render_t.append(t2 - t1)
        png_t.append(t3 - t2)

        before = view._bench_figure  # the redraw before this benchmark's issue 12 changes
        t0 = time.perf_counter()
        before.clear()
        before.set_layout_engine("constrained")
        view.draw(before, **values)
        png_bytes(before)
        before_t.append(time.perf_counter() - t0)
    view.frame(values)  # stored
    for _ in range(repeats):
        t0 = time.perf_counter()
        view.redraw(**values)
        revisit_t.append(time.perf_counter() - t0)
    return {"values": {k: repr(v) for k, v in values.items()}, "times": total_t, "draw": draw_t,
            "render": render_t, "png": png_t, "png_bytes": size, "before": before_t, "revisit": revisit_t}


def time_view(view, settings: list[dict], repeats: int) -> list[dict]:
    """[{values, times, ...}] for every setting (see ``time_setting``)."""
    results = [time_setting(view, setting, repeats) for setting in settings]
    view.redraw()  # back to what the controls show
    return results


def time_all_ahead(view) -> dict:
    """How long the view takes, from scratch, to draw every setting ahead (what the kernel does while idle after
    Run All, nearest settings first, sending each frame to the page): until then a jump far from the shown setting
    can meet a setting not drawn yet."""
    import time
    view.frames, view.stored_bytes, view._largest, view._full, view._ahead = {}, 0, 0, False, None
    view._last_move = None
    view.frame(view.values())  # the shown setting, drawn when the cell ran
    start, drawn = time.perf_counter(), 0
    while view.draw_ahead():
        drawn += 1
    return {"drawn": drawn, "seconds": time.perf_counter() - start, "bytes": view.stored_bytes, "full": view._full}


def probe(repeats: int = 3) -> None:
    """Time every registered live view of this kernel; print one MARKER line of JSON."""
    from helpers.widgets import REGISTRY
    out = []
    for view in REGISTRY:
        out.append({"name": view.name, "controls": list(view.controls), "own_view": True,
                    "positions": time_view(view, sweep(view.controls), repeats), "ahead": time_all_ahead(view)})
        view.redraw()
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


def _first_visit_median(view: dict) -> float:
    """Median over settings of each one's first uncached render."""
    return statistics.median(p["times"][0] for p in view["positions"])


def _median(view: dict, key: str) -> float:
    return statistics.median(t for p in view["positions"] for t in p.get(key, p["times"]))


def section(runs) -> Section:
    """One row per live view of every lab: uncached render (median, max, its parts), PNG size, revisit."""
    sec = Section("Slider latency in the kernel: one uncached render per setting (controls moved one at a time), "
                  "its parts, and a revisit of a stored frame",
                  ["lab / view", "settings", "first visit ms", "median ms", "max ms", "as before ms", "draw ms",
                   "layout+render ms", "png ms", "png kB", "revisit ms", "all drawn ahead s", "slowest setting"])
    for run in runs:
        if run.error:
            sec.rows.append([run.name] + ["-"] * 11 + ["not measured: the lab failed"])
            continue
        if run.probe_error:
            sec.rows.append([run.name] + ["-"] * 11 + [f"probe failed: {run.probe_error}"])
            continue
        views = parse(run.probe_stdout)
        if not views:
            sec.rows.append([run.name] + ["-"] * 11 + ["no live() view"])
        for view in views:
            sec.rows.append(view_row(run.name, view))
            first = _first_visit_median(view)
            sec.targets.append(Target(f"slider {run.name}:{view['name']} first-visit render median < 100 ms "
                                      "(kernel side)", f"{ms(first)} ms", first < TARGET_MEDIAN))
            revisit = _median(view, "revisit")
            sec.targets.append(Target(f"slider {run.name}:{view['name']} revisit median < 30 ms (kernel side)",
                                      f"{ms(revisit)} ms", revisit < TARGET_REVISIT))
    sec.notes.append("first visit = the first render of each setting, in the sweep's order (what a learner's step to a "
                     "setting not drawn yet costs: the layout is computed there when its key is new); "
                     "median/max = every uncached render, the repeats included (they reuse the layout); "
                     "as before = the same redraw the way it was done before (cleared figure, constrained layout on every draw), timed interleaved; "
                     "draw = the lab's draw(fig, ...); layout+render = axes placed (layout reused) and canvas drawn; "
                     "png = encoding; revisit = redraw of a setting already seen (stored frame), also what a "
                     "learner's next step costs once the view has drawn it ahead while idle (helpers.widgets.PREFETCH); "
                     "all drawn ahead = from scratch, every other setting of the view drawn ahead, nearest first (what "
                     "the kernel does while idle after Run All, each frame sent to the page): its count and seconds")
    if not runs:
        sec.notes.append("no notebooks/*.ipynb: nothing to measure")
    return sec


def view_row(lab: str, view: dict) -> list[str]:
    """The table row of one live view."""
    times = [t for p in view["positions"] for t in p["times"]]
    slowest = max(view["positions"], key=lambda p: statistics.median(p["times"]))
    setting = ", ".join(f"{k}={v}" for k, v in slowest["values"].items())
    size = statistics.median(p.get("png_bytes", 0) for p in view["positions"]) / 1024
    return [f"{lab}:{view['name']}", str(len(view["positions"])), ms(_first_visit_median(view)),
            ms(statistics.median(times)), ms(max(times)),
            ms(_median(view, "before")), ms(_median(view, "draw")), ms(_median(view, "render")), ms(_median(view, "png")), f"{size:.0f}",
            ms(_median(view, "revisit")), _ahead_cell(view.get("ahead")),
            f"{setting} ({ms(statistics.median(slowest['times']))} ms)"]


def _ahead_cell(ahead: dict | None) -> str:
    if not ahead:
        return "-"
    full = ", stopped: budget full" if ahead["full"] else ""
    return f"{ahead['seconds']:.1f} ({ahead['drawn']} settings, {ahead['bytes'] / 2**20:.1f} MB{full})"
