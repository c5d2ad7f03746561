"""HTML publication (build_tools/html.py): well-formedness, escaping, accessibility structure, anchors equal to the
DocBook xml:ids, links, self-containment, determinism, and the same text as the DocBook.

The DocBook is read with lxml and the HTML with html5lib, each by its own small walker below (no renderer code), and
the two are compared table by table, cell by cell, and paragraph by paragraph over the whole document.
"""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from build_tools.outputs import docbook, html
from build_tools.outputs.registry import OUTPUTS
from build_tools.document.nodes import TARGET_KINDS, Link
from html_pages import DERMOSCOPY, WIDGET, build_page, modified_copy

NS = {"d": "http://docbook.org/ns/docbook"}
DB = "{http://docbook.org/ns/docbook}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
REF = "[ref]"  # a link whose text the DocBook stylesheet writes (xref/olink with xrefstyle), in both formats

pytestmark = pytest.mark.skipif(not docbook.SCHEMA.is_file(),
                                reason=f"DocBook 5.0 RELAX NG schema not installed ({docbook.SCHEMA}); "
                                       "install docbook5-xml (scripts/test.sh does)")


class Built:
    """A supplement rendered to DocBook and HTML in a temporary folder, both parsed."""

    def __init__(self, folder: Path, out: Path, rules: bool = True):
        self.page = build_page(folder, out, rules)
        self.bytes = self.page.read_bytes()
        self.html = html5lib.parse(self.bytes, treebuilder="lxml", namespaceHTMLElements=False).getroot()
        self.docbook = etree.parse(str(out / "docbook" / docbook.FILE), docbook.parser()).getroot()
        self.main = self.html.find(".//main")


@pytest.fixture(scope="module")
def derm(tmp_path_factory) -> Built:
    return Built(DERMOSCOPY, tmp_path_factory.mktemp("derm"))


@pytest.fixture(scope="module")
def widget(tmp_path_factory) -> Built:
    return Built(WIDGET, tmp_path_factory.mktemp("widget"), rules=False)


# --- Walkers --------------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def db_text(node) -> str:
    """Reader's text of a DocBook element; a link the stylesheet writes (no text of its own) is [ref]."""
    out = [node.text or ""]
    for child in node:
        if etree.QName(child).localname in ("xref", "olink") and not (child.text or "") and len(child) == 0:
            out.append(REF)
        else:
            out.append(db_text(child))
        out.append(child.tail or "")
    return "".join(out)


def html_text(node) -> str:
    """Reader's text of an HTML element; a link of class xref is [ref] (its text stands for the generated one)."""
    out = [node.text or ""]
    for child in node:
        if not isinstance(child.tag, str):
            pass
        elif child.tag == "a" and "xref" in (child.get("class") or "").split():
            assert fold(html_text(child)), "an xref link must show text in HTML"
            out.append(REF)
        else:
            out.append(html_text(child))
        out.append(child.tail or "")
    return "".join(out)


def db_leaves(node) -> list[str]:
    """Texts of the paragraphs, terms and variable-list titles under ``node``, in document order (empty ones left
    out: an empty DocBook cell holds <para/>, an empty HTML cell nothing)."""
    found = []
    for element in node.iter(f"{DB}para", f"{DB}term", f"{DB}title"):
        if element.tag == f"{DB}title" and element.getparent().tag != f"{DB}variablelist":
            continue
        text = fold(db_text(element))
        if text:
            found.append(text)
    return found


def html_leaves(node) -> list[str]:
    found = []
    for element in node.iter("p", "dt"):
        classes = (element.get("class") or "").split()
        if element.get("role") == "heading" or "subtitle" in classes:
            continue
        text = fold(html_text(element))
        if text:
            found.append(text)
    return found


def db_cells(table) -> list:
    rows = table.xpath("d:thead/d:tr|d:tbody/d:tr", namespaces=NS)
    return [[(etree.QName(c).localname, c.get("colspan", "1"), c.get("rowspan", "1"), db_leaves(c))
             for c in row.xpath("d:th|d:td", namespaces=NS)] for row in rows]


def html_cells(table) -> list:
    rows = table.xpath("thead/tr|tbody/tr")
    return [[(c.tag, c.get("colspan", "1"), c.get("rowspan", "1"), html_leaves(c)) for c in row.xpath("th|td")]
            for row in rows]


