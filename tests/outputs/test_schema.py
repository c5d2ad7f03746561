"""The JSON Schema generated from the model accepts every spec file and rejects misspelled or misplaced fields.

Files are read twice: as the loader reads them (every scalar as text: yaml.BaseLoader) and as an editor's YAML
language server does (YAML 1.2 core schema: ``YES`` stays text, ``1.0`` is a number, ``true`` a boolean).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from build_tools.outputs.base import ProjectContext
from build_tools.outputs.registry import OUTPUTS
from build_tools.load.loader import supplement_files
from build_tools.core.fields import field_docs, model_classes
from build_tools.scaffold import scaffold
from build_tools.outputs.authoring_schema import SCHEMA_FILE, AuthoringSchema, schema_text, supplement_schema

ROOT = Path(__file__).resolve().parents[2]
SPEC_FILES = sorted(p for folder in (ROOT / "spec").glob("*/") if folder.is_dir() for p in supplement_files(folder)) \
    if (ROOT / "spec").is_dir() else []


class Yaml12Loader(yaml.SafeLoader):
    """The YAML 1.2 core schema, as editors' language servers use it (no yes/no booleans, no timestamps)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

LOADERS = {"as-text": yaml.BaseLoader, "yaml-1.2": Yaml12Loader}


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = supplement_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(validator: Draft202012Validator, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def _load(path: Path, loader: str) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADERS[loader])


@pytest.mark.skipif(not SPEC_FILES, reason="no supplement in spec/")
@pytest.mark.parametrize("loader", sorted(LOADERS))
@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_spec_file_is_valid(validator, path: Path, loader: str) -> None:
    assert not _errors(validator, _load(path, loader))


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> Path:
    return scaffold(tmp_path_factory.mktemp("spec"), "wound-photography", "Wound Photography", 250,
                    "WG-19 Dermatologic Standards")


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_scaffold_files_are_valid(validator, scaffolded: Path, loader: str) -> None:
    files = supplement_files(scaffolded)
    assert len(files) == 10
    for path in files:
        assert not _errors(validator, _load(path, loader)), path.name


@pytest.mark.parametrize("text, where", [
    ("titel: Dermoscopy\n", ""),  # top level
    ("iods:\n  - name: X\n    section: A.1\n    description: d\n    singel_frame: true\n", "iods/0"),
    ("modules:\n  - name: M\n    section: C.1\n    attributes:\n      - attribute: K\n        type: '1'\n"
     "        description: d\n        conditon: {present: X}\n", "modules/0/attributes/0"),
    ("modules:\n  - name: M\n    section: C.1\n    attributes:\n      - include: Code Sequence\n"
     "        baseline_cdi: 29\n", "modules/0/attributes/0"),
])
def test_misspelled_field_is_rejected(validator, text: str, where: str) -> None:
    errors = _errors(validator, yaml.load(text, Loader=yaml.BaseLoader))
    assert errors, "a misspelled field was accepted"
    assert any(e.startswith(f"{where}:") for e in errors), errors


def test_wrong_values_are_rejected(validator) -> None:
    assert _errors(validator, {"status": "Finished"})
    assert _errors(validator, {"number": "two hundred"})
    assert _errors(validator, {"iods": [{"name": "X", "section": "A.1"}]})  # description is required
    assert _errors(validator, {"iods": [{"name": "X", "section": "A.1", "description": "d",
                                         "single_frame": "yes"}]})  # the loader accepts only true/false
    assert not _errors(validator, {"number": "221", "version": 1.0, "iods": None})


def test_schema_describes_every_field() -> None:
    schema = supplement_schema()
    for cls in model_classes():
        properties = schema["properties"] if cls.__name__ == "Supplement" else \
            schema["$defs"][cls.__name__]["properties"]
        for field in field_docs(cls):
            assert properties[field.key]["description"], f"{cls.__name__}.{field.key}"
        if cls.__name__ != "Supplement":
            assert schema["$defs"][cls.__name__]["additionalProperties"] is False
            required = {f.key for f in field_docs(cls) if f.required}
            assert set(schema["$defs"][cls.__name__].get("required", [])) == required
    assert "required" not in schema  # a supplement is split across files


def test_project_output_writes_the_schema_deterministically(tmp_path: Path) -> None:
    assert AuthoringSchema in OUTPUTS
    assert (AuthoringSchema.name, AuthoringSchema.folder, AuthoringSchema.scope) == ("schema", "schema", "project")
    AuthoringSchema().write(ProjectContext(), tmp_path)
    written = tmp_path / SCHEMA_FILE
    assert written.read_text(encoding="utf-8") == schema_text() == schema_text()
    assert json.loads(written.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")
