"""The loader: every fault of the input is reported at its file, line and column, with what was expected.

Values that are wrong become findings (loading goes on); input that cannot be read at all raises
:class:`InputError` with one one-line finding.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.load.loader import load_supplement
from build_tools.core.model import Attribute, Prose
from build_tools.core.prose import parse, refs

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


def folder_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "spec"
    folder.mkdir()
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def minimal_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(MINIMAL, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def load(folder: Path) -> list[Finding]:
    findings: list[Finding] = []
    load_supplement(folder, findings)
    return findings


def at(folder: Path, file: str, line: int, column: int) -> Loc:
    return Loc(relative(folder / file), line, column)


def input_error(folder: Path) -> Finding:
    """The single finding of the InputError that loading ``folder`` raises."""
    with pytest.raises(InputError) as raised:
        load_supplement(folder, [])
    assert len(raised.value.findings) == 1
    finding = raised.value.findings[0]
    assert "\n" not in str(finding)
    return finding


def test_minimal_loads_without_findings():
    findings: list[Finding] = []
    supplement = load_supplement(MINIMAL, findings)
    assert findings == []
    assert supplement.number == 9999
    assert [m.name for m in supplement.modules] == ["Lesion Marker"]
    row = supplement.modules[0].attributes[0]
    assert isinstance(row, Attribute) and row.attribute == "LesionMarkerColor"
    assert row.at("type") == Loc(relative(MINIMAL / "content.yaml"), 21, 15)


def test_unknown_field_is_reported_with_a_suggestion(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "    description: The attributes",
                          "    descripton: The attributes")
    assert load(folder) == [Finding(at(folder, "content.yaml", 18, 5),
                                    "unknown field 'descripton' in Module; did you mean 'description'?", code="DS022")]


def test_unknown_top_level_field_is_reported_with_a_suggestion(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "working_group:", "workinggroup:")
    findings = load(folder)
    assert Finding(at(folder, "supplement.yaml", 4, 1),
                   "unknown top-level field 'workinggroup'; did you mean 'working_group'?", code="DS022") in findings


def test_wrong_type(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "number: 9999", "number: ninety")
    assert load(folder) == [Finding(at(folder, "supplement.yaml", 2, 9), "number must be a whole number, not 'ninety'",
                                    code="DS024")]


def test_list_where_text_is_expected(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "title: Lesion Marker", "title: [Lesion, Marker]")
    assert load(folder) == [Finding(at(folder, "supplement.yaml", 3, 8), "title must be a text value, not a list",
                                    code="DS024")]


def test_wrong_literal_suggests_the_nearest(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "status: Draft\nversion", "status: Drfat\nversion")
    [finding] = load(folder)
    assert finding.loc == at(folder, "supplement.yaml", 5, 9)
    assert "status is 'Drfat'; expected one of 'Draft'" in finding.message
    assert finding.message.endswith("did you mean 'Draft'?")


def test_missing_required_field(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "    section: C.8.12.99\n", "")
    [finding] = load(folder)
    assert finding.loc == at(folder, "content.yaml", 16, 5)
    assert finding.message.startswith("Module is missing required field 'section'")


def test_missing_required_top_level_field(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "working_group: WG-19 Dermatologic Standards\n", "")
    [finding] = load(folder)
    assert finding.loc == at(folder, "supplement.yaml", 1, 1)
    assert finding.message.startswith("supplement is missing required field 'working_group'")


def test_a_wrong_required_value_is_not_also_reported_missing(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "number: 9999", "number: [1]")
    assert [f.message for f in load(folder)] == ["number must be a whole number, not a list"]


def test_duplicate_key(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "    section: C.8.12.99\n",
                          "    section: C.8.12.99\n    section: C.8.12.98\n")
    assert load(folder) == [Finding(at(folder, "content.yaml", 18, 5), "duplicate field 'section' in Module",
                                    code="DS021")]


def test_field_given_in_two_files(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "history:", "codes: []\nhistory:")
    findings = load(folder)
    assert findings == [Finding(at(folder, "supplement.yaml", 13, 1),
                                f"field 'codes' is already given at {at(folder, 'content.yaml', 44, 1)}; "
                                "give each field once", code="DS021")]


def test_every_problem_in_one_run(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "    section: C.8.12.99\n    description:",
                          "    section: [C]\n    descriptio:")
    messages = [f.message for f in load(folder)]
    assert "section must be a text value, not a list" in messages
    assert any(m.startswith("unknown field 'descriptio'") for m in messages)


@pytest.mark.parametrize("content, line, column, says", [
    ("title: [Lesion\nnumber: 1\n", 2, 7, "invalid YAML: expected ',' or ']'"),
    ("title: 'open\n", 2, 1, "invalid YAML: found unexpected end of stream"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
     1, 4, "anchors (&a) are not allowed"),
    ("title: *nothing\n", 1, 8, "aliases (*name) are not allowed"),
    ("title: !!python/object/apply:os.system [echo hi]\n", 1, 8, "YAML tag 'tag:yaml.org,2002:python/object/apply"),
    ("title: !custom x\n", 1, 8, "YAML tag '!custom' is not allowed"),
    (b"number: 1\ntitle: Caf\xe9\n", 2, 11, "byte 0xe9 is not UTF-8; save the file as UTF-8"),
    ("", 1, 1, "file is empty"),
    ("   \n\n", 1, 1, "file is empty"),
    ("--- a\n--- b\n", 2, 1, "invalid YAML: expected a single document in the stream, but found another document"),
])
def test_unreadable_input_is_one_located_input_error(tmp_path, content, line, column, says):
    folder = folder_with(tmp_path, {"supplement.yaml": content})
    finding = input_error(folder)
    assert finding.loc == at(folder, "supplement.yaml", line, column)
    assert says in finding.message


def test_missing_folder(tmp_path):
    finding = input_error(tmp_path / "nowhere")
    assert finding.loc == Loc(relative(tmp_path / "nowhere"))
    assert "no such supplement folder" in finding.message


def test_folder_without_yaml(tmp_path):
    (tmp_path / "empty").mkdir()
    assert "holds no .yaml files" in input_error(tmp_path / "empty").message


def test_root_that_is_not_a_mapping(tmp_path):
    folder = folder_with(tmp_path, {"supplement.yaml": "- number\n- title\n"})
    findings = load(folder)
    assert findings[0] == Finding(at(folder, "supplement.yaml", 1, 1), "a supplement file must be a mapping of "
                                  "top-level fields (e.g. number, title, working_group, status)", code="DS020")


def test_byte_order_mark_is_accepted(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "# A tiny", "\ufeff# A tiny")
    assert load(folder) == []


def test_prose_positions_of_a_block_scalar(tmp_path):
    """A reference inside a ``|`` block is located at its own line and column, indentation included."""
    folder = folder_with(tmp_path, {"supplement.yaml": "scope: |\n    First line.\n\n      Then {de:X} here.\n"})
    findings: list[Finding] = []
    supplement = load_supplement(folder, findings)
    assert supplement.scope.loc == at(folder, "supplement.yaml", 2, 5)
    [ref] = refs(parse(supplement.scope))
    assert ref.loc == at(folder, "supplement.yaml", 4, 12)


def test_prose_positions_of_a_folded_scalar(tmp_path):
    folder = folder_with(tmp_path, {"supplement.yaml": "scope: >\n  one two\n  three {de:X}\n"})
    supplement = load_supplement(folder, [])
    assert supplement.scope.text == "one two three {de:X}\n"
    [ref] = refs(parse(supplement.scope))
    assert ref.loc == at(folder, "supplement.yaml", 3, 9)


def test_prose_without_positions_keeps_the_old_estimate():
    prose = Prose("a\n  {de:X}", Loc("f.yaml", 3, 7))
    [ref] = refs(parse(prose))
    assert ref.loc == Loc("f.yaml", 4, 3)


# --- the mistakes a newcomer makes, each said plainly at its line and column ----------------------------------


def test_missing_required_field_message_has_no_rst_markup(tmp_path):
    """The field's doc is reStructuredText (``Table <section>-1``) for the docs; a terminal shows it plain."""
    folder = minimal_with(tmp_path, "content.yaml", "    section: C.8.12.99\n", "")
    [finding] = load(folder)
    assert "``" not in finding.message
    assert finding.message == ("Module is missing required field 'section' (Section number in PS3.3; the table is "
                               "Table <section>-1 unless table is set.)")