def headings(root) -> list[tuple[int, str]]:
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if re.fullmatch(r"h[1-6]", element.tag):
            found.append((int(element.tag[1]), fold(html_text(element))))
        elif element.get("role") == "heading":
            found.append((int(element.get("aria-level")), fold(html_text(element))))
    return found


# --- The page as a document -----------------------------------------------------------------------------------


def test_registered_after_docbook():
    assert OUTPUTS.index(html.Html) == OUTPUTS.index(docbook.DocBook) + 1
    assert (html.Html.name, html.Html.folder, html.Html.scope) == ("html", "html", "supplement")


def test_well_formed_html5(derm, widget):
    for built in (derm, widget):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(built.bytes)  # raises ParseError on the first problem
        assert parser.errors == []
        assert built.bytes.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")


def test_build_command_writes_the_page(tmp_path):
    from build_tools.build import build_all

    report = build_all([DERMOSCOPY], tmp_path)
    assert not report.errors
    page = tmp_path / "dermoscopy" / "html" / "index.html"
    assert page in report.written
    assert (tmp_path / "dermoscopy" / "html" / "figures").is_dir()


def test_deterministic(derm, tmp_path):
    again = build_page(DERMOSCOPY, tmp_path)
    assert again.read_bytes() == derm.bytes
    for figure in (derm.page.parent / "figures").iterdir():
        assert (again.parent / "figures" / figure.name).read_bytes() == figure.read_bytes()


def test_self_contained(derm):
    """Nothing is loaded from elsewhere: no external style sheet or script, every image a file beside the page."""
    assert derm.html.xpath("//link[@rel='stylesheet']") == []
    assert [s.get("src") for s in derm.html.iter("script")] == [None]
    assert len(derm.html.xpath("//style")) == 1
    images = derm.html.xpath("//img/@src")
    assert len(images) == 4
    for src in images:
        assert not re.match(r"[a-z]+:|/", src), src
        assert (derm.page.parent / src).is_file(), src
    assert not re.search(r"url\(|@import", derm.bytes.decode())


def test_headings_in_order(derm, widget):
    for built in (derm, widget):
        levels = headings(built.html)
        assert levels[0][0] == 1 and [lvl for lvl, _ in levels].count(1) == 1
        for (before, _), (after, text) in zip(levels, levels[1:]):
            assert after <= before + 1, f"heading {text!r} skips from h{before} to h{after}"


def test_table_headers_have_scope(derm):
    cells = derm.html.xpath("//th")
    assert cells and all(th.get("scope") in ("col", "row", "colgroup", "rowgroup") for th in cells)
    assert all(t.xpath("thead/tr/th") for t in derm.main.iter("table"))


def test_title_block_and_running_header(derm):
    header = derm.html.find(".//header")
    text = fold(html_text(header))
    for expected in ("Digital Imaging and Communications in Medicine (DICOM)", "Supplement 221: Dermoscopy",
                     "WG-19 Dermatologic Standards", "Final Text", "1.0", "2026/11/25"):
        assert expected in text
    style = derm.html.find(".//style").text
    assert '@top-left { content: "Supplement 221: Dermoscopy"; }' in style
    assert '@top-right { content: "Final Text \\2013  Version 1.0"; }' in style
    assert "display: table-header-group" in style and "break-before: page" in style


def test_draft_banner_only_when_not_final(derm, widget):
    assert derm.html.xpath("//*[@id='html-draft']") == []
    banner = widget.html.xpath("//*[@id='html-draft']")
    assert len(banner) == 1 and "Public Comment" in html_text(banner[0])


def test_legend_and_toggle(derm, widget):
    legend = derm.html.xpath("//*[@id='html-legend']")[0]
    assert legend.xpath(".//ins") and legend.xpath(".//del")
    button = widget.html.xpath("//button[@id='html-toggle-deletions']")[0]
    assert button.get("type") == "button" and button.get("aria-pressed") == "false"
    # Dermoscopy deletes nothing: no "Hide deletions" control to offer.
    assert not derm.main.xpath(".//del") and not derm.html.xpath("//button[@id='html-toggle-deletions']")


