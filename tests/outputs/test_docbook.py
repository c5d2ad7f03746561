"""DocBook 5 change text: schema validity, round trip of every table to the model, escaping, change marks, ids,
reference resolution, determinism and a small reviewed golden file.

The round trip reads the generated XML with lxml only (no renderer code) and compares it with values computed
from the model by the small independent walkers below.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree

from build_tools.outputs import docbook
from build_tools.outputs.base import BuildContext
from build_tools.core.resources import templates

TEMPLATES = templates()
from build_tools.core.errors import InputError
from build_tools.load.loader import load_supplement
from build_tools.core.tags import parse_tag
from build_tools.standard.index import Index, element_keyword, iod_table, module_table, uid_keyword
from build_tools.core.model import Include, Supplement
from build_tools.core.prose import Ref
from build_tools.document.build import build_document, document
from build_tools.document.nodes import TARGET_KINDS
from build_tools.document.refs import Ids, Resolver, para_id
from build_tools.check.ids import known_ids

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "docbook" / "widget"
DERMOSCOPY = ROOT / "spec" / "dermoscopy"
GOLDEN = ROOT / "tests" / "golden" / "docbook"
NS = {"d": "http://docbook.org/ns/docbook"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

pytestmark = pytest.mark.skipif(not docbook.SCHEMA.is_file(),
                                reason=f"DocBook 5.0 RELAX NG schema not installed ({docbook.SCHEMA}); "
                                       "install docbook5-xml (scripts/test.sh does)")


class Rendered:
    """A supplement loaded, rendered and parsed back."""

    def __init__(self, folder: Path):
        findings: list = []
        self.supplement: Supplement = load_supplement(folder, findings)
        assert not findings, findings
        self.index = Index(self.supplement)
        self.document, self.warnings = build_document(self.supplement, self.index)
        self.text = docbook.render(self.document, TEMPLATES)
        self.root = etree.fromstring(self.text.encode(), docbook.parser())
        self.texts = docbook.part_texts(self.document)
        #: Each part's own file (PS3.n.xml), as text and parsed.
        self.parts = {t.part: docbook.render_part(self.document, t) for t in self.texts}
        self.part_roots = {part: etree.fromstring(text_.encode(), docbook.parser())
                           for part, text_ in self.parts.items()}
        self.outside = frozenset().union(*(docbook.elsewhere(part) for part in self.parts))

    def by_id(self, id_: str):
        found = self.root.xpath("//*[@xml:id=$id]", id=id_)
        assert len(found) == 1, f"{id_}: {len(found)} elements"
        return found[0]

    def in_part(self, part: str, id_: str):
        """The element of ``id_`` in the file of ``part`` (PS3.n.xml)."""
        found = self.part_roots[part].xpath("//*[@xml:id=$id]", id=id_)
        assert len(found) == 1, f"{part} {id_}: {len(found)} elements"
        return found[0]

    def body_rows(self, table_id: str) -> list:
        """The rows of a table, without the "…" rows that stand for the rest of an existing table."""
        return [tr for tr in self.by_id(table_id).xpath("d:tbody/d:tr", namespaces=NS)
                if text(tr.xpath("d:td", namespaces=NS)[0]) != "…"]


def text(node) -> str:
    """The reader's text of a cell or para, whitespace folded; an xref/olink that lets the stylesheet write its
    text is shown as [its target]."""
    return re.sub(r"\s+", " ", _ordered_text(node)).strip()


def _ordered_text(node) -> str:
    out = [node.text or ""]
    for child in node:
        name = etree.QName(child).localname
        if name in ("xref", "olink") and not (child.text or "") and len(child) == 0:
            out.append("[" + (child.get("linkend") or child.get("targetptr")) + "]")
        else:
            out.append(_ordered_text(child))
        out.append(child.tail or "")
    return "".join(out)


def target(cell) -> str | None:
    links = cell.xpath(".//d:xref|.//d:olink|.//d:link", namespaces=NS)
    if not links:
        return None
    link = links[0]
    return link.get("linkend") or link.get("targetptr")


@pytest.fixture(scope="module")
def widget() -> Rendered:
    return Rendered(FIXTURE)


@pytest.fixture(scope="module")
def dermoscopy() -> Rendered:
    if not (DERMOSCOPY / "supplement.yaml").is_file():
        pytest.skip("spec/dermoscopy is not written yet")
    return Rendered(DERMOSCOPY)


@pytest.fixture(params=["widget", "dermoscopy"])
def rendered(request) -> Rendered:
    return request.getfixturevalue(request.param)


# --- validity, ids, determinism ---------------------------------------------------------------------------------


def test_schema_valid(rendered: Rendered) -> None:
    """The book and every part's file are valid DocBook 5; the one tolerance is an xref to an id the part has in
    the baseline (it resolves once merged: tests/merge)."""
    assert docbook.validate_text(rendered.text.encode()) == []  # the book stands alone: strictly valid
    assert sorted(rendered.parts) == sorted(rendered.supplement.parts)
    for part, text_ in rendered.parts.items():
        assert docbook.validate_text(text_.encode(), docbook.elsewhere(part)) == [], part


def test_every_link_of_a_part_stays_in_the_part(rendered: Rendered) -> None:
    """Every xref/link of a part's file points at an id of that part (in the file, or in the part as the baseline
    knows it); every other reference is an olink into another part (or to a part itself)."""
    seen = 0
    for part, root in rendered.part_roots.items():
        here = {e.get(XML_ID) for e in root.iter() if e.get(XML_ID)}
        targets = [link.get("linkend") for link in root.xpath("//d:xref|//d:link[@linkend]", namespaces=NS)]
        seen += len(targets)
        for target_ in targets:
            assert target_ in here or target_ in known_ids(part), (part, target_)
        for olink in root.xpath("//d:olink", namespaces=NS):
            doc, ptr = olink.get("targetdoc"), olink.get("targetptr")
            assert doc != part or ptr == part, (part, ptr)
    assert seen > 10


def test_no_warnings(rendered: Rendered) -> None:
    assert rendered.warnings == []


def test_validation_reports_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<book xmlns="http://docbook.org/ns/docbook" version="5.0"><title>x</title>'
                   '<chapter><title>c</title><para><xref linkend="nowhere"/></para></chapter></book>')
    assert docbook.validate(bad)
    dup = tmp_path / "dup.xml"
    dup.write_text('<book xmlns="http://docbook.org/ns/docbook" version="5.0"><title>x</title>'
                   '<chapter xml:id="a"><title>c</title><para xml:id="a">p</para></chapter></book>')
    assert docbook.validate(dup)


def test_ids_unique_and_links_resolve(rendered: Rendered) -> None:
    ids = [e.get(XML_ID) for e in rendered.root.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids))
    for link in rendered.root.xpath("//d:xref|//d:link[@linkend]", namespaces=NS):
        assert link.get("linkend") in ids
    for root in rendered.part_roots.values():
        ids = [e.get(XML_ID) for e in root.iter() if e.get(XML_ID)]
        assert len(ids) == len(set(ids))
    # Every paragraph of the change text has an id, as the standard's paragraphs have.
    assert not rendered.part_roots["PS3.3"].xpath("//d:para[not(@xml:id) and not(d:emphasis[@role='italic'] and "
                                                  "count(node())=1) and node()]", namespaces=NS)


def test_id_scheme(widget: Rendered) -> None:
    ids = {e.get(XML_ID) for e in widget.root.iter() if e.get(XML_ID)}
    assert {"sect_A.99", "table_A.99-1", "sect_C.99.1", "table_C.99.1-1", "sect_C.99.1.1.1", "table_B.5-1",
            "table_I.4-1", "table_6-1", "table_A-1", "table_A-3", para_id("PS3.6/tag_00990010"),
            "sect_CID_9999", "table_CID_9999", "table_CID_29", "DCM_WID",
            "chapter_WWW", "sect_WWW.1", "figure_WWW.1-1", "chapter_PS3.3",
            "chapter_History", "chapter_Scope"} <= ids
    # No editorial wrapper section (it would double the entries of a table of contents), no part prefix.
    assert not [i for i in ids if "_change_" in i or re.match(r"PS3\.\d+_", i)]
    assert not widget.root.xpath("//d:section[@role='change']", namespaces=NS)
    # Two amendments of the same section: the second id is disambiguated in document order.
    assert {"sect_C.7.3.1", "sect_C.7.3.1_2"} <= ids


def test_deterministic(widget: Rendered) -> None:
    again = docbook.render(document(widget.supplement, Index(widget.supplement)), TEMPLATES)
    assert again == widget.text


def test_front_matter(widget: Rendered) -> None:
    root = widget.root
    assert root.tag == "{http://docbook.org/ns/docbook}book" and root.get("version") == "5.0"
    assert root.findtext("d:title", namespaces=NS) == "Digital Imaging and Communications in Medicine (DICOM)"
    assert root.findtext("d:subtitle", namespaces=NS) == "Supplement 999: Example Widget"
    assert root.findtext("d:info/d:releaseinfo", namespaces=NS) == "Status: Public Comment"
    assert root.findtext("d:info/d:pubdate", namespaces=NS) == "2026/01/02"
    assert "2026-01-Z" in root.findtext("d:info/d:legalnotice/d:para", namespaces=NS)
    assert "WG-99 Widgets" in root.findtext("d:info/d:author/d:orgname", namespaces=NS)
    titles = [c.findtext("d:title", namespaces=NS) for c in root.findall("d:chapter", NS)]
    assert titles == ["Document History", "Open and Closed Issues", "Scope and Field of Application"] + \
        [f"Changes to NEMA Standards Publication PS3.{n}" for n in (3, 4, 6, 16, 17)] + ["Widgets (Informative)"]
    # The PS3.17 annex is a chapter of its own, as PS3.17 writes its annexes.
    annex = widget.by_id("chapter_WWW")
    assert etree.QName(annex).localname == "chapter" and annex.get("label") == "WWW"


# --- round trip of the tables -----------------------------------------------------------------------------------


def expected_iod_rows(rendered: Rendered, iod) -> list[tuple]:
    rows = []
    for use in iod.modules:
        module = rendered.index.module(use.module)
        rows.append((use.ie, use.module, f"sect_{module.section}", use.usage))
    return rows


def test_iod_table_round_trip(rendered: Rendered) -> None:
    for iod in rendered.supplement.iods:
        got = []
        ie, left = None, 0
        for tr in rendered.body_rows(f"table_{iod_table(iod)}"):
            cells = tr.xpath("d:td", namespaces=NS)
            if left == 0:
                ie, left = text(cells[0]), int(cells[0].get("rowspan"))
                cells = cells[1:]
            assert len(cells) == 3
            left -= 1
            got.append((ie, text(cells[0]), target(cells[1]), text(cells[2]).split(" ")[0]))
        assert got == expected_iod_rows(rendered, iod)


def test_conditional_usage(widget: Rendered) -> None:
    last = widget.body_rows("table_A.99-1")[-1]
    assert text(last.xpath("d:td", namespaces=NS)[-1]) == \
        "C - Required if Widget Type (0099,0010) is present and Value 3 of Image Type (0008,0008) is A or B."


def flatten(rendered: Rendered, rows, depth: int = 0) -> list[tuple]:
    out = []
    for row in rows:
        if isinstance(row, Include):
            macro = rendered.index.module(row.include)
            out.append((">" * depth + "Include", f"table_{module_table(macro)}", None))
            continue
        element = rendered.index.element(row.attribute)
        out.append((">" * depth + element.name, element.tag_text, row.type))
        out.extend(flatten(rendered, row.items, depth + 1))
    return out


def test_module_tables_round_trip(rendered: Rendered) -> None:
    assert rendered.supplement.modules
    for module in rendered.supplement.modules:
        got = []
        for tr in rendered.body_rows(f"table_{module_table(module)}"):
            cells = tr.xpath("d:td", namespaces=NS)
            if cells[0].get("colspan") == "3":
                assert len(cells) == 2
                name = text(cells[0]).split(" [")[0]
                got.append((name, target(cells[0]), None))
            else:
                assert len(cells) == 4
                got.append((text(cells[0]), text(cells[1]), text(cells[2])))
        assert got == flatten(rendered, module.attributes)


def test_registry_round_trip(rendered: Rendered) -> None:
    expected = sorted(((e.tag, e.name, element_keyword(e), e.vr, e.vm, "RET" if e.retired else "")
                       for e in rendered.supplement.data_elements), key=lambda row: parse_tag(row[0]))
    got = [tuple(text(td) for td in tr.xpath("d:td", namespaces=NS)) for tr in rendered.body_rows("table_6-1")]
    assert got == expected


def test_retired_row_is_italic(widget: Rendered) -> None:
    row = widget.by_id(para_id("PS3.6/tag_00990012")).getparent().getparent()
    cells = row.xpath("d:td", namespaces=NS)
    assert all(cell.xpath("d:para/d:emphasis[@role='italic']", namespaces=NS) for cell in cells)


def test_uid_rows_round_trip(rendered: Rendered) -> None:
    expected = [(u.value, u.name, uid_keyword(u), u.type, u.part) for u in rendered.supplement.uids]
    got = []
    for tr in rendered.body_rows("table_A-1"):
        cells = tr.xpath("d:td", namespaces=NS)
        got.append(tuple(text(c) for c in cells[:4]) + (target(cells[4]),))
    assert got == expected


def test_cid_rows_round_trip(rendered: Rendered) -> None:
    index = rendered.index
    groups = [(g.cid, g.rows) for g in rendered.supplement.context_groups] + \
        [(a.cid, a.rows) for a in rendered.supplement.context_group_additions]
    assert groups
    for cid, rows in groups:
        got = [tuple(text(td) for td in tr.xpath("d:td", namespaces=NS))
               for tr in rendered.body_rows(f"table_CID_{cid}") if not text(tr).startswith("Include")]
        assert got == [(r.scheme, r.value, index.code_meaning(r.scheme, r.value, r.meaning)) for r in rows]


def test_cid_header(widget: Rendered) -> None:
    section = widget.by_id("sect_CID_9999")
    assert section.get("label") == "CID 9999"
    terms = {e.findtext("d:term", namespaces=NS): text(e.find("d:listitem", NS))
             for e in section.xpath("d:variablelist/d:varlistentry", namespaces=NS)}
    assert terms == {"Keyword:": "WidgetTypes", "FHIR Keyword:": "dicom-cid-9999-WidgetTypes", "Type:": "Extensible",
                     "Version:": "20260101", "UID:": "1.2.840.10008.6.1.9999"}
    assert [e.findtext("d:term", namespaces=NS) for e in section.xpath("d:variablelist/d:varlistentry",
                                                                        namespaces=NS)] == \
        ["Keyword:", "FHIR Keyword:", "Type:", "Version:", "UID:"]
    include = widget.in_part("PS3.16", "table_CID_9999").xpath("d:tbody/d:tr", namespaces=NS)[-1]
    # CID 29 is amended in this document (table_CID_29), but an Include row names the CID's section in the
    # standard, which is what PS3.16's parsers read: an xref, since CID 29 is in PS3.16 itself (in the book, which
    # has no CID 29 section, an olink into PS3.16).
    assert target(include) == "sect_CID_29"
    book_include = widget.body_rows("table_CID_9999")[-1]
    assert book_include.xpath("d:td/d:para/d:emphasis/d:olink/@targetdoc", namespaces=NS) == ["PS3.16"]
    assert include.xpath("d:td/d:para/d:emphasis/d:xref/@xrefstyle", namespaces=NS) == ["select: label quotedtitle"]


def test_amended_cid_shows_its_header_and_new_version(widget: Rendered) -> None:
    """Rows added to an existing CID come with its header (Keyword, Version) and the change of its Version (the
    supplement's date, underlined), ahead of the new CIDs so that they never sit inside one."""
    table = widget.by_id("table_CID_29")
    header = table.getprevious()
    assert etree.QName(header).localname == "variablelist"
    terms = {e.findtext("d:term", namespaces=NS): e.find("d:listitem/d:para", NS)
             for e in header.xpath("d:varlistentry", namespaces=NS)}
    assert text(terms["Keyword:"]) == "AcquisitionModality"
    assert terms["Version:"].xpath("d:emphasis[@role='underline']/text()", namespaces=NS) == ["20260102"]
    assert table.getparent().get(XML_ID) == "chapter_PS3.16"


def test_dcm_codes_sorted_with_ids(widget: Rendered) -> None:
    rows = widget.body_rows("table_D-1")
    assert [text(tr.xpath("d:td", namespaces=NS)[0]) for tr in rows] == ["111999", "WID"]
    assert widget.by_id("DCM_WID").text == "WID"


def test_sop_class_row(rendered: Rendered) -> None:
    for sop, tr in zip(rendered.supplement.sop_classes, rendered.body_rows("table_B.5-1")):
        cells = tr.xpath("d:td", namespaces=NS)
        uid = rendered.index.uid(sop.uid)
        assert (text(cells[0]), text(cells[1])) == (uid.name, uid.value)
        assert target(cells[2]) == f"sect_{rendered.index.iod(sop.iod).section}"


def test_figures(widget: Rendered) -> None:
    figure = widget.by_id("figure_WWW.1-1")
    assert figure.get("label") == "WWW.1-1"
    # Named as the standard names its figures' files.
    assert figure.xpath("string(.//d:imagedata/@fileref)", namespaces=NS) == "figures/PS3.17_WWW.1-1.svg"


# --- escaping and change marks ------------------------------------------------------------------------------------


def test_escaping_reads_back(widget: Rendered) -> None:
    raw = "The type of widget: a < b & c > d, \"quoted\" and 'single', ]]> too."
    first = widget.body_rows("table_C.99.1-1")[0]
    description = first.xpath("d:td", namespaces=NS)[3]
    assert description.xpath("string(d:para[1])", namespaces=NS) == raw
    meanings = description.xpath("d:variablelist/d:varlistentry/d:listitem/d:para/text()", namespaces=NS)
    assert "A <square> widget & more." in meanings
    history = widget.by_id("chapter_History").xpath("string(.//d:tbody/d:tr[1]/d:td[3])", namespaces=NS)
    assert history == 'First draft <with> & "quotes" ]]> end.'
    assert "]]>" not in widget.text  # written as ]]&gt;


def test_description_cell_order(widget: Rendered) -> None:
    """Description, then the number of Items of a Sequence, then the condition, as the standard writes them."""
    row = widget.body_rows("table_C.99.1-1")[1]
    paras = [text(p) for p in row.xpath("d:td[4]/d:para", namespaces=NS)]
    assert paras == ["The code of the widget.", "Only a single Item shall be included in this Sequence.",
                     "Required if Widget Type (0099,0010) is ROUND. May be present otherwise."]


def test_module_notes_follow_the_table(tmp_path: Path) -> None:
    """Notes that end a module's description are placed after its table, as the standard places them."""
    import shutil

    folder = tmp_path / "widget"
    shutil.copytree(FIXTURE, folder)
    spec = folder / "supplement.yaml"
    source = spec.read_text(encoding="utf-8")
    assert "    section: C.99.1\n" in source
    spec.write_text(source.replace("    section: C.99.1\n", "    section: C.99.1\n    description: |-\n"
                                   "      The widget intro.\n\n      Note: A note on the table.\n"), encoding="utf-8")
    section = Rendered(folder).by_id("sect_C.99.1")
    children = [etree.QName(child).localname for child in section]
    assert children[:4] == ["title", "para", "table", "note"], children
    assert text(section.find("d:para", NS)) == "The widget intro."
    assert text(section.find("d:note", NS)) == "A note on the table."


def test_quotes_are_literal_in_text() -> None:
    """Character data keeps " and ' (the standard writes "the patient's", not &#39;); attribute values, delimited by
    double quotes, keep &#34;."""
    assert docbook.literal_quotes('<para a="x&#34;y&#39;">it&#39;s &#34;q&#34; &amp; &lt;b&gt;</para>') == \
        '<para a="x&#34;y&#39;">it\'s "q" &amp; &lt;b&gt;</para>'


def test_rendered_quotes(widget: Rendered) -> None:
    assert "&#34;" not in widget.text and "&#39;" not in widget.text
    assert "\"quoted\" and 'single'" in widget.text


def marks(node, role: str) -> list[str]:
    return [e.xpath("string(.)") for e in node.xpath(f".//d:emphasis[@role='{role}']", namespaces=NS)]


def without(node, role: str) -> str:
    """The text of ``node`` leaving out the emphasis of ``role`` (what the other version says)."""
    copy = etree.fromstring(etree.tostring(node))
    for e in copy.xpath(f".//d:emphasis[@role='{role}']", namespaces=NS):
        tail = e.tail or ""
        parent = e.getparent()
        previous = e.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(e)
    return _ordered_text(copy)


def test_change_marks(widget: Rendered) -> None:
    para = widget.by_id("sect_C.7.3.1").xpath("d:para", namespaces=NS)[0]
    assert marks(para, "underline") == ["slow red", " today"]
    assert marks(para, "strikethrough") == ["quick brown"]
    assert without(para, "strikethrough") == "The slow red fox jumps over Modality (0008,0060) today."
    assert without(para, "underline") == "The quick brown fox jumps over Modality (0008,0060)."
    paras = widget.by_id("sect_C.7.3.1").xpath("d:para", namespaces=NS)
    assert marks(paras[2], "underline") == ["A new paragraph."]
    assert marks(paras[3], "strikethrough") == ["An old paragraph."]


def test_changed_table_and_terms(widget: Rendered) -> None:
    section = widget.by_id("sect_C.7.3.1_2")
    rows = section.xpath("d:table/d:tbody/d:tr", namespaces=NS)
    assert marks(rows[0], "strikethrough") == ["device"] and marks(rows[0], "underline") == ["equipment"]
    assert marks(rows[1], "underline") == ["Widget Type", "(0099,0010)", "3", "Added row."]
    assert marks(rows[2], "strikethrough") == ["Gone", "(0099,0099)", "3", "Removed row."]
    terms = section.xpath("d:variablelist/d:varlistentry/d:term", namespaces=NS)
    assert [marks(t, "underline") for t in terms] == [[], ["WID"], []]
    assert [marks(t, "strikethrough") for t in terms] == [[], [], ["OLD"]]


def test_new_material_is_not_marked(widget: Rendered) -> None:
    for id_ in ("sect_A.99", "sect_C.99.1", "table_6-1", "chapter_WWW"):
        node = widget.by_id(id_)
        assert not node.xpath(".//d:emphasis[@role='underline' or @role='strikethrough']", namespaces=NS)


def test_instructions_are_italic_paras(widget: Rendered) -> None:
    """Instructions in the standard's idiom, with the insertion point where the baseline knows it; no wrapper
    section around them."""
    instructions = [text(p) for p in widget.root.xpath("//d:para[d:emphasis[@role='italic'] and count(node())=1]"
                                                       "[starts-with(normalize-space(.), 'Add') or "
                                                       "starts-with(normalize-space(.), 'Modify')]", namespaces=NS)]
    assert "Add the following rows to Table 6-1 “Registry of DICOM Data Elements” after the row of Topic " \
           "Keywords (0088,0912):" in instructions
    assert any(i.startswith("Add the following rows to Table A-1 “UID Values”") for i in instructions)
    assert "Add the following rows to Table D-1 “DICOM Controlled Terminology Definitions”:" in instructions
    assert "Add the following rows to CID 29 “Acquisition Modality”, and change its Version:" in instructions
    assert "Modify Section C.7.3.1 as follows:" in instructions
    assert any(i.startswith("Add the following rows to Table B.5-1 “Standard SOP Classes” after the row of ")
               for i in instructions)
    # Every new Storage SOP Class also has its row in PS3.4 Table I.4-1.
    assert any(i.startswith("Add the following rows to Table I.4-1 “Media Storage Standard SOP Classes”")
               for i in instructions)
    # New material: "Add new …" naming the number it will have and, where the baseline knows it, what it follows.
    assert any(re.fullmatch(r"Add new Section A\.99 after Section A\.\d+:", i) for i in instructions)
    assert "Add new Section C.99.1 to Annex C:" in instructions
    assert "Add new Context Groups to PS3.16 Annex B:" in instructions
    assert "Add new Annex WWW to PS3.17:" in instructions
    # Rows added to an existing table stand between "…" rows: the rest of the table is left out.
    rows = widget.by_id("table_6-1").xpath("d:tbody/d:tr", namespaces=NS)
    assert text(rows[0]) .startswith("…") and text(rows[-1]).startswith("…")


def test_media_storage_row(rendered: Rendered) -> None:
    """Table I.4-1 repeats B.5-1's first three columns; B.5-1's header names PS3.3 by olink, as the standard's."""
    sop = rendered.body_rows("table_B.5-1")
    media = rendered.body_rows("table_I.4-1")
    assert [[text(td) for td in tr.xpath("d:td", namespaces=NS)[:2]] for tr in sop] == \
        [[text(td) for td in tr.xpath("d:td", namespaces=NS)[:2]] for tr in media]
    assert all(len(tr.xpath("d:td", namespaces=NS)) == 3 for tr in media)
    for table_id in ("table_B.5-1", "table_I.4-1"):
        head = rendered.by_id(table_id).xpath("d:thead/d:tr/d:th[3]//d:olink", namespaces=NS)
        assert [(o.get("targetdoc"), o.get("targetptr"), o.get("xrefstyle")) for o in head] == \
            [("PS3.3", "PS3.3", "select: labelnumber")]


def test_no_whitespace_inside_mixed_content(rendered: Rendered) -> None:
    for element in rendered.root.xpath("//d:para|//d:term|//d:title|//d:caption|//d:emphasis", namespaces=NS):
        for piece in [element.text] + [child.tail for child in element]:
            assert "\n" not in (piece or ""), etree.tostring(element)


# --- references -------------------------------------------------------------------------------------------------


def test_reference_resolution(dermoscopy: Rendered) -> None:
    first = Ids()
    build_document(dermoscopy.supplement, dermoscopy.index)
    # Ask a resolver that knows the document's ids (as the second pass does).
    from build_tools.document.build import _build

    _build(dermoscopy.supplement, dermoscopy.index, first)
    resolver = Resolver(dermoscopy.index, Ids(known=dict(first.claimed)), "PS3.3")
    cases = {
        # Attribute and UID mentions in running text are plain text, as the standard writes them.
        ("de", "ContactMethod"): ("Contact Method (0016,1003)", None, None),
        ("de", "Modality"): ("Modality (0008,0060)", None, None),
        ("module", "Dermoscopic Image"): ("Dermoscopic Image Module", "PS3.3", "sect_C.8.12.13"),
        ("module", "General Series"): ("General Series Module", "PS3.3", None),
        ("section", "C.8.12.13"): ("Section C.8.12.13", "PS3.3", "sect_C.8.12.13"),
        ("section", "PS3.17:TTTT.1"): ("Section TTTT.1 in PS3.17", "PS3.17", "sect_TTTT.1"),
        ("table", "C.8.12.13-1"): ("Table C.8.12.13-1", "PS3.3", "table_C.8.12.13-1"),
        ("cid", "29"): ("CID 29 “Acquisition Modality”", "PS3.16", "table_CID_29"),
        ("code", "DCM:DMS"): ("(DMS, DCM, “Dermoscopy”)", "PS3.16", "DCM_DMS"),
        ("uid", "DermoscopicPhotographyImageStorage"): ("Dermoscopic Photography Image Storage", None, None),
        ("part", "PS3.3"): ("PS3.3", "PS3.3", None),
        ("iod", "Dermoscopic Photography Image"): ("Dermoscopic Photography Image IOD", "PS3.3", "sect_A.32.11"),
    }
    kinds = {"de": "element", "module": "module", "iod": "iod", "section": "section", "table": "table",
             "cid": "cid", "code": "code", "uid": "uid", "part": "part"}
    for (kind, target_), (shown, part, local) in cases.items():
        link = resolver.ref(Ref(kind, target_))
        assert (link.text, link.part, link.local) == (shown, part, local), (kind, target_)
        assert link.target_kind == kinds[kind] and link.kind == "link", (kind, target_)
    assert set(kinds.values()) == set(TARGET_KINDS)
    assert resolver.ref(Ref("value", "CONTACT")).text == "CONTACT"
    # A CID the supplement only amends: a mention links to the table of added rows in this document.
    assert resolver.ref(Ref("cid", "29")).target == "table_CID_29"
    assert resolver.ref(Ref("cid", "4029")).local is None  # neither added nor amended: the standard's section
    assert resolver.ref(Ref("cid", "4029")).target == "sect_CID_4029"
    # Structural references (Include rows, Baseline CID) keep the section of the standard.
    assert (resolver.cid(29).target, resolver.cid(29).local) == ("sect_CID_29", None)
    assert resolver.ref(Ref("module", "NoSuchModule")).target_kind is None


def test_amended_cids_are_linked_locally(dermoscopy: Rendered) -> None:
    """The Scope mentions CID 29, 30 and 33, which the supplement amends. The front matter is in no part, so a
    reference is an olink into PS3.16, to the CID's section as PS3.16 has it; inside PS3.16 the amended table is
    the local target."""
    scope = dermoscopy.by_id("chapter_Scope")
    assert not scope.xpath(".//d:xref|.//d:link[@linkend]", namespaces=NS)
    olinks = {o.get("targetptr"): o for o in scope.xpath(".//d:olink[@targetdoc='PS3.16']", namespaces=NS)}
    for cid in (29, 30, 33):
        assert olinks[f"sect_CID_{cid}"].get("xrefstyle") == "select: labelnumber quotedtitle"
        assert dermoscopy.by_id(f"table_CID_{cid}").get("label") == f"CID {cid}"
    # A part is mentioned as the standard does: olink to the part's root, the stylesheet writes "PS3.4".
    parts = scope.xpath(".//d:olink[@targetdoc=@targetptr]", namespaces=NS)
    assert parts and {o.get("xrefstyle") for o in parts} == {"select: labelnumber"}


def test_attribute_mentions_are_plain_text(dermoscopy: Rendered) -> None:
    """"Contact Method (0016,1003)" in running text is text, not a link to Table 6-1; the IOD table's Reference
    column is an xref inside PS3.3, for modules of the supplement and of the standard alike."""
    ps33 = dermoscopy.part_roots["PS3.3"]
    annex = dermoscopy.part_roots["PS3.17"]
    for root in (ps33, annex):
        assert not root.xpath("//d:*[@linkend='table_6-1' or @targetptr='table_6-1']", namespaces=NS)
    assert "Contact Method (0016,1003)" in text(annex)
    table = ps33.xpath("//d:table[@xml:id='table_A.32.11-1']", namespaces=NS)[0]
    references = table.xpath("d:tbody/d:tr/d:td[count(following-sibling::d:td)=1]/d:para/*", namespaces=NS)
    assert len(references) == 21
    assert {etree.QName(r).localname for r in references} == {"xref"}
    assert {r.get("xrefstyle") for r in references} == {"select: labelnumber"}


def test_content_constraints_say_each_thing_once(dermoscopy: Rendered) -> None:
    constraints = dermoscopy.part_roots["PS3.3"].xpath("//d:section[@xml:id='sect_A.32.11.3.1']/d:para[@xml:id]",
                                                       namespaces=NS)
    said = " ".join(text(p) for p in constraints)
    assert said.count("DMS") == 1


def test_section_and_table_references_use_xrefstyle(widget: Rendered, dermoscopy: Rendered) -> None:
    """A Section or Table reference within the part being written lets the stylesheet write "Section X" /
    "Table X" (xrefstyle "select: label"), as the standard does; one into another part keeps its text."""
    description = widget.by_id("sect_A.99.1").xpath("d:para", namespaces=NS)[0]
    xrefs = {x.get("linkend"): x.get("xrefstyle") for x in description.xpath("d:xref", namespaces=NS)}
    assert xrefs == {"sect_C.99.1": "select: label", "table_C.99.1-1": "select: label"}
    assert [text(link) for link in description.xpath("d:link", namespaces=NS)] == ["Example Widget IOD"]
    # Inside PS3.3, a section PS3.3 has is an xref (it resolves once merged), not an olink into the own part.
    er = dermoscopy.in_part("PS3.3", "sect_A.32.11.2").xpath("d:para/d:xref[@linkend='sect_A.1.2']", namespaces=NS)
    assert [(o.get("xrefstyle"), o.text) for o in er] == [("select: label", None)]
    index = Index(dermoscopy.supplement)
    first = Ids()
    from build_tools.document.build import _build

    _build(dermoscopy.supplement, index, first)
    other = Resolver(index, Ids(known=dict(first.claimed)), "PS3.3").ref(Ref("section", "PS3.17:TTTT.1"))
    assert (other.text, other.xrefstyle, other.target_kind) == ("Section TTTT.1 in PS3.17", None, "section")
    # A label that names a new annex here is an Annex reference (xrefstyle "template: Annex %n" in its own part).
    widget_index = Index(widget.supplement)
    claims = Ids()
    _build(widget.supplement, widget_index, claims)
    for part, expected in (("PS3.17", ("Annex WWW", "template: Annex %n")), ("PS3.3", ("Annex WWW in PS3.17", None))):
        annex = Resolver(widget_index, Ids(known=dict(claims.claimed)), part).ref(Ref("section", "PS3.17:WWW"))
        assert (annex.text, annex.xrefstyle) == expected
        assert (annex.target, annex.local, annex.target_kind) == ("chapter_WWW", "chapter_WWW", "section")


def test_consecutive_notes_become_one_numbered_note() -> None:
    """Several notes in a row are one note with a numbered list (``<note><orderedlist>``), as in the standard; a
    lone note stays a note with a paragraph."""
    from build_tools.core.model import Prose
    from build_tools.core.prose import parse
    from build_tools.core.resources import environment
    from build_tools.document.nodes import ItemList as ItemListNode, Note as NoteNode, Para as ParaNode

    resolver = Resolver(Index(load_supplement(FIXTURE)), Ids(), "PS3.3")
    blocks = resolver.blocks(parse(Prose("Text.\n\nNote: One.\n\nNote: Two.\n\nNote: Three.\n\nMore.\n\n"
                                       "Note: Alone.")))
    assert [type(b) for b in blocks] == [ParaNode, NoteNode, ParaNode, NoteNode]
    numbered = blocks[1].blocks
    assert len(numbered) == 1 and isinstance(numbered[0], ItemListNode) and numbered[0].ordered
    assert [[n.text for n in item] for item in numbered[0].items] == [["One."], ["Two."], ["Three."]]
    assert isinstance(blocks[3].blocks[0], ParaNode)
    xml = environment("docbook").get_template(
        "macros.xml.j2").module.blocks(blocks)
    note = etree.fromstring(f'<section xmlns="{NS["d"]}">{xml}</section>').xpath("d:note", namespaces=NS)[0]
    assert [text(p) for p in note.xpath("d:orderedlist/d:listitem/d:para", namespaces=NS)] == ["One.", "Two.",
                                                                                             "Three."]


def test_unresolved_reference_warns() -> None:
    supplement = load_supplement(FIXTURE)
    resolver = Resolver(Index(supplement), Ids(), "PS3.3")
    link = resolver.ref(Ref("de", "NoSuchKeyword"))
    assert link.text == "NoSuchKeyword" and link.target is None
    assert resolver.findings and "no such data element" in resolver.findings[0].message


# --- the generator ----------------------------------------------------------------------------------------------


def test_generate_writes_document_and_figures(tmp_path: Path) -> None:
    supplement = load_supplement(FIXTURE)
    ctx = BuildContext(supplement, Index(supplement), spec_folder=FIXTURE)
    docbook.DocBook().write(ctx, tmp_path)
    written = tmp_path / "supplement.xml"
    texts = docbook.part_texts(ctx.document)
    assert docbook.validate_text(written.read_bytes()) == []
    assert sorted(p.name for p in tmp_path.glob("PS3.*.xml")) == sorted(f"{t.part}.xml" for t in texts)
    for t in texts:
        assert docbook.validate_text((tmp_path / f"{t.part}.xml").read_bytes(), docbook.elsewhere(t.part)) == []
    assert (tmp_path / "figures" / "PS3.17_WWW.1-1.svg").read_bytes() == \
        (FIXTURE / "figures" / "widget.svg").read_bytes()
    assert written.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="utf-8"')


def test_generate_refuses_invalid_docbook(tmp_path: Path, monkeypatch) -> None:
    supplement = load_supplement(FIXTURE)
    ctx = BuildContext(supplement, Index(supplement), spec_folder=FIXTURE)
    monkeypatch.setattr(docbook, "render", lambda *args, **kwargs: '<book xmlns="http://docbook.org/ns/docbook" '
                        'version="5.0"><title>t</title><para><nonsense/></para></book>')
    with pytest.raises(InputError, match="not valid DocBook 5.0"):
        docbook.DocBook().write(ctx, tmp_path)
    assert not (tmp_path / "supplement.xml").exists()


# --- golden -------------------------------------------------------------------------------------------------------


def excerpt(text_: str, table_id: str) -> str:
    match = re.search(rf'( *)<table [^>]*xml:id="{re.escape(table_id)}">.*?</table>\n', text_, re.S)
    assert match, table_id
    indent = len(match.group(1))
    return "".join(line[indent:] + "\n" for line in match.group(0).splitlines())


@pytest.mark.parametrize("table_id,golden", [("table_C.99.1-1", "widget-module-table.xml"),
                                             ("table_A.99-1", "widget-iod-table.xml")])
def test_golden(widget: Rendered, table_id: str, golden: str) -> None:
    """The tables as the editor gets them: from the PS3.3 file, links as PS3.3 will have them."""
    got = excerpt(widget.parts["PS3.3"], table_id)
    path = GOLDEN / golden
    if os.environ.get("DICOMSUP_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"{path} differs; review and regenerate with " \
                                                      "DICOMSUP_UPDATE_GOLDEN=1"
