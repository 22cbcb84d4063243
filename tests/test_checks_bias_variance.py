"""The checks of lab 01 pass the reference, fail each typical slip with its own hint, and report stubs."""
import numpy as np
import pytest

from helpers import checks
from helpers.bias_variance import diagnose
from helpers.checks import bias_variance
from helpers.datasets import train_dev_test_split


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


# ---------------------------------------------------------------- split
def _cut(order, X, Y, n_dev, n_test, first="dev"):
    """Cut an index order into sets; first="dev" is the exercise's dev / test / train."""
    if first == "dev":
        dev, test, train = order[:n_dev], order[n_dev:n_dev + n_test], order[n_dev + n_test:]
    else:
        n_train = len(order) - n_dev - n_test
        train, dev, test = order[:n_train], order[n_train:n_train + n_dev], order[n_train + n_dev:]
    return X[:, train], Y[:, train], X[:, dev], Y[:, dev], X[:, test], Y[:, test]


def _split_with(order_of, first="dev"):
    """A split whose index order is order_of(rng, m)."""
    def split(X, Y, rng, dev_fraction, test_fraction):
        m = X.shape[1]
        return _cut(order_of(rng, m), X, Y, round(dev_fraction * m), round(test_fraction * m), first)
    return split


def test_split_reference_and_solution_pass(capsys):
    ok, out = run(checks.check_split, train_dev_test_split, capsys)
    assert ok and "all 4 cases" in out
    ok, _ = run(checks.check_split, _split_with(lambda rng, m: rng.permutation(m)), capsys)
    assert ok


def test_split_stub_is_not_done(capsys):
    def stub(X, Y, rng, dev_fraction, test_fraction):
        raise NotImplementedError

    ok, out = run(checks.check_split, stub, capsys)
    assert not ok and "not done yet" in out


@pytest.mark.parametrize("order_of, first", [
    (lambda rng, m: np.arange(m), "dev"),      # dev / test / train, no shuffle (passed before)
    (lambda rng, m: np.arange(m), "train"),    # train / dev / test, no shuffle
    (lambda rng, m: np.arange(m)[::-1], "dev"),  # reversed: still consecutive blocks
])
def test_split_any_unshuffled_cut_is_caught(order_of, first, capsys):
    ok, out = run(checks.check_split, _split_with(order_of, first), capsys)
    assert not ok and "original order: shuffle first" in out


def test_split_with_np_random_is_caught(capsys):
    ok, out = run(checks.check_split, _split_with(lambda rng, m: np.random.permutation(m)), capsys)
    assert not ok and "not from np.random" in out


def test_split_with_its_own_generator_is_caught(capsys):
    ok, out = run(checks.check_split, _split_with(lambda rng, m: np.random.default_rng(0).permutation(m)), capsys)
    assert not ok and "ignores the rng argument" in out


def test_split_train_first_is_caught(capsys):
    ok, out = run(checks.check_split, _split_with(lambda rng, m: rng.permutation(m), first="train"), capsys)
    assert not ok and "train from the front" in out


def test_split_other_shuffle_is_caught(capsys):
    ok, out = run(checks.check_split, _split_with(lambda rng, m: rng.choice(m, m, replace=False)), capsys)
    assert not ok and "not the one the exercise asks for" in out


def test_split_rows_and_mismatched_labels_are_caught(capsys):
    def rows(X, Y, rng, dev_fraction, test_fraction):
        return train_dev_test_split(X.T, Y.T, rng, dev_fraction, test_fraction)

    def labels(X, Y, rng, dev_fraction, test_fraction):
        out = list(train_dev_test_split(X, Y, rng, dev_fraction, test_fraction))
        out[1] = out[1][:, ::-1]
        return tuple(out)

    ok, out = run(checks.check_split, rows, capsys)
    assert not ok
    ok, out = run(checks.check_split, labels, capsys)
    assert not ok and "labels no longer match" in out


