"""Sliders that redraw a figure fast, and the static figure a kernel-less viewer sees.

The lab pattern, used by every notebook:

1. Write a plain drawing function ``draw(fig, **values) -> str`` that draws into ``fig`` from
   precomputed results (no training on the slider path) and returns a short text of the numbers shown.
2. ``show_static(draw, **defaults)`` in a normal cell: prints the text (nbval compares it) and leaves an
   ordinary PNG figure in the notebook, so GitHub, nbviewer and CI artifacts show the picture.
3. ``live(draw, name=control, ...)`` in the next cell, marked ``# NBVAL_IGNORE_OUTPUT``: the same
   drawing bound to ipywidgets controls. It renders PNG bytes and the numbers line into a ``FrameView``
   (``helpers.frame_view``), so nothing is printed to the cell's stdout and re-execution under nbval stays clean.

A view keeps every frame it rendered (the controls take discrete values), and so does the page: the
``FrameView`` keeps every frame the kernel sent, keyed by the controls' option indices, and a move to a
setting already in the page shows its frame at once, without waiting for the kernel (the kernel still
sees the move, and sends the stored frame again without drawing). A new setting is drawn into a fresh figure (no
Figure.clear()) with one renderer (matplotlib caches text sizes per renderer), and the constrained layout
is computed once per arrangement of axes and tick-label shapes (``layout_key``: all digits count alike;
end labels by how far they stick out) and then reused: the same picture, the axes within a
few pixels of a fresh layout and no label cut, for a fraction of the time. Controls have fixed widths (the
track does not move when a label changes length): numbers get a slider, named options toggle buttons or a
dropdown. The image is shown at its own pixel size.

While the kernel is idle the views render settings ahead (``PREFETCH``) and send each frame to the page, so a
learner's step is usually a frame the page already has:

- after a move, the settings one step away on the moved control (onward first; the way back is usually
  stored already), after ``PREFETCH_DELAY`` s without a move (a learner stepping quickly is not slowed);
- once no cell has run for ``IDLE_DELAY`` s (IPython's pre_run_cell / post_run_cell events, watched from the
  first live() call), every setting of every open view, nearest to the shown one first (breadth-first: one
  step on each control, then two, ...), on the kernel's event loop, one frame per callback. The views take
  turns, the most recently moved (or created) first; the neighbours of the learner's last move come before
  all that, and the rest waits until ``MOVE_QUIET`` s after the last move (a learner stepping through a
  control waits for no frame but its neighbours, which are its next steps). A view stops when every setting
  is stored or the next frame would not fit in its ``CACHE_BYTES`` (drawing ahead never evicts a frame:
  memory stays bounded by the views' budgets).

Nothing is drawn ahead while a cell runs (Run All, nbval and nbclient run cells back to back, far less
than ``IDLE_DELAY`` apart: executing a notebook is not slowed, and no output changes). One lock keeps a
frame drawn ahead from starting while a redraw runs on another thread (JupyterLab may handle widget
messages on kernel subshell threads); a move to a stored frame never waits for it, a move to a new setting
waits for that one frame. Frames drawn ahead leave ``BETWEEN_FRAMES`` s to the event loop in between, so a
message that arrives meanwhile reaches its handler after one frame, not several. A closed view (its cell
re-run) draws nothing more. ``LABS_PREFETCH=0`` in the environment turns it all off (the benchmark times
cold settings that way).

Every live view is recorded in ``REGISTRY`` so the benchmark can time each redraw directly. Re-running
a cell replaces its view there and closes the old view's widgets (no growth on re-runs).
"""
from __future__ import annotations

import asyncio
import collections
import html
import io
import itertools
import math
import numbers
import os
import re
import threading
import time
from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .frame_view import FrameView, equal_options
from .frame_view import options as _options

REGISTRY: list = []  # the LiveView of every live() call in this kernel; a re-run cell replaces its entry
# One frame drawn at a time in the whole kernel. JupyterLab 4.6 can send widget messages over kernel
# subshells (threads; one per widget when set so): a redraw for one control can come in on one thread while
# a frame drawn ahead after a move of another is in progress on another, and a view's frames share one renderer.
_DRAWING = threading.RLock()

