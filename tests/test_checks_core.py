"""The pieces every exercise check shares: use_if_passed, the learner's crashing line, non-callables."""
import numpy as np
import pytest

from helpers import checks
from helpers.checks._core import _call


def passing(fn):
    print("✅ passed")
    return True


def failing(fn):
    print("❌ failed")
    return False


def mine(x):
    return x + 1


def reference(x):
    return x + 1


def test_use_if_passed_returns_the_learners_function_once_its_check_passes(capsys):
    assert checks.use_if_passed(mine, passing, reference) is mine
    assert "runs your `mine`" in capsys.readouterr().out


def test_use_if_passed_returns_the_reference_until_then(capsys):
    assert checks.use_if_passed(mine, failing, reference) is reference
    out = capsys.readouterr().out
    assert "❌ failed" in out and "runs the reference `test_checks_core.reference`" in out


def test_use_if_passed_needs_a_true_pass_not_a_truthy_value(capsys):
    assert checks.use_if_passed(mine, lambda fn: "yes", reference) is reference


def test_use_if_passed_rejects_values(capsys):
    with pytest.raises(ValueError, match="pass it without calling it"):
        checks.use_if_passed(mine(1), passing, reference)
    with pytest.raises(ValueError, match="must be functions"):
        checks.use_if_passed(mine, True, reference)


def test_a_crash_names_the_learners_line():
    def broken(X):
        W = np.ones((3, 4))
        return W @ X

    _, message = _call("check_x", broken, np.ones((9, 2)))
    assert message.startswith("❌ check_x: your function raised ValueError")
    assert "of your code: `return W @ X`" in message


def test_not_done_yet():
    def stub():
        raise NotImplementedError

    assert _call("check_x", stub)[1].startswith("⏳ check_x: not done yet")


@pytest.mark.parametrize("name", [n for n in dir(checks) if n.startswith("check_")])
def test_every_check_says_the_same_thing_when_given_a_value(name):
    with pytest.raises(ValueError, match=rf"{name} expects your function.* itself: pass it without calling it"):
        getattr(checks, name)(0.5)
