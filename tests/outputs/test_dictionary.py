"""The dictionaries generated from a supplement (issues 6 and 17): the pydicom/pynetdicom distribution, the DCMTK
fragment and association profile, the JSON export; the innolitics-shaped JSON in ``test_innolitics.py``, the
network round trips in ``tests/network/``.

The pydicom extension is imported in a fresh interpreter (``sys.executable``), never in the test process, so that
what it registers cannot leak into other tests and every run starts from the installed pydicom's dictionaries.
Three supplements are used: ``spec/dermoscopy`` (whose entries pydicom 3 and DCMTK already know and must agree
with), and two fixtures under ``tests/fixtures/dictionaries/``: ``madeup`` (made-up public tags and UIDs that no
toolkit knows, so the extension and the fragment are what makes them known) and ``contradicts`` (a draft that
disagrees with pydicom, which must be warned about).
"""

from __future__ import annotations

import ast
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydicom.datadict import DicomDictionary, keyword_dict
from pydicom.uid import UID_dictionary

from build_tools.build import Report, run_outputs
from build_tools.core.model import Attribute, Supplement
from build_tools.core.tags import parse_tag
from build_tools.document import entries
from build_tools.document.entries import FOLDER
from build_tools.load.loader import load_supplement
from build_tools.outputs import json_export
from build_tools.outputs.base import BuildContext
from build_tools.outputs.dcmtk import DcmtkDictionary
from build_tools.outputs.dictionaries_readme import DictionariesReadme
from build_tools.outputs.innolitics import FILES as Innolitics_FILES
from build_tools.outputs.innolitics import Innolitics
from build_tools.outputs.json_export import JsonExport
from build_tools.outputs.pydicom import PydicomExtension
from build_tools.outputs.registry import OUTPUTS
from build_tools.standard.index import Index, element_keyword, uid_keyword

ROOT = Path(__file__).resolve().parents[2]
DERMOSCOPY = ROOT / "spec" / "dermoscopy"
FIXTURES = ROOT / "tests" / "fixtures" / "dictionaries"


# --- Helpers ------------------------------------------------------------------------------------------------


def load(folder: Path) -> Supplement:
    findings: list = []
    supplement = load_supplement(folder, findings)
    assert not findings, [str(f) for f in findings]
    return supplement


#: The outputs that write into ``dictionaries/``.
DICTIONARY_OUTPUTS = [PydicomExtension, DcmtkDictionary, JsonExport, Innolitics, DictionariesReadme]


def write_dictionaries(supplement: Supplement, folder: Path, out: Path) -> None:
    """Run the dictionary outputs for ``supplement`` (spec ``folder``) into ``out/dictionaries/``."""
    run_outputs(DICTIONARY_OUTPUTS, BuildContext(supplement, Index(supplement), spec_folder=folder), out, Report())


def generate(folder: Path, out: Path) -> tuple[Supplement, Path]:
    """Run the registered dictionary outputs for one supplement into ``out``; return the dictionaries folder."""
    supplement = load(folder)
    write_dictionaries(supplement, folder, out)
    return supplement, out / FOLDER


def package_init(folder: Path, supplement: Supplement) -> Path:
    """The generated package's ``__init__.py`` in the dictionaries ``folder``."""
    return folder / "python" / entries.module_name(supplement) / "__init__.py"


def literal_assignments(path: Path) -> dict[str, object]:
    """The module-level constants of a generated Python file, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = ast.literal_eval(node.value)
    return found


def enumerations(supplement: Supplement) -> dict[str, list[str]]:
    """Enumerated Values (else Defined Terms) of each attribute of the supplement's modules, by keyword."""
    found: dict[str, list[str]] = {}

    def walk(rows) -> None:
        for row in rows:
            if isinstance(row, Attribute):
                values = [v.value for v in row.enumerated_values or row.defined_terms]
                if values:
                    found.setdefault(row.attribute, values)
                walk(row.items)

    for module in supplement.modules:
        walk(module.attributes)
    return found


#: A legal value of each VR, as JSON (the fresh interpreter turns it into the value to set).
SAMPLES = {
    "AE": "STATION1", "AS": "042Y", "CS": "SAMPLE", "DA": "20261125", "DS": "12.5", "DT": "20261125101500",
    "FD": 2.25, "FL": 1.5, "IS": "7", "LO": "A long string", "LT": "Long text.", "PN": "Doe^Jane",
    "SH": "Short", "SL": -70000, "SS": -7, "ST": "Short text.", "SV": -5000000000, "TM": "101500",
    "UC": "Unlimited characters", "UI": "2.25.1234567890", "UL": 70000, "UR": "https://example.org/x",
    "US": 7, "UT": "Unlimited text.", "UV": 5000000000, "AT": 0x00100010,
    "OB": "bytes:0102", "OD": "bytes:0000000000000040", "OF": "bytes:0000803F", "OL": "bytes:01000000",
    "OV": "bytes:0100000000000000", "OW": "bytes:01000200", "UN": "bytes:0102",
}
#: Second values for multi-valued elements.
SECOND = {"DS": "3", "IS": "8", "FD": 4.5, "FL": 2.5, "US": 8, "SS": -8, "UL": 70001, "SL": -70001,
          "DA": "20261126", "TM": "111500", "UI": "2.25.987654321"}


