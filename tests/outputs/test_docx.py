"""Word ballot document (build_tools/outputs/docx.py), read back with python-docx and as raw WordprocessingML.

The document is compared with the presentation model it lays out: its headings (level and text) with the model's
chapters and sections, its tables cell by cell with the model's tables, and its tracked changes with the inserted
and deleted words of the model (which only amendments have). Then: authors, dates and ids of the changes, that
nothing else is a change, the front matter, determinism, ``--since``, and LibreOffice opening the file.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from build_tools.document.layout import unwrapped
from build_tools.document.nodes import Chapter, Document, ItemList, Text
from build_tools.load.loader import load_supplement
from build_tools.outputs import docx as word
from build_tools.outputs.base import BuildContext
from build_tools.outputs.registry import OUTPUTS
from build_tools.standard.index import Index

ROOT = Path(__file__).resolve().parents[2]
DERMOSCOPY = ROOT / "spec" / "dermoscopy"
WIDGET = ROOT / "tests" / "fixtures" / "docbook" / "widget"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


class Built:
    """A supplement's .docx written into a temporary folder, with its model, its XML and python-docx's reading."""

    def __init__(self, folder: Path, out: Path, since: str | None = None):
        self.supplement = load_supplement(folder, [])
        ctx = BuildContext(self.supplement, Index(self.supplement), spec_folder=folder, since_rev=since)
        out.mkdir(parents=True, exist_ok=True)
        word.Docx().write(ctx, out)
        self.model = unwrapped(ctx.document)  # the model as every output lays it out: no editorial wrappers
        self.since = ctx.since
        self.path = out / word.FILE
        self.bytes = self.path.read_bytes()
        with zipfile.ZipFile(self.path) as package:
            self.parts = {name: package.read(name) for name in package.namelist()}
        self.xml = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.xml.find(q("body"))
        self.word = docx.Document(str(self.path))


@pytest.fixture(scope="module")
def derm(tmp_path_factory) -> Built:
    return Built(DERMOSCOPY, tmp_path_factory.mktemp("docx-derm"))


@pytest.fixture(scope="module")
def widget(tmp_path_factory) -> Built:
    return Built(WIDGET, tmp_path_factory.mktemp("docx-widget"))


@pytest.fixture(params=["derm", "widget"])
def built(request) -> Built:
    return request.getfixturevalue(request.param)


# --- Walkers of the model (no renderer code) ----------------------------------------------------------------------


def inline_text(nodes) -> str:
    out = []
    for node in nodes:
        if node.kind == "text":
            out.append(node.text)
        elif node.kind == "emphasis":
            out.append(inline_text(node.children))
        elif node.kind == "link":
            out.append(node.text)
    return "".join(out)


def block_texts(blocks) -> list[str]:
    """The paragraphs a reader sees for ``blocks`` (a Note is introduced by its label, as in the standard)."""
    out: list[str] = []
    for block in blocks:
        if block.kind in ("para", "instruction"):
            out.append(inline_text(block.inlines))
        elif block.kind == "list":
            out.extend(inline_text(item) for item in block.items)
        elif block.kind == "note":
            out.append("Note")
            out.extend(block_texts(block.blocks))
        elif block.kind == "variablelist":
            if block.title:
                out.append(block.title)
            for entry in block.entries:
                out.append(inline_text(entry.term))
                out.extend(block_texts(entry.blocks))
    return out


def model_headings(model) -> list[tuple[int, str]]:
    out = []

    def section(node, level):
        out.append((level, f"{node.label} {node.title}" if node.label else node.title))
        for child in node.sections:
            section(child, level + 1)

    for chapter in model.chapters:
        out.append((1, chapter.title))
        for child in chapter.sections:
            section(child, 2)
    return out


def model_blocks(model):
    """Every block of the document in order (not the blocks inside table cells)."""
    def walk(node):
        yield from node.blocks
        for child in node.sections:
            yield from walk(child)

    for chapter in model.chapters:
        yield from walk(chapter)


def model_tables(model) -> list:
    return [block for block in model_blocks(model) if block.kind == "table"]


def model_segments(model) -> list[tuple[str, str]]:
    """The inserted and deleted words, in document order, as (``ins``/``del``, text) runs; a run ends at unchanged
    text and at the end of a paragraph."""
    stream: list[tuple[str | None, str]] = []

    def inlines(nodes, op=None):
        for node in nodes:
            if node.kind in ("text", "link") and node.text:
                stream.append((op, node.text))
            elif node.kind == "emphasis":
                inner = {"underline": "ins", "strikethrough": "del"}.get(node.role, op)
                inlines(node.children, inner)

    def end():
        stream.append((None, "\n"))

    def blocks(nodes):
        for block in nodes:
            if block.kind in ("para", "instruction"):
                inlines(block.inlines)
                end()
            elif block.kind == "list":
                for item in block.items:
                    inlines(item)
                    end()
            elif block.kind == "note":
                blocks(block.blocks)
            elif block.kind == "variablelist":
                for entry in block.entries:
                    inlines(entry.term)
                    end()
                    blocks(entry.blocks)
            elif block.kind == "table":
                for row in block.head + block.body:
                    for cell in row.cells:
                        blocks(cell.blocks)
                        end()

    for block in model_blocks(model):
        blocks([block])
    return collapse(stream)


def collapse(stream) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    previous = None
    for op, text in stream:
        if op is None:
            previous = None
            continue
        if previous == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
        previous = op
    return out


# --- Walkers of the WordprocessingML ---------------------------------------------------------------------------


def text_of(node) -> str:
    return "".join(t.text or "" for t in node.iter(q("t"), q("delText")))


def docx_headings(built: Built) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in built.word.paragraphs
            if p.style is not None and p.style.name.startswith("Heading ")]


def run_revision(text_node) -> str | None:
    """``ins``/``del`` when the run of this text is inside a tracked insertion or deletion."""
    for ancestor in text_node.iterancestors():
        if ancestor.tag == q("ins"):
            return "ins"
        if ancestor.tag == q("del"):
            return "del"
        if ancestor.tag == q("p"):
            return None
    return None


def docx_segments(built: Built) -> list[tuple[str, str]]:
    stream: list[tuple[str | None, str]] = []
    for p in built.body.iter(q("p")):
        for t in p.iter(q("t"), q("delText")):
            if t.getparent().getparent() is not None and t.getparent().getparent().tag == q("fldSimple"):
                continue
            stream.append((run_revision(t), t.text or ""))
        stream.append((None, "\n"))
    return collapse(stream)


def top_tables(built: Built) -> list:
    return built.body.findall(q("tbl"))


# --- Registry and package ----------------------------------------------------------------------------------------


def test_registered_as_an_output():
    output = next(o for o in OUTPUTS if o.name == "docx")
    assert output is word.Docx and output.folder == "docx" and output.scope == "supplement"


def test_two_builds_are_byte_identical_and_the_package_is_normalized(derm, tmp_path):
    again = Built(DERMOSCOPY, tmp_path / "again")
    assert again.bytes == derm.bytes
    with zipfile.ZipFile(derm.path) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml" and infos[1].filename == "_rels/.rels"
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in infos)
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos)
    for name, data in derm.parts.items():
        if name.endswith((".xml", ".rels")):
            assert b"rsid" not in data, f"{name} carries an rsid"
    assert "docProps/thumbnail.jpeg" not in derm.parts
    assert b"Microsoft" not in derm.parts["docProps/app.xml"]


def test_core_properties_come_from_the_spec(derm):
    props = derm.word.core_properties
    assert props.title == derm.model.subtitle
    assert props.author == props.last_modified_by == derm.supplement.working_group
    day = datetime.strptime(derm.supplement.date, "%Y-%m-%d")
    assert props.created.replace(tzinfo=None) == day and props.modified.replace(tzinfo=None) == day
    assert props.revision == len(derm.supplement.history)
    assert props.version == derm.supplement.version
    assert props.last_printed is None


# --- Structure ----------------------------------------------------------------------------------------------------


def test_title_page_and_front_matter(built):
    texts = [p.text for p in built.word.paragraphs[:10]]
    model = built.model
    assert texts[0] == model.title and texts[1] == model.subtitle
    assert built.word.paragraphs[0].style.name == "Title"
    assert model.organization in texts and built.supplement.working_group in model.organization
    for expected in (f"Status: {model.status}", f"Version: {model.version}", f"Date: {model.pubdate}"):
        assert expected in texts
    headings = [text for level, text in docx_headings(built) if level == 1]
    assert headings[:2] == ["Document History", "Open and Closed Issues"]
    assert {"Open Issues", "Closed Issues"} <= {text for _, text in docx_headings(built)}


def test_headings_are_the_model_chapters_and_sections(built):
    assert docx_headings(built) == model_headings(built.model)
    styles = {p.style.name for p in built.word.paragraphs if p.style.name.startswith("Heading")}
    assert {"Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= styles
    # Word's own heading styles carry the outline levels the navigation pane shows.
    assert built.word.styles["Heading 1"].style_id == "Heading1"


def test_no_editorial_wrapper_heading(built):
    """As in the DocBook and the HTML: one heading per section of the standard, no "Table 6-1 (new rows)" above it,
    and the instructions in the standard's idiom."""
    headings = [text for _level, text in docx_headings(built)]
    assert headings and not [h for h in headings if h.endswith(("(new)", "(new rows)", "(modified)"))]
    instructions = [p.text for p in built.word.paragraphs if p.style.name == "Instruction"]
    assert instructions and not [t for t in instructions if t.startswith("Modify PS3.")
                                 or (t.startswith("Add new Section") and " to PS3." in t)]


