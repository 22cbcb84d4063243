"""Unit tests for helpers.widgets (live views, static figures) and plotting.decision_grid."""
from __future__ import annotations

import contextlib
import re
import threading

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import frame_view, plotting, widgets  # noqa: E402

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
    return re.sub(r"<[^>]+>", "", view.screen.text)


def test_the_numbers_line_wraps_between_words_only():
    view = widgets.live(lambda fig, x: f"ratio {x} < 1", x=widgets.choice(["2e-33"], "2e-33", "x"))
    assert "<span class='w'>2e-33</span>" in view.screen.text  # no break after "2e-"
    assert "<span class='w'>&lt;</span>" in view.screen.text
    assert f".{view.css_class} pre span.w {{white-space: nowrap;}}" in view.css.value


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    """Each test starts with no live views (a view of an earlier test would count as a re-run), a kernel idle
    from now on, and drawing every setting ahead far off (the tests of it set IDLE_DELAY)."""
    monkeypatch.setattr(widgets, "REGISTRY", [])
    monkeypatch.setattr(widgets, "ACTIVITY", widgets._Activity())
    monkeypatch.setattr(widgets, "BACKGROUND", widgets._Background())
    monkeypatch.setattr(widgets, "IDLE_DELAY", 3600.0)


# ---------------------------------------------------------------- live views
def test_live_redraws_image_and_text_when_the_control_moves():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([-2, 0, 1, 2], 1, "slope"))
    assert isinstance(view, widgets.LiveView)
    first_png, first_text = bytes(view.screen.png), _shown(view)
    assert first_png.startswith(PNG_SIGNATURE)
    assert "slope = 1" in first_text
    assert calls == [(1, "line")]

    view.controls["slope"].value = -2
    assert calls[-1] == (-2, "line")
    assert bytes(view.screen.png).startswith(PNG_SIGNATURE)
    assert bytes(view.screen.png) != first_png
    assert "slope = -2" in _shown(view) and "slope = 1" not in _shown(view)

    view.controls["slope"].value = 1  # back to the start: the same picture again
    assert bytes(view.screen.png) == first_png
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
    assert first.comm is None and first.screen.comm is None and first.controls["slope"].comm is None
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
    first = bytes(view.screen.png)
    view.controls["slope"].value = 2
    view.controls["slope"].value = 1
    assert calls == [(1, "line"), (2, "line")]  # 1 was not drawn again
    assert bytes(view.screen.png) == first
    assert view.frame({"slope": 1})[0] == first
    assert view.render({"slope": 1})[0] == first  # an uncached render gives the same bytes


def test_stored_frames_are_bounded(monkeypatch):
    view = widgets.live(_make_draw(), slope=widgets.choice([-2, -1, 0, 1, 2], 0, "slope"))
    size = len(view.screen.png)
    monkeypatch.setattr(widgets, "CACHE_BYTES", int(2.5 * size))
    for value in (-2, -1, 1, 2):
        view.controls["slope"].value = value
    kept = list(view.frames)
    assert 1 <= len(kept) < 5 and sum(len(png) for png, _ in view.frames.values()) <= widgets.CACHE_BYTES
    assert kept[-1] == (("slope", 2),) and (("slope", 0),) not in kept  # the oldest went first


# ---------------------------------------------------------------- drawing ahead while idle
def _two_controls(calls):
    return widgets.live(_make_draw(calls), slope=widgets.choice([-2, -1, 0, 1, 2], 0, "slope"),
                        label=widgets.choice(["a", "b", "c"], "b", "label"))


def test_neighbours_are_one_step_away_on_the_control_moved_last_onward_first():
    view = _two_controls([])
    assert view.neighbours() == []  # before any move nothing is drawn ahead
    view.controls["slope"].value = -1  # moved slope down: further down first, then back
    assert view.neighbours() == [{"slope": -2, "label": "b"}, {"slope": 0, "label": "b"}]
    view.controls["label"].value = "a"  # moved label leftwards: nothing further left, then back
    assert view.neighbours() == [{"slope": -1, "label": "b"}]
    view.controls["label"].value = "b"  # and rightwards: onward first
    assert view.neighbours() == [{"slope": -1, "label": "c"}, {"slope": -1, "label": "a"}]


