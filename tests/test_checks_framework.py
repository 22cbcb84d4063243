"""Lab 12's check of the training loop: the reference passes, and each usual slip gets its own hint."""
import subprocess
import sys

import numpy as np
import pytest

from helpers import checks

torch = pytest.importorskip("torch")
from helpers import torch_bridge  # noqa: E402  (after the importorskip: this module imports torch)


def run(fn, capsys):
    ok = checks.check_train_one_epoch(fn)
    return ok, capsys.readouterr().out


def solution(model, loader, loss_fn, optimizer):
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)
        count += len(x)
    return total / count


def variant(*, zero_grad=True, order="normal", train=True, softmax=False, item=True, average="examples"):
    """A learner's loop with one slip."""
    def loop(model, loader, loss_fn, optimizer):
        if train:
            model.train()
        total, count, means = 0.0, 0, []
        for x, y in loader:
            out = model(x)
            loss = loss_fn(torch.softmax(out, dim=1) if softmax else out, y)
            if order == "normal":
                if zero_grad:
                    optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            elif order == "step first":
                optimizer.step()
                optimizer.zero_grad()
                loss.backward()
            elif order == "zero after backward":
                loss.backward()
                optimizer.zero_grad()
                optimizer.step()
            total = total + (loss.item() if item else loss) * len(x)
            means.append(loss.item())
            count += len(x)
        return {"examples": total / count, "batches": float(np.mean(means)), "sum": total,
                "batch sum": float(np.sum(means)), "last": means[-1], "batch sum / m": float(np.sum(means)) / count,
                "sum / batches": total / len(means)}[average]
    return loop


def test_solution_and_reference_pass(capsys):
    for fn in (solution, torch_bridge.train_one_epoch):
        ok, out = run(fn, capsys)
        assert ok and out.startswith("✅"), out


@pytest.mark.parametrize("flags, hint", [
    ({"zero_grad": False}, "ACCUMULATES"),
    ({"order": "step first"}, "step() ran before loss.backward()"),
    ({"order": "zero after backward"}, "did not change"),
    ({"train": False}, "model.train()"),
    ({"softmax": True}, "takes the LOGITS"),
    ({"item": False}, "loss.item()"),
    ({"average": "batches"}, "weight each batch's loss by its size"),
    ({"average": "sum"}, "total loss"),
    ({"average": "batch sum"}, "sum of the batch means"),
    ({"average": "last"}, "last batch's loss only"),
    ({"average": "batch sum / m"}, "added unweighted"),
    ({"average": "sum / batches"}, "number of batches"),
])
def test_each_slip_gets_its_hint(flags, hint, capsys):
    ok, out = run(variant(**flags), capsys)
    assert not ok and out.startswith("❌") and hint in out, out


def test_stub_and_crash_are_reported(capsys):
    def stub(model, loader, loss_fn, optimizer):
        raise NotImplementedError

    def crash(model, loader, loss_fn, optimizer):
        for x, _ in loader:
            return model(x.T)

    ok, out = run(stub, capsys)
    assert not ok and out.startswith("⏳")
    ok, out = run(crash, capsys)
    assert not ok and "RuntimeError" in out and "model(x.T)" in out


def test_a_value_instead_of_the_function_is_refused():
    with pytest.raises(ValueError, match="pass it without calling it"):
        checks.check_train_one_epoch(0.5)


def test_importing_the_checks_does_not_import_torch():
    code = "import sys, helpers, helpers.checks; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
