"""Every exercise's published solution passes its check, and the lab then runs on the learner's code.

Each lab is executed in a fresh kernel with the solution (the ```python block in the ``<details>`` cell
after an exercise stub) in place of the stub's function definitions. Outputs are not compared with the
stored ones (a learner's code may differ in the last bit); instead every exercise cell must print a passing
check line and no failing or "not done" line, and no cell may raise.
"""
from __future__ import annotations

import ast
import json
import pathlib
import re

import nbclient
import nbformat
import pytest

from helpers.checks._core import FAIL, PASS, TODO

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUB = "raise NotImplementedError"
SOLUTION = re.compile(r"```python\n(.*?)```", re.S)


def exercises(nb) -> list[tuple[int, str]]:
    """(index of the stub cell, the solution's code) for every exercise of a notebook."""
    found = []
    cells = nb["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code" or STUB not in cell["source"]:
            continue
        after = next((c for c in cells[i + 1:] if c["cell_type"] == "markdown"), None)
        blocks = SOLUTION.findall(after["source"]) if after and after["source"].lstrip().startswith("<details>") else []
        assert blocks, f"cell {i} is an exercise stub with no <details> solution (```python block) right after it"
        found.append((i, "\n".join(blocks)))
    return found


def substitute(stub: str, solution: str) -> str:
    """The stub cell with each top-level def that the solution defines replaced by the solution's code."""
    defined = {node.name for node in ast.parse(solution).body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert defined, "a solution must define the function(s) of its exercise"
    lines = stub.splitlines()
    spans = [(node.lineno - 1 - len(node.decorator_list), node.end_lineno) for node in ast.parse(stub).body
             if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in defined]
    assert {n for n in defined} <= {node.name for node in ast.parse(stub).body
                                     if isinstance(node, (ast.FunctionDef, ast.ClassDef))}, \
        f"the solution defines {sorted(defined)}, which the stub cell does not all define"
    first = spans[0][0]
    keep = [line for k, line in enumerate(lines) if not any(a <= k < b for a, b in spans)]
    return "\n".join(keep[:first] + solution.rstrip().splitlines() + keep[first:])


def test_substitute_replaces_only_the_defined_functions():
    stub = "import math\n\n\ndef f(x):\n    raise NotImplementedError\n\n\npassed = check(f)\n"
    out = substitute(stub, "def f(x):\n    return x\n")
    assert "NotImplementedError" not in out and "return x" in out and out.strip().endswith("passed = check(f)")
    assert out.startswith("import math")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_solutions_pass_their_checks(path):
    nb = nbformat.reads(path.read_text(), as_version=4)
    found = exercises(nb)
    if not found:
        pytest.skip(f"{path.name} has no exercises")
    for i, solution in found:
        nb.cells[i].source = substitute(nb.cells[i].source, solution)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError if any cell raises
    for i, _ in found:
        text = "".join(o.get("text", "") for o in nb.cells[i].outputs if o.get("output_type") == "stream")
        assert PASS in text, f"{path.name} cell {i}: the solution's check printed no pass line:\n{text}"
        assert FAIL not in text and TODO not in text, f"{path.name} cell {i}: the solution fails its check:\n{text}"


def test_notebooks_are_found():
    assert NOTEBOOKS and all(json.loads(p.read_text())["cells"] for p in NOTEBOOKS)
