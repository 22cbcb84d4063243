"""Unit tests for helpers.widgets (live views, static figures) and plotting.decision_grid."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting, widgets  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _make_draw(calls=None):
    def draw(fig, slope, label="line"):
        if calls is not None:
            calls.append((slope, label))
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, slope])
        ax.set_ylim(-3, 3)
        return f"{label}: slope = {slope}"
    return draw


# ---------------------------------------------------------------- live views
def test_live_redraws_image_and_text_when_the_control_moves():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([-2, 0, 1, 2], 1, "slope"))
    assert isinstance(view, widgets.LiveView)
    first_png, first_text = bytes(view.image.value), view.text.value
    assert first_png.startswith(PNG_SIGNATURE)
    assert "slope = 1" in first_text
    assert calls == [(1, "line")]

    view.controls["slope"].value = -2
    assert calls[-1] == (-2, "line")
    assert bytes(view.image.value).startswith(PNG_SIGNATURE)
    assert bytes(view.image.value) != first_png
    assert "slope = -2" in view.text.value and "slope = 1" not in view.text.value

    view.controls["slope"].value = 1  # back to the start: the same picture again
    assert bytes(view.image.value) == first_png
    assert view.text.value == first_text


def test_live_with_two_controls_passes_both_values():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([0, 1], 0, "slope"),
                        label=widgets.choice(["a", "b<c"], "a", "label"))
    assert view.values() == {"slope": 0, "label": "a"}
    view.controls["label"].value = "b<c"
    assert calls[-1] == (0, "b<c")
    assert "b&lt;c: slope = 0" in view.text.value  # HTML-escaped
    view.redraw(slope=1)  # overrides, as the benchmark uses them
    assert calls[-1] == (1, "b<c")


def test_live_is_recorded_in_the_registry():
    draw = _make_draw()
    before = len(widgets.REGISTRY)
    view = widgets.live(draw, slope=widgets.choice([0, 1], 0, "slope"))
    assert len(widgets.REGISTRY) == before + 1
    name, registered_draw, controls = widgets.REGISTRY[-1]
    assert name == "draw" and registered_draw is draw and controls == view.controls


def test_live_and_choice_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"live\(\) needs at least one control"):
        widgets.live(_make_draw())
    with pytest.raises(ValueError, match=r"value 5 must be one of the options \[1, 2, 3\]"):
        widgets.choice([1, 2, 3], 5, "x")


def test_choice_builds_a_selection_slider():
    control = widgets.choice((0.1, 0.2, 0.4), 0.2, "learning rate")
    assert control.options == (0.1, 0.2, 0.4)
    assert control.value == 0.2
    assert control.description == "learning rate"


# ---------------------------------------------------------------- static figures
def test_show_static_prints_the_draw_text(capsys):
    calls = []
    widgets.show_static(_make_draw(calls), slope=2, label="static")
    assert capsys.readouterr().out == "static: slope = 2\n"
    assert calls == [(2, "static")]
    assert len(plt.get_fignums()) == 1 and plt.gcf().axes  # the figure was drawn into


def test_show_static_prints_nothing_for_an_empty_text(capsys):
    widgets.show_static(lambda fig, x: fig.add_subplot().plot([0, x]) and None, x=1)
    assert capsys.readouterr().out == ""


def test_png_bytes():
    fig = plt.figure(figsize=(2, 1), dpi=50)
    fig.add_subplot().plot([0, 1])
    data = widgets.png_bytes(fig)
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (100, 50)


# ---------------------------------------------------------------- plotting.decision_grid
def test_decision_grid_orientation_and_shape():
    # probs[i, j] is the probability at x1 = x1s[j], x2 = x2s[i]
    grid = plotting.decision_grid(lambda X: (X[0:1] + 10 * X[1:2]) / 100, (0, 1, 2, 4), resolution=5)
    assert grid.probs.shape == (5, 5)
    np.testing.assert_allclose(grid.x1s, np.linspace(0, 1, 5))
    np.testing.assert_allclose(grid.x2s, np.linspace(2, 4, 5))
    np.testing.assert_allclose(grid.probs, (grid.x1s[None, :] + 10 * grid.x2s[:, None]) / 100)
    assert grid.extent == (0, 1, 2, 4)


def test_decision_grid_passes_course_shaped_inputs():
    seen = []

    def prob_fn(X):
        seen.append(X.shape)
        return np.full((1, X.shape[1]), 0.5)

    plotting.decision_grid(prob_fn, (-1, 1, -1, 1), resolution=7)
    assert seen == [(2, 49)]


@pytest.mark.parametrize("bad", [
    lambda X: np.zeros(X.shape[1]),          # 1-D
    lambda X: np.zeros((X.shape[1], 1)),     # transposed
    lambda X: np.zeros((2, X.shape[1])),     # two rows
    lambda X: np.zeros((1, X.shape[1] - 1)),  # one column short
])
def test_decision_grid_rejects_wrong_output_shape(bad):
    with pytest.raises(ValueError, match=r"prob_fn must return shape \(1, 36\) for X of shape \(2, 36\); got"):
        plotting.decision_grid(bad, (0, 1, 0, 1), resolution=6)


def test_plot_decision_boundary_draws_on_the_axes():
    X = np.array([[0.0, 1.0, 0.5], [0.0, 1.0, 0.2]])
    Y = np.array([[0, 1, 0]])
    grid = plotting.decision_grid(lambda P: 1 / (1 + np.exp(-(P[0:1] - P[1:2]) * 4)), plotting.limits_of(X), 20)
    fig = plt.figure()
    ax = fig.add_subplot()
    plotting.plot_decision_boundary(ax, grid, X, Y, title="t")
    assert ax.get_title() == "t"
    assert len(ax.images) == 1 and len(ax.collections) >= 2  # the surface, the contour, the points
    assert ax.get_xlim() == pytest.approx(grid.extent[:2])
