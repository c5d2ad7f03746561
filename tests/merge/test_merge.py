"""``dicomsup merge``: the Dermoscopy supplement merged into the 2013 PS3.4, PS3.6 and PS3.17 DocBook, and a
fixture supplement amending a module of the 2016c PS3.3 excerpt.

Each folder is parsed and merged once per module (fixtures); the merged parts are checked for schema validity
(against what the base part already breaks), for ids (no new duplicate, no new dangling IDREF) and for the new
content at its place; the "with changes" copies carry ``revisionflag``; refusals are located.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from build_tools.core.errors import Severity
from build_tools.load.loader import load_supplement
from build_tools.merge.run import merge_folder, run, serialize
from build_tools.outputs import docbook
from build_tools.standard.docbook_read import read_part

ROOT = Path(__file__).resolve().parents[2]
STANDARD = Path("/work/shared/standard/docbook")
D2013 = Path(__file__).resolve().parents[3] / "shared" / "standard" / "docbook" / "2013"
if not D2013.is_dir():
    D2013 = STANDARD / "2013"
D2016 = D2013.parent / "2016c-excerpt"
DERMOSCOPY = ROOT / "spec" / "dermoscopy"
PS33_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ps33-module"
NS = {"d": "http://docbook.org/ns/docbook"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

pytestmark = pytest.mark.skipif(not (D2013 / "part04.xml").is_file(), reason=f"no standard DocBook at {D2013}")


def ids(root) -> list[str]:
    return [e.get(XML_ID) for e in root.iter() if isinstance(e.tag, str) and e.get(XML_ID)]


def duplicates(root) -> set[str]:
    seen, twice = set(), set()
    for value in ids(root):
        (twice if value in seen else seen).add(value)
    return twice


def dangling(root) -> set[str]:
    present = set(ids(root))
    return {link.get("linkend") for link in root.iter("{%s}xref" % NS["d"], "{%s}link" % NS["d"])
            if link.get("linkend") and link.get("linkend") not in present}


def cell_texts(tr) -> list[str]:
    return [" ".join("".join(td.itertext()).split()) for td in tr.xpath("d:td", namespaces=NS)]


class Merge:
    def __init__(self, folder: Path, spec: Path):
        self.supplement = load_supplement(spec)
        self.results, self.findings = merge_folder(folder, self.supplement)
        self.by_label = {r.label: r for r in self.results}

    def part(self, label: str, marked: bool = False):
        result = self.by_label[label]
        return result.marked if marked else result.merged


@pytest.fixture(scope="module")
def derm() -> Merge:
    return Merge(D2013, DERMOSCOPY)


@pytest.fixture(scope="module")
def ps33() -> Merge:
    if not (D2016 / "part03.xml").is_file():
        pytest.skip("no 2016c PS3.3 excerpt")
    return Merge(D2016, PS33_FIXTURE)


def test_dermoscopy_merges_without_findings(derm: Merge) -> None:
    assert [f for f in derm.findings if f.severity == Severity.ERROR] == []
    assert sorted(derm.by_label) == ["PS3.17", "PS3.4", "PS3.6"]  # the folder has no part03 or part16


JING = shutil.which("jing")
RNG = docbook.SCHEMA


def validate_all(paths: list[Path]) -> dict[str, list[str]]:
    """Schema problems of each file: one jing run for all of them (one JVM start), else lxml's RELAX NG."""
    if JING is None:
        return {str(p): docbook.validate(p) for p in paths}
    done = subprocess.run([JING, str(RNG), *map(str, paths)], capture_output=True, text=True, timeout=600)
    problems: dict[str, list[str]] = {str(p): [] for p in paths}
    for line in (done.stdout + done.stderr).splitlines():
        found = re.match(r"(.+?):(\d+):(\d+): (?:error|fatal): (.*)", line)
        if found and found.group(1) in problems:
            problems[found.group(1)].append(found.group(4))
    return problems


@pytest.fixture(scope="module")
def derm_validated(derm: Merge, tmp_path_factory) -> dict[tuple[str, bool], list[str]]:
    folder = tmp_path_factory.mktemp("merged")
    paths = {}
    for result in derm.results:
        for marked, root in ((False, result.merged), (True, result.marked)):
            path = folder / f"{result.label}-{marked}.xml"
            path.write_bytes(serialize(root))
            paths[(result.label, marked)] = path
    problems = validate_all(list(paths.values()))
    return {key: problems[str(path)] for key, path in paths.items()}


