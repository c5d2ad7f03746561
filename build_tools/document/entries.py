"""The supplement as the toolkits' dictionaries see it: new data elements, UIDs and Storage SOP Classes as
entries, the names of the dictionary files, the plain text of prose, and the Jinja filters of the non-markup
templates (``templates/dictionaries/``).

Several outputs print these (the pydicom distribution, the DCMTK fragment and association profile, the JSON files,
the dictionaries README, and they name each other's files), so they are computed here, once, and no output needs
another.

Nothing here trusts spec text to be harmless: every value that reaches a generated file is validated
(:func:`checked_elements`, :func:`checked_uids`: keywords, VRs, VMs and UIDs have their syntax or the build stops
with a located error) or quoted by the filter of its format (:func:`python_literal`, :func:`comment_text`).
"""

from __future__ import annotations

import keyword as python_keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from build_tools.core import syntax
from build_tools.core.errors import Finding, InputError, Loc
from build_tools.core.model import Prose, Supplement
from build_tools.core.prose import Emphasis, Text, parse
from build_tools.core.tags import tag_text
from build_tools.document.nodes import ItemList as ItemListNode
from build_tools.document.nodes import Link, VariableList
from build_tools.document.nodes import Note as NoteNode
from build_tools.document.nodes import Para as ParaNode
from build_tools.document.refs import Ids, Resolver
from build_tools.standard.index import Index, uid_keyword

#: The folder under ``output/<name>/`` that the dictionary outputs share, and their templates' folder.
FOLDER = "dictionaries"

#: pydicom's multi-VR spellings to DCMTK's pseudo VRs (as DCMTK's own dicom.dic writes them).
DCMTK_VR = {
    "US or SS": "xs",
    "OB or OW": "ox",
    "US or OW": "lt",
    "US or SS or OW": "lt",
    "NONE": "na",
}

#: Names the pydicom extension defines itself; a UID keyword that equals one gets no module attribute.
RESERVED = frozenset({"SUPPLEMENT", "DATA_ELEMENTS", "UIDS", "STORAGE_SOP_CLASSES", "SupplementDictionaryWarning",
                      "annotations", "register", "storage_contexts", "registered_with_pynetdicom"})

#: An ASCII keyword: what may become a Python attribute or a DCMTK name (no NFKC surprises of non-ASCII names).
_ASCII_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ElementEntry:
    """A new data element as the toolkits' dictionaries hold it."""

    tag: int
    vr: str
    vm: str
    name: str
    keyword: str
    retired: bool

    @property
    def tag_text(self) -> str:
        """``(gggg,eeee)`` in upper-case hexadecimal."""
        return tag_text(self.tag)

    @property
    def pydicom(self) -> tuple[str, str, str, str, str]:
        """The entry as ``pydicom.datadict.DicomDictionary`` holds it: (VR, VM, name, retired, keyword)."""
        return (self.vr, self.vm, self.name, "Retired" if self.retired else "", self.keyword)

    @property
    def dcmtk_vr(self) -> str:
        """The VR as DCMTK writes it (pseudo VRs such as ``xs`` for ``US or SS``)."""
        return DCMTK_VR.get(self.vr, self.vr)

    @property
    def dcmtk_keyword(self) -> str:
        """DCMTK prefixes the keywords of retired elements with ``RETIRED_``."""
        return f"RETIRED_{self.keyword}" if self.retired else self.keyword

    @property
    def dcmtk_version(self) -> str:
        """DCMTK's version column: ``DICOM`` for the standard, ``DICOM/retired`` for retired elements."""
        return "DICOM/retired" if self.retired else "DICOM"


@dataclass(frozen=True)
class UIDEntry:
    """A new UID as pydicom's UID dictionary holds it."""

    value: str
    name: str
    type: str
    keyword: str
    retired: bool

    @property
    def pydicom(self) -> tuple[str, str, str, str, str]:
        """The entry as ``pydicom.uid.UID_dictionary`` holds it: (name, type, info, retired, keyword)."""
        return (self.name, self.type, "", "Retired" if self.retired else "", self.keyword)

    @property
    def identifier(self) -> bool:
        """True when the keyword can name a Python attribute (``pydicom.uid.<Keyword>``)."""
        return (self.keyword.isidentifier() and not python_keyword.iskeyword(self.keyword)
                and not self.keyword.startswith("_") and self.keyword not in RESERVED)


