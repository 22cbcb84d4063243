"""What every exercise check shares: one result line, and calling the learner's code safely."""
from __future__ import annotations

PASS, FAIL, TODO = "✅", "❌", "⏳"


def _result(name: str, problem: str | None, n_cases: int) -> bool:
    if problem is None:
        print(f"{PASS} {name}: all {n_cases} cases match the reference.")
        return True
    print(f"{FAIL} {name}: {problem}")
    return False


def _call(name: str, fn, *args):
    """Call the learner's fn; return (value, None) or (None, message) for NotImplementedError/crash."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"{TODO} {name}: not done yet, replace the `raise NotImplementedError` with your code."
    except Exception as exc:  # the learner's code crashed: show why, do not stop the notebook
        return None, f"{FAIL} {name}: your function raised {type(exc).__name__}: {exc}"