def test_plain_text_strips_roles_and_literals():
    from build_tools.load.loader import plain_text

    assert plain_text("``1``, ``1C`` or :class:`Prose`; see :doc:`the guide <guide>`.") == "1, 1C or Prose; see the guide."


def test_misspelled_required_key_is_reported_once(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "{value: BLUE,", "{valeu: BLUE,")
    assert load(folder) == [Finding(at(folder, "content.yaml", 25, 14),
                                    "unknown field 'valeu' in EnumValue; did you mean 'value'?",
                                    code="DS022")]


def test_misspelled_required_top_level_key_is_reported_once(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "working_group:", "workinggroup:")
    assert [f.message for f in load(folder)] == ["unknown top-level field 'workinggroup'; did you mean 'working_group'?"]


def test_wrong_case_of_a_literal_is_suggested(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "module: Patient, usage: M}", "module: Patient, usage: m}")
    [finding] = load(folder)
    assert finding.message == "usage is 'm'; expected one of 'M', 'U', 'C'; did you mean 'M'?"


def test_unquoted_numbers_and_dates_are_read_as_the_text_written(tmp_path):
    """``type: 1``, ``vm: 1``, ``version: 0.10`` and an unquoted date: the binder keeps the text, not a number."""
    folder = minimal_with(tmp_path, "content.yaml", 'type: "1"\n        description: The color',
                          'type: 1\n        description: The color')
    for old, new in (('vm: "1"}', "vm: 1}"),):
        path = folder / "content.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    path = folder / "supplement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('version: "0.1"\ndate: "2026-11-25"',
                                                             "version: 0.10\ndate: 2026-11-25"), encoding="utf-8")
    findings: list[Finding] = []
    supplement = load_supplement(folder, findings)
    assert findings == []
    assert supplement.modules[0].attributes[0].type == "1"
    assert supplement.data_elements[0].vm == "1"
    assert (supplement.version, supplement.date) == ("0.10", "2026-11-25")


