"""The baseline's module entries as the model's :class:`~build_tools.core.model.Module` objects.

The committed rows use short keys (``scripts/make_baseline.py`` writes them)::

    attribute row  a keyword, t Type, d description, e / dt value set of Enumerated Values / Defined Terms,
                   v the value those apply to (1-based), c condition id, o 1 = "may be present" otherwise,
                   n item count, i item rows, x notes, r the dicom3tools condition name
    include row    m macro, c condition id, b / f / ec baseline / defined / enumerated CID, x description, r

Value sets and conditions are shared tables of the file; their objects are built once and shared between rows
(the model is read-only once loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from build_tools.core.model import Attribute, Condition, EnumValue, Include, Module, Prose


@dataclass(kw_only=True)
class BaselineAttribute(Attribute):
    """An attribute row of the baseline: the model's row plus what only the standard's tables need."""

    value_index: int | None = None  #: the Enumerated Values / Defined Terms apply to this value only (1-based)
    source_condition: str | None = None  #: the dicom3tools condition that ``condition`` was taken from


@dataclass(kw_only=True)
class BaselineInclude(Include):
    """An include row of the baseline; PS3.3 includes some macros only under a condition."""

    condition: Condition | None = None
    enumerated_cid: int | None = None
    source_condition: str | None = None


def condition_from(raw: dict[str, Any]) -> Condition:
    """A condition of the JSON (the YAML form of the model) as a :class:`Condition`."""
    return Condition(
        present=raw.get("present"), absent=raw.get("absent"), attribute=raw.get("attribute"),
        equals=raw.get("equals"), one_of=raw.get("one_of"), value_index=raw.get("value_index"),
        all=[condition_from(c) for c in raw["all"]] if "all" in raw else None,
        any=[condition_from(c) for c in raw["any"]] if "any" in raw else None,
        not_=condition_from(raw["not"]) if "not" in raw else None,
        named=raw.get("named"), text=raw.get("text"))


class Converter:
    """Builds the modules of one baseline file, sharing value sets, conditions and descriptions."""

    def __init__(self, value_sets: dict[str, list], conditions: dict[str, dict]):
        self._value_sets = value_sets
        self._condition_data = conditions
        self._enums: dict[str, list[EnumValue]] = {}
        self._conditions: dict[str, Condition] = {}
        self._prose: dict[str, Prose] = {}

    def module(self, raw: dict[str, Any]) -> Module:
        section = raw.get("section") or ""
        table = raw.get("table")
        return Module(name=raw["name"], section=section, kind="module" if raw["kind"] == "module" else "macro",
                      table=table if table and table != f"{section}-1" else None,
                      attributes=self.rows(raw.get("rows") or []), source=raw.get("source"))

    def rows(self, rows: list[dict]) -> list:
        return [self.include(row) if "m" in row else self.attribute(row) for row in rows]

    def attribute(self, row: dict) -> BaselineAttribute:
        return BaselineAttribute(
            attribute=row["a"], type=row["t"], description=self.prose(row["d"]),
            enumerated_values=self.enums(row.get("e")), defined_terms=self.enums(row.get("dt")),
            condition=self.condition(row.get("c")), otherwise="may be present" if row.get("o") else "absent",
            items=self.rows(row["i"]) if "i" in row else [], item_count=row.get("n"),
            notes=self.prose(row["x"]) if "x" in row else None, value_index=row.get("v"),
            source_condition=row.get("r"))

    def include(self, row: dict) -> BaselineInclude:
        return BaselineInclude(include=row["m"], baseline_cid=row.get("b"), defined_cid=row.get("f"),
                               description=self.prose(row["x"]) if "x" in row else None,
                               condition=self.condition(row.get("c")), enumerated_cid=row.get("ec"),
                               source_condition=row.get("r"))

    def prose(self, text: str) -> Prose:
        found = self._prose.get(text)
        if found is None:
            found = self._prose[text] = Prose(text)
        return found

    def enums(self, name: str | None) -> list[EnumValue]:
        if name is None:
            return []
        found = self._enums.get(name)
        if found is None:
            found = self._enums[name] = [
                EnumValue(value=value, meaning=self.prose(meaning) if meaning else None)
                for value, meaning in self._value_sets[name]]
        return list(found)  # a list per row; the values themselves are shared

    def condition(self, key: str | None) -> Condition | None:
        if key is None:
            return None
        found = self._conditions.get(key)
        if found is None:
            found = self._conditions[key] = condition_from(self._condition_data[key])
        return found
