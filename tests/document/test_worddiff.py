"""changes.word_diff: word-level change text."""

from __future__ import annotations

import pytest

from build_tools.document.worddiff import Segment, diff_tokens, tokens, word_diff


def rebuild(segments: list[Segment], skip: str) -> str:
    return "".join(s.text for s in segments if s.op != skip)


def test_insertion_is_one_phrase() -> None:
    old = "produced by Endoscopy (ES), External-camera Photography (XC), or other VL imaging Modalities."
    new = "produced by Endoscopy (ES), External-camera Photography (XC), Dermoscopy (DMS), or other VL imaging " \
          "Modalities."
    assert word_diff(old, new) == [
        Segment("equal", "produced by Endoscopy (ES), External-camera Photography (XC), "),
        Segment("insert", "Dermoscopy (DMS), "),
        Segment("equal", "or other VL imaging Modalities."),
    ]


def test_replacement_deletes_then_inserts_whole_phrase() -> None:
    # The blank between two changed words joins the change instead of splitting it in two.
    assert word_diff("The quick brown fox", "The slow red fox") == [
        Segment("equal", "The "), Segment("delete", "quick brown"), Segment("insert", "slow red"),
        Segment("equal", " fox")]


def test_deletion_only() -> None:
    assert word_diff("shall be present always.", "shall be present.") == [
        Segment("equal", "shall be present"), Segment("delete", " always"), Segment("equal", ".")]


@pytest.mark.parametrize("old,new", [
    ("", "all new text"), ("all old text", ""), ("same", "same"),
    ("A, B and C (0008,0060).", "A, C and D (0008,0061)!"),
    ("Required if Tracking UID is present.", "Required if Tracking ID is absent. May be present otherwise."),
])
def test_segments_rebuild_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert rebuild(segments, "delete") == new
    assert rebuild(segments, "insert") == old
    assert all(s.text for s in segments)
    # No two neighbours have the same operation.
    assert all(a.op != b.op for a, b in zip(segments, segments[1:]))


def test_identical_texts_are_one_equal_segment() -> None:
    assert word_diff("no change here", "no change here") == [Segment("equal", "no change here")]


def test_tokens_keep_words_whole() -> None:
    assert tokens("Patient's X-ray (0010,0010).") == ["Patient's", " ", "X-ray", " ", "(", "0010", ",", "0010",
                                                        ")", "."]


def test_diff_tokens_with_key() -> None:
    runs = diff_tokens(["A", "b"], ["a", "B", "c"], key=str.lower)
    assert runs == [("equal", ["a", "B"]), ("insert", ["c"])]
