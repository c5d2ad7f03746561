"""The typed model of a DICOM Supplement: what the loader builds and every checker and renderer reads.

Each class is one kind of YAML mapping; each field is one YAML key of the same name (``yaml`` in the field's
metadata when the key differs, e.g. ``not``). The ``doc`` metadata is the field's documentation: the Sphinx
reference and the JSON Schema are generated from it, so they cannot drift from this file.

Every object remembers where it was written (``loc``) and where each of its fields was written (``locs``), so a
rule can point at the exact line and column of a wrong value.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Literal

from build_tools.core.errors import NOWHERE, Loc

Status = Literal["Draft", "Public Comment", "Letter Ballot", "Final Text"]
AttributeType = Literal["1", "1C", "2", "2C", "3"]
Usage = Literal["M", "U", "C"]
Part = Literal["PS3.1", "PS3.2", "PS3.3", "PS3.4", "PS3.5", "PS3.6", "PS3.7", "PS3.10", "PS3.11", "PS3.12",
               "PS3.14", "PS3.15", "PS3.16", "PS3.17", "PS3.18", "PS3.19", "PS3.20", "PS3.21", "PS3.22"]


def spec(doc: str, default: Any = MISSING, *, yaml: str | None = None, example: Any = None, factory: Any = MISSING):
    """A model field: its documentation, its default (none means required) and its YAML key."""
    metadata = {"doc": doc, "yaml": yaml, "example": example}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=metadata)
    if default is MISSING:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(kw_only=True)
class Located:
    """Base of every model object: where it was written."""

    loc: Loc = field(default=NOWHERE, init=False, repr=False, compare=False, metadata={"internal": True})
    locs: dict[str, Loc] = field(default_factory=dict, init=False, repr=False, compare=False,
                                 metadata={"internal": True})

    def at(self, name: str) -> Loc:
        """Where field ``name`` was written, or where the object was when the field was left out."""
        return self.locs.get(name, self.loc)


def model_fields(cls: type) -> list:
    """The fields of a model class that come from YAML (not ``loc``/``locs``)."""
    return [f for f in fields(cls) if not f.metadata.get("internal")]


def yaml_key(f) -> str:
    return f.metadata.get("yaml") or f.name


@dataclass(frozen=True)
class Prose:
    """Text with the small inline markup of :mod:`build_tools.core.prose`, and where it was written.

    ``first_line`` is the line of the text's first character; ``block`` is true for ``|`` and ``>`` scalars,
    whose lines map one to one onto the file (so errors inside them are located exactly).
    """

    text: str
    loc: Loc = NOWHERE
    block: bool = False
    #: ``(offset, line, column)`` where a run of the text starts in the file (filled by the loader), so a
    #: reference anywhere in a multi-line or block scalar is located exactly.
    positions: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return self.text


# --- Conditions -----------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Condition(Located):
    """A machine-readable condition. Write exactly one form:

    ``present: Keyword``, ``absent: Keyword``, ``attribute: Keyword`` with ``equals`` or ``one_of``,
    ``all: [...]``, ``any: [...]``, ``not: {...}``. A keyword path such as ``AnatomicRegionSequence>CodeValue``
    reaches inside sequence items. ``named`` with ``text`` is a prose condition: one that is no test of attribute
    values ("Required if time synchronization was applied"). It is printed as written; the verifier reports it as
    not checkable, and an example variant states whether it holds (``conditions``).
    """

    present: str | None = spec("The condition holds when this attribute is present (with or without a value).", None,
                               example="TrackingUID")
    absent: str | None = spec("The condition holds when this attribute is absent.", None, example="TrackingID")
    attribute: str | None = spec("The attribute compared by ``equals`` or ``one_of``.", None, example="ContactMethod")
    equals: str | None = spec("The condition holds when ``attribute`` has this value.", None, example="CONTACT")
    one_of: list[str] | None = spec("The condition holds when ``attribute`` has one of these values.", None,
                                    example=["CONTACT", "NON_CONTACT"])
    value_index: int | None = spec("Compare only this value (1-based) of a multi-valued attribute.", None,
                                   example=3)
    all: list["Condition"] | None = spec("The condition holds when every one of these holds.", None)
    any: list["Condition"] | None = spec("The condition holds when at least one of these holds.", None)
    not_: "Condition | None" = spec("The condition holds when this one does not.", None, yaml="not")
    named: str | None = spec("A prose condition's identifier, which example variants use to say whether it holds "
                             "(``conditions``).", None, example="time-synchronized")
    text: str | None = spec("The prose condition as the standard words it, printed as written.", None,
                            example="Required if time synchronization was applied.")

    def forms(self) -> list[str]:
        """The forms written (a valid condition has exactly one)."""
        found = []
        for name in ("present", "absent", "all", "any", "not_", "named"):
            if getattr(self, name) is not None:
                found.append("not" if name == "not_" else name)
        if self.attribute is not None or self.equals is not None or self.one_of is not None:
            found.append("attribute")
        return found


# --- Front matter --------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class OpenIssue(Located):
    """An open question of the working group, printed in the Open Issues table."""

    question: Prose = spec("The question, as the working group asks it.")
    resolution: Prose | None = spec("Current thinking, if any.", None)


@dataclass(kw_only=True)
class ClosedIssue(Located):
    """A settled question, printed in the Closed Issues table with its decision."""

    question: Prose = spec("The question that was asked.")
    resolution: Prose = spec("The decision, and why.")


@dataclass(kw_only=True)
class HistoryEntry(Located):
    """One row of the Document History table."""

    version: str = spec("Draft version, e.g. ``0.3`` or ``1.0``.", example="1.0")
    date: str = spec("Date of the draft, ``YYYY-MM-DD``.", example="2026-11-25")
    status: Status = spec("Status of the draft.", example="Final Text")
    summary: Prose = spec("What changed in this draft.")


# --- PS3.3 ---------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ModuleUse(Located):
    """One row of an IOD's module table."""

    ie: str = spec("Information Entity, e.g. ``Patient``, ``Study``, ``Series``, ``Equipment``, ``Image``.",
                   example="Image")
    module: str = spec("Module name without the word Module; a module of this supplement or of the baseline catalog.",
                       example="Dermoscopic Image")
    usage: Usage = spec("``M`` (mandatory), ``U`` (user option) or ``C`` (conditional).", example="M")
    condition: Condition | None = spec("Required for usage ``C``: when the module is required.", None)
    otherwise: Literal["absent", "may be present"] = spec(
        "For usage ``C``, when the condition does not hold: ``absent`` (not present) or ``may be present`` "
        "(\"Required if ...; may be present otherwise\").", "absent")
    note: Prose | None = spec("Free text that accompanies the condition; never replaces it.", None)


