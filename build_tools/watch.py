"""``dicomsup watch``: rebuild a supplement on every change and serve its HTML with live reload.

Changes are found by polling modification times and sizes under ``spec/`` and ``templates/`` (a few dozen files:
a poll costs well under a millisecond, so no file-system notification library is needed). Every build goes into a
temporary output folder (or ``--out``), never into the committed ``output/``. The pages are served on 127.0.0.1 by
:mod:`http.server` in a thread; each HTML page gets a small script that polls ``/__dicomsup/version`` and reloads
when a build finished. When the spec has errors, every page shows them (``file:line:col``), as the terminal does.
"""

from __future__ import annotations

import datetime
import html
import http.server
import json
import os
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO
from urllib.parse import unquote, urlsplit

from build_tools.build import build_all
from build_tools.core.resources import templates
from build_tools.core.errors import Finding, InputError, Severity

EXIT_OK, EXIT_INPUT = 0, 2
VERSION_PATH = "/__dicomsup/version"
RELOAD_SCRIPT = """<script>/* dicomsup watch: reload when a new build is ready */
(function () {
  var seen = %s;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (state) {
      if (state.version !== seen) { location.reload(); } else { setTimeout(poll, 500); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 500);
})();
</script>"""


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file under ``roots`` (hidden files and folders left out)."""
    state: dict[str, tuple[int, int]] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for name in files:
                if name.startswith(".") or name.endswith("~"):
                    continue
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:  # removed between listing and stat: the next poll sees it gone
                    continue
                state[path] = (info.st_mtime_ns, info.st_size)
    return state


@dataclass
class BuildState:
    """The outcome of the latest build, as the server shows it."""

    version: int = 0
    findings: list[Finding] = field(default_factory=list)
    failure: str | None = None  # a generator crashed (a bug of dicomsup, not of the spec)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None and not any(f.severity is Severity.ERROR for f in self.findings)


class Watch:
    """One supplement watched: poll for changes, rebuild, and serve the result."""

    def __init__(self, folder: Path, out_root: Path, *, watched: list[Path] | None = None,
                 host: str = "127.0.0.1", port: int = 8000, stream: TextIO | None = None):
        self.folder = folder
        self.name = folder.name
        self.out_root = out_root
        self.watched = watched if watched is not None else [folder.parent, templates()]
        self.host = host
        self.port = port
        self.stream = stream if stream is not None else sys.stderr
        self.state = BuildState()
        self.lock = threading.Lock()
        self.server: http.server.ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.seen: dict[str, tuple[int, int]] = {}

    # --- building ------------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        stamp = datetime.datetime.now().strftime("%H:%M:%S")
        print(f"[{stamp}] {text}", file=self.stream, flush=True)

    def rebuild(self) -> BuildState:
        """Build the supplement into ``out_root``; report in the terminal; publish the new state."""
        findings: list[Finding] = []
        failure = None
        seconds = 0.0
        try:
            report = build_all([self.folder], self.out_root)
            findings, seconds = report.findings, report.seconds
        except InputError as exc:
            findings = exc.findings
        except Exception as exc:  # noqa: BLE001 - a crashing generator must not stop the watch
            failure = f"{type(exc).__name__}: {exc}"
            print(traceback.format_exc(), file=self.stream, end="")
        for finding in findings:
            print(finding, file=self.stream)
        with self.lock:
            state = BuildState(self.state.version + 1, list(findings), failure, seconds)
            self.state = state
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        warnings = len(findings) - errors
        if failure:
            self.say(f"{self.name}: build failed: {failure}")
        elif errors:
            self.say(f"{self.name}: {errors} error(s), {warnings} warning(s); fix them and save "
                     "(the page shows them too)")
        else:
            self.say(f"{self.name}: rebuilt in {seconds:.2f} s ({warnings} warning(s))")
        return state

    def changed(self) -> bool:
        current = snapshot(self.watched)
        if current == self.seen:
            return False
        self.seen = current
        return True

    def poll(self) -> bool:
        """One cycle: rebuild when anything under the watched folders changed. True when it rebuilt."""
        if not self.changed():
            return False
        self.rebuild()
        return True

    # --- serving -------------------------------------------------------------------------------------------

    @property
    def site(self) -> Path:
        return self.out_root / self.name

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://{self.host}:{self.server.server_address[1]}/"

    def start(self) -> str:
        """Build once and start serving; returns the URL."""
        self.server = http.server.ThreadingHTTPServer((self.host, self.port), _handler(self))  # bind first
        self.server.daemon_threads = True
        try:
            self.seen = snapshot(self.watched)
            self.rebuild()
        except BaseException:
            self.server.server_close()
            self.server = None
            raise
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                       name="dicomsup-watch-http", daemon=True)
        self.thread.start()
        return self.url

    def run(self, stop: threading.Event, interval: float = 0.3, max_cycles: int | None = None) -> None:
        """Poll until ``stop`` is set (or ``max_cycles`` polls were made)."""
        cycles = 0
        while not stop.is_set() and (max_cycles is None or cycles < max_cycles):
            self.poll()
            cycles += 1
            stop.wait(interval)

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None


def _handler(watch: Watch) -> type:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(watch.site), **kwargs)

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the signature of http.server
            pass  # the terminal is for builds and findings

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = unquote(urlsplit(self.path).path)
            if "\0" in path or len(path) > 1024:  # no file has such a name; the file system would raise
                self.send_error(400, "bad path")
                return
            with watch.lock:
                state = watch.state
            if path == VERSION_PATH:
                self._send(json.dumps({"version": state.version, "ok": state.ok}).encode(), "application/json")
                return
            if path == "/" and state.ok and (watch.site / "html" / "index.html").is_file():
                self.send_response(302)
                self.send_header("Location", "/html/")
                self.end_headers()
                return
            local = Path(self.translate_path(path))
            try:
                if local.is_dir():
                    local = local / "index.html"
                exists = local.exists()
            except (OSError, ValueError):  # a name the file system refuses (too long, …): no such file
                self.send_error(404, "not found")
                return
            wants_page = path == "/" or local.suffix in (".html", ".htm") or not exists
            if not state.ok and wants_page:
                self._page(_error_page(watch, state), state)
            elif path == "/":
                self._page(_file_list_page(watch), state)
            elif local.suffix in (".html", ".htm") and local.is_file():
                self._page(local.read_text(encoding="utf-8", errors="replace"), state)
            else:
                super().do_GET()

        def _page(self, text: str, state: BuildState) -> None:
            script = RELOAD_SCRIPT % (json.dumps(state.version), VERSION_PATH)
            if state.ok and state.findings:
                script = _warnings_box(state.findings) + script
            marker = text.lower().rfind("</body>")
            text = text[:marker] + script + text[marker:] if marker >= 0 else text + script
            self._send(text.encode("utf-8"), "text/html; charset=utf-8")

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _shell(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            '<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}'
            ' li{margin:.3em 0} code{font-size:95%} .error{color:#a00} .warning{color:#860}</style>'
            f"</head><body>{body}</body></html>\n")


def _finding_items(findings: list[Finding]) -> str:
    return "".join(f'<li class="{f.severity.value}"><code>{html.escape(str(f.loc))}</code>: '
                   f"{f.severity.value}: {html.escape(f.message)}</li>" for f in findings)


def _warnings_box(findings: list[Finding]) -> str:
    """A box at the bottom of a built page listing the build's warnings (the page itself is shown)."""
    return ('<details id="dicomsup-warnings" style="position:fixed;bottom:0;right:0;max-width:60em;max-height:40vh;'
            'overflow:auto;background:#fff8e0;border:1px solid #c90;padding:.5em 1em;font:13px sans-serif;'
            f'z-index:9999"><summary>dicomsup: {len(findings)} warning(s)</summary>'
            f'<ul>{_finding_items(findings)}</ul></details>')


