"""numpy (course notation) ↔ PyTorch, with the transpose made explicit.

The course puts examples in COLUMNS: X is (n_x, m), A[l] is (n[l], m). PyTorch puts them in ROWS: a batch is
(m, n_x) and ``nn.Linear`` computes x Wᵀ + b for each row x. Its ``weight`` has the course's shape (n[l], n[l-1])
and its ``bias`` is b{l} flattened to (n[l],), so parameters cross over unchanged and data cross over transposed.

* ``to_rows(X)`` (n_x, m) array -> (m, n_x) tensor; ``to_columns(T)`` (m, n) tensor -> (n, m) array.
* ``class_indices(Y)`` one-hot (C, m) or (1, m) labels -> (m,) int64 class indices (what nn.CrossEntropyLoss takes).
* ``sequential_from_params(params, ...)`` -> ``nn.Sequential`` of Linear [-> BatchNorm1d] -> activation [-> Dropout]
  per hidden layer and a last Linear that outputs the LOGITS Z[L] (the output activation is left to the loss,
  nn.CrossEntropyLoss / nn.BCEWithLogitsLoss, as helpers.network's cost is computed from Z[L]).
* ``params_from_sequential(model)`` / ``grads_from_sequential(model)`` / ``running_from_sequential(model)`` back.
* ``train_one_epoch(model, loader, loss_fn, optimizer)`` the reference training loop of lab 12.

Conventions that differ (see helpers.network): nn.Dropout(p) takes the DROP probability p = 1 − keep_prob;
nn.BatchNorm1d(momentum=1 − β_bn) and its running_var averages m/(m − 1) σ²; a batch-norm layer's Linear has
no bias (our b{l} is unused there). Gradients: with a loss that is the MEAN over the batch (PyTorch's default
reduction), ``W.grad`` is ∂J/∂W, which is the course's dW (its 1/m sits in dW = 1/m dZ Aᵀ).

torch is imported here only: ``import helpers`` does not import this module, so labs without PyTorch do not pay
for it.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from . import metrics, network
from .validation import as_matrix

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
DTYPES = {np.dtype(np.float64): torch.float64, np.dtype(np.float32): torch.float32}


# ---------------------------------------------------------------- data: columns <-> rows
def to_rows(X, dtype=torch.float64) -> torch.Tensor:
    """(n_x, m) numpy array, one example per column -> (m, n_x) tensor, one example per row (a copy)."""
    X = as_matrix(X, "X")
    return torch.tensor(X.T, dtype=dtype)  # .T: columns become rows; torch.tensor copies


def to_columns(T) -> np.ndarray:
    """(m, n) tensor (or array), one example per row -> (n, m) numpy array, one example per column (a copy)."""
    if isinstance(T, torch.Tensor):
        T = T.detach().cpu().numpy()
    T = np.asarray(T)
    if T.ndim == 1:
        T = T.reshape(-1, 1)
    if T.ndim != 2:
        raise ValueError(f"expected a (m, n) tensor, one example per row; got shape {tuple(T.shape)}")
    return T.T.copy()


def class_indices(Y) -> torch.Tensor:
    """Labels as one-hot (C, m) or (1, m) integers -> (m,) int64 tensor of class indices (nn.CrossEntropyLoss's
    target); the checks are helpers.metrics.class_indices'."""
    return torch.from_numpy(metrics.class_indices(Y).astype(np.int64))


def sequential_from_params(params: dict, hidden: str = "relu", keep_prob=1.0, *, batch_norm=False,
                           running: dict | None = None, bn_momentum: float = network.BN_MOMENTUM,
                           bn_eps: float = network.BN_EPS) -> nn.Sequential:
    """An nn.Sequential computing helpers.network's Z[L] (the logits) from (m, n_x) rows, with copies of params.

    Per hidden layer l: Linear(n[l-1], n[l]) [-> BatchNorm1d(n[l])] -> activation [-> Dropout(1 − keep_prob)];
    then Linear(n[L-1], n[L]). keep_prob, batch_norm: as in helpers.network.forward. W{l} -> weight (same shape),
    b{l} -> bias (flattened); with batch norm gamma{l}, beta{l} -> weight, bias of BatchNorm1d(eps=bn_eps,
    momentum=1 − bn_momentum), running (from initialize_running or a TrainResult) -> running_mean, running_var.
    The model's dtype is that of W1 (float64 or float32).
    """
    dims = network.layer_dims_of(params)
    n_hidden = len(dims) - 2
    if hidden not in ACTIVATIONS:
        raise ValueError(f"hidden must be one of {sorted(ACTIVATIONS)}; got {hidden!r}")
    keep = network.check_keep_prob(keep_prob, n_hidden) if n_hidden else ()
    bn = network.check_bn_setup(params, batch_norm, "train", running, bn_momentum, bn_eps) or (False,) * n_hidden
    dtype = DTYPES.get(np.asarray(params["W1"]).dtype, torch.float64)
    layers = []
    for l in range(1, len(dims)):
        linear = nn.Linear(dims[l - 1], dims[l], bias=not (l <= n_hidden and bn[l - 1]), dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(params[f"W{l}"]))  # (n[l], n[l-1]): the course's shape
            if linear.bias is not None:
                linear.bias.copy_(torch.tensor(params[f"b{l}"]).reshape(-1))
        layers.append(linear)
        if l > n_hidden:
            break
        if bn[l - 1]:
            norm = nn.BatchNorm1d(dims[l], eps=bn_eps, momentum=round(1 - bn_momentum, 12), dtype=dtype)
            with torch.no_grad():
                norm.weight.copy_(torch.tensor(params[f"gamma{l}"]).reshape(-1))
                norm.bias.copy_(torch.tensor(params[f"beta{l}"]).reshape(-1))
                if running is not None:
                    norm.running_mean.copy_(torch.tensor(running[f"running_mean{l}"]).reshape(-1))
                    norm.running_var.copy_(torch.tensor(running[f"running_var{l}"]).reshape(-1))
            layers.append(norm)
        layers.append(ACTIVATIONS[hidden]())
        if keep[l - 1] < 1:
            layers.append(nn.Dropout(p=1 - keep[l - 1]))  # PyTorch's p is the probability to DROP
    return nn.Sequential(*layers)


