"""PS3.3 content of the presentation model: IOD sections (Annex A) and module sections (Annex C)."""

from __future__ import annotations

import re

from build_tools.iod.conditions import requirement
from build_tools.standard.index import functional_groups_table, iod_table, module_table
from build_tools.core import numbering
from build_tools.core.model import IOD, Attribute, Condition, FunctionalGroupUse, Include, Module, ModuleUse
from build_tools.core.prose import Ref, Text, parse, parse_line
from build_tools.document.nodes import Cell, Emphasis, Link, Note, Para, Row, Section, Table, VariableList
from build_tools.document.refs import Resolver, entries, module_title

PART = "PS3.3"

ITEM_SENTENCES = {
    "one": "Only a single Item shall be included in this Sequence.",
    "one or more": "One or more Items shall be included in this Sequence.",
    "zero or more": "Zero or more Items shall be included in this Sequence.",
    "zero or one": "Zero or one Item shall be included in this Sequence.",
}


def status(label: str) -> int:
    """The nesting depth the standard gives a section of this label (A.32.11 is chapter A > A.32 > A.32.11)."""
    return len(label.split("."))


def head(*columns: str, bold: bool = False, align: str = "center") -> tuple:
    cells = []
    for column in columns:
        inline = Emphasis("bold", (Text(column),)) if bold and column else Text(column)
        cells.append(Cell((Para((inline,)),) if column else (), align=align, header=True))
    return (Row(tuple(cells)),)


def text_cell(text: str, align: str = "left", **kwargs) -> Cell:
    return Cell((Para((Text(text),)),) if text else (), align=align, **kwargs)


def table_link(r: Resolver, label: str, style: str = "select: label") -> Link:
    return r.link(f"Table {label}", PART, f"table_{label}", style, "table")


#: How the standard words a functional group macro's placement in the Usage column.
PLACEMENT_SENTENCES = {
    "shared": "Shall be used as a shared functional group",
    "per-frame": "Shall not be used as a shared functional group",
}
_OTHERWISE = "may be present otherwise"
#: The module whose Shared and Per-Frame Functional Groups Sequences hold the functional group macros.
MULTI_FRAME_MODULE = "Multi-frame Functional Groups"


def _prose(condition: Condition) -> str | None:
    """The text of a prose condition (``named`` with ``text``), as written; None for a structured condition."""
    if condition.named is not None and condition.text and condition.text.strip():
        return " ".join(condition.text.split())
    return None


def condition_sentence(condition: Condition, r: Resolver, otherwise: str = "absent") -> tuple:
    """The requirement of a Type 1C/2C description cell: "Required if …." and "May be present otherwise." when
    ``otherwise`` says so; a prose condition is printed as written."""
    text = _prose(condition)
    if text is None:
        return requirement(condition, r.index, otherwise)
    if otherwise == "may be present" and _OTHERWISE not in text.lower():
        text = f"{text.rstrip()}{'' if text.endswith('.') else '.'} May be present otherwise."
    return (Text(text),)


def usage_condition(condition: Condition, r: Resolver, otherwise: str = "absent") -> str:
    """The condition of a C usage as an IOD table writes it: "Required if …" and, when ``otherwise`` says so,
    "; may be present otherwise", as the standard appends it in IOD tables; a prose condition as written."""
    text = _prose(condition)
    if text is None:
        text = "".join(t.text for t in requirement(condition, r.index))
    if otherwise == "may be present" and _OTHERWISE not in text.lower():
        text = f"{text.rstrip().rstrip('.')}; {_OTHERWISE}."
    return text


# --- IOD -------------------------------------------------------------------------------------------------------


def usage_text(use: ModuleUse | FunctionalGroupUse, r: Resolver) -> tuple:
    """The Usage cell of an IOD's module or Functional Group Macros table: "M", "U" or "C - Required if …", then
    where a functional group macro goes (``placement``) and the note."""
    otherwise = getattr(use, "otherwise", "absent")
    if use.usage != "C" or use.condition is None:
        text = use.usage
    else:
        text = f"C - {usage_condition(use.condition, r, otherwise)}"
    placement = PLACEMENT_SENTENCES.get(getattr(use, "placement", "either"))
    if placement is not None:
        text = f"{text} - {placement}" if text in ("M", "U", "C") else f"{text.rstrip('.')}. {placement}."
    inlines: tuple = (Text(text),)
    if use.note is not None:  # "U - May be used only if …", as the standard words a note after a bare usage
        inlines += (Text(" - " if text in ("M", "U", "C") else " "),) + r.inlines(parse_line(use.note))
    return inlines


def subsection_label(iod: IOD, table: str | None, default: int) -> str:
    """The label of the IOD subsection that holds ``table`` (:func:`build_tools.core.numbering.subsection_label`)."""
    return numbering.subsection_label(iod.section, table, default)


