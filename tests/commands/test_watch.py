"""``dicomsup watch`` rebuilds a temporary copy of a supplement on change and serves the new text.

The server runs on a free port of 127.0.0.1; every wait is bounded, and the server is always stopped.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

from build_tools.scaffold import scaffold
from build_tools.watch import RELOAD_SCRIPT, VERSION_PATH, Watch, snapshot

WAIT = 30.0  # seconds: generous for a slow machine, bounded so that a broken watch fails instead of hanging


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # follows the redirect to /html/
        return response.read().decode("utf-8", errors="replace")


def _served_text(watch: Watch) -> str:
    """The page at / and, when it is the fallback list of files, the text of every file it links."""
    page = _get(watch.url)
    texts = [page]
    if "No HTML page was built" in page:
        for link in re.findall(r'href="/([^"]+)"', page):
            if not link.endswith((".dcm", ".png")):
                texts.append(_get(watch.url + link))
    return "\n".join(texts)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {WAIT:.0f} s for {what}")


@pytest.fixture
def running(tmp_path: Path):
    folder = scaffold(tmp_path / "spec", "wound-photography", "Wound Photography", 250, "WG-19")
    terminal = io.StringIO()
    watch = Watch(folder, tmp_path / "out", watched=[folder.parent], port=0, stream=terminal)
    stop = threading.Event()
    poller = threading.Thread(target=watch.run, args=(stop, 0.1), daemon=True)
    try:
        watch.start()
        poller.start()
        yield watch, folder, terminal
    finally:
        stop.set()
        if poller.is_alive():
            poller.join(timeout=10)
        watch.close()
    assert not poller.is_alive(), "the polling loop did not stop"


def _version(watch: Watch) -> int:
    return json.loads(_get(watch.url + VERSION_PATH.lstrip("/")))["version"]


def test_edit_shows_the_new_text(running) -> None:
    watch, folder, terminal = running
    assert watch.url.startswith("http://127.0.0.1:")
    first = _served_text(watch)
    assert "dicomsup watch: reload" in _get(watch.url)  # the live-reload script is injected
    assert "Zanzibarish" not in first
    before = _version(watch)
    iods = folder / "iods.yaml"
    iods.write_text(iods.read_text(encoding="utf-8").replace(
        "specifies a single-frame image", "specifies a Zanzibarish single-frame image"), encoding="utf-8")
    _wait_for(lambda: "Zanzibarish" in _served_text(watch), "the edited description in the served page")
    _wait_for(lambda: _version(watch) > before, "the version endpoint to announce the new build")
    _wait_for(lambda: terminal.getvalue().count("rebuilt") >= 2, "the rebuild to be reported in the terminal")


def test_lint_errors_are_shown_in_the_page_and_the_terminal(running) -> None:
    watch, folder, terminal = running
    iods = folder / "iods.yaml"
    good = iods.read_text(encoding="utf-8")
    iods.write_text(good.replace("    section: A.99.1", "    sectoin: A.99.1"), encoding="utf-8")
    _wait_for(lambda: "the spec has errors" in _get(watch.url), "the error page")
    page = _get(watch.url)
    assert re.search(r"iods\.yaml:\d+:\d+</code>: error: unknown field &#x27;sectoin&#x27;", page), page
    assert "did you mean" in page
    assert re.search(r"iods\.yaml:\d+:\d+: error: unknown field 'sectoin'", terminal.getvalue())
    assert json.loads(_get(watch.url + VERSION_PATH.lstrip("/")))["ok"] is False
    iods.write_text(good, encoding="utf-8")
    _wait_for(lambda: "the spec has errors" not in _get(watch.url), "the page to recover")


def test_close_releases_the_port(tmp_path: Path) -> None:
    folder = scaffold(tmp_path / "spec", "wound-photography", "Wound Photography", 250, "WG-19")
    watch = Watch(folder, tmp_path / "out", watched=[folder.parent], port=0, stream=io.StringIO())
    stop = threading.Event()
    try:
        url = watch.start()
        watch.run(stop, interval=0.01, max_cycles=3)  # a bounded number of cycles, no change: no rebuild
        assert watch.state.version == 1
    finally:
        watch.close()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_snapshot_sees_changes_and_ignores_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    first = snapshot([tmp_path])
    (tmp_path / ".a.yaml.swp").write_text("junk", encoding="utf-8")
    assert snapshot([tmp_path]) == first
    (tmp_path / "a.yaml").write_text("x: 12\n", encoding="utf-8")
    assert snapshot([tmp_path]) != first


def test_reload_script_polls_the_version_endpoint() -> None:
    script = RELOAD_SCRIPT % ("7", VERSION_PATH)
    assert VERSION_PATH in script and "location.reload()" in script and "500" in script


def test_a_nul_byte_or_huge_path_is_a_client_error_and_the_server_goes_on(running) -> None:
    watch, _folder, terminal = running
    _wait_for(lambda: _version(watch) >= 1, "the first build")
    for bad in ("%00", "a%00b.html", "x" * 5000 + ".html"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            _get(watch.url + bad)
        assert caught.value.code in (400, 404)
    assert "Wound Photography" in _served_text(watch)
    assert "Traceback" not in terminal.getvalue()


def _cli(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, **kwargs)


@pytest.mark.parametrize("option", [["--port", "-1"], ["--port", "70000"], ["--port", "http"],
                                    ["--interval", "-1"], ["--interval", "0"], ["--interval", "nan"]])
def test_bad_port_or_interval_is_a_usage_error(tmp_path: Path, option: list[str]) -> None:
    scaffold(tmp_path / "spec", "wound-photography", "Wound Photography", 250, "WG-19")
    done = _cli(["watch", *option], tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and option[0] in done.stderr


def test_sigterm_stops_watch_and_removes_its_temporary_folder(tmp_path: Path) -> None:
    scaffold(tmp_path / "spec", "wound-photography", "Wound Photography", 250, "WG-19")
    process = subprocess.Popen([sys.executable, "-m", "build_tools", "watch", "--port", "0"], cwd=tmp_path,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = ""
        deadline = time.monotonic() + WAIT
        while "serving" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()
        match = re.search(r"building into (\S+) \(temporary\)", line)
        assert match, line
        temporary = Path(match.group(1))
        if not temporary.is_absolute():
            temporary = tmp_path / temporary
        assert temporary.is_dir()
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=WAIT)[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == 0, rest
    assert "Traceback" not in rest
    assert not temporary.exists()
