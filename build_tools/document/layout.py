"""The change text of each part laid out as the standard's editor reads it: no editorial wrapper sections, and the
rows added to an existing table between "…" context rows.

:func:`build_tools.document.build.build_document` gives each change of a part chapter an editorial wrapper
section (role ``change-<kind>``) holding its instructions (already in the standard's idiom,
:mod:`build_tools.document.idiom`) and content. A wrapper is no section of the standard: written out, it doubles
every entry of a table of contents ("Section C.8.12.13 (new)" above "C.8.12.13 Dermoscopic Image Module").
:func:`units` turns the wrappers of a chapter into :class:`Unit`\\ s (what to do, where, with what); :func:`flow`
lays them out again without wrappers: an instruction, then the content, in reading order; where an instruction
follows a section, it becomes the last paragraph of that section's last subsection (the point where a reader meets
it), since DocBook allows no paragraph after a section. :func:`view` does this for every part chapter of a
document; every output (DocBook, HTML, PDF, Word) lays out the view, so all say the same.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, replace

from build_tools.core.prose import Text
from build_tools.document.build import CHANGE_ROLE
from build_tools.document.idiom import previous_section, uid_key
from build_tools.document.nodes import Cell, Chapter, Document, Instruction, Link, Para, Row, Section, Table
from build_tools.document.parts import cid_header, standard_cid
from build_tools.document.refs import para_id

__all__ = ["Unit", "units", "flow", "unwrapped", "view", "number_paras", "cid_header", "cid_version",
           "standard_cid", "uid_key", "label_key", "previous_section", "ELLIPSIS"]

ELLIPSIS = "…"


@dataclass(frozen=True)
class Unit:
    """One change of a part: ``kind`` (``amend``, ``section`` (new sections), ``annex``, ``rows`` (rows added to
    existing tables)), its instructions, and its content. ``tables`` are the added rows without context rows
    (what ``dicomsup merge`` inserts); ``blocks`` and ``sections`` are what a reader sees."""

    part: str
    kind: str
    instructions: tuple
    blocks: tuple = ()
    sections: tuple = ()
    tables: tuple = ()
    version: str | None = None  #: the new Version of an amended CID (``YYYYMMDD``)


def label_key(label: str) -> tuple:
    """Sort key of a section label: C.8.12.9 < C.8.12.12 < C.8.12.13."""
    return tuple((0, int(piece), "") if piece.isdigit() else (1, 0, piece)
                 for piece in re.split(r"[.\- ]", label) if piece)


def _ellipsis_row(width: int) -> Row:
    return Row(tuple(Cell((Para((Text(ELLIPSIS),)),)) for _ in range(width)))


def _in_context(table: Table) -> Table:
    """``table`` as a reader sees added rows: between "…" rows (the rest of the table is omitted)."""
    width = max((len(row.cells) for row in table.head), default=0) or \
        max((len(row.cells) for row in table.body), default=1)
    return replace(table, body=(_ellipsis_row(width),) + table.body + (_ellipsis_row(width),))


def units(chapter: Chapter, version: str = "") -> tuple[Unit, ...]:
    """The changes of a part chapter (see the module's documentation); ``version`` is the Version an amended CID
    gets (the supplement's date, ``YYYYMMDD``)."""
    part = chapter.part or ""
    out: list[Unit] = []
    for wrapper in chapter.sections:
        if not wrapper.role.startswith(CHANGE_ROLE):
            out.append(Unit(part, "section", (), (), (wrapper,)))
            continue
        kind = wrapper.role[len(CHANGE_ROLE):]
        instructions = tuple(b for b in wrapper.blocks if isinstance(b, Instruction))
        content = tuple(b for b in wrapper.blocks if not isinstance(b, Instruction))
        if kind != "rows":
            out.append(Unit(part, kind, instructions, content, wrapper.sections))
            continue
        tables = tuple(b for b in content if isinstance(b, Table))
        cid = any((t.label or "").startswith("CID ") for t in tables)
        shown = tuple(_in_context(b) if isinstance(b, Table) else b for b in content)
        out.append(Unit(part, kind, instructions, shown, (), tables, version if cid else None))
    return tuple(out)


def _append_last(sections: list, blocks: tuple) -> None:
    """Put ``blocks`` at the end of the last subsection of the last section (in place)."""
    def deepest(section: Section) -> Section:
        if section.sections:
            return replace(section, sections=section.sections[:-1] + (deepest(section.sections[-1]),))
        return replace(section, blocks=section.blocks + blocks)

    sections[-1] = deepest(sections[-1])


def flow(chapter: Chapter, laid: tuple[Unit, ...] | None = None, version: str = "") -> Chapter:
    """The part chapter without wrappers: each unit's instructions then content, in order."""
    laid = units(chapter, version) if laid is None else laid
    # Changes that add no section (rows of existing tables) come first: after a section, their tables could only
    # sit inside it, where they would read as part of it (CID 29's rows inside a new CID 9999).
    laid = tuple(sorted(laid, key=lambda unit: bool(unit.sections)))
    blocks: list = list(chapter.blocks)
    sections: list = []
    for unit in laid:
        lead = tuple(unit.instructions) + tuple(unit.blocks)
        if sections:
            _append_last(sections, lead)
        else:
            blocks.extend(lead)
        sections.extend(unit.sections)
    return replace(chapter, blocks=tuple(blocks), sections=tuple(sections))


def number_paras(node, key: str, counters: dict[str, int] | None = None, scope: str = ""):
    """``node`` with an id on every paragraph that has none: ``para_<uuid>``, a UUID 5 of ``key``, the id of the
    enclosing section, chapter or table and the paragraph's position in it, as the standard's paragraphs have
    ids. Deterministic: the same text gives the same ids in every build and in every format."""
    counters = {} if counters is None else counters
    if isinstance(node, tuple):
        return tuple(number_paras(item, key, counters, scope) for item in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type) or isinstance(node, Link):
        return node
    if isinstance(node, (Section, Chapter)) or (isinstance(node, Table) and node.id):
        scope = node.id
    changes = {}
    for item in dataclasses.fields(node):
        value = getattr(node, item.name)
        if isinstance(value, tuple) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            new = number_paras(value, key, counters, scope)
            if new is not value:
                changes[item.name] = new
    if isinstance(node, Para) and node.id is None:
        counters[scope] = counters.get(scope, 0) + 1
        changes["id"] = para_id(f"{key}/{scope}/{counters[scope]}")
    return replace(node, **changes) if changes else node


def cid_version(document: Document) -> str:
    """The Version a context group changed by ``document`` gets: the supplement's date, as PS3.16 dates them."""
    return document.date.replace("-", "")


def unwrapped(document: Document) -> Document:
    """``document`` with every part chapter laid out by :func:`flow` (what the PDF and the Word document show:
    their paragraphs need no ids)."""
    return replace(document, chapters=tuple(flow(c, version=cid_version(document)) if c.part else c
                                            for c in document.chapters))


def view(document: Document) -> Document:
    """:func:`unwrapped`, with every paragraph numbered (:func:`number_paras`), as the DocBook and HTML have it."""
    laid = unwrapped(document)
    return replace(laid, chapters=number_paras(laid.chapters, f"Supplement {document.number}"))
