"""The editorial instructions of a part's change text in the standard's idiom, as supplements word them.

"Modify Section C.8.12.1 as follows:" (or "Modify Table A.1-1 as follows:" when only a table changes), "Add new
Section C.8.12.13 after Section C.8.12.12:" (the preceding section as the baseline knows it; without one, "… to
Annex C:"), "Add new Annex TTTT to PS3.17:", "Add the following rows to
Table 6-1 “Registry of DICOM Data Elements” after the row of GPS Differential (0016,008E):" (the preceding entry of
the registry, from pydicom's dictionary), "Add the following rows to CID 29 “Acquisition Modality”, and change its
Version:". The presentation model (:mod:`build_tools.document.build`) writes them, so that every output says the
same; a part's chapter names the part once, in its title, so an instruction does not repeat it.
"""

from __future__ import annotations

from pydicom.datadict import DicomDictionary
from pydicom.uid import UID_dictionary

from build_tools.check.ids import known_ids
from build_tools.core.prose import Text
from build_tools.core.tags import parse_tag
from build_tools.document.nodes import Cell, Instruction, Table

__all__ = ["instruction", "modify", "add_section", "add_annex", "add_context_groups", "add_rows",
           "is_modify", "previous_section", "uid_key", "MEDIA_TABLE"]

#: PS3.4 Table I.4-1, where every new Storage SOP Class also gets a row.
MEDIA_TABLE = ("I.4-1", "Media Storage Standard SOP Classes")


def instruction(text: str) -> Instruction:
    return Instruction((Text(text),))


def uid_key(uid: str) -> tuple:
    """Sort key of a UID by its numeric components (…77.1.6 < …77.1.7 < …78.1)."""
    return tuple(int(p) if p.isdigit() else -1 for p in uid.replace("\u200b", "").strip().split("."))


def previous_section(part: str, label: str) -> str | None:
    """The label of the last section before ``label`` with the same parent that ``part`` of the baseline has."""
    head, _, last = label.rpartition(".")
    if not head or not last.isdigit():
        return None
    for number in range(int(last) - 1, 0, -1):
        if f"sect_{head}.{number}" in known_ids(part):
            return f"{head}.{number}"
    return None


def _where(label: str) -> str:
    head_label = label.split(".")[0]
    return f"Annex {head_label}" if head_label[:1].isalpha() else f"Chapter {head_label}"


def modify(section: str, table: str | None = None) -> Instruction:
    """The instruction of an amended section, or of the ``table`` when that is all the amendment changes
    ("Modify Table A.1-1 as follows:")."""
    if table:
        return instruction(f"Modify Table {table} as follows:")
    return instruction(f"Modify Section {section} as follows:")


def add_section(part: str, label: str) -> Instruction:
    """The instruction of a new section: after the section before it in the baseline, else into its annex or
    chapter."""
    previous = previous_section(part, label)
    if previous is not None:
        return instruction(f"Add new Section {label} after Section {previous}:")
    return instruction(f"Add new Section {label} to {_where(label)}:")


def add_annex(part: str, label: str) -> Instruction:
    return instruction(f"Add new Annex {label} to {part}:")


def add_context_groups() -> Instruction:
    return instruction("Add new Context Groups to PS3.16 Annex B:")


def _cell_text(cell: Cell) -> str:
    out = []
    for block in cell.blocks:
        for node in getattr(block, "inlines", ()):
            out.append(node.text if hasattr(node, "text") else "".join(getattr(c, "text", "") for c in node.children))
    return "".join(out).strip()


def _previous_tag(tags: set[int], first: int) -> int | None:
    before = [t for t in DicomDictionary if t < first and t not in tags]
    return max(before) if before else None


def _previous_uid(uids: set[str], first: str, storage: bool) -> str | None:
    before = [u for u, (name, kind, *_rest) in UID_dictionary.items()
              if u not in uids and uid_key(u) < uid_key(first)
              and (not storage or (kind == "SOP Class" and name.endswith("Storage")))]
    return max(before, key=uid_key) if before else None


def _after(table: Table) -> str:
    """" after the row of …" for a table of a registry whose preceding entry pydicom knows, else ""."""
    if not table.body:
        return ""
    first = _cell_text(table.body[0].cells[0])
    if table.label == "6-1":
        tags = {parse_tag(_cell_text(row.cells[0])) for row in table.body} - {None}
        tag = parse_tag(first)
        previous = _previous_tag(tags, tag) if tag is not None else None
        if previous is not None:
            name = DicomDictionary[previous][2]
            return f" after the row of {name} ({previous >> 16:04X},{previous & 0xFFFF:04X})"
    column = 1 if table.label in ("B.5-1", MEDIA_TABLE[0]) else 0 if table.label == "A-1" else None
    if column is not None:
        uids = {_cell_text(row.cells[column]) for row in table.body}
        previous = _previous_uid(uids, sorted(uids, key=uid_key)[0], column == 1)
        if previous is not None:
            return f" after the row of {previous} ({UID_dictionary[previous][0]})"
    return ""


def add_rows(table: Table) -> Instruction:
    """The instruction of rows added to the existing ``table`` (a CID's also changes its Version)."""
    label = table.label or ""
    if label.startswith("CID "):
        return instruction(f"Add the following rows to {label} “{table.caption}”, and change its Version:")
    return instruction(f"Add the following rows to Table {label} “{table.caption}”{_after(table)}:")


def is_modify(text: str) -> bool:
    """Whether an author's instruction says only what :func:`modify` says (then it is left out)."""
    return text.startswith("Modify ")
