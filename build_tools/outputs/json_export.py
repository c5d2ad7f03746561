"""The JSON export: ``output/<name>/dictionaries/supplement.json`` (the whole model, in dicomsup's own shape, prose
with its inline markup) and ``<name>.export.schema.json`` (the JSON Schema, draft 2020-12, that documents it,
derived from the model's field documentation so that it cannot drift from the YAML format). The schema's name is
not ``supplement.schema.json``: that is the authoring schema of ``output/schema/``, a different schema (of the
YAML as written). For the shapes that other tools read, see :mod:`build_tools.outputs.innolitics`.

A pure function of the model: objects by YAML key, ``None`` fields left out, registries sorted, byte-identical on
every build.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_tools.core.fields import FieldDoc, fields
from build_tools.core.model import UID, ContextGroup, DataElement, Prose, Supplement
from build_tools.core.tags import parse_tag
from build_tools.document.entries import FOLDER, export_schema_file, uid_sort_key
from build_tools.document.jsonschema import DIALECT, ModelSchema, Schema
from build_tools.outputs.base import BuildContext, Output
from build_tools.standard.index import cid_keyword, element_keyword, uid_keyword

EXPORT_FILE = "supplement.json"
#: Version of the JSON export's layout (the wrapper around the model); bump it on an incompatible change.
EXPORT_VERSION = 1

#: Optional model fields that the export always fills in (with the value derived from the name when absent).
_DERIVED: dict[tuple[type, str], Callable[[Any], str]] = {
    (DataElement, "keyword"): element_keyword,
    (UID, "keyword"): uid_keyword,
    (ContextGroup, "keyword"): cid_keyword,
}

#: Registries that the export sorts (everything else keeps the authored order, which is meaningful).
_SORTED: dict[str, Callable[[Any], Any]] = {
    "data_elements": lambda e: (parse_tag(e.tag) is None, parse_tag(e.tag) or 0, e.tag),
    "uids": lambda u: uid_sort_key(u.value),
    "codes": lambda c: (c.scheme, c.value),
    "context_groups": lambda g: g.cid,
    "context_group_additions": lambda g: g.cid,
}


def _to_json(value: Any) -> Any:
    """A model value as plain JSON data: objects by YAML key, ``None`` fields left out."""
    if isinstance(value, Prose):
        return value.text
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {}
        for f in fields(type(value)):
            item = getattr(value, f.name)
            derive = _DERIVED.get((type(value), f.name))
            if derive is not None:
                item = derive(value)
            if item is None:
                continue
            if isinstance(item, list) and f.name in _SORTED and isinstance(value, Supplement):
                item = sorted(item, key=_SORTED[f.name])
            result[f.key] = _to_json(item)
        return result
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    return value


def schema_file(supplement: Supplement) -> str:
    """The export schema's file name, e.g. ``dermoscopy.export.schema.json``."""
    return export_schema_file(supplement)


def export(supplement: Supplement) -> dict[str, Any]:
    """The JSON export of a supplement: a pure function of the model."""
    return {
        "$schema": schema_file(supplement),
        "export_version": EXPORT_VERSION,
        "name": supplement.name,
        "supplement": _to_json(supplement),
    }


def dumps(data: Any) -> str:
    """JSON text as the export writes it: sorted keys, two-space indent, UTF-8, final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class ExportTypes(ModelSchema):
    """The JSON as the export writes it: plain JSON types, ``None`` fields left out, derived keywords present."""

    empty_required = True

    def required(self, cls: type, f: FieldDoc) -> bool:
        return f.required or (cls, f.name) in _DERIVED

    def doc(self, cls: type, f: FieldDoc) -> str:
        return f"{f.doc} Always present in the export." if (cls, f.name) in _DERIVED else f.doc

    def union(self, options: list[Schema], nullable: bool) -> Schema:
        return options[0] if len(options) == 1 else {"oneOf": options}  # None fields are left out

    def array(self, items: Schema) -> Schema:
        return {"type": "array", "items": items}

    def choice(self, values: list[Any]) -> Schema:
        return {"type": "string", "enum": values}

    def text(self) -> Schema:
        return {"type": "string"}

    def whole_number(self) -> Schema:
        return {"type": "integer"}

    def boolean(self) -> Schema:
        return {"type": "boolean"}

    def any_value(self) -> Schema:
        return {"description": "Any JSON value, as written in the YAML (null included)."}


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :func:`export`, derived from the model and its field documentation."""
    writer = ExportTypes()
    supplement_ref = writer.of(Supplement)
    return {
        "$schema": DIALECT,
        "$id": f"urn:dicomsup:supplement-export:{EXPORT_VERSION}",
        "title": "DICOM Supplement (dicomsup JSON export)",
        "description": (
            "The whole model of a DICOM Supplement as authored in spec/<name>/ and checked by dicomsup: data "
            "elements, UIDs, IODs with their module and functional group macro tables, modules, macros and "
            "functional group macros with their attributes (sequence items nested, conditions machine-readable or "
            "prose with their text), codes, context groups and the rows added to existing ones, amendments, new "
            "parent sections, the informative annex, the example variants and their defaults. Each object has the "
            "keys of the YAML "
            "format; a field that the YAML leaves out and that has no default is left out here too (never null). "
            "Registries are sorted (data elements by tag, UIDs by value, codes by scheme and value, context groups "
            "by number); tables keep their authored order. Text keeps the inline markup of the YAML, e.g. "
            "{de:Keyword}."),
        "type": "object",
        "properties": {
            "$schema": {"type": "string", "description": "The file name of this schema, beside the export."},
            "export_version": {"const": EXPORT_VERSION,
                               "description": "Version of the export's layout; changes when it changes "
                                              "incompatibly."},
            "name": {"type": "string", "description": "Name of the supplement folder, e.g. dermoscopy."},
            "supplement": {**supplement_ref, "description": "The supplement."},
        },
        "required": ["export_version", "name", "supplement"],
        "additionalProperties": False,
        "$defs": writer.definitions(),
    }


class JsonExport(Output[BuildContext]):
    """``dictionaries/supplement.json`` and, beside it, the ``<name>.export.schema.json`` it names."""

    name = "json"
    folder = FOLDER
    summary = "JSON export of the whole model, with its JSON Schema"

    def write(self, ctx: BuildContext, out: Path) -> None:
        for name, text in ((EXPORT_FILE, dumps(export(ctx.supplement))),
                           (schema_file(ctx.supplement), dumps(schema()))):
            (out / name).write_text(text, encoding="utf-8", newline="\n")
