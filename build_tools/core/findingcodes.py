"""The stable codes of findings: every problem dicomsup reports has one, with a title and an explanation.

``DSxxx`` codes are findings about the spec (``dicomsup lint``, ``build`` and ``check``), ``DVxxx`` codes findings
about DICOM files (``dicomsup verify``). The hundreds say what a finding is about (:data:`FAMILIES`); a code keeps
its meaning once released, so that ``--select``, ``--ignore`` and a supplement's ``lint.ignore`` stay valid. Each
code has one severity. ``docs/rules.rst`` is generated from :data:`CODES`, and a test checks that every code the
source uses is listed here and that every code listed here is used.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from build_tools.core.errors import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

#: What the codes starting with each prefix are about.
FAMILIES: dict[str, str] = {
    "DS0": "Reading the YAML files",
    "DS1": "Front matter (supplement.yaml)",
    "DS2": "PS3.3: modules, macros, attributes, conditions and IODs",
    "DS3": "PS3.4, PS3.6 and PS3.16: SOP Classes, data elements, UIDs, codes and context groups",
    "DS4": "Amendments to existing text",
    "DS5": "Prose: markup and references",
    "DS6": "Example instances",
    "DV0": "Reading the DICOM file",
    "DV1": "File Meta Information",
    "DV2": "The IOD: modules and attributes",
    "DV3": "Values the IOD lists",
    "DV4": "The data dictionary and the encoding of values",
}


@dataclass(frozen=True)
class FindingCode:
    """One code: its severity, a short title, and what it means and how to fix it."""

    code: str
    severity: Severity
    title: str
    explanation: str

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:3]]


_ENTRIES: tuple[tuple[str, Severity, str, str], ...] = (
    # --- DS0: reading the YAML files --------------------------------------------------------------------------------
    ("DS001", E, "File cannot be read",
     "The operating system refused to read a file of the supplement folder (permissions, a broken link). Nothing "
     "else is checked until every file can be read."),
    ("DS002", E, "File is not UTF-8",
     "A spec file holds a byte that is not valid UTF-8, usually because an editor saved it as Latin-1 or "
     "Windows-1252. Save the file as UTF-8; the finding points at the first bad byte."),
    ("DS003", E, "File is empty",
     "A YAML file of the folder holds no document at all, or only comments. Every file must hold a mapping of "
     "top-level fields; delete the file if it has nothing to say."),
    ("DS004", E, "Invalid YAML",
     "The file is not valid YAML: an indentation that does not line up, a tab, an unclosed quote or bracket, a "
     "second ': ' in an unquoted value. The message names the usual mistake behind the parser's complaint and the "
     "place where it noticed it."),
    ("DS005", E, "Control character",
     "The file holds a control character (other than tab, line feed and carriage return), which YAML does not "
     "allow. It is usually pasted by accident; remove it."),
    ("DS006", E, "YAML feature not allowed",
     "Anchors (&name), aliases (*name) and explicit tags (!!python/...) are refused: a spec is plain values, lists "
     "and mappings, so that it reads the same in every tool and cannot expand into huge documents or run code."),
    ("DS010", E, "No such supplement folder",
     "The supplement named on the command line is neither a folder nor a folder under --spec. The message "
     "suggests the closest supplement name when there is one."),
    ("DS011", E, "Folder holds no YAML files",
     "The supplement folder exists but holds no .yaml file; a supplement needs at least supplement.yaml (dicomsup "
     "new writes a complete one)."),
    ("DS012", E, "No supplement under the spec folder",
     "No folder under --spec holds a supplement.yaml, so there is nothing to lint, build or verify against. Run "
     "from the project root, or pass --spec."),
    ("DS020", E, "File is not a mapping",
     "The top level of a spec file is a list or a single value. Each file holds a mapping of top-level fields "
     "(number, title, modules …); the files of one folder are merged into one supplement."),
    ("DS021", E, "Duplicate key",
     "A key is given twice in one mapping, or a top-level field is given in two files of the folder. YAML would "
     "silently keep the last one; give each key once."),
    ("DS022", E, "Unknown field",
     "A key that the object does not have, usually a misspelling; the message suggests the closest field or lists "
     "the fields there are. The YAML reference lists the fields of every object."),
    ("DS023", E, "Missing required field",
     "A field that the object must have is not given. The message says what the field is for. A field taken for "
     "a misspelled key is not reported missing as well."),
    ("DS024", E, "Value of the wrong kind",
     "A value is not of the kind the field takes: a list where text is expected, text where a mapping is, a word "
     "where a whole number is (or one of more than 9 digits), or an empty value. The message says what was "
     "expected and what was found."),
    ("DS025", E, "Value not among the choices",
     "The field takes one of a fixed set of values (a status, a Type, a usage, a part) and the value is none of "
     "them; the message lists the choices and suggests the closest."),
    ("DS026", E, "Unquoted reference read as a mapping",
     "A value that starts with a reference such as {de:Modality} is read by YAML as a mapping, not as text. Put "
     "the whole value in quotes, or write it as a | block."),
    ("DS027", E, "Quoted number or true/false",
     "A field that takes a whole number (number, cid, value_index …) or true/false (retired, extensible …) is "
     "given quoted text such as \"2\" or 'true'. YAML reads a quoted value as text; remove the quotes."),
    ("DS028", E, "Number, date or true/false where words are expected",
     "A name, title, meaning or prose field is given a plain value that YAML reads as a number (12, 1.0), a date "
     "(2026-11-25) or, except in prose, true/false (yes, no, on, off): a value in the wrong place, or one that "
     "other YAML readers and editors take for something else. Put it in quotes if it is meant. Value fields "
     "(vm, version, date, value …) keep an unquoted 1, 0.10 or NO as the text written."),
    ("DS029", E, "Control character, direction character or line break in text",
     "A text holds a control character (other than tab and line break, e.g. a NUL or an escape written \\0 or "
     "\\e in double quotes), a Unicode direction override or isolate (U+202A-U+202E, U+2066-U+2069), a lone "
     "surrogate or U+FFFE/U+FFFF. XML, DICOM and the terminal cannot carry them faithfully, and direction "
     "characters make a reviewer read something else than the tools do; remove them. A one-line field (a name, "
     "title, label or value, as opposed to prose) holding a line break or a tab is reported too: it would break the "
     "one-line formats (.dic lines, table cells, file names)."),
    # --- DS1: front matter ------------------------------------------------------------------------------------------
    ("DS101", E, "Date not YYYY-MM-DD",
     "The date of the draft or of a history entry is not a calendar date written YYYY-MM-DD."),
    ("DS102", W, "Changed part not listed",
     "The supplement changes a part of the standard (it defines modules, data elements, codes, amendments …) but "
     "'parts' does not list it, so the cover page would not name it."),
    ("DS103", E, "Invalid UID root",
     "uid_root is not a valid UID prefix (digits and dots, no leading zeros, no empty component). The example "
     "instances' UIDs are made from it."),
    ("DS104", W, "UID root under the DICOM root",
     "uid_root is under 1.2.840.10008, which is reserved for the UIDs of the standard itself; example instances "
     "must not use it. Use 2.25 (UUID-derived UIDs) or your organization's root."),
    ("DS105", W, "UID root too long",
     "uid_root leaves fewer than 16 of a UID's 64 characters for the part derived from a UUID, so the example "
     "UIDs could collide. Use a shorter root, such as 2.25."),
    ("DS106", E, "Unknown code in lint.ignore",
     "An entry of the supplement's lint.ignore is neither a finding code nor the prefix of one; the message names "
     "the closest code. A typo here would silently ignore nothing."),
    ("DS107", E, "Loader code in lint.ignore",
     "lint.ignore names a DS0xx code. Those findings mean the YAML is not read as written, so every other check "
     "would work on guesses; they cannot be ignored, only fixed."),
    ("DS108", E, "Supplement number not positive",
     "The supplement number is zero or negative. The standard numbers its supplements from 1 up; the number "
     "appears in every title, header and file name of the outputs."),
    # --- DS2: PS3.3 -------------------------------------------------------------------------------------------------
    ("DS201", E, "Module defined twice",
     "Two modules or macros of the supplement have the same name; each name must define one table."),
    ("DS202", E, "Module name with the word Module",
     "A module or macro is named with the word Module or Macro at the end. Write the bare name: the renderer adds "
     "the word, and references use the bare name."),
    ("DS203", E, "Invalid section or table number",
     "A section (C.8.12.13, A.32.11) or table label (C.8.12.13-1) of a module or IOD is not written as PS3.3 "
     "writes them."),
    ("DS204", W, "Module replaces a catalog module",
     "The supplement defines a module that the baseline catalog already has; the supplement's definition replaces "
     "the catalog's wherever it is used. Intended when a supplement revises a module; otherwise choose another "
     "name."),
    ("DS205", E, "Module without attributes",
     "A module or macro lists no attribute rows, so its table would be empty. Add its attributes, or include the "
     "macros it consists of."),
    ("DS206", E, "Attribute listed twice in a table",
     "The same attribute is a row twice at the same level of one table (or of one sequence's items)."),
    ("DS207", E, "Unknown macro",
     "An include row names no macro of the supplement or the baseline catalog, or names it with the word Macro; "
     "the message suggests the closest name."),
    ("DS208", E, "Included a module",
     "An include row names a module; only macros are included in attribute tables, modules are listed by IODs."),
    ("DS210", E, "Unknown attribute keyword",
     "An attribute row names a keyword that is no new data element of the supplement and not in PS3.6. The same "
     "keyword written in several places is reported once, with the other places."),
    ("DS211", W, "Retired attribute",
     "An attribute row uses a data element that PS3.6 has retired; new modules should not use retired "
     "attributes."),
    ("DS212", E, "Missing condition",
     "A Type 1C or 2C attribute, or a module of usage C, has no condition saying when it is required."),
    ("DS213", E, "Condition that never applies",
     "A condition (or 'otherwise') is given for an attribute whose Type is not 1C or 2C, or for a module whose "
     "usage is not C. Make the Type or usage conditional, or remove the condition."),
    ("DS214", E, "Enumerated Values and Defined Terms together",
     "An attribute row gives both enumerated_values and defined_terms; an attribute has one kind of list."),
    ("DS215", E, "Value listed twice",
     "The same value appears twice among an attribute's Enumerated Values or Defined Terms."),
    ("DS216", E, "Value not valid for the VR",
     "A value listed for an attribute, compared in a condition or required by an IOD constraint cannot be a value "
     "of the attribute's VR (lower case in a CS, too long, not a number)."),
    ("DS217", E, "Items on an attribute that is no sequence",
     "items or item_count is given for an attribute whose VR is not SQ; only sequences have items."),
    ("DS218", E, "Sequence without items",
     "A sequence attribute (VR SQ) of a new module lists no attributes of its items."),
    ("DS219", W, "Empty description",
     "An attribute row of a new module has no description; PS3.3 describes every attribute."),
    ("DS220", E, "Malformed condition",
     "A condition does not have exactly one form, or a form lacks its parts: 'attribute' needs 'equals' or "
     "'one_of' (not both), 'all' and 'any' need conditions, value_index counts from 1."),
    ("DS221", E, "Named condition without its text",
     "A prose condition is written with 'named' (an identifier) and 'text' (the condition as the standard words "
     "it); one without the other is incomplete. verify reports such a condition as not checkable. Free text "
     "beside a structured condition goes in condition_note."),
    ("DS222", E, "Condition names an unknown attribute",
     "A condition's present, absent or attribute names a keyword (or a step of a keyword path) that is no data "
     "element; reported once per keyword, however often it is written."),
    ("DS223", E, "Condition compares with a value not listed",
     "A condition compares an attribute with a value that is not one of the attribute's Enumerated Values in the "
     "same module, so the condition could never hold."),
    ("DS230", E, "IOD defined twice",
     "Two IODs of the supplement have the same name; each name must define one IOD, since SOP Classes, examples "
     "and references name IODs by it."),
    ("DS231", E, "IOD name with the word IOD",
     "An IOD is named with the word IOD at the end. Write the bare name: the renderer adds the word."),
    ("DS232", E, "IOD outside Annex A",
     "An IOD's section does not start with A.; PS3.3 defines IODs in Annex A, so their sections are numbered A.x."),
    ("DS233", E, "IOD without modules",
     "An IOD lists no modules, so it would describe an empty instance. List its modules with their Information "
     "Entity and usage."),
    ("DS234", E, "Module listed twice in an IOD",
     "The same module appears twice in one IOD's module table; an IOD uses each module once."),
    ("DS235", E, "Unknown module in an IOD",
     "An IOD lists a module that is neither defined by the supplement nor in the baseline catalog; the message "
     "suggests the closest name. Reported once per name."),
    ("DS236", E, "Macro listed as a module",
     "An IOD lists a macro; IODs list modules, and macros are included in module tables."),
    ("DS237", W, "Unknown Information Entity",
     "A module of an IOD is given an Information Entity that PS3.3 does not use; the message suggests the "
     "closest."),
    ("DS240", E, "Constraint on a module not in the IOD",
     "An IOD constraint names a module that the IOD does not list. Not reported when the IOD misspells the "
     "module's name, which is reported there."),
    ("DS241", E, "Constraint on an attribute not in the module",
     "An IOD constraint names an attribute that the constrained module does not have."),
    ("DS242", E, "Absent attribute with values",
     "An IOD constraint says an attribute is absent and also gives it values or a Type."),
    ("DS243", W, "Condition compares with a value not among the Defined Terms",
     "A condition compares an attribute with a value that none of the Defined Terms this supplement lists for it "
     "is. Defined Terms may be extended, so this is a warning; it is usually a misspelling."),
    ("DS244", W, "Condition compares with a value the standard does not list",
     "A condition compares an existing attribute with a value that no module of the baseline lists among its "
     "Enumerated Values or Defined Terms (nor an amendment of this supplement adds); usually a misspelling."),
    ("DS245", E, "Condition that can never hold",
     "An 'all' asks for tests that exclude each other: an attribute both present and absent, two different values "
     "of the same attribute (or value), or a test together with its 'not'. The attribute or module it governs "
     "could never be required."),
    ("DS246", W, "Condition that always holds",
     "An 'any' lists a test and its opposite (present and absent, a test and its 'not'), so the condition holds "
     "whatever the instance holds: the Type or usage is not really conditional."),
    ("DS247", E, "Condition about its own attribute",
     "The condition of an attribute tests that same attribute (e.g. Tracking ID required if Tracking ID is "
     "present): it cannot say when the attribute is required. Test other attributes, or use Type 1, 2 or 3."),
    ("DS248", E, "Value index beyond the Value Multiplicity",
     "A condition compares value N of an attribute whose VM (from the supplement's data_elements or PS3.6) allows "
     "fewer than N values, so the condition could never hold."),
    # --- DS3: PS3.4, PS3.6 and PS3.16 -------------------------------------------------------------------------------
    ("DS250", E, "Unknown functional group macro",
     "A row of an IOD's Functional Group Macros table names no functional group macro of this supplement (kind "
     "'functional group macro') or of the baseline. Write the macro's name without the word Macro, as the "
     "standard's table does (Pixel Measures, Frame Content)."),
    ("DS251", E, "Not a functional group macro",
     "A row of the Functional Group Macros table names a module or an ordinary macro; only functional group "
     "macros (whose one row is a sequence placed in the Shared or Per-Frame Functional Groups Sequence) belong "
     "there. A new one is written with kind 'functional group macro'."),
    ("DS252", E, "Functional group macro listed twice in an IOD",
     "The same functional group macro appears twice in one IOD's Functional Group Macros table."),
    ("DS253", E, "Functional group macro name with the word Macro",
     "A Functional Group Macros row names its macro with the word Macro; write the bare name, as the standard's "
     "table does: the renderer and the lookup add it where needed."),
    ("DS254", E, "Functional group macro without its sequence",
     "A new functional group macro's table does not start with its one sequence attribute holding a single Item "
     "(item_count 'one'); a functional group macro is that sequence, which goes into the Shared or each Per-Frame "
     "Functional Groups Sequence Item."),
    ("DS255", W, "Functional groups without the Multi-frame Functional Groups Module",
     "An IOD lists functional group macros but not the Multi-frame Functional Groups Module, whose Shared and "
     "Per-Frame Functional Groups Sequences hold them."),
    ("DS256", E, "Label not usable",
     "An explicit label (an IOD's table or functional_groups_table, a new section's section) is not a table "
     "label or section number as the standard writes them; it becomes ids and captions."),
    ("DS257", E, "Label used twice",
     "Two tables (module, IOD or Functional Group Macros tables) or two sections of the supplement have one label "
     "(explicit or automatic), so they would have one number and one id."),
    ("DS258", W, "New section introduces nothing",
     "A new parent section (sections:) has no new IOD, module, macro or other new section under its label, so it "
     "stands alone; its label is probably mistyped, or it belongs to another part."),
    ("DS259", W, "Usage note where a placement is meant",
     "A Functional Group Macros row's note says the macro shall (not) be used as a shared functional group; write "
     "placement: shared or per-frame instead, so that the verifier and the example generator know it."),
    ("DS260", W, "Example states an unknown prose condition",
     "An example variant's conditions name an identifier that no prose condition ('named') of its IOD's modules, "
     "rows or functional group macros has; it is probably misspelled, and says nothing."),
    ("DS261", E, "One prose condition, two texts",
     "Two prose conditions share a 'named' identifier but are worded differently; an example variant states the "
     "truth of an identifier once, so one identifier must mean one condition."),
    ("DS301", E, "Invalid tag",
     "A data element's tag is not written (gggg,eeee) in upper-case hexadecimal, or is a tag a new data element "
     "cannot have: private (odd group), file meta information (group 0002), a group length."),
    ("DS302", E, "Invalid keyword",
     "An explicit keyword of a data element or UID is not a keyword: letters and digits, starting with a letter."),
    ("DS303", W, "Keyword differs from the derived one",
     "An explicit keyword differs from the one the PS3.6 rules derive from the name. Allowed (the standard has "
     "such keywords), and said in case it is a mistake."),
    ("DS304", E, "Invalid VR",
     "A data element's VR is not a Value Representation of PS3.5 (or an alternative such as 'US or SS')."),
    ("DS305", E, "Invalid VM",
     "A data element's VM is not a Value Multiplicity (1, 1-3, 1-n, 2-2n …), or a sequence has a VM other than 1."),
    ("DS306", E, "Tag given twice",
     "Two new data elements of the supplement have the same tag; each tag identifies one data element."),
    ("DS307", E, "Keyword given twice",
     "Two new data elements, or two new UIDs, have the same keyword (written, or derived from the name)."),
    ("DS308", E, "Tag already in PS3.6",
     "A new data element has the tag of an existing one but another name, keyword, VR or VM. Choose a free tag, "
     "or match the standard when the supplement restates an existing element."),
    ("DS309", E, "Keyword already in PS3.6",
     "A new data element's or UID's keyword is already used by another data element or UID of the standard."),
    ("DS310", W, "Data element used by no module",
     "A new data element is not used by any module of the supplement. Not reported when a misspelled keyword "
     "elsewhere looks like it: the misspelling is the mistake."),
    ("DS311", E, "Invalid UID",
     "A UID (of the supplement's UIDs or of a context group) is not valid: digits and dots, no leading zeros, no "
     "empty component, at most 64 characters."),
    ("DS312", W, "UID outside the DICOM root",
     "A UID the supplement adds to PS3.6 is not under 1.2.840.10008. The standard's UIDs are all under it: write a "
     "placeholder there until the DICOM editor assigns the final one. Example instances' UIDs come from uid_root."),
    ("DS313", E, "UID given twice",
     "Two UIDs of the supplement have the same value; each UID identifies one thing."),
    ("DS314", W, "Unknown UID type",
     "A UID's type is not one of the types of PS3.6 Table A-1; the message suggests the closest."),
    ("DS315", E, "UID already in PS3.6",
     "A new UID has the value of an existing one but another name or keyword."),
    ("DS320", E, "SOP Class with an unknown UID",
     "A SOP Class names a UID keyword that is not among the supplement's UIDs. Reported once per keyword."),
    ("DS321", E, "SOP Class UID of another type",
     "A SOP Class names a UID whose type is not SOP Class (a Transfer Syntax, a coding scheme …)."),
    ("DS322", E, "SOP Class of an unknown IOD",
     "A SOP Class names an IOD that the supplement does not define. Reported once per name."),
    ("DS330", E, "Unknown coding scheme",
     "A code's scheme is not a coding scheme designator of PS3.16; the message suggests the closest."),
    ("DS331", W, "Retired coding scheme",
     "A code uses a retired coding scheme designator (such as SRT); the message names the one to use."),
    ("DS332", E, "Invalid SNOMED CT identifier",
     "An SCT code value is not a valid SNOMED CT identifier: its check digit (Verhoeff) or its partition is "
     "wrong, usually a digit mistyped."),
    ("DS333", E, "Code defined twice",
     "The same scheme and value are defined twice among the codes, or are two rows of one context group."),
    ("DS334", E, "DCM code without definition",
     "A new DCM code has no definition; PS3.16 Annex D defines every DCM code."),
    ("DS335", E, "Code already means something else",
     "A code's value already exists in the standard with another meaning; choose another value or use the "
     "standard's meaning."),
    ("DS336", E, "Context group defined twice",
     "Two new context groups have the same CID; each number identifies one group."),
    ("DS337", E, "Context group already in PS3.16",
     "A new context group has the number of an existing one; add rows to it with context_group_additions, or "
     "choose a free number."),
    ("DS338", E, "Invalid context group version",
     "A context group's version is not a date written YYYYMMDD, as PS3.16 versions its groups."),
    ("DS339", W, "Context group UID outside its root",
     "A context group's UID is not under 1.2.840.10008.6.1, where PS3.6 Table A-3 assigns them."),
    ("DS340", E, "Context group without rows",
     "A new context group has neither rows nor included groups."),
    ("DS341", W, "Unknown context group",
     "A CID that is included, extended or used by a macro is neither defined by the supplement nor known to "
     "pydicom (which may lag the standard: check the number). Reported once per CID."),
    ("DS342", E, "Addition to a new context group",
     "context_group_additions adds rows to a group this supplement defines; put the rows in the group itself."),
    ("DS343", W, "Context group named differently",
     "An addition names an existing context group differently from the standard."),
    ("DS344", E, "Code without meaning",
     "A row of a context group gives no meaning and names a code that neither the supplement nor the standard "
     "defines. Reported once per code, and not when the code's own definition was reported."),
    ("DS345", E, "Annex label not usable",
     "The PS3.17 annex label is empty or is not one capital letter written one to five times (the standard "
     "labels its annexes A, B, ... ZZZ, AAAA, ... BBBBB). The label becomes the chapter's id and its section numbers, so it must be a plain label."),
    ("DS346", E, "Annex section label not usable",
     "An annex section's explicit label is not the annex label followed by numbers (BBBBB.7, BBBBB.7.2), or is not "
     "under its parent section's label."),
    ("DS347", E, "Annex section label used twice",
     "Two annex sections have one label (explicit, or numbered on from an explicit one), so they would have one "
     "number and one id."),
    ("DS348", W, "Annex section numbered backwards",
     "An annex section's explicit label is not greater than the label of the sibling before it; sections are "
     "printed in the order written, so the numbers would go backwards."),
    ("DS350", N, "Already in the standard",
     "The supplement defines a data element, UID, context group, code, module, IOD or annex label that the "
     "baseline already holds identically (a published supplement re-authored, or checked against the edition that "
     "incorporates it). Said as a note; it fails nothing, not even --strict."),
    ("DS351", E, "Module or IOD defined differently in the standard",
     "A module, macro or IOD of the supplement has the name of one the baseline holds, but other rows (attributes "
     "and Types, or IEs, modules and usages). The message names both; rename the new one, or match the standard "
     "and change it with an amendment."),
    ("DS352", E, "Annex label already in the standard",
     "The PS3.17 annex label is the label of an annex the baseline holds under another title. Choose a free label "
     "(the DICOM editor assigns the final one), or match the standard's title when re-authoring that annex."),
    ("DS353", N, "Already in the standard, rows not compared",
     "The supplement defines a module or macro that the baseline holds by name at the same section, but without "
     "its attribute rows (an entry known only from the standard's tables of contents), so the rows cannot be "
     "compared. Said as a note; the supplement's rows are used."),
    ("DS360", E, "Id already in the part",
     "An object the supplement adds (a section, table, annex, context group or DCM code) gets the standard's id "
     "in its part, and the baseline's part already has that id: merged, the part would hold two elements with one "
     "id. Choose a number or label the part does not use (PS3.17's next annex label, a free section number)."),
    ("DS361", E, "Merge target missing",
     "dicomsup merge: the section, table or annex after which the change text goes is not in the part given, so "
     "the change cannot be applied there. Check the part's edition, or the section number of the spec."),
    ("DS362", E, "Merge base differs",
     "dicomsup merge: the part's table or section is not what the spec expects (another caption or other "
     "columns), so the change would land in the wrong place."),
    ("DS363", E, "Merge would duplicate an id",
     "dicomsup merge: an id of the change text is already in the part; merged, the part would hold two elements "
     "with one id."),
    ("DS401", E, "Invalid section or table of an amendment",
     "An amendment's section or table is not a section number or table label as the standard writes them."),
    ("DS402", E, "Amendment without changes",
     "An amendment lists no changes, so it would instruct the editor to change nothing. Give its changes, or "
     "remove it."),
    ("DS403", E, "Change without exactly one form",
     "A change must be exactly one of: old/new text, an ellipsis, terms, or a table."),
    ("DS404", W, "Change that changes nothing",
     "A change's old and new text (or a table row's old and new cells) are the same."),
    ("DS405", E, "Term listed twice",
     "A terms change lists the same term twice; each term is added or removed once."),
    ("DS406", E, "Amended table without columns",
     "A table change gives no column headings, which the amended table needs to be rendered, and the baseline "
     "holds no text of the table to take them from."),
    ("DS407", E, "Table row without cells",
     "A row of a table change gives neither old nor new cells nor the 'key' of a baseline row, so it says "
     "nothing; give 'old', 'new' or both (or 'key' for a row whose old cells the baseline holds)."),
    ("DS408", E, "Row of the wrong width",
     "A row of a table change has a different number of cells than the table has columns."),
    ("DS410", E, "Old text differs from the baseline",
     "The text an amendment gives as the standard's ('old', or the cells of an old table row) is not what the "
     "baseline has for that section or table. The message shows the baseline's wording; copy it, or leave 'old' "
     "out and name the paragraph with 'paragraph', so the old text is taken from the baseline."),
    ("DS411", N, "Not checked against the baseline",
     "The baseline holds no text for the amended section, table or list (the committed baseline holds value sets "
     "but little PS3.3 prose; an imported DocBook baseline holds it), so the typed text is used as written and "
     "could not be checked against that edition."),
    ("DS412", E, "Amended paragraph not in the baseline",
     "A change names a paragraph by number ('paragraph') that the baseline's section does not have, or leaves "
     "'old' out where the baseline holds no text for the section: the old text cannot be found."),
    ("DS413", E, "Term list differs from the baseline",
     "An amended Defined Terms or Enumerated Values list shows an unchanged entry that the standard's own list "
     "does not have, with another meaning, or in another order, or removes an entry that is not there. The "
     "message shows the baseline's entries around it."),
    ("DS414", N, "Term not in the baseline's value set",
     "An unchanged entry of an amended list is not in the value set that the structure baseline holds for the "
     "attribute. Those value sets come from a validator's encoding of the standard, which may lag it, so the entry "
     "is kept as typed; the message says what the value set has."),
    ("DS415", E, "Unknown attribute of an amended list",
     "A term list names, with 'attribute', a keyword that is no data element, or 'module' names no baseline "
     "module, so the list it amends cannot be looked up."),
    ("DS416", N, "Change already in the baseline",
     "A term the amendment adds, or the new text of a paragraph, is already in the baseline: the edition already "
     "holds the change (a published supplement re-authored and checked against its incorporation)."),
    ("DS430", E, "Amended text not in the part",
     "dicomsup merge: the old text of an amendment (a paragraph to change, a term to place) is not in the part's "
     "section, so the part is not the text the amendment was written against."),
    ("DS431", E, "Row already in the part",
     "dicomsup merge: a row the supplement adds (a UID, tag, code) is already in the part's table; the part has "
     "the supplement already, or the spec repeats a value the standard has."),
    ("DS432", W, "Part not merged",
     "The supplement changes a part whose DocBook file is not in the folder given to dicomsup merge, so those "
     "changes are not applied; add the part's file (part03.xml, part04.xml, part06.xml, part16.xml, part17.xml) "
     "to merge them too."),
    # --- DS5: prose -------------------------------------------------------------------------------------------------
    ("DS501", E, "Invalid markup",
     "A prose field's markup cannot be read: an unknown reference kind ({cdi:…}), a reference without target, a "
     "'{' that starts no reference (write \\{), or emphasis (* or **) never closed."),
    ("DS502", E, "Reference to an unknown data element",
     "{de:X} names no data element of the supplement or PS3.6. Reported once per keyword, wherever it is written."),
    ("DS503", E, "Reference to an unknown module",
     "{module:X} names no module or macro of the supplement or the baseline catalog, or names it with the word "
     "Module or Macro."),
    ("DS504", E, "Reference to an unknown IOD",
     "{iod:X} names no IOD of the supplement and no Storage SOP Class of PS3.6, or names it with the word IOD."),
    ("DS505", E, "Reference to an unknown part",
     "{part:X} names no part of the standard; the parts are PS3.1 to PS3.22 (not all numbers exist)."),
    ("DS506", E, "Reference to an invalid section",
     "{section:X} is not a section number, names a part that does not exist, or names a section of this "
     "supplement's modules or annex that it does not give."),
    ("DS507", E, "Reference to an invalid table",
     "{table:X} is not a table label, or names a table under one of this supplement's sections that it does not "
     "define."),
    ("DS508", E, "Reference to a CID that is no number",
     "{cid:X} is not a context group number; write the number alone, e.g. {cid:29}."),
    ("DS509", W, "Reference to an unknown context group",
     "{cid:N} names a group neither defined by the supplement nor known to pydicom (which may lag the standard)."),
    ("DS510", E, "Reference to an invalid code",
     "{code:X} is not SCHEME:VALUE, names an unknown coding scheme, or an SCT value that is not a valid SNOMED CT "
     "identifier."),
    ("DS511", W, "Reference to an unknown DCM code",
     "{code:DCM:X} names a code neither defined by the supplement nor known to pydicom (which may lag the "
     "standard)."),
    ("DS512", E, "Reference to an unknown UID",
     "{uid:X} names no UID keyword of the supplement or PS3.6; the message suggests the closest keyword."),
    ("DS520", W, "Value reference not among the listed values",
     "{value:X} in a module's text is none of the Enumerated Values or Defined Terms of the attributes the text is "
     "about (or of an IOD constraint's values). Not checked when the text names an attribute whose values are not "
     "at hand."),
    ("DS530", W, "Paragraph without a full stop",
     "A paragraph of a field written in sentences (descriptions, definitions, notes …) does not end with a full "
     "stop or other closing punctuation."),
    ("DS540", W, "Reference to a section the standard does not have",
     "{section:X} names a PS3.3 section in Annex A or C that is neither this supplement's (a new IOD, module, "
     "section or amendment) nor one the baseline knows: its number is beyond the last section the baseline "
     "knows at that level. Subsections of an existing module or IOD and the other chapters are checked by "
     "their syntax only."),
    # --- DS6: example instances -------------------------------------------------------------------------------------
    ("DS601", E, "Example defined twice",
     "Two example variants have the same name, which would make the same file name twice."),
    ("DS602", E, "Example name not a file name",
     "An example's name is not lower-case letters, digits and hyphens; it becomes the file name of the instance."),
    ("DS603", E, "Example of an unknown IOD",
     "An example names an IOD that the supplement does not define. Reported once per name."),
    ("DS604", E, "Example value of an unknown attribute",
     "An example's values name a keyword that is no data element of the supplement or PS3.6. Reported once per "
     "keyword."),
    ("DS605", E, "Example name too long",
     "An example's name is longer than 100 characters. It becomes the stem of several file names (.dcm, .json, "
     ".png, .txt), which file systems limit to 255 bytes."),
    ("DS606", E, "Example image too large",
     "An example asks for Rows or Columns above 4096. Examples are drawn in memory by the build; a picture of "
     "that size shows nothing more and costs gigabytes."),
    ("DS607", E, "Example value not among the Enumerated Values",
     "An example gives an attribute a value that the IOD's Enumerated Values for it do not allow, so the instance "
     "could never be valid. Fix the value, or the list of Enumerated Values."),
    ("DS610", E, "Example frames for an IOD without functional groups",
     "An example gives per-frame values (``frames``) but its IOD has no Functional Group Macros table, so there "
     "is no Per-Frame Functional Groups Sequence to hold them. Give the values in ``values``, or the IOD its "
     "``functional_groups``."),
    ("DS611", E, "Example frame value of no functional group attribute",
     "A keyword path of an example's ``frames`` does not name an attribute of the IOD's functional group macros "
     "(its first keyword must be a macro's sequence, e.g. ``FrameContentSequence>DimensionIndexValues``)."),
    ("DS612", E, "Example condition that the IOD does not have",
     "An example's ``conditions`` names a prose condition (``named``) that no module, functional group macro or "
     "attribute of its IOD has, so the choice decides nothing. Fix the identifier."),
    ("DS613", W, "Example leaves a prose condition open",
     "The supplement writes a prose condition that the example variant does not decide in ``conditions``; the "
     "generator cannot test it, so the module, macro or attribute it governs is left out of the example. Say "
     "``true`` or ``false`` for it."),
    ("DS614", E, "Example value count outside the VM",
     "An example gives an attribute a number of values that its data element's Value Multiplicity does not "
     "allow (e.g. one value for Image Orientation (Slide), whose VM is 6)."),
    # --- DV0: reading the DICOM file --------------------------------------------------------------------------------
    ("DV001", E, "Path cannot be checked",
     "A path given to verify is a directory, does not exist, or cannot be read. The other files are still "
     "checked, and verify exits with status 2."),
    ("DV002", E, "Not a DICOM Part 10 file",
     "The file is too short, has no 'DICM' prefix after the 128-byte preamble, has no File Meta Information, or "
     "cannot be parsed at all."),
    ("DV003", E, "Truncated or corrupt file",
     "The file ends inside an element, a value is shorter than its length says, or bytes after the last element "
     "do not form one. The checks that would only list what was cut off are skipped."),
    ("DV004", E, "Encoding contradicts the Transfer Syntax",
     "The data set is encoded differently from what the Transfer Syntax UID says (explicit or implicit VR), or "
     "could only be read as garbage under it."),
    ("DV005", E, "Verification stopped",
     "The verifier itself failed on this file, its worker process died while reading it, or it took longer than "
     "--timeout; the findings so far are kept. A failure of the verifier is a bug: please report it."),
    # --- DV1: File Meta Information ---------------------------------------------------------------------------------
    ("DV101", E, "File meta element cannot be decoded",
     "An element of group 0002 has an unknown VR or a bad length; the other file meta checks are skipped."),
    ("DV102", E, "File meta element missing",
     "A Type 1 element of the File Meta Information (PS3.10 Table 7.1-1) is missing or empty."),
    ("DV103", E, "Wrong File Meta Information Version",
     "File Meta Information Version (0002,0001) is not the two bytes 00 01 that PS3.10 requires."),
    ("DV104", E, "Invalid file meta value",
     "A UID or the Implementation Version Name of the File Meta Information is not a valid value of its VR."),
    ("DV105", E, "File meta differs from the data set",
     "Media Storage SOP Class or Instance UID differs from the data set's SOP Class or Instance UID."),
    ("DV106", E, "Unknown Transfer Syntax",
     "The Transfer Syntax UID is no Transfer Syntax of PS3.6 (or none that pydicom knows)."),
    ("DV107", E, "Pixel Data encoded against the Transfer Syntax",
     "The Transfer Syntax is encapsulated but the Pixel Data are native, or the other way round."),
    # --- DV2: the IOD -----------------------------------------------------------------------------------------------
    ("DV201", E, "SOP Class UID missing",
     "The data set has no SOP Class UID, so the IOD to check it against cannot be chosen."),
    ("DV202", E, "SOP Class of no supplement IOD",
     "The file's SOP Class is not a SOP Class of the supplement; pass --supplement to choose another one."),
    ("DV203", W, "IOD cannot be checked completely",
     "Part of the IOD is not known to dicomsup (a module or macro missing from the baseline catalog); what is "
     "known is checked."),
    ("DV204", E, "Mandatory module absent",
     "A module of usage M (or C, when its condition holds) has none of its attributes in the file."),
    ("DV211", E, "Required attribute missing",
     "A Type 1 or 2 attribute of a present module, or a 1C or 2C attribute whose condition holds, is absent."),
    ("DV212", E, "Attribute that shall be absent",
     "A conditional attribute is present although its condition does not hold (and the row does not say it may "
     "be present otherwise), or the IOD forbids the attribute."),
    ("DV213", E, "Type 1 attribute empty",
     "A Type 1 attribute (or a 1C one that is present) has no value, or a sequence of that Type has no items."),
    ("DV214", E, "Wrong number of sequence items",
     "A sequence has fewer or more items than its row allows (one, one or more, zero or one)."),
    ("DV215", W, "Attribute not defined by the IOD",
     "A standard attribute that no module of the IOD defines (or that the items of its sequence do not have) is "
     "present, as dciodvfy's \"not present in standard DICOM IOD\"."),
    ("DV216", E, "Several frames in a single-frame IOD",
     "Number of Frames is more than 1 in an instance of an IOD that is single-frame."),
    ("DV217", N, "Requirement not checkable: prose condition",
     "Whether an attribute, module or functional group is required (or may be present) hangs on a condition the "
     "supplement words in prose ('Required if time synchronization was applied'), which no file can show. It is "
     "listed, not passed: say whether the condition holds with --assume NAME=yes or NAME=no."),
    ("DV218", N, "Requirements of the standard's modules not checkable",
     "Rows of the baseline's modules whose conditions the catalog does not encode (dicom3tools names them, e.g. "
     "IsAnimal); one note per file lists the attributes whose presence could not be judged (printed once for the "
     "files where it reads the same, counted for each)."),
    ("DV219", E, "Per-frame item count differs from Number of Frames",
     "The Per-Frame Functional Groups Sequence (5200,9230) shall have one item per frame: as many items as "
     "Number of Frames (0028,0008) says."),
    ("DV220", E, "Functional group macro absent",
     "A functional group macro that the IOD requires (M, or C with its condition holding) is in neither the Shared "
     "Functional Groups Sequence item nor every item of the Per-Frame Functional Groups Sequence."),
    ("DV221", E, "Functional group in both Shared and Per-Frame",
     "A functional group macro's sequence is in the Shared item and in Per-Frame items; it belongs in one of them."),
    ("DV222", E, "Functional group in the wrong place",
     "The IOD places this functional group macro in the Shared Functional Groups Sequence only (or in each "
     "Per-Frame item only), and the file has it elsewhere."),
    ("DV223", E, "Functional group in some frames only",
     "A per-frame functional group macro's sequence is in some items of the Per-Frame Functional Groups Sequence "
     "but not in all: it is in the Shared item or in every Per-Frame item."),
    ("DV224", E, "Functional group that shall be absent",
     "A conditional functional group macro is present although its condition does not hold, and the IOD does not "
     "say it may be present otherwise."),
    ("DV225", W, "Attribute of no functional group macro of the IOD",
     "An item of the Shared or Per-Frame Functional Groups Sequence holds a standard attribute that is the sequence "
     "of none of the IOD's functional group macros."),
    # --- DV3: values the IOD lists ----------------------------------------------------------------------------------
    ("DV301", E, "Not an Enumerated Value",
     "A value of an attribute is not one of the Enumerated Values the module lists for it."),
    ("DV302", W, "Not a Defined Term",
     "A value of an attribute is not one of the Defined Terms the module lists; Defined Terms may be extended, so "
     "this is a warning."),
    # --- DV4: the data dictionary and value encoding ----------------------------------------------------------------
    ("DV401", E, "Element cannot be decoded",
     "An element of the data set cannot be decoded (a bad length or value), so its value cannot be checked."),
    ("DV402", W, "Element not in the data dictionary",
     "A standard (even group) tag that neither PS3.6 (as pydicom knows it) nor the supplement defines."),
    ("DV403", E, "VR differs from the data dictionary",
     "An element is encoded with a VR other than the one PS3.6 (or the supplement) gives it."),
    ("DV404", E, "VM differs from the data dictionary",
     "An element has more or fewer values than its Value Multiplicity allows."),
    ("DV405", E, "Invalid value for the VR",
     "A value does not have the format of its VR (PS3.5 Table 6.2-1): too long, a date that is no date, a "
     "lower-case code string, a control character."),
    ("DV406", E, "Text outside the character set",
     "A text value has characters outside ASCII and the data set has no Specific Character Set (0008,0005)."),
    ("DV407", E, "Pixel Data of the wrong length",
     "The native Pixel Data do not hold the number of bytes that Rows, Columns, Samples per Pixel, Bits Allocated "
     "and Number of Frames make."),
)

#: Every code by its name, in order.
CODES: dict[str, FindingCode] = {code: FindingCode(code, severity, title, text)
                                 for code, severity, title, text in _ENTRIES}


def severity_of(code: str) -> Severity:
    """The severity of ``code`` (a ``KeyError`` for a code that is not registered: a bug, caught by the tests)."""
    return CODES[code].severity


def closest(text: str, prefix: str = "") -> str | None:
    """The registered code (starting with ``prefix``) that ``text`` most likely means, or None."""
    wanted = text.strip().upper()

    def shared(code: str) -> int:
        return next((i for i, (a, b) in enumerate(zip(code, wanted)) if a != b), min(len(code), len(wanted)))

    # Among the most similar, the one in the same family and hundred (DS239 is nearer DS230 than DS339).
    scored = [(difflib.SequenceMatcher(None, wanted, code).ratio(), shared(code), code)
              for code in CODES if code.startswith(prefix)]
    best = max(scored, key=lambda s: (round(s[0], 6), s[1]), default=None)
    return best[2] if best is not None and best[0] >= 0.5 else None