def sample_value(vr: str, vm: str, enumerated: list[str]) -> object:
    """A value legal for the VR (the spec's Enumerated Values when it has them), two values when VM allows."""
    multi = vm not in ("1",)
    if vr == "SQ":
        return "sequence"  # the interpreter builds one item holding a standard element
    if enumerated:
        return enumerated[:2] if multi and len(enumerated) > 1 else enumerated[0]
    first = SAMPLES[vr]
    if multi and not str(first).startswith("bytes:"):
        return [first, SECOND.get(vr, first)]
    return first


def element_values(supplement: Supplement) -> dict[str, dict]:
    """For every new element: the value to set and the VR expected back."""
    enums = enumerations(supplement)
    values = {}
    for element in supplement.data_elements:
        keyword = element_keyword(element)
        values[keyword] = {"value": sample_value(element.vr, element.vm, enums.get(keyword, [])),
                           "vr": element.vr}
    return values


#: Runs in a fresh interpreter: imports the extension, writes and reads datasets, looks UIDs up.
ROUNDTRIP = textwrap.dedent(r'''
    import importlib, importlib.util, json, sys, warnings
    from pathlib import Path

    plan = json.loads(sys.argv[1])
    sys.path.insert(0, plan["folder"])
    caught = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        module = importlib.import_module(plan["module"])
        caught += [(r.category.__name__, str(r.message)) for r in records]
        warned_at = sorted({(r.filename, r.lineno) for r in records})

    import pydicom
    import pydicom.uid
    from pydicom import Dataset, dcmread
    from pydicom.datadict import DicomDictionary, keyword_dict
    from pydicom.dataset import FileMetaDataset
    from pydicom.sequence import Sequence
    from pydicom.uid import UID, UID_dictionary

    def value_of(spec):
        if spec == "sequence":
            item = Dataset()
            item.PatientID = "ITEM1"
            return Sequence([item])
        if isinstance(spec, str) and spec.startswith("bytes:"):
            return bytes.fromhex(spec[6:])
        return spec

    def plain(value):
        if isinstance(value, Sequence):
            return [{str(e.tag): str(e.value) for e in item} for item in value]
        if isinstance(value, (list, pydicom.multival.MultiValue)):
            return [plain(v) for v in value]
        if isinstance(value, bytes):
            return value.hex()
        return str(value)

    result = {"warnings": caught, "warned_at": warned_at, "files": {}, "uids": {}, "errors": []}
    dictionary_before = dict(DicomDictionary)
    uids_before = dict(UID_dictionary)

    for name, implicit in (("explicit", False), ("implicit", True)):
        ds = Dataset()
        for keyword, spec in plan["elements"].items():
            if keyword not in keyword_dict:
                continue
            setattr(ds, keyword, value_of(spec["value"]))
        ds.SOPClassUID = plan["sop_class"]
        ds.SOPInstanceUID = "2.25.42"
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = (pydicom.uid.ImplicitVRLittleEndian if implicit
                                          else pydicom.uid.ExplicitVRLittleEndian)
        path = Path(plan["out"]) / f"{name}.dcm"
        ds.save_as(path, implicit_vr=implicit, little_endian=True, enforce_file_format=True)
        back = dcmread(path)
        found = {}
        for keyword in plan["elements"]:
            if keyword not in ds:
                continue
            written, read = ds[keyword], back[keyword]
            found[keyword] = {"written": plain(written.value), "read": plain(read.value), "vr": read.VR,
                              "same": written.value == read.value, "by_keyword": plain(getattr(back, keyword))}
        result["files"][name] = found

    for value, name, keyword in plan["uids"]:
        uid = UID(value)
        result["uids"][value] = {"name": uid.name, "keyword": uid.keyword,
                                 "pydicom_attr": str(getattr(pydicom.uid, keyword, "")),
                                 "module_attr": str(getattr(module, keyword, ""))}

    # Importing again, under the same name and as a second copy, changes nothing.
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        importlib.reload(module)
        spec = importlib.util.spec_from_file_location("second_copy",
                                                      Path(plan["folder"]) / plan["module"] / "__init__.py")
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
        result["second_import_warnings"] = [str(r.message) for r in records]
    result["unchanged_by_second_import"] = (dict(DicomDictionary) == dictionary_before
                                           and dict(UID_dictionary) == uids_before)
    result["entries"] = {f"{tag:08X}": list(DicomDictionary[tag]) for tag in module.DATA_ELEMENTS
                         if tag in DicomDictionary}
    result["uid_entries"] = {value: list(UID_dictionary[value]) for value in module.UIDS if value in UID_dictionary}
    print(json.dumps(result))
''')