def iod_rows(iod: IOD, r: Resolver) -> tuple:
    groups: list[list[ModuleUse]] = []
    for use in iod.modules:
        if groups and groups[-1][0].ie == use.ie:
            groups[-1].append(use)
        else:
            groups.append([use])
    rows = []
    for group in groups:
        for position, use in enumerate(group):
            cells = [text_cell(use.ie, rowspan=len(group))] if position == 0 else []
            cells.append(text_cell(use.module))
            cells.append(Cell((Para((r.module_link(use.module, "select: labelnumber"),)),)))
            cells.append(Cell((Para(usage_text(use, r)),)))
            rows.append(Row(tuple(cells)))
    return tuple(rows)


def functional_group_rows(iod: IOD, r: Resolver) -> tuple:
    """Functional Group Macro | Section | Usage, one row per macro, in the order written."""
    rows = []
    for use in iod.functional_groups:
        macro = r.index.functional_group_macro(use.macro)
        if macro is None:
            reference = Cell()
        else:
            reference = Cell((Para((r.link(macro.section, PART, f"sect_{macro.section}", "select: labelnumber",
                                           "module"),)),))
        rows.append(Row((text_cell(use.macro), reference, Cell((Para(usage_text(use, r)),)))))
    return tuple(rows)


def functional_groups_section(iod: IOD, r: Resolver) -> Section | None:
    """``<section>.4`` (or the section of an explicit ``functional_groups_table``) with the Functional Group
    Macros table (``functional_groups_table``, else ``<section>-2``); None for an IOD without functional groups."""
    if not iod.functional_groups:
        return None
    ids, label = r.ids, iod.section
    own = subsection_label(iod, iod.functional_groups_table, 4)
    section_id = ids.claim(PART, f"sect_{own}")
    table_label = functional_groups_table(iod)
    table = Table(ids.claim(PART, f"table_{table_label}"), table_label, f"{iod.name} IOD Functional Group Macros",
                  head("Functional Group Macro", "Section", "Usage"), functional_group_rows(iod, r),
                  role="functional-groups")
    holder = r.index.module(MULTI_FRAME_MODULE)
    module = (r.link(f"{MULTI_FRAME_MODULE} Module", PART, f"sect_{holder.section}", target_kind="module")
              if holder is not None else Text(f"{MULTI_FRAME_MODULE} Module"))
    intro = Para((table_link(r, table_label), Text(" specifies the use of the Functional Group Macros used in the "),
                  module, Text(f" for the {iod.name} IOD.")))
    return Section(section_id, own, f"{iod.name} IOD Functional Group Macros", (intro, table),
                   status=status(label) + 1)


def constraint_blocks(iod: IOD, r: Resolver) -> tuple:
    blocks = []
    for constraint in iod.constraints:
        subject = (r.ref(Ref("de", constraint.attribute)), Text(" in the "),
                   r.ref(Ref("module", constraint.module)))
        if constraint.absent:
            blocks.append(Para(subject + (Text(" shall not be present."),)))
        if constraint.type is not None:
            blocks.append(Para(subject + (Text(f" is Type {constraint.type} in this IOD."),)))
        if constraint.values:
            values = constraint.values
            if len(values) == 1:
                said = f" shall have the Enumerated Value {values[0]}."
            else:
                said = " shall have one of the Enumerated Values " + ", ".join(values[:-1]) + f" or {values[-1]}."
            blocks.append(Para(subject + (Text(said),)))
        blocks.extend(r.blocks(parse(constraint.description)))
    # ``single_frame`` says nothing here: the published IODs state no rule about Number of Frames, so writing one
    # would invent normative text. The example generator and the verifier still read it.
    return tuple(blocks)


def iod_section(iod: IOD, r: Resolver) -> Section:
    ids, label = r.ids, iod.section
    section_id = ids.claim(PART, f"sect_{label}")
    description = Section(ids.claim(PART, f"sect_{label}.1"), f"{label}.1", f"{iod.name} IOD Description",
                          r.blocks(parse(iod.description)), status=status(label) + 1)
    if iod.entity_relationship is not None:
        er_blocks = r.blocks(parse(iod.entity_relationship))
    else:
        er_blocks = (Para((Text("The E-R Model in "), r.ref(Ref("section", "A.1.2")),
                           Text(" depicts those components of the DICOM Information Model that are referenced by "
                                f"the {iod.name} IOD."))),)
    er = Section(ids.claim(PART, f"sect_{label}.2"), f"{label}.2", f"{iod.name} IOD Entity-Relationship Model",
                 er_blocks, status=status(label) + 1)
    modules_id = ids.claim(PART, f"sect_{label}.3")
    table_label = iod_table(iod)
    table = Table(ids.claim(PART, f"table_{table_label}"), table_label, f"{iod.name} IOD Modules",
                  head("IE", "Module", "Reference", "Usage"), iod_rows(iod, r), role="iod")
    intro = Para((table_link(r, table_label), Text(f" specifies the Modules of the {iod.name} IOD.")))
    subsections = ()
    constraints = constraint_blocks(iod, r)
    if constraints:
        subsections = (Section(ids.claim(PART, f"sect_{label}.3.1"), f"{label}.3.1",
                               f"{iod.name} IOD Content Constraints", constraints, status=status(label) + 2),)
    modules = Section(modules_id, f"{label}.3", f"{iod.name} IOD Modules", (intro, table), subsections,
                      status=status(label) + 1)
    groups = functional_groups_section(iod, r)
    children = (description, er, modules) + ((groups,) if groups is not None else ())
    return Section(section_id, label, f"{iod.name} IOD", (), children, status=status(label))


