"""Examples of an enhanced multi-frame IOD (tests/fixtures/multiframe): functional groups shared and per frame, one
Per-Frame Functional Groups item per frame, the author's values kept at every depth, VM-aware values, Dimension
Index Sequence and Values that agree, prose conditions chosen per variant, defaults from the spec, grey pixels for
every frame in every transfer syntax; each file passes dicomsup verify (and dciodvfy's encoding checks: the 2022
release does not know the IOD).
"""

from __future__ import annotations

import ast
import copy
import re
import shutil
import subprocess
from pathlib import Path

import pydicom
import pytest
from pydicom.encaps import generate_frames

from build_tools.load.loader import load_supplement
from build_tools.outputs import examples as examples_module
from build_tools.outputs.examples import (build_dataset, build_examples, dciodvfy_expected_for, dciodvfy_knows,
                                          fit_text, with_count)
from build_tools.standard.index import Index
from build_tools.verify.checker import verify_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "multiframe"
FRAME_TYPE_SEQUENCE = 0x00161096  # Lesion Depth Frame Type Sequence, new in the fixture (pydicom knows no keyword)

needs_dciodvfy = pytest.mark.skipif(shutil.which("dciodvfy") is None,
                                    reason="dciodvfy (Debian dicom3tools) not installed; scripts/test.sh installs it")


@pytest.fixture(scope="module")
def stack():
    return load_supplement(FIXTURE, [])


@pytest.fixture(scope="module")
def stack_index(stack):
    return Index(stack)


@pytest.fixture(scope="module")
def built(tmp_path_factory, stack, stack_index) -> Path:
    folder = tmp_path_factory.mktemp("multiframe")
    _written, problems = build_examples(stack, stack_index, folder)
    assert problems == []
    return folder


def _read(folder: Path, name: str) -> pydicom.Dataset:
    return pydicom.dcmread(folder / f"{name}.dcm")


def _variant(supplement, name: str):
    return next(e for e in supplement.examples if e.name == name)


def _frames(dataset) -> list:
    return list(dataset.PerFrameFunctionalGroupsSequence)


# --- one item per frame; shared and per-frame placement ----------------------------------------------------------


def test_one_per_frame_item_per_frame(built):
    """Three ``frames`` make three items (the generator used to make one); Number of Frames given makes that many."""
    depth = _read(built, "depth-stack")
    assert int(depth.NumberOfFrames) == 3 and len(_frames(depth)) == 3
    assert len(depth.SharedFunctionalGroupsSequence) == 1
    derived = _read(built, "derived-tracked")  # NumberOfFrames: 2, no frames
    assert int(derived.NumberOfFrames) == 2 and len(_frames(derived)) == 2


def test_a_tiled_full_image_has_no_per_frame_items_when_nothing_goes_in_them():
    """TILED_FULL (Confocal Sup 236): every macro is shared, the Per-Frame Functional Groups Sequence may be absent,
    so it is left out rather than written with a dozen empty items; any author's frames or items keep it."""
    confocal = load_supplement(ROOT / "spec" / "confocal", [])
    index = Index(confocal)
    tiled = _variant(confocal, "tiled-full")
    dataset, problems = build_dataset(confocal, index, tiled)
    assert problems == [] and dataset.DimensionOrganizationType == "TILED_FULL"
    assert "PerFrameFunctionalGroupsSequence" not in dataset and len(dataset.SharedFunctionalGroupsSequence) == 1
    given = copy.deepcopy(tiled)
    given.values["PerFrameFunctionalGroupsSequence"] = [{} for _ in range(int(tiled.values["NumberOfFrames"]))]
    assert len(_frames(build_dataset(confocal, index, given)[0])) == int(tiled.values["NumberOfFrames"])
    not_tiled = copy.deepcopy(tiled)
    not_tiled.values["DimensionOrganizationType"] = "TILED_SPARSE"  # then the sequence is required
    assert len(_frames(build_dataset(confocal, index, not_tiled)[0])) == int(tiled.values["NumberOfFrames"])


