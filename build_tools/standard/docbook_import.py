"""A baseline built from the standard's own DocBook (``dicomsup baseline import DIR``), in the committed format.

Reads whichever of ``part03.xml``, ``part04.xml``, ``part06.xml``, ``part16.xml`` and ``part17.xml`` DIR holds
(each through :func:`build_tools.standard.docbook_read.read_part`, which refuses hostile or broken files) and
writes the files that :mod:`build_tools.standard.store` reads:

- ``baseline.json``: as committed (edition, sources, counts, Information Entities, SOP Classes from PS3.4 B.5-1
  and I.4-1 and PS3.6 A-1), plus ``docbook`` (the edition per part, each file with its SHA-256, the warnings of
  reading them), ``media_storage_sop_classes`` (PS3.4 I.4-1) and ``annexes`` (PS3.17's chapters);
- ``baseline-modules.json``: the PS3.3 modules, macros and functional group macros from their attribute tables,
  rows in the committed short keys plus ``g`` (the tag as written) and ``nm`` (the attribute name as written);
- ``baseline-iods.json``: the IODs from their module tables (and functional group tables);
- ``baseline-registry.json`` (new): PS3.6 Table 6-1 (7-1, 8-1) data elements and Table A-1 UIDs, PS3.16 CIDs with
  their header and rows, and the Annex D codes;
- ``baseline-text.json`` (new): every chapter and section (label, id, title, its paragraphs' ids and text) and
  every table (label, id, caption, header and rows as cell texts).

Nothing is written unless every file was read: the folder is written as a temporary sibling and renamed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.core.names import keyword_from_name
from build_tools.standard.docbook_read import DB, XML_ID, Part, duplicate_ids, local, read_part, text

FORMAT = 1
PARTS = {"PS3.3": "part03.xml", "PS3.4": "part04.xml", "PS3.6": "part06.xml", "PS3.16": "part16.xml",
         "PS3.17": "part17.xml"}
REGISTRY_FILE = "baseline-registry.json"
TEXT_FILE = "baseline-text.json"
TYPES = {"1", "1C", "2", "2C", "3"}
BINARY_VRS = {"US", "SS", "UL", "SL", "UV", "SV", "US or SS", "AT"}
TAG = re.compile(r"^\(([0-9A-Fa-fx]{4}),([0-9A-Fa-fx]{4})\)$")


def uid_text(value: str) -> str:
    """A UID cell's text without spaces and without the ``<200b>`` that 2013 PS3.6 holds as text (once repaired)."""
    return re.sub(r"<?200[bB]>", "", value.replace(" ", ""))


def q(name: str) -> str:
    return f"{{{DB}}}{name}"


def cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if local(c) in ("td", "th")]


def caption(table: etree._Element, part: Part | None = None) -> str:
    found = table.find(q("caption"))
    if found is None:
        found = table.find(q("title"))
    return text(found, part)


def header(table: etree._Element, part: Part) -> list[str]:
    head = table.find(q("thead"))
    if head is None:
        return []
    rows = head.findall(q("tr"))
    return [text(c, part) for c in cells(rows[-1])] if rows else []


def body_rows(table: etree._Element) -> list[etree._Element]:
    body = table.find(q("tbody"))
    return body.findall(q("tr")) if body is not None else table.findall(q("tr"))


def enclosing_section(element: etree._Element) -> etree._Element | None:
    node = element.getparent()
    while node is not None and local(node) not in ("section", "chapter"):
        node = node.getparent()
    return node


@dataclass
class Imported:
    """The files of an imported baseline, and what was read to make them."""

    files: dict[str, dict]
    parts: dict[str, Part]
    counts: dict[str, dict[str, int]]  #: per part: what was found
    warnings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def edition(self) -> str:
        return self.files["baseline.json"]["edition"]


# --- everything: sections and tables ---------------------------------------------------------------------------