STORED_TEXT = "Run the notebook to use the sliders; the figure above is the default view."
CHAR_PX = 7.5     # about one character of JupyterLab's 13 px widget font, generous so labels are not cut
TRACK_PX = 300    # every slider's track, whatever its labels
TOGGLE_MAX_OPTIONS, TOGGLE_MAX_CHARS = 4, 12  # more or longer named options get a dropdown
CACHE_BYTES = 48 * 2**20  # PNG frames kept per view (a frame is ~50-200 kB)
PREFETCH = os.environ.get("LABS_PREFETCH", "1") != "0"  # render the neighbouring settings while idle
PREFETCH_DELAY = 0.15  # s without a move before the neighbours are rendered (a quick stepper is not slowed)
IDLE_DELAY = 0.5  # s after the last cell ended before every setting is rendered ahead (Run All's gaps are far shorter)
# s between frames drawn ahead: a learner's message reaches its handler through several turns of the event loop,
# and a frame drawn ahead at every turn held the first move after Run All back by two or three frames
BETWEEN_FRAMES = 0.01
MOVE_QUIET = 2.0  # s after a move before the other settings are (again): a stepping learner only waits for neighbours
_view_ids = itertools.count()


def _text_px(text) -> int:
    """Width in px that holds `text` in the widgets' font (an estimate on the generous side)."""
    return int(math.ceil(CHAR_PX * len(str(text)))) + 10


def _button_px(label) -> int:
    """Width of a toggle button that shows `label` whole. Measured in JupyterLab 4.6 (Chromium, 13 px system-ui):
    10 px padding each side, no border; text 28-38 px for "SGD"/"Adam", 75.5 px for "momentum", 154 px for
    twelve W. Wide letters (capitals, m, w) are counted at 13 px, others at 8.5 px, plus a few px to spare."""
    text = sum(13 if c.isupper() or c in "mw@%" else 8.5 for c in str(label))
    return int(math.ceil(text)) + 2 * 10 + 6


def _is_number(option) -> bool:
    """Numbers, and text that reads as one ("1e-06"): ordered values, a slider suits them."""
    if isinstance(option, bool):
        return False
    if isinstance(option, numbers.Real):
        return True
    try:
        float(str(option))
        return True
    except ValueError:
        return False


def choice(options, value, description: str) -> widgets.ValueWidget:
    """A control over a fixed list of precomputed values (the usual control in the labs).

    Numbers (or text that reads as a number) get a slider; named options get toggle buttons (a few short
    names) or a dropdown (more or longer names), whose width does not depend on the selected name.
    """
    options = list(options)
    if not options:
        raise ValueError("choice() needs at least one option")
    equal = equal_options(options)
    if equal:
        raise ValueError(f"choice() needs options that are all different; {equal} equal earlier ones in {options}")
    if value not in options:
        raise ValueError(f"value {value!r} must be one of the options {options}")
    labels = [str(o) for o in options]
    common = dict(options=options, value=value, description=description,
                  style={"description_width": f"{_text_px(description)}px"})
    if all(_is_number(o) for o in options):
        control = widgets.SelectionSlider(continuous_update=True, **common)
    elif len(options) <= TOGGLE_MAX_OPTIONS and max(map(len, labels)) <= TOGGLE_MAX_CHARS:
        control = widgets.ToggleButtons(**common)
        control.style.button_width = f"{max(map(_button_px, labels))}px"
    else:
        control = widgets.Dropdown(**common)
    _set_widths(control, _text_px(description))
    return control


def _readout_px(control) -> int:
    """Width that holds the longest option label (at least a short number's width)."""
    return max(40, max(_text_px(label) for label in control._options_labels))


