"""Syntax of the values a supplement defines: tags, VRs, VMs, UIDs, dates, section and table labels, codes.

Each check returns ``None`` when the value is well formed, else a short English phrase saying what is wrong
(the rules put it into a located message).
"""

from __future__ import annotations

import datetime
import re

#: The Value Representations of PS3.5 Table 6.2-1.
VRS = frozenset("AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US "
                "UT UV".split())

#: Groups that are not for data elements of an information object: command (0000), file meta information
#: (0002), directory structure (0004), and the retired groups 0006 (also reserved for the directory).
RESERVED_GROUPS = {0x0000: "command", 0x0002: "file meta information", 0x0004: "directory structure",
                   0x0006: "directory structure"}

#: Coding Scheme Designators of PS3.16 Table 8-1 that a supplement commonly uses. Not the whole table: a
#: designator missing here is reported with the list, so that a new one is added deliberately.
CODING_SCHEMES = frozenset({
    "DCM",        # DICOM Controlled Terminology (PS3.16 Annex D)
    "SCT",        # SNOMED CT
    "LN",         # LOINC
    "UCUM",       # Unified Code for Units of Measure
    "FMA",        # Foundational Model of Anatomy
    "RADLEX",     # RadLex
    "NCIt",       # NCI Thesaurus
    "UMLS",       # UMLS concept unique identifiers
    "MSH",        # MeSH
    "RXNORM",     # RxNorm
    "NDC",        # US National Drug Codes
    "I10",        # ICD-10
    "I11",        # ICD-11
    "I9C",        # ICD-9-CM
    "MDC",        # ISO/IEEE 11073 Medical Device Communications
    "IBSI",       # Image Biomarker Standardisation Initiative
    "ITIS_TSN",   # Integrated Taxonomic Information System
    "PUBCHEM_CID",
    "NEU",        # NeuroNames
    "BARI",       # Bypass Angioplasty Revascularization Investigation
    "DC",         # Dublin Core
    "UBERON",
    "MA",         # Adult Mouse Anatomy
    "MGI",
    "NYUMCCG",    # NYU Melanoma Clinical Cooperative Group (dermatology)
    "MAYONRISBSASRG",  # Mayo Clinic non-radiological images body structure (dermatology)
    "RRID",
    "UNS",
})

#: Designators that are retired: using one is a warning naming the replacement.
RETIRED_SCHEMES = {"SRT": "SCT", "SNM3": "SCT", "99SDM": "SCT"}

_TAG = re.compile(r"\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)")
_VM = re.compile(r"(?P<min>[1-9]\d*)(?:-(?:(?P<max>[1-9]\d*)|(?P<step>[1-9]\d*)?n))?")
_SECTION = re.compile(r"(?:[A-Z]{1,5}|\d+)(?:\.\d+[a-z]?)*")
_TABLE = re.compile(r"(?:[A-Z]{1,5}|\d+)(?:\.\d+[a-z]?)*-\d+[a-z]?")
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_CS = re.compile(r"[A-Z0-9 _]*")


def tag(text: str) -> str | None:
    """``(gggg,eeee)``: upper-case hexadecimal, a public group, not a reserved group or a group length."""
    match = _TAG.fullmatch(text)
    if match is None:
        return "is not a tag; expected (gggg,eeee) with four hexadecimal digits each, e.g. (0016,1003)"
    if text != text.upper():
        return f"is written in lower case; write {text.upper()}"
    group, element = int(match.group(1), 16), int(match.group(2), 16)
    if group % 2:
        return f"has an odd group {match.group(1)}, which is for private data elements; standard tags have even groups"
    if group in RESERVED_GROUPS:
        return f"is in group {match.group(1)}, which holds {RESERVED_GROUPS[group]} elements only"
    if element == 0:
        return "is a group length (element 0000); those are not defined by supplements"
    return None


def vr(text: str) -> str | None:
    """A standard VR, or alternatives such as ``US or SS`` / ``OB or OW``."""
    parts = [p.strip() for p in text.split(" or ")]
    bad = [p for p in parts if p not in VRS]
    if bad:
        return f"{', '.join(repr(b) for b in bad)} is not a Value Representation; expected one of {' '.join(sorted(VRS))}" \
               " (or alternatives such as 'US or SS')"
    if len(set(parts)) != len(parts):
        return "names the same VR twice"
    return None


