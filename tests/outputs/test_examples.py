"""The example instances: complete for their IOD, true to their variant, valid for our verifier, dciodvfy, DCMTK
and pydicom, deterministic, with a preview that shows a dermoscopic image; their transfer syntaxes, ICC Profile,
anatomic region and laterality, DICOM JSON and README.

Examples are built into a temporary folder from spec/dermoscopy (never from output/).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset

from build_tools.outputs import pixels
from build_tools.outputs.base import BuildContext
from build_tools.outputs.registry import OUTPUTS
from build_tools.outputs.examples import (BULK_DATA_THRESHOLD, DCIODVFY_EXPECTED, Examples, build_dataset,
                                          build_examples, dciodvfy_expected_for, derive_uid, dump)
from build_tools.iod.walk import iod_rules, sop_class_uid
from build_tools.standard.index import Index
from build_tools.core.model import Attribute, Condition, DataElement, EnumValue, Example, Prose
from build_tools.verify.checker import verify_file


ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "dermoscopy"
UID_PATTERN = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$")

#: Sites of the examples that are not paired (midline, trunk, back, scalp): Image Laterality U. Every other site is
#: paired and gets R or L.
UNPAIRED_SITES = {"66643007", "75093004", "68698007", "43067004"}  # back, abdomen, forehead, scalp (SCT)


def dcm_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.dcm"))


def dciodvfy_messages(path: Path) -> list[str]:
    run = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, timeout=60)
    lines = (run.stdout + run.stderr).splitlines()
    return [line.strip() for line in lines if "Error - " in line or "Warning - " in line]


needs_dciodvfy = pytest.mark.skipif(shutil.which("dciodvfy") is None,
                                    reason="dciodvfy (Debian dicom3tools) not installed; scripts/test.sh installs it")
needs_dcmdump = pytest.mark.skipif(shutil.which("dcmdump") is None,
                                   reason="dcmdump (Debian dcmtk) not installed; scripts/test.sh installs it")


# --- what is written --------------------------------------------------------------------------------------------


def test_one_file_set_per_variant(examples, supplement):
    names = [e.name for e in supplement.examples]
    assert len(names) >= 7
    for suffix in (".dcm", ".json", ".txt", ".png"):
        assert sorted(p.stem for p in examples.glob(f"*{suffix}")) == sorted(names)


def test_variants_cover_the_branches_of_the_module(examples):
    """contact with one and several media, non-contact, polarized, non-polarized, partial view, tracked lesion."""
    datasets = [pydicom.dcmread(p) for p in dcm_files(examples)]
    contact = [d for d in datasets if d.get("ContactMethod") == "CONTACT"]
    media = [d["ImmersionMedia"].VM for d in contact if "ImmersionMedia" in d]
    assert 1 in media and any(vm > 1 for vm in media)
    assert any(d.get("ContactMethod") == "NON_CONTACT" and "ImmersionMedia" not in d for d in datasets)
    assert {d.get("LightSourcePolarization") for d in datasets} >= {"POLARIZED", "NON_POLARIZED"}
    assert any(d.get("PartialView") == "YES" and d.get("PartialViewDescription") for d in datasets)
    assert any(d.get("TrackingID") and d.get("TrackingUID") for d in datasets)


def _assert_values(dataset, values: dict, where: str) -> None:
    """Every value of a variant (or of one of its sequence items) is in ``dataset``; null ones are absent."""
    for keyword, value in values.items():
        if value is None:
            assert keyword not in dataset, f"{where}: {keyword} should be left out"
            continue
        actual = dataset.data_element(keyword).value
        wanted = value if isinstance(value, list) else [value]
        if isinstance(actual, pydicom.sequence.Sequence):
            assert len(actual) == len(wanted), f"{where}: {keyword} items"
            for number, (item, item_values) in enumerate(zip(actual, wanted), 1):
                _assert_values(item, item_values, f"{where}: {keyword}[{number}]")
            continue
        got = list(actual) if isinstance(actual, (list, pydicom.multival.MultiValue)) else [actual]
        assert [str(v) for v in got] == [str(v) for v in wanted], f"{where}: {keyword}"


def test_variant_values_are_applied(examples, supplement):
    for example in supplement.examples:
        _assert_values(pydicom.dcmread(examples / f"{example.name}.dcm"), example.values, example.name)


def test_every_type_1_and_2_attribute_of_every_mandatory_module(examples, supplement, index):
    """Read straight from the model (not from the verifier): the unconditional Type 1/2 rows of M modules."""
    iod = index.iod(supplement.examples[0].iod)
    required = {rule.keyword for module in iod_rules(iod, index) if module.use.usage == "M"
                for rule in module.rules if rule.type in ("1", "2")}
    assert {"PatientName", "StudyInstanceUID", "Modality", "Manufacturer", "Rows",
            "AcquisitionContextSequence", "RecognizableVisualFeatures", "SOPClassUID"} <= required
    for path in dcm_files(examples):
        dataset = pydicom.dcmread(path)
        missing = sorted(k for k in required if k not in dataset)
        assert missing == [], f"{path.name} lacks {missing}"
        assert dataset.RecognizableVisualFeatures != ""  # Type 1: a value, not only presence


def test_conditional_attributes_follow_their_conditions(examples):
    for path in dcm_files(examples):
        dataset = pydicom.dcmread(path)
        assert ("ImmersionMedia" in dataset) == (dataset.ContactMethod == "CONTACT"), path.name
        assert ("TrackingID" in dataset) == ("TrackingUID" in dataset), path.name
        assert "PixelData" in dataset and "PlanarConfiguration" in dataset  # 1C: held (RGB, no provider URL)


def test_identity_modality_and_uids(examples, supplement, index):
    sop_class = sop_class_uid(supplement, index, supplement.examples[0].iod)
    datasets = [pydicom.dcmread(p) for p in dcm_files(examples)]
    for dataset in datasets:
        assert dataset.SOPClassUID == sop_class == "1.2.840.10008.5.1.4.1.1.77.1.7"
        assert dataset.Modality == "DMS"
        assert dataset.file_meta.TransferSyntaxUID in {s.uid for s in pixels.SYNTAXES.values()}
        assert dataset.file_meta.MediaStorageSOPClassUID == dataset.SOPClassUID
        assert dataset.file_meta.MediaStorageSOPInstanceUID == dataset.SOPInstanceUID
        for uid in (dataset.SOPInstanceUID, dataset.SeriesInstanceUID, dataset.StudyInstanceUID):
            assert UID_PATTERN.match(uid) and len(uid) <= 64 and uid.startswith(supplement.uid_root + ".")
        assert dataset.StudyDate == supplement.date.replace("-", "")
        photometric = "YBR_FULL_422" if dataset.file_meta.TransferSyntaxUID.is_encapsulated \
            and dataset.file_meta.TransferSyntaxUID.name.startswith("JPEG") else "RGB"
        assert (dataset.SamplesPerPixel, dataset.PhotometricInterpretation, dataset.BitsAllocated) == \
            (3, photometric, 8)
        assert "NumberOfFrames" not in dataset
    assert len({d.SOPInstanceUID for d in datasets}) == len(datasets)
    assert len({d.SeriesInstanceUID for d in datasets}) == len(datasets)
    assert len({d.StudyInstanceUID for d in datasets}) == 1


def test_file_meta_names_dicomsup_whatever_the_supplement(tmp_path, examples, supplement):
    """Implementation Class UID and Version Name identify the writer (PS3.7 D.3.3.2), not the supplement."""
    from build_tools import __version__
    from build_tools.verify.checker import format_problem

    other = copy.deepcopy(supplement)
    other.uid_root = "1.2.826.0.1.3680043.10.1234"
    other.examples = other.examples[:1]
    build_examples(other, Index(other), tmp_path)
    metas = [pydicom.dcmread(p).file_meta for p in dcm_files(examples) + dcm_files(tmp_path)]
    assert {m.ImplementationClassUID for m in metas} == {derive_uid("2.25", "dicomsup/implementation")}
    assert {m.ImplementationVersionName for m in metas} == {f"DICOMSUP_{__version__}"}
    assert format_problem("SH", metas[0].ImplementationVersionName) is None
    assert pydicom.dcmread(dcm_files(tmp_path)[0]).StudyInstanceUID.startswith(other.uid_root + ".")


def test_each_variant_is_acquired_after_the_study_began(examples, supplement):
    times = []
    for number, example in enumerate(supplement.examples, 1):
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm")
        assert dataset.ContentTime > dataset.StudyTime == "101500", example.name
        assert dataset.AcquisitionDateTime == dataset.ContentDate + dataset.ContentTime, example.name
        assert dataset.ContentDate == dataset.StudyDate, example.name
        times.append(dataset.ContentTime)
    assert times == sorted(set(times)), "one acquisition after the other, in the order of the spec"


def test_rebuild_is_byte_identical(tmp_path, examples, supplement, index):
    build_examples(supplement, index, tmp_path)
    for path in sorted(examples.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_examples_stay_small(examples):
    total = sum(p.stat().st_size for p in examples.iterdir())
    assert total < 3_000_000  # ten variants of four files and a README: 2.4 MB, mostly uncompressed pixels and PNGs
    assert all(p.stat().st_size < 250_000 for p in examples.iterdir())


# --- every example is valid ----------------------------------------------------------------------------------------


def test_every_example_passes_our_verifier_without_error_or_warning(examples, supplement, index):
    for path in dcm_files(examples):
        assert [i.line(path.name) for i in verify_file(path, supplement, index)] == []


@needs_dciodvfy
def test_dciodvfy_prints_exactly_the_expected_messages(examples):
    """Every message dciodvfy prints for a file is expected for it (DCIODVFY_EXPECTED, which the README
    lists per file), and every expected one is printed: a newer dicom3tools that stops printing one (or an example
    that gets a new one) makes the list, and the README with it, change."""
    for path in dcm_files(examples):
        expected = [e.message for e in dciodvfy_expected_for(pydicom.dcmread(path))]
        assert sorted(dciodvfy_messages(path)) == sorted(expected), path.name


@needs_dciodvfy
def test_dciodvfy_has_no_error_for_compressed_or_icc_files_that_uncompressed_ones_lack(examples):
    by_syntax: dict[str, set[str]] = {}
    for path in dcm_files(examples):
        dataset = pydicom.dcmread(path, stop_before_pixels=True)
        kind = "plain" if not dataset.file_meta.TransferSyntaxUID.is_encapsulated and "ICCProfile" not in dataset \
            else "other"
        by_syntax.setdefault(kind, set()).update(m for m in dciodvfy_messages(path) if m.startswith("Error"))
    assert by_syntax["other"] <= by_syntax["plain"]


@needs_dcmdump
def test_dcmdump_reads_every_example(examples):
    for path in dcm_files(examples):
        run = subprocess.run(["dcmdump", "-q", str(path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert "E: " not in run.stderr and "W: " not in run.stderr, run.stderr
        assert "(0008,0060) CS [DMS]" in run.stdout
        assert "(7fe0,0010) OB" in run.stdout


def test_pydicom_reads_every_example_and_its_pixels(examples):
    for path in dcm_files(examples):
        dataset = pydicom.dcmread(path, force=False)
        image = dataset.pixel_array  # JPEG through Pillow, RLE natively, YBR converted to RGB
        assert image.shape == (dataset.Rows, dataset.Columns, 3) and image.dtype == np.uint8, path.name


# --- the dump and the preview ---------------------------------------------------------------------------------------


def test_dump_lists_attribute_tag_vr_and_value(examples, supplement):
    example = supplement.examples[0]
    text = (examples / f"{example.name}.txt").read_text(encoding="utf-8")
    assert text.startswith(f"# {example.name}.dcm: {example.title}")
    assert "(0008,0060) CS Modality: DMS" in text
    assert "(0002,0010) UI Transfer Syntax UID: 1.2.840.10008.1.2.1" in text
    assert "(0002,0001) OB File Meta Information Version: 00\\01" in text  # short binary values in full
    assert "(7FE0,0010) OB Pixel Data: <196608 bytes>" in text
    assert "(0040,0555) SQ Acquisition Context Sequence: 0 items" in text


def test_dump_indents_sequence_items():
    inner = Dataset()
    inner.CodeValue, inner.CodingSchemeDesignator, inner.CodeMeaning = "39937001", "SCT", "Skin structure"
    dataset = Dataset()
    dataset.AnatomicRegionSequence = [inner]
    dataset.PatientName = ""
    lines = dump(dataset).splitlines()
    assert lines[0] == "(0008,2218) SQ Anatomic Region Sequence: 1 item"
    assert lines[1] == "  > Item 1"
    assert lines[2] == "    (0008,0100) SH Code Value: 39937001"
    assert "(0010,0010) PN Patient's Name: (empty)" in lines


def _png(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        assert image.mode == "RGB"
        return np.asarray(image)


def test_preview_shows_a_lesion_in_a_round_dark_field(examples):
    for path in sorted(examples.glob("*.png")):
        image = _png(path).astype(float).mean(axis=2)
        rows, cols = image.shape
        centre = image[rows * 2 // 5:rows * 3 // 5, cols * 2 // 5:cols * 3 // 5].mean()
        if pydicom.dcmread(path.with_suffix(".dcm")).get("PartialView") == "YES":  # lesion wider than the field
            skin = image[int(rows * 0.25):int(rows * 0.30), int(cols * 0.18):int(cols * 0.23)].mean()
            lower_right = image[int(rows * 0.70):int(rows * 0.75), int(cols * 0.70):int(cols * 0.75)].mean()
            assert lower_right < skin - 60, f"{path.name}: the lesion should reach the lower right of the field"
        else:
            skin = image[rows // 2 - 8:rows // 2 + 8, int(cols * 0.86):int(cols * 0.90)].mean()
        corners = [image[:12, :12], image[:12, -12:], image[-12:, :12], image[-12:, -12:]]
        assert centre < skin - 60, f"{path.name}: lesion {centre:.0f} not darker than skin {skin:.0f}"
        assert skin > 140, path.name
        assert all(c.mean() < 20 for c in corners), f"{path.name}: field of view not dark at the corners"


def test_preview_equals_the_pixel_data(examples):
    """Exactly, but for JPEG: the preview is Pillow's decoding, and pydicom converts YCbCr to RGB itself in floating
    point, which may round one step differently."""
    for path in dcm_files(examples):
        dataset = pydicom.dcmread(path)
        preview, decoded = _png(path.with_suffix(".png")).astype(int), dataset.pixel_array.astype(int)
        if dataset.file_meta.TransferSyntaxUID == pydicom.uid.JPEGBaseline8Bit:
            assert np.abs(preview - decoded).max() <= 1, path.name
        else:
            assert np.array_equal(preview, decoded), path.name


def test_scale_bar_only_on_contact_images(examples):
    def bar_darkness(path: Path) -> float:
        image = _png(path).astype(float).mean(axis=2)
        rows, cols = image.shape
        per_mm = cols / pixels.FIELD_MM
        row = image[int(rows * 0.80), int(cols / 2 - 4.5 * per_mm):int(cols / 2 + 4.5 * per_mm)]
        return float((row < 80).mean())

    for path in dcm_files(examples):
        contact = pydicom.dcmread(path).ContactMethod == "CONTACT"
        darkness = bar_darkness(path.with_suffix(".png"))
        assert (darkness > 0.9) if contact else (darkness < 0.5), f"{path.name}: {darkness:.2f}"


# --- the drawing and the PNG writer --------------------------------------------------------------------------------


def test_drawing_is_deterministic_and_varies_with_seed():
    first = pixels.draw(64, 80, contact=False, polarized=False, seed=3)
    assert first.shape == (64, 80, 3) and first.dtype == np.uint8
    assert np.array_equal(first, pixels.draw(64, 80, contact=False, polarized=False, seed=3))
    assert not np.array_equal(first, pixels.draw(64, 80, contact=False, polarized=False, seed=4))


def test_png_writer_round_trips():
    from PIL import Image

    image = pixels.draw(40, 30, seed=9)
    decoded = np.asarray(Image.open(io.BytesIO(pixels.png_bytes(image))))
    assert np.array_equal(decoded, image)
    grey = image[..., 0]
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(pixels.png_bytes(grey)))), grey)


# --- UIDs, robustness, registration ------------------------------------------------------------------------------


def test_derived_uids():
    uid = derive_uid("2.25", "dermoscopy/study")
    assert uid == derive_uid("2.25", "dermoscopy/study") != derive_uid("2.25", "dermoscopy/series")
    assert UID_PATTERN.match(uid) and len(uid) <= 64
    long_root = "1.2.826.0.1.3680043.10.1234.5678.91011"
    assert len(derive_uid(long_root, "x")) <= 64 and derive_uid(long_root, "x").startswith(long_root + ".")
    assert UID_PATTERN.match(derive_uid(long_root, "x"))


def test_bad_variants_are_reported_not_crashed(supplement, index):
    _dataset, problems = build_dataset(supplement, index, Example(name="x", title="x", iod="No Such IOD"))
    assert problems == ["example 'x': no IOD named 'No Such IOD' in the supplement"]
    example = Example(name="y", title="y", iod=supplement.examples[0].iod,
                      values={"NoSuchKeyword": "1", "PatientName": None, "ContactMethod": "NON_CONTACT"})
    dataset, problems = build_dataset(supplement, index, example)
    assert problems == ["example 'y': 'NoSuchKeyword' is not a known attribute keyword"]
    assert "PatientName" not in dataset and "ImmersionMedia" not in dataset


def test_device_patient_and_study_come_from_example_defaults(examples, supplement, index):
    """The Dermoscopy constants (manufacturer, model, patient, study) are the spec's example_defaults, no longer
    the generator's; a variant's value wins over a default, and null leaves a default out."""
    defaults = supplement.example_defaults
    assert {"Manufacturer": "Example Dermoscopes Inc.", "PatientID": "DMS-0001", "StudyID": "DERM-1"}.items() \
        <= defaults.items()
    for path in dcm_files(examples):
        dataset = pydicom.dcmread(path)
        for keyword, value in defaults.items():
            assert str(dataset.data_element(keyword).value) == str(value), (path.name, keyword)
    example = copy.deepcopy(supplement.examples[0])
    example.values.update({"Manufacturer": "Another Maker", "DeviceSerialNumber": None})
    dataset, problems = build_dataset(supplement, index, example)
    assert problems == [] and dataset.Manufacturer == "Another Maker" and "DeviceSerialNumber" not in dataset


def test_readme_lists_only_the_encodings_and_messages_of_its_files(tmp_path, supplement, index):
    changed = copy.deepcopy(supplement)
    changed.examples = [copy.deepcopy(e) for e in supplement.examples if e.transfer_syntax == "explicit-little"][:1]
    build_examples(changed, index, tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "**Explicit VR Little Endian**" in readme
    assert "**JPEG Baseline" not in readme and "**RLE Lossless**" not in readme and "**ICC Profile**" not in readme
    assert "**W1**" in readme and "**E3**" not in readme


def test_registered_and_runs_as_an_output(tmp_path, supplement, index):
    assert Examples in OUTPUTS and (Examples.name, Examples.folder) == ("examples", "examples")
    ctx = BuildContext(supplement, index, spec_folder=SPEC)
    Examples().write(ctx, tmp_path)
    assert ctx.warnings == []
    assert len(list(tmp_path.glob("*.dcm"))) == len(supplement.examples)


def test_an_example_that_fails_verification_is_a_build_warning(tmp_path, supplement):
    changed = copy.deepcopy(supplement)
    changed.examples = [copy.deepcopy(supplement.examples[0])]
    changed.examples[0].values["PatientName"] = None  # a Type 2 attribute left out by the variant
    ctx = BuildContext(changed, Index(changed), spec_folder=SPEC)
    Examples().write(ctx, tmp_path)
    assert [(f.loc, f.message) for f in ctx.warnings] == [(
        changed.examples[0].loc, f"example {changed.examples[0].name}.dcm does not pass dicomsup verify: error: "
                                 "(0010,0010) PatientName: is missing (Type 2: present, possibly empty) "
                                 "[Patient, Type 2]")]


def test_requirements_come_from_the_model(tmp_path, examples, supplement):
    """A Type 1 row added to the spec's module: the generator fills it in, the verifier asks for it."""
    changed = copy.deepcopy(supplement)
    module = next(m for m in changed.modules if m.name == "Dermoscopic Image")
    module.attributes.append(Attribute(attribute="LensMake", type="1", description=Prose("The lens maker.")))
    index = Index(changed)
    build_examples(changed, index, tmp_path)
    first = changed.examples[0].name
    assert pydicom.dcmread(tmp_path / f"{first}.dcm").LensMake != ""
    assert verify_file(tmp_path / f"{first}.dcm", changed, index) == []
    old = [i.text() for i in verify_file(examples / f"{first}.dcm", changed, index)]
    assert old == ["(0016,004F) LensMake: is missing [Dermoscopic Image, Type 1]"]