def test_the_next_step_is_drawn_ahead_first_so_it_is_a_stored_frame():
    calls = []
    view = _two_controls(calls)
    view.controls["slope"].value = 1
    assert view.draw_ahead() and calls[-1] == (2, "b")  # onward; the way back (0) is stored already
    assert view._missing_neighbours() == []  # at most two frames per move, none for the other control
    expected = view.render({"slope": 2, "label": "b"})[0]
    del calls[:]
    view.controls["slope"].value = 2
    assert calls == [] and bytes(view.screen.png) == expected  # shown without drawing
    assert "b: slope = 2" in _shown(view)


def test_a_draw_failing_ahead_is_not_retried_and_is_left_for_the_learner():
    calls = []

    def draw(fig, x):
        calls.append(x)
        if x == 3:
            raise ValueError("no data for 3")
        fig.add_subplot().plot([0, x])
        return f"x = {x}"

    view = widgets.live(draw, x=widgets.choice([0, 1, 2, 3], 1, "x"))
    view.controls["x"].value = 2
    assert view.draw_ahead()  # 3, onward, fails: no error, nothing stored
    assert (("x", 3),) not in view.frames and calls == [1, 2, 3]
    while view.draw_ahead():  # the rest (0) is drawn; 3 is not tried again ahead
        pass
    assert calls == [1, 2, 3, 0]
    with pytest.raises(ValueError, match="no data for 3"):  # the learner's own move shows the error
        view.controls["x"].value = 3


@contextlib.contextmanager
def _frame_in_progress_elsewhere():
    """Another thread holds the drawing lock (a redraw on a subshell thread, or a frame drawn ahead) until exit."""
    holding, release = threading.Event(), threading.Event()

    def draw_elsewhere():
        with widgets._DRAWING:
            holding.set()
            release.wait(5)

    other = threading.Thread(target=draw_elsewhere)
    other.start()
    holding.wait(5)
    try:
        yield
    finally:
        release.set()
        other.join()


def test_drawing_ahead_gives_way_to_a_frame_drawn_on_another_thread():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([-1, 0, 1], 0, "slope"))
    view.controls["slope"].value = 1
    view.controls["slope"].value = 0  # moved back down: -1, onward, is not drawn yet
    with _frame_in_progress_elsewhere():
        assert view.draw_ahead() is False and len(calls) == 2  # nothing drawn while the other frame is in progress
    assert view.draw_ahead() and calls[-1] == (-1, "line")


def test_a_stored_frame_is_shown_while_another_frame_is_drawn_elsewhere():
    calls = []
    view = widgets.live(_make_draw(calls), slope=widgets.choice([-1, 0, 1], 0, "slope"))
    view.controls["slope"].value = 1
    done = threading.Event()
    mover = threading.Thread(target=lambda: (view.controls["slope"].__setattr__("value", 0), done.set()))
    with _frame_in_progress_elsewhere():
        mover.start()
        shown_at_once = done.wait(2)
    mover.join()
    assert shown_at_once, "a stored frame waited for the frame drawn elsewhere"
    assert len(calls) == 2 and bytes(view.screen.png) == view.frames[(("slope", 0),)][0]


def test_neighbours_are_drawn_on_the_event_loop_after_a_pause_and_never_without_one(monkeypatch):
    import asyncio
    import time

    monkeypatch.setattr(widgets, "PREFETCH_DELAY", 0.05)
    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.0)  # no cell has run: idle
    monkeypatch.setattr(widgets, "MOVE_QUIET", 3600.0)  # a learner still at it: only neighbours are drawn ahead
    widgets.ACTIVITY.last_move = time.monotonic()
    calls = []

    async def session():
        view = widgets.live(_make_draw(calls), slope=widgets.choice([-2, -1, 0, 1, 2], 0, "slope"))
        await asyncio.sleep(0.2)
        assert calls == [(0, "line")]  # nothing ahead before the first move
        for value in (1, -1):  # a learner stepping faster than the pause: nothing is drawn ahead
            await asyncio.sleep(0.02)
            view.controls["slope"].value = value
        drawn = list(calls)
        assert drawn == [(0, "line"), (1, "line"), (-1, "line")]
        await asyncio.sleep(0.5)  # a pause: the missing neighbour of -1 is drawn ahead, nothing else yet
        assert calls[len(drawn):] == [(-2, "line")]
        view.controls["slope"].value = 1
        view.close()  # a closed view draws nothing more
        await asyncio.sleep(0.2)
        return view

    asyncio.run(session())
    assert (2, "line") not in calls


