"""Learning-rate schedules: the formulas, t counted from 0, and clear errors."""
import math

import pytest

from helpers import schedules


def test_every_schedule_starts_at_alpha0():
    for s in (schedules.constant(0.1), schedules.inverse_time(0.1, 1.0), schedules.exponential(0.1),
              schedules.step(0.1, 0.5, 10), schedules.inverse_sqrt(0.1), schedules.cosine(0.1, 100)):
        assert s(0) == pytest.approx(0.1), s


def test_inverse_time_is_the_courses_collapse_and_its_staircase_fix():
    every_epoch = schedules.inverse_time(0.1, 1.0)
    assert every_epoch(999) == pytest.approx(0.1 / 1000)  # 1e-4 by epoch 1000, as in the course
    stairs = schedules.inverse_time(0.1, 1.0, decay_every=1000)
    assert stairs(999) == 0.1 and stairs(1000) == pytest.approx(0.05)


def test_exponential_and_step_and_inverse_sqrt():
    assert schedules.exponential(0.2, 0.95)(10) == pytest.approx(0.2 * 0.95 ** 10)
    assert schedules.exponential(0.2, 0.5, decay_every=3)(5) == pytest.approx(0.1)
    assert schedules.step(1.0, 0.5, 100)(250) == pytest.approx(0.25)
    assert schedules.inverse_sqrt(1.0, 1.0)(3) == pytest.approx(0.5)


def test_cosine_with_warmup():
    s = schedules.cosine(1.0, total=110, warmup=10, alpha_min=0.1)
    assert s(0) == pytest.approx(0.1) and s(9) == pytest.approx(1.0)
    assert s(10) == pytest.approx(1.0)
    assert s(60) == pytest.approx(0.1 + 0.45 * (1 + math.cos(math.pi * 0.5)))
    assert s(110) == pytest.approx(0.1) and s(500) == pytest.approx(0.1)


def test_repr_names_the_schedule():
    assert "inverse time" in repr(schedules.inverse_time(0.1, 1.0))
    assert "every 1000 epochs" in repr(schedules.inverse_time(0.1, 1.0, decay_every=1000))


@pytest.mark.parametrize("make, match", [
    (lambda: schedules.inverse_time(-0.1, 1.0), "alpha0"),
    (lambda: schedules.inverse_time(0.1, -1.0), "decay_rate"),
    (lambda: schedules.inverse_time(0.1, 1.0, decay_every=0), "decay_every"),
    (lambda: schedules.exponential(0.1, 1.5), "base"),
    (lambda: schedules.step(0.1, 2.0, 10), "factor"),
    (lambda: schedules.cosine(0.1, 10, warmup=10), "warmup"),
    (lambda: schedules.cosine(0.1, 10, alpha_min=0.5), "alpha_min"),
    (lambda: schedules.constant(float("nan")), "alpha0"),
])
def test_bad_parameters_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("epoch", [-1, 1.5, True])
def test_bad_epochs(epoch):
    with pytest.raises(ValueError, match="completed epochs"):
        schedules.constant(0.1)(epoch)


def test_as_schedule():
    assert schedules.as_schedule(0.3)(7) == 0.3
    assert schedules.as_schedule(lambda t: 0.1 / (t + 1))(1) == pytest.approx(0.05)
    with pytest.raises(ValueError, match="epoch 0"):
        schedules.as_schedule(lambda t: 0.0)


def test_train_follows_a_schedule_epoch_by_epoch():
    import numpy as np

    from helpers.datasets import make_moons
    from helpers.training import train

    X, Y = make_moons(60, 0.2, np.random.default_rng(0))
    s = schedules.step(0.5, 0.5, every=2)
    result = train(X, Y, [2, 4, 1], rng=np.random.default_rng(1), learning_rate=s, num_epochs=6)
    assert result.learning_rates == [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]
    # the same as training each stretch with its constant rate, continuing from the previous parameters
    # (plain gradient descent keeps no state between calls, full batch draws nothing after the init)
    params = None
    for rate, epochs, seed in ((0.5, 2, 1), (0.25, 2, None), (0.125, 2, None)):
        rng = np.random.default_rng(seed if seed is not None else 99)
        params = train(X, Y, [2, 4, 1], rng=rng, learning_rate=rate, num_epochs=epochs, params=params).params
    assert all(np.array_equal(params[k], result.params[k]) for k in params)


def test_train_reports_a_schedule_that_reaches_zero():
    import numpy as np
    import pytest as _pytest

    from helpers.datasets import make_moons
    from helpers.training import train

    X, Y = make_moons(20, 0.2, np.random.default_rng(0))
    with _pytest.raises(ValueError, match="learning_rate at epoch 3"):
        train(X, Y, [2, 1], rng=np.random.default_rng(0), learning_rate=lambda t: 0.1 if t < 2 else 0.0, num_epochs=5)
