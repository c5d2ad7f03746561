"""Dictionaries for toolkits, generated from the model: a pydicom extension, a DCMTK fragment and a JSON export.

Implementers need a supplement's data elements and UIDs before their toolkit's next release. This generator
writes, into ``output/<name>/dictionaries/``:

``dicomsup_<name>.py``
    An importable module that registers the new data elements with ``pydicom.datadict.add_dict_entries`` and the
    new UIDs in ``pydicom.uid.UID_dictionary`` (and as ``pydicom.uid.<Keyword>``). Where the installed pydicom
    already knows an entry it is kept; a disagreement is reported with a warning.
``<name>.dic``
    A DCMTK data dictionary fragment (``dicom.dic`` format) to append to ``DCMDICTPATH``.
``supplement.json`` and ``supplement.schema.json``
    The whole model as JSON, and the JSON Schema (draft 2020-12) that documents it, derived from the model's
    field documentation so that it cannot drift from the YAML format.

Every output is a pure function of the model: no timestamps, sorted registries, byte-identical on every build.
Layout lives in ``templates/dictionaries/``; this module computes the values the templates print.
"""

from __future__ import annotations

import dataclasses
import json
import keyword as python_keyword
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2

from build_tools.core import resources

from build_tools.core.fields import hints
from build_tools.core.tags import parse_tag, tag_text
from build_tools.standard.index import Index, cid_keyword, element_keyword, uid_keyword
from build_tools.core.model import UID, ContextGroup, DataElement, Prose, Supplement, model_fields, yaml_key
from build_tools.outputs.schema import class_doc, plain_doc

if TYPE_CHECKING:
    from build_tools.build import BuildContext