@dataclass(frozen=True)
class StorageEntry:
    """A new Storage SOP Class (PS3.4): what pynetdicom and a DCMTK association profile need."""

    value: str
    keyword: str
    name: str


def element_entries(supplement: Supplement) -> list[ElementEntry]:
    """The supplement's data elements, sorted by tag (elements whose tag does not parse are left to the rules)."""
    new = Index(supplement, with_catalog=False).new_elements.values()
    return sorted((ElementEntry(e.tag, e.vr, e.vm, e.name, e.keyword, e.retired) for e in new), key=lambda e: e.tag)


def uid_entries(supplement: Supplement) -> list[UIDEntry]:
    """The supplement's UIDs, sorted by value component by component."""
    entries = [UIDEntry(u.value, u.name, u.type, uid_keyword(u), u.retired) for u in supplement.uids]
    return sorted(entries, key=lambda u: uid_sort_key(u.value))


def storage_entries(supplement: Supplement) -> list[StorageEntry]:
    """The supplement's new Storage SOP Classes, sorted by UID: the UIDs of its own that ``sop_classes`` names
    (PS3.4 Table B.5-1), and its other SOP Class UIDs named "… Storage …" as PS3.6 names Storage SOP Classes."""
    index = Index(supplement, with_catalog=False)
    named = {index.uid(s.uid).value for s in supplement.sop_classes if index.uid(s.uid) is not None}
    found = [StorageEntry(u.value, uid_keyword(u), u.name) for u in supplement.uids
             if u.type == "SOP Class" and not u.retired
             and (u.value in named or re.search(r"\bStorage\b", u.name))]
    return sorted({s.value: s for s in found}.values(), key=lambda s: uid_sort_key(s.value))


def _refuse(supplement: Supplement, obj: Any, field_name: str, value: Any, problem: str) -> Finding:
    loc = obj.at(field_name) if hasattr(obj, "at") else Loc(supplement.folder or supplement.name)
    return Finding(loc, f"{field_name} {value!r} {problem}; the dictionaries cannot be written")


def check_entries(supplement: Supplement) -> None:
    """Refuse what a dictionary file could not hold faithfully: a keyword, VR, VM or UID without its syntax.

    The lint rules report these too; this is the generators' own guard, so that no file of ``dictionaries/`` is
    ever written from a value its format cannot carry (a tab in a DCMTK keyword, a quote in a profile's UID).
    """
    problems: list[Finding] = []
    by_keyword = {e.keyword: e for e in Index(supplement, with_catalog=False).new_elements.values()}
    for entry in element_entries(supplement):
        source = by_keyword[entry.keyword].data_element
        if _ASCII_KEYWORD.fullmatch(entry.keyword) is None:
            problems.append(_refuse(supplement, source, "keyword", entry.keyword,
                                    "is not an ASCII keyword (a letter, then letters, digits or _)"))
        if entry.vr not in DCMTK_VR and syntax.vr(entry.vr) is not None:
            problems.append(_refuse(supplement, source, "vr", entry.vr, "is not a Value Representation"))
        if syntax.vm(entry.vm) is not None:
            problems.append(_refuse(supplement, source, "vm", entry.vm, "is not a Value Multiplicity"))
    for uid in supplement.uids:
        if syntax.uid(uid.value) is not None:
            problems.append(_refuse(supplement, uid, "value", uid.value, "is not a UID"))
    if problems:
        raise InputError(problems)


def uid_sort_key(value: str) -> tuple[tuple[int, ...], str]:
    """UIDs in numeric order of their components (``...77.1.7`` before ``...77.1.10``)."""
    return tuple(int(part) if part.isdigit() else -1 for part in value.split(".")), value


