"""Lint rules of example variants for multi-frame IODs (DS610-DS614): frames only where there are functional groups,
frame paths that name attributes of them, prose conditions that the IOD has and that each variant decides, value
counts the VM allows; and the helpers the generator shares with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.build import lint
from build_tools.check.examples import vm_allows, vm_bounds

from minimal_copies import edited, position

MULTIFRAME = Path(__file__).resolve().parents[1] / "fixtures" / "multiframe"
C = "content.yaml"


def multiframe(tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    """A copy of tests/fixtures/multiframe with ``(old, new)`` replacements in content.yaml."""
    return edited(tmp_path, [(C, old, new) for old, new in edits], fixture=MULTIFRAME, name="multiframe")


def codes(folder: Path) -> list[tuple[str, str]]:
    _supplement, findings = lint(folder)
    return [(f.code, f.message) for f in findings if f.code and f.code.startswith("DS6")]


def test_the_multiframe_fixture_is_clean(tmp_path):
    _supplement, findings = lint(multiframe(tmp_path, []))
    assert [str(f) for f in findings if f.severity.name != "NOTE"] == []


def test_frames_for_an_iod_without_functional_groups(tmp_path):
    folder = edited(tmp_path, [(C, "values: {LesionMarkerColor: RED, TrackingID: L1}",
                                "values: {LesionMarkerColor: RED, TrackingID: L1}\n"
                                "    frames:\n      - {FrameContentSequence>FrameComments: one}")])
    _supplement, findings = lint(folder)
    found = [f for f in findings if f.code == "DS610"]
    assert len(found) == 1 and "has no functional group macros" in found[0].message
    assert found[0].loc == position(folder, C, "- {FrameContentSequence>FrameComments")


@pytest.mark.parametrize("path, says", [
    ("PlanePositionSlideSequenc>ZOffsetInSlideCoordinateSystem",
     "names no attribute of the IOD's functional group macros; did you mean 'PlanePositionSlideSequence'?"),
    ("PlanePositionSlideSequence>ZOffset", "names no attribute of the items of PlanePositionSlideSequence"),
    ("PatientName", "names no attribute of the IOD's functional group macros"),
])
def test_a_frame_path_names_attributes_of_the_functional_groups(tmp_path, path, says):
    folder = multiframe(tmp_path, [('      - {PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem: "20"}',
                                    f'      - {{{path}: "20"}}')])
    found = codes(folder)
    assert [c for c, _m in found] == ["DS611"], found
    assert says in found[0][1]


def test_a_condition_the_iod_does_not_have(tmp_path):
    folder = multiframe(tmp_path, [("    values: {Rows: 64, Columns: 64, NumberOfFrames: 2, TrackingID: lesion 4}\n"
                                    "    conditions: {time-synchronized: false, derived: true, tracked: true}",
                                    "    values: {Rows: 64, Columns: 64, NumberOfFrames: 2, TrackingID: lesion 4}\n"
                                    "    conditions: {time-synchronized: false, derived: true, tracked: true, "
                                    "trackd: true}")])
    found = codes(folder)
    assert [c for c, _m in found] == ["DS612"], found
    assert "'trackd' is no prose ('named') condition of IOD 'Lesion Depth Image'; did you mean 'tracked'?" \
        in found[0][1]


def test_a_prose_condition_the_variant_leaves_open(tmp_path):
    folder = multiframe(tmp_path, [("    values: {Rows: 64, Columns: 64, NumberOfFrames: 2, TrackingID: lesion 4}\n"
                                    "    conditions: {time-synchronized: false, derived: true, tracked: true}",
                                    "    values: {Rows: 64, Columns: 64, NumberOfFrames: 2, TrackingID: lesion 4}\n"
                                    "    conditions: {tracked: true}")])
    _supplement, findings = lint(folder)
    found = sorted((f.code, f.message) for f in findings if f.code == "DS613")
    assert [m for _c, m in found] == [
        "example 'derived-tracked' does not say whether prose condition 'derived' holds, so the functional group "
        "macro Derivation Image it decides is left out; add it to 'conditions' (true or false)",
        "example 'derived-tracked' does not say whether prose condition 'time-synchronized' holds, so the module "
        "Synchronization it decides is left out; add it to 'conditions' (true or false)"]
    assert all(f.severity.name == "WARNING" for f in findings if f.code == "DS613")


def test_value_counts_beyond_the_vm(tmp_path):
    folder = multiframe(tmp_path, [
        ("    values: {Rows: 64, Columns: 64}\n    conditions: {time-synchronized: false, derived: false, "
         "tracked: false}\n    frames:\n      - {PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem: \"0\"}\n"
         "      - {PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem: \"10\"}",
         "    values: {Rows: 64, Columns: 64, ImageOrientationSlide: [\"0\", \"1\"], "
         "ImageType: [ORIGINAL, PRIMARY, VOLUME, NONE]}\n    conditions: {time-synchronized: false, derived: false, "
         "tracked: false}\n    frames:\n      - {PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem: [\"0\", "
         "\"1\"]}\n      - {PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem: \"10\"}"),
        ("  PatientID: LD-0001\n", "  PatientID: LD-0001\n  PixelSpacing: [\"0.1\"]\n")])
    found = sorted(codes(folder))
    assert found == [
        ("DS614", "example_defaults: PixelSpacing has 1 value; its VM is 2"),
        ("DS614", "frames[1]: PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem has 2 values; its VM is 1"),
        ("DS614", "values: ImageOrientationSlide has 2 values; its VM is 6")]


def test_value_counts_inside_sequence_items(tmp_path):
    folder = multiframe(tmp_path, [(
        "        - {DimensionIndexPointer: ZOffsetInSlideCoordinateSystem, FunctionalGroupPointer: "
        "PlanePositionSlideSequence}",
        "        - {DimensionIndexPointer: [ZOffsetInSlideCoordinateSystem, XOffsetInSlideCoordinateSystem], "
        "FunctionalGroupPointer: PlanePositionSlideSequence}")])
    assert codes(folder) == [("DS614", "values: DimensionIndexPointer has 2 values; its VM is 1")]


@pytest.mark.parametrize("vm, bounds", [("1", (1, 1, 1)), ("6", (6, 6, 1)), ("1-n", (1, None, 1)),
                                        ("2-2n", (2, None, 2)), ("4-5", (4, 5, 1)), ("3-3n", (3, None, 3)),
                                        ("", (1, 1, 1)), ("x", (1, None, 1))])
def test_vm_bounds(vm, bounds):
    assert vm_bounds(vm) == bounds


def test_vm_allows():
    assert vm_allows("4-5", 4) and vm_allows("4-5", 5) and not vm_allows("4-5", 3) and not vm_allows("4-5", 6)
    assert vm_allows("2-2n", 4) and not vm_allows("2-2n", 3) and vm_allows("1-n", 17) and not vm_allows("6", 1)


def test_unknown_keywords_inside_frame_sequence_items(tmp_path):
    folder = multiframe(tmp_path, [('      - {PlanePositionSlideSequence>ZOffsetInSlideCoordinateSystem: "20"}',
                                    '      - {PlanePositionSlideSequence: [{ZOffsetInSlideCoordinateSystm: "20"}]}')])
    found = codes(folder)
    assert [c for c, _m in found] == ["DS604"], found
    assert "frames[3]: 'ZOffsetInSlideCoordinateSystm' is no data element keyword" in found[0][1]
