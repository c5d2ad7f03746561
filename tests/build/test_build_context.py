"""BuildContext: the document is built once for every output and its warnings are reported once, by the context,
whichever outputs run; the Jinja environments and the ``--since`` data are computed once too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.build import Report, run_outputs
from build_tools.core import resources
from build_tools.load.loader import load_supplement
from build_tools.outputs import base, docbook, html
from build_tools.outputs.base import BuildContext, ProjectContext
from build_tools.outputs.docbook import DocBook
from build_tools.outputs.html import Html
from build_tools.standard.index import Index

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"

needs_docbook_schema = pytest.mark.skipif(not docbook.SCHEMA.is_file(),
                                          reason="DocBook 5.0 schema not installed (apt install docbook5-xml)")


@pytest.fixture
def dangling(tmp_path: Path) -> Path:
    """The minimal supplement with one reference that resolves to nothing: the document warns about it."""
    folder = tmp_path / "minimal"
    shutil.copytree(MINIMAL, folder)
    content = folder / "content.yaml"
    text = content.read_text(encoding="utf-8")
    old = "description: An image of a skin lesion with a marker of known color."
    assert old in text
    content.write_text(text.replace(old, f"{old[:-1]}, see {{de:NoSuchKeyword}}."), encoding="utf-8")
    return folder


def context(folder: Path) -> BuildContext:
    supplement = load_supplement(folder, [])
    return BuildContext(supplement, Index(supplement), spec_folder=folder)


def dangling_warnings(ctx: BuildContext) -> list[str]:
    return [f.message for f in ctx.warnings if "NoSuchKeyword" in f.message]


def test_document_is_built_once(dangling: Path, monkeypatch) -> None:
    calls = []
    real = base.build_document
    monkeypatch.setattr(base, "build_document", lambda *args: calls.append(args) or real(*args))
    ctx = context(dangling)
    assert ctx.document is ctx.document
    assert ctx.ids and ctx.ids is ctx.ids
    assert len(calls) == 1


@needs_docbook_schema
def test_document_warnings_are_reported_once_for_docbook_and_html(dangling: Path, tmp_path: Path) -> None:
    ctx = context(dangling)
    run_outputs([DocBook, Html], ctx, tmp_path / "out", Report())
    assert len(dangling_warnings(ctx)) == 1, [str(f) for f in ctx.warnings]


def test_html_alone_reports_the_document_warnings(dangling: Path, tmp_path: Path) -> None:
    """DocBook used to report them, so a build of the HTML alone (--only html) lost them."""
    ctx = context(dangling)
    run_outputs([Html], ctx, tmp_path / "out", Report())
    assert len(dangling_warnings(ctx)) == 1
    assert (tmp_path / "out" / "html" / "index.html").is_file()


def test_no_since_without_a_revision() -> None:
    ctx = context(MINIMAL)
    assert ctx.since_rev is None and ctx.comparison is None and ctx.since is None


def test_environments_are_shared_and_carry_their_filters() -> None:
    ctx = context(MINIMAL)
    assert ctx.environment("docbook") is resources.environment("docbook", markup=True)
    env = ctx.environment("html", filters=html.FILTERS)
    assert env is ctx.environment("html", filters=dict(html.FILTERS)) is ProjectContext().environment(
        "html", filters=html.FILTERS)
    assert env.filters["css_string"] is html.css_string
    assert "css_string" not in resources.environment("html", markup=True).filters, "the shared one is left alone"


def test_figures_are_copied_from_the_supplement_folder(tmp_path: Path) -> None:
    widget = ROOT / "tests" / "fixtures" / "docbook" / "widget"
    ctx = context(widget)
    written = ctx.copy_figures(tmp_path)
    assert written and all(path.is_file() for path in written)
    assert (tmp_path / "figures" / "widget.svg").read_bytes() == (widget / "figures" / "widget.svg").read_bytes()