def test_scalar_where_a_mapping_of_fields_is_expected(tmp_path):
    folder = minimal_with(tmp_path, "content.yaml", "- {value: RED, meaning: A red marker.}", "- RED")
    [finding] = load(folder)
    assert finding.loc == at(folder, "content.yaml", 24, 13)
    assert finding.message == ("enumerated_values[1] must be a mapping of EnumValue fields (value, meaning), not the "
                               "text 'RED'; e.g. {value: …} or one 'key: value' line per field")


def test_mapping_where_a_list_is_expected_says_what_was_found(tmp_path):
    folder = minimal_with(tmp_path, "supplement.yaml", "parts: [PS3.3, PS3.4, PS3.6, PS3.16]", "parts: {PS3.3: yes}")
    [finding] = load(folder)
    assert finding.message == "parts must be a list (lines starting with '- '), not a mapping"


def test_a_reference_that_starts_a_plain_value_is_explained(tmp_path):
    """``description: {de:X}`` is a YAML flow mapping, not text; the message says to quote it."""
    folder = minimal_with(tmp_path, "content.yaml", "description: The color of the marker.",
                          "description: {de:LesionMarkerColor}")
    [finding] = load(folder)
    assert finding.loc == at(folder, "content.yaml", 22, 22)
    assert "a value that starts with {de:LesionMarkerColor} is read by YAML as a mapping; put the whole value in " \
           "quotes or write it as a | block" in finding.message


@pytest.mark.parametrize("content, line, column, says", [
    # a tab, at the start of a line and after a key
    ("number: 1\ntitle:\n\tx: 1\n", 3, 1, "a tab character; YAML indents with spaces only"),
    ("number:\t1\n", 1, 8, "a tab character; YAML indents with spaces only"),
    # a key one space off: where it starts, where the key above starts
    ("history:\n  - version: '1'\n   date: x\n", 3, 4,
     "this line starts in column 4 but the key above starts in column 5"),
    ("annex:\n  label: ZZZ\n title: x\n", 3, 2, "this line starts in column 2 but the key above starts in column 3"),
    ("annex:\n  label: ZZZ\n    title: x\n", 3, 10, "a key where a value was expected"),
    # ': ' inside an unquoted value
    ("title: Dermoscopy: a supplement\n", 1, 18, "a second ': ' on this line: a value that holds a colon"),
    # a {reference} or a quoted part at the start of a longer unquoted value
    ("scope: {de:ContactMethod} is new.\n", 1, 27, "a value that starts with '{' (such as a {de:…} reference) is "
                                                   "read as a YAML mapping; put the whole value in quotes"),
    ("title: 'Dermoscopy' imaging\n", 1, 21, "text after the closing quote"),
    # unclosed brackets and quotes: said where they were opened
    ("iods:\n  - {name: X, section: A.1\n  - {name: Y}\n", 3, 5,
     "the { … } opened at line 2, column 5 is not closed before this point"),
    ("title: \"open\n", 2, 1, "the quote opened at line 1, column 8 is never closed"),
    # a line that is neither key: value nor a continuation
    ("number: 1\ntitle\nstatus: Draft\n", 2, 1, "this line is neither 'key: value' nor a continuation"),
    ("parts: - PS3.3\n", 1, 8, "a '- ' item must start a line of its own"),
])
def test_yaml_syntax_mistakes_are_explained(tmp_path, content, line, column, says):
    folder = folder_with(tmp_path, {"supplement.yaml": content})
    finding = input_error(folder)
    assert (finding.loc.line, finding.loc.column) == (line, column), str(finding)
    assert finding.message.startswith("invalid YAML: ")
    assert says in finding.message, str(finding)