def _set_widths(control, description_px: int, readout_px: int | None = None) -> None:
    """Fixed description, track and readout widths, so nothing moves when the value changes."""
    control.style.description_width = f"{description_px}px"
    if isinstance(control, widgets.SelectionSlider):
        readout_px = readout_px or _readout_px(control)
        control.layout.width = f"{description_px + TRACK_PX + readout_px + 24}px"
    elif isinstance(control, widgets.Dropdown):
        control.layout.width = f"{description_px + _readout_px(control) + 40}px"
    elif isinstance(control, widgets.ToggleButtons):
        control.layout.width = "auto"


def show_static(draw: Callable, figsize=None, **values) -> None:
    """Print draw's text and display its figure as an ordinary PNG output (the kernel-less view)."""
    fig = plt.figure(figsize=figsize or plt.rcParams["figure.figsize"], layout="constrained")
    text = draw(fig, **values) or ""
    if text:
        print(text)
    plt.show()


def _savefig_dpi() -> float:
    """The dpi savefig would use, so a live view renders at the same size as a static figure."""
    dpi = plt.rcParams["savefig.dpi"]
    return plt.rcParams["figure.dpi"] if dpi == "figure" else dpi


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes at its own dpi, fast enough for every slider move.

    savefig with a layout engine draws the figure twice (once to lay it out, once to render it); the Agg
    canvas lays out and renders in one draw. Compression level 1 instead of 6: a few more bytes for a
    widget that never leaves the kernel, less time on every slider move.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return encode_png(canvas)


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The PNG bytes of a canvas already drawn: RGB when the figure is opaque (its usual white background;
    a quarter less to compress: ~25 % faster and ~10 % smaller than RGBA, the same pixels), else RGBA."""
    image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if to_rgba(canvas.figure.get_facecolor())[3] == 1 and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


_DIGIT = re.compile(r"[0-9]")
_MATH_MARKUP = re.compile(r"\\mathdefault|[${}^_]")  # "$\mathdefault{10^{-3}}$" shows as about "10-3"
OVERHANG_STEP_PX = 3  # end tick labels past the axes' edge are told apart in steps this fine (under the layout's pad)
SPARE_STEPS = 3  # a stored layout with up to this many steps more room at an end is reused (~9 px more white)


def _tick_labels(axis) -> tuple:
    """What an axis' tick labels add to the layout's key, without drawing them: the shapes of the major labels
    and of the offset text ("1e6"), every digit written 0 (the font's digits share one advance width, so
    "0.25" and "1.75" need the same margin). How far the end labels reach past the axes is ``label_reach``."""
    if not axis.get_visible():
        return ()
    labels = _visible_tick_labels(axis)[1]
    shapes = tuple(sorted({_DIGIT.sub("0", text) for text in labels}))  # the widest / tallest sets the margin
    return shapes, _DIGIT.sub("0", axis.major.formatter.get_offset())


def _visible_tick_labels(axis) -> tuple[list, list]:
    """(locations, labels) of the major ticks matplotlib will draw (those inside the view, give or take a
    rounding error)."""
    low, high = sorted(axis.get_view_interval())
    close = 1e-10 * (high - low)
    locs = [x for x in axis.get_majorticklocs() if low - close <= x <= high + close]
    return locs, list(axis.major.formatter.format_ticks(locs))


def _reach(axis) -> tuple[int, int]:
    """How far the (first, last) tick label sticks out past the axes' ends: estimated from the label's length
    and font size, in OVERHANG_STEP_PX steps (0: inside). A label at the very end widens the margin."""
    locs, labels = _visible_tick_labels(axis) if axis.get_visible() else ([], [])
    low, high = sorted(axis.get_view_interval())
    if not locs:
        return 0, 0
    ends = axis.get_transform().transform([low, high, locs[0], locs[-1]])
    span = ends[1] - ends[0]
    if not span > 0:  # nonfinite or zero: nothing to estimate from
        return 0, 0
    fig, box = axis.figure, axis.axes.get_position()
    horizontal = axis.axis_name == "x"
    length_px = (box.width * fig.bbox.width) if horizontal else (box.height * fig.bbox.height)
    size = axis.get_tick_params().get("labelsize", plt.rcParams[f"{axis.axis_name}tick.labelsize"])
    size_px = FontProperties(size=size).get_size_in_points() * fig.dpi / 72
    out = []
    for text, to_edge in ((labels[0], ends[2] - ends[0]), (labels[-1], ends[1] - ends[3])):
        half = 0.3 * len(_MATH_MARKUP.sub("", text)) * size_px if horizontal else 0.6 * size_px
        reach = half - to_edge / span * length_px
        out.append(math.ceil(reach / OVERHANG_STEP_PX) if text and reach > 0 else 0)
    return out[0], out[1]


def label_reach(fig: Figure) -> tuple:
    """``_reach`` of the x and y axis of every axes of `fig`, in one flat tuple."""
    return tuple(step for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for step in _reach(axis))


def _title_key(title) -> tuple:
    """A title moves the layout through its line count only: the constrained layout leaves a title's width out."""
    text = title.get_text()
    return (text.count("\n") + 1,) if text else ()


