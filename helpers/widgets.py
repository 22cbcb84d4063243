"""Sliders that redraw a figure fast, and the static figure a kernel-less viewer sees.

The lab pattern, used by every notebook:

1. Write a plain drawing function ``draw(fig, **values) -> str`` that draws into ``fig`` from
   precomputed results (no training on the slider path) and returns a short text of the numbers shown.
2. ``show_static(draw, **defaults)`` in a normal cell: prints the text (nbval compares it) and leaves an
   ordinary PNG figure in the notebook, so GitHub, nbviewer and CI artifacts show the picture.
3. ``live(draw, name=control, ...)`` in the next cell, marked ``# NBVAL_IGNORE_OUTPUT``: the same
   drawing bound to ipywidgets controls. It renders to an ``Image`` widget (PNG bytes) and an HTML
   text, so nothing is printed to the cell's stdout and re-execution under nbval stays clean.

Every ``live`` view is also recorded in ``REGISTRY`` so the benchmark can time each redraw directly.
"""
from __future__ import annotations

import html
import io
from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

REGISTRY: list = []  # (name, draw, controls) of every live view created in this kernel


def choice(options, value, description: str) -> widgets.SelectionSlider:
    """A slider over a fixed list of precomputed values (the usual control in the labs)."""
    options = list(options)
    if value not in options:
        raise ValueError(f"value {value!r} must be one of the options {options}")
    # The description takes its natural width; the box grows with it so the track keeps ~300 px to drag.
    width = 320 + 7 * len(description)
    return widgets.SelectionSlider(options=options, value=value, description=description,
                                   continuous_update=True, style={"description_width": "initial"},
                                   layout=widgets.Layout(width=f"{width}px"))


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
    image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


class LiveView(widgets.VBox):
    """Controls above a PNG image and a text line, redrawn by ``draw`` whenever a control moves."""

    def __init__(self, draw: Callable, controls: dict, figsize=None):
        self.draw, self.controls = draw, dict(controls)
        self.figure = Figure(figsize=figsize or plt.rcParams["figure.figsize"], dpi=_savefig_dpi(),
                             layout="constrained")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.text = widgets.HTML()
        super().__init__([widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                          self.text, self.image])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, **overrides) -> None:
        """Redraw at the controls' values (or at overrides, as the benchmark does)."""
        self.figure.clear()
        text = self.draw(self.figure, **{**self.values(), **overrides}) or ""
        self.text.value = f"<pre style='margin:0'>{html.escape(text)}</pre>"
        self.image.value = png_bytes(self.figure)

    def _on_change(self, _change) -> None:
        self.redraw()


def live(draw: Callable, figsize=None, **controls) -> LiveView:
    """Bind draw(fig, **values) to ipywidgets controls (name=widget); see the module docstring."""
    if not controls:
        raise ValueError("live() needs at least one control, e.g. width=choice([2, 4, 8], 4, 'hidden units')")
    view = LiveView(draw, controls, figsize)
    REGISTRY.append((getattr(draw, "__name__", "draw"), draw, view.controls))
    return view
