"""The presentation model of the parts other than PS3.3's new sections: PS3.4, PS3.6, PS3.16, PS3.17 tables and
annex, and the amendments of any part (change text computed by :mod:`build_tools.document.worddiff`). Tables are
as the standard heads them: the PS3.4 Table B.5-1 header names PS3.3 with an olink, every new Storage SOP Class
also gets its row in Table I.4-1 "Media Storage Standard SOP Classes", and an amended CID shows its header with the
change of its Version."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from build_tools.document.worddiff import diff_tokens, tokens
from build_tools.core.numbering import numbered
from build_tools.core.tags import parse_tag
from build_tools.standard import amend, store
from build_tools.standard.codes import cid_names
from build_tools.standard.index import cid_keyword, element_keyword, uid_keyword
from build_tools.core.model import Amendment, AnnexSection, Change, RowChange, Supplement, TableChange
from build_tools.core.prose import Ref, Text, join_text, parse, parse_line, plain
from build_tools.document.nodes import (Cell, Emphasis, Entry, Figure, Instruction, Link, Para, Row, Section, Table,
                                      VariableList)
from build_tools.document.idiom import MEDIA_TABLE, instruction, is_modify, modify
from build_tools.document.ps33 import head, status, text_cell
from build_tools.document.refs import Resolver, tag_id

__all__ = ["instruction"]  # re-exported for callers of the old place

INSERTED, DELETED = "underline", "strikethrough"


# --- PS3.4 -----------------------------------------------------------------------------------------------------


def sop_class_table(supplement: Supplement, r: Resolver) -> Table:
    rows = []
    for sop in supplement.sop_classes:
        uid = r.index.uid(sop.uid)
        iod = r.index.iod(sop.iod)
        iod_link = r.link(f"{sop.iod} IOD", "PS3.3", f"sect_{iod.section}", "select: title", "iod") if iod \
            else Link(f"{sop.iod} IOD")
        special = (Para((r.ref(Ref("section", f"PS3.4:{sop.specialization}")),)),) if sop.specialization else ()
        rows.append(Row((text_cell(uid.name if uid else sop.uid), text_cell(uid.value if uid else ""),
                         Cell((Para((iod_link,)),)), Cell(special))))
    header = head("SOP Class Name", "SOP Class UID", "IOD Specification (defined in PS3.3)", "Specialization")
    # "IOD Specification (defined in PS3.3)" names PS3.3 by olink, as the standard's header does.
    spec = replace(header[0].cells[2], blocks=(Para((
        Text("IOD Specification (defined in "), Link("PS3.3", "PS3.3", "PS3.3", None, "select: labelnumber", "part"),
        Text(")"))),))
    header = (Row(header[0].cells[:2] + (spec,) + header[0].cells[3:]),)
    return Table(r.ids.claim("PS3.4", "table_B.5-1"), "B.5-1", "Standard SOP Classes", header, tuple(rows),
                 role="sop-classes")


def media_table(sop_classes: Table, r: Resolver) -> Table:
    """The Table I.4-1 rows of the Storage SOP Classes of the B.5-1 table ``sop_classes`` (its first three
    columns)."""
    head_rows = tuple(Row(row.cells[:3]) for row in sop_classes.head)
    body = tuple(Row(row.cells[:3], row.change) for row in sop_classes.body)
    return Table(r.ids.claim("PS3.4", f"table_{MEDIA_TABLE[0]}"), MEDIA_TABLE[0], MEDIA_TABLE[1], head_rows, body,
                 role="sop-classes")


# --- PS3.6 -----------------------------------------------------------------------------------------------------


def _italic_if(retired: bool, inlines: tuple) -> tuple:
    return (Emphasis("italic", inlines),) if retired and inlines else inlines


def registry_table(supplement: Supplement, r: Resolver) -> Table:
    def key(element):
        tag = parse_tag(element.tag)
        return (0, tag, "") if tag is not None else (1, 0, element.tag)

    rows = []
    for element in sorted(supplement.data_elements, key=key):
        texts = [element.tag, element.name,
                 element_keyword(element), element.vr, element.vm, "RET" if element.retired else ""]
        aligns = ["center", "left", "left", "center", "center", "center"]
        cells = []
        for position, (text, align) in enumerate(zip(texts, aligns)):
            para_id = r.ids.claim("PS3.6", tag_id(element.tag)) if position == 0 else None
            inlines = _italic_if(element.retired, (Text(text),) if text else ())
            cells.append(Cell((Para(inlines, para_id),) if inlines or para_id else (), align=align))
        rows.append(Row(tuple(cells)))
    return Table(r.ids.claim("PS3.6", "table_6-1"), "6-1", "Registry of DICOM Data Elements",
                 head("Tag", "Name", "Keyword", "VR", "VM", "", bold=True), tuple(rows), role="registry")


def uid_table(supplement: Supplement, r: Resolver) -> Table:
    rows = []
    for uid in supplement.uids:
        name = uid.name + (" (Retired)" if uid.retired else "")
        part = Link(uid.part, uid.part, uid.part, None, "select: labelnumber", "part")
        cells = [Cell((Para(_italic_if(uid.retired, (Text(uid.value),)), r.ids.claim("PS3.6", f"uid_{uid.value}")),)),
                 Cell((Para(_italic_if(uid.retired, (Text(name),))),)),
                 Cell((Para(_italic_if(uid.retired, (Text(uid_keyword(uid)),))),)),
                 Cell((Para(_italic_if(uid.retired, (Text(uid.type),))),)),
                 Cell((Para(_italic_if(uid.retired, (part,))),), align="center")]
        rows.append(Row(tuple(cells)))
    return Table(r.ids.claim("PS3.6", "table_A-1"), "A-1", "UID Values",
                 head("UID Value", "UID Name", "UID Keyword", "UID Type", "Part", bold=True), tuple(rows),
                 role="uids")


def context_uid_table(supplement: Supplement, r: Resolver) -> Table:
    rows = tuple(Row((text_cell(group.uid or ""), text_cell(str(group.cid)), text_cell(group.name)))
                 for group in supplement.context_groups if group.uid)
    return Table(r.ids.claim("PS3.6", "table_A-3"), "A-3", "Context Group UID Values",
                 head("Context UID", "Context Identifier", "Context Group Name", bold=True), rows,
                 role="context-uids")


# --- PS3.16 ----------------------------------------------------------------------------------------------------

CID_COLUMNS = ("Coding Scheme Designator", "Code Value", "Code Meaning")


def code_rows(rows, r: Resolver) -> list[Row]:
    return [Row((text_cell(row.scheme), text_cell(row.value), text_cell(r.index.code_meaning(row.scheme, row.value,
                                                                                          row.meaning) or "")))
            for row in rows]


def cid_section(group, r: Resolver) -> Section:
    ids = r.ids
    section_id = ids.claim("PS3.16", f"sect_CID_{group.cid}")
    keyword = cid_keyword(group)
    header = [("Keyword:", keyword), ("FHIR Keyword:", f"dicom-cid-{group.cid}-{keyword}"),
              ("Type:", "Extensible" if group.extensible else "Non-Extensible"), ("Version:", group.version)]
    if group.uid:
        header.append(("UID:", group.uid))
    variables = VariableList(None, tuple(Entry((Text(term),), (Para((Text(value),)),)) for term, value in header))
    rows = code_rows(group.rows, r)
    for included in group.includes:
        rows.append(Row((Cell((Para((Emphasis("italic", (Text("Include "),
                                                         r.cid(included, "select: label quotedtitle"))),)),),
                              colspan=3),)))
    table = Table(ids.claim("PS3.16", f"table_CID_{group.cid}"), f"CID {group.cid}", group.name,
                  head(*CID_COLUMNS), tuple(rows), role="cid")
    blocks = r.blocks(parse(group.description)) + (variables, table)
    return Section(section_id, f"CID {group.cid}", group.name, blocks, status=2)


def cid_addition_table(addition, r: Resolver) -> Table:
    return Table(r.ids.claim("PS3.16", f"table_CID_{addition.cid}"), f"CID {addition.cid}", addition.name,
                 head(*CID_COLUMNS), tuple(code_rows(addition.rows, r)), role="cid")


def standard_cid(number: int) -> dict:
    """What the baseline knows of CID ``number``: keyword, and with an imported baseline type, version, UID."""
    found: dict = {}
    registry = store.read_optional("baseline-registry.json") if store.configured() is not None else None
    for group in (registry or {}).get("context_groups", ()):
        if group.get("cid") == number:
            found = {k: group.get(k) for k in ("keyword", "type", "version", "uid") if group.get(k)}
    if "keyword" not in found and number in cid_names():
        found["keyword"] = cid_names()[number]
    return found


def cid_header(number: int, name: str, version: str) -> VariableList:
    """The header of an amended CID as PS3.16 prints it (Keyword, Type, Version, UID), with the change of its
    Version marked: the old one struck through (where the baseline knows it), the new one underlined."""
    known = standard_cid(number)
    keyword = known.get("keyword") or re.sub(r"[^A-Za-z0-9_]", "", name)
    old = known.get("version")
    change = ((Emphasis(DELETED, (Text(old),)), Text(" ")) if old and old != version else ()) + \
        ((Emphasis(INSERTED, (Text(version),)),) if old != version else (Text(version),))
    entries = [Entry((Text("Keyword:"),), (Para((Text(keyword),)),))]
    if known.get("type"):
        entries.append(Entry((Text("Type:"),), (Para((Text(known["type"]),)),)))
    entries.append(Entry((Text("Version:"),), (Para(change),)))
    if known.get("uid"):
        entries.append(Entry((Text("UID:"),), (Para((Text(known["uid"]),)),)))
    return VariableList(None, tuple(entries))


def dcm_table(supplement: Supplement, r: Resolver) -> Table:
    def key(code):
        return (0, int(code.value), "") if code.value.isdigit() else (1, 0, code.value)

    rows = []
    for code in sorted((c for c in supplement.codes if c.scheme == "DCM"), key=key):
        definition = r.inlines(parse_line(code.definition)) if code.definition else ()
        rows.append(Row((Cell((Para((Text(code.value),), r.ids.claim("PS3.16", f"DCM_{code.value}")),),
                              align="center"),
                         text_cell(code.meaning), Cell((Para(definition),) if definition else ()),
                         text_cell(code.notes or ""))))
    return Table(r.ids.claim("PS3.16", "table_D-1"), "D-1", "DICOM Controlled Terminology Definitions",
                 head("Code Value", "Code Meaning", "Definition", "Notes", bold=True), tuple(rows), role="codes")


# --- PS3.17 ----------------------------------------------------------------------------------------------------


def annex_section(annex, r: Resolver) -> tuple[Section, list[Figure]]:
    figures: list[Figure] = []

    def build(section: AnnexSection, label: str, top: str, counter: list[int]) -> Section:
        section_id = r.ids.claim("PS3.17", f"sect_{label}")
        blocks = list(r.blocks(parse(section.body)))
        for figure in section.figures:
            counter[0] += 1
            figure_label = f"{top}-{counter[0]}"
            path = PurePosixPath(figure.file)
            node = Figure(r.ids.claim("PS3.17", f"figure_{figure_label}"), figure_label, figure.title,
                          str(PurePosixPath("figures") / path.name), figure.file)
            figures.append(node)
            blocks.append(node)
        children = tuple(build(child, child_label, top, counter)
                         for child, child_label, _explicit in numbered(section.sections, label))
        return Section(section_id, label, section.title, tuple(blocks), children, status=status(label))

    annex_id = r.ids.claim("PS3.17", f"chapter_{annex.label}")
    # An explicit label is kept and later siblings count on from it (build_tools.core.numbering).
    sections = tuple(build(child, label, label, [0]) for child, label, _explicit in numbered(annex.sections,
                                                                                             annex.label))
    return Section(annex_id, annex.label, f"{annex.title} (Informative)", r.blocks(parse(annex.body)), sections,
                   status=1), figures


# --- Amendments ------------------------------------------------------------------------------------------------


def _token_key(node) -> tuple:
    if isinstance(node, Text):
        return ("t", node.text)
    if isinstance(node, Link):
        return ("l", node.text, node.target)
    return ("e", node.role, plain(node.children))


def _split(inlines: tuple) -> list:
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.extend(Text(t) for t in tokens(node.text))
        else:
            out.append(node)
    return out


def marked(old: tuple, new: tuple) -> tuple:
    """Inlines of ``new`` with the words not in ``old`` underlined and the words only in ``old`` struck through."""
    out: list = []
    for op, items in diff_tokens(_split(old), _split(new), _token_key):
        if op == "equal":
            out.extend(items)
        else:
            out.append(Emphasis(INSERTED if op == "insert" else DELETED, join_text(items)))
    return join_text(out)


def _whole(inlines: tuple, role: str | None) -> tuple:
    return (Emphasis(role, inlines),) if role and inlines else inlines


def _line(r: Resolver, text) -> tuple:
    return r.inlines(parse_line(text)) if text is not None else ()


def term_list(amendment: Amendment, change: Change, r: Resolver) -> VariableList:
    """The amended list: as typed, or the changes placed among the baseline's entries (:mod:`~build_tools.
    standard.amend`)."""
    result = []
    for term in amend.resolved_terms(amendment, change.terms):
        if amend.is_gap(term):
            result.append(Entry((Text(amend.GAP),), (), None))
            continue
        role = {"added": INSERTED, "removed": DELETED}.get(term.change)
        meaning = _whole(_line(r, term.meaning), role)
        result.append(Entry(_whole((Text(term.value),), role), (Para(meaning),) if meaning else (),
                            None if term.change == "unchanged" else term.change))
    return VariableList(f"{change.terms.title}:", tuple(result))


def row_change(row: RowChange, width: int, r: Resolver) -> Row:
    old = list(row.old or [])
    new = list(row.new or [])
    cells = []
    for position in range(width):
        before = _line(r, old[position]) if position < len(old) else ()
        after = _line(r, new[position]) if position < len(new) else ()
        if row.new is None:
            inlines = _whole(before, DELETED)
        elif row.old is None:
            inlines = _whole(after, INSERTED)
        else:
            inlines = marked(before, after)
        cells.append(Cell((Para(inlines),) if inlines else ()))
    change = "removed" if row.new is None else "added" if row.old is None else \
        ("changed" if row.old != row.new else None)
    return Row(tuple(cells), change)


def table_change(amendment: Amendment, table: TableChange, r: Resolver) -> Table:
    """The amended table: old cells, headings, caption and context rows from the baseline where the spec leaves
    them out (:mod:`~build_tools.standard.amend`)."""
    columns = amend.resolved_columns(amendment, table)
    rows = amend.resolved_rows(amendment, table)
    width = max([len(columns)] + [len(x.old or []) for x in rows] + [len(x.new or []) for x in rows])
    label = amendment.table
    table_id = r.ids.claim(amendment.part, f"table_{label}") if label else None
    return Table(table_id, label, amend.resolved_caption(amendment, table), head(*columns) if columns else (),
                 tuple(row_change(row, width, r) for row in rows), role="change")


def change_blocks(amendment: Amendment, change: Change, r: Resolver) -> list:
    if change.ellipsis:
        return [Para((Text("…"),))]
    if change.terms is not None:
        return [term_list(amendment, change, r)]
    if change.table is not None:
        return [table_change(amendment, change.table, r)]
    source = amend.resolved_old(amendment, change)  # typed, else the baseline's paragraph
    old, new = _line(r, source), _line(r, change.new)
    if source is None:
        return [Para(_whole(new, INSERTED))]
    if change.new is None:
        return [Para(_whole(old, DELETED))]
    return [Para(marked(old, new))]


def amendment_instructions(amendment: Amendment, r: Resolver) -> tuple[Instruction, ...]:
    """"Modify Section … as follows:" ("Modify Table … as follows:" when the amendment changes only its table), then
    the author's own instruction unless it says only that."""
    only_table = bool(amendment.table) and all(c.table is not None or c.ellipsis for c in amendment.changes) \
        and any(c.table is not None for c in amendment.changes)
    first = modify(amendment.section, amendment.table if only_table else None)
    if amendment.instruction is None:
        return (first,)
    own = Instruction(r.inlines(parse_line(amendment.instruction)))
    text = "".join(getattr(node, "text", "") for node in own.inlines)
    return (first,) + (() if is_modify(text) else (own,))


def amendment_section(amendment: Amendment, r: Resolver) -> Section:
    section_id = r.ids.claim(amendment.part, f"sect_{amendment.section}")
    blocks = []
    for change in amendment.changes:
        blocks.extend(change_blocks(amendment, change, r))
    return Section(section_id, amendment.section, amendment.title, tuple(blocks), status=status(amendment.section))
