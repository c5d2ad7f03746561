"""The semantic diff between drafts (issue 9): exact changes, no noise from formatting, the three report forms,
git revisions, and the "Changes since" partials.

tests/fixtures/diff/old/ and new/ are two drafts of one small supplement that differ in one (or a few) of each
kind of change; EXPECTED is the list that `dicomsup diff` must report, written out by hand from the fixtures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from build_tools.diff.semantic import KINDS, Change, semantic_diff
from build_tools.diff.report import (document_ids, environment, render_html, render_json, render_text,
                                     settle_anchors)
from build_tools.core.errors import InputError
from build_tools.load.loader import load_supplement
from build_tools.diff.since import Since, changes_since, since_context

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
OLD, NEW = FIXTURES / "old", FIXTURES / "new"
GIT = shutil.which("git")

#: (kind, where, subject, field, old, new) in the order of the document.
EXPECTED = [
    ("front-matter-changed", "", "Supplement 999", "status", "Draft", "Public Comment"),
    ("front-matter-changed", "", "Supplement 999", "version", "0.1", "0.2"),
    ("front-matter-changed", "", "Supplement 999", "date", "2026-01-10", "2026-03-01"),
    ("history-entry-removed", "", "0.0", None, "0.0 2026-01-01 Draft: Outline only.", None),
    ("history-entry-added", "", "0.2", None, None, "0.2 2026-03-01 Public Comment: Draft for public comment."),
    ("history-entry-changed", "", "0.1", "date", "2026-01-10", "2026-01-11"),
    ("open-issue-closed", "", "Should the widget angle be mandatory?", None, None, "Yes; it is Type 1 now."),
    ("open-issue-withdrawn", "", "Is a second light source needed?", None, "Probably not.", None),
    ("open-issue-opened", "", "Which VR suits the widget angle?", None, None, None),
    ("closed-issue-removed", "", "Should the IOD be multi-frame?", None, "No; one image per instance.", None),
    ("closed-issue-added", "", "Is a macro needed?", None, None, "No."),
    ("iod-removed", "", "Old Thing", None, "A.99.2", None),
    ("iod-added", "", "New Thing", None, None, "A.99.3"),
    ("iod-changed", "", "Widget Photography Image", "single_frame", "false", "true"),
    ("module-row-removed", "Widget Photography Image IOD", "General Image", None, "Image / General Image / M", None),
    ("module-row-added", "Widget Photography Image IOD", "Clinical Trial Subject", None, None,
     "Patient / Clinical Trial Subject / U"),
    ("iod-usage-changed", "Widget Photography Image IOD", "General Equipment", "usage", "U", "M"),
    ("module-row-moved", "Widget Photography Image IOD", "SOP Common", None, "after Widget Image",
     "after General Equipment"),
    ("module-row-changed", "Widget Photography Image IOD", "General Acquisition", "ie", "Image", "Acquisition"),
    ("functional-group-removed", "Widget Photography Image IOD", "Frame Content", None, "Frame Content / U", None),
    ("functional-group-added", "Widget Photography Image IOD", "Plane Position (Slide)", None, None,
     "Plane Position (Slide) / U"),
    ("functional-group-changed", "Widget Photography Image IOD", "Pixel Measures", "placement", "either", "shared"),
    ("constraint-removed", "Widget Photography Image IOD", "PatientID", None, "Type 1", None),
    ("constraint-added", "Widget Photography Image IOD", "SpecificCharacterSet", None, None, "Type 1"),
    ("constraint-changed", "Widget Photography Image IOD", "Modality", "values", "WDG", "WDG, WDX"),
    ("module-removed", "", "Old Widget Macro", None, "C.99.2", None),
    ("module-added", "", "Widget Extra Module", None, None, "C.99.3"),
    ("attribute-removed", "Widget Image Module", "WidgetOld", None, "Type 3", None),
    ("attribute-added", "Widget Image Module", "WidgetNew", None, None, "Type 3"),
    ("attribute-moved", "Widget Image Module", "WidgetSerial", None, "after WidgetOld", "first"),
    ("attribute-type-changed", "Widget Image Module", "WidgetAngle", "type", "2", "1"),
    ("enumerated-values-removed", "Widget Image Module", "WidgetMode", None, "AUTO", None),
    ("enumerated-values-added", "Widget Image Module", "WidgetMode", None, None, "MANUAL"),
    ("attribute-condition-changed", "Widget Image Module", "WidgetGel", "condition",
     "Widget Mode (0078,1002) is ON", "Widget Mode (0078,1002) is ON or MANUAL"),
    ("description-reworded", "Widget Image Module", "WidgetLabel", "description", "A label of the widget.",
     "A short label that names the widget."),
    ("defined-terms-removed", "Widget Image Module", "WidgetColor", None, "BLUE", None),
    ("defined-terms-added", "Widget Image Module", "WidgetColor", None, None, "GREEN"),
    ("attribute-changed", "Widget Image Module", "WidgetCodeSequence > include Code Sequence", "baseline_cid",
     "9901", "9902"),
    ("attribute-description-removed", "Widget Image Module", "Widget Old", None,
     "A subsection that the new draft drops.", None),
    ("attribute-description-added", "Widget Image Module", "Widget Mode", None, None,
     "A subsection that the new draft adds."),
    ("module-changed", "", "Widget Detail Module", "section", "C.99.4", "C.99.5"),
    ("amendment-changed", "", "PS3.3 Section C.7.3.1", "changes",
     "The modalities, including widget imaging, are listed below.",
     "The modalities, including widget imaging and widget photography, are listed below."),
    ("section-removed", "", "Section C.98", None, "Old Parent", None),
    ("section-added", "", "Section C.99", None, None, "New Parent"),
    ("section-changed", "", "Section A.99", "title", "Widget IODs", "Widget Image IODs"),
    ("sop-class-removed", "", "OldThingStorage", None, "Old Thing", None),
    ("sop-class-added", "", "NewThingStorage", None, None, "New Thing"),
    ("sop-class-changed", "", "WidgetPhotographyImageStorage", "specialization", None, "B.99"),
    ("data-element-removed", "", "WidgetOld", None, "(0078,1003) Widget Old LO 1", None),
    ("data-element-added", "", "WidgetNew", None, None, "(0078,1005) Widget New LO 1"),
    ("data-element-changed", "", "WidgetAngle", "vr", "DS", "FD"),
    ("data-element-changed", "", "WidgetMode", "vm", "1", "1-n"),
    # Matched by tag, since the keyword changed:
    ("data-element-changed", "", "WidgetColor", "name", "Widget Colour", "Widget Color"),
    ("data-element-changed", "", "WidgetColor", "keyword", "WidgetColour", "WidgetColor"),
    ("uid-removed", "", "OldThingStorage", None, "1.2.826.0.1.3680043.10.999.2", None),
    ("uid-added", "", "NewThingStorage", None, None, "1.2.826.0.1.3680043.10.999.3"),
    ("uid-changed", "", "WidgetPhotographyImageStorage", "value", "1.2.826.0.1.3680043.10.999.1",
     "1.2.826.0.1.3680043.10.999.11"),
    ("amendment-added", "", "PS3.6 Section 6", None, None, "Registry of DICOM Data Elements"),
    ("code-removed", "", "DCM:999002", None, "Old widget", None),
    ("code-added", "", "DCM:999003", None, None, "New widget"),
    ("code-changed", "", "DCM:999001", "meaning", "Widget", "Widget device"),
    ("context-group-removed", "", "CID 9903", None, "Old Types", None),
    ("context-group-added", "", "CID 9904", None, None, "New Types"),
    ("context-group-changed", "", "CID 9901", "version", "20260101", "20260301"),
    ("context-group-row-removed", "CID 9901 Widget Types", "SCT:67890", None, "Other thing", None),
    ("context-group-row-added", "CID 9901 Widget Types", "DCM:999003", None, None, "New widget"),
    ("context-group-row-changed", "CID 9901 Widget Types", "SCT:12345", "meaning", "Thing",
     "Thing (physical object)"),
    ("context-group-row-added", "CID 29 Acquisition Modality", "DCM:999003", None, None, "New widget"),
    ("amendment-removed", "", "PS3.16 Section D", None, "DICOM Controlled Terminology Definitions", None),
    ("annex-changed", "", "Annex ZZZ", "title", "Widgets", "Widget Imaging"),
    ("annex-section-removed", "", "Old Section", None, "A section that the new draft drops.", None),
    ("annex-section-added", "", "New Section", None, None, "ZZZ.2"),
    ("annex-section-changed", "", "Use Cases", "figures", None, "A widget"),
    ("example-removed", "", "old", None, "An example that the new draft drops", None),
    ("example-added", "", "gel", None, None, "An example that the new draft adds"),
    ("example-changed", "", "basic", "values.WidgetAngle", "10", "12"),
]

#: Anchors that the id scheme of build_tools.document.refs gives the places changed (a sample), by (kind, label).
EXPECTED_ANCHORS = {
    ("attribute-type-changed", "Widget Image Module › WidgetAngle"): "table_C.99.1-1",
    ("module-row-moved", "Widget Photography Image IOD › SOP Common"): "table_A.99.1-1",
    ("iod-added", "New Thing"): "sect_A.99.3",
    ("iod-removed", "Old Thing"): "chapter_PS3.3",
    ("data-element-changed", "WidgetAngle"): "para_0b292d1d-1854-56e5-ba9d-3bab715906ac",  # its row's first para
    ("data-element-removed", "WidgetOld"): "table_6-1",
    ("uid-added", "NewThingStorage"): "para_984d3b46-0894-554d-b101-4cb15a480fc8",
    ("code-added", "DCM:999003"): "DCM_999003",
    ("context-group-row-added", "CID 9901 Widget Types › DCM:999003"): "table_CID_9901",
    ("sop-class-added", "NewThingStorage"): "table_B.5-1",
    ("open-issue-closed", "Should the widget angle be mandatory?"): "sect_ClosedIssues",
    ("attribute-description-added", "Widget Image Module › Widget Mode"): "sect_C.99.1.1.2",
    ("constraint-changed", "Widget Photography Image IOD › Modality"): "sect_A.99.1.3.1",
    ("context-group-row-added", "CID 29 Acquisition Modality › DCM:999003"): "table_CID_29",
    ("annex-changed", "Annex ZZZ"): "chapter_ZZZ",
    ("annex-section-added", "New Section"): "sect_ZZZ.2",
    ("functional-group-added", "Widget Photography Image IOD › Plane Position (Slide)"): "table_A.99.1-2",
    ("section-added", "Section C.99"): "sect_C.99",
}


def load(folder: Path):
    findings: list = []
    supplement = load_supplement(folder, findings)
    assert findings == [], f"fixture {folder} must load without findings: {findings}"
    return supplement


def as_tuples(changes: list[Change]) -> list[tuple]:
    return [(c.kind, c.where, c.subject, c.field, c.old, c.new) for c in changes]


@pytest.fixture(scope="module")
def changes() -> list[Change]:
    return semantic_diff(load(OLD), load(NEW))


def test_reports_exactly_the_changes_made(changes):
    assert as_tuples(changes) == EXPECTED


def test_every_listed_kind_is_exercised_and_documented(changes):
    kinds = {c.kind for c in changes}
    assert kinds <= set(KINDS)
    assert set(KINDS) - kinds == set(), "each kind of change needs a case in the fixtures"


def test_anchors_follow_the_document_id_scheme(changes):
    anchors = {(c.kind, c.label): c.anchor for c in changes}
    for key, anchor in EXPECTED_ANCHORS.items():
        assert anchors[key] == anchor, key
    assert all(c.anchor for c in changes if c.part != "Examples"), "only example files lie outside the draft"


def test_every_anchor_is_an_id_of_the_rendered_draft(changes):
    ids = document_ids(load(NEW))
    assert {(c.kind, c.subject, c.anchor) for c in changes if c.anchor and c.anchor not in ids} == set()
    assert settle_anchors(changes, ids) == changes


def test_anchors_missing_from_the_draft_fall_back_to_the_chapter(changes):
    settled = settle_anchors(changes, frozenset({"chapter_PS3.3", "chapter_History"}))
    assert {c.anchor for c in settled if c.part == "PS3.3"} == {"chapter_PS3.3"}
    assert {c.anchor for c in settled if c.part == "Front matter"} == {"chapter_History"}
    assert {c.anchor for c in settled if c.part == "PS3.6"} == {""}


def test_reworded_description_has_a_word_level_diff(changes):
    reworded = next(c for c in changes if c.kind == "description-reworded")
    assert [(s.op, s.text) for s in reworded.words] == [
        ("equal", "A"), ("insert", " short"), ("equal", " label "), ("delete", "of"), ("insert", "that names"),
        ("equal", " the widget.")]


@pytest.mark.parametrize("folder", [OLD, NEW, ROOT / "spec" / "dermoscopy"])
def test_identical_specs_have_no_changes(folder):
    assert semantic_diff(load(folder), load(folder)) == []


def _reformat(source: Path, target: Path, *, flow: bool) -> None:
    """The same content written differently: keys reordered, other indentation, flow or block style, comments,
    and every top-level field in a file of its own."""
    target.mkdir()
    merged: dict = {}
    for path in sorted(source.glob("*.yaml")):
        merged.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    for number, (key, value) in enumerate(sorted(merged.items(), reverse=True)):
        text = yaml.safe_dump({key: value}, sort_keys=not flow, default_flow_style=flow, indent=4, width=50,
                              allow_unicode=True)
        (target / f"part-{number:02d}-{key}.yaml").write_text(f"# {key}, rewritten\n{text}# end\n",
                                                              encoding="utf-8")
    (target / "supplement.yaml").write_text("# The fields are in the other files.\nnumber: "
                                            f"{merged['number']}\n", encoding="utf-8")
    (target / f"part-{list(sorted(merged, reverse=True)).index('number'):02d}-number.yaml").unlink()


@pytest.mark.parametrize("flow", [True, False])
@pytest.mark.parametrize("folder", [OLD, NEW, ROOT / "spec" / "dermoscopy"])
def test_reformatted_yaml_has_no_changes(tmp_path, folder, flow):
    copy = tmp_path / folder.name
    _reformat(folder, copy, flow=flow)
    assert (copy / "supplement.yaml").read_text() != (folder / "supplement.yaml").read_text()
    assert semantic_diff(load(folder), load(copy)) == []


def test_prose_line_breaks_and_block_style_do_not_count(tmp_path):
    copy = tmp_path / "old"
    shutil.copytree(OLD, copy)
    modules = copy / "ps33.yaml"
    text = modules.read_text()
    text = text.replace("        description: A label of the widget.\n",
                        "        description: >\n          A label\n          of the widget.\n")
    text = text.replace("    description: The attributes of a widget image.\n",
                        "    description: |\n      The attributes   of a\n      widget image.\n")
    modules.write_text(text)
    assert semantic_diff(load(OLD), load(copy)) == []
    modules.write_text(text.replace("A label\n          of the widget.", "A label\n          of the gadget."))
    assert as_tuples(semantic_diff(load(OLD), load(copy))) == [
        ("description-reworded", "Widget Image Module", "WidgetLabel", "description", "A label of the widget.",
         "A label of the gadget.")]


def test_a_reordered_list_of_entities_is_not_a_change(tmp_path):
    copy = tmp_path / "new"
    shutil.copytree(NEW, copy)
    registry = copy / "registry.yaml"
    lines = registry.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("data_elements:"))
    lines[start + 1:start + 5] = reversed(lines[start + 1:start + 5])
    registry.write_text("".join(lines))
    assert semantic_diff(load(NEW), load(copy)) == []


# --- Report forms --------------------------------------------------------------------------------------------


def test_text_report_has_one_line_per_change_grouped_by_part(changes):
    report = render_text(changes, load(OLD), load(NEW), ("v1", "v2"))
    lines = report.splitlines()
    assert lines[0].startswith("Supplement 999 Widget Imaging: v1 0.1 (Draft, 2026-01-10) -> v2 0.2")
    change_lines = [line for line in lines if line.startswith("  ")]
    assert len(change_lines) == len(EXPECTED)
    headings = [line for line in lines[1:] if line and not line.startswith(" ")]
    assert headings == ["Front matter (11)", "PS3.3 (34)", "PS3.4 (3)", "PS3.6 (10)", "PS3.16 (11)",
                        "PS3.17 (4)", "Examples (3)"]
    assert "  attribute-type-changed         Widget Image Module › WidgetAngle type: 2 -> 1" in lines
    assert "Widget Image Module › WidgetLabel description: A{+ short+} label [-of-]{+that names+} the widget." \
        in report


def test_json_report_is_valid_and_stable(changes):
    old, new = load(OLD), load(NEW)
    first = render_json(changes, old, new, ("a", "b"))
    again = render_json(semantic_diff(load(OLD), load(NEW)), load(OLD), load(NEW), ("a", "b"))
    assert first == again
    data = json.loads(first)
    assert data["count"] == len(EXPECTED) == len(data["changes"])
    assert data["old"]["version"] == "0.1" and data["new"]["status"] == "Public Comment"
    assert sorted((c["kind"], c["subject"], c["field"], c["old"], c["new"]) for c in data["changes"]) == \
        sorted((k, s, f, o, n) for k, _w, s, f, o, n in EXPECTED)
    assert all(list(c) == sorted(c) for c in data["changes"])
    assert data["changes"][0]["kind"] == "front-matter-changed"


def test_html_page_links_every_change_to_its_anchor(changes):
    page = render_html(changes, load(OLD), load(NEW), ("a", "b"))
    tree = lxml.html.fromstring(page)
    rows = tree.xpath("//table[@class='changes']/tbody/tr")
    assert len(rows) == len(EXPECTED)
    expected = {(c.label, f"index.html#{c.anchor}") for c in changes if c.anchor}
    links = {(a.text_content(), a.get("href")) for a in tree.xpath("//tbody//a")}
    assert links == expected
    for row in rows:
        if "example-" not in row.get("class"):
            assert row.xpath(".//a[starts-with(@href, 'index.html#')]"), lxml.html.tostring(row)
    reworded = tree.xpath("//tr[@class='description-reworded']//td[@class='value']")[0]
    assert [e.text for e in reworded.xpath("ins")] == [" short", "that names"]
    assert [e.text for e in reworded.xpath("del")] == ["of"]
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src]"), "the page is self-contained"


def test_html_escapes_text(tmp_path):
    copy = tmp_path / "new"
    shutil.copytree(NEW, copy)
    (copy / "registry.yaml").write_text((copy / "registry.yaml").read_text().replace(
        "name: Widget New,", "name: Widget <b>New</b>,"))
    page = render_html(semantic_diff(load(OLD), load(copy)), load(OLD), load(copy), ("a", "b"))
    assert "Widget &lt;b&gt;New&lt;/b&gt;" in page and "<b>New</b>" not in page


# --- The command ---------------------------------------------------------------------------------------------


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def test_diff_two_folders_as_json(tmp_path):
    done = run(["diff", "--from", str(OLD), "--to", str(NEW), "--format", "json"], tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(c["kind"], c["subject"]) for c in data["changes"]] == \
        [(c["kind"], c["subject"]) for c in json.loads(render_json(semantic_diff(load(OLD), load(NEW)),
                                                                   load(OLD), load(NEW), ("", "")))["changes"]]


def test_diff_writes_the_html_page(tmp_path):
    out = tmp_path / "changes.html"
    done = run(["diff", str(OLD), str(NEW), "--format", "html", "--out", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(lxml.html.fromstring(out.read_text()).xpath("//tbody/tr")) == len(EXPECTED)


def test_html_page_goes_next_to_the_html_draft_by_default(tmp_path):
    done = run(["diff", "--from", str(OLD), "--to", str(NEW), "--format", "html"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "output" / "new" / "html" / "changes.html").is_file()
    assert done.stdout == "" and "wrote output/new/html/changes.html" in done.stderr


def test_identical_folders_exit_0_with_no_changes(tmp_path):
    done = run(["diff", str(OLD), str(OLD)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith(": 0 changes")


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose spec/widget/ is the old fixture in its first commit and the new one in its second;
    the working tree then holds a third, uncommitted version."""
    if GIT is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    spec = root / "spec" / "widget"
    shutil.copytree(OLD, spec)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "old draft")
    _git(root, "tag", "v0.1")
    shutil.rmtree(spec)
    shutil.copytree(NEW, spec)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "new draft")
    (spec / "supplement.yaml").write_text((spec / "supplement.yaml").read_text().replace(
        "title: Widget Imaging", "title: Widget Imaging Objects"))
    return root