def test_drawing_ahead_can_be_turned_off(monkeypatch):
    import asyncio

    monkeypatch.setattr(widgets, "PREFETCH", False)
    monkeypatch.setattr(widgets, "PREFETCH_DELAY", 0.01)
    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.0)
    monkeypatch.setattr(widgets, "MOVE_QUIET", 0.0)
    calls = []

    async def session():
        view = widgets.live(_make_draw(calls), slope=widgets.choice([-1, 0, 1, 2], 0, "slope"))
        view.controls["slope"].value = 1  # 2 would be drawn ahead, then -1
        await asyncio.sleep(0.2)
        return view

    asyncio.run(session())
    assert calls == [(0, "line"), (1, "line")]


# ---------------------------------------------------------------- every setting drawn ahead once the kernel is idle
def _grid_view(calls, tag="v", a=1, b=1):
    def draw(fig, a, b):
        calls.append((tag, a, b))
        fig.add_subplot().plot([0, 1], [a, b])
        return f"{tag} {a} {b}"
    draw.__name__ = f"draw_{tag}"
    return widgets.live(draw, a=widgets.choice([0, 1, 2, 3], a, "a"), b=widgets.choice([0, 1, 2], b, "b"))


def test_every_setting_is_drawn_ahead_nearest_first():
    calls = []
    view = _grid_view(calls)
    while view.draw_ahead():
        pass
    drawn = [(a, b) for _, a, b in calls[1:]]
    assert drawn[:4] == [(2, 1), (0, 1), (1, 2), (1, 0)]  # one step on each control (onward, then back)
    distance = [abs(a - 1) + abs(b - 1) for a, b in drawn]
    assert distance == sorted(distance) and max(distance) == 3  # then two steps, then three
    assert sorted(drawn + [(1, 1)]) == [(a, b) for a in range(4) for b in range(3)]  # every setting, once
    assert len(view.frames) == 12 and view.next_ahead() is None


def test_drawing_ahead_stops_at_the_budget_and_never_evicts(monkeypatch):
    calls = []
    view = _grid_view(calls)
    view.controls["a"].value = 2  # the learner's frames: (1, 1) and (2, 1)
    shown = dict(view.frames)
    monkeypatch.setattr(widgets, "CACHE_BYTES", int(4.5 * max(len(png) for png, _ in shown.values())))
    while view.draw_ahead():
        pass
    assert all(key in view.frames for key in shown)  # nothing the learner saw was evicted
    assert 3 <= len(view.frames) <= 4 and view.stored_bytes <= widgets.CACHE_BYTES
    assert view.stored_bytes == sum(len(png) for png, _ in view.frames.values())
    assert view.next_ahead() is None  # stopped: no more frames drawn ahead
    drawn, kept = len(calls), dict(view.frames)
    monkeypatch.setattr(widgets, "CACHE_BYTES", view.stored_bytes)  # no room for one more frame
    view.controls["a"].value = 1  # back to a stored frame: the neighbour onward, (0, 1), is missing
    for _ in range(5):
        assert view.draw_ahead() is None  # the move's neighbour does not fit: not drawn (and not again and again)
    assert len(calls) == drawn and view.frames == kept


def _run_loop(session):
    import asyncio
    return asyncio.run(session())


def _until(condition, timeout=10.0):
    """Sleep on the event loop until condition() holds (a loaded machine may be slow); its last value."""
    import asyncio
    import time

    async def wait():
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return condition()
    return wait()


def test_nothing_is_drawn_ahead_while_cells_run_or_before_the_idle_delay(monkeypatch):
    import asyncio

    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.3)
    activity = widgets.ACTIVITY
    calls = []

    async def session():
        activity.pre_run_cell()  # the cell that creates the view
        view = _grid_view(calls)
        for _ in range(6):  # Run All: cells back to back, far less than IDLE_DELAY apart
            await asyncio.sleep(0.1)
            activity.post_run_cell()
            await asyncio.sleep(0.01)
            activity.pre_run_cell()
        await asyncio.sleep(0.4)  # a long cell: still nothing
        assert len(calls) == 1, calls
        activity.post_run_cell()
        await asyncio.sleep(0.15)  # idle, but not for IDLE_DELAY yet
        assert len(calls) == 1, calls
        assert await _until(lambda: len(view.frames) == 12)  # then every setting, in the background
        assert await _until(lambda: widgets.BACKGROUND.handle is None)  # done: no callback left
        return view

    _run_loop(session)
    assert len(calls) == 12


