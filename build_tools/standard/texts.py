"""The standard's own text as the baseline holds it: sections with their paragraphs and variable lists, tables with
their rows, and the value list of an attribute (what an amendment changes, so its old text can be looked up).

An imported DocBook baseline has ``baseline-text.json`` (sections, paragraphs, tables); the committed baseline has
no prose, only the value sets of the module rows. Each lookup says which it answered from (:attr:`ValueList.kind`),
since a value set from a validator's encoding is not the standard's list as printed and may lag it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from build_tools.standard import store

TEXT_FILE = "baseline-text.json"


@dataclass(frozen=True)
class SectionText:
    """A section as the baseline holds it."""

    part: str
    label: str
    title: str
    paras: tuple[str, ...]  #: the section's own paragraphs (not its subsections'), in order
    lists: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  #: ``(title, ((term, meaning), ...))``


@dataclass(frozen=True)
class TableText:
    part: str
    label: str
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ValueList:
    """The entries of a Defined Terms or Enumerated Values list, and where they come from."""

    entries: tuple[tuple[str, str], ...]  #: ``(value, meaning)``; meaning may be empty
    kind: str  #: ``text`` (the standard's list, from its DocBook) or ``value set`` (the structure baseline's)
    where: str  #: what was read, for messages: "Section C.7.3.1.1.1", "the value set of General Series Modality"

    def values(self) -> list[str]:
        return [value for value, _meaning in self.entries]

    def meaning(self, value: str) -> str | None:
        return next((meaning for v, meaning in self.entries if v == value), None)


def short_edition() -> str:
    """The edition for messages: ``2016c`` for an imported DocBook, ``PS3.3 2024e/2025a`` for the committed one."""
    full = store.read(store.ABOUT_FILE)["edition"]
    found = re.findall(r"\b((?:19|20)\d\d[a-e]?(?:/(?:19|20)\d\d[a-e])?)\b", full)
    if not found:
        return full
    return found[0] if store.configured() is not None else f"PS3.3 {found[-1]}"


def _text() -> dict[str, Any] | None:
    """``baseline-text.json`` (read once by :mod:`store`, which forgets it on reset), or None: the committed
    baseline has none (it holds no prose)."""
    if store.configured() is None:
        return None
    return store.read_optional(TEXT_FILE)


#: What was built from the text file, with the parsed file it was built from (kept, and compared by identity, so
#: that a baseline read anew after a reset is built anew).
_built: dict[str, tuple[Any, Any]] = {}


def _once(name: str, build) -> Any:
    data = _text()
    if name not in _built or _built[name][0] is not data:
        _built[name] = (data, build(data or {}))
    return _built[name][1]


def has_text() -> bool:
    """Whether the baseline holds the standard's prose (an imported DocBook baseline)."""
    return _text() is not None


def _sections() -> dict[tuple[str, str], SectionText]:
    return _once("sections", _build_sections)


def _build_sections(data: dict[str, Any]) -> dict[tuple[str, str], SectionText]:
    found: dict[tuple[str, str], SectionText] = {}
    for raw in data.get("sections", ()):
        if not raw.get("label"):
            continue
        lists = tuple((str(item.get("title", "")).rstrip(":").strip(),
                       tuple((str(v), str(m or "")) for v, m in item.get("entries", ())))
                      for item in raw.get("lists", ()))
        section = SectionText(raw.get("part", "PS3.3"), raw["label"], raw.get("title", ""),
                              tuple(text for _id, text in raw.get("paras", ())), lists)
        found.setdefault((section.part, section.label), section)  # a repeated section: the first, as lookups by id
    return found


def _tables() -> dict[tuple[str, str], TableText]:
    return _once("tables", _build_tables)


def _build_tables(data: dict[str, Any]) -> dict[tuple[str, str], TableText]:
    found: dict[tuple[str, str], TableText] = {}
    for raw in data.get("tables", ()):
        if raw.get("label"):
            table = TableText(raw.get("part", "PS3.3"), raw["label"], raw.get("caption", ""),
                              tuple(raw.get("head", ())), tuple(tuple(row) for row in raw.get("rows", ())))
            found.setdefault((table.part, table.label), table)
    return found


def section(label: str, part: str = "PS3.3") -> SectionText | None:
    """Section ``label`` of ``part``; None when the baseline holds no text for it."""
    return _sections().get((part, label))


def table(label: str, part: str = "PS3.3") -> TableText | None:
    return _tables().get((part, label))


def _module_of_section(label: str) -> str | None:
    """The baseline module or macro whose section holds ``label`` (the longest section that is a prefix of it)."""
    best: tuple[int, str] | None = None
    for name, raw in store.raw_modules().items():
        where = raw.get("section")
        if where and (label == where or label.startswith(where + ".")) and (best is None or len(where) > best[0]):
            best = (len(where), name)
    return best[1] if best else None


def _row_sets(rows: list[dict], keyword: str) -> list[tuple[str, str]]:
    """``(kind, value-set name)`` of the rows naming ``keyword``, at any depth."""
    found = []
    for row in rows:
        if row.get("a") == keyword:
            found.extend((key, row[key]) for key in ("e", "dt") if row.get(key))
        found.extend(_row_sets(row.get("i") or [], keyword))
    return found


def value_list(keyword: str, title: str, section_label: str, part: str = "PS3.3",
               module: str | None = None) -> ValueList | None:
    """The list ``title`` (``Defined Terms`` or ``Enumerated Values``) of attribute ``keyword`` that section
    ``section_label`` holds: the section's own list when the baseline has its text, else the value set of the
    attribute's row in ``module`` (by default the module whose section holds ``section_label``), else the value
    set named after the keyword. None when the baseline has none of these."""
    found = section(section_label, part)
    if found is not None:
        for list_title, entries in found.lists:
            if list_title == title or len(found.lists) == 1:
                return ValueList(entries, "text", f"Section {section_label}")
    sets = store.read(store.MODULES_FILE).get("value_sets", {})
    name = module or _module_of_section(section_label)
    raw = store.raw_modules().get(name) if name else None
    if raw is not None:
        wanted = "e" if title == "Enumerated Values" else "dt"
        candidates = _row_sets(raw.get("rows") or [], keyword)
        chosen = next((n for k, n in candidates if k == wanted), None) or next((n for _k, n in candidates), None)
        if chosen in sets:
            return ValueList(_pairs(sets[chosen]), "value set", f"the value set of {keyword} in the {name} Module")
    if keyword in sets:
        return ValueList(_pairs(sets[keyword]), "value set", f"the value set {keyword!r}")
    return None


def _pairs(entries: list) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(meaning or "")) for value, meaning in entries)


def has_module(name: str) -> bool:
    """Whether the baseline has an entry ``name`` (carried ones included)."""
    return name in store.raw_modules()


def annex_title(label: str) -> str | None:
    """The title of PS3.17 annex ``label`` when the baseline lists PS3.17's annexes (an imported one does)."""
    for annex in store.read(store.ABOUT_FILE).get("annexes", ()):
        if annex.get("label") == label:
            return str(annex.get("title", ""))
    return None
