"""Sliders that redraw a figure fast, and the static figure a kernel-less viewer sees.

The lab pattern, used by every notebook:

1. Write a plain drawing function ``draw(fig, **values) -> str`` that draws into ``fig`` from
   precomputed results (no training on the slider path) and returns a short text of the numbers shown.
2. ``show_static(draw, **defaults)`` in a normal cell: prints the text (nbval compares it) and leaves an
   ordinary PNG figure in the notebook, so GitHub, nbviewer and CI artifacts show the picture.
3. ``live(draw, name=control, ...)`` in the next cell, marked ``# NBVAL_IGNORE_OUTPUT``: the same
   drawing bound to ipywidgets controls. It renders to an ``Image`` widget (PNG bytes) and an HTML
   text, so nothing is printed to the cell's stdout and re-execution under nbval stays clean.

A view keeps every frame it rendered (the controls take discrete values): going back to a setting
already seen sends the stored PNG again without drawing. A new setting is drawn into a fresh figure (no
Figure.clear()) with one renderer (matplotlib caches text sizes per renderer), and the constrained layout
is computed once per arrangement of axes and tick labels (``layout_key``) and then reused: the same
pixels for a fraction of the time. Controls have fixed widths (the track does not move when a label
changes length): numbers get a slider, named options toggle buttons or a dropdown. The image is shown at
its own pixel size.

Every live view is recorded in ``REGISTRY`` so the benchmark can time each redraw directly. Re-running
a cell replaces its view there and closes the old view's widgets (no growth on re-runs).
"""
from __future__ import annotations

import html
import io
import itertools
import math
import numbers
import re
from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

REGISTRY: list = []  # the LiveView of every live() call in this kernel; a re-run cell replaces its entry

STORED_TEXT = "Run the notebook to use the sliders; the figure above is the default view."
CHAR_PX = 7.5     # about one character of JupyterLab's 13 px widget font, generous so labels are not cut
TRACK_PX = 300    # every slider's track, whatever its labels
TOGGLE_MAX_OPTIONS, TOGGLE_MAX_CHARS = 4, 12  # more or longer named options get a dropdown
CACHE_BYTES = 48 * 2**20  # PNG frames kept per view (a frame is ~50-200 kB)
_view_ids = itertools.count()


def _text_px(text) -> int:
    """Width in px that holds `text` in the widgets' font (an estimate on the generous side)."""
    return int(math.ceil(CHAR_PX * len(str(text)))) + 10


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
    if value not in options:
        raise ValueError(f"value {value!r} must be one of the options {options}")
    labels = [str(o) for o in options]
    common = dict(options=options, value=value, description=description,
                  style={"description_width": f"{_text_px(description)}px"})
    if all(_is_number(o) for o in options):
        control = widgets.SelectionSlider(continuous_update=True, **common)
    elif len(options) <= TOGGLE_MAX_OPTIONS and max(map(len, labels)) <= TOGGLE_MAX_CHARS:
        control = widgets.ToggleButtons(**common)
        control.style.button_width = f"{max(map(_text_px, labels)) + 16}px"
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
    """The PNG bytes of a canvas already drawn."""
    image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _tick_labels(axis) -> tuple:
    """The major tick labels and offset text ("1e6") an axis will draw (what sets its margin), without drawing."""
    if not axis.get_visible():
        return ()
    low, high = sorted(axis.get_view_interval())
    locs = [x for x in axis.get_majorticklocs() if low <= x <= high]
    formatter = axis.major.formatter
    return (*formatter.format_ticks(locs), formatter.get_offset())


