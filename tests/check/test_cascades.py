"""One typo gives one finding: a mistake is reported where it is, and the findings that would only follow from it
(the same misspelled name in other places, a definition that looks unused, rules about a placeholder) step aside.

Each case edits a copy of ``tests/fixtures/minimal`` once and expects exactly one finding, of the given code, at the
first character of ``at``.
"""

from __future__ import annotations

import pytest

from build_tools.build import build_all, lint

from minimal_copies import edited, position

C, S = "content.yaml", "supplement.yaml"
CONSTRAINT = ("      - {ie: Image, module: SOP Common, usage: M}\n",
              "      - {ie: Image, module: SOP Common, usage: M}\n    constraints:\n"
              "      - {attribute: StudyID, module: General Study, values: [X]}\n")

# (id, edits, the file and text where the one finding is, its code, a fragment of its message)
CASES = [
    # The same misspelled or misdefined name, written in several places: one finding at the first, naming the others.
    ("element-renamed-where-defined", [(C, "name: Lesion Marker Color,", "name: Lesion Marker Colr,")],
     (C, "LesionMarkerColor\n        type"), "DS210", "and 3 other places"),
    ("module-renamed-where-defined", [(C, "  - name: Lesion Marker\n", "  - name: Lesion Markr\n")],
     (C, "Lesion Marker, usage"), "DS235", "also written at"),
    ("iod-renamed-where-defined", [(C, "  - name: Lesion Marker Image\n", "  - name: Lesion Markr Image\n")],
     (C, "Lesion Marker Image}"), "DS322", "and 1 other place"),
    ("uid-renamed-where-defined", [(C, "name: Lesion Marker Image Storage,", "name: Lesion Marker Imag Storage,")],
     (C, "LesionMarkerImageStorage,"), "DS320", "also written at"),
    ("code-value-mistyped-where-defined", [(C, "    value: LMK001\n", "    value: LMK01\n")],
     (C, "{scheme: DCM, value: LMK001}"), "DS344", "also written at"),
    ("keyword-misspelled-in-a-condition-and-in-prose",
     [(C, "{attribute: LesionMarkerColor, equals: RED}", "{attribute: LesionMarkerColr, equals: RED}"),
      (C, "see {de:LesionMarkerColor}.", "see {de:LesionMarkerColr}.")],
     (C, "LesionMarkerColr, equals"), "DS222", "also written at"),
    ("module-defined-with-the-word-module", [(C, "  - name: Lesion Marker\n", "  - name: Lesion Marker Module\n")],
     (C, "Lesion Marker Module\n"), "DS202", "without the word Module"),
    ("code-defined-with-a-wrong-scheme", [(C, "  - scheme: DCM\n", "  - scheme: DMC\n")],
     (C, "DMC"), "DS330", "did you mean 'DCM'"),
    ("enumerated-value-mistyped", [(C, "{value: RED,", "{value: RDE,"),
                                   (C, "The color of the marker.", "The color of the marker, e.g. {value:RED}.")],
     (C, "RED}\n"), "DS223", "also written at"),  # the error, not the warning about {value:RED} before it
    # A definition that looks unused, or a rule that looks wrong, because of the typo elsewhere.
    ("row-keyword-misspelled", [(C, "- attribute: LesionMarkerColor", "- attribute: LesionMarkerColr")],
     (C, "LesionMarkerColr"), "DS210", "did you mean 'LesionMarkerColor'"),
    ("iod-module-misspelled-with-a-constraint-on-it",
     [(C, "module: General Study,", "module: Genral Study,"), (C, *CONSTRAINT)],
     (C, "Genral Study"), "DS235", "did you mean 'General Study'"),
    ("wrong-tag-for-a-standard-element",
     [(C, '{tag: "(0016,1006)", name: Lesion Marker Color, vr: CS, vm: "1"}',
       '{tag: "(0016,1003)", name: Patient Name, vr: PN, vm: "1"}'),
      (C, "- attribute: LesionMarkerColor", "- attribute: PatientName"),
      (C, "{attribute: LesionMarkerColor, equals: RED}", "{present: PatientName}"),
      (C, "        enumerated_values:\n          - {value: RED, meaning: A red marker.}\n"
          "          - {value: BLUE, meaning: A blue marker.}\n", ""),
      (S, "{de:LesionMarkerColor}", "{de:PatientName}"), (C, "see {de:LesionMarkerColor}.", "see {de:PatientName}."),
      (C, "{LesionMarkerColor: RED,", "{PatientName: Doe,")],
     (C, '"(0016,1003)"'), "DS308", "already in PS3.6 as ContactMethod"),
    # A misspelled key or an unreadable value: the loader says it, the rules say nothing about the placeholder.
    ("key-misspelled-in-a-flow-mapping",
     [(C, "{ie: Study, module: General Study,", "{ie: Study, modul: General Study,")],
     (C, "modul:"), "DS022", "did you mean 'module'"),
    ("key-misspelled-in-a-block-mapping", [(C, "    section: C.8.12.99\n", "    sectin: C.8.12.99\n")],
     (C, "sectin"), "DS022", "did you mean 'section'"),
    ("attribute-key-misspelled",
     [(C, "      - attribute: LesionMarkerColor\n", "      - atribute: LesionMarkerColor\n")],
     (C, "atribute"), "DS022", "did you mean 'attribute'"),
    ("type-not-a-type", [(C, "type: 1C", "type: 1X")], (C, "1X"), "DS025", "expected one of '1', '1C'"),
    ("usage-not-a-usage", [(C, "module: General Image, usage: M", "module: General Image, usage: X"),
                           (C, "{ie: Image, module: General Image, usage: X}",
                            "{ie: Image, module: General Image, usage: X, condition: {present: Modality}}")],
     (C, "X, condition"), "DS025", "expected one of 'M', 'U', 'C'"),
    ("amendment-part-not-a-part", [("amendments.yaml", "", "amendments:\n  - part: PS3.99\n    section: C.8.12.1\n"
                                                          "    title: VL Image Module\n    changes:\n"
                                                          "      - {old: Some text., new: Other text.}\n")],
     ("amendments.yaml", "PS3.99"), "DS025", "expected one of 'PS3.1'"),
    ("required-value-of-the-wrong-kind", [(C, "    section: C.8.12.99\n", "    section: [C, 8]\n")],
     (C, "[C, 8]"), "DS024", "section must be a text value, not a list"),
    # An item of a list that cannot be read: the list is not judged as a whole ('parts' lacks PS3.3, no modules).
    ("part-misspelled-in-parts", [(S, "parts: [PS3.3, PS3.4", "parts: [PS3.33, PS3.4")],
     (S, "PS3.33"), "DS025", "did you mean 'PS3.3'?"),
    ("the-only-module-of-an-iod-unreadable",
     [(C, "".join(f"      - {{ie: {ie}, module: {module}, usage: M}}\n" for ie, module in (
         ("Patient", "Patient"), ("Study", "General Study"), ("Series", "General Series"),
         ("Equipment", "General Equipment"), ("Image", "General Image"), ("Image", "Image Pixel"),
         ("Image", "Lesion Marker"), ("Image", "SOP Common"))), "      - Patient\n")],
     (C, "Patient\n\nmodules"), "DS024", "modules[1] must be a mapping of ModuleUse fields"),
]


