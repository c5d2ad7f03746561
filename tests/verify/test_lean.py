"""A process started for ``dicomsup verify`` imports pydicom without numpy, Pillow and requests
(:mod:`build_tools.verify.lean`); a file is read once whatever the number of supplements; an IOD's plan is compiled
only when a file needs it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index
from build_tools.verify import checker, lean

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, *, path: str | None = None) -> subprocess.CompletedProcess:
    env = None
    if path is not None:
        import os

        env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env)


def test_verify_in_its_own_process_never_imports_the_pixel_and_download_back_ends(examples):
    file = sorted(examples.glob("*.dcm"))[0]
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "build_tools", "verify", "--spec",
                           str(ROOT / "spec"), str(file)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time")}
    assert "pydicom.filereader" in imported
    assert not imported & {"numpy._core", "numpy.core", "PIL.Image", "urllib3", "requests.adapters"}
    assert "verify: 1 file, 0 errors, 0 warnings" in done.stderr


def test_the_lean_import_leaves_the_hidden_packages_importable_afterwards():
    done = _python("""
        import sys
        from build_tools.verify.lean import HIDDEN, import_pydicom_lean
        assert import_pydicom_lean() is True
        assert all(name not in sys.modules for name in HIDDEN), [n for n in HIDDEN if n in sys.modules]
        import numpy
        from pydicom.pixels.utils import HAVE_NP
        print("lean", HAVE_NP, numpy.__name__, import_pydicom_lean())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["lean", "False", "numpy", "False"]  # a second call: imported already


def test_a_process_that_imported_pydicom_already_is_left_as_it_is():
    assert "pydicom" in sys.modules  # the test run's
    before = dict(sys.modules)
    assert lean.import_pydicom_lean() is False
    assert sys.modules == before


def test_a_pydicom_that_needs_a_hidden_package_is_imported_normally(tmp_path):
    fake = tmp_path / "pydicom"
    fake.mkdir()
    (fake / "__init__.py").write_text("import numpy  # not in a try: needed\n")
    (fake / "filereader.py").write_text("WHO = 'the fake'\n")
    done = _python("""
        import sys
        from build_tools.verify.lean import import_pydicom_lean
        print(import_pydicom_lean(), sys.modules["pydicom.filereader"].WHO, "numpy" in sys.modules)
    """, path=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "the", "fake", "True"]


def test_a_file_is_read_once_and_only_its_iods_plan_is_compiled(examples, monkeypatch):
    supplements = [(s, Index(s)) for s in (load_supplement(ROOT / "spec" / name, []) for name in ("confocal",
                                                                                                  "dermoscopy"))]
    reads = []
    real = checker.dcmread

    def counted(*args, **kwargs):
        reads.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(checker, "dcmread", counted)
    file = sorted(examples.glob("*.dcm"))[0]
    issues = checker.verify_path(file, supplements)
    assert [i.code for i in issues] == []
    assert reads == [file]
    (confocal, confocal_index), (dermoscopy, dermoscopy_index) = supplements
    assert not confocal_index.__dict__.get("_verify_plans")  # nothing of Confocal's was compiled
    assert len(dermoscopy_index.__dict__["_verify_plans"]) == 1


def test_pydicoms_own_value_checks_are_off_while_reading_and_restored(examples, tmp_path):
    """pydicom's reading validation only warns, and ours says it, located: it is off while a file is read (a sixth
    of the reading), and the caller's setting is back afterwards."""
    import warnings

    import pydicom
    from pydicom import config

    source = sorted(examples.glob("*.dcm"))[0]
    dataset = pydicom.dcmread(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset.StudyDate = "2026-01-01"  # DA: YYYYMMDD
        dataset.save_as(tmp_path / "bad.dcm")
    supplement = load_supplement(ROOT / "spec" / "dermoscopy", [])
    before = config.settings.reading_validation_mode
    config.settings.reading_validation_mode = config.RAISE  # would stop the reading, were it on
    try:
        issues = checker.verify_file(tmp_path / "bad.dcm", supplement, Index(supplement))
        assert config.settings.reading_validation_mode == config.RAISE
    finally:
        config.settings.reading_validation_mode = before
    assert any(i.code == "DV405" and "StudyDate" in i.path for i in issues), [i.text() for i in issues]
