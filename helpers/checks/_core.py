"""What every exercise check shares: one result line, and calling the learner's code safely."""
from __future__ import annotations

import numpy as np

from .. import network

PASS, FAIL, TODO = "✅", "❌", "⏳"


def _result(name: str, problem: str | None, n_cases: int) -> bool:
    if problem is None:
        print(f"{PASS} {name}: all {n_cases} cases match the reference.")
        return True
    print(f"{FAIL} {name}: {problem}")
    return False


def _require_callable(fn, name: str, what: str) -> None:
    """Raise ValueError when the learner passed a call's result (check(f())) instead of the function."""
    if not callable(fn):
        raise ValueError(f"{name} expects your function {what} itself (pass it without calling it); "
                         f"got {type(fn).__name__}")


def _call(name: str, fn, *args):
    """Call the learner's fn; return (value, None) or (None, message) for NotImplementedError/crash."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"{TODO} {name}: not done yet, replace the `raise NotImplementedError` with your code."
    except Exception as exc:  # the learner's code crashed: show why, do not stop the notebook
        return None, f"{FAIL} {name}: your function raised {type(exc).__name__}: {exc}"


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
