"""Copies of ``tests/fixtures/minimal`` (or another fixture) with edits, and where a text stands in them, for the lint tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_tools.core.errors import Loc, relative

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


def edited(tmp_path: Path, edits: list[tuple[str, str, str]], *, fixture: Path = MINIMAL,
           name: str = "supplement") -> Path:
    """A copy of the minimal supplement (or of another ``fixture``, as ``tmp_path/name``) with ``(file, old, new)``
    replacements (``old`` must occur once)."""
    folder = tmp_path / name
    shutil.copytree(fixture, folder)
    for file, old, new in edits:
        path = folder / file
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def position(folder: Path, file: str, needle: str) -> Loc:
    """Where ``needle`` first occurs in ``file``, as the rules report locations."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Loc(relative(path), line, column)
