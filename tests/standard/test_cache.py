"""How the standard's tables are read without a cache of dicomsup's own (docs/baseline.rst, "No compiled cache").

The baseline is plain JSON (``json.loads`` beats every compiled form that is safe to load: benchmarks/
bench_startup.py), and pydicom's PS3.6 tables are read from pydicom's own modules without importing the package
pydicom (whose ``__init__`` imports its pixel stack). Each probe runs in a fresh interpreter, so what other tests
imported cannot decide the outcome.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.standard import baseline, store

PROBE = """
import json, sys
from build_tools.standard import baseline
before = {
    "dictionary": len(baseline.dictionary()),
    "keywords": len(baseline.keyword_tags()),
    "uids": len(baseline.uid_dictionary()),
    "version": baseline.PYDICOM_VERSION,
    "patient": baseline.element_by_keyword("PatientName").tag,
    "cids": len(baseline.pydicom_table("sr._cid_dict", "name_for_cid")),
}
imported = [m for m in sys.modules if m == "pydicom" or m.startswith("pydicom.")]
dictionary, keywords, uids = baseline.dictionary(), baseline.keyword_tags(), baseline.uid_dictionary()
cids = baseline.pydicom_table("sr._cid_dict", "name_for_cid")
import pydicom, pydicom.datadict, pydicom.uid, pydicom.sr._cid_dict
same = {
    "dictionary": dictionary == pydicom.datadict.DicomDictionary,
    "keywords": keywords == pydicom.datadict.keyword_dict,
    "uids": uids == pydicom.uid.UID_dictionary,
    "version": before["version"] == pydicom.__version__,
    "cids": cids == pydicom.sr._cid_dict.name_for_cid,
    "live": baseline.dictionary() is pydicom.datadict.DicomDictionary,
}
print(json.dumps({"before": before, "imported": imported, "same": same}))
"""


def probe() -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_pydicom_tables_are_read_without_importing_pydicom_and_equal_its_own() -> None:
    result = probe()
    assert result["imported"] == []
    assert result["before"]["patient"] == 0x00100010
    assert result["before"]["dictionary"] > 4000 and result["before"]["uids"] > 400
    assert result["same"] == {key: True for key in result["same"]}


def test_an_imported_pydicom_is_used_as_it_is() -> None:
    """Once pydicom is imported, its live tables answer (``add_dict_entries`` extends them), as before."""
    import pydicom.datadict
    import pydicom.uid

    assert baseline.dictionary() is pydicom.datadict.DicomDictionary
    assert baseline.keyword_tags() is pydicom.datadict.keyword_dict
    assert baseline.uid_dictionary() is pydicom.uid.UID_dictionary


def test_an_unknown_attribute_of_baseline_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        baseline.NO_SUCH_NAME  # noqa: B018


def test_reading_the_baseline_writes_no_cache(tmp_path: Path, monkeypatch) -> None:
    """No compiled cache: nothing is written under the cache folders, nothing but the JSON files is read."""
    for variable in ("HOME", "XDG_CACHE_HOME", "DICOMSUP_CACHE_DIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable))
    store.reset()
    try:
        assert baseline.iod("VL Photographic Image") is not None
        assert baseline.module("Patient") is not None
        assert baseline.sop_classes_for_iod("VL Photographic Image")
    finally:
        store.reset()
    assert list(tmp_path.iterdir()) == []


def test_facts_derived_from_the_baseline_are_forgotten_with_it(monkeypatch) -> None:
    """A later stage's cache of the baseline (``store.per_baseline``: the ids of a part, the sections PS3.3 knows)
    lasts as long as that baseline: after :func:`baseline.reset`, the next call derives them again. Before, the ids
    of an imported baseline outlived it, and a build after it in the same process wrote other change text."""
    calls = []

    @store.per_baseline
    def derived(part: str) -> str:
        calls.append(part)
        return f"{part} of generation {len(calls)}"

    assert derived("PS3.3") == derived("PS3.3") == "PS3.3 of generation 1"
    baseline.reset()
    assert derived("PS3.3") == "PS3.3 of generation 2"
    assert calls == ["PS3.3", "PS3.3"]
    derived.cache_clear()  # as functools.cache offers it
    assert derived("PS3.3") == "PS3.3 of generation 3"