def test_a_message_arriving_while_frames_are_drawn_ahead_waits_one_frame_at_most(monkeypatch):
    import asyncio

    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.0)
    monkeypatch.setattr(widgets, "PREFETCH_DELAY", 0.0)
    monkeypatch.setattr(widgets, "MOVE_QUIET", 0.0)
    calls = []

    async def session():
        _grid_view(calls)
        assert await _until(lambda: len(calls) >= 2)  # drawing ahead has begun
        before = len(calls)
        for _ in range(3):  # a shell message passes several turns of the event loop before its handler runs
            await asyncio.sleep(0)
        return len(calls) - before

    assert _run_loop(session) <= 1


def test_views_take_turns_one_frame_per_callback_the_moved_one_first(monkeypatch):
    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.0)
    monkeypatch.setattr(widgets, "PREFETCH_DELAY", 0.0)
    monkeypatch.setattr(widgets, "MOVE_QUIET", 0.0)
    calls = []
    first = _grid_view(calls, "first")
    _grid_view(calls, "second")
    first.controls["a"].value = 2  # the learner moves the first view last
    del calls[:]
    order = []
    for _ in range(8):
        before = len(calls)
        widgets.BACKGROUND.step()  # one callback (no event loop here: the next is not scheduled)
        assert len(calls) == before + 1  # one frame per callback: a move waits for one frame at most
        order.append(calls[-1][0])
    assert calls[0] == ("first", 3, 1)  # the neighbour onward of the move comes first
    assert order[1:] == ["first", "second"] * 3 + ["first"]  # then turns, the moved view first


def test_while_a_learner_steps_only_the_neighbours_are_drawn_ahead(monkeypatch):
    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.0)
    monkeypatch.setattr(widgets, "PREFETCH_DELAY", 0.0)
    monkeypatch.setattr(widgets, "MOVE_QUIET", 60.0)
    calls = []
    view = _grid_view(calls)
    view.controls["a"].value = 2
    del calls[:]
    for _ in range(4):
        widgets.BACKGROUND.step()
    assert calls == [("v", 3, 1)]  # the next step onward; nothing else until MOVE_QUIET after the move


def test_a_closed_or_replaced_view_draws_nothing_more(monkeypatch):
    monkeypatch.setattr(widgets, "IDLE_DELAY", 0.0)
    calls = []
    old = _grid_view(calls, "same")
    new = _grid_view(calls, "same")  # the cell re-run: the old view is closed and replaced
    assert old._closed and old.next_ahead() is None and old.draw_ahead() is None
    new.close()
    del calls[:]
    widgets.BACKGROUND.step()
    assert calls == [] and widgets.BACKGROUND.views() == []


def test_drawing_ahead_starts_again_from_the_setting_shown():
    calls = []
    view = _grid_view(calls)
    assert view.next_ahead() == {"a": 2, "b": 1}
    view.controls["a"].value = 3
    view.controls["b"].value = 2
    del calls[:]
    view.draw_ahead()
    view.draw_ahead()
    assert calls == [("v", 2, 2), ("v", 1, 2)]  # nearest to (3, 2) first ((3, 1) is stored: the learner saw it)


def test_opaque_frames_are_rgb_pngs_with_the_same_pixels_and_transparency_is_kept():
    import io

    import PIL.Image

    fig = plt.figure(figsize=(2, 1), dpi=50)
    fig.add_subplot().plot([0, 1])
    data = widgets.png_bytes(fig)
    assert data[25] == 2  # PNG colour type 2: RGB, no alpha channel to compress
    rgba = np.asarray(fig.canvas.buffer_rgba())
    np.testing.assert_array_equal(np.asarray(PIL.Image.open(io.BytesIO(data))), rgba[..., :3])
    clear = plt.figure(figsize=(2, 1), dpi=50, facecolor="none")
    clear.add_subplot().plot([0, 1])
    assert widgets.png_bytes(clear)[25] == 6  # RGBA: a transparent figure stays transparent


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
        assert bytes(view.screen.png) == _constrained_png(draw, (4, 3), slope=value), value
    assert _layouts_computed(view) == 1  # same axes, ticks and labels: laid out once


