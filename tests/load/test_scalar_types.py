"""Text where a number is required and numbers where text is required (issue 18): each is a located error.

The loader keeps a value exactly as written, but every other YAML reader (an editor, the JSON Schema, a script
with PyYAML) takes an unquoted ``1.0`` for a number, ``NO`` for false and a quoted ``"2"`` for text; so a spec
must say what it means, and the message says how.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.core.errors import Finding, Loc, relative
from build_tools.load.loader import load_supplement

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
S, C = "supplement.yaml", "content.yaml"


def load_edited(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, list[Finding]]:
    folder = tmp_path / "spec"
    shutil.copytree(MINIMAL, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    findings: list[Finding] = []
    load_supplement(folder, findings)
    return folder, findings


def at(folder: Path, file: str, needle: str) -> Loc:
    text = (folder / file).read_text(encoding="utf-8")
    index = text.index(needle)
    return Loc(relative(folder / file), text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1)


CASES = [
    # a number, date or true/false where words are required
    ("title-number", S, "title: Lesion Marker", "title: 12", "12", "DS028",
     "title must be text, but YAML reads the unquoted '12' as a whole number; put it in quotes: \"12\""),
    ("title-yes", S, "title: Lesion Marker", "title: yes", "yes", "DS028", "as true or false; put it in quotes"),
    ("element-name-float", C, "name: Lesion Marker Color, vr", "name: 1.5, vr", "1.5", "DS028",
     "name must be text, but YAML reads the unquoted '1.5' as a decimal number"),
    ("code-meaning-number", C, "meaning: Lesion marker", "meaning: 42", "42", "DS028", "meaning must be text"),
    ("module-use-number", C, "module: General Study,", "module: 7,", "7,", "DS028", "module must be text"),
    ("prose-number", C, "description: The color of the marker.", "description: 98765", "98765", "DS028",
     "description must be text"),
    ("prose-date", S, "summary: First draft.", "summary: 2031-01-02", "2031-01-02", "DS028", "as a date"),
    # characters no output can carry
    ("nul-in-prose", C, "description: The color of the marker.", 'description: "The \\0 color."', '"The', "DS029",
     "description holds the character U+0000"),
    ("escape-in-title", S, "title: Lesion Marker", 'title: "Lesion \\e[31m Marker"', '"Lesion', "DS029",
     "title holds the character U+001B"),
    ("direction-override", S, "title: Lesion Marker", "title: Lesion \u202eMarker", "Lesion", "DS029",
     "U+202E (right-to-left override)"),
    ("lone-surrogate", S, "title: Lesion Marker", 'title: "Lesion \\ud800"', '"Lesion', "DS029", "U+D800"),
    ("nul-in-example-value", C, "TrackingID: L1}", 'TrackingID: "L\\0"}', '"L', "DS029", "U+0000"),
    # text where a number is required
    ("number-word", S, "number: 9999", "number: two", "two\n", "DS024",
     "number must be a whole number, not 'two'"),
    ("number-quoted", S, "number: 9999", 'number: "9999"', '"9999"', "DS027",
     "number must be a whole number, not the quoted text '9999'; remove the quotes: 9999"),
    ("number-decimal", S, "number: 9999", "number: 99.5", "99.5", "DS024", "must be a whole number"),
    ("number-hex", S, "number: 9999", "number: 0x10", "0x10", "DS024", "must be a whole number"),
    ("number-huge", S, "number: 9999", "number: " + "9" * 5000, "9999999", "DS024",
     "a whole number of 5000 digits; expected at most 9 digits"),
    ("cid-text", C, "cid: 9901", 'cid: "abc"', '"abc"', "DS024", "cid must be a whole number, not 'abc'"),
    ("cid-quoted", C, "cid: 9901", "cid: '9901'", "'9901'", "DS027", "remove the quotes: 9901"),
    ("value-index-text", C, "equals: RED}", "equals: RED, value_index: first}", "first", "DS024",
     "value_index must be a whole number"),
    ("bool-quoted", C, 'vm: "1"}', 'vm: "1", retired: "true"}', '"true"', "DS027",
     "retired must be true or false, not the quoted text 'true'; remove the quotes: true"),
    ("bool-word", C, 'vm: "1"}', 'vm: "1", retired: yes please}', "yes please", "DS024",
     "retired must be true or false, not 'yes please'"),
]


@pytest.mark.parametrize("file, old, new, needle, code, says", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_wrong_scalar_type_is_a_located_error(tmp_path, file, old, new, needle, code, says):
    folder, findings = load_edited(tmp_path, file, old, new)
    where = at(folder, file, needle)
    matching = [f for f in findings if f.code == code and f.loc == where and says in f.message]
    assert matching, "\n".join(map(str, findings)) or "(no findings)"
    assert all("\n" not in f.message and len(f.message) < 400 for f in findings)


@pytest.mark.parametrize("file, old, new", [
    (S, 'version: "0.1"\ndate', "version: '0.1'\ndate"),  # quoted text stays text
    (S, "title: Lesion Marker", "title: Lesion Marker 12"),  # text that holds a number is text
    (S, "title: Lesion Marker", "title: 'yes'"),
    (S, "number: 9999", "number: +9999"),
    # value fields keep an unquoted value as the text written (tests/load/test_load.py reads them back)
    (S, 'version: "0.1"\ndate', "version: 0.10\ndate"),
    (C, 'vm: "1"}', "vm: 1}"),
    (C, "{value: RED,", "{value: 0001,"),
    (C, "{value: BLUE,", "{value: NO,"),
    (C, 'value: "24028007"', "value: 24028007"),
    (S, "summary: First draft.", "summary: Yes"),  # prose may say yes
])
def test_values_of_the_right_type_pass(tmp_path, file, old, new):
    _folder, findings = load_edited(tmp_path, file, old, new)
    assert findings == []


def test_unquoted_literal_choices_stay_valid(tmp_path):
    """A Type of 3 (unquoted) is one of the choices either way: no finding (existing specs write both)."""
    _folder, findings = load_edited(tmp_path, C, 'type: "1"', "type: 1")
    assert findings == []


def test_every_spec_of_the_repository_still_loads_clean():
    root = Path(__file__).resolve().parents[2]
    folders = [p.parent for p in (root / "spec").glob("*/supplement.yaml")] + [MINIMAL]
    for folder in folders:
        findings: list[Finding] = []
        load_supplement(folder, findings)
        assert not [f for f in findings if f.code in ("DS027", "DS028", "DS029")], (folder, findings)


def test_a_character_written_as_a_surrogate_pair_is_the_character(tmp_path):
    """JSON writes 𝔘 as ``\\ud835\\udd18``, and so may a YAML author: the two halves are joined, not refused."""
    folder = tmp_path / "spec"
    shutil.copytree(MINIMAL, folder)
    path = folder / S
    path.write_text(path.read_text(encoding="utf-8").replace("title: Lesion Marker", 'title: "Lesion \\ud835\\udd18"'),
                    encoding="utf-8")
    findings: list[Finding] = []
    supplement = load_supplement(folder, findings)
    assert findings == [] and supplement.title == "Lesion 𝔘"