@pytest.mark.parametrize("label", ["PS3.4", "PS3.6", "PS3.17"])
@pytest.mark.parametrize("marked", [False, True], ids=["merged", "with-changes"])
def test_merged_part_is_valid_docbook(derm: Merge, derm_validated, label: str, marked: bool) -> None:
    """Valid DocBook 5 (jing) but for what the base part breaks already (PS3.4 2013: one Foreword xref); no
    duplicate id and no dangling IDREF that the base part does not have."""
    result = derm.by_label[label]
    root = derm.part(label, marked)
    base_dangling = dangling(result.base.root)
    problems = [p for p in derm_validated[(label, marked)]
                if not any(f'"{target}"' in p for target in base_dangling)]
    assert problems == []
    assert duplicates(root) == duplicates(result.base.root) == set()
    assert dangling(root) == base_dangling
    if label == "PS3.4":  # the validator did run: it reports what the 2013 part breaks itself
        assert base_dangling == {"biblio_ISODirectives3"}
        assert any("biblio_ISODirectives3" in p for p in derm_validated[(label, marked)])


def test_merged_copy_has_no_change_marks(derm: Merge) -> None:
    marks = "//d:emphasis[@role='underline' or @role='strikethrough']"
    for result in derm.results:
        assert not result.merged.xpath("//*[@revisionflag]")
        assert len(result.merged.xpath(marks, namespaces=NS)) == len(result.base.root.xpath(marks, namespaces=NS))


def _row_of(root, table_id: str, text: str):
    rows = root.xpath(f"//d:table[@xml:id='{table_id}']/d:tbody/d:tr", namespaces=NS)
    found = [n for n, tr in enumerate(rows) if text in cell_texts(tr)]
    assert len(found) == 1, (table_id, text, len(found))
    return rows, found[0]


@pytest.mark.parametrize("table_id", ["table_B.5-1", "table_I.4-1"])
def test_sop_class_rows(derm: Merge, table_id: str) -> None:
    """The Storage SOP Class follows VL Whole Slide Microscopy (…77.1.6) in both PS3.4 tables, with the IOD by
    olink to PS3.3 (select: title), in the 2013 table's three columns."""
    rows, at = _row_of(derm.part("PS3.4"), table_id, "1.2.840.10008.5.1.4.1.1.77.1.7")
    assert cell_texts(rows[at - 1])[1] == "1.2.840.10008.5.1.4.1.1.77.1.6"
    assert cell_texts(rows[at])[0] == "Dermoscopic Photography Image Storage"
    assert len(rows[at].xpath("d:td", namespaces=NS)) == 3
    olink = rows[at].xpath(".//d:olink", namespaces=NS)
    assert [(o.get("targetdoc"), o.get("targetptr"), o.get("xrefstyle")) for o in olink] == \
        [("PS3.3", "sect_A.32.11", "select: title")]
    marked_rows, marked_at = _row_of(derm.part("PS3.4", True), table_id, "1.2.840.10008.5.1.4.1.1.77.1.7")
    assert marked_rows[marked_at].get("revisionflag") == "added"


def test_registry_rows_in_tag_order(derm: Merge) -> None:
    root = derm.part("PS3.6")
    rows = root.xpath("//d:table[@xml:id='table_6-1']/d:tbody/d:tr", namespaces=NS)
    tags = [cell_texts(tr)[0] for tr in rows]
    new = [f"(0016,100{n})" for n in range(1, 6)]
    at = tags.index(new[0])
    assert tags[at:at + 5] == new
    assert tags[at - 1] < new[0] and tags[at + 5] > new[-1]  # between its neighbours, as the registry sorts
    assert cell_texts(rows[at + 3])[1:5] == ["Immersion Media", "ImmersionMedia", "CS", "1-n"]
    assert all(len(tr.xpath("d:td", namespaces=NS)) == 6 for tr in rows[at:at + 5])


def test_uid_row(derm: Merge) -> None:
    rows, at = _row_of(derm.part("PS3.6"), "table_A-1", "1.2.840.10008.5.1.4.1.1.77.1.7")
    assert cell_texts(rows[at - 1])[0].replace("\u200b", "") == "1.2.840.10008.5.1.4.1.1.77.1.6"
    # 2013's Table A-1 has no UID Keyword column: the row follows the part's four columns.
    assert cell_texts(rows[at]) == ["1.2.840.10008.5.1.4.1.1.77.1.7", "Dermoscopic Photography Image Storage",
                                    "SOP Class", ""]
    part = rows[at].xpath("d:td[4]//d:olink", namespaces=NS)[0]
    assert (part.get("targetdoc"), part.get("targetptr"), part.get("xrefstyle")) == \
        ("PS3.4", "PS3.4", "select: labelnumber")


