"""``dicomsup new`` writes a supplement that lints clean and builds at once, and never overwrites a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.datadict import DicomDictionary, keyword_dict
from pydicom.uid import UID_dictionary

from build_tools.commands import main as cli
from build_tools.build import build_all
from build_tools.outputs.registry import OUTPUTS
from build_tools.load.loader import load_supplement
from build_tools.standard.index import element_keyword, parse_tag, uid_keyword
from build_tools.scaffold import scaffold

FILES = ["amendments.yaml", "annex.yaml", "codes.yaml", "context-groups.yaml", "data-elements.yaml",
         "examples.yaml", "iods.yaml", "modules.yaml", "supplement.yaml", "uids.yaml"]
ARGS = ["--title", "Wound Photography", "--number", "250", "--wg", "WG-19 Dermatologic Standards"]


def _lint(folder: Path):
    try:
        from build_tools.build import lint
        import build_tools.check.rules  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "build_tools.check.rules":
            raise
        pytest.skip("build_tools.check.rules is not written yet")
    return lint(folder)


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return tmp_path / "spec"


def test_new_writes_every_file(spec: Path, capsys) -> None:
    assert cli.main(["new", "wound-photography", *ARGS, "--spec", str(spec)]) == 0
    folder = spec / "wound-photography"
    assert sorted(p.name for p in folder.iterdir()) == FILES
    text = (folder / "supplement.yaml").read_text(encoding="utf-8")
    assert "number: 250" in text and "title: Wound Photography" in text
    assert "working_group: WG-19 Dermatologic Standards" in text
    assert "# Top-level fields" in text  # comments list the fields
    for name in FILES:  # editor support: the language server finds the schema that dicomsup build writes
        first = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../output/schema/supplement.schema.json"
    assert "created" in capsys.readouterr().err


def test_content_is_minimal_and_new(spec: Path) -> None:
    folder = scaffold(spec, "wound-photography", "Wound Photography", 250, "WG-19")
    findings: list = []
    supplement = load_supplement(folder, findings)
    assert findings == []
    assert len(supplement.iods) == 1 and len(supplement.modules) == 1
    assert len(supplement.data_elements) == 1 and len(supplement.uids) == 1
    assert len(supplement.codes) == 1 and supplement.codes[0].scheme == "DCM"
    assert len(supplement.examples) == 1
    element = supplement.data_elements[0]
    tag = parse_tag(element.tag)
    assert tag is not None and (tag >> 16) % 2 == 0, "the tag must not be private"
    assert tag not in DicomDictionary and element_keyword(element) not in keyword_dict
    assert supplement.uids[0].value not in UID_dictionary
    assert uid_keyword(supplement.uids[0]) == supplement.sop_classes[0].uid
    baseline_modules = [use.module for use in supplement.iods[0].modules if use.module != supplement.modules[0].name]
    assert "Patient" in baseline_modules and "SOP Common" in baseline_modules


def test_scaffold_lints_clean(spec: Path) -> None:
    folder = scaffold(spec, "wound-photography", "Wound Photography", 250, "WG-19")
    _supplement, findings = _lint(folder)
    assert [str(f) for f in findings] == []


def test_the_title_of_a_published_supplement_still_lints_clean(spec: Path) -> None:
    """The README's example: the standard already has a Confocal Microscopy Image Storage SOP Class."""
    folder = scaffold(spec, "confocal", "Confocal Microscopy", 999, "WG-19 Dermatologic Standards")
    supplement, findings = _lint(folder)
    assert [str(f) for f in findings] == []
    assert supplement.uids[0].name == "Confocal Microscopy Draft Image Storage"


@pytest.mark.parametrize("title", ["Confocal Microscopy", "Total Body Photography"])
def test_any_title_lints_clean_strictly(spec: Path, title: str, capsys) -> None:
    """The names derived from a title that the standard has (the Confocal Microscopy Image IOD, its SOP Class)
    become "<title> Draft …", so the scaffold defines only new things: ``lint --strict`` exits 0 with no finding."""
    assert cli.main(["new", "sup", "--title", title, "--number", "999", "--wg", "WG-19", "--spec", str(spec)]) == 0
    capsys.readouterr()
    assert cli.main(["lint", "sup", "--spec", str(spec), "--strict"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 errors, 0 warnings" in err
    supplement = load_supplement(spec / "sup", [])
    names = [supplement.iods[0].name, supplement.modules[0].name, supplement.uids[0].name]
    from build_tools.standard import baseline
    assert baseline.iod(names[0]) is None and baseline.entry(names[1]) is None


def test_scaffold_builds_every_output(spec: Path, tmp_path: Path) -> None:
    folder = scaffold(spec, "wound-photography", "Wound Photography", 250, "WG-19")
    _lint(folder)
    out = tmp_path / "out"
    report = build_all([folder], out)
    assert [str(f) for f in report.findings] == []
    site = out / "wound-photography"
    assert site.is_dir()
    names = {output.folder for output in OUTPUTS if output.scope == "supplement"}
    for output in OUTPUTS:
        assert (f"wound-photography/{output.name}" if output.scope == "supplement" else output.name) in report.timings
    if "docbook" in names:
        assert list(site.rglob("*.xml")), "no DocBook file written"
    if "html" in names:
        html = next(site.rglob("index.html")).read_text(encoding="utf-8")
        assert "Wound Photography Acquisition Method" in html
    if "dictionaries" in names:
        assert any("WoundPhotographyAcquisitionMethod" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (site / "dictionaries").rglob("*") if p.is_file())
    if "examples" in names:
        assert list((site / "examples").glob("*.dcm")), "no example instance written"
    for output in OUTPUTS:
        if output.scope == "project":
            assert (out / output.folder).is_dir()


def test_titles_with_markup_characters_still_load(spec: Path) -> None:
    folder = scaffold(spec, "odd", "Skin *Imaging*: {Pilot} #1", 7, "WG: \"Test\"")
    findings: list = []
    supplement = load_supplement(folder, findings)
    assert findings == []
    assert supplement.title == "Skin *Imaging*: {Pilot} #1"
    assert supplement.working_group == 'WG: "Test"'
    _supplement, findings = _lint(folder)
    assert [str(f) for f in findings if f.severity.value == "error"] == []


def test_refuses_to_overwrite(spec: Path, capsys) -> None:
    folder = spec / "wound-photography"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("title: mine\n", encoding="utf-8")
    assert cli.main(["new", "wound-photography", *ARGS, "--spec", str(spec)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["mine.yaml"]


@pytest.mark.parametrize("argv, message", [
    (["new", "Wound Photography", *ARGS], "not a supplement folder name"),
    (["new", "wound", "--title", " ", "--number", "250", "--wg", "WG-19"], "--title must not be empty"),
    (["new", "wound", "--title", "T", "--number", "0", "--wg", "WG-19"], "positive"),
])
def test_bad_arguments_exit_2_with_a_message(spec: Path, capsys, argv: list[str], message: str) -> None:
    assert cli.main([*argv, "--spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not spec.exists() or not any(spec.iterdir())
