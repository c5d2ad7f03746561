"""A JSON Schema (draft 2020-12) of the supplement YAML format, generated from :mod:`build_tools.core.model`.

One schema fits every file of ``spec/<name>/``: a supplement is split across files, so no top-level field is
required here (the loader checks that the merged supplement has them). Inside objects the model's required fields
are required, and ``additionalProperties: false`` rejects a misspelled key, as the loader does.

Scalars are accepted the way the loader reads them: the loader takes the text of every scalar and converts it by
the field's type, so a text field also accepts what a YAML parser reads as a number or a boolean (``version: 1.0``,
``value: YES``), a whole number may be quoted, and a true/false field accepts the spellings the loader accepts.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal

from build_tools.core.fields import hints
from build_tools.core.model import Prose, Supplement, model_fields, yaml_key

SCHEMA_FILE = "supplement.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The spellings of true and false that the loader accepts (see ``build_tools.load.loader``).
BOOLEAN_WORDS = ["true", "True", "TRUE", "false", "False", "FALSE"]

_SCALAR_TEXT = {"type": ["string", "number", "boolean"]}
_WHOLE_NUMBER = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^[+-]?[0-9]+$"}]}
_BOOLEAN = {"anyOf": [{"type": "boolean"}, {"enum": BOOLEAN_WORDS}]}


def plain_doc(text: str) -> str:
    """Documentation text for an editor: reStructuredText literals (````x````) become Markdown ones."""
    return re.sub(r"``([^`]+)``", r"`\1`", " ".join(text.split()))


def class_doc(cls: type) -> str:
    """The first paragraph of a model class's docstring (the rest explains internals)."""
    doc = (cls.__doc__ or "").strip()
    return plain_doc(doc.split("\n\n")[0])


class _SchemaBuilder:
    """Turns model types into schema fragments, collecting one ``$defs`` entry per model class."""

    def __init__(self) -> None:
        self.defs: dict[str, dict] = {}

    def ref(self, cls: type) -> dict:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # reserve the name first: model classes refer to themselves
            self.defs[cls.__name__] = self.object_schema(cls, top_level=False)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def type_schema(self, tp: Any) -> dict:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            parts = [self.type_schema(a) for a in options]
            if type(None) in typing.get_args(tp):
                parts.append({"type": "null"})
            return parts[0] if len(parts) == 1 else {"anyOf": parts}
        if origin is list:
            # The loader reads an empty value (``key:``) as an empty list.
            return {"type": ["array", "null"], "items": self.type_schema(typing.get_args(tp)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(typing.get_args(tp)[1])}
        if origin is Literal:
            allowed: list[Any] = list(typing.get_args(tp))
            # A YAML parser reads ``type: 1`` as a number; the loader reads its text "1", which is allowed.
            allowed += [int(a) for a in typing.get_args(tp) if isinstance(a, str) and a.isdigit()]
            return {"enum": allowed}
        if dataclasses.is_dataclass(tp) and tp is not Prose:
            return self.ref(tp)
        if tp is str or tp is Prose:
            return dict(_SCALAR_TEXT)
        if tp is int:
            return json.loads(json.dumps(_WHOLE_NUMBER))
        if tp is bool:
            return json.loads(json.dumps(_BOOLEAN))
        if tp is Any:
            return {}
        raise TypeError(f"model type {tp!r} has no schema")  # a bug in the model, not in the input

    def object_schema(self, cls: type, *, top_level: bool) -> dict:
        type_hints = hints(cls)
        properties: dict[str, dict] = {}
        required: list[str] = []
        for f in model_fields(cls):
            prop = self.type_schema(type_hints[f.name])
            if "$ref" in prop:
                prop = dict(prop)
            prop["description"] = plain_doc(f.metadata["doc"])
            has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            if f.default is not dataclasses.MISSING and f.default is not None:
                prop["default"] = f.default
            if f.metadata.get("example") is not None:
                prop["examples"] = [f.metadata["example"]]
            properties[yaml_key(f)] = prop
            if not has_default and not top_level:
                required.append(yaml_key(f))
        result: dict[str, Any] = {"type": "object", "description": class_doc(cls), "properties": properties}
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        return result


def supplement_schema() -> dict:
    """The JSON Schema of one supplement file (any file of ``spec/<name>/``)."""
    builder = _SchemaBuilder()
    top = builder.object_schema(Supplement, top_level=True)
    return {
        "$schema": DIALECT,
        "title": "DICOM Supplement source file (dicomsup)",
        "description": top["description"] + " Each file of the folder holds some of these top-level fields; "
                       "together they must give number, title, working_group, status, version, date and scope.",
        "type": "object",
        "properties": top["properties"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


def schema_text() -> str:
    """The schema as written to disk: stable key order, two-space indent, final newline."""
    return json.dumps(supplement_schema(), indent=2, ensure_ascii=False) + "\n"


def generate(folder: Path) -> None:
    """Global generator: write ``supplement.schema.json`` into ``folder`` (``output/schema/``)."""
    (folder / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