def sections(part: Part) -> list[dict]:
    out = []
    for element in part.root.iter(q("chapter"), q("section")):
        title = element.find(q("title"))
        paras = [[p.get(XML_ID), text(p, part)] for p in element.findall(q("para"))]
        entry = {"part": part.label, "kind": local(element), "label": element.get("label"),
                 "id": element.get(XML_ID), "title": text(title, part), "paras": paras}
        lists = [variable_list(found, part) for found in element.findall(q("variablelist"))]
        if lists:  # Defined Terms and Enumerated Values written in the section's own text (not in a table)
            entry["lists"] = lists
        out.append(entry)
    return out


def variable_list(element, part: Part) -> dict:
    """A ``variablelist`` as ``{"title", "entries": [[term, meaning], ...]}`` (the meaning may be empty)."""
    title = element.find(q("title"))
    entries = []
    for item in element.findall(q("varlistentry")):
        term = item.find(q("term"))
        meaning = item.find(q("listitem"))
        entries.append([text(term, part) if term is not None else "",
                        text(meaning, part) if meaning is not None else ""])
    return {"title": text(title, part) if title is not None else "", "entries": entries}


def tables(part: Part) -> list[dict]:
    out = []
    for table in part.root.iter(q("table")):
        where = enclosing_section(table)
        out.append({"part": part.label, "label": table.get("label"), "id": table.get(XML_ID),
                    "caption": caption(table, part), "section": where.get("label") if where is not None else None,
                    "head": header(table, part), "rows": [[text(c, part) for c in cells(r)]
                                                          for r in body_rows(table)]})
    return out


# --- PS3.3: modules, macros, IODs -------------------------------------------------------------------------------

MODULE_CAPTION = re.compile(r"^(?P<name>.+?) (?P<kind>Module|Macro) Attributes(?: Description)?$")