def test_new_data_elements_unknown_to_pydicom(tmp_path, supplement):
    """A data element new in the supplement (absent from pydicom's dictionary), conditional on Contact Method."""
    changed = copy.deepcopy(supplement)
    changed.data_elements.append(DataElement(tag="(0016,9F01)", name="Contact Plate Kind", vr="CS", vm="1"))
    module = next(m for m in changed.modules if m.name == "Dermoscopic Image")
    module.attributes.append(Attribute(
        attribute="ContactPlateKind", type="1C", description=Prose("Which plate."),
        enumerated_values=[EnumValue(value="GLASS"), EnumValue(value="PLASTIC")],
        condition=Condition(attribute="ContactMethod", equals="CONTACT")))
    index = Index(changed)
    build_examples(changed, index, tmp_path)
    for path in dcm_files(tmp_path):
        dataset = pydicom.dcmread(path)
        contact = dataset.ContactMethod == "CONTACT"
        assert (0x00169F01 in dataset) == contact, path.name
        assert verify_file(path, changed, index) == []
        if contact:
            assert dataset[0x00169F01].value == "GLASS"
            assert "(0016,9F01) CS Contact Plate Kind: GLASS" in path.with_suffix(".txt").read_text()
            dataset[0x00169F01].value = "METAL"
            dataset.save_as(tmp_path / "bad.dcm", enforce_file_format=True)
            assert [i.text() for i in verify_file(tmp_path / "bad.dcm", changed, index)] == [
                "(0016,9F01) ContactPlateKind: value 'METAL' is not an Enumerated Value (GLASS, PLASTIC) "
                "[Dermoscopic Image, Type 1C]"]


