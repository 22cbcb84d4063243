"""The training loop: full-batch or mini-batch gradient descent with a pluggable update rule."""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import network
from .datasets import minibatches
from .optim import gradient_descent
from .schedules import as_schedule
from .validation import (
    as_labels,
    as_matrix,
    check_choice,
    check_keep_prob,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_rng,
)

# Divergence: the epoch's cost above DIVERGENCE_FACTOR * max(first epoch's cost, 1) stops training. A mean
# cross-entropy of 100 nats (probability e^-100 on the true class) is far beyond any run that is learning.
DIVERGENCE_FACTOR = 100.0


@dataclass
class TrainResult:
    """A trained network and its history. costs[i] is the training cost at epoch epochs[i]
    (the mean of the mini-batch costs of that epoch); dev_costs likewise when a dev set was given.
    With train(..., keep_best=True): best_epoch is the recorded epoch of lowest dev cost and best_params
    a copy of the parameters at the end of that epoch (early stopping); otherwise both are None.
    With batch norm: batch_norm is one bool per hidden layer, running the running averages at the end of
    training (best_running at best_epoch) and bn_eps the ε; predict / accuracy / probabilities run the
    network in test mode with them. Without batch norm, batch_norm is () and running None.
    With train(..., callback=f): stopped_epoch is the epoch after which f asked to stop (None if it never did)."""
    params: dict
    hidden: str
    output: str
    epochs: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    dev_costs: list = field(default_factory=list)
    learning_rates: list = field(default_factory=list)  # the rate used in each recorded epoch
    best_epoch: int | None = None
    best_params: dict | None = None
    batch_norm: tuple = ()
    running: dict | None = None
    best_running: dict | None = None
    bn_eps: float = network.BN_EPS
    stopped_epoch: int | None = None

    def _bn(self) -> dict:
        """The test-mode batch-norm arguments of network.predict / accuracy / forward ({} without batch norm)."""
        if not any(self.batch_norm):
            return {}
        return {"batch_norm": self.batch_norm, "running": self.running, "bn_eps": self.bn_eps}

    def predict(self, X) -> np.ndarray:
        """(1, m) predicted labels."""
        return network.predict(X, self.params, self.hidden, self.output, **self._bn())

    def accuracy(self, X, Y) -> float:
        return network.accuracy(X, Y, self.params, self.hidden, self.output, **self._bn())

    def error(self, X, Y) -> float:
        """1 - accuracy: the error rate the bias/variance diagnosis talks about."""
        return 1.0 - self.accuracy(X, Y)

    def probabilities(self, X) -> np.ndarray:
        """A[L] for X: (1, m) P(y=1 | x) for a sigmoid output, (C, m) for softmax."""
        bn = self._bn()
        return network.forward(X, self.params, self.hidden, self.output, mode="test", **bn)[0]


