"""What the network tests share: the dictionaries generated for Dermoscopy and for the made-up fixture (whose
Storage SOP Class no toolkit knows), and the example files to send.

The examples are the committed ``output/dermoscopy/examples/*.dcm``. For the made-up supplement they are copied
with the fixture's SOP Class UID (Made-up Lamp Image Storage, 1.2.840.10008.5.1.4.1.1.77.1.990): pynetdicom 3 and
DCMTK already know Dermoscopy, so only a made-up class shows that the generated registration and profile are what
makes negotiation work.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread

from build_tools.build import Report, run_outputs
from build_tools.document.entries import FOLDER
from build_tools.load.loader import load_supplement
from build_tools.outputs.base import BuildContext
from build_tools.outputs.registry import OUTPUTS
from build_tools.standard.index import Index

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "output" / "dermoscopy" / "examples"
MADEUP = ROOT / "tests" / "fixtures" / "dictionaries" / "madeup"
MADEUP_STORAGE = "1.2.840.10008.5.1.4.1.1.77.1.990"


def generate(folder: Path, out: Path):
    findings: list = []
    supplement = load_supplement(folder, findings)
    assert not findings, [str(f) for f in findings]
    outputs = [o for o in OUTPUTS if o.folder == FOLDER]
    run_outputs(outputs, BuildContext(supplement, Index(supplement), spec_folder=folder), out, Report())
    return supplement, out / FOLDER


@pytest.fixture(scope="session")
def dermoscopy_dictionaries(tmp_path_factory):
    return generate(ROOT / "spec" / "dermoscopy", tmp_path_factory.mktemp("dermoscopy"))


@pytest.fixture(scope="session")
def madeup_dictionaries(tmp_path_factory):
    return generate(MADEUP, tmp_path_factory.mktemp("madeup"))


@pytest.fixture(scope="session")
def dermoscopy_examples() -> list[Path]:
    files = sorted(EXAMPLES.glob("*.dcm"))
    assert files, f"no example files in {EXAMPLES}; run dicomsup build"
    return files


@pytest.fixture(scope="session")
def madeup_examples(tmp_path_factory, dermoscopy_examples) -> list[Path]:
    """The Dermoscopy examples, as instances of the made-up Storage SOP Class."""
    folder = tmp_path_factory.mktemp("madeup-examples")
    written = []
    for path in dermoscopy_examples:
        dataset = dcmread(path)
        dataset.SOPClassUID = dataset.file_meta.MediaStorageSOPClassUID = MADEUP_STORAGE
        dataset.save_as(folder / path.name, enforce_file_format=True)
        written.append(folder / path.name)
    return written