def test_annex_is_a_chapter_after_the_last_annex(derm: Merge) -> None:
    root = derm.part("PS3.17")
    chapters = root.xpath("d:chapter", namespaces=NS)
    labels = [c.get("label") for c in chapters]
    annex = root.xpath("d:chapter[@xml:id='chapter_TTTT']", namespaces=NS)
    assert len(annex) == 1 and annex[0].get("label") == "TTTT" and annex[0].get("status") == "1"
    assert labels.index("TTTT") == labels.index("NNN") + 1  # 2013's last annex
    sections = annex[0].xpath("d:section/@xml:id", namespaces=NS)
    assert sections == ["sect_TTTT.1", "sect_TTTT.2"]
    figures = annex[0].xpath(".//d:figure//d:imagedata/@fileref", namespaces=NS)
    assert figures and all(re.fullmatch(r"figures/PS3\.17_TTTT\.\d+(\.\d+)?-\d+\.svg", f) for f in figures)
    # Its references into its own annex are xrefs that resolve; into PS3.3 olinks.
    assert not dangling(annex[0].getroottree().getroot()) - dangling(derm.by_label["PS3.17"].base.root)
    assert annex[0].xpath(".//d:olink[@targetdoc='PS3.3']", namespaces=NS)
    marked = derm.part("PS3.17", True).xpath("d:chapter[@xml:id='chapter_TTTT']", namespaces=NS)[0]
    assert marked.get("revisionflag") == "added"


def test_merge_writes_both_copies_atomically_and_deterministically(derm: Merge, tmp_path: Path) -> None:
    from build_tools.merge.run import write

    written = write(derm.results, tmp_path)
    assert sorted(p.name for p in written if p.parent == tmp_path) == [
        "part04-changes.xml", "part04.xml", "part06-changes.xml", "part06.xml", "part17-changes.xml", "part17.xml"]
    # The figures the merged PS3.17 refers to, under the standard's names, copied from the supplement folder.
    figures = sorted(p for p in written if p.parent != tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in figures] == [
        f"figures/PS3.17_TTTT.{n}.svg" for n in ("1-1", "1-2", "2-1", "2-2")]
    referred = set(re.findall(r'fileref="(figures/PS3\.17_TTTT[^"]*)"', (tmp_path / "part17.xml").read_text()))
    assert referred == {p.relative_to(tmp_path).as_posix() for p in figures}
    assert figures[-1].read_bytes() == (DERMOSCOPY / "figures" / "tracking.svg").read_bytes()
    assert not list(tmp_path.rglob(".*.tmp"))
    again = write(derm.results, tmp_path / "again")
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(written, again))
    assert written[0].read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8' standalone='no'?>")
    import os

    mask = os.umask(0o022)
    try:  # readable as any document written with this umask: not the temporary file's 0600
        fresh = write(derm.results, tmp_path / "mode")
    finally:
        os.umask(mask)
    assert {p.stat().st_mode & 0o777 for p in fresh} == {0o644}


# --- PS3.3 2016c excerpt --------------------------------------------------------------------------------------


def test_ps33_fixture_merges(ps33: Merge) -> None:
    assert [f for f in ps33.findings if f.severity == Severity.ERROR] == []
    result = ps33.by_label["PS3.3"]
    for marked in (False, True):
        root = ps33.part("PS3.3", marked)
        assert duplicates(root) == duplicates(result.base.root)  # only the excerpt's own 102
        assert dangling(root) == dangling(result.base.root)


def test_ps33_new_module_after_its_preceding_sibling(ps33: Merge) -> None:
    root = ps33.part("PS3.3")
    parent = root.xpath("//d:section[@xml:id='sect_C.7.6']", namespaces=NS)[0]
    labels = [s.get("label") for s in parent.xpath("d:section", namespaces=NS)]
    assert labels[-1] == "C.7.6.90" and labels[-2] == "C.7.6.24"[:0] + labels[-2]
    new = parent.xpath("d:section[@label='C.7.6.90']", namespaces=NS)[0]
    assert new.get("status") == str(int(parent.get("status")) + 1)
    assert new.xpath("d:table/@xml:id", namespaces=NS) == ["table_C.7.6.90-1"]
    # Inside PS3.3, references to PS3.3 are xrefs (or links) that resolve.
    assert {x.get("linkend") for x in new.xpath(".//d:xref|.//d:link", namespaces=NS)} == \
        {"table_C.7.6.90-1", "sect_C.7.6.3"}
    assert not new.xpath(".//d:olink[@targetdoc='PS3.3']", namespaces=NS)


