"""Enhanced multi-frame IODs in every output (issue 15, walls 1-3): the Functional Group Macros table (Table
A.x.4-1 here, by its explicit label), the module table under its explicit label, prose conditions as written with
"may be present otherwise", a new functional group macro as a macro, new parent sections rendered as new before what
lies under them, and annex sections with explicit labels; in DocBook, HTML, PDF, Word, the JSON export, the
innolitics tables and the presentation model they share.

The fixture is ``tests/fixtures/enhanced``; before these fields existed it could not be loaded at all.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from build_tools.build import Report, run_outputs
from build_tools.document.build import document
from build_tools.load.loader import load_supplement
from build_tools.outputs import docbook, docx, html, innolitics, json_export, pdf
from build_tools.outputs.base import BuildContext
from build_tools.standard.index import Index

ENHANCED = Path(__file__).resolve().parents[1] / "fixtures" / "enhanced"
DB = "{http://docbook.org/ns/docbook}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
FG_TABLE = "table_A.95.1.4-1"
#: The rows of the Functional Group Macros table, as the standard's cells read.
FG_ROWS = [
    ["Pixel Measures", "C.7.6.16.2.1", "M - Shall be used as a shared functional group"],
    ["Frame Content", "C.7.6.16.2.2", "U - Shall not be used as a shared functional group"],
    ["Derivation Image", "C.7.6.16.2.6",
     "C - Required if the image or frame has been derived from another SOP Instance."],
    ["Optical Path Identification", "C.8.12.6.2",
     "C - Required if Dimension Organization Type (0020,9311) is not TILED_FULL; may be present otherwise."],
    ["Real World Value Mapping", "C.7.6.16.2.11", "U"],
    ["Lesion Stack Frame Type", "C.8.95.1", "M"],
]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def ctx() -> BuildContext:
    findings: list = []
    supplement = load_supplement(ENHANCED, findings)
    assert findings == []
    return BuildContext(supplement, Index(supplement), spec_folder=ENHANCED)


@pytest.fixture(scope="module")
def model(ctx):
    return document(ctx.supplement, ctx.index)


def sections(node):
    for section in getattr(node, "sections", ()):
        yield section
        yield from sections(section)


def tables(model):
    for chapter in model.chapters:
        for section in sections(chapter):
            for block in section.blocks:
                if block.kind == "table":
                    yield block


def cell_text(cell) -> str:
    return fold(" ".join(getattr(node, "text", "") for block in cell.blocks for node in getattr(block, "inlines", ())))


# --- the presentation model ------------------------------------------------------------------------------------


def test_functional_group_table_in_the_model(model):
    table = next(t for t in tables(model) if t.id == FG_TABLE)
    assert (table.label, table.caption, table.role) == ("A.95.1.4-1", "Lesion Stack Image IOD Functional Group Macros",
                                                        "functional-groups")
    assert [cell_text(c) for c in table.head[0].cells] == ["Functional Group Macro", "Section", "Usage"]
    assert [[cell_text(c) for c in row.cells] for row in table.body] == FG_ROWS
    labels = {s.label: s.title for chapter in model.chapters for s in sections(chapter)}
    assert labels["A.95.1.4"] == "Lesion Stack Image IOD Functional Group Macros"


def test_module_table_under_its_explicit_label_and_prose_conditions_as_written(model):
    labels = {t.label for t in tables(model)}
    assert "A.95.1.3-1" in labels and "A.95.1-1" not in labels
    table = next(t for t in tables(model) if t.label == "A.95.1.3-1")
    usage = {cell_text(row.cells[-3]): cell_text(row.cells[-1]) for row in table.body}
    assert usage["Synchronization"] == "C - Required if time synchronization was applied."
    assert usage["Specimen"] == "C - Required if the Imaging Subject is a Specimen; may be present otherwise."


def test_new_functional_group_macro_rendered_as_a_macro(model):
    titles = {s.label: s.title for chapter in model.chapters for s in sections(chapter)}
    assert titles["C.8.95.1"] == "Lesion Stack Frame Type Macro"
    table = next(t for t in tables(model) if t.label == "C.8.95.1-1")
    assert table.caption == "Lesion Stack Frame Type Macro Attributes"


def test_parent_sections_are_new_and_come_before_their_content(model):
    chapter = next(c for c in model.chapters if c.part == "PS3.3")
    wrappers = [w.title for w in chapter.sections]
    assert wrappers == ["Section A.95 (new)", "Section A.95.1 (new)", "Section C.8.95 (new)",
                        "Section C.8.95.1 (new)"]
    first = chapter.sections[0]
    # In the standard's idiom: after the IOD section the baseline has before it.
    assert fold(first.blocks[0].inlines[0].text) == "Add new Section A.95 after Section A.90:"
    assert (first.sections[0].label, first.sections[0].title) == ("A.95", "Lesion Stack Image IODs")
    assert not any("modified" in w for w in wrappers)


def test_annex_sections_keep_explicit_labels_and_number_on(model):
    annex = next(c for c in model.chapters if c.part == "PS3.17").sections[0].sections[0]
    found = [(s.label, s.id) for s in sections(annex)]
    assert found == [("QQQQQ.7", "sect_QQQQQ.7"), ("QQQQQ.8", "sect_QQQQQ.8"), ("QQQQQ.8.3", "sect_QQQQQ.8.3")]


# --- DocBook, HTML, PDF, Word ------------------------------------------------------------------------------------


def db_rows(table) -> list[list[str]]:
    return [[fold("".join(td.itertext())) for td in tr.findall(f"{DB}td")] for tr in table.iter(f"{DB}tr")
            if tr.find(f"{DB}td") is not None]


@pytest.mark.skipif(not docbook.SCHEMA.is_file(), reason="DocBook 5.0 RELAX NG schema not installed")
def test_docbook_has_the_functional_group_table_and_validates(ctx, tmp_path):
    run_outputs([docbook.DocBook], ctx, tmp_path, Report())  # validates every file first
    part = etree.parse(str(tmp_path / "docbook" / "PS3.3.xml")).getroot()
    table = next(t for t in part.iter(f"{DB}table") if t.get(XML_ID) == FG_TABLE)
    assert table.get("label") == "A.95.1.4-1"
    assert fold("".join(table.find(f"{DB}caption").itertext())) == "Lesion Stack Image IOD Functional Group Macros"
    rows = db_rows(table)
    assert [row[0] for row in rows] == [row[0] for row in FG_ROWS]
    assert [row[2] for row in rows] == [row[2] for row in FG_ROWS]
    ids = {e.get(XML_ID) for e in part.iter() if e.get(XML_ID)}
    assert {"sect_A.95", "table_A.95.1.3-1", "sect_A.95.1.4", "sect_C.8.95", "table_C.8.95.1-1"} <= ids


def test_html_has_the_functional_group_table(model):
    page = html5lib.parse(html.render(model), treebuilder="lxml", namespaceHTMLElements=False).getroot()
    table = next(t for t in page.iter("table") if t.get("id") == FG_TABLE)
    assert "functional-groups" in (table.get("class") or "")
    assert "A.95.1.4-1" in fold("".join(table.find("caption").itertext()))
    rows = [[fold("".join(td.itertext())) for td in tr.findall("td")] for tr in table.iter("tr") if tr.findall("td")]
    assert rows == FG_ROWS


def test_pdf_print_page_has_the_functional_group_table(ctx):
    page = pdf.render_html(ctx, "A4", (), {})
    tree = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False).getroot()
    table = next(t for t in tree.iter("table") if t.get("id") == FG_TABLE)
    rows = [[fold("".join(td.itertext())) for td in tr.findall("td")] for tr in table.iter("tr") if tr.findall("td")]
    assert rows == FG_ROWS


def test_pdf_typesets_the_functional_group_table(ctx, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    try:
        engine, fonts = pdf.engine(), pdf.fonts()
    except Exception as exc:  # the engine or its fonts are not installed here
        pytest.skip(f"PDF engine not usable here: {exc}")
    target = tmp_path / "a4.pdf"
    assert pdf.write_pdf(engine, pdf.render_html(ctx, "A4", fonts, {}), target, b"0" * 32) == []
    text = fold(" ".join(page.extract_text() for page in pypdf.PdfReader(str(target)).pages))
    assert "Table A.95.1.4-1. Lesion Stack Image IOD Functional Group Macros" in text
    assert "Shall not be used as a shared functional group" in text


def test_word_has_the_functional_group_table(model):
    data = docx.render(model, "WG-19", lambda figure: b"")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    text = re.sub(r"\|+", "|", re.sub(r"<[^>]+>", "|", xml))
    assert "|Table A.95.1.4-1. Lesion Stack Image IOD Functional Group Macros|" in text
    expected = "|".join(cell for row in FG_ROWS for cell in row)
    assert f"|Functional Group Macro|Section|Usage|{expected}|" in text


# --- the JSON outputs ---------------------------------------------------------------------------------------------


def test_innolitics_functional_group_table(ctx):
    records = innolitics.tables(ctx.supplement, ctx.index)
    rows = records["ciod_to_func_group_macros.json"]
    assert rows[0] == {"ciodId": "lesion-stack-image", "macroId": "pixel-measures", "usage": "M",
                       "conditionalStatement": "Shall be used as a shared functional group.",
                       "moduleType": "Multi-frame"}
    assert rows[3]["conditionalStatement"] == ("Required if Dimension Organization Type (0020,9311) is not "
                                               "TILED_FULL; may be present otherwise.")
    assert "lesion-stack-frame-type" in {m["id"] for m in records["macros.json"]}
    sync = next(r for r in records["ciod_to_modules.json"] if r["moduleId"] == "synchronization")
    assert sync["conditionalStatement"] == "Required if time synchronization was applied."
    assert records["ciods.json"][0]["linkToStandard"].endswith("#table_A.95.1.3-1")


def test_json_export_keeps_the_new_fields(ctx):
    exported = json.loads(json_export.dumps(json_export.export(ctx.supplement)))["supplement"]
    iod = exported["iods"][0]
    assert (iod["table"], iod["functional_groups_table"]) == ("A.95.1.3-1", "A.95.1.4-1")
    assert iod["functional_groups"][0] == {"macro": "Pixel Measures", "usage": "M", "placement": "shared",
                                           "otherwise": "absent"}
    assert [s["section"] for s in exported["sections"]] == ["A.95", "C.8.95"]
    assert exported["annex"]["sections"][0]["label"] == "QQQQQ.7"
    assert exported["examples"][0]["conditions"] == {"time-synchronized": False, "specimen": False,
                                                     "derived": False}
    assert exported["example_defaults"] == {"Manufacturer": "Example Stacks Inc."}


def test_explicit_functional_group_table_label_gives_its_section(ctx):
    """Table A.90.2.5-1 lies in Section A.90.2.5 (the tiled pyramidal IOD), not in the default <section>.4."""
    import dataclasses

    iod = dataclasses.replace(ctx.supplement.iods[0], functional_groups_table="A.95.1.5-1")
    supplement = dataclasses.replace(ctx.supplement, iods=[iod])
    model = document(supplement, Index(supplement))
    found = {s.label: s.id for chapter in model.chapters for s in sections(chapter)}
    assert found["A.95.1.5"] == "sect_A.95.1.5" and "A.95.1.4" not in found
    assert "table_A.95.1.5-1" in {t.id for t in tables(model)}


def test_note_after_a_bare_usage_follows_a_dash(ctx):
    import dataclasses

    from build_tools.core.model import Prose

    iod = ctx.supplement.iods[0]
    groups = [dataclasses.replace(g, note=Prose("May be used only if {de:PhotometricInterpretation} is "
                                                "MONOCHROME2.")) if g.macro == "Real World Value Mapping" else g
              for g in iod.functional_groups]
    supplement = dataclasses.replace(ctx.supplement, iods=[dataclasses.replace(iod, functional_groups=groups)])
    table = next(t for t in tables(document(supplement, Index(supplement))) if t.id == FG_TABLE)
    row = next(row for row in table.body if cell_text(row.cells[0]) == "Real World Value Mapping")
    usage = "".join(getattr(n, "text", "") for n in row.cells[2].blocks[0].inlines)
    assert usage == "U - May be used only if Photometric Interpretation (0028,0004) is MONOCHROME2."