@dataclass(kw_only=True)
class FunctionalGroupUse(Located):
    """One row of an IOD's Functional Group Macros table."""

    macro: str = spec("Functional group macro name without the word Macro; one of this supplement or of the "
                      "baseline.", example="Pixel Measures")
    usage: Usage = spec("``M`` (mandatory), ``U`` (user option) or ``C`` (conditional).", example="M")
    condition: Condition | None = spec("Required for usage ``C``: when the macro is required.", None)
    otherwise: Literal["absent", "may be present"] = spec(
        "For usage ``C``, when the condition does not hold: ``absent`` or ``may be present``.", "absent")
    placement: Literal["shared", "per-frame", "either"] = spec(
        "Where the macro's sequence goes: the Shared Functional Groups Sequence, each item of the Per-Frame "
        "Functional Groups Sequence, or either.", "either", example="per-frame")
    note: Prose | None = spec("Free text that accompanies the condition; never replaces it.", None)


@dataclass(kw_only=True)
class Constraint(Located):
    """A constraint the IOD places on an attribute of one of its modules (e.g. Modality shall be DMS)."""

    attribute: str = spec("Keyword of the constrained attribute.", example="Modality")
    module: str = spec("Module that holds the attribute.", example="General Series")
    values: list[str] | None = spec("Enumerated Values the attribute is restricted to in this IOD.", None,
                                    example=["DMS"])
    type: AttributeType | None = spec("Type that the IOD imposes instead of the module's own.", None)
    absent: bool = spec("True when the IOD forbids the attribute.", False)
    description: Prose | None = spec("Why, in the IOD's own words (rendered in the content constraints).", None)


