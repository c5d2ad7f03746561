"""Functional groups of an enhanced multi-frame IOD: frame count, usage, placement and the macros' attributes; and
requirements that hang on prose conditions, listed as not checkable unless assumed."""

from __future__ import annotations

import shutil
import subprocess
import warnings

import pydicom
import pytest
from pydicom.dataset import Dataset

from build_tools.core.model import IOD, Attribute, Condition, FunctionalGroupUse, Module, ModuleUse, Supplement
from build_tools.standard.index import Index
from build_tools.verify.checker import Checker, verify_file
from build_tools.verify.plan import compile_plan

SYNCHRONIZED = Condition(named="time-synchronized", text="Required if time synchronization was applied.")


def _item(**values) -> Dataset:
    dataset = Dataset()
    for keyword, value in values.items():
        setattr(dataset, keyword, value)
    return dataset


def _supplement(*uses: FunctionalGroupUse, rows: list | None = None) -> Supplement:
    frame_type = Module(name="Test Frame Type", section="C.99.1", kind="functional group macro", attributes=[
        Attribute(attribute="MRImageFrameTypeSequence", type="1", description="Items.", item_count="one", items=[
            Attribute(attribute="FrameType", type="1", description="The type.")])])
    own = Module(name="Test Image", section="C.99.2", attributes=rows or [
        Attribute(attribute="AcquisitionDateTime", type="3", description="When.")])
    iod = IOD(name="Test Enhanced Image", section="A.99.1", description="Test.",
              modules=[ModuleUse(ie="Image", module="Multi-frame Functional Groups", usage="M"),
                       ModuleUse(ie="Image", module="Test Image", usage="M")],
              functional_groups=list(uses))
    return Supplement(number=999, title="T", working_group="WG-99", status="Draft", version="0.1",
                      date="2026-01-01", scope="Test.", iods=[iod], modules=[frame_type, own])


def _dataset(frames: int = 2, shared: dict | None = None, per_frame: list[dict] | None = None) -> Dataset:
    dataset = _item(InstanceNumber=1, ContentDate="20260101", ContentTime="120000", NumberOfFrames=frames)
    dataset.SharedFunctionalGroupsSequence = [_item(**(shared or {}))]
    dataset.PerFrameFunctionalGroupsSequence = [_item(**values) for values in (per_frame or [{}] * frames)]
    return dataset


def _pixel_measures() -> list[Dataset]:
    return [_item(PixelSpacing=[0.1, 0.1], SliceThickness=1)]


def _frame_content(number: int) -> list[Dataset]:
    return [_item(FrameAcquisitionNumber=number)]


def _findings(supplement: Supplement, dataset: Dataset, assumed: dict | None = None,
              codes: tuple[str, ...] = ()) -> list[str]:
    plan = compile_plan(supplement.iods[0], Index(supplement))
    assert plan.problems == []
    found = Checker(plan, assumed).run(dataset)
    return [f"{i.code} {i.text()}" for i in found if not codes or i.code in codes]


def _uses_of_placement(placement: str) -> Supplement:
    return _supplement(FunctionalGroupUse(macro="Pixel Measures", usage="M", placement=placement))


def test_per_frame_item_count_differs_from_number_of_frames():
    supplement = _uses_of_placement("either")
    dataset = _dataset(frames=3, shared={"PixelMeasuresSequence": _pixel_measures()}, per_frame=[{}, {}])
    assert _findings(supplement, dataset, codes=("DV219",)) == [
        "DV219 (5200,9230) PerFrameFunctionalGroupsSequence: has 2 items; Number of Frames (0028,0008) is 3 (one "
        "item per frame)"]
    dataset.NumberOfFrames = 2
    assert _findings(supplement, dataset, codes=("DV219",)) == []


