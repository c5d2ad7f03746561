"""Conditions that say nothing sensible (issue 18, issue 15 point 6): each is a located finding.

Every case edits a copy of ``tests/fixtures/minimal``, whose TrackingID is Type 1C with the condition
``{attribute: LesionMarkerColor, equals: RED}`` and whose LesionMarkerColor lists the Enumerated Values RED and BLUE.
"""

from __future__ import annotations

import pytest

from build_tools.check.conditions import max_values
from build_tools.core.errors import Severity

from minimal_copies import edited, position
from test_rules import assert_finding, lint

E, W = Severity.ERROR, Severity.WARNING
C = "content.yaml"
CONDITION = "{attribute: LesionMarkerColor, equals: RED}"
ADD_ROW = (C, "      - attribute: TrackingID\n",
                "      - attribute: PatientName\n        type: \"3\"\n        description: The name.\n"
                "        defined_terms:\n          - {value: ANON, meaning: Anonymous.}\n"
                "          - {value: KNOWN, meaning: Known.}\n"
                "      - attribute: TrackingID\n")

ADD_TILED = (C, "      - attribute: TrackingID\n",
             "      - attribute: DimensionOrganizationType\n        type: \"3\"\n        description: How tiles are kept.\n"
             "        enumerated_values:\n          - {value: TILED_FULL, meaning: Every tile.}\n"
             "          - {value: TILED_SPARSE, meaning: Some tiles.}\n"
             "      - attribute: TrackingID\n")


def condition(new: str) -> list[tuple[str, str, str]]:
    return [(C, CONDITION, new)]