@dataclass(kw_only=True)
class IOD(Located):
    """A new Information Object Definition (PS3.3 Annex A)."""

    name: str = spec("IOD name without the word IOD.", example="Dermoscopic Photography Image")
    section: str = spec("Section number in PS3.3 Annex A; the module table is ``Table <section>-1`` unless "
                        "``table`` is set.", example="A.32.11")
    table: str | None = spec("Label of the module table when it is not ``<section>-1``.", None,
                             example="A.90.1.3-1")
    description: Prose = spec("The IOD Description section.")
    entity_relationship: Prose | None = spec("The Entity-Relationship Model section; a default sentence when absent.",
                                             None)
    modules: list[ModuleUse] = spec("The module table, in order.", factory=list)
    constraints: list[Constraint] = spec("Constraints on attributes of the IOD's modules.", factory=list)
    single_frame: bool = spec("True for a single-frame IOD (Number of Frames absent or 1).", False)
    functional_groups: list[FunctionalGroupUse] = spec(
        "The Functional Group Macros table of an enhanced multi-frame IOD, in order.", factory=list)
    functional_groups_table: str | None = spec(
        "Label of the Functional Group Macros table when it is not ``<section>-2``.", None, example="A.90.1.4-1")


@dataclass(kw_only=True)
class EnumValue(Located):
    """An Enumerated Value or Defined Term and its meaning."""

    value: str = spec("The value, as it is encoded.", example="CONTACT")
    meaning: Prose | None = spec("What the value means.", None)


@dataclass(kw_only=True)
class Attribute(Located):
    """An attribute row of a module or macro table (and its sequence items)."""

    attribute: str = spec("Keyword of the data element (new in this supplement or in PS3.6).",
                          example="ContactMethod")
    type: AttributeType = spec("``1``, ``1C``, ``2``, ``2C`` or ``3``.", example="2")
    description: Prose = spec("The Attribute Description cell.")
    enumerated_values: list[EnumValue] = spec("Enumerated Values (the only values allowed).", factory=list)
    defined_terms: list[EnumValue] = spec("Defined Terms (values that may be extended).", factory=list)
    condition: Condition | None = spec("Required for Types 1C and 2C: when the attribute is required.", None)
    otherwise: Literal["absent", "may be present"] = spec(
        "When the condition does not hold: ``absent`` (shall not be present) or ``may be present``.", "absent")
    condition_note: Prose | None = spec("Free text that accompanies the condition.", None)
    items: list["Attribute | Include"] = spec("Attributes of each sequence item (SQ only).", factory=list)
    item_count: Literal["one", "one or more", "zero or more", "zero or one"] | None = spec(
        "How many items the sequence holds (SQ only).", None)
    notes: Prose | None = spec("A note printed in the description cell.", None)


@dataclass(kw_only=True)
class Include(Located):
    """A row that includes a macro's attributes."""

    include: str = spec("Name of the macro without the word Macro.", example="Code Sequence")
    baseline_cid: int | None = spec("Baseline Context Group of the included code sequence.", None, example=4029)
    defined_cid: int | None = spec("Defined Context Group of the included code sequence.", None)
    description: Prose | None = spec("Text of the description cell.", None)


Row = Attribute | Include


@dataclass(kw_only=True)
class AttributeDescription(Located):
    """A subsection of the module's Attribute Descriptions."""

    title: str = spec("Subsection title, usually the attribute name.", example="Contact Method")
    body: Prose = spec("The text.")