@pytest.mark.parametrize("placement, shared, frames, expected", [
    ("either", True, [False, False], []),
    ("either", False, [True, True], []),
    ("shared", True, [False, False], []),
    ("per-frame", False, [True, True], []),
    ("either", False, [False, False], ["DV220"]),
    ("either", True, [True, True], ["DV221"]),
    ("either", True, [True, False], ["DV221"]),
    ("shared", False, [True, True], ["DV222"]),
    ("per-frame", True, [False, False], ["DV222"]),
    ("either", False, [True, False], ["DV223"]),
    ("per-frame", False, [False, True], ["DV223"]),
])
def test_placement_of_a_mandatory_macro(placement, shared, frames, expected):
    supplement = _uses_of_placement(placement)
    dataset = _dataset(frames=len(frames), shared={"PixelMeasuresSequence": _pixel_measures()} if shared else {},
                       per_frame=[{"PixelMeasuresSequence": _pixel_measures()} if f else {} for f in frames])
    found = _findings(supplement, dataset, codes=("DV220", "DV221", "DV222", "DV223"))
    assert [f.split()[0] for f in found] == expected


def test_messages_say_where_the_macro_is_and_where_it_belongs():
    supplement = _supplement(FunctionalGroupUse(macro="Frame Content", usage="M", placement="per-frame"))
    dataset = _dataset(frames=3, shared={"FrameContentSequence": _frame_content(1)})
    assert _findings(supplement, dataset, codes=("DV222",)) == [
        "DV222 (0020,9111) FrameContentSequence: is in the Shared Functional Groups Sequence; the IOD places it in "
        "each item of the Per-Frame Functional Groups Sequence [Frame Content Functional Group, M]"]
    dataset = _dataset(frames=3, per_frame=[{"FrameContentSequence": _frame_content(1)}, {}, {}])
    assert _findings(supplement, dataset, codes=("DV223",)) == [
        "DV223 (0020,9111) FrameContentSequence: is in item 1 of the 3 Per-Frame Functional Groups Sequence items "
        "only; a functional group is in the Shared item or in every Per-Frame item [Frame Content Functional "
        "Group, M]"]


def test_the_macros_attributes_are_checked_inside_each_item():
    supplement = _supplement(FunctionalGroupUse(macro="Test Frame Type", usage="M", placement="per-frame"),
                             FunctionalGroupUse(macro="Pixel Measures", usage="M", placement="shared"))
    dataset = _dataset(frames=2, shared={"PixelMeasuresSequence": []}, per_frame=[
        {"MRImageFrameTypeSequence": [_item(FrameType=["ORIGINAL", "PRIMARY", "VOLUME", "NONE"])]},
        {"MRImageFrameTypeSequence": [_item()]}])
    found = sorted(_findings(supplement, dataset, codes=("DV211", "DV213")), reverse=True)
    assert found == [
        "DV213 (5200,9229)[1]>(0028,9110) SharedFunctionalGroupsSequence[1]>PixelMeasuresSequence: has no items; a "
        "Type 1 attribute shall have a value [Pixel Measures, Type 1]",
        "DV211 (5200,9230)[2]>(0018,9226)[1]>(0008,9007) PerFrameFunctionalGroupsSequence[2]>"
        "MRImageFrameTypeSequence[1]>FrameType: is missing [Test Frame Type, Type 1]"]


def test_an_attribute_of_no_macro_in_a_functional_group_item_is_a_warning():
    supplement = _uses_of_placement("either")
    dataset = _dataset(frames=1, shared={"PixelMeasuresSequence": _pixel_measures(), "PatientName": "X"})
    assert _findings(supplement, dataset, codes=("DV225",)) == [
        "DV225 (5200,9229)[1]>(0010,0010) SharedFunctionalGroupsSequence[1]>PatientName: is the sequence of none "
        "of the IOD's functional group macros"]


