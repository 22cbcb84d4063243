"""Check for lab 12's exercise: the PyTorch training loop ``train_one_epoch(model, loader, loss_fn, optimizer)
-> mean loss`` (helpers.torch_bridge.train_one_epoch is the reference).

Each case builds a small model with dropout, left in eval mode (so a loop must switch it to train mode), a
DataLoader whose last batch is partial (so the mean must weight batches by their size), nn.CrossEntropyLoss and
plain SGD; the learner's loop and the reference run from the same seeds, and the returned loss and the
parameters afterwards must agree. When they do not, the usual slips (no zero_grad, step before backward, no
model.train(), softmax before the loss, a tensor returned instead of loss.item(), the mean of the batch means,
...) are replayed on the same case and the one that reproduces the learner's numbers is named.

torch is imported inside the functions: importing helpers.checks does not import torch.
"""
from __future__ import annotations

import numpy as np

from ._core import _call, _require_callable, _result

_CASES = [(0, 22, 8), (1, 30, 7)]  # (seed, m, batch size): the last batch is partial in both
_RTOL, _ATOL = 1e-6, 1e-9


def _problem(seed: int, m: int, batch_size: int):
    """(model, loader, loss_fn, optimizer) for one case, the same every call with the same arguments.

    model: 6 -> 8 (ReLU, Dropout 0.25) -> 3 logits, float64, left in EVAL mode; loader: shuffled by a seeded
    torch.Generator; loss_fn: nn.CrossEntropyLoss (mean over the batch); optimizer: SGD(lr=0.5)."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    from .. import network
    from .. import torch_bridge as tb

    rng = np.random.default_rng(seed)
    params = network.initialize_parameters([6, 8, 3], "he", rng)
    params["b1"] = 0.1 * rng.standard_normal((8, 1))
    X = rng.standard_normal((6, m))
    labels = rng.integers(0, 3, m)
    model = tb.sequential_from_params(params, "relu", keep_prob=0.75)
    model.eval()  # a loop that forgets model.train() then trains without dropout
    loader = DataLoader(TensorDataset(tb.to_rows(X), torch.tensor(labels)), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    return model, loader, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.5)


def _run(fn, case):
    """Run fn on a fresh problem with torch's global seed set (dropout masks); return (value, params, start)."""
    import torch

    from .. import torch_bridge as tb

    model, loader, loss_fn, optimizer = _problem(*case)
    start = tb.params_from_sequential(model)
    torch.manual_seed(case[0])
    value = fn(model, loader, loss_fn, optimizer)
    return value, tb.params_from_sequential(model), start


def _slip_loop(model, loader, loss_fn, optimizer, *, zero_grad=True, train=True, softmax=False,
               average="examples"):
    """The training loop with one slip switched on (the defaults are the reference loop)."""
    import torch

    if train:
        model.train()
    losses, sizes = [], []
    for x, y in loader:
        out = model(x)
        loss = loss_fn(torch.softmax(out, dim=1) if softmax else out, y)
        if zero_grad:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(len(x))
    losses, sizes = np.array(losses), np.array(sizes)
    return {"examples": float(losses @ sizes / sizes.sum()), "batches": float(losses.mean()),
            "sum": float(losses @ sizes), "last": float(losses[-1]), "batch sum": float(losses.sum()),
            "batch sum / m": float(losses.sum() / sizes.sum()),
            "sum / batches": float(losses @ sizes / len(sizes))}[average]


_STEP_HINT = ("optimizer.step() ran before loss.backward(): step changed the weights in place that this batch's "
              "graph still needed. Per batch the order is optimizer.zero_grad(), loss.backward(), optimizer.step() "
              "(step uses the .grad that backward just filled).")