# --- transfer syntaxes, ICC Profile, anatomy, DICOM JSON, README -------------------------------------------------


def _variant(supplement, name: str) -> Example:
    return next(e for e in supplement.examples if e.name == name)


def _uncompressed_twin(supplement, index, example: Example) -> np.ndarray:
    """The pixels the generator draws for ``example``, built again with Explicit VR Little Endian."""
    twin = copy.deepcopy(example)
    twin.transfer_syntax = "explicit-little"
    number = [e.name for e in supplement.examples].index(example.name) + 1
    dataset, _problems = build_dataset(supplement, index, twin, number)
    return np.frombuffer(dataset.PixelData, dtype=np.uint8).reshape(dataset.Rows, dataset.Columns, 3)


def test_each_file_has_the_transfer_syntax_of_its_variant(examples, supplement):
    for example in supplement.examples:
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm")
        syntax = pixels.syntax_of(example.transfer_syntax)
        assert dataset.file_meta.TransferSyntaxUID == syntax.uid, example.name
        assert dataset["PixelData"].is_undefined_length == syntax.uid.is_encapsulated, example.name
        assert dataset.PhotometricInterpretation == syntax.photometric and dataset.PlanarConfiguration == 0
        if not syntax.lossy:
            assert dataset.LossyImageCompression == "00", example.name
            assert "LossyImageCompressionRatio" not in dataset and "LossyImageCompressionMethod" not in dataset


