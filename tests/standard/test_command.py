"""``dicomsup baseline show`` and ``dicomsup baseline search``."""

from __future__ import annotations

import pytest

from build_tools.commands import main as cli


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["baseline", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_a_module_lists_its_rows_with_section_table_source_and_edition(capsys):
    code, out, _err = run(capsys, "show", "Multi-frame Functional Groups")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Multi-frame Functional Groups Module (PS3.3 C.7.6.16, Table C.7.6.16-1)"
    assert any(line.startswith("edition: ") for line in lines) and "source: dicom3tools" in out
    for row in ("Shared Functional Groups Sequence (5200,9229)", "Per-Frame Functional Groups Sequence (5200,9230)",
                "Number of Frames (0028,0008)", "Concatenation UID (0020,9161)"):
        assert any(row in line for line in lines), row


def test_show_indents_items_by_nesting(capsys):
    code, out, _err = run(capsys, "show", "Pixel Measures")
    assert code == 0
    assert "Pixel Measures Macro (PS3.3 C.7.6.16.2.1, Table C.7.6.16-2)" in out
    assert "\n    >Pixel Spacing (0028,0030)  Type 1C" in out


def test_show_an_iod_lists_its_module_and_functional_group_tables(capsys):
    code, out, _err = run(capsys, "show", "VL Whole Slide Microscopy Image")
    assert code == 0
    assert out.startswith("VL Whole Slide Microscopy Image IOD (PS3.3 A.32.8, Table A.32.8-1)")
    assert "Frame Extraction" in out and "C.12.3" in out and "functional group macros:" in out
    assert "Pixel Measures" in out.split("functional group macros:")[1]


@pytest.mark.parametrize("name", ["(0018,106A)", "0018,106a", "SynchronizationTrigger"])
def test_show_an_attribute_by_tag_or_keyword(capsys, name):
    code, out, _err = run(capsys, "show", name)
    assert code == 0
    assert out.startswith("Synchronization Trigger (0018,106A)") and "Synchronization Module (C.7.4.2): Type 1" in out


def test_show_accepts_any_case_and_the_word_module_macro_or_iod(capsys):
    assert run(capsys, "show", "optical path module")[1].startswith("Optical Path Module")
    assert run(capsys, "show", "Specimen Macro")[1].startswith("Specimen Macro (PS3.3")
    assert run(capsys, "show", "Dermoscopic Photography Image IOD")[1].startswith(
        "Dermoscopic Photography Image IOD")


def test_show_an_unknown_name_exits_2_with_one_line_and_a_suggestion(capsys):
    code, out, err = run(capsys, "show", "Synchronisation")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "did you mean 'Synchronization'" in err


def test_search_finds_modules_iods_and_attributes_one_line_each(capsys):
    code, out, _err = run(capsys, "search", "SYNCHRON")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["module", "Synchronization", "Module", "C.7.4.2"]
    assert any(line.startswith("attribute") and "SynchronizationTrigger" in line for line in lines)
    assert any(line.startswith("functional group macro") and "Cardiac Synchronization Macro" in line
               for line in lines)
    assert run(capsys, "search", "whole slide")[1].count("IOD") >= 1


def test_search_output_is_bounded(capsys):
    code, out, err = run(capsys, "search", "sequence", "--limit", "5")
    assert code == 0 and len(out.splitlines()) == 5 and "more" in err


def test_search_without_a_hit_exits_1(capsys):
    code, out, err = run(capsys, "search", "qqqzzz")
    assert code == 1 and out == "" and "nothing matches" in err
