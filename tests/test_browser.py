"""Real-browser test: every lab's slider view redraws when a learner moves a slider in JupyterLab.

What it does, end to end, the way a learner would:

1. starts JupyterLab (this venv's Python, so the kernel imports ``helpers``) on 127.0.0.1, on a free
   port, without a token, serving a temporary COPY of every ``notebooks/*.ipynb``
   (JupyterLab autosaves: the repo's files are never served), with config, data, workspaces and user
   settings in temporary directories and the "Jupyter news?" announcements pop-up disabled;
2. opens a lab in headless Chromium (Playwright, Debian's ``/usr/bin/chromium``);
3. runs *Run → Run All Cells* and waits for the kernel to be idle and the ``live(...)`` view (selection
   sliders, a ``<pre>`` with the numbers, an ``<img>`` with the PNG) to render;
4. lab 01: moves the "training examples m" slider (keyboard: focus the handle, ArrowRight) and then
   the width slider (ArrowLeft), and checks each time that both the picture (its PNG bytes) and the
   printed errors change, and that the text names the new values; every other lab: moves the first
   slider of its last view one step and checks that the picture and the text change;
5. what a learner sees of the view: no toggle button's label cut (any view of the lab), the image at its own pixel size (at 1400 px and, lab 01, 1920 px
   wide windows; smaller only when the output area is narrower), the tracks of a view starting at one x
   with one width, no description or readout cut, each step moving the handle the pressed way while
   no track moves or resizes; before the run, no raw "LiveView(children=..." text in the stored notebook;
6. measures the latency a learner feels, in the page: key press on the first slider -> the new image
   loaded, for a few new settings and then the same settings again (stored frames), pausing before each
   press the way a learner looks at the picture (after the first move the view renders the next settings
   while idle, unless ``LABS_PREFETCH=0``: then every new setting is drawn cold). Printed, and written to
   $LABS_LATENCY_JSON for ``python -m bench --only browser``; never asserted (speed goals live in the
   benchmark). What is asserted: a setting seen before is shown by the page itself, before any message
   from the kernel arrives (the page counts the WebSocket messages it receives), with the picture and the
   numbers of its first visit;
7. checks that no cell printed a traceback, then shuts the lab's kernel down.

It covers whatever ``notebooks/NN_*.ipynb`` exist. ``LABS_PORTS=8870-8879`` keeps JupyterLab in a port range.

Chromium missing: skipped locally, a failure when ``LABS_REQUIRE_BROWSER=1`` (set by ``.ci/run``).
On failure a screenshot and the JupyterLab log tail are printed (see the captured stdout).
"""
from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NOTEBOOK = REPO / "notebooks" / "01_bias_variance.ipynb"  # the lab with the detailed checks
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}

SERVER_START_TIMEOUT = 90  # s; ~3 s when the machine is idle
PAGE_READY_TIMEOUT = 90  # s; page load + kernel start, ~4 s when idle
RUN_ALL_TIMEOUT = 300  # s; the slowest lab (01) trains 72 small networks (seconds idle, minutes when busy)
REDRAW_TIMEOUT = 30  # s; one slider step, well under 1 s when idle
POLL = 0.25  # s between two looks at the page
LEARNER_PAUSE = 1.0  # s a learner looks at the picture before the next step (latency measurement)