@dataclass(kw_only=True)
class Module(Located):
    """A new module or macro (PS3.3 Annex C), or one of the baseline catalog."""

    name: str = spec("Module name without the word Module (or Macro).", example="Dermoscopic Image")
    section: str = spec("Section number in PS3.3; the table is ``Table <section>-1`` unless ``table`` is set.",
                        example="C.8.12.13")
    kind: Literal["module", "macro", "functional group macro"] = spec(
        "``module``, ``macro`` or ``functional group macro`` (whose first row is its sequence, of one item).",
        "module")
    table: str | None = spec("Table label when it is not ``<section>-1`` (e.g. ``10-11``).", None)
    description: Prose | None = spec("Text before the table.", None)
    attributes: list[Row] = spec("The attribute table, in order.", factory=list)
    attribute_descriptions: list[AttributeDescription] = spec("The Attribute Descriptions subsections.",
                                                              factory=list)
    source: str | None = spec("Baseline catalog only: where the encoding came from.", None)


# --- PS3.4 ---------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class SOPClass(Located):
    """A row of the PS3.4 Standard SOP Classes table (Table B.5-1)."""

    uid: str = spec("Keyword of the SOP Class UID in ``uids``.", example="DermoscopicPhotographyImageStorage")
    iod: str = spec("Name of the IOD it stores.", example="Dermoscopic Photography Image")
    specialization: str | None = spec("Specialization section, if any.", None)


# --- PS3.6 ---------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class DataElement(Located):
    """A new data element of the PS3.6 registry (Table 6-1)."""

    tag: str = spec("``(gggg,eeee)`` in upper-case hexadecimal.", example="(0016,1003)")
    name: str = spec("Attribute Name.", example="Contact Method")
    vr: str = spec("Value Representation, e.g. ``CS``, or ``US or SS``.", example="CS")
    vm: str = spec("Value Multiplicity, e.g. ``1``, ``1-n``, ``2-2n``.", example="1")
    keyword: str | None = spec("Keyword; derived from the name by the PS3.6 rules when absent.", None)
    retired: bool = spec("True for a retired element.", False)


@dataclass(kw_only=True)
class UID(Located):
    """A new row of PS3.6 Table A-1 (UID Values)."""

    value: str = spec("The UID, under the DICOM root ``1.2.840.10008``: a placeholder until the DICOM editor assigns "
                      "the final one.", example="1.2.840.10008.5.1.4.1.1.77.1.7")
    name: str = spec("UID Name.", example="Dermoscopic Photography Image Storage")
    type: str = spec("UID Type, e.g. ``SOP Class``, ``Transfer Syntax``.", example="SOP Class")
    part: Part = spec("Part that defines it.", example="PS3.4")
    keyword: str | None = spec("UID Keyword; derived from the name when absent.", None)
    retired: bool = spec("True for a retired UID.", False)


# --- PS3.16 --------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Code(Located):
    """A new code defined by this supplement (DCM codes go to PS3.16 Annex D)."""

    scheme: str = spec("Coding Scheme Designator.", example="DCM")
    value: str = spec("Code Value.", example="DMS")
    meaning: str = spec("Code Meaning.", example="Dermoscopy")
    definition: Prose | None = spec("Definition (required for DCM codes).", None)
    notes: str | None = spec("Notes column of Table D-1.", None)


@dataclass(kw_only=True)
class CodeRow(Located):
    """A row of a context group: a code of this supplement or of an external scheme."""

    scheme: str = spec("Coding Scheme Designator.", example="DCM")
    value: str = spec("Code Value.", example="DMS")
    meaning: str | None = spec("Code Meaning; taken from ``codes`` when the code is defined there.", None)