def _layers(model: nn.Module):
    """[(l, Linear, BatchNorm1d or None)] for the Linear layers of model, in order, l from 1."""
    out = []
    for module in model.modules():
        if isinstance(module, nn.Linear):
            out.append([len(out) + 1, module, None])
        elif isinstance(module, nn.BatchNorm1d):
            if not out or out[-1][2] is not None:
                raise ValueError("a BatchNorm1d must follow a Linear layer")
            out[-1][2] = module
    if not out:
        raise ValueError(f"the model has no nn.Linear layer; got {type(model).__name__}")
    return out


def _array(t) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


def _per_layer(model: nn.Module, value, prefix: str = "") -> dict:
    """{prefix + "W1": value(weight), prefix + "b1": (n[1], 1), ..., "gamma{l}", "beta{l}"} over model's layers,
    in the course's shapes; a Linear without bias (before a BatchNorm1d) gives b{l} = 0."""
    out = {}
    for l, linear, norm in _layers(model):
        W = out[f"{prefix}W{l}"] = value(linear.weight)
        out[f"{prefix}b{l}"] = (value(linear.bias).reshape(-1, 1) if linear.bias is not None
                                else np.zeros((linear.out_features, 1), dtype=W.dtype))
        if norm is not None:
            out[f"{prefix}gamma{l}"] = value(norm.weight).reshape(-1, 1)
            out[f"{prefix}beta{l}"] = value(norm.bias).reshape(-1, 1)
    return out


def params_from_sequential(model: nn.Module) -> dict:
    """{"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "gamma{l}", "beta{l}"} numpy copies of model's parameters.

    A Linear without bias (before a BatchNorm1d) gives b{l} = 0, the value helpers.network leaves unused."""
    return _per_layer(model, _array)


def grads_from_sequential(model: nn.Module) -> dict:
    """{"dW1": ..., "db1": ..., "dgamma{l}", "dbeta{l}"} from the .grad of model's parameters, in the shapes of
    params_from_sequential (db{l} = 0 for a Linear without bias). Call after loss.backward()."""

    def grad(p) -> np.ndarray:
        if p.grad is None:
            raise ValueError("a parameter has no .grad: call loss.backward() first (after optimizer.zero_grad())")
        return _array(p.grad)

    return _per_layer(model, grad, prefix="d")


def running_from_sequential(model: nn.Module) -> dict:
    """{"running_mean{l}": (n[l], 1), "running_var{l}": (n[l], 1)} of model's BatchNorm1d layers (numpy copies).
    PyTorch's running_var averages the unbiased m/(m − 1) σ² of each batch (ours the biased σ²)."""
    return {f"running_{name}{l}": _array(getattr(norm, f"running_{name}")).reshape(-1, 1)
            for l, _, norm in _layers(model) if norm is not None for name in ("mean", "var")}


# ---------------------------------------------------------------- the training loop
def train_one_epoch(model: nn.Module, loader, loss_fn, optimizer) -> float:
    """One pass over loader's (x, y) batches: forward, loss, zero_grad, backward, step. Returns the epoch's mean
    loss per example (each batch's mean loss weighted by its size, as helpers.training.train records it), a float.

    model gets the (m_b, n_x) rows and returns logits; loss_fn(logits, y) is a mean over the batch."""
    model.train()  # dropout on, batch norm with the batch's statistics
    total, count = 0.0, 0
    for x, y in loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()  # .grad ACCUMULATES: clear the last batch's gradients
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)  # .item(): a float, not a tensor that keeps the graph alive
        count += len(x)
    return total / count