def test_conditional_macro_by_its_condition():
    required = Condition(attribute="AcquisitionDateTime", equals="20260101")
    supplement = _supplement(FunctionalGroupUse(macro="Pixel Measures", usage="C", condition=required))
    absent = _dataset(frames=1)
    assert _findings(supplement, absent, codes=("DV220", "DV224")) == []  # condition false, macro absent
    absent.AcquisitionDateTime = "20260101"
    assert [f.split()[0] for f in _findings(supplement, absent, codes=("DV220", "DV224"))] == ["DV220"]
    present = _dataset(frames=1, shared={"PixelMeasuresSequence": _pixel_measures()})
    assert [f.split()[0] for f in _findings(supplement, present, codes=("DV220", "DV224"))] == ["DV224"]
    otherwise = _supplement(FunctionalGroupUse(macro="Pixel Measures", usage="C", condition=required,
                                               otherwise="may be present"))
    assert _findings(otherwise, present, codes=("DV220", "DV224")) == []


def test_prose_condition_of_a_macro_is_not_checkable_unless_assumed():
    supplement = _supplement(FunctionalGroupUse(macro="Test Frame Type", usage="C", condition=SYNCHRONIZED))
    dataset = _dataset(frames=1)
    assert _findings(supplement, dataset, codes=("DV217", "DV220")) == [
        "DV217 Test Frame Type Functional Group: is absent; whether that is allowed cannot be checked: it hangs on "
        "the condition 'time synchronization was applied', which the file cannot show; say whether it holds with "
        "--assume time-synchronized=yes or =no [Test Frame Type Functional Group, C]"]
    assert [f.split()[0] for f in _findings(supplement, dataset, {"time-synchronized": True},
                                            codes=("DV217", "DV220"))] == ["DV220"]
    assert _findings(supplement, dataset, {"time-synchronized": False}, codes=("DV217", "DV220")) == []


def test_prose_condition_of_an_attribute_is_listed_never_passed():
    rows = [Attribute(attribute="AcquisitionDateTime", type="1C", description="When.", condition=SYNCHRONIZED)]
    supplement = _supplement(rows=rows)
    dataset = _dataset(frames=1)
    assert _findings(supplement, dataset, codes=("DV217", "DV211", "DV212")) == [
        "DV217 (0008,002A) AcquisitionDateTime: is absent; whether that is allowed cannot be checked: it hangs on "
        "the condition 'time synchronization was applied', which the file cannot show; say whether it holds with "
        "--assume time-synchronized=yes or =no [Test Image, Type 1C]"]
    dataset.AcquisitionDateTime = "20260101120000"
    assert [f.split()[0] for f in _findings(supplement, dataset, codes=("DV217", "DV212"))] == ["DV217"]
    assert [f.split()[0] for f in _findings(supplement, dataset, {"time-synchronized": False},
                                            codes=("DV217", "DV212"))] == ["DV212"]
    assert _findings(supplement, dataset, {"time-synchronized": True}, codes=("DV217", "DV212")) == []
    del dataset.AcquisitionDateTime
    assert [f.split()[0] for f in _findings(supplement, dataset, {"time-synchronized": True},
                                            codes=("DV211",))] == ["DV211"]


def test_non_enhanced_iod_has_no_functional_group_findings():
    supplement = _supplement()
    dataset = _dataset(frames=1)
    assert _findings(supplement, dataset, codes=("DV220", "DV221", "DV222", "DV223", "DV224", "DV225")) == []


@pytest.mark.skipif(shutil.which("dciodvfy") is None, reason="dciodvfy (Debian dicom3tools) not installed")
def test_frame_count_agrees_with_dciodvfy(tmp_path, examples, supplement, index):
    dataset = pydicom.dcmread(examples / "contact-gel.dcm")
    dataset.NumberOfFrames = 1
    dataset.PerFrameFunctionalGroupsSequence = [Dataset(), Dataset()]
    path = tmp_path / "frames.dcm"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset.save_as(path)
    ours = [i.text() for i in verify_file(path, supplement, index) if i.code == "DV219"]
    assert ours == ["(5200,9230) PerFrameFunctionalGroupsSequence: has 2 items; Number of Frames (0028,0008) is 1 "
                    "(one item per frame)"]
    theirs = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, timeout=60)
    assert "Number of items in PerFrameFunctionalGroupsSequence does not match NumberOfFrames - have 2 items - " \
           "but 1 frames" in theirs.stdout + theirs.stderr


