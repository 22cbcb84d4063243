"""helpers.search: samplers on the right scale, grid/random configurations, the Gaussian process and expected
improvement (against hand computations), Bayesian optimization, the digits objective; and training.train's
per-epoch callback that the objective's pruning and babysitting use."""
import math

import numpy as np
import pytest

from helpers import search
from helpers.training import train


# ---------------------------------------------------------------- samplers
def test_log_uniform_puts_the_same_share_in_each_decade():
    x = search.sample_log_uniform(1e-4, 1.0, 40_000, np.random.default_rng(0))
    assert x.shape == (40_000,) and x.min() >= 1e-4 and x.max() <= 1.0
    shares = np.histogram(np.log10(x), bins=[-4, -3, -2, -1, 0])[0] / x.size
    assert np.allclose(shares, 0.25, atol=0.01)
    uniform = search.sample_uniform(1e-4, 1.0, 40_000, np.random.default_rng(0))
    assert np.mean(uniform > 0.1) > 0.89  # the linear scale spends 90 % in the top decade


def test_beta_through_one_minus_beta():
    b = search.sample_beta(0.9, 0.999, 40_000, np.random.default_rng(1))
    assert b.min() >= 0.9 and b.max() <= 0.999
    assert abs(np.mean(b > 0.99) - 0.5) < 0.01  # half the samples have a window 1/(1 − β) above 100
    assert np.array_equal(search.sample_beta(0.9, 0.999, 5, np.random.default_rng(2)),
                          1 - search.sample_log_uniform(1e-3, 0.1, 5, np.random.default_rng(2)))


@pytest.mark.parametrize("low, high", [(0, 1), (1, 0.1), (-1, 1), (float("nan"), 1)])
def test_log_uniform_refuses_bad_ranges(low, high):
    with pytest.raises(ValueError, match="0 < low < high"):
        search.sample_log_uniform(low, high, 3, np.random.default_rng(0))


def test_beta_refuses_one():
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        search.sample_beta(0.9, 1.0, 3, np.random.default_rng(0))


# ---------------------------------------------------------------- grids, spaces, the toy
def test_grid_points_and_toy():
    g = search.grid_points(5)
    assert g.shape == (25, 2) and len(np.unique(g[:, 0])) == 5 and np.allclose(np.unique(g[:, 0]), [.1, .3, .5, .7, .9])
    assert search.toy_loss(0.62, 0.25) == pytest.approx(0.0)
    assert search.toy_loss(0.62, 0.75) < 0.03 < search.toy_loss(0.5, 0.25)  # y barely matters, x does


def test_to_config_and_back():
    space = search.DIGITS_SPACE
    low = search.to_config(space, [0, 0, 0, 0])
    assert low == {"learning_rate": 1e-4, "lambd": 1e-3, "hidden_units": 8, "batch_size": 32}
    mid = search.to_config(space, [0.5, 0.5, 0.5, 0.5])
    assert mid["learning_rate"] == pytest.approx(1e-2) and mid["hidden_units"] == 32 and mid["batch_size"] in (64, 128)
    assert np.allclose(search.to_unit(space, low), 0) and np.allclose(search.to_unit(space, search.to_config(space, [1] * 4)), 1)


def test_grid_and_random_configs():
    counts = {"learning_rate": 3, "lambd": 2, "hidden_units": 2, "batch_size": 2}
    grid = search.grid_configs(search.DIGITS_SPACE, counts)
    assert len(grid) == 24 and len({c["learning_rate"] for c in grid}) == 3
    rand = search.random_configs(search.DIGITS_SPACE, 24, np.random.default_rng(0))
    assert len({c["learning_rate"] for c in rand}) == 24
    assert all(c["batch_size"] in (32, 64, 128, 256) and 8 <= c["hidden_units"] <= 128 for c in rand)
    with pytest.raises(ValueError, match="size=3"):
        search.random_configs(search.DIGITS_SPACE, 3, np.random.default_rng(0), sample=lambda lo, hi, n, r: [lo])


