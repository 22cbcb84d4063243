"""Unit tests for helpers.widgets (live views, static figures) and plotting.decision_grid."""
from __future__ import annotations

import re

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


def _shown(view) -> str:
    """The view's numbers line as HTML source without its tags (entities kept)."""
    return re.sub(r"<[^>]+>", "", view.text.value)


def test_the_numbers_line_wraps_between_words_only():
    view = widgets.live(lambda fig, x: f"ratio {x} < 1", x=widgets.choice(["2e-33"], "2e-33", "x"))
    assert "<span class='w'>2e-33</span>" in view.text.value  # no break after "2e-"
    assert "<span class='w'>&lt;</span>" in view.text.value
    assert f".{view.css_class} pre span.w {{white-space: nowrap;}}" in view.css.value


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    """Each test starts with no live views (a view of an earlier test would count as a re-run)."""
    monkeypatch.setattr(widgets, "REGISTRY", [])


# ---------------------------------------------------------------- live views
def test_live_redraws_image_and_text_when_the_control_moves():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([-2, 0, 1, 2], 1, "slope"))
    assert isinstance(view, widgets.LiveView)
    first_png, first_text = bytes(view.image.value), _shown(view)
    assert first_png.startswith(PNG_SIGNATURE)
    assert "slope = 1" in first_text
    assert calls == [(1, "line")]

    view.controls["slope"].value = -2
    assert calls[-1] == (-2, "line")
    assert bytes(view.image.value).startswith(PNG_SIGNATURE)
    assert bytes(view.image.value) != first_png
    assert "slope = -2" in _shown(view) and "slope = 1" not in _shown(view)

    view.controls["slope"].value = 1  # back to the start: the same picture again
    assert bytes(view.image.value) == first_png
    assert _shown(view) == first_text


def test_live_with_two_controls_passes_both_values():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([0, 1], 0, "slope"),
                        label=widgets.choice(["a", "b<c"], "a", "label"))
    assert view.values() == {"slope": 0, "label": "a"}
    view.controls["label"].value = "b<c"
    assert calls[-1] == (0, "b<c")
    assert "b&lt;c: slope = 0" in _shown(view)  # HTML-escaped
    view.redraw(slope=1)  # overrides, as the benchmark uses them
    assert calls[-1] == (1, "b<c")


def test_live_is_recorded_in_the_registry():
    draw = _make_draw()
    def draw_other(fig, label):  # noqa: ARG001
        return label

    draw_other.__name__ = "draw"  # same name, other control names: not a re-run of the view below
    other = widgets.live(draw_other, label=widgets.choice(["a", "b"], "a", "label"))
    before = len(widgets.REGISTRY)
    view = widgets.live(draw, slope=widgets.choice([0, 1], 0, "slope"))
    assert len(widgets.REGISTRY) == before + 1
    assert widgets.REGISTRY[-1] is view
    assert view.name == "draw" and view.draw is draw
    assert other in widgets.REGISTRY and other.comm is not None


def _widget_count() -> int:
    from ipywidgets.widgets.widget import _instances
    return len(_instances)


def test_rerunning_a_cell_replaces_its_view_and_closes_the_old_widgets():
    def rerun():
        return widgets.live(_make_draw(), slope=widgets.choice([0, 1, 2], 1, "slope"),
                            label=widgets.choice(["a", "b"], "a", "label"))

    first = rerun()
    registry, instances = len(widgets.REGISTRY), _widget_count()
    for _ in range(5):
        view = rerun()
    assert len(widgets.REGISTRY) == registry
    assert _widget_count() == instances
    assert first.comm is None and first.image.comm is None and first.controls["slope"].comm is None
    assert first.frames == {} and first.figure is None  # Out[] may keep the object: its memory goes
    assert view.comm is not None and widgets.REGISTRY[-1] is view


def test_a_rerun_keeps_controls_the_new_view_reuses():
    slope = widgets.choice([0, 1], 0, "slope")
    widgets.live(_make_draw(), slope=slope)
    view = widgets.live(_make_draw(), slope=slope)
    assert slope.comm is not None
    slope.value = 1
    assert "slope = 1" in _shown(view)


