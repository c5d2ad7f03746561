"""The semantic diff compares the fields of enhanced IODs and of examples that it once ignored: explicit table and
annex labels, 'otherwise', functional group rows, new parent sections, and the examples' transfer syntax, ICC
profile, frames, prose conditions and defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from build_tools.diff.semantic import semantic_diff
from build_tools.load.loader import load_supplement

ENHANCED = Path(__file__).resolve().parents[1] / "fixtures" / "enhanced"


def changed(old, new) -> set[tuple]:
    return {(c.kind, c.subject, c.field, c.old, c.new) for c in semantic_diff(old, new)}


def test_unchanged_draft_has_no_changes():
    assert semantic_diff(load_supplement(ENHANCED, []), load_supplement(ENHANCED, [])) == []


def test_labels_otherwise_and_functional_groups_are_compared():
    old = load_supplement(ENHANCED, [])
    iod = old.iods[0]
    modules = [dataclasses.replace(u, otherwise="absent") if u.module == "Specimen" else u for u in iod.modules]
    groups = [dataclasses.replace(g, placement="either") if g.macro == "Pixel Measures" else g
              for g in iod.functional_groups]
    annex = dataclasses.replace(old.annex, sections=[dataclasses.replace(old.annex.sections[0], label=None),
                                                     *old.annex.sections[1:]])
    new = dataclasses.replace(old, iods=[dataclasses.replace(iod, table=None, functional_groups_table="A.95.1.5-1",
                                                             modules=modules, functional_groups=groups)],
                              annex=annex)
    found = changed(old, new)
    assert ("iod-changed", "Lesion Stack Image", "table", "A.95.1.3-1", None) in found
    assert ("iod-changed", "Lesion Stack Image", "functional_groups_table", "A.95.1.4-1", "A.95.1.5-1") in found
    assert ("iod-usage-changed", "Specimen", "otherwise", "may be present", "absent") in found
    assert ("functional-group-changed", "Pixel Measures", "placement", "shared", "either") in found
    assert ("annex-section-changed", "Depth stacks", "label", "QQQQQ.7", None) in found


def test_example_fields_and_defaults_are_compared():
    old = load_supplement(ENHANCED, [])
    example = old.examples[0]
    new_example = dataclasses.replace(example, transfer_syntax="jpeg-baseline", icc_profile="srgb",
                                      conditions={**example.conditions, "specimen": True},
                                      frames=example.frames[:2])
    new = dataclasses.replace(old, examples=[new_example], example_defaults={"Manufacturer": "Other Inc."})
    found = changed(old, new)
    assert ("example-changed", "depth-stack", "transfer_syntax", "explicit-little", "jpeg-baseline") in found
    assert ("example-changed", "depth-stack", "icc_profile", None, "srgb") in found
    assert ("example-changed", "depth-stack", "conditions.specimen", "false", "true") in found
    assert any(kind == "example-changed" and field == "frames" for kind, _s, field, _o, _n in found)
    assert ("example-changed", "example_defaults", "Manufacturer", "Example Stacks Inc.", "Other Inc.") in found
