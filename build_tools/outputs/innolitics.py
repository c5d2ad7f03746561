"""The supplement in the shapes of innolitics/dicom-standard: ``output/<name>/dictionaries/innolitics/``.

innolitics/dicom-standard publishes the standard as flat JSON tables (``attributes.json``, ``modules.json``,
``module_to_attributes.json``, ``ciods.json``, ``ciod_to_modules.json``, ``macros.json``, ``sops.json``) that
toolkits and their generators read (highdicom's, dicom-validator, browsers of the standard). These files hold the
same records for what the supplement adds, so that the same readers take them in beside the standard's:

* ``attributes.json``: the new data elements (``tag``, ``name``, ``keyword``, ``valueRepresentation``,
  ``valueMultiplicity``, ``retired`` ``Y``/``N``, ``id`` the tag in lower-case hexadecimal);
* ``modules.json`` and ``macros.json``: the new modules and macros (``name``, ``id``, ``description``,
  ``linkToStandard``);
* ``module_to_attributes.json``: every attribute row of the new modules, macros expanded inline and sequence items
  flattened as innolitics does (``path`` is the module id and the tags down to the row, ``module:00081110:00081150``),
  with its ``type``, its description cell as text and ``externalReferences`` (empty: references are resolved into
  the text);
* ``ciods.json`` and ``ciod_to_modules.json``: the new IODs and their module tables (``usage``, the condition as
  ``conditionalStatement``, null when there is none, and the ``informationEntity``);
* ``ciod_to_func_group_macros.json``: the Functional Group Macros tables of the new enhanced multi-frame IODs
  (``macroId``, ``usage``, ``conditionalStatement`` with the placement sentence the standard's cell has, and
  ``moduleType`` ``Multi-frame``, as innolitics has it for the Multi-frame Functional Groups Module); new
  functional group macros are in ``macros.json``, as innolitics lists them;
* ``sops.json``: the new Storage SOP Classes and their IODs.

Ids are innolitics' slugs of the names (``Dermoscopic Image`` is ``dermoscopic-image``), so a row of
``ciod_to_modules.json`` names a module of the standard by the id innolitics gives it. Prose is plain text: the
document stage resolves each reference (``{de:ContactMethod}`` is "Contact Method (0016,1003)"), where innolitics
has the standard's HTML. ``linkToStandard`` is where the standard's web edition puts the section and table; a draft's
sections are there only once the supplement is published. Amendments of existing text change no record of these
tables and are not represented. Every file is a JSON list, keys sorted, two-space indent, UTF-8.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from build_tools.core.model import IOD, Module, Supplement
from build_tools.core.tags import tag_text
from build_tools.document.entries import (
    FOLDER,
    plain_blocks,
    plain_text,
    storage_entries,
)
from build_tools.document.ps33 import PLACEMENT_SENTENCES, description_blocks, usage_condition
from build_tools.document.refs import Ids, Resolver
from build_tools.iod.walk import Rule, expand
from build_tools.outputs.base import BuildContext, Output
from build_tools.standard.index import Index, iod_table, module_table

#: The folder inside ``dictionaries/``.
SUBFOLDER = "innolitics"
#: The standard's web edition, one page a section (as innolitics links it).
WEB = "http://dicom.nema.org/medical/dicom/current/output/chtml/part03"
FILES = ("attributes.json", "modules.json", "macros.json", "module_to_attributes.json", "ciods.json",
         "ciod_to_modules.json", "ciod_to_func_group_macros.json", "sops.json")
#: innolitics' ``moduleType`` of a functional group row: the module that holds the macros.
MULTI_FRAME = "Multi-frame"


def slug(name: str) -> str:
    """innolitics' id of a name: lower case, every run of other characters one hyphen (``vl-image``)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _link(section: str, table: str) -> str:
    return f"{WEB}/sect_{section}.html#table_{table}"


def attributes(supplement: Supplement, index: Index) -> list[dict[str, Any]]:
    elements = sorted(index.new_elements.values(), key=lambda e: e.tag)
    return [{"tag": e.tag_text, "name": e.name, "keyword": e.keyword, "valueRepresentation": e.vr,
             "valueMultiplicity": e.vm, "retired": "Y" if e.retired else "N", "id": f"{e.tag:08x}"}
            for e in elements]


def _module_record(module: Module, index: Index) -> dict[str, Any]:
    return {"name": module.name, "id": slug(module.name), "description": plain_text(module.description, index),
            "linkToStandard": _link(module.section, module_table(module))}