def test_diff_two_git_revisions(repo):
    status = _git(repo, "status", "--porcelain")
    done = run(["diff", "HEAD~1", "HEAD", "--supplement", "widget", "--format", "json"], repo)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert sorted((c["kind"], c["subject"], c["old"], c["new"]) for c in data["changes"]) == \
        sorted((k, s, o, n) for k, _w, s, _f, o, n in EXPECTED)
    assert data["old"]["source"] == "HEAD~1" and data["new"]["source"] == "HEAD"
    assert _git(repo, "status", "--porcelain") == status, "the working tree and index are untouched"


def test_diff_two_revisions_in_a_clean_clone(repo, tmp_path):
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(repo), str(clone))
    done = run(["diff", "HEAD~1", "HEAD"], clone)
    assert done.returncode == 0, done.stderr
    assert f": {len(EXPECTED)} changes" in done.stdout.splitlines()[0]
    assert _git(clone, "status", "--porcelain") == ""


def test_diff_revision_against_working_tree_from_a_subfolder(repo):
    done = run(["diff", "HEAD", "--spec", "../../spec"], repo / "spec" / "widget")
    assert done.returncode == 0, done.stderr
    assert "front-matter-changed           Supplement 999 title: Widget Imaging -> Widget Imaging Objects" \
        in done.stdout
    assert "1 change" in done.stdout.splitlines()[0]


