"""One part of the standard with a supplement's change text merged into it, as the editor merges it by hand.

What goes where (every target is looked up in the part; a missing one, or a part whose text is not what the spec
expects, is a located finding and nothing is written):

- rows added to an existing table (6-1, A-1, A-3, B.5-1, I.4-1, D-1, a CID): into the table of that id, at the
  place its order gives (tag, UID, code value; a CID's rows at its end), one cell per column of the part's
  table, matched by heading (an edition without the UID Keyword column gets no keyword); a row whose key the
  table has already is refused (DS431);
- a new section: into the section its number names as parent, after the last sibling numbered before it, its
  ``status`` set from its depth; a new CID after the CID numbered before it; a new PS3.17 annex: a chapter after
  the annex labelled before it;
- an amendment: the paragraph whose text is the ``old`` text is replaced by the ``new`` one (keeping its id),
  terms are added after the term before them, removed ones taken out, rows of an amended table replaced.

With ``mark`` (the "with changes" copy), nothing is taken out: added elements carry ``revisionflag="added"``,
removed ones ``"deleted"``, a changed paragraph ``"changed"`` with its inserted and deleted words as
``phrase``\\ s flagged ``added``/``deleted``, as the standard's own change editions mark them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from build_tools.check.ids import annex_key, known_ids
from build_tools.core.errors import Finding, Loc
from build_tools.core.findingcodes import severity_of
from build_tools.core.model import Amendment, Supplement
from build_tools.core.prose import Emphasis, Text, parse_line, plain
from build_tools.core.tags import parse_tag
from build_tools.document.layout import Unit, label_key, uid_key
from build_tools.document.nodes import Cell, Entry, Link, Para, Row, VariableList
from build_tools.document.parts import DELETED, INSERTED, marked
from build_tools.document.refs import Ids, Resolver
from build_tools.merge.fragments import Fragments
from build_tools.outputs.docbook import Relinker
from build_tools.standard.docbook_read import DB, XML_ID, Part, local, text
from build_tools.standard.index import Index

FLAG = "revisionflag"


def q(name: str) -> str:
    return f"{{{DB}}}{name}"


def norm(value: str) -> str:
    """Text compared between the spec and the part: whitespace folded, quotes plain, zero-width spaces gone."""
    value = value.replace("\u200b", "").replace("“", '"').replace("”", '"').replace("’", "'")
    return " ".join(value.split()).casefold()


def inline_text(nodes: tuple) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Link):
            out.append(node.text)
        elif isinstance(node, Emphasis):
            out.append(inline_text(node.children))
    return "".join(out)


def cell_text(cell: Cell) -> str:
    return " ".join(inline_text(b.inlines) for b in cell.blocks if hasattr(b, "inlines"))


@dataclass
class Merger:
    """Applies one part's changes to a copy of the part's tree (see the module's documentation)."""

    part: Part
    label: str  # PS3.n
    supplement: Supplement
    index: Index
    fragments: Fragments
    mark: bool
    findings: list[Finding] = field(default_factory=list)
    inserted: list[etree._Element] = field(default_factory=list)
    #: Elements an amendment removes, taken out when the amendment is done: until then they stay in the tree as
    #: the place the next added term, row or paragraph goes after.
    doomed: list[etree._Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = copy.deepcopy(self.part.root)
        self.ids: dict[str, etree._Element] = {}
        for element in self.root.iter():
            if isinstance(element.tag, str) and element.get(XML_ID) and element.get(XML_ID) not in self.ids:
                self.ids[element.get(XML_ID)] = element
        self.key = f"Supplement {self.supplement.number}"
        # One relinker for the whole part, so that every paragraph it gives an id gets its own.
        self.relinker = Relinker(self.label, self.key, known_ids(self.label) | frozenset(self.ids))

    def relinked(self, node, scope: str):
        return self.relinker.node(node, f"merge/{scope}")

    # --- reporting ----------------------------------------------------------------------------------------------

    def report(self, code: str, where: Loc | None, message: str) -> None:
        self.findings.append(Finding(where or Loc(str(self.part.path)), message, severity_of(code), code=code))

    def _where(self, element: etree._Element | None = None) -> str:
        line = f":{element.sourceline}" if element is not None and element.sourceline else ""
        return f"{self.part.path}{line}"

    # --- bookkeeping --------------------------------------------------------------------------------------------

    def _added(self, element: etree._Element) -> etree._Element:
        previous = element.getprevious()
        indent = previous.tail if previous is not None else element.getparent().text
        element.tail = indent if indent and not indent.strip() else element.tail
        for node in element.iter():
            if isinstance(node.tag, str) and node.get(XML_ID):
                self.ids.setdefault(node.get(XML_ID), node)
        if self.mark:
            element.set(FLAG, "added")
        self.inserted.append(element)
        return element

    def _remove(self, element: etree._Element) -> None:
        if self.mark:
            element.set(FLAG, "deleted")
        else:
            self.doomed.append(element)

    def _take_out_removed(self) -> None:
        for element in self.doomed:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        self.doomed.clear()

    def _fresh(self, element: etree._Element, where: Loc | None) -> bool:
        """Whether no id of ``element`` is in the part already (DS363 for each that is)."""
        ok = True
        for node in element.iter():
            value = node.get(XML_ID) if isinstance(node.tag, str) else None
            if value and value in self.ids:
                ok = False
                self.report("DS363", where, f"{self.label} ({self._where(self.ids[value])}) already has the id "
                                            f"{value!r}; the change text cannot add it again")
        return ok

    # --- rows ------------------------------------------------------------------------------------------------------

    def rows(self, unit: Unit, where: Loc | None) -> None:
        for table in unit.tables:
            table = self.relinked(table, table.id or "table")
            base = self.ids.get(table.id or "")
            shown = f"Table {table.label} “{table.caption}”" if not table.label.startswith("CID ") else \
                f"{table.label} “{table.caption}”"
            if base is None and table.label.startswith("CID "):
                base = self._cid_table(table.label[4:])
            if base is None or local(base) != "table":
                self.report("DS361", where, f"{self.label} ({self.part.path}) has no {shown}; its new rows "
                                            "have nowhere to go")
                continue
            caption = text(base.find(q("caption")), self.part)
            if norm(caption) != norm(table.caption or ""):
                self.report("DS362", where, f"{self._where(base)}: {table.id} is captioned “{caption}”, where the "
                                            f"spec expects “{table.caption}”")
                continue
            head_rows = base.findall(f"{q('thead')}/{q('tr')}")
            base_head = [norm(text(c, self.part)) for c in head_rows[-1] if local(c) in ("th", "td")] \
                if head_rows else []
            ours = [norm(cell_text(c)) for c in table.head[-1].cells] if table.head else []
            columns = [ours.index(h) if h in ours else None for h in base_head] if base_head else \
                list(range(len(ours)))
            if not columns or columns[0] is None:
                self.report("DS362", where, f"{self._where(base)}: the columns of {shown} are "
                                            f"{', '.join(base_head) or 'not given'}, where the spec expects "
                                            f"{', '.join(ours)}")
                continue
            if unit.version and table.label.startswith("CID "):
                self._cid_version(base, unit.version)
            body = base.find(q("tbody"))
            if body is None:
                self.report("DS362", where, f"{self._where(base)}: {shown} has no body (tbody) to add rows to")
                continue
            key_column = self._key_column(table.label, base_head)
            existing = [(self._key(table.label, tr, key_column), tr) for tr in body.findall(q("tr"))]
            for row in table.body:
                cells = tuple(row.cells[j] if j is not None and j < len(row.cells) else Cell() for j in columns)
                element = self.fragments.rows((Row(cells, row.change, row.depth),))[0]
                new_key = self._key(table.label, element, key_column)
                if new_key is not None and any(k == new_key for k, _tr in existing):
                    self.report("DS431", where, f"{self._where(base)}: {shown} has a row for "
                                                f"{text(list(element)[key_column], self.part)} already")
                    continue
                if not self._fresh(element, where):
                    continue
                self._place(body, existing, new_key, element)
                existing.append((new_key, element))
                self._added(element)

    @staticmethod
    def _place(body: etree._Element, existing: list, new_key, element: etree._Element) -> None:
        """After the row whose key is the greatest below ``new_key`` (the editor's "after the row of …"), else
        before the least above it; at the end when the table has no order (a CID) or no such row."""
        keyed = [(k, tr) for k, tr in existing if k is not None and new_key is not None]
        below = [(k, tr) for k, tr in keyed if k < new_key]
        above = [(k, tr) for k, tr in keyed if k > new_key]
        rows = body.findall(q("tr"))
        if below:
            max(below, key=lambda item: item[0])[1].addnext(element)
        elif above:
            min(above, key=lambda item: item[0])[1].addprevious(element)
        elif rows:
            rows[-1].addnext(element)
        else:
            body.append(element)

    def _cid_version(self, table: etree._Element, version: str) -> None:
        """The Version of the CID whose table is ``table`` (its header is a sibling variablelist) set to
        ``version``; in the marked copy the old version is struck through, the new one added."""
        for entry in table.getparent().findall(f"{q('variablelist')}/{q('varlistentry')}"):
            if norm(text(entry.find(q("term")), self.part)) != "version:":
                continue
            para = entry.find(f"{q('listitem')}/{q('para')}")
            if para is None or norm(text(para, self.part)) == norm(version):
                return
            old = text(para, self.part)
            for child in list(para):
                para.remove(child)
            if self.mark:
                para.text = None
                deleted = etree.SubElement(para, q("phrase"), {FLAG: "deleted"})
                deleted.text = old
                added = etree.SubElement(para, q("phrase"), {FLAG: "added"})
                added.text = version
                deleted.tail = " "
                para.set(FLAG, "changed")
            else:
                para.text = version
            return

    def _cid_table(self, number: str) -> etree._Element | None:
        section = self.ids.get(f"sect_CID_{number}")
        return section.find(f".//{q('table')}") if section is not None else None

    @staticmethod
    def _key_column(label: str, head: list[str]) -> int:
        if label in ("B.5-1", "I.4-1") and "sop class uid" in head:
            return head.index("sop class uid")
        return 0

    def _key(self, label: str, tr: etree._Element, column: int):
        cells = [c for c in tr if local(c) in ("td", "th")]
        if column >= len(cells):
            return None
        value = text(cells[column], self.part)
        if label in ("6-1", "7-1", "8-1"):
            return parse_tag(value)
        if label in ("A-1", "A-2", "A-3", "B.5-1", "I.4-1"):
            return uid_key(value) if re.fullmatch(r"[0-9.]+", value.replace("\u200b", "")) else None
        if label == "D-1":
            return (0, int(value), "") if value.isdigit() else (1, 0, value) if value else None
        return None  # a CID: rows go at its end

    # --- sections and annexes -----------------------------------------------------------------------------------

    def section(self, node, where: Loc | None) -> None:
        label = node.label
        if label.startswith("CID "):
            self._cid_section(node, where)
            return
        parent_label = label.rpartition(".")[0]
        parent = self.ids.get(f"sect_{parent_label}")
        if parent is None:
            parent = self.ids.get(f"chapter_{parent_label}")
        if parent is None:
            self.report("DS361", where, f"{self.label} ({self.part.path}) has no Section {parent_label}, where "
                                        f"the new Section {label} belongs")
            return
        element = self.fragments.section(self.relinked(node, node.id))
        if f"sect_{label}" in self.ids:
            self.report("DS363", where, f"{self.label} ({self._where(self.ids[f'sect_{label}'])}) already has a "
                                        f"Section {label}; the new section needs a number the part does not use")
            return
        if not self._fresh(element, where):
            return
        self._status(element, int(parent.get("status") or parent_label.count(".") + 1) + 1)
        siblings = [c for c in parent if local(c) == "section"]
        before = [c for c in siblings if label_key(c.get("label") or "") < label_key(label)]
        if before:
            before[-1].addnext(element)
        elif siblings:
            siblings[0].addprevious(element)
        else:
            parent.append(element)
        self._added(element)

    def _cid_section(self, node, where: Loc | None) -> None:
        number = int(node.label[4:])
        cids = sorted((int(i[9:]), e) for i, e in self.ids.items() if re.fullmatch(r"sect_CID_\d+", i))
        before = [e for n, e in cids if n < number]
        if not cids:
            self.report("DS361", where, f"{self.label} ({self.part.path}) has no context group section, where "
                                        f"CID {number} belongs")
            return
        element = self.fragments.section(self.relinked(node, node.id))
        if not self._fresh(element, where):
            return
        anchor = before[-1] if before else cids[0][1]
        self._status(element, int(anchor.get("status") or 2))
        (anchor.addnext if before else anchor.addprevious)(element)
        self._added(element)

    @staticmethod
    def _status(element: etree._Element, depth: int) -> None:
        element.set("status", str(depth))
        for child in element:
            if local(child) == "section":
                Merger._status(child, depth + 1)

    def annex(self, node, where: Loc | None) -> None:
        element = self.fragments.annex(self.relinked(node, node.id))
        if not self._fresh(element, where):
            return
        chapters = [c for c in self.root if local(c) == "chapter"]
        if not chapters:
            self.report("DS361", where, f"{self.label} ({self.part.path}) has no chapters to add Annex "
                                        f"{node.label} after")
            return
        annexes = [c for c in chapters if (c.get("label") or "").isalpha()]
        before = [c for c in annexes if annex_key(c.get("label")) < annex_key(node.label)]
        (before[-1] if before else chapters[-1]).addnext(element)
        self._added(element)

    # --- amendments ---------------------------------------------------------------------------------------------

    def amendment(self, amendment: Amendment) -> None:
        section = self.ids.get(f"sect_{amendment.section}")
        if section is None:
            self.report("DS361", amendment.at("section"), f"{self.label} ({self.part.path}) has no Section "
                                                          f"{amendment.section}, which the amendment changes")
            return
        resolver = Resolver(self.index, Ids(), self.label)
        cursor: etree._Element | None = None
        for change in amendment.changes:
            if change.ellipsis:
                continue
            if change.terms is not None:
                done = self._terms(section, change, resolver)
            elif change.table is not None:
                done = self._table_change(amendment, change, resolver)
            else:
                done = self._text(section, change, resolver, cursor)
            cursor = done if done is not None else cursor
        self._take_out_removed()

    def _own_paras(self, section: etree._Element) -> list[etree._Element]:
        out = []
        for para in section.iter(q("para")):
            owner = para.getparent()
            while owner is not None and local(owner) != "section":
                owner = owner.getparent()
            if owner is section:
                out.append(para)
        return out

    def _para(self, inlines: tuple, keep_id: str | None) -> etree._Element:
        node = self.relinked(Para(inlines), "amendments")
        element = self.fragments.para(node.inlines, keep_id or node.id)
        return element

    def _text(self, section, change, resolver: Resolver, cursor):
        old = resolver.inlines(parse_line(change.old)) if change.old is not None else None
        new = resolver.inlines(parse_line(change.new)) if change.new is not None else None
        found = None
        if old is not None:
            wanted = norm(inline_text(old))
            found = next((p for p in self._own_paras(section) if norm(text(p, self.part)) == wanted), None)
            if found is None:
                self.report("DS430", change.at("old"), f"{self._where(section)}: Section "
                                                       f"{section.get('label')} has no paragraph that reads "
                                                       f"“{inline_text(old).strip()}”")
                return None
        if new is None:
            self._remove(found)
            return found
        keep = found.get(XML_ID) if found is not None else None
        if self.mark and old is not None:
            element = self._phrases(self._para(marked(old, new), keep))
            element.set(FLAG, "changed")
        else:
            element = self._para(new, keep)
            if self.mark:
                element.set(FLAG, "added")
        if found is not None:
            found.addnext(element)
            found.getparent().remove(found)
        elif cursor is not None:
            cursor.addnext(element)
        elif section.find(q("title")) is not None:
            section.find(q("title")).addnext(element)
        else:
            section.insert(0, element)
        self.inserted.append(element)
        return element

    @staticmethod
    def _phrases(element: etree._Element) -> etree._Element:
        """Underlined words as ``phrase revisionflag="added"``, struck-through ones as ``"deleted"``."""
        for emphasis in list(element.iter(q("emphasis"))):
            role = emphasis.get("role")
            if role in (INSERTED, DELETED):
                emphasis.tag = q("phrase")
                del emphasis.attrib["role"]
                emphasis.set(FLAG, "added" if role == INSERTED else "deleted")
        return element

    def _terms(self, section, change, resolver: Resolver):
        title = f"{change.terms.title}:"
        lists = [v for v in section.iter(q("variablelist")) if norm(text(v.find(q("title")), self.part)) ==
                 norm(title)]
        if not lists:
            self.report("DS430", change.terms.at("title"), f"{self._where(section)}: Section "
                                                           f"{section.get('label')} has no list “{title}”")
            return None
        variables = lists[0]
        by_term = {norm(text(e.find(q("term")), self.part)): e for e in variables.findall(q("varlistentry"))}
        cursor = None
        for term in change.terms.entries:
            existing = by_term.get(norm(term.value))
            if term.change == "added":
                if existing is not None:
                    self.report("DS431", term.at("value"), f"{self._where(existing)}: the list “{title}” has "
                                                           f"{term.value} already")
                    continue
                meaning = resolver.inlines(parse_line(term.meaning)) if term.meaning is not None else ()
                entry = Entry((Text(term.value),), (Para(meaning),) if meaning else ())
                node = self.relinked(VariableList(None, (entry,)), "amendments")
                element = self.fragments.blocks((node,))[0].find(q("varlistentry"))
                if cursor is not None:
                    cursor.addnext(element)
                else:
                    later = [e for t, e in by_term.items() if t > norm(term.value)]
                    (later[0].addprevious if later else variables.append)(element)
                self._added(element)
                cursor = element
            elif existing is None:
                self.report("DS430", term.at("value"), f"{self._where(variables)}: the list “{title}” of Section "
                                                       f"{section.get('label')} has no term {term.value}")
            elif term.change == "removed":
                self._remove(existing)
                cursor = existing
            else:
                cursor = existing
        return cursor

    def _table_change(self, amendment: Amendment, change, resolver: Resolver) -> None:
        base = self.ids.get(f"table_{amendment.table}") if amendment.table else None
        if base is None:
            self.report("DS361", amendment.at("table") if amendment.table else amendment.at("section"),
                        f"{self.label} ({self.part.path}) has no Table {amendment.table}, which the amendment "
                        "changes")
            return
        body = base.find(q("tbody"))
        if body is None:
            self.report("DS362", amendment.at("table"), f"{self._where(base)}: Table {amendment.table} has no body "
                                                        "(tbody) whose rows the amendment changes")
            return
        cursor = None
        for row in change.table.rows:
            old = [norm(plain(parse_line(c))) for c in row.old] if row.old else None
            found = None
            if old is not None:
                for tr in body.findall(q("tr")):
                    cells = [norm(text(c, self.part)) for c in tr if local(c) in ("td", "th")]
                    if cells[:len(old)] == old:
                        found = tr
                        break
                if found is None:
                    self.report("DS430", row.at("old"), f"{self._where(base)}: Table {amendment.table} has no "
                                                        f"row {' | '.join(row.old)}")
                    continue
            if row.new is None:
                self._remove(found)
                cursor = found
                continue
            cells = tuple(Cell((Para(resolver.inlines(parse_line(c))),)) for c in row.new)
            element = self.fragments.rows((self.relinked(Row(cells), "amendments"),))[0]
            if found is not None:
                found.addnext(element)
                if self.mark:
                    found.set(FLAG, "deleted")
                else:
                    body.remove(found)
            elif cursor is not None:
                cursor.addnext(element)
            else:
                body.append(element)
            self._added(element)
            cursor = element

    # --- links of the inserted text -----------------------------------------------------------------------------

    def links(self) -> None:
        """In the inserted text, an olink into this part whose target is here becomes an xref (as the part
        writes its own links); an xref to an id the part does not have is reported (DS361)."""
        for top in self.inserted:
            for olink in list(top.iter(q("olink"))):
                target = olink.get("targetptr")
                if olink.get("targetdoc") == self.label and target in self.ids and target != self.label:
                    olink.tag = q("xref") if not (olink.text or len(olink)) else q("link")
                    olink.set("linkend", target)
                    for name in ("targetdoc", "targetptr"):
                        del olink.attrib[name]
                    if local(olink) == "link" and "xrefstyle" in olink.attrib:
                        del olink.attrib["xrefstyle"]
            for link in top.iter(q("xref"), q("link")):
                target = link.get("linkend")
                if target and target not in self.ids:
                    self.report("DS361", None, f"{self.part.path}: the change text links to {target!r}, which "
                                               f"{self.label} does not have")


def merge(part: Part, label: str, units: tuple[Unit, ...], supplement: Supplement, index: Index,
          fragments: Fragments, mark: bool, places: dict) -> Merger:
    """``part`` with the change text of ``label`` applied (``mark``: the "with changes" copy); ``places`` gives
    the YAML location of each unit's subject (see :func:`build_tools.merge.run.places`)."""
    merger = Merger(part, label, supplement, index, fragments, mark)
    for unit in units:
        if unit.kind == "rows":
            merger.rows(unit, places.get(("rows", unit.tables[0].label if unit.tables else "")))
        elif unit.kind == "section":
            for node in unit.sections:
                merger.section(node, places.get(("section", node.label)))
        elif unit.kind == "annex":
            for node in unit.sections:
                merger.annex(node, places.get(("annex", node.label)))
    for amendment in supplement.amendments:
        if amendment.part == label:
            merger.amendment(amendment)
    merger.links()
    return merger


__all__ = ["Merger", "merge", "norm", "FLAG"]
