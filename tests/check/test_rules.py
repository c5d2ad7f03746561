"""The consistency rules: each is shown a clean supplement with one fault, and must point at the fault exactly.

Every case edits a copy of ``tests/fixtures/minimal`` (which yields no finding at all) and expects a finding of the
given severity whose location is the first character of ``at`` in the edited file and whose message contains
``says``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.core.errors import Finding, Loc, Severity
from build_tools.core.findingcodes import CODES
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index
from build_tools.check.rules import check

from minimal_copies import MINIMAL, edited, position

E, W = Severity.ERROR, Severity.WARNING


def lint(folder: Path) -> list[Finding]:
    findings: list[Finding] = []
    supplement = load_supplement(folder, findings)
    return findings + check(supplement)


def assert_finding(findings: list[Finding], loc: Loc, says: str, severity: Severity) -> None:
    matching = [f for f in findings if f.loc == loc and says in f.message and f.severity is severity]
    shown = "\n".join(str(f) for f in findings) or "(no findings)"
    assert matching, f"expected {severity.value} at {loc} saying {says!r}; got:\n{shown}"
    for finding in findings:  # each with its code, whose severity is the finding's
        assert finding.code in CODES and CODES[finding.code].severity is finding.severity, str(finding)


def test_minimal_supplement_has_no_findings():
    assert lint(MINIMAL) == []


def test_minimal_supplement_is_clean_without_the_catalog_too_except_for_catalog_modules():
    findings: list[Finding] = []
    supplement = load_supplement(MINIMAL, findings)
    result = check(supplement, Index(supplement, with_catalog=False))
    # Only the IOD's references to catalog modules can fail when the catalog is left out.
    assert result and all("no module" in f.message for f in result)


C = "content.yaml"
S = "supplement.yaml"
LESION_ELEMENT = '{tag: "(0016,1006)", name: Lesion Marker Color, vr: CS, vm: "1"}\n'
ADD_ELEMENT = (C, LESION_ELEMENT, LESION_ELEMENT + '  - {tag: "(0016,1006)", name: Other Color, vr: CS, vm: "1"}\n')

CASES = [
    # --- data elements ---------------------------------------------------------------------------------------
    ("tag-lower-case", [(C, '"(0016,1006)"', '"(0016,100a)"')], (C, '"(0016,100a)"'), "lower case; write (0016,100A)", E),
    ("tag-syntax", [(C, '"(0016,1006)"', '"0016,1006"')], (C, '"0016,1006"'), "expected (gggg,eeee)", E),
    ("tag-private", [(C, '"(0016,1006)"', '"(0017,1006)"')], (C, '"(0017,1006)"'), "private", E),
    ("tag-file-meta", [(C, '"(0016,1006)"', '"(0002,1006)"')], (C, '"(0002,1006)"'), "file meta information", E),
    ("tag-group-length", [(C, '"(0016,1006)"', '"(0016,0000)"')], (C, '"(0016,0000)"'), "group length", E),
    ("tag-clash", [(C, '"(0016,1006)"', '"(0016,1003)"')], (C, '"(0016,1003)"'),
     "already in PS3.6 as ContactMethod", E),
    ("keyword-clash", [(C, "name: Lesion Marker Color, vr", "name: Lesion Marker Color, keyword: ContactMethod, vr")],
     (C, "ContactMethod"), "already used in PS3.6 by (0016,1003)", E),
    ("keyword-not-derived", [(C, "name: Lesion Marker Color, vr", "name: Lesion Marker Colour, keyword: LesionMarkerColor, vr")],
     (C, "LesionMarkerColor, vr"), "differs from 'LesionMarkerColour'", W),
    ("duplicate-tag", [ADD_ELEMENT], (C, '"(0016,1006)", name: Other'), "already given to another new data element", E),
    ("vr-unknown", [(C, "vr: CS, vm", "vr: CX, vm")], (C, "CX"), "'CX' is not a Value Representation", E),
    ("vm-syntax", [(C, 'vm: "1"}', 'vm: "1-"}')], (C, '"1-"'), "not a Value Multiplicity", E),
    ("unused-element", [(C, "      - attribute: LesionMarkerColor\n        type: \"1\"",
                         "      - attribute: Modality\n        type: \"1\"")],
     (C, '{tag: "(0016,1006)"'), "used by no module", W),
    # --- module rows -----------------------------------------------------------------------------------------
    ("row-unknown-keyword", [(C, "- attribute: LesionMarkerColor", "- attribute: LesionMarkerColour")],
     (C, "LesionMarkerColour"), "did you mean 'LesionMarkerColor'", E),
    ("type-1C-without-condition", [(C, "        condition: {attribute: LesionMarkerColor, equals: RED}\n", "")],
     (C, "1C"), "Type 1C needs a condition", E),
    ("condition-on-type-1", [(C, "type: 1C", "type: \"1\"")], (C, "{attribute: LesionMarkerColor"),
     "Type 1 is not conditional", E),
    ("condition-two-forms", [(C, "{attribute: LesionMarkerColor, equals: RED}",
                              "{present: LesionMarkerColor, absent: Modality}")],
     (C, "{present: LesionMarkerColor"), "exactly one form", E),
    ("condition-unknown-path", [(C, "{attribute: LesionMarkerColor, equals: RED}", "{present: LesionMarkerColr}")],
     (C, "LesionMarkerColr"), "did you mean 'LesionMarkerColor'", E),
    ("condition-value-not-enumerated", [(C, "equals: RED}", "equals: GREEN}")], (C, "GREEN"),
     "no Enumerated Value 'GREEN'", E),
    ("condition-named", [(C, "{attribute: LesionMarkerColor, equals: RED}", "{named: MarkerPresent}")],
     (C, "MarkerPresent"), "a 'named' condition needs 'text'", E),
    ("enum-lower-case", [(C, "{value: RED,", "{value: red,")], (C, "red,"), "upper-case letters", E),
    ("enum-too-long", [(C, "{value: RED,", "{value: REDDISH_OR_ORANGE_RED,")], (C, "REDDISH"), "at most 16", E),
    ("enum-duplicate", [(C, "{value: BLUE,", "{value: RED,")], (C, "RED, meaning: A blue"), "listed twice", E),
    ("items-on-non-sequence", [(C, "        description: A label of the lesion.\n",
                                "        description: A label of the lesion.\n        items:\n"
                                "          - {attribute: CodeValue, type: \"1\", description: A code.}\n")],
     (C, "- {attribute: CodeValue"), "only sequences (SQ) have items", E),
    ("include-unknown", [(C, "      - attribute: TrackingID\n", "      - include: Code Sequense\n"
                                                               "      - attribute: TrackingID\n")],
     (C, "Code Sequense"), "did you mean 'Code Sequence'", E),
    ("include-module", [(C, "      - attribute: TrackingID\n", "      - include: Patient\n"
                                                               "      - attribute: TrackingID\n")],
     (C, "Patient\n      - attribute"), "is a module, not a macro", E),
    ("description-without-full-stop", [(C, "The color of the marker.", "The color of the marker")],
     (C, "The color of the marker"), "does not end with a full stop", W),
    ("description-empty", [(C, "The color of the marker.", '""')], (C, '""'), "empty description", W),
    # --- IODs ------------------------------------------------------------------------------------------------
    ("iod-unknown-module", [(C, "module: General Study,", "module: Genral Study,")], (C, "Genral Study"),
     "did you mean 'General Study'", E),
    ("iod-duplicate-module", [(C, "module: General Study,", "module: Patient,")], (C, "Patient, usage: M}\n      - {ie: Series"),
     "already in this IOD", E),
    ("iod-unknown-ie", [(C, "{ie: Study,", "{ie: Stuyd,")], (C, "Stuyd"), "did you mean 'Study'", W),
    ("iod-usage-C-without-condition", [(C, "module: General Image, usage: M", "module: General Image, usage: C")],
     (C, "C}"), "usage C needs a condition", E),
    ("iod-macro-as-module", [(C, "module: General Image,", "module: Code Sequence,")], (C, "Code Sequence,"),
     "is a macro", E),
    # --- UIDs and SOP classes --------------------------------------------------------------------------------
    ("uid-leading-zero", [(C, "1.2.840.10008.5.1.4.1.1.77.1.99", "1.2.840.10008.5.1.4.1.1.77.01.99")],
     (C, "1.2.840.10008.5.1.4.1.1.77.01.99"), "leading zero (01)", E),
    ("uid-empty-component", [(C, "1.2.840.10008.5.1.4.1.1.77.1.99", "1.2.840.10008.5.1.4.1.1.77..99")],
     (C, "1.2.840.10008.5.1.4.1.1.77..99"), "empty component", E),
    ("uid-too-long", [(C, "1.2.840.10008.5.1.4.1.1.77.1.99", "1.2.840.10008." + "1" * 60)],
     (C, "1.2.840.10008.111"), "at most 64", E),
    ("uid-clash", [(C, "1.2.840.10008.5.1.4.1.1.77.1.99", "1.2.840.10008.5.1.4.1.1.77.1.4")],
     (C, "1.2.840.10008.5.1.4.1.1.77.1.4"), "already in PS3.6 as VLPhotographicImageStorage", E),
    ("sop-uid-unknown", [(C, "{uid: LesionMarkerImageStorage,", "{uid: LesionMarkerStorage,")],
     (C, "LesionMarkerStorage"), "did you mean 'LesionMarkerImageStorage'", E),
    ("sop-iod-unknown", [(C, "iod: Lesion Marker Image}", "iod: Lesion Marker}")], (C, "Lesion Marker}"),
     "no IOD 'Lesion Marker'", E),
    # --- codes and context groups ----------------------------------------------------------------------------
    ("scheme-unknown", [(C, "  - scheme: DCM\n", "  - scheme: DMC\n")], (C, "DMC"), "did you mean 'DCM'", E),
    ("scheme-retired", [(C, 'scheme: SCT, value: "24028007"', 'scheme: SRT, value: "24028007"')], (C, "SRT"),
     "retired; use SCT", W),
    ("sct-check-digit", [(C, '"24028007"', '"24028008"')], (C, '"24028008"'), "Verhoeff", E),
    ("sct-partition", [(C, '"24028007"', '"24028027"')], (C, '"24028027"'), "partition identifier 02", E),
    ("dcm-code-without-definition", [(C, "    definition: A colored marker placed beside a skin lesion.\n", "")],
     (C, "scheme: DCM\n    value"), "needs a definition", E),
    ("row-meaning-missing", [(C, "{scheme: DCM, value: LMK001}", "{scheme: DCM, value: LMK002}")],
     (C, "{scheme: DCM, value: LMK002}"), "has no meaning", E),
    ("cid-exists", [(C, "cid: 9901", "cid: 29")], (C, "29\n"), "is already in PS3.16 as AcquisitionModality", E),
    ("cg-version", [(C, '"20261125"', '"2026-11-25"')], (C, '"2026-11-25"'), "YYYYMMDD", E),
    ("date-format", [(S, 'date: "2026-11-25"\nparts', 'date: "2026-13-25"\nparts')], (S, '"2026-13-25"'),
     "YYYY-MM-DD", E),
    ("duplicate-code", [(C, "    definition: A colored marker placed beside a skin lesion.\n",
                         "    definition: A colored marker placed beside a skin lesion.\n"
                         "  - {scheme: DCM, value: LMK001, meaning: Again, definition: Again.}\n")],
     (C, "LMK001, meaning: Again"), "already defined", E),
    ("duplicate-cid", [(C, "\nexamples:", "  - {cid: 9901, name: Again, version: \"20261125\", rows: [{scheme: DCM, "
                                          "value: LMK001}]}\n\nexamples:")],
     (C, "9901, name: Again"), "CID 9901 is already defined", E),
    ("duplicate-uid", [(C, "\ncodes:", "  - {value: 1.2.840.10008.5.1.4.1.1.77.1.99, name: Other Storage, "
                                       "type: SOP Class, part: PS3.4}\n\ncodes:")],
     (C, "1.2.840.10008.5.1.4.1.1.77.1.99, name: Other"), "already given", E),
    ("duplicate-new-keyword", [ADD_ELEMENT, (C, '"(0016,1006)", name: Other Color', '"(0016,1008)", name: Lesion Marker Color')],
     (C, 'Lesion Marker Color, vr: CS, vm: "1"}\n\nuids'), "already used by another new data element", E),
    ("sequence-without-items", [(C, "      - attribute: TrackingID\n", "      - {attribute: AnatomicRegionSequence, "
                                                                      "type: \"3\", description: Where.}\n"
                                                                      "      - attribute: TrackingID\n")],
     (C, "AnatomicRegionSequence"), "list the attributes of its items", E),
    ("condition-value-vr", [(C, "{attribute: LesionMarkerColor, equals: RED}", "{attribute: Modality, equals: xr}")],
     (C, "xr}"), "upper-case letters", E),
    ("include-cid-unknown", [(C, "      - attribute: TrackingID\n", "      - {include: Code Sequence, baseline_cid: 98765}\n"
                                                                   "      - attribute: TrackingID\n")],
     (C, "98765"), "CID 98765 is not defined", W),
    ("parts-missing", [(S, "parts: [PS3.3, PS3.4, PS3.6, PS3.16]", "parts: [PS3.3, PS3.4, PS3.6]")], (S, "[PS3.3,"),
     "changes PS3.16 but 'parts' does not list it", W),
    # --- prose references ------------------------------------------------------------------------------------
    ("ref-de-in-block", [(S, "{de:LesionMarkerColor}", "{de:LesionMarkerColour}")], (S, "{de:LesionMarkerColour}"),
     "did you mean 'LesionMarkerColor'", E),
    ("ref-module-word", [(S, "{module:Lesion Marker}", "{module:Lesion Marker Module}")], (S, "{module:Lesion"),
     "without the word Module", E),
    ("ref-iod-unknown", [(S, "{iod:Lesion Marker Image}", "{iod:Lesion Markr Image}")], (S, "{iod:"),
     "did you mean 'Lesion Marker Image'", E),
    ("ref-uid-unknown", [(S, "{uid:LesionMarkerImageStorage}", "{uid:LesionMarkerImgStorage}")], (S, "{uid:"),
     "did you mean 'LesionMarkerImageStorage'", E),
    ("ref-code-undefined", [(S, "{code:DCM:LMK001}", "{code:DCM:LMK009}")], (S, "{code:"),
     "DCM code LMK009 is not in this supplement", W),
    ("ref-code-scheme", [(S, "{code:DCM:LMK001}", "{code:XYZ:1}")], (S, "{code:"), "unknown coding scheme", E),
    ("ref-cid-unknown", [(S, "{cid:9901}", "{cid:99999}")], (S, "{cid:"), "not known to pydicom", W),
    ("ref-cid-syntax", [(S, "{cid:9901}", "{cid:CID 1}")], (S, "{cid:"), "expected a context group number", E),
    ("ref-own-section", [(S, "{section:C.8.12.99.1.1}", "{section:C.8.12.99.1.2}")], (S, "{section:"),
     "gives no section C.8.12.99.1.2", E),
    ("ref-section-syntax", [(S, "{section:C.8.12.99.1.1}", "{section:C 8 12}")], (S, "{section:"),
     "not a section number", E),
    ("ref-own-table", [(S, "{table:C.8.12.99-1}", "{table:C.8.12.99-2}")], (S, "{table:"), "no table C.8.12.99-2", E),
    ("ref-part", [(S, "{iod:Lesion Marker Image}", "{part:PS3.99}")], (S, "{part:"), "not a part", E),
    ("ref-kind-unknown", [(S, "{cid:9901}", "{cdi:9901}")], (S, "{cdi:"), "unknown reference kind", E),
    # --- amendments and examples -----------------------------------------------------------------------------
    ("example-iod", [(C, "iod: Lesion Marker Image\n    values", "iod: Lesion Image\n    values")],
     (C, "Lesion Image"), "no IOD 'Lesion Image'", E),
    ("example-value-key", [(C, "{LesionMarkerColor: RED,", "{LesionMarkerColr: RED,")], (C, "{LesionMarkerColr"),
     "did you mean 'LesionMarkerColor'", E),
    # --- {value:…} references in a module's text -------------------------------------------------------------
    ("value-ref-own-row", [(C, "The color of the marker.", "The color of the marker, e.g. {value:REED}.")],
     (C, "{value:REED}"), "{value:REED} is not an Enumerated Value or Defined Term of LesionMarkerColor or any "
                          "other attribute of the Lesion Marker Module; did you mean 'RED'?", W),
    ("value-ref-other-row", [(C, "A label of the lesion.", "A label of the lesion, given for {value:GREEN} markers.")],
     (C, "{value:GREEN}"), "the listed values are RED, BLUE", W),
    ("value-ref-attribute-description", [(C, "see {de:LesionMarkerColor}.", "see {de:LesionMarkerColor} {value:BLU}.")],
     (C, "{value:BLU}"), "did you mean 'BLUE'?", W),
    # --- UID roots -------------------------------------------------------------------------------------------
    ("uid-outside-dicom-root", [(C, "1.2.840.10008.5.1.4.1.1.77.1.99", "2.25.1234")], (C, "2.25.1234"),
     "write a placeholder under that root until the DICOM editor assigns the final one", W),
    ("uid-outside-dicom-root-says-uid-root", [(C, "1.2.840.10008.5.1.4.1.1.77.1.99", "1.2.826.0.1.3680043.2.1")],
     (C, "1.2.826.0.1.3680043.2.1"), "they are derived from uid_root", W),
    ("uid-root-syntax", [(S, "number: 9999", 'number: 9999\nuid_root: "2.25."')], (S, '"2.25."'),
     "uid_root '2.25.' has an empty component", E),
    ("uid-root-dicom", [(S, "number: 9999", "number: 9999\nuid_root: 1.2.840.10008.9")], (S, "1.2.840.10008.9"),
     "is under the DICOM root 1.2.840.10008, which is reserved", W),
    ("uid-root-too-long", [(S, "number: 9999", "number: 9999\nuid_root: 1.2.3." + "4" * 45)], (S, "1.2.3.4"),
     "example UIDs may collide", W),
    ("cg-uid-outside-root", [(C, 'version: "20261125"\n', 'version: "20261125"\n    uid: 1.2.840.10008.5.9901\n')],
     (C, "1.2.840.10008.5.9901"), "is not under 1.2.840.10008.6.1", W),
]

AMENDMENT = """amendments:
  - part: PS3.3
    section: C.8.12.1
    title: VL Image Module
    changes:
{changes}
"""

AMENDMENT_CASES = [
    ("change-two-forms", "      - {old: Some text., ellipsis: true}", "{old: Some", "exactly one form", E),
    ("change-no-form", "      - {}", "{}", "found none", E),
    ("change-identical", "      - {old: Same text., new: Same text.}", "Same text.}", "same text", W),
    ("change-row-cells", "      - table:\n          columns: [A, B]\n          rows:\n            - {new: [x]}",
     "[x]", "1 cells but the table has 2 columns", E),
]


@pytest.mark.parametrize("edits, at, says, severity", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(tmp_path, edits, at, says, severity):
    folder = edited(tmp_path, edits)
    assert_finding(lint(folder), position(folder, *at), says, severity)


@pytest.mark.parametrize("changes, at, says, severity", [c[1:] for c in AMENDMENT_CASES],
                         ids=[c[0] for c in AMENDMENT_CASES])
def test_amendment_rule(tmp_path, changes, at, says, severity):
    folder = edited(tmp_path, [("amendments.yaml", "", AMENDMENT.format(changes=changes))])
    assert_finding(lint(folder), position(folder, "amendments.yaml", at), says, severity)


def test_reference_inside_block_scalar_is_located_at_its_column(tmp_path):
    folder = edited(tmp_path, [(C, "see {de:LesionMarkerColor}.", "see {de:NoSuchThing}.")])
    findings = [f for f in lint(folder) if "NoSuchThing" in f.message]
    assert [f.loc for f in findings] == [position(folder, C, "{de:NoSuchThing}")]
    line = "          The color is chosen to contrast with the skin; see {de:NoSuchThing}."
    assert findings[0].loc.column == line.index("{") + 1  # the block's indentation is counted


def test_reference_on_a_continuation_line_of_a_plain_scalar(tmp_path):
    folder = edited(tmp_path, [(C, "description: The attributes of the marker placed beside the lesion.",
                                "description: The attributes of the marker\n      placed beside {de:Nope}.")])
    findings = [f for f in lint(folder) if "'Nope'" in f.message]
    assert [f.loc for f in findings] == [position(folder, C, "{de:Nope}")]


def test_every_problem_is_reported_in_one_run(tmp_path):
    folder = edited(tmp_path, [(C, '"(0016,1006)"', '"(0017,1006)"'), (C, "equals: RED}", "equals: GREEN}"),
                               (S, "{cid:9901}", "{cdi:9901}")])
    messages = " | ".join(f.message for f in lint(folder))
    for fragment in ("private", "GREEN", "unknown reference kind"):
        assert fragment in messages


def test_findings_are_sorted_by_location(tmp_path):
    folder = edited(tmp_path, [(C, '"(0016,1006)"', '"(0017,1006)"'), (S, "{cid:9901}", "{cdi:9901}"),
                               (C, "module: General Study,", "module: Genral Study,")])
    findings = check(load_supplement(folder, []))
    assert len(findings) >= 3
    assert findings == sorted(findings, key=lambda f: (f.loc.file, f.loc.line, f.loc.column))


def test_identical_to_pydicom_is_fine(tmp_path):
    """A supplement already incorporated in the standard defines elements and UIDs exactly as pydicom has them."""
    folder = edited(tmp_path, [ADD_ELEMENT,
                               (C, '{tag: "(0016,1006)", name: Other Color, vr: CS, vm: "1"}',
                                '{tag: "(0016,1003)", name: Contact Method, vr: CS, vm: "1"}')])
    findings = [f for f in lint(folder) if "PS3.6" in f.message]
    # Accepted, and said: a note that it is already there, identically, and nothing else.
    assert [(f.code, f.severity) for f in findings] == [("DS350", Severity.NOTE)], [str(f) for f in findings]
    assert "identically" in findings[0].message


def test_reference_to_an_annex_section_that_does_not_exist(tmp_path):
    annex = ("annex:\n  label: ZZZ\n  title: Markers\n  sections:\n    - title: Use\n"
             "      body: See {section:PS3.17:ZZZ.1} and {section:PS3.17:ZZZ.2}.\n")
    folder = edited(tmp_path, [("annex.yaml", "", annex),
                               (S, "PS3.16]", "PS3.16, PS3.17]")])
    findings = lint(folder)
    assert_finding(findings, position(folder, "annex.yaml", "{section:PS3.17:ZZZ.2}"), "the annex has no section ZZZ.2", E)
    assert len(findings) == 1


def test_value_refs_that_are_listed_values_pass(tmp_path):
    folder = edited(tmp_path, [(C, "The color of the marker.", "The color of the marker, {value:RED} or {value:BLUE}."),
                               (C, "A label of the lesion.", "A label of the lesion with a {value:RED} marker."),
                               (C, "see {de:LesionMarkerColor}.", "see {de:LesionMarkerColor}, e.g. {value:BLUE}.")])
    assert lint(folder) == []


def test_value_refs_about_an_attribute_whose_values_are_not_listed_are_not_checked(tmp_path):
    """Modality's Defined Terms are PS3.3's, not at hand: a {value:…} next to {de:Modality} may be one of them."""
    folder = edited(tmp_path, [(C, "The color of the marker.",
                                "The color of the marker; BLUE when {de:Modality} is {value:XC}.")])
    assert lint(folder) == []


CONSTRAINT = ("      - {ie: Image, module: SOP Common, usage: M}\n",
              "      - {ie: Image, module: SOP Common, usage: M}\n    constraints:\n"
              "      - {attribute: Modality, module: General Series, values: [XC],\n"
              "         description: \"{de:Modality} shall be {value:XC}.\"}\n")


def test_value_ref_in_a_constraint_is_checked_against_its_values(tmp_path):
    assert lint(edited(tmp_path, [(C, *CONSTRAINT)])) == []
    folder = edited(tmp_path / "wrong", [(C, CONSTRAINT[0], CONSTRAINT[1].replace("{value:XC}", "{value:DMS}"))])
    assert_finding(lint(folder), position(folder, C, "{value:DMS}"),
                   "{value:DMS} is not an Enumerated Value or Defined Term of the values the Lesion Marker Image IOD "
                   "allows for Modality; the listed values are XC", W)


def test_an_iod_constraint_does_not_narrow_the_values_module_text_may_name(tmp_path):
    """A module may serve other IODs: its text about Modality is not checked against one IOD's constraint."""
    folder = edited(tmp_path, [(C, *CONSTRAINT), (C, "The color of the marker.",
                                                  "The color of the marker; BLUE when {de:Modality} is {value:OT}.")])
    assert lint(folder) == []


def test_a_condition_given_in_the_wrong_form_is_reported_once(tmp_path):
    """A 1C row whose condition is text, not structure: one finding, at the condition, not also 'needs a condition'."""
    folder = edited(tmp_path, [(C, "{attribute: LesionMarkerColor, equals: RED}", "LesionMarkerColor is RED")])
    findings = lint(folder)
    assert [f.message.split(",")[0] for f in findings] == ["condition must be a mapping of Condition fields (present"]
    assert findings[0].loc == position(folder, C, "LesionMarkerColor is RED")
    assert "not the text 'LesionMarkerColor is RED'" in findings[0].message