@pytest.mark.parametrize("edits, at, code, says", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_one_typo_gives_one_finding(tmp_path, edits, at, code, says):
    folder = edited(tmp_path, edits)
    _supplement, findings = lint(folder)
    shown = "\n".join(str(f) for f in findings) or "(no findings)"
    assert len(findings) == 1, f"expected one finding; got:\n{shown}"
    assert (findings[0].code, findings[0].loc) == (code, position(folder, *at)), shown
    assert says in findings[0].message, shown


def test_two_different_misspellings_are_two_findings(tmp_path):
    """Only the same name is reported once: two different typos are two mistakes."""
    folder = edited(tmp_path, [(C, "{attribute: LesionMarkerColor, equals: RED}", "{present: LesionMarkerColr}"),
                               (C, "see {de:LesionMarkerColor}.", "see {de:LesionMarkrColor}.")])
    _supplement, findings = lint(folder)
    assert [f.code for f in findings] == ["DS222", "DS502"]


@pytest.mark.parametrize("ie", ["Multi-Resolution Pyramid", "Frame of Reference", "Spatial Registration"])
def test_information_entities_of_the_current_standard_are_accepted(tmp_path, ie):
    """The IE names come from the baseline's IOD tables, so recent ones (Multi-Resolution Pyramid) pass."""
    folder = edited(tmp_path, [(C, "{ie: Image, module: Lesion Marker, usage: M}",
                                f"{{ie: {ie}, module: Lesion Marker, usage: M}}")])
    _supplement, findings = lint(folder)
    assert [f for f in findings if f.code == "DS237"] == []


def test_an_unknown_information_entity_is_reported_with_the_closest_name(tmp_path):
    folder = edited(tmp_path, [(C, "{ie: Image, module: Lesion Marker, usage: M}",
                                "{ie: Multi-Resolution Pyramd, module: Lesion Marker, usage: M}")])
    _supplement, findings = lint(folder)
    [finding] = [f for f in findings if f.code == "DS237"]
    assert "Multi-Resolution Pyramid" in finding.message


@pytest.mark.parametrize("number", ["0", "-221"])
def test_a_supplement_number_must_be_positive(tmp_path, number):
    folder = edited(tmp_path, [(S, "number: 9999", f"number: {number}")])
    _supplement, findings = lint(folder)
    assert [f.code for f in findings] == ["DS108"], [str(f) for f in findings]


@pytest.mark.parametrize("label, bad", [("TTTT", False), ("ZZZ", False), ('""', True), ("zz", True),
                                        ("A.1", True), ("ABCDE", True)])
def test_an_annex_label_must_be_capital_letters(tmp_path, label, bad):
    folder = edited(tmp_path, [])
    (folder / "annex.yaml").write_text(f"annex:\n  label: {label}\n  title: Widget Use Cases\n  sections:\n"
                                       "    - title: Purpose\n      body: Why widgets are imaged.\n")
    _supplement, findings = lint(folder)
    assert [f.code for f in findings if f.code == "DS345"] == (["DS345"] if bad else []), [str(f) for f in findings]


@pytest.mark.parametrize("values, code", [
    ("{LesionMarkerColor: GREEN, TrackingID: L1}", "DS607"),
    ("{LesionMarkerColor: red, TrackingID: L1}", "DS607"),
    ("{LesionMarkerColor: RED, TrackingID: L1, Rows: 100000, Columns: 100000}", "DS606"),
], ids=["not-enumerated", "wrong-case", "huge-image"])
def test_example_values_that_could_never_make_a_valid_or_drawable_instance(tmp_path, values, code):
    folder = edited(tmp_path, [(C, "values: {LesionMarkerColor: RED, TrackingID: L1}", f"values: {values}")])
    _supplement, findings = lint(folder)
    assert code in [f.code for f in findings], [str(f) for f in findings]


def test_an_example_name_that_cannot_be_a_file_name(tmp_path):
    folder = edited(tmp_path, [(C, "  - name: red-marker\n", f"  - name: {'r' * 300}\n")])
    _supplement, findings = lint(folder)
    assert "DS605" in [f.code for f in findings]
    done_build = build_all([folder], tmp_path / "out")
    assert done_build.errors and not (tmp_path / "out" / "supplement").exists()
