"""The checks of lab 06 pass the reference, fail each typical slip with its own hint, and report stubs."""
import numpy as np
import pytest

from helpers import checks
from helpers.averages import ewa
from helpers.checks.minibatches import random_mini_batches
from helpers.datasets import minibatches


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


# ---------------------------------------------------------------- the mini-batch partition
def course_solution(X, Y, batch_size, rng):
    """The course's way: one permutation, full batches in a loop, then the partial one."""
    m = X.shape[1]
    perm = rng.permutation(m)
    X_s, Y_s = X[:, perm], Y[:, perm]
    batches = [(X_s[:, k * batch_size:(k + 1) * batch_size], Y_s[:, k * batch_size:(k + 1) * batch_size])
               for k in range(m // batch_size)]
    if m % batch_size:
        batches.append((X_s[:, m // batch_size * batch_size:], Y_s[:, m // batch_size * batch_size:]))
    return batches


def test_reference_is_minibatches_listed():
    X, Y = np.arange(20.0).reshape(2, 10), np.arange(10).reshape(1, 10) % 2
    a = random_mini_batches(X, Y, 4, np.random.default_rng(3))
    b = list(minibatches(X, Y, 4, np.random.default_rng(3)))
    assert [x.shape[1] for x, _ in a] == [4, 4, 2]
    assert all(np.array_equal(x1, x2) and np.array_equal(y1, y2) for (x1, y1), (x2, y2) in zip(a, b, strict=True))


@pytest.mark.parametrize("fn", [random_mini_batches, course_solution,
                                lambda X, Y, b, rng: tuple(minibatches(X, Y, b, rng))])
def test_correct_partitions_pass(capsys, fn):
    ok, out = run(checks.check_random_mini_batches, fn, capsys)
    assert ok and "all 6 cases" in out, out


def test_partition_stub_is_not_done(capsys):
    def stub(X, Y, batch_size, rng):
        raise NotImplementedError

    ok, out = run(checks.check_random_mini_batches, stub, capsys)
    assert not ok and "not done yet" in out


def _drop_last(X, Y, b, rng):
    return [(x, y) for x, y in course_solution(X, Y, b, rng) if x.shape[1] == b]


def _rows(X, Y, b, rng):
    return [(x.T, y) for x, y in course_solution(X, Y, b, rng)]


def _two_perms(X, Y, b, rng):
    m = X.shape[1]
    X_s, Y_s = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]
    return [(X_s[:, k:k + b], Y_s[:, k:k + b]) for k in range(0, m, b)]


def _no_shuffle(X, Y, b, rng):
    return [(X[:, k:k + b], Y[:, k:k + b]) for k in range(0, X.shape[1], b)]


def _own_rng(X, Y, b, rng):
    return course_solution(X, Y, b, np.random.default_rng(12345))


def _global_rng(X, Y, b, rng):
    return course_solution(X, Y, b, np.random.RandomState(0))


def _with_replacement(X, Y, b, rng):
    m = X.shape[1]
    out = []
    for k in range(0, m, b):
        idx = rng.integers(0, m, min(b, m - k))
        out.append((X[:, idx], Y[:, idx]))
    return out


def _empty_last(X, Y, b, rng):
    m = X.shape[1]
    batches = course_solution(X, Y, b, rng)
    if m % b == 0:
        batches.append((X[:, :0], Y[:, :0]))
    return batches


def _y_flat(X, Y, b, rng):
    return [(x, y.ravel()) for x, y in course_solution(X, Y, b, rng)]


def _padded_last(X, Y, b, rng):
    m = X.shape[1]
    perm = rng.permutation(m)
    return [(X[:, perm[k:k + b]], Y[:, perm[k:k + b]]) for k in range(0, m - b + 1, b)] + \
        ([(X[:, perm[-b:]], Y[:, perm[-b:]])] if m % b else [])


def _in_place(X, Y, b, rng):
    perm = rng.permutation(X.shape[1])
    X[:] = X[:, perm]
    Y[:] = Y[:, perm]
    return [(X[:, k:k + b].copy(), Y[:, k:k + b].copy()) for k in range(0, X.shape[1], b)]


@pytest.mark.parametrize("bug, hint", [
    (_drop_last, "the last partial batch is missing"),
    (_rows, "examples are columns"),
    (_two_perms, "shuffle X and Y with the same permutation"),
    (_no_shuffle, "cut in the original order"),
    (_own_rng, "use the rng passed in"),
    (_global_rng, "use the rng passed in"),
    (_with_replacement, "appear twice and others are missing"),
    (_empty_last, "the last batch is empty"),
    (_y_flat, "as a 2-D array"),
    (_padded_last, "expected [4, 4, 2]"),
    (_in_place, "changed X or Y in place"),
    (lambda X, Y, b, rng: None, "forget the `return`"),
    (lambda X, Y, b, rng: X, "return a list of (X_b, Y_b) pairs"),
    (lambda X, Y, b, rng: [x for x, _ in course_solution(X, Y, b, rng)], "is not a pair"),
])
def test_partition_slips_get_specific_hints(capsys, bug, hint):
    ok, out = run(checks.check_random_mini_batches, bug, capsys)
    assert not ok
    assert hint in out, out


def test_partition_crash_is_reported_with_its_line(capsys):
    def crashes(X, Y, batch_size, rng):
        perm = rng.permutation(X.shape[1])
        return [(X[perm], Y[perm])]  # rows indexed by column ids: IndexError

    ok, out = run(checks.check_random_mini_batches, crashes, capsys)
    assert not ok and "raised IndexError" in out and "return [(X[perm], Y[perm])]" in out


# ---------------------------------------------------------------- the EWA
def ewa_loop(values, beta, bias_correction=True):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta ** t) if bias_correction else v)
    return np.array(out)


@pytest.mark.parametrize("fn", [ewa, ewa_loop, lambda v, b, c=True: list(ewa_loop(v, b, c))])
def test_correct_ewas_pass(capsys, fn):
    ok, out = run(checks.check_ewa, fn, capsys)
    assert ok and "all 6 cases" in out, out


def test_ewa_stub_is_not_done(capsys):
    def stub(values, beta, bias_correction=True):
        raise NotImplementedError

    ok, out = run(checks.check_ewa, stub, capsys)
    assert not ok and "not done yet" in out


def _never_corrects(values, beta, bias_correction=True):
    return ewa_loop(values, beta, False)


def _always_corrects(values, beta, bias_correction=True):
    return ewa_loop(values, beta, True)


def _t_from_zero_numpy(values, beta, bias_correction=True):
    raw = ewa_loop(values, beta, False)
    if not bias_correction:
        return raw
    with np.errstate(divide="ignore", invalid="ignore"):
        return raw / (1 - beta ** np.arange(len(values)))


def _t_from_zero_python(values, beta, bias_correction=True):
    v, out = 0.0, []
    for t, x in enumerate(values):
        v = beta * v + (1 - beta) * float(x)
        out.append(v / (1 - beta ** t) if bias_correction else v)
    return out


def _off_by_one_up(values, beta, bias_correction=True):
    raw = ewa_loop(values, beta, False)
    return raw / (1 - beta ** np.arange(2, len(values) + 2)) if bias_correction else raw


def _swapped(values, beta, bias_correction=True):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = (1 - beta) * v + beta * x
        out.append(v / (1 - beta ** t) if bias_correction else v)
    return np.array(out)


def _start_at_first(values, beta, bias_correction=True):
    v, out = values[0], []
    for x in values:
        v = beta * v + (1 - beta) * x
        out.append(v)
    return np.array(out)


def _no_one_minus_beta(values, beta, bias_correction=True):
    v, out = 0.0, []
    for x in values:
        v = beta * v + x
        out.append(v)
    return np.array(out)


def _same_correction_for_all(values, beta, bias_correction=True):
    raw = ewa_loop(values, beta, False)
    return raw / (1 - beta ** len(values)) if bias_correction else raw


def _corrected_fed_back(values, beta, bias_correction=True):
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        if bias_correction:
            v = v / (1 - beta ** t)  # overwrites the running average: the next step starts from the corrected value
        out.append(v)
    return np.array(out)


def _last_only(values, beta, bias_correction=True):
    return ewa_loop(values, beta, bias_correction)[-1]


def _in_place(values, beta, bias_correction=True):
    values[:] = ewa_loop(values, beta, bias_correction)
    return values


@pytest.mark.parametrize("bug, hint", [
    (_never_corrects, "without the bias correction"),
    (_always_corrects, "with bias_correction=False return the raw v_t"),
    (_t_from_zero_numpy, "t is counted from 0"),
    (_t_from_zero_python, "t counts from 1"),
    (_off_by_one_up, "off by one step"),
    (_swapped, "(1 - beta) multiplies the new value"),
    (_start_at_first, "start from v_0 = 0"),
    (_no_one_minus_beta, "needs its weight (1 - beta)"),
    (_same_correction_for_all, "by its own 1 - beta**t"),
    (_corrected_fed_back, "fed back into the recursion"),
    (_last_only, "you returned one number"),
    (_in_place, "changed the input series"),
    (lambda values, beta, bias_correction=True: None, "forget the `return`"),
    (lambda values, beta, bias_correction=True: ewa_loop(values, beta, bias_correction)[:-1], "expected (40,)"),
])
def test_ewa_slips_get_specific_hints(capsys, bug, hint):
    ok, out = run(checks.check_ewa, bug, capsys)
    assert not ok
    assert hint in out, out


def test_ewa_unknown_slip_gets_the_first_wrong_step(capsys):
    ok, out = run(checks.check_ewa, lambda v, b, c=True: ewa_loop(v, b, c) + (np.arange(len(v)) == 3), capsys)
    assert not ok and "at t = 4" in out and "Hint" not in out

