"""Lab 07's checks pass the course's rules, report stubs and crashes, and give each usual slip its own hint."""
import functools

import numpy as np
import pytest

from helpers import checks, optim
from helpers.checks import optimizers


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


# ---------------------------------------------------------------- learner-style solutions
def momentum_solution(params, grads, state, learning_rate, beta=0.9):
    if "v" not in state:
        state["v"] = {key: np.zeros_like(p) for key, p in params.items()}
    for key in params:
        state["v"][key] = beta * state["v"][key] + (1 - beta) * grads["d" + key]
        params[key] -= learning_rate * state["v"][key]
    return state


def rmsprop_solution(params, grads, state, learning_rate, beta=0.9, epsilon=1e-8):
    if "s" not in state:
        state["s"] = {key: np.zeros_like(p) for key, p in params.items()}
    for key in params:
        g = grads["d" + key]
        state["s"][key] = beta * state["s"][key] + (1 - beta) * g ** 2
        params[key] -= learning_rate * g / (np.sqrt(state["s"][key]) + epsilon)
    return state


def adam_solution(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    if "v" not in state:
        state["v"] = {key: np.zeros_like(p) for key, p in params.items()}
        state["s"] = {key: np.zeros_like(p) for key, p in params.items()}
        state["t"] = 0
    state["t"] += 1
    t = state["t"]
    for key in params:
        g = grads["d" + key]
        state["v"][key] = beta1 * state["v"][key] + (1 - beta1) * g
        state["s"][key] = beta2 * state["s"][key] + (1 - beta2) * g ** 2
        v_hat = state["v"][key] / (1 - beta1 ** t)
        s_hat = state["s"][key] / (1 - beta2 ** t)
        params[key] -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return state


CHECKS = {"momentum": (checks.check_momentum, momentum_solution, optim.momentum, optimizers._momentum),
          "rmsprop": (checks.check_rmsprop, rmsprop_solution, optim.rmsprop, optimizers._rmsprop),
          "adam": (checks.check_adam, adam_solution, optim.adam, optimizers._adam)}


@pytest.mark.parametrize("name", CHECKS)
def test_solution_and_reference_pass(name, capsys):
    check, solution, reference, _ = CHECKS[name]
    for fn in (solution, reference):
        ok, out = run(check, fn, capsys)
        assert ok and "all 3 cases match" in out, out


@pytest.mark.parametrize("name", CHECKS)
def test_replay_without_slip_is_the_reference(name, capsys):
    _, _, reference, replay = CHECKS[name]
    ok, out = run(CHECKS[name][0], replay, capsys)
    assert ok, out


@pytest.mark.parametrize("name", CHECKS)
def test_stub_is_not_done(name, capsys):
    def stub(params, grads, state, learning_rate, *hyper):
        raise NotImplementedError

    ok, out = run(CHECKS[name][0], stub, capsys)
    assert not ok and "not done yet" in out


@pytest.mark.parametrize("name", CHECKS)
def test_crash_names_the_line(name, capsys):
    def crash(params, grads, state, learning_rate, *hyper):
        return params["W9"]

    ok, out = run(CHECKS[name][0], crash, capsys)
    assert not ok and "raised KeyError" in out and "params[\"W9\"]" in out


@pytest.mark.parametrize("name", CHECKS)
def test_forgot_return_state(name, capsys):
    solution = CHECKS[name][1]

    def no_return(*args):
        solution(*args)

    ok, out = run(CHECKS[name][0], no_return, capsys)
    assert not ok and "return state" in out


@pytest.mark.parametrize("name", CHECKS)
def test_changing_grads_in_place_is_named(name, capsys):
    solution = CHECKS[name][1]

    def aliasing(params, grads, state, learning_rate, *hyper):
        state = solution(params, grads, state, learning_rate, *hyper)
        for g in grads.values():
            g *= 0.5  # e.g. g = grads[k]; g *= (1 - beta)
        return state

    ok, out = run(CHECKS[name][0], aliasing, capsys)
    assert not ok and "changed grads in place" in out


def test_velocity_aliasing_params_is_named(capsys):
    def aliased(params, grads, state, learning_rate, beta=0.9):
        if "v" not in state:
            state["v"] = params.copy()  # a shallow copy: the arrays are the params themselves
        for key in params:
            state["v"][key] *= beta
            state["v"][key] += (1 - beta) * grads["d" + key]
            params[key] -= learning_rate * state["v"][key]
        return state

    ok, out = run(checks.check_momentum, aliased, capsys)
    assert not ok and "shares memory with params" in out


def slip(name, **flags):
    _, _, _, replay = CHECKS[name]
    return functools.wraps(replay)(lambda *args: replay(*args, **flags))


@pytest.mark.parametrize("name, flags, hint", [
    ("momentum", {"one_minus": False}, "no 1 − β"),
    ("momentum", {"swapped": True}, "β and 1 − β are swapped"),
    ("momentum", {"w_first": True}, "W was updated with the old v"),
    ("momentum", {"sign": -1.0}, "wrong sign"),
    ("momentum", {"remember": False}, "v is not remembered"),
    ("rmsprop", {"eps_inside": True}, "ε is inside the square root"),
    ("rmsprop", {"one_minus": False}, "no 1 − β"),
    ("rmsprop", {"w_first": True}, "W was updated with the old s"),
    ("rmsprop", {"root": False}, "divide by the square root of s"),
    ("rmsprop", {"square": False}, "averages the squared gradients"),
    ("rmsprop", {"current": True}, "not by √(dW²)"),
    ("rmsprop", {"corrected": True}, "has no bias correction"),
    ("rmsprop", {"sign": -1.0}, "wrong sign"),
    ("adam", {"correction": "none"}, "bias correction is missing"),
    ("adam", {"correction": "t0"}, "t counted from 0"),
    ("adam", {"correction": "t1"}, "t is not counted up"),
    ("adam", {"store_corrected": True}, "stored back into v, s"),
    ("adam", {"eps_inside": True}, "ε is inside the square root"),
    ("adam", {"one_minus1": False}, "no 1 − β1"),
    ("adam", {"one_minus2": False}, "no 1 − β2"),
    ("adam", {"swapped": True}, "β1 and β2 are swapped"),
    ("adam", {"root": False}, "divide by the square root of ŝ"),
    ("adam", {"w_first": True}, "W was updated with the old v and s"),
    ("adam", {"sign": -1.0}, "wrong sign"),
])
def test_each_slip_gets_its_hint(name, flags, hint, capsys):
    ok, out = run(CHECKS[name][0], slip(name, **flags), capsys)
    assert not ok and hint in out, out


def test_unrecognised_error_reports_the_size(capsys):
    def off(params, grads, state, learning_rate, beta=0.9):
        state = momentum_solution(params, grads, state, learning_rate, beta)
        params["b2"] += 0.01
        return state

    ok, out = run(checks.check_momentum, off, capsys)
    assert not ok and "differ from helpers.optim by up to 0.01" in out


def test_passing_a_call_instead_of_the_function_is_explained():
    with pytest.raises(ValueError, match="pass it without calling it"):
        checks.check_adam({})


@pytest.mark.parametrize("name, flags, hint", [
    ("rmsprop", {"eps_after": True}, "ε was added to the step, not to the denominator"),
    ("adam", {"eps_after": True}, "ε was added to the step, not to the denominator"),
    ("adam", {"t_per_param": True}, "t is increased inside the loop over the parameters"),
])
def test_more_slips_get_their_hints(name, flags, hint, capsys):
    ok, out = run(CHECKS[name][0], slip(name, **flags), capsys)
    assert not ok and hint in out, out


@pytest.mark.parametrize("name", CHECKS)
def test_hyperparameters_typed_as_numbers_are_named(name, capsys):
    reference = CHECKS[name][2]

    def hard_coded(params, grads, state, learning_rate, *hyper):
        return reference(params, grads, state, learning_rate)  # beta, epsilon, ... ignored: the defaults

    ok, out = run(CHECKS[name][0], hard_coded, capsys)
    assert not ok and "uses the default values" in out, out


def test_parameters_not_updated_in_place_is_named(capsys):
    def local_name(params, grads, state, learning_rate, beta=0.9):
        v = state.setdefault("v", {key: np.zeros_like(p) for key, p in params.items()})
        for key in params:
            v[key] = beta * v[key] + (1 - beta) * grads["d" + key]
            W = params[key]
            W = W - learning_rate * v[key]  # noqa: F841 (the slip: a new array for the local name only)
        return state

    ok, out = run(checks.check_momentum, local_name, capsys)
    assert not ok and "the parameters did not change" in out, out