def test_macros_go_where_their_placement_says(built):
    dataset = _read(built, "depth-stack")
    shared = dataset.SharedFunctionalGroupsSequence[0]
    assert "PixelMeasuresSequence" in shared  # placement: shared
    assert FRAME_TYPE_SEQUENCE in shared  # placement: either, no per-frame value: shared
    for item in _frames(dataset):
        assert "FrameContentSequence" in item and "PlanePositionSlideSequence" in item  # per-frame
        assert "PixelMeasuresSequence" not in item
    assert "FrameContentSequence" not in shared


def test_user_option_macro_only_when_the_variant_gives_a_value_in_it(stack):
    """Plane Position (Slide) made usage U: present where frames give its values, absent where nothing does."""
    changed = copy.deepcopy(stack)
    use = next(u for u in changed.iods[0].functional_groups if u.macro == "Plane Position (Slide)")
    use.usage = "U"
    index = Index(changed)
    given, _ = build_dataset(changed, index, _variant(changed, "depth-stack"), 1)
    assert all("PlanePositionSlideSequence" in item for item in _frames(given))
    none, _ = build_dataset(changed, index, _variant(changed, "derived-tracked"), 3)
    assert not any("PlanePositionSlideSequence" in item for item in _frames(none))
    assert "PlanePositionSlideSequence" not in none.SharedFunctionalGroupsSequence[0]
    # Real World Value Mapping is U in the fixture and no variant gives a value in it
    assert "ReferencedImageRealWorldValueMappingSequence" not in given.SharedFunctionalGroupsSequence[0]


# --- the author's values win ---------------------------------------------------------------------------------


def test_frame_values_are_in_their_frames(built, stack):
    dataset = _read(built, "depth-stack")
    offsets = [str(item.PlanePositionSlideSequence[0].ZOffsetInSlideCoordinateSystem) for item in _frames(dataset)]
    assert offsets == ["0.0", "10.0", "20.0"] or offsets == ["0", "10", "20"]


def test_author_dimension_index_values_are_kept(built):
    """DimensionIndexValues 1, 2, 3 given per frame stay 1, 2, 3 (they became 1, 1, 1: a 1C attribute whose
    condition names the top-level Dimension Index Sequence was removed and made again)."""
    dataset = _read(built, "author-indexed")
    values = [int(item.FrameContentSequence[0].DimensionIndexValues) for item in _frames(dataset)]
    assert values == [1, 2, 3]


def test_author_values_inside_sequence_items_are_kept(stack, stack_index):
    """The same defect through ``values``: a Per-Frame Functional Groups Sequence written out by the author."""
    example = copy.deepcopy(_variant(stack, "derived-tracked"))
    example.values["NumberOfFrames"] = 3
    example.values["PerFrameFunctionalGroupsSequence"] = [
        {"FrameContentSequence": [{"DimensionIndexValues": n}]} for n in (1, 2, 3)]
    example.values["DimensionIndexSequence"] = None  # so that their condition does not hold: still kept
    dataset, problems = build_dataset(stack, stack_index, example, 3)
    assert problems == []
    assert "DimensionIndexSequence" not in dataset
    assert [int(i.FrameContentSequence[0].DimensionIndexValues) for i in _frames(dataset)] == [1, 2, 3]
    # the rest of the macro is filled in around the author's values
    assert all("FrameAcquisitionDateTime" in i.FrameContentSequence[0] for i in _frames(dataset))


def test_defaults_come_from_the_spec_and_values_win(built):
    depth = _read(built, "depth-stack")
    assert (depth.Manufacturer, depth.ManufacturerModelName, depth.PatientID) == (
        "Example Optics Ltd.", "Depth 1", "LD-0001")
    assert _read(built, "author-indexed").Manufacturer == "Another Maker"


def test_no_supplement_constant_without_defaults(tmp_path, stack):
    """Without example_defaults the placeholders derive from the supplement's title and number; nothing of
    Dermoscopy is left in any file (or in the generator)."""
    changed = copy.deepcopy(stack)
    changed.example_defaults = {"SamplesPerPixel": 1, "PhotometricInterpretation": "MONOCHROME2"}
    _written, problems = build_examples(changed, Index(changed), tmp_path)
    assert problems == []
    dataset = _read(tmp_path, "depth-stack")
    assert dataset.Manufacturer == "Example Lesion Depth Devices"
    assert dataset.ManufacturerModelName == "Lesion Depth Model 1"
    assert dataset.PatientID == "SUP9997-0001" and dataset.StudyID == "SUP9997-1"
    for path in tmp_path.glob("*.dcm"):
        data = path.read_bytes()
        assert b"Derm" not in data and b"DMS-" not in data and b"DERM" not in data, path.name
    source = Path(examples_module.__file__).read_text(encoding="utf-8")
    defaults = source[source.index("DEFAULTS: dict"):source.index("def _non_ascii")]
    assert not re.search(r"Derm|DMS-|DERM|DV10", defaults)