def test_tables_equal_the_model_tables_cell_by_cell(built):
    tables = top_tables(built)
    expected = model_tables(built.model)
    assert len(tables) == len(expected)
    for tbl, table in zip(tables, expected):
        rows = tbl.findall(q("tr"))
        model_rows = list(table.head) + list(table.body)
        assert len(rows) == len(model_rows), table.label
        for number, (tr, row) in enumerate(zip(rows, model_rows)):
            cells = [tc for tc in tr.findall(q("tc"))
                     if not (tc.find("w:tcPr/w:vMerge", NS) is not None
                             and tc.find("w:tcPr/w:vMerge", NS).get(q("val")) != "restart")]
            assert len(cells) == len(row.cells), (table.label, number)
            for tc, cell in zip(cells, row.cells):
                paragraphs = [text_of(p) for p in tc.findall(q("p"))]
                assert "\n".join(paragraphs) == "\n".join(block_texts(cell.blocks)), (table.label, number)
                span = tc.find("w:tcPr/w:gridSpan", NS)
                assert (int(span.get(q("val"))) if span is not None else 1) == cell.colspan
                merge = tc.find("w:tcPr/w:vMerge", NS)
                assert (merge is not None) == (cell.rowspan > 1)
            repeated = tr.find("w:trPr/w:tblHeader", NS) is not None
            assert repeated == (number < len(table.head)), (table.label, number)
        assert tbl.find("w:tblPr/w:tblStyle", NS).get(q("val")) == "TableGrid"