def _title_key(ax, title) -> tuple:
    """A title only moves the layout through its line count, or its length when it may overhang the axes."""
    text = title.get_text()
    if not text:
        return ()
    width_px = ax.get_position().width * ax.figure.bbox.width
    overhang = len(max(text.splitlines(), key=len)) * 0.6 * title.get_fontsize() * ax.figure.dpi / 72 > width_px
    return (text.count("\n") + 1, len(text) if overhang else 0)


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
            tuple(_title_key(ax, t) for t in (ax.title, ax._left_title, ax._right_title)),
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
    """Controls above a text line and a PNG image, redrawn by ``draw`` whenever a control moves.

    Frames already rendered are kept (up to ``CACHE_BYTES``) and shown again without drawing.
    """

    def __init__(self, draw: Callable, controls: dict, figsize=None):
        self.draw, self.controls = draw, dict(controls)
        self.name = getattr(draw, "__name__", "draw")
        self.figsize = figsize or plt.rcParams["figure.figsize"]
        self.figure = self._new_figure()
        self.frames: dict = {}  # control values -> (png, html text)
        self.layouts: dict = {}  # layout_key -> axes positions found by the constrained layout
        self.css_class = f"labs-live-{next(_view_ids)}"
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            max_width="100%", height="auto", align_self="flex-start", object_fit="contain"))
        self.text = widgets.HTML()
        self._align_controls()
        # Set once, not with every frame: a <style> rewritten on each move restyles the whole page.
        self.css = widgets.HTML(self._style(), layout=widgets.Layout(display="none"))
        super().__init__([widgets.VBox(list(self.controls.values())), self.text, self.image, self.css])
        self.add_class("labs-live")  # the browser test finds views by it
        self.add_class(self.css_class)
        self._closed = False
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
        self.figure = fig = self._new_figure()
        text = self.draw(fig, **values) or ""
        if fig.axes and isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):  # draw may pick its own
            self._place_axes()
        return png_bytes(fig), text

    def _place_axes(self) -> None:
        """Constrained layout, computed once per layout_key and then reused.

        Laying out measures every tick label, title and axis label: about half of a redraw. A slider move
        usually changes the data drawn, not what sets the margins, so the axes go where they went before.
        """
        fig = self.figure
        key = layout_key(fig)
        if key not in self.layouts:
            fig.get_layout_engine().execute(fig)
            self.layouts[key] = [ax.get_position(original=True) for ax in fig.axes]
        fig.set_layout_engine("none")
        for ax, position in zip(fig.axes, self.layouts[key], strict=True):
            ax.set_position(position)

    def frame(self, values: dict) -> tuple[bytes, str]:
        """(PNG bytes, text) at `values`: the stored frame if this setting was drawn before."""
        try:
            key = tuple(sorted(values.items()))
            hash(key)
        except TypeError:  # unhashable values: draw every time
            return self.render(values)
        if key not in self.frames:
            self.frames[key] = self.render(values)
            while sum(len(png) for png, _ in self.frames.values()) > CACHE_BYTES and len(self.frames) > 1:
                del self.frames[next(iter(self.frames))]  # the oldest frame goes first
        return self.frames[key]

    def redraw(self, **overrides) -> None:
        """Show the frame at the controls' values (or at overrides, as the benchmark does)."""
        png, text = self.frame({**self.values(), **overrides})
        words = re.sub(r"\S+", lambda m: f"<span class='w'>{m.group()}</span>", html.escape(text))
        self.text.value = f"<pre style='margin:0; white-space:pre-wrap'>{words}</pre>"
        width = int.from_bytes(png[16:20], "big")  # the PNG header's width: shown at its own pixel size
        if self.image.layout.width != f"{width}px":
            self.image.layout.width = f"{width}px"
        self.image.value = png

    def _on_change(self, _change) -> None:
        self.redraw()

    def close(self, keep=()) -> None:
        """Close every widget of the view (but those in `keep`) and drop its frames and figure (the object
        may live on in Out[]). Safe to call twice (ipywidgets calls it again on garbage collection)."""
        if getattr(self, "_closed", True):
            return
        self._closed = True
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        self.frames, self.figure = {}, None
        self.image.value = b""
        for child in self.children:
            _close_tree(child, keep)
        self.layout.close()
        super().close()

    def __repr__(self) -> str:
        # ipywidgets puts repr() in the text/plain output: what a viewer without the widget (GitHub, a
        # notebook not run yet) shows in place of the view, instead of "LiveView(children=(HBox(...".
        return STORED_TEXT


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
    return view
