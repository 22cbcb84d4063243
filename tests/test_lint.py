"""ruff (config in pyproject.toml: pyflakes, bugbear, import order) finds nothing in the code or the labs.

A deliberate exception is marked where it is made, e.g. ``# noqa: F841`` on an exercise stub's line.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff():
    exe = Path(sys.executable).with_name("ruff")
    return str(exe) if exe.exists() else shutil.which("ruff")


@pytest.mark.skipif(_ruff() is None, reason="ruff is not installed (pip install -r requirements-test.txt)")
def test_ruff_finds_nothing():
    run = subprocess.run([_ruff(), "check", "--no-cache", "--output-format", "concise",
                          "helpers", "tests", "bench", "notebooks"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"ruff found problems (fix them, or mark a deliberate one `# noqa: CODE`):\n" \
                                f"{run.stdout}{run.stderr}"