def test_table_captions_precede_their_tables(built):
    for tbl, table in zip(top_tables(built), model_tables(built.model)):
        if table.label:
            caption = tbl.getprevious()
            assert caption.find("w:pPr/w:pStyle", NS).get(q("val")) == "Caption"
            assert text_of(caption) == f"Table {table.label}. {table.caption}"


def test_module_table_column_widths(derm):
    for tbl, table in zip(top_tables(derm), model_tables(derm.model)):
        if table.role != "module":
            continue
        name, tag, kind, description = (int(c.get(q("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS))
        assert name + tag + kind + description == word.TEXT_WIDTH
        assert description > name > tag > kind
        assert tag >= 1300 and kind >= 700  # "(0016,1003)" and "Type" fit on one line at 9 pt
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(q("type")) == "fixed"


def test_instructions_are_bold_italic(built):
    style = built.word.styles["Instruction"]
    assert style.font.bold and style.font.italic
    expected = [inline_text(b.inlines) for b in model_blocks(built.model) if b.kind == "instruction"]
    found = [p.text for p in built.word.paragraphs if p.style.name == "Instruction"]
    assert found == expected and expected


# --- Tracked changes ----------------------------------------------------------------------------------------------


def test_inserted_and_deleted_words_are_tracked_changes(built):
    segments = model_segments(built.model)
    assert segments, "the fixture has amendments"
    assert docx_segments(built) == segments


def test_dermoscopy_amendments_as_a_reviewer_sees_them(derm):
    segments = docx_segments(derm)
    assert ("ins", "Dermoscopy (DMS), ") in segments
    assert ("ins", "DMS") in segments and ("ins", "Dermoscopy") in segments
    assert not [op for op, _ in segments if op == "del"]


def test_widget_has_deletions_and_row_changes(widget):
    segments = docx_segments(widget)
    assert ("del", "An old paragraph.") in segments and ("ins", "A new paragraph.") in segments
    rows = widget.body.findall(".//w:trPr", NS)
    assert [r.find("w:ins", NS) is not None for r in rows].count(True) == 1
    assert [r.find("w:del", NS) is not None for r in rows].count(True) == 1


def test_nothing_else_is_a_change(built):
    marks = built.xml.findall(".//w:ins", NS) + built.xml.findall(".//w:del", NS)
    model_rows = [row for table in model_tables(built.model) for row in table.body]
    row_marks = [m for m in marks if m.getparent().tag == q("trPr")]
    assert len(row_marks) == sum(row.change in ("added", "removed") for row in model_rows)
    for mark in marks:
        parent = mark.getparent()
        if parent.tag in (q("p"), q("hyperlink")):
            assert len(mark) and all(child.tag == q("r") for child in mark)
            texts = mark.findall(".//w:t", NS) if mark.tag == q("ins") else mark.findall(".//w:delText", NS)
            assert texts and len(texts) == len(mark.findall(".//w:t", NS) + mark.findall(".//w:delText", NS))
        elif parent.tag == q("rPr"):  # a paragraph mark: only of a paragraph the change holds whole
            p = parent.getparent().getparent()
            assert p.tag == q("p")
            assert {run_revision(t) for t in p.iter(q("t"), q("delText"))} == {etree.QName(mark).localname}
        else:
            assert parent.tag == q("trPr"), parent.tag
    for name, data in built.parts.items():
        if name != "word/document.xml" and name.endswith(".xml"):
            assert b"<w:ins " not in data and b"<w:del " not in data, name


def test_changes_have_the_working_group_the_date_and_unique_ids(built):
    marks = built.xml.findall(".//w:ins", NS) + built.xml.findall(".//w:del", NS)
    assert marks
    assert {m.get(q("author")) for m in marks} == {built.supplement.working_group}
    assert {m.get(q("date")) for m in marks} == {f"{built.supplement.date}T00:00:00Z"}
    ids = [m.get(q("id")) for m in marks] + [b.get(q("id")) for b in built.xml.iter(q("bookmarkStart"))]
    assert all(i.isdigit() for i in ids) and len(ids) == len(set(ids))


def test_internal_links_go_to_bookmarks(derm):
    names = {b.get(q("name")) for b in derm.xml.iter(q("bookmarkStart"))}
    anchors = {h.get(q("anchor")) for h in derm.xml.iter(q("hyperlink"))}
    assert anchors and anchors <= names
    assert all(len(name) <= 40 and name.replace("_", "").isalnum() for name in names)


def test_figures_are_embedded(derm):
    svgs = [name for name in derm.parts if name.startswith("word/media/") and name.endswith(".svg")]
    assert len(svgs) == len(derm.model.figures)
    captions = [p.text for p in derm.word.paragraphs if p.text.startswith("Figure ")]
    assert captions == [f"Figure {f.label}. {f.title}" for f in derm.model.figures]


def test_each_ordered_list_counts_from_one():
    lists = tuple(ItemList(True, ((Text("first"),), (Text("second"),))) for _ in range(2))
    model = Document("T", "Supplement 1: T", 1, "T", "O", "Draft", "0.1", "2026-01-02", "2026/01/02", None,
                     (Chapter("chapter_X", "X", None, lists),))
    package = zipfile.ZipFile(io.BytesIO(word.render(model, "WG-0", bytes)))
    xml = etree.fromstring(package.read("word/document.xml"))
    ids = [p.find("w:pPr/w:numPr/w:numId", NS).get(q("val")) for p in xml.iter(q("p"))
           if p.find("w:pPr/w:numPr", NS) is not None]
    assert len(ids) == 4 and ids[0] == ids[1] != ids[2] == ids[3]


# --- --since ------------------------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_since_adds_the_changes_since_chapter(tmp_path):
    repo = tmp_path / "repo"
    spec = repo / "spec" / "dermoscopy"
    shutil.copytree(DERMOSCOPY, spec)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "draft")
    _git(repo, "tag", "v1")
    modules = spec / "modules.yaml"
    text = modules.read_text(encoding="utf-8")
    assert "in kelvin" in text
    modules.write_text(text.replace("in kelvin", "in kelvin (K)", 1), encoding="utf-8")
    built = Built(spec, tmp_path / "out", since="v1")
    assert built.since is not None and built.since.changes
    headings = docx_headings(built)
    assert headings[0] == (1, f"Changes since {built.since.version}")
    assert headings[1:1 + len(built.since.groups)] == [(2, group.part) for group in built.since.groups]
    assert headings[1 + len(built.since.groups):] == model_headings(built.model)
    chapter = top_tables(built)[0]
    assert "(K)" in text_of(chapter)
    # The chapter reports changes with formatting; it is not an amendment, so it holds no tracked change.
    assert chapter.find(".//w:ins", NS) is None and chapter.find(".//w:del", NS) is None
    assert docx_segments(built) == model_segments(built.model)


# --- LibreOffice ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (Debian libreoffice-writer)")
def test_libreoffice_converts_the_document_to_pdf(derm, tmp_path):
    profile = tmp_path / "profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(derm.path)],
                          capture_output=True, text=True, timeout=300, check=False)
    pdf = tmp_path / "supplement.pdf"
    assert done.returncode == 0 and pdf.is_file(), (done.stdout, done.stderr)
    assert "Error" not in done.stderr, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed: the PDF was not rendered")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= len(derm.model.chapters) + 1  # the title page, then each chapter from a new page
    assert all(page.read_bytes().startswith(b"\x89PNG") for page in pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True, timeout=120).stdout
        assert "Dermoscopy (DMS)," in " ".join(text.split())
        assert "Table C.8.12.13-1. Dermoscopic Image Module Attributes" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (Debian libreoffice-writer)")
def test_libreoffice_reads_the_tracked_changes_as_revisions(widget, tmp_path):
    """Opened in LibreOffice, the changes are revisions (accept/reject), by the working group on the draft's date."""
    profile = tmp_path / "profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                           "odt", "--outdir", str(tmp_path), str(widget.path)],
                          capture_output=True, text=True, timeout=300, check=False)
    odt = tmp_path / "supplement.odt"
    assert done.returncode == 0 and odt.is_file(), (done.stdout, done.stderr)
    content = etree.fromstring(zipfile.ZipFile(odt).read("content.xml"))
    odf = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0", "dc": "http://purl.org/dc/elements/1.1/"}
    regions = content.findall(".//text:tracked-changes/text:changed-region", odf)
    assert len(regions) >= len([op for op, _ in model_segments(widget.model)]) // 2
    assert {r.findtext(".//dc:creator", namespaces=odf) for r in regions} == {widget.supplement.working_group}
    assert {r.findtext(".//dc:date", namespaces=odf)[:10] for r in regions} == {widget.supplement.date}
    kinds = {etree.QName(r[0]).localname for r in regions}
    assert kinds == {"insertion", "deletion"}
