"""conditions.describe / requirement: the English of structured conditions."""

from __future__ import annotations

import pytest

from build_tools.iod.conditions import describe, requirement
from build_tools.standard.index import Index
from build_tools.core.model import Condition, DataElement, Prose, Supplement
from build_tools.core.prose import Text


@pytest.fixture(scope="module")
def index() -> Index:
    supplement = Supplement(number=1, title="T", working_group="WG", status="Draft", version="0.1",
                            date="2026-01-01", scope=Prose("s"),
                            data_elements=[DataElement(tag="(0016,1003)", name="Contact Method", vr="CS", vm="1")])
    return Index(supplement, with_catalog=False)


def text(condition: Condition, index: Index) -> str:
    nodes = describe(condition, index)
    assert all(isinstance(n, Text) for n in nodes)
    return "".join(n.text for n in nodes)


def test_present(index: Index) -> None:
    assert text(Condition(present="TrackingUID"), index) == "Tracking UID (0062,0021) is present"


def test_absent(index: Index) -> None:
    assert text(Condition(absent="TrackingID"), index) == "Tracking ID (0062,0020) is absent"


def test_equals_uses_supplement_element(index: Index) -> None:
    assert text(Condition(attribute="ContactMethod", equals="CONTACT"), index) == \
        "Contact Method (0016,1003) is CONTACT"


def test_one_of_with_value_index(index: Index) -> None:
    condition = Condition(attribute="ImageType", value_index=3, one_of=["A", "B", "C"])
    assert text(condition, index) == "Value 3 of Image Type (0008,0008) is A, B or C"


def test_keyword_path_inside_sequence(index: Index) -> None:
    condition = Condition(attribute="AnatomicRegionSequence>CodeValue", equals="T-D1100")
    assert text(condition, index) == \
        "Code Value (0008,0100) in Anatomic Region Sequence (0008,2218) is T-D1100"


def test_all_any_not(index: Index) -> None:
    condition = Condition(all=[Condition(present="TrackingUID"),
                               Condition(any=[Condition(absent="TrackingID"),
                                              Condition(attribute="ContactMethod", equals="CONTACT")]),
                               Condition(not_=Condition(attribute="Modality", one_of=["XC", "DMS"]))])
    assert text(condition, index) == (
        "Tracking UID (0062,0021) is present, either Tracking ID (0062,0020) is absent or Contact Method "
        "(0016,1003) is CONTACT and Modality (0008,0060) is not XC or DMS")


def test_not_present_reads_absent(index: Index) -> None:
    assert text(Condition(not_=Condition(present="TrackingID")), index) == "Tracking ID (0062,0020) is absent"


def test_named_condition_uses_its_text(index: Index) -> None:
    condition = Condition(named="X", text="Required if the consent item concerns a specific protocol.")
    assert text(condition, index) == "the consent item concerns a specific protocol"
    assert requirement(condition, index)[0].text == "Required if the consent item concerns a specific protocol."


def test_requirement_sentences(index: Index) -> None:
    condition = Condition(attribute="ContactMethod", equals="CONTACT")
    assert requirement(condition, index)[0].text == "Required if Contact Method (0016,1003) is CONTACT."
    assert requirement(condition, index, "may be present")[0].text == \
        "Required if Contact Method (0016,1003) is CONTACT. May be present otherwise."


def test_unknown_keyword_is_kept(index: Index) -> None:
    assert text(Condition(present="NoSuchKeyword"), index) == "NoSuchKeyword is present"


def test_negated_all_and_any_read_as_the_standard_writes(index: Index) -> None:
    """not(all) and not(any) are worded by De Morgan's laws, never "it is not the case that" or "none of"."""
    both = [Condition(present="TrackingUID"), Condition(attribute="ContactMethod", equals="CONTACT")]
    assert text(Condition(not_=Condition(all=both)), index) == \
        "Tracking UID (0062,0021) is absent or Contact Method (0016,1003) is not CONTACT"
    assert text(Condition(not_=Condition(any=both)), index) == \
        "Tracking UID (0062,0021) is absent and Contact Method (0016,1003) is not CONTACT"
    nested = Condition(all=[Condition(present="TrackingID"), Condition(not_=Condition(any=both))])
    assert text(nested, index) == ("Tracking ID (0062,0020) is present and both Tracking UID (0062,0021) is absent "
                                   "and Contact Method (0016,1003) is not CONTACT")
    assert text(Condition(not_=Condition(not_=Condition(absent="TrackingID"))), index) == \
        "Tracking ID (0062,0020) is absent"
