"""Word ballot document: ``output/<name>/docx/supplement.docx``, with the amendments as real tracked changes.

Working groups review supplements in Word. The document lays out the same presentation model as the DocBook and the
HTML (:func:`build_tools.document.build.build_document`), made with python-docx plus the WordprocessingML it does
not cover (the functions of this module before :class:`_Writer`):

- a title page (title, working group, status, version, date, work item), then the chapters of the model (Document
  History, Open and Closed Issues, Foreword, Scope, one chapter per part changed), each from a new page; with
  ``--since REV`` the "Changes since" chapter comes first;
- chapters are Word's own ``Heading 1``, their sections ``Heading 2`` and below by nesting depth, so Word's
  navigation pane and outline show the supplement's structure; tables have a ``Caption`` above them ("Table
  C.8.12.13-1. …"), figures below; tables use ``Table Grid`` with a repeating header row (``w:tblHeader``) and
  fixed column widths chosen by the table's role (a module table's name, tag, type and description);
- editorial instructions ("Add the following rows to Table 6-1 …:") are bold italic (style ``Instruction``);
- the words an amendment inserts are ``w:ins`` runs and the words it deletes ``w:del`` runs (``w:delText``), by the
  working group (``w:author``) on the draft's date (``w:date``), each with its own ``w:id``, so a reviewer accepts
  or rejects them in Word's review pane. A paragraph, Defined Term or table row that the amendment adds or removes
  whole has its paragraph mark or row tracked too, so that rejecting it removes it. New sections and tables (what
  the supplement adds whole) are plain text, as the supplement convention says; nothing else is a change. The
  "Changes since" chapter is a report, not an amendment: its words are underlined and struck through as formatting;
- deterministic: the package is rewritten with fixed zip entries (:func:`normalized`)
  and core properties from the spec (created and modified on the draft's date, the working group as author, the
  number of history entries as revision); no rsid or other random id is written.

Links inside the supplement are internal hyperlinks to bookmarks; references into the rest of the standard are
plain text (the published standard's addresses are the HTML output's business).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH as JC
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Inches, Pt, RGBColor

from build_tools.diff.since import Since
from build_tools.document.layout import unwrapped
from build_tools.document.nodes import Chapter, Document, Figure, Section, Table
from build_tools.outputs.base import BuildContext, Output, figure_source

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOLDER = "docx"
FILE = "supplement.docx"
FINAL = "Final Text"
SINCE_ID = "chapter_ChangesSince"
#: Text width of a US Letter page with 1 inch margins, in twentieths of a point.
TEXT_WIDTH = 9360
#: Column widths (relative) of the tables of each role, by column count; others share the width equally.
WIDTHS: dict[tuple[str, int], tuple[int, ...]] = {
    ("module", 4): (27, 15, 8, 50),
    ("iod", 4): (17, 33, 30, 20),
    ("functional-groups", 3): (35, 20, 45),
    ("registry", 6): (15, 30, 30, 8, 8, 9),
    ("uids", 5): (28, 30, 22, 12, 8),
    ("context-uids", 3): (36, 20, 44),
    ("sop-classes", 4): (30, 30, 25, 15),
    ("cid", 3): (30, 25, 45),
    ("codes", 4): (14, 26, 36, 24),
    ("history", 3): (18, 18, 64),
    ("issues", 3): (6, 50, 44),
    ("change", 4): (27, 15, 8, 50),
    ("since", 4): (20, 30, 15, 35),
}
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
HEADER_FILL = "D9D9D9"
PX = 9525  # EMU per CSS pixel
MAX_HEADING = 9
#: The extended properties: the template's claim to be "Microsoft Macintosh Word" and its counts replaced.
APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           b"<Application>dicomsup</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
           b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           b"<HyperlinksChanged>false</HyperlinksChanged></Properties>")


# --- WordprocessingML that python-docx does not cover --------------------------------------------------------

#: The extension of DrawingML that carries an SVG picture beside its raster fallback (Office 2016 and later).
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
#: Zip entry time of every part: the earliest a zip file can say (no build time in the package).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Longest bookmark name Word keeps.
BOOKMARK_LENGTH = 40


def element(tag: str, attrs: dict[str, object] | None = None, *children) -> Any:
    """``<w:tag w:attr="…">children</w:tag>``; attribute names are prefixed names (``w:val``)."""
    node = OxmlElement(tag)
    for name, value in (attrs or {}).items():
        node.set(qn(name), str(value))
    for child in children:
        if child is not None:
            node.append(child)
    return node


# --- Runs and tracked changes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run's worth of text with its formatting: ``change`` is ``ins``/``del`` (tracked) or None; ``anchor`` the
    bookmark a hyperlink goes to."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    change: str | None = None
    anchor: str | None = None


#: Unformatted, unchanged text: where :meth:`_Writer.pieces` starts.
PLAIN = Piece("")


class Revisions:
    """Who and when of every tracked change, and the one counter of annotation ids (changes and bookmarks)."""

    def __init__(self, author: str, date: str):
        self.author = author
        self.date = date
        self._next = 0

    def next_id(self) -> int:
        self._next += 1
        return self._next

    def mark(self, kind: str, *children) -> object:
        """A ``w:ins`` or ``w:del`` with a fresh id."""
        return element(f"w:{kind}", {"w:id": self.next_id(), "w:author": self.author, "w:date": self.date},
                       *children)


def new_run(piece: Piece) -> object:
    """One ``w:r``: properties in schema order, then ``w:t`` (``w:delText`` for deleted text)."""
    props = []
    if piece.anchor:
        props.append(element("w:rStyle", {"w:val": "Hyperlink"}))
    if piece.bold:
        props.append(element("w:b"))
    if piece.italic:
        props.append(element("w:i"))
    if piece.strike:
        props.append(element("w:strike"))
    if piece.underline:
        props.append(element("w:u", {"w:val": "single"}))
    text = element("w:delText" if piece.change == "del" else "w:t")
    text.text = piece.text
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element("w:r", None, element("w:rPr", None, *props) if props else None, text)


def new_runs(pieces: list[Piece], revisions: Revisions) -> list:
    """The paragraph content for ``pieces``: neighbours with the same link share a ``w:hyperlink``, neighbours with
    the same change share a ``w:ins``/``w:del``."""
    out: list = []
    position = 0
    while position < len(pieces):
        anchor = pieces[position].anchor
        end = position
        while end < len(pieces) and pieces[end].anchor == anchor:
            end += 1
        content = _changes(pieces[position:end], revisions)
        if anchor:
            out.append(element("w:hyperlink", {"w:anchor": anchor}, *content))
        else:
            out.extend(content)
        position = end
    return out


def _changes(pieces: list[Piece], revisions: Revisions) -> list:
    out: list = []
    group: list[Piece] = []
    for piece in pieces + [None]:  # type: ignore[list-item]
        if group and (piece is None or piece.change != group[0].change):
            made = [new_run(p) for p in group]
            out.extend([revisions.mark(group[0].change, *made)] if group[0].change else made)
            group = []
        if piece is not None:
            group.append(piece)
    return out


def new_paragraph(style: str | None, content: list, *, align: str | None = None, mark: str | None = None,
              revisions: Revisions | None = None, keep_next: bool = False, numbering: tuple[int, int] | None = None,
              page_break_before: bool = False) -> object:
    """A ``w:p`` with its properties in schema order; ``mark`` (``ins``/``del``) tracks the paragraph mark itself,
    for a paragraph the amendment inserts or deletes whole (rejecting it then removes the paragraph too)."""
    props = []
    if style:
        props.append(element("w:pStyle", {"w:val": style}))
    if keep_next:
        props.append(element("w:keepNext"))
    if page_break_before:
        props.append(element("w:pageBreakBefore"))
    if numbering:
        props.append(element("w:numPr", None, element("w:ilvl", {"w:val": numbering[1]}),
                             element("w:numId", {"w:val": numbering[0]})))
    if align:
        props.append(element("w:jc", {"w:val": align}))
    if mark and revisions is not None:
        props.append(element("w:rPr", None, revisions.mark(mark)))
    p = element("w:p", None, element("w:pPr", None, *props) if props else None)
    for child in content:
        p.append(child)
    return p


def bookmarked(p, name: str, revisions: Revisions) -> object:
    """``p`` with a bookmark ``name`` around its content."""
    number = revisions.next_id()
    start = element("w:bookmarkStart", {"w:id": number, "w:name": name})
    props = p.find(qn("w:pPr"))
    if props is not None:
        props.addnext(start)
    else:
        p.insert(0, start)
    p.append(element("w:bookmarkEnd", {"w:id": number}))
    return p


class Bookmarks:
    """Word bookmark names for the document's ids: letters, digits and ``_`` only, at most 40 characters, unique,
    the same for the same id in every build."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self._taken: set[str] = set()

    def name(self, doc_id: str) -> str:
        found = self.names.get(doc_id)
        if found:
            return found
        base = "d_" + re.sub(r"[^A-Za-z0-9_]", "_", doc_id)
        if len(base) > BOOKMARK_LENGTH or base in self._taken:
            digest = hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8]
            base = f"{base[:BOOKMARK_LENGTH - 9]}_{digest}"
        self.names[doc_id] = base
        self._taken.add(base)
        return base