def test_no_doubled_contents_entries(derm, widget):
    """One contents entry per section: no editorial wrapper ("Section C.8.12.13 (new)") above the section."""
    for built in (derm, widget):
        toc = [fold(html_text(a)) for a in built.html.xpath("//*[@id='html-toc']//a")]
        assert toc and not [t for t in toc if t.endswith(("(new)", "(new rows)", "(modified)"))]
        hrefs = built.html.xpath("//*[@id='html-toc']//a/@href")
        assert len(hrefs) == len(set(hrefs))
        assert not built.main.xpath(".//section[@class='change']")
    entries = [fold(html_text(a)) for a in derm.html.xpath("//*[@id='html-toc']//a")]
    assert sum(1 for t in entries if "Dermoscopic Image Module" in t) == 1


# --- Anchors and links ----------------------------------------------------------------------------------------


def test_ids_equal_docbook_ids_in_order(derm, widget):
    for built in (derm, widget):
        db_ids = [e.get(XML_ID) for e in built.docbook.iter() if e.get(XML_ID)]
        html_ids = [e.get("id") for e in built.html.iter() if isinstance(e.tag, str) and e.get("id")]
        assert len(html_ids) == len(set(html_ids)), "duplicate ids"
        assert [i for i in html_ids if i in set(db_ids)] == db_ids
        assert all(i in db_ids or i.startswith("html-") for i in html_ids)


def test_sections_have_the_docbook_numbers_and_titles(derm):
    db = [(e.get(XML_ID), fold(" ".join(filter(None, (e.get("label"), db_text(e.find(f"{DB}title")))))))
          for e in derm.docbook.iter(f"{DB}chapter", f"{DB}section")]
    ours = []
    for section in derm.main.iter("section"):
        heading = next(child for child in section if child.tag.startswith("h") or child.get("role") == "heading")
        ours.append((section.get("id"), fold(html_text(heading))))
    assert ours == db


def test_local_links_resolve(derm, widget):
    for built in (derm, widget):
        ids = {e.get("id") for e in built.html.iter() if isinstance(e.tag, str)}
        local = [a.get("href")[1:] for a in built.html.iter("a") if (a.get("href") or "").startswith("#")]
        assert local and all(target in ids for target in local)


def test_mentions_link_to_definitions(derm):
    """A mention of a new module links to its section, of this supplement's tables and sections to them; every
    DocBook xref inside the document is a local link of the page too (the page also links locally what the
    DocBook, part by part, reaches by olink). Attribute mentions are plain text in both, as in the standard."""
    ids = {e.get("id") for e in derm.html.iter() if isinstance(e.tag, str) and e.get("id")}
    db_local = {e.get("linkend") for e in derm.docbook.iter(f"{DB}link", f"{DB}xref")} & ids
    html_local = {a.get("href")[1:] for a in derm.main.iter("a") if a.get("href", "").startswith("#")
                  and "anchor" not in (a.get("class") or "")}
    assert db_local and db_local <= html_local
    assert "sect_C.8.12.13" in html_local
    assert not derm.main.xpath(".//a[contains(@class, 'ref-element')]")
    assert derm.main.xpath(".//td[contains(., 'Contact Method (0016,1003)')]")


def test_amended_cids_link_locally(derm):
    """Mentions of the CIDs this supplement amends (29, 30, 33) go to their tables here, in both formats."""
    scope = derm.html.xpath("//*[@id='chapter_Scope']")[0]
    for cid in (29, 30, 33):
        links = scope.xpath(f".//a[@href='#table_CID_{cid}']")
        assert len(links) == 1 and "ref-cid" in links[0].get("class").split() and \
            "local" in links[0].get("class").split()
        assert derm.html.xpath(f"//table[@id='table_CID_{cid}']")
    assert not scope.xpath(".//a[contains(@href, 'sect_CID_')]")


def test_links_carry_their_kind(derm, widget):
    """Every link in the text says what it points at as a class ref-<kind>, one of TARGET_KINDS, consistent
    with its target."""
    pattern = {"module": r"sect_C\.", "iod": r"sect_A\.", "section": r"(sect_|chapter_)", "table": r"table_",
               "cid": r"(sect|table)_CID_", "code": r"DCM_", "part": r"PS3\.\d+\.html$"}
    seen = set()
    for built in (derm, widget):
        for a in built.main.iter("a"):
            classes = (a.get("class") or "").split()
            if "anchor" in classes:
                continue
            kinds = [c[4:] for c in classes if c.startswith("ref-")]
            assert len(kinds) == 1 and kinds[0] in TARGET_KINDS, (a.get("href"), classes)
            target = a.get("href").rsplit("#", 1)[-1] if "#" in a.get("href") else a.get("href").rsplit("/", 1)[-1]
            assert re.match(pattern[kinds[0]], target), (kinds[0], a.get("href"))
            seen.add(kinds[0])
    # Attribute and UID mentions are plain text (no link to carry a kind), as the standard writes them.
    assert {"module", "iod", "section", "table", "cid", "code", "part"} <= seen


