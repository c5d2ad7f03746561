"""IODs: the standard's module table (innolitics) with dicom3tools' disagreements kept apart, and FG tables."""

from __future__ import annotations

from build_tools.standard import baseline


def test_an_iod_has_its_module_and_functional_group_tables():
    iod = baseline.iod("VL Whole Slide Microscopy Image")
    assert (iod.section, iod.table) == ("A.32.8", "A.32.8-1")
    modules = [row.module for row in iod.modules]
    for name in ("Multi-frame Functional Groups", "Multi-frame Dimension", "Specimen", "Optical Path",
                 "Frame Extraction", "Multi-Resolution Pyramid", "Microscope Slide Layer Tile Organization"):
        assert name in modules
        assert baseline.module(name) is not None, name
    assert modules.count("Multi-frame Functional Groups") == 1  # dicom3tools' two parts are one PS3.3 row
    slide_label = next(r for r in iod.modules if r.module == "Slide Label")
    assert slide_label.usage == "C" and "LABEL" in slide_label.condition
    groups = {g.macro: g for g in iod.functional_groups}
    assert groups["Pixel Measures"].usage == "M" and groups["Pixel Measures"].table == "C.7.6.16-2"
    for group in iod.functional_groups:
        assert baseline.module(group.macro) is not None, group.macro


def test_every_row_of_every_table_names_a_baseline_entry():
    missing = {(iod.name, row.module) for iod in baseline.iods() for row in iod.modules
               if baseline.entry(row.module) is None}
    missing |= {(iod.name, g.macro) for iod in baseline.iods() for g in iod.functional_groups
                if baseline.entry(g.macro) is None}
    assert missing == set()


def test_where_the_sources_disagree_the_standards_table_is_used_and_dicom3tools_kept_apart():
    iod = baseline.iod("Dermoscopic Photography Image")
    assert "Frame of Reference" not in [r.module for r in iod.modules]
    assert [(r.module, r.usage, r.only_in) for r in iod.dicom3tools_only] == [("Frame of Reference", "U",
                                                                               "dicom3tools")]
    ct = baseline.iod("Enhanced CT Image")
    sync = next(r for r in ct.modules if r.module == "Synchronization")
    assert (sync.usage, sync.d3t_usage) == ("C", "U")
    assert "time synchronization" in sync.condition


def test_tables_follow_the_standards_order():
    iod = baseline.iod("Enhanced CT Image")
    modules = [r.module for r in iod.modules]
    assert modules.index("CT Series") < modules.index("Clinical Trial Series")
    assert [r.ie for r in iod.modules][:3] == ["Patient", "Patient", "Study"]


def test_split_iods_are_one_iod_with_both_sop_classes():
    iod = baseline.iod("Digital Mammography X-Ray Image")
    assert set(iod.sop_classes) == {"1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1"}


def test_information_entities_cover_the_current_tables():
    names = set(baseline.information_entities())
    used = {row.ie for iod in baseline.iods() if not iod.retired for row in iod.modules}
    assert used <= names