def module_name(supplement: Supplement) -> str:
    """The importable name of the pydicom extension, e.g. ``dicomsup_dermoscopy``."""
    stem = re.sub(r"\W+", "_", supplement.name.lower(), flags=re.ASCII).strip("_") or "supplement"
    return f"dicomsup_{stem}"


def dcmtk_file(supplement: Supplement) -> str:
    """The file name of the DCMTK fragment, e.g. ``dermoscopy.dic``."""
    return f"{module_name(supplement).removeprefix('dicomsup_')}.dic"


def distribution_name(supplement: Supplement) -> str:
    """The name of the installable distribution, e.g. ``dicomsup-dermoscopy``."""
    return module_name(supplement).replace("_", "-")


def stem(supplement: Supplement) -> str:
    """The supplement's name as file names use it, e.g. ``dermoscopy``."""
    return module_name(supplement).removeprefix("dicomsup_")


def export_schema_file(supplement: Supplement) -> str:
    """The file name of the JSON export's schema, e.g. ``dermoscopy.export.schema.json`` (not
    ``supplement.schema.json``: that is the authoring schema of ``output/schema/``)."""
    return f"{stem(supplement)}.export.schema.json"


def profile_file(supplement: Supplement) -> str:
    """The file name of the DCMTK association profile, e.g. ``dermoscopy-storage.cfg``."""
    return f"{stem(supplement)}-storage.cfg"


def profile_name(supplement: Supplement) -> str:
    """The name of the profile inside it (what ``-xf FILE PROFILE`` takes), e.g. ``DermoscopyStorage``."""
    return "".join(part.capitalize() for part in stem(supplement).split("_") if part) + "Storage"


#: PEP 440, Appendix B: the canonical form of a public version (lower case, with the separators it allows).
_PEP440 = re.compile(r"""
    v?
    (?:(?P<epoch>[0-9]+)!)?
    (?P<release>[0-9]+(?:\.[0-9]+)*)
    (?P<pre>[-_.]?(?P<pre_l>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>[0-9]+)?)?
    (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?
    (?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?
    """, re.VERBOSE | re.IGNORECASE)
_PRE = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc", "pre": "rc", "preview": "rc"}


def python_version(version: str) -> str:
    """The supplement's version as a PEP 440 version, normalised (``1.0``, ``0.3rc1``, ``2.0.post1``).

    A version PEP 440 cannot read (``draft 3``, ``1.0-final``) keeps its numbers: ``3``, ``1.0``; one without any
    number is ``0``. The result always matches PEP 440's canonical form, so pip and the build backends take it.
    """
    text = version.strip()
    match = _PEP440.fullmatch(text)
    if match is None:
        numbers = re.findall(r"[0-9]+", text)
        return ".".join(str(int(n)) for n in numbers[:4]) if numbers else "0"
    out = f"{int(match['epoch'])}!" if match["epoch"] else ""
    out += ".".join(str(int(part)) for part in match["release"].split("."))
    if match["pre"]:
        out += f"{_PRE[match['pre_l'].lower()]}{int(match['pre_n'] or 0)}"
    if match["post"]:
        out += f".post{int(match['post_n1'] or match['post_n2'] or 0)}"
    if match["dev"]:
        out += f".dev{int(match['dev_n'] or 0)}"
    return out


def label(supplement: Supplement) -> str:
    """How the outputs name the supplement, e.g. ``Supplement 221 "Dermoscopy"``."""
    return f'Supplement {supplement.number} "{supplement.title}"'


def template_values(supplement: Supplement) -> dict[str, Any]:
    """What every dictionary template gets."""
    return {
        "supplement": supplement,
        "label": label(supplement),
        "module_name": module_name(supplement),
        "distribution": distribution_name(supplement),
        "python_version": python_version(supplement.version),
        "dcmtk_file": dcmtk_file(supplement),
        "profile_file": profile_file(supplement),
        "export_schema_file": export_schema_file(supplement),
        "profile_name": profile_name(supplement),
        "elements": element_entries(supplement),
        "uids": uid_entries(supplement),
        "storage": storage_entries(supplement),
    }