def run_roundtrip(supplement: Supplement, folder: Path, out: Path, sop_class: str | None = None) -> dict:
    """Run :data:`ROUNDTRIP` for ``supplement``'s generated extension in a fresh interpreter."""
    uids = [[u.value, u.name, uid_keyword(u)] for u in supplement.uids]
    plan = {"folder": str(folder / "python"), "module": entries.module_name(supplement), "out": str(out),
            "elements": element_values(supplement), "uids": uids,
            "sop_class": sop_class or (uids[0][0] if uids else "1.2.840.10008.5.1.4.1.1.7")}
    done = subprocess.run([sys.executable, "-c", ROUNDTRIP, json.dumps(plan)], capture_output=True, text=True,
                          cwd=out, timeout=120, env={**os.environ, "PYTHONWARNINGS": ""})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_roundtrip(result: dict, supplement: Supplement) -> None:
    """Every new keyword was written and read back with the same value and VR, in both encodings."""
    expected = element_values(supplement)
    for name in ("explicit", "implicit"):
        found = result["files"][name]
        assert set(found) == set(expected), f"{name}: keywords not settable: {set(expected) - set(found)}"
        for keyword, spec in expected.items():
            got = found[keyword]
            assert got["same"], f"{name} {keyword}: wrote {got['written']!r}, read {got['read']!r}"
            assert got["vr"] == spec["vr"], f"{name} {keyword}: VR {got['vr']} read back, {spec['vr']} defined"
            if spec["vr"] not in ("SQ",) and not str(spec["value"]).startswith("bytes:"):
                want = spec["value"]
                want = [str(v) for v in want] if isinstance(want, list) else str(want)
                if spec["vr"] in ("DS", "FD", "FL"):
                    assert [float(v) for v in (got["read"] if isinstance(got["read"], list) else [got["read"]])] \
                        == [float(v) for v in (want if isinstance(want, list) else [want])]
                else:
                    assert got["read"] == want, f"{name} {keyword}: {got['read']!r} != {want!r}"
    for uid in supplement.uids:
        looked_up = result["uids"][uid.value]
        assert looked_up["name"] == uid.name
        assert looked_up["keyword"] == uid_keyword(uid)
        assert looked_up["pydicom_attr"] == uid.value, "pydicom.uid.<Keyword> does not name the UID"
        assert looked_up["module_attr"] == uid.value
    assert result["second_import_warnings"] == []
    assert result["unchanged_by_second_import"]


def default_dcmtk_dictionary() -> str:
    """The path of DCMTK's own dicom.dic (Debian puts it under /usr/share/libdcmtk<N>/)."""
    found = sorted(glob.glob("/usr/share/libdcmtk*/dicom.dic")) + sorted(glob.glob("/usr/share/dcmtk*/dicom.dic"))
    if not found:
        pytest.skip("DCMTK's dicom.dic not found (install the Debian package dcmtk)")
    return found[-1]


