"""Evaluating conditions: prose (``named``) conditions take the truth the caller assumes, else are unknown."""

from __future__ import annotations

from pydicom.dataset import Dataset

from build_tools.core.model import Condition
from build_tools.iod.evaluate import evaluate

NAMED = Condition(named="time-synchronized", text="Required if time synchronization was applied.")


def test_a_named_condition_is_unknown_unless_assumed():
    stack = [Dataset()]
    assert evaluate(NAMED, stack) is None
    assert evaluate(NAMED, stack, assumed={}) is None
    assert evaluate(NAMED, stack, assumed={"other": True}) is None
    assert evaluate(NAMED, stack, assumed={"time-synchronized": True}) is True
    assert evaluate(NAMED, stack, assumed={"time-synchronized": False}) is False


def test_assumptions_reach_inside_not_all_and_any():
    dataset = Dataset()
    dataset.PatientID = "1"
    stack = [dataset]
    present = Condition(present="PatientID")
    yes, no = {"time-synchronized": True}, {"time-synchronized": False}
    assert evaluate(Condition(not_=NAMED), stack, assumed=yes) is False
    assert evaluate(Condition(not_=NAMED), stack) is None
    assert evaluate(Condition(all=[present, NAMED]), stack, assumed=yes) is True
    assert evaluate(Condition(all=[present, NAMED]), stack) is None
    assert evaluate(Condition(any=[Condition(absent="PatientID"), NAMED]), stack, assumed=no) is False
    assert evaluate(Condition(any=[present, NAMED]), stack) is True  # known without the prose condition


def test_value_index_compares_one_value_only():
    dataset = Dataset()
    dataset.ImageType = ["ORIGINAL", "PRIMARY", "LABEL"]
    assert evaluate(Condition(attribute="ImageType", equals="LABEL", value_index=3), [dataset]) is True
    assert evaluate(Condition(attribute="ImageType", equals="LABEL", value_index=1), [dataset]) is False
    assert evaluate(Condition(attribute="ImageType", equals="LABEL"), [dataset]) is True


def test_normalize_reads_numbers_as_float_does_and_leaves_other_text_alone():
    from build_tools.iod.evaluate import normalize

    # The shortcut for text that cannot be a number must agree with float() on every kind of first character.
    assert [normalize(v) for v in ("08", " 8 ", "+8", "-0.50", ".5", "1E3", "1_000", "٣")] == \
        ["8", "8", "8", "-0.5", "0.5", "1000", "1000", "3"]
    assert [normalize(v) for v in ("Inf", "-inf", "NaN", "nan", "infinity")] == ["inf", "-inf", "nan", "nan", "inf"]
    assert [normalize(v) for v in ("ORIGINAL", "CONTACT", "", "  ", "i", "N/A", "x1", "#5")] == \
        ["ORIGINAL", "CONTACT", "", "", "i", "N/A", "x1", "#5"]