def vm(text: str) -> str | None:
    """``1``, ``1-3``, ``1-n``, ``2-2n`` …"""
    match = _VM.fullmatch(text)
    if match is None:
        return "is not a Value Multiplicity; expected e.g. 1, 2, 1-3, 1-n, 2-2n"
    low = int(match.group("min"))
    if match.group("max") and int(match.group("max")) <= low:
        return f"has a maximum not above its minimum {low}"
    if match.group("step") and int(match.group("step")) != low:
        return f"repeats in steps of {match.group('step')} but starts at {low}; write {low}-{low}n"
    return None


def keyword(text: str) -> str | None:
    if _KEYWORD.fullmatch(text) is None:
        return "is not a keyword; expected letters and digits starting with a letter, e.g. ContactMethod"
    return None


def uid(text: str) -> str | None:
    """At most 64 characters, digits and dots, no empty components, no leading zeros."""
    if not text:
        return "is empty"
    if len(text) > 64:
        return f"is {len(text)} characters long; a UID has at most 64"
    if not re.fullmatch(r"[0-9.]+", text):
        return "holds characters other than digits and dots"
    for component in text.split("."):
        if not component:
            return "has an empty component (two dots in a row, or a dot at an end)"
        if len(component) > 1 and component[0] == "0":
            return f"has a component with a leading zero ({component})"
    return None


def date(text: str) -> str | None:
    """``YYYY-MM-DD`` and a real date."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        datetime.date.fromisoformat(text)
    except ValueError:
        return "is not a date written YYYY-MM-DD, e.g. 2026-11-25"
    return None


def version_date(text: str) -> str | None:
    """A context group version: ``YYYYMMDD`` and a real date."""
    try:
        if not re.fullmatch(r"\d{8}", text):
            raise ValueError
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return "is not a version written YYYYMMDD, e.g. 20261125"
    return None


def section(text: str) -> str | None:
    if _SECTION.fullmatch(text) is None:
        return "is not a section number; expected e.g. C.8.12.13, A.32.11 or 10.5"
    return None


def table(text: str) -> str | None:
    if _TABLE.fullmatch(text) is None:
        return "is not a table label; expected e.g. C.8.12.13-1, C.7-5b or 6-1"
    return None


def value_for_vr(value: str, vr_text: str) -> str | None:
    """Whether an Enumerated Value or Defined Term can be encoded with the VR (only the checkable VRs)."""
    vrs = [p.strip() for p in vr_text.split(" or ")]
    if "CS" in vrs:
        if len(value) > 16:
            return f"is {len(value)} characters long; a CS value has at most 16"
        if not _CS.fullmatch(value):
            return "is not a valid CS value; use upper-case letters, digits, space and underscore only"
    elif vrs and all(v in ("US", "SS", "UL", "SL", "IS", "SV", "UV") for v in vrs):
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            return f"is not a whole number, as VR {vr_text} needs"
    elif vrs and all(v in ("DS", "FL", "FD") for v in vrs):
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value.strip()):
            return f"is not a number, as VR {vr_text} needs"
    elif "UI" in vrs:
        return uid(value)
    return None


def verhoeff(digits: str) -> bool:
    """Whether the Verhoeff check digit (the last digit) is right."""
    d = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
         [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
         [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
         [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
    p = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
         [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
         [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
    check = 0
    for i, ch in enumerate(reversed(digits)):
        check = d[check][p[i % 8][int(ch)]]
    return check == 0


def sctid(text: str) -> str | None:
    """A SNOMED CT identifier: 6 to 18 digits, a concept partition identifier, a valid Verhoeff check digit."""
    if not re.fullmatch(r"[1-9]\d{5,17}", text):
        return "is not a SNOMED CT identifier; expected 6 to 18 digits without a leading zero"
    partition = text[-3:-1]
    if partition not in ("00", "10"):
        return f"has partition identifier {partition}, which is not a concept's (00 or 10)"
    if not verhoeff(text):
        return "fails the Verhoeff check digit; check for a mistyped digit"
    return None
