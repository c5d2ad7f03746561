"""HTML publication: ``output/<name>/html/index.html`` (one self-contained page, style sheet and script inline) and
its figures beside it in ``html/figures/``.

The page lays out the same presentation model as the DocBook (:func:`build_tools.document.build.build_document`) through
``templates/html/supplement.html.j2``, so both carry the same text in the same order with the same section and table
numbers, and every HTML anchor equals the DocBook ``xml:id``. Links into this supplement are ``#anchor``s; links into
the rest of the standard point at the standard's published pages (see :func:`standard_url`); nothing is loaded
from the network when the page is viewed.

Python decides (URLs, CSS string escaping, heading levels, the table of contents, whether anything is deleted);
the templates only lay out. The page lays out the document as :func:`build_tools.document.layout.view` gives it:
instructions in the standard's idiom and no editorial wrapper sections, so that every section has one entry in
the table of contents.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from build_tools.core.prose import Emphasis
from build_tools.diff.report import render_html
from build_tools.diff.since import Since
from build_tools.document.layout import view
from build_tools.document.nodes import Chapter, Document, Entry, Link, Row, Section
from build_tools.outputs.base import BuildContext, Output, environment

FOLDER = "html"
FILE = "index.html"
TEMPLATE = "supplement.html.j2"
#: The standard's published HTML, current edition: chunked pages and one page per part.
CHTML = "https://dicom.nema.org/medical/dicom/current/output/chtml"
SINGLE = "https://dicom.nema.org/medical/dicom/current/output/html"
FINAL = "Final Text"


SINCE_ID = "chapter_ChangesSince"
CHANGES_FILE = "changes.html"


def _part_folder(part: str) -> str | None:
    """``PS3.3`` -> ``part03``; None for anything that is not a part of the standard."""
    found = re.fullmatch(r"PS3\.(\d+)", part or "")
    return f"part{int(found.group(1)):02d}" if found else None


def standard_url(link: Link) -> str | None:
    """Where a reference outside this supplement points in the published standard (None: no such page).

    Sections, chapters and CIDs have their own page in the chunked HTML (``chtml/part03/sect_C.7.3.html``); a part
    alone is its table of contents (``chtml/part03/PS3.3.html``); a table numbered in a chapter or annex
    (``6-1``, ``A-1``, ``D-1``) is an anchor in that chapter's page; DCM codes are anchors of PS3.16 Annex D; any
    other object is an anchor of the part's single-page HTML, which holds every id of the part.
    """
    folder = _part_folder(link.part or "")
    target = link.target
    if folder is None or not target:
        return None
    if target == link.part:
        return f"{CHTML}/{folder}/{link.part}.html"
    if target.startswith(("sect_", "chapter_")):
        return f"{CHTML}/{folder}/{target}.html"
    table = re.fullmatch(r"table_([A-Z]+|\d+)-[\w.]+", target)
    if table:
        return f"{CHTML}/{folder}/chapter_{table.group(1)}.html#{target}"
    if target.startswith("DCM_"):
        return f"{CHTML}/{folder}/chapter_D.html#{target}"
    return f"{SINGLE}/{folder}.html#{target}"


def css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string that cannot end the ``<style>`` element."""
    out = []
    for char in str(text):
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents: anchor, number and title, and the entries below it."""

    id: str
    label: str
    title: str
    children: tuple = ()


def toc(document: Document, depth: int = 4) -> tuple:
    """The table of contents: chapters and their sections down to ``depth`` levels below the chapter."""

    def entry(node: Chapter | Section, level: int) -> TocEntry:
        children = tuple(entry(child, level + 1) for child in node.sections) if level < depth else ()
        return TocEntry(node.id, getattr(node, "label", "") or "", node.title, children)

    return tuple(entry(chapter, 0) for chapter in document.chapters)


def has_deletions(node) -> bool:
    """Whether ``node`` (a document or any node of it) deletes anything: struck-through words, a removed row or
    term. Without one, the page offers no "Hide deletions" control."""
    if isinstance(node, Emphasis) and node.role == "strikethrough":
        return True
    if isinstance(node, (Row, Entry)) and node.change == "removed":
        return True
    if isinstance(node, tuple):
        return any(has_deletions(item) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return any(has_deletions(getattr(node, f.name)) for f in dataclasses.fields(node)
                   if isinstance(getattr(node, f.name), tuple) or dataclasses.is_dataclass(getattr(node, f.name)))
    return False


#: The filters of ``templates/html/``: Python decides URLs and CSS escaping, the templates only lay out.
FILTERS = {"standard_url": standard_url, "css_string": css_string}


def render(document: Document, templates: Path | None = None, since: Since | None = None, *,
           env: Environment | None = None) -> str:
    """The page for ``document`` (deterministic: nothing in it depends on when or where it is built).

    ``since`` adds the "Changes since" chapter and its contents entry. ``env`` is the build's environment
    (``ctx.environment("html", filters=FILTERS)``), by default the package's; ``templates`` is ignored (the
    templates are the package's, :mod:`build_tools.core.resources`) and kept for old callers.
    """
    document = view(document)  # the editorial wrappers laid out away: one contents entry per section
    entries = toc(document)
    if since is not None:
        entries = (TocEntry(SINCE_ID, "", f"Changes since {since.version}"),) + entries
    env = env or environment(FOLDER, filters=FILTERS)
    return env.get_template(TEMPLATE).render(doc=document, toc=entries, draft=document.status != FINAL, since=since,
                                             deletions=has_deletions(document.chapters))


class Html(Output[BuildContext]):
    """``html/index.html`` and ``html/figures/``; with ``--since``, also ``html/changes.html``."""

    name = "html"
    folder = FOLDER
    summary = "HTML page for reviewers and print; changes.html with --since"

    def write(self, ctx: BuildContext, out: Path) -> None:
        since = ctx.since
        page = render(ctx.document, since=since, env=ctx.environment(FOLDER, filters=FILTERS))
        (out / FILE).write_bytes(page.encode("utf-8"))
        ctx.copy_figures(out)
        comparison = ctx.comparison
        if comparison is not None and since is not None:
            changes = render_html(since.changes, comparison.old, ctx.supplement,
                                  (f"revision {since.rev}", "this build"), document=FILE)
            (out / CHANGES_FILE).write_bytes(changes.encode("utf-8"))
