"""Reading one part of the standard's DocBook safely, and the plain text of its elements.

The standard's DocBook (``partNN.xml``) has no DOCTYPE, no entity but the five predefined ones and no external
reference (``docs/baseline.rst``), so anything of the kind is refused before lxml sees the file: a DOCTYPE, an
entity declaration, a DTD or network reference, a file over :data:`MAX_BYTES` (checked before it is read) and a
file that is not XML are each one located :class:`~build_tools.core.errors.InputError`. lxml parses with
``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False`` in any case.

Two published files are not well-formed. Both are read by the strict parser after a documented repair (no
``recover=True``, so that nothing else broken, such as a truncated file, is ever silently accepted), each
reported as a located warning: the 2013 PS3.6 with its two literal ``<200b>`` (a ``<`` that starts no tag,
read as the text ``<200b>``, as ``recover=True`` would read it; at most :data:`MAX_REPAIRS`), and the 2016c PS3.3
excerpt with 102 repeated ``xml:id`` values (the ids are parsed under another attribute name and put back;
each repeated id is reported once, at its first repetition, and lookups by id use its first element). Any other
error is fatal.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from build_tools.core.errors import Finding, InputError, Loc, Severity

DB = "http://docbook.org/ns/docbook"
XL = "http://www.w3.org/1999/xlink"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"d": DB}
MAX_BYTES = 200 * 1024 * 1024  #: a part larger than this is refused unread (PS3.3, the largest, is ~ 40 MB)
MAX_REPAIRS = 20  #: at most this many bogus tags are read as text; more is a broken file
ZWSP = "\u200b"
BOGUS_TAG = "StartTag: invalid element name"  #: ``<200b>`` in 2013 PS3.6: a ``<`` that starts no tag
DUPLICATE_ID = "already defined"  #: ``ID … already defined``: a repeated ``xml:id`` (the 2016c PS3.3 excerpt)
ID_MARK = b"xml:dicomsup-id"  #: what ``xml:id`` is read as when ids repeat (so that libxml2 does not refuse them)
_HOSTILE = re.compile(rb"<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)\b", re.IGNORECASE)


@dataclass
class Part:
    """One parsed ``partNN.xml``: its tree, digest and the warnings of reading it."""

    path: Path
    root: etree._Element
    sha256: str
    size: int
    warnings: list[Finding] = field(default_factory=list)
    recovered: bool = False
    ids: dict[str, etree._Element] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.root.get("label") or self.root.get(XML_ID) or self.path.stem

    def subtitle(self) -> str:
        found = self.root.find(f"{{{DB}}}subtitle")
        return text(found) if found is not None else ""

    def releaseinfo(self) -> str:
        found = self.root.find(f"{{{DB}}}info/{{{DB}}}releaseinfo")
        return text(found) if found is not None else ""

    def edition(self) -> str | None:
        """The edition the book gives: ``2013``, ``2016c`` (from its ``subtitle``, else its ``releaseinfo``)."""
        for value in (self.subtitle(), self.releaseinfo()):
            match = re.search(r"\b((?:19|20)\d\d[a-z]?)\b", value)
            if match:
                return match.group(1)
        return None


def _line_of(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _refuse(path: Path, message: str, line: int = 0, column: int = 0) -> InputError:
    return InputError([Finding(Loc(str(path), line, column), message)])


def _prescan(path: Path, data: bytes) -> None:
    """Refuse declarations the standard never has (the entity and DTD attacks all need one)."""
    match = _HOSTILE.search(data)
    if match is None:
        return
    line, column = _line_of(data, match.start())
    kind = match.group(1).decode().upper()
    head = data[match.start(): match.start() + 4096]
    if kind == "ENTITY" or b"<!ENTITY" in head.upper():
        what = "an entity declaration"
        if re.search(rb"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", head, re.IGNORECASE):
            what = "an external entity declaration"
    elif re.search(rb"\b(SYSTEM|PUBLIC)\b[^>]*(https?|ftp)://", head, re.IGNORECASE):
        what = "a DTD reference over the network"
    elif re.search(rb"\b(SYSTEM|PUBLIC)\b", head, re.IGNORECASE):
        what = "an external DTD reference"
    else:
        what = f"a <!{kind}> declaration"
    raise _refuse(path, f"refused: {what} (the standard's DocBook has no DOCTYPE, DTD or entities; nothing is "
                        "read from it)", line, column)


def _parser(comments: bool = False) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_comments=not comments, remove_pis=True, recover=False)


def _offset(data: bytes, line: int) -> int:
    """The offset of the start of ``line`` (1-based) in ``data``."""
    offset = 0
    for _ in range(line - 1):
        offset = data.index(b"\n", offset) + 1
    return offset


def _parse(path: Path, data: bytes, warnings: list[Finding],
           comments: bool = False) -> tuple[etree._Element, bool]:
    """The strict parse, with the two documented repairs; whether one was needed."""
    repaired, renamed, shifts = data, False, {}
    for _attempt in range(MAX_REPAIRS + 2):
        try:
            root = etree.fromstring(repaired, _parser(comments))
        except etree.XMLSyntaxError as error:
            line, column = error.position if error.position else (0, 0)
            message = error.msg or str(error)
            if BOGUS_TAG in message and len(shifts) < MAX_REPAIRS and line:
                start = _offset(repaired, line)
                at = repaired.rfind(b"<", start, start + max(column, 1))
                if at < 0:
                    raise _refuse(path, f"not well-formed XML: {message}", line, column) from None
                shown = repaired[at: repaired.find(b">", at, at + 40) + 1 or at + 12].decode("utf-8", "replace")
                original = at - start + 1 - 3 * shifts.get(line, 0)
                warnings.append(Finding(Loc(str(path), line, original),
                                        f"not well-formed: {shown!r} is no tag; read as text, as a tolerant "
                                        "parser (lxml recover=True) reads it", Severity.WARNING))
                shifts[line] = shifts.get(line, 0) + 1
                repaired = repaired[:at] + b"&lt;" + repaired[at + 1:]
                continue
            if DUPLICATE_ID in message and not renamed:  # reported by _ids, with every other duplicate
                repaired, renamed = repaired.replace(b' xml:id="', b' ' + ID_MARK + b'="'), True
                continue
            raise _refuse(path, f"not well-formed XML: {message}", line, column) from None
        if renamed:
            _restore_ids(root)
        return root, bool(shifts) or renamed
    raise _refuse(path, f"not well-formed XML: more than {MAX_REPAIRS} bogus tags")


def _restore_ids(root: etree._Element) -> None:
    marker, text_marker = "{http://www.w3.org/XML/1998/namespace}" + ID_MARK[4:].decode(), ID_MARK.decode()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        value = element.attrib.pop(marker, None)
        if value is not None:
            element.set(XML_ID, value)
        if element.text and text_marker in element.text:  # the same bytes in text, where they are no attribute
            element.text = element.text.replace(text_marker, "xml:id")
        if element.tail and text_marker in element.tail:
            element.tail = element.tail.replace(text_marker, "xml:id")


def read_part(path: Path, *, comments: bool = False) -> Part:
    """Parse ``path`` safely (see the module's documentation); an :class:`InputError` when it cannot be used.

    ``comments``: keep the part's XML comments (``dicomsup merge`` writes the part back, and the editor's notes
    in it must survive); the importer, which only reads, drops them.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _refuse(path, f"cannot read: {error.strerror or error}") from None
    if size > MAX_BYTES:
        raise _refuse(path, f"refused: {size} bytes is over the limit of {MAX_BYTES} bytes for one part")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _refuse(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:  # grew since stat
        raise _refuse(path, f"refused: over the limit of {MAX_BYTES} bytes for one part")
    _prescan(path, data)
    warnings: list[Finding] = []
    root, recovered = _parse(path, data, warnings, comments)
    if root.tag != f"{{{DB}}}book":
        raise _refuse(path, f"not a DocBook 5 book: the root element is {root.tag!r}", root.sourceline or 0)
    for node in root.iter(etree.Entity):  # resolve_entities=False leaves them as nodes; none may be there
        raise _refuse(path, f"refused: entity reference &{node.name};", node.sourceline or 0)
    part = Part(path, root, hashlib.sha256(data).hexdigest(), size, warnings, recovered)
    _ids(part)
    return part


def _ids(part: Part) -> None:
    """The id map (first occurrence wins), and one warning per id that occurs more than once."""
    seen: dict[str, int] = {}
    for element in part.root.iter():
        value = element.get(XML_ID) if isinstance(element.tag, str) else None
        if value is None:
            continue
        if value in part.ids:
            seen[value] = seen.get(value, 1) + 1
            if seen[value] == 2:
                part.warnings.append(Finding(
                    Loc(str(part.path), element.sourceline or 0),
                    f"duplicate xml:id {value!r} (first at line {part.ids[value].sourceline}); the first is used",
                    Severity.WARNING))
        else:
            part.ids[value] = element


def duplicate_ids(part: Part) -> list[str]:
    return [w.message.split("'")[1] for w in part.warnings if w.message.startswith("duplicate xml:id")]


# --- plain text ------------------------------------------------------------------------------------------------


def local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _strip_id(value: str) -> str:
    for prefix in ("sect_", "table_", "chapter_", "figure_", "biblio_", "glossentry_"):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def _reference(element: etree._Element, part: Part | None) -> str:
    """The text an empty ``xref``/``olink`` renders as, near enough (label, quoted title)."""
    style = element.get("xrefstyle") or ""
    if local(element) == "olink":
        doc, ptr = element.get("targetdoc") or "", element.get("targetptr") or ""
        if not ptr or ptr == doc:
            return doc
        name = _strip_id(ptr)
        if ptr.startswith("sect_CID_"):
            return f"CID {ptr[len('sect_CID_'):]}"
        if ptr.startswith("table_"):
            return f"Table {name}" if "labelnumber" not in style else name
        if ptr.startswith("sect_") and "select: label" in style and "labelnumber" not in style:
            return f"Section {name}"
        return name
    target_id = element.get("linkend") or ""
    target = part.ids.get(target_id) if part is not None else None
    if target is None:
        return _strip_id(target_id)
    kind, label = local(target), target.get("label") or _strip_id(target_id)
    title_el = target.find(f"{{{DB}}}caption") if kind == "table" else target.find(f"{{{DB}}}title")
    title = text(title_el) if title_el is not None else ""
    if "select: title" in style:
        return title or label
    if label.startswith("CID "):
        shown = label
    elif "labelnumber" in style:
        shown = label
    else:
        shown = {"table": "Table", "section": "Section", "chapter": "Annex" if label.isalpha() else "Chapter",
                 "figure": "Figure"}.get(kind, "") + f" {label}"
    if "quotedtitle" in style and title:
        shown += f" \u201c{title}\u201d"
    return shown.strip()


def text(element: etree._Element | None, part: Part | None = None) -> str:
    """The element's text with whitespace collapsed, U+200B removed and empty references written out."""
    if element is None:
        return ""
    pieces: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text and isinstance(node.tag, str):
            pieces.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                name = local(child)
                if name in ("xref", "olink") and not (child.text or len(child)):
                    pieces.append(_reference(child, part))
                elif name in ("para", "title", "term", "listitem", "caption", "note", "td", "th"):
                    pieces.append(" ")
                    walk(child)
                    pieces.append(" ")
                else:
                    walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return " ".join("".join(pieces).replace(ZWSP, "").split())
