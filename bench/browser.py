"""In-browser slider latency: what a learner feels, from a key press on a slider to the new image loaded.

Runs the browser test (``tests/test_browser.py``: JupyterLab + Debian's Chromium through Playwright, every
lab run top to bottom), which steps each lab's first slider a few times to settings not seen yet and then
back over the same settings (frames the view has stored), pausing before each step as a learner looks at
the picture, and times each step in the page. It runs twice: with ``LABS_PREFETCH=0`` every new setting is
drawn when the key is pressed (cold), and as a learner gets it: once the kernel has been idle for
``helpers.widgets.IDLE_DELAY`` after Run All, the views render their settings nearest first, and after each
move the neighbours of the new setting, so a step after a pause usually finds its frame drawn ahead.
``LABS_BENCH_K="01 or 02"`` times a subset of the labs (pytest -k). The test writes the times to
``$LABS_LATENCY_JSON``; this section tabulates them next to the kernel-side render time of the
``sliders`` section when that ran too.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .table import Section, Target

ROOT = Path(__file__).resolve().parent.parent
TARGET_NEW = 100.0     # ms, median over new settings
TARGET_REVISIT = 30.0  # ms, median over settings seen before
LEARNER_PAUSE = 1.0  # s before each press (tests/test_browser.py's LEARNER_PAUSE)


def measure(log=print, prefetch: bool = True) -> tuple[list[dict], str]:
    """Run the browser test, the views drawing ahead while idle or not; (its latency records, a one-line outcome)."""
    with tempfile.TemporaryDirectory(prefix="labs-bench-browser-") as tmp:
        path = Path(tmp) / "latency.json"
        env = {**os.environ, "LABS_LATENCY_JSON": str(path), "LABS_PREFETCH": "1" if prefetch else "0"}
        log(f"browser: running tests/test_browser.py (JupyterLab + Chromium, every lab; LABS_PREFETCH={env['LABS_PREFETCH']})")
        select = ["-k", env["LABS_BENCH_K"]] if env.get("LABS_BENCH_K") else []  # a subset of labs, e.g. "01 or 02"
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                               "--durations=0", "tests/test_browser.py", *select],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        records = json.loads(path.read_text()) if path.exists() else []
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    for record in records:  # each lab's test wall time (Run All included): does drawing ahead slow the suite?
        record["test_s"] = sum(float(m.group(1)) for m in re.finditer(
            rf"^([0-9.]+)s \w+ +tests/test_browser.py::\S*{re.escape(record['lab'][:2])}_\S*", proc.stdout, re.M))
    outcome = (f"tests/test_browser.py (LABS_PREFETCH={env['LABS_PREFETCH']}) exit code {proc.returncode}: "
               f"{lines[-1] if lines else '(no output)'}")
    return records, outcome


def _ms(times: list) -> str:
    return f"{statistics.median(times):.0f}" if times else "-"


def section(cold: list[dict], ahead: list[dict], outcomes: list[str], direct_ms: dict | None = None) -> Section:
    """One row per lab: a cold new setting, the ordinary next step (drawn ahead while idle) and a revisit in the
    browser, and the kernel-side render median."""
    direct_ms = direct_ms or {}
    sec = Section("Slider latency in the browser: key press on the first slider -> new image loaded (in the page)",
                  ["lab", "slider", "new, cold ms (median)", "max ms", "step after a pause ms (median)", "max ms",
                   "in the page", "revisits ms (median)", "steps", "kernel render ms (median)",
                   "test s (cold / default)"])
    cold_by_lab, ahead_by_lab = {r["lab"]: r for r in cold}, {r["lab"]: r for r in ahead}
    for lab in sorted(set(cold_by_lab) | set(ahead_by_lab)):
        c, a = cold_by_lab.get(lab, {}), ahead_by_lab.get(lab, {})
        # with drawing ahead every step follows a pause of the kernel: even the first (the view renders every
        # setting, nearest first, once the kernel has been idle for IDLE_DELAY after Run All)
        new_cold, new_ahead = c.get("new_ms", []), a.get("new_ms", [])
        revisit = c.get("revisit_ms", []) + a.get("revisit_ms", [])
        kernel = direct_ms.get(lab)
        sec.rows.append([lab, (c or a)["slider"], _ms(new_cold), f"{max(new_cold):.0f}" if new_cold else "-",
                         _ms(new_ahead), f"{max(new_ahead):.0f}" if new_ahead else "-",
                         f"{sum(a.get('new_in_page', []))} of {len(new_ahead)}", _ms(revisit),
                         str(len(new_cold) + len(new_ahead) + len(revisit)), "-" if kernel is None else f"{kernel:.0f}",
                         " / ".join(f"{r['test_s']:.0f}" if r.get("test_s") else "-" for r in (c, a))])
        for label, times, target in (("new setting, cold", new_cold, TARGET_NEW),
                                     ("step after a pause", new_ahead, TARGET_NEW),
                                     ("revisit", revisit, TARGET_REVISIT)):
            if times:
                median = statistics.median(times)
                sec.targets.append(Target(f"browser {lab}: {label} median <= {target:.0f} ms", f"{median:.0f} ms",
                                          median <= target))
    sec.notes.append("cold = a new setting drawn when the key is pressed (LABS_PREFETCH=0); step after a pause = a new "
                     "setting in the default run, where the views render their settings while the kernel is idle "
                     "(every setting, nearest first, from IDLE_DELAY after Run All; the neighbours of each move); "
                     f"each press follows a {LEARNER_PAUSE:.0f} s pause; revisits of both runs pooled; in the page = "
                     "steps after a pause whose frame the page already had (sent ahead by the kernel: shown before "
                     "any message from the kernel arrived); revisits are all in the page (the browser test asserts it)")
    sec.notes.extend(outcomes)
    if not cold and not ahead:
        sec.notes.append("no latency measured (Chromium or playwright missing, or every lab failed: see the outcome)")
    return sec


def run(log=print, direct_ms: dict | None = None) -> Section:
    cold, cold_outcome = measure(log, prefetch=False)
    ahead, ahead_outcome = measure(log, prefetch=True)
    return section(cold, ahead, [cold_outcome, ahead_outcome], direct_ms)
