"""Ids the baseline knows per part, and the rule that no id of a part's change text collides with one of them.

The change text of each part uses the standard's own ids (``sect_C.8.12.13``, ``table_A.32.11-1``,
``chapter_TTTT``, ``sect_CID_9999``, ``DCM_DMS``): merged into the part, a new id that the part already has would
make two elements with one id. :func:`known_ids` says which ids a part of the baseline has:

- from an imported baseline (``dicomsup baseline import``): every chapter, section and table id of every part
  (``baseline-text.json``) and PS3.17's annexes;
- from the committed baseline: PS3.3's module, macro and IOD sections and tables (entries that a supplement of
  this repository defines, ``carried``, are left out: they are that supplement's own), the composite E-R model
  (A.1.2), and PS3.16's context groups (``sect_CID_<n>``, as pydicom knows them);
- the parents of every section known (``sect_C.8.12.1`` is in ``sect_C.8.12`` and ``chapter_C``).

:func:`check_ids` reports a collision (``DS360``) at the YAML value that makes the id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from build_tools.check.context import Context
from build_tools.core.errors import Loc
from build_tools.core.numbering import subsection_label
from build_tools.standard import baseline, store
from build_tools.standard.codes import cid_names
from build_tools.standard.index import functional_groups_table, iod_table, module_table

TEXT_FILE = "baseline-text.json"
#: PS3.3 sections that every IOD refers to and that hold no module: the composite IOD E-R model.
PS33_SECTIONS = ("sect_A.1", "sect_A.1.2")


def annex_key(label: str) -> tuple[int, str]:
    """Sort key of annex labels in PS3.17's order: Z < AA < ZZZ < AAAA < BBBBB."""
    return len(label), label


@store.per_baseline
def known_ids(part: str) -> frozenset[str]:
    """The ``xml:id``s that ``part`` of the configured baseline is known to have."""
    ids: set[str] = set()
    text = store.read_optional(TEXT_FILE) if store.configured() is not None else None  # only imports have it
    if text is not None:
        for item in list(text.get("sections", ())) + list(text.get("tables", ())):
            if item.get("part") == part and item.get("id"):
                ids.add(item["id"])
    about = store.read(store.ABOUT_FILE)
    if part == "PS3.16":  # the context groups of the standard (pydicom's; DS337 reports a new one among them)
        ids.update(f"sect_CID_{n}" for n in cid_names())
    if part == "PS3.17" and about.get("annexes"):
        ids.update(a["id"] for a in about["annexes"] if a.get("id"))
    if part == "PS3.3":
        ids.update(PS33_SECTIONS)
        entries = store.read(store.MODULES_FILE)["modules"] + store.read(store.IODS_FILE)["iods"]
        for raw in entries:
            if raw.get("carried") or not raw.get("section"):
                continue
            ids.add(f"sect_{raw['section']}")
            if raw.get("table"):
                ids.add(f"table_{raw['table']}")
    for id_ in list(ids):  # a section's number implies its parents: sect_C.8.12.1 is in sect_C.8.12, chapter_C
        if id_.startswith("sect_") and not id_.startswith("sect_CID_"):
            label = id_[len("sect_"):]
            while "." in label:
                label = label.rpartition(".")[0]
                ids.add(f"sect_{label}")
            ids.add(f"chapter_{label.split('.')[0]}")
    return frozenset(ids)


def reset() -> None:
    """Forget the ids read (:func:`build_tools.standard.store.reset` does it too)."""
    known_ids.cache_clear()


def new_ids(ctx: Context) -> Iterator[tuple[str, str, Loc | None]]:
    """``(part, id, where it is written)`` of every object the supplement adds to a part."""
    supplement = ctx.supplement
    republished: list[str] = []  # sections of IODs and modules the baseline holds as themselves (DS350, DS353)
    for iod in supplement.iods:
        where = ctx.at(iod, "section")
        if _in_baseline(baseline.iod(iod.name), iod.section, iod_table(iod)):
            republished.append(iod.section)
            continue
        for suffix in ("", ".1", ".2", ".3"):
            yield "PS3.3", f"sect_{iod.section}{suffix}", where
        yield "PS3.3", f"table_{iod_table(iod)}", ctx.at(iod, "table") if iod.table else where
        if iod.functional_groups:
            table_where = ctx.at(iod, "functional_groups_table") if iod.functional_groups_table else where
            yield "PS3.3", f"sect_{subsection_label(iod.section, iod.functional_groups_table, 4)}", table_where
            yield "PS3.3", f"table_{functional_groups_table(iod)}", table_where
    for module in supplement.modules:
        where = ctx.at(module, "section")
        if _in_baseline(baseline.entry(module.name), module.section, module_table(module)):
            republished.append(module.section)
            continue
        yield "PS3.3", f"sect_{module.section}", where
        yield "PS3.3", f"table_{module_table(module)}", ctx.at(module, "table") if module.table else where
        for n, _item in enumerate(module.attribute_descriptions, start=1):
            yield "PS3.3", f"sect_{module.section}.1.{n}", where
    for section in supplement.sections:
        # A parent section the standard already has because the IODs or modules under it are republished is the
        # same section, not a second one.
        if not any(label.startswith(section.section + ".") for label in republished):
            yield section.part, f"sect_{section.section}", ctx.at(section, "section")
    for group in supplement.context_groups:
        yield "PS3.16", f"sect_CID_{group.cid}", ctx.at(group, "cid")
    for code in supplement.codes:
        if code.scheme == "DCM":
            yield "PS3.16", f"DCM_{code.value}", ctx.at(code, "value")
    annex = supplement.annex
    if annex is not None and annex.label:
        yield "PS3.17", f"chapter_{annex.label}", ctx.at(annex, "label")


def _in_baseline(entry: Any, section: str, table: str) -> bool:
    """Whether the baseline holds this IOD or module itself, at its place (a published one re-authored: its ids are
    the standard's own, not a collision; DS350, DS351 and DS353 compare the content)."""
    return entry is not None and not entry.carried_by and entry.places(section, table)


def check_ids(ctx: Context) -> None:
    """DS360: an id of the change text that the part already has in the baseline. A context group and an annex
    label have their own rules (DS337, DS352), which say more; they are not reported again here."""
    reported: set[tuple[str, str]] = set()
    for part, id_, where in new_ids(ctx):
        if (part, id_) in reported or id_ not in known_ids(part) or id_.startswith(("sect_CID_", "chapter_")):
            continue
        reported.add((part, id_))
        ctx.report("DS360", where, f"{part} already has the id {id_!r}, which this supplement would add again; "
                                   "choose a number or label that the part does not use")


__all__ = ["known_ids", "new_ids", "check_ids", "annex_key", "reset"]
