"""What the baseline knows besides the modules' rows: the entries' metadata, IODs and SOP Classes.

Plain frozen records built from the committed JSON (``data/baseline*.json``); the modules themselves are the
model's :class:`~build_tools.core.model.Module` (see :mod:`build_tools.standard.rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Placed:
    """What a baseline entry with a ``section``, a ``table`` and ``exact`` can say about a definition's place."""

    section: str | None
    table: str | None
    exact: bool

    def places(self, section: str, table: str | None) -> bool:
        """Whether a definition at ``section`` with ``table`` is at this entry's place in the standard: the same
        table (when the baseline knows it) and the same section, or one under it when the baseline knows only the
        page that holds the section (``exact`` false: innolitics links C.8.35 for C.8.35.1)."""
        if self.table and table and self.table != table:
            return False
        if not self.section:
            return False
        return section == self.section or (not self.exact and section.startswith(self.section + "."))


@dataclass(frozen=True)
class ModuleEntry(Placed):
    """A PS3.3 module, macro or functional group macro of the baseline, as listed (its rows aside)."""

    name: str  #: the lookup name: without "Macro", unless a module has that name too ("Specimen Macro")
    kind: str  #: ``module``, ``macro`` or ``functional group macro``
    section: str | None
    table: str | None
    exact: bool  #: False when only the innolitics page of the section is known
    source: str
    has_rows: bool  #: False for the entries known only from innolitics (no attribute rows)
    d3t_name: str | None = None
    variants: tuple[str, ...] = ()  #: dicom3tools definitions merged into this one
    alt_section: tuple[str | None, str | None] | None = None  #: innolitics' section and table, where not used
    carried_by: str | None = None  #: a supplement of this repository defines it (not served as a module)
    note: str | None = None
    part: str | None = None

    @property
    def title(self) -> str:
        """The PS3.3 title: ``Synchronization Module``, ``Pixel Measures Macro``."""
        if self.kind == "module":
            return f"{self.name} Module"
        return self.name if self.name.endswith(" Macro") else f"{self.name} Macro"

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ModuleEntry:
        alt = raw.get("alt_section")
        return cls(raw["name"], raw["kind"], raw.get("section"), raw.get("table"), bool(raw.get("exact")),
                   raw.get("source", ""), raw.get("rows") is not None, raw.get("d3t"),
                   tuple(raw.get("variants", ())), tuple(alt) if alt else None, raw.get("carried"),
                   raw.get("note"), raw.get("part"))


@dataclass(frozen=True)
class IODModuleRow:
    """A row of an IOD's module table."""

    ie: str
    module: str
    section: str | None
    usage: str
    condition: str | None = None  #: the standard's condition statement (innolitics)
    d3t_usage: str | None = None  #: dicom3tools' usage, where it differs
    only_in: str | None = None  #: ``innolitics`` or ``dicom3tools`` when one source lacks the row

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> IODModuleRow:
        return cls(raw["ie"], raw["module"], raw.get("section"), raw["usage"], raw.get("condition"),
                   raw.get("d3t_usage"), raw.get("only_in"))


@dataclass(frozen=True)
class FunctionalGroupRow:
    """A row of an IOD's functional group macro table."""

    macro: str
    section: str | None
    table: str | None
    usage: str
    condition: str | None
    group: str  #: ``Multi-frame`` or ``Current Frame``

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FunctionalGroupRow:
        return cls(raw["macro"], raw.get("section"), raw.get("table"), raw["usage"], raw.get("condition"),
                   raw["group"])


@dataclass(frozen=True)
class StandardIOD(Placed):
    """An IOD of PS3.3 with its module table (the standard's) and functional group table."""

    name: str
    section: str
    table: str
    exact: bool
    source: str
    modules: tuple[IODModuleRow, ...]
    functional_groups: tuple[FunctionalGroupRow, ...] = ()
    #: rows that dicom3tools lists and the standard's table does not (kept apart, not part of the table)
    dicom3tools_only: tuple[IODModuleRow, ...] = ()
    sop_classes: tuple[str, ...] = ()
    retired: bool = False
    carried_by: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> StandardIOD:
        return cls(raw["name"], raw.get("section") or "", raw.get("table") or "", bool(raw.get("exact")),
                   raw.get("source", ""), tuple(IODModuleRow.from_json(r) for r in raw["modules"]),
                   tuple(FunctionalGroupRow.from_json(r) for r in raw.get("functional_groups", ())),
                   tuple(IODModuleRow.from_json(r) for r in raw.get("dicom3tools_only", ())),
                   tuple(raw.get("sop_classes", ())), bool(raw.get("retired")), raw.get("carried"))


@dataclass(frozen=True)
class StandardSOPClass:
    """A SOP Class (or well-known SOP Instance) of the standard."""

    uid: str
    name: str
    type: str  #: ``Class`` or ``Instance``
    iod: str | None = None
    retired: bool = False
    aliases: tuple[str, ...] = ()  #: other names the source gives the same UID

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> StandardSOPClass:
        return cls(raw["uid"], raw["name"], raw["type"], raw.get("iod"), bool(raw.get("retired")),
                   tuple(raw.get("aliases", ())))
