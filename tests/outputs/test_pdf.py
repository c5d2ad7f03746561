"""PDF ballot document (build_tools/outputs/pdf.py), read back from the PDF itself.

pypdf reads the outline, the pages, their size, the metadata and the text (running header, change marks, the
"Changes since" chapter); poppler's ``pdftotext -bbox`` gives every word with its box, so that the IOD and module
tables can be read column by column and compared, cell by cell in row order, with the presentation model; poppler's
``pdftoppm`` renders a page to PNG in the test's temporary folder for a person to look at. Two builds must be
byte-identical. The engine and fonts missing give one clear error.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_tools.build import Report, lint, run_outputs
from build_tools.core.errors import InputError, Severity
from build_tools.document.layout import unwrapped
from build_tools.document.nodes import Chapter, Section, Table
from build_tools.load.loader import load_supplement
from build_tools.outputs import pdf
from build_tools.outputs.base import BuildContext
from build_tools.outputs.registry import OUTPUTS
from build_tools.standard.index import Index

pypdf = pytest.importorskip("pypdf", reason="pypdf (the test extra) reads the PDF back")

ROOT = Path(__file__).resolve().parents[2]
DERMOSCOPY = ROOT / "spec" / "dermoscopy"
WIDGET = ROOT / "tests" / "fixtures" / "docbook" / "widget"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
MM = 72 / 25.4
#: The page's left margin (templates/pdf/supplement.css @page): tables span the text width from here.
LEFT = 18 * MM
#: Text above this (from the top of the page) is the running header.
HEADER = 24 * MM


def _engine_ready() -> str | None:
    try:
        pdf.engine()
        pdf.fonts()
    except InputError as exc:
        return str(exc)
    return None


_missing = _engine_ready()
pytestmark = pytest.mark.skipif(_missing is not None, reason=f"PDF engine not usable here: {_missing}")


@dataclass
class Built:
    ctx: BuildContext
    out: Path

    @property
    def a4(self) -> Path:
        return self.out / pdf.FOLDER / pdf.FILE

    @property
    def letter(self) -> Path:
        return self.out / pdf.FOLDER / pdf.LETTER_FILE

    def reader(self, path: Path | None = None):
        return pypdf.PdfReader(str(path or self.a4))


def build(folder: Path, out: Path, rules: bool = True, since: str | None = None) -> Built:
    if rules:
        supplement, findings = lint(folder)
    else:
        findings = []
        supplement = load_supplement(folder, findings)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    ctx = BuildContext(supplement, Index(supplement), folder, since_rev=since)
    run_outputs([pdf.Pdf], ctx, out, Report())
    assert ctx.warnings == [], "\n".join(map(str, ctx.warnings))
    return Built(ctx, out)


@pytest.fixture(scope="module")
def derm(tmp_path_factory) -> Built:
    return build(DERMOSCOPY, tmp_path_factory.mktemp("pdf-derm"))


@pytest.fixture(scope="module")
def widget(tmp_path_factory) -> Built:
    """A draft (Public Comment) with deletions and insertions in amended text and tables."""
    return build(WIDGET, tmp_path_factory.mktemp("pdf-widget"), rules=False)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_texts(reader) -> list[str]:
    return [fold(page.extract_text() or "") for page in reader.pages]


def outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, fold(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def headings(node: Chapter | Section, depth: int = 0):
    label = getattr(node, "label", "")
    yield depth, fold(f"{label} {node.title}" if label else node.title)
    for section in node.sections:
        yield from headings(section, depth + 1)


# --- Registration, structure and metadata ------------------------------------------------------------------------


def test_registered_once_as_an_ordinary_output():
    assert [o for o in OUTPUTS if o is pdf.Pdf] == [pdf.Pdf]
    assert pdf.Pdf.name == "pdf" and pdf.Pdf.folder == "pdf" and pdf.Pdf.scope == "supplement"


def test_outline_has_every_chapter_and_section_at_its_depth(derm):
    reader = derm.reader()
    marks = outline(reader)
    laid = unwrapped(derm.ctx.document)  # the editorial wrappers laid out away, as in every output
    expected = [(depth + 1 if depth else 0, title) for chapter in laid.chapters
                for depth, title in headings(chapter)]
    # The outline is the Table of Contents, then every chapter (depth 0) and section (depth 1, 2 …), in order.
    assert marks[0][:2] == (0, "Table of Contents")
    got = [(depth, title) for depth, title, _page in marks[1:]]
    assert got == [(0 if d == 0 else d - 1, t) for d, t in expected]
    chapters = [m for m in marks if m[0] == 0]
    assert [m[1] for m in chapters][1:] == [fold(c.title) for c in derm.ctx.document.chapters]
    # Every chapter starts a page, in document order; each bookmark points at the page showing its heading.
    pages = page_texts(reader)
    starts = [page for _depth, _title, page in chapters]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for _depth, title, page in marks:
        assert title.replace(" ", "") in pages[page - 1].replace(" ", ""), (title, page)


def test_no_editorial_wrapper_and_the_standards_idiom(derm):
    """As in the DocBook and the HTML: no bookmark "Table 6-1 (new rows)" above the section, and the instructions
    as the model words them."""
    marks = [title for _depth, title, _page in outline(derm.reader())]
    assert not [t for t in marks if t.endswith(("(new)", "(new rows)", "(modified)"))]
    text = " ".join(page_texts(derm.reader()))
    assert "Add new Section C.8.12.13 after Section C.8.12.12:" in text
    assert "Modify Section C.8.12.1 as follows:" in text and "Modify PS3.3 Section" not in text


def test_page_count_paper_sizes_and_metadata(derm):
    a4, letter = derm.reader(derm.a4), derm.reader(derm.letter)
    assert 12 <= len(a4.pages) <= 40
    assert len(letter.pages) >= len(a4.pages) - 2
    for reader, (width, height) in ((a4, (595.28, 841.89)), (letter, (612, 792))):
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == (width, height)
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == \
            {(round(width), round(height))}
    meta = a4.metadata
    doc = derm.ctx.document
    assert meta["/Title"] == f"{doc.title} Supplement {doc.number}: {doc.supplement_title}"
    assert meta["/CreationDate"] == meta["/ModDate"] == f"D:{doc.date.replace('-', '')}000000Z"
    assert meta["/Creator"] == "dicomsup"


def test_title_page_in_the_supplement_convention(derm):
    doc = derm.ctx.document
    first = page_texts(derm.reader())[0]
    assert first.startswith(f"{doc.title} Supplement {doc.number}: {doc.supplement_title}")
    for text in (f"Prepared by: {doc.organization}", f"Secretariat: {derm.ctx.supplement.secretariat}",
                 f"Status: {doc.status}", f"Version: {doc.version}", f"Date: {doc.pubdate}"):
        assert text in first
    assert "Page 1 of" not in first, "the title page has no running header"


def test_running_header_on_every_page_after_the_title(derm):
    doc = derm.ctx.document
    for reader in (derm.reader(derm.a4), derm.reader(derm.letter)):
        texts = page_texts(reader)
        total = len(texts)
        for number, text in enumerate(texts[1:], start=2):
            assert f"Supplement {doc.number}: {doc.supplement_title}" in text
            assert f"{doc.status} – Version {doc.version}" in text
            assert f"Page {number} of {total}" in text


def test_table_of_contents_gives_the_page_of_each_chapter(derm):
    reader = derm.reader()
    toc = page_texts(reader)[1]
    assert toc.startswith("Table of Contents") or "Table of Contents" in toc
    for depth, title, page in outline(reader)[1:]:
        if depth == 0:
            assert re.search(re.escape(title) + r" \.+ ?" + str(page) + r"\b", toc), (title, page)


def test_history_and_issues_front_matter(derm, widget):
    texts = page_texts(derm.reader())
    history = next(t for t in texts if "Document History" in t and "Document Version" in t)
    for entry in derm.ctx.supplement.history:
        assert f"{entry.version} {entry.date}" in history, "a history date is on one line, beside its version"
    # A draft marks the issues as editorial content, to be removed before Final Text; Final Text does not.
    note = "Editorial content, to be removed before Final Text"
    assert note in " ".join(page_texts(widget.reader()))
    assert note not in " ".join(texts)
    assert "is a draft, not Final Text" in page_texts(widget.reader())[0]


def test_dates_in_the_history_table_do_not_wrap(derm, tmp_path):
    """Each date is one word whose box is on one line (pdftotext -bbox): no hyphen or break inside."""
    dates = {entry.date for entry in derm.ctx.supplement.history}
    words = bbox_words(derm.a4, tmp_path)
    found = {w.text for w in words if w.text in dates}
    assert found == dates


# --- Tables: the PDF's cells are the model's ---------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def bbox_words(path: Path, tmp: Path) -> list[Word]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed; scripts/test.sh installs it")
    target = tmp / f"{path.stem}-words.html"
    subprocess.run(["pdftotext", "-bbox", str(path), str(target)], check=True, timeout=120)
    words = []
    for number, page in enumerate(target.read_text(encoding="utf-8").split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                               r'yMax="([\d.]+)">(.*?)</word>', page):
            words.append(Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(text)))
    return words


def cell_text(cell) -> str:
    """The reader's text of a cell, as the print template writes it (a note has its "Note" label)."""
    out = []

    def inlines(nodes):
        for n in nodes:
            if n.kind in ("text", "link"):
                out.append(n.text)
            else:
                inlines(n.children)

    def blocks(nodes):
        for b in nodes:
            if b.kind in ("para", "instruction"):
                inlines(b.inlines)
            elif b.kind == "list":
                for item in b.items:
                    inlines(item)
            elif b.kind == "note":
                out.append("Note")
                blocks(b.blocks)
            elif b.kind == "variablelist":
                out.append(b.title or "")
                for entry in b.entries:
                    inlines(entry.term)
                    blocks(entry.blocks)

    blocks(cell.blocks)
    return "".join(out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def model_columns(table: Table) -> list[str]:
    """Per column, the texts of its cells in row order (rowspans placed as the table lays them out)."""
    width = sum(c.colspan for c in table.head[0].cells)
    columns = [""] * width
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(table.body):
        column = 0
        for cell in row.cells:
            while taken.get((r, column)):
                column += 1
            assert cell.colspan == 1, "the test reads single-column cells only"
            columns[column] += squeeze(cell_text(cell))
            for extra in range(cell.rowspan):
                taken[(r + extra, column)] = True
            column += 1
    return columns


def pdf_columns(table: Table, words: list[Word], page_width: float) -> list[str]:
    """Per column, the words of the table's body in reading order.

    The table starts after its caption and header row; the column edges follow from the header cells, whose text
    is centred in its column (the table spans the text width). The body ends at the first word back at the left
    margin (the paragraph or heading after the table); the repeated header rows and running headers are left out.
    """
    caption = squeeze(f"Table {table.label}. {table.caption}")
    head = [squeeze(cell_text(c)) for c in table.head[0].cells]
    start = next(i for i, w in enumerate(words) if caption.startswith(squeeze(w.text))
                 and squeeze("".join(x.text for x in words[i:i + 40])).startswith(caption))
    i = start
    while squeeze(words[i].text) != head[0][:len(squeeze(words[i].text))]:
        i += 1
    header_y = words[i].y0
    line = sorted((w for w in words[i:i + 60] if w.page == words[i].page and abs(w.y0 - header_y) < 1),
                  key=lambda w: w.x0)
    centres, k = [], 0
    for text in head:
        first = k
        got = ""
        while got != text:
            got += squeeze(line[k].text)
            k += 1
        centres.append((line[first].x0 + line[k - 1].x1) / 2)
    edges = [LEFT]
    for centre in centres:
        edges.append(2 * centre - edges[-1])
    assert abs(edges[-1] - (page_width - LEFT)) < 3, f"the table spans the text width: {edges}"
    body = []
    for w in words[i:]:
        if w.page == words[i].page and w.y0 <= header_y + 1:
            continue
        if w.y0 < HEADER:
            continue
        if w.x0 < LEFT + 2:
            break
        body.append(w)
    # The header repeated at the top of a following page: the words of the first line with the header's texts.
    firsts = {}
    for w in body:
        firsts.setdefault(w.page, w.y0)
    repeated = [w for w in body if w.page != words[i].page and abs(w.y0 - firsts[w.page]) < 1]
    if repeated and squeeze("".join(w.text for w in sorted(repeated, key=lambda w: w.x0))) == "".join(head):
        body = [w for w in body if w not in repeated]
    columns = [""] * len(head)
    for w in sorted(body, key=lambda w: (w.page, round(w.y0), w.x0)):
        column = max(n for n, edge in enumerate(edges[:-1]) if w.x0 >= edge - 0.5)
        columns[column] += squeeze(w.text)
    return columns


def tables(document, roles: tuple[str, ...]) -> list[Table]:
    found = []

    def walk(node):
        for block in node.blocks:
            if getattr(block, "kind", "") == "table" and block.role in roles:
                found.append(block)
        for section in node.sections:
            walk(section)

    for chapter in document.chapters:
        walk(chapter)
    return found


def test_iod_and_module_tables_have_the_model_cells(derm, tmp_path):
    chosen = tables(derm.ctx.document, ("iod", "module"))
    assert {t.role for t in chosen} == {"iod", "module"}
    for path in (derm.a4, derm.letter):
        words = bbox_words(path, tmp_path)
        width = float(pypdf.PdfReader(str(path)).pages[0].mediabox.width)
        for table in chosen:
            assert pdf_columns(table, words, width) == model_columns(table), (path.name, table.label)


def test_table_header_rows_repeat_on_every_page_of_the_table(derm):
    """The module table is longer than a page: each page it continues on starts with its header row."""
    table = tables(derm.ctx.document, ("module",))[0]
    head = " ".join(fold(cell_text(c)) for c in table.head[0].cells)
    texts = page_texts(derm.reader())
    pages = [n for n, t in enumerate(texts) if head in t]
    assert len(pages) >= 2 and pages == list(range(pages[0], pages[0] + len(pages)))


def test_change_marks_are_in_the_pdf(widget):
    """Inserted and deleted words of the amendments are in the text (and drawn: see the next test)."""
    text = " ".join(page_texts(widget.reader()))
    for words in ("The quick brown slow red fox jumps over Modality (0008,0060) today.", "A new paragraph.",
                  "An old paragraph.", "Widget Type (0099,0010) 3 Added row.", "Gone (0099,0099) 3 Removed row.",
                  "Type of device equipment."):
        assert words in text, words


def test_change_marks_are_visible_in_print(widget, tmp_path):
    """On the rendered page, a deleted word has a line through its middle, an inserted word a line under it, and
    an unchanged word neither (pdftotext -bbox gives each word's box, pdftoppm the pixels)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; scripts/test.sh installs it")
    from PIL import Image

    words = bbox_words(widget.a4, tmp_path)
    first = next(i for i, w in enumerate(words) if w.text == "quick" and words[i + 2].text == "slow")
    # (a replacement's deleted and inserted words touch in the model; the print style keeps a gap between them)
    page = words[first].page
    dpi = 150
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(widget.a4),
                    str(tmp_path / "marks")], check=True, timeout=120)
    [png] = list(tmp_path.glob("marks*.png"))
    grey = Image.open(png).convert("L")
    scale = dpi / 72

    def lines(word: Word) -> set[str]:
        """Where a row of pixels is dark across the whole word: "middle" and/or "under"."""
        x0, x1 = round(word.x0 * scale) + 1, round(word.x1 * scale) - 1
        top, bottom = word.y0 * scale, word.y1 * scale
        found = set()
        for y in range(round(top), round(bottom + 0.25 * (bottom - top)) + 1):
            dark = sum(1 for x in range(x0, x1) if grey.getpixel((x, y)) < 140)
            if dark >= 0.95 * (x1 - x0):
                where = (y - top) / (bottom - top)
                found.add("middle" if 0.3 <= where <= 0.75 else "under" if where > 0.75 else "over")
        return found

    quick, brown, slow, red, fox = words[first:first + 5]
    assert [w.text for w in (quick, brown, slow, red, fox)] == ["quick", "brown", "slow", "red", "fox"]
    assert "middle" in lines(quick) and "middle" in lines(brown), "deleted words are struck through"
    assert lines(slow) == {"under"} and lines(red) == {"under"}, "inserted words are underlined"
    assert lines(fox) == set(), "an unchanged word has no line"


def test_change_marks_in_the_dermoscopy_amendments(derm):
    text = " ".join(page_texts(derm.reader()))
    assert "Dermoscopy (DMS)," in text and "DMS Dermoscopy" in text


def test_figures_are_vector_graphics(derm):
    """The SVG figures are drawn as paths (form XObjects), not embedded as raster images."""
    reader = derm.reader()
    images = sum(len(page.images) for page in reader.pages)
    assert images == 0, "a figure was rasterised"
    text = " ".join(page_texts(reader))
    for figure in derm.ctx.document.figures:
        assert f"Figure {figure.label}. {fold(figure.title)}" in text


# --- Determinism, --since, errors ---------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(derm, tmp_path):
    again = build(DERMOSCOPY, tmp_path)
    assert again.a4.read_bytes() == derm.a4.read_bytes()
    assert again.letter.read_bytes() == derm.letter.read_bytes()
    data = derm.a4.read_bytes()
    assert str(ROOT).encode() not in data and b"file:" not in data, "no path of this machine in the PDF"
    for path, paper in ((derm.a4, "A4"), (derm.letter, "letter")):
        first = pypdf.PdfReader(str(path)).trailer["/ID"][0]
        first = first.original_bytes if hasattr(first, "original_bytes") else bytes(first)
        assert first == pdf.identifier(derm.ctx.document, paper), "the fixed identifier, not a random one"


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)


def test_since_adds_the_changes_since_chapter(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    spec = tmp_path / "spec" / "minimal"
    shutil.copytree(MINIMAL, spec)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "spec")
    _git(tmp_path, "commit", "-q", "-m", "first draft")
    path = spec / "supplement.yaml"
    text = path.read_text()
    old = next(line for line in text.splitlines() if line.startswith("version:"))
    path.write_text(text.replace(old, 'version: "9.9"'))
    built = build(spec, tmp_path / "out", since="HEAD")
    reader = built.reader()
    marks = outline(reader)
    since = [m for m in marks if m[1].startswith("Changes since")]
    assert len(since) == 1 and since[0][0] == 0
    assert marks.index(since[0]) == 1, "the chapter comes first, after the contents"
    chapter = page_texts(reader)[since[0][2] - 1]
    assert "9.9" in chapter and "Changes since" in chapter


def test_missing_engine_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    ctx = build_context(MINIMAL)
    with pytest.raises(InputError) as caught:
        pdf.Pdf().write(ctx, tmp_path)
    message = str(caught.value)
    assert "pip install weasyprint" in message and "libpango" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_missing_fonts_are_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_FOLDER", tmp_path / "no-fonts")
    ctx = build_context(MINIMAL)
    with pytest.raises(InputError) as caught:
        pdf.Pdf().write(ctx, tmp_path)
    message = str(caught.value)
    assert "fonts-dejavu-core" in message and "DejaVuSans.ttf" in message and "DICOMSUP_PDF_FONTS" in message


def build_context(folder: Path) -> BuildContext:
    supplement = load_supplement(folder, [])
    return BuildContext(supplement, Index(supplement), folder)


# --- A page to look at ---------------------------------------------------------------------------------------------


def test_a_page_renders_to_png(derm, tmp_path):
    """The first page of the module table, as PNG in the test's temporary folder (never in the repository)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; scripts/test.sh installs it")
    from PIL import Image

    table = tables(derm.ctx.document, ("module",))[0]
    texts = page_texts(derm.reader())
    number = next(n for n, t in enumerate(texts, start=1) if f"Table {table.label}." in t)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number), str(derm.a4),
                    str(tmp_path / "page")], check=True, timeout=120)
    [png] = list(tmp_path.glob("page*.png"))
    with Image.open(png) as image:
        assert [abs(got - want) <= 1 for got, want in zip(image.size, (210 / 25.4 * 80, 297 / 25.4 * 80))] == [True] * 2
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.01 * image.size[0] * image.size[1], "the page has text and rules on it"
    print(f"page {number} rendered to {png}")