def test_diff_tag_against_folder(repo):
    done = run(["diff", "v0.1", "--to", str(NEW)], repo)
    assert done.returncode == 0, done.stderr
    assert f": {len(EXPECTED)} changes" in done.stdout.splitlines()[0]


@pytest.mark.parametrize("args", [["diff", "no-such-rev", "HEAD"], ["diff", "HEAD", "no/such/folder"],
                                  ["diff", "HEAD~1", "HEAD", "--supplement", "nothing"], ["diff"]])
def test_bad_revision_or_folder_exits_2_with_one_line(repo, args):
    done = run(args, repo)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr


def test_bad_revision_outside_git_exits_2(tmp_path):
    done = run(["diff", "HEAD", str(NEW)], tmp_path)
    assert done.returncode == 2
    assert "not in a git repository" in done.stderr and len(done.stderr.strip().splitlines()) == 1


# --- Changes since ---------------------------------------------------------------------------------------------


def test_changes_since_a_revision(repo):
    label, found = changes_since(repo / "spec" / "widget", "v0.1")
    assert label == "0.1"
    retitled = ("front-matter-changed", "", "Supplement 999", "title", "Widget Imaging", "Widget Imaging Objects")
    assert as_tuples(found) == [retitled] + EXPECTED
    label, found = changes_since(repo / "spec" / "widget", "HEAD")
    assert (label, as_tuples(found)) == ("0.2 (HEAD)", [retitled])