# --- Prose as plain text (the JSON files) ------------------------------------------------------------------------


def plain_inlines(nodes: tuple) -> str:
    """Resolved inlines as text: a link is its text ("Contact Method (0016,1003)"), emphasis its words."""
    out = []
    for node in nodes:
        if isinstance(node, (Text, Link)):
            out.append(node.text)
        elif isinstance(node, Emphasis):
            out.append(plain_inlines(node.children))
    return "".join(out)


def plain_text(prose: Prose | str | None, index: Index, part: str | None = "PS3.3") -> str:
    """Prose with its markup resolved by the document stage's :class:`~build_tools.document.refs.Resolver`, as
    plain text: ``{de:ContactMethod}`` is "Contact Method (0016,1003)", ``{section:C.8.12.13.1.1}`` "Section
    C.8.12.13.1.1"; paragraphs are separated by a blank line, list items start with "- " or "1. ", a note with
    "Note: ". Warnings of unresolved references are the document's to report (it resolves the same text)."""
    if prose is None:
        return ""
    if isinstance(prose, str):
        prose = Prose(prose)
    return plain_blocks(Resolver(index, Ids(), part).blocks(parse(prose, [])))


def plain_blocks(blocks: tuple) -> str:
    """Presentation blocks (paragraphs, lists, notes, Enumerated Values …, their references resolved) as plain
    text, in the layout of :func:`plain_text`; a variable list is its title, then one "VALUE: meaning" a line."""
    paragraphs = []
    for block in blocks:
        if isinstance(block, ParaNode):
            paragraphs.append(plain_inlines(block.inlines))
        elif isinstance(block, ItemListNode):
            paragraphs.append("\n".join(f"{f'{n}.' if block.ordered else '-'} {plain_inlines(item)}"
                                         for n, item in enumerate(block.items, 1)))
        elif isinstance(block, NoteNode):
            paragraphs.append("Note: " + plain_blocks(block.blocks))
        elif isinstance(block, VariableList):
            lines = [block.title] if block.title else []
            for entry in block.entries:
                term, meaning = plain_inlines(entry.term), plain_blocks(entry.blocks)
                lines.append(f"{term}: {meaning}" if meaning else term)
            paragraphs.append("\n".join(lines))
    return "\n\n".join(p for p in paragraphs if p)


# --- Filters of the non-markup templates: values are quoted here, since nothing autoescapes them ---------------


def python_literal(value: Any) -> str:
    """A Python literal of validated data: ``repr()`` of a str, int or bool (or a tuple, list or dict of them).

    ``repr()`` of a str is always one string literal, whatever it holds (quotes, triple quotes, backslashes, line
    breaks, NUL, non-ASCII): spec text written through this filter can never end a string or become code.
    Anything else (a model object, a float, a ``Prose``) is refused rather than printed.
    """
    def check(item: Any) -> None:
        if isinstance(item, (tuple, list)):
            for part in item:
                check(part)
        elif isinstance(item, dict):
            for key, part in item.items():
                check(key)
                check(part)
        elif type(item) not in (str, int, bool) and item is not None:
            raise TypeError(f"not written into generated Python: {type(item).__name__} {item!r}")

    check(value)
    return repr(value)


def comment_text(text: Any) -> str:
    """Text that is safe on one comment line: no line breaks, no control characters, nothing non-printable."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())


def python_tag(tag: int) -> str:
    """A tag as a Python literal, ``0x00161001``."""
    return f"0x{tag:08X}"


def profile_uid(value: str) -> str:
    """A UID as a DCMTK association profile writes it: digits and dots only, else refused."""
    if syntax.uid(value) is not None:
        raise ValueError(f"not a UID: {value!r}")
    return value


#: The filters that the outputs of ``templates/dictionaries/`` add to their Jinja environment. There is no filter
#: for docstrings: the generated Python holds spec text only in literals (``|py``).
TEXT_FILTERS: dict[str, Callable[[Any], str]] = {
    "py": python_literal,
    "pytag": python_tag,
    "comment": comment_text,
    "cfguid": profile_uid,
}