@dataclass(kw_only=True)
class ContextGroup(Located):
    """A new context group (PS3.16 Annex B)."""

    cid: int = spec("Context group number.", example=9999)
    name: str = spec("Context group name.", example="Dermoscopy Light Types")
    version: str = spec("Version, ``YYYYMMDD``.", example="20261125")
    extensible: bool = spec("True if the group is extensible.", True)
    keyword: str | None = spec("Keyword; derived from the name when absent.", None)
    uid: str | None = spec("Context Group UID (1.2.840.10008.6.1.n).", None)
    description: Prose | None = spec("Text before the table.", None)
    rows: list[CodeRow] = spec("The codes, in order.", factory=list)
    includes: list[int] = spec("CIDs included by this group.", factory=list)


@dataclass(kw_only=True)
class ContextGroupAddition(Located):
    """Rows added to an existing context group."""

    cid: int = spec("Number of the existing context group.", example=29)
    name: str = spec("Its name, as the standard has it.", example="Acquisition Modality")
    rows: list[CodeRow] = spec("The rows added.", factory=list)


# --- Amendments ----------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Term(Located):
    """An entry of an amended Defined Terms / Enumerated Values list."""

    value: str = spec("The term.", example="DMS")
    meaning: Prose | None = spec("What it means.", None)
    change: Literal["added", "removed", "unchanged"] = spec("Whether this supplement adds or removes it.",
                                                            "unchanged")


@dataclass(kw_only=True)
class TermList(Located):
    """An amended variable list (Defined Terms or Enumerated Values)."""

    title: Literal["Defined Terms", "Enumerated Values"] = spec("The list's title.", example="Defined Terms")
    entries: list[Term] = spec("Entries in order; unchanged ones give context. With ``attribute``, the added and "
                               "removed entries alone may be listed: the others come from the baseline.",
                               factory=list)
    attribute: str | None = spec("Keyword of the attribute whose list this amends; its entries, and the neighbours "
                                 "of an added one, are then taken from (and checked against) the baseline.", None,
                                 example="Modality")
    module: str | None = spec("Module whose row of ``attribute`` holds the list, when the section does not say "
                              "(the baseline module whose section holds the amended one, by default).", None,
                              example="General Series")
    context: int = spec("How many unchanged neighbours each side of a change are shown when the entries come from "
                        "the baseline.", 1)


@dataclass(kw_only=True)
class RowChange(Located):
    """A row of an amended table: ``old`` only is deleted, ``new`` only is inserted, both is changed."""

    old: list[str] | None = spec("Cells as the standard has them (may be left out with ``key``).", None)
    new: list[str] | None = spec("Cells as this supplement makes them.", None)
    key: str | None = spec("First cell of the baseline row this changes or deletes; its old cells then come from "
                           "the baseline.", None, example="Modality")
    after: str | None = spec("For an inserted row shown among baseline rows: the first cell of the row it follows.",
                             None)


@dataclass(kw_only=True)
class TableChange(Located):
    """An amended table: its columns and the rows shown."""

    caption: str | None = spec("Caption of the existing table (the baseline's when left out).", None)
    columns: list[str] = spec("Column headings (the baseline's when left out and the baseline has the table).",
                              factory=list)
    rows: list[RowChange] = spec("Rows shown; unchanged ones give context.", factory=list)
    context: int = spec("How many unchanged baseline rows each side of a changed one are shown (``…`` rows "
                        "between).", 0)


@dataclass(kw_only=True)
class Change(Located):
    """One block of an amendment: a paragraph changed, context elided, a term list or a table."""

    old: Prose | None = spec("Text as the standard has it (absent for an inserted paragraph, and may be left out "
                             "with ``paragraph`` when the baseline holds the section's text). Checked against the "
                             "baseline when it holds the section.", None)
    new: Prose | None = spec("Text as this supplement makes it (absent for a deleted paragraph).", None)
    paragraph: int | None = spec("Number (from 1) of the section's paragraph, as the baseline has it, that this "
                                 "change replaces or deletes; its old text comes from the baseline.", None,
                                 example=1)
    ellipsis: bool = spec("True for an elision mark (…) standing for unchanged text.", False)
    terms: TermList | None = spec("An amended Defined Terms or Enumerated Values list.", None)
    table: TableChange | None = spec("An amended table.", None)