def test_every_iod_has_a_jpeg_baseline_and_a_lossless_variant(supplement):
    for iod in {e.iod for e in supplement.examples}:
        syntaxes = {e.transfer_syntax for e in supplement.examples if e.iod == iod}
        assert {"explicit-little", "jpeg-baseline", "rle-lossless"} <= syntaxes, iod
    assert any(e.icc_profile == "srgb" for e in supplement.examples)


def _jpeg_segments(stream: bytes) -> dict[int, bytes]:
    """The marker segments of a JPEG stream up to the start of scan, by marker (the last of each kind)."""
    assert stream[:2] == b"\xff\xd8", "no SOI"
    segments, at = {}, 2
    while at < len(stream) and stream[at] == 0xFF:
        marker, length = stream[at + 1], int.from_bytes(stream[at + 2:at + 4], "big")
        segments[marker] = stream[at + 4:at + 2 + length]
        if marker == 0xDA:
            break
        at += 2 + length
    return segments


def test_jpeg_baseline_is_ybr_full_422_and_records_its_loss(examples, supplement):
    from pydicom.encaps import generate_fragmented_frames

    for example in [e for e in supplement.examples if e.transfer_syntax == "jpeg-baseline"]:
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm")
        assert dataset.file_meta.TransferSyntaxUID == pydicom.uid.JPEGBaseline8Bit
        assert (dataset.PhotometricInterpretation, dataset.PlanarConfiguration) == ("YBR_FULL_422", 0)
        assert (dataset.BitsAllocated, dataset.BitsStored, dataset.HighBit) == (8, 8, 7)
        frames = [b"".join(f) for f in generate_fragmented_frames(dataset.PixelData, number_of_frames=1)]
        assert len(frames) == 1
        stream = frames[0]
        segments = _jpeg_segments(stream)
        assert 0xC0 in segments and not {0xC1, 0xC2, 0xC3} & set(segments), "baseline (SOF0) only"
        sof = segments[0xC0]
        precision, rows, cols, components = sof[0], int.from_bytes(sof[1:3], "big"), \
            int.from_bytes(sof[3:5], "big"), sof[5]
        assert (precision, rows, cols, components) == (8, dataset.Rows, dataset.Columns, 3)
        sampling = [sof[6 + 3 * i + 1] for i in range(3)]
        assert sampling == [0x21, 0x11, 0x11], "Y 2×1, Cb and Cr 1×1: 4:2:2"
        assert segments[0xE0][:5] == b"JFIF\x00"  # JFIF: the components are YCbCr
        assert 0xE2 not in segments  # no ICC marker in the stream: the data set carries colour management
        assert dataset.LossyImageCompression == "01"
        assert dataset.LossyImageCompressionMethod == "ISO_10918_1"
        ratio = dataset.Rows * dataset.Columns * 3 / len(stream)
        assert float(dataset.LossyImageCompressionRatio) == pytest.approx(ratio, abs=0.05)
        assert float(dataset.LossyImageCompressionRatio) > 5
        drawn = _uncompressed_twin(supplement, Index(supplement), example).astype(int)
        error = np.abs(dataset.pixel_array.astype(int) - drawn)
        assert error.mean() < 3 and np.percentile(error, 99) < 25, example.name


