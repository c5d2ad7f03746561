"""``dicomsup verify``: each rule caught by a copy of an example with exactly one fault, agreed by dciodvfy where
dciodvfy checks that rule; never a crash on a broken file; the command's output and exit status.

Examples are built into a temporary folder from spec/dermoscopy (never from output/).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pydicom
import pytest
from pydicom.dataset import Dataset

from build_tools.evaluate import evaluate
from build_tools.instances import build_examples
from build_tools.load import load_supplement
from build_tools.lookup import Index
from build_tools.model import Condition
from build_tools.verify import main as verify_main
from build_tools.verify import verify_file

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec" / "dermoscopy"
CONTACT, NON_CONTACT, TRACKED = "contact-gel", "non-contact", "tracked-lesion"

needs_dciodvfy = pytest.mark.skipif(shutil.which("dciodvfy") is None,
                                    reason="dciodvfy (Debian dicom3tools) not installed; scripts/test.sh installs it")


@pytest.fixture(scope="module")
def supplement():
    return load_supplement(SPEC, [])


@pytest.fixture(scope="module")
def index(supplement):
    return Index(supplement)


@pytest.fixture(scope="module")
def examples(tmp_path_factory, supplement, index) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    build_examples(supplement, index, folder)
    return folder


def mutate(examples: Path, out: Path, base: str, change: Callable[[Dataset], None]) -> Path:
    dataset = pydicom.dcmread(examples / f"{base}.dcm")
    change(dataset)
    path = out / f"{base}-mutated.dcm"
    dataset.save_as(path, enforce_file_format=not hasattr(change, "keeps_meta"))
    return path


def cut(examples: Path, out: Path, base: str, keep: Callable[[int], int]) -> Path:
    data = (examples / f"{base}.dcm").read_bytes()
    path = out / f"{base}-cut.dcm"
    path.write_bytes(data[:keep(len(data))])
    return path


def findings(path: Path, supplement, index) -> list[str]:
    return [i.line("F") for i in verify_file(path, supplement, index)]


def dciodvfy(path: Path) -> str:
    run = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True, timeout=60)
    return run.stdout + run.stderr


def _delete(*keywords: str) -> Callable[[Dataset], None]:
    def change(dataset: Dataset) -> None:
        for keyword in keywords:
            delattr(dataset, keyword)
    return change


def _set(keyword: str, value) -> Callable[[Dataset], None]:
    def change(dataset: Dataset) -> None:
        setattr(dataset, keyword, value)
    return change


def _wrong_vr(dataset: Dataset) -> None:
    dataset["ContactMethod"].VR = "LO"


def _item_without_code_meaning(dataset: Dataset) -> None:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator = "39937001", "SCT"
    dataset.AnatomicRegionSequence = [item]


def _other_instance_uid_in_meta(dataset: Dataset) -> None:
    dataset.file_meta.MediaStorageSOPInstanceUID = "2.25.1"


_other_instance_uid_in_meta.keeps_meta = True  # written as is: enforce_file_format would copy the UID back


def _other_sop_class(dataset: Dataset) -> None:
    dataset.SOPClassUID = dataset.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.77.1.4"


# (id, example, fault, exactly the findings of our verifier, what dciodvfy prints for it or None where it does not
# check that rule)
MUTATIONS = [
    ("type-1-missing", CONTACT, _delete("RecognizableVisualFeatures"),
     ["error: F: (0028,0302) RecognizableVisualFeatures: is missing [Dermoscopic Image, Type 1]"],
     "Error - Missing attribute Type 1 Required Element=<RecognizableVisualFeatures> Module=<DermoscopicImage>"),
    ("type-1-empty", CONTACT, _set("RecognizableVisualFeatures", ""),
     ["error: F: (0028,0302) RecognizableVisualFeatures: is empty; a Type 1 attribute shall have a value "
      "[Dermoscopic Image, Type 1]"],
     "Error - Empty attribute (no value) Type 1 Required Element=<RecognizableVisualFeatures> "
     "Module=<DermoscopicImage>"),
    ("type-2-missing", CONTACT, _delete("PatientName"),
     ["error: F: (0010,0010) PatientName: is missing (Type 2: present, possibly empty) [Patient, Type 2]"],
     "Error - Missing attribute Type 2 Required Element=<PatientName> Module=<Patient>"),
    ("type-2c-missing-when-required", CONTACT, _delete("ImmersionMedia"),
     ["error: F: (0016,1004) ImmersionMedia: is missing; required because Contact Method (0016,1003) is CONTACT "
      "[Dermoscopic Image, Type 2C]"],
     "Error - Missing attribute Type 2C Conditional Element=<ImmersionMedia> Module=<DermoscopicImage>"),
    ("type-2c-present-when-not", NON_CONTACT, _set("ImmersionMedia", ["WATER"]),
     ["error: F: (0016,1004) ImmersionMedia: is present but shall be absent: it is required only when "
      "Contact Method (0016,1003) is CONTACT, which does not hold [Dermoscopic Image, Type 2C]"],
     "Error - Attribute present when condition unsatisfied (which may not be present otherwise) Type 2C "
     "Conditional Element=<ImmersionMedia> Module=<DermoscopicImage>"),
    ("type-1c-pair-broken", TRACKED, _delete("TrackingID"),
     ["error: F: (0062,0020) TrackingID: is missing; required because Tracking UID (0062,0021) is present "
      "[Dermoscopic Image, Type 1C]",
      "error: F: (0062,0021) TrackingUID: is present but shall be absent: it is required only when Tracking ID "
      "(0062,0020) is present, which does not hold [Dermoscopic Image, Type 1C]"],
     "Error - Missing attribute Type 1C Conditional Element=<TrackingID> Module=<DermoscopicImage>"),
    ("bad-enumerated-value", CONTACT, _set("LightSourcePolarization", "CROSS"),
     ["error: F: (0016,1001) LightSourcePolarization: value 'CROSS' is not an Enumerated Value "
      "(POLARIZED, NON_POLARIZED) [Dermoscopic Image, Type 2]"],
     "Error - Unrecognized enumerated value <CROSS> for value 1 of attribute <Light Source Polarization>"),
    ("iod-constraint-modality", CONTACT, _set("Modality", "XC"),
     ["error: F: (0008,0060) Modality: value 'XC' is not an Enumerated Value (DMS) [General Series, Type 1]"],
     "Error - Unrecognized enumerated value <XC> for value 1 of attribute <Modality>"),
    ("wrong-vr", CONTACT, _wrong_vr,
     ["error: F: (0016,1003) ContactMethod: VR is LO; the data dictionary says CS"],
     # dciodvfy checks it, but only as a warning
     "Warning - Explicit value representation doesn't match data dictionary; Explicit <LO> Dictionary <CS>"),
    ("wrong-vm", CONTACT, _set("LightSourcePolarization", ["POLARIZED", "NON_POLARIZED"]),
     ["error: F: (0016,1001) LightSourcePolarization: has 2 values; the data dictionary allows VM 1"],
     "Error - Bad attribute Value Multiplicity 2 (1 Required by Dictionary) Element=<LightSourcePolarization>"),
    ("single-frame", CONTACT, _set("NumberOfFrames", 2),
     ["error: F: (0028,0008) NumberOfFrames: is 2; the IOD is single-frame",
      "error: F: (7FE0,0010) PixelData: holds 196608 bytes; Rows, Columns, Samples per Pixel, Bits Allocated and "
      "Number of Frames make 393216"],
     "Error - PixelData has incorrect value length - expected 393216 dec - got 196608 dec"),
    ("mandatory-module-absent", CONTACT,
     _delete("RecognizableVisualFeatures", "LightSourcePolarization", "EmitterColorTemperature", "ContactMethod",
             "ImmersionMedia", "OpticalMagnificationFactor"),
     ["error: F: Dermoscopic Image Module: mandatory module is absent (none of its attributes is present) "
      "[Dermoscopic Image, M]"],
     "Error - Missing attribute Type 1 Required Element=<RecognizableVisualFeatures> Module=<DermoscopicImage>"),
    ("sequence-item-content", CONTACT, _item_without_code_meaning,
     ["error: F: (0008,2218)[1]>(0008,0104) AnatomicRegionSequence[1]>CodeMeaning: is missing "
      "[General Image, Type 1]"],
     "Error - Missing attribute Type 1 Required Element=<CodeMeaning> Module=<BasicCodeSequenceMacro>"),
    ("defined-term-is-a-warning", CONTACT, _set("PatientPosition", "XYZ"),
     ["warning: F: (0018,5100) PatientPosition: value 'XYZ' is not one of the Defined Terms "
      "[General Series, Type 2C]"],
     None),  # dciodvfy 2022 does not check Patient Position's Defined Terms for this IOD
    ("file-meta-disagrees", CONTACT, _other_instance_uid_in_meta,
     ["error: F: (0002,0003) MediaStorageSOPInstanceUID: 2.25.1 differs from SOPInstanceUID "
      + "{sop_instance}"],
     None),  # dciodvfy does not compare the meta information with the data set
    ("not-our-sop-class", CONTACT, _other_sop_class,
     ["error: F: (0008,0016) SOPClassUID: 1.2.840.10008.5.1.4.1.1.77.1.4 is not a SOP Class of supplement "
      "dermoscopy"],
     None),  # another IOD: dciodvfy checks it against that IOD, not against ours
]


@pytest.mark.parametrize("name,base,change,expected,_dciodvfy", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_one_fault_gives_exactly_the_expected_finding(tmp_path, examples, supplement, index, name, base, change,
                                                      expected, _dciodvfy):
    path = mutate(examples, tmp_path, base, change)
    sop_instance = pydicom.dcmread(examples / f"{base}.dcm").SOPInstanceUID
    assert findings(path, supplement, index) == [e.format(sop_instance=sop_instance) for e in expected]


@needs_dciodvfy
@pytest.mark.parametrize("name,base,change,_expected,message", [m for m in MUTATIONS if m[4]],
                         ids=[m[0] for m in MUTATIONS if m[4]])
def test_dciodvfy_agrees(tmp_path, examples, name, base, change, _expected, message):
    path = mutate(examples, tmp_path, base, change)
    assert message in dciodvfy(path)
    assert message not in dciodvfy(examples / f"{base}.dcm")


TRUNCATIONS = [
    ("inside-the-preamble", lambda size: 100,
     "error: F: not a DICOM Part 10 file: it has 100 bytes, fewer than the 128-byte preamble and 'DICM' prefix "
     "(empty or truncated)", "Error - Dicom dataset read failed"),
    ("empty", lambda size: 0,
     "error: F: not a DICOM Part 10 file: it has 0 bytes, fewer than the 128-byte preamble and 'DICM' prefix "
     "(empty or truncated)", None),
    ("inside-the-pixel-data", lambda size: size - 5000,
     "error: F: the file is truncated: the value of (7FE0,0010) has 191608 of its 196608 bytes",
     "Error - Dicom dataset read failed"),
]


@pytest.mark.parametrize("name,keep,expected,message", TRUNCATIONS, ids=[t[0] for t in TRUNCATIONS])
def test_truncated_file(tmp_path, examples, supplement, index, name, keep, expected, message):
    path = cut(examples, tmp_path, CONTACT, keep)
    assert findings(path, supplement, index) == [expected]
    if message and shutil.which("dciodvfy"):
        assert message in dciodvfy(path)


def test_truncated_inside_an_element_header(tmp_path, examples, supplement, index):
    data = (examples / f"{CONTACT}.dcm").read_bytes()
    end_of_rows = data.index(b"\x28\x00\x10\x00US") + 10  # (0028,0010) US, length 2, value: 10 bytes
    path = tmp_path / "header.dcm"
    path.write_bytes(data[:end_of_rows + 3])  # 3 bytes of the next element's header
    assert findings(path, supplement, index) == [
        "error: F: the file is truncated or corrupt: 3 bytes after the last element that could be read do not form "
        "a data element"]


def test_never_crashes_on_cut_or_corrupted_files(tmp_path, examples, supplement, index):
    data = (examples / f"{TRACKED}.dcm").read_bytes()
    path = tmp_path / "broken.dcm"
    for size in list(range(0, 1600, 7)) + [len(data) - 1, len(data) - 200_000 % len(data)]:
        path.write_bytes(data[:size])
        result = verify_file(path, supplement, index)
        assert any(i.severity == "error" for i in result), size
    for offset in range(128, 1500, 11):  # one byte set to 0xFF somewhere in the meta header or the data set
        path.write_bytes(data[:offset] + b"\xff" + data[offset + 1:])
        verify_file(path, supplement, index)  # any findings, but no exception


def test_not_dicom_at_all(tmp_path, supplement, index):
    path = tmp_path / "notes.dcm"
    path.write_text("x" * 400)
    [line] = findings(path, supplement, index)
    assert line.startswith("error: F: not a DICOM Part 10 file (")


# --- the command -----------------------------------------------------------------------------------------------


def test_command_exit_status_and_report_format(tmp_path, examples, capsys):
    good = sorted(str(p) for p in examples.glob("*.dcm"))
    assert verify_main([*good, "--spec", str(SPEC.parent)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and f"verify: {len(good)} files, 0 errors, 0 warnings" in err

    bad = mutate(examples, tmp_path, CONTACT, _delete("PatientName"))
    assert verify_main([str(bad), good[0], "--supplement", str(SPEC)]) == 1
    out, _err = capsys.readouterr()
    line_format = re.compile(r"^(error|warning): [^:]+: \(\w{4},\w{4}\)\S* \S+: .+ \[[^\]]+, Type \w+\]$")
    assert out.splitlines() == [f"error: {bad}: (0010,0010) PatientName: is missing (Type 2: present, possibly "
                                "empty) [Patient, Type 2]"]
    assert line_format.match(out.splitlines()[0])


def test_command_usage_errors(tmp_path, examples, capsys):
    assert verify_main([str(tmp_path / "missing.dcm"), "--spec", str(SPEC.parent)]) == 2
    assert verify_main([str(next(examples.glob("*.dcm"))), "--supplement", "no-such"]) == 2
    with pytest.raises(SystemExit) as stop:
        verify_main([])
    assert stop.value.code == 2


def test_registered_with_dicomsup(examples, capsys):
    from build_tools.cli import main

    assert main(["verify", str(next(examples.glob("*.dcm"))), "--spec", str(SPEC.parent)]) == 0


# --- conditions -----------------------------------------------------------------------------------------------


def _dataset(**values) -> Dataset:
    dataset = Dataset()
    for keyword, value in values.items():
        setattr(dataset, keyword, value)
    return dataset


def test_condition_forms():
    ds = _dataset(ContactMethod="CONTACT", ImageType=["ORIGINAL", "PRIMARY", "STEREO L"], SamplesPerPixel=3)
    assert evaluate(Condition(present="ContactMethod"), [ds]) is True
    assert evaluate(Condition(absent="ContactMethod"), [ds]) is False
    assert evaluate(Condition(attribute="ContactMethod", equals="CONTACT"), [ds]) is True
    assert evaluate(Condition(attribute="ContactMethod", one_of=["NON_CONTACT"]), [ds]) is False
    assert evaluate(Condition(attribute="ImageType", one_of=["STEREO L", "STEREO R"], value_index=3), [ds]) is True
    assert evaluate(Condition(attribute="ImageType", equals="STEREO L", value_index=2), [ds]) is False
    assert evaluate(Condition(attribute="SamplesPerPixel", equals="3"), [ds]) is True
    assert evaluate(Condition(not_=Condition(present="TrackingID")), [ds]) is True
    assert evaluate(Condition(all=[Condition(present="ContactMethod"), Condition(absent="TrackingID")]), [ds]) is True
    assert evaluate(Condition(any=[Condition(present="TrackingID"), Condition(absent="ContactMethod")]), [ds]) is False
    assert evaluate(Condition(named="IsAnimal", text="Required if the patient is an animal."), [ds]) is None
    assert evaluate(Condition(all=[Condition(named="X"), Condition(absent="ContactMethod")]), [ds]) is False
    assert evaluate(Condition(any=[Condition(named="X"), Condition(present="ContactMethod")]), [ds]) is True
    assert evaluate(Condition(), [ds]) is None  # no form: cannot be evaluated, never crashes


def test_condition_paths_and_enclosing_datasets():
    item = _dataset(CodeValue="39937001")
    ds = _dataset(AnatomicRegionSequence=[item], ContactMethod="CONTACT")
    assert evaluate(Condition(attribute="AnatomicRegionSequence>CodeValue", equals="39937001"), [ds]) is True
    assert evaluate(Condition(present="AnatomicRegionSequence>CodeMeaning"), [ds]) is False
    # on an item: the item first, then the dataset around it
    assert evaluate(Condition(present="CodeValue"), [ds, item]) is True
    assert evaluate(Condition(attribute="ContactMethod", equals="CONTACT"), [ds, item]) is True
