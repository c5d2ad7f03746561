"""DS360: an id that the change text of a part would add and that the part already has in the baseline, reported at
the YAML value that makes it; and the ids the baseline knows per part (build_tools.check.ids)."""

from __future__ import annotations

from pathlib import Path

from build_tools.check.ids import known_ids
from build_tools.check.rules import check
from build_tools.load.loader import load_supplement

FIXTURE = Path(__file__).resolve().parents[1] / "merge" / "fixtures" / "ps33-module"


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "spec"
    folder.mkdir()
    for source in FIXTURE.iterdir():
        (folder / source.name).write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return folder


def test_a_new_section_with_an_existing_number_is_reported_where_it_is_written(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "section: C.7.6.90", "section: C.8.12.12")
    findings = [f for f in check(load_supplement(folder)) if f.code == "DS360"]
    assert [(Path(f.loc.file).name, f.loc.line, f.loc.column) for f in findings] == [("content.yaml", 3, 14)] * 2
    assert {f.message.split(" already has the id ")[1].split(",")[0] for f in findings} == \
        {"'sect_C.8.12.12'", "'table_C.8.12.12-1'"}


def test_a_free_number_is_fine() -> None:
    assert not [f for f in check(load_supplement(FIXTURE)) if f.code == "DS360"]


def test_known_ids() -> None:
    ps33 = known_ids("PS3.3")
    assert {"sect_C.8.12.1", "table_C.8-77", "sect_C.8.12", "chapter_C", "sect_A.1.2", "sect_A.32.10"} <= ps33
    # What a supplement of this repository defines is its own, not the baseline's.
    assert "sect_C.8.12.13" not in ps33 and "sect_A.32.11" not in ps33
    assert "sect_CID_29" in known_ids("PS3.16")


def test_a_republished_module_keeps_its_own_ids_and_a_new_parent_section_is_checked(tmp_path: Path) -> None:
    """A module the baseline holds at the same place (Sup 236's, known by name and page only) is the standard's
    own: its section and table ids are not collisions (DS353 says it is already there). A new parent section is
    checked like any other new section."""
    folder = _copy(tmp_path, "section: C.7.6.90", "section: C.8.35.1\n    table: C.8.35.1-1")
    text = (folder / "content.yaml").read_text(encoding="utf-8")
    module_name = text.split("- name: ", 1)[1].split("\n", 1)[0]
    (folder / "content.yaml").write_text(text.replace(module_name, "Confocal Microscopy Image", 1), encoding="utf-8")
    findings = check(load_supplement(folder))
    assert not [f for f in findings if f.code == "DS360"], [str(f) for f in findings if f.code == "DS360"]
    assert [f.code for f in findings if f.code == "DS353"] == ["DS353"]
    with (folder / "content.yaml").open("a", encoding="utf-8") as out:
        out.write("\nsections:\n  - {part: PS3.3, section: C.8.12, title: VL Modules Again}\n")
    assert [f.message for f in check(load_supplement(folder)) if f.code == "DS360"] == [
        "PS3.3 already has the id 'sect_C.8.12', which this supplement would add again; choose a number or label "
        "that the part does not use"]
