"""Things the standard already has, handled alike: a definition the baseline holds identically is a note
(DS350, "already in <edition>"), a different one an error that names both; notes fail nothing, not even --strict.
"""

from __future__ import annotations

import json

import pytest

from build_tools.build import lint
from build_tools.commands import findings as printing
from build_tools.core.errors import Finding, Loc, Severity
from build_tools.core.findingcodes import CODES
from tests.check.minimal_copies import edited, position

FRAME_OF_REFERENCE = """
  - name: Frame of Reference
    section: C.7.4.1
    table: C.7-6
    description: Restated.
    attributes:
      - {attribute: FrameOfReferenceUID, type: "1", description: The UID.}
      - {attribute: PositionReferenceIndicator, type: "{type}", description: The indicator.}
"""


def _lint(tmp_path, edits):
    folder = edited(tmp_path, edits)
    _supplement, findings = lint(folder)
    return folder, findings


def _codes(findings, code):
    return [f for f in findings if f.code == code]


def test_a_restated_data_element_is_a_note(tmp_path):
    folder, findings = _lint(tmp_path, [("content.yaml", '  - {tag: "(0016,1006)"', '  - {tag: "(0016,1003)", '
                                         'name: Contact Method, vr: CS, vm: "1"}\n  - {tag: "(0016,1006)"')])
    [note] = _codes(findings, "DS350")
    assert note.severity is Severity.NOTE and note.loc == position(folder, "content.yaml", '"(0016,1003)"')
    assert note.message.startswith("data element (0016,1003) is already in PS3.6 as ")
    assert note.message.endswith("as ContactMethod (Contact Method, VR CS, VM 1), identically")


def test_a_different_data_element_names_both(tmp_path):
    _folder, findings = _lint(tmp_path, [("content.yaml", '  - {tag: "(0016,1006)"', '  - {tag: "(0016,1003)", '
                                          'name: Contact Method, vr: CS, vm: "2"}\n  - {tag: "(0016,1006)"')])
    [error] = _codes(findings, "DS308")
    assert error.severity is Severity.ERROR
    assert "as ContactMethod (Contact Method, VR CS, VM 1); this definition differs in VM ('2', not '1')" \
        in error.message


def test_a_restated_uid_is_a_note_and_a_different_one_an_error(tmp_path):
    restated = "  - {value: 1.2.840.10008.5.1.4.1.1.77.1.7, name: Dermoscopic Photography Image Storage, " \
               "type: SOP Class, part: PS3.4}\n"
    _folder, findings = _lint(tmp_path, [("content.yaml", "\nuids:\n", "\nuids:\n" + restated)])
    assert [f.message for f in _codes(findings, "DS350")] == [
        f"UID 1.2.840.10008.5.1.4.1.1.77.1.7 is already in {_ps36()} as DermoscopicPhotographyImageStorage "
        "(Dermoscopic Photography Image Storage), identically"]
    _folder, findings = _lint(tmp_path / "b", [("content.yaml", "\nuids:\n",
                                                "\nuids:\n" + restated.replace("Dermoscopic", "Dermatology"))])
    [error] = _codes(findings, "DS315")
    assert "this definition differs in name ('Dermatology Photography Image Storage'" in error.message


def _ps36() -> str:
    return "PS3.6"


GROUP = """  - cid: 23
    name: Cranio-Caudad Angulation
    keyword: CranioCaudadAngulation
    version: "20261125"
    rows:
      - {scheme: SCT, value: "66787007", meaning: Cranial}
      - {scheme: SCT, value: "3583002", meaning: Caudal}
"""


def test_a_restated_context_group_is_accepted_as_a_note(tmp_path):
    """Context groups used to be refused whenever the number existed; now alike with data elements and UIDs."""
    folder, findings = _lint(tmp_path, [("content.yaml", "\ncontext_groups:\n", "\ncontext_groups:\n" + GROUP)])
    [note] = _codes(findings, "DS350")
    assert note.message.startswith("CID 23 is already in PS3.16") and not _codes(findings, "DS337")
    assert note.loc == position(folder, "content.yaml", "23\n")


def test_a_different_context_group_is_an_error_naming_the_rows(tmp_path):
    group = GROUP.replace('      - {scheme: SCT, value: "3583002", meaning: Caudal}\n',
                          '      - {scheme: SCT, value: "24028007", meaning: Right}\n')
    _folder, findings = _lint(tmp_path, [("content.yaml", "\ncontext_groups:\n", "\ncontext_groups:\n" + group)])
    [error] = _codes(findings, "DS337")
    assert "CID 23 is already in PS3.16" in error.message and "SCT:24028007" in error.message
    assert "SCT:3583002" in error.message


