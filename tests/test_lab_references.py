"""Every "lab NN" named in a notebook or the README is a lab that exists."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LABS = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
DOCS = sorted((ROOT / "notebooks").glob("*.ipynb")) + [ROOT / "README.md"]
# "lab 07", "labs 02-03", "labs 02 and 03", "Lab 4"
PATTERN = re.compile(r"\b[Ll]abs? (\d{1,2})(?:\s*(?:–|-|—|and|,|or|to)\s*(\d{1,2}))?\b")


def named_labs(text: str) -> set[str]:
    found = set()
    for a, b in PATTERN.findall(text):
        found.add(f"{int(a):02d}")
        if b:
            found.add(f"{int(b):02d}")
    return found


def test_pattern_reads_ranges_and_lists():
    assert named_labs("see lab 7, labs 02–03 and Labs 4 and 5") == {"07", "02", "03", "04", "05"}


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_every_named_lab_exists(path):
    missing = sorted(named_labs(path.read_text()) - LABS)
    assert not missing, f"{path.name} names lab(s) {missing}, which do not exist (have {sorted(LABS)})"
