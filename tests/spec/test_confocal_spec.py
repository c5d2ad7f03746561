"""spec/confocal carries the facts of Supplement 236 that the reference sheet (confocal-facts.md) established.

The expected values below are the reference sheet's, written out: the two IOD module tables and functional group
tables (PS3.3 A.90.1 and A.90.2, from innolitics and the published Table A.90.2.5-1), the confirmed rows of the new
modules, the four data elements, the two SOP Classes and the PS3.16 additions. The spec is loaded with the real
loader and read through the lookups the renderers use, and checked against pydicom where pydicom knows the entry.
Nothing here depends on build output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.datadict import DicomDictionary, keyword_dict
from pydicom.sr import _cid_dict
from pydicom.uid import UID_dictionary

from build_tools.core.model import Attribute, Include
from build_tools.core.tags import parse_tag
from build_tools.standard.index import (element_keyword, functional_groups_table, iod_table, module_table,
                                        uid_keyword)

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "confocal"

SIMPLE = "Confocal Microscopy Image"
TILED = "Confocal Microscopy Tiled Pyramidal Image"

# Prose conditions (the standard's wording) and the structured one, as the model's fields.
SYNC = {"named": "time-synchronized", "text": "Required if time synchronization was applied."}
SPECIMEN = {"named": "specimen", "text": "Required if the Imaging Subject is a Specimen."}
CUTANEOUS = {"named": "cutaneous", "text": "Required for cutaneous confocal microscopy."}
EXTRACTION = {"named": "frame-extraction",
              "text": "Required if the SOP Instance was created in response to a Frame-Level retrieve request."}
SLIDE_MICROSCOPY = {"named": "slide-microscopy", "text": "Required for slide microscopy imaging."}
DERIVED = {"named": "derived", "text": "Required if the image or frame has been derived from another SOP Instance."}
PLANNED = {"named": "planned", "text": "Required if the image or frame has been planned on another image or frame."}
SLIDE_COORDINATES = {"named": "slide-coordinates",
                     "text": "Required if the Frame of Reference is defined in the Slide Coordinate System."}
NOT_TILED_FULL = {"not": {"attribute": "DimensionOrganizationType", "equals": "TILED_FULL"}}

#: Table A.90.1.3-1: IE, module, section of the module, usage, condition, otherwise.
SIMPLE_MODULES = [
    ("Patient", "Patient", "C.7.1.1", "M", None, "absent"),
    ("Patient", "Clinical Trial Subject", "C.7.1.3", "U", None, "absent"),
    ("Study", "General Study", "C.7.2.1", "M", None, "absent"),
    ("Study", "Patient Study", "C.7.2.2", "U", None, "absent"),
    ("Study", "Clinical Trial Study", "C.7.2.3", "U", None, "absent"),
    ("Series", "General Series", "C.7.3.1", "M", None, "absent"),
    ("Series", "Clinical Trial Series", "C.7.3.2", "U", None, "absent"),
    ("Frame of Reference", "Frame of Reference", "C.7.4.1", "M", None, "absent"),
    ("Frame of Reference", "Synchronization", "C.7.4.2", "C", SYNC, "absent"),
    ("Equipment", "General Equipment", "C.7.5.1", "M", None, "absent"),
    ("Equipment", "Enhanced General Equipment", "C.7.5.2", "M", None, "absent"),
    ("Acquisition", "General Acquisition", "C.7.10.1", "M", None, "absent"),
    ("Image", "General Image", "C.7.6.1", "M", None, "absent"),
    ("Image", "General Reference", "C.12.4", "U", None, "absent"),
    ("Image", "Image Pixel", "C.7.6.3", "M", None, "absent"),
    ("Image", "Multi-frame Functional Groups", "C.7.6.16", "M", None, "absent"),
    ("Image", "Multi-frame Dimension", "C.7.6.17", "M", None, "absent"),
    ("Image", "Specimen", "C.7.6.22", "C", SPECIMEN, "absent"),
    ("Image", "Acquisition Context", "C.7.6.14", "M", None, "absent"),
    ("Image", "Confocal Microscopy Image", "C.8.35.1", "M", None, "absent"),
    ("Image", "Cutaneous Confocal Microscopy Image Acquisition Parameters", "C.8.35.3", "C", CUTANEOUS, "absent"),
    ("Image", "Optical Path", "C.8.12.5", "M", None, "absent"),
    ("Image", "SOP Common", "C.12.1", "M", None, "absent"),
    ("Image", "Common Instance Reference", "C.12.2", "U", None, "absent"),
    ("Image", "Frame Extraction", "C.12.3", "C", EXTRACTION, "absent"),
]

#: Table A.90.2.3-1: the simple IOD's rows plus the pyramid, the tile organization and the tiled module.
TILED_MODULES = (
    SIMPLE_MODULES[:12]
    + [("Multi-Resolution Pyramid", "Multi-Resolution Pyramid", "C.7.11.1", "U", None, "absent")]
    + SIMPLE_MODULES[12:14]
    + [("Image", "Microscope Slide Layer Tile Organization", "C.8.12.14", "C", SLIDE_MICROSCOPY, "may be present")]
    + SIMPLE_MODULES[14:20]
    + [("Image", "Confocal Microscopy Tiled Pyramidal Image", "C.8.35.2", "M", None, "absent")]
    + SIMPLE_MODULES[20:]
)

#: Table A.90.1.4-1: macro, section, usage, condition, otherwise, placement.
SIMPLE_GROUPS = [
    ("Pixel Measures", "C.7.6.16.2.1", "M", None, "absent", "either"),
    ("Derivation Image", "C.7.6.16.2.6", "C", DERIVED, "absent", "either"),
    ("Optical Path Identification", "C.8.12.6.2", "C", NOT_TILED_FULL, "may be present", "either"),
    ("Referenced Image", "C.7.6.16.2.5", "C", PLANNED, "may be present", "either"),
    ("Frame Content", "C.7.6.16.2.2", "U", None, "absent", "either"),
    ("Real World Value Mapping", "C.7.6.16.2.11", "U", None, "absent", "either"),
    ("Plane Position (Slide)", "C.8.12.6.1", "C", SLIDE_COORDINATES, "absent", "either"),
    ("Confocal Microscopy Image Frame Type", "C.8.35.4.1", "M", None, "absent", "either"),
    ("Frame Anatomy", "C.7.6.16.2.8", "M", None, "absent", "either"),
]

#: Table A.90.2.5-1 (published): Specimen Reference added; Pixel Measures shared, Frame Content per-frame.
TILED_GROUPS = [
    ("Pixel Measures", "C.7.6.16.2.1", "M", None, "absent", "shared"),
    SIMPLE_GROUPS[1],
    SIMPLE_GROUPS[2],
    ("Specimen Reference", "C.8.12.6.3", "U", None, "absent", "either"),
    SIMPLE_GROUPS[3],
    ("Frame Content", "C.7.6.16.2.2", "U", None, "absent", "per-frame"),
    *SIMPLE_GROUPS[5:],
]

#: Module rows: keyword, tag, VR, VM, Type, Enumerated Values, Defined Terms, condition.
CONFOCAL_IMAGE_ROWS = [
    ("ImageType", "(0008,0008)", "CS", "2-n", "1", [], [], None),
    ("PhotometricInterpretation", "(0028,0004)", "CS", "1", "1", [], [], None),
    ("BitsAllocated", "(0028,0100)", "US", "1", "1", [], [], None),
    ("BitsStored", "(0028,0101)", "US", "1", "1", [], [], None),
    ("HighBit", "(0028,0102)", "US", "1", "1", [], [], None),
    ("PixelRepresentation", "(0028,0103)", "US", "1", "1", [], [], None),
    ("SamplesPerPixel", "(0028,0002)", "US", "1", "1", [], [], None),
    ("ConfocalMode", "(0048,0114)", "CS", "1", "1", ["REFLECTANCE", "FLUORESCENCE"], [], None),
    ("TissueLocation", "(0048,0115)", "CS", "1", "1", ["IN_VIVO", "EX_VIVO"], [], None),
]
TILED_IMAGE_ROWS = [
    ("DimensionOrganizationType", "(0020,9311)", "CS", "1", "1", ["TILED_FULL", "TILED_SPARSE"], [], None),
]
CUTANEOUS_ROWS = [
    ("OpticalMagnificationFactor", "(0016,1005)", "DS", "1", "2", [], [], None),
    ("ImageAcquisitionDepth", "(0048,0117)", "FD", "1", "2", [], [], None),
    ("FieldOfViewShape", "(0018,1147)", "CS", "1", "2", [], ["RECTANGLE"], None),
    ("FieldOfViewDimensions", "(0018,1149)", "IS", "1-2", "2", [], [], None),
    ("TrackingID", "(0062,0020)", "UT", "1", "1C", [], [], {"present": "TrackingUID"}),
    ("TrackingUID", "(0062,0021)", "UI", "1", "1C", [], [], {"present": "TrackingID"}),
]
MODULES = {
    "Confocal Microscopy Image": ("C.8.35.1", "C.8.35.1-1", CONFOCAL_IMAGE_ROWS),
    "Confocal Microscopy Tiled Pyramidal Image": ("C.8.35.2", "C.8.35.2-1", TILED_IMAGE_ROWS),
    "Cutaneous Confocal Microscopy Image Acquisition Parameters": ("C.8.35.3", "C.8.35.3-1", CUTANEOUS_ROWS),
}

#: PS3.6: the four new data elements (tag, name, keyword, VR, VM).
NEW_ELEMENTS = [
    ("(0048,0114)", "Confocal Mode", "ConfocalMode", "CS", "1"),
    ("(0048,0115)", "Tissue Location", "TissueLocation", "CS", "1"),
    ("(0048,0116)", "Confocal Microscopy Image Frame Type Sequence", "ConfocalMicroscopyImageFrameTypeSequence",
     "SQ", "1"),
    ("(0048,0117)", "Image Acquisition Depth", "ImageAcquisitionDepth", "FD", "1"),
]

#: PS3.6 Table A-1 / PS3.4 B.5: value, name, keyword, IOD.
SOP_CLASSES = [
    ("1.2.840.10008.5.1.4.1.1.77.1.8", "Confocal Microscopy Image Storage", "ConfocalMicroscopyImageStorage",
     SIMPLE),
    ("1.2.840.10008.5.1.4.1.1.77.1.9", "Confocal Microscopy Tiled Pyramidal Image Storage",
     "ConfocalMicroscopyTiledPyramidalImageStorage", TILED),
]

CID_ADDITIONS = {29: "Acquisition Modality", 30: "DICOM Devices", 33: "Modality"}


def _iod(supplement, name):
    found = [i for i in supplement.iods if i.name == name]
    assert len(found) == 1, name
    return found[0]


def condition_dict(condition) -> dict | None:
    """The fields written in a condition, as a plain dict (``None`` for no condition); ``not`` nests."""
    if condition is None:
        return None
    out = {}
    for name in ("present", "absent", "attribute", "equals", "one_of", "value_index", "named", "text"):
        value = getattr(condition, name)
        if value is not None:
            out[name] = value
    if condition.not_ is not None:
        out["not"] = condition_dict(condition.not_)
    assert condition.all is None and condition.any is None
    return out


# --- loading and front matter -------------------------------------------------------------------------------------


def test_loads_without_findings(loaded):
    _supplement, findings = loaded
    assert findings == [], "\n".join(str(f) for f in findings)


def test_identity(supplement):
    assert supplement.number == 236
    assert supplement.title == "Confocal Microscopy"
    assert "WG-19" in supplement.working_group
    assert supplement.parts == ["PS3.3", "PS3.4", "PS3.6", "PS3.16", "PS3.17"]
    assert supplement.scope.text.strip()


def test_unconfirmed_facts_are_open_issues(supplement):
    """What the sources did not confirm is said, not silently encoded."""
    questions = " ".join(i.question.text for i in supplement.open_issues)
    for needle in ("Confocal Mode", "C.8.35.1.1.1", "Tiled Pyramidal Image", "Frame Type Macro", "A.90.1.4-1",
                   "Multi-Resolution Pyramid", "Modality", "C.8.35.3.1.1", "CID 4412", "BBBBB.7"):
        assert needle in questions, needle
    assert all(i.resolution is not None and i.resolution.text.strip() for i in supplement.open_issues)


def test_parent_sections(supplement):
    sections = [(s.part, s.section, s.title) for s in supplement.sections]
    assert sections == [
        ("PS3.3", "A.90", "Confocal Microscopy Image IODs"),
        ("PS3.3", "C.8.35", "Confocal Microscopy Image Modules"),
        ("PS3.3", "C.8.35.4", "Confocal Microscopy Functional Group Macros"),
    ]
    assert all(s.body is not None and s.body.text.strip() for s in supplement.sections)


# --- PS3.3: the IODs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, section, table, groups_table", [
    (SIMPLE, "A.90.1", "A.90.1.3-1", "A.90.1.4-1"),
    (TILED, "A.90.2", "A.90.2.3-1", "A.90.2.5-1"),
])
def test_iod_labels(supplement, name, section, table, groups_table):
    iod = _iod(supplement, name)
    assert iod.section == section
    assert iod_table(iod) == table
    assert functional_groups_table(iod) == groups_table
    assert not iod.single_frame
    assert iod.description.text.strip() and iod.entity_relationship.text.strip()
    assert "{section:A.1.2}" in iod.entity_relationship.text


@pytest.mark.parametrize("name, expected", [(SIMPLE, SIMPLE_MODULES), (TILED, TILED_MODULES)])
def test_iod_module_rows(supplement, index, name, expected):
    iod = _iod(supplement, name)
    rows = [(m.ie, m.module, index.module(m.module).section if index.module(m.module) else None, m.usage,
             condition_dict(m.condition), m.otherwise) for m in iod.modules]
    assert rows == expected
    assert all((m.usage == "C") == (m.condition is not None) for m in iod.modules)


@pytest.mark.parametrize("name, expected", [(SIMPLE, SIMPLE_GROUPS), (TILED, TILED_GROUPS)])
def test_iod_functional_group_rows(supplement, index, name, expected):
    iod = _iod(supplement, name)
    rows = []
    for use in iod.functional_groups:
        macro = index.functional_group_macro(use.macro)
        # The baseline builds its functional group macros as kind "macro"; the supplement's own says so.
        assert macro is not None and macro.kind in ("macro", "functional group macro"), use.macro
        rows.append((use.macro, macro.section, use.usage, condition_dict(use.condition), use.otherwise,
                     use.placement))
    assert rows == expected


def test_real_world_value_mapping_restriction_is_noted(supplement):
    use = next(u for u in _iod(supplement, TILED).functional_groups if u.macro == "Real World Value Mapping")
    assert use.note is not None and "{value:MONOCHROME2}" in use.note.text


def test_prose_conditions_agree_between_iods(supplement):
    """The same ``named`` identifier always carries the same text (variants choose it once per IOD)."""
    texts: dict[str, set[str]] = {}
    for iod in supplement.iods:
        for use in list(iod.modules) + list(iod.functional_groups):
            if use.condition is not None and use.condition.named:
                texts.setdefault(use.condition.named, set()).add(use.condition.text)
    assert texts and all(len(t) == 1 for t in texts.values()), texts


def test_no_constraints_without_a_source(supplement):
    assert all(not iod.constraints for iod in supplement.iods)


# --- PS3.3: the new modules and the functional group macro ------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_rows(index, name):
    section, table, expected = MODULES[name]
    module = index.module(name)
    assert module is not None and index.is_new_module(module)
    assert module.kind == "module"
    assert module.section == section and module_table(module) == table
    assert not [r for r in module.attributes if isinstance(r, Include)]
    rows = [r for r in module.attributes if isinstance(r, Attribute)]
    assert [r.attribute for r in rows] == [e[0] for e in expected]
    for row, (keyword, tag, vr, vm, type_, enumerated, defined, condition) in zip(rows, expected):
        element = index.element(keyword)
        assert element is not None, keyword
        assert (element.tag_text, element.vr, element.vm) == (tag, vr, vm), keyword
        assert row.type == type_, keyword
        assert [v.value for v in row.enumerated_values] == enumerated, keyword
        assert [v.value for v in row.defined_terms] == defined, keyword
        assert all(v.meaning is not None and v.meaning.text.strip()
                   for v in row.enumerated_values + row.defined_terms), keyword
        assert condition_dict(row.condition) == condition, keyword
        assert row.description.text.strip(), keyword


@pytest.mark.parametrize("name, titles", [
    ("Confocal Microscopy Image", ["Image Type"]),
    ("Cutaneous Confocal Microscopy Image Acquisition Parameters", ["Image Acquisition Depth"]),
])
def test_attribute_descriptions(index, name, titles):
    """C.8.35.1.1.1 and C.8.35.3.1.1, which the rows point at."""
    module = index.module(name)
    assert [d.title for d in module.attribute_descriptions] == titles
    target = "{section:" + f"{module.section}.1.1" + "}"
    assert any(target in r.description.text for r in module.attributes if isinstance(r, Attribute))


def test_frame_type_macro(index):
    macro = index.functional_group_macro("Confocal Microscopy Image Frame Type")
    assert macro is not None and index.is_new_module(macro)
    assert macro.kind == "functional group macro"
    assert macro.section == "C.8.35.4.1" and module_table(macro) == "C.8.35.4.1-1"
    assert len(macro.attributes) == 1
    sequence = macro.attributes[0]
    assert sequence.attribute == "ConfocalMicroscopyImageFrameTypeSequence"
    assert sequence.type == "1" and sequence.item_count == "one"
    assert index.element(sequence.attribute).vr == "SQ"
    assert [(i.attribute, i.type) for i in sequence.items] == [("FrameType", "1")]


# --- PS3.6 and PS3.4 ----------------------------------------------------------------------------------------------


def test_new_data_elements(supplement):
    written = [(d.tag, d.name, element_keyword(d), d.vr, d.vm) for d in supplement.data_elements]
    assert written == NEW_ELEMENTS
    assert not any(d.retired for d in supplement.data_elements)


@pytest.mark.parametrize("tag, name, keyword, vr, vm", NEW_ELEMENTS)
def test_new_data_elements_agree_with_pydicom(tag, name, keyword, vr, vm):
    entry_vr, entry_vm, entry_name, retired, entry_keyword = DicomDictionary[parse_tag(tag)]
    assert (entry_vr, entry_vm, entry_name, entry_keyword) == (vr, vm, name, keyword)
    assert not retired


@pytest.mark.parametrize("keyword, tag, vr, vm", [r[:4] for rows in (CONFOCAL_IMAGE_ROWS, TILED_IMAGE_ROWS,
                                                                    CUTANEOUS_ROWS) for r in rows])
def test_module_elements_agree_with_pydicom(keyword, tag, vr, vm):
    entry_vr, entry_vm, _name, _retired, entry_keyword = DicomDictionary[parse_tag(tag)]
    assert (entry_vr, entry_vm, entry_keyword) == (vr, vm, keyword)
    assert keyword_dict[keyword] == parse_tag(tag)


def test_uids_and_sop_classes(supplement, index):
    assert [(u.value, u.name, uid_keyword(u), u.type, u.part) for u in supplement.uids] == [
        (value, name, keyword, "SOP Class", "PS3.4") for value, name, keyword, _iod in SOP_CLASSES]
    assert [(s.uid, s.iod) for s in supplement.sop_classes] == [(k, i) for _v, _n, k, i in SOP_CLASSES]
    for value, name, keyword, iod in SOP_CLASSES:
        assert index.uid(keyword).value == value
        assert index.iod(iod) is not None
        entry_name, kind, _info, retired, entry_keyword = UID_dictionary[value]
        assert (entry_name, kind, entry_keyword, retired) == (name, "SOP Class", keyword, "")


# --- PS3.16 -------------------------------------------------------------------------------------------------------


def test_code(supplement, index):
    code = index.code("DCM", "CFM")
    assert code is not None and code.meaning == "Confocal Microscopy"
    assert code.definition is not None and code.definition.text.strip()
    assert [(c.scheme, c.value) for c in supplement.codes] == [("DCM", "CFM")]


def test_cid_additions(supplement, index):
    additions = {a.cid: a for a in supplement.context_group_additions}
    assert {cid: a.name for cid, a in additions.items()} == CID_ADDITIONS
    for addition in additions.values():
        rows = [(r.scheme, r.value, index.code_meaning(r.scheme, r.value, r.meaning)) for r in addition.rows]
        assert rows == [("DCM", "CFM", "Confocal Microscopy")]


def test_cid_4412_agrees_with_pydicom(supplement):
    groups = {g.cid: g for g in supplement.context_groups}
    assert set(groups) == {4412}
    group = groups[4412]
    assert group.name == "Specimen Stain for Confocal Microscopy"
    assert _cid_dict.name_for_cid[4412] == "SpecimenStainforConfocalMicroscopy"
    from pydicom.sr._concepts_dict import concepts
    expected = [(value, meaning) for keyword in _cid_dict.cid_concepts[4412]["SCT"]
                for value, (meaning, _cids) in concepts["SCT"][keyword].items()]
    assert [(r.value, r.meaning) for r in group.rows] == expected
    assert all(r.scheme == "SCT" for r in group.rows)


# --- changes to existing text, PS3.17 and examples ------------------------------------------------------------


def test_modality_amendment_adds_cfm(supplement):
    amendment = next(a for a in supplement.amendments if a.section == "C.7.3.1.1.1")
    assert (amendment.part, amendment.title) == ("PS3.3", "Modality")
    lists = [c.terms for c in amendment.changes if c.terms is not None]
    assert len(lists) == 1 and lists[0].title == "Defined Terms"
    assert lists[0].attribute == "Modality", "the neighbours are checked against the baseline's value set"
    assert [(t.value, t.meaning.text) for t in lists[0].entries if t.change == "added"] == [
        ("CFM", "Confocal Microscopy")]
    values = [t.value for t in lists[0].entries]
    assert values == sorted(values), "the Defined Terms stay in alphabetical order"


def test_annex(supplement):
    annex = supplement.annex
    assert annex is not None and annex.label == "BBBBB" and annex.title == "Confocal Microscopy"
    labelled = [s for s in annex.sections if s.label is not None]
    assert [(s.label, s.title) for s in labelled] == [
        ("BBBBB.7", "Encoding of Confocal Microscopy Tiled Pyramidal Images")]
    assert annex.sections[-1] is labelled[0], "nothing follows BBBBB.7 that would be numbered BBBBB.8"
    text = " ".join(s.body.text for s in annex.sections if s.body is not None)
    for needle in ("{value:REFLECTANCE}", "{value:EX_VIVO}", "{de:TrackingUID}", "{value:TILED_FULL}", "pyramid"):
        assert needle in text
    for section in annex.sections:
        for figure in section.figures:
            assert (SPEC / figure.file).is_file(), figure.file


def test_example_defaults_are_confocal(supplement):
    defaults = supplement.example_defaults
    assert {"Manufacturer", "ManufacturerModelName", "PatientName", "PatientID", "StudyID"} <= set(defaults)
    assert defaults["Modality"] == "CFM"
    assert not any("Derm" in str(v) or "DMS" in str(v) for v in defaults.values())


def test_examples_cover_the_use_cases(supplement):
    examples = {e.name: e for e in supplement.examples}
    assert len(examples) >= 6
    assert {e.iod for e in examples.values()} == {SIMPLE, TILED}
    reflectance = examples["reflectance-in-vivo"].values
    assert (reflectance["ConfocalMode"], reflectance["TissueLocation"]) == ("REFLECTANCE", "IN_VIVO")
    ex_vivo = examples["fluorescence-ex-vivo"]
    assert (ex_vivo.values["ConfocalMode"], ex_vivo.values["TissueLocation"]) == ("FLUORESCENCE", "EX_VIVO")
    assert ex_vivo.conditions["specimen"] is True and ex_vivo.conditions["cutaneous"] is False
    assert ex_vivo.values.get("SpecimenDescriptionSequence")
    stack = examples["depth-stack"]
    # The loader keeps YAML scalars of example values as text.
    assert str(stack.values["NumberOfFrames"]) == str(len(stack.frames)) == "3"
    assert [[str(v) for v in f["FrameContentSequence>DimensionIndexValues"]] for f in stack.frames] == [
        ["1"], ["2"], ["3"]]
    tracked = examples["tracked-lesion"].values
    assert tracked.get("TrackingID") and tracked.get("TrackingUID")
    tiled = examples["tiled-full"]
    assert tiled.iod == TILED and tiled.values["DimensionOrganizationType"] == "TILED_FULL"
    assert {e.transfer_syntax for e in examples.values()} >= {"explicit-little", "jpeg-baseline", "rle-lossless"}


def test_examples_choose_every_prose_condition(supplement):
    for example in supplement.examples:
        iod = _iod(supplement, example.iod)
        named = {use.condition.named for use in list(iod.modules) + list(iod.functional_groups)
                 if use.condition is not None and use.condition.named}
        assert set(example.conditions) == named, example.name
        assert example.conditions["cutaneous"] == (example.values.get("TissueLocation") == "IN_VIVO"), example.name


def test_spec_lints_clean_strictly():
    """``dicomsup lint --strict confocal`` is clean (notes, e.g. DS350 'already in the standard', fail nothing)."""
    from build_tools.build import lint
    from build_tools.core.errors import Severity

    _supplement, findings = lint(SPEC)
    assert [str(f) for f in findings if f.severity != Severity.NOTE] == []


def test_lint_is_clean_with_notes_only_and_ignores_nothing(supplement):
    """Supplement 236 is in the standard already: its IODs and modules are notes (already in the edition,
    identically or with rows the baseline lacks), never a collision of ids or a replaced module; nothing is
    ignored to get there."""
    from build_tools.check.rules import check
    from build_tools.core.errors import Severity

    assert supplement.lint is None
    findings = check(supplement)
    assert [str(f) for f in findings if f.severity != Severity.NOTE] == []
    codes = {f.code for f in findings}
    assert codes <= {"DS350", "DS353", "DS411", "DS414", "DS416"}, codes
    assert {f.code for f in findings if Path(f.loc.file).name == "modules.yaml"} == {"DS353"}