# --- Modules ---------------------------------------------------------------------------------------------------


def description_blocks(attribute: Attribute, r: Resolver) -> tuple:
    """The description cell in the standard's order: the description, how many Items a Sequence holds, the
    condition ("Required if …"), the Enumerated Values / Defined Terms, the notes."""
    blocks = list(r.blocks(parse(attribute.description)))
    if attribute.item_count is not None:
        blocks.append(Para((Text(ITEM_SENTENCES[attribute.item_count]),)))
    if attribute.condition is not None:
        inlines = condition_sentence(attribute.condition, r, attribute.otherwise)
        if attribute.condition_note is not None:
            inlines += (Text(" "),) + r.inlines(parse_line(attribute.condition_note))
        blocks.append(Para(inlines))
    if attribute.enumerated_values:
        blocks.append(VariableList("Enumerated Values:", entries(attribute.enumerated_values, r)))
    if attribute.defined_terms:
        blocks.append(VariableList("Defined Terms:", entries(attribute.defined_terms, r)))
    if attribute.notes is not None:
        blocks.append(Note(r.blocks(parse(attribute.notes))))
    return tuple(blocks)


def include_row(include: Include, depth: int, r: Resolver) -> Row:
    name = Emphasis("italic", (Text(">" * depth + "Include "), r.module_link(include.include,
                                                                               "select: label quotedtitle", True)))
    blocks = []
    for word, cid in (("Baseline", include.baseline_cid), ("Defined", include.defined_cid)):
        if cid is not None:
            blocks.append(Para((Emphasis("italic", (Text(f"{word} "),
                                                    r.cid(cid, "select: labelnumber quotedtitle"), Text("."))),)))
    blocks.extend(r.blocks(parse(include.description)))
    return Row((Cell((Para((name,)),), colspan=3), Cell(tuple(blocks))), depth=depth)


def attribute_rows(rows: list, depth: int, r: Resolver) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        if isinstance(row, Include):
            out.append(include_row(row, depth, r))
            continue
        element = r.index.element(row.attribute)
        name = element.name if element else row.attribute
        tag = element.tag_text if element else ""
        out.append(Row((text_cell(">" * depth + name), text_cell(tag, "center"), text_cell(row.type, "center"),
                        Cell(description_blocks(row, r))), depth=depth))
        out.extend(attribute_rows(row.items, depth + 1, r))
    return out


def module_section(module: Module, r: Resolver) -> Section:
    ids, label = r.ids, module.section
    title = module_title(module)
    section_id = ids.claim(PART, f"sect_{label}")
    table_label = module_table(module)
    table = Table(ids.claim(PART, f"table_{table_label}"), table_label, f"{title} Attributes",
                  head("Attribute Name", "Tag", "Type", "Attribute Description"),
                  tuple(attribute_rows(module.attributes, 0, r)), role="module")
    after: tuple = ()
    if module.description is not None:
        intro = r.blocks(parse(module.description))
        # Notes that end the description follow the table, where the standard puts the notes on a module table.
        split = len(intro)
        while split and isinstance(intro[split - 1], Note):
            split -= 1
        intro, after = intro[:split], intro[split:]
    else:
        intro = (Para((table_link(r, table_label), Text(" specifies the Attributes of the "),
                       r.ref(Ref("module", module.name)), Text("."))),)
    subsections = ()
    if module.attribute_descriptions:
        parent = f"{label}.1"
        parent_id = ids.claim(PART, f"sect_{parent}")
        children = tuple(Section(ids.claim(PART, f"sect_{parent}.{n}"), f"{parent}.{n}", item.title,
                                 r.blocks(parse(item.body)), status=status(parent) + 1)
                         for n, item in enumerate(module.attribute_descriptions, start=1))
        subsections = (Section(parent_id, parent, f"{title} Attribute Descriptions", (), children,
                               status=status(parent)),)
    return Section(section_id, label, title, intro + (table,) + after, subsections, status=status(label))