def test_rle_lossless_decodes_to_exactly_the_drawing(examples, supplement, index):
    variants = [e for e in supplement.examples if e.transfer_syntax == "rle-lossless"]
    assert variants
    for example in variants:
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm")
        assert dataset.file_meta.TransferSyntaxUID == pydicom.uid.RLELossless
        assert np.array_equal(dataset.pixel_array, _uncompressed_twin(supplement, index, example)), example.name


def test_icc_profile_is_srgb_in_the_icc_profile_module(examples, supplement):
    from PIL import ImageCms

    for example in supplement.examples:
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm")
        if example.icc_profile is None:
            assert "ICCProfile" not in dataset and "ColorSpace" not in dataset, example.name
            continue
        profile = dataset.ICCProfile
        assert dataset["ICCProfile"].VR == "OB" and dataset.ColorSpace == "SRGB"
        assert profile == pixels.srgb_profile()
        assert int.from_bytes(profile[:4], "big") == len(profile)  # ICC header: size, 'acsp', RGB, XYZ
        assert (profile[36:40], profile[16:20], profile[20:24]) == (b"acsp", b"RGB ", b"XYZ ")
        assert profile[12:16] == b"mntr"  # a display profile
        described = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
        assert "sRGB" in described


def test_icc_profile_is_byte_stable_between_runs():
    """Little CMS stamps the creation time into the header; the generator fixes it, so two processes a second
    apart give the same bytes (and the same as this process)."""
    code = ("import hashlib, time; from build_tools.outputs.pixels import srgb_profile; "
            "print(hashlib.sha256(srgb_profile()).hexdigest())")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", "import time; time.sleep(1.1)"], check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert first.stdout == second.stdout == hashlib.sha256(pixels.srgb_profile()).hexdigest() + "\n"
    import struct
    assert struct.unpack(">6H", pixels.srgb_profile()[24:36]) == pixels.ICC_DATE


