"""The picture and numbers line of a live view, with the frames kept in the browser.

A slider move used to reach the picture through the kernel: the control's message to the kernel, the kernel's
new image back (about 20 ms in JupyterLab before the browser even loads it). ``FrameView`` keeps every frame
the kernel sends in the browser, keyed by the controls' option indices (``FrameView.key_of``), and switches to a
kept frame on the control's own change in the page, with no kernel round trip. The kernel still sees every
move (it draws the settings not sent yet), and sends each frame it draws ahead (``push``), so a learner's
next step is usually already in the page.

Traits: ``key``, ``png`` and ``text`` (HTML of the numbers line) are the frame the kernel showed last, sent
together; ``controls`` are the model ids of the selection controls the key is made of (empty: the kernel's
frame is always shown, for controls without option indices). The browser code is ``frame_view.js``.
"""
from __future__ import annotations

import pathlib
import threading

import anywidget
import traitlets


def options(control) -> list:
    """The option values of a selection control (slider, buttons, dropdown); [] for other controls."""
    return list(getattr(control, "_options_values", None) or ())


def equal_options(choices: list) -> list:
    """The options equal to an earlier one (1.0 after 1): [] when all are different."""
    return [option for i, option in enumerate(choices) if choices.index(option) != i]


def keyable(control) -> bool:
    """A control the page can key frames by: one selected option (its ``index`` a number) among options that
    are all different (with two equal options, the kernel's value could not tell which index the page shows)."""
    choices = options(control)
    return isinstance(getattr(control, "index", None), int) and bool(choices) and not equal_options(choices)


def frame_key(controls, values: dict) -> str | None:
    """The key of the frame at `values`: each keyable control's option index, in the controls' order,
    comma-separated, as the browser computes it from the controls' ``index``. None (shown by the kernel, never
    kept in the page) when a value is not among its control's options or `values` names something else."""
    if set(values) != set(controls):
        return None
    parts = []
    for name, control in controls.items():
        choices = options(control)
        if values[name] not in choices:
            return None
        parts.append(str(choices.index(values[name])))
    return ",".join(parts)


class FrameView(anywidget.AnyWidget):
    """The numbers line and the PNG of a view; see the module docstring."""

    _esm = pathlib.Path(__file__).with_name("frame_view.js")
    key = traitlets.Unicode("").tag(sync=True)
    png = traitlets.Bytes(b"").tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    controls = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, controls: dict, frames=None, **kwargs):
        """controls: name -> widget, in the order of the key. frames(): the (key, png, text) of every frame the
        kernel has stored, sent to a browser view that opens later (a view opened after frames were drawn)."""
        self._kept = all(map(keyable, controls.values()))
        super().__init__(controls=[c.model_id for c in controls.values()] if self._kept else [], **kwargs)
        self._controls = dict(controls)
        self._frames = frames or (lambda: [])
        # hold_sync is not thread-safe, and redraws may run on two subshell threads at once: without the lock one
        # message could carry one setting's key with another's picture, and the page would keep that pairing.
        self._showing = threading.Lock()
        self.on_msg(self._on_browser)

    def key_of(self, values: dict) -> str | None:
        """The page's key of the frame at `values` (None: never kept, for controls that are not all keyable)."""
        return frame_key(self._controls, values) if self._kept else None

    def show(self, key: str | None, png: bytes, text: str) -> None:
        """The frame at the controls' setting, set in one message (a frame with key None is shown, not kept)."""
        with self._showing, self.hold_sync():
            self.key, self.png, self.text = key or "", png, text

    def push(self, key: str | None, png: bytes, text: str) -> None:
        """A frame drawn ahead: kept in the browser (shown if the controls are already at its setting)."""
        if key is not None and self.comm is not None:
            self.send({"kind": "frame", "key": key, "text": text}, buffers=[png])

    def _on_browser(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("kind") == "ready":
            for key, png, text in list(self._frames()):
                self.push(key, png, text)