# --- values the VM and the VR allow ------------------------------------------------------------------------------


def test_generated_values_have_a_count_the_vm_allows(built):
    """Frame Type (VM 4-5) and Image Type of an enhanced IOD: 4 values; Image Orientation (Slide) (VM 6): 6."""
    dataset = _read(built, "depth-stack")
    frame_type = dataset.SharedFunctionalGroupsSequence[0][FRAME_TYPE_SEQUENCE].value[0].FrameType
    assert len(frame_type) == 4 and list(frame_type) == list(dataset.ImageType)
    assert len(dataset.ImageOrientationSlide) == 6


def test_with_count_and_fit_text():
    assert with_count("1", "6") == ["1"] * 6
    assert with_count(["0.1"], "2") == ["0.1", "0.1"]
    assert with_count("X", "1-n") == "X"
    assert with_count(["A", "B", "C"], "1-2") == ["A", "B"]
    assert with_count(["A", "B", "C"], "2-2n") == ["A", "B", "C", "C"]
    assert with_count("", "2") == ""  # an empty Type 2 value stays empty
    assert fit_text("Optical Magnification Factor", "SH") == "Optical"  # was "Optical Magnific"
    assert fit_text("Position Reference Indicator", "SH") == "Position"
    assert fit_text("Short", "SH") == "Short"
    assert fit_text("Supercalifragilisticexpialidocious", "SH") == "Supercalifragili"  # one word: the limit
    long_title = "Example " + "Very Long Supplement Title " * 4 + "Devices"
    assert len(fit_text(long_title, "LO")) <= 64 and fit_text(long_title, "LO").endswith("Title")


def test_generic_short_strings_are_cut_at_a_word(stack, stack_index):
    from build_tools.iod.walk import Rule
    from build_tools.core.model import Attribute, Prose

    rule = Rule("StationName", "1", "x", Attribute(attribute="StationName", type="1", description=Prose("x")),
                0x00081010)
    ctx = examples_module.Context(stack, stack_index, stack.examples[0], 1)
    assert examples_module.generic_value(rule, "SH", ctx, "Optical Magnification Factor") == "Optical"


def test_generic_values_of_multi_valued_attributes(stack, stack_index):
    """Nothing more specific known: as many values as the VM asks (Image Position (Patient) 3, Pixel Spacing 2)."""
    from pydicom.dataset import Dataset

    from build_tools.core.model import Attribute, Prose
    from build_tools.iod.walk import Rule

    ctx = examples_module.Context(stack, stack_index, stack.examples[0], 1)
    dataset = Dataset()
    for keyword, tag in (("ImagePositionPatient", 0x00200032), ("PixelSpacing", 0x00280030),
                         ("ImageOrientationPatient", 0x00200037)):
        rule = Rule(keyword, "1", "x", Attribute(attribute=keyword, type="1", description=Prose("x")), tag)
        assert examples_module._add(dataset, rule, ctx, [dataset])
    assert len(dataset.ImagePositionPatient) == 3 and len(dataset.PixelSpacing) == 2
    assert len(dataset.ImageOrientationPatient) == 6


# --- dimensions --------------------------------------------------------------------------------------------------


def _pointer_holds(frame_item, pointer: int, group: int) -> bool:
    return group in frame_item and pointer in frame_item[group].value[0]


def test_dimension_index_points_at_real_attributes_of_the_frames(built, stack_index):
    """Every AT value names a data element, and the Dimension Index Pointer is an attribute each frame holds in the
    functional group the Functional Group Pointer names (it was a tag of no attribute)."""
    for path in sorted(built.glob("*.dcm")):
        dataset = pydicom.dcmread(path)
        for element in dataset.iterall():
            if element.VR == "AT" and element.value is not None:
                assert stack_index.element_by_tag(int(element.value)) is not None, (path.name, element)
        for item in dataset.DimensionIndexSequence:
            pointer, group = int(item.DimensionIndexPointer), int(item.FunctionalGroupPointer)
            assert all(_pointer_holds(frame, pointer, group) for frame in _frames(dataset)), path.name


