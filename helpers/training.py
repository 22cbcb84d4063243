"""The training loop: full-batch or mini-batch gradient descent with a pluggable update rule."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import network
from .datasets import minibatches
from .optim import gradient_descent
from .validation import (as_labels, as_matrix, check_choice, check_keep_prob, check_nonnegative,
                         check_positive, check_rng)


@dataclass
class TrainResult:
    """A trained network and its history. costs[i] is the training cost at epoch epochs[i]
    (the mean of the mini-batch costs of that epoch); dev_costs likewise when a dev set was given.
    With train(..., keep_best=True): best_epoch is the recorded epoch of lowest dev cost and best_params
    a copy of the parameters at the end of that epoch (early stopping); otherwise both are None."""
    params: dict
    hidden: str
    output: str
    epochs: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    dev_costs: list = field(default_factory=list)
    best_epoch: int | None = None
    best_params: dict | None = None

    def predict(self, X) -> np.ndarray:
        """(1, m) predicted labels."""
        return network.predict(X, self.params, self.hidden, self.output)

    def accuracy(self, X, Y) -> float:
        return network.accuracy(X, Y, self.params, self.hidden, self.output)

    def error(self, X, Y) -> float:
        """1 - accuracy: the error rate the bias/variance diagnosis talks about."""
        return 1.0 - self.accuracy(X, Y)

    def probabilities(self, X) -> np.ndarray:
        """A[L] for X: (1, m) P(y=1 | x) for a sigmoid output, (C, m) for softmax."""
        return network.forward(X, self.params, self.hidden, self.output)[0]


def train(X, Y, layer_dims, *, rng: np.random.Generator, hidden: str = "relu", output: str = "sigmoid",
          init: str = "he", init_scale: float = 0.01, learning_rate: float = 0.1, num_epochs: int = 1000,
          batch_size: int | None = None, update: Callable = gradient_descent, lambd: float = 0.0,
          keep_prob=1.0, X_dev=None, Y_dev=None, record_every: int = 1, params: dict | None = None,
          dtype=np.float64, keep_best: bool = False) -> TrainResult:
    """Train a fully connected network on X (n_x, m), Y (n_y, m).

    layer_dims = [n_x, n[1], ..., n[L]]. batch_size None means full-batch gradient descent (one step
    per epoch); otherwise each epoch walks through shuffled mini-batches, the last one partial.
    update(params, grads, state, learning_rate) -> state is the rule (see helpers.optim).
    lambd >= 0 adds L2 regularization; keep_prob < 1 switches on inverted dropout in hidden layers.
    The cost is recorded every record_every epochs (and at the first and last epochs) as the mean of
    the epoch's mini-batch costs J_b = cross-entropy_b + lambd/(2 m_b) sum ||W||^2; each step's L2 term uses
    its batch size m_b, as its gradient lambd/m_b W does. dev_costs hold the dev set's cross-entropy only
    (no L2 term, and no dropout), the number to compare across lambd and keep_prob. rng drives the initial
    weights, the shuffles and the dropout masks. params, if given, are trained (a copy) instead of
    fresh ones. keep_best=True (needs X_dev, Y_dev) keeps a copy of the parameters at the recorded
    epoch of lowest dev cost in result.best_params / result.best_epoch (early stopping).
    """
    check_rng(rng)
    check_choice(hidden, "hidden", network.HIDDEN_ACTIVATIONS)
    check_choice(output, "output", network.OUTPUTS)
    if params is None:
        params = network.initialize_parameters(layer_dims, init, rng, init_scale, dtype=dtype)
    else:
        params = {k: v.copy() for k, v in params.items()}
    dims = network.layer_dims_of(params)
    if list(dims) != [int(n) for n in layer_dims]:
        raise ValueError(f"params have layer dims {dims}, but layer_dims is {list(layer_dims)}")
    X = as_matrix(X, "X", rows=dims[0]).astype(dtype, copy=False)
    Y = as_labels(Y, X.shape[1], rows=dims[-1])
    if output == "softmax" and dims[-1] < 2:
        raise ValueError(f"a softmax output needs n[L] >= 2 classes; got layer_dims {list(layer_dims)}")
    has_dev = X_dev is not None
    if has_dev:
        X_dev = as_matrix(X_dev, "X_dev", rows=dims[0])
        Y_dev = as_labels(Y_dev, X_dev.shape[1], rows=dims[-1], name="Y_dev")
    if keep_best and not has_dev:
        raise ValueError("keep_best=True (early stopping) needs a dev set: pass X_dev and Y_dev")
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    check_positive(learning_rate, "learning_rate")
    keep = check_keep_prob(keep_prob, len(dims) - 2)
    if int(num_epochs) != num_epochs or num_epochs < 1 or int(record_every) != record_every or record_every < 1:
        raise ValueError(f"num_epochs and record_every must be positive integers; got {num_epochs!r}, {record_every!r}")
    m = X.shape[1]
    if batch_size is not None and (int(batch_size) != batch_size or not 1 <= batch_size):
        raise ValueError(f"batch_size must be None (full batch) or a positive integer; got {batch_size!r}")

    result = TrainResult(params, hidden, output)
    best_dev_cost = np.inf
    state: dict = {}
    for epoch in range(1, int(num_epochs) + 1):
        record = epoch % record_every == 0 or epoch == num_epochs or epoch == 1
        batches = [(X, Y)] if batch_size is None or batch_size >= m else minibatches(X, Y, batch_size, rng)
        total = 0.0
        for X_b, Y_b in batches:
            _, cache = network._forward(X_b, params, hidden, output, keep, rng)
            if record:
                total += X_b.shape[1] * (network.cross_entropy_from_logits(cache["layers"][-1]["Z"], Y_b, output)
                                         + network.l2_penalty(params, lambd, X_b.shape[1]))
            grads = network._backward(cache, Y_b, lambd)
            state = update(params, grads, state, learning_rate)
        if record:
            result.epochs.append(epoch)
            result.costs.append(total / m)
            if has_dev:
                _, dev_cache = network._forward(X_dev, params, hidden, output, (1.0,) * len(keep), None)
                result.dev_costs.append(network.cross_entropy_from_logits(dev_cache["layers"][-1]["Z"], Y_dev, output))
                if keep_best and result.dev_costs[-1] < best_dev_cost:  # early stopping: keep the best so far
                    best_dev_cost = result.dev_costs[-1]
                    result.best_epoch, result.best_params = epoch, {k: v.copy() for k, v in params.items()}
        if not np.isfinite(total):
            _diverged(f"the cost became {total} at epoch {epoch}", learning_rate)
    # The last update came after the last recorded cost: check where it left the network.
    with np.errstate(over="ignore", invalid="ignore"):
        final_Z = network._forward(X, params, hidden, output, (1.0,) * len(keep), None)[1]["layers"][-1]["Z"]
    if not np.all(np.isfinite(final_Z)):
        _diverged(f"the output layer's Z became NaN or inf after the last update (epoch {num_epochs})",
                  learning_rate)
    return result


def _diverged(what: str, learning_rate: float):
    raise FloatingPointError(f"{what}: the learning rate {learning_rate} is too large for this network")