def test_frames_tiled_in_full_may_leave_out_the_per_frame_sequence(tmp_path):
    """The Per-Frame Functional Groups Sequence is required unless Dimension Organization Type is TILED_FULL (as
    dicom3tools checks it for the IODs that tile); a TILED_SPARSE file without it is missing it."""
    from pathlib import Path

    from build_tools.load.loader import load_supplement

    root = Path(__file__).resolve().parents[2]
    supplement = load_supplement(root / "spec" / "confocal", [])
    index = Index(supplement)
    dataset = pydicom.dcmread(root / "output" / "confocal" / "examples" / "tiled-full.dcm")
    assert dataset.DimensionOrganizationType == "TILED_FULL"
    assert "PerFrameFunctionalGroupsSequence" not in dataset  # the example leaves it out, as it may
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset.save_as(tmp_path / "full.dcm")
        dataset.DimensionOrganizationType = "TILED_SPARSE"
        dataset.save_as(tmp_path / "sparse.dcm")
    assert [i.text() for i in verify_file(tmp_path / "full.dcm", supplement, index)] == []
    missing = [i.text() for i in verify_file(tmp_path / "sparse.dcm", supplement, index) if i.code == "DV211"]
    assert "(5200,9230) PerFrameFunctionalGroupsSequence: is missing; required because Value 1 of Dimension " \
           "Organization Type (0020,9311) is not TILED_FULL [Multi-frame Functional Groups, Type 1C]" in missing


def test_a_condition_inside_a_per_frame_item_sees_the_shared_item():
    """A frame is described by its Per-Frame item and the Shared item together: a row of a per-frame macro whose
    condition names an attribute of a shared macro is required when that attribute is in the Shared item."""
    thick = Condition(present="PixelMeasuresSequence>SliceThickness")
    labelled = Module(name="Test Frame Label", section="C.99.3", kind="functional group macro", attributes=[
        Attribute(attribute="FrameContentSequence", type="1", description="Items.", item_count="one", items=[
            Attribute(attribute="FrameComments", type="1C", description="Why.", condition=thick)])])
    supplement = _supplement(FunctionalGroupUse(macro="Test Frame Label", usage="M", placement="per-frame"),
                             FunctionalGroupUse(macro="Pixel Measures", usage="M", placement="shared"))
    supplement.modules.append(labelled)
    with_comments = [{"FrameContentSequence": [_item(FrameComments="focus")]} for _ in range(2)]
    dataset = _dataset(frames=2, shared={"PixelMeasuresSequence": _pixel_measures()}, per_frame=with_comments)
    assert _findings(supplement, dataset, codes=("DV211", "DV212")) == []  # required, and there
    bare = [{"FrameContentSequence": [_item()]} for _ in range(2)]
    dataset = _dataset(frames=2, shared={"PixelMeasuresSequence": _pixel_measures()}, per_frame=bare)
    assert [f.split(": ")[0] for f in _findings(supplement, dataset, codes=("DV211",))] == [
        f"DV211 (5200,9230)[{n}]>(0020,9111)[1]>(0020,9158) PerFrameFunctionalGroupsSequence[{n}]>"
        "FrameContentSequence[1]>FrameComments" for n in (1, 2)]
    dataset = _dataset(frames=2, shared={"PixelMeasuresSequence": [_item(PixelSpacing=[0.1, 0.1])]},
                       per_frame=with_comments)
    assert [f.split()[0] for f in _findings(supplement, dataset, codes=("DV211", "DV212"))] == ["DV212", "DV212"]
