"""The innolitics-shaped JSON (issue 17): ``dictionaries/innolitics/*.json`` has the records of
innolitics/dicom-standard's tables, with the same keys and value types, for what the supplement adds; prose is
plain text with every reference resolved.

The field sets are those of innolitics' published files (commit 7f4749d), written out below so that the test runs
anywhere; where the copies of those files are at hand (``DICOMSUP_INNOLITICS``, by default
``../shared/standard/innolitics`` beside the repository) the test also checks the field sets against every record there, and that the
Dermoscopy records agree with what the standard has published for Dermoscopy since.
``module_to_attributes.json`` is not among those copies: its fields are those innolitics' own generator writes
(``process_module_attribute_relationship.py`` and ``postprocess_mark_references.py``) and highdicom reads.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from build_tools.build import Report, run_outputs
from build_tools.document.entries import FOLDER
from build_tools.load.loader import load_supplement
from build_tools.outputs import innolitics
from build_tools.outputs.base import BuildContext
from build_tools.standard.index import Index

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = Path(os.environ.get("DICOMSUP_INNOLITICS",
                                Path(__file__).resolve().parents[3] / "shared" / "standard" / "innolitics"))
NoneType = type(None)

#: Per file: each key of a record and the JSON types its value may have.
FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "attributes.json": {"tag": (str,), "name": (str,), "keyword": (str,), "valueRepresentation": (str,),
                        "valueMultiplicity": (str,), "retired": (str,), "id": (str,)},
    "modules.json": {"name": (str,), "id": (str,), "description": (str,), "linkToStandard": (str,)},
    "macros.json": {"name": (str,), "id": (str,), "description": (str,), "linkToStandard": (str,)},
    "ciods.json": {"name": (str,), "id": (str,), "description": (str,), "linkToStandard": (str,)},
    "ciod_to_modules.json": {"ciodId": (str,), "moduleId": (str,), "usage": (str,),
                             "conditionalStatement": (str, NoneType), "informationEntity": (str,)},
    "ciod_to_func_group_macros.json": {"ciodId": (str,), "macroId": (str,), "usage": (str,),
                                       "conditionalStatement": (str, NoneType), "moduleType": (str,)},
    "sops.json": {"name": (str,), "id": (str,), "ciod": (str,)},
    "module_to_attributes.json": {"moduleId": (str,), "path": (str,), "tag": (str,), "type": (str,),
                                  "linkToStandard": (str,), "description": (str,), "externalReferences": (list,)},
}


def generate(folder: Path, out: Path) -> dict[str, list[dict]]:
    supplement = load_supplement(folder, [])
    run_outputs([innolitics.Innolitics], BuildContext(supplement, Index(supplement), spec_folder=folder), out,
                Report())
    target = out / FOLDER / innolitics.SUBFOLDER
    assert sorted(p.name for p in target.iterdir()) == sorted(innolitics.FILES)
    return {name: json.loads((target / name).read_text(encoding="utf-8")) for name in innolitics.FILES}


@pytest.fixture(scope="module")
def dermoscopy(tmp_path_factory):
    return generate(ROOT / "spec" / "dermoscopy", tmp_path_factory.mktemp("dermoscopy"))


@pytest.fixture(scope="module")
def madeup(tmp_path_factory):
    return generate(ROOT / "tests" / "fixtures" / "dictionaries" / "madeup", tmp_path_factory.mktemp("madeup"))


def assert_shape(name: str, records: list) -> None:
    assert isinstance(records, list), name
    fields = FIELDS[name]
    for record in records:
        assert set(record) == set(fields), (name, record)
        for key, value in record.items():
            assert isinstance(value, fields[key]), (name, key, value)


def test_every_record_has_the_fields_of_innolitics(dermoscopy, madeup):
    for tables in (dermoscopy, madeup):
        for name, records in tables.items():
            assert_shape(name, records)


@pytest.mark.skipif(not PUBLISHED.is_dir(), reason=f"innolitics' files are not at {PUBLISHED}")
def test_the_field_sets_are_innolitics_own():
    for name, fields in FIELDS.items():
        path = PUBLISHED / name
        if not path.is_file():
            continue  # module_to_attributes.json: not among the copies
        for record in json.loads(path.read_text(encoding="utf-8")):
            assert set(record) == set(fields), (name, record)
            for key, value in record.items():
                assert isinstance(value, fields[key]), (name, key, value)


@pytest.mark.skipif(not PUBLISHED.is_dir(), reason=f"innolitics' files are not at {PUBLISHED}")
def test_dermoscopy_agrees_with_what_the_standard_published(dermoscopy):
    """The standard has Dermoscopy now: our IOD's module table, in innolitics' ids, is innolitics' own."""
    published = json.loads((PUBLISHED / "ciod_to_modules.json").read_text(encoding="utf-8"))
    theirs = [(r["moduleId"], r["usage"], r["informationEntity"]) for r in published
              if r["ciodId"] == "dermoscopic-photography-image"]
    ours = [(r["moduleId"], r["usage"], r["informationEntity"]) for r in dermoscopy["ciod_to_modules.json"]]
    assert ours == theirs
    modules = {m["id"] for m in json.loads((PUBLISHED / "modules.json").read_text(encoding="utf-8"))}
    assert {r["moduleId"] for r in dermoscopy["ciod_to_modules.json"]} <= modules
    (ciod,) = dermoscopy["ciods.json"]
    assert ciod["id"] in {c["id"] for c in json.loads((PUBLISHED / "ciods.json").read_text(encoding="utf-8"))}
    (module,) = dermoscopy["modules.json"]
    assert module["id"] == "dermoscopic-image" and module["linkToStandard"] in {
        m["linkToStandard"] for m in json.loads((PUBLISHED / "modules.json").read_text(encoding="utf-8"))}
    # the new data elements are the records the standard's attributes.json has for them now
    standard = json.loads((PUBLISHED / "attributes.json").read_text(encoding="utf-8"))
    assert all(record in standard for record in dermoscopy["attributes.json"])
    # every attribute row points at an attribute of the supplement or of the standard
    known = {a["id"] for a in standard}
    known |= {a["id"] for a in dermoscopy["attributes.json"]}
    assert all(r["path"].split(":")[-1] in known for r in dermoscopy["module_to_attributes.json"])