class PS33:
    """The modules, macros and IODs of a PS3.3 DocBook."""

    def __init__(self, part: Part, keywords: dict[str, tuple[str, str]]):
        self.part = part
        self.keywords = keywords  #: tag text -> (keyword, name), from PS3.6 when imported with it
        self.value_sets: dict[str, list] = {}
        self.conditions: dict[str, dict] = {}
        self.warnings: list[Finding] = []
        self.by_table: dict[str, str] = {}  # table label -> lookup name
        self.by_section: dict[str, str] = {}
        self.modules: list[dict] = []
        self.iods: list[dict] = []
        self.fg_names: set[str] = set()

    def warn(self, element: etree._Element, message: str) -> None:
        self.warnings.append(Finding(Loc(str(self.part.path), element.sourceline or 0), message, Severity.WARNING))

    def run(self) -> None:
        found = []
        for table in self.part.root.iter(q("table")):
            match = MODULE_CAPTION.match(caption(table, self.part))
            head = [h.lower() for h in header(table, self.part)]
            if match and head[:1] == ["attribute name"] and len(head) >= 4:
                found.append((table, match.group("name"), match.group("kind").lower()))
        modules = {name for _t, name, kind in found if kind == "module"}
        seen: set[str] = set()
        picked = []
        for table, name, kind in found:
            key = name if kind == "module" or name not in modules else f"{name} Macro"
            if key in seen:
                self.warn(table, f"{kind} {key!r} (Table {table.get('label')}) is defined again; the first is used")
                continue
            seen.add(key)
            where = enclosing_section(table)
            section = where.get("label") if where is not None else None
            if kind == "macro" and section and section.startswith("C.7.6.16.2"):
                kind = "functional group macro"
            self.by_table[table.get("label") or ""] = key
            if section:
                self.by_section.setdefault(section, key)
            picked.append((table, key, kind, section))
        self._iods()
        for table, key, kind, section in picked:
            if kind == "macro" and key in self.fg_names:
                kind = "functional group macro"
            self.modules.append({
                "name": key, "kind": kind, "section": section, "table": table.get("label"), "exact": True,
                "source": f"DocBook {self.part.label} {self.part.edition() or ''} {self.part.path.name}, "
                          f"Table {table.get('label')}".replace("  ", " "),
                "rows": self.rows(table, key)})
        self.modules.sort(key=lambda e: (e["kind"] != "module", e["name"].lower()))

    # Attribute tables.

    def rows(self, table: etree._Element, module: str) -> list[dict]:
        top: list[dict] = []
        stack: list[dict] = []  # the last row at each depth
        for tr in body_rows(table):
            tds = cells(tr)
            if not tds:
                continue
            first = text(tds[0], self.part)
            depth = len(first) - len(first.lstrip(">"))
            bare = first.lstrip(">").strip()
            if bare.startswith("Include"):
                row = self.include(tds, bare, tr, module)
            elif len(tds) >= 4 and TAG.match(text(tds[1], self.part).replace(" ", "")):
                row = self.attribute(tds, bare, module)
            else:
                continue
            if row is None:
                continue
            if depth == 0:
                top.append(row)
            elif depth - 1 < len(stack) and "a" in stack[depth - 1]:
                stack[depth - 1].setdefault("i", []).append(row)
            else:
                self.warn(tr, f"Table {table.get('label')}: row {bare!r} is nested {depth} deep under no sequence; "
                              "kept at the top level")
                top.append(row)
                depth = 0
            del stack[depth:]
            stack.append(row)
        return top

    def attribute(self, tds: list, name: str, module: str) -> dict:
        tag = text(tds[1], self.part).replace(" ", "").upper().replace("X", "x")
        kind = text(tds[2], self.part).strip()
        description = text(tds[3], self.part)
        keyword = self.keyword(tag, name)
        row: dict[str, Any] = {"a": keyword, "t": kind, "d": description or f"The {name}.", "g": tag, "nm": name}
        notes = []
        if kind == "3C":
            row["t"] = "3"
            notes.append("Type 3C in the table.")
        elif kind not in TYPES:
            row["t"] = "3"
            notes.append(f"Type {kind!r} in the table.")
        if row["t"] in ("1C", "2C"):
            match = re.search(r"(Required (?:if|when|for)\b.*?\.)(?:\s|$)", description)
            key = f"{module}.{keyword}"
            self.conditions[key] = {"named": f"{keyword}Required", "text": match.group(1) if match else
                                    "Required under the condition that the standard's description gives."}
            row["c"] = key
            if re.search(r"[Mm]ay be present otherwise", description):
                row["o"] = 1
        for vl in tds[3].iter(q("variablelist")):
            title = text(vl.find(q("title")), self.part).rstrip(":").strip().lower()
            short = {"enumerated values": "e", "defined terms": "dt"}.get(title)
            if short is None or short in row:
                continue
            values = [[self.value(text(entry.find(q("term")), self.part), tag),
                       text(entry.find(q("listitem")), self.part) or None]
                      for entry in vl.findall(q("varlistentry"))]
            set_id = f"{module}.{keyword}.{short}"
            self.value_sets[set_id] = values
            row[short] = set_id
        if "Only a single Item" in description:
            row["n"] = "one"
        elif "One or more Items" in description:
            row["n"] = "one or more"
        elif "Zero or more Items" in description:
            row["n"] = "zero or more"
        if notes:
            row["x"] = " ".join(notes)
        return row

    def value(self, term: str, tag: str) -> str:
        """An Enumerated Value as the committed data writes it: binary ones (``0001H``, ``0010H``) as decimals."""
        match = re.fullmatch(r"([0-9A-Fa-f]+)H", term)
        if match and self.vr(tag) in BINARY_VRS:
            return str(int(match.group(1), 16))
        return term

    def vr(self, tag: str) -> str:
        match = TAG.match(tag)
        if not match or "x" in tag:
            return ""
        from pydicom.datadict import DicomDictionary

        entry = DicomDictionary.get(int(match.group(1) + match.group(2), 16))
        return entry[0] if entry else ""

    def keyword(self, tag: str, name: str) -> str:
        known = self.keywords.get(tag)
        if known:
            return known[0]
        match = TAG.match(tag)
        if match and "x" not in tag:
            from pydicom.datadict import DicomDictionary

            entry = DicomDictionary.get(int(match.group(1) + match.group(2), 16))
            if entry and entry[4]:
                return entry[4]
        return keyword_from_name(name)

    def include(self, tds: list, bare: str, tr: etree._Element, module: str) -> dict | None:
        ref = next(iter(tds[0].iter(q("xref"), q("olink"))), None)
        target = None
        if ref is not None:
            target = ref.get("linkend") or ref.get("targetptr") or ""
        if target is None or not (target.startswith("table_") or target.startswith("sect_")):
            return None  # "Include one or more Functional Group Macros …": a placeholder, not a macro
        label = target.split("_", 1)[1]
        key = self.by_table.get(label) if target.startswith("table_") else self.by_section.get(label)
        if key is None:
            quoted = re.search(r"\u201c(.+?)\u201d", bare)
            match = MODULE_CAPTION.match(quoted.group(1)) if quoted else None
            key = match.group("name") if match else label
            self.warn(tr, f"include of {bare!r}: the table is not in this file; named {key!r}")
        if key == module:
            self.warn(tr, f"{module!r} includes itself ({bare!r}); the row is left out")
            return None
        row: dict[str, Any] = {"m": key}
        description = " ".join(text(td, self.part) for td in tds[1:])
        for word, short in (("Baseline", "b"), ("Defined", "f"), ("Enumerated", "ec")):
            match = re.search(rf"\b{word} CID (\d+)", description)
            if match:
                row[short] = int(match.group(1))
        after = bare.split("\u201d", 1)[1].strip() if "\u201d" in bare else ""
        extra = " ".join(x for x in (after, description) if x)
        if extra:
            row["x"] = extra
        return row

    # IODs.

    def _iods(self) -> None:
        annex = next((c for c in self.part.root.iter(q("chapter")) if c.get("label") == "A"), None)
        if annex is None:
            return
        for section in annex.iter(q("section")):
            title = text(section.find(q("title")), self.part)
            if not (title.endswith(" IOD Modules") or title.endswith(" Module Table")):
                continue
            iod_section = section.getparent()
            iod_title = text(iod_section.find(q("title")), self.part)
            table = section.find(f".//{q('table')}")
            if table is None or [h.lower() for h in header(table, self.part)][:2] != ["ie", "module"]:
                continue
            named = re.match(r"^(.+?) IOD Modules$", caption(table, self.part))
            name = named.group(1) if named else re.sub(r"\s+(IOD|Information Object Definition)$", "", iod_title)
            out: dict[str, Any] = {"name": name, "section": iod_section.get("label"), "exact": True,
                                   "table": table.get("label"), "sop_classes": [],
                                   "source": f"DocBook {self.part.label} {self.part.edition() or ''} "
                                             f"{self.part.path.name}, Table {table.get('label')}"}
            out["modules"] = self.iod_rows(table)
            groups = next((s for s in iod_section.findall(q("section"))
                           if text(s.find(q("title")), self.part).endswith(" Functional Group Macros")), None)
            if groups is not None and (fg := groups.find(f".//{q('table')}")) is not None:
                out["functional_groups"] = self.fg_rows(fg)
            self.iods.append(out)
        self.iods.sort(key=lambda i: i["name"].lower())

    def _reference(self, td: etree._Element) -> str | None:
        ref = next(iter(td.iter(q("xref"), q("olink"))), None)
        if ref is None:
            value = text(td, self.part)
            return value or None
        target = ref.get("linkend") or ref.get("targetptr") or ""
        return target.split("_", 1)[1] if "_" in target else target

    def iod_rows(self, table: etree._Element) -> list[dict]:
        rows, ie, left = [], "", 0
        for tr in body_rows(table):
            tds = cells(tr)
            if len(tds) >= 4 or left <= 0:
                if len(tds) < 4:
                    self.warn(tr, f"Table {table.get('label')}: a row of {len(tds)} cells without an IE; skipped")
                    continue
                ie = text(tds[0], self.part)
                left = int(tds[0].get("rowspan") or 1)
                tds = tds[1:]
            left -= 1
            module, section = text(tds[0], self.part), self._reference(tds[1])
            module = re.sub(r"\s+Module$", "", module)
            known = self.by_section.get(section or "")
            if known is not None and known != module and module not in self.by_table.values():
                module = known  # the row names the module otherwise than its table's caption: the caption's name
            usage_text = text(tds[2], self.part)
            row: dict[str, Any] = {"ie": ie, "module": module, "section": section, "usage": usage_text[:1] or "U"}
            rest = usage_text[1:].lstrip(" -\u2013").strip()
            if rest:
                row["condition"] = rest
            rows.append(row)
        return rows

    def fg_rows(self, table: etree._Element) -> list[dict]:
        rows = []
        for tr in body_rows(table):
            tds = cells(tr)
            if len(tds) < 3:
                continue
            name = re.sub(r"\s+Macro$", "", text(tds[0], self.part))
            section = self._reference(tds[1])
            key = self.by_section.get(section or "", name)
            self.fg_names.add(key)
            usage_text = text(tds[2], self.part)
            row: dict[str, Any] = {"macro": key, "section": section, "table": next(
                (m for m, k in self.by_table.items() if k == key), None), "usage": usage_text[:1] or "U",
                "group": "Multi-frame"}
            rest = usage_text[1:].lstrip(" -\u2013").strip()
            if rest:
                row["condition"] = rest
            rows.append(row)
        return rows


