"""Fixtures of the baseline tests: the source the baseline is generated from, when this machine has it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: ``ps33-structure.json`` and its innolitics files (``DICOMSUP_STANDARD`` overrides where they are).
SOURCE = Path(os.environ.get("DICOMSUP_STANDARD", ROOT.parent / "shared" / "standard"))


@pytest.fixture(scope="session")
def source() -> dict:
    """The parsed ``ps33-structure.json``; the tests that compare with it are skipped without it."""
    path = SOURCE / "ps33-structure.json"
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine (set DICOMSUP_STANDARD to its folder)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def definitions(source: dict) -> list[dict]:
    """The source's PS3.3 definitions: pseudo-modules, profiles, directory records and PS3.10 aside."""
    return [m for m in source["modules"] if not m.get("pseudo")
            and m.get("d3t_category") not in ("pseudo", "profile", "directory-record")
            and m.get("part") != "PS3.10"]