def layout_key(fig: Figure) -> tuple:
    """What a constrained layout of `fig` depends on: its grid of axes, their tick labels, axis labels,
    title sizes, legends placed outside, texts and figure-level titles (not the data drawn)."""
    parts = [fig._suptitle.get_text() if fig._suptitle else "", len(fig.legends), len(fig.texts)]
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        grid = spec.get_gridspec() if spec is not None else None
        legend = ax.get_legend()
        parts.append((
            type(ax).__name__, spec.get_geometry() if spec is not None else tuple(ax.get_position().bounds),
            (tuple(grid.get_width_ratios() or ()), tuple(grid.get_height_ratios() or ())) if grid is not None else (),
            ax.axison, _tick_labels(ax.xaxis), _tick_labels(ax.yaxis), ax.get_xlabel(), ax.get_ylabel(),
            tuple(_title_key(t) for t in (ax.title, ax._left_title, ax._right_title)),
            len(ax.texts), None if legend is None or legend._bbox_to_anchor is None else
            tuple(t.get_text() for t in legend.get_texts())))
    return tuple(parts)


def _close_tree(widget, keep=()) -> None:
    """Close a widget, its children, layout and style (ipywidgets' close() closes only the widget),
    except the widgets in `keep` (controls a new view reuses)."""
    if any(widget is k for k in keep):
        return
    for child in getattr(widget, "children", ()):
        _close_tree(child, keep)
    for part in ("layout", "style"):
        sub = getattr(widget, part, None)
        if isinstance(sub, widgets.Widget):
            sub.close()
    widget.close()