def test_changes_since_a_bad_revision_is_input_error(repo):
    with pytest.raises(InputError) as raised:
        changes_since(repo / "spec" / "widget", "v9.9")
    assert "v9.9" in str(raised.value) and len(str(raised.value).splitlines()) == 1


def _since(changes: list[Change], ids=None) -> Since:
    return Since("0.1", "v0.1", changes, ids)


def test_html_changes_since_chapter(changes):
    html = environment("html").get_template("changes-since.html.j2").render(since=_since(changes))
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//h2")[0].text == "Changes since 0.1"
    reworded = tree.xpath("//tr[@class='description-reworded']//td[@class='value']")[0]
    assert [e.text for e in reworded.xpath("ins")] == [" short", "that names"]
    assert [e.text for e in reworded.xpath("del")] == ["of"]
    assert tree.xpath("//tr[@class='attribute-type-changed']//a/@href") == ["#table_C.99.1-1"]
    assert environment("html").get_template("changes-since.html.j2").render(since=None).strip() == ""


def test_docbook_changes_since_chapter_is_well_formed_and_links_only_known_ids(changes):
    from lxml import etree

    template = environment("docbook").get_template("changes-since.xml.j2")
    xml = template.render(since=_since(changes, frozenset({"table_C.99.1-1"})))
    chapter = etree.fromstring(f'<book xmlns="http://docbook.org/ns/docbook" '
                               f'xmlns:xl="http://www.w3.org/1999/xlink">{xml}</book>'.encode())
    ns = {"db": "http://docbook.org/ns/docbook"}
    assert chapter.xpath("//db:chapter/db:title", namespaces=ns)[0].text == "Changes since 0.1"
    assert set(chapter.xpath("//db:link/@linkend", namespaces=ns)) == {"table_C.99.1-1"}
    underline = chapter.xpath("//db:emphasis[@role='underline']/text()", namespaces=ns)
    struck = chapter.xpath("//db:emphasis[@role='strikethrough']/text()", namespaces=ns)
    assert "that names" in underline and "of" in struck
    assert len(chapter.xpath("//db:tbody/db:row", namespaces=ns)) == len(EXPECTED)