# --------------------------------------------------------------------------- availability
def _chromium_executable() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _unavailable(reason: str):
    if os.environ.get("LABS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; LABS_REQUIRE_BROWSER=1 says the browser test must run here "
                    "(CI: .ci/run installs Debian's chromium; playwright comes from requirements-test.txt)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium_executable() -> str:
    path = _chromium_executable()
    if path is None:
        _unavailable("Chromium not found (/usr/bin/chromium or `chromium` on PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    return path


# --------------------------------------------------------------------------- JupyterLab server
def _free_port() -> int:
    """A free port: any (the OS picks), or one in LABS_PORTS ("8870-8879") on a shared machine."""
    low, _, high = os.environ.get("LABS_PORTS", "0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in LABS_PORTS={os.environ['LABS_PORTS']}")


def _child_pids(pid: int) -> list[int]:
    """Direct children of pid (Linux /proc; empty elsewhere). Kernels run in their own session."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


class LabServer:
    """JupyterLab on 127.0.0.1 serving a temporary copy of some notebooks; everything else in base/."""

    def __init__(self, base: Path, notebooks: list[Path]):
        self.base = base
        self.root = base / "root"
        self.config = base / "config"
        self.root.mkdir()
        (self.config / "labconfig").mkdir(parents=True)
        (self.config / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
        for notebook in notebooks:
            shutil.copy2(notebook, self.root / notebook.name)
        self.log_path = base / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self._kernel_pids: list[int] = []
        self._opener: urllib.request.OpenerDirector | None = None
        self._xsrf = ""

    def _env(self) -> dict:
        env = dict(os.environ)  # keeps OPENBLAS_NUM_THREADS (`make test` exports 1) for the server and its kernels
        env.pop("MPLBACKEND", None)  # tests/conftest.py sets Agg; the kernel must keep its inline backend
        env.update(JUPYTER_CONFIG_DIR=str(self.config), JUPYTER_DATA_DIR=str(self.base / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.base / "data" / "runtime"), IPYTHONDIR=str(self.base / "ipython"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
                   PYTHONUNBUFFERED="1")
        return env

    def start(self) -> None:
        for _attempt in range(3):  # a free port can be taken between _free_port() and the bind
            port = _free_port()
            self.url = f"http://127.0.0.1:{port}"
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                     f"--port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
                     f"--ServerApp.root_dir={self.root}", f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
                     f"--LabApp.user_settings_dir={self.base / 'settings'}"],
                    cwd=self.base, env=self._env(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"{self.url}/api/status", timeout=5) as response:
                        if response.status == 200:
                            self._check_serves_our_copy()
                            return
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                time.sleep(POLL)
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError(f"JupyterLab did not answer {self.url}/api/status within "
                                   f"{SERVER_START_TIMEOUT} s\n{self.log_tail()}")
        raise RuntimeError(f"JupyterLab exited during start-up (exit code {self.proc.returncode})\n{self.log_tail()}")

    def _check_serves_our_copy(self) -> None:
        with urllib.request.urlopen(f"{self.url}/api/contents", timeout=10) as response:
            names = {item["name"] for item in json.load(response)["content"]}
        expected = {p.name for p in self.root.iterdir()}
        assert expected <= names, f"{self.url} lists {sorted(names)}, not our temporary copy {sorted(expected)}"

    def stop(self) -> None:
        """SIGTERM (JupyterLab shuts its kernels down), then SIGKILL whatever is left."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            self._kernel_pids = _child_pids(proc.pid)
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # its own session (start_new_session=True)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        for pid in self._kernel_pids:  # kernels are started in their own sessions: kill them by id
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def api(self, method: str, path: str):
        """One REST call (JSON answer or None). Token-less servers check XSRF on DELETE: send the cookie back."""
        if self._opener is None:
            jar = http.cookiejar.CookieJar()
            self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            self._opener.open(f"{self.url}/lab", timeout=30).close()  # the page sets the _xsrf cookie
            self._xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
        request = urllib.request.Request(f"{self.url}{path}", method=method, headers={"X-XSRFToken": self._xsrf})
        with self._opener.open(request, timeout=60) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every session and kernel (one lab's kernel at a time on a 2-core machine)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")  # waits until its kernel is gone
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")
        left = self.api("GET", "/api/kernels")
        assert not left, f"kernels still running after the shutdown: {left}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no JupyterLab log)"
        return "JupyterLab log (last lines):\n" + "\n".join(text[-lines:])


@pytest.fixture(scope="module")
def lab(chromium_executable, tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"), NOTEBOOKS)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(chromium_executable):
    """One headless Chromium for every lab; each test gets its own context (see ``page``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, lab):
    """A fresh browser context and page for one lab; afterwards the page closes and its kernel is shut down."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(COUNT_MESSAGES_JS)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(f"page error: {e}"))
        yield page
    finally:
        context.close()
        lab.shutdown_kernels()


# --------------------------------------------------------------------------- page probes
# One look at the notebook: prompts, kernel state, tracebacks, dialogs and the (fresh) live view.
STATE_JS = r"""() => {
  const texts = (sel, root = document) => [...root.querySelectorAll(sel)].map(e => e.textContent);
  const statusbar = document.querySelector('#jp-main-statusbar');
  const fresh = '.jp-OutputArea-child:not([data-labs-stale])';  // outputs of this run, not the saved ones
  const views = [...document.querySelectorAll(fresh + ' .labs-live')];
  const view = views[views.length - 1];  // a lab's last live view
  return {
    prompts: texts('.jp-Notebook .jp-CodeCell .jp-InputPrompt').map(t => t.trim()),
    kernelIdle: !!statusbar && /\|\s*Idle\b/.test(statusbar.innerText),
    kernelStatus: statusbar ? statusbar.innerText.replace(/\s+/g, ' ') : '',
    indicator: document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status ?? null,
    tracebacks: texts(fresh + ' .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
      .filter(t => t.includes('Traceback')),
    widgetErrors: texts(fresh + ' .jp-OutputArea-output').filter(t => /Error (displaying|rendering) widget/.test(t)),
    dialogs: texts('.jp-Dialog'),
    views: views.length,
    sliders: view ? view.querySelectorAll('.widget-slider .noUi-handle').length : 0,
    firstSlider: view ? (h => h && {now: h.getAttribute('aria-valuenow'), max: h.getAttribute('aria-valuemax')})(
      view.querySelector('.widget-slider .noUi-handle')) : null,
    text: view?.querySelector('pre.labs-numbers')?.textContent ?? null,
    src: view?.querySelector('img.labs-frame')?.getAttribute('src') ?? null,
    readouts: view ? texts('.widget-readout', view) : [],
  };
}"""

# What a learner sees of the stored notebook before running it: the text of every output.
STORED_TEXT_JS = r"""() => [...document.querySelectorAll('.jp-OutputArea-output')].map(e => e.innerText).join('\n')"""

# Before JupyterLab's scripts: every WebSocket message the page receives is counted (the kernel's messages
# come that way), so a test can tell a frame the page switched to by itself from one the kernel sent.
COUNT_MESSAGES_JS = r"""(() => {
  const Native = window.WebSocket;
  window.__labsMessages = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { window.__labsMessages += 1; });
    }
  };
})();"""

# The PNG bytes behind the view's blob: URL, base64-encoded.
IMAGE_BYTES_JS = r"""async (img) => {
  const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}"""

# Where things are in a view: every slider's track, handle, readout and label; the image's sizes.
GEOMETRY_JS = r"""(view) => {
  const box = e => { const b = e.getBoundingClientRect(); return {x: b.x, w: b.width}; };
  const cut = e => !!e && e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1;
  const img = view.querySelector('img.labs-frame');
  return {
    sliders: [...view.querySelectorAll('.widget-slider')].map(s => ({
      label: s.querySelector('.widget-label')?.textContent ?? '',
      track: box(s.querySelector('.slider-container')),
      handle: box(s.querySelector('.noUi-handle')),
      readout: s.querySelector('.widget-readout')?.textContent ?? '',
      readoutCut: cut(s.querySelector('.widget-readout')),
      labelCut: cut(s.querySelector('.widget-label')),
    })),
    image: {natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
            available: view.getBoundingClientRect().width},
  };
}"""

# Every toggle button of this run's views: a label wider than its button is cut ("Ad…").
TOGGLES_JS = r"""() => [...document.querySelectorAll(
    '.jp-OutputArea-child:not([data-labs-stale]) .labs-live .widget-toggle-button')]
  .filter(b => b.offsetParent !== null)
  .map(b => ({text: b.textContent.trim(), scroll: b.scrollWidth, client: b.clientWidth}))"""

# Latency of one key press: from the keydown to the view's new image loaded (measured in the page), and how
# many WebSocket messages arrived between the keydown and the new image's src (0: the page switched by itself).
ARM_LATENCY_JS = r"""(view) => {
  const img = view.querySelector('img.labs-frame');
  const probe = window.__labsLatency = {start: null, loaded: null, messages: null};
  let atKey = null;
  document.addEventListener('keydown', () => {
    probe.start = performance.now();
    atKey = window.__labsMessages;
  }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    observer.disconnect();
    probe.messages = window.__labsMessages - atKey;
    const done = () => { probe.loaded = performance.now(); };
    if (img.complete && img.naturalWidth) { img.decode().then(done, done); } else {
      img.addEventListener('load', done, {once: true});
    }
  });
  observer.observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def _state(page) -> dict:
    return page.evaluate(STATE_JS)


def _wait_for(page, condition, timeout: float, what: str, check_outputs: bool = True) -> dict:
    """Poll the page until condition(state) holds; fail at once on a traceback or a dialog."""
    deadline = time.monotonic() + timeout
    while True:
        state = _state(page)
        if check_outputs:
            assert not state["tracebacks"], "a cell printed an error:\n" + "\n---\n".join(state["tracebacks"])
            assert not state["widgetErrors"], f"a widget failed to render: {state['widgetErrors']}"
        assert not state["dialogs"], f"an unexpected dialog is open: {state['dialogs']}"
        if condition(state):
            return state
        if time.monotonic() > deadline:
            shown = {k: state[k] for k in ("prompts", "kernelStatus", "indicator", "views", "sliders", "text")}
            pytest.fail(f"timed out after {timeout} s waiting for {what}; last state: {shown}", pytrace=False)
        page.wait_for_timeout(POLL * 1000)


def _run_finished(state: dict) -> bool:
    return (bool(state["prompts"]) and all(re.fullmatch(r"\[\d+\]:", p) for p in state["prompts"])
            and state["kernelIdle"] and state["indicator"] == "idle"
            and state["views"] >= 1 and state["sliders"] >= 1 and bool(state["text"]) and bool(state["src"]))


def _last_view(page):
    return page.locator(".jp-OutputArea-child:not([data-labs-stale]) .labs-live").last


def _image_digest(page) -> str:
    img = _last_view(page).locator("img.labs-frame")
    data = base64.b64decode(img.evaluate(IMAGE_BYTES_JS))
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"the view does not show a PNG ({data[:8]!r})"
    return hashlib.sha256(data).hexdigest()


def _geometry(page) -> dict:
    return _last_view(page).evaluate(GEOMETRY_JS)


def _slider(page, label: str | None = None):
    sliders = _last_view(page).locator(".widget-slider")
    return sliders.first if label is None else sliders.filter(has=page.locator("label.widget-label", has_text=label))


def _press(page, handle, key: str) -> None:
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press(key)


def _timed_press(page, handle, key: str) -> tuple[float, int]:
    """Press `key` on a slider handle: ms from the keydown to the new image loaded, measured in the page, and
    the WebSocket messages received before the image changed (0: shown without waiting for the kernel)."""
    _last_view(page).evaluate(ARM_LATENCY_JS)
    _press(page, handle, key)
    page.wait_for_function("() => window.__labsLatency.loaded !== null", timeout=REDRAW_TIMEOUT * 1000)
    probe = page.evaluate("() => window.__labsLatency")
    return probe["loaded"] - probe["start"], probe["messages"]


def _move_slider(page, before: dict, label: str, key: str) -> dict:
    """Focus the slider labelled `label`, press `key` once; wait for a new text and picture."""
    _press(page, _slider(page, label).locator(".noUi-handle"), key)

    def redrawn(s):
        return s["text"] != before["text"] and s["src"] not in (None, before["src"]) and s["kernelIdle"]

    return _wait_for(page, redrawn, REDRAW_TIMEOUT, f"the view to redraw after {key} on {label!r}")


def _open_and_run_all(page, lab, name: str) -> tuple[dict, str]:
    """Open notebook `name`, run all its cells, wait for its last live view.

    Returns the page state and the text the stored notebook showed before it ran."""
    page.goto(f"{lab.url}/lab/tree/{name}?reset", wait_until="domcontentloaded", timeout=60_000)
    # The toolbar's execution indicator says "idle" before any kernel exists; the status bar does not.
    _wait_for(page, lambda s: s["kernelIdle"] and len(s["prompts"]) > 0, PAGE_READY_TIMEOUT,
              "the notebook to open with an idle kernel", check_outputs=False)
    stored = page.evaluate(STORED_TEXT_JS)
    # Outputs saved in the file must not pass for fresh ones: mark them; Run All replaces them.
    page.evaluate("() => document.querySelectorAll('.jp-OutputArea-child')"
                  ".forEach(e => e.setAttribute('data-labs-stale', ''))")
    page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    state = _wait_for(page, _run_finished, RUN_ALL_TIMEOUT, "Run All Cells to finish and the slider view to render")
    _check_toggle_buttons(page)
    return state, stored


# --------------------------------------------------------------------------- checks a learner could see
def _check_stored_text(stored: str) -> None:
    """Before running, a slider cell shows a short line, never the widget's raw repr."""
    assert "LiveView(children" not in stored, (
        "the stored notebook shows the raw widget repr before it is run (re-execute it with the current helpers):\n"
        + stored[stored.index("LiveView(children"):][:200])


def _check_toggle_buttons(page) -> None:
    """No toggle button of any view cuts its label (scrollWidth <= clientWidth)."""
    cut = [b for b in page.evaluate(TOGGLES_JS) if b["scroll"] > b["client"]]
    assert not cut, f"toggle buttons too narrow for their labels (px needed > px shown): {cut}"


def _check_layout(geometry: dict) -> None:
    """The tracks of a view start at one x and have one width; labels and readouts are not cut; the image is
    shown at its own pixel size (smaller only when the output area is narrower)."""
    sliders = geometry["sliders"]
    assert len({round(s["track"]["x"]) for s in sliders}) == 1, f"tracks start at different x: {sliders}"
    assert len({round(s["track"]["w"]) for s in sliders}) == 1, f"tracks of different widths: {sliders}"
    for s in sliders:
        assert not s["labelCut"], f"the description {s['label']!r} is cut"
        assert not s["readoutCut"], f"the readout {s['readout']!r} of {s['label']!r} is cut"
    image = geometry["image"]
    expected = min(image["natural"], image["available"])
    assert abs(image["shown"] - expected) <= 1, (
        f"the image is {image['shown']:.0f} px wide on screen for {image['natural']} px (output area "
        f"{image['available']:.0f} px): stretched or squeezed")


def _step_and_check(page, handle_index: int, key: str) -> tuple[float, int]:
    """After a learner's pause, press `key` on slider `handle_index`: its handle moves that way, no track
    moves or resizes; return (ms, kernel messages before the switch) as _timed_press."""
    page.wait_for_timeout(LEARNER_PAUSE * 1000)
    before = _geometry(page)
    handle = _last_view(page).locator(".widget-slider").nth(handle_index).locator(".noUi-handle")
    latency = _timed_press(page, handle, key)
    after = _geometry(page)
    for b, a in zip(before["sliders"], after["sliders"], strict=True):
        assert abs(a["track"]["x"] - b["track"]["x"]) <= 0.5 and abs(a["track"]["w"] - b["track"]["w"]) <= 0.5, (
            f"the track of {b['label']!r} moved or resized after {key}: {b['track']} -> {a['track']}")
    moved = after["sliders"][handle_index]["handle"]["x"] - before["sliders"][handle_index]["handle"]["x"]
    assert (moved > 0) if key == "ArrowRight" else (moved < 0), f"{key} moved the handle by {moved:.1f} px"
    return latency


def _measure_latency(page, lab_name: str, steps: int = 4, moved_before: bool = False) -> dict:
    """Step the view's first slider `steps` times one way (new settings), then back (settings seen before).

    moved_before: the view was moved already (then even the first step may have been drawn ahead)."""
    first = _state(page)["firstSlider"]
    now, top = round(float(first["now"])), round(float(first["max"]))
    out, back = ("ArrowRight", "ArrowLeft") if top - now >= now else ("ArrowLeft", "ArrowRight")
    n = min(steps, top - now if out == "ArrowRight" else now)
    assert n > 0, f"the first slider has nowhere to go: {first}"
    assert page.evaluate("() => window.__labsMessages") > 0, "the page's WebSocket messages are not counted"
    shown = {now: (_image_digest(page), _state(page)["text"])}  # slider position -> what the view showed there

    def step(key: str) -> tuple[float, int]:
        ms, messages = _step_and_check(page, 0, key)
        state = _state(page)
        here = (_image_digest(page), state["text"])
        position = round(float(state["firstSlider"]["now"]))
        assert shown.setdefault(position, here) == here, (
            f"at slider position {position} the view shows another frame than on the first visit: "
            f"{shown[position][1]!r} then {here[1]!r}")
        return ms, messages

    new, new_messages = zip(*[step(out) for _ in range(n)], strict=True)
    revisit, revisit_messages = zip(*[step(back) for _ in range(n)], strict=True)
    # The frames of the settings just left are in the page: going back needs nothing from the kernel.
    assert set(revisit_messages) == {0}, (
        f"going back to settings already shown waited for messages from the kernel: {revisit_messages}")
    prefetch = os.environ.get("LABS_PREFETCH", "1") != "0"  # the kernels inherit it (see helpers.widgets)
    result = {"lab": lab_name, "slider": _geometry(page)["sliders"][0]["label"], "new_ms": list(new),
              "revisit_ms": list(revisit), "new_in_page": [m == 0 for m in new_messages],
              "prefetch": prefetch, "moved_before": moved_before}
    if os.environ.get("LABS_SCREENSHOTS"):  # a folder: a picture of each lab's view, to look at
        _last_view(page).screenshot(path=str(Path(os.environ["LABS_SCREENSHOTS"]) / f"{lab_name}.png"))
    kind = ("new settings (cold: LABS_PREFETCH=0)" if not prefetch else "new settings (drawn ahead while idle)"
            if moved_before else "new settings (the first cold, then drawn ahead while idle)")
    print(f"{lab_name}: in-browser latency, key press -> new image loaded: {kind} "
          f"{', '.join(f'{t:.0f}' for t in new)} ms ({sum(result['new_in_page'])} of {n} already in the page); "
          f"revisits {', '.join(f'{t:.0f}' for t in revisit)} ms")
    _record(result)
    return result


def _record(result: dict) -> None:
    """Append to the JSON file named by LABS_LATENCY_JSON (python -m bench --only browser reads it)."""
    path = os.environ.get("LABS_LATENCY_JSON")
    if not path:
        return
    data = json.loads(Path(path).read_text()) if Path(path).exists() else []
    Path(path).write_text(json.dumps([d for d in data if d["lab"] != result["lab"]] + [result]))


# --------------------------------------------------------------------------- the tests
def test_lab01_sliders_redraw_in_jupyterlab(lab, page):
    started = time.monotonic()
    try:
        state, stored = _open_and_run_all(page, lab, NOTEBOOK.name)
        print(f"Run All done at {time.monotonic() - started:.1f} s")
        assert state["views"] == 1 and state["sliders"] == 2, state

        assert "width 32, m = 100" in state["text"], f"unexpected default view text: {state['text']!r}"
        assert state["readouts"] == ["32", "100"], state["readouts"]
        _check_layout(_geometry(page))
        digest = _image_digest(page)

        # m: 100 -> 200 (one ArrowRight is one step through SIZES); the text names the readouts' values
        moved = _move_slider(page, state, "training examples m", "ArrowRight")
        new_digest = _image_digest(page)
        assert new_digest != digest, "the picture's PNG did not change after moving the m slider"
        assert moved["readouts"] == ["32", "200"], moved["readouts"]
        assert "width 32, m = 200" in moved["text"], moved["text"]

        # width: one step left (to the next smaller width)
        narrowed = _move_slider(page, moved, "hidden units per layer", "ArrowLeft")
        width = narrowed["readouts"][0]
        assert int(width) < 32 and narrowed["readouts"][1] == "200", narrowed["readouts"]
        assert f"width {width}, m = 200" in narrowed["text"], narrowed["text"]
        assert _image_digest(page) not in (digest, new_digest), "the picture did not change after moving the width"

        # A wide window: the image keeps its own size (it used to stretch to the output area, 1.69x at 1920 px).
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.wait_for_timeout(300)
        _check_layout(_geometry(page))
        _measure_latency(page, NOTEBOOK.stem, moved_before=True)

        final = _state(page)
        assert not final["tracebacks"], final["tracebacks"]
        assert all(re.fullmatch(r"\[\d+\]:", p) for p in final["prompts"]), final["prompts"]
        _check_stored_text(stored)
        print(f"browser test done in {time.monotonic() - started:.1f} s (after server start)")
    except BaseException:
        _report_failure(page, lab)
        raise


@pytest.mark.parametrize("notebook", [p.name for p in NOTEBOOKS if p != NOTEBOOK])
def test_every_lab_slider_redraws_in_jupyterlab(lab, page, notebook):
    """Every lab (whatever notebooks exist): a step of its last view's first slider redraws the picture and the
    text; the handle moves and no track moves; the image is at its own size; the latency is measured."""
    started = time.monotonic()
    try:
        state, stored = _open_and_run_all(page, lab, notebook)
        _check_layout(_geometry(page))
        digest = _image_digest(page)
        _measure_latency(page, Path(notebook).stem)
        moved = _state(page)  # back where it started: the same picture and text as before
        assert moved["firstSlider"] == state["firstSlider"], "the slider did not come back to its start"
        assert moved["text"] == state["text"] and _image_digest(page) == digest, (
            "the view at the starting setting differs after going away and back")
        first = state["firstSlider"]
        key = "ArrowLeft" if first and first["now"] == first["max"] else "ArrowRight"
        _press(page, _slider(page).locator(".noUi-handle"), key)
        moved = _wait_for(page, lambda s: s["text"] != state["text"] and s["src"] not in (None, state["src"])
                          and s["kernelIdle"], REDRAW_TIMEOUT, f"the view to redraw after {key} on its first slider")
        assert moved["firstSlider"] != first, "the first slider did not move"
        assert _image_digest(page) != digest, "the picture's PNG did not change after moving the first slider"
        _check_stored_text(stored)
        print(f"{notebook}: done in {time.monotonic() - started:.1f} s")
    except BaseException:
        _report_failure(page, lab)
        raise


def _report_failure(page, lab) -> None:
    shots = Path(tempfile.mkdtemp(prefix="labs-browser-test-"))
    try:
        page.screenshot(path=str(shots / "jupyterlab.png"), timeout=10_000)
        print(f"screenshot on failure: {shots / 'jupyterlab.png'}")
    except Exception as error:  # the browser may be gone; the report matters more than the picture
        print(f"(no screenshot: {error})")
    if getattr(page, "console_errors", None):
        print("browser console errors:\n" + "\n".join(page.console_errors[-20:]))
    print(lab.log_tail())