def test_dimension_index_values_agree_with_the_dimension_index_sequence(built):
    depth = _read(built, "depth-stack")
    assert [(int(i.DimensionIndexPointer), int(i.FunctionalGroupPointer)) for i in depth.DimensionIndexSequence] \
        == [(0x0040074A, 0x0048021A)]  # Z Offset in Slide Coordinate System, Plane Position (Slide) Sequence
    assert [int(i.FrameContentSequence[0].DimensionIndexValues) for i in _frames(depth)] == [1, 2, 3]
    derived = _read(built, "derived-tracked")  # no frames vary: Frame Acquisition Number 1, 2
    assert [int(i.DimensionIndexPointer) for i in derived.DimensionIndexSequence] == [0x00209156]
    assert [(int(i.FrameContentSequence[0].FrameAcquisitionNumber),
             int(i.FrameContentSequence[0].DimensionIndexValues)) for i in _frames(derived)] == [(1, 1), (2, 2)]


def test_dimension_organization_uid_is_the_same_everywhere(built):
    for path in sorted(built.glob("*.dcm")):
        dataset = pydicom.dcmread(path)
        uids = {str(dataset.DimensionOrganizationSequence[0].DimensionOrganizationUID)}
        uids |= {str(i.DimensionOrganizationUID) for i in dataset.DimensionIndexSequence}
        assert len(uids) == 1, path.name


# --- prose conditions ---------------------------------------------------------------------------------------------


def test_prose_conditions_as_the_variant_chooses(built):
    derived = _read(built, "derived-tracked")  # derived: true, tracked: true
    assert "DerivationImageSequence" in derived.SharedFunctionalGroupsSequence[0]
    assert derived.TrackingID == "lesion 4"
    depth = _read(built, "depth-stack")  # all false
    assert "DerivationImageSequence" not in depth.SharedFunctionalGroupsSequence[0]
    assert "TrackingID" not in depth and "SynchronizationTrigger" not in depth


def test_a_chosen_prose_module_is_filled(stack, stack_index):
    example = copy.deepcopy(_variant(stack, "depth-stack"))
    example.conditions["time-synchronized"] = True
    dataset, _problems = build_dataset(stack, stack_index, example, 1)
    assert "SynchronizationTrigger" in dataset and "SynchronizationFrameOfReferenceUID" in dataset


def test_an_open_prose_condition_leaves_its_module_macro_and_attribute_out(stack, stack_index):
    example = copy.deepcopy(_variant(stack, "derived-tracked"))
    example.conditions = {}
    example.values.pop("TrackingID")
    dataset, _problems = build_dataset(stack, stack_index, example, 3)
    assert "DerivationImageSequence" not in dataset.SharedFunctionalGroupsSequence[0]
    assert "TrackingID" not in dataset and "SynchronizationTrigger" not in dataset


# --- pixels -----------------------------------------------------------------------------------------------------


def test_pixel_data_holds_every_frame(built):
    depth = _read(built, "depth-stack")
    assert depth.PhotometricInterpretation == "MONOCHROME2" and "PlanarConfiguration" not in depth
    assert len(depth.PixelData) == 64 * 64 * 3
    assert depth.pixel_array.shape == (3, 64, 64)
    for name in ("rle-stack", "jpeg-stack"):
        dataset = _read(built, name)
        assert dataset.PhotometricInterpretation == "MONOCHROME2"
        assert len(list(generate_frames(dataset.PixelData, number_of_frames=2))) == 2, name
        assert dataset.pixel_array.shape == (2, 64, 64), name
    assert _read(built, "jpeg-stack").LossyImageCompression == "01"
    assert (built / "depth-stack.png").read_bytes().startswith(b"\x89PNG")


