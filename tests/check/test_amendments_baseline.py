"""Amendments anchored in the baseline (DS410-DS416): old text and list entries checked against, or taken from,
the baseline; with the committed baseline (no prose, value sets only), the 2016c PS3.3 excerpt imported from its
DocBook, and a small made-up text baseline for the lists the import does not record.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from build_tools.build import lint
from build_tools.check import ids
from build_tools.core.model import Amendment, Term, TermList
from build_tools.document.parts import term_list
from build_tools.standard import amend, baseline, store, texts
from build_tools.standard.docbook_import import import_folder, write
from tests.check.minimal_copies import edited, position

ROOT = Path(__file__).resolve().parents[2]
EXCERPT = Path(os.environ.get("DICOMSUP_DOCBOOK", ROOT.parent / "shared" / "standard" / "docbook")) / \
    "2016c-excerpt"
DATA = ROOT / "build_tools" / "standard" / "data"

GENERAL_SERIES = "Table C.7-5a specifies the Attributes that identify and describe general information about the " \
                 "Series within a Study."


def _use(monkeypatch, folder: Path | None) -> None:
    if folder is None:
        monkeypatch.delenv(store.ENV, raising=False)
    else:
        monkeypatch.setenv(store.ENV, str(folder))
    baseline.reset()
    ids.reset()


@pytest.fixture
def committed(monkeypatch):
    _use(monkeypatch, None)
    yield
    baseline.reset()
    ids.reset()


@pytest.fixture(scope="module")
def excerpt_folder(tmp_path_factory) -> Path:
    if not (EXCERPT / "part03.xml").is_file():
        assert not os.environ.get("CI"), f"CI must have the 2016c excerpt at {EXCERPT}"
        pytest.skip(f"the 2016c PS3.3 excerpt is not at {EXCERPT}")
    out = tmp_path_factory.mktemp("b2016c") / "baseline"
    write(import_folder(EXCERPT), out)
    return out


@pytest.fixture
def excerpt(excerpt_folder, monkeypatch):
    _use(monkeypatch, excerpt_folder)
    yield excerpt_folder
    monkeypatch.delenv(store.ENV)
    baseline.reset()
    ids.reset()


@pytest.fixture
def listed(tmp_path, monkeypatch):
    """The committed baseline plus a text file holding Section C.7.3.1.1.1 with its Defined Terms list (the shape
    an import records a section's variable lists in) and a table."""
    folder = tmp_path / "listed"
    folder.mkdir()
    for name in store.FILES:
        shutil.copy(DATA / name, folder / name)
    terms = [["CR", "Computed Radiography"], ["CT", "Computed Tomography"], ["CTPROTOCOL", "CT Protocol (Performed)"],
             ["DG", "Diaphanography"], ["DOC", "Document"], ["DX", "Digital Radiography"],
             ["ECG", "Electrocardiography"]]
    section = {"part": "PS3.3", "kind": "section", "label": "C.7.3.1.1.1", "id": "sect_C.7.3.1.1.1",
               "title": "Modality", "paras": [], "lists": [{"title": "Defined Terms:", "entries": terms}]}
    table = {"part": "PS3.3", "label": "C.7-5a", "id": "table_C.7-5a", "caption": "General Series Module Attributes",
             "section": "C.7.3.1", "head": ["Attribute Name", "Tag", "Type", "Attribute Description"],
             "rows": [["Modality", "(0008,0060)", "1", "Type of equipment."]]}
    text = {"format": 1, "edition": "test", "sections": [section], "tables": [table]}
    (folder / texts.TEXT_FILE).write_text(json.dumps(text), encoding="utf-8")
    _use(monkeypatch, folder)
    yield folder
    monkeypatch.delenv(store.ENV)
    baseline.reset()
    ids.reset()


def _amendments(tmp_path: Path, body: str) -> Path:
    return edited(tmp_path, [("amendments.yaml", "", "amendments:\n" + body)])


def _found(folder: Path, code: str) -> list:
    _supplement, findings = lint(folder)
    return [f for f in findings if f.code == code]


#: The new wording of the first paragraph of C.7.3.1 that the amendments below write.
NEW_SENTENCE = "Table C.7-5a specifies the Attributes of the Series, and of lesion markers."
PARAGRAPH = """  - part: PS3.3
    section: C.7.3.1
    title: General Series Module
    changes:
      - old: {old}
        new: """ + NEW_SENTENCE + "\n"
#: The same change, its old text left to the baseline (by the paragraph's number).
BY_NUMBER = PARAGRAPH.replace("      - old: {old}\n", "      - paragraph: 1\n")


# --- paragraphs -------------------------------------------------------------------------------------------------


def test_typed_old_text_that_is_the_baseline_passes(excerpt, tmp_path):
    folder = _amendments(tmp_path, PARAGRAPH.format(old=GENERAL_SERIES))
    _supplement, findings = lint(folder)
    assert not [f for f in findings if f.code.startswith("DS41")], [str(f) for f in findings]


def test_old_text_that_differs_is_located_and_shows_the_baseline_wording(excerpt, tmp_path):
    folder = _amendments(tmp_path, PARAGRAPH.format(old="Table C.7-5a lists the Attributes of the Series."))
    [finding] = _found(folder, "DS410")
    assert finding.loc == position(folder, "amendments.yaml", "Table C.7-5a lists")
    assert GENERAL_SERIES in finding.message and "2016c" in finding.message


def test_references_compare_as_the_standard_prints_them(excerpt, tmp_path):
    old = '"' + GENERAL_SERIES.replace("Table C.7-5a", "{table:C.7-5a}") + '"'
    assert not _found(_amendments(tmp_path, PARAGRAPH.format(old=old)), "DS410")


def test_old_text_left_out_comes_from_the_baseline(excerpt, tmp_path):
    folder = _amendments(tmp_path, BY_NUMBER)
    supplement, findings = lint(folder)
    assert not [f for f in findings if f.code.startswith("DS41")], [str(f) for f in findings]
    change = supplement.amendments[0].changes[0]
    assert amend.resolved_old(supplement.amendments[0], change).text == GENERAL_SERIES


def test_a_paragraph_the_baseline_lacks_is_an_error(excerpt, tmp_path):
    body = PARAGRAPH.replace("      - old: {old}\n", "      - paragraph: 3\n")
    [finding] = _found(_amendments(tmp_path, body), "DS412")
    assert "no paragraph 3" in finding.message and "1 paragraph" in finding.message


def test_a_section_without_text_is_a_note_naming_the_edition(excerpt, tmp_path):
    body = PARAGRAPH.replace("C.7.3.1\n", "C.8.12.1\n").format(old="Table C.8-77 specifies the Attributes.")
    [note] = _found(_amendments(tmp_path, body), "DS411")
    assert note.severity.value == "note" and "could not be checked against 2016c" in note.message


def test_committed_baseline_has_no_prose_so_typed_text_is_a_note(committed, tmp_path):
    folder = _amendments(tmp_path, PARAGRAPH.format(old="Any text at all."))
    [note] = _found(folder, "DS411")
    assert "PS3.3 2024e/2025a" in note.message and not _found(folder, "DS410")


def test_a_change_the_baseline_already_has_is_a_note(excerpt, tmp_path):
    body = PARAGRAPH.format(old="Table C.7-5a specifies the Attributes.").replace(
        f"new: {NEW_SENTENCE}", f"new: {GENERAL_SERIES}")
    folder = _amendments(tmp_path, body)
    assert _found(folder, "DS416") and not _found(folder, "DS410")


# --- term lists ---------------------------------------------------------------------------------------------------

TERMS = """  - part: PS3.3
    section: C.7.3.1.1.1
    title: Modality
    changes:
      - terms:
          title: Defined Terms
          attribute: Modality
          entries:
{entries}"""


def _terms(*entries: str) -> str:
    return TERMS.format(entries="".join(f"            - {e}\n" for e in entries))


def test_list_neighbours_come_from_the_standards_list(listed, tmp_path):
    folder = _amendments(tmp_path, _terms("{value: DMS, meaning: Dermoscopy, change: added}"))
    supplement, findings = lint(folder)
    assert not [f for f in findings if f.code.startswith("DS41")], [str(f) for f in findings]
    amendment = supplement.amendments[0]
    shown = amend.resolved_terms(amendment, amendment.changes[0].terms)
    assert [(t.value, t.change) for t in shown] == [("DG", "unchanged"), ("DMS", "added"), ("DOC", "unchanged")]
    assert shown[0].meaning.text == "Diaphanography"


def test_context_reaches_as_far_as_asked_and_gaps_are_marked(listed):
    amendment = Amendment(part="PS3.3", section="C.7.3.1.1.1", title="Modality")
    terms = TermList(title="Defined Terms", attribute="Modality", context=0,
                     entries=[Term(value="CS", meaning=None, change="added"), Term(value="DMS", change="added")])
    shown = amend.resolved_terms(amendment, terms)
    assert [t.value for t in shown] == ["CS", amend.GAP, "DMS"]
    rendered = term_list(amendment, type("C", (), {"terms": terms})(), _NoRefs())
    assert [e.change for e in rendered.entries] == ["added", None, "added"]


class _NoRefs:
    """A resolver stand-in for prose without references."""

    def inlines(self, nodes):
        return tuple(nodes)


def test_a_typed_neighbour_the_standard_lacks_is_an_error_with_its_neighbours(listed, tmp_path):
    folder = _amendments(tmp_path, _terms("{value: CT, meaning: Computed Tomography}",
                                          "{value: DMS, meaning: Dermoscopy, change: added}",
                                          "{value: DEX, meaning: Dexterity}"))
    [finding] = _found(folder, "DS413")
    assert finding.loc == position(folder, "amendments.yaml", "DEX")
    assert "DEX is not in the Defined Terms of Modality" in finding.message and "DG, DOC" in finding.message


def test_order_and_meaning_are_the_standards(listed, tmp_path):
    folder = _amendments(tmp_path, _terms("{value: DG, meaning: Diaphanography}", "{value: CT, meaning: CAT scan}"))
    messages = [f.message for f in _found(folder, "DS413")]
    assert any("means “Computed Tomography”" in m for m in messages)
    assert any("not in the order" in m and "CT, DG" in m for m in messages)


def test_an_added_term_the_list_has_is_already_in(listed, tmp_path):
    [note] = _found(_amendments(tmp_path, _terms("{value: CTPROTOCOL, meaning: CT Protocol, change: added}")),
                    "DS416")
    assert "already in the Defined Terms of Modality" in note.message


def test_committed_value_sets_lag_so_a_missing_neighbour_is_a_note(committed, tmp_path):
    folder = _amendments(tmp_path, _terms("{value: CT, meaning: Computed Tomography}",
                                          "{value: CTPROTOCOL, meaning: CT Protocol (Performed)}",
                                          "{value: DMS, meaning: Dermoscopy, change: added}"))
    supplement, findings = lint(folder)
    [note] = [f for f in findings if f.code == "DS414"]
    assert "CTPROTOCOL" in note.message and note.severity.value == "note"
    assert not [f for f in findings if f.severity.value == "error"], [str(f) for f in findings]


def test_committed_value_set_places_an_added_term_alphabetically(committed):
    amendment = Amendment(part="PS3.3", section="C.7.3.1.1.1", title="Modality")
    terms = TermList(title="Defined Terms", attribute="Modality", entries=[Term(value="DMS", change="added")])
    assert [t.value for t in amend.resolved_terms(amendment, terms)] == ["DG", "DMS", "DOC"]


def test_an_unknown_attribute_is_an_error(committed, tmp_path):
    folder = _amendments(tmp_path, _terms("{value: DMS, change: added}").replace("attribute: Modality",
                                                                                 "attribute: Modalty"))
    [finding] = _found(folder, "DS415")
    assert finding.loc == position(folder, "amendments.yaml", "Modalty")


def test_the_excerpts_own_list_gives_the_neighbours(excerpt, tmp_path):
    """The 2016c excerpt records C.7.3.1.1.1's Defined Terms: an added term gets its neighbours from that list."""
    folder = _amendments(tmp_path, _terms("{value: DMS, meaning: Dermoscopy, change: added}"))
    supplement, findings = lint(folder)
    assert not [f for f in findings if f.code in ("DS411", "DS413")], [str(f) for f in findings]
    amendment = supplement.amendments[0]
    shown = amend.resolved_terms(amendment, amendment.changes[0].terms)
    assert [t.value for t in shown if t.change == "unchanged"] == ["DG", "DOC"]


def test_a_term_the_excerpt_lacks_is_an_error_naming_the_edition(excerpt, tmp_path):
    folder = _amendments(tmp_path, _terms("{value: CTPROTOCOL, meaning: CT Protocol (Performed)}",
                                          "{value: DMS, meaning: Dermoscopy, change: added}"))
    [error] = _found(folder, "DS413")
    assert "CTPROTOCOL" in error.message and "2016c" in error.message


# --- table rows -------------------------------------------------------------------------------------------------

TABLE = """  - part: PS3.3
    section: C.7.3.1
    title: General Series Module
    table: C.7-5a
    changes:
      - table:
          columns: [Attribute Name, Tag, Type, Attribute Description]
          rows:
            - old: [Modality, "(0008,0060)", "1", {description}]
              new: [Modality, "(0008,0060)", "1", Type of equipment, or dermoscope.]
"""


def test_old_rows_are_checked_against_the_baseline_table(listed, tmp_path):
    assert not _found(_amendments(tmp_path, TABLE.format(description="Type of equipment.")), "DS410")
    [finding] = _found(_amendments(tmp_path / "b", TABLE.format(description="Kind of equipment.")), "DS410")
    assert "Type of equipment." in finding.message


# --- the Dermoscopy amendments ------------------------------------------------------------------------------------


def test_dermoscopy_amendments_match_the_current_standard(committed):
    supplement, findings = lint(ROOT / "spec" / "dermoscopy")
    amendments = {a.section: a for a in supplement.amendments}
    terms = amendments["C.7.3.1.1.1"].changes[1].terms
    assert [t.value for t in terms.entries] == ["CT", "CTPROTOCOL", "DG", "DMS", "DOC", "DX"]
    old = amend.plain_text(amendments["C.8.12.1"].changes[0].old)
    assert old.startswith("Table C.8-77 specifies the Attributes of the VL Image Module, which describe")
    coded = {f.code for f in findings if f.code.startswith("DS41")}
    assert coded <= {"DS411", "DS414"}, [str(f) for f in findings]


KEYED = """  - part: PS3.3
    section: C.7.3.1
    title: General Series Module
    table: C.7-5a
    changes:
      - table:
          context: 1
          rows:
            - key: {key}
              new: [Modality, "(0008,0060)", "1", "Type of equipment, dermoscopes included."]
            - after: Series Number
              new: [Lesion Marker Color, "(0016,1006)", "3", The color of the marker.]
"""


def test_table_rows_headings_and_context_come_from_the_baseline(excerpt, tmp_path):
    folder = _amendments(tmp_path, KEYED.format(key="Modality"))
    supplement, findings = lint(folder)
    assert not [f for f in findings if f.code.startswith(("DS406", "DS408", "DS41"))], [str(f) for f in findings]
    amendment = supplement.amendments[0]
    table = amendment.changes[0].table
    assert amend.resolved_columns(amendment, table) == ["Attribute Name", "Tag", "Type", "Attribute Description"]
    rows = amend.resolved_rows(amendment, table)
    firsts = [(row.old or row.new)[0] for row in rows]
    assert firsts == ["Modality", "Series Instance UID", "Series Number", "Lesion Marker Color", "Laterality"]
    assert rows[0].old[3].startswith("Type of equipment that originally acquired the data")
    assert rows[1].old == rows[1].new and rows[3].old is None


def test_a_gap_row_stands_for_the_rows_left_out(excerpt):
    amendment = Amendment(part="PS3.3", section="C.7.3.1", title="General Series Module", table="C.7-5a")
    from build_tools.core.model import RowChange, TableChange
    table = TableChange(context=1, rows=[RowChange(key="Modality", new=["Modality", "", "1", "x"]),
                                         RowChange(key="Protocol Name", new=["Protocol Name", "", "3", "y"])])
    rows = amend.resolved_rows(amendment, table)
    assert [(row.old or [""])[0] for row in rows] == ["Modality", "Series Instance UID", amend.GAP,
                                                      rows[3].old[0], "Protocol Name", "Series Description"]
    assert rows[3].old[0].startswith(">Include Table 10-1")
    typed = TableChange(rows=table.rows)  # no context: the rows as typed, their old cells from the baseline
    assert [row.old[0] for row in amend.resolved_rows(amendment, typed)] == ["Modality", "Protocol Name"]


def test_a_key_the_table_lacks_is_an_error_with_a_suggestion(excerpt, tmp_path):
    folder = _amendments(tmp_path, KEYED.format(key="Modalty"))
    [finding] = _found(folder, "DS412")
    assert finding.loc == position(folder, "amendments.yaml", "Modalty")
    assert "did you mean 'Modality'" in finding.message


def test_a_key_without_baseline_text_needs_old_cells(committed, tmp_path):
    folder = _amendments(tmp_path, KEYED.format(key="Modality"))
    assert _found(folder, "DS412") and _found(folder, "DS411") and _found(folder, "DS406")


def test_the_change_text_prints_what_the_baseline_gives(excerpt, tmp_path, capsys):
    """End to end: the DocBook change text holds the baseline's paragraph, headings, caption and context rows."""
    from build_tools.commands import main as cli

    body = BY_NUMBER + "\n".join(KEYED.format(key="Modality").splitlines()[0:]) + "\n"
    spec = tmp_path / "spec"
    spec.mkdir()
    edited(tmp_path, [("amendments.yaml", "", "amendments:\n" + body)]).rename(spec / "minimal")
    assert cli.main(["build", "minimal", "--spec", str(spec), "--out", str(tmp_path / "out"), "--only",
                     "docbook"]) == 0, capsys.readouterr()
    xml = (tmp_path / "out" / "minimal" / "docbook" / "PS3.3.xml").read_text(encoding="utf-8")
    text = " ".join(xml.replace("<", " <").split())
    assert "general information about" in text and "General Series Module Attributes" in text
    for cell in ("Attribute Description", "Series Instance UID", "Lesion Marker Color", "Laterality"):
        assert cell in text
