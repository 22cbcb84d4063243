"""Hyperparameter search (lab 09): samplers on the right scale, grid and random search, a small Bayesian
optimizer (a Gaussian process and expected improvement, in numpy), and the digits objective they all tune.

Points of a search space are rows: a batch of n points in d hyperparameters is an (n, d) array, each
hyperparameter mapped to [0, 1] on its own (log) scale (``to_unit`` / ``to_config``). Optuna is used directly
in the lab; ``optuna_objective`` and ``optuna_worker`` are here only so that worker processes can import them.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .datasets import load_digits, one_hot, train_dev_test_split
from .training import train
from .validation import as_number, check_positive_int, check_rng


# ---------------------------------------------------------------- sampling on the right scale
def _check_range(low, high, name_low="low", name_high="high", positive=True) -> tuple[float, float]:
    low, high = as_number(low, name_low), as_number(high, name_high)
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high or (positive and low <= 0):
        need = "0 < low < high" if positive else "low < high"
        raise ValueError(f"the range needs {need} (finite numbers); got low={low!r}, high={high!r}")
    return low, high


def sample_uniform(low, high, size, rng: np.random.Generator) -> np.ndarray:
    """size values uniform on the LINEAR scale in [low, high] (the wrong scale for α: most land near high)."""
    low, high = _check_range(low, high, positive=False)
    return check_rng(rng).uniform(low, high, size)


def sample_log_uniform(low, high, size, rng: np.random.Generator) -> np.ndarray:
    """size values whose log10 is uniform in [log10 low, log10 high]: each decade gets the same share.

    r = uniform(log10 low, log10 high); value = 10 ** r. For α in [1e-4, 1]: a quarter in each decade.
    """
    low, high = _check_range(low, high)
    return 10.0 ** check_rng(rng).uniform(np.log10(low), np.log10(high), size)


def sample_beta(low, high, size, rng: np.random.Generator) -> np.ndarray:
    """size values of β in [low, high] (e.g. [0.9, 0.999]) with 1 − β log-uniform in [1 − high, 1 − low].

    β's averaging window 1/(1 − β) then gets the same share per decade (10 to 100, 100 to 1000).
    """
    low, high = _check_range(low, high, "low (the smallest β)", "high (the largest β)", positive=False)
    if low < 0 or high >= 1:
        raise ValueError(f"β's range must lie in [0, 1) (so 1 − β is in (0, 1]); got low={low!r}, high={high!r}")
    return 1.0 - sample_log_uniform(1.0 - high, 1.0 - low, size, rng)


# ---------------------------------------------------------------- a toy where only one of two inputs matters
def toy_loss(x, y) -> np.ndarray:
    """Bergstra & Bengio's picture: a loss on [0, 1]^2 that depends strongly on x (a narrow valley at x = 0.62)
    and barely on y (a ripple of height 0.02). Its minimum, 0, is at (0.62, 0.25)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return 1.0 - np.exp(-((x - 0.62) ** 2) / (2 * 0.04 ** 2)) + 0.01 * (1 - np.cos(2 * np.pi * (y - 0.25)))


def grid_points(n_per_axis: int, d: int = 2) -> np.ndarray:
    """(n_per_axis ** d, d) grid of cell centres (i + 0.5) / n_per_axis in [0, 1]^d, rows in C order."""
    n = check_positive_int(n_per_axis, "n_per_axis")
    axis = (np.arange(n) + 0.5) / n
    return np.stack(np.meshgrid(*([axis] * check_positive_int(d, "d")), indexing="ij"), -1).reshape(-1, d)


# ---------------------------------------------------------------- a search space: one log scale per hyperparameter
@dataclass(frozen=True)
class Range:
    """One hyperparameter's range, searched on a log scale. kind: "float", "int" (rounded) or "pow2" (rounded
    to a power of two, on the log2 scale)."""
    low: float
    high: float
    kind: str = "float"


# The lab's space: Adam's α, the L2 strength λ, the hidden layer's units, the mini-batch size.
DIGITS_SPACE = {
    "learning_rate": Range(1e-4, 1.0),
    "lambd": Range(1e-3, 10.0),
    "hidden_units": Range(8, 128, "int"),
    "batch_size": Range(32, 256, "pow2"),
}


def _round(value: float, r: Range):
    if r.kind == "int":
        return int(min(max(round(value), r.low), r.high))
    if r.kind == "pow2":
        return int(2 ** min(max(round(math.log2(value)), math.log2(r.low)), math.log2(r.high)))
    return float(value)