def train(X, Y, layer_dims, *, rng: np.random.Generator, hidden: str = "relu", output: str = "sigmoid",
          init: str = "he", init_scale: float = 0.01, learning_rate=0.1, num_epochs: int = 1000,
          batch_size: int | None = None, update: Callable | str = gradient_descent, lambd: float = 0.0,
          keep_prob=1.0, X_dev=None, Y_dev=None, record_every: int = 1, params: dict | None = None,
          dtype=np.float64, keep_best: bool = False, batch_norm=False, bn_momentum: float = network.BN_MOMENTUM,
          bn_eps: float = network.BN_EPS, running: dict | None = None,
          callback: Callable | None = None) -> TrainResult:
    """Train a fully connected network on X (n_x, m), Y (n_y, m).

    layer_dims = [n_x, n[1], ..., n[L]]. batch_size None means full-batch gradient descent (one step
    per epoch); otherwise each epoch walks through shuffled mini-batches, the last one partial.
    update(params, grads, state, learning_rate) -> state is the rule (see helpers.optim), given as the
    function or its name ("adam"). learning_rate is a number or a schedule (helpers.schedules): a function
    of the number of completed epochs, asked for the rate at the start of every epoch. lambd >= 0 adds L2 regularization; keep_prob < 1 switches on inverted
    dropout in hidden layers (so it needs at least one).
    The cost is recorded every record_every epochs (and at the first and last epochs) as the mean of
    the epoch's mini-batch costs J_b = cross-entropy_b + lambd/(2 m_b) sum ||W||^2; each step's L2 term uses
    its batch size m_b, as its gradient lambd/m_b W does. dev_costs hold the dev set's cross-entropy only
    (no L2 term, and no dropout), the number to compare across lambd and keep_prob. rng drives the initial
    weights, the shuffles and the dropout masks. params, if given, are trained (a copy) instead of
    fresh ones. keep_best=True (needs X_dev, Y_dev) keeps a copy of the parameters at the recorded
    epoch of lowest dev cost in result.best_params / result.best_epoch (early stopping).

    batch_norm: True / False / one bool per hidden layer (helpers.network): γ, β ("gamma{l}", "beta{l}") are
    trained by the update rule like W and b; every training step normalizes with its mini-batch's μ, σ²
    (so no mini-batch may hold a single example) and updates the running averages, running :=
    bn_momentum running + (1 − bn_momentum) batch, which start as initialize_running's (or a copy of the
    running given, with params, to continue training). Dev costs and the final check run in test mode
    with them; result.running keeps them for predict. The recorded training costs are train-mode costs.

    Divergence is checked on every epoch, recorded or not (on an unrecorded epoch, with its last mini-batch's
    cost): training stops with FloatingPointError when the cost becomes NaN or inf, or grows above
    DIVERGENCE_FACTOR (100) times max(its first epoch's value, 1).

    callback(epoch, result), if given, is called at the end of every epoch (epoch = 1, 2, ...), after that epoch's
    record: result.params are the parameters at that moment, so result.error(X_dev, Y_dev) is the current dev error
    (a hyperparameter search's pruner watches it; a schedule's state may be changed by it, to babysit a run). A true
    return value stops training there (result.stopped_epoch = epoch); an exception raised in it (such as
    optuna.TrialPruned) propagates out of train.
    Non-finite inputs or starting parameters are refused before training (ValueError), so a divergence
    always means the updates blew up: the learning rate is too large for this network.
    """
    check_rng(rng)
    check_choice(hidden, "hidden", network.HIDDEN_ACTIVATIONS)
    check_choice(output, "output", network.OUTPUTS)
    update = _resolve_update(update)
    if params is None:
        bn = network.check_batch_norm(batch_norm, len(network._check_layer_dims(layer_dims)) - 2)
        params = network.initialize_parameters(layer_dims, init, rng, init_scale, dtype=dtype, batch_norm=bn)
    else:
        network.layer_dims_of(params)  # a dict of finite numeric W{l}, b{l} with matching shapes
        # trained in place, so a copy; integer arrays become floats (an update cannot be written into them)
        params = {k: np.array(v, dtype=None if np.issubdtype(np.asarray(v).dtype, np.floating) else dtype)
                  for k, v in params.items()}
    dims = network.layer_dims_of(params)
    if list(dims) != network._check_layer_dims(layer_dims):
        raise ValueError(f"params have layer dims {dims}, but layer_dims is {list(layer_dims)}")
    X = as_matrix(X, "X", rows=dims[0]).astype(dtype, copy=False)
    softmax = output == "softmax"
    if softmax and dims[-1] < 2:
        raise ValueError(f"a softmax output needs n[L] >= 2 classes; got layer_dims {list(layer_dims)}")
    Y = as_labels(Y, X.shape[1], rows=dims[-1], one_hot=softmax)
    has_dev = X_dev is not None
    if has_dev != (Y_dev is not None):
        raise ValueError("a dev set needs both X_dev and Y_dev; got only "
                         f"{'X_dev' if has_dev else 'Y_dev'} (pass both, or neither)")
    if has_dev:
        X_dev = as_matrix(X_dev, "X_dev", rows=dims[0])
        Y_dev = as_labels(Y_dev, X_dev.shape[1], rows=dims[-1], name="Y_dev", one_hot=softmax)
    if keep_best and not has_dev:
        raise ValueError("keep_best=True (early stopping) needs a dev set: pass X_dev and Y_dev")
    lambd = check_nonnegative(lambd, "lambd (the L2 strength λ)")
    if not callable(learning_rate):
        check_positive(learning_rate, "learning_rate")  # so a bad number's message names learning_rate
    schedule = as_schedule(learning_rate)
    keep = check_keep_prob(keep_prob, len(dims) - 2)
    num_epochs = check_positive_int(num_epochs, "num_epochs")
    record_every = check_positive_int(record_every, "record_every")
    m = X.shape[1]
    if batch_size is not None:
        batch_size = check_positive_int(batch_size, "batch_size (None for full batch)")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function callback(epoch, result) or None; got {type(callback).__name__}")
    bn = network.check_bn_setup(params, batch_norm, "train", running, bn_momentum, bn_eps)
    if bn:
        if any(network._batch_layers(bn)):  # batch norm proper; layer norm normalizes each example on its own
            _check_no_batch_of_one(m, batch_size)
        running = ({k: np.array(v) for k, v in running.items()} if running is not None
                   else network.initialize_running(params, bn))
    else:
        running = None
    test_bn = (bn, "test", running, bn_momentum, bn_eps)  # _forward's batch-norm arguments at test time

    result = TrainResult(params, hidden, output, batch_norm=bn, running=running, bn_eps=bn_eps)
    best_dev_cost = np.inf
    first_cost = None
    state: dict = {}
    full = batch_size is None or batch_size >= m
    n_batches = 1 if full else -(-m // batch_size)
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is reported as divergence, with its cause
        for epoch in range(1, num_epochs + 1):
            record = epoch % record_every == 0 or epoch == num_epochs or epoch == 1
            batches = [(X, Y)] if full else minibatches(X, Y, batch_size, rng)
            total = 0.0
            rate = check_positive(schedule(epoch - 1), f"learning_rate at epoch {epoch} (from the schedule)")
            shown_rate = rate if callable(learning_rate) else learning_rate  # messages name the rate as given
            for i, (X_b, Y_b) in enumerate(batches):
                _, cache = network._forward(X_b, params, hidden, output, keep, rng, bn, "train", running,
                                            bn_momentum, bn_eps)
                if record or i == n_batches - 1:  # unrecorded epochs: the last batch's cost is the divergence probe
                    cost_b = (network._cross_entropy(cache["layers"][-1]["Z"], Y_b, output)
                              + network._l2_penalty(params, lambd, X_b.shape[1]))
                    total += X_b.shape[1] * cost_b
                grads = network._backward(cache, Y_b, lambd)
                state = update(params, grads, state, rate)
            epoch_cost = total / m if record else cost_b  # both a mean cost per example
            first_cost = epoch_cost if first_cost is None else first_cost
            _check_divergence(epoch_cost, first_cost, epoch, shown_rate)
            if record:
                result.epochs.append(epoch)
                result.learning_rates.append(rate)
                result.costs.append(epoch_cost)
                if has_dev:
                    _, dev_cache = network._forward(X_dev, params, hidden, output, (1.0,) * len(keep), None,
                                                    *test_bn)
                    result.dev_costs.append(network._cross_entropy(dev_cache["layers"][-1]["Z"], Y_dev, output))
                    if keep_best and result.dev_costs[-1] < best_dev_cost:  # early stopping: keep the best so far
                        best_dev_cost = result.dev_costs[-1]
                        result.best_epoch, result.best_params = epoch, {k: v.copy() for k, v in params.items()}
                        if bn:
                            result.best_running = {k: v.copy() for k, v in running.items()}
            if callback is not None and callback(epoch, result):
                result.stopped_epoch = epoch
                break
    # The last update came after the last cost: check where it left the network.
    with np.errstate(over="ignore", invalid="ignore"):
        final_Z = network._forward(X, params, hidden, output, (1.0,) * len(keep), None,
                                   *test_bn)[1]["layers"][-1]["Z"]
    if not np.all(np.isfinite(final_Z)):
        _diverged(f"the output layer's Z became NaN or inf after the last update (epoch {epoch})",
                  shown_rate)
    return result


def update_rules() -> dict:
    """{name: rule} for every update rule in helpers.optim (public functions with the rule signature)."""
    from . import optim
    rules = {}
    for name, fn in vars(optim).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != optim.__name__:
            continue
        if list(inspect.signature(fn).parameters)[:4] == ["params", "grads", "state", "learning_rate"]:
            rules[name] = fn
    return rules


def _resolve_update(update) -> Callable:
    """The update rule given as a function, or by its name in helpers.optim ("adam")."""
    if isinstance(update, str):
        rules = update_rules()
        if update not in rules:
            raise ValueError(f"update must be an update rule (a function such as helpers.optim.adam) or the name "
                             f"of one in helpers.optim, one of {sorted(rules)}; got {update!r}")
        return rules[update]
    if not callable(update):
        raise TypeError("update must be an update rule rule(params, grads, state, learning_rate) -> state, such "
                        f"as helpers.optim.adam (pass the function itself), or its name; got {type(update).__name__}")
    return update


def _check_no_batch_of_one(m: int, batch_size: int | None) -> None:
    """Batch norm cannot train on a batch of one example (σ² = 0): refuse a full batch or last mini-batch of 1."""
    last = m if batch_size is None or batch_size >= m else m - (m - 1) // batch_size * batch_size
    if last == 1:
        where = f"m = {m} examples" if batch_size is None or batch_size >= m else \
            f"batch_size = {batch_size} leaves a last mini-batch of 1 example (m = {m})"
        raise ValueError(f"batch norm needs every training batch to hold at least 2 examples; {where}: with one "
                         "example σ² = 0 and Z_norm = 0, so the layer outputs β whatever the input. Choose another "
                         "batch_size")


def _check_divergence(cost: float, first_cost: float, epoch: int, learning_rate) -> None:
    if not math.isfinite(cost):
        _diverged(f"the cost became {cost} at epoch {epoch} (the inputs and starting parameters were finite, "
                  "so the updates blew up)", learning_rate)
    limit = DIVERGENCE_FACTOR * max(first_cost, 1.0)
    if cost > limit:
        _diverged(f"the cost grew to {cost:.3g} at epoch {epoch}, more than {DIVERGENCE_FACTOR:g} times "
                  f"max(its first epoch's {first_cost:.3g}, 1)", learning_rate)


def _diverged(what: str, learning_rate: float):
    raise FloatingPointError(f"training diverged: {what}: the learning rate {learning_rate} is too large for "
                             "this network (try one 10 times smaller)")