_SLIPS = [
    ({"zero_grad": False}, "the gradients were never cleared: .grad ACCUMULATES over backward() calls, so every step "
                           "used the sum of all earlier batches' gradients. Call optimizer.zero_grad() before "
                           "loss.backward() in every batch."),
    ({"train": False}, "the model was left in eval mode (this case hands it over in eval mode): dropout was off "
                       "during training. Call model.train() at the start of the epoch."),
    ({"softmax": True}, "softmax was applied before the loss: nn.CrossEntropyLoss takes the LOGITS (it applies "
                        "log-softmax itself); pass model(x) straight to loss_fn."),
]
_AVERAGE_SLIPS = [
    ({"average": "batches"}, "the mean of the batch losses gives the last, smaller batch as much weight as a full "
                             "one: weight each batch's loss by its size, total += loss.item() * len(x), and divide "
                             "by the number of examples."),
    ({"average": "sum"}, "this is the total loss over the examples: divide by the number of examples to return "
                         "the mean."),
    ({"average": "batch sum"}, "this is the sum of the batch means: weight each by its batch size and divide by "
                               "the number of examples."),
    ({"average": "last"}, "this is the last batch's loss only: return the mean over the whole epoch."),
    ({"average": "batch sum / m"}, "the batch losses were added unweighted and then divided by the number of "
                                   "examples: each loss is already a mean over its batch, so weight it by the "
                                   "batch size first, total += loss.item() * len(x)."),
    ({"average": "sum / batches"}, "the total was divided by the number of batches (len(loader)): divide by the "
                                   "number of examples (len(loader.dataset), or count len(x) per batch)."),
]


def _same_params(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.allclose(a[k], b[k], rtol=_RTOL, atol=_ATOL) for k in b)


def _diagnose(case, value, params, start) -> str:
    """Name the slip whose replay gives the learner's returned value and parameters."""
    if _same_params(params, start):
        return ("the parameters did not change: optimizer.step() found no gradients (zero_grad() after backward() "
                "erases them; or step() is missing). Per batch: optimizer.zero_grad(), loss.backward(), "
                "optimizer.step().")
    for flags, hint in _SLIPS:
        again, again_params, _ = _run(lambda *a, f=flags: _slip_loop(*a, **f), case)
        if _same_params(params, again_params):
            return f"the parameters after the epoch differ from the reference. Hint: {hint}"
    return "the parameters after the epoch differ from the reference's (look at the order of the five steps)."


def check_train_one_epoch(train_one_epoch) -> bool:
    """Exercise: train_one_epoch(model, loader, loss_fn, optimizer) -> the epoch's mean loss per example (a
    float), with forward, loss, zero_grad, backward, step per batch; the same as helpers.torch_bridge's."""
    import torch

    from .. import torch_bridge as tb

    name = "check_train_one_epoch"
    _require_callable(train_one_epoch, name)
    for i, case in enumerate(_CASES, 1):
        where = f"case {i} (m = {case[1]} examples, batches of {case[2]})"
        want, want_params, _ = _run(tb.train_one_epoch, case)
        got, message = _call(name, _run, train_one_epoch, case)
        if message:
            if "modified by an inplace operation" in message:  # the weights changed between forward and backward
                message += f" Hint: {_STEP_HINT}"
            print(message)
            return False
        value, params, start = got
        if isinstance(value, torch.Tensor):
            return _result(name, f"{where}: your function returned a tensor{' that still holds the graph' if value.requires_grad else ''}: "
                                 "accumulate loss.item() (a Python float), not loss itself — adding tensors keeps "
                                 "every batch's graph in memory for the whole epoch.", len(_CASES))
        if value is None:
            return _result(name, f"{where}: your function returned None: return the epoch's mean loss.", len(_CASES))
        if not isinstance(value, (float, int, np.floating, np.integer)):
            return _result(name, f"{where}: return the mean loss as a float; got {type(value).__name__}.", len(_CASES))
        if not _same_params(params, want_params):
            return _result(name, f"{where}: {_diagnose(case, value, params, start)}", len(_CASES))
        if not np.isclose(value, want, rtol=_RTOL, atol=_ATOL):
            hint = next((h for f, h in _AVERAGE_SLIPS
                         if np.isclose(value, _run(lambda *a, f=f: _slip_loop(*a, **f), case)[0], rtol=_RTOL)), None)
            return _result(name, f"{where}: the parameters are right but you returned {float(value):.6g}, the "
                                 f"reference {want:.6g}." + (f" Hint: {hint}" if hint else ""), len(_CASES))
    return _result(name, None, len(_CASES))
