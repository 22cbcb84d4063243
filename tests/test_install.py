"""The install: the README's plain commands and the Makefile run the same steps; requirements are split and pinned.

Cheap (``make -n`` prints the recipes without running them) and able to fail: a step added to one place and
not the other, a test tool in the labs' requirements, an unpinned package, an unbounded PyTorch index step.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()
TEST_TOOLS = {"pytest", "nbval", "nbclient", "nbformat", "playwright", "threadpoolctl", "hypothesis", "ruff"}
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def readme_block(language: str) -> list[str]:
    """The commands (comments and blank lines dropped) of the README's one ```language block."""
    blocks = re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)
    blocks = [b for b in blocks if "-m venv" in b]
    assert len(blocks) == 1, f"expected one ```{language} block with the plain install commands, found {len(blocks)}"
    return [line.strip() for line in blocks[0].splitlines() if line.strip() and not line.strip().startswith("#")]


def make_dry_run(*targets: str) -> list[str]:
    """The commands `make -n -B` would run (as on a fresh clone), one per line, with the Makefile's defaults."""
    out = subprocess.run(["make", "-n", "-B", "--no-print-directory", "PYTHON=python3.11", "VENV=.venv", *targets],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.replace("\\\n", " ").splitlines() if line.strip()]


def steps(commands: list[str]) -> list[str]:
    """The install/run steps only, normalised: no --quiet, no `|| echo` fallback note, no env prefix/--allow-root."""
    out = []
    for command in commands:
        if not re.search(r"-m venv|-m pip |jupyter lab|-m pytest", command) or command.startswith(("v=", "@v=")):
            continue
        command = command.split(" || ")[0].replace(" --quiet", "").replace(" --allow-root", "")
        command = re.sub(r"^(OPENBLAS_NUM_THREADS=1 |\$env:OPENBLAS_NUM_THREADS=1; )", "", command)
        out.append(" ".join(command.split()))
    return out


def windows_to_posix(commands: list[str]) -> list[str]:
    return [c.replace("py -3.11", "python3.11").replace(".venv\\Scripts\\", ".venv/bin/") for c in commands]


@needs_make
def test_readme_plain_commands_are_the_makefile_steps():
    linux = steps(readme_block("bash"))
    make = steps(make_dry_run("setup-test", "test")) + steps(make_dry_run("lab"))[-1:]
    # README order: set up, open JupyterLab, then the tests' install and run; make: setup, tests, lab.
    readme_order = [c for c in linux if "jupyter lab" not in c] + [c for c in linux if "jupyter lab" in c]
    assert readme_order == make


@needs_make
def test_windows_commands_are_the_linux_ones_without_the_cpu_index_step():
    linux = [c for c in steps(readme_block("bash")) if "download.pytorch.org" not in c]
    assert windows_to_posix(steps(readme_block("powershell"))) == linux


@needs_make
def test_make_lab_installs_only_the_labs_requirements():
    lab = make_dry_run("lab")
    assert any("-r requirements.txt" in c for c in lab)
    assert not any("requirements-test.txt" in c for c in lab)
    assert any("-r requirements-test.txt" in c for c in make_dry_run("test"))
    assert any("-r requirements-test.txt" in c for c in make_dry_run("bench"))


@needs_make
def test_the_cpu_index_step_is_bounded_and_may_fail():
    (step,) = [c for c in make_dry_run("setup") if "download.pytorch.org/whl/cpu" in c]
    timeout = int(re.search(r"--timeout (\d+)", step).group(1))
    retries = int(re.search(r"--retries (\d+)", step).group(1))
    assert timeout <= 30 and retries <= 2, step
    assert "--no-deps" in step, "one page fetch only: every dependency would be one more bounded wait"
    assert "torch==2.13.0+cpu" in step and " || " in step, "the step must be allowed to fail (fallback)"


@needs_make
@pytest.mark.parametrize("python, expected", [("/nonexistent/python3.11", "is not found"),
                                              ("FAKE", "is 3.12")])
def test_make_checks_the_python_version_first(tmp_path, python, expected):
    if python == "FAKE":
        python = tmp_path / "python3"
        python.write_text("#!/bin/sh\necho 3.12\n")
        python.chmod(0o755)
    result = subprocess.run(["make", "--no-print-directory", "check-python", f"PYTHON={python}",
                             f"VENV={tmp_path / 'venv'}"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode != 0
    assert f"The labs need Python 3.11; '{python}' {expected}." in result.stdout
    assert "Install Python 3.11" in result.stdout


def requirement_lines(name: str) -> list[str]:
    return [line.strip() for line in (REPO / name).read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_requirements_split_and_pinned():
    labs, tests = requirement_lines("requirements.txt"), requirement_lines("requirements-test.txt")
    assert tests[0] == "-r requirements.txt"
    for line in labs + tests[1:]:
        assert line in ("-e .", "-r requirements.txt") or re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][^\s]*", line), line
    lab_names = {line.split("==")[0].lower() for line in labs if "==" in line}
    test_names = {line.split("==")[0].lower() for line in tests if "==" in line}
    assert not lab_names & TEST_TOOLS, f"test tools in requirements.txt: {lab_names & TEST_TOOLS}"
    assert TEST_TOOLS <= test_names
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel", "torch"} <= lab_names
    assert "-e ." in labs