class LiveView(widgets.VBox):
    """Controls above a numbers line and a PNG image (``self.screen``), redrawn by ``draw`` whenever a control moves.

    Frames already rendered are kept (up to ``CACHE_BYTES``) and shown again without drawing; while the
    kernel is idle the settings one step away are rendered ahead (see the module docstring).
    """

    def __init__(self, draw: Callable, controls: dict, figsize=None):
        self.draw, self.controls = draw, dict(controls)
        self.name = getattr(draw, "__name__", "draw")
        self.figsize = figsize or plt.rcParams["figure.figsize"]
        self.figure = self._new_figure()
        self.frames: dict = {}  # control values -> (png, html text)
        self.stored_bytes = 0  # PNG bytes in self.frames
        self._largest = 0  # the largest frame stored: what the next frame drawn ahead may need
        self._full = False  # a frame drawn ahead did not fit: no more drawing ahead for this view
        self.layouts: dict = {}  # layout_key -> [(label_reach, axes positions)] found by the constrained layout
        self.css_class = f"labs-live-{next(_view_ids)}"
        self.screen = FrameView(self.controls, frames=self._stored_frames)  # numbers line and picture
        self._align_controls()
        # Set once, not with every frame: a <style> rewritten on each move restyles the whole page.
        self.css = widgets.HTML(self._style(), layout=widgets.Layout(display="none"))
        super().__init__([widgets.VBox(list(self.controls.values())), self.screen, self.css])
        self.add_class("labs-live")  # the browser test finds views by it
        self.add_class(self.css_class)
        self._closed = False
        self._last_move: tuple | None = None  # (control name, +1 or -1): what the learner did last
        self._prefetch_failed: set = set()  # settings whose draw failed ahead: left for the learner's move
        self._ahead = None  # (the shown setting, the iterator over the others nearest first) while idle
        self.touched = time.monotonic()  # created or last moved: the most recent goes first while idle
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    def _align_controls(self) -> None:
        """One description width and one readout width for the whole view: the tracks line up."""
        description_px = max(_text_px(c.description) for c in self.controls.values())
        sliders = [c for c in self.controls.values() if isinstance(c, widgets.SelectionSlider)]
        self.readout_px = max((_readout_px(c) for c in sliders), default=0)
        for control in self.controls.values():
            if isinstance(control, (widgets.SelectionSlider, widgets.Dropdown, widgets.ToggleButtons)):
                _set_widths(control, description_px, self.readout_px or None)
            elif hasattr(control, "style") and hasattr(control.style, "description_width"):
                control.style.description_width = f"{description_px}px"

    def _style(self) -> str:
        """CSS for this view only: the readout keeps one width (ipywidgets sizes it to the label), toggle
        buttons sit beside their description like the other controls, and the numbers line wraps between
        words only (each word is a no-wrap span: "2e-33" never breaks after "2e-")."""
        view = f".{self.css_class}"
        rules = [f"{view} .widget-toggle-buttons {{display: flex; flex-direction: row; align-items: center;}}",
                 f"{view} .widget-toggle-buttons > label {{flex: none; text-align: right; margin-right: 8px;}}",
                 f"{view} .widget-toggle-button {{flex: none;}}",  # a narrow window wraps them, never cuts a label
                 f"{view} pre span.w {{white-space: nowrap;}}"]
        if self.readout_px:
            px = f"{self.readout_px}px"
            rules.append(f"{view} .widget-readout {{width: {px} !important; min-width: {px} !important; "
                         f"max-width: {px} !important; text-align: left !important; flex: none !important;}}")
        return "<style>" + "\n".join(rules) + "</style>"

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _new_figure(self) -> Figure:
        """A fresh figure for every render: Figure.clear() clears every axes before dropping it, which
        cost more than a tenth of a redraw; a new Figure costs well under a millisecond."""
        fig = Figure(figsize=self.figsize, dpi=_savefig_dpi(), layout="constrained")
        canvas = FigureCanvasAgg(fig)  # text extents for the layout come from the renderer that draws
        old = getattr(getattr(self, "figure", None), "canvas", None)
        if isinstance(old, FigureCanvasAgg) and getattr(old, "renderer", None) is not None:
            # One renderer for every frame: matplotlib caches text sizes per renderer.
            canvas.renderer, canvas._lastKey = old.renderer, old._lastKey
        return fig

    def render(self, values: dict) -> tuple[bytes, str]:
        """Draw at `values` (no frame store): (PNG bytes, text). What a first visit of a setting costs."""
        with _DRAWING:
            self.figure = fig = self._new_figure()
            text = self.draw(fig, **values) or ""
            if fig.axes and isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):  # draw may pick its own
                self._place_axes()
            return png_bytes(fig), text

    def _place_axes(self) -> None:
        """Constrained layout, computed once per layout_key and then reused.

        Laying out measures every tick label, title and axis label: about half of a redraw. A slider move
        usually changes the data drawn, not what sets the margins, so the axes go where they went before.
        A stored layout serves a frame whose end tick labels reach no further past the axes than they did
        in it, and at most SPARE_STEPS less (a little more white space at that end, never a cut label).
        """
        fig = self.figure
        reach = label_reach(fig)
        stored = self.layouts.setdefault(layout_key(fig), [])
        positions = next((pos for room, pos in stored if len(room) == len(reach) and all(
            0 <= r - n <= SPARE_STEPS for r, n in zip(room, reach, strict=True))), None)
        if positions is None:
            fig.get_layout_engine().execute(fig)
            positions = [ax.get_position(original=True) for ax in fig.axes]
            stored.append((reach, positions))
        fig.set_layout_engine("none")
        for ax, position in zip(fig.axes, positions, strict=True):
            ax.set_position(position)

    def frame(self, values: dict, ahead: bool = False) -> tuple[bytes, str]:
        """(PNG bytes, text) at `values`: the stored frame if this setting was drawn before.

        ahead: drawn ahead, not asked for: stored (and sent to the page) only if it fits in CACHE_BYTES beside
        the frames kept (it never evicts one); one that does not fit marks the view full (nothing more is drawn ahead).
        A stored frame is returned without waiting for a frame being drawn on another thread."""
        try:
            key = tuple(sorted(values.items()))
            stored = self.frames.get(key)
        except TypeError:  # unhashable values: draw every time
            return self.render(values)
        if stored is not None:
            return stored
        with _DRAWING:
            if key not in self.frames:
                png, text = self.render(values)
                if ahead and self.stored_bytes + len(png) > CACHE_BYTES:
                    self._full = True
                    return png, text
                self.frames[key] = png, text
                if ahead:
                    self.screen.push(self.screen.key_of(values), png, _numbers_html(text))
                self.stored_bytes += len(png)
                self._largest = max(self._largest, len(png))
                while self.stored_bytes > CACHE_BYTES and len(self.frames) > 1:
                    oldest = next(iter(self.frames))  # the oldest frame goes first
                    self.stored_bytes -= len(self.frames.pop(oldest)[0])
            return self.frames[key]

    def redraw(self, **overrides) -> None:
        """Show the frame at the controls' values (or at overrides, as the benchmark does)."""
        values = {**self.values(), **overrides}
        png, text = self.frame(values)
        self.screen.show(self.screen.key_of(values), png, _numbers_html(text))

    def _stored_frames(self) -> list[tuple]:
        """(key, png, numbers html) of every stored frame: what a browser view opened later is sent."""
        return [(self.screen.key_of(dict(values)), png, _numbers_html(text))
                for values, (png, text) in list(self.frames.items())]

    def _on_change(self, change) -> None:
        self.redraw()
        name = next((n for n, c in self.controls.items() if c is change["owner"]), None)
        options = _options(change["owner"])
        if name is not None and change["old"] in options and change["new"] in options:
            self._last_move = (name, 1 if options.index(change["new"]) > options.index(change["old"]) else -1)
        self.touched = ACTIVITY.last_move = time.monotonic()
        BACKGROUND.kick(moved=True)

    # ------------------------------------------------------------ rendering ahead while idle
    def neighbours(self) -> list[dict]:
        """The settings one option away from the shown one on the control the learner moved last, onward
        first, then back ([] before any move). Only that control: a frame drawn ahead delays a move that
        comes meanwhile, so only the likeliest next steps are drawn."""
        if self._last_move is None:
            return []
        name, step = self._last_move
        values, options = self.values(), _options(self.controls[name])
        if values[name] not in options:
            return []
        i = options.index(values[name])
        return [{**values, name: options[j]} for j in (i + step, i - step) if 0 <= j < len(options)]

    def settings_by_distance(self):
        """Every other setting of the view's selection controls, nearest to the shown one first: one step on
        each control (onward, then back), then two steps, ... (breadth-first; steps add up over controls)."""
        values = self.values()
        axes = [(name, opts) for name, c in self.controls.items() if values[name] in (opts := _options(c))]
        start = tuple(opts.index(values[name]) for name, opts in axes)
        seen, queue = {start}, collections.deque([start])
        while queue:
            at = queue.popleft()
            for k, (_, opts) in enumerate(axes):
                for j in (at[k] + 1, at[k] - 1):
                    nxt = at[:k] + (j,) + at[k + 1:]
                    if 0 <= j < len(opts) and nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
                        yield {**values, **{name: opts[i] for (name, opts), i in zip(axes, nxt, strict=True)}}

    def next_ahead(self) -> dict | None:
        """The setting to draw ahead next: a missing neighbour of the learner's last move, else the nearest
        setting not stored yet; None when all are stored, the view is closed, or another frame would not fit
        in CACHE_BYTES (drawing ahead never evicts a frame)."""
        if self._closed or not self._room():
            return None
        missing = self._missing_neighbours()
        if missing:
            return missing[0]
        origin = self.values()
        if self._ahead is None or self._ahead[0] != origin:  # the shown setting changed: start again from it
            self._ahead = (origin, self.settings_by_distance())
        for values in self._ahead[1]:
            try:
                key = tuple(sorted(values.items()))
                if key not in self.frames and key not in self._prefetch_failed:
                    self._ahead = (origin, itertools.chain([values], self._ahead[1]))  # not consumed yet
                    return values
            except TypeError:  # unhashable values are never stored: nothing to draw ahead
                return None
        return None

    def draw_ahead(self) -> bool | None:
        """Draw one frame ahead now: True if drawn (or its draw failed: not tried again), False if it gave way
        to a frame in progress on another thread, None if there was nothing to draw."""
        values = self.next_ahead()
        if values is None:
            return None
        if not _DRAWING.acquire(blocking=False):
            return False
        try:
            self.frame(values, ahead=True)
        except Exception:  # noqa: BLE001 - never let a frame drawn ahead disturb the kernel
            self._prefetch_failed.add(tuple(sorted(values.items())))
        finally:
            _DRAWING.release()
        return True

    def _room(self) -> bool:
        """Another frame drawn ahead would fit in CACHE_BYTES (judged by the largest frame so far)."""
        return not self._full and self.stored_bytes + self._largest <= CACHE_BYTES

    def _missing_neighbours(self) -> list[dict]:
        """Neighbours whose frame is not stored yet (unhashable settings are never stored: skipped); none when
        another frame would not fit (drawing ahead never evicts)."""
        if not self._room():
            return []
        out = []
        for values in self.neighbours():
            try:
                key = tuple(sorted(values.items()))
                if key not in self.frames and key not in self._prefetch_failed:
                    out.append(values)
            except TypeError:
                continue
        return out

    def close(self, keep=()) -> None:
        """Close every widget of the view (but those in `keep`) and drop its frames and figure (the object
        may live on in Out[]). Safe to call twice (ipywidgets calls it again on garbage collection)."""
        if getattr(self, "_closed", True):
            return
        self._closed = True
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        self.frames, self.figure, self._ahead, self.stored_bytes = {}, None, None, 0
        for child in self.children:
            _close_tree(child, keep)
        self.layout.close()
        super().close()

    def __repr__(self) -> str:
        # ipywidgets puts repr() in the text/plain output: what a viewer without the widget (GitHub, a
        # notebook not run yet) shows in place of the view, instead of "LiveView(children=(HBox(...".
        return STORED_TEXT


