"""The one reading of :mod:`build_tools.core.model`: its classes, their fields, types, defaults, docs and examples.

The loader (binding and its messages), the authoring JSON Schema, the export schema, the Sphinx YAML reference
(``docs/_ext``) and the comments of ``dicomsup new`` all ask this module, so none of them can drift from the model
or from each other.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Literal

from build_tools.core import model
from build_tools.core.model import Prose, Supplement, model_fields, yaml_key


@cache
def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a model class (resolved once per class)."""
    return typing.get_type_hints(cls, vars(model))


def required(f: dataclasses.Field) -> bool:
    """Whether a field must be given in YAML (it has neither a default nor a default factory)."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


@dataclass(frozen=True)
class FieldDoc:
    """One field of a model class: its YAML key, type, whether it is required, its default, doc and example."""

    key: str
    type: Any
    required: bool
    default: Any  # dataclasses.MISSING when required or when the default is an empty list/mapping
    doc: str
    example: Any
    name: str = ""  # the Python attribute (differs from ``key`` where the YAML key is a Python keyword)


def model_classes(root: type = Supplement) -> list[type]:
    """Every model class reachable from ``root``, ``root`` first, then in the order fields mention them."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        for f in model_fields(cls):
            for inner in referenced_classes(hints(cls)[f.name]):
                visit(inner)

    visit(root)
    return found


def referenced_classes(tp: Any) -> list[type]:
    """The model classes a type refers to (``list[ModuleUse]`` -> ``[ModuleUse]``)."""
    if dataclasses.is_dataclass(tp) and tp is not Prose:
        return [tp]
    result: list[type] = []
    for arg in typing.get_args(tp):
        if typing.get_origin(tp) is not Literal:
            result.extend(referenced_classes(arg))
    return result


@cache
def fields(cls: type) -> tuple[FieldDoc, ...]:
    """The YAML fields of a model class, in declaration order (read once per class)."""
    type_hints = hints(cls)
    return tuple(FieldDoc(yaml_key(f), type_hints[f.name], required(f), f.default, f.metadata["doc"],
                          f.metadata.get("example"), f.name) for f in model_fields(cls))


def by_key(cls: type) -> dict[str, FieldDoc]:
    """The fields of a model class by YAML key."""
    return {f.key: f for f in fields(cls)}


def field_docs(cls: type) -> list[FieldDoc]:
    """The fields of ``cls`` as a list (for the reference, the scaffold and the schemas)."""
    return list(fields(cls))


ShapeKind = Literal["text", "prose", "int", "bool", "any", "class", "list", "mapping", "choice", "union"]


@dataclass(frozen=True)
class Shape:
    """A field's type taken apart once, for the writers that map every model type (the JSON Schemas).

    ``args`` by ``kind``: ``class`` the model class; ``list`` the item type; ``mapping`` the value type (keys are
    text); ``choice`` the values of the ``Literal``; ``union`` the options other than ``None``, with ``nullable``
    when ``None`` is one of them. The scalars (``text``, ``prose``, ``int``, ``bool``, ``any``) have none.
    """

    kind: ShapeKind
    args: tuple[Any, ...] = ()
    nullable: bool = False


def shape(tp: Any) -> Shape:
    """What kind of value a model type hint describes (a ``TypeError`` for a type the model does not use)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        return Shape("union", tuple(a for a in options if a is not type(None)), type(None) in options)
    if origin is list:
        return Shape("list", (typing.get_args(tp)[0],))
    if origin is dict:
        return Shape("mapping", (typing.get_args(tp)[1],))
    if origin is Literal:
        return Shape("choice", typing.get_args(tp))
    if tp is Prose:
        return Shape("prose")
    if dataclasses.is_dataclass(tp):
        return Shape("class", (tp,))
    for scalar, kind in ((str, "text"), (int, "int"), (bool, "bool"), (Any, "any")):
        if tp is scalar:
            return Shape(kind)
    raise TypeError(f"model type {tp!r} is not one the model uses")  # a bug in the model, not in the input


#: Text fields whose value is words (a name, a title, a meaning): a plain value that YAML reads as a number, a
#: date or true/false is a mistake there (``title: 12``, ``name: yes``), where in the other text fields it is the
#: value as written (``vm: 1``, ``version: 0.10``, ``value: NO``), which the loader keeps as text. Prose fields are
#: words too, except that a prose field may say yes or no.
WORD_KEYS = frozenset({"title", "name", "meaning", "working_group", "secretariat", "ie", "module", "iod", "include",
                       "caption", "columns", "specialization", "source", "edition"})


def kind_text(tp: Any) -> str:
    """A short English name of what a type expects, for the loader's messages ("must be a whole number")."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(kind_text(a) for a in typing.get_args(tp) if a is not type(None))
    if origin is list:
        return "a list"
    if origin is dict:
        return "a mapping"
    if tp is Prose:
        return "text"
    if dataclasses.is_dataclass(tp):
        return f"a mapping ({tp.__name__})"
    return {str: "a text value", int: "a whole number", bool: "true or false"}.get(tp, "a value")


def type_text(tp: Any, name: Callable[[type], str] = lambda cls: cls.__name__) -> str:
    """An English name of a field's type; ``name`` spells a model class (e.g. as a link)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [type_text(a, name) for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(options)
    if origin is list:
        return "list of " + type_text(typing.get_args(tp)[0], name)
    if origin is dict:
        return "mapping of keyword to value"
    if origin is Literal:
        return "one of " + ", ".join(f"``{a}``" for a in typing.get_args(tp))
    if tp is Prose:
        return "prose (text with markup)"
    if dataclasses.is_dataclass(tp):
        return name(tp)
    return {str: "text", int: "whole number", bool: "true or false"}.get(tp, "any value")


def default_text(doc: FieldDoc) -> str:
    """How the reference shows whether a field is required, or its default."""
    if doc.required:
        return "required"
    if doc.default is dataclasses.MISSING:
        return "optional, default empty"
    if doc.default is None:
        return "optional"
    if isinstance(doc.default, bool):
        return f"optional, default ``{str(doc.default).lower()}``"
    return f"optional, default ``{doc.default}``"


def first_paragraph(cls: type) -> str:
    return " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())


def class_by_name(name: str) -> type:
    cls = getattr(model, name, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise KeyError(f"{name!r} is not a class of build_tools.core.model")
    return cls