# --- PS3.4: SOP Classes -------------------------------------------------------------------------------------------


def _table(part: Part, label: str) -> etree._Element | None:
    found = part.ids.get(f"table_{label}")
    return found if found is not None and local(found) == "table" else None


def sop_class_table(part: Part, label: str) -> list[dict]:
    """Rows of PS3.4 Table B.5-1 or I.4-1: name, UID, IOD specification (section of PS3.3)."""
    table = _table(part, label)
    if table is None:
        return []
    out = []
    for tr in body_rows(table):
        tds = cells(tr)
        if len(tds) < 2:
            continue
        name, uid = text(tds[0], part), uid_text(text(tds[1], part))
        if not re.fullmatch(r"[0-9.]+", uid):
            continue
        row: dict[str, Any] = {"uid": uid, "name": name, "table": label}
        if len(tds) > 2:
            ref = next(iter(tds[2].iter(q("olink"), q("xref"))), None)
            target = (ref.get("targetptr") or ref.get("linkend") or "") if ref is not None else ""
            if target.startswith("sect_"):
                row["iod_section"] = target[len("sect_"):]
            spec = text(tds[2], part)
            if spec and spec != row.get("iod_section"):
                row["iod_specification"] = spec
        out.append(row)
    return out


# --- PS3.6: data elements and UIDs --------------------------------------------------------------------------------


