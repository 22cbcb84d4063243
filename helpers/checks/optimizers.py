"""Checks for lab 07's exercises: the momentum, RMSprop and Adam update rules in helpers.optim's signature
``rule(params, grads, state, learning_rate, ...) -> state``.

Each check runs the learner's rule for several steps on a small set of parameters (W1, b1, W2, b2) with
fresh random gradients each step, from an empty state, and compares the parameters after every step with
helpers.optim. When they differ, it replays the usual slips (no 1 − β, bias correction missing or with t
from 0, ε inside the root, W updated before v, the square root of the wrong thing, ...) on the same steps
and names the one that reproduces the learner's numbers.
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import optim
from ._core import _call, _require_callable, _result

_STEPS = 4
_RTOL, _ATOL = 1e-7, 1e-10
_SHAPES = {"W1": (3, 2), "b1": (3, 1), "W2": (1, 3), "b2": (1, 1)}


def _problem(seed: int):
    """Initial params and one gradient dict per step, all drawn from default_rng(seed)."""
    rng = np.random.default_rng(seed)
    params = {k: rng.standard_normal(s) for k, s in _SHAPES.items()}
    grads = [{"d" + k: rng.standard_normal(s) * rng.choice([0.1, 1.0, 3.0]) for k, s in _SHAPES.items()}
             for _ in range(_STEPS)]
    return params, grads


def _run(rule, params, grads, hyper):
    """The params after each step of rule (a list of dicts), plain numpy, no checks."""
    params, state, out = {k: v.copy() for k, v in params.items()}, {}, []
    for g in grads:
        state = rule(params, {k: v.copy() for k, v in g.items()}, state, *hyper)
        out.append({k: v.copy() for k, v in params.items()})
    return out


def _same(a: dict, b: dict) -> bool:
    return all(k in a and np.shape(a[k]) == np.shape(b[k]) and np.allclose(a[k], b[k], rtol=_RTOL, atol=_ATOL, equal_nan=True)
               for k in b)


# ---------------------------------------------------------------- the rules and their usual slips
def _momentum(params, grads, state, lr, beta, *, one_minus=True, w_first=False, swapped=False, sign=1.0,
              remember=True):
    v = state.setdefault("v", {k: np.zeros_like(p) for k, p in params.items()}) if remember else \
        {k: np.zeros_like(p) for k, p in params.items()}
    for k, p in params.items():
        g = grads["d" + k]
        if w_first:
            p -= sign * lr * v[k]
        if swapped:
            v[k] = (1 - beta) * v[k] + beta * g
        else:
            v[k] = beta * v[k] + ((1 - beta) if one_minus else 1.0) * g
        if not w_first:
            p -= sign * lr * v[k]
    return state


_MOMENTUM_SLIPS = [
    ({"one_minus": False}, "no 1 − β: the course's momentum is v = β·v + (1 − β)·dW (PyTorch's SGD drops the "
                           "1 − β; here keep it)."),
    ({"swapped": True}, "β and 1 − β are swapped: v = β·v + (1 − β)·dW keeps most (β) of the old v."),
    ({"w_first": True}, "W was updated with the old v: first v = β·v + (1 − β)·dW, then W = W − α·v with the new v."),
    ({"sign": -1.0}, "wrong sign: W = W − α·v (a step downhill)."),
    ({"remember": False}, "v is not remembered between steps: keep it in state['v'] (create it with zeros on the "
                          "first step only) and update that same dict."),
]


def _rmsprop(params, grads, state, lr, beta, eps, *, one_minus=True, eps_inside=False, w_first=False,
             root=True, square=True, current=False, corrected=False, eps_after=False, sign=1.0):
    s = state.setdefault("s", {k: np.zeros_like(p) for k, p in params.items()})
    state["t"] = t = state.get("t", 0) + 1
    for k, p in params.items():
        g = grads["d" + k]
        if w_first:
            p -= sign * lr * g / (np.sqrt(s[k]) + eps)
        s[k] = beta * s[k] + ((1 - beta) if one_minus else 1.0) * (g * g if square else g)
        if w_first:
            continue
        denom_of = g * g if current else (s[k] / (1 - beta ** t) if corrected else s[k])
        if eps_after:  # lr * dW / np.sqrt(s) + eps: the brackets are missing
            with np.errstate(divide="ignore", invalid="ignore"):
                p -= lr * g / np.sqrt(denom_of) + eps
            continue
        if not root:
            denom = denom_of + eps
        elif eps_inside:
            denom = np.sqrt(denom_of + eps)
        else:
            with np.errstate(invalid="ignore"):
                denom = np.sqrt(denom_of) + eps
        p -= sign * lr * g / denom
    return state


_RMSPROP_SLIPS = [
    ({"eps_inside": True}, "ε is inside the square root: the course (and PyTorch) add it outside, "
                           "dW / (√s + ε)."),
    ({"one_minus": False}, "no 1 − β: s = β·s + (1 − β)·dW²."),
    ({"w_first": True}, "W was updated with the old s (on the first step s = 0, so the step is dW/ε): update s first."),
    ({"root": False}, "divide by the square root of s: dW / (√s + ε), not dW / (s + ε)."),
    ({"square": False}, "s averages the squared gradients: s = β·s + (1 − β)·dW² (dW * dW, elementwise)."),
    ({"current": True}, "divide by √s, the running mean square, not by √(dW²) = |dW| of this step alone."),
    ({"corrected": True}, "the course's RMSprop has no bias correction: divide by √s + ε with s as it is "
                          "(bias correction belongs to Adam)."),
    ({"eps_after": True}, "ε was added to the step, not to the denominator (missing brackets): "
                          "dW / (np.sqrt(s) + ε)."),
    ({"sign": -1.0}, "wrong sign: W = W − α·dW / (√s + ε)."),
]


def _adam(params, grads, state, lr, beta1, beta2, eps, *, correction="t", one_minus1=True, one_minus2=True,
          swapped=False, eps_inside=False, root=True, w_first=False, store_corrected=False, eps_after=False,
          t_per_param=False, sign=1.0):
    v = state.setdefault("v", {k: np.zeros_like(p) for k, p in params.items()})
    s = state.setdefault("s", {k: np.zeros_like(p) for k, p in params.items()})
    state["t"] = t = state.get("t", 0) + (0 if t_per_param else 1)
    b1, b2 = (beta2, beta1) if swapped else (beta1, beta2)
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, p in params.items():
            if t_per_param:  # t increased inside the loop: once per parameter
                state["t"] = t = t + 1
            g = grads["d" + k]
            if w_first:
                p -= sign * lr * v[k] / (np.sqrt(s[k]) + eps)
            v[k] = b1 * v[k] + ((1 - b1) if one_minus1 else 1.0) * g
            s[k] = b2 * s[k] + ((1 - b2) if one_minus2 else 1.0) * g * g
            if w_first:
                continue
            if correction == "none":
                v_hat, s_hat = v[k], s[k]
            else:
                n = {"t": t, "t0": t - 1, "t1": 1}[correction]
                v_hat, s_hat = v[k] / (1 - b1 ** n), s[k] / (1 - b2 ** n)
            if store_corrected:
                v[k], s[k] = v_hat, s_hat
            if eps_after:  # lr * v_hat / np.sqrt(s_hat) + eps: the brackets are missing
                p -= lr * v_hat / np.sqrt(s_hat) + eps
                continue
            denom = (np.sqrt(s_hat + eps) if eps_inside else np.sqrt(s_hat) + eps) if root else s_hat + eps
            p -= sign * lr * v_hat / denom
    return state


_ADAM_SLIPS = [
    ({"correction": "none"}, "the bias correction is missing: v̂ = v / (1 − β1^t), ŝ = s / (1 − β2^t), and the step "
                             "uses v̂ and ŝ."),
    ({"correction": "t0"}, "t counted from 0: on the first step 1 − β^0 = 0 divides by zero. Increase t first, so the "
                           "first step has t = 1."),
    ({"correction": "t1"}, "t is not counted up: keep t in state['t'] and add 1 every step, so 1 − β^t grows towards 1."),
    ({"store_corrected": True}, "the corrected v̂, ŝ were stored back into v, s: keep v and s uncorrected in the state "
                                "and compute v̂, ŝ fresh each step."),
    ({"eps_inside": True}, "ε is inside the square root: W = W − α·v̂ / (√ŝ + ε), ε outside (as in PyTorch)."),
    ({"one_minus1": False}, "no 1 − β1 in v: v = β1·v + (1 − β1)·dW."),
    ({"one_minus2": False}, "no 1 − β2 in s: s = β2·s + (1 − β2)·dW²."),
    ({"swapped": True}, "β1 and β2 are swapped: β1 (0.9) averages the gradients v, β2 (0.999) their squares s."),
    ({"root": False}, "divide by the square root of ŝ: v̂ / (√ŝ + ε), not v̂ / (ŝ + ε)."),
    ({"w_first": True}, "W was updated with the old v and s: update v and s first, then W."),
    ({"t_per_param": True}, "t is increased inside the loop over the parameters, so it counts parameters, not "
                            "steps: add 1 to state['t'] once per call, before the loop."),
    ({"eps_after": True}, "ε was added to the step, not to the denominator (missing brackets): "
                          "v̂ / (np.sqrt(ŝ) + ε)."),
    ({"sign": -1.0}, "wrong sign: W = W − α·v̂ / (√ŝ + ε)."),
]


# ---------------------------------------------------------------- one check for all three
def _diagnose(fn, mine, state, step, params, grads, want, hyper, replay_rule, slips, helper) -> str:
    """The learner's params first differ from want after step `step`. Run the learner's rule to the last step
    (two slips can agree on one step), then name the slip whose replay matches every step run."""
    path = [want[s] for s in range(step - 1)] + [{k: np.asarray(v).copy() for k, v in mine.items()}]
    with np.errstate(all="ignore"):
        for g in grads[step:]:
            try:
                state = fn(mine, {k: v.copy() for k, v in g.items()}, state, *hyper.values())
            except Exception:  # a later step crashed: diagnose from the steps that ran
                break
            if not isinstance(state, dict):
                break
            path.append({k: np.asarray(v).copy() for k, v in mine.items()})
        for flags, slip in slips:
            replay = _run(lambda *a, f=flags: replay_rule(*a, **f), params, grads, list(hyper.values()))
            if all(_same(got, again) for got, again in zip(path, replay, strict=False)):
                return f"the parameters differ from helpers.optim. Hint: {slip}"
        defaults = [hyper["learning_rate"]]  # the other hyperparameters at helper's defaults, as if typed in
        defaults += [inspect.signature(helper).parameters[k].default for k in list(hyper)[1:]]
        if defaults != list(hyper.values()):
            replay = _run(helper, params, grads, defaults)
            if all(_same(got, again) for got, again in zip(path, replay, strict=False)):
                return ("the parameters differ from helpers.optim. Hint: your rule uses the default values "
                        f"({', '.join(f'{k} = {v:g}' for k, v in list(zip(hyper, defaults, strict=True))[1:])}) instead of "
                        "the arguments it was given: write beta, epsilon, ... not their numbers.")
    got, ref = path[step - 1], want[step - 1]
    before = want[step - 2] if step > 1 else params
    if all(np.array_equal(got[k], before[k]) for k in before):
        return ("the parameters did not change: update them in place, params[key] -= ... (W = W - ... only "
                "gives a new array to the name W, not to the dict).")
    if not all(np.all(np.isfinite(v)) for v in got.values()):
        return "the parameters became NaN or inf: look for a division by zero (0/0) or the root of a negative number."
    worst = max(float(np.max(np.abs(got[k] - ref[k]))) for k in ref)
    return f"the parameters differ from helpers.optim by up to {worst:.3g}."


def _check_rule(name: str, fn, helper, replay_rule, slips, cases) -> bool:
    """Run fn and the helpers.optim rule on every case (seed, hyperparameters); at the first difference,
    replay each slip with replay_rule and name the one that gives the learner's numbers."""
    _require_callable(fn, name)
    for i, (seed, hyper) in enumerate(cases, 1):
        params, grads = _problem(seed)
        where = f"case {i} ({', '.join(f'{k} = {v:g}' for k, v in hyper.items())})"
        want = _run(helper, params, grads, list(hyper.values()))
        mine, state = {k: v.copy() for k, v in params.items()}, {}
        for step, g in enumerate(grads, 1):
            g_in = {k: v.copy() for k, v in g.items()}
            out, message = _call(name, fn, mine, g_in, state, *hyper.values())
            if message:
                print(message)
                return False
            at = f"{where}, step {step}"
            if out is None:
                return _result(name, f"{at}: your function returned None: end it with `return state`, the dict "
                                     "the next step continues from.", len(cases))
            if not isinstance(out, dict):
                return _result(name, f"{at}: return the state dict; got {type(out).__name__}.", len(cases))
            if any(not np.array_equal(g_in[k], g[k]) for k in g):
                return _result(name, f"{at}: your function changed grads in place (an alias: e.g. `g = grads[k]` "
                                     "then `g *= ...`): build new arrays, leave grads as they are.", len(cases))
            for key, arrays in out.items():
                if isinstance(arrays, dict) and any(k in mine and isinstance(a, np.ndarray)
                                                    and np.shares_memory(a, mine[k]) for k, a in arrays.items()):
                    return _result(name, f"{at}: state['{key}'] shares memory with params (an alias, e.g. "
                                         f"state['{key}'] = params.copy() copies only the dict): start it with "
                                         "np.zeros_like(p) for every parameter.", len(cases))
            state = out
            if not _same(mine, want[step - 1]):
                return _result(name, f"{at}: {_diagnose(fn, mine, state, step, params, grads, want, hyper, replay_rule, slips, helper)}",
                               len(cases))
    return _result(name, None, len(cases))


