"""The guide to multi-frame and enhanced IODs (docs/enhanced.rst): its YAML snippets together are a supplement that
loads and lints without an error, and the features it describes render as it says."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from build_tools.check.rules import check
from build_tools.core.errors import Severity
from build_tools.document.build import document
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index

PAGE = Path(__file__).resolve().parents[2] / "docs" / "enhanced.rst"
FRONT = """number: 9997
title: Lesion Stack
working_group: WG-19 Dermatologic Standards
status: Draft
version: "0.1"
date: "2026-11-25"
parts: [PS3.3, PS3.6, PS3.17]
scope: A guide's example.
"""


def snippets() -> list[str]:
    """The ``.. code-block:: yaml`` bodies of the page, dedented."""
    found = []
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if re.fullmatch(r"\.\. code-block:: yaml\s*", line):
            body = []
            for following in lines[number + 1:]:
                if following.strip() and not following.startswith(" "):
                    break
                body.append(following[3:])
            found.append("\n".join(body).strip("\n") + "\n")
    return found


def test_the_snippets_make_a_supplement_that_lints(tmp_path):
    blocks = snippets()
    assert len(blocks) == 6
    keys = [next(iter(yaml.safe_load(block))) for block in blocks]
    assert keys == ["iods", "modules", "examples", "example_defaults", "annex", "sections"]
    (tmp_path / "supplement.yaml").write_text(FRONT, encoding="utf-8")
    for number, block in enumerate(blocks, start=1):
        (tmp_path / f"part{number}.yaml").write_text(block, encoding="utf-8")
    findings: list = []
    supplement = load_supplement(tmp_path, findings)
    findings += check(supplement)
    assert [str(f) for f in findings if f.severity is Severity.ERROR] == []
    model = document(supplement, Index(supplement))
    chapter = next(c for c in model.chapters if c.part == "PS3.3")
    assert [w.title for w in chapter.sections][:2] == ["Section A.95 (new)", "Section A.95.1 (new)"]
    annex = next(c for c in model.chapters if c.part == "PS3.17").sections[0].sections[0]
    assert [s.label for s in annex.sections] == ["QQQQQ.7", "QQQQQ.8"]
