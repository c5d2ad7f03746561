"""``--timeout``: a file that takes longer than the limit is a DV005 finding of that file, in one process or in the
workers, and the run goes on; the reader's own guards do not take the timeout for a broken file."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import pytest

from build_tools.commands.verify import main as verify_main
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index
from build_tools.verify import checker, run

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the limit is a POSIX interval timer")

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "dermoscopy"


@pytest.fixture(scope="module")
def supplements():
    supplement = load_supplement(SPEC, [])
    return [(supplement, Index(supplement))]


@pytest.fixture(scope="module")
def files(tmp_path_factory, examples) -> list[str]:
    folder = tmp_path_factory.mktemp("timeout")
    return [str(shutil.copyfile(source, folder / f"{n}-{source.name}"))
            for n in range(2) for source in sorted(examples.glob("*.dcm"))]


def test_the_limit_interrupts_a_long_block_and_restores_the_handler():
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(run.FileTimeout):
        with run.time_limit(0.05):
            time.sleep(5)
    assert time.monotonic() - started < 2
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with run.time_limit(None):  # no limit: nothing installed
        assert signal.getsignal(signal.SIGALRM) == before


def test_a_slow_file_is_a_finding_of_its_own(files, supplements, monkeypatch):
    real = checker.verify_path

    def slow(path, *args, **kwargs):
        if path.name == Path(files[1]).name:
            time.sleep(5)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(checker, "verify_path", slow)
    for jobs in (1, 2):
        results = list(run.verify_paths(files, supplements, jobs=jobs, limit=0.5))
        assert [r.name for r in results] == files  # in input order, every file
        stopped = [(r.name, f.message) for r in results for f in r.findings if f.code == "DV005"]
        assert stopped == [(files[1], "verification stopped: the file took longer than --timeout 0.5 s")]
        assert all(f.code != "DV005" for r in results if r.name != files[1] for f in r.findings)


def test_a_timeout_while_reading_is_not_taken_for_a_broken_file(files, supplements, monkeypatch):
    real = checker.dcmread

    def stuck(*args, **kwargs):
        time.sleep(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(checker, "dcmread", stuck)  # the reader's `except Exception` must let the timeout through
    result = run.check_one(files[0], supplements, run.Options(limit=0.2))
    assert [f.code for f in result.findings] == ["DV005"]


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon", "100000"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(files, value):
    with pytest.raises(SystemExit) as stop:
        verify_main([files[0], "--timeout", value, "--spec", str(SPEC.parent)])
    assert stop.value.code == 2


def test_a_generous_timeout_changes_nothing(files, capsys):
    assert verify_main([*files[:3], "-j", "1", "--spec", str(SPEC.parent)]) == 0
    without = capsys.readouterr()
    assert verify_main([*files[:3], "-j", "1", "--timeout", "60", "--spec", str(SPEC.parent)]) == 0
    assert capsys.readouterr() == without
