"""The checks of lab 03 pass the reference, fail each typical slip with its own hint, and report stubs."""
import numpy as np
import pytest

from helpers import checks, network
from helpers.checks import dropout


def relu(Z):
    return np.maximum(0, Z)


def learner_forward(X, params, keep_prob, rng, slip=None):
    """A learner's course-style forward pass; slip replays one typical mistake."""
    W1, b1, W2, b2, W3, b3 = (params[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))

    def draw(A):
        if slip == "drop_prob":
            return (rng.random(A.shape) < 1 - keep_prob).astype(int)
        if slip == "greater":
            return (rng.random(A.shape) > keep_prob).astype(int)
        if slip == "per_unit":
            return (rng.random((A.shape[0], 1)) < keep_prob).astype(int)
        return (rng.random(A.shape) < keep_prob).astype(int)

    def scale(A, D):
        A = A * D
        if slip == "no_divide":
            return A
        return A * keep_prob if slip == "times_keep" else A / keep_prob

    if slip == "input":
        X = scale(X, draw(X))
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = np.ones(A1.shape, dtype=int)
    if slip not in ("no_dropout", "layer2_only"):
        D1 = draw(A1)
        A1 = scale(A1, D1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = np.ones(A2.shape, dtype=int)
    if slip not in ("no_dropout", "layer1_only"):
        D2 = draw(A2)
        A2 = scale(A2, D2)
    Z3 = np.dot(W3, A2) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    if slip == "output":
        A3 = scale(A3, draw(A3))
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    if slip == "short_cache":
        cache = cache[:-1]
    if slip == "A1_before_dropout":
        cache = (Z1, D1, relu(Z1)) + cache[3:]
    if slip == "A2_before_dropout":
        cache = cache[:7] + (relu(Z2),) + cache[8:]
    if slip == "A1_not_divided":
        cache = (Z1, D1, relu(Z1) * D1) + cache[3:]
    return A3, cache


def learner_backward(X, Y, cache, keep_prob, slip=None, relu_of="A"):
    """A learner's course-style backward pass; slip replays one typical mistake.

    relu_of="A" takes the ReLU derivative from A > 0 as the course does (A after dropout, so it is 0 for
    dropped units and hides a missing mask); relu_of="Z" takes it from Z > 0.
    """
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = 1 if slip == "no_1_over_m" else X.shape[1]

    def undo(dA, D):
        if slip == "no_dropout":
            return dA
        if slip == "no_mask":
            return dA / keep_prob
        if slip == "new_mask":  # draws a fresh mask in backward instead of reusing D
            D = np.random.default_rng(123).random(dA.shape) < keep_prob
        dA = dA * D
        if slip == "no_divide":
            return dA
        return dA * keep_prob if slip == "times_keep" else dA / keep_prob

    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=slip != "db_1d")
    dA2 = undo(np.dot(W3.T, dZ3), D2)
    dZ2 = dA2 if slip == "no_relu_grad" else np.multiply(dA2, np.int64((A2 if relu_of == "A" else Z2) > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=slip != "db_1d")
    dA1 = undo(np.dot(W2.T, dZ2), D1)
    dZ1 = dA1 if slip == "no_relu_grad" else np.multiply(dA1, np.int64((A1 if relu_of == "A" else Z1) > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=slip != "db_1d")
    grads = {"dW3": dW3, "db3": db3, "dW2": dW2, "db2": db2, "dW1": dW1, "db1": db1}
    if slip == "missing_key":
        del grads["db1"]
    return grads


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


# ---------------------------------------------------------------- the reference replays agree with helpers
@pytest.mark.parametrize("i", range(1, len(dropout._CASES) + 1))
def test_reference_replay_matches_helpers(i):
    dims, m, keep_prob = dropout._CASES[i - 1]
    params, X, Y = dropout._case(i, dims, m)
    A3, cache = dropout._forward3(X, params, keep_prob, np.random.default_rng(7))
    AL, ref = network.forward(X, params, keep_prob=keep_prob, rng=np.random.default_rng(7))
    np.testing.assert_allclose(A3, AL, rtol=1e-12)
    grads, want = dropout._backward3(X, Y, cache, keep_prob), network.backward(ref, Y)
    for k in want:
        np.testing.assert_allclose(grads[k], want[k], rtol=1e-10, atol=1e-14)


def test_every_replayed_slip_changes_the_answer_somewhere():
    # a slip that coincided with the reference in every case could never be named
    for bug in dropout._FORWARD_HINTS:
        assert any(not np.allclose(dropout._forward3(X, p, kp, np.random.default_rng(1), bug)[0],
                                   dropout._forward3(X, p, kp, np.random.default_rng(1))[0])
                   for i, (dims, m, kp) in enumerate(dropout._CASES, 1)
                   for p, X, _ in [dropout._case(i, dims, m)]), bug


# ---------------------------------------------------------------- forward
def test_forward_reference_passes(capsys):
    ok, out = run(checks.check_forward_with_dropout, learner_forward, capsys)
    assert ok and "all 4 cases" in out


def test_forward_stub_is_not_done(capsys):
    def stub(X, params, keep_prob, rng):
        raise NotImplementedError

    ok, out = run(checks.check_forward_with_dropout, stub, capsys)
    assert not ok and "not done yet" in out


def test_forward_crash_is_reported(capsys):
    ok, out = run(checks.check_forward_with_dropout, lambda X, p, k, r: p["W9"], capsys)
    assert not ok and "raised KeyError" in out


@pytest.mark.parametrize("slip, hint", [
    ("no_divide", "forgot to divide by keep_prob"),
    ("times_keep", "multiplied by keep_prob"),
    ("drop_prob", "probability of KEEPING"),
    ("greater", "> keep_prob keeps a unit with probability 1 − keep_prob"),
    ("output", "output layer"),
    ("input", "input X"),
    ("per_unit", "per unit AND per example"),
    ("no_dropout", "equals the network without dropout"),
    ("layer1_only", "only layer 1"),
    ("layer2_only", "only layer 2"),
    ("short_cache", "cache must be the tuple"),
    ("A1_before_dropout", "cache's A1 is the activation BEFORE dropout, relu(Z1)"),
    ("A2_before_dropout", "cache's A2 is the activation BEFORE dropout, relu(Z2)"),
    ("A1_not_divided", "cache's A1 is masked but not divided by keep_prob"),
])
def test_forward_slips_get_their_hint(slip, hint, capsys):
    ok, out = run(checks.check_forward_with_dropout,
                  lambda X, p, k, r: learner_forward(X, p, k, r, slip), capsys)
    assert not ok and hint in out, out


def test_forward_other_cache_slips_get_the_order_hint(capsys):
    def swapped(X, params, keep_prob, rng):
        A3, c = learner_forward(X, params, keep_prob, rng)
        return A3, (c[0], c[2], c[1]) + c[3:]   # (Z1, A1, D1, ...): the order given is (Z1, D1, A1, ...)

    ok, out = run(checks.check_forward_with_dropout, swapped, capsys)
    assert not ok and "cache's D1 is not: keep the cache order" in out, out


def test_forward_unknown_mask_draws_get_the_generic_hint(capsys):
    def global_state(X, params, keep_prob, rng):
        return learner_forward(X, params, keep_prob, np.random.default_rng(999))

    ok, out = run(checks.check_forward_with_dropout, global_state, capsys)
    assert not ok and "rng you are given" in out


def test_forward_masks_from_numpy_global_state_get_their_hint(capsys):
    # the course's assignment draws masks with np.random.rand: two calls with the same rng then differ
    global_state = np.random.default_rng(5)

    def course_style(X, params, keep_prob, rng):
        return learner_forward(X, params, keep_prob, global_state)

    ok, out = run(checks.check_forward_with_dropout, course_style, capsys)
    assert not ok and "two calls with the same rng gave different A3" in out, out


def test_forward_shape_and_return_problems(capsys):
    ok, out = run(checks.check_forward_with_dropout, lambda X, p, k, r: learner_forward(X, p, k, r)[0], capsys)
    assert not ok and "return two things" in out
    ok, out = run(checks.check_forward_with_dropout,
                  lambda X, p, k, r: (learner_forward(X, p, k, r)[0].T, None), capsys)
    assert not ok and "examples are columns" in out


def test_forward_check_rejects_a_call_result():
    with pytest.raises(ValueError, match="without calling it"):
        checks.check_forward_with_dropout(None)


# ---------------------------------------------------------------- backward
@pytest.mark.parametrize("relu_of", ["A", "Z"])
def test_backward_reference_passes(relu_of, capsys):
    ok, out = run(checks.check_backward_with_dropout, lambda X, Y, c, k: learner_backward(X, Y, c, k, None, relu_of),
                  capsys)
    assert ok and "all 4 cases" in out


def test_backward_relu_of_dropped_A_already_applies_the_mask(capsys):
    # dA / keep_prob * (A > 0) is right: A = 0 wherever D = 0. Without the 1/keep_prob it is not.
    ok, _ = run(checks.check_backward_with_dropout, lambda X, Y, c, k: learner_backward(X, Y, c, k, "no_mask"), capsys)
    assert ok
    ok, out = run(checks.check_backward_with_dropout,
                  lambda X, Y, c, k: learner_backward(X, Y, c, k, "no_dropout"), capsys)
    assert not ok and "forgot to divide by keep_prob in backward" in out


def test_backward_stub_is_not_done(capsys):
    def stub(X, Y, cache, keep_prob):
        raise NotImplementedError

    ok, out = run(checks.check_backward_with_dropout, stub, capsys)
    assert not ok and "not done yet" in out


@pytest.mark.parametrize("slip, hint", [
    ("no_divide", "forgot to divide by keep_prob in backward"),
    ("no_mask", "the mask is not applied in backward"),
    ("no_dropout", "backward ignores dropout"),
    ("times_keep", "multiplied by keep_prob in backward"),
    ("no_1_over_m", "forgot the 1/m"),
    ("no_relu_grad", "the ReLU derivative is missing"),
    ("new_mask", "never draw new masks in backward"),
    ("db_1d", "keepdims=True"),
    ("missing_key", "missing db1"),
])
def test_backward_slips_get_their_hint(slip, hint, capsys):
    ok, out = run(checks.check_backward_with_dropout,
                  lambda X, Y, c, k: learner_backward(X, Y, c, k, slip, relu_of="Z"), capsys)
    assert not ok and hint in out, out


def test_backward_not_a_dict(capsys):
    ok, out = run(checks.check_backward_with_dropout, lambda X, Y, c, k: [1, 2], capsys)
    assert not ok and "return a dict" in out


# ---------------------------------------------------------------- the references the lab runs until the learner's pass
@pytest.mark.parametrize("i", range(1, len(dropout._CASES) + 1))
def test_references_match_the_course_network(i):
    dims, m, keep_prob = dropout._CASES[i - 1]
    params, X, Y = dropout._case(i, dims, m)
    A3, cache = dropout.forward_with_dropout(X, params, keep_prob, np.random.default_rng(5))
    want_A3, want_cache = dropout._forward3(X, params, keep_prob, np.random.default_rng(5))
    np.testing.assert_allclose(A3, want_A3, rtol=1e-12)
    for name, got, want in zip(dropout._CACHE_NAMES, cache, want_cache, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, err_msg=name)
    grads, want = dropout.backward_with_dropout(X, Y, cache, keep_prob), dropout._backward3(X, Y, cache, keep_prob)
    for k in want:
        np.testing.assert_allclose(grads[k], want[k], rtol=1e-10, atol=1e-14, err_msg=k)


def test_references_pass_their_checks_and_are_used_until_the_learner_passes(capsys):
    def stub(X, params, keep_prob, rng):
        raise NotImplementedError

    assert checks.use_if_passed(stub, checks.check_forward_with_dropout, dropout.forward_with_dropout) \
        is dropout.forward_with_dropout
    assert "runs the reference `helpers.checks.dropout.forward_with_dropout`" in capsys.readouterr().out
    assert checks.check_forward_with_dropout(dropout.forward_with_dropout)
    assert checks.check_backward_with_dropout(dropout.backward_with_dropout)


def test_forward_reference_rejects_a_network_of_another_depth():
    params = network.initialize_parameters([2, 3, 1], "he", np.random.default_rng(0))
    with pytest.raises(ValueError, match="3-layer network"):
        dropout.forward_with_dropout(np.ones((2, 4)), params, 0.8, np.random.default_rng(0))
