"""The shared, format-neutral rendering core: a presentation model of the whole supplement, and Jinja environments.

Renderers (DocBook in :mod:`build_tools.outputs.docbook`, HTML) do not walk the YAML model: they call
:func:`document` and lay out what it returns. Everything that needs thought (numbers, ids, link targets, the English
of conditions, change marks) is decided here, once, so that every format says the same thing.

The presentation model (classes in :mod:`build_tools.document.nodes`; every node has a ``kind`` to dispatch on)::

    Document  title, subtitle ("Supplement 221: Dermoscopy"), number, supplement_title, organization, status,
              version, date, pubdate ("2026/11/25"), work_item, chapters, figures (every Figure, for copying)
    Chapter   id, title, subtitle (a part's full title), part, blocks, sections
              front matter: chapter_History (Document History table), chapter_Issues (sections Open Issues and
              Closed Issues), chapter_Foreword, chapter_Scope; then one "Changes to NEMA Standards Publication
              PS3.n" chapter per part (id chapter_PS3.n) in part order
    Section   id, label (the number in the standard, "" for none), title, blocks, sections, status (depth in the
              standard), role. In a part chapter every change is one editorial wrapper Section (role
              "change-<kind>", kind amend/section/annex/rows; no label, id <part>_change_<n>) holding its
              Instructions, in the standard's idiom (build_tools.document.idiom: "Modify Section C.8.12.1 as
              follows:", "Add new Section C.8.12.13 after Section C.8.12.12:"), then the new or amended content
              (build_tools.document.layout lays the wrappers out away for every output): IOD sections
              (A.N, A.N.1 Description, A.N.2 Entity-Relationship Model, A.N.3 IOD Modules with Table A.N-1,
              A.N.3.1 Content Constraints, and for an enhanced multi-frame IOD A.N.4 Functional Group Macros with
              Table A.N-2; explicit ``table``/``functional_groups_table`` labels replace both numbers), new parent
              sections (``sections:``: label, title, introduction; sorted before what lies under them), module
              and macro sections (C.x with Table C.x-1, C.x.1 Attribute Descriptions),
              amended sections, the rows added to Table B.5-1 (and I.4-1), 6-1, A-1, A-3, D-1 and to existing CIDs
              (after the CID's header with its Version changed), new CID
              sections (label "CID n", a header VariableList, Table "CID n"), the PS3.17 annex with its Figures.
    Table     id, label (None: informal table), caption, head (Rows of header Cells), body (Rows), role (iod,
              functional-groups, module, registry, uids, context-uids, sop-classes, cid, codes, change, history, issues)
    Row       cells, change ("added"/"removed"/"changed" in amended tables), depth (module tables: the number of
              ">" before the name)
    Cell      blocks, align, colspan, rowspan, header. The IOD table's IE cell spans its rows (later rows of the
              group have 3 cells); an Include row has a name Cell with colspan 3 then the description Cell.
    Para      inlines, id (set on the Tag/UID/Code Value paragraph of registry rows: PS3.6_tag_..., DCM_...)
    ItemList  ordered, items (tuples of inlines)      Note  blocks      Instruction  inlines (editorial, italic)
    VariableList  title ("Enumerated Values:", "Defined Terms:", None for a CID header), entries (Entry: term
              inlines, blocks, change "added"/"removed"/None)
    Figure    id, label, title, file (relative to the rendered document), source (relative to the spec folder)

Inlines are :class:`~build_tools.core.prose.Text`, :class:`~build_tools.core.prose.Emphasis` (roles italic, bold,
underline = inserted, strikethrough = deleted) and :class:`~build_tools.document.nodes.Link`: ``text`` (what is
shown), ``part`` and ``target`` (the standard's id, e.g. PS3.3 / sect_C.8.12.13; None = plain text), ``local``
(the id inside this document when the target is part of it: an internal link, else link into ``part``),
``xrefstyle`` (set where DocBook lets the stylesheet write the text, as the standard does: "select: label" for a
Section or Table of the same part, "select: labelnumber" for a part, "select: labelnumber quotedtitle" for a CID)
and ``target_kind`` (element, module, iod, section, table, cid, code, uid or part; the HTML class ``ref-<kind>``).
A mention of a CID that the supplement only amends links to the table of the rows it adds. The id scheme is
documented in :mod:`build_tools.document.refs`: PS3.3 ids as in the standard, other parts prefixed ``PS3.n_``.

The model is built twice: the first pass collects the ids of everything in the document, the second resolves each
reference against them (so a reference to a later section is still local). Both passes are pure functions of the
spec: the output is deterministic.
"""

from __future__ import annotations


import re


from build_tools.core.errors import Finding
from build_tools.standard.index import Index
from build_tools.core.model import NewSection, Supplement
from build_tools.core.prose import Text, parse, parse_line
from build_tools.document.nodes import Cell, Chapter, Document, Para, Row, Section, Table
from build_tools.document.idiom import add_annex, add_context_groups, add_rows, add_section
from build_tools.document.parts import (amendment_instructions, amendment_section, annex_section, cid_addition_table,
                                      cid_header, cid_section, context_uid_table, dcm_table, media_table,
                                      registry_table, sop_class_table, uid_table)