def test_a_new_tick_label_gets_its_own_layout():
    def draw(fig, top):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, top])
        ax.set_ylim(0, top)
        ax.set_title("t")
        return ""

    view = widgets.live(draw, figsize=(4, 3), top=widgets.choice([1, 1000, 1000000, 2], 1, "top"))
    view.controls["top"].value = 1000  # wider y tick labels: the left margin must grow
    assert bytes(view.screen.png) == _constrained_png(draw, (4, 3), top=1000)
    view.controls["top"].value = 1000000  # an offset text ("1e6") above the axes: the title moves up
    assert bytes(view.screen.png) == _constrained_png(draw, (4, 3), top=1000000)
    view.controls["top"].value = 2  # labels 0.00 ... 2.00 differ from 0.0 ... 1.0 as well
    assert _layouts_computed(view) == 4


def _constrained_positions(draw, figsize, **values) -> list:
    """Axes positions (figure px) a fresh constrained layout gives."""
    fig = plt.figure(figsize=figsize, dpi=widgets._savefig_dpi(), layout="constrained")
    draw(fig, **values)
    fig.canvas.draw()
    boxes = [ax.get_position().bounds for ax in fig.axes]
    size = fig.bbox.width, fig.bbox.height
    plt.close(fig)
    return [(x * size[0], y * size[1], w * size[0], h * size[1]) for x, y, w, h in boxes]


def test_tick_labels_of_one_shape_share_a_layout_within_two_pixels():
    def draw(fig, top):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, top])
        ax.set_ylim(0, top)
        return ""

    tops = [1.0, 0.6, 1.2, 3.0, 4.0]  # ticks 0.0 ... 1.0, 0.0 ... 0.6, ...: one shape, other digits and counts
    view = widgets.live(draw, figsize=(4, 3), top=widgets.choice(tops, 1.0, "top"))
    for top in tops[1:]:
        view.controls["top"].value = top
        size = view.figure.bbox.width, view.figure.bbox.height
        (x, y, w, h), = [(b.x0 * size[0], b.y0 * size[1], b.width * size[0], b.height * size[1])
                         for b in (ax.get_position() for ax in view.figure.axes)]
        assert (x, y, w, h) == pytest.approx(_constrained_positions(draw, (4, 3), top=top)[0], abs=2), top
    assert _layouts_computed(view) == 1


def test_a_tick_label_moved_to_the_axes_end_gets_its_own_layout():
    def draw(fig, right):
        ax = fig.add_subplot()
        ax.plot([0, right], [0, 1])
        ax.set_xlim(0, right)
        ax.set_xticks([0, 50, 100])
        return ""

    view = widgets.live(draw, figsize=(4, 3), right=widgets.choice([140, 100, 102], 140, "right"))
    view.controls["right"].value = 100  # "100" now sits on the right end, half of it past the axes
    assert bytes(view.screen.png) == _constrained_png(draw, (4, 3), right=100)
    assert _layouts_computed(view) == 2
    view.controls["right"].value = 102  # "100" just inside the end: the layout with room for it serves
    assert _layouts_computed(view) == 2
    fresh = _constrained_positions(draw, (4, 3), right=102)[0]
    box = view.figure.axes[0].get_position()
    width = box.width * view.figure.bbox.width
    assert fresh[2] - widgets.SPARE_STEPS * widgets.OVERHANG_STEP_PX - 1 <= width <= fresh[2]


def test_a_title_of_another_length_keeps_the_layout():
    def draw(fig, extra):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.set_title("a title as wide as its axes or wider" + "x" * extra)
        return ""

    view = widgets.live(draw, figsize=(3, 2), extra=widgets.choice([0, 1, 12], 0, "extra"))
    for extra in (1, 12):
        view.controls["extra"].value = extra  # the constrained layout leaves a title's width out: same axes
        assert bytes(view.screen.png) == _constrained_png(draw, (3, 2), extra=extra), extra
    assert _layouts_computed(view) == 1


def _layouts_computed(view) -> int:
    return sum(len(found) for found in view.layouts.values())


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


@pytest.mark.parametrize("labels, needed_px", [  # scrollWidth measured in JupyterLab 4.6 / Chromium
    (["Adam", "SGD", "momentum"], 96), (["linear", "log", "layer 2 only"], 97), (["WWWWWWWWWWWW"], 174)])
