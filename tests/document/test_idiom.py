"""document.idiom: the presentation model writes the editorial instructions in the standard's idiom, so that no
output has to rewrite them (document.layout only lays the wrappers out)."""

from __future__ import annotations

from build_tools.core.prose import Text
from build_tools.document import idiom
from build_tools.document.build import CHANGE_KINDS, CHANGE_ROLE, build_document
from build_tools.document.layout import units, view
from build_tools.document.nodes import Cell, Instruction, Para, Row, Table


def _text(instruction: Instruction) -> str:
    return "".join(getattr(node, "text", "") for node in instruction.inlines)


def _instructions(document) -> dict[str, list[str]]:
    """Per part chapter: the text of every instruction of its wrappers, in order."""
    return {chapter.part: [_text(b) for wrapper in chapter.sections for b in wrapper.blocks
                           if isinstance(b, Instruction)]
            for chapter in document.chapters if chapter.part}


def test_the_model_words_dermoscopy_as_the_standard_does(supplement, index) -> None:
    document, _warnings = build_document(supplement, index)
    found = _instructions(document)
    assert found["PS3.3"] == [
        "Add new Section A.32.11 after Section A.32.10:",
        "Modify Section C.7.3.1.1.1 as follows:",
        "Add DMS to the Defined Terms of Modality (0008,0060) in the General Series Module.",
        "Modify Section C.8.12.1 as follows:",
        "Amend the introduction of the VL Image Module to name dermoscopy among the visible light modalities.",
        "Add new Section C.8.12.13 after Section C.8.12.12:"]
    storage = "after the row of 1.2.840.10008.5.1.4.1.1.77.1.6 (VL Whole Slide Microscopy Image Storage):"
    assert found["PS3.4"] == [
        f"Add the following rows to Table B.5-1 “Standard SOP Classes” {storage}",
        f"Add the following rows to Table I.4-1 “Media Storage Standard SOP Classes” {storage}"]
    assert found["PS3.6"][0] == ("Add the following rows to Table 6-1 “Registry of DICOM Data Elements” after the "
                                 "row of GPS Differential (0016,008E):")
    assert found["PS3.16"][0] == "Add the following rows to CID 29 “Acquisition Modality”, and change its Version:"
    assert found["PS3.17"] == ["Add new Annex TTTT to PS3.17:"]
    # The old wording named the part again and invented nothing the standard says.
    every = [text for texts in found.values() for text in texts]
    assert not [t for t in every if " to PS3.3 " in t or " PS3.6 Table " in t or t.startswith("Modify PS3.")]


def test_wrappers_say_what_they_do(supplement, index) -> None:
    document, _warnings = build_document(supplement, index)
    roles = {w.role for c in document.chapters if c.part for w in c.sections}
    assert roles <= {CHANGE_ROLE + kind for kind in CHANGE_KINDS} and len(roles) == len(CHANGE_KINDS)


def test_layout_keeps_the_instructions_it_is_given(supplement, index) -> None:
    """The view shows the model's instructions unchanged: no rewrite by the wrappers' titles."""
    document, _warnings = build_document(supplement, index)
    for chapter in document.chapters:
        if not chapter.part:
            continue
        given = [b for wrapper in chapter.sections for b in wrapper.blocks if isinstance(b, Instruction)]
        laid = [i for unit in units(chapter, "20261125") for i in unit.instructions]
        assert laid == given
    shown = view(document)
    assert not [s.title for c in shown.chapters for s in c.sections if s.role.startswith(CHANGE_ROLE)]


def test_a_section_without_a_predecessor_goes_into_its_annex() -> None:
    assert _text(idiom.add_section("PS3.3", "C.99.1")) == "Add new Section C.99.1 to Annex C:"
    assert _text(idiom.add_section("PS3.3", "99.1")) == "Add new Section 99.1 to Chapter 99:"
    assert _text(idiom.add_section("PS3.3", "C.8.12.13")) == "Add new Section C.8.12.13 after Section C.8.12.12:"


def test_modify_and_rows_wording() -> None:
    assert _text(idiom.modify("C.8.12.1")) == "Modify Section C.8.12.1 as follows:"
    assert idiom.is_modify("Modify PS3.3 Section C.8.12.1 as follows:")
    assert not idiom.is_modify("Add DMS to the Defined Terms of Modality.")
    cid = Table("table_CID_29", "CID 29", "Acquisition Modality", (), ())
    assert _text(idiom.add_rows(cid)) == \
        "Add the following rows to CID 29 “Acquisition Modality”, and change its Version:"
    codes = Table("table_D-1", "D-1", "DICOM Controlled Terminology Definitions", (),
                  (Row((Cell((Para((Text("130000"),)),)),)),))
    assert _text(idiom.add_rows(codes)) == \
        "Add the following rows to Table D-1 “DICOM Controlled Terminology Definitions”:"


def test_an_amendment_of_a_table_alone_says_modify_table() -> None:
    """"Modify Table A.1-1 as follows:" when all an amendment changes is its table; a section that also changes
    text keeps "Modify Section …"."""
    from build_tools.core.model import Amendment, Change, RowChange, TableChange
    from build_tools.document.parts import amendment_instructions

    table = Change(table=TableChange(caption="Composite IODs", columns=["IOD", "Module"],
                                     rows=[RowChange(new=["Widget", "M"])]))
    only = Amendment(part="PS3.3", section="A.1.4", title="Overview of the Composite IOD Module Content",
                     table="A.1-1", changes=[Change(ellipsis=True), table])
    assert _text(idiom.modify("A.1.4", "A.1-1")) == "Modify Table A.1-1 as follows:"

    class Plain:  # the resolver's one service this needs: inlines of the author's instruction
        def inlines(self, parsed):
            return tuple(parsed)

    assert [_text(i) for i in amendment_instructions(only, Plain())] == ["Modify Table A.1-1 as follows:"]
    mixed = Amendment(part="PS3.3", section="A.1.4", title="Overview", table="A.1-1",
                      changes=[table, Change(old="An old sentence.", new="A new sentence.")])
    assert [_text(i) for i in amendment_instructions(mixed, Plain())] == ["Modify Section A.1.4 as follows:"]
