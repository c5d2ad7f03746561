"""The baseline holds the whole standard of ``ps33-structure.json``: every module, macro, functional group macro,
IOD and SOP Class under its official name, the rows of each definition, the edition and the sources."""

from __future__ import annotations

from collections import Counter

from build_tools.standard import baseline
from build_tools.core.model import Include

KINDS = {"module": "module", "macro": "macro", "functional-group-macro": "functional group macro"}


def _by_title() -> dict[str, object]:
    return {(e.title if e.kind != "module" else e.name): e for e in baseline.entries()}


def test_every_standard_definition_is_there_under_its_official_name(definitions):
    titles = _by_title()
    missing = []
    for definition in definitions:
        entry = titles.get(definition["name"])
        if entry is None or entry.kind != KINDS[definition["kind"]]:
            missing.append(definition["name"])
    assert missing == []


def test_counts_per_kind_match_the_source(definitions):
    official = {(d["name"], KINDS[d["kind"]]) for d in definitions}
    expected = Counter(kind for _name, kind in official)
    # modules that only an IOD table names (ps33-structure.json has no entry for them) are added
    expected["module"] += len(baseline.disagreements().get("entries_only_in_iod_tables", []))
    assert Counter(e.kind for e in baseline.entries()) == expected
    summary = baseline.counts()
    assert (summary["modules"], summary["macros"], summary["functional_group_macros"]) == (
        expected["module"], expected["macro"], expected["functional group macro"])


def test_left_out_definitions_are_not_findable(source):
    names = set(baseline.module_names()) | {e.name for e in baseline.entries()} | set(_by_title())
    for definition in source["modules"]:
        if definition.get("pseudo") or definition.get("d3t_category") in ("pseudo", "profile", "directory-record"):
            if definition.get("variant_of"):  # a profile of a standard definition: the standard one is found
                continue
            assert definition["name"] not in names, definition["d3t_name"]
    for name in ("Check Single Frame Pseudo", "Patient Directory Record", "IHE Mammo Profile",
                 "File Meta Information"):
        assert baseline.module(name) is None and baseline.entry(name) is None


def test_every_iod_and_sop_class_is_there(source):
    iods = {i["name"] for i in source["iods"] if not i.get("profile") and not i.get("private")}
    assert {i.name for i in baseline.iods()} == iods
    uids = {s["uid"] for s in source["sop_classes"] if not s.get("private")}
    assert {u for u in uids if baseline.sop_class(u) is None} == set()
    assert baseline.counts()["sop_classes"] == len(uids)
    wsi = baseline.sop_classes_for_iod("VL Whole Slide Microscopy Image")
    assert [s.uid for s in wsi] == ["1.2.840.10008.5.1.4.1.1.77.1.6"]


def _source_rows(rows: list[dict]) -> list[tuple]:
    return [("include",) if "include" in r else (r["keyword"], r["type"] or "3", tuple(_source_rows(r.get("items", []))))
            for r in rows if "include" not in r or not r["d3t_name"].endswith("DirectoryRecord")]


def _rows(rows: list) -> list[tuple]:
    return [("include",) if isinstance(r, Include) else (r.attribute, r.type, tuple(_rows(r.items))) for r in rows]


def test_rows_of_a_sample_are_the_source_rows(source):
    by_d3t = {d["d3t_name"]: d for d in source["modules"] if d.get("d3t_name")}
    for name, d3t in (("Synchronization", "Synchronization"), ("Specimen", "Specimen"),
                      ("Optical Path", "OpticalPath"), ("Multi-frame Dimension", "MultiFrameDimension"),
                      ("Pixel Measures", "PixelMeasuresMacro"), ("Specimen Macro", "SpecimenMacro"),
                      ("Patient", "Patient"), ("Enhanced CT Image", "EnhancedCTImage")):
        expected = _source_rows(by_d3t[d3t]["attributes"])
        assert _rows(baseline.module(name).attributes) == expected, name


def test_row_total_is_the_total_of_the_definitions_used(source):
    by_d3t = {d["d3t_name"]: d for d in source["modules"] if d.get("d3t_name")}

    def count(rows: list[dict]) -> int:
        return sum(0 if "include" in r else 1 + count(r.get("items", [])) for r in rows)

    expected = 0
    for entry in baseline.entries():
        if not entry.has_rows:
            continue
        if entry.name == "Multi-frame Functional Groups":  # the common rows and the two sequences (items empty)
            expected += count(by_d3t[entry.d3t_name]["attributes"]) + 2
        else:
            expected += count(by_d3t[entry.d3t_name]["attributes"])
    assert baseline.counts()["attribute_rows"] == expected
    assert expected > 5000


def test_entries_known_only_from_innolitics_say_so(source):
    only = [d["name"] for d in source["modules"] if d["match"] == "innolitics-only"]
    titles = _by_title()
    assert len(only) == 189
    for name in only:
        entry = titles[name]
        assert not entry.has_rows and "no attribute rows" in entry.source
        assert baseline.module(entry.name).attributes == []


def test_edition_sources_and_information_entities_are_recorded(source):
    about = source["about"]
    assert baseline.edition() == about["edition"]
    assert baseline.sources() == about["sources"]
    assert "QIICR/dicom3tools" in baseline.source() and "innolitics/dicom-standard" in baseline.source()
    assert baseline.information_entities() == tuple(source["information_entities"]["names"])
    assert {"Patient", "Study", "Series", "Image", "Frame of Reference", "Multi-Resolution Pyramid"} <= set(
        baseline.information_entities())


def test_catalog_serves_every_module_but_the_carried_ones():
    names = [m.name for m in baseline.catalog().modules]
    assert len(names) == len(set(names)) == len(baseline.module_names())
    assert "Dermoscopic Image" not in names and baseline.entry("Dermoscopic Image").carried_by
    assert baseline.catalog().edition == baseline.edition()
