"""spec/dermoscopy carries every fact of the working group's reference sheet (dermoscopy-facts.md).

The expected values below are the reference sheet's, written out; the spec is loaded with the real loader and read
through the same lookups that the renderers use, and checked against pydicom where pydicom knows the element or UID.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.datadict import DicomDictionary, keyword_dict
from pydicom.uid import UID_dictionary

from build_tools.core.tags import parse_tag
from build_tools.standard.index import element_keyword, uid_keyword
from build_tools.core.model import Attribute, Include

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "dermoscopy"

IOD_NAME = "Dermoscopic Photography Image"

#: Table A.32.11-1: IE, module, section of the module, usage.
MODULE_ROWS = [
    ("Patient", "Patient", "C.7.1.1", "M"),
    ("Patient", "Clinical Trial Subject", "C.7.1.3", "U"),
    ("Study", "General Study", "C.7.2.1", "M"),
    ("Study", "Patient Study", "C.7.2.2", "U"),
    ("Study", "Clinical Trial Study", "C.7.2.3", "U"),
    ("Series", "General Series", "C.7.3.1", "M"),
    ("Series", "Clinical Trial Series", "C.7.3.2", "U"),
    ("Equipment", "General Equipment", "C.7.5.1", "M"),
    ("Equipment", "Enhanced General Equipment", "C.7.5.2", "M"),
    ("Equipment", "VL Photographic Equipment", "C.8.12.10", "U"),
    ("Acquisition", "General Acquisition", "C.7.10.1", "M"),
    ("Image", "General Image", "C.7.6.1", "M"),
    ("Image", "General Reference", "C.12.4", "U"),
    ("Image", "Image Pixel", "C.7.6.3", "M"),
    ("Image", "Acquisition Context", "C.7.6.14", "M"),
    ("Image", "VL Image", "C.8.12.1", "M"),
    ("Image", "VL Photographic Acquisition", "C.8.12.11", "U"),
    ("Image", "Dermoscopic Image", "C.8.12.13", "M"),
    ("Image", "ICC Profile", "C.11.15", "U"),
    ("Image", "SOP Common", "C.12.1", "M"),
    ("Image", "Common Instance Reference", "C.12.2", "U"),
]

#: Table C.8.12.13-1: keyword, tag, VR, VM, Type, Enumerated Values, condition (as the model's fields).
ATTRIBUTES = [
    ("RecognizableVisualFeatures", "(0028,0302)", "CS", "1", "1", ["YES", "NO"], None),
    ("LightSourcePolarization", "(0016,1001)", "CS", "1", "2", ["POLARIZED", "NON_POLARIZED"], None),
    ("EmitterColorTemperature", "(0016,1002)", "DS", "1", "2", [], None),
    ("ContactMethod", "(0016,1003)", "CS", "1", "2", ["CONTACT", "NON_CONTACT"], None),
    ("ImmersionMedia", "(0016,1004)", "CS", "1-n", "2C",
     ["ULTRASOUND_GEL", "ALCOHOL", "WATER", "MINERAL_OIL", "PLASTIC_CAP"],
     {"attribute": "ContactMethod", "equals": "CONTACT"}),
    ("OpticalMagnificationFactor", "(0016,1005)", "DS", "1", "2", [], None),
    ("PartialView", "(0028,1350)", "CS", "1", "3", ["YES", "NO"], None),
    ("PartialViewDescription", "(0028,1351)", "ST", "1", "3", [], None),
    ("TrackingID", "(0062,0020)", "UT", "1", "1C", [], {"present": "TrackingUID"}),
    ("TrackingUID", "(0062,0021)", "UI", "1", "1C", [], {"present": "TrackingID"}),
]

#: PS3.6: the five new data elements (tag, name, keyword, VR, VM).
NEW_ELEMENTS = [
    ("(0016,1001)", "Light Source Polarization", "LightSourcePolarization", "CS", "1"),
    ("(0016,1002)", "Emitter Color Temperature", "EmitterColorTemperature", "DS", "1"),
    ("(0016,1003)", "Contact Method", "ContactMethod", "CS", "1"),
    ("(0016,1004)", "Immersion Media", "ImmersionMedia", "CS", "1-n"),
    ("(0016,1005)", "Optical Magnification Factor", "OpticalMagnificationFactor", "DS", "1"),
]

REUSED_ELEMENTS = ["RecognizableVisualFeatures", "PartialView", "PartialViewDescription", "TrackingID", "TrackingUID"]

SOP_UID = "1.2.840.10008.5.1.4.1.1.77.1.7"
SOP_NAME = "Dermoscopic Photography Image Storage"
SOP_KEYWORD = "DermoscopicPhotographyImageStorage"

CID_ADDITIONS = {29: "Acquisition Modality", 30: "DICOM Devices", 33: "Modality"}


@pytest.fixture(scope="module")
def iod(supplement):
    found = [i for i in supplement.iods if i.name == IOD_NAME]
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def module(index, supplement):
    found = index.module("Dermoscopic Image")
    assert found is not None and index.is_new_module(found)
    return found


def condition_dict(condition) -> dict | None:
    """The fields written in a condition, as a plain dict (``None`` for no condition)."""
    if condition is None:
        return None
    out = {}
    for name in ("present", "absent", "attribute", "equals", "one_of", "value_index", "named"):
        value = getattr(condition, name)
        if value is not None:
            out[name] = value
    assert condition.all is None and condition.any is None and condition.not_ is None
    return out


# --- loading ----------------------------------------------------------------------------------------------------


def test_loads_without_findings(loaded):
    _supplement, findings = loaded
    assert findings == [], "\n".join(str(f) for f in findings)


def test_identity(supplement):
    assert supplement.number == 221
    assert supplement.title == "Dermoscopy"
    assert "WG-19" in supplement.working_group and "Dermatologic" in supplement.working_group
    assert supplement.secretariat == "International Dermoscopy Society"
    assert supplement.parts == ["PS3.3", "PS3.4", "PS3.6", "PS3.16", "PS3.17"]
    assert supplement.scope.text.strip()


def test_open_points_are_closed_issues(supplement):
    questions = " ".join(i.question.text for i in supplement.closed_issues)
    assert "Frame of Reference" in questions
    assert "4029" in questions
    assert all(i.resolution.text.strip() for i in supplement.closed_issues)


# --- PS3.3: the IOD ---------------------------------------------------------------------------------------------


def test_iod_section_and_table(iod):
    assert iod.section == "A.32.11"
    assert f"{iod.section}-1" == "A.32.11-1"
    assert iod.single_frame is True
    assert iod.description.text.strip()


def test_iod_module_rows(iod, index):
    rows = [(m.ie, m.module, index.module(m.module).section if index.module(m.module) else None, m.usage)
            for m in iod.modules]
    assert rows == MODULE_ROWS
    assert all(m.condition is None for m in iod.modules), "no usage carries a condition"
    assert "Frame of Reference" not in [m.module for m in iod.modules]


def test_iod_modules_are_known(iod, index):
    for use in iod.modules:
        found = index.module(use.module)
        assert found is not None, use.module
        assert found.kind == "module", use.module


def test_modality_constraint(iod):
    constraints = [c for c in iod.constraints if c.attribute == "Modality"]
    assert len(constraints) == 1
    assert constraints[0].module == "General Series"
    assert constraints[0].values == ["DMS"]
    # Said once: the Enumerated Value is the constraint; no description repeats it.
    assert constraints[0].description is None


def test_iod_text_as_published(iod):
    """The E-R text names no retired entity (Curve); nothing the published IOD lacks is said."""
    assert "Curve" not in iod.entity_relationship.text


# --- PS3.3: the Dermoscopic Image Module --------------------------------------------------------------------------


def test_module_section(module):
    assert module.section == "C.8.12.13"
    assert module.kind == "module"
    assert (module.table or f"{module.section}-1") == "C.8.12.13-1"


def test_module_attributes(module, index):
    rows = [r for r in module.attributes if isinstance(r, Attribute)]
    assert not [r for r in module.attributes if isinstance(r, Include)]
    assert [r.attribute for r in rows] == [a[0] for a in ATTRIBUTES]
    for row, (keyword, tag, vr, vm, type_, values, condition) in zip(rows, ATTRIBUTES):
        element = index.element(keyword)
        assert element is not None, keyword
        assert element.tag_text == tag, keyword
        assert element.vr == vr, keyword
        assert element.vm == vm, keyword
        assert row.type == type_, keyword
        assert [v.value for v in row.enumerated_values] == values, keyword
        # Published as values only, without meanings.
        assert all(v.meaning is None for v in row.enumerated_values), keyword
        assert not row.defined_terms, keyword
        assert condition_dict(row.condition) == condition, keyword
        assert row.description.text.strip(), keyword
        if condition is not None:
            assert row.otherwise == "absent", keyword


# --- PS3.6: data elements and the UID ---------------------------------------------------------------------------


def test_new_data_elements(supplement):
    written = [(d.tag, d.name, element_keyword(d), d.vr, d.vm) for d in supplement.data_elements]
    assert written == NEW_ELEMENTS
    assert not any(d.retired for d in supplement.data_elements)


@pytest.mark.parametrize("tag, name, keyword, vr, vm", NEW_ELEMENTS)
def test_new_data_elements_agree_with_pydicom(tag, name, keyword, vr, vm):
    number = parse_tag(tag)
    if number not in DicomDictionary:
        pytest.skip(f"pydicom does not know {tag}")
    entry_vr, entry_vm, entry_name, retired, entry_keyword = DicomDictionary[number]
    assert (entry_vr, entry_vm, entry_name, entry_keyword) == (vr, vm, name, keyword)
    assert not retired


@pytest.mark.parametrize("keyword", REUSED_ELEMENTS)
def test_reused_elements_come_from_the_standard(keyword, index):
    element = index.element(keyword)
    assert element is not None and not element.new
    assert keyword_dict[keyword] == element.tag


@pytest.mark.parametrize("keyword, tag, vr, vm", [a[:4] for a in ATTRIBUTES])
def test_module_elements_agree_with_pydicom(keyword, tag, vr, vm):
    number = parse_tag(tag)
    if number not in DicomDictionary:
        pytest.skip(f"pydicom does not know {tag}")
    entry_vr, entry_vm, _name, _retired, entry_keyword = DicomDictionary[number]
    assert (entry_vr, entry_vm, entry_keyword) == (vr, vm, keyword)


def test_uid(supplement, index):
    assert len(supplement.uids) == 1
    uid = supplement.uids[0]
    assert uid.value == SOP_UID
    assert uid.name == SOP_NAME
    assert uid_keyword(uid) == SOP_KEYWORD
    assert uid.type == "SOP Class"
    assert uid.part == "PS3.4"
    assert not uid.retired
    assert index.uid(SOP_KEYWORD) is uid


def test_uid_agrees_with_pydicom(supplement):
    entry = UID_dictionary.get(SOP_UID)
    if entry is None:
        pytest.skip("pydicom does not know the SOP Class UID")
    name, kind, _info, retired, keyword = entry
    assert (name, kind, keyword) == (SOP_NAME, "SOP Class", SOP_KEYWORD)
    neighbour = UID_dictionary.get("1.2.840.10008.5.1.4.1.1.77.1.6")
    assert neighbour is not None and neighbour[0] == "VL Whole Slide Microscopy Image Storage"


# --- PS3.4 ------------------------------------------------------------------------------------------------------


def test_sop_class(supplement, index):
    assert len(supplement.sop_classes) == 1
    sop = supplement.sop_classes[0]
    assert sop.uid == SOP_KEYWORD
    assert sop.iod == IOD_NAME
    assert index.iod(sop.iod) is not None
    assert index.uid(sop.uid).value == SOP_UID


# --- PS3.16 -----------------------------------------------------------------------------------------------------


def test_code(supplement, index):
    code = index.code("DCM", "DMS")
    assert code is not None
    assert code.meaning == "Dermoscopy"
    assert code.definition is not None and code.definition.text.strip()
    assert len(supplement.codes) == 1


def test_cid_additions(supplement, index):
    additions = {a.cid: a for a in supplement.context_group_additions}
    assert set(additions) == set(CID_ADDITIONS)
    for cid, name in CID_ADDITIONS.items():
        assert additions[cid].name == name
        rows = [(r.scheme, r.value, index.code_meaning(r.scheme, r.value, r.meaning)) for r in additions[cid].rows]
        assert rows == [("DCM", "DMS", "Dermoscopy")]
    assert not supplement.context_groups


# --- changes to existing text -----------------------------------------------------------------------------------


def test_amendment_targets(supplement):
    targets = {(a.part, a.section, a.title) for a in supplement.amendments}
    assert ("PS3.3", "C.8.12.1", "VL Image Module") in targets
    assert any(part == "PS3.3" and section == "C.7.3.1.1.1" for part, section, _title in targets)


def test_vl_image_amendment_inserts_dms(supplement):
    amendment = next(a for a in supplement.amendments if a.section == "C.8.12.1")
    changed = [c for c in amendment.changes if c.old is not None and c.new is not None]
    assert changed
    assert any("Dermoscopy (DMS)" in c.new.text and "Dermoscopy (DMS)" not in c.old.text for c in changed)


def test_modality_amendment_adds_dms(supplement):
    amendment = next(a for a in supplement.amendments if a.section == "C.7.3.1.1.1")
    lists = [c.terms for c in amendment.changes if c.terms is not None]
    assert len(lists) == 1 and lists[0].title == "Defined Terms"
    added = [(t.value, t.meaning.text) for t in lists[0].entries if t.change == "added"]
    assert added == [("DMS", "Dermoscopy")]
    assert [t for t in lists[0].entries if t.change == "unchanged"], "context terms are shown"
    assert any(c.ellipsis for c in amendment.changes)


# --- PS3.17 and examples ----------------------------------------------------------------------------------------


def test_module_as_published(module):
    """Normative statements stay normative; the module has no attribute-description subsections, as in the
    standard, so no description points at one."""
    by_keyword = {r.attribute: r for r in module.attributes if isinstance(r, Attribute)}
    features = by_keyword["RecognizableVisualFeatures"]
    assert features.notes is None
    assert "shall have the value {value:YES}" in features.description.text
    assert "fingerprints" in features.description.text
    partial = by_keyword["PartialView"].description.text
    assert "is absent" in partial and "may be a partial view or may not be" in partial
    assert module.attribute_descriptions == []
    assert not [k for k, r in by_keyword.items() if "{section:" in r.description.text]


US_SPELLING = {"colour": "color", "millimetre": "millimeter", "centimetre": "centimeter", "naevi": "nevi",
               "organisation": "organization", "behaviour": "behavior", "analyse": "analyze", "grey": "gray",
               "recognise": "recognize", "polarise": "polarize", "optimise": "optimize", "licence": "license"}


@pytest.mark.parametrize("name", ["annex.yaml", "iods.yaml", "modules.yaml", "supplement.yaml", "codes.yaml",
                                  "context-groups.yaml", "uids.yaml", "data-elements.yaml"])
def test_us_english(name):
    text = (SPEC / name).read_text(encoding="utf-8").lower()
    assert [british for british in US_SPELLING if british in text] == []


def test_annex(supplement):
    annex = supplement.annex
    assert annex is not None and annex.title == "Dermoscopy"
    # The label the annex has in PS3.17 today; ZZZ is an existing annex of PS3.17.
    assert annex.label == "TTTT"
    text = " ".join(_annex_text(annex.sections))
    for needle in ("{de:PixelSpacing}", "millimeter scale", "{de:TrackingID}", "{de:TrackingUID}", "overview"):
        assert needle in text
    for section in _annex_sections(annex.sections):
        for figure in section.figures:
            assert (SPEC / figure.file).is_file(), figure.file


def _annex_sections(sections):
    for section in sections:
        yield section
        yield from _annex_sections(section.sections)


def _annex_text(sections):
    for section in _annex_sections(sections):
        if section.body is not None:
            yield section.body.text


def test_examples_cover_every_branch(supplement):
    examples = supplement.examples
    assert all(e.iod == IOD_NAME for e in examples)
    media = [e.values.get("ImmersionMedia") for e in examples]
    assert ["ULTRASOUND_GEL"] in media or "ULTRASOUND_GEL" in media
    assert any(isinstance(m, list) and len(m) > 1 for m in media)
    non_contact = [e for e in examples if e.values.get("ContactMethod") == "NON_CONTACT"]
    assert non_contact and all("ImmersionMedia" in e.values and e.values["ImmersionMedia"] is None
                               for e in non_contact)
    assert {e.values.get("LightSourcePolarization") for e in examples} >= {"POLARIZED", "NON_POLARIZED"}
    assert any(e.values.get("PartialView") == "YES" and e.values.get("PartialViewDescription") for e in examples)
    assert any(e.values.get("TrackingID") and e.values.get("TrackingUID") for e in examples)
    contact = [e for e in examples if e.values.get("ContactMethod") == "CONTACT"]
    assert contact and all(e.values.get("ImmersionMedia") for e in contact)


def test_spec_lints_clean_strictly():
    """The reference supplement has neither errors nor warnings (``dicomsup lint --strict`` is clean)."""
    from build_tools.build import lint

    from build_tools.core.errors import Severity

    _supplement, findings = lint(SPEC)
    # Notes (e.g. "already in the standard", as the standard holds Sup 221 today) fail nothing, not even --strict.
    assert [str(f) for f in findings if f.severity != Severity.NOTE] == []


def test_committed_output_is_what_the_spec_builds():
    """``dicomsup check`` on the repository: output/ is exactly what a fresh build of spec/ writes.

    The README and the docs promise that CI runs this; CI runs the test suite, so the promise is kept here.
    When it fails, run ``dicomsup build`` and commit output/ with the spec.
    """
    from build_tools.build import check_outputs
    from build_tools.load.folders import discover

    report, problems = check_outputs(discover(ROOT / "spec"), ROOT / "output", {})
    assert not report.errors, [str(f) for f in report.findings]
    assert problems == [], "output/ is stale; run dicomsup build:\n" + "\n".join(problems)