def _error_page(watch: Watch, state: BuildState) -> str:
    items = []
    if state.failure:
        items.append(f'<li class="error">build failed: {html.escape(state.failure)} (see the terminal)</li>')
    items.append(_finding_items(state.findings))
    return _shell(f"{watch.name}: errors",
                  f"<h1>{html.escape(watch.name)}: the spec has errors</h1>"
                  "<p>Fix them and save; this page reloads when the next build is done.</p>"
                  f'<ul id="findings">{"".join(items)}</ul>')


def _file_list_page(watch: Watch) -> str:
    files = sorted(p.relative_to(watch.site).as_posix() for p in watch.site.rglob("*") if p.is_file()) \
        if watch.site.is_dir() else []
    links = "".join(f'<li><a href="/{html.escape(f)}">{html.escape(f)}</a></li>' for f in files)
    return _shell(watch.name, f"<h1>{html.escape(watch.name)}</h1><p>No HTML page was built (no html/index.html); "
                              f"the build wrote these {len(files)} files:</p><ul>{links}</ul>")


def serve(folder: Path, out_root: Path, stop: threading.Event, *, port: int = 8000, interval: float = 0.3,
          max_cycles: int | None = None, ready: Callable[[Watch], None] | None = None,
          stream: TextIO | None = None) -> None:
    """Build, serve and rebuild ``folder`` until ``stop`` is set (or after ``max_cycles`` polls); then stop."""
    watch = Watch(folder, out_root, port=port, stream=stream)
    watch.start()
    try:
        if ready is not None:
            ready(watch)
        watch.run(stop, interval, max_cycles)
    finally:
        watch.close()