from build_tools.document.ps33 import head, iod_section, module_section, status, text_cell
from build_tools.document.refs import Ids, Resolver

PART_TITLES: dict[str, str] = {
    "PS3.1": "Introduction and Overview", "PS3.2": "Conformance", "PS3.3": "Information Object Definitions",
    "PS3.4": "Service Class Specifications", "PS3.5": "Data Structures and Encoding",
    "PS3.6": "Data Dictionary", "PS3.7": "Message Exchange",
    "PS3.10": "Media Storage and File Format for Media Interchange", "PS3.11": "Media Storage Application Profiles",
    "PS3.12": "Media Formats and Physical Media for Media Interchange",
    "PS3.14": "Grayscale Standard Display Function", "PS3.15": "Security and System Management Profiles",
    "PS3.16": "Content Mapping Resource", "PS3.17": "Explanatory Information", "PS3.18": "Web Services",
    "PS3.19": "Application Hosting", "PS3.20": "Imaging Reports using HL7 Clinical Document Architecture",
    "PS3.21": "Transformations between DICOM and other Representations", "PS3.22": "Real-Time Communication",
}
STANDARD = "Digital Imaging and Communications in Medicine (DICOM)"
#: The role of an editorial wrapper is this prefix and what the change does: ``amend`` (an amended section),
#: ``section`` (new sections), ``annex`` (a new annex) or ``rows`` (rows added to an existing table).
CHANGE_ROLE = "change-"
CHANGE_KINDS = ("amend", "section", "annex", "rows")


def part_number(part: str) -> int:
    return int(part.split(".")[1])


def part_title(part: str) -> str:
    return f"{STANDARD} Part {part_number(part)}: {PART_TITLES.get(part, '')}".rstrip(": ")


def natural_key(label: str) -> tuple:
    """Sort key of a section or table label: A.32.11 < C.7.3 < C.8.12.13; 6-1 < A-1 < A-3."""
    return tuple((0, int(piece), "") if piece.isdigit() else (1, 0, piece)
                 for piece in re.split(r"[.\- ]", label) if piece)




# --- Front matter ----------------------------------------------------------------------------------------------


def _history(supplement: Supplement, r: Resolver) -> Chapter:
    rows = tuple(Row((text_cell(entry.version), text_cell(entry.date), Cell((Para(r.inlines(parse_line(
        entry.summary))),)))) for entry in supplement.history)
    table = Table(None, None, None, head("Document Version", "Date", "Content"), rows, role="history")
    return Chapter(r.ids.claim(None, "chapter_History"), "Document History", None, (table,))


def _issues(supplement: Supplement, r: Resolver) -> Chapter:
    def table(issues, answer: str) -> tuple:
        if not issues:
            return (Para((Text("None."),)),)
        rows = tuple(Row((text_cell(str(n), "center"), Cell(r.blocks(parse(issue.question))),
                          Cell(r.blocks(parse(issue.resolution)))))
                     for n, issue in enumerate(issues, start=1))
        return (Table(None, None, None, head("#", "Issue", answer), rows, role="issues"),)

    sections = (Section(r.ids.claim(None, "sect_OpenIssues"), "", "Open Issues",
                        table(supplement.open_issues, "Current Thinking")),
                Section(r.ids.claim(None, "sect_ClosedIssues"), "", "Closed Issues",
                        table(supplement.closed_issues, "Decision")))
    note = None if supplement.status == "Final Text" else "Editorial content, to be removed before Final Text"
    return Chapter(r.ids.claim(None, "chapter_Issues"), "Open and Closed Issues", note, (), sections)


# --- Part chapters ---------------------------------------------------------------------------------------------


def parent_section(new_section: NewSection, r: Resolver) -> Section:
    """A new parent section (``sections:``): its title and introduction, without subsections (the new IODs and
    modules under it follow it as changes of their own)."""
    label = new_section.section
    return Section(r.ids.claim(new_section.part, f"sect_{label}"), label, new_section.title,
                   r.blocks(parse(new_section.body)), status=status(label))