def test_shifted_grid_moves_every_axis_by_a_fraction_of_a_cell():
    counts = {"learning_rate": 3, "lambd": 2, "hidden_units": 2, "batch_size": 2}
    centred = search.grid_configs(search.DIGITS_SPACE, counts, offsets=[0.5] * 4)
    assert centred == search.grid_configs(search.DIGITS_SPACE, counts)
    shifted = search.grid_configs(search.DIGITS_SPACE, counts, offsets=[0.0, 0.5, 0.5, 0.5])
    alphas = sorted({c["learning_rate"] for c in shifted})
    assert len(shifted) == 24 and alphas == pytest.approx([1e-4, 10 ** (-4 + 4 / 3), 10 ** (-4 + 8 / 3)])
    for bad in ([0.5] * 3, [0.5, 0.5, 0.5, 1.0], [-0.1, 0.5, 0.5, 0.5]):
        with pytest.raises(ValueError, match="offsets"):
            search.grid_configs(search.DIGITS_SPACE, counts, offsets=bad)


# ---------------------------------------------------------------- Gaussian process and expected improvement
X_OBS = np.array([[0.1], [0.4], [0.9]])
Y_OBS = np.array([1.0, -0.5, 0.3])


def test_gp_interpolates_with_small_noise():
    gp = search.GaussianProcess(X_OBS, Y_OBS, length_scale=0.2, noise=1e-8)
    mean, std = gp.predict(X_OBS)
    assert np.allclose(mean, Y_OBS, atol=1e-5) and np.all(std < 1e-3)


def test_gp_variance_shrinks_near_data():
    gp = search.GaussianProcess(X_OBS, Y_OBS, length_scale=0.1, noise=1e-6)
    _, std = gp.predict(np.array([[0.4], [0.45], [0.55], [0.65]]))
    assert np.all(np.diff(std) > 0)  # farther from the observation at 0.4: more uncertain
    _, far = gp.predict(np.array([[5.0]]))
    assert far[0] == pytest.approx(Y_OBS.std(), rel=1e-6)  # the prior's std (in y's units) far from all data


def test_gp_posterior_against_a_hand_computation():
    X, y, ell, noise = np.array([[0.0], [1.0]]), np.array([0.0, 2.0]), 1.0, 0.0 + 1e-12
    gp = search.GaussianProcess(X, y, ell, noise)
    # standardized y = [-1, 1]; k(0, 1) = e^-0.5 = c; at x = 0.5 both k = e^-0.125 = a
    c, a = math.exp(-0.5), math.exp(-0.125)
    weights = np.linalg.solve([[1, c], [c, 1]], [-1, 1])
    mean_std = a * weights.sum()  # = 0 by symmetry
    var = 1 - np.array([a, a]) @ np.linalg.solve([[1, c], [c, 1]], [a, a])
    m, s = gp.predict(np.array([[0.5]]))
    assert m[0] == pytest.approx(1 + 1 * mean_std) and s[0] == pytest.approx(math.sqrt(var), rel=1e-6)


def test_fit_gp_picks_a_length_scale_by_marginal_likelihood():
    x = np.linspace(0, 1, 12)[:, None]
    smooth = search.fit_gp(x, np.sin(2 * x[:, 0]), length_scales=(0.05, 1.0))
    rough = search.fit_gp(x, np.sin(40 * x[:, 0]), length_scales=(0.05, 1.0))
    assert smooth.length_scale == 1.0 and rough.length_scale == 0.05


def test_expected_improvement_against_hand_computation():
    # mean 1, std 2, best 2: z = 0.5; EI = 1·Φ(0.5) + 2·φ(0.5) = 0.691462 + 2·0.352065 = 1.395593
    assert search.expected_improvement(1.0, 2.0, 2.0) == pytest.approx(1.395593, abs=1e-5)
    # worse mean: EI small but positive while σ > 0
    ei = search.expected_improvement(np.array([3.0, 3.0]), np.array([1.0, 0.0]), best=2.0)
    assert ei[0] == pytest.approx(-1 * 0.158655 + 0.241971, abs=1e-5) and ei[1] == 0.0
    assert search.expected_improvement(1.0, 0.0, 2.0) == pytest.approx(1.0)  # σ = 0, better mean: the sure gain
    rng = np.random.default_rng(0)
    assert np.all(search.expected_improvement(rng.normal(size=500), rng.random(500), 0.0) >= 0)