def test_ps33_amended_paragraph_and_term(ps33: Merge) -> None:
    merged, marked = ps33.part("PS3.3"), ps33.part("PS3.3", True)
    para = merged.xpath("//d:section[@xml:id='sect_C.7.6.3']/d:para", namespaces=NS)[0]
    assert "".join(para.itertext()).strip().endswith("Image Pixel Module, which widgets use as well.")
    assert para.get(XML_ID) == "para_c240d602-bb20-4761-be5e-06098782231f"  # the paragraph keeps its id
    changed = marked.xpath("//d:section[@xml:id='sect_C.7.6.3']/d:para", namespaces=NS)[0]
    assert changed.get("revisionflag") == "changed"
    assert [p.text for p in changed.xpath("d:phrase[@revisionflag='added']", namespaces=NS)] == \
        [", which widgets use as well"]
    terms = merged.xpath("//d:section[@xml:id='sect_C.7.3.1.1.1']//d:varlistentry/d:term/text()", namespaces=NS)
    assert terms[terms.index("DG") + 1] == "DGX" and terms[terms.index("DGX") + 1] == "DOC"
    entry = marked.xpath("//d:section[@xml:id='sect_C.7.3.1.1.1']//d:varlistentry[d:term='DGX']", namespaces=NS)
    assert entry[0].get("revisionflag") == "added"


# --- refusals ----------------------------------------------------------------------------------------------------


def _edited(tmp_path: Path, replace: dict[str, tuple[str, str]]) -> Path:
    folder = tmp_path / "spec"
    folder.mkdir()
    for source in PS33_FIXTURE.iterdir():
        text = source.read_text(encoding="utf-8")
        old, new = replace.get(source.name, ("", ""))
        (folder / source.name).write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return folder


def test_refuses_text_that_differs_located_at_the_yaml(tmp_path: Path) -> None:
    folder = _edited(tmp_path, {"content.yaml": ("describes the Image Pixel Module.\"",
                                                 "describes the Image Pixel Modules.\"")})
    written, findings = run(D2016, load_supplement(folder), tmp_path / "out")
    errors = [f for f in findings if f.severity == Severity.ERROR]
    assert written == [] and not (tmp_path / "out").exists()
    assert [f.code for f in errors] == ["DS430"]
    assert errors[0].loc.file.endswith("content.yaml") and errors[0].loc.line == 17
    assert "Section C.7.6.3 has no paragraph that reads" in errors[0].message


def test_refuses_a_missing_target(tmp_path: Path) -> None:
    folder = _edited(tmp_path, {"content.yaml": ("section: C.7.6.90", "section: C.99.1.1")})
    _written, findings = run(D2016, load_supplement(folder), tmp_path / "out")
    missing = [f for f in findings if f.code == "DS361"]
    assert missing and missing[0].loc.line == 3 and "has no Section C.99.1" in missing[0].message


def test_refuses_a_row_already_there(tmp_path: Path) -> None:
    folder = _edited(tmp_path, {"content.yaml": ("{value: DGX, meaning: Digital widget imaging, change: added}",
                                                 "{value: DOC, meaning: Document, change: added}")})
    _written, findings = run(D2016, load_supplement(folder), tmp_path / "out")
    assert "DS431" in {f.code for f in findings}


def test_refuses_an_id_the_part_has(tmp_path: Path) -> None:
    folder = _edited(tmp_path, {"content.yaml": ("section: C.7.6.90", "section: C.7.6.3")})
    _written, findings = run(D2016, load_supplement(folder), tmp_path / "out")
    assert "DS363" in {f.code for f in findings}


def test_command_line(tmp_path: Path) -> None:
    from build_tools.commands.main import main

    code = main(["merge", str(D2016), "--out", str(tmp_path / "out"), "--supplement", str(PS33_FIXTURE)])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["part03-changes.xml", "part03.xml"]
    merged = read_part(tmp_path / "out" / "part03.xml")
    assert "sect_C.7.6.90" in merged.ids
    assert etree.QName(merged.root).localname == "book"


# --- PS3.16: rows of existing CIDs, their Version, Table D-1 (a hand-made stand-in for PS3.16) -------------------

MINI16 = Path(__file__).resolve().parent / "fixtures" / "part16-mini"


@pytest.fixture(scope="module")
def derm16() -> Merge:
    return Merge(MINI16, DERMOSCOPY)