def test_rebuild_is_byte_identical(tmp_path, built, stack, stack_index):
    build_examples(stack, stack_index, tmp_path)
    for path in sorted(built.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_pixel_stack_is_imported_only_where_pixels_are_drawn():
    """No module-level import of numpy, Pillow or pydicom's pixel handlers in the generator (pydicom 3.0 itself
    imports numpy when present; the generator adds nothing at import time)."""
    for module in (examples_module, examples_module.pixels):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in tree.body:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not re.match(r"(numpy|PIL|pydicom\.pixels|pydicom\.encaps)\b", name), (module.__name__, name)


# --- validators ---------------------------------------------------------------------------------------------------


def test_every_file_passes_dicomsup_verify(built, stack, stack_index):
    for path in sorted(built.glob("*.dcm")):
        assert [i.text() for i in verify_file(path, stack, stack_index)] == [], path.name


@needs_dciodvfy
def test_dciodvfy_finds_nothing_but_the_unknown_iod(built):
    """The 2022 release does not know the IOD (E3): no other error, and no warning but of the new tag."""
    for path in sorted(built.glob("*.dcm")):
        dataset = pydicom.dcmread(path)
        assert not dciodvfy_knows(dataset)
        assert [e.key for e in dciodvfy_expected_for(dataset)] == ["E3"]
        run = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, timeout=60)
        lines = [line.strip() for line in (run.stdout + run.stderr).splitlines()
                 if "Error - " in line or "Warning - " in line]
        others = [line for line in lines if line != "Error - Information Object Not found"
                  and "Unrecognized tag" not in line]
        assert others == [] and "Error - Information Object Not found" in lines, path.name
        assert all("0x0016,0x1096" in line for line in lines if "Unrecognized tag" in line), path.name


# --- the Confocal Microscopy supplement, when its spec is there ---------------------------------------------------

CONFOCAL = ROOT / "spec" / "confocal"


@pytest.mark.skipif(not (CONFOCAL / "examples.yaml").exists(), reason="spec/confocal has no examples yet")
def test_confocal_examples_are_consistent_multi_frame_instances(tmp_path):
    """Every Confocal variant passes dicomsup verify, has one Per-Frame Functional Groups item per frame, Dimension
    Index Values with one value per Dimension Index Sequence item, AT values that name data elements, and Pixel Data
    for all its frames."""
    supplement = load_supplement(CONFOCAL, [])
    index = Index(supplement)
    _written, problems = build_examples(supplement, index, tmp_path)
    assert problems == []
    paths = sorted(tmp_path.glob("*.dcm"))
    assert len(paths) == len(supplement.examples) >= 6
    for path in paths:
        assert [i.text() for i in verify_file(path, supplement, index)] == [], path.name
        dataset = pydicom.dcmread(path)
        frames = int(dataset.NumberOfFrames)
        if "PerFrameFunctionalGroupsSequence" in dataset:
            assert len(dataset.PerFrameFunctionalGroupsSequence) == frames, path.name
        dimensions = len(dataset.get("DimensionIndexSequence", []) or [])
        for item in dataset.get("PerFrameFunctionalGroupsSequence", []) or []:
            content = item.get("FrameContentSequence")
            if dimensions and content and "DimensionIndexValues" in content[0]:
                assert content[0]["DimensionIndexValues"].VM == dimensions, path.name
        for element in dataset.iterall():
            if element.VR == "AT" and element.value is not None:
                assert index.element_by_tag(int(element.value)) is not None, (path.name, element)
        if not dataset.file_meta.TransferSyntaxUID.is_encapsulated:
            rows, cols = int(dataset.Rows), int(dataset.Columns)
            samples, bits = int(dataset.SamplesPerPixel), int(dataset.BitsAllocated)
            assert len(dataset.PixelData) == rows * cols * samples * frames * bits // 8, path.name
        else:
            assert len(list(generate_frames(dataset.PixelData, number_of_frames=frames))) == frames, path.name
        if shutil.which("dciodvfy"):  # as the README says: E3 only, and the tags the 2022 release does not know
            expected = [e.message for e in dciodvfy_expected_for(dataset)]
            assert _dciodvfy_lines(path, ignore_unknown_tags=True) == expected, path.name


def _dciodvfy_lines(path: Path, ignore_unknown_tags: bool = False) -> list[str]:
    run = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, timeout=60)
    lines = [line.strip() for line in (run.stdout + run.stderr).splitlines()
             if "Error - " in line or "Warning - " in line]
    return sorted(line for line in lines if not (ignore_unknown_tags and "Unrecognized tag" in line))
