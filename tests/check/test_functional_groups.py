"""Enhanced multi-frame supplements: Functional Group Macros tables, new functional group macros, prose conditions,
explicit labels and new parent sections (the walls 1-3 of issue 15).

``tests/fixtures/enhanced`` uses all of them and yields no finding; each case edits a copy with one fault and
expects a finding located at the fault. Before the format had these fields the clean fixture itself failed to load
(unknown fields ``functional_groups``, ``table``, ``sections``, ``label``) and its prose conditions were refused
(DS221).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.check.rules import check
from build_tools.core.errors import Finding, Severity
from build_tools.core.findingcodes import CODES
from build_tools.load.loader import load_supplement
from minimal_copies import edited as copy_edited, position

ENHANCED = Path(__file__).resolve().parents[1] / "fixtures" / "enhanced"
C = "content.yaml"
E, W = Severity.ERROR, Severity.WARNING


def lint(folder: Path) -> list[Finding]:
    findings: list[Finding] = []
    supplement = load_supplement(folder, findings)
    return findings + check(supplement)


def edited(tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    """A copy of tests/fixtures/enhanced with ``(old, new)`` replacements in content.yaml."""
    return copy_edited(tmp_path, [(C, old, new) for old, new in edits], fixture=ENHANCED, name="enhanced")


def test_enhanced_fixture_lints_clean():
    """Synchronization with a prose condition, an FG table, a new FG macro, labels and parent sections."""
    assert lint(ENHANCED) == []


def test_prose_condition_in_a_supplement_is_allowed_and_kept():
    supplement = load_supplement(ENHANCED, [])
    sync = next(use for use in supplement.iods[0].modules if use.module == "Synchronization")
    assert (sync.condition.named, sync.condition.text) == ("time-synchronized",
                                                           "Required if time synchronization was applied.")


CASES = [
    ("unknown-macro", [("{macro: Pixel Measures,", "{macro: Pixel Measurez,")], "Pixel Measurez",
     "did you mean 'Pixel Measures'", "DS250", E),
    ("module-as-macro", [("{macro: Frame Content,", "{macro: Patient,")], "Patient, usage: U",
     "is a module, not a functional group macro", "DS251", E),
    ("listed-twice", [("{macro: Real World Value Mapping, usage: U}", "{macro: Pixel Measures, usage: U}")],
     "Pixel Measures, usage: U", "already in this IOD", "DS252", E),
    ("with-word-macro", [("{macro: Frame Content,", "{macro: Frame Content Macro,")], "Frame Content Macro",
     "without the word Macro", "DS253", E),
    ("c-without-condition", [("        condition: {named: derived, text: Required if the image or frame has been "
                              "derived from another SOP Instance.}\n", "")],
     "C\n      - macro: Optical", "usage C needs a condition", "DS212", E),
    ("condition-on-m", [("{macro: Pixel Measures, usage: M, placement: shared}",
                         "{macro: Pixel Measures, usage: M, placement: shared, condition: {present: Rows}}")],
     "{present: Rows}", "a condition is given but usage is M", "DS213", E),
    ("otherwise-on-u", [("{macro: Real World Value Mapping, usage: U}",
                         "{macro: Real World Value Mapping, usage: U, otherwise: may be present}")],
     "may be present}", "'otherwise' applies to usage C only", "DS213", E),
    ("module-otherwise-on-m", [("{ie: Patient, module: Patient, usage: M}",
                                "{ie: Patient, module: Patient, usage: M, otherwise: may be present}")],
     "may be present}", "'otherwise' applies to usage C only", "DS213", E),
    ("first-row-not-sequence", [("      - attribute: LesionStackFrameTypeSequence\n        type: \"1\"\n"
                                 "        item_count: one\n",
                                 "      - attribute: Rows\n        type: \"1\"\n")],
     "Rows\n", "must be the macro's sequence attribute", "DS254", E),
    ("sequence-not-one-item", [("        item_count: one\n", "        item_count: one or more\n")],
     "one or more", "give it 'item_count: one'", "DS254", E),
    ("no-multi-frame-module", [("      - {ie: Image, module: Multi-frame Functional Groups, usage: M}\n", "")],
     "- {macro: Pixel Measures", "not the Multi-frame Functional Groups Module", "DS255", W),
    ("placement-in-note", [("{macro: Frame Content, usage: U, placement: per-frame}",
                            "{macro: Frame Content, usage: U, note: Shall not be used as a shared functional group.}")],
     "Shall not be used", "placement: shared", "DS259", W),
    ("bad-table-label", [("table: A.95.1.3-1", "table: A.95.1.3")], "A.95.1.3\n", "is not a table label",
     "DS256", E),
    ("bad-section-label", [("section: A.95\n", "section: A-95\n")], "A-95", "is not a section number", "DS256", E),
    ("same-table-label", [("functional_groups_table: A.95.1.4-1", "functional_groups_table: A.95.1.3-1")],
     "A.95.1.3-1\n    description", "already the label of a table", "DS257", E),
    ("section-twice", [("    section: C.8.95\n", "    section: A.95\n")], "A.95\n    title: Lesion Stack Mod",
     "already new in this supplement", "DS257", E),
    ("parent-of-nothing", [("    section: C.8.95\n", "    section: C.8.96\n")], "C.8.96",
     "nothing new of this supplement lies under Section C.8.96", "DS258", W),
    ("unknown-example-condition", [("{time-synchronized: false, specimen: false",
                                    "{time-synchronised: false, specimen: false")],
     "{time-synchronised", "did you mean 'time-synchronized'", "DS260", W),
    ("one-name-two-texts", [("{named: derived, text: Required if the image",
                             "{named: specimen, text: Required if the image")],
     "Required if the image or frame", "one identifier means one condition", "DS261", E),
    ("annex-label-not-under-parent", [("label: QQQQQ.8.3", "label: QQQQQ.9.3")], "QQQQQ.9.3",
     "is not QQQQQ.8.<number>", "DS346", E),
    ("annex-label-twice", [("    - title: Time series\n", "    - title: Time series\n      label: QQQQQ.7\n")],
     "QQQQQ.7\n      body: Frames over", "already the label of the section", "DS347", E),
    ("annex-label-backwards", [("label: QQQQQ.8.3", "label: QQQQQ.8.0")], "QQQQQ.8.0",
     "does not follow the numbering", "DS348", W),
    ("annex-label-before-previous", [("    - title: Time series\n", "    - title: Time series\n      label: QQQQQ.6\n")],
     "QQQQQ.6", "does not follow the sibling before it (QQQQQ.7)", "DS348", W),
]


@pytest.mark.parametrize("edits, at, says, code, severity", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(tmp_path, edits, at, says, code, severity):
    folder = edited(tmp_path, edits)
    findings = lint(folder)
    loc = position(folder, C, at)
    shown = "\n".join(str(f) for f in findings) or "(no findings)"
    assert any(f.loc == loc and says in f.message and f.code == code and f.severity is severity
               for f in findings), f"expected {code} at {loc} saying {says!r}; got:\n{shown}"
    assert all(f.code in CODES for f in findings)


def test_annex_labels_number_on_from_an_explicit_one():
    from build_tools.core.numbering import walk
    supplement = load_supplement(ENHANCED, [])
    labels = [label for _s, label, *_rest in walk(supplement.annex.sections, supplement.annex.label)]
    assert labels == ["QQQQQ.7", "QQQQQ.8", "QQQQQ.8.3"]


def test_baseline_functional_group_macro_found_without_its_word_macro():
    """The baseline keeps "Macro" where a module has the same name (Real World Value Mapping)."""
    from build_tools.standard.index import Index
    supplement = load_supplement(ENHANCED, [])
    index = Index(supplement)
    assert index.functional_group_macro("Real World Value Mapping").section == "C.7.6.16.2.11"
    assert index.module("Real World Value Mapping").section == "C.25.2"  # the module keeps its name
    assert index.functional_group_macro("Patient") is None