def data_elements(part: Part) -> list[dict]:
    out = []
    for label in ("6-1", "7-1", "8-1"):
        table = _table(part, label)
        if table is None:
            continue
        for tr in body_rows(table):
            tds = cells(tr)
            if len(tds) < 6:
                continue
            tag, name, keyword, vr, vm, note = (text(td, part) for td in tds[:6])
            if not TAG.match(tag.replace(" ", "")):
                continue
            retired = note.upper().startswith("RET")
            row: dict[str, Any] = {"tag": tag.replace(" ", "").upper().replace("X", "x"), "name": name,
                                   "keyword": keyword, "vr": vr, "vm": vm, "retired": retired, "table": label}
            if note and note != "RET":
                row["note"] = note
            out.append(row)
    return out


def uids(part: Part) -> list[dict]:
    table = _table(part, "A-1")
    if table is None:
        return []
    head = [h.lower() for h in header(table, part)]
    has_keyword = any("keyword" in h for h in head)
    out = []
    for tr in body_rows(table):
        values = [text(td, part) for td in cells(tr)]
        if len(values) < 4:
            continue
        value = uid_text(values[0])
        if has_keyword:
            name, keyword, kind, where = values[1], values[2], values[3], values[4] if len(values) > 4 else ""
        else:
            name, keyword, kind, where = values[1], "", values[2], values[3]
        out.append({"uid": value, "name": name, "keyword": keyword, "type": kind, "part": where,
                    "retired": "(Retired)" in name})
    return out


# --- PS3.16: CIDs and Annex D ---------------------------------------------------------------------------------------


