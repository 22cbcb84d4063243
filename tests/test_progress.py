"""The progress bar: redrawn in place, final line deterministic, and the sweep uses it."""
import io

import pytest

from helpers.experiments import format_table, mean_std, sweep
from helpers.progress import MAX_REDRAWS, progress


def test_yields_every_item_and_ends_with_the_full_count():
    out = io.StringIO()
    assert list(progress(range(7), "training", describe=lambda i: f"net {i}", file=out)) == list(range(7))
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    assert text.rstrip("\n").split("\r")[-1].startswith("training  " + "█" * 24 + "  7/7  done")
    assert "0/7  net 0" in text and "6/7  net 6" in text


def test_redraws_are_bounded_and_hold_no_times():
    out = io.StringIO()
    list(progress(range(10_000), "steps", file=out))
    assert out.getvalue().count("\r") <= MAX_REDRAWS + 2
    assert "s/it" not in out.getvalue() and "it/s" not in out.getvalue()


def test_a_shorter_label_blanks_out_a_longer_one():
    out = io.StringIO()
    list(progress(["a long name", "b"], "x", describe=str, file=out))
    frames = out.getvalue().split("\r")[1:]
    assert len(frames[-1].rstrip("\n")) >= len(frames[1])


def test_sweep_shows_progress_naming_each_run(capsys):
    results = sweep(lambda seed, width: (width, seed), seeds=[0, 1], what="fitting", width=[2, 8])
    assert results == {(2, 0): (2, 0), (2, 1): (2, 1), (8, 0): (8, 0), (8, 1): (8, 1)}
    out = capsys.readouterr().out
    assert "fitting" in out and "width = 8, seed = 1" in out and "4/4" in out


def test_mean_std_rejects_empty_and_non_finite():
    assert mean_std([1, 3]) == (2.0, 1.0)
    with pytest.raises(ValueError, match="at least one value"):
        mean_std([])
    with pytest.raises(ValueError, match="finite"):
        mean_std([1, float("nan")])


def test_format_table_rejects_rows_that_do_not_match_the_headers():
    assert format_table(["a", "b"], [[1, 22]]).splitlines()[2] == "1  22"
    with pytest.raises(ValueError, match="every row must have 2 cells"):
        format_table(["a", "b"], [[1, 2, 3]])
