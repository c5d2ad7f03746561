"""Keyword derivation agrees with PS3.6 (as pydicom's dictionary has it)."""

from __future__ import annotations

import pytest
from pydicom.datadict import DicomDictionary
from pydicom.uid import UID_dictionary

from build_tools.core.names import EXCEPTIONS, keyword_from_name, uid_keyword_from_name


def agreement(pairs) -> tuple[float, list]:
    pairs = list(pairs)
    wrong = [(name, keyword, derive) for name, keyword, derive in pairs if derive(name) != keyword]
    return 1 - len(wrong) / len(pairs), wrong


def test_data_element_keywords_agree_with_ps3_6():
    ratio, wrong = agreement((name, keyword, keyword_from_name) for _vr, _vm, name, retired, keyword
                             in DicomDictionary.values() if keyword and not retired)
    assert ratio >= 0.98, wrong[:20]


def test_data_element_keywords_agree_without_the_exceptions():
    """The rules, not the exception list, carry the agreement."""
    ratio, _wrong = agreement((name, keyword, keyword_from_name) for _vr, _vm, name, retired, keyword
                              in DicomDictionary.values() if keyword and not retired and name not in EXCEPTIONS)
    assert ratio >= 0.98
    assert len(EXCEPTIONS) <= 5


def test_storage_sop_class_keywords_agree_with_ps3_6():
    ratio, wrong = agreement((name, keyword, uid_keyword_from_name) for name, kind, _info, retired, keyword
                             in UID_dictionary.values() if keyword and not retired and kind == "SOP Class")
    assert ratio >= 0.98, wrong[:20]


@pytest.mark.parametrize("name, keyword", [
    ("Contact Method", "ContactMethod"),
    ("Patient's Name", "PatientName"),
    ("Physician(s) of Record", "PhysiciansOfRecord"),
    ("X-Ray Tube Current in mA", "XRayTubeCurrentInmA"),
    ("Diffusion b-value", "DiffusionBValue"),
    ("Number of Completed Sub-operations", "NumberOfCompletedSuboperations"),
    ("Multi-frame Source SOP Instance UID", "MultiFrameSourceSOPInstanceUID"),
    ("2D Mating Point", "TwoDMatingPoint"),
    ("Frame Numbers of Interest (FOI)", "FrameNumbersOfInterest"),
    ("Chemical Shift Minimum Integration Limit in ppm", "ChemicalShiftMinimumIntegrationLimitInppm"),
])
def test_keyword_rules(name, keyword):
    assert keyword_from_name(name) == keyword


@pytest.mark.parametrize("name, keyword", [
    ("Dermoscopic Photography Image Storage", "DermoscopicPhotographyImageStorage"),
    ("Verification SOP Class", "Verification"),
    ("Printer SOP Instance", "PrinterInstance"),
    ("Study Root Query/Retrieve Information Model - FIND", "StudyRootQueryRetrieveInformationModelFind"),
    ("12-lead ECG Waveform Storage", "TwelveLeadECGWaveformStorage"),
])
def test_uid_keyword_rules(name, keyword):
    assert uid_keyword_from_name(name) == keyword
