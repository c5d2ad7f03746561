"""The nodes of the format-neutral presentation model (see :mod:`build_tools.document.build` for the overview).

Every node is a frozen dataclass with a ``kind`` string that templates dispatch on. Inline nodes are
:class:`~build_tools.core.prose.Text`, :class:`~build_tools.core.prose.Emphasis` (roles ``italic``, ``bold``, ``underline``
for inserted text, ``strikethrough`` for deleted text) and :class:`Link`. Everything else is a block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_tools.core.prose import Emphasis, Text

#: What a :class:`Link` can point at (its ``target_kind``).
TARGET_KINDS = ("element", "module", "iod", "section", "table", "cid", "code", "uid", "part")

__all__ = ["TARGET_KINDS", "Text", "Emphasis", "Link", "Para", "ItemList", "Note", "Entry", "VariableList",
           "Instruction", "Cell", "Row", "Table", "Figure", "Section", "Chapter", "Document"]


@dataclass(frozen=True)
class Link:
    """A resolved reference.

    ``text`` is what a reader sees ("Contact Method (0016,1003)"); ``part`` and ``target`` say where it points in
    the standard (``PS3.3``/``sect_C.8.12.13``); ``local`` is the id of the target inside this document when the
    target is part of it (an xref / ``#anchor``), else None (an olink to ``part`` / a link to the published
    standard). ``target`` None means there is nothing to link to (plain text). ``xrefstyle`` is set where the
    standard lets the stylesheet generate the text (IOD Reference column, Include rows, CID references).
    ``target_kind`` says what the link points at: one of :data:`TARGET_KINDS` (``element``, ``module``, ``iod``,
    ``section``, ``table``, ``cid``, ``code``, ``uid``, ``part``), None for plain text; the HTML writes it as the
    class ``ref-<target_kind>``. (``kind`` stays ``"link"``: it is the node type every template dispatches on.)
    """

    text: str
    part: str | None = None
    target: str | None = None
    local: str | None = None
    xrefstyle: str | None = None
    target_kind: str | None = None
    kind: str = "link"


@dataclass(frozen=True)
class Para:
    inlines: tuple
    id: str | None = None
    kind: str = "para"


@dataclass(frozen=True)
class ItemList:
    ordered: bool
    items: tuple  # of tuples of inlines
    kind: str = "list"


@dataclass(frozen=True)
class Note:
    blocks: tuple
    kind: str = "note"


@dataclass(frozen=True)
class Entry:
    """An entry of a variable list: a term and its definition (``change`` is ``added``/``removed``/None)."""

    term: tuple
    blocks: tuple
    change: str | None = None


@dataclass(frozen=True)
class VariableList:
    """Enumerated Values / Defined Terms (title with the colon), or the header of a CID (title None)."""

    title: str | None
    entries: tuple
    compact: bool = True
    kind: str = "variablelist"


@dataclass(frozen=True)
class Instruction:
    """An editorial instruction to the editor of the standard ("Modify Section C.8.12.1 as follows:")."""

    inlines: tuple
    kind: str = "instruction"


@dataclass(frozen=True)
class Cell:
    blocks: tuple = ()
    align: str = "left"
    colspan: int = 1
    rowspan: int = 1
    header: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple
    change: str | None = None  # "added", "removed", "changed" or None
    depth: int = 0  # nesting depth of a module-table row (the number of ">")


@dataclass(frozen=True)
class Table:
    """An HTML-model table. ``label`` None makes it an informal table (no caption, no number).

    ``role`` names what the table is (``iod``, ``functional-groups``, ``module``, ``registry``, ``uids``,
    ``context-uids``, ``sop-classes``, ``cid``, ``codes``, ``change``, ``history``, ``issues``) for styling and for
    readers.
    """

    id: str | None
    label: str | None
    caption: str | None
    head: tuple
    body: tuple
    role: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    title: str
    file: str  # path relative to the rendered document, e.g. figures/scale.svg
    source: str = field(default="", compare=False)  # path of the image in the spec folder
    kind: str = "figure"


@dataclass(frozen=True)
class Section:
    """A section; ``label`` is its number in the standard ("" for an editorial wrapper without a number)."""

    id: str
    label: str
    title: str
    blocks: tuple = ()
    sections: tuple = ()
    status: int | None = None
    role: str = ""
    kind: str = "section"


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    subtitle: str | None = None
    blocks: tuple = ()
    sections: tuple = ()
    part: str | None = None
    kind: str = "chapter"


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    number: int
    supplement_title: str
    organization: str
    status: str
    version: str
    date: str
    pubdate: str
    work_item: str | None
    chapters: tuple
    figures: tuple = ()