# --- Tables ----------------------------------------------------------------------------------------------------


@dataclass
class GridCell:
    """A model cell placed on the table grid: its first row and column, and how many it spans."""

    cell: object
    row: int
    column: int
    rowspan: int
    colspan: int


def layout(rows: list) -> tuple[list[list[GridCell]], int]:
    """Place the cells of ``rows`` (model :class:`~build_tools.document.nodes.Row`) on a grid, as HTML does: a
    cell with a rowspan takes its column in the rows below. Returns the placed cells per row and the column count."""
    taken: dict[tuple[int, int], bool] = {}
    placed: list[list[GridCell]] = []
    width = 0
    for r, row in enumerate(rows):
        column = 0
        mine = []
        for cell in row.cells:
            while taken.get((r, column)):
                column += 1
            span, down = max(1, cell.colspan), max(1, cell.rowspan)
            for dr in range(down):
                for dc in range(span):
                    taken[(r + dr, column + dc)] = True
            mine.append(GridCell(cell, r, column, down, span))
            column += span
        placed.append(mine)
        width = max([width, column] + [c + 1 for (rr, c) in taken if rr == r])
    return placed, width


def new_table(widths: list[int], style: str) -> object:
    """An empty ``w:tbl`` of fixed layout with the given column widths (twentieths of a point)."""
    props = element("w:tblPr", None, element("w:tblStyle", {"w:val": style}),
                    element("w:tblW", {"w:w": sum(widths), "w:type": "dxa"}),
                    element("w:tblLayout", {"w:type": "fixed"}),
                    element("w:tblLook", {"w:val": "04A0", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 0,
                                          "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1}))
    grid = element("w:tblGrid", None, *(element("w:gridCol", {"w:w": w}) for w in widths))
    return element("w:tbl", None, props, grid)


def new_row(header: bool, change: str | None, revisions: Revisions) -> object:
    """A ``w:tr``: a header row repeats on every page (``w:tblHeader``) and is not split; ``change`` (``ins``/``del``)
    tracks the row itself."""
    props = [element("w:cantSplit")] if header else []
    if header:
        props.append(element("w:tblHeader"))
    if change:
        props.append(revisions.mark(change))
    return element("w:tr", None, element("w:trPr", None, *props) if props else None)


def new_cell(width: int, colspan: int, merge: str | None, shade: str | None = None) -> object:
    """A ``w:tc`` of ``width``; ``merge`` is ``restart``/``continue`` for a cell spanning rows."""
    props = [element("w:tcW", {"w:w": width, "w:type": "dxa"})]
    if colspan > 1:
        props.append(element("w:gridSpan", {"w:val": colspan}))
    if merge:
        props.append(element("w:vMerge", {"w:val": merge} if merge == "restart" else None))
    if shade:
        props.append(element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": shade}))
    return element("w:tc", None, element("w:tcPr", None, *props))


# --- Pictures --------------------------------------------------------------------------------------------------


def svg_size(svg: bytes) -> tuple[float, float]:
    """Width and height of an SVG in CSS pixels (its ``width``/``height``, else its ``viewBox``; 400 x 300)."""
    head = svg[:4000].decode("utf-8", "replace")
    root = re.search(r"<svg\b[^>]*>", head, re.DOTALL)
    tag = root.group(0) if root else ""

    def number(name: str) -> float | None:
        found = re.search(rf'\b{name}\s*=\s*"\s*([0-9.]+)\s*(px)?\s*"', tag)
        return float(found.group(1)) if found else None

    width, height = number("width"), number("height")
    if width and height:
        return width, height
    box = re.search(r'viewBox\s*=\s*"\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)', tag)
    if box:
        return float(box.group(1)), float(box.group(2))
    return 400.0, 300.0


def placeholder_png(width: int, height: int) -> bytes:
    """A light grey PNG with a thin frame: the raster fallback that Word requires beside an SVG picture. Word 2016
    and later show the SVG itself; a reader that ignores the SVG extension (LibreOffice 7.4, older Word) shows this
    frame in the figure's place, with the caption below it."""
    width, height = max(2, min(width, 1200)), max(2, min(height, 1200))
    fill, frame = b"\xf2\xf2\xf2", b"\x99\x99\x99"
    edge = b"\x00" + frame * width
    middle = b"\x00" + frame + fill * (width - 2) + frame
    raw = edge + middle * (height - 2) + edge

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + \
        chunk(b"IEND", b"")


def svg_blip(inline, svg_rid: str) -> None:
    """Add the SVG picture ``svg_rid`` to the ``a:blip`` of a python-docx picture ``inline``."""
    blip = inline.find(".//" + qn("a:blip"))
    extension = parse_xml(f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_EXTENSION}">'
                          f'<asvg:svgBlip xmlns:asvg="{SVG_NS}" r:embed="{svg_rid}"/></a:ext></a:extLst>')
    blip.append(extension)


# --- The package -----------------------------------------------------------------------------------------------


def _order(name: str) -> tuple[int, str]:
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    return first.get(name, 2), name


def normalized(package: bytes) -> bytes:
    """The zip package rewritten deterministically: entries in a fixed order (content types, package
    relationships, then by name), every one dated 1980-01-01 00:00, deflated at level 6, no extra fields."""

    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist(), key=_order):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


# --- The document -------------------------------------------------------------------------------------------


def widths(role: str, count: int) -> list[int]:
    """Column widths in twentieths of a point for a table of ``role`` with ``count`` columns."""
    shares = WIDTHS.get((role, count)) or (1,) * count
    total = sum(shares)
    out = [TEXT_WIDTH * share // total for share in shares]
    out[-1] += TEXT_WIDTH - sum(out)
    return out


def heading_text(node: Chapter | Section) -> str:
    """The text of a heading: the section's number, then its title."""
    label = getattr(node, "label", "") or ""
    return f"{label} {node.title}" if label else node.title


def bookmark_ids(document: Document) -> set[str]:
    """The ids that get a bookmark: chapters, sections, captioned tables and figures, paragraphs with an id."""
    found: set[str] = set()

    def blocks(nodes) -> None:
        for block in nodes:
            kind = block.kind
            if kind == "para" and block.id:
                found.add(block.id)
            elif kind == "table":
                if block.id and block.label:
                    found.add(block.id)
                for row in block.head + block.body:
                    for cell in row.cells:
                        blocks(cell.blocks)
            elif kind == "figure":
                found.add(block.id)
            elif kind == "note":
                blocks(block.blocks)
            elif kind == "variablelist":
                for entry in block.entries:
                    blocks(entry.blocks)

    def node(item) -> None:
        found.add(item.id)
        blocks(item.blocks)
        for child in item.sections:
            node(child)

    for chapter in document.chapters:
        node(chapter)
    return found


class _Sink:
    """Where blocks go: the document body (before its section properties) or a table cell."""

    def __init__(self, parent, before=None, in_cell: bool = False):
        self.parent = parent
        self.before = before
        self.in_cell = in_cell
        self.last = None

    def add(self, element) -> None:
        if element.tag == qn("w:tbl") and self.last is not None and self.last.tag == qn("w:tbl"):
            self.add(new_paragraph(None, []))
        if self.before is not None:
            self.before.addprevious(element)
        else:
            self.parent.append(element)
        self.last = element


class _Writer:
    """One document being written: the python-docx document, the revisions, bookmarks and pictures."""

    def __init__(self, model: Document, author: str, since: Since | None, figure_bytes: Callable[[Figure], bytes],
                 revision: int):
        self.model = model
        self.author = author
        self.since = since
        self.figure_bytes = figure_bytes
        self.revision = revision
        self.doc = docx.Document()
        self.revisions = Revisions(author, f"{model.date}T00:00:00Z")
        self.bookmarks = Bookmarks()
        self.targets = bookmark_ids(model)
        if since is not None:
            self.targets.add(SINCE_ID)
        self.pictures = 0
        self.numbering: dict[str, int] = {}
        self.styles: dict[str, str] = {}
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.body = _Sink(body, body.find(qn("w:sectPr")))

    # --- set-up -------------------------------------------------------------------------------------------------

    def setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        section.left_margin = section.right_margin = Inches(1)
        section.top_margin = section.bottom_margin = Inches(1)
        self._styles()
        self._header_footer()
        self._settings()

    def _style(self, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
        styles = self.doc.styles
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, kind)
            if base:
                style.base_style = styles[base]
            style.quick_style = True
        self.styles[name] = style.style_id
        return style

    @staticmethod
    def _font(style, name: str | None = None, size: float | None = None, bold: bool | None = None,
              italic: bool | None = None, color: str | None = "000000") -> None:
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None and name:
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
        if name:
            style.font.name = name
        if size:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        if italic is not None:
            style.font.italic = italic
        if color:
            colour = rpr.find(qn("w:color"))
            if colour is not None:
                for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
                    colour.attrib.pop(qn(attribute), None)
            style.font.color.rgb = RGBColor.from_string(color)

    def _spacing(self, style, before: float = 0, after: float = 6, indent: float | None = None,
                 keep_next: bool = False, align=None) -> None:
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if indent is not None:
            fmt.left_indent = Inches(indent)
        if keep_next:
            fmt.keep_with_next = True
        if align is not None:
            fmt.alignment = align

    def _styles(self) -> None:
        normal = self._style("Normal")
        self._font(normal, "Times New Roman", 11)
        self._spacing(normal, 0, 6)
        sizes = {1: 16, 2: 14, 3: 13, 4: 12}
        for level in range(1, MAX_HEADING + 1):
            style = self._style(f"Heading {level}")
            self._font(style, "Arial", sizes.get(level, 11), bold=True, italic=False)
            self._spacing(style, 12 if level > 1 else 18, 6, keep_next=True)
        for name, size in (("Title", 20), ("Subtitle", 16)):
            style = self._style(name)
            self._font(style, "Arial", size, bold=name == "Title", italic=False)
            self._spacing(style, 12, 12, align=JC.CENTER)
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)
        caption = self._style("Caption")
        self._font(caption, "Arial", 10, bold=True, italic=False)
        self._spacing(caption, 6, 6, keep_next=True, align=JC.CENTER)
        instruction = self._style("Instruction")
        self._font(instruction, None, None, bold=True, italic=True)
        self._spacing(instruction, 6, 6, keep_next=True)
        table_text = self._style("Table Text")
        self._font(table_text, "Times New Roman", 9)
        self._spacing(table_text, 1, 1)
        table_heading = self._style("Table Heading", base="Table Text")
        self._font(table_heading, None, None, bold=True)
        self._spacing(table_heading, 1, 1, keep_next=True, align=JC.CENTER)
        for name, base, indent in (("Note", "Normal", 0.5), ("Definition Term", "Normal", 0.5),
                                   ("Definition", "Normal", 1.0), ("Table Note", "Table Text", 0.2),
                                   ("Table Definition Term", "Table Text", 0.2),
                                   ("Table Definition", "Table Text", 0.5)):
            style = self._style(name, base=base)
            self._spacing(style, 0, 3 if base == "Normal" else 1, indent=indent,
                          keep_next=name.endswith("Term"))
            if name.endswith("Note") and base == "Normal":
                self._font(style, None, 10)
        figure = self._style("Figure")
        self._spacing(figure, 6, 0, keep_next=True, align=JC.CENTER)
        front = self._style("Front Matter")
        self._spacing(front, 0, 6, align=JC.CENTER)
        hyperlink = self._style("Hyperlink", WD_STYLE_TYPE.CHARACTER, base=None)
        self._font(hyperlink, None, None, color="1F3F8F")
        for name in ("List Bullet", "List Number"):
            self._style(name)
        for style in self.doc.styles.element.findall(qn("w:style")):
            for rsid in style.findall(qn("w:rsid")):
                style.remove(rsid)

    def _header_footer(self) -> None:
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.text = f"{self.model.subtitle}\t\t{self.model.status} \u2013 Version {self.model.version}"
        footer = section.footer.paragraphs[0]
        footer.alignment = JC.CENTER
        footer.add_run("Page ")
        field = element("w:fldSimple", {"w:instr": " PAGE "}, new_run(Piece("1")))
        footer._p.append(field)

    def _settings(self) -> None:
        settings = self.doc.settings.element
        for tag in ("w:rsids", "w:proofState", "w:savePreviewPicture"):
            for found in settings.findall(qn(tag)):
                settings.remove(found)
        package = self.doc.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # the template's picture, not this document's
                del package.rels[rid]
        for rid, rel in list(self.doc.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):  # Word 2010's copy of the template's styles
                del self.doc.part.rels[rid]
        for part in package.iter_parts():
            if part.partname == "/docProps/app.xml":
                part._blob = APP_XML

    def properties(self) -> None:
        props = self.doc.core_properties
        day = datetime.strptime(self.model.date, "%Y-%m-%d")
        props.title = self.model.subtitle
        props.subject = self.model.title
        props.author = props.last_modified_by = self.author
        props.created = props.modified = day
        props.revision = self.revision
        props.version = self.model.version
        props.category = self.model.status
        props.keywords = f"DICOM; Supplement {self.model.number}"
        props.comments = f"{self.model.status}, version {self.model.version}"
        props.language = "en-US"
        props.content_status = self.model.status
        props.identifier = f"Supplement {self.model.number}"
        printed = props._element.find(qn("cp:lastPrinted"))
        if printed is not None:
            props._element.remove(printed)

    # --- inlines ------------------------------------------------------------------------------------------------

    def pieces(self, inlines, tracked: bool = True, fmt: Piece = PLAIN) -> list[Piece]:
        """The runs of ``inlines``: inserted/deleted emphasis become tracked changes (or, with ``tracked`` False,
        underline and strike-through formatting)."""
        out: list[Piece] = []
        for node in inlines:
            kind = node.kind
            if kind == "text":
                if node.text:
                    out.append(replace(fmt, text=node.text))
            elif kind == "emphasis":
                role = node.role
                if role == "bold":
                    inner = replace(fmt, bold=True)
                elif role == "underline":
                    inner = replace(fmt, change="ins") if tracked else replace(fmt, underline=True)
                elif role == "strikethrough":
                    inner = replace(fmt, change="del") if tracked else replace(fmt, strike=True)
                else:
                    inner = replace(fmt, italic=True)
                out.extend(self.pieces(node.children, tracked, inner))
            elif kind == "link":
                anchor = self.bookmarks.name(node.local) if node.local and node.local in self.targets else None
                if node.text:
                    out.append(replace(fmt, text=node.text, anchor=anchor))
        return out

    def para(self, style: str | None, pieces: list[Piece], *, in_cell: bool = False, align: str | None = None,
             doc_id: str | None = None, keep_next: bool = False, numbering=None, page_break: bool = False):
        """A paragraph of ``pieces``; outside tables, a paragraph that is all inserted or all deleted has its mark
        tracked too."""
        changes = {piece.change for piece in pieces}
        mark = changes.pop() if pieces and len(changes) == 1 and not in_cell else None
        p = new_paragraph(self.styles.get(style, style) if style else None, new_runs(pieces, self.revisions),
                        align=align, mark=mark, revisions=self.revisions, keep_next=keep_next, numbering=numbering,
                        page_break_before=page_break)
        if doc_id and doc_id in self.targets:
            bookmarked(p, self.bookmarks.name(doc_id), self.revisions)
        return p

    # --- blocks -------------------------------------------------------------------------------------------------

    def blocks(self, sink: _Sink, nodes, style: str | None = None, align: str | None = None) -> None:
        cell = sink.in_cell
        base = style or ("Table Text" if cell else None)
        for block in nodes:
            kind = block.kind
            if kind == "para":
                sink.add(self.para(base, self.pieces(block.inlines), in_cell=cell, align=align, doc_id=block.id))
            elif kind == "instruction":
                sink.add(self.para("Instruction", self.pieces(block.inlines), in_cell=cell, keep_next=True))
            elif kind == "list":
                self.item_list(sink, block, base)
            elif kind == "note":
                label = Piece("Note", bold=True)
                sink.add(self.para(base, [label], in_cell=cell, keep_next=True))
                self.blocks(sink, block.blocks, "Table Note" if cell else "Note")
            elif kind == "variablelist":
                self.variable_list(sink, block, base)
            elif kind == "table":
                self.table(sink, block)
            elif kind == "figure":
                self.figure(sink, block)

    def item_list(self, sink: _Sink, block, base: str | None) -> None:
        numbering = None
        if block.ordered:
            numbering = (self._restarted_numbering(), 0)
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            sink.add(self.para(style, self.pieces(item), in_cell=sink.in_cell, numbering=numbering))

    def _restarted_numbering(self) -> int:
        """A new ``w:num`` of the ``List Number`` list that starts again at 1 (each ordered list counts from 1)."""
        numbering = self.doc.part.numbering_part.element
        style = self.doc.styles["List Number"].element
        num_id = style.find(qn("w:pPr")).find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
        abstract = None
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        taken = [int(num.get(qn("w:numId"))) for num in numbering.findall(qn("w:num"))]
        new = max(taken) + 1
        nums = numbering.findall(qn("w:num"))
        nums[-1].addnext(element("w:num", {"w:numId": new}, element("w:abstractNumId", {"w:val": abstract}),
                                   element("w:lvlOverride", {"w:ilvl": 0},
                                             element("w:startOverride", {"w:val": 1}))))
        return new

    def variable_list(self, sink: _Sink, block, base: str | None) -> None:
        cell = sink.in_cell
        if block.title:
            sink.add(self.para(base, [Piece(block.title)], in_cell=cell, keep_next=True))
        term_style = "Table Definition Term" if cell else "Definition Term"
        definition_style = "Table Definition" if cell else "Definition"
        for entry in block.entries:
            sink.add(self.para(term_style, self.pieces(entry.term), in_cell=cell, keep_next=bool(entry.blocks)))
            self.blocks(sink, entry.blocks, definition_style)

    def table(self, sink: _Sink, block: Table) -> None:
        if block.label:
            caption = f"Table {block.label}. {block.caption}" if block.caption else f"Table {block.label}"
            sink.add(self.para("Caption", [Piece(caption)], in_cell=sink.in_cell, doc_id=block.id, keep_next=True))
        self.grid(sink, block.head, block.body, block.role)

    def grid(self, sink: _Sink, head: tuple, body: tuple, role: str, tracked: bool = True) -> None:
        rows = list(head) + list(body)
        placed, count = layout(rows)
        if count == 0:
            return
        columns = widths(role, count)
        if sink.in_cell:
            columns = [w * 2 // 3 for w in columns]
        tbl = new_table(columns, self.styles.get("Table Grid", "TableGrid"))
        spanning: dict[int, GridCell] = {}  # column -> cell spanning down into later rows
        for number, (model_row, cells) in enumerate(zip(rows, placed)):
            header = number < len(head)
            change = {"added": "ins", "removed": "del"}.get(model_row.change or "") if tracked else None
            tr = new_row(header, change, self.revisions)
            starts = {placed_cell.column: placed_cell for placed_cell in cells}
            column = 0
            while column < count:
                if column in starts:
                    item = starts[column]
                    merge = "restart" if item.rowspan > 1 else None
                    if item.rowspan > 1:
                        spanning[column] = item
                    tr.append(self.cell(item, columns, merge, header))
                    column += item.colspan
                elif column in spanning and spanning[column].row + spanning[column].rowspan > number:
                    item = spanning[column]
                    tc = new_cell(sum(columns[column:column + item.colspan]), item.colspan, "continue",
                                HEADER_FILL if header else None)
                    tc.append(new_paragraph(self.styles["Table Text"], []))
                    tr.append(tc)
                    column += item.colspan
                else:
                    tc = new_cell(columns[column], 1, None, HEADER_FILL if header else None)
                    tc.append(new_paragraph(self.styles["Table Text"], []))
                    tr.append(tc)
                    column += 1
            tbl.append(tr)
        sink.add(tbl)

    def cell(self, item: GridCell, columns: list[int], merge: str | None, header: bool):
        model = item.cell
        tc = new_cell(sum(columns[item.column:item.column + item.colspan]), item.colspan, merge,
                    HEADER_FILL if header or model.header else None)
        inner = _Sink(tc, in_cell=True)
        style = "Table Heading" if header or model.header else "Table Text"
        self.blocks(inner, model.blocks, style, ALIGN.get(model.align))
        if inner.last is None or inner.last.tag == qn("w:tbl"):
            tc.append(new_paragraph(self.styles["Table Text"], []))
        return tc

    def figure(self, sink: _Sink, block: Figure) -> None:
        svg = self.figure_bytes(block)
        width, height = svg_size(svg)
        cx, cy = int(width * PX), int(height * PX)
        limit = int(Inches(6))
        if cx > limit:
            cx, cy = limit, cy * limit // cx
        self.pictures += 1
        number = self.pictures
        package = self.doc.part.package
        png = Part(PackURI(f"/word/media/figure{number}.png"), "image/png", placeholder_png(int(width), int(height)),
                   package)
        picture = Part(PackURI(f"/word/media/figure{number}.svg"), "image/svg+xml", svg, package)
        png_rid = self.doc.part.relate_to(png, RT.IMAGE)
        svg_rid = self.doc.part.relate_to(picture, RT.IMAGE)
        inline = CT_Inline.new_pic_inline(1000 + number, png_rid, Path(block.file).name, Emu(cx), Emu(cy))
        svg_blip(inline, svg_rid)
        inline.find(qn("wp:docPr")).set("descr", block.title)
        drawing = element("w:drawing", None, inline)
        p = new_paragraph(self.styles["Figure"], [element("w:r", None, drawing)], keep_next=True)
        sink.add(p)
        sink.add(self.para("Caption", [Piece(f"Figure {block.label}. {block.title}")], in_cell=sink.in_cell,
                           doc_id=block.id))

    # --- structure ----------------------------------------------------------------------------------------------

    def heading(self, node: Chapter | Section, level: int, page_break: bool = False) -> None:
        style = f"Heading {min(level, MAX_HEADING)}"
        self.body.add(self.para(style, [Piece(heading_text(node))], doc_id=node.id, page_break=page_break))

    def section(self, node: Section, level: int) -> None:
        self.heading(node, level)
        self.blocks(self.body, node.blocks)
        for child in node.sections:
            self.section(child, level + 1)

    def chapter(self, node: Chapter) -> None:
        self.heading(node, 1, page_break=True)
        if node.subtitle:
            self.body.add(self.para("Subtitle", [Piece(node.subtitle)], keep_next=True))
        self.blocks(self.body, node.blocks)
        for child in node.sections:
            self.section(child, 2)

    def title_page(self) -> None:
        model = self.model
        add = self.body.add
        add(self.para("Title", [Piece(model.title)]))
        add(self.para("Subtitle", [Piece(model.subtitle)]))
        add(self.para("Front Matter", [Piece(model.organization)]))
        for label, value in (("Status", model.status), ("Version", model.version), ("Date", model.pubdate)):
            add(self.para("Front Matter", [Piece(f"{label}: ", bold=True), Piece(value)]))
        if model.status != FINAL:
            add(self.para("Front Matter", [Piece(f"Draft: {model.status}, version {model.version}. This is not "
                                                   "Final Text and is not part of the DICOM Standard.",
                                                   italic=True)]))
        if model.work_item:
            add(self.para("Front Matter", [Piece(f"This supplement is prepared pursuant to work item: "
                                                   f"{model.work_item}")]))
        add(self.para("Front Matter", [Piece(f"\u00a9 {model.date[:4]} NEMA")]))

    def since_chapter(self, since: Since) -> None:
        chapter = Chapter(SINCE_ID, f"Changes since {since.version}")
        self.heading(chapter, 1, page_break=True)
        add = self.body.add
        if not since.changes:
            add(self.para(None, [Piece(f"No changes since version {since.version} (revision {since.rev}).")]))
            return
        add(self.para(None, [Piece(f"The changes since version {since.version} (revision {since.rev}), by part. "
                                     "Inserted text is "), Piece("underlined", underline=True),
                             Piece(", deleted text "), Piece("struck through", strike=True), Piece(".")]))
        for group in since.groups:
            add(self.para("Heading 2", [Piece(group.part)]))
            tbl = new_table(widths("since", 4), self.styles.get("Table Grid", "TableGrid"))
            tr = new_row(True, None, self.revisions)
            for text, width in zip(("Change", "Subject", "Field", "Old \u2192 New"), widths("since", 4)):
                tc = new_cell(width, 1, None, HEADER_FILL)
                tc.append(new_paragraph(self.styles["Table Heading"], new_runs([Piece(text)], self.revisions)))
                tr.append(tc)
            tbl.append(tr)
            for change in group.changes:
                anchor = self.bookmarks.name(change.anchor) \
                    if since.link(change) and change.anchor in self.targets else None
                texts = [[Piece(change.kind)], [Piece(change.label, anchor=anchor)],
                         [Piece(change.field or "")] if change.field else [], self._since_value(change)]
                tr = new_row(False, None, self.revisions)
                for pieces, width in zip(texts, widths("since", 4)):
                    tc = new_cell(width, 1, None)
                    tc.append(new_paragraph(self.styles["Table Text"], new_runs(pieces, self.revisions)))
                    tr.append(tc)
                tbl.append(tr)
            add(tbl)

    @staticmethod
    def _since_value(change) -> list[Piece]:
        if change.words:
            return [Piece(s.text, underline=s.op == "insert", strike=s.op == "delete")
                    for s in change.words if s.text]
        out = []
        if change.old is not None:
            out.append(Piece(change.old, strike=True))
        if change.old is not None and change.new is not None:
            out.append(Piece(" \u2192 "))
        if change.new is not None:
            out.append(Piece(change.new, underline=True))
        return [piece for piece in out if piece.text]

    def build(self) -> bytes:
        self.setup()
        self.title_page()
        if self.since is not None:
            self.since_chapter(self.since)
        for chapter in self.model.chapters:
            self.chapter(chapter)
        self.properties()
        for part in (self.doc.element, self.doc.styles.element, self.doc.part.numbering_part.element):
            for node in part.iter():
                for name in [n for n in node.attrib if n.startswith(f"{{{W_NS}}}rsid")]:
                    del node.attrib[name]
        stream = io.BytesIO()
        self.doc.save(stream)
        return normalized(stream.getvalue())


def render(document: Document, author: str, figure_bytes: Callable[[Figure], bytes], since: Since | None = None,
           revision: int = 1) -> bytes:
    """The ``.docx`` of ``document`` (deterministic): tracked changes by ``author`` on the document's date;
    ``figure_bytes`` gives the SVG of a figure; ``since`` adds the "Changes since" chapter."""
    # The editorial wrappers laid out away, as in the DocBook and HTML: one heading per section of the standard.
    return _Writer(unwrapped(document), author, since, figure_bytes, revision).build()


class Docx(Output[BuildContext]):
    """``docx/supplement.docx``: the Word ballot document, amendments as tracked changes."""

    name = "docx"
    folder = FOLDER
    summary = "Word ballot document, amendments as tracked changes"

    def write(self, ctx: BuildContext, out: Path) -> None:
        folder = ctx.spec_folder

        def figure_bytes(figure: Figure) -> bytes:
            return figure_source(folder, figure.source).read_bytes()

        data = render(ctx.document, ctx.supplement.working_group, figure_bytes, ctx.since,
                      max(1, len(ctx.supplement.history)))
        (out / FILE).write_bytes(data)