def to_config(space: dict, u) -> dict:
    """The configuration at the point u in [0, 1]^d (one coordinate per hyperparameter, in space's order):
    value = low · (high / low) ** u, rounded for "int" and "pow2"."""
    u = np.asarray(u, dtype=float).reshape(-1)
    if u.size != len(space):
        raise ValueError(f"u needs one coordinate per hyperparameter ({list(space)}); got {u.size}")
    return {name: _round(r.low * (r.high / r.low) ** ui, r) for (name, r), ui in zip(space.items(), u, strict=True)}


def to_unit(space: dict, config: dict) -> np.ndarray:
    """(d,) coordinates in [0, 1] of a configuration: log(value / low) / log(high / low) per hyperparameter."""
    return np.array([math.log(config[name] / r.low) / math.log(r.high / r.low) for name, r in space.items()])


def grid_configs(space: dict, counts: dict, offsets=None) -> list:
    """Every combination of counts[name] values per hyperparameter, at u = (i + offset) / counts[name] on each
    log scale: cell centres (offset 0.5) unless offsets (one per hyperparameter, in space's order, each in
    [0, 1)) moves that axis's values by a fraction of a cell (the same grid, placed elsewhere)."""
    if offsets is None:
        offsets = np.full(len(space), 0.5)
    offsets = np.asarray(offsets, dtype=float).reshape(-1)
    if offsets.shape != (len(space),) or np.any(offsets < 0) or np.any(offsets >= 1):
        raise ValueError(f"offsets needs one number in [0, 1) per hyperparameter ({list(space)}); got {offsets}")
    axes = [(np.arange(counts[name]) + o) / counts[name] for name, o in zip(space, offsets, strict=True)]
    return [to_config(space, u) for u in np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, len(space))]


def random_configs(space: dict, n: int, rng: np.random.Generator, sample: Callable = sample_log_uniform) -> list:
    """n configurations, each hyperparameter drawn by sample(low, high, n, rng) (the log scale by default;
    sample_uniform for the linear scale), then rounded for "int" and "pow2"."""
    n = check_positive_int(n, "n")
    columns = {name: np.asarray(sample(r.low, r.high, n, rng), dtype=float).reshape(-1) for name, r in space.items()}
    for name, values in columns.items():
        if values.shape != (n,):
            raise ValueError(f"sample(low, high, size, rng) must return size={n} values; got shape {values.shape} "
                             f"for {name}")
    return [{name: _round(columns[name][i], r) for name, r in space.items()} for i in range(n)]


# ---------------------------------------------------------------- the real objective: dev error on digits
DIVERGED_ERROR = 0.9  # a run that diverges is scored as a guess among 10 classes


class DigitsObjective:
    """Dev error of a [64, hidden_units, 10] ReLU/softmax network trained with Adam on m_train digits for
    num_epochs epochs, as a function of a configuration {learning_rate, lambd, hidden_units, batch_size}.

    The split is fixed (train_dev_test_split with seed 0: 359 dev, 359 test; the first m_train training
    examples), and every trial trains from the same seed, so the objective is a deterministic function of
    the configuration (repeated configurations come from a cache). A diverged run scores DIVERGED_ERROR.
    trials / epochs / seconds count the trainings actually run (for comparing budgets).
    """

    def __init__(self, m_train: int = 400, num_epochs: int = 6, seed: int = 0):
        digits = load_digits()
        X_train, Y_train, self.X_dev, self.Y_dev, self.X_test, self.Y_test = train_dev_test_split(
            digits.X, one_hot(digits.labels, 10), np.random.default_rng(0))
        self.X_train, self.Y_train = X_train[:, :m_train], Y_train[:, :m_train]
        self.num_epochs, self.seed = check_positive_int(num_epochs, "num_epochs"), seed
        self.cache: dict = {}
        self.trials = self.epochs = 0
        self.seconds = 0.0

    def train(self, config: dict, num_epochs: int | None = None, callback: Callable | None = None):
        """The TrainResult of one trial (raises FloatingPointError if it diverges)."""
        start = time.perf_counter()
        epochs = self.num_epochs if num_epochs is None else num_epochs
        counted = {"epochs": 0}

        def count(epoch, result):
            counted["epochs"] = epoch
            return callback(epoch, result) if callback is not None else None

        try:
            return train(self.X_train, self.Y_train, [64, int(config["hidden_units"]), 10],
                         rng=np.random.default_rng(self.seed), output="softmax", update="adam",
                         learning_rate=config["learning_rate"], lambd=config["lambd"],
                         batch_size=int(config["batch_size"]), num_epochs=epochs, callback=count)
        finally:
            self.trials += 1
            self.epochs += counted["epochs"]
            self.seconds += time.perf_counter() - start

    def dev_error(self, result) -> float:
        return result.error(self.X_dev, self.Y_dev)

    def __call__(self, config: dict) -> float:
        key = tuple(sorted(config.items()))
        if key not in self.cache:
            try:
                self.cache[key] = self.dev_error(self.train(config))
            except FloatingPointError:
                self.cache[key] = DIVERGED_ERROR
        return self.cache[key]


