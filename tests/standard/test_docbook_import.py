"""``dicomsup baseline import DIR``: a baseline from the standard's own DocBook, and ``DICOMSUP_BASELINE``.

The real DocBook (2013 PS3.4, PS3.6, PS3.17 and the 2016c PS3.3 excerpt) is read from the shared folder at test
time (``DICOMSUP_DOCBOOK`` overrides where it is); nothing of it is copied here. PS3.16 is a made-up fixture.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from build_tools.commands import main as cli
from build_tools.core.errors import InputError
from build_tools.standard import baseline, docbook_read, store
from build_tools.standard.docbook_import import import_folder

ROOT = Path(__file__).resolve().parents[2]
DOCBOOK = Path(os.environ.get("DICOMSUP_DOCBOOK", ROOT.parent / "shared" / "standard" / "docbook"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def _docbook() -> Path:
    if not (DOCBOOK / "2013" / "part06.xml").is_file():
        assert not os.environ.get("CI"), f"CI must have the standard's DocBook at {DOCBOOK}"
        pytest.skip(f"the standard's DocBook is not at {DOCBOOK} (set DICOMSUP_DOCBOOK to its folder)")
    return DOCBOOK


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> Path:
    """A folder with the 2013 parts and the 2016c PS3.3 excerpt (links, not copies)."""
    source = _docbook()
    folder = tmp_path_factory.mktemp("docbook")
    for path in [*sorted((source / "2013").glob("part*.xml")), source / "2016c-excerpt" / "part03.xml"]:
        (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture(scope="module")
def imported(parts: Path):
    return import_folder(parts)


@pytest.fixture(scope="module")
def written(parts: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("imported") / "baseline-import"
    assert cli.main(["baseline", "import", str(parts), "--out", str(out)]) == 0
    return out


@pytest.fixture
def configured(written: Path, monkeypatch):
    """``DICOMSUP_BASELINE`` set to the imported baseline for one test (the caches forgotten before and after)."""
    monkeypatch.setenv(store.ENV, str(written))
    baseline.reset()
    yield written
    monkeypatch.delenv(store.ENV)
    baseline.reset()


# --- facts of the editions --------------------------------------------------------------------------------------


def test_ps36_registry_rows(imported):
    rows = {e["tag"]: e for e in imported.files["baseline-registry.json"]["data_elements"]}
    assert rows["(0010,0010)"] == {"tag": "(0010,0010)", "name": "Patient's Name", "keyword": "PatientName",
                                   "vr": "PN", "vm": "1", "retired": False, "table": "6-1"}
    assert rows["(0008,0010)"]["retired"] is True  # Recognition Code, RET in 2013
    assert "\u200b" not in json.dumps(rows)
    uids = {u["uid"]: u for u in imported.files["baseline-registry.json"]["uids"]}
    assert uids["1.2.840.10008.1.2"]["type"] == "Transfer Syntax"
    # the UID whose cell holds the two bogus <200b> tags: recovered, and cleaned
    assert "1.2.840.10008.5.1.4.1.2.5.3" in uids
    assert imported.counts["PS3.6"]["data_elements"] > 3000 and imported.counts["PS3.6"]["uids"] > 300


def test_ps36_malformation_is_a_located_warning(imported):
    recovered = [str(w) for w in imported.warnings if "part06.xml" in w.loc.file]
    assert [w.split(": warning: ")[0].rsplit("/", 1)[1] for w in recovered] == ["part06.xml:84747:43",
                                                                                 "part06.xml:84747:51"]
    assert all("'<200b>' is no tag; read as text" in w for w in recovered)
    info = {f["part"]: f for f in imported.files["baseline.json"]["docbook"]["files"]}
    assert info["PS3.6"]["recovered"] is True and info["PS3.4"]["recovered"] is False


def test_ps34_storage_sop_classes(imported):
    summary = imported.files["baseline.json"]
    sop = {s["uid"]: s for s in summary["sop_classes"]}
    assert sop["1.2.840.10008.5.1.4.1.1.77.1.4"]["name"] == "VL Photographic Image Storage"
    assert sop["1.2.840.10008.5.1.4.1.1.2"]["iod"] == "CT Image"  # the excerpt has the CT Image IOD
    media = {s["uid"]: s for s in summary["media_storage_sop_classes"]}
    assert media["1.2.840.10008.5.1.4.1.1.77.1.4"]["iod_section"] == "A.32.4"
    assert imported.counts["PS3.4"]["storage_sop_classes"] > 100


def test_ps317_annexes(imported):
    annexes = {a["label"]: a for a in imported.files["baseline.json"]["annexes"]}
    assert annexes["A"]["id"] == "chapter_A" and annexes["A"]["title"].endswith("(Normative)")
    assert "1" in annexes and imported.counts["PS3.17"]["annexes"] > 50


def test_ps33_module_table_of_the_excerpt(imported):
    modules = {m["name"]: m for m in imported.files["baseline-modules.json"]["modules"]}
    patient = modules["Patient"]
    assert (patient["kind"], patient["section"], patient["table"]) == ("module", "C.7.1.1", "C.7-1")
    first = patient["rows"][0]
    assert (first["a"], first["g"], first["t"], first["nm"]) == ("PatientName", "(0010,0010)", "2", "Patient's Name")
    assert {"m": "Issuer of Patient ID"} in patient["rows"]
    series = modules["General Series"]
    nested = next(r for r in series["rows"] if r["a"] == "ReferencedPerformedProcedureStepSequence")
    assert nested["i"] and {"m": "SOP Instance Reference"} in nested["i"]  # ">Include" nested in the sequence
    assert modules["Pixel Measures"]["kind"] == "functional group macro"
    assert "Image Pixel Macro" in modules and modules["Image Pixel"]["kind"] == "module"


def test_ps33_iods_of_the_excerpt(imported):
    iods = {i["name"]: i for i in imported.files["baseline-iods.json"]["iods"]}
    ct = iods["CT Image"]
    assert (ct["section"], ct["table"]) == ("A.3", "A.3-1")
    assert ct["modules"][0] == {"ie": "Patient", "module": "Patient", "section": "C.7.1.1", "usage": "M"}
    assert any(r["usage"] == "C" and r.get("condition") for r in ct["modules"])
    groups = iods["Enhanced CT Image"]["functional_groups"]
    assert groups[0]["macro"] == "Pixel Measures" and groups[0]["table"] == "C.7.6.16-2"


def test_duplicate_ids_are_warnings_not_fatal(imported):
    part = imported.parts["PS3.3"]
    duplicates = docbook_read.duplicate_ids(part)
    assert len(duplicates) == 102 and "sect_C.8.8.4" in duplicates
    assert imported.counts["PS3.3"]["duplicate_ids"] == 102
    assert any("'RT DVH' (Table C.8-40) is defined again" in w.message for w in imported.warnings)


def test_sections_tables_edition_and_digests(imported, parts):
    summary = imported.files["baseline.json"]
    assert summary["docbook"]["edition"] == {"PS3.3": "2016c", "PS3.4": "2013", "PS3.6": "2013", "PS3.17": "2013"}
    for info in summary["docbook"]["files"]:
        assert info["sha256"] == hashlib.sha256((parts / info["file"]).read_bytes()).hexdigest()
    text = imported.files["baseline-text.json"]
    section = next(s for s in text["sections"] if s["id"] == "sect_8.8")
    assert section["part"] == "PS3.3" and section["paras"][0][0].startswith("para_")
    assert section["paras"][0][1].startswith("Table 8.8-1 specifies")  # the xref written out
    table = next(t for t in text["tables"] if t["id"] == "table_6-1")
    assert table["head"][:3] == ["Tag", "Name", "Keyword"] and len(table["rows"]) > 3000


def test_a_sections_own_defined_terms_are_imported_as_lists(imported):
    """Defined Terms written in a section's text (C.7.3.1.1.1 Modality) come with the section, so that an amendment
    of them can be checked against the edition."""
    text = imported.files["baseline-text.json"]
    section = next(s for s in text["sections"] if s.get("label") == "C.7.3.1.1.1")
    titles = [found["title"] for found in section["lists"]]
    assert titles[0] == "Defined Terms:" and "Retired Defined Terms:" in titles
    terms = dict(section["lists"][0]["entries"])
    assert terms["CT"] == "Computed Tomography" and "DMS" not in terms  # 2016c: before Supplement 221
    plain = next(s for s in text["sections"] if s["id"] == "sect_8.8")
    assert "lists" not in plain


def test_ps316_context_groups_and_codes(tmp_path):
    result = import_folder(FIXTURES / "docbook-ps316")
    groups = {g["cid"]: g for g in result.files["baseline-registry.json"]["context_groups"]}
    assert groups[99001] == {"cid": 99001, "name": "Widget Shapes", "keyword": "WidgetShapes", "type": "Extensible",
                             "version": "20990101", "uid": "1.2.840.10008.6.1.99001",
                             "rows": [{"scheme": "DCM", "value": "WDG001", "meaning": "Round widget"},
                                      {"include": 99002}]}
    assert groups[99002]["keyword"] == "AngularWidgetShapes" and groups[99002]["type"] == "Non-Extensible"
    codes = result.files["baseline-registry.json"]["codes"]
    assert [c["value"] for c in codes] == ["WDG001", "WDG002"] and codes[1]["notes"] == "Retired"
    assert result.files["baseline.json"]["docbook"]["edition"] == {"PS3.16": "2099z"}


def test_command_writes_five_files_and_leaves_no_temporary(written):
    assert sorted(p.name for p in written.iterdir()) == sorted(
        ["baseline.json", "baseline-modules.json", "baseline-iods.json", "baseline-registry.json",
         "baseline-text.json"])
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".")]  # no temporary left


def test_command_prints_counts_per_part_and_the_edition(parts, tmp_path, capsys):
    out = tmp_path / "b"
    assert cli.main(["baseline", "import", str(parts), "--out", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    lines = stdout.splitlines()
    assert any(line.startswith("PS3.3 2016c (part03.xml): ") and "modules" in line and "102 duplicate ids" in line
               for line in lines)
    assert any(line.startswith("PS3.6 2013 (part06.xml): ") and "data elements" in line for line in lines)
    assert "edition: PS3.3 2016c; PS3.4 2013; PS3.6 2013; PS3.17 2013 (from DocBook)" in lines
    assert "part06.xml:84747:43: warning:" in stderr and "more duplicate xml:id warnings" in stderr


# --- hostile and broken input ---------------------------------------------------------------------------------------

BOOK = '<book xmlns="http://docbook.org/ns/docbook" label="PS3.6"><title>PS3.6</title>{}</book>'
HOSTILE = {
    "external entity": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                       + BOOK.format("&e;"),
    "billion laughs": '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
                      + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
                                for i in range(1, 10)) + "]>\n" + BOOK.format("&lol9;"),
    "network DTD": '<?xml version="1.0"?>\n<!DOCTYPE book SYSTEM "http://example.invalid/docbook.dtd">\n'
                   + BOOK.format(""),
    "not XML": "Tag,Name,Keyword\n(0010,0010),Patient's Name,PatientName\n",
    "not DocBook": '<?xml version="1.0"?>\n<html><body/></html>\n',
    "truncated": '<?xml version="1.0"?>\n' + BOOK.format("<chapter><title>x</title>")[:-20],
    "bogus tag and truncated": '<?xml version="1.0"?>\n' + BOOK.format("<chapter><title>a<200b>b</title>")[:-20],
}
EXPECTED = {"external entity": ":2:1: error: refused: an external entity declaration",
            "billion laughs": ":2:1: error: refused: an entity declaration",
            "network DTD": ":2:1: error: refused: a DTD reference over the network",
            "not XML": ":1:1: error: not well-formed XML",
            "not DocBook": "error: not a DocBook 5 book",
            "truncated": "error: not well-formed XML",
            "bogus tag and truncated": "error: not well-formed XML: "}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_one_located_error_and_nothing_written(case, tmp_path, capsys):
    source = tmp_path / "in"
    source.mkdir()
    (source / "part06.xml").write_text(HOSTILE[case], encoding="utf-8")
    out = tmp_path / "out" / "baseline-import"
    assert cli.main(["baseline", "import", str(source), "--out", str(out)]) == 2
    stdout, stderr = capsys.readouterr()
    first, *rest = stderr.splitlines()
    assert first.startswith(str(source / "part06.xml")) and EXPECTED[case] in first, first
    assert rest == [f"baseline import: nothing written to {out}"] and stdout == ""
    if case == "bogus tag and truncated":  # the bogus tag is repaired, the truncation is fatal
        assert "<200b>" not in first and "Premature end of data" in first
    assert not out.exists() and not (tmp_path / "out").exists()


def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch, capsys):
    source = tmp_path / "in"
    source.mkdir()
    (source / "part17.xml").write_text(BOOK.format("<chapter label='A'><title>x</title></chapter>"))
    monkeypatch.setattr(docbook_read, "MAX_BYTES", 64)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read despite the limit"))
    assert cli.main(["baseline", "import", str(source), "--out", str(tmp_path / "out")]) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(str(source / "part17.xml")) and "error: refused: " in first
    assert first.endswith("bytes is over the limit of 64 bytes for one part")
    assert not (tmp_path / "out").exists()


def test_a_failed_import_keeps_the_previous_baseline(tmp_path, capsys):
    out = tmp_path / "baseline-import"
    assert cli.main(["baseline", "import", str(FIXTURES / "docbook-ps316"), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "part16.xml").write_text(HOSTILE["external entity"])
    assert cli.main(["baseline", "import", str(bad), "--out", str(out)]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "baseline-import"]


def test_an_out_folder_that_is_not_a_baseline_is_never_replaced(tmp_path, capsys):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\n")
    assert cli.main(["baseline", "import", str(FIXTURES / "docbook-ps316"), "--out", str(project)]) == 2
    assert "is not a baseline folder (it holds 'pyproject.toml')" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
    assert [p.name for p in project.iterdir()] == ["pyproject.toml"]


def test_a_folder_without_parts_is_an_error(tmp_path, capsys):
    assert cli.main(["baseline", "import", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "no part03.xml" in capsys.readouterr().err


# --- the imported baseline in use ------------------------------------------------------------------------------------


def test_committed_baseline_by_default(monkeypatch):
    monkeypatch.delenv(store.ENV, raising=False)
    baseline.reset()
    assert baseline.describe().startswith("baseline: ") and baseline.describe().endswith("(committed)")


def test_configured_baseline_serves_lookups(configured):
    assert baseline.describe() == (f"baseline: PS3.3 2016c; PS3.4 2013; PS3.6 2013; PS3.17 2013 (from DocBook) "
                                   f"({configured}, from {store.ENV})")
    patient = baseline.module("Patient")
    assert patient is not None and patient.attributes[0].attribute == "PatientName"
    assert baseline.iod("CT Image").table == "A.3-1"
    assert baseline.sop_class("1.2.840.10008.5.1.4.1.1.77.1.4").name == "VL Photographic Image Storage"
    assert baseline.module("Dermoscopic Image") is None and "Enhanced CT Image" in baseline.module_names()


def test_a_missing_configured_baseline_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "nowhere"))
    baseline.reset()
    try:
        with pytest.raises(InputError, match="nowhere/baseline.json"):
            baseline.edition()
    finally:
        monkeypatch.delenv(store.ENV)
        baseline.reset()


def test_imported_baseline_drives_lint_and_build(configured, tmp_path, capsys):
    spec = tmp_path / "spec"
    shutil.copytree(MINIMAL, spec / "minimal")
    assert cli.main(["lint", "--spec", str(spec)]) == 0, capsys.readouterr()
    capsys.readouterr()
    out = tmp_path / "output"
    assert cli.main(["build", "--spec", str(spec), "--out", str(out), "--quiet"]) == 0, capsys.readouterr()
    _stdout, stderr = capsys.readouterr()
    assert "0 errors, 0 warnings" in stderr
    assert (out / "minimal" / "examples" / "red-marker.dcm").is_file()
    docbook = (out / "minimal" / "docbook").glob("*.xml")
    assert any("Lesion Marker" in p.read_text(encoding="utf-8") for p in docbook)
