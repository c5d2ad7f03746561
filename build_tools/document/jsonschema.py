"""JSON Schema (draft 2020-12) of the model's types, written once for both schemas that dicomsup ships.

The authoring schema (``output/schema/``, for editors) and the export schema (beside ``supplement.json``) walk the
same classes, fields, docs, defaults and examples, read through :mod:`build_tools.core.fields`; they differ only in
what a scalar, a list, a choice or a union accepts (the YAML as the loader reads it, or the JSON as the export
writes it) and in which fields are required. :class:`ModelSchema` is the walk; each schema subclasses it and
answers those questions in its hooks.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from build_tools.core.fields import FieldDoc, fields, first_paragraph, shape
from build_tools.core.model import Prose

DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def plain_doc(text: str) -> str:
    """Documentation text for an editor: reStructuredText literals (````x````) become Markdown ones."""
    return re.sub(r"``([^`]+)``", r"`\1`", " ".join(text.split()))


def class_doc(cls: type) -> str:
    """The first paragraph of a model class's docstring (the rest explains internals)."""
    return plain_doc(first_paragraph(cls))


class ModelSchema:
    """Turns model types into schema fragments, collecting one ``$defs`` entry per model class."""

    #: Whether an object schema says ``"required": []`` when no field is required.
    empty_required: bool = False

    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}

    # --- the walk -----------------------------------------------------------------------------------------

    def of(self, tp: Any) -> Schema:
        """The schema of a model type hint; model classes go into :attr:`defs` and are referenced."""
        found = shape(tp)
        if found.kind == "union":
            return self.union([self.of(option) for option in found.args], found.nullable)
        if found.kind == "list":
            return self.array(self.of(found.args[0]))
        if found.kind == "mapping":
            return {"type": "object", "additionalProperties": self.of(found.args[0])}
        if found.kind == "choice":
            return self.choice(list(found.args))
        if found.kind == "class":
            return self.ref(found.args[0])
        if found.kind in ("text", "prose"):
            return self.text()
        if found.kind == "int":
            return self.whole_number()
        if found.kind == "bool":
            return self.boolean()
        return self.any_value()

    def ref(self, cls: type) -> Schema:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # reserve the name first: model classes refer to themselves
            self.defs[cls.__name__] = self.object(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def object(self, cls: type, *, top_level: bool = False) -> Schema:
        """The schema of a model class; ``top_level`` requires nothing (a supplement is split across files)."""
        properties = {f.key: self.property(cls, f) for f in fields(cls)}
        required = [] if top_level else [f.key for f in fields(cls) if self.required(cls, f)]
        result: Schema = {"type": "object", "description": class_doc(cls), "properties": properties}
        if required or (self.empty_required and not top_level):
            result["required"] = required
        result["additionalProperties"] = False
        return result

    def property(self, cls: type, f: FieldDoc) -> Schema:
        prop = dict(self.of(f.type))  # a copy: the fragments of references and scalars are shared
        prop["description"] = plain_doc(self.doc(cls, f))
        if f.default is not dataclasses.MISSING and f.default is not None and not isinstance(f.default, Prose):
            prop["default"] = f.default
        if f.example is not None:
            prop["examples"] = [f.example]
        return prop

    def definitions(self) -> Schema:
        """The collected ``$defs``, sorted by class name (stable output whatever order the walk took)."""
        return dict(sorted(self.defs.items()))

    # --- the hooks: what each schema accepts ----------------------------------------------------------------

    def required(self, cls: type, f: FieldDoc) -> bool:
        return f.required

    def doc(self, cls: type, f: FieldDoc) -> str:
        return f.doc

    def union(self, options: list[Schema], nullable: bool) -> Schema:
        raise NotImplementedError

    def array(self, items: Schema) -> Schema:
        raise NotImplementedError

    def choice(self, values: list[Any]) -> Schema:
        raise NotImplementedError

    def text(self) -> Schema:
        raise NotImplementedError

    def whole_number(self) -> Schema:
        raise NotImplementedError

    def boolean(self) -> Schema:
        raise NotImplementedError

    def any_value(self) -> Schema:
        raise NotImplementedError
