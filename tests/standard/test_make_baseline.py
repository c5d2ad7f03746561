"""``scripts/make_baseline.py``: dicomsup's reading of dicomsup's conditions, and the committed data is what it
writes from the source."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(os.environ.get("DICOMSUP_STANDARD", ROOT.parent / "shared" / "standard"))  # as conftest.py
SCRIPT = ROOT / "scripts" / "make_baseline.py"


@pytest.fixture(scope="module")
def make():
    spec = importlib.util.spec_from_file_location("make_baseline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def term(test: str, element: str, op: str = "or", **more) -> dict:
    return {"op": op, "element": element, "test": test, **more}


def test_terms_are_read_left_to_right_as_all_and_any(make):
    terms = [term("ElementPresent", "A"), term("StringValue", "B", "and", value="X", **{"not": True}),
             term("ElementPresent", "C", "or")]
    assert make.translate(terms) == {"any": [{"all": [{"present": "A"}, {"not": {"attribute": "B", "equals": "X"}}]},
                                             {"present": "C"}]}


def test_value_tests_on_one_attribute_become_one_of_with_a_1_based_index(make):
    terms = [term("StringValue", "ImageType", value="STEREO L", value_selector=2),
             term("StringValue", "ImageType", value="STEREO R", value_selector=2)]
    assert make.translate(terms) == {"attribute": "ImageType", "one_of": ["STEREO L", "STEREO R"], "value_index": 3}


def test_a_negated_presence_is_an_absence_and_groups_nest(make):
    terms = [{"op": "or", "group": [term("ElementPresent", "A"), term("ElementPresent", "B")]},
             term("ElementPresentInRoot", "C", "and", **{"not": True})]
    assert make.translate(terms) == {"all": [{"any": [{"present": "A"}, {"present": "B"}]}, {"absent": "C"}]}


@pytest.mark.parametrize("terms", [
    [term("BinaryValue", "NumberOfFrames", comparator=">", value=1)],  # no comparison in the model
    [term("SequenceHasItems", "S")],  # "has items" is not "present"
    [term("ElementPresent", "A"), term("ElementPresent", "B", "xor")],
    [term("ElementPresent", "A", "and")],  # a leading And (combined with the initial false)
    [term("ElementPresent", "OverlayRows", group_mask="0xff00")],
])
def test_what_the_model_cannot_say_is_not_translated(make, terms):
    assert make.translate(terms) is None


def test_untranslated_conditions_get_a_sentence_in_plain_words(make):
    condition = {"terms": [term("BinaryValue", "NumberOfFrames", comparator=">", value=1),
                           term("SequenceHasItems", "ReferencedImageSequence", "and", **{"not": True})]}
    assert make.sentence("X", condition) == ("Required if Number of Frames is greater than 1 and Referenced Image "
                                             "Sequence has no items.")


def test_the_committed_data_is_what_the_script_writes(make, tmp_path, source):
    assert make.main(["--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    data = ROOT / "build_tools" / "standard" / "data"
    for name in ("baseline.json", "baseline-modules.json", "baseline-iods.json"):
        assert (tmp_path / name).read_bytes() == (data / name).read_bytes(), (
            f"{name} is not what scripts/make_baseline.py writes; run it")
