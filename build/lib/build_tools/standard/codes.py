"""What pydicom knows beyond the PS3.6 dictionary: context groups (CIDs), DCM codes and IOD names.

pydicom follows the standard with some delay, so the rules treat "pydicom does not know it" as a warning and
"pydicom knows it differently" as an error.
"""

from __future__ import annotations

from functools import cache

from pydicom.uid import UID_dictionary


@cache
def cid_names() -> dict[int, str]:
    """Context group number -> keyword of its name (e.g. 29 -> ``AcquisitionModality``)."""
    try:
        from pydicom.sr._cid_dict import name_for_cid
    except ImportError:  # pragma: no cover - an older pydicom without the SR dictionaries
        return {}
    return dict(name_for_cid)


@cache
def codes(scheme: str) -> dict[str, str]:
    """Code value -> code meaning, for the codes pydicom knows in ``scheme``."""
    try:
        from pydicom.sr._concepts_dict import concepts
    except ImportError:  # pragma: no cover
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
    for name, kind, _info, _retired, _keyword in UID_dictionary.values():
        if kind == "SOP Class" and name.endswith(" Storage"):
            names.add(name[: -len(" Storage")])
            names.add(name[: -len(" Storage")].replace(" For Presentation", "").replace(" For Processing", ""))
    return frozenset(names)