def test_split_indexing_rows_crashes_with_the_columns_hint(capsys):
    def rows(X, Y, rng, dev_fraction, test_fraction):
        m = X.shape[1]
        order = rng.permutation(m)
        n_dev, n_test = round(dev_fraction * m), round(test_fraction * m)
        dev, test, train = order[:n_dev], order[n_dev:n_dev + n_test], order[n_dev + n_test:]
        return X[train], Y[train], X[dev], Y[dev], X[test], Y[test]

    ok, out = run(checks.check_split, rows, capsys)
    assert not ok and "IndexError" in out and "X[:, idx]" in out


# ---------------------------------------------------------------- diagnose
def _named(high_bias, high_variance):
    """The case's name, written out here so a wrong answer below never depends on the module under test."""
    if high_bias and high_variance:
        return "high bias and high variance"
    return "high bias" if high_bias else "high variance" if high_variance else "low bias and low variance"


def _tolerance(tol, ge=False):
    def my_diagnose(train, dev, bayes):
        high_b = train - bayes >= tol if ge else train - bayes > tol
        high_v = dev - train >= tol if ge else dev - train > tol
        return _named(high_b, high_v)
    return my_diagnose


def test_diagnose_reference_passes(capsys):
    ok, out = run(checks.check_diagnose, diagnose, capsys)
    assert ok and f"all {len(bias_variance.DIAGNOSE_CASES)} cases" in out


def test_diagnose_stub_is_not_done(capsys):
    def stub(train, dev, bayes):
        raise NotImplementedError

    ok, out = run(checks.check_diagnose, stub, capsys)
    assert not ok and "not done yet" in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda t, d, b: _named(t - b > 0.02, d - b > 0.02), "you measured variance as dev - Bayes"),
    (lambda t, d, b: _named(d - b > 0.02, d - t > 0.02), "avoidable bias as dev - Bayes"),
    (lambda t, d, b: _named(t > 0.02, d - t > 0.02), "compared the training error with 0"),
    (lambda t, d, b: _named(d - t > 0.02, t - b > 0.02), "the two gaps are swapped"),
    (lambda t, d, b: _named(abs(t - b) > 0.02, d - t > 0.02), "not its absolute value"),
    (_tolerance(0.02, ge=True), "use gap > 0.02, not >="),
    (_tolerance(0.05), "looks like 5% instead of two percentage points"),   # passed before: no 2-10 point gap
    (_tolerance(0.03), "looks like 3% instead of two percentage points"),
    (_tolerance(0.01), "looks like 1% instead of two percentage points"),
    (_tolerance(0.1), "looks like 10% instead of two percentage points"),
    (_tolerance(2), "errors are fractions"),
])
def test_diagnose_slips_get_their_own_hint(wrong, hint, capsys):
    ok, out = run(checks.check_diagnose, wrong, capsys)
    assert not ok and "raised" not in out and hint in out, out


def test_diagnose_boundary_is_exactly_representable():
    # The two boundary cases must sit exactly on 0.02 in floating point (0.12 - 0.10 does not).
    gaps = [g for t, d, b in bias_variance.DIAGNOSE_CASES for g in (t - b, d - t)]
    assert gaps.count(0.02) == 2


def test_diagnose_every_slip_differs_from_the_reference_and_from_each_other():
    answers = [tuple(slip(*c) for c in bias_variance.DIAGNOSE_CASES) for slip, _ in bias_variance.DIAGNOSE_SLIPS]
    reference = tuple(diagnose(*c) for c in bias_variance.DIAGNOSE_CASES)
    assert reference not in answers and len(set(answers)) == len(answers)


def test_diagnose_unknown_name_and_crash(capsys):
    ok, out = run(checks.check_diagnose, lambda t, d, b: "bias", capsys)
    assert not ok and "return exactly one of" in out
    ok, out = run(checks.check_diagnose, lambda t, d, b: t.upper(), capsys)
    assert not ok and "raised AttributeError" in out
