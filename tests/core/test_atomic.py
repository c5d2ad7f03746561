"""Swapping built folders into output/: never neither the old nor the new tree, one build at a time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.core import atomic
from build_tools.core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def _tree(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "file.txt").write_text(text)
    return folder


def test_replace_exchanges_an_existing_folder(tmp_path):
    final = _tree(tmp_path / "out" / "dermoscopy", "old")
    new = _tree(tmp_path / "out" / ".build-x" / "dermoscopy", "new")
    atomic.replace(new, final)
    assert (final / "file.txt").read_text() == "new"
    assert not new.exists()


def test_a_crash_between_the_two_renames_is_completed_by_the_next_run(tmp_path, monkeypatch):
    """Without an atomic exchange the swap takes two renames; kill -9 between them leaves the old folder aside."""
    out = tmp_path / "out"
    final = _tree(out / "dermoscopy", "old")
    new = _tree(out / ".build-x" / "dermoscopy", "new")
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    renames = []

    def rename_then_die(src, dst):
        renames.append((src, dst))
        if len(renames) == 2:
            raise KeyboardInterrupt  # the process dies here
        os.replace(src, dst)

    monkeypatch.setattr(atomic.os, "rename", rename_then_die)
    with pytest.raises(KeyboardInterrupt):
        atomic.replace(new, final)
    monkeypatch.undo()
    assert not final.exists()  # the moment the issue describes
    atomic.recover(out)
    assert (final / "file.txt").read_text() == "old"
    assert not [p for p in out.iterdir() if atomic.ASIDE in p.name]


def test_recover_removes_a_leftover_when_the_folder_is_in_place(tmp_path):
    out = tmp_path / "out"
    _tree(out / "dermoscopy", "new")
    _tree(out / f".dermoscopy{atomic.ASIDE}123", "old")
    atomic.recover(out)
    assert sorted(p.name for p in out.iterdir()) == ["dermoscopy"]


def test_a_symlinked_output_folder_is_refused_and_its_target_untouched(tmp_path):
    elsewhere = _tree(tmp_path / "elsewhere", "precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "dermoscopy").symlink_to(elsewhere)
    new = _tree(out / ".build-x" / "dermoscopy", "new")
    with pytest.raises(InputError) as caught:
        atomic.replace(new, out / "dermoscopy")
    assert "symbolic link" in caught.value.findings[0].message
    assert (elsewhere / "file.txt").read_text() == "precious"


def test_a_second_build_at_the_same_time_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with atomic.locked(out):
        with pytest.raises(InputError) as caught:
            with atomic.locked(out):
                pass
    assert "another dicomsup build" in caught.value.findings[0].message
    with atomic.locked(out):  # released
        pass


def _build(tmp_path: Path, out: Path) -> subprocess.CompletedProcess:
    spec = tmp_path / "spec"
    if not spec.exists():
        import shutil
        shutil.copytree(MINIMAL, spec / "minimal")
    return subprocess.run([sys.executable, "-m", "build_tools", "build", "--spec", str(spec), "--out", str(out),
                           "--only", "docbook", "-q"], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("make", ["file", "dangling-link"])
def test_output_that_is_a_file_or_a_dangling_link_is_a_one_line_error(tmp_path, make):
    out = tmp_path / "output"
    if make == "file":
        out.write_text("not a folder")
    else:
        out.symlink_to(tmp_path / "nowhere")
    done = _build(tmp_path, out)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert str(out.name) in done.stdout + done.stderr
    assert out.is_symlink() or out.read_text() == "not a folder"
