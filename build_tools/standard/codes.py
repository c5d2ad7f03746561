"""What pydicom knows beyond the PS3.6 dictionary: context groups (CIDs), DCM codes and IOD names.

pydicom follows the standard with some delay, so the rules treat "pydicom does not know it" as a warning and
"pydicom knows it differently" as an error.
"""

from __future__ import annotations

from functools import cache

from build_tools.standard.baseline import pydicom_table, uid_dictionary


@cache
def cid_names() -> dict[int, str]:
    """Context group number -> keyword of its name (e.g. 29 -> ``AcquisitionModality``)."""
    try:  # pydicom's tables, read without importing pydicom's pixel stack (see baseline.pydicom_table)
        name_for_cid = pydicom_table("sr._cid_dict", "name_for_cid")
    except (ImportError, KeyError, OSError):  # pragma: no cover - an older pydicom without the SR dictionaries
        return {}
    return dict(name_for_cid)


@cache
def codes(scheme: str) -> dict[str, str]:
    """Code value -> code meaning, for the codes pydicom knows in ``scheme``."""
    try:
        concepts = pydicom_table("sr._concepts_dict", "concepts")
    except (ImportError, KeyError, OSError):  # pragma: no cover
        return {}
    result: dict[str, str] = {}
    for by_value in concepts.get(scheme, {}).values():
        for value, (meaning, _cids) in by_value.items():
            result[value] = meaning
    return result


@cache
def iod_names() -> frozenset[str]:
    """Names of existing IODs, read off the Storage SOP Class names (``VL Photographic Image Storage``)."""
    names = set()
    for name, kind, _info, _retired, _keyword in uid_dictionary().values():
        if kind == "SOP Class" and name.endswith(" Storage"):
            names.add(name[: -len(" Storage")])
            names.add(name[: -len(" Storage")].replace(" For Presentation", "").replace(" For Processing", ""))
    return frozenset(names)


@cache
def cid_rows(cid: int) -> frozenset[tuple[str, str]] | None:
    """The ``(scheme, value)`` codes of context group ``cid`` as pydicom knows them (included groups' codes among
    them, as pydicom lists them); None for a group pydicom does not know. Read per group, by keyword, so that no
    lookup walks the whole dictionary."""
    try:
        cid_concepts = pydicom_table("sr._cid_dict", "cid_concepts")
        concepts = pydicom_table("sr._concepts_dict", "concepts")
    except (ImportError, KeyError, OSError):  # pragma: no cover
        return None
    if cid not in cid_names():
        return None
    found = set()
    for scheme, keywords in cid_concepts.get(cid, {}).items():
        by_keyword = concepts.get(scheme, {})
        for keyword in keywords:
            found.update((scheme, value) for value in by_keyword.get(keyword, {}))
    return frozenset(found)