def dcmdump(path: Path, dictionaries: list[str]) -> str:
    done = subprocess.run(["dcmdump", str(path)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DCMDICTPATH": os.pathsep.join(dictionaries)})
    assert done.returncode == 0, done.stderr
    return done.stdout


needs_dcmdump = pytest.mark.skipif(shutil.which("dcmdump") is None,
                                   reason="DCMTK's dcmdump is not installed (Debian package dcmtk)")


# --- Fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dermoscopy(tmp_path_factory) -> tuple[Supplement, Path]:
    if not (DERMOSCOPY / "supplement.yaml").is_file():
        pytest.skip("spec/dermoscopy is not written yet")
    return generate(DERMOSCOPY, tmp_path_factory.mktemp("dermoscopy"))


@pytest.fixture(scope="module")
def madeup(tmp_path_factory) -> tuple[Supplement, Path]:
    return generate(FIXTURES / "madeup", tmp_path_factory.mktemp("madeup"))


@pytest.fixture(scope="module")
def contradicts(tmp_path_factory) -> tuple[Supplement, Path]:
    return generate(FIXTURES / "contradicts", tmp_path_factory.mktemp("contradicts"))


# --- The generator ------------------------------------------------------------------------------------------


def test_outputs_are_registered():
    assert [o for o in OUTPUTS if o.folder == FOLDER] == DICTIONARY_OUTPUTS


def test_outputs_are_written_and_byte_identical(madeup, tmp_path):
    supplement, folder = madeup
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == sorted(["python/pyproject.toml", "python/dicomsup_madeup/__init__.py", "madeup.dic",
                            "madeup-storage.cfg", "supplement.json", "madeup.export.schema.json", "README.md"]
                           + [f"innolitics/{name}" for name in Innolitics_FILES])
    _, again = generate(FIXTURES / "madeup", tmp_path)
    for name in names:
        assert (folder / name).read_bytes() == (again / name).read_bytes(), name
        text = (folder / name).read_text(encoding="utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        assert "\r" not in text


def test_module_name_is_derived_from_the_supplement_name():
    supplement = load(FIXTURES / "madeup")
    supplement.name = "Skin-Surface 2"
    assert entries.module_name(supplement) == "dicomsup_skin_surface_2"
    assert entries.dcmtk_file(supplement) == "skin_surface_2.dic"


# --- pydicom ------------------------------------------------------------------------------------------------


def test_the_package_names_the_supplement_in_data_only(dermoscopy):
    """The supplement is named in ``SUPPLEMENT`` (literals), never in the docstring: no spec text is docstring."""
    supplement, folder = dermoscopy
    source = package_init(folder, supplement).read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    assert supplement.title not in doc and supplement.working_group not in doc
    constants = literal_assignments(package_init(folder, supplement))
    assert constants["SUPPLEMENT"] == {"number": supplement.number, "title": supplement.title,
                                       "working_group": supplement.working_group, "status": supplement.status,
                                       "version": supplement.version, "date": supplement.date,
                                       "name": supplement.name}
    assert constants["STORAGE_SOP_CLASSES"] == {"1.2.840.10008.5.1.4.1.1.77.1.7":
                                                "DermoscopicPhotographyImageStorage"}


def test_the_distribution_is_versioned_by_the_supplement(dermoscopy, madeup):
    import tomllib

    for supplement, folder in (dermoscopy, madeup):
        project = tomllib.loads((folder / "python" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        assert project["name"] == entries.distribution_name(supplement)
        assert project["version"] == entries.python_version(supplement.version) == supplement.version
        assert project["dependencies"] == ["pydicom>=3"]
        assert project["optional-dependencies"] == {"network": ["pynetdicom>=3"]}


@pytest.mark.parametrize("version, normalised", [
    ("1.0", "1.0"), ("0.3", "0.3"), ("01.002", "1.2"), ("1.0-RC.1", "1.0rc1"), ("2.0a", "2.0a0"),
    ("1.0.post2", "1.0.post2"), ("1.0-1", "1.0.post1"), ("3.1.dev4", "3.1.dev4"), ("v1!2.0", "1!2.0"),
    ("draft 3", "3"), ("1.0 final", "1.0"), ("final", "0"), ("", "0"),
])
def test_python_version_is_pep440(version, normalised):
    assert entries.python_version(version) == normalised
    pep440 = re.compile(r"([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
                        r"(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?")
    assert pep440.fullmatch(normalised)


def test_dermoscopy_entries_agree_with_pydicom(dermoscopy):
    """Every generated entry equals the installed pydicom's own (pydicom 3 already has Dermoscopy)."""
    supplement, folder = dermoscopy
    constants = literal_assignments(package_init(folder, supplement))
    elements, uids = constants["DATA_ELEMENTS"], constants["UIDS"]
    assert len(elements) == len(supplement.data_elements) == 5
    for tag, (vr, vm, name, retired, keyword) in elements.items():
        assert tag in DicomDictionary, f"pydicom does not know {tag:08X}"
        p_vr, p_vm, p_name, p_retired, p_keyword = DicomDictionary[tag]
        assert (vr, vm, name, keyword, bool(retired)) == (p_vr, p_vm, p_name, p_keyword, bool(p_retired))
        assert keyword_dict[keyword] == tag
    assert len(uids) == len(supplement.uids) == 1
    for value, (name, kind, _info, retired, keyword) in uids.items():
        p_name, p_kind, _p_info, p_retired, p_keyword = UID_dictionary[value]
        assert (name, kind, keyword, bool(retired)) == (p_name, p_kind, p_keyword, bool(p_retired))


def test_dermoscopy_roundtrip_in_a_fresh_interpreter(dermoscopy, tmp_path):
    supplement, folder = dermoscopy
    result = run_roundtrip(supplement, folder, tmp_path)
    assert result["warnings"] == [], "pydicom agrees with Dermoscopy: importing must be silent"
    assert_roundtrip(result, supplement)
    # the values come from the spec's Enumerated Values
    explicit = result["files"]["explicit"]
    assert explicit["LightSourcePolarization"]["read"] == "POLARIZED"
    assert explicit["ContactMethod"]["read"] == "CONTACT"
    assert explicit["ImmersionMedia"]["read"] == ["ULTRASOUND_GEL", "ALCOHOL"]


def test_unknown_elements_and_uids_are_registered(madeup, tmp_path):
    """Tags and UIDs that pydicom does not know become usable by keyword, in both encodings."""
    supplement, folder = madeup
    for element in supplement.data_elements:
        assert parse_tag(element.tag) not in DicomDictionary, f"{element.tag} is no longer made up"
    for uid in supplement.uids:
        assert uid.value not in UID_dictionary, f"{uid.value} is no longer made up"
    result = run_roundtrip(supplement, folder, tmp_path)
    assert result["warnings"] == []
    assert_roundtrip(result, supplement)
    # derived keyword (no keyword in the YAML) and the retired flag
    assert result["entries"]["001610F6"] == ["DS", "1-n", "Fixture Distance Values", "", "FixtureDistanceValues"]
    assert result["entries"]["001610F7"][3] == "Retired"
    assert result["uid_entries"]["1.2.840.10008.5.1.4.1.1.77.1.990.1"] == [
        "Made-up Lamp Marker", "Well-known SOP Instance", "", "", "MadeUpLampMarker"]


def test_disagreement_with_pydicom_is_warned_and_pydicom_kept(contradicts, tmp_path):
    supplement, folder = contradicts
    result = run_roundtrip(supplement, folder, tmp_path, sop_class="1.2.840.10008.5.1.4.1.1.7")
    categories = {category for category, _ in result["warnings"]}
    assert categories == {"SupplementDictionaryWarning"}
    messages = [message for _, message in result["warnings"] if "pynetdicom" not in message]
    assert len(messages) == 4, messages
    # every warning points at the line that imported the package (stacklevel), not into the package
    assert [filename for filename, _ in result["warned_at"]] == ["<string>"], result["warned_at"]
    networking = [message for _, message in result["warnings"] if "pynetdicom" in message]
    if importlib.util.find_spec("pynetdicom") is not None:
        # the keyword CTImageStorage is taken in pynetdicom too: that registration is refused as well
        (refused,) = networking
        assert "pynetdicom.sop_class.CTImageStorage" in refused and "1.2.840.10008.5.1.4.1.1.77.1.991" in refused
    else:
        assert networking == []
    (polarization,) = [m for m in messages if "(0016,1001)" in m]
    assert "VR 'CS' in pydicom, 'DS' in the supplement" in polarization
    assert "VM '1' in pydicom, '1-n' in the supplement" in polarization
    assert "'Light Source Polarization' in pydicom, 'Light Source Polarisation' in the supplement" in polarization
    assert "Supplement 9902" in polarization and "Keeping pydicom's entry" in polarization
    assert not [m for m in messages if "(0016,1003)" in m], "agreement must be silent"
    (clash,) = [m for m in messages if "(0016,10FA)" in m]
    assert "EmitterColorTemperature" in clash and "(0016,1002)" in clash and "not registered" in clash
    (renamed,) = [m for m in messages if "1.2.840.10008.5.1.4.1.1.77.1.7 " in m]
    assert "'Dermoscopic Photography Image Storage' in pydicom, 'Dermatoscopic Image Storage'" in renamed
    (taken,) = [m for m in messages if "1.2.840.10008.5.1.4.1.1.77.1.991" in m]
    assert "CTImageStorage" in taken and "1.2.840.10008.5.1.4.1.1.2" in taken
    # pydicom's entries are kept
    assert result["entries"]["00161001"] == list(DicomDictionary[0x00161001])
    assert "001610FA" not in result["entries"]
    assert result["uid_entries"] == {"1.2.840.10008.5.1.4.1.1.77.1.7":
                                     list(UID_dictionary["1.2.840.10008.5.1.4.1.1.77.1.7"])}
    assert result["files"]["implicit"]["LightSourcePolarization"]["vr"] == "CS"


# --- DCMTK --------------------------------------------------------------------------------------------------

_DIC_LINE = re.compile(r"^\([0-9A-F]{4},[0-9A-F]{4}\)\t[A-Za-z]{2}\t[A-Za-z0-9_]+\t[0-9n-]+\tDICOM(/retired)?$")


def test_dcmtk_fragment_follows_dicom_dic(madeup):
    supplement, folder = madeup
    lines = (folder / "madeup.dic").read_text(encoding="ascii").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert all(_DIC_LINE.match(line) for line in entries), entries
    assert [line.split("\t")[0] for line in entries] == sorted(e.tag for e in supplement.data_elements)
    assert "(0016,10F7)\tLO\tRETIRED_FixtureOldFlag\t1\tDICOM/retired" in entries
    assert "(0016,10F6)\tDS\tFixtureDistanceValues\t1-n\tDICOM" in entries
    assert any("Supplement 9901" in line for line in lines if line.startswith("#"))


def test_dcmtk_pseudo_vrs():
    entry = entries.ElementEntry(0x00161100, "US or SS", "1", "X", "X", False)
    assert entry.dcmtk_vr == "xs"
    assert entries.ElementEntry(0x00161100, "OB or OW", "1", "X", "X", False).dcmtk_vr == "ox"


@needs_dcmdump
def test_dcmdump_reads_made_up_tags_through_the_fragment(madeup, tmp_path):
    """DCMTK cannot know the made-up tags: their keywords in dcmdump's output come from the fragment."""
    supplement, folder = madeup
    run_roundtrip(supplement, folder, tmp_path)
    default = default_dcmtk_dictionary()
    fragment = str(folder / "madeup.dic")
    keywords = [element_keyword(e) for e in supplement.data_elements if not e.retired]
    for name in ("explicit", "implicit"):
        without = dcmdump(tmp_path / f"{name}.dcm", [default])
        assert not any(re.search(rf"\b{k}\b", without) for k in keywords), "DCMTK already knows a made-up tag"
        dumped = dcmdump(tmp_path / f"{name}.dcm", [default, fragment])
        for keyword in keywords:
            assert re.search(rf"#.*\b{keyword}$", dumped, re.MULTILINE), f"{name}: {keyword} missing:\n{dumped}"
        assert "SOPClassUID" in dumped  # the default dictionary is still used
        # implicit VR: the VRs come from the fragment too
        assert re.search(r"^\(0016,10f1\) CS \[STEADY\]", dumped, re.MULTILINE | re.IGNORECASE), dumped


@needs_dcmdump
def test_dcmdump_reads_dermoscopy_with_the_fragment_alone(dermoscopy, tmp_path):
    """With only the fragment on DCMDICTPATH, the Dermoscopy keywords can come from nowhere else."""
    supplement, folder = dermoscopy
    run_roundtrip(supplement, folder, tmp_path)
    dumped = dcmdump(tmp_path / "implicit.dcm", [str(folder / "dermoscopy.dic")])
    assert re.search(r"^\(0008,0016\) \?\?", dumped, re.MULTILINE), "the default dictionary was loaded"
    for element in supplement.data_elements:
        keyword = element_keyword(element)
        assert re.search(rf"^\({element.tag[1:10].lower()}\) {element.vr} .*#.*\b{keyword}$", dumped,
                         re.MULTILINE), f"{keyword} missing:\n{dumped}"


# --- JSON ---------------------------------------------------------------------------------------------------


def test_json_export_validates_against_its_schema(dermoscopy, madeup):
    jsonschema = pytest.importorskip("jsonschema")
    for _supplement, folder in (dermoscopy, madeup):
        schema = json.loads((folder / entries.export_schema_file(_supplement)).read_text(encoding="utf-8"))
        data = json.loads((folder / "supplement.json").read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_json_schema_rejects_what_the_model_does_not_have(madeup):
    jsonschema = pytest.importorskip("jsonschema")
    supplement, folder = madeup
    validator = jsonschema.Draft202012Validator(
        json.loads((folder / entries.export_schema_file(supplement)).read_text()))
    data = json.loads((folder / "supplement.json").read_text())
    data["supplement"]["data_elements"][0]["colour"] = "red"
    data["supplement"]["iods"][0]["modules"][0]["usage"] = "X"
    del data["supplement"]["uids"][0]["keyword"]
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("colour" in m for m in messages)
    assert any("'X' is not one of" in m for m in messages)
    assert any("'keyword' is a required property" in m for m in messages)


def test_json_schema_documents_every_field():
    schema = json_export.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name, definition in schema["$defs"].items():
        assert definition["description"], name
        for key, prop in definition["properties"].items():
            assert prop.get("description"), f"{name}.{key} has no description"


def test_json_export_is_the_whole_model(madeup):
    supplement, folder = madeup
    text = (folder / "supplement.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert data["name"] == "madeup" and data["export_version"] == json_export.EXPORT_VERSION
    model = data["supplement"]
    assert model["number"] == 9901 and model["status"] == "Draft"
    # registries sorted, keywords derived when the YAML leaves them out
    assert [e["tag"] for e in model["data_elements"]] == sorted(e["tag"] for e in model["data_elements"])
    assert model["data_elements"][-1]["tag"] == "(0016,10F8)"
    distance = next(e for e in model["data_elements"] if e["tag"] == "(0016,10F6)")
    assert distance["keyword"] == "FixtureDistanceValues"
    assert model["uids"][1]["keyword"] == "MadeUpLampMarker"
    assert model["context_groups"][0]["keyword"] == "MadeupLamps"
    # IOD module rows with conditions, module attributes with nested items, includes and conditions
    iod = model["iods"][0]
    assert [row["module"] for row in iod["modules"]] == ["Patient", "Made-up Lamp", "Made-up Lamp"]
    assert iod["modules"][2]["condition"] == {"any": [{"present": "FixtureLampMode"},
                                                      {"not": {"absent": "FixtureNote"}}]}
    attributes = model["modules"][0]["attributes"]
    media = attributes[1]
    assert media["condition"] == {"attribute": "FixtureLampMode", "one_of": ["STEADY", "FLASH"], "value_index": 1}
    assert media["otherwise"] == "may be present" and [t["value"] for t in media["defined_terms"]] == ["GEL", "OIL"]
    probe = attributes[2]
    assert probe["item_count"] == "one or more"
    assert probe["items"][0]["attribute"] == "FixtureFrameCount"
    assert probe["items"][1] == {"include": "Code Sequence", "baseline_cid": 4029}
    assert model["codes"][0]["value"] == "999001"
    assert model["context_group_additions"][0]["rows"][0]["meaning"] == "Made-up lamp"
    # example values keep their nulls (null leaves an attribute out)
    assert model["examples"][0]["values"] == {"FixtureLampMode": "STEADY", "FixtureMediaList": ["GEL", "OIL"],
                                              "FixtureNote": None}


def test_check_catches_a_stale_dictionary(madeup, tmp_path):
    """``dicomsup check`` compares a fresh build with output/ byte for byte: an edited fragment is stale."""
    from build_tools.build import compare_trees

    _supplement, folder = madeup
    stale = tmp_path / "stale"
    shutil.copytree(folder, stale)
    assert compare_trees(folder, stale) == []
    fragment = stale / "madeup.dic"
    fragment.write_text(fragment.read_text(encoding="ascii").replace("\t1-n\t", "\t1\t"), encoding="ascii")
    assert compare_trees(folder, stale) == [f"{fragment}: out of date; run dicomsup build"]


def test_a_supplement_without_new_entries_gives_empty_dictionaries(tmp_path):
    supplement = load(FIXTURES / "madeup")
    supplement.data_elements, supplement.uids = [], []
    write_dictionaries(supplement, FIXTURES / "madeup", tmp_path)
    folder = tmp_path / FOLDER
    constants = literal_assignments(package_init(folder, supplement))
    assert constants["DATA_ELEMENTS"] == {} and constants["UIDS"] == {} and constants["STORAGE_SOP_CLASSES"] == {}
    done = subprocess.run([sys.executable, "-W", "error", "-c", "import dicomsup_madeup"], cwd=folder / "python",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = (folder / "madeup.dic").read_text(encoding="ascii").splitlines()
    assert lines and all(line.startswith("#") for line in lines)


# --- Hostile text: nothing of the spec can become code, or break a line of a file ---------------------------

#: Text that would end a string, a docstring, a comment or a line if it were written unquoted.
HOSTILE = [
    '"""; import os; os.system("touch PWNED"); """',
    "'''; import os; os.system('touch PWNED'); '''",
    'ends with two quotes""',
    "ends with a backslash \\",
    "\\N{BULLET} \\x41 \\u0041 \\\\ \\' \\\"",
    "line one\nimport os; os.system('touch PWNED')\n# line three",
    "carriage\rreturn\r\nand\ttab",
    "NUL \x00 byte and \x1b[31m escape",
    "Dermoscopie \u00e9t\u00e9 \u76ae\u819a \U0001FA7A \u2028 line separator \u0085 next line",
    "{de:ContactMethod} *not* markup here, {{ jinja }} {% raw %} ${shell} `tick` $(touch PWNED)",
    "#include <comment> ) ( \t# (0016,1001)\tCS\tEvil\t1\tDICOM",
]


def hostile_supplement(text: str) -> Supplement:
    """The made-up fixture with ``text`` in every free-text field that reaches the dictionaries."""
    supplement = load(FIXTURES / "madeup")
    supplement.title = supplement.working_group = supplement.status = text
    supplement.version = supplement.date = text
    supplement.name = f"madeup {text}"  # the folder's name: file and module names are derived from it
    for number, element in enumerate(supplement.data_elements):
        element.name = f"{text} {number}"
    supplement.uids[0].name = f"{text} Storage"
    supplement.uids[1].name, supplement.uids[1].type = text, text
    supplement.iods[0].name = text
    supplement.sop_classes = []
    return supplement


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_stays_data(text, tmp_path):
    """Quotes, triple quotes, backslashes, line breaks, NUL and non-ASCII in every text field: the Python compiles
    and holds exactly the text as literals, importing it runs none of it, the .dic data lines and the JSON read
    back the same values, every comment stays one line."""
    supplement = hostile_supplement(text)
    write_dictionaries(supplement, FIXTURES / "madeup", tmp_path)
    folder = tmp_path / FOLDER

    # Python: compiles; the literals are the text, exactly; no docstring or comment holds it
    init = package_init(folder, supplement)
    source = init.read_text(encoding="utf-8")
    compile(source, str(init), "exec")
    constants = literal_assignments(init)
    assert constants["SUPPLEMENT"]["title"] == constants["SUPPLEMENT"]["working_group"] == text
    assert constants["SUPPLEMENT"]["version"] == constants["SUPPLEMENT"]["date"] == text
    assert constants["SUPPLEMENT"]["name"] == f"madeup {text}"
    assert re.fullmatch(r"dicomsup_[a-z0-9_]+", entries.module_name(supplement))
    assert sorted(entry[2] for entry in constants["DATA_ELEMENTS"].values()) == sorted(
        f"{text} {n}" for n in range(len(supplement.data_elements)))
    assert constants["UIDS"]["1.2.840.10008.5.1.4.1.1.77.1.990.1"][:2] == (text, text)
    tree = ast.parse(source)
    assert text not in (ast.get_docstring(tree) or "")
    assert all("PWNED" not in line for line in source.splitlines() if line.lstrip().startswith("#"))
    calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not any("system" in call or "exec" in call or "eval" in call for call in calls), calls

    # importing it runs nothing of the text (a fresh interpreter, in an empty folder)
    work = tmp_path / "work"
    work.mkdir()
    check = (f"import {entries.module_name(supplement)} as m; "
             "print(m.SUPPLEMENT['title'] == m.UIDS['1.2.840.10008.5.1.4.1.1.77.1.990.1'][0])")
    done = subprocess.run([sys.executable, "-c", check],
                          cwd=work, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(folder / "python")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
    assert list(work.iterdir()) == [] and not (folder / "PWNED").exists() and not Path("PWNED").exists()

    # pyproject.toml: valid TOML, a PEP 440 version, no text of the spec
    import tomllib
    project = tomllib.loads((folder / "python" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == entries.python_version(text)
    assert project["name"] == entries.distribution_name(supplement)

    # DCMTK: every line a comment or a data line; the data lines are the entries, field for field
    for name in (entries.dcmtk_file(supplement), entries.profile_file(supplement)):
        raw = (folder / name).read_bytes().decode("utf-8")
        assert "\x00" not in raw and "\r" not in raw and "\x1b" not in raw, name
        lines = raw.split("\n")
        assert lines[-1] == "" and all(line.replace("\t", " ").isprintable() for line in lines), name
    dic = (folder / entries.dcmtk_file(supplement)).read_text(encoding="utf-8").splitlines()
    data = [line.split("\t") for line in dic if not line.startswith("#")]
    assert data == [[e.tag_text, e.dcmtk_vr, e.dcmtk_keyword, e.vm, e.dcmtk_version]
                    for e in entries.element_entries(supplement)]
    cfg = (folder / entries.profile_file(supplement)).read_text(encoding="utf-8").splitlines()
    assert all(not line or line[0] in "#[" or re.fullmatch(r"[A-Za-z0-9]+ = ([0-9.]+\\)?[A-Za-z0-9:+-]+", line)
               for line in cfg), cfg

    # JSON: parses, and gives the text back
    model = json.loads((folder / "supplement.json").read_text(encoding="utf-8"))["supplement"]
    assert model["title"] == model["working_group"] == model["version"] == text
    assert sorted(e["name"] for e in model["data_elements"]) == sorted(
        f"{text} {n}" for n in range(len(supplement.data_elements)))
    innolitics = folder / "innolitics"
    assert sorted(a["name"] for a in json.loads((innolitics / "attributes.json").read_text("utf-8"))) == sorted(
        f"{text} {n}" for n in range(len(supplement.data_elements)))
    (ciod,) = json.loads((innolitics / "ciods.json").read_text("utf-8"))
    assert ciod["name"] == text


@pytest.mark.parametrize("field, value", [
    ("keyword", 'Evil"; import os #'), ("keyword", "Two\tFields"), ("keyword", "Ｉｍｐｏｒｔ"),
    ("vr", "CS\t1"), ("vm", "1\n(0010,0010)\tPN\tPatientName\t1\tDICOM"), ("uid", '1.2.3"\\x'),
])
def test_values_a_file_cannot_carry_are_refused(field, value, tmp_path):
    """A keyword, VR, VM or UID without its syntax stops the build with a located error, before any file."""
    from build_tools.core.errors import InputError

    supplement = load(FIXTURES / "madeup")
    if field == "uid":
        supplement.uids[0].value = value
    else:
        setattr(supplement.data_elements[0], field, value)
    with pytest.raises(InputError) as caught:
        write_dictionaries(supplement, FIXTURES / "madeup", tmp_path)
    assert field.replace("uid", "value") in str(caught.value)
    assert not (tmp_path / FOLDER / "python").exists()


def test_python_literal_refuses_what_is_not_plain_data():
    from build_tools.core.model import Prose

    assert entries.python_literal(("a'''b", 1, True, None)) == repr(("a'''b", 1, True, None))
    for wrong in (Prose("x"), 1.5, object(), {"a": Prose("x")}):
        with pytest.raises(TypeError):
            entries.python_literal(wrong)


def test_any_text_compiles_to_the_same_literals():
    """Generated text of any kind (hypothesis) in the title and an element name: the package compiles, and its
    literals are that text."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    from build_tools.outputs import pydicom as pydicom_output

    base = load(FIXTURES / "madeup")

    @hypothesis.settings(max_examples=60, deadline=None, derandomize=True)
    @hypothesis.given(st.text(max_size=40))
    def check(text: str) -> None:
        base.title = text
        base.data_elements[0].name = text
        source = pydicom_output.render(base)
        compile(source, "<generated>", "exec")
        tree = ast.parse(source)
        found = {node.target.id: ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value}
        assert found["SUPPLEMENT"]["title"] == text
        assert found["DATA_ELEMENTS"][parse_tag(base.data_elements[0].tag)][2] == text

    check()


def test_pynetdicom_registration_is_idempotent_and_points_at_the_caller(madeup, tmp_path):
    """With pynetdicom installed, importing registers the made-up Storage SOP Class with pynetdicom's Storage
    Service Class; ``register()`` again is silent and changes nothing."""
    pytest.importorskip("pynetdicom")
    _supplement, folder = madeup
    script = textwrap.dedent('''
        import json, sys, warnings
        warnings.simplefilter("error")
        import dicomsup_madeup as m
        from pynetdicom import sop_class
        from pynetdicom.service_class import StorageServiceClass
        uid = "1.2.840.10008.5.1.4.1.1.77.1.990"
        before = dict(sop_class._STORAGE_CLASSES)
        m.register(); m.register()
        print(json.dumps({
            "registered": m.registered_with_pynetdicom,
            "attribute": str(getattr(sop_class, "MadeUpLampImageStorage", "")),
            "storage": sop_class.uid_to_service_class(uid) is StorageServiceClass,
            "unchanged": dict(sop_class._STORAGE_CLASSES) == before,
            "contexts": [c.abstract_syntax for c in m.storage_contexts()],
            "marker_not_storage": sop_class.uid_to_service_class(uid + ".1").__name__,
        }))
    ''')
    done = subprocess.run([sys.executable, "-c", script], cwd=folder / "python", capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found == {"registered": True, "attribute": "1.2.840.10008.5.1.4.1.1.77.1.990", "storage": True,
                     "unchanged": True, "contexts": ["1.2.840.10008.5.1.4.1.1.77.1.990"],
                     "marker_not_storage": "ServiceClass"}
