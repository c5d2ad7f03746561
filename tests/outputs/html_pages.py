"""Helpers of the HTML tests (tests/test_html.py, tests/test_browser.py): build a supplement's DocBook and HTML into
a temporary folder, and make modified copies of a spec folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_tools.build import Report, lint, run_outputs
from build_tools.outputs import html
from build_tools.outputs.base import BuildContext
from build_tools.outputs.docbook import DocBook
from build_tools.outputs.html import Html
from build_tools.core.errors import Severity
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index

ROOT = Path(__file__).resolve().parents[2]
DERMOSCOPY = ROOT / "spec" / "dermoscopy"
WIDGET = ROOT / "tests" / "fixtures" / "docbook" / "widget"


def build_page(folder: Path, out: Path, rules: bool = True) -> Path:
    """Load ``folder`` (no errors allowed; with ``rules`` also lint it), render its DocBook and HTML into ``out``;
    the page's path. The widget fixture breaks rules on purpose (odd groups), so its tests load it only."""
    if rules:
        supplement, findings = lint(folder)
    else:
        findings = []
        supplement = load_supplement(folder, findings)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert not errors, "\n".join(map(str, errors))
    ctx = BuildContext(supplement, Index(supplement), spec_folder=folder)
    run_outputs([DocBook, Html], ctx, out, Report())
    return out / html.FOLDER / html.FILE


def modified_copy(folder: Path, target: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    """A copy of the spec ``folder`` at ``target`` with, per file name, (old, new) text replacements applied once."""
    shutil.copytree(folder, target)
    for name, replacements in edits.items():
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{name}: {old!r} not found; the test's edit no longer fits the spec"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target
