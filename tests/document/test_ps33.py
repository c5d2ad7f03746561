"""document.ps33: the IOD section says only what the standard's IOD says."""

from __future__ import annotations

import dataclasses

from build_tools.document.build import build_document
from build_tools.document.nodes import Section


def _texts(node) -> list[str]:
    """Every piece of text under ``node``."""
    if isinstance(node, tuple):
        return [t for item in node for t in _texts(item)]
    if hasattr(node, "text") and isinstance(node.text, str):
        return [node.text]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [t for field in dataclasses.fields(node) for t in _texts(getattr(node, field.name))]
    return []


def _section(document, section_id: str) -> Section:
    def walk(sections):
        for section in sections:
            if section.id == section_id:
                return section
            found = walk(section.sections)
            if found is not None:
                return found
        return None

    found = walk(tuple(s for c in document.chapters for s in c.sections))
    assert found is not None, section_id
    return found


def test_single_frame_writes_no_sentence_about_number_of_frames(supplement, index) -> None:
    """The published Dermoscopic Photography Image IOD states no rule on Number of Frames: ``single_frame``
    (kept for the example generator and the verifier) adds no normative sentence of ours."""
    iod = supplement.iods[0]
    assert iod.single_frame is True
    document, _warnings = build_document(supplement, index)
    constraints = _section(document, f"sect_{iod.section}.3.1")
    text = " ".join(_texts(_section(document, f"sect_{iod.section}")))
    assert "Number of Frames" not in text
    assert "single-frame IOD" not in text and "present with the value 1" not in text
    assert "shall have the Enumerated Value DMS" in " ".join(_texts(constraints))  # the real constraint stays
