"""DCMTK's ``storescp`` and ``storescu`` store every example through the generated association profile (issue 17).

Run by ``dcmtk_store.py``, inside a network namespace of its own where the system allows one (``unshare -rn``):
there only a loopback interface exists, so ``storescp`` (which DCMTK 3.6.7 cannot bind to one address) is
reachable from nowhere else. Without that, it listens on a free port and only 127.0.0.1 is used. Each wait has a
deadline; ``storescp`` is always killed. The received files are compared with the sent ones by pydicom. DCMTK's
tools are called by absolute path: pynetdicom's apps of the same names may come first on PATH.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import pytest
from pydicom import dcmread

from build_tools.document import entries



@cache
def dcmtk_tool(name: str) -> str | None:
    """DCMTK's own ``name``, by absolute path: pynetdicom (in the test extra) installs Python apps called
    ``storescp`` and ``storescu`` too, which come first on a virtual environment's PATH."""
    folders = os.environ.get("PATH", "").split(os.pathsep) + ["/usr/bin", "/usr/local/bin"]
    for folder in dict.fromkeys(folders):
        candidate = shutil.which(name, path=folder)
        if candidate is None:
            continue
        try:
            done = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if "dcmtk" in (done.stdout + done.stderr).lower():
            return candidate
    return None


pytestmark = pytest.mark.skipif(dcmtk_tool("storescp") is None or dcmtk_tool("storescu") is None,
                                reason="DCMTK's storescp/storescu are not installed (Debian package dcmtk)")

DRIVER = Path(__file__).with_name("dcmtk_store.py")


@cache
def namespace() -> bool:
    """Whether ``unshare -rn`` gives this process a network namespace of its own (and ``ip`` brings lo up)."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    try:
        done = subprocess.run(["unshare", "-rn", "ip", "link", "set", "lo", "up"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def default_dictionary() -> str:
    found = sorted(glob.glob("/usr/share/libdcmtk*/dicom.dic")) + sorted(glob.glob("/usr/share/dcmtk*/dicom.dic"))
    if not found:
        pytest.skip("DCMTK's dicom.dic not found (install the Debian package dcmtk)")
    return found[-1]


def store(supplement, folder: Path, files: list[Path], tmp_path: Path, with_scu_profile: bool = True) -> dict:
    name = entries.profile_name(supplement)
    plan = {"namespace": namespace(), "profile": str(folder / entries.profile_file(supplement)),
            "scp_profile": f"{name}SCP", "scu_profile": f"{name}SCU" if with_scu_profile else "",
            "received": str(tmp_path / "received"),
            "dictionaries": [default_dictionary(), str(folder / entries.dcmtk_file(supplement))],
            "files": [str(f) for f in files], "timeout": 20,
            "storescp": dcmtk_tool("storescp"), "storescu": dcmtk_tool("storescu")}
    command = [sys.executable, str(DRIVER), json.dumps(plan)]
    if plan["namespace"]:
        command = ["unshare", "-rn", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_received_unchanged(result: dict, files: list[Path], received: Path) -> None:
    assert result["storescu"] == 0, result["output"]
    by_instance = {str(dcmread(p).SOPInstanceUID): p for p in received.iterdir()}
    assert len(by_instance) == len(files), (result["received"], result["output"])
    for path in files:
        sent = dcmread(path)
        got = dcmread(by_instance[str(sent.SOPInstanceUID)])
        assert got == sent, path.name
        assert got.file_meta.TransferSyntaxUID == sent.file_meta.TransferSyntaxUID, path.name
        assert got.file_meta.MediaStorageSOPClassUID == sent.SOPClassUID, path.name


def test_every_dermoscopy_example_is_stored_with_the_profile(dermoscopy_dictionaries, dermoscopy_examples,
                                                              tmp_path):
    supplement, folder = dermoscopy_dictionaries
    started = time.monotonic()
    result = store(supplement, folder, dermoscopy_examples, tmp_path)
    assert_received_unchanged(result, dermoscopy_examples, tmp_path / "received")
    assert time.monotonic() - started < 120


def test_a_storage_class_dcmtk_does_not_know_is_stored_with_the_profile(madeup_dictionaries, madeup_examples,
                                                                        tmp_path):
    supplement, folder = madeup_dictionaries
    result = store(supplement, folder, madeup_examples, tmp_path)
    assert_received_unchanged(result, madeup_examples, tmp_path / "received")


def test_without_the_profile_storescu_refuses_the_made_up_class(madeup_dictionaries, madeup_examples, tmp_path):
    """The control: the same storescp, and storescu without the profile: no presentation context for the made-up
    SOP Class, nothing stored."""
    supplement, folder = madeup_dictionaries
    result = store(supplement, folder, madeup_examples[:1], tmp_path, with_scu_profile=False)
    assert result["storescu"] != 0
    assert "presentation context" in result["output"].lower(), result
    assert result["received"] == []