@dataclass(kw_only=True)
class Amendment(Located):
    """A change to existing text of the standard."""

    part: Part = spec("Part amended.", example="PS3.3")
    section: str = spec("Section amended (or holding the amended table).", example="C.8.12.1")
    title: str = spec("Title of that section, as the standard has it.", example="VL Image Module")
    table: str | None = spec("Label of the amended table, if the change is to a table.", None)
    instruction: Prose | None = spec("Editorial instruction; a standard one is written when absent.", None)
    changes: list[Change] = spec("The blocks shown, in order.", factory=list)


# --- PS3.17 --------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Figure(Located):
    """A figure of the annex, by file reference (relative to the supplement folder)."""

    file: str = spec("Image file, e.g. ``figures/scale.svg``.", example="figures/scale.svg")
    title: str = spec("Figure caption.", example="Millimetre scale on the contact plate")


@dataclass(kw_only=True)
class AnnexSection(Located):
    """A section of the informative annex."""

    title: str = spec("Section title.", example="Measurements")
    label: str | None = spec("Section label when it is not the next number (later siblings continue from it).",
                             None, example="BBBBB.7")
    body: Prose | None = spec("The text.", None)
    figures: list[Figure] = spec("Figures after the text.", factory=list)
    sections: list["AnnexSection"] = spec("Subsections.", factory=list)


@dataclass(kw_only=True)
class Annex(Located):
    """The informative annex of PS3.17."""

    label: str = spec("Annex letter(s) in PS3.17.", example="ZZZ")
    title: str = spec("Annex title without '(Informative)'.", example="Dermoscopy")
    body: Prose | None = spec("Text before the first section.", None)
    sections: list[AnnexSection] = spec("Sections; numbered ``<label>.1``, ``<label>.2`` …", factory=list)


# --- Examples ------------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Example(Located):
    """A variant of an example instance: which values differ from the defaults."""

    name: str = spec("File stem, e.g. ``contact-gel``.", example="contact-gel")
    title: str = spec("What the variant shows.", example="Contact dermoscopy with ultrasound gel")
    iod: str = spec("IOD of the instance.", example="Dermoscopic Photography Image")
    values: dict[str, Any] = spec("Attribute values by keyword; ``null`` leaves an attribute out.", factory=dict)
    transfer_syntax: Literal["explicit-little", "jpeg-baseline", "rle-lossless"] = spec(
        "How the file encodes its pixels: ``explicit-little`` (Explicit VR Little Endian, uncompressed), "
        "``jpeg-baseline`` (JPEG Baseline (Process 1), 1.2.840.10008.1.2.4.50: lossy, 8-bit, YBR_FULL_422, with "
        "Lossy Image Compression ``01``, its ratio and method) or ``rle-lossless`` (RLE Lossless, "
        "1.2.840.10008.1.2.5: lossless, RGB).", "explicit-little", example="jpeg-baseline")
    frames: list[dict[str, Any]] = spec(
        "Per-frame values: one mapping per item of the Per-Frame Functional Groups Sequence, by keyword path "
        "(``FrameContentSequence>DimensionIndexValues``). The number of frames is Number of Frames when given, "
        "else the number of mappings, else 1.", factory=list)
    conditions: dict[str, bool] = spec("Whether each prose condition (by its ``named`` identifier) holds in this "
                                       "variant.", factory=dict, example={"time-synchronized": False})
    icc_profile: Literal["srgb"] | None = spec(
        "An ICC Profile (0028,2000) for the pixels, in the ICC Profile Module with Color Space (0028,2002): "
        "``srgb``, the sRGB profile of Little CMS (through Pillow); left out, the file has none.", None,
        example="srgb")


# --- New parent sections ----------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class NewSection(Located):
    """A new section that introduces the new IODs, modules or macros whose labels lie under it (e.g. A.90)."""

    part: Part = spec("Part it is added to.", example="PS3.3")
    section: str = spec("Its label.", example="A.90")
    title: str = spec("Its title.", example="Confocal Microscopy IODs")
    body: Prose | None = spec("Its introduction.", None)


