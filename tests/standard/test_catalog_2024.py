"""The 44 modules and macros of the 2024 catalog (``fixtures/catalog-2024.yaml``, what the Dermoscopy IOD names)
come out of the full baseline at least as rich as they were: same names, sections, tables, Types, descriptions,
conditions and value sets; the baseline may add what the catalog lacked (CIDs of includes, value sets, notes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.core.model import Catalog, Include
from build_tools.load.loader import load_yaml_file
from build_tools.standard import baseline

CATALOG_2024 = Path(__file__).parent / "fixtures" / "catalog-2024.yaml"


def condition(c):
    if c is None:
        return None
    return {k: v for k, v in (("present", c.present), ("absent", c.absent), ("attribute", c.attribute),
                              ("equals", c.equals), ("one_of", c.one_of), ("value_index", c.value_index),
                              ("all", [condition(x) for x in c.all] if c.all else None),
                              ("any", [condition(x) for x in c.any] if c.any else None),
                              ("not", condition(c.not_)), ("named", c.named), ("text", c.text)) if v is not None}


def values(entries) -> list[tuple[str, str | None]]:
    return [(e.value, str(e.meaning) if e.meaning else None) for e in entries]


def compare(old: list, new: list, where: str, problems: list[str]) -> None:
    if len(old) != len(new):
        problems.append(f"{where}: {len(old)} rows, now {len(new)}")
        return
    for a, b in zip(old, new):
        if isinstance(a, Include):
            if not isinstance(b, Include) or a.include != b.include:
                problems.append(f"{where}: include {a.include} is now {b}")
            for field in ("baseline_cid", "defined_cid"):
                if getattr(a, field) is not None and getattr(a, field) != getattr(b, field):
                    problems.append(f"{where}: include {a.include} {field}")
            continue
        here = f"{where} > {a.attribute}"
        if isinstance(b, Include) or a.attribute != b.attribute:
            problems.append(f"{here}: is now {b}")
            continue
        for field in ("type", "otherwise"):
            if getattr(a, field) != getattr(b, field):
                problems.append(f"{here}: {field} {getattr(a, field)!r} is now {getattr(b, field)!r}")
        if str(a.description) != str(b.description):
            problems.append(f"{here}: description")
        if condition(a.condition) != condition(b.condition):
            problems.append(f"{here}: condition {condition(a.condition)} is now {condition(b.condition)}")
        for field in ("enumerated_values", "defined_terms"):
            if getattr(a, field) and values(getattr(a, field)) != values(getattr(b, field)):
                problems.append(f"{here}: {field}")
        if a.notes is not None and (b.notes is None or str(a.notes) not in str(b.notes)):
            problems.append(f"{here}: notes")
        compare(a.items, b.items, here, problems)


@pytest.fixture(scope="module")
def catalog_2024() -> Catalog:
    findings: list = []
    catalog = load_yaml_file(CATALOG_2024, Catalog, findings)
    assert findings == []
    return catalog


def test_the_44_modules_are_as_rich_as_in_the_2024_catalog(catalog_2024):
    assert len(catalog_2024.modules) == 44
    problems: list[str] = []
    for old in catalog_2024.modules:
        new = baseline.module(old.name)
        if new is None:
            problems.append(f"{old.name}: missing")
            continue
        for field in ("section", "table", "kind"):
            if getattr(old, field) != getattr(new, field):
                problems.append(f"{old.name}: {field} {getattr(old, field)!r} is now {getattr(new, field)!r}")
        compare(old.attributes, new.attributes, old.name, problems)
    assert problems == []