def context_groups(part: Part) -> list[dict]:
    out = []
    for section in part.root.iter(q("section")):
        ident = section.get(XML_ID) or ""
        if not ident.startswith("sect_CID_") or not ident[len("sect_CID_"):].isdigit():
            continue
        cid = int(ident[len("sect_CID_"):])
        group: dict[str, Any] = {"cid": cid, "name": text(section.find(q("title")), part)}
        for vl in section.findall(q("variablelist")):
            for entry in vl.findall(q("varlistentry")):
                term = text(entry.find(q("term")), part).rstrip(":").strip().lower()
                value = text(entry.find(q("listitem")), part)
                key = {"keyword": "keyword", "type": "type", "version": "version", "uid": "uid",
                       "fhir keyword": "fhir_keyword"}.get(term)
                if key:
                    group[key] = value.replace(" ", "") if key == "uid" else value
        group.setdefault("keyword", re.sub(r"[^A-Za-z0-9_]", "", group["name"]))
        table = section.find(q("table"))
        rows = []
        if table is not None:
            head = [h.lower() for h in header(table, part)]
            col = {name: head.index(name) for name in ("coding scheme designator", "code value", "code meaning")
                   if name in head}
            for tr in body_rows(table):
                tds = cells(tr)
                first = text(tds[0], part) if tds else ""
                if first.startswith("Include"):
                    ref = next(iter(tds[0].iter(q("xref"), q("olink"))), None)
                    target = (ref.get("linkend") or ref.get("targetptr") or "") if ref is not None else ""
                    if target.startswith("sect_CID_"):
                        rows.append({"include": int(target[len("sect_CID_"):])})
                    continue
                if len(col) == 3 and len(tds) > max(col.values()):
                    rows.append({"scheme": text(tds[col["coding scheme designator"]], part),
                                 "value": text(tds[col["code value"]], part),
                                 "meaning": text(tds[col["code meaning"]], part)})
        group["rows"] = rows
        out.append(group)
    return out


def codes(part: Part) -> list[dict]:
    table = _table(part, "D-1")
    if table is None:
        return []
    out = []
    for tr in body_rows(table):
        values = [text(td, part) for td in cells(tr)]
        if len(values) >= 3 and values[0]:
            out.append({"scheme": "DCM", "value": values[0], "meaning": values[1], "definition": values[2],
                        **({"notes": values[3]} if len(values) > 3 and values[3] else {})})
    return out


# --- PS3.17: annexes ------------------------------------------------------------------------------------------------


def annexes(part: Part) -> list[dict]:
    return [{"label": c.get("label"), "id": c.get(XML_ID), "title": text(c.find(q("title")), part)}
            for c in part.root.findall(q("chapter")) if c.get("label")]


# --- The whole import ---------------------------------------------------------------------------------------------


def read_parts(folder: Path) -> dict[str, Part]:
    if not folder.is_dir():
        raise InputError([Finding(Loc(str(folder)), "not a folder (give the folder of the standard's partNN.xml)")])
    found = {part: folder / name for part, name in PARTS.items() if (folder / name).is_file()}
    if not found:
        raise InputError([Finding(Loc(str(folder)), "no part03.xml, part04.xml, part06.xml, part16.xml or "
                                                    "part17.xml here")])
    return {part: read_part(path) for part, path in found.items()}


def edition_of(parts: dict[str, Part]) -> str:
    editions = {label: part.edition() or "edition unknown" for label, part in parts.items()}
    if len(set(editions.values())) == 1:
        return f"{next(iter(editions.values()))} ({', '.join(editions)} from DocBook)"
    return "; ".join(f"{label} {edition}" for label, edition in editions.items()) + " (from DocBook)"


