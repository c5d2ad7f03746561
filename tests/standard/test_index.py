"""The Index finds every baseline module, and an IOD that names modules the 2024 catalog lacked lints clean."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_tools.build import lint
from build_tools.core.errors import Severity
from build_tools.load.loader import load_supplement
from build_tools.standard import baseline
from build_tools.standard.index import Index

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
MICROSCOPY = ["Synchronization", "Multi-frame Functional Groups", "Multi-frame Dimension", "Specimen", "Optical Path",
              "Frame Extraction", "Multi-Resolution Pyramid", "Microscope Slide Layer Tile Organization"]
ROWS = """      - {ie: Frame of Reference, module: Synchronization, usage: U}
      - {ie: Image, module: Multi-frame Functional Groups, usage: M}
      - {ie: Image, module: Multi-frame Dimension, usage: M}
      - {ie: Image, module: Specimen, usage: M}
      - {ie: Image, module: Optical Path, usage: M}
      - {ie: Image, module: Frame Extraction, usage: U}
      - {ie: Multi-Resolution Pyramid, module: Multi-Resolution Pyramid, usage: U}
      - {ie: Image, module: Microscope Slide Layer Tile Organization, usage: M}
"""


def microscopy_spec(tmp_path: Path) -> Path:
    folder = tmp_path / "microscopy"
    shutil.copytree(MINIMAL, folder)
    path = folder / "content.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "      - {ie: Image, module: Lesion Marker, usage: M}\n"
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, anchor + ROWS), encoding="utf-8")
    return folder


def test_the_index_finds_the_modules_of_a_microscopy_iod(tmp_path):
    index = Index(load_supplement(MINIMAL, []))
    for name in MICROSCOPY:
        module = index.module(name)
        assert module is not None and module.kind == "module" and module.attributes, name
        assert name in index.modules
    assert index.module("Pixel Measures").kind == "macro"  # a functional group macro is included as a macro


def test_the_index_finds_every_baseline_module():
    index = Index(load_supplement(MINIMAL, []))
    names = list(baseline.module_names())
    assert len(names) > 700
    assert all(index.module(name) is not None for name in names)
    assert set(names) <= set(index.modules)


def test_an_iod_naming_them_lints_without_a_module_finding(tmp_path):
    _supplement, findings = lint(microscopy_spec(tmp_path))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert errors == []
    # the Information Entity rule is wired to the baseline's IEs separately; no finding concerns a module
    assert [f for f in findings if "module" in f.message.lower() or "macro" in f.message.lower()] == []


def test_a_macro_named_like_a_module_is_found_with_the_word_macro():
    index = Index(load_supplement(MINIMAL, []))
    assert index.module("Specimen").kind == "module"
    assert index.module("Specimen Macro").kind == "macro"
    assert index.module("Image Pixel").kind == "module" and index.module("Image Pixel Macro").kind == "macro"
    assert index.module("Code Sequence").kind == "macro" and index.module("Code Sequence Macro") is None
    includes = [r.include for r in baseline.module("Specimen").attributes if hasattr(r, "include")]
    assert "Specimen Macro" in includes


def test_the_supplements_modules_override_and_carried_entries_are_not_served(supplement):
    index = Index(supplement)
    assert index.module("Dermoscopic Image") is supplement.modules[0]
    assert baseline.module("Dermoscopic Image") is None
    assert Index(supplement, with_catalog=False).module("Synchronization") is None


def test_baseline_rows_carry_conditions_as_structure_where_the_source_encodes_them():
    rows = {r.attribute: r for r in baseline.module("Multi-frame Functional Groups").attributes}
    assert rows["ConcatenationFrameOffsetNumber"].condition.present == "ConcatenationUID"
    assert rows["SharedFunctionalGroupsSequence"].item_count == "one"
    image_type = next(r for r in baseline.module("General Image").attributes if r.attribute == "ImageType")
    assert image_type.value_index == 1 and [e.value for e in image_type.enumerated_values] == ["ORIGINAL",
                                                                                                "DERIVED"]
    sync = {r.attribute: r for r in baseline.module("Synchronization").attributes}
    assert sync["SynchronizationChannel"].condition.named and sync["SynchronizationChannel"].condition.text