_MOMENTUM_CASES = [(0, {"learning_rate": 0.1, "beta": 0.9}), (1, {"learning_rate": 0.03, "beta": 0.5}),
                   (2, {"learning_rate": 1.0, "beta": 0.0})]
_RMSPROP_CASES = [(3, {"learning_rate": 0.01, "beta": 0.9, "epsilon": 1e-8}),
                  (4, {"learning_rate": 0.1, "beta": 0.5, "epsilon": 0.5}),
                  (5, {"learning_rate": 0.05, "beta": 0.99, "epsilon": 1e-3})]
_ADAM_CASES = [(6, {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}),
               (7, {"learning_rate": 0.1, "beta1": 0.5, "beta2": 0.8, "epsilon": 0.5}),
               (8, {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-3})]


def check_momentum(momentum) -> bool:
    """Exercise: momentum(params, grads, state, learning_rate, beta) -> state, the course's
    v = β·v + (1 − β)·dW, W = W − α·v, the same numbers as helpers.optim.momentum."""
    return _check_rule("check_momentum", momentum, optim.momentum, _momentum, _MOMENTUM_SLIPS, _MOMENTUM_CASES)


def check_rmsprop(rmsprop) -> bool:
    """Exercise: rmsprop(params, grads, state, learning_rate, beta, epsilon) -> state, the course's
    s = β·s + (1 − β)·dW², W = W − α·dW / (√s + ε), the same numbers as helpers.optim.rmsprop."""
    return _check_rule("check_rmsprop", rmsprop, optim.rmsprop, _rmsprop, _RMSPROP_SLIPS, _RMSPROP_CASES)


def check_adam(adam) -> bool:
    """Exercise: adam(params, grads, state, learning_rate, beta1, beta2, epsilon) -> state, with bias
    correction and t counted from 1, the same numbers as helpers.optim.adam."""
    return _check_rule("check_adam", adam, optim.adam, _adam, _ADAM_SLIPS, _ADAM_CASES)


# The replays above must agree with helpers.optim when no slip is applied (tests/test_checks_optimizers.py).
REFERENCES = {"momentum": (_momentum, optim.momentum), "rmsprop": (_rmsprop, optim.rmsprop),
              "adam": (_adam, optim.adam)}
