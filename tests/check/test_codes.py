"""Finding codes: every finding of the loader, the rules and the verifier has a registered code, every registered
code is used and documented, and the codes the source writes are the registry's (no typo can slip through)."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from build_tools.check.rules import check
from build_tools.core.errors import InputError, Severity
from build_tools.core.findingcodes import CODES, FAMILIES, closest
from build_tools.load.loader import load_supplement

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "build_tools"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
CODE = re.compile(r"""["'](D[SV]\d{3})["']""")
REGISTRY = PACKAGE / "core" / "findingcodes.py"


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != REGISTRY)


def used_codes() -> dict[str, list[str]]:
    """Every code written as a string literal in the package (outside the registry), with where."""
    found: dict[str, list[str]] = {}
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for code in CODE.findall(line):
                found.setdefault(code, []).append(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_every_code_used_is_registered():
    unknown = {code: where for code, where in used_codes().items() if code not in CODES}
    assert not unknown, f"codes used but not in build_tools/core/findingcodes.py: {unknown}"


def test_every_registered_code_is_used():
    unused = sorted(set(CODES) - set(used_codes()))
    assert not unused, f"codes registered but never reported: {unused}"


def test_registry_entries_are_complete():
    for code, entry in CODES.items():
        assert re.fullmatch(r"D[SV]\d{3}", code) and entry.code == code
        assert code[:3] in FAMILIES, f"{code} belongs to no family"
        assert entry.title and entry.title[0].isupper() and not entry.title.endswith("."), code
        assert entry.explanation.endswith(".") and len(entry.explanation) > 30, code
    assert list(CODES) == sorted(CODES), "the registry is in code order"


def test_every_code_is_documented():
    pytest.importorskip("sphinx")
    import sys

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        from dicomsup_docs import finding_codes_lines
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    text = "\n".join(finding_codes_lines())
    assert all(f"``{code}``" in text for code in CODES)
    assert ".. dicomsup-finding-codes::" in (ROOT / "docs" / "rules.rst").read_text(encoding="utf-8")


def _calls(path: Path, names: set[str]) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and (getattr(node.func, "id", None) in names or getattr(node.func, "attr", None) in names)]


@pytest.mark.parametrize("stage", ["load", "check"])
def test_every_finding_created_by_the_loader_and_the_rules_has_a_code(stage):
    """``Finding(...)`` with ``code=``, and the stages' reporting helpers with a code literal first."""
    missing = []
    for path in sorted((PACKAGE / stage).glob("*.py")):
        for call in _calls(path, {"Finding"}):
            if not any(k.arg == "code" for k in call.keywords):
                missing.append(f"{path.name}:{call.lineno}")
        for call in _calls(path, {"report", "unknown", "report_unless_close", "error"}):
            if isinstance(getattr(call.func, "value", None), ast.Name) and call.func.value.id in ("ctx", "self",
                                                                                                   "binder"):
                first = call.args[0] if call.args else None
                if not (isinstance(first, ast.Constant) and first.value in CODES) and first is not None \
                        and not (isinstance(first, ast.Name) and first.id == "code"):
                    missing.append(f"{path.name}:{call.lineno} ({ast.unparse(first)})")
    assert not missing, f"findings created without a registered code: {missing}"


def test_every_verify_issue_has_a_code():
    path = PACKAGE / "verify" / "checker.py"
    calls = _calls(path, {"_issue"})
    assert len(calls) > 30
    bad = [c.lineno for c in calls if not (isinstance(c.args[0], ast.Constant) and c.args[0].value in CODES)]
    assert not bad, f"verify issues without a DV code at lines {bad}"


BROKEN = {
    "supplement.yaml": [("status: Draft", "status: Drafty"), ("number: 9999", "number: [9999]"),
                        ("title: Lesion Marker", "titel: Lesion Marker"), ("{cid:9901}", "{cid:x}"),
                        ("{de:LesionMarkerColor}", "{de:Nope} {bogus:1} *open")],
    "content.yaml": [('"(0016,1006)"', '"(0017,1006)"'), ("vr: CS", "vr: CX"), ("type: 1C", "type: \"1\""),
                     ("module: General Study,", "module: Genral Study,"), ("  - scheme: DCM\n", "  - scheme: DMC\n"),
                     ("cid: 9901", "cid: 29"), ("{value: BLUE,", "{value: RED,"), ("name: red-marker", "name: Red")],
}


def test_findings_of_a_badly_broken_supplement_all_have_their_registered_code_and_severity(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(MINIMAL, folder)
    for file, edits in BROKEN.items():
        text = (folder / file).read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new, 1)
        (folder / file).write_text(text, encoding="utf-8")
    findings = []
    supplement = load_supplement(folder, findings)
    findings += check(supplement)
    assert len(findings) >= 12
    for finding in findings:
        assert finding.code in CODES, str(finding)
        assert finding.severity is CODES[finding.code].severity, str(finding)
        assert str(finding).endswith(f" [{finding.code}]")
    assert {f.code[:3] for f in findings} >= {"DS0", "DS2", "DS3", "DS5", "DS6"}


@pytest.mark.parametrize("content, code", [(b"a: [1, 2\n", "DS004"), (b"", "DS003"), (b"a: &x 1\n", "DS006"),
                                           (b"x: \xff\n", "DS002"), (b"a: \x07\n", "DS005")])
def test_unreadable_input_has_its_code(tmp_path, content, code):
    folder = tmp_path / "spec"
    shutil.copytree(MINIMAL, folder)
    (folder / "broken.yaml").write_bytes(content)
    with pytest.raises(InputError) as raised:
        load_supplement(folder)
    assert [f.code for f in raised.value.findings] == [code]


def test_closest_code():
    assert closest("ds231") in ("DS230", "DS231", "DS232")
    assert closest("DV3O1") == "DV301"
    assert closest("XYZ") is None
    assert CODES["DS310"].severity is Severity.WARNING