def test_toggle_buttons_are_wide_enough_for_their_labels(labels, needed_px):
    buttons = widgets.choice(labels, labels[0], "optimizer")
    assert isinstance(buttons, widgets.widgets.ToggleButtons)
    assert int(buttons.style.button_width[:-2]) >= needed_px  # was 86 px for "momentum": "Adam" cut to "Ad…"


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
    png = bytes(view.screen.png)
    width = int.from_bytes(png[16:20], "big")
    assert width == round(4 * widgets._savefig_dpi())
    # The browser shows it at that width (frame_view.js reads the PNG header; the browser test checks the page).


def test_a_frame_key_is_the_controls_option_indices_in_their_order():
    controls = {"lr": widgets.choice([0.1, 0.3, 1.0], 0.3, "lr"), "opt": widgets.choice(["SGD", "Adam"], "SGD", "opt")}
    assert frame_view.frame_key(controls, {"lr": 1.0, "opt": "Adam"}) == "2,1"
    assert frame_view.frame_key(controls, {"opt": "SGD", "lr": 0.1}) == "0,0"  # the controls' order, not the dict's
    assert frame_view.frame_key(controls, {"lr": 0.5, "opt": "SGD"}) is None  # not an option: shown, never kept
    assert frame_view.frame_key(controls, {"lr": 0.1, "opt": "SGD", "extra": 1}) is None  # drawn with something else


def test_equal_options_are_refused_or_never_kept_in_the_page():
    with pytest.raises(ValueError, match=r"all different; \[1\.0\] equal earlier ones"):
        widgets.choice([0.5, 1, 1.0, 2], 0.5, "x")
    # A control built by hand with equal options: the kernel's value 1.0 cannot tell index 1 from index 2.
    slider = ipywidgets.SelectionSlider(options=[0.5, 1, 1.0, 2], value=0.5)
    view = widgets.live(_make_draw(), slope=slider)
    assert view.screen.controls == [] and view.screen.key_of({"slope": 1.0}) is None


def test_a_frame_is_shown_by_one_thread_at_a_time():
    # ipywidgets' hold_sync is not thread-safe: two overlapping shows could send one setting's key with another's
    # picture. While one show holds the lock, another waits.
    view = widgets.live(_make_draw(), slope=widgets.choice([0, 1], 0, "slope"))
    png, text = view.frame({"slope": 1})
    done = threading.Event()
    with view.screen._showing:
        worker = threading.Thread(target=lambda: (view.screen.show("1", png, text), done.set()))
        worker.start()
        assert not done.wait(0.2) and view.screen.key == "0"
    worker.join(5)
    assert done.is_set() and view.screen.key == "1" and bytes(view.screen.png) == png


def test_the_browser_switches_on_the_selection_controls_own_indices():
    view = widgets.live(_make_draw(), slope=widgets.choice([0, 1], 0, "slope"), label=widgets.choice(["a", "b"], "a", "l"))
    assert view.screen.controls == [view.controls["slope"].model_id, view.controls["label"].model_id]
    other = widgets.live(_make_draw(), slope=ipywidgets.IntSlider(0, 0, 3), label=widgets.choice(["a"], "a", "l"))
    assert other.screen.controls == []  # a control without option indices: the kernel's frame is always shown
    assert other.screen.key == ""


def test_the_shown_frame_carries_its_key_and_frames_drawn_ahead_are_sent_to_the_browser(monkeypatch):
    view = widgets.live(_make_draw(), slope=widgets.choice([0, 1, 2], 0, "slope"), label=widgets.choice(["a"], "a", "l"))
    sent = []
    monkeypatch.setattr(view.screen, "send", lambda content, buffers=None: sent.append((content, buffers)))
    view.controls["slope"].value = 1
    assert view.screen.key == "1,0" and bytes(view.screen.png) == view.frames[(("label", "a"), ("slope", 1))][0]
    assert "slope = 1" in _shown(view) and sent == []  # a move's frame goes by the traits
    assert view.draw_ahead()  # onward: slope 2
    assert [(c["kind"], c["key"]) for c, _ in sent] == [("frame", "2,0")]
    assert sent[0][1] == [view.frames[(("label", "a"), ("slope", 2))][0]] and "slope = 2" in re.sub(r"<[^>]+>", "", sent[0][0]["text"])
    sent.clear()
    view.screen._handle_custom_msg({"kind": "ready"}, [])  # a browser view opened later gets every stored frame
    assert sorted(c["key"] for c, _ in sent) == ["0,0", "1,0", "2,0"]


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