CASES = [
    ("two-values-under-all",
     condition("{all: [{attribute: LesionMarkerColor, equals: RED}, {attribute: LesionMarkerColor, equals: BLUE}]}"),
     "[{attribute", "LesionMarkerColor would have to be 'RED' and also 'BLUE'", E),
    ("one-of-disjoint",
     condition("{all: [{attribute: LesionMarkerColor, one_of: [RED]}, {attribute: LesionMarkerColor, equals: BLUE}]}"),
     "[{attribute", "would have to be 'RED' and also 'BLUE'", E),
    ("present-and-absent",
     condition("{all: [{present: LesionMarkerColor}, {absent: LesionMarkerColor}]}"),
     "[{present", "LesionMarkerColor would have to be both present and absent", E),
    ("test-and-its-not",
     condition("{all: [{attribute: LesionMarkerColor, equals: RED}, {not: {attribute: LesionMarkerColor, "
               "equals: RED}}]}"),
     "[{attribute", "would have to be 'RED' and not 'RED'", E),
    ("value-test-and-absent",
     condition("{all: [{attribute: LesionMarkerColor, equals: RED}, {absent: LesionMarkerColor}]}"),
     "[{attribute", "both present and absent", E),
    ("not-present-under-all",
     condition("{all: [{present: LesionMarkerColor}, {not: {present: LesionMarkerColor}}]}"),
     "[{present", "both present and absent", E),
    ("nested-all-reported-once",
     condition("{any: [{all: [{present: LesionMarkerColor}, {absent: LesionMarkerColor}]}, {present: Modality}]}"),
     "[{present: LesionMarkerColor}, {absent", "can never hold", E),
    ("any-with-opposites",
     condition("{any: [{present: LesionMarkerColor}, {absent: LesionMarkerColor}]}"),
     "[{present", "always holds", W),
    ("any-with-test-and-not",
     condition("{any: [{attribute: LesionMarkerColor, equals: RED}, {not: {attribute: LesionMarkerColor, "
               "equals: RED}}]}"),
     "[{attribute", "always holds", W),
    ("self-reference-present", condition("{present: TrackingID}"), "TrackingID}",
     "the condition of TrackingID tests TrackingID itself", E),
    ("self-reference-deep", condition("{any: [{present: Modality}, {not: {absent: TrackingID}}]}"),
     "TrackingID}", "tests TrackingID itself", E),
    ("value-index-beyond-vm-of-new-element",
     condition("{attribute: LesionMarkerColor, equals: RED, value_index: 2}"), "2}",
     "value_index 2 is beyond the VM 1 of LesionMarkerColor (this supplement's data_elements)", E),
    ("value-index-beyond-vm-of-ps36",
     condition("{attribute: ImageType, equals: DERIVED, value_index: 9}"), "9}",
     "beyond the VM 2-n of ImageType", None),  # 2-n: no limit, so no finding (asserted below)
    ("value-index-beyond-vm-of-ps36-fixed",
     condition("{attribute: PatientOrientation, equals: A, value_index: 3}"), "3}",
     "value_index 3 is beyond the VM 2 of PatientOrientation (PS3.6): it has at most 2 values", E),
    ("value-index-zero", condition("{attribute: LesionMarkerColor, equals: RED, value_index: 0}"), "0}",
     "value_index counts from 1", E),
    ("value-index-negative", condition("{attribute: LesionMarkerColor, equals: RED, value_index: -2}"), "-2}",
     "value_index counts from 1", E),
    ("value-not-enumerated-suggests", condition("{attribute: LesionMarkerColor, equals: REDD}"), "REDD",
     "LesionMarkerColor has no Enumerated Value 'REDD' in the Lesion Marker Module; did you mean 'RED'?", E),
    ("value-not-a-defined-term", [ADD_ROW, *condition("{attribute: PatientName, equals: ANNON}")], "ANNON",
     "'ANNON' is none of the Defined Terms in the Lesion Marker Module for PatientName; did you mean 'ANON'?", W),
    ("value-not-in-the-baseline", condition("{attribute: Modality, equals: XCC}"), "XCC",
     "'XCC' is none of the values the standard lists for Modality in any module; did you mean", W),
    ("tiled-typo-in-own-list", [ADD_TILED, *condition("{attribute: DimensionOrganizationType, equals: TILED_FUL}")],
     "TILED_FUL}", "DimensionOrganizationType has no Enumerated Value 'TILED_FUL' in the Lesion Marker Module; "
                   "did you mean 'TILED_FULL'?", E),
    ("tiled-typo-against-the-baseline", condition("{attribute: DimensionOrganizationType, equals: TILED_FUL}"),
     "TILED_FUL}", "'TILED_FUL' is none of the values the standard lists for DimensionOrganizationType in any "
                   "module; did you mean 'TILED_FULL'", W),
    ("value-in-the-baseline-is-fine", condition("{attribute: Modality, equals: XC}"), "XC}", None, None),
    ("named-with-text-is-fine",
     condition("{named: marker-placed, text: Required if a marker was placed.}"), "marker", None, None),
    ("named-without-text", condition("{named: marker-placed}"), "marker-placed", "needs 'text'", E),
    ("text-without-named", condition("{present: Modality, text: Required if so.}"), "Required if",
     "'text' belongs to a 'named' condition", E),
]


@pytest.mark.parametrize("edits, at, says, severity", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_condition_nonsense(tmp_path, edits, at, says, severity):
    folder = edited(tmp_path, edits)
    findings = lint(folder)
    if severity is None:  # a sensible condition: nothing about it
        loc = position(folder, C, at)
        assert not [f for f in findings if f.loc.line == loc.line], "\n".join(map(str, findings))
        return
    assert_finding(findings, position(folder, C, at), says, severity)


def test_the_innermost_contradiction_is_reported_alone(tmp_path):
    folder = edited(tmp_path, condition("{all: [{present: Modality}, {all: [{present: LesionMarkerColor}, "
                                        "{absent: LesionMarkerColor}]}]}"))
    never = [f for f in lint(folder) if f.code == "DS245"]
    assert [f.loc for f in never] == [position(folder, C, "[{present: LesionMarkerColor}")]


def test_a_sensible_all_passes(tmp_path):
    folder = edited(tmp_path, condition("{all: [{attribute: LesionMarkerColor, one_of: [RED, BLUE]}, "
                                        "{attribute: LesionMarkerColor, equals: RED}, {absent: Modality}]}"))
    assert lint(folder) == []


@pytest.mark.parametrize("vm, most", [("1", 1), ("2", 2), ("1-3", 3), ("1-n", None), ("2-2n", None),
                                      ("not a vm", None)])
def test_max_values(vm, most):
    assert max_values(vm) == most
