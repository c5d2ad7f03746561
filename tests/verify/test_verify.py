"""``dicomsup verify``: each rule caught by a copy of an example with exactly one fault, agreed by dciodvfy where
dciodvfy checks that rule; never a crash on a broken file; the command's output and exit status.

Examples are built into a temporary folder from spec/dermoscopy (never from output/).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Callable

import pydicom
import pytest

from build_tools.standard import baseline
from pydicom.dataset import Dataset

from build_tools.iod.evaluate import evaluate
from build_tools.core.model import Condition
from build_tools.commands.verify import main as verify_main
from build_tools.verify.checker import format_problem, verify_file


ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "dermoscopy"
CONTACT, NON_CONTACT, TRACKED = "contact-gel", "non-contact", "tracked-lesion"

needs_dciodvfy = pytest.mark.skipif(shutil.which("dciodvfy") is None,
                                    reason="dciodvfy (Debian dicom3tools) not installed; scripts/test.sh installs it")




def mutate(examples: Path, out: Path, base: str, change: Callable[[Dataset], None]) -> Path:
    dataset = pydicom.dcmread(examples / f"{base}.dcm")
    path = out / f"{base}-mutated.dcm"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns about the invalid values that some faults write
        change(dataset)
        dataset.save_as(path, enforce_file_format=not hasattr(change, "keeps_meta"))
    return path


def patch(examples: Path, out: Path, base: str, old: bytes, new: bytes) -> Path:
    """A copy of an example with one run of bytes replaced (for faults pydicom refuses to write)."""
    data = (examples / f"{base}.dcm").read_bytes()
    assert data.count(old) == 1 and len(old) == len(new)
    path = out / f"{base}-patched.dcm"
    path.write_bytes(data.replace(old, new))
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


def _private_and_group_length(dataset: Dataset) -> None:
    dataset.private_block(0x0009, "DICOMSUP TEST", create=True).add_new(0x01, "LO", "a private value")
    dataset.add_new(0x00080000, "UL", 0)  # a group length, retired in the data set but not wrong to find


def _attribute_in_an_item_outside_its_macro(dataset: Dataset) -> None:
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = "39937001", "SCT", "Skin structure"
    item.PatientName = "Doe^Jane"
    dataset.AnatomicRegionSequence = [item]


def _error_and_warning(dataset: Dataset) -> None:
    dataset.KVP = "120"  # warning at a lower tag than the error below
    del dataset.RecognizableVisualFeatures


def _other_sop_class(dataset: Dataset) -> None:
    dataset.SOPClassUID = dataset.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.77.1.4"


# (id, example, fault, exactly the findings of our verifier, what dciodvfy prints for it or None where it does not
# check that rule)
MUTATIONS = [
    ("type-1-missing", CONTACT, _delete("RecognizableVisualFeatures"),
     ["F: error: (0028,0302) RecognizableVisualFeatures: is missing [Dermoscopic Image, Type 1] [DV211]"],
     "Error - Missing attribute Type 1 Required Element=<RecognizableVisualFeatures> Module=<DermoscopicImage>"),
    ("type-1-empty", CONTACT, _set("RecognizableVisualFeatures", ""),
     ["F: error: (0028,0302) RecognizableVisualFeatures: is empty; a Type 1 attribute shall have a value "
      "[Dermoscopic Image, Type 1] [DV213]"],
     "Error - Empty attribute (no value) Type 1 Required Element=<RecognizableVisualFeatures> "
     "Module=<DermoscopicImage>"),
    ("type-2-missing", CONTACT, _delete("PatientName"),
     ["F: error: (0010,0010) PatientName: is missing (Type 2: present, possibly empty) [Patient, Type 2] [DV211]"],
     "Error - Missing attribute Type 2 Required Element=<PatientName> Module=<Patient>"),
    ("type-2c-missing-when-required", CONTACT, _delete("ImmersionMedia"),
     ["F: error: (0016,1004) ImmersionMedia: is missing; required because Contact Method (0016,1003) is CONTACT "
      "[Dermoscopic Image, Type 2C] [DV211]"],
     "Error - Missing attribute Type 2C Conditional Element=<ImmersionMedia> Module=<DermoscopicImage>"),
    ("type-2c-present-when-not", NON_CONTACT, _set("ImmersionMedia", ["WATER"]),
     ["F: error: (0016,1004) ImmersionMedia: is present but shall be absent: it is required only when "
      "Contact Method (0016,1003) is CONTACT, which does not hold [Dermoscopic Image, Type 2C] [DV212]"],
     "Error - Attribute present when condition unsatisfied (which may not be present otherwise) Type 2C "
     "Conditional Element=<ImmersionMedia> Module=<DermoscopicImage>"),
    ("type-1c-pair-broken", TRACKED, _delete("TrackingID"),
     ["F: error: (0062,0020) TrackingID: is missing; required because Tracking UID (0062,0021) is present "
      "[Dermoscopic Image, Type 1C] [DV211]",
      "F: error: (0062,0021) TrackingUID: is present but shall be absent: it is required only when Tracking ID "
      "(0062,0020) is present, which does not hold [Dermoscopic Image, Type 1C] [DV212]"],
     "Error - Missing attribute Type 1C Conditional Element=<TrackingID> Module=<DermoscopicImage>"),
    ("bad-enumerated-value", CONTACT, _set("LightSourcePolarization", "CROSS"),
     ["F: error: (0016,1001) LightSourcePolarization: value 'CROSS' is not an Enumerated Value "
      "(POLARIZED, NON_POLARIZED) [Dermoscopic Image, Type 2] [DV301]"],
     "Error - Unrecognized enumerated value <CROSS> for value 1 of attribute <Light Source Polarization>"),
    ("enumerated-value-in-lower-case", CONTACT, _set("LightSourcePolarization", "polarized"),
     ["F: error: (0016,1001) LightSourcePolarization: value 'polarized' is not an Enumerated Value "
      "(POLARIZED, NON_POLARIZED) [Dermoscopic Image, Type 2] [DV301]"],  # one finding: not also "not a valid CS"
     None),
    ("iod-constraint-modality", CONTACT, _set("Modality", "XC"),
     ["F: error: (0008,0060) Modality: value 'XC' is not an Enumerated Value (DMS) [General Series, Type 1] [DV301]"],
     "Error - Unrecognized enumerated value <XC> for value 1 of attribute <Modality>"),
    ("wrong-vr", CONTACT, _wrong_vr,
     ["F: error: (0016,1003) ContactMethod: VR is LO; the data dictionary says CS [DV403]"],
     # dciodvfy checks it, but only as a warning
     "Warning - Explicit value representation doesn't match data dictionary; Explicit <LO> Dictionary <CS>"),
    ("wrong-vm", CONTACT, _set("LightSourcePolarization", ["POLARIZED", "NON_POLARIZED"]),
     ["F: error: (0016,1001) LightSourcePolarization: has 2 values; the data dictionary allows VM 1 [DV404]"],
     "Error - Bad attribute Value Multiplicity 2 (1 Required by Dictionary) Element=<LightSourcePolarization>"),
    ("single-frame", CONTACT, _set("NumberOfFrames", 2),
     ["F: error: (0028,0008) NumberOfFrames: is 2; the IOD is single-frame [DV216]",
      "F: error: (7FE0,0010) PixelData: holds 196608 bytes; Rows, Columns, Samples per Pixel, Bits Allocated and "
      "Number of Frames make 393216 [DV407]",
      "F: warning: (0028,0008) NumberOfFrames: is not defined by the Dermoscopic Photography Image IOD (not an "
      "attribute of any of its modules) [DV215]"],  # dciodvfy: "Attribute is not present in standard DICOM IOD" too
     "Error - PixelData has incorrect value length - expected 393216 dec - got 196608 dec"),
    ("mandatory-module-absent", CONTACT,
     _delete("RecognizableVisualFeatures", "LightSourcePolarization", "EmitterColorTemperature", "ContactMethod",
             "ImmersionMedia", "OpticalMagnificationFactor"),
     ["F: error: Dermoscopic Image Module: mandatory module is absent (none of its attributes is present) "
      "[Dermoscopic Image, M] [DV204]"],
     "Error - Missing attribute Type 1 Required Element=<RecognizableVisualFeatures> Module=<DermoscopicImage>"),
    ("sequence-item-content", CONTACT, _item_without_code_meaning,
     ["F: error: (0008,2218)[1]>(0008,0104) AnatomicRegionSequence[1]>CodeMeaning: is missing "
      "[General Image, Type 1] [DV211]"],
     "Error - Missing attribute Type 1 Required Element=<CodeMeaning> Module=<BasicCodeSequenceMacro>"),
    ("defined-term-is-a-warning", CONTACT, _set("PatientPosition", "XYZ"),
     ["F: warning: (0018,5100) PatientPosition: value 'XYZ' is not one of the Defined Terms "
      "[General Series, Type 2C] [DV302]"],
     None),  # dciodvfy 2022 does not check Patient Position's Defined Terms for this IOD
    ("file-meta-disagrees", CONTACT, _other_instance_uid_in_meta,
     ["F: error: (0002,0003) MediaStorageSOPInstanceUID: 2.25.1 differs from SOPInstanceUID "
      + "{sop_instance} [DV105]"],
     None),  # dciodvfy does not compare the meta information with the data set
    ("not-our-sop-class", CONTACT, _other_sop_class,
     ["F: error: (0008,0016) SOPClassUID: 1.2.840.10008.5.1.4.1.1.77.1.4 is not a SOP Class of supplement "
      "dermoscopy [DV202]"],
     None),  # another IOD: dciodvfy checks it against that IOD, not against ours
    # --- value formats of PS3.5 Table 6.2-1 ---
    ("da-format", CONTACT, _set("PatientBirthDate", "1971-03-05"),
     ["F: error: (0010,0030) PatientBirthDate: value '1971-03-05' is not a valid DA (YYYYMMDD, a calendar date) "
      "[DV405]"],
     "Error - Value invalid for this VR - (0x0010,0x0030) DA Patient's Birth Date  DA [1] = <1971-03-05> - "
     "Character invalid for this VR = '-' (0x2d)"),
    ("da-no-such-day", CONTACT, _set("PatientBirthDate", "19710230"),
     ["F: error: (0010,0030) PatientBirthDate: value '19710230' is not a valid DA: day 30 is not 01 to 28 for month "
      "02 of 1971 [DV405]"],
     None),  # dciodvfy 2022 checks the characters of a date, not the calendar
    ("dt-format", CONTACT, _set("AcquisitionDateTime", "2026-11-25T10:15"),
     ["F: error: (0008,002A) AcquisitionDateTime: value '2026-11-25T10:15' is not a valid DT "
      "(YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]) [DV405]"],
     "Error - Value invalid for this VR - (0x0008,0x002a) DT Acquisition DateTime  DT [1] = <2026-11-25T10:15> - "
     "Character invalid for this VR = 'T' (0x54)"),
    ("dt-hour", CONTACT, _set("AcquisitionDateTime", "20261125251500"),
     ["F: error: (0008,002A) AcquisitionDateTime: value '20261125251500' is not a valid DT: hour 25 is not 00 to 23 "
      "[DV405]"],
     None),  # dciodvfy 2022 does not check the ranges of a DT
    ("dt-utc-offset", CONTACT, _set("AcquisitionDateTime", "20261125101500+1500"),
     ["F: error: (0008,002A) AcquisitionDateTime: value '20261125101500+1500' is not a valid DT: UTC offset +1500 "
      "is not -1200 to +1400 [DV405]"],
     None),
    ("tm-hour", CONTACT, _set("StudyTime", "246000"),
     ["F: error: (0008,0030) StudyTime: value '246000' is not a valid TM: hour 24 is not 00 to 23 [DV405]"],
     "Error - Value invalid for this VR - (0x0008,0x0030) TM Study Time  TM [1] = <246000>"),
    ("as-format", CONTACT, _set("PatientAge", "55Y"),
     ["F: error: (0010,1010) PatientAge: value '55Y' is not a valid AS (nnnD, nnnW, nnnM or nnnY, e.g. 055Y) [DV405]"],
     "Error - Value invalid for this VR - (0x0010,0x1010) AS Patient's Age  AS [1] = <55Y> - Length invalid for this "
     "VR = 3, expected == 4"),
    ("pn-components", CONTACT, _set("PatientName", "Doe^Jane^Q^Dr.^PhD^Extra"),
     ["F: error: (0010,0010) PatientName: value 'Doe^Jane^Q^Dr.^PhD^Extra' component group 1 has 6 components "
      "separated by '^'; PN allows 5 (family, given, middle, prefix, suffix) [DV405]"],
     "Too many delimiters (^) in PersonName"),
    ("pn-component-groups", CONTACT, _set("ReferringPhysicianName", "Roe^Richard=R=R=R"),
     ["F: error: (0008,0090) ReferringPhysicianName: value 'Roe^Richard=R=R=R' has 4 component groups separated by "
      "'='; PN allows 3 (alphabetic, ideographic, phonetic) [DV405]"],
     "Too many component group delimiters (=) in PersonName"),
    ("pn-group-length", CONTACT, _set("PatientName", "A" * 65),
     ["F: error: (0010,0010) PatientName: value '" + "A" * 40 + "…' component group 1 is 65 characters; PN "
      "allows 64 [DV405]"],
     "Error - Value invalid for this VR - (0x0010,0x0010) PN Patient's Name  PN [1] = <" + "A" * 65 + "> - Length "
     "invalid for this VR = 65, expected <= 64"),
    ("ui-leading-zero", CONTACT, _set("StudyInstanceUID", "1.2.03"),
     ["F: error: (0020,000D) StudyInstanceUID: value '1.2.03' is not a valid UI (digits and dots, components "
      "without leading zeros) [DV405]"],
     "Error - Value invalid for this VR - (0x0020,0x000d) UI Study Instance UID  UI [1] = <1.2.03> - Leading zeroes "
     "in embedded numeric component(s)"),
    ("ui-length", CONTACT, _set("StudyInstanceUID", "1." + "2" * 64),
     ["F: error: (0020,000D) StudyInstanceUID: value '1." + "2" * 38 + "…' is 66 characters; UI allows 64 [DV405]"],
     "Length invalid for this VR = 66, expected <= 64"),
    ("cs-lower-case", CONTACT, _set("ImageType", ["ORIGINAL", "primary"]),
     ["F: error: (0008,0008) ImageType: value 'primary' is not a valid CS (upper-case letters, digits, space and "
      "underscore) [DV405]"],
     "Error - Value invalid for this VR - (0x0008,0x0008) CS Image Type  CS [2] = <primary> - Character invalid for "
     "this VR = 'p' (0x70)"),
    ("is-not-an-integer", CONTACT, _set("SeriesNumber", "1.5"),
     ["F: error: (0020,0011) SeriesNumber: value '1.5' is not a valid IS (an integer from -2147483648 to "
      "2147483647) [DV405]"],
     "Error - Value invalid for this VR - (0x0020,0x0011) IS Series Number  IS [1] = <1.5> - Character invalid for "
     "this VR = '.' (0x2e)"),
    ("sh-length", CONTACT, _set("StudyID", "DERM-0000000000001"),
     ["F: error: (0020,0010) StudyID: value 'DERM-0000000000001' is 18 characters; SH allows 16 [DV405]"],
     "Error - Value invalid for this VR - (0x0020,0x0010) SH Study ID  SH [1] = <DERM-0000000000001> - Length "
     "invalid for this VR = 18, expected <= 16"),
    ("lo-control-character", CONTACT, _set("Manufacturer", "Example\x01Inc"),
     ["F: error: (0008,0070) Manufacturer: value 'Example\\x01Inc' holds the control character '\\x01', which LO does "
      "not allow [DV405]"],
     "(0x0008,0x0070) LO Manufacturer  LO [1] = <Example\x01Inc> - Character invalid for this VR"),
    ("ut-control-character", TRACKED, _set("TrackingID", "left scapula\x01 lesion 3"),
     ["F: error: (0062,0020) TrackingID: value 'left scapula\\x01 lesion 3' holds the control character '\\x01', "
      "which UT does not allow [DV405]"],
     "(0x0062,0x0020) UT Tracking ID  UT [1] = <left scapula\x01 lesion 3> - Character invalid for this VR"),
    ("non-ascii-without-character-set", CONTACT, _set("DeviceSerialNumber", "DV10-Größe"),
     ["F: error: (0018,1000) DeviceSerialNumber: value 'DV10-Größe' has characters outside the default repertoire "
      "(ASCII), and Specific Character Set (0008,0005) is absent [DV406]"],
     None),  # dciodvfy 2022 reads the Latin-1 bytes pydicom wrote without complaint
    # --- attributes that the IOD does not define ---
    ("attribute-not-in-the-iod", CONTACT, _set("KVP", "120"),
     ["F: warning: (0018,0060) KVP: is not defined by the Dermoscopic Photography Image IOD (not an attribute of "
      "any of its modules) [DV215]"],
     "Warning - Attribute is not present in standard DICOM IOD - (0x0018,0x0060) DS KVP"),
    ("private-and-group-length-are-not-reported", CONTACT, _private_and_group_length, [], None),
    ("attribute-in-an-item-outside-its-macro", CONTACT, _attribute_in_an_item_outside_its_macro,
     ["F: warning: (0008,2218)[1]>(0010,0010) AnatomicRegionSequence[1]>PatientName: is not defined by the "
      "Dermoscopic Photography Image IOD (not an attribute of an item of this sequence) [DV215]"],
     None),  # dciodvfy 2022 does not look for extra attributes inside items
    ("errors-before-warnings", CONTACT, _error_and_warning,
     ["F: error: (0028,0302) RecognizableVisualFeatures: is missing [Dermoscopic Image, Type 1] [DV211]",
      "F: warning: (0018,0060) KVP: is not defined by the Dermoscopic Photography Image IOD (not an attribute of "
      "any of its modules) [DV215]"],
     "Warning - Attribute is not present in standard DICOM IOD - (0x0018,0x0060) DS KVP"),
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


def test_ds_format_written_byte_by_byte(tmp_path, examples, supplement, index):
    """pydicom refuses to hold '5,50' as a DS, so the fault is written into the bytes of the file."""
    path = patch(examples, tmp_path, CONTACT, b"\x16\x00\x02\x10DS\x04\x005500", b"\x16\x00\x02\x10DS\x04\x005,50")
    assert findings(path, supplement, index) == [
        "F: error: (0016,1002) EmitterColorTemperature: value '5,50' is not a valid DS (a decimal number such as 12.5, "
        "-0.5 or 1.5E3) [DV405]"]
    if shutil.which("dciodvfy"):
        assert "(0x0016,0x1002) DS Emitter Color Temperature  DS [1] = <5,50> - Character invalid" in dciodvfy(path)


VALID_VALUES = [
    ("AE", "DICOMSUP"), ("AE", "STORE SCP"), ("AS", "055Y"), ("AS", "010D"), ("AS", "003W"), ("AS", "018M"),
    ("CS", "NON_CONTACT"), ("CS", "ISO_IR 192"), ("DA", "19710305"), ("DA", "20240229"), ("DA", "20000229"),
    ("DS", "5500"), ("DS", "-0.5"), ("DS", " 1.5E3"), ("DS", ".5"), ("DS", "+12."), ("DT", "2026"), ("DT", "202611"),
    ("DT", "20261125101500"), ("DT", "20261125101500.123456+0100"), ("DT", "20261125101500-1200"),
    ("DT", "20261125235960"), ("IS", "-2147483648"), ("IS", "2147483647"), ("IS", " 42 "), ("TM", "10"),
    ("TM", "1015"), ("TM", "101500.5"), ("TM", "235960.000001"), ("UI", "1.2.840.10008.5.1.4.1.1.77.1.7"),
    ("UI", "2.25.0"), ("PN", "Doe^Jane"), ("PN", "Roe^Richard^^Dr."),
    ("PN", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
    ("PN", "A" * 64 + "=" + "B" * 64), ("SH", "X" * 16), ("LO", "Example Dermoscopes Inc."),
    ("LT", "line one\r\nline two\fpage"), ("ST", "a\\b"), ("UT", "x" * 20000), ("UC", "any length " * 100),
    ("UR", "https://example.org/dicomsup?a=1#x"), ("UR", "urn:oid:2.25.1 "), ("LO", "ISO 2022 \x1b$B text"),
]

INVALID_VALUES = [
    ("AE", "  ", "is all spaces, which AE does not allow"),
    ("AE", "STORE\\SCP", "is not a valid AE (printable ASCII characters other than backslash)"),
    ("AE", "STORE\tSCP", "is not a valid AE (printable ASCII characters other than backslash)"),
    ("AE", "A" * 17, "is 17 characters; AE allows 16"),
    ("AS", "55Y", "is not a valid AS (nnnD, nnnW, nnnM or nnnY, e.g. 055Y)"),
    ("AS", "055y", "is not a valid AS (nnnD, nnnW, nnnM or nnnY, e.g. 055Y)"),
    ("CS", "Contact", "is not a valid CS (upper-case letters, digits, space and underscore)"),
    ("CS", "A" * 17, "is 17 characters; CS allows 16"),
    ("DA", "20231301", "is not a valid DA: month 13 is not 01 to 12"),
    ("DA", "21000229", "is not a valid DA: day 29 is not 01 to 28 for month 02 of 2100"),
    ("DA", "20230100", "is not a valid DA: day 00 is not 01 to 31 for month 01 of 2023"),
    ("DA", "2023.01.01", "is not a valid DA (YYYYMMDD, a calendar date)"),
    ("DS", "1,5", "is not a valid DS (a decimal number such as 12.5, -0.5 or 1.5E3)"),
    ("DS", "NaN", "is not a valid DS (a decimal number such as 12.5, -0.5 or 1.5E3)"),
    ("DS", "1.00000000000000001", "is 19 characters; DS allows 16"),
    ("DT", "20261125101500.1234567", "is not a valid DT (YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX])"),
    ("DT", "2026112525", "is not a valid DT: hour 25 is not 00 to 23"),
    ("DT", "202611251061", "is not a valid DT: minute 61 is not 00 to 59"),
    ("DT", "20261125101500+0160", "is not a valid DT: UTC offset +0160 is not -1200 to +1400"),
    ("DT", "20261125101500-1300", "is not a valid DT: UTC offset -1300 is not -1200 to +1400"),
    ("DT", "20261332", "is not a valid DT: month 13 is not 01 to 12"),
    ("IS", "2147483648", "is not a valid IS (an integer from -2147483648 to 2147483647)"),
    ("IS", "1e3", "is not a valid IS (an integer from -2147483648 to 2147483647)"),
    ("TM", "10:15:00", "is not a valid TM (HH[MM[SS[.FFFFFF]]])"),
    ("TM", "1060", "is not a valid TM: minute 60 is not 00 to 59"),
    ("TM", "101561", "is not a valid TM: second 61 is not 00 to 60"),
    ("UI", "1.2.840.", "is not a valid UI (digits and dots, components without leading zeros)"),
    ("UI", "1.2.a", "is not a valid UI (digits and dots, components without leading zeros)"),
    ("PN", "A" * 65, "component group 1 is 65 characters; PN allows 64"),
    ("PN", "Doe^Jane=" + "B" * 65, "component group 2 is 65 characters; PN allows 64"),
    ("PN", "Doe^Jane\n", "holds the control character '\\n', which PN does not allow"),
    ("SH", "X" * 17, "is 17 characters; SH allows 16"),
    ("LO", "x" * 65, "is 65 characters; LO allows 64"),
    ("LO", "tab\there", "holds the control character '\\t', which LO does not allow"),
    ("ST", "x" * 1025, "is 1025 characters; ST allows 1024"),
    ("LT", "x" * 10241, "is 10241 characters; LT allows 10240"),
    ("LT", "bell\x07", "holds the control character '\\x07', which LT does not allow"),
    ("UC", "a\x00b", "holds the control character '\\x00', which UC does not allow"),
    ("UR", "https://example.org/a b", "is not a valid UR (a URI or URL without spaces)"),
    ("UR", " https://example.org", "has leading spaces, which UR does not allow"),
]


@pytest.mark.parametrize("vr,value", VALID_VALUES, ids=[f"{v}-{i}" for i, (v, _x) in enumerate(VALID_VALUES)])
def test_valid_values_pass_their_vr(vr, value):
    assert format_problem(vr, value) is None


@pytest.mark.parametrize("vr,value,message", INVALID_VALUES, ids=[f"{v[0]}-{i}" for i, v in enumerate(INVALID_VALUES)])
def test_invalid_values_say_why(vr, value, message):
    assert format_problem(vr, value) == message


# --- the File Meta Information and the transfer syntax --------------------------------------------------------


def _syntax(examples: Path, out: Path, syntax: bytes) -> Path:
    """A copy of an example whose Transfer Syntax UID is replaced by another of the same length."""
    return patch(examples, out, CONTACT, b"1.2.840.10008.1.2.1\x00", syntax)


def test_unknown_transfer_syntax(tmp_path, examples, supplement, index):
    path = _syntax(examples, tmp_path, b"1.2.3.4.5.6.7.8.9.10")
    assert findings(path, supplement, index) == [
        "F: error: (0002,0010) TransferSyntaxUID: 1.2.3.4.5.6.7.8.9.10 is not a Transfer Syntax UID of PS3.6 (or one "
        "pydicom knows); the data set was read as pydicom guessed [DV106]"]


def test_encapsulated_transfer_syntax_with_native_pixel_data(tmp_path, examples, supplement, index):
    path = _syntax(examples, tmp_path, b"1.2.840.10008.1.2.5\x00")
    assert findings(path, supplement, index) == [
        "F: error: (0002,0010) TransferSyntaxUID: 1.2.840.10008.1.2.5 (RLE Lossless) is encapsulated, but Pixel Data "
        "(7FE0,0010) is native (not encapsulated in fragments) [DV107]"]
    if shutil.which("dciodvfy"):
        assert "fixed value length for PixelData element in top level Dataset is illegal in encapsulated" \
            in dciodvfy(path)


def test_implicit_transfer_syntax_over_an_explicit_data_set(tmp_path, examples, supplement, index):
    path = _syntax(examples, tmp_path, b"1.2.840.10008.1.2\x00\x00\x00")
    assert findings(path, supplement, index) == [
        "F: error: (0002,0010) TransferSyntaxUID: says implicit VR, but the data set is encoded with explicit VR "
        "[DV004]"]


def test_big_endian_transfer_syntax_over_a_little_endian_data_set(tmp_path, examples, supplement, index):
    path = _syntax(examples, tmp_path, b"1.2.840.10008.1.2.2\x00")
    result = findings(path, supplement, index)
    assert result[-1] == ("F: error: (0002,0010) TransferSyntaxUID: the data set was read as 1.2.840.10008.1.2.2 "
                          "(Explicit VR Big Endian); if the file is not truncated, it does not follow this transfer "
                          "syntax [DV004]")
    assert len(result) == 2 and result[0].startswith("F: error: the file is truncated")


def _meta_without_implementation_class(dataset: Dataset) -> None:
    del dataset.file_meta.ImplementationClassUID
    dataset.file_meta.ImplementationVersionName = "A_NAME_LONGER_THAN_16"


_meta_without_implementation_class.keeps_meta = True


def test_file_meta_type_1_and_formats(tmp_path, examples, supplement, index):
    path = mutate(examples, tmp_path, CONTACT, _meta_without_implementation_class)
    assert findings(path, supplement, index) == [
        "F: error: (0002,0012) ImplementationClassUID: missing or empty in the File Meta Information (Type 1, PS3.10 "
        "Table 7.1-1) [DV102]",
        "F: error: (0002,0013) ImplementationVersionName: value 'A_NAME_LONGER_THAN_16' is 21 characters; SH allows "
        "16 [DV104]"]


def test_file_meta_element_of_unknown_vr(tmp_path, examples, supplement, index):
    path = patch(examples, tmp_path, CONTACT, b"\x02\x00\x12\x00UI", b"\x02\x00\x12\x00HI")
    assert findings(path, supplement, index) == [
        "F: error: (0002,0012) ImplementationClassUID: cannot be decoded: NotImplementedError: Unknown Value "
        "Representation 'HI' in tag (0002,0012) [DV101]"]


def test_dicm_prefix_without_file_meta(tmp_path, supplement, index):
    path = tmp_path / "prefix-only.dcm"
    path.write_bytes(b"\x00" * 128 + b"DICM" + b"garbage " * 40)
    assert findings(path, supplement, index) == [
        "F: error: not a DICOM Part 10 file: no File Meta Information (group 0002) follows the 'DICM' prefix "
        "[DV002]"]


def test_a_directory_is_reported_not_crashed(tmp_path, supplement, index):
    folder = tmp_path / "series.dcm"
    folder.mkdir()
    assert findings(folder, supplement, index) == ["F: error: is a directory, not a file [DV001]"]


TRUNCATIONS = [
    ("inside-the-preamble", lambda size: 100,
     "F: error: not a DICOM Part 10 file: it has 100 bytes, fewer than the 128-byte preamble and 'DICM' prefix "
     "(empty or truncated) [DV002]", "Error - Dicom dataset read failed"),
    ("empty", lambda size: 0,
     "F: error: not a DICOM Part 10 file: it has 0 bytes, fewer than the 128-byte preamble and 'DICM' prefix "
     "(empty or truncated) [DV002]", None),
    ("inside-the-pixel-data", lambda size: size - 5000,
     "F: error: the file is truncated: the value of (7FE0,0010) has 191608 of its 196608 bytes [DV003]",
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
        "F: error: the file is truncated or corrupt: 3 bytes after the last element that could be read do not form "
        "a data element [DV003]"]


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
    assert findings(path, supplement, index) == [
        "F: error: not a DICOM Part 10 file: no 'DICM' prefix after the 128-byte preamble (not DICOM, or a bare data "
        "set without File Meta Information) [DV002]"]


# --- the command -----------------------------------------------------------------------------------------------


def test_command_exit_status_and_report_format(tmp_path, examples, capsys):
    good = sorted(str(p) for p in examples.glob("*.dcm"))
    assert verify_main([*good, "--spec", str(SPEC.parent)]) == 0
    out, err = capsys.readouterr()
    assert f"verify: {len(good)} files, 0 errors, 0 warnings, {len(good)} notes" in err
    notes = out.splitlines()  # what the catalog cannot check: said once, since it reads the same for every file
    assert len(notes) == 1 and ": note: " in notes[0] and notes[0].endswith("[DV218]")

    bad = mutate(examples, tmp_path, CONTACT, _delete("PatientName"))
    assert verify_main([str(bad), good[0], "--supplement", str(SPEC), "--ignore", "DV218"]) == 1
    out, _err = capsys.readouterr()
    line_format = re.compile(r"^[^:]+: (error|warning): \(\w{4},\w{4}\)\S* \S+: .+ \[[^\]]+, Type \w+\] \[DV\d{3}\]$")
    assert out.splitlines() == [f"{bad}: error: (0010,0010) PatientName: is missing (Type 2: present, possibly "
                                "empty) [Patient, Type 2] [DV211]"]
    assert line_format.match(out.splitlines()[0])


def test_command_usage_errors(tmp_path, examples, capsys):
    assert verify_main([str(tmp_path / "missing.dcm"), "--spec", str(SPEC.parent)]) == 2
    assert verify_main([str(next(examples.glob("*.dcm"))), "--supplement", "no-such"]) == 2
    with pytest.raises(SystemExit) as stop:
        verify_main([])
    assert stop.value.code == 2


def test_command_with_paths_it_cannot_check(tmp_path, examples, capsys, monkeypatch):
    """A directory, a missing path and an unreadable file: each a DV001 finding, the others still checked, exit 2."""
    import build_tools.verify.checker as verify_module

    good = str(next(examples.glob("*.dcm")))
    folder = tmp_path / "folder.dcm"
    folder.mkdir()
    locked = tmp_path / "locked.dcm"
    locked.write_bytes((examples / f"{CONTACT}.dcm").read_bytes())
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads whatever the mode says: make the read fail as it would for a user
        real_open = open

        def refuse(path, *args, **kwargs):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(verify_module, "open", refuse, raising=False)
    bad = mutate(examples, tmp_path, CONTACT, _delete("PatientName"))
    status = verify_main([str(folder), str(tmp_path / "missing.dcm"), str(locked), str(bad), good,
                          "--spec", str(SPEC.parent), "--ignore", "DV218"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out.splitlines() == [
        f"{folder}: error: is a directory, not a file (to verify the files in it, pass them: {folder}/*.dcm) [DV001]",
        f"{tmp_path / 'missing.dcm'}: error: no such file [DV001]",
        f"{locked}: error: cannot be read: Permission denied [DV001]",
        f"{bad}: error: (0010,0010) PatientName: is missing (Type 2: present, possibly empty) [Patient, Type 2] "
        "[DV211]"]
    assert err.splitlines() == [baseline.describe(), "verify: 2 files, 1 error, 0 warnings (2 more not selected); 3 "
                                                     "paths could not be checked"]


def test_command_lists_errors_before_warnings(tmp_path, examples, capsys):
    bad = mutate(examples, tmp_path, CONTACT, _error_and_warning)
    assert verify_main([str(bad), "--spec", str(SPEC.parent)]) == 1
    out, err = capsys.readouterr()
    assert [line.split(": ")[1] for line in out.splitlines()] == ["error", "warning", "note"]
    assert "verify: 1 file, 1 error, 1 warning" in err


def test_warnings_alone_exit_0(tmp_path, examples, capsys):
    bad = mutate(examples, tmp_path, CONTACT, _set("KVP", "120"))
    assert verify_main([str(bad), "--spec", str(SPEC.parent)]) == 0
    out, _err = capsys.readouterr()
    assert out.startswith(f"{bad}: warning: (0018,0060) KVP: ")
    assert verify_main([str(bad), "--spec", str(SPEC.parent), "--strict"]) == 1


def test_registered_with_dicomsup(examples, capsys):
    from build_tools.commands.main import main

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