def _numbers_html(text: str) -> str:
    """The numbers line as HTML: each word a no-wrap span (see LiveView._style)."""
    return re.sub(r"\S+", lambda m: f"<span class='w'>{m.group()}</span>", html.escape(text))


def _cell_id():
    """The id of the notebook cell being run (JupyterLab and nbclient send it), else None."""
    try:
        from IPython import get_ipython
        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent("shell") if kernel is not None else {}
        return (parent or {}).get("metadata", {}).get("cellId")
    except Exception:  # outside a kernel, or an older ipykernel: re-runs are recognised by name only
        return None


def live(draw: Callable, figsize=None, **controls) -> LiveView:
    """Bind draw(fig, **values) to ipywidgets controls (name=widget); see the module docstring.

    A view from the same cell with the same draw name and control names (a re-run) is closed and
    replaced in REGISTRY, so re-running a slider cell does not pile up widgets and frames.
    """
    if not controls:
        raise ValueError("live() needs at least one control, e.g. width=choice([2, 4, 8], 4, 'hidden units')")
    view = LiveView(draw, controls, figsize)
    view.key = (_cell_id(), view.name, tuple(view.controls))
    for old in [v for v in REGISTRY if v.key == view.key]:
        REGISTRY.remove(old)
        old.close(keep=tuple(view.controls.values()))
    REGISTRY.append(view)
    ACTIVITY.watch()
    BACKGROUND.kick()
    return view