def test_every_variant_has_a_cid_4029_site_and_image_laterality_only_as_the_site_allows(examples, supplement):
    from pydicom.sr._cid_dict import cid_concepts
    from pydicom.sr._concepts_dict import concepts

    cid_4029 = {(scheme, value): meaning for scheme, names in cid_concepts[4029].items() for name in names
                for value, (meaning, _cids) in concepts[scheme][name].items()}
    for example in supplement.examples:
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm", stop_before_pixels=True)
        assert len(dataset.get("AnatomicRegionSequence", [])) == 1, example.name
        item = dataset.AnatomicRegionSequence[0]
        assert cid_4029.get((item.CodingSchemeDesignator, item.CodeValue)) == item.CodeMeaning, example.name
        wanted = {"U"} if item.CodeValue in UNPAIRED_SITES else {"R", "L"}
        assert dataset.get("ImageLaterality") in wanted, f"{example.name}: {item.CodeMeaning}"
        assert "Laterality" not in dataset, f"{example.name}: series Laterality with Image Laterality sent"


def _from_json(path: Path) -> Dataset:
    def bulk(tag: str, vr: str, uri: str) -> bytes:
        assert uri == path.with_suffix(".dcm").name  # relative to the JSON file
        return pydicom.dcmread(path.parent / uri)[tag].value

    return Dataset.from_json(json.loads(path.read_text(encoding="utf-8")), bulk_data_uri_handler=bulk)