def test_cid_rows_and_version(derm16: Merge) -> None:
    assert [f for f in derm16.findings if f.severity == Severity.ERROR] == []
    merged, marked = derm16.part("PS3.16"), derm16.part("PS3.16", True)
    for cid in (29, 30, 33):
        rows = merged.xpath(f"//d:table[@xml:id='table_CID_{cid}']/d:tbody/d:tr", namespaces=NS)
        assert [cell_texts(tr)[1] for tr in rows] == ["CT", "MR", "DMS"]  # a CID's new rows go at its end
        assert cell_texts(rows[-1]) == ["DCM", "DMS", "Dermoscopy"]
        version = f"//d:section[@xml:id='sect_CID_{cid}']/d:variablelist/d:varlistentry[d:term='Version:']//d:para"
        assert "".join(merged.xpath(version, namespaces=NS)[0].itertext()) == "20261125"
        changed = marked.xpath(version, namespaces=NS)[0]
        assert changed.get("revisionflag") == "changed"
        assert [(p.get("revisionflag"), p.text) for p in changed.xpath("d:phrase", namespaces=NS)] == \
            [("deleted", "20200101"), ("added", "20261125")]
    assert docbook.validate_text(serialize(merged)) == []
    assert docbook.validate_text(serialize(marked)) == []


def test_dcm_code_in_order_with_its_id(derm16: Merge) -> None:
    merged = derm16.part("PS3.16")
    rows = merged.xpath("//d:table[@xml:id='table_D-1']/d:tbody/d:tr", namespaces=NS)
    assert [cell_texts(tr)[0] for tr in rows] == ["121000", "DMS", "DOC"]
    assert merged.xpath("//d:para[@xml:id='DCM_DMS']/text()", namespaces=NS) == ["DMS"]


def test_a_term_added_after_a_removed_one_is_in_the_merged_part(tmp_path: Path) -> None:
    """Removing DG and adding DGX after it: the merged part has DGX where DG was (the removed term is taken out
    only when the amendment is done), and the change copy shows both marks."""
    folder = _edited(tmp_path, {"content.yaml": ("{value: DG, meaning: Diaphanography}",
                                                 "{value: DG, meaning: Diaphanography, change: removed}")})
    results, findings = merge_folder(D2016, load_supplement(folder))
    assert not [f for f in findings if f.severity == Severity.ERROR], [str(f) for f in findings]
    (result,) = [r for r in results if r.label == "PS3.3"]
    path = "//d:section[@xml:id='sect_C.7.3.1.1.1']//d:varlistentry"
    terms = result.merged.xpath(path + "/d:term/text()", namespaces=NS)
    assert "DG" not in terms and terms[terms.index("CT") + 1:terms.index("CT") + 3] == ["DGX", "DOC"]
    flags = {e.findtext(f"{{{NS['d']}}}term"): e.get("revisionflag") for e in result.marked.xpath(path, namespaces=NS)}
    assert flags["DG"] == "deleted" and flags["DGX"] == "added"


def test_parts_the_folder_lacks_are_said_and_out_may_not_be_the_parts_folder(tmp_path: Path) -> None:
    from build_tools.core.errors import InputError

    results, findings = merge_folder(D2016, load_supplement(PS33_FIXTURE))
    assert results and not [f for f in findings if f.code == "DS432"]  # the fixture changes PS3.3 only
    derm = load_supplement(Path(__file__).resolve().parents[2] / "spec" / "dermoscopy")
    _results, findings = merge_folder(D2016, derm)
    assert {f.loc.file.rsplit("/", 1)[-1] for f in findings if f.code == "DS432"} >= {"part04.xml", "part06.xml"}
    with pytest.raises(InputError) as raised:
        run(D2016, derm, D2016)
    assert "is the folder of the parts read" in raised.value.findings[0].message


def test_the_merge_writes_all_files_or_none(derm: Merge, tmp_path: Path) -> None:
    from build_tools.merge.run import write

    out = tmp_path / "out"
    (out / "part17.xml").mkdir(parents=True)  # the last file cannot be written
    with pytest.raises(IsADirectoryError):
        write(derm.results, out)
    assert sorted(p.name for p in out.iterdir()) == ["part17.xml"]  # nothing else written, no temporary left


def test_the_parts_comments_survive_the_merge(derm: Merge) -> None:
    """The editor's XML comments in a part are written back with it, in both copies, where they were."""
    for label, name in (("PS3.4", "part04.xml"), ("PS3.17", "part17.xml")):
        source = etree.parse(str(D2013 / name))
        before = [c.text for c in source.iter(etree.Comment)]
        assert before  # the 2013 parts have comments
        for marked in (False, True):
            after = [c.text for c in derm.part(label, marked).iter(etree.Comment)]
            assert after == before, (label, marked)
    merged = serialize(derm.part("PS3.4"))
    assert merged.count(b"<!--") == len(list(etree.parse(str(D2013 / "part04.xml")).iter(etree.Comment)))