#: Folder under ``output/<name>/`` that this generator writes.
FOLDER = "dictionaries"
SCHEMA_FILE = "supplement.schema.json"
EXPORT_FILE = "supplement.json"
#: Version of the JSON export's layout (the wrapper around the model); bump it on an incompatible change.
EXPORT_VERSION = 1
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: pydicom's multi-VR spellings to DCMTK's pseudo VRs (as DCMTK's own dicom.dic writes them).
DCMTK_VR = {
    "US or SS": "xs",
    "OB or OW": "ox",
    "US or OW": "lt",
    "US or SS or OW": "lt",
    "NONE": "na",
}


#: Names the pydicom extension defines itself; a UID keyword that equals one gets no module attribute.
_RESERVED = frozenset({"SUPPLEMENT", "DATA_ELEMENTS", "UIDS", "SupplementDictionaryWarning", "annotations"})


# --- Entries ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementEntry:
    """A new data element as the toolkits' dictionaries hold it."""

    tag: int
    vr: str
    vm: str
    name: str
    keyword: str
    retired: bool

    @property
    def tag_text(self) -> str:
        """``(gggg,eeee)`` in upper-case hexadecimal."""
        return tag_text(self.tag)

    @property
    def pydicom(self) -> tuple[str, str, str, str, str]:
        """The entry as ``pydicom.datadict.DicomDictionary`` holds it: (VR, VM, name, retired, keyword)."""
        return (self.vr, self.vm, self.name, "Retired" if self.retired else "", self.keyword)

    @property
    def dcmtk_vr(self) -> str:
        """The VR as DCMTK writes it (pseudo VRs such as ``xs`` for ``US or SS``)."""
        return DCMTK_VR.get(self.vr, self.vr)

    @property
    def dcmtk_keyword(self) -> str:
        """DCMTK prefixes the keywords of retired elements with ``RETIRED_``."""
        return f"RETIRED_{self.keyword}" if self.retired else self.keyword

    @property
    def dcmtk_version(self) -> str:
        """DCMTK's version column: ``DICOM`` for the standard, ``DICOM/retired`` for retired elements."""
        return "DICOM/retired" if self.retired else "DICOM"


@dataclass(frozen=True)
class UIDEntry:
    """A new UID as pydicom's UID dictionary holds it."""

    value: str
    name: str
    type: str
    keyword: str
    retired: bool

    @property
    def pydicom(self) -> tuple[str, str, str, str, str]:
        """The entry as ``pydicom.uid.UID_dictionary`` holds it: (name, type, info, retired, keyword)."""
        return (self.name, self.type, "", "Retired" if self.retired else "", self.keyword)

    @property
    def identifier(self) -> bool:
        """True when the keyword can name a Python attribute (``pydicom.uid.<Keyword>``)."""
        return (self.keyword.isidentifier() and not python_keyword.iskeyword(self.keyword)
                and not self.keyword.startswith("_") and self.keyword not in _RESERVED)


def element_entries(supplement: Supplement) -> list[ElementEntry]:
    """The supplement's data elements, sorted by tag (elements whose tag does not parse are left to the rules)."""
    new = Index(supplement, with_catalog=False).new_elements.values()
    return sorted((ElementEntry(e.tag, e.vr, e.vm, e.name, e.keyword, e.retired) for e in new), key=lambda e: e.tag)


def uid_entries(supplement: Supplement) -> list[UIDEntry]:
    """The supplement's UIDs, sorted by value component by component."""
    entries = [UIDEntry(u.value, u.name, u.type, uid_keyword(u), u.retired) for u in supplement.uids]
    return sorted(entries, key=lambda u: _uid_sort_key(u.value))


def _uid_sort_key(value: str) -> tuple[tuple[int, ...], str]:
    """UIDs in numeric order of their components (``...77.1.7`` before ``...77.1.10``)."""
    return tuple(int(part) if part.isdigit() else -1 for part in value.split(".")), value


def module_name(supplement: Supplement) -> str:
    """The importable name of the pydicom extension, e.g. ``dicomsup_dermoscopy``."""
    stem = re.sub(r"\W+", "_", supplement.name.lower(), flags=re.ASCII).strip("_") or "supplement"
    return f"dicomsup_{stem}"


def dcmtk_file(supplement: Supplement) -> str:
    """The file name of the DCMTK fragment, e.g. ``dermoscopy.dic``."""
    return f"{module_name(supplement).removeprefix('dicomsup_')}.dic"


def label(supplement: Supplement) -> str:
    """How the outputs name the supplement, e.g. ``Supplement 221 "Dermoscopy"``."""
    return f'Supplement {supplement.number} "{supplement.title}"'


# --- Templates ----------------------------------------------------------------------------------------------


def _docstring_text(text: Any) -> str:
    """Text that is safe inside a triple-quoted Python docstring."""
    return str(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _comment_text(text: Any) -> str:
    """Text that is safe on one comment line (no line breaks)."""
    return " ".join(str(text).split())


@cache
def environment(templates: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for non-markup outputs: no autoescaping, values are quoted by filters."""
    env = resources.environment(FOLDER, markup=False).overlay()
    env.filters["repr"] = repr
    env.filters["pytag"] = lambda tag: f"0x{tag:08X}"
    env.filters["docstring"] = _docstring_text
    env.filters["comment"] = _comment_text
    return env


def _values(supplement: Supplement) -> dict[str, Any]:
    """What every dictionary template gets."""
    return {
        "supplement": supplement,
        "label": label(supplement),
        "module_name": module_name(supplement),
        "dcmtk_file": dcmtk_file(supplement),
        "elements": element_entries(supplement),
        "uids": uid_entries(supplement),
    }


def render_pydicom_module(supplement: Supplement, templates: Path) -> str:
    """The source of the pydicom dictionary extension."""
    return environment(templates).get_template("pydicom_extension.py.j2").render(_values(supplement))


def render_dcmtk(supplement: Supplement, templates: Path) -> str:
    """The DCMTK data dictionary fragment."""
    return environment(templates).get_template("dcmtk.dic.j2").render(_values(supplement))


def render_readme(supplement: Supplement, templates: Path) -> str:
    """The README of the dictionaries folder: what each file is and how to use it."""
    return environment(templates).get_template("README.md.j2").render(_values(supplement))


# --- JSON export --------------------------------------------------------------------------------------------

#: Optional model fields that the export always fills in (with the value derived from the name when absent).
_DERIVED = {
    (DataElement, "keyword"): element_keyword,
    (UID, "keyword"): uid_keyword,
    (ContextGroup, "keyword"): cid_keyword,
}

#: Registries that the export sorts (everything else keeps the authored order, which is meaningful).
_SORTED = {
    "data_elements": lambda e: (parse_tag(e.tag) is None, parse_tag(e.tag) or 0, e.tag),
    "uids": lambda u: _uid_sort_key(u.value),
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
        for f in model_fields(type(value)):
            item = getattr(value, f.name)
            derive = _DERIVED.get((type(value), f.name))
            if derive is not None:
                item = derive(value)
            if item is None:
                continue
            if isinstance(item, list) and f.name in _SORTED and isinstance(value, Supplement):
                item = sorted(item, key=_SORTED[f.name])
            result[yaml_key(f)] = _to_json(item)
        return result
    if isinstance(value, list):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    return value


def export(supplement: Supplement) -> dict[str, Any]:
    """The JSON export of a supplement: a pure function of the model."""
    return {
        "$schema": SCHEMA_FILE,
        "export_version": EXPORT_VERSION,
        "name": supplement.name,
        "supplement": _to_json(supplement),
    }


def dumps(data: Any) -> str:
    """JSON text as every dicomsup output writes it: sorted keys, two-space indent, UTF-8, final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# --- JSON Schema --------------------------------------------------------------------------------------------


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a model type hint; model classes go into ``defs`` and are referenced."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]  # None fields are left out
        if len(options) == 1:
            return _type_schema(options[0], defs)
        return {"oneOf": [_type_schema(option, defs) for option in options]}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(typing.get_args(tp)[1], defs)}
    if origin is Literal:
        allowed = list(typing.get_args(tp))
        return {"type": "string", "enum": allowed}
    if tp is Any:
        return {"description": "Any JSON value, as written in the YAML (null included)."}
    if tp is str or tp is Prose:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if dataclasses.is_dataclass(tp):
        _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"model type {tp!r} has no JSON Schema")  # a bug in the model, not in the input


def _class_schema(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # reserve first: the model is recursive (Condition, Attribute, AnnexSection)
    properties: dict[str, Any] = {}
    required = []
    type_hints = hints(cls)
    for f in model_fields(cls):
        schema = dict(_type_schema(type_hints[f.name], defs))
        doc = f.metadata.get("doc")
        if (cls, f.name) in _DERIVED:
            doc = f"{doc} Always present in the export."
        if doc:
            schema["description"] = plain_doc(doc)
        if f.metadata.get("example") is not None:
            schema["examples"] = [f.metadata["example"]]
        if f.default is not dataclasses.MISSING and f.default is not None and not isinstance(f.default, Prose):
            schema["default"] = f.default
        properties[yaml_key(f)] = schema
        if (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING) \
                or (cls, f.name) in _DERIVED:
            required.append(yaml_key(f))
    defs[cls.__name__] = {
        "type": "object",
        "description": class_doc(cls),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :func:`export`, derived from the model and its field documentation."""
    defs: dict[str, Any] = {}
    supplement_ref = _type_schema(Supplement, defs)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"urn:dicomsup:supplement-export:{EXPORT_VERSION}",
        "title": "DICOM Supplement (dicomsup JSON export)",
        "description": (
            "The whole model of a DICOM Supplement as authored in spec/<name>/ and checked by dicomsup: data "
            "elements, UIDs, IODs with their module tables, modules and macros with their attributes (sequence "
            "items nested, conditions machine-readable), codes, context groups and the rows added to existing ones, "
            "amendments, the informative annex and the example variants. Each object has the keys of the YAML "
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
        "$defs": {name: defs[name] for name in sorted(defs)},
    }


# --- The generator ------------------------------------------------------------------------------------------


def write_all(supplement: Supplement, folder: Path, templates: Path) -> list[Path]:
    """Write every dictionary output of ``supplement`` into ``folder`` (created when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        f"{module_name(supplement)}.py": render_pydicom_module(supplement, templates),
        dcmtk_file(supplement): render_dcmtk(supplement, templates),
        EXPORT_FILE: dumps(export(supplement)),
        SCHEMA_FILE: dumps(schema()),
        "README.md": render_readme(supplement, templates),
    }
    written = []
    for name, text in outputs.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def generate(ctx: BuildContext, out: Path) -> None:
    """Write the pydicom extension, the DCMTK fragment and the JSON export into ``out/dictionaries/``."""
    write_all(ctx.supplement, out / FOLDER, ctx.templates)