def test_dicom_json_reads_back_as_its_part_10_file(examples):
    for path in sorted(examples.glob("*.json")):
        part10 = pydicom.dcmread(path.with_suffix(".dcm"))
        model = json.loads(path.read_text(encoding="utf-8"))
        assert list(model) == sorted(model), f"{path.name}: attributes in tag order"
        assert all(list(entry)[0] == "vr" for entry in model.values()), path.name
        assert set(model["7FE00010"]) == {"vr", "BulkDataURI"}, "Pixel Data by reference, not inline"
        assert not any(key.startswith("0002") for key in model), "no File Meta Information in DICOM JSON"
        inline = [key for key, entry in model.items() if "InlineBinary" in entry]
        assert all(len(part10[int(key, 16)].value) <= BULK_DATA_THRESHOLD for key in inline)
        back = _from_json(path)
        assert back == part10, path.name  # every element, the bulk data read through its URI included
        without_bulk = Dataset.from_json(model, bulk_data_uri_handler=lambda tag, vr, uri: b"")
        del without_bulk.PixelData
        reference = copy.deepcopy(part10)
        del reference.PixelData
        assert without_bulk == reference, path.name  # apart from bulk data, without reading the .dcm


def test_readme_lists_every_file_with_its_syntax_and_expected_dciodvfy_messages(examples, supplement):
    text = (examples / "README.md").read_text(encoding="utf-8")
    for example in supplement.examples:
        dataset = pydicom.dcmread(examples / f"{example.name}.dcm", stop_before_pixels=True)
        row = next(line for line in text.splitlines() if line.startswith(f"| `{example.name}.dcm` |"))
        assert str(dataset.file_meta.TransferSyntaxUID) in row and dataset.PhotometricInterpretation in row
        keys = ", ".join(e.key for e in dciodvfy_expected_for(dataset)) or "no message."
        assert f"- `{example.name}.dcm`: {keys}" in text
        assert f"- `{example.name}.dcm`: no finding." in text  # dicomsup verify, run by the build
    datasets = [pydicom.dcmread(path, stop_before_pixels=True) for path in dcm_files(examples)]
    for entry in DCIODVFY_EXPECTED:  # the expected messages of these files, and only those
        applies = any(entry.applies(dataset) for dataset in datasets)
        assert (f"`{entry.message}`" in text and entry.reason in text) == applies, entry.key