# ---------------------------------------------------------------- drawing every setting ahead while idle
class _Activity:
    """When the kernel last executed a cell, from IPython's pre_run_cell / post_run_cell events (registered once
    per kernel by the first live() call), and when a learner last moved a control."""

    def __init__(self):
        self.running = False
        self.last_end = time.monotonic()  # no cell seen yet: idle from now
        self.last_move = -math.inf
        self.shell = None  # the IPython shell whose events are watched

    def watch(self) -> None:
        try:
            from IPython import get_ipython
            shell = get_ipython()
        except ImportError:
            return
        if shell is None or shell is self.shell or getattr(shell, "kernel", None) is None:
            return  # outside a kernel (plain Python, tests) nothing runs on an event loop anyway
        shell.events.register("pre_run_cell", self.pre_run_cell)
        shell.events.register("post_run_cell", self.post_run_cell)
        self.shell = shell
        self.running = True  # live() is called from a cell, whose pre_run_cell came before the registration

    def pre_run_cell(self, *_info) -> None:
        self.running = True
        BACKGROUND.cancel()

    def post_run_cell(self, *_result) -> None:
        self.running, self.last_end = False, time.monotonic()
        BACKGROUND.kick()

    def wait(self, after_move: float) -> float | None:
        """Seconds until drawing ahead may start (0: now): IDLE_DELAY after the last cell and `after_move` after
        the last move; None while a cell runs (its end kicks it)."""
        if self.running:
            return None
        now = time.monotonic()
        return max(0.0, IDLE_DELAY - (now - self.last_end), after_move - (now - self.last_move))