def test_a_restated_code_is_a_note_and_another_meaning_an_error(tmp_path):
    code = "  - {scheme: DCM, value: DMS, meaning: Dermoscopy, definition: Dermoscopy.}\n"
    _folder, findings = _lint(tmp_path, [("content.yaml", "\ncodes:\n", "\ncodes:\n" + code)])
    assert [f.message for f in _codes(findings, "DS350")] == [
        "code DCM:DMS is already in PS3.16 as meaning 'Dermoscopy', identically"]
    _folder, findings = _lint(tmp_path / "b", [("content.yaml", "\ncodes:\n",
                                                "\ncodes:\n" + code.replace("meaning: Dermoscopy", "meaning: Skin"))])
    assert "as meaning 'Dermoscopy'; this definition differs in meaning ('Skin')" in \
        _codes(findings, "DS335")[0].message


def test_a_restated_module_is_a_note(tmp_path):
    folder, findings = _lint(tmp_path, [("content.yaml", "\nmodules:\n",
                                         "\nmodules:" + FRAME_OF_REFERENCE.replace("{type}", "2"))])
    [note] = _codes(findings, "DS350")
    assert note.message.startswith("module 'Frame of Reference' is already in PS3.3 2024e/2025a as Section C.7.4.1")
    assert not _codes(findings, "DS351") and not _codes(findings, "DS204")


def test_a_different_module_is_an_error_naming_the_rows(tmp_path):
    folder, findings = _lint(tmp_path, [("content.yaml", "\nmodules:\n",
                                         "\nmodules:" + FRAME_OF_REFERENCE.replace("{type}", "3"))])
    [error] = _codes(findings, "DS351")
    assert error.loc == position(folder, "content.yaml", "Frame of Reference\n")
    assert "PositionReferenceIndicator 3" in error.message and "PositionReferenceIndicator 2" in error.message


def test_an_iod_of_the_standard_with_other_modules_is_an_error(tmp_path):
    _folder, findings = _lint(tmp_path, [("content.yaml", "  - name: Lesion Marker Image\n    section: A.32.99\n",
                                          "  - name: VL Photographic Image\n    section: A.32.4\n")])
    [error] = _codes(findings, "DS351")
    assert error.message.startswith("IOD 'VL Photographic Image' is already in PS3.3 2024e/2025a as Section A.32.4")
    assert "Image / Lesion Marker M" in error.message


def test_notes_never_fail_and_are_counted(capsys):
    note = Finding(Loc("a.yaml", 1, 1), "x is already in E as y, identically", Severity.NOTE, code="DS350")
    assert not printing.failing([note], strict=True)
    assert printing.failing([note, Finding(Loc("a.yaml", 2, 1), "w", Severity.WARNING, code="DS404")], strict=True)
    assert printing.summary([note]) == "0 errors, 0 warnings, 1 note"
    assert printing.text_line(note) == "a.yaml:1:1: note: x is already in E as y, identically [DS350]"
    assert json.loads(printing.json_line(note))["severity"] == "note"
    assert printing.github_line(note).startswith("::notice file=a.yaml,line=1,col=1,title=DS350::")


@pytest.mark.parametrize("code", ["DS350", "DS411", "DS414", "DS416"])
def test_the_notes_are_registered_as_notes(code):
    assert CODES[code].severity is Severity.NOTE


def test_a_module_whose_rows_the_baseline_lacks_is_replaced_with_a_warning(tmp_path):
    module = FRAME_OF_REFERENCE.replace("Frame of Reference", "Basic Film Box Presentation").replace("{type}", "2")
    _folder, findings = _lint(tmp_path, [("content.yaml", "\nmodules:\n", "\nmodules:" + module)])
    [warning] = _codes(findings, "DS204")
    assert "its rows unknown to PS3.3 2024e/2025a" in warning.message and not _codes(findings, "DS351")


def test_a_rowless_baseline_module_at_the_same_section_is_a_note(tmp_path):
    """A published module the baseline knows by name and section only (Sup 236's, from innolitics) re-authored at
    its own section: already in the standard, rows not compared; neither a warning nor an error."""
    from build_tools.standard import baseline

    entry = baseline.entry("Confocal Microscopy Image")
    assert entry is not None and not entry.has_rows
    module = (FRAME_OF_REFERENCE.replace("Frame of Reference", entry.name).replace("C.7.4.1", entry.section)
              .replace("C.7-6", entry.table or f"{entry.section}-1").replace("{type}", "2"))
    _folder, findings = _lint(tmp_path, [("content.yaml", "\nmodules:\n", "\nmodules:" + module)])
    [note] = _codes(findings, "DS353")
    assert note.severity is Severity.NOTE and f"Section {entry.section}" in note.message
    assert not _codes(findings, "DS204") and not _codes(findings, "DS351")


def test_lint_strict_passes_with_notes_and_prints_them(tmp_path, capsys):
    from build_tools.commands import main as cli

    folder = edited(tmp_path, [("content.yaml", '  - {tag: "(0016,1006)"', '  - {tag: "(0016,1003)", '
                                'name: Contact Method, vr: CS, vm: "1"}\n  - {tag: "(0016,1006)"')])
    spec = tmp_path / "spec"
    spec.mkdir()
    folder.rename(spec / "minimal")
    code = cli.main(["lint", "minimal", "--spec", str(spec), "--strict", "--select", "DS350"])
    out, err = capsys.readouterr()
    assert code == 0 and ": note: data element (0016,1003) is already in PS3.6" in out and "1 note" in err