def import_folder(folder: Path) -> Imported:
    """Read the parts in ``folder`` and build the baseline files (nothing is written)."""
    started = time.perf_counter()
    parts = read_parts(folder)
    warnings = [w for part in parts.values() for w in part.warnings]
    counts: dict[str, dict[str, int]] = {}
    all_sections, all_tables = [], []
    for label, part in parts.items():
        found_sections, found_tables = sections(part), tables(part)
        all_sections += found_sections
        all_tables += found_tables
        counts[label] = {"sections": len(found_sections), "tables": len(found_tables)}
        duplicates = len(duplicate_ids(part))
        if duplicates:
            counts[label]["duplicate_ids"] = duplicates
        if len(part.warnings) > duplicates:
            counts[label]["repaired_tags"] = len(part.warnings) - duplicates
    registry: dict[str, Any] = {"data_elements": [], "uids": [], "context_groups": [], "codes": []}
    if "PS3.6" in parts:
        registry["data_elements"] = data_elements(parts["PS3.6"])
        registry["uids"] = uids(parts["PS3.6"])
        counts["PS3.6"].update(data_elements=len(registry["data_elements"]), uids=len(registry["uids"]))
    keywords = {e["tag"]: (e["keyword"], e["name"]) for e in registry["data_elements"] if e["keyword"]}
    modules, iods, value_sets, conditions = [], [], {}, {}
    if "PS3.3" in parts:
        ps33 = PS33(parts["PS3.3"], keywords)
        ps33.run()
        modules, iods, value_sets, conditions = ps33.modules, ps33.iods, ps33.value_sets, ps33.conditions
        warnings += ps33.warnings
        counts["PS3.3"].update(
            modules=sum(1 for m in modules if m["kind"] == "module"),
            macros=sum(1 for m in modules if m["kind"] == "macro"),
            functional_group_macros=sum(1 for m in modules if m["kind"] == "functional group macro"),
            attribute_rows=sum(_count(m["rows"], "a") for m in modules),
            include_rows=sum(_count(m["rows"], "m") for m in modules), iods=len(iods))
    storage, media = [], []
    if "PS3.4" in parts:
        storage = sop_class_table(parts["PS3.4"], "B.5-1")
        media = sop_class_table(parts["PS3.4"], "I.4-1")
        counts["PS3.4"].update(storage_sop_classes=len(storage), media_storage_sop_classes=len(media))
    if "PS3.16" in parts:
        registry["context_groups"] = context_groups(parts["PS3.16"])
        registry["codes"] = codes(parts["PS3.16"])
        counts["PS3.16"].update(context_groups=len(registry["context_groups"]), codes=len(registry["codes"]))
    chapters = annexes(parts["PS3.17"]) if "PS3.17" in parts else []
    if chapters:
        counts["PS3.17"]["annexes"] = sum(1 for c in chapters if c["label"].isalpha())
    sop_classes = _sop_classes(storage, media, registry["uids"], iods)
    edition = edition_of(parts)
    ies = Counter(row["ie"] for iod in iods for row in iod["modules"])
    ie_iods = Counter(ie for iod in iods for ie in {row["ie"] for row in iod["modules"]})
    files_info = [{"part": label, "file": part.path.name, "sha256": part.sha256, "bytes": part.size,
                   "edition": part.edition(), "subtitle": part.subtitle(),
                   **({"releaseinfo": part.releaseinfo()} if part.releaseinfo() else {}),
                   "recovered": part.recovered, "warnings": len(part.warnings)} for label, part in parts.items()]
    summary = {
        "format": FORMAT, "edition": edition,
        "title": "A baseline imported from the DICOM standard's DocBook by dicomsup baseline import",
        "generated_by": "dicomsup baseline import (build_tools/standard/docbook_import.py)",
        "sources": [{"repository": f"{f['part']} DocBook ({f['file']})", "version": f["edition"] or "",
                     "sha256": f["sha256"], "files": [f["file"]],
                     "license": "the DICOM Standard, Copyright NEMA"} for f in files_info],
        "used": {"everything": "the DocBook files listed in sources"},
        "counts": {
            "modules": sum(1 for m in modules if m["kind"] == "module"),
            "macros": sum(1 for m in modules if m["kind"] == "macro"),
            "functional_group_macros": sum(1 for m in modules if m["kind"] == "functional group macro"),
            "entries_without_rows": 0,
            "attribute_rows": sum(_count(m["rows"], "a") for m in modules),
            "include_rows": sum(_count(m["rows"], "m") for m in modules),
            "iods": len(iods), "iods_with_functional_groups": sum(1 for i in iods if i.get("functional_groups")),
            "sop_classes": len(sop_classes), "information_entities": len(ies),
            "value_sets": len(value_sets), "conditions": len(conditions),
            "data_elements": len(registry["data_elements"]), "uids": len(registry["uids"]),
            "context_groups": len(registry["context_groups"]), "codes": len(registry["codes"]),
            "annexes": len(chapters), "sections": len(all_sections), "tables": len(all_tables)},
        "information_entities": {"names": sorted(ies), "iod_counts": dict(sorted(ie_iods.items()))},
        "sop_classes": sop_classes,
        "left_out": {}, "disagreements": {},
        "docbook": {"edition": {label: part.edition() for label, part in parts.items()}, "files": files_info,
                    "warnings": [str(w) for w in warnings]},
        "media_storage_sop_classes": media,
        "annexes": chapters,
    }
    files = {
        "baseline.json": summary,
        "baseline-modules.json": {"format": FORMAT, "edition": edition, "value_sets": value_sets,
                                  "conditions": conditions, "modules": modules},
        "baseline-iods.json": {"format": FORMAT, "edition": edition, "iods": iods},
        REGISTRY_FILE: {"format": FORMAT, "edition": edition, **registry},
        TEXT_FILE: {"format": FORMAT, "edition": edition, "sections": all_sections, "tables": all_tables},
    }
    return Imported(files, parts, counts, warnings, time.perf_counter() - started)