def test_external_links_point_at_the_published_standard(derm):
    olinks = {(o.get("targetdoc"), o.get("targetptr")) for o in derm.docbook.xpath("//d:olink", namespaces=NS)}
    external = [a for a in derm.main.iter("a") if "olink" in (a.get("class") or "").split()]
    assert external
    for a in external:
        href = a.get("href")
        assert href.startswith("https://dicom.nema.org/medical/dicom/current/output/"), href
        found = re.search(r"/part(\d\d)[/.]", href)
        assert found, href
        part = f"PS3.{int(found.group(1))}"
        # What the page links to the published standard, the DocBook reaches by olink or, within the part, xref.
        assert any(doc == part and ptr in href for doc, ptr in olinks) or part == "PS3.3", href


@pytest.mark.parametrize("part, target, url", [
    ("PS3.3", "sect_C.7.3", "chtml/part03/sect_C.7.3.html"),
    ("PS3.16", "sect_CID_29", "chtml/part16/sect_CID_29.html"),
    ("PS3.17", "chapter_A", "chtml/part17/chapter_A.html"),
    ("PS3.6", "table_6-1", "chtml/part06/chapter_6.html#table_6-1"),
    ("PS3.6", "table_A-1", "chtml/part06/chapter_A.html#table_A-1"),
    ("PS3.3", "table_C.8-77", "html/part03.html#table_C.8-77"),
    ("PS3.16", "DCM_121000", "chtml/part16/chapter_D.html#DCM_121000"),
    ("PS3.4", "PS3.4", "chtml/part04/PS3.4.html"),
])
def test_standard_url(part, target, url):
    assert html.standard_url(Link("x", part, target)) == "https://dicom.nema.org/medical/dicom/current/output/" + url


def test_standard_url_none_without_a_part():
    assert html.standard_url(Link("x")) is None
    assert html.standard_url(Link("x", "Part 3", "sect_A")) is None


# --- Same text as the DocBook ---------------------------------------------------------------------------------


def test_tables_have_the_same_cells_as_docbook(derm, widget):
    for built in (derm, widget):
        db_tables = built.docbook.xpath("//d:table|//d:informaltable", namespaces=NS)
        tables = list(built.main.iter("table"))
        assert len(tables) == len(db_tables) > 0
        for ours, theirs in zip(tables, db_tables):
            assert ours.get("id") == theirs.get(XML_ID)
            if theirs.get("label"):
                caption = db_text(theirs.find(f"{DB}caption"))
                assert fold(html_text(ours.find("caption"))) == fold(f"Table {theirs.get('label')}. {caption}")
            assert html_cells(ours) == db_cells(theirs), ours.get("id")


def test_same_paragraphs_as_docbook(derm, widget):
    for built in (derm, widget):
        db_book = [c for c in built.docbook if etree.QName(c).localname == "chapter"]
        db = [text for chapter in db_book for text in db_leaves(chapter)]
        assert html_leaves(built.main) == db


def test_same_change_marks_as_docbook(derm, widget):
    for built in (derm, widget):
        roles = {"underline": "ins", "strikethrough": "del"}
        db = [(roles[e.get("role")], fold(db_text(e))) for e in built.docbook.iter(f"{DB}emphasis")
              if e.get("role") in roles]
        ours = [(e.tag, fold(html_text(e))) for e in built.main.iter("ins", "del")]
        assert ours == db and (built is derm or {"ins", "del"} <= {tag for tag, _ in ours})


def test_dermoscopy_tables(derm):
    iod = derm.html.xpath("//table[@id='table_A.32.11-1']")[0]
    rows = iod.xpath("tbody/tr")
    assert len(rows) == 21
    # The IE cell opens each group of rows and spans it; later rows of the group have three cells.
    firsts = [r for r in rows if len(r.xpath("td")) == 4]
    assert [fold(html_text(r.xpath("td")[0])) for r in firsts] == ["Patient", "Study", "Series", "Equipment",
                                                                    "Acquisition", "Image"]
    assert sum(int(r.xpath("td")[0].get("rowspan", "1")) for r in firsts) == 21
    assert all(len(r.xpath("td")) == 3 for r in rows if r not in firsts)
    module = derm.html.xpath("//table[@id='table_C.8.12.13-1']")[0]
    assert len(module.xpath("tbody/tr")) == 10
    assert fold(html_text(module.find("caption"))) == "Table C.8.12.13-1. Dermoscopic Image Module Attributes"