def test_bayes_search_finds_the_toy_valley_faster_than_chance():
    space = {"x": search.Range(1e-2, 1.0), "y": search.Range(1e-2, 1.0)}

    def objective(c):
        u = search.to_unit(space, c)
        return float(search.toy_loss(u[0], u[1]))

    bo = search.bayes_search(objective, space, 20, np.random.default_rng(0), n_init=5)
    assert len(bo.errors) == 20 and len(bo.steps) == 15 and bo.best()[1] < 0.05
    assert np.all(np.diff(bo.best_so_far()) <= 0)


# ---------------------------------------------------------------- the objective, and train's callback
@pytest.fixture(scope="module")
def objective():
    return search.DigitsObjective(m_train=200, num_epochs=3)


def test_objective_is_deterministic_cached_and_scores_divergence(objective):
    good = {"learning_rate": 0.03, "lambd": 1e-3, "hidden_units": 16, "batch_size": 32}
    first = objective(good)
    trials = objective.trials
    assert 0 < first < 0.5 and objective(good) == first and objective.trials == trials
    fresh = search.DigitsObjective(m_train=200, num_epochs=3)
    assert fresh(good) == first


def test_objective_scores_a_divergence_as_chance(monkeypatch):
    objective = search.DigitsObjective(m_train=50, num_epochs=1)

    def diverge(config, **_):
        raise FloatingPointError("training diverged")

    monkeypatch.setattr(objective, "train", diverge)
    assert objective({"learning_rate": 1.0, "lambd": 1e-3, "hidden_units": 8, "batch_size": 32}) == search.DIVERGED_ERROR


def test_callback_sees_every_epoch_and_can_stop(objective):
    seen = []

    def watch(epoch, result):
        seen.append((epoch, objective.dev_error(result)))
        return epoch == 3

    X, Y = objective.X_train, objective.Y_train
    result = train(X, Y, [64, 8, 10], rng=np.random.default_rng(0), output="softmax", update="adam",
                   learning_rate=0.01, num_epochs=10, batch_size=50, callback=watch, record_every=2)
    assert [e for e, _ in seen] == [1, 2, 3] and result.stopped_epoch == 3 and result.epochs == [1, 2]
    assert seen[-1][1] == pytest.approx(result.error(objective.X_dev, objective.Y_dev))
    full = train(X, Y, [64, 8, 10], rng=np.random.default_rng(0), output="softmax", update="adam",
                 learning_rate=0.01, num_epochs=3, batch_size=50)
    assert full.stopped_epoch is None and np.allclose(full.params["W1"], result.params["W1"])


def test_callback_can_change_a_schedule_and_raise(objective):
    state = {"rate": 0.01}

    def babysit(epoch, result):
        state["rate"] = 0.001

    result = train(objective.X_train, objective.Y_train, [64, 8, 10], rng=np.random.default_rng(0),
                   output="softmax", update="adam", learning_rate=lambda t: state["rate"], num_epochs=3,
                   callback=babysit)
    assert result.learning_rates == [0.01, 0.001, 0.001]

    def boom(epoch, result):
        raise KeyError("pruned")

    with pytest.raises(KeyError, match="pruned"):
        train(objective.X_train, objective.Y_train, [64, 8, 10], rng=np.random.default_rng(0), output="softmax",
              num_epochs=3, callback=boom)
    with pytest.raises(TypeError, match="callback"):
        train(objective.X_train, objective.Y_train, [64, 8, 10], rng=np.random.default_rng(0), output="softmax",
              num_epochs=3, callback=3)


def test_optuna_objective_prunes_and_worker_joins_a_journal(tmp_path, objective):
    optuna = pytest.importorskip("optuna")
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    path = str(tmp_path / "journal.log")
    study = optuna.create_study(study_name="t", storage=JournalStorage(JournalFileBackend(path)),
                                sampler=optuna.samplers.TPESampler(seed=0),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=2))
    study.optimize(lambda t: search.optuna_objective(t, objective), n_trials=6)
    assert len(study.trials) == 6 and all(len(t.intermediate_values) >= 1 for t in study.trials)
    assert search.optuna_worker(path, "t", 2, worker=1, seed=1) == 2
    again = optuna.load_study(study_name="t", storage=JournalStorage(JournalFileBackend(path)))
    assert len(again.trials) == 8 and [t.user_attrs.get("worker") for t in again.trials][-2:] == [1, 1]