def _count(rows: list[dict], key: str) -> int:
    return sum((1 if key in r else 0) + _count(r.get("i", []), key) for r in rows)


def _sop_classes(storage: list[dict], media: list[dict], registry_uids: list[dict], iods: list[dict]) -> list[dict]:
    """One row per UID: B.5-1, then I.4-1, then the SOP Classes and Instances of PS3.6 A-1."""
    by_section = {i["section"]: i for i in iods}
    out: dict[str, dict] = {}
    for row in storage + media:
        if row["uid"] in out:
            continue
        entry: dict[str, Any] = {"uid": row["uid"], "name": row["name"], "type": "Class"}
        iod = by_section.get(row.get("iod_section"))
        if iod is not None:
            entry["iod"] = iod["name"]
            if row["uid"] not in iod["sop_classes"]:
                iod["sop_classes"].append(row["uid"])
        if "(Retired)" in row["name"]:
            entry["retired"] = True
        out[row["uid"]] = entry
    for row in registry_uids:
        kind = row["type"].lower()
        if row["uid"] in out or not ("sop class" in kind or "sop instance" in kind):
            continue
        out[row["uid"]] = {"uid": row["uid"], "name": row["name"],
                           "type": "Instance" if "instance" in kind else "Class",
                           **({"retired": True} if row["retired"] else {})}

    def number(uid: str) -> list[int]:
        return [int(p) if p.isdigit() else 0 for p in uid.split(".")]

    return sorted(out.values(), key=lambda r: number(r["uid"]))


def write(imported: Imported, out: Path) -> list[Path]:
    """Write the files into folder ``out`` all at once: a temporary sibling folder, renamed into place."""
    out = out.resolve()
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise InputError([Finding(Loc(str(out)), "exists and is not a folder; choose another --out")])
        others = sorted(p.name for p in out.iterdir() if not re.fullmatch(r"baseline(-[a-z]+)?\.json", p.name))
        if others:  # never replace a folder that is not a baseline (``--out .`` would remove the project)
            raise InputError([Finding(Loc(str(out)), f"exists and is not a baseline folder (it holds {others[0]!r}"
                                                     f"{' …' if len(others) > 1 else ''}); choose another --out")])
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    old: Path | None = None
    try:
        for name, content in imported.files.items():
            text_ = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
            (temporary / name).write_text(text_ + "\n", encoding="utf-8")
        os.chmod(temporary, 0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
        temporary.rename(out)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None and not out.exists():
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return [out / name for name in imported.files]