# --- Lint settings -------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class LintSettings(Located):
    """How ``dicomsup lint`` (and ``build`` and ``check``, which lint first) treats this supplement."""

    ignore: list[str] = spec("Finding codes that are not reported for this supplement, e.g. a warning the working "
                             "group has accepted: a code (``DS213``) or the start of codes (``DS5`` for every "
                             "DS5xx). The codes are listed in the documentation's finding codes page; the loader's "
                             "DS0xx findings cannot be ignored.", factory=list, example=["DS219"])


# --- The supplement ------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Supplement(Located):
    """A whole supplement: the merge of every YAML file in ``spec/<name>/``."""

    number: int = spec("Supplement number.", example=221)
    title: str = spec("Supplement title.", example="Dermoscopy")
    working_group: str = spec("Working group that develops it.", example="WG-19 Dermatologic Standards")
    status: Status = spec("Status of this draft.", example="Final Text")
    version: str = spec("Version of this draft.", example="1.0")
    date: str = spec("Date of this draft, ``YYYY-MM-DD``.", example="2026-11-25")
    parts: list[Part] = spec("Parts this supplement changes.", factory=list)
    scope: Prose = spec("Scope and Field of Application.")
    secretariat: str | None = spec("Secretariat of the working group.", None)
    work_item: str | None = spec("Work item number, e.g. ``2017-04-A``.", None)
    foreword: Prose | None = spec("Foreword text.", None)
    uid_root: str = spec("Root of the UIDs of the example instances, each ``<uid_root>.<number from a UUID>``: "
                         "``2.25`` (PS3.5 B.2) or an organization's root, never the DICOM root.", "2.25")
    history: list[HistoryEntry] = spec("Document history, oldest first.", factory=list)
    open_issues: list[OpenIssue] = spec("Open issues.", factory=list)
    closed_issues: list[ClosedIssue] = spec("Closed issues.", factory=list)
    iods: list[IOD] = spec("New IODs (PS3.3 Annex A).", factory=list)
    modules: list[Module] = spec("New modules and macros (PS3.3).", factory=list)
    sop_classes: list[SOPClass] = spec("New Storage SOP Classes (PS3.4).", factory=list)
    data_elements: list[DataElement] = spec("New data elements (PS3.6).", factory=list)
    uids: list[UID] = spec("New UIDs (PS3.6 Annex A).", factory=list)
    codes: list[Code] = spec("New codes (PS3.16 Annex D for DCM).", factory=list)
    context_groups: list[ContextGroup] = spec("New context groups (PS3.16 Annex B).", factory=list)
    context_group_additions: list[ContextGroupAddition] = spec("Rows added to existing context groups.",
                                                               factory=list)
    amendments: list[Amendment] = spec("Changes to existing text and tables.", factory=list)
    annex: Annex | None = spec("The informative annex (PS3.17).", None)
    sections: list[NewSection] = spec("New parent sections with their introductions.", factory=list)
    examples: list[Example] = spec("Example instance variants.", factory=list)
    example_defaults: dict[str, Any] = spec("Attribute values by keyword that every example variant starts from "
                                            "(manufacturer, model, patient, study); a variant's ``values`` win.",
                                            factory=dict, example={"Manufacturer": "Example Devices Inc."})
    lint: LintSettings | None = spec("Settings of ``dicomsup lint`` for this supplement.", None,
                                     example={"ignore": ["DS219"]})
    name: str = field(default="", metadata={"internal": True})
    folder: str = field(default="", metadata={"internal": True})


@dataclass(kw_only=True)
class Catalog(Located):
    """The baseline catalog: existing PS3.3 modules and macros that new IODs and modules may name."""

    source: str = spec("Where the encoding came from.")
    edition: str = spec("Edition of the standard it reflects.")
    modules: list[Module] = spec("Existing modules and macros.", factory=list)