def test_nesting_and_change_marks(widget):
    nested = widget.html.xpath("//tr[contains(@class,'depth-1')]")
    assert nested and all(fold(html_text(r.xpath("td")[0])).startswith(">") for r in nested)
    include = [r for r in nested if "Include" in html_text(r)]
    assert include and include[0].xpath("td[1]/@colspan") == ["3"] and include[0].xpath("td[1]//em")
    assert widget.main.xpath(".//ins") and widget.main.xpath(".//del")
    assert widget.main.xpath(".//tr[@class='removed']//del") and widget.main.xpath(".//tr[@class='added']//ins")
    assert widget.main.xpath(".//dt[@class='removed']") and widget.main.xpath(".//dt[@class='added']")
    # Instructions stand in the text, not in wrapper sections; as many as the DocBook has.
    instructions = widget.main.xpath(".//p[@class='instruction']")
    db_instructions = widget.docbook.xpath("//d:para[d:emphasis[@role='italic'] and count(node())=1]"
                                           "[starts-with(normalize-space(.), 'Add') or "
                                           "starts-with(normalize-space(.), 'Modify')]", namespaces=NS)
    assert len(instructions) == len(db_instructions) > 0
    assert all(p.xpath("em") for p in instructions)


# --- Escaping -------------------------------------------------------------------------------------------------

SCRIPT = '<script>alert("owned")</script>'


def test_escapes_markup_from_yaml(tmp_path):
    folder = modified_copy(DERMOSCOPY, tmp_path / "spec", {
        "modules.yaml": [("of the dermoscope's light source, in kelvin.",
                          f"of the dermoscope's light source, in kelvin. {SCRIPT} & <b>bold</b>")],
        "supplement.yaml": [('title: Dermoscopy', 'title: "Dermoscopy </style><script>x()</script> \\" \\\\ end"'),
                            ("summary: First working draft", f"summary: {SCRIPT} First working draft")],
    })
    page = build_page(folder, tmp_path / "out", rules=False)
    raw = page.read_bytes()
    html5lib.HTMLParser(strict=True).parse(raw)
    tree = html5lib.parse(raw, treebuilder="lxml", namespaceHTMLElements=False)
    assert len(tree.xpath("//script")) == 1  # the page's own
    assert len(tree.xpath("//style")) == 1 and tree.xpath("//b") == []
    text = raw.decode()
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    cell = tree.xpath("//table[@id='table_C.8.12.13-1']//td[contains(., 'kelvin')]")[0]
    assert SCRIPT in fold(html_text(cell))
    style = tree.xpath("//style")[0].text
    assert "</style" not in style and "\\3C /style\\3E " in style and "\\22  \\5C  end" in style


def test_css_string():
    assert html.css_string('a"b\\c</style>\n') == "a\\22 b\\5C c\\3C /style\\3E \\A "
    assert html.css_string("Dermoscopy – Final") == "Dermoscopy – Final"


def test_deep_sections_keep_heading_levels():
    """Below h6 a section title is a role=heading paragraph with its aria-level, so levels never skip or repeat."""
    from build_tools.core.resources import templates; TEMPLATES = templates()
    from build_tools.document.nodes import Chapter, Document, Para, Section, Text

    section = Section("sect_X.1.1.1.1.1", "X.1.1.1.1.1", "Deepest", (Para((Text("Text."),)),))
    for depth in range(5, 0, -1):
        label = "X" + ".1" * depth
        section = Section(f"sect_{label}", label, f"Level {depth}", (), (section,))
    document = Document("T", "Supplement 1: Deep", 1, "Deep", "WG", "Final Text", "1.0", "2026-01-01", "2026/01/01",
                        None, (Chapter("chapter_X", "Chapter", None, (), (section,)),))
    page = html.render(document, TEMPLATES)
    html5lib.HTMLParser(strict=True).parse(page)
    tree = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False)
    levels = [level for level, _ in headings(tree.getroot())]
    assert levels == [1, 2, 2, 3, 4, 5, 6, 7, 8]
    assert fold(html_text(tree.xpath("//*[@aria-level='8']")[0])) == "X.1.1.1.1.1 Deepest"