def test_since_context_is_none_without_a_revision():
    assert since_context(NEW, None) is None


def test_docbook_chapter_included_in_the_supplement_is_valid_docbook(changes):
    """templates/docbook/supplement.xml.j2 includes the chapter when `since` is given; the book stays valid."""
    from lxml import etree

    from build_tools.outputs import docbook
    from build_tools.document.build import build_document
    from build_tools.standard.index import Index

    if not docbook.SCHEMA.is_file():
        pytest.skip("DocBook 5.0 schema not installed (apt install docbook5-xml)")
    new = load(NEW)
    document, _warnings = build_document(new, Index(new))
    ids = document_ids(new)
    since = Since("0.1", "v0.1", settle_anchors(changes, ids), ids)
    text = docbook.render(document, ROOT / "templates", since)
    assert docbook.validate_text(text.encode("utf-8")) == []
    book = etree.fromstring(text.encode("utf-8"))
    ns = {"db": "http://docbook.org/ns/docbook", "xml": "http://www.w3.org/XML/1998/namespace"}
    links = book.xpath("//db:chapter[@xml:id='chapter_ChangesSince']//db:link/@linkend", namespaces=ns)
    assert len(links) == len(changes) - 3, "every change links, except the 3 about example files"
    assert set(links) <= ids
    plain = docbook.render(document, ROOT / "templates")
    assert "chapter_ChangesSince" not in plain


def test_html_chapter_included_in_the_draft_links_to_ids_of_the_page(changes):
    """templates/html/supplement.html.j2 includes the chapter when `since` is given; every link resolves."""
    from build_tools.outputs import html
    from build_tools.standard.index import Index
    from build_tools.document.build import build_document

    new = load(NEW)
    document, _warnings = build_document(new, Index(new))
    ids = document_ids(new)
    page = html.render(document, ROOT / "templates", Since("0.1", "v0.1", settle_anchors(changes, ids), ids))
    tree = lxml.html.fromstring(page)
    all_ids = tree.xpath("//@id")
    assert len(all_ids) == len(set(all_ids)), "ids stay unique"
    links = tree.xpath("//section[@id='chapter_ChangesSince']//a/@href")
    assert len(links) == len(changes) - 3, "every change links, except the 3 about example files"
    assert {link[1:] for link in links} <= set(all_ids)
    assert tree.xpath("//nav[@id='html-toc']//a[@href='#chapter_ChangesSince']"), "the contents list the chapter"
    assert "chapter_ChangesSince" not in html.render(document, ROOT / "templates")
