"""Targets of ``{section:…}`` and other references (issue 15, point 6): checked against the supplement's own
sections and the baseline's; messages one line, quoting what the author wrote.
"""

from __future__ import annotations

import pytest

from build_tools.check.references import missing_section
from build_tools.core.errors import Severity

from minimal_copies import edited, position
from test_rules import assert_finding, lint

E, W = Severity.ERROR, Severity.WARNING
C, S = "content.yaml", "supplement.yaml"
BODY = "see {de:LesionMarkerColor}."


def body(text: str) -> list[tuple[str, str, str]]:
    return [(C, BODY, text)]


BAD = [
    ("beyond-the-baseline-modules", "see {section:C.7.99}.", "{section:C.7.99}",
     "PS3.3 has no section C.7.99 as far as the baseline knows (the last section it knows under C.7 is", W),
    ("beyond-the-baseline-iods", "see {section:A.999.1}.", "{section:A.999.1}", "PS3.3 has no section A.999", W),
    ("prefixed-part", "see {section:PS3.3:C.7.6.99}.", "{section:PS3.3:C.7.6.99}", "no section C.7.6.99", W),
    ("own-module-subsection", "see {section:C.8.12.99.2}.", "{section:C.8.12.99.2}",
     "this supplement gives no section C.8.12.99.2; under C.8.12.99 it has", E),
    ("own-iod-subsection", "see {section:A.32.99.7}.", "{section:A.32.99.7}",
     "this supplement gives no section A.32.99.7; under A.32.99 it has A.32.99, A.32.99.1, A.32.99.2", E),
    ("syntax", "see {section:C..7}.", "{section:C..7}", "{section:C..7}", E),
]


@pytest.mark.parametrize("text, at, says, severity", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_section_target_that_does_not_exist(tmp_path, text, at, says, severity):
    folder = edited(tmp_path, body(text))
    assert_finding(lint(folder), position(folder, C, at), says, severity)


@pytest.mark.parametrize("target", [
    "C.7.6.1",  # General Image Module
    "C.7.6.1.1.2",  # a subsection of it: not in the baseline, not judged
    "C.7.6",  # above modules
    "A.1.2",  # Annex A's general sections hold no IOD: not judged
    "10.2",  # chapters are checked by their syntax only
    "C.8.12.99", "C.8.12.99.1.1",  # the supplement's own module and its attribute description
    "A.32.99", "A.32.99.2", "A.32.99.3",  # the supplement's own IOD and its subsections
    "PS3.4:B.5",  # another part: syntax only
])
def test_section_targets_that_exist_pass(tmp_path, target):
    folder = edited(tmp_path, body(f"see {{section:{target}}}."))
    assert lint(folder) == []


def test_amended_and_new_sections_are_the_supplements_own(tmp_path):
    amendment = ("amendments:\n  - part: PS3.3\n    section: C.7.77\n    title: Made Up Module\n"
                 "    changes:\n      - {new: Added text.}\n"
                 "sections:\n  - part: PS3.3\n    section: C.8.98\n    title: New Family\n")
    folder = edited(tmp_path, [("more.yaml", "", amendment),
                               *body("see {section:C.7.77} and {section:C.8.98}.")])
    assert not [f for f in lint(folder) if f.code in ("DS506", "DS540")]


def test_annex_sections_with_explicit_labels(tmp_path):
    annex = ("annex:\n  label: ZZZZZ\n  title: Markers\n  sections:\n    - title: Use\n      label: ZZZZZ.7\n"
             "      body: See {section:PS3.17:ZZZZZ.7}, {section:PS3.17:ZZZZZ.8} and {section:PS3.17:ZZZZZ.1}.\n"
             "    - title: Next\n      body: The next one.\n")
    folder = edited(tmp_path, [("annex.yaml", "", annex), (S, "PS3.16]", "PS3.16, PS3.17]")])
    findings = [f for f in lint(folder) if f.code == "DS506"]
    assert [f.loc for f in findings] == [position(folder, "annex.yaml", "{section:PS3.17:ZZZZZ.1}")]
    assert "it has ZZZZZ, ZZZZZ.7, ZZZZZ.8" in findings[0].message


def test_a_reference_wrapped_in_a_block_resolves_and_its_message_is_one_line(tmp_path):
    folder = edited(tmp_path, body("see {module:Lesion\n          Markr} and {module:Lesion\n          Marker}."))
    findings = lint(folder)
    assert [f.code for f in findings] == ["DS503"]
    assert "\n" not in findings[0].message
    assert "{module:Lesion Markr}: no module or macro 'Lesion Markr'" in findings[0].message


@pytest.mark.parametrize("text, written, right", [
    ("see {de:LesionMarkerColour}.", "LesionMarkerColour", "LesionMarkerColor"),
    ("see {de:patientName}.", "patientName", "PatientName"),
    ("see {de:Trackinguid}.", "Trackinguid", "TrackingUID"),
])
def test_a_keyword_typo_quotes_what_was_written_and_suggests_the_keyword(tmp_path, text, written, right):
    folder = edited(tmp_path, body(text))
    [finding] = lint(folder)
    assert f"no data element has keyword {written!r}" in finding.message
    assert f"did you mean {right!r}" in finding.message


@pytest.mark.parametrize("label, known", [("C.7.6.1", True), ("C.7.999", False), ("B.5", True), ("A.1.9", True)])
def test_missing_section(label, known):
    assert (missing_section(label, set()) is None) is known
