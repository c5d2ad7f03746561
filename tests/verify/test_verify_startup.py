"""A verify run's start-up (:mod:`build_tools.verify.startup`): the supplements load in a forked helper while this
process imports; a usage error comes back as it is; any other failure of the helper leaves the loading to this
process; without fork, or with threads running, both run here. And how a run cuts a short list into tasks."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from build_tools.core.errors import Finding, InputError, Loc
from build_tools.verify import run, startup

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked (POSIX)")

ROOT = Path(__file__).resolve().parents[2]


def test_the_load_runs_in_a_helper_while_the_imports_run_here():
    here = os.getpid()
    imported = []
    loaded_by = startup.load_while_importing(lambda: os.getpid(), lambda: imported.append(os.getpid()))
    assert imported == [here]  # the imports ran in this process
    assert loaded_by != here  # the load in another one, whose result came back


def test_the_loaded_supplements_come_back_whole():
    from build_tools.commands.verify import load_supplements

    folder = ROOT / "spec" / "dermoscopy"
    helped = startup.load_while_importing(lambda: load_supplements([folder]), lambda: None)
    direct = load_supplements([folder])
    assert [s for s, _i in helped] == [s for s, _i in direct]  # the model, field by field
    supplement, index = helped[0]
    assert index.supplement is supplement and index.iod(supplement.iods[0].name) is supplement.iods[0]


def test_a_usage_error_in_the_helper_is_raised_here():
    def bad_spec():
        raise InputError([Finding(Loc("spec/x/iods.yaml", 3, 5), "no such module", code="DS101")])

    with pytest.raises(InputError) as raised:
        startup.load_while_importing(bad_spec, lambda: None)
    assert [(f.loc.file, f.loc.line, f.code) for f in raised.value.findings] == [("spec/x/iods.yaml", 3, "DS101")]


def test_a_helper_that_dies_or_fails_leaves_the_load_to_this_process():
    here = os.getpid()

    def dies_in_the_helper():
        if os.getpid() != here:
            os._exit(3)  # as if killed while loading
        return "loaded here"

    assert startup.load_while_importing(dies_in_the_helper, lambda: None) == "loaded here"

    calls = []

    def a_bug():
        calls.append(os.getpid())
        raise ZeroDivisionError("a bug in the loader")

    with pytest.raises(ZeroDivisionError):  # as it fails without a helper: here, with its traceback
        startup.load_while_importing(a_bug, lambda: None)
    assert calls == [here]  # the helper's own call appended in the helper's memory, not here


def test_an_import_that_fails_is_raised_and_the_helper_reaped(monkeypatch):
    forked = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    def broken_import():
        raise ImportError("no module named pydicom")

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(ImportError):
        startup.load_while_importing(lambda: "x" * 10**6, broken_import)  # more than a pipe holds: it waits
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):  # reaped: not left behind, not even as a zombie
        os.waitpid(forked[0], os.WNOHANG)


def test_when_no_process_can_be_forked_both_run_here(monkeypatch):
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    order = []
    result = startup.load_while_importing(lambda: order.append("load") or os.getpid(), lambda: order.append("imports"))
    assert order == ["imports", "load"] and result == os.getpid()


def test_with_a_thread_running_nothing_is_forked():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not startup.can_fork()
        order = []
        result = startup.load_while_importing(lambda: order.append("load") or os.getpid(),
                                              lambda: order.append("imports"))
        assert order == ["imports", "load"] and result == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_a_verify_process_overlaps_only_when_it_has_the_checker_to_import(monkeypatch):
    supplements = [("a supplement", "its index")]
    imported = []
    # As in a process started for verify: the checker not imported yet (its import is recorded instead).
    monkeypatch.delitem(sys.modules, "build_tools.verify.checker")
    monkeypatch.setattr(run, "_import_checker", lambda: imported.append(os.getpid()))
    here = os.getpid()
    assert run._started(lambda: (os.getpid(), supplements), lean=True)[0] != here
    assert imported == [here]
    assert run._started(lambda: (os.getpid(), supplements), lean=False)[0] == here  # a library caller: as before
    assert run._started(supplements, lean=True) is supplements  # loaded already


@pytest.mark.parametrize(("known", "jobs", "complete", "size"), [
    (100, 2, True, 7),  # about 2 * WINDOW tasks a worker: the last ones end together
    (17, 2, True, 2),
    (5000, 2, False, run.CHUNK),  # a long (or streamed) list: full chunks
    (127, 2, True, 8),
    (3, 8, True, 1),
])
def test_a_short_list_is_cut_finer(known, jobs, complete, size):
    assert run.chunk_size(known, jobs, complete) == size


def test_start_up_leaves_the_collector_on_with_what_it_made_frozen(monkeypatch):
    import gc

    monkeypatch.delitem(sys.modules, "build_tools.verify.checker")
    monkeypatch.setattr(run, "_import_checker", lambda: None)
    frozen = gc.get_freeze_count()
    try:
        run._started(lambda: [], lean=True)
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen  # kept out of later collections (and of a forked worker's reads)
    finally:
        gc.unfreeze()


def test_a_verify_process_gives_what_a_call_in_this_process_gives(tmp_path, examples, capsys):
    """End to end through the helper, the frozen start-up, the forked workers and the exit without teardown."""
    import shutil
    import subprocess

    from build_tools.commands.verify import main as verify_main

    names = []
    for number in range(3):
        for source in sorted(examples.glob("*.dcm")):
            names.append(str(shutil.copyfile(source, tmp_path / f"{number}-{source.name}")))
    names.insert(7, str(tmp_path / "missing.dcm"))
    argv = [*names, "--spec", str(ROOT / "spec"), "-j", "2", "--format", "json"]
    done = subprocess.run([sys.executable, "-m", "build_tools", "verify", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    status = verify_main(argv)
    out, err = capsys.readouterr()
    assert (done.returncode, done.stdout) == (status, out) and status == 2  # every line, flushed before the exit
    assert done.stderr.splitlines()[-1] == err.splitlines()[-1] == (
        f"verify: {len(names) - 1} files, 0 errors, 0 warnings, {len(names) - 1} notes; 1 path could not be checked")