# ---------------------------------------------------------------- Gaussian process and expected improvement
def rbf_kernel(A, B, length_scale: float) -> np.ndarray:
    """(n, k) matrix k(a, b) = exp(−‖a − b‖² / (2 ℓ²)) between the rows of A (n, d) and B (k, d)."""
    A, B = np.atleast_2d(A), np.atleast_2d(B)
    sq = (A ** 2).sum(1)[:, None] + (B ** 2).sum(1)[None, :] - 2 * A @ B.T
    return np.exp(-np.maximum(sq, 0.0) / (2 * length_scale ** 2))


@dataclass
class GaussianProcess:
    """A GP posterior given observations y (n,) at rows X (n, d): RBF kernel of unit variance on the
    standardized y, plus noise variance `noise` on the diagonal. predict(Xs) -> mean, std (in y's units)."""
    X: np.ndarray
    y: np.ndarray
    length_scale: float
    noise: float = 1e-4
    _fit: tuple = field(init=False, repr=False)

    def __post_init__(self):
        self.X, self.y = np.atleast_2d(np.asarray(self.X, float)), np.asarray(self.y, float).reshape(-1)
        if self.X.shape[0] != self.y.size or self.y.size == 0:
            raise ValueError(f"X needs one row per observation: got X {self.X.shape} and {self.y.size} values of y")
        mu, sd = self.y.mean(), self.y.std()
        sd = sd if sd > 0 else 1.0
        K = rbf_kernel(self.X, self.X, self.length_scale) + self.noise * np.eye(len(self.y))
        L = np.linalg.cholesky(K)
        alpha = np.linalg.solve(L.T, np.linalg.solve(L, (self.y - mu) / sd))
        self._fit = (mu, sd, L, alpha)

    def predict(self, Xs) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and standard deviation (of the noise-free function) at the rows of Xs (k, d)."""
        mu, sd, L, alpha = self._fit
        Ks = rbf_kernel(self.X, Xs, self.length_scale)                    # (n, k)
        mean = Ks.T @ alpha
        v = np.linalg.solve(L, Ks)
        var = np.maximum(1.0 - (v ** 2).sum(0), 0.0)
        return mu + sd * mean, sd * np.sqrt(var)

    def log_marginal_likelihood(self) -> float:
        """log p(y | X, ℓ) of the standardized y: how well this length scale explains the data."""
        _, _, L, alpha = self._fit
        z = (self.y - self._fit[0]) / self._fit[1]
        return float(-0.5 * z @ alpha - np.log(np.diag(L)).sum() - 0.5 * len(z) * np.log(2 * np.pi))


LENGTH_SCALES = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0)


def fit_gp(X, y, noise: float = 1e-2, length_scales=LENGTH_SCALES) -> GaussianProcess:
    """The GP whose length scale, among length_scales, has the highest marginal likelihood (noise fixed)."""
    return max((GaussianProcess(X, y, ell, noise) for ell in length_scales), key=lambda g: g.log_marginal_likelihood())


_erf = np.vectorize(math.erf, otypes=[float])


def normal_cdf(z) -> np.ndarray:
    return 0.5 * (1.0 + _erf(np.asarray(z, dtype=float) / math.sqrt(2.0)))


def normal_pdf(z) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.exp(-0.5 * z ** 2) / math.sqrt(2 * math.pi)


def expected_improvement(mean, std, best: float, xi: float = 0.0) -> np.ndarray:
    """E[max(best − f − ξ, 0)] for f ~ N(mean, std²) (we minimize): (best − ξ − μ) Φ(z) + σ φ(z),
    z = (best − ξ − μ) / σ. Where σ = 0 it is max(best − ξ − μ, 0): zero where the mean is no better."""
    mean, std = np.asarray(mean, dtype=float), np.asarray(std, dtype=float)
    gain = best - xi - mean
    safe = np.where(std > 0, std, 1.0)
    z = gain / safe
    ei = gain * normal_cdf(z) + safe * normal_pdf(z)
    return np.where(std > 0, np.maximum(ei, 0.0), np.maximum(gain, 0.0))


@dataclass
class Trials:
    """What a search tried, in order: configs, their dev errors, and (Bayesian optimization only) the
    GP and EI behind each proposal."""
    configs: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    steps: list = field(default_factory=list)  # BO: dicts with gp, u (proposed point), ei_max

    def best_so_far(self) -> np.ndarray:
        return np.minimum.accumulate(np.asarray(self.errors, dtype=float))

    def best(self) -> tuple[dict, float]:
        i = int(np.argmin(self.errors))
        return self.configs[i], self.errors[i]


def evaluate(objective: Callable, configs: list) -> Trials:
    """Run objective on each configuration in order (grid and random search are just this)."""
    return Trials(list(configs), [float(objective(c)) for c in configs])


def bayes_search(objective: Callable, space: dict, n_trials: int, rng: np.random.Generator, n_init: int = 5,
                 n_candidates: int = 2000, xi: float = 0.0, noise: float = 1e-2,
                 length_scales=LENGTH_SCALES) -> Trials:
    """Bayesian optimization in [0, 1]^d (each hyperparameter on its log scale): n_init random points, then
    each trial fits a GP to all trials so far and runs the point of highest expected improvement among
    n_candidates random points. Returns Trials with steps[i] = {gp, u, ei_max} for the proposed trials."""
    n_trials, n_init = check_positive_int(n_trials, "n_trials"), check_positive_int(n_init, "n_init")
    check_rng(rng)
    d = len(space)
    trials, units = Trials(), []
    for i in range(n_trials):
        if i < n_init:
            u = rng.random(d)
        else:
            gp = fit_gp(np.array(units), trials.errors, noise, length_scales)
            candidates = rng.random((n_candidates, d))
            ei = expected_improvement(*gp.predict(candidates), best=min(trials.errors), xi=xi)
            u = candidates[int(np.argmax(ei))]
            trials.steps.append({"gp": gp, "u": u, "ei_max": float(ei.max())})
        config = to_config(space, u)
        units.append(to_unit(space, config))  # the rounded point actually run
        trials.configs.append(config)
        trials.errors.append(float(objective(config)))
    return trials


# ---------------------------------------------------------------- Optuna (used directly in the lab)
def optuna_objective(trial, objective: DigitsObjective) -> float:
    """One Optuna trial on the digits objective: the same four hyperparameters on the same scales; the dev
    error is reported after every epoch so that the study's pruner can stop an unpromising trial."""
    import optuna

    config = {
        "learning_rate": trial.suggest_float("learning_rate", 1e-4, 1.0, log=True),
        "lambd": trial.suggest_float("lambd", 1e-3, 10.0, log=True),
        "hidden_units": trial.suggest_int("hidden_units", 8, 128, log=True),
        "batch_size": 2 ** trial.suggest_int("log2_batch_size", 5, 8),
    }

    def report(epoch, result):
        trial.report(objective.dev_error(result), epoch)
        if trial.should_prune():
            raise optuna.TrialPruned()

    try:
        return objective.dev_error(objective.train(config, callback=report))
    except FloatingPointError:
        return DIVERGED_ERROR


