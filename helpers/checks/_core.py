"""What every exercise check shares: one result line, calling the learner's code safely, and
``use_if_passed``, which lets a solved exercise drive the rest of its lab."""
from __future__ import annotations

import pathlib
import sysconfig
import traceback
from typing import Callable

import numpy as np

from .. import network

PASS, FAIL, TODO, USING = "✅", "❌", "⏳", "➡️"
_HELPERS_DIR = pathlib.Path(__file__).resolve().parent.parent
# Frames from these folders are library code (helpers, the standard library, numpy & co.), not the learner's.
_LIBRARY_DIRS = {_HELPERS_DIR, *(pathlib.Path(sysconfig.get_paths()[k]).resolve() for k in ("stdlib", "purelib", "platlib"))}


def _result(name: str, problem: str | None, n_cases: int) -> bool:
    if problem is None:
        print(f"{PASS} {name}: all {n_cases} cases match the reference.")
        return True
    print(f"{FAIL} {name}: {problem}")
    return False


def _require_callable(fn, name: str, what: str = "") -> None:
    """Raise ValueError when the learner passed a value (often a call's result, check(f())) instead of
    the function itself. Every check says the same thing."""
    if not callable(fn):
        what = f" {what}" if what else ""
        raise ValueError(f"{name} expects your function{what} itself: pass it without calling it, as in "
                         f"{name}(my_function), not {name}(my_function(...)); got a {type(fn).__name__}")


def _learner_line(exc: BaseException) -> str:
    """' (line N of your code: `text`)' for the innermost frame of the traceback that is not in helpers,
    numpy or the standard library: the line of the learner's code that raised. '' if there is none."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = pathlib.Path(frame.filename).resolve()
        if frame.filename.startswith("<") or any(d in path.parents for d in _LIBRARY_DIRS):
            continue
        code = (frame.line or "").strip()
        return f" (line {frame.lineno} of your code{': `' + code + '`' if code else ''})"
    return ""


def _call(name: str, fn, *args):
    """Call the learner's fn; return (value, None) or (None, message) for NotImplementedError/crash.

    A crash message names the exception and the line of the learner's code that raised it.
    """
    _require_callable(fn, name)
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"{TODO} {name}: not done yet, replace the `raise NotImplementedError` with your code."
    except Exception as exc:  # the learner's code crashed: show why and where, do not stop the notebook
        return None, f"{FAIL} {name}: your function raised {type(exc).__name__}: {exc}{_learner_line(exc)}"


def use_if_passed(your_fn: Callable, check: Callable[[Callable], bool], reference: Callable,
                  reference_name: str | None = None) -> Callable:
    """Run ``check(your_fn)`` (it prints its line) and return the function the rest of the lab runs:
    ``your_fn`` once it passes, ``reference`` (same signature) until then. Prints one line saying which.

    In a notebook: ``split = checks.use_if_passed(split, checks.check_split, reference=...)``. The stored
    notebook (exercise unsolved) runs the reference, so it stays deterministic; a learner who solves the
    exercise sees their own code drive the lab's later experiments.
    """
    _require_callable(your_fn, "use_if_passed")
    if not callable(check) or not callable(reference):
        raise ValueError("use_if_passed(your_fn, check, reference): check and reference must be functions")
    mine = getattr(your_fn, "__name__", "your function")
    theirs = reference_name or f"{reference.__module__}.{getattr(reference, '__qualname__', 'reference')}"
    if check(your_fn) is True:
        print(f"{USING} The rest of the lab runs your `{mine}`.")
        return your_fn
    print(f"{USING} Until your `{mine}` passes, the rest of the lab runs the reference `{theirs}`.")
    return reference


def random_network_case(seed: int, dims, m: int, init: str, bias_scale: float):
    """A random network with nonzero biases (so a wrong db shows), a batch X (n_x, m) and shuffled,
    balanced 0/1 labels Y (1, m), all drawn from np.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    params = network.initialize_parameters(dims, init, rng)
    for l in range(1, len(dims)):
        params[f"b{l}"] = bias_scale * rng.standard_normal((dims[l], 1))
    X = rng.standard_normal((dims[0], m))
    Y = (np.arange(m) % 2).reshape(1, m)
    rng.shuffle(Y[0])
    return params, X, Y
