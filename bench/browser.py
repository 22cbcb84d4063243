"""In-browser slider latency: what a learner feels, from a key press on a slider to the new image loaded.

Runs the browser test (``tests/test_browser.py``: JupyterLab + Debian's Chromium through Playwright, every
lab run top to bottom), which steps each lab's first slider a few times to settings not seen yet and then
back over the same settings (frames the view has stored), timing each step in the page. The test writes
the times to ``$LABS_LATENCY_JSON``; this section tabulates them next to the kernel-side render time of
the ``sliders`` section when that ran too.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .table import Section, Target

ROOT = Path(__file__).resolve().parent.parent
TARGET_NEW = 100.0     # ms, median over new settings
TARGET_REVISIT = 30.0  # ms, median over settings seen before


def measure(log=print) -> tuple[list[dict], str]:
    """Run the browser test; (its latency records, a one-line outcome)."""
    with tempfile.TemporaryDirectory(prefix="labs-bench-browser-") as tmp:
        path = Path(tmp) / "latency.json"
        env = {**os.environ, "LABS_LATENCY_JSON": str(path)}
        log("browser: running tests/test_browser.py (JupyterLab + Chromium, every lab)")
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                               "tests/test_browser.py"], cwd=ROOT, env=env, capture_output=True, text=True)
        records = json.loads(path.read_text()) if path.exists() else []
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    outcome = f"tests/test_browser.py exit code {proc.returncode}: {lines[-1] if lines else '(no output)'}"
    return records, outcome


def section(records: list[dict], outcome: str, direct_ms: dict | None = None) -> Section:
    """One row per lab: new-setting and revisit latency in the browser, and the kernel-side render median."""
    direct_ms = direct_ms or {}
    sec = Section("Slider latency in the browser: key press on the first slider -> new image loaded (in the page)",
                  ["lab", "slider", "new settings ms (median)", "max ms", "revisits ms (median)", "steps",
                   "kernel render ms (median)"])
    for r in sorted(records, key=lambda r: r["lab"]):
        new, revisit = r["new_ms"], r["revisit_ms"]
        if not new:
            sec.rows.append([r["lab"], r["slider"], "-", "-", "-", "0", "-"])
            continue
        kernel = direct_ms.get(r["lab"])
        sec.rows.append([r["lab"], r["slider"], f"{statistics.median(new):.0f}", f"{max(new):.0f}",
                         f"{statistics.median(revisit):.0f}", str(len(new) + len(revisit)),
                         "-" if kernel is None else f"{kernel:.0f}"])
        sec.targets.append(Target(f"browser {r['lab']}: new setting median <= 100 ms",
                                  f"{statistics.median(new):.0f} ms", statistics.median(new) <= TARGET_NEW))
        sec.targets.append(Target(f"browser {r['lab']}: revisit median <= 30 ms",
                                  f"{statistics.median(revisit):.0f} ms", statistics.median(revisit) <= TARGET_REVISIT))
    sec.notes.append(outcome)
    if not records:
        sec.notes.append("no latency measured (Chromium or playwright missing, or every lab failed: see the outcome)")
    return sec


def run(log=print, direct_ms: dict | None = None) -> Section:
    records, outcome = measure(log)
    return section(records, outcome, direct_ms)
