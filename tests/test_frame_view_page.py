"""The page side of the slider views (helpers/frame_view.js), run in Node against stand-in widget models.

The browser test shows it working in JupyterLab; this one checks its rules one by one in well under a second:
a kept frame shown on the control's own move, late kernel frames kept but not shown, keys over every control,
a new key with an unchanged picture, a view opened later, new options, missing controls, and blob URLs freed.
Node missing: skipped locally, a failure when ``LABS_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs it).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_the_page_keeps_and_switches_frames_by_its_rules(tmp_path):
    node = shutil.which("node")
    if node is None:
        if os.environ.get("LABS_REQUIRE_BROWSER") == "1":
            pytest.fail("Node is required here (LABS_REQUIRE_BROWSER=1): apt-get install nodejs")
        pytest.skip("Node is not installed")
    module = tmp_path / "frame_view.mjs"  # an ES module to Node whatever the package.json around it says
    shutil.copy(REPO / "helpers" / "frame_view.js", module)
    proc = subprocess.run([node, str(REPO / "tests" / "frame_view_page.mjs"), str(module)],
                          capture_output=True, text=True, timeout=60)
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("ok - ") == 8, proc.stdout
