"""``dicomsup build --only NAME[,NAME]``: only the named outputs are rebuilt; every other folder of
``output/<name>/`` (and ``output/schema/``) stays exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from build_tools.core.atomic import LOCK_FILE

from build_tools.build import build_all
from build_tools.commands import main as cli
from build_tools.outputs import docbook

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"

pytestmark = pytest.mark.skipif(not docbook.SCHEMA.is_file(),
                                reason="DocBook 5.0 schema not installed (apt install docbook5-xml)")


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """spec/minimal/ built once into output/, then retitled in the spec (so every output would change)."""
    spec = tmp_path / "spec" / "minimal"
    shutil.copytree(MINIMAL, spec)
    report = build_all([spec], tmp_path / "output")
    assert not report.errors, [str(f) for f in report.findings]
    front = spec / "supplement.yaml"
    front.write_text(front.read_text(encoding="utf-8").replace("title: Lesion Marker", "title: Lesion Markers"),
                     encoding="utf-8")
    return tmp_path


def build(project: Path, *args: str) -> int:
    return cli.main(["build", "--spec", str(project / "spec"), "--out", str(project / "output"), "-q", *args])


def test_only_docbook_and_html_leaves_the_other_folders_untouched(project: Path, capsys) -> None:
    site = project / "output" / "minimal"
    before = {folder.name: digest(folder) for folder in site.iterdir()}
    schema = digest(project / "output" / "schema")
    assert sorted(before) == ["dictionaries", "docbook", "docx", "examples", "html", "pdf"]
    assert build(project, "--only", "docbook,html") == 0
    after = {folder.name: digest(folder) for folder in site.iterdir()}
    assert sorted(after) == sorted(before)
    for untouched in ("dictionaries", "docx", "examples", "pdf"):
        assert after[untouched] == before[untouched], untouched
    assert digest(project / "output" / "schema") == schema
    for rebuilt in ("docbook", "html"):
        assert after[rebuilt] != before[rebuilt], f"{rebuilt} was not rebuilt"
    assert "Lesion Markers" in (site / "html" / "index.html").read_text(encoding="utf-8")
    assert "Lesion Markers" not in (site / "dictionaries" / "README.md").read_text(encoding="utf-8")
    assert "wrote" in capsys.readouterr().err
    assert [p.name for p in (project / "output").iterdir()
            if p.name.startswith(".") and p.name != LOCK_FILE] == [], "staging left behind"


def test_only_then_full_build_equals_a_full_build(project: Path, tmp_path: Path) -> None:
    """The folders that --only rebuilt are exactly what a full build writes."""
    assert build(project, "--only", "docbook,html") == 0
    fresh = tmp_path / "fresh"
    build_all([project / "spec" / "minimal"], fresh)
    for folder in ("docbook", "html"):
        assert digest(project / "output" / "minimal" / folder) == digest(fresh / "minimal" / folder), folder


def test_only_one_dictionary_rebuilds_its_whole_folder(project: Path) -> None:
    site = project / "output" / "minimal"
    docbook_before = digest(site / "docbook")
    report = build_all([project / "spec" / "minimal"], project / "output", {"only": ["dcmtk"]})
    assert not report.errors
    assert sorted(report.timings) == ["minimal/dcmtk", "minimal/dictionaries-readme", "minimal/innolitics",
                                      "minimal/json", "minimal/pydicom"]
    assert {p.relative_to(site).parts[0] for p in report.written} == {"dictionaries"}
    assert "Lesion Markers" in (site / "dictionaries" / "README.md").read_text(encoding="utf-8")
    assert digest(site / "docbook") == docbook_before


def test_only_a_project_output_leaves_every_supplement_untouched(project: Path) -> None:
    site = project / "output" / "minimal"
    before = digest(site)
    (project / "output" / "schema" / "supplement.schema.json").write_text("stale", encoding="utf-8")
    report = build_all([project / "spec" / "minimal"], project / "output", {"only": ["schema"]})
    assert list(report.timings) == ["schema"]
    assert digest(site) == before
    assert (project / "output" / "schema" / "supplement.schema.json").read_text(encoding="utf-8") != "stale"


def test_unknown_output_is_a_one_line_usage_error(project: Path, capsys) -> None:
    before = digest(project / "output")
    with pytest.raises(SystemExit) as caught:
        build(project, "--only", "docbook,nope")
    assert caught.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("dicomsup build: error: argument --only: unknown output 'nope'; choose from docbook, html")
    assert digest(project / "output") == before


def test_help_lists_the_outputs(capsys) -> None:
    from build_tools.outputs.registry import OUTPUTS

    for command in ("build", "check"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        shown = capsys.readouterr().out
        for output in OUTPUTS:
            assert f"{output.name:<20} {output.summary}" in shown, (command, output.name)
        assert "output/<name>/dictionaries/" in shown and "output/schema/" in shown
