"""A JSON Schema (draft 2020-12) of the supplement YAML format, generated from :mod:`build_tools.core.model`.

One schema fits every file of ``spec/<name>/``: a supplement is split across files, so no top-level field is
required here (the loader checks that the merged supplement has them). Inside objects the model's required fields
are required, and ``additionalProperties: false`` rejects a misspelled key, as the loader does.

Scalars are accepted the way the loader reads them: the loader takes the text of every scalar and converts it by
the field's type, so a text field also accepts what a YAML parser reads as a number or a boolean (``version: 1.0``,
``value: YES``), a whole number may be quoted, and a true/false field accepts the spellings the loader accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from build_tools.core.model import Supplement
from build_tools.document.jsonschema import DIALECT, ModelSchema, Schema
from build_tools.outputs.base import Output, ProjectContext

SCHEMA_FILE = "supplement.schema.json"

#: The spellings of true and false that the loader accepts (see ``build_tools.load.loader``).
BOOLEAN_WORDS = ["true", "True", "TRUE", "false", "False", "FALSE"]


class YamlTypes(ModelSchema):
    """The YAML as the loader reads it: every scalar by its text, an empty value as an empty list."""

    def union(self, options: list[Schema], nullable: bool) -> Schema:
        parts = options + [{"type": "null"}] if nullable else options
        return parts[0] if len(parts) == 1 else {"anyOf": parts}

    def array(self, items: Schema) -> Schema:
        # The loader reads an empty value (``key:``) as an empty list.
        return {"type": ["array", "null"], "items": items}

    def choice(self, values: list[Any]) -> Schema:
        # A YAML parser reads ``type: 1`` as a number; the loader reads its text "1", which is allowed.
        return {"enum": values + [int(v) for v in values if isinstance(v, str) and v.isdigit()]}

    def text(self) -> Schema:
        return {"type": ["string", "number", "boolean"]}

    def whole_number(self) -> Schema:
        return {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^[+-]?[0-9]+$"}]}

    def boolean(self) -> Schema:
        return {"anyOf": [{"type": "boolean"}, {"enum": list(BOOLEAN_WORDS)}]}

    def any_value(self) -> Schema:
        return {}


def supplement_schema() -> dict:
    """The JSON Schema of one supplement file (any file of ``spec/<name>/``)."""
    writer = YamlTypes()
    top = writer.object(Supplement, top_level=True)
    return {
        "$schema": DIALECT,
        "title": "DICOM Supplement source file (dicomsup)",
        "description": top["description"] + " Each file of the folder holds some of these top-level fields; "
                       "together they must give number, title, working_group, status, version, date and scope.",
        "type": "object",
        "properties": top["properties"],
        "additionalProperties": False,
        "$defs": writer.definitions(),
    }


def schema_text() -> str:
    """The schema as written to disk: stable key order, two-space indent, final newline."""
    return json.dumps(supplement_schema(), indent=2, ensure_ascii=False) + "\n"


class AuthoringSchema(Output[ProjectContext]):
    """``output/schema/supplement.schema.json``, one for every supplement of the project."""

    name = "schema"
    folder = "schema"
    scope = "project"
    summary = "JSON Schema of the YAML format, for completion in editors"

    def write(self, ctx: ProjectContext, out: Path) -> None:
        (out / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
