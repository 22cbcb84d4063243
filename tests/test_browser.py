"""Real-browser test: every lab's slider view redraws when a learner moves a slider in JupyterLab.

What it does, end to end, the way a learner would:

1. starts JupyterLab (this venv's Python, so the kernel imports ``helpers``) on 127.0.0.1, on a free
   port, without a token, serving a temporary COPY of every ``notebooks/*.ipynb``
   (JupyterLab autosaves: the repo's files are never served), with config, data, workspaces and user
   settings in temporary directories and the "Jupyter news?" announcements pop-up disabled;
2. opens a lab in headless Chromium (Playwright, Debian's ``/usr/bin/chromium``);
3. runs *Run → Run All Cells* and waits for the kernel to be idle and the ``live(...)`` view (selection
   sliders, an HTML ``<pre>`` with the numbers, an ``<img>`` with the PNG) to render;
4. lab 01: moves the "training examples m" slider (keyboard: focus the handle, ArrowRight) and then
   the width slider (ArrowLeft), and checks each time that both the picture (its PNG bytes) and the
   printed errors change, and that the text names the new values; every other lab: moves the first
   slider of its last view one step and checks that the picture and the text change;
5. checks that no cell printed a traceback, then shuts the lab's kernel down.

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
RUN_ALL_TIMEOUT = 120  # s; the slowest lab (01) trains ~108 small networks, ~13 s when idle
REDRAW_TIMEOUT = 30  # s; one slider step, well under 1 s when idle
POLL = 0.25  # s between two looks at the page


# --------------------------------------------------------------------------- availability
def _chromium_executable() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _unavailable(reason: str):
    if os.environ.get("LABS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; LABS_REQUIRE_BROWSER=1 says the browser test must run here "
                    "(CI: .ci/run installs Debian's chromium; playwright comes from requirements.txt)", pytrace=False)
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
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
  const views = [...document.querySelectorAll(fresh + ' .widget-vbox')]
    .filter(v => v.querySelector('.widget-slider'));
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
    text: view?.querySelector('.widget-html-content pre')?.textContent ?? null,
    src: view?.querySelector('img.widget-image')?.getAttribute('src') ?? null,
    readouts: view ? texts('.widget-readout', view) : [],
  };
}"""

# The PNG bytes behind the Image widget's blob: URL, base64-encoded.
IMAGE_BYTES_JS = r"""async (img) => {
  const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
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
    return page.locator(".jp-OutputArea-child:not([data-labs-stale]) .widget-vbox").filter(
        has=page.locator(".widget-slider")).last


def _image_digest(page) -> str:
    img = _last_view(page).locator("img.widget-image")
    data = base64.b64decode(img.evaluate(IMAGE_BYTES_JS))
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"the Image widget does not show a PNG ({data[:8]!r})"
    return hashlib.sha256(data).hexdigest()


def _move_slider(page, before: dict, label: str, key: str, expected: str) -> dict:
    """Focus the slider labelled `label`, press `key` once; wait for the new text and picture."""
    slider = _last_view(page).locator(".widget-slider").filter(has=page.locator("label.widget-label", has_text=label))
    _press(page, slider.locator(".noUi-handle"), key)

    def redrawn(s):
        return expected in (s["text"] or "") and s["src"] not in (None, before["src"]) and s["kernelIdle"]

    return _wait_for(page, redrawn, REDRAW_TIMEOUT, f"the view to redraw with {expected!r} after {key} on {label!r}")


def _press(page, handle, key: str) -> None:
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press(key)


def _open_and_run_all(page, lab, name: str) -> dict:
    """Open notebook `name`, run all its cells, wait for its last live view; return the page state."""
    page.goto(f"{lab.url}/lab/tree/{name}?reset", wait_until="domcontentloaded", timeout=60_000)
    # The toolbar's execution indicator says "idle" before any kernel exists; the status bar does not.
    _wait_for(page, lambda s: s["kernelIdle"] and len(s["prompts"]) > 0, PAGE_READY_TIMEOUT,
              "the notebook to open with an idle kernel", check_outputs=False)
    # Outputs saved in the file must not pass for fresh ones: mark them; Run All replaces them.
    page.evaluate("() => document.querySelectorAll('.jp-OutputArea-child')"
                  ".forEach(e => e.setAttribute('data-labs-stale', ''))")
    page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    return _wait_for(page, _run_finished, RUN_ALL_TIMEOUT, "Run All Cells to finish and the slider view to render")


# --------------------------------------------------------------------------- the test
def test_lab01_sliders_redraw_in_jupyterlab(lab, page):
    started = time.monotonic()
    try:
        state = _open_and_run_all(page, lab, NOTEBOOK.name)
        print(f"Run All done at {time.monotonic() - started:.1f} s")
        assert state["views"] == 1 and state["sliders"] == 2, state

        assert "width 32, m = 100" in state["text"], f"unexpected default view text: {state['text']!r}"
        assert state["readouts"] == ["32", "100"], state["readouts"]
        digest = _image_digest(page)

        # m: 100 -> 200 (one ArrowRight is one step through SIZES)
        moved = _move_slider(page, state, "training examples m", "ArrowRight", "width 32, m = 200")
        new_digest = _image_digest(page)
        assert moved["text"] != state["text"], "the printed errors did not change"
        assert new_digest != digest, "the picture's PNG did not change after moving the m slider"
        assert moved["readouts"] == ["32", "200"], moved["readouts"]

        # width: 32 -> 16 (one ArrowLeft)
        narrowed = _move_slider(page, moved, "hidden units per layer", "ArrowLeft", "width 16, m = 200")
        assert narrowed["text"] != moved["text"], "the printed errors did not change"
        assert _image_digest(page) not in (digest, new_digest), "the picture did not change after moving the width"
        assert narrowed["readouts"] == ["16", "200"], narrowed["readouts"]

        final = _state(page)
        assert not final["tracebacks"], final["tracebacks"]
        assert all(re.fullmatch(r"\[\d+\]:", p) for p in final["prompts"]), final["prompts"]
        print(f"browser test done in {time.monotonic() - started:.1f} s (after server start)")
    except BaseException:
        _report_failure(page, lab)
        raise


@pytest.mark.parametrize("notebook", [p.name for p in NOTEBOOKS if p != NOTEBOOK])
def test_every_lab_slider_redraws_in_jupyterlab(lab, page, notebook):
    started = time.monotonic()
    try:
        state = _open_and_run_all(page, lab, notebook)
        digest = _image_digest(page)
        first = state["firstSlider"]
        key = "ArrowLeft" if first and first["now"] == first["max"] else "ArrowRight"
        _press(page, _last_view(page).locator(".widget-slider").first.locator(".noUi-handle"), key)
        moved = _wait_for(page, lambda s: s["text"] != state["text"] and s["src"] not in (None, state["src"])
                          and s["kernelIdle"], REDRAW_TIMEOUT, f"the view to redraw after {key} on its first slider")
        assert moved["firstSlider"] != first, "the first slider did not move"
        assert _image_digest(page) != digest, "the picture's PNG did not change after moving the first slider"
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
