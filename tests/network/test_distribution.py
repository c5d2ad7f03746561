"""The generated distribution installs with pip like any other, into a fresh virtual environment without system
site packages (pydicom and the build backend come from the package index), and the installed package is what
registers the new data elements: a dataset written with the new keywords reads back with the same tag, VR and value
(issue 17).

Slow (half a minute with a warm pip cache) and needs the package index: marked ``packaging`` like the wheel's test
(``-m "not packaging"`` leaves it out).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from build_tools.document import entries

pytestmark = pytest.mark.packaging

#: Runs in the fresh environment, in an empty folder: which module is imported, and a round trip by keyword.
ROUNDTRIP = textwrap.dedent(r'''
    import importlib, importlib.metadata, json, sys, warnings
    from pathlib import Path
    plan = json.loads(sys.argv[1])
    warnings.simplefilter("error")
    found = {"prefix": sys.prefix, "modules": {}, "elements": {}}
    for name, dist in plan["packages"].items():
        module = importlib.import_module(name)
        found["modules"][name] = {"file": module.__file__, "version": importlib.metadata.version(dist),
                                  "pynetdicom": module.registered_with_pynetdicom}
    from pydicom import Dataset, dcmread
    from pydicom.dataset import FileMetaDataset
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
    for implicit in (False, True):
        ds = Dataset()
        for keyword, value in plan["values"].items():
            setattr(ds, keyword, value)
        ds.SOPClassUID, ds.SOPInstanceUID = plan["sop_class"], "2.25.1"
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPClassUID, "2.25.1"
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian
        ds.save_as("roundtrip.dcm", implicit_vr=implicit, little_endian=True, enforce_file_format=True)
        back = dcmread("roundtrip.dcm")
        for keyword, value in plan["values"].items():
            element = back[keyword]
            read = list(element.value) if element.VM > 1 else element.value
            found["elements"][f"{keyword}/{'implicit' if implicit else 'explicit'}"] = {
                "tag": element.tag, "expected_tag": tag_for_keyword(keyword), "vr": element.VR,
                "dictionary_vr": dictionary_VR(keyword), "value": [str(v) for v in read] if isinstance(read, list)
                else str(read)}
    print(json.dumps(found))
''')


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_distribution_installs_into_a_fresh_venv_and_round_trips(madeup_dictionaries, dermoscopy_dictionaries,
                                                                      tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    folders = {}
    for supplement, folder in (madeup_dictionaries, dermoscopy_dictionaries):
        folders[folder / "python"] = (supplement, _tree_digest(folder / "python"))
    done = subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                           *map(str, folders)], capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    for folder, (_supplement, digest) in folders.items():
        assert _tree_digest(folder) == digest, f"pip install wrote into {folder}"

    madeup = madeup_dictionaries[0]
    values = {"FixtureLampMode": "STEADY", "FixtureMediaList": ["GEL", "OIL"], "FixtureFrameCount": 7,
              "FixtureDistanceValues": ["12.5", "3"], "FixtureNote": "Long text.", "ContactMethod": "CONTACT"}
    packages = {entries.module_name(s): entries.distribution_name(s) for s, _ in folders.values()}
    plan = {"packages": packages, "values": values, "sop_class": "1.2.840.10008.5.1.4.1.1.77.1.990"}
    work = tmp_path / "empty"
    work.mkdir()
    done = subprocess.run([str(python), "-I", "-c", ROUNDTRIP, json.dumps(plan)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=work)
    assert done.returncode == 0, done.stderr[-4000:]
    found = json.loads(done.stdout)

    # the modules imported are the ones installed into this venv, not a checkout's or the system's
    site = Path(found["prefix"]).resolve()
    assert site == venv.resolve()
    for module in found["modules"].values():
        assert Path(module["file"]).resolve().is_relative_to(site / "lib"), module
        assert "site-packages" in module["file"] and not module["pynetdicom"]  # pynetdicom is not installed here
    assert found["modules"][entries.module_name(madeup)]["version"] == entries.python_version(madeup.version)

    # every keyword written is read back with its tag, VR and value, in both encodings
    by_keyword = {e.keyword: e for e in entries.element_entries(madeup)}
    for key, element in found["elements"].items():
        keyword = key.split("/")[0]
        assert element["tag"] == element["expected_tag"], key
        if keyword in by_keyword:
            assert element["tag"] == by_keyword[keyword].tag and element["vr"] == by_keyword[keyword].vr, key
        assert element["vr"] == element["dictionary_vr"], key
        want = values[keyword]
        assert element["value"] == ([str(v) for v in want] if isinstance(want, list) else str(want)), key
