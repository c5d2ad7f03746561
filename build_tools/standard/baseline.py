"""What already exists in the DICOM standard: the PS3.6 dictionary and UID list (from pydicom) and the
committed catalog of PS3.3 modules and macros (``data/modules.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pydicom
from pydicom.datadict import DicomDictionary, keyword_dict
from pydicom.uid import UID_dictionary

from build_tools.core.errors import Finding, InputError
from build_tools.core.model import Catalog
from build_tools.core.resources import data_file

CATALOG_FILE = "modules.yaml"
PYDICOM_VERSION = pydicom.__version__


@dataclass(frozen=True)
class StandardElement:
    """A data element of PS3.6 as the installed pydicom knows it."""

    tag: int
    vr: str
    vm: str
    name: str
    keyword: str
    retired: bool


@dataclass(frozen=True)
class StandardUID:
    value: str
    name: str
    type: str
    keyword: str
    retired: bool


def element_by_tag(tag: int) -> StandardElement | None:
    entry = DicomDictionary.get(tag)
    if entry is None:
        return None
    vr, vm, name, retired, keyword = entry
    return StandardElement(tag, vr, vm, name, keyword, bool(retired))


def element_by_keyword(keyword: str) -> StandardElement | None:
    tag = keyword_dict.get(keyword)
    return element_by_tag(tag) if tag is not None else None


def uid_by_value(value: str) -> StandardUID | None:
    entry = UID_dictionary.get(value)
    if entry is None:
        return None
    name, kind, _info, retired, keyword = entry
    return StandardUID(value, name, kind, keyword, bool(retired))


@cache
def uid_by_keyword_table() -> dict[str, str]:
    return {entry[4]: value for value, entry in UID_dictionary.items() if entry[4]}


def uid_by_keyword(keyword: str) -> StandardUID | None:
    value = uid_by_keyword_table().get(keyword)
    return uid_by_value(value) if value else None


@cache
def catalog() -> Catalog:
    """The committed baseline catalog, loaded once."""
    from build_tools.load.loader import load_yaml_file  # load imports the model; keep this module light to import

    findings: list[Finding] = []
    result = load_yaml_file(data_file(CATALOG_FILE), Catalog, findings)
    if findings:
        raise InputError(findings)
    return result
