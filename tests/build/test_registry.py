"""The registry of outputs: every entry is a complete Output, names are unique, ``--only`` names are checked, and no
output imports another (what they share is in ``outputs/base.py`` or a lower stage)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from build_tools.outputs.base import Output
from build_tools.outputs.dcmtk import DcmtkDictionary
from build_tools.outputs.dictionaries_readme import DictionariesReadme
from build_tools.outputs.docbook import DocBook
from build_tools.outputs.innolitics import Innolitics
from build_tools.outputs.json_export import JsonExport
from build_tools.outputs.pydicom import PydicomExtension
from build_tools.outputs.registry import OUTPUTS, names, parse_names, select

OUTPUTS_FOLDER = Path(__file__).resolve().parents[2] / "build_tools" / "outputs"
#: Modules of build_tools/outputs/ that are not outputs: the interface, the list, and the examples' drawing.
HELPERS = {"__init__", "base", "registry", "pixels"}


def test_every_output_is_complete() -> None:
    for output in OUTPUTS:
        assert issubclass(output, Output), output
        assert output.write is not Output.write, f"{output.__name__} does not implement write()"
        assert output.scope in ("supplement", "project"), output
        assert output.name and output.name == output.name.strip() and "," not in output.name, output
        assert output.folder and "/" not in output.folder and not output.folder.startswith("."), output
        summary = output.summary
        assert summary and "\n" not in summary and len(summary) <= 72, f"{output.name}: {summary!r}"


def test_names_are_unique_and_in_build_order() -> None:
    assert len(set(names())) == len(OUTPUTS)
    assert names()[:5] == ["docbook", "html", "docx", "pdf", "examples"]
    assert OUTPUTS[-1].scope == "project"


def test_every_output_module_is_registered() -> None:
    modules = {p.stem for p in OUTPUTS_FOLDER.glob("*.py")} - HELPERS
    assert modules == {output.__module__.rsplit(".", 1)[1] for output in OUTPUTS}


def test_parse_names() -> None:
    assert parse_names("docbook,html") == ["docbook", "html"]
    assert parse_names(" json , dcmtk ") == ["json", "dcmtk"]
    for wrong in ("nope", "docbook,nope", ",", ""):
        with pytest.raises(ValueError) as caught:
            parse_names(wrong)
        message = str(caught.value)
        assert "\n" not in message and all(name in message for name in names()), message


def test_select_keeps_build_order_and_adds_the_outputs_of_a_shared_folder() -> None:
    assert select(None) == OUTPUTS
    assert select(["html", "docbook"]) == [DocBook, OUTPUTS[1]]
    dictionaries = [PydicomExtension, DcmtkDictionary, JsonExport, Innolitics, DictionariesReadme]
    assert select(["dcmtk"]) == dictionaries
    assert select(["docbook", "json"]) == [DocBook, *dictionaries]
    with pytest.raises(ValueError, match="unknown output"):
        select(["nope"])


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside functions (``from pkg import mod`` gives ``pkg.mod``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            if node.module == "build_tools.outputs":  # a package: what it gives are modules
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module", sorted(p.stem for p in OUTPUTS_FOLDER.glob("*.py") if p.stem not in HELPERS))
def test_no_output_imports_another(module: str) -> None:
    allowed = {"build_tools.outputs", "build_tools.outputs.base"}
    if module == "examples":
        allowed.add("build_tools.outputs.pixels")  # its private drawing helper
    imported = _imports(OUTPUTS_FOLDER / f"{module}.py")
    ours = {name for name in imported if name.startswith("build_tools.outputs")}
    assert ours <= allowed, f"outputs/{module}.py imports {sorted(ours - allowed)}"
    above = {name for name in imported if name.split(".")[:2] in (["build_tools", "build"], ["build_tools", "watch"],
                                                                   ["build_tools", "scaffold"],
                                                                   ["build_tools", "commands"])}
    assert not above, f"outputs/{module}.py imports a higher stage: {sorted(above)}"