def _changes(supplement: Supplement, r: Resolver) -> dict[str, list]:
    """Per part: (sort key, wrapper title, kind, instructions, blocks, sections), sorted later by key. ``kind`` is
    what the change does (:data:`CHANGE_KINDS`); the instructions are in the standard's idiom
    (:mod:`build_tools.document.idiom`)."""
    found: dict[str, list] = {}

    def add(part: str, key: str, title: str, kind: str, instructions: tuple, blocks: tuple = (),
            sections: tuple = ()) -> None:
        found.setdefault(part, []).append((natural_key(key), title, kind, instructions, blocks, sections))

    def rows(part: str, table: Table, *before) -> None:
        add(part, table.label or "", f"Table {table.label} (new rows)", "rows", (add_rows(table),),
            tuple(before) + (table,))

    # Order of id claims is the document order within each kind; keys sort the wrappers afterwards.
    for amendment in supplement.amendments:
        what = f"Table {amendment.table}" if amendment.table else f"Section {amendment.section}"
        add(amendment.part, amendment.section, f"{what} (modified)", "amend",
            amendment_instructions(amendment, r.at(amendment.part)), sections=(amendment_section(
                amendment, r.at(amendment.part)),))
    for new_section in supplement.sections:  # parent sections sort before the new content under them
        add(new_section.part, new_section.section, f"Section {new_section.section} (new)", "section",
            (add_section(new_section.part, new_section.section),),
            sections=(parent_section(new_section, r.at(new_section.part)),))
    ps33 = r.at("PS3.3")
    for iod in supplement.iods:
        add("PS3.3", iod.section, f"Section {iod.section} (new)", "section", (add_section("PS3.3", iod.section),),
            sections=(iod_section(iod, ps33),))
    for module in supplement.modules:
        add("PS3.3", module.section, f"Section {module.section} (new)", "section",
            (add_section("PS3.3", module.section),), sections=(module_section(module, ps33),))
    if supplement.sop_classes:
        sop_classes = sop_class_table(supplement, r.at("PS3.4"))
        rows("PS3.4", sop_classes)
        rows("PS3.4", media_table(sop_classes, r.at("PS3.4")))  # every Storage SOP Class is also a media one
    ps36 = r.at("PS3.6")
    if supplement.data_elements:
        rows("PS3.6", registry_table(supplement, ps36))
    if supplement.uids:
        rows("PS3.6", uid_table(supplement, ps36))
    if any(group.uid for group in supplement.context_groups):
        rows("PS3.6", context_uid_table(supplement, ps36))
    ps316 = r.at("PS3.16")
    if supplement.context_groups:
        add("PS3.16", "B", "Annex B (new Context Groups)", "section", (add_context_groups(),),
            sections=tuple(cid_section(group, ps316) for group in supplement.context_groups))
    version = supplement.date.replace("-", "")  # an amended CID's new Version: the date, as PS3.16 dates them
    for addition in supplement.context_group_additions:
        table = cid_addition_table(addition, ps316)
        add("PS3.16", f"B {addition.cid}", f"CID {addition.cid} (new rows)", "rows", (add_rows(table),),
            (cid_header(addition.cid, addition.name, version), table))
    if any(code.scheme == "DCM" for code in supplement.codes):
        rows("PS3.16", dcm_table(supplement, ps316))
    return found


def _part_chapters(supplement: Supplement, r: Resolver) -> tuple[list[Chapter], list]:
    found = _changes(supplement, r)
    figures: list = []
    if supplement.annex is not None:
        section, figures = annex_section(supplement.annex, r.at("PS3.17"))
        found.setdefault("PS3.17", []).append((natural_key(supplement.annex.label),
                                               f"Annex {supplement.annex.label} (new)", "annex",
                                               (add_annex("PS3.17", supplement.annex.label),), (), (section,)))
    chapters = []
    for part in sorted(set(supplement.parts) | set(found), key=part_number):
        chapter_id = r.ids.claim(None, f"chapter_{part}")
        wrappers = []
        for n, (_key, title, kind, instructions, blocks, sections) in enumerate(
                sorted(found.get(part, []), key=lambda item: item[0]), start=1):
            wrappers.append(Section(r.ids.claim(None, f"{part}_change_{n}"), "", title, instructions + blocks,
                                    sections, role=CHANGE_ROLE + kind))
        blocks = () if wrappers else (Para((Text(f"This Supplement makes no change to {part}."),)),)
        chapters.append(Chapter(chapter_id, f"Changes to NEMA Standards Publication {part}", part_title(part),
                                blocks, tuple(wrappers), part))
    return chapters, figures


def _build(supplement: Supplement, index: Index, ids: Ids) -> tuple[Document, list[Finding]]:
    r = Resolver(index, ids)
    chapters = [_history(supplement, r), _issues(supplement, r)]
    if supplement.foreword is not None:
        chapters.append(Chapter(ids.claim(None, "chapter_Foreword"), "Foreword", None,
                                r.blocks(parse(supplement.foreword))))
    chapters.append(Chapter(ids.claim(None, "chapter_Scope"), "Scope and Field of Application", None,
                            r.blocks(parse(supplement.scope))))
    part_chapters, figures = _part_chapters(supplement, r)
    chapters.extend(part_chapters)
    document = Document(
        title=STANDARD, subtitle=f"Supplement {supplement.number}: {supplement.title}", number=supplement.number,
        supplement_title=supplement.title, organization=f"DICOM Standards Committee, {supplement.working_group}",
        status=supplement.status, version=supplement.version, date=supplement.date,
        pubdate=supplement.date.replace("-", "/"), work_item=supplement.work_item, chapters=tuple(chapters),
        figures=tuple(figures))
    return document, r.findings


def build_document(supplement: Supplement, index: Index) -> tuple[Document, list[Finding]]:
    """The presentation model and the warnings met while resolving references (second pass only)."""
    first = Ids()
    _build(supplement, index, first)
    return _build(supplement, index, Ids(known=dict(first.claimed)))


def document(supplement: Supplement, index: Index) -> Document:
    """The presentation model of ``supplement`` (see the module docstring)."""
    return build_document(supplement, index)[0]