def modules(supplement: Supplement, index: Index, kind: str = "module") -> list[dict[str, Any]]:
    """The records of the new modules (``kind`` module) or macros (``kind`` macro: functional group macros too,
    as innolitics' macros.json lists them)."""
    kinds = ("macro", "functional group macro") if kind == "macro" else (kind,)
    return [_module_record(m, index) for m in supplement.modules if m.kind in kinds]


def module_to_attributes(supplement: Supplement, index: Index) -> list[dict[str, Any]]:
    resolver = Resolver(index, Ids(), "PS3.3")
    records: list[dict[str, Any]] = []

    def walk(rules: list[Rule], module: Module, path: str) -> None:
        for rule in rules:
            if rule.tag is None:
                continue  # neither new nor in the dictionary: the lint rules report it
            here = f"{path}:{rule.tag:08x}"
            records.append({"moduleId": slug(module.name), "path": here, "tag": tag_text(rule.tag),
                            "type": rule.type, "linkToStandard": _link(module.section, module_table(module)),
                            "description": plain_blocks(description_blocks(rule.row, resolver)),
                            "externalReferences": []})
            walk(rule.items, module, here)

    for module in supplement.modules:
        if module.kind == "module":
            walk(expand(module.attributes, index, module.name, [], (module.name,)), module, slug(module.name))
    return records


def _iod_record(iod: IOD, index: Index) -> dict[str, Any]:
    return {"name": iod.name, "id": slug(iod.name), "description": plain_text(iod.description, index),
            "linkToStandard": _link(iod.section, iod_table(iod))}


def ciods(supplement: Supplement, index: Index) -> list[dict[str, Any]]:
    return [_iod_record(iod, index) for iod in supplement.iods]


def ciod_to_modules(supplement: Supplement, index: Index) -> list[dict[str, Any]]:
    resolver = Resolver(index, Ids(), "PS3.3")
    records = []
    for iod in supplement.iods:
        for use in iod.modules:
            statement = None
            if use.usage == "C" and use.condition is not None:
                statement = usage_condition(use.condition, resolver, use.otherwise)
            if use.note is not None:
                note = plain_text(use.note, index)
                statement = f"{statement} {note}" if statement else note
            records.append({"ciodId": slug(iod.name), "moduleId": slug(use.module), "usage": use.usage,
                            "conditionalStatement": statement, "informationEntity": use.ie})
    return records


def ciod_to_func_group_macros(supplement: Supplement, index: Index) -> list[dict[str, Any]]:
    resolver = Resolver(index, Ids(), "PS3.3")
    records = []
    for iod in supplement.iods:
        for use in iod.functional_groups:
            parts = []
            if use.usage == "C" and use.condition is not None:
                parts.append(usage_condition(use.condition, resolver, use.otherwise))
            if use.placement in PLACEMENT_SENTENCES:
                parts.append(f"{PLACEMENT_SENTENCES[use.placement]}.")
            if use.note is not None:
                parts.append(plain_text(use.note, index))
            records.append({"ciodId": slug(iod.name), "macroId": slug(use.macro), "usage": use.usage,
                            "conditionalStatement": " ".join(parts) or None, "moduleType": MULTI_FRAME})
    return records


def sops(supplement: Supplement, index: Index) -> list[dict[str, Any]]:
    storage = {s.value: s for s in storage_entries(supplement)}
    records = []
    for sop_class in supplement.sop_classes:
        uid = index.uid(sop_class.uid)
        if uid is not None and uid.value in storage:
            records.append({"name": uid.name, "id": uid.value, "ciod": sop_class.iod})
    return records


def tables(supplement: Supplement, index: Index) -> dict[str, list[dict[str, Any]]]:
    """Every file's records, by file name."""
    return {
        "attributes.json": attributes(supplement, index),
        "modules.json": modules(supplement, index, "module"),
        "macros.json": modules(supplement, index, "macro"),
        "module_to_attributes.json": module_to_attributes(supplement, index),
        "ciods.json": ciods(supplement, index),
        "ciod_to_modules.json": ciod_to_modules(supplement, index),
        "ciod_to_func_group_macros.json": ciod_to_func_group_macros(supplement, index),
        "sops.json": sops(supplement, index),
    }


def dumps(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Innolitics(Output[BuildContext]):
    name = "innolitics"
    folder = FOLDER
    summary = "what the supplement adds, as innolitics/dicom-standard JSON tables"

    def write(self, ctx: BuildContext, out: Path) -> None:
        target = out / SUBFOLDER
        target.mkdir(parents=True, exist_ok=True)
        for name, records in tables(ctx.supplement, ctx.index).items():
            (target / name).write_text(dumps(records), encoding="utf-8", newline="\n")