def test_views_of_different_cells_are_kept(monkeypatch):
    monkeypatch.setattr(widgets, "_cell_id", lambda: "cell-a")
    a = widgets.live(_make_draw(), slope=widgets.choice([0, 1], 0, "slope"))
    monkeypatch.setattr(widgets, "_cell_id", lambda: "cell-b")
    b = widgets.live(_make_draw(), slope=widgets.choice([0, 1], 0, "slope"))
    assert a in widgets.REGISTRY and b in widgets.REGISTRY and a.comm is not None


def test_a_view_shows_a_short_line_where_it_is_not_rendered():
    view = widgets.live(_make_draw(), slope=widgets.choice([0, 1], 0, "slope"))
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == widgets.STORED_TEXT == repr(view)
    assert "LiveView(" not in bundle["text/plain"] and "Run the notebook" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab still renders the view


# ---------------------------------------------------------------- stored frames
def test_a_revisited_setting_shows_the_stored_frame_without_drawing():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([-2, 0, 1, 2], 1, "slope"))
    first = bytes(view.image.value)
    view.controls["slope"].value = 2
    view.controls["slope"].value = 1
    assert calls == [(1, "line"), (2, "line")]  # 1 was not drawn again
    assert bytes(view.image.value) == first
    assert view.frame({"slope": 1})[0] == first
    assert view.render({"slope": 1})[0] == first  # an uncached render gives the same bytes


def test_stored_frames_are_bounded(monkeypatch):
    view = widgets.live(_make_draw(), slope=widgets.choice([-2, -1, 0, 1, 2], 0, "slope"))
    size = len(view.image.value)
    monkeypatch.setattr(widgets, "CACHE_BYTES", int(2.5 * size))
    for value in (-2, -1, 1, 2):
        view.controls["slope"].value = value
    kept = list(view.frames)
    assert 1 <= len(kept) < 5 and sum(len(png) for png, _ in view.frames.values()) <= widgets.CACHE_BYTES
    assert kept[-1] == (("slope", 2),) and (("slope", 0),) not in kept  # the oldest went first


# ---------------------------------------------------------------- layout reuse
def _constrained_png(draw, figsize, **values) -> bytes:
    """What the view showed before layouts were reused: a constrained-layout figure rendered from scratch."""
    fig = plt.figure(figsize=figsize, dpi=widgets._savefig_dpi(), layout="constrained")
    draw(fig, **values)
    data = widgets.png_bytes(fig)
    plt.close(fig)
    return data


def test_a_reused_layout_draws_the_same_picture_as_a_fresh_constrained_layout():
    calls = []
    draw = _make_draw(calls)
    view = widgets.live(draw, figsize=(4, 3), slope=widgets.choice([-2, -1, 0, 1, 2], 0, "slope"))
    for value in (-2, -1, 1, 2):
        view.controls["slope"].value = value
        assert bytes(view.image.value) == _constrained_png(draw, (4, 3), slope=value), value
    assert len(view.layouts) == 1  # same axes, ticks and labels: laid out once


def test_a_new_tick_label_gets_its_own_layout():
    def draw(fig, top):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, top])
        ax.set_ylim(0, top)
        ax.set_title("t")
        return ""

    view = widgets.live(draw, figsize=(4, 3), top=widgets.choice([1, 1000, 1000000, 2], 1, "top"))
    view.controls["top"].value = 1000  # wider y tick labels: the left margin must grow
    assert bytes(view.image.value) == _constrained_png(draw, (4, 3), top=1000)
    view.controls["top"].value = 1000000  # an offset text ("1e6") above the axes: the title moves up
    assert bytes(view.image.value) == _constrained_png(draw, (4, 3), top=1000000)
    view.controls["top"].value = 2  # labels 0.00 ... 2.00 differ from 0.0 ... 1.0 as well
    assert len(view.layouts) == 4