def optuna_worker(journal_path: str, study_name: str, n_trials: int, worker: int, seed: int) -> int:
    """A worker process: join the study stored in the journal file and run n_trials trials in it, each tagged
    with user attribute worker. Returns the number of trials it ran. Any number of these can run at once."""
    import optuna
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalFileBackend(journal_path))
    study = optuna.load_study(study_name=study_name, storage=storage,
                              sampler=optuna.samplers.TPESampler(seed=seed))
    objective = DigitsObjective()

    def tagged(trial):
        trial.set_user_attr("worker", worker)
        return optuna_objective(trial, objective)

    study.optimize(tagged, n_trials=n_trials)
    return n_trials


def main_effects(configs: list, errors, bins: int = 4) -> dict:
    """{hyperparameter: share of the variance of errors explained by it alone}: the trials are cut into `bins`
    equal-count groups by that hyperparameter's value; the share is the variance of the group means over the
    total variance (a crude first-order importance, 0 to 1, from random trials)."""
    errors = np.asarray(errors, dtype=float)
    total = errors.var()
    shares = {}
    for name in configs[0]:
        values = np.array([c[name] for c in configs], dtype=float)
        groups = np.array_split(np.argsort(values, kind="stable"), bins)
        means = np.array([errors[g].mean() for g in groups])
        sizes = np.array([len(g) for g in groups])
        shares[name] = float((sizes * (means - errors.mean()) ** 2).sum() / len(errors) / total) if total > 0 else 0.0
    return shares
