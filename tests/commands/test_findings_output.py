"""Findings on stdout in three formats, the summary last on stderr, and choosing findings by code: ``--select``,
``--ignore`` and a supplement's ``lint.ignore``, on lint, check and verify."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_tools.standard import baseline

from build_tools.commands import main as cli
from build_tools.commands.findings import github_line, json_line
from build_tools.core.errors import Finding, Loc, Severity
from build_tools.core.selection import Selection, pattern_problem

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
# Three findings of three families: an error DS301 (private tag), a warning DS237 (unknown IE) and a warning
# DS530 (a paragraph without a full stop).
EDITS = [("content.yaml", '"(0016,1006)"', '"(0017,1006)"'), ("content.yaml", "{ie: Study,", "{ie: Stuyd,"),
         ("content.yaml", "The color of the marker.", "The color of the marker")]


@pytest.fixture
def spec(tmp_path) -> Path:
    folder = tmp_path / "spec" / "minimal"
    shutil.copytree(MINIMAL, folder)
    for file, old, new in EDITS:
        path = folder / file
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return tmp_path / "spec"


def lint(spec: Path, capsys, *options: str) -> tuple[int, list[str], list[str]]:
    status = cli.main(["lint", "--spec", str(spec), *options])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err.splitlines()


def codes(lines: list[str]) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in lines]


def test_findings_on_stdout_with_their_codes_summary_last_on_stderr(spec, capsys):
    status, out, err = lint(spec, capsys)
    assert status == 1
    assert codes(out) == ["DS237", "DS530", "DS301"]  # in the order of the file
    assert all(line.startswith(str(spec / "minimal" / "content.yaml") + ":") for line in out)
    assert err == [baseline.describe(), f"{spec / 'minimal'}: 1 error, 2 warnings"]


@pytest.mark.parametrize("options, expected, status", [
    (["--select", "DS3"], ["DS301"], 1),
    (["--select", "DS2,DS5"], ["DS237", "DS530"], 0),
    (["--select", "DS2", "--select", "DS5"], ["DS237", "DS530"], 0),
    (["--ignore", "DS301"], ["DS237", "DS530"], 0),
    (["--ignore", "ds3"], ["DS237", "DS530"], 0),  # codes are read in any case
    (["--select", "DS", "--ignore", "DS2"], ["DS530", "DS301"], 1),
    (["--select", "DS237", "--ignore", "DS2"], ["DS237"], 0),  # the more specific pattern wins
    (["--select", "DS2", "--ignore", "DS237"], [], 0),
])
def test_select_and_ignore(spec, capsys, options, expected, status):
    got_status, out, err = lint(spec, capsys, *options)
    assert (codes(out), got_status) == (expected, status)
    hidden = 3 - len(expected)
    assert err[-1].endswith(f" ({hidden} more not selected)") if hidden else err[-1].endswith("warnings")


def test_strict_counts_the_selected_findings_only(spec, capsys):
    assert lint(spec, capsys, "--strict", "--select", "DS2")[0] == 1
    assert lint(spec, capsys, "--strict", "--select", "DS1")[0] == 0


@pytest.mark.parametrize("option, says", [("DS2300", "unknown code 'DS2300'; did you mean 'DS230'?"),
                                          ("DV301", "'DV301' is a code of dicomsup verify; this takes DSxxx codes"),
                                          ("XY1", "unknown code 'XY1'")])
def test_an_unknown_code_is_a_usage_error_naming_the_closest(spec, capsys, option, says):
    with pytest.raises(SystemExit) as stop:
        cli.main(["lint", "--spec", str(spec), "--select", option])
    assert stop.value.code == 2
    assert says in capsys.readouterr().err


def test_json_format(spec, capsys):
    _status, out, _err = lint(spec, capsys, "--format", "json")
    records = [json.loads(line) for line in out]
    assert [r["code"] for r in records] == ["DS237", "DS530", "DS301"]
    first = records[2]
    assert set(first) == {"file", "line", "column", "severity", "code", "message"}
    assert first["severity"] == "error" and first["file"].endswith("content.yaml")
    assert isinstance(first["line"], int) and isinstance(first["column"], int)
    assert "odd group 0017" in first["message"] and "[DS301]" not in first["message"]


def test_github_format(spec, capsys):
    _status, out, err = lint(spec, capsys, "--format", "github")
    assert [line.split(" ", 1)[0] for line in out] == ["::warning", "::warning", "::error"]
    assert ",title=DS301::tag '(0017,1006)' has an odd group" in out[2]
    assert out[2].startswith(f"::error file={spec / 'minimal' / 'content.yaml'},line=")
    assert err[-1].endswith("1 error, 2 warnings")


def test_github_escapes_what_workflow_commands_reserve():
    finding = Finding(Loc("a,b:c.yaml", 3, 4), "50% done\nsecond line", Severity.WARNING, code="DS530")
    assert github_line(finding) == "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=DS530::50%25 done%0Asecond line"
    assert json.loads(json_line(Finding(Loc("x.yaml"), "m")))["line"] is None


LINT_IGNORE = "\nlint:\n  ignore: [DS237, DS5]\n"


def test_a_supplement_ignores_codes_for_every_command(spec, capsys):
    path = spec / "minimal" / "supplement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + LINT_IGNORE, encoding="utf-8")
    status, out, _err = lint(spec, capsys)
    assert (status, codes(out)) == (1, ["DS301"])
    from build_tools.build import lint as lint_folder

    assert [f.code for f in lint_folder(spec / "minimal")[1]] == ["DS301"], "build and check lint the same way"


@pytest.mark.parametrize("entry, code, says", [
    ("DS2377", "DS106", "lint.ignore[1]: unknown code 'DS2377'; did you mean 'DS237'?"),
    ("DV3", "DS106", "is a code of dicomsup verify"),
    ("DS02", "DS107", "names findings of the loader, which cannot be ignored"),
])
def test_a_wrong_entry_of_lint_ignore_is_an_error(spec, capsys, entry, code, says):
    path = spec / "minimal" / "supplement.yaml"
    text = path.read_text(encoding="utf-8") + f"\nlint:\n  ignore: [DS530, {entry}]\n"
    path.write_text(text, encoding="utf-8")
    _status, out, _err = lint(spec, capsys, "--select", "DS1")
    at = text.index(entry)
    line, column = text.count("\n", 0, at) + 1, at - text.rindex("\n", 0, at)
    assert codes(out) == [code] and out[0].startswith(f"{path}:{line}:{column}: error: lint.ignore[2]: ")
    assert says.replace("[1]", "[2]") in out[0]


def test_lint_setting_is_optional_and_checked_by_the_loader(spec, capsys):
    path = spec / "minimal" / "supplement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nlint:\n  ignroe: [DS237]\n", encoding="utf-8")
    _status, out, _err = lint(spec, capsys, "--select", "DS0")
    assert codes(out) == ["DS022"] and "did you mean 'ignore'?" in out[0]


def test_selection_rules():
    assert Selection().allows("DS213") and Selection().allows("")
    assert not Selection.of(select=["DS1"]).allows("DS213")
    assert Selection.of(select=["DS1"]).allows(""), "a finding without a code is always reported"
    assert not Selection.of(ignore=["DS2"]).allows("DS213")
    assert Selection.of(select=["DS213"], ignore=["DS2"]).allows("DS213")
    assert not Selection.of(select=["DS21"], ignore=["DS21"]).allows("DS213"), "ignore wins a tie"
    assert Selection.of(select=["DS2, DS3"]).select == ("DS2", "DS3")
    assert pattern_problem("DS", "DS") is None and pattern_problem("D", "DV") is None
    assert pattern_problem("", "DS").startswith("an empty code")


def test_check_reports_selected_findings_and_still_fails_when_hidden_errors_stop_the_build(spec, tmp_path, capsys):
    out_root = tmp_path / "output"
    status = cli.main(["check", "--spec", str(spec), "--out", str(out_root), "--select", "DS2"])
    out, err = capsys.readouterr()
    assert status == 1
    assert codes(out.splitlines()) == ["DS237"]
    assert err.splitlines()[-1] == ("check: 0 errors, 1 warning (2 more not selected); errors not selected stop the "
                                    "build (dicomsup lint)")


def test_verify_selects_and_formats(tmp_path, capsys):
    spec_root = ROOT / "spec"
    bad = tmp_path / "not-dicom.dcm"  # never in the shared examples folder, which other tests list
    bad.write_bytes(b"x" * 200)
    assert cli.main(["verify", str(bad), "--spec", str(spec_root), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    record = json.loads(out)
    assert (record["code"], record["line"], record["severity"]) == ("DV002", None, "error")
    assert err.splitlines()[-1] == "verify: 1 file, 1 error, 0 warnings"
    assert cli.main(["verify", str(bad), "--spec", str(spec_root), "--ignore", "DV0"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines()[-1] == "verify: 1 file, 0 errors, 0 warnings (1 more not selected)"
    with pytest.raises(SystemExit):
        cli.main(["verify", str(bad), "--select", "DS213"])
    assert "is a code of the spec" in capsys.readouterr().err