def test_a_draw_that_sets_its_own_layout_keeps_it():
    def draw(fig, x):
        fig.set_layout_engine("none")
        fig.add_axes((0.25, 0.25, 0.5, 0.5)).plot([0, x])
        return ""

    view = widgets.live(draw, x=widgets.choice([1, 2], 1, "x"))
    assert view.layouts == {}
    assert tuple(view.figure.axes[0].get_position().bounds) == pytest.approx((0.25, 0.25, 0.5, 0.5))


def test_every_render_draws_into_a_fresh_figure_with_the_same_renderer():
    seen = []

    def draw(fig, x):
        seen.append((fig, len(fig.axes)))
        fig.add_subplot().plot([0, x])
        return ""

    view = widgets.live(draw, x=widgets.choice([1, 2, 3], 1, "x"))
    renderer = view.figure.canvas.get_renderer()
    view.controls["x"].value = 2
    view.controls["x"].value = 3
    figures = [fig for fig, _ in seen]
    assert [n for _, n in seen] == [0, 0, 0]
    assert len({id(f) for f in figures}) == 3  # Figure.clear() would cost a tenth of a redraw
    assert view.figure.canvas.get_renderer() is renderer  # matplotlib caches text sizes per renderer


# ---------------------------------------------------------------- controls and layout
def test_choice_gives_named_options_buttons_or_a_dropdown():
    few = widgets.choice(["tanh", "sigmoid", "relu"], "tanh", "activation")
    many = widgets.choice(["correct", "dW2: forgot 1/m", "db1: wrong sign", "dA1: W2 not transposed"],
                          "correct", "backward pass")
    numeric_text = widgets.choice(["1e-06", "1e-05"], "1e-06", "ε")
    assert isinstance(few, widgets.widgets.ToggleButtons) and few.value == "tanh"
    assert isinstance(many, widgets.widgets.Dropdown) and many.value == "correct"
    assert isinstance(numeric_text, widgets.widgets.SelectionSlider)
    # the dropdown is wide enough for the longest name (~7.5 px a character)
    assert int(many.layout.width[:-2]) >= int(many.style.description_width[:-2]) + 7 * len("dA1: W2 not transposed")


def _px(text: str) -> int:
    assert text.endswith("px"), text
    return int(text[:-2])


def test_sliders_of_a_view_have_one_description_width_and_a_fixed_track():
    view = widgets.live(_make_draw(), slope=widgets.choice([0, 1, 2], 0, "s"),
                        label=widgets.choice(["1", "1000000"], "1", "a much longer description"))
    slope, label = view.controls["slope"], view.controls["label"]
    assert slope.style.description_width == label.style.description_width  # the tracks start at one x
    assert _px(slope.style.description_width) >= 7 * len("a much longer description")
    for control in (slope, label):
        track = _px(control.layout.width) - _px(control.style.description_width) - view.readout_px
        assert track >= widgets.TRACK_PX
    assert slope.layout.width == label.layout.width
    assert view.readout_px >= 7 * len("1000000")
    # the readout keeps this width whatever the label (ipywidgets would size it to the text)
    assert f".{view.css_class} .widget-readout {{width: {view.readout_px}px" in view.css.value
    assert view.css in view.children and view.css.layout.display == "none"
    widths = (slope.layout.width, label.layout.width, view.css.value)
    label.value = "1000000"
    assert (slope.layout.width, label.layout.width, view.css.value) == widths


def test_the_image_is_shown_at_its_own_pixel_size():
    view = widgets.live(_make_draw(), figsize=(4, 2), slope=widgets.choice([0, 1], 0, "slope"))
    png = bytes(view.image.value)
    width = int.from_bytes(png[16:20], "big")
    assert width == round(4 * widgets._savefig_dpi())
    assert view.image.layout.width == f"{width}px"  # not stretched to the output area
    assert view.image.layout.max_width == "100%" and view.image.layout.height == "auto"  # shrinks when narrower


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