class _Background:
    """Draws the views' settings ahead on the kernel's event loop while no cell runs, one frame per callback, the
    views taking turns (the most recently moved or created first). A learner's move waits for one frame at most."""

    def __init__(self):
        self.loop = None  # the event loop of the thread that created the views (the kernel's shell thread)
        self.handle = None
        self.turn = 0

    def kick(self, moved: bool = False) -> None:
        """Start (or restart after a move) from any thread; a no-op outside an event loop or with PREFETCH off."""
        if not PREFETCH:
            return
        if moved:
            self.turn = 0  # the moved view goes first
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        if self.loop is None or self.loop.is_closed():
            self.loop = here
        if self.loop is None:
            return
        if here is self.loop:
            self._schedule()
        else:  # a widget message handled on a subshell thread
            self.loop.call_soon_threadsafe(self._schedule)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def _schedule(self, wait: float | None = None) -> None:
        self.cancel()
        wait = ACTIVITY.wait(PREFETCH_DELAY) if wait is None else wait
        if wait is not None and self.loop is not None and not self.loop.is_closed():
            self.handle = self.loop.call_later(wait, self.step)

    def views(self) -> list:
        """Open views, the most recently moved or created first."""
        return sorted((v for v in REGISTRY if not v._closed), key=lambda v: v.touched, reverse=True)

    def step(self) -> None:
        """One frame ahead for the view whose turn it is, then the next callback (or stop: nothing left)."""
        self.handle = None
        if not PREFETCH:
            return
        views = self.views()
        moved = views[0] if views and views[0]._missing_neighbours() else None
        wait = ACTIVITY.wait(PREFETCH_DELAY if moved is not None else MOVE_QUIET)
        if wait is None:
            return
        if wait > 0:
            self._schedule(wait)
            return
        outcome = None
        if moved is not None:
            outcome = moved.draw_ahead()  # the neighbours of the learner's last move come first
        else:
            for i in range(len(views)):
                view = views[(self.turn + i) % len(views)]
                outcome = view.draw_ahead()
                if outcome is not None:
                    self.turn = (self.turn + i + 1) % len(views)
                    break
        if outcome is None:
            return  # everything stored or no room left: a move, a new view or a cell's end starts it again
        if self.loop is not None and not self.loop.is_closed():
            self.handle = self.loop.call_later(BETWEEN_FRAMES if outcome else PREFETCH_DELAY, self.step)


ACTIVITY = _Activity()
BACKGROUND = _Background()
