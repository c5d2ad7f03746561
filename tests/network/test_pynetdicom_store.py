"""A real pynetdicom Storage SCP and SCU on 127.0.0.1 negotiate the supplement's new Storage SOP Classes through
the generated package, and every example file arrives unchanged (issue 17).

Each run is a fresh interpreter (``pynetdicom_store.py``), so that what the package registers with pydicom and
pynetdicom never leaks into the test process; the SCP listens on 127.0.0.1 on a port the system picks, every
network wait has a timeout and the server is shut down in ``finally`` there, and the run itself is bounded here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_tools.document import entries

pytest.importorskip("pynetdicom")

DRIVER = Path(__file__).with_name("pynetdicom_store.py")
DERMOSCOPY_STORAGE = "1.2.840.10008.5.1.4.1.1.77.1.7"
MADEUP_STORAGE = "1.2.840.10008.5.1.4.1.1.77.1.990"


def store(package_folder: Path | None, module: str, sop_classes: list[str], files: list[Path], cwd: Path,
          timeout: int = 30) -> dict:
    plan = {"package_folder": str(package_folder) if package_folder else "", "module": module,
            "sop_classes": sop_classes, "files": [str(f) for f in files], "timeout": timeout}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(DRIVER), json.dumps(plan)], capture_output=True, text=True,
                          cwd=cwd, timeout=30 + timeout * (len(files) + 2), env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["log"] = done.stderr[-4000:]
    return result


def assert_all_stored(result: dict, files: list[Path]) -> None:
    assert result["established"] and result["registered"], result
    assert set(result["files"]) == {str(f) for f in files}
    for path, outcome in result["files"].items():
        assert outcome["status"] == 0x0000, (path, outcome, result.get("errors"), result["log"])
        assert outcome["received"] and outcome["same"], (path, outcome)


def test_every_dermoscopy_example_is_stored_through_the_generated_package(dermoscopy_dictionaries,
                                                                            dermoscopy_examples, tmp_path):
    supplement, folder = dermoscopy_dictionaries
    started = time.monotonic()
    result = store(folder / "python", entries.module_name(supplement), [DERMOSCOPY_STORAGE], dermoscopy_examples,
                   tmp_path)
    assert_all_stored(result, dermoscopy_examples)
    assert result["service_classes"] == {DERMOSCOPY_STORAGE: "StorageServiceClass"}
    assert time.monotonic() - started < 60


def test_a_storage_class_no_toolkit_knows_is_negotiated_once_registered(madeup_dictionaries, madeup_examples,
                                                                         tmp_path):
    """Made-up Lamp Image Storage: unknown to pynetdicom, so the registration alone makes the SCP store it."""
    supplement, folder = madeup_dictionaries
    result = store(folder / "python", entries.module_name(supplement), [MADEUP_STORAGE], madeup_examples, tmp_path)
    assert_all_stored(result, madeup_examples)
    assert result["service_classes"] == {MADEUP_STORAGE: "StorageServiceClass"}


def test_without_the_package_the_made_up_class_is_not_stored(madeup_examples, tmp_path):
    """The control: the same SCP and SCU without the generated registration fail (pynetdicom has no Storage
    service for the UID), so the test above shows what the package does."""
    result = store(None, "", [MADEUP_STORAGE], madeup_examples[:1], tmp_path, timeout=3)
    assert result["service_classes"] == {MADEUP_STORAGE: "ServiceClass"}
    (outcome,) = result["files"].values()
    assert outcome["status"] != 0x0000 and not outcome.get("received")