def test_only_what_the_supplement_adds(dermoscopy, madeup):
    assert [a["keyword"] for a in dermoscopy["attributes.json"]] == [
        "LightSourcePolarization", "EmitterColorTemperature", "ContactMethod", "ImmersionMedia",
        "OpticalMagnificationFactor"]
    assert dermoscopy["attributes.json"][3] == {
        "tag": "(0016,1004)", "name": "Immersion Media", "keyword": "ImmersionMedia", "valueRepresentation": "CS",
        "valueMultiplicity": "1-n", "retired": "N", "id": "00161004"}
    assert [m["name"] for m in dermoscopy["modules.json"]] == ["Dermoscopic Image"]
    assert dermoscopy["macros.json"] == []
    assert dermoscopy["sops.json"] == [{"name": "Dermoscopic Photography Image Storage",
                                        "id": "1.2.840.10008.5.1.4.1.1.77.1.7",
                                        "ciod": "Dermoscopic Photography Image"}]
    retired = next(a for a in madeup["attributes.json"] if a["keyword"] == "FixtureOldFlag")
    assert retired["retired"] == "Y" and retired["id"] == "001610f7" and retired["tag"] == "(0016,10F7)"


def test_module_rows_flatten_items_and_macros_as_innolitics_does(madeup):
    rows = madeup["module_to_attributes.json"]
    paths = [r["path"] for r in rows]
    assert paths[:3] == ["made-up-lamp:001610f1", "made-up-lamp:001610f2", "made-up-lamp:001610f5"]
    assert "made-up-lamp:001610f5:001610f4" in paths  # an item of the sequence
    # the Code Sequence macro, included in the item, is expanded inline: its Code Value is there
    assert any(p.startswith("made-up-lamp:001610f5:") and p.endswith(":00080100") for p in paths), paths
    media = next(r for r in rows if r["path"] == "made-up-lamp:001610f2")
    assert media["type"] == "2C" and "Required if" in media["description"] and "GEL" in media["description"]
    conditional = [r for r in madeup["ciod_to_modules.json"] if r["usage"] == "C"]
    assert [r["conditionalStatement"] for r in conditional] == [
        "Required if Fixture Lamp Mode (0016,10F1) is present or Fixture Note (0016,10F8) is present."]
    assert all(r["conditionalStatement"] is None for r in madeup["ciod_to_modules.json"] if r["usage"] != "C")


def test_prose_is_plain_text_with_references_resolved(dermoscopy):
    texts = [value for records in dermoscopy.values() for record in records for value in record.values()
             if isinstance(value, str)]
    markup = re.compile(r"\{[a-z]+:[^{}]*\}|\*\*|(?<!\w)\*\w")
    assert not [t for t in texts if markup.search(t)], "inline markup left in the text"
    rows = {r["tag"]: r for r in dermoscopy["module_to_attributes.json"]}
    # "{de:PartialView} is {value:YES}" as the standard writes it
    assert "when Partial View (0028,1350) is YES" in rows["(0028,1351)"]["description"]
    # "{de:RecognizableVisualFeatures} shall have the value {value:YES}": the attribute's name and tag, the value
    assert "Recognizable Visual Features (0028,0302) shall have the value YES" in rows["(0028,0302)"]["description"]
    (ciod,) = dermoscopy["ciods.json"]
    assert ciod["description"].startswith("The Dermoscopic Photography Image IOD specifies")
    assert "in the Dermoscopic Image Module:" in ciod["description"]
