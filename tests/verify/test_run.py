"""Verifying many files: worker processes with results in input order, streaming with a bounded window, a crash
in one file (or in its worker process) that does not end the run, ``--summary``/``--totals``, ``--assume`` and
``--files-from``."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pydicom
import pytest

from build_tools.commands.verify import main as verify_main
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index
from build_tools.verify import checker, run

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "dermoscopy"


@pytest.fixture(scope="module")
def files(tmp_path_factory, examples) -> list[str]:
    """Good copies of the examples, a file missing Patient Name, a missing path and a non-DICOM file, mixed."""
    folder = tmp_path_factory.mktemp("many")
    good = sorted(examples.glob("*.dcm"))
    paths = []
    for number in range(3):
        for source in good:
            target = folder / f"{number}-{source.name}"
            shutil.copyfile(source, target)
            paths.append(str(target))
    bad = folder / "bad.dcm"
    dataset = pydicom.dcmread(good[0])
    del dataset.PatientName
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset.save_as(bad)
    text = folder / "text.dcm"
    text.write_text("not DICOM at all, but long enough to hold a preamble " * 4)
    paths[5:5] = [str(bad), str(folder / "missing.dcm"), str(text)]
    return paths


def _output(capsys, argv: list[str]) -> tuple[int, str, str]:
    status = verify_main([*argv, "--spec", str(SPEC.parent)])
    out, err = capsys.readouterr()
    return status, out, err


def test_two_workers_give_the_same_output_in_the_same_order(files, capsys):
    one = _output(capsys, [*files, "-j", "1"])
    two = _output(capsys, [*files, "-j", "2"])
    assert one == two
    status, out, err = one
    assert status == 2  # a path could not be checked
    named = [line.split(": ")[0] for line in out.splitlines()]
    assert named == sorted(set(named), key=files.index)  # in input order
    assert "PatientName: is missing" in out and "no such file [DV001]" in out and "[DV002]" in out


def test_results_are_streamed_with_a_bounded_window(files):
    supplement = load_supplement(SPEC, [])
    supplements = [(supplement, Index(supplement))]
    taken = []

    def names():
        for number in range(2000):
            taken.append(number)
            yield files[number % 3]

    results = run.verify_paths(names(), supplements, jobs=2)
    first = next(results)
    assert first.name == files[0]
    assert len(taken) <= (2 * run.WINDOW + 1) * run.CHUNK  # the rest of the input is not read yet
    results.close()
    assert len(taken) < 2000


def test_a_crash_on_one_file_is_a_finding_of_that_file(files, capsys, monkeypatch):
    real = checker.verify_path

    def fragile(path, *args, **kwargs):
        if path.name == "1-contact-gel.dcm":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(checker, "verify_path", fragile)
    for jobs in ("1", "2"):
        status, out, _err = _output(capsys, [*files, "-j", jobs, "--select", "DV005"])
        crashed = [line for line in out.splitlines() if "[DV005]" in line]
        victim = next(f for f in files if f.endswith("1-contact-gel.dcm"))
        assert crashed == [f"{victim}: error: verification stopped: RecursionError: maximum recursion depth "
                           "exceeded [DV005]"]
        assert status == 2


def test_a_worker_that_dies_is_replaced_and_the_file_reported(files, capsys, monkeypatch):
    real = checker.verify_path
    victim = next(f for f in files if f.endswith("2-contact-gel.dcm"))

    def deadly(path, *args, **kwargs):
        if str(path) == victim:
            os._exit(70)  # as a crash in a C extension would end the process
        return real(path, *args, **kwargs)

    monkeypatch.setattr(checker, "verify_path", deadly)
    status, out, err = _output(capsys, [*files, "-j", "2"])
    died = [line for line in out.splitlines() if "[DV005]" in line]
    assert died == [f"{victim}: error: verification stopped: the worker process checking this file died (a crash "
                    "or memory exhausted while reading it) [DV005]"]
    reported = [line.split(": ")[0] for line in out.splitlines()]
    assert reported == sorted(set(reported), key=files.index)
    assert f"verify: {len(files) - 1} files" in err  # every other file was still checked


def test_summary_lists_the_files_that_did_not_pass_then_the_totals(files, capsys):
    status, out, _err = _output(capsys, [*files, "--summary", "--ignore", "DV218"])
    bad, missing, text = files[5:8]
    assert status == 2
    lines = out.splitlines()
    assert lines[:3] == [f"{bad}: failed: 1 error, 0 warnings [DV211]", f"{missing}: unusable: no such file",
                         f"{text}: failed: 1 error, 0 warnings [DV002]"]
    assert lines[3] == f"files: {len(files)}: 1 could not be checked, 2 failed (errors), {len(files) - 3} passed"
    assert lines[4] == "findings by code:"
    assert [line.split()[0] for line in lines[5:]] == ["DV002", "DV211"]
    assert "1 in 1 file  Required attribute missing" in lines[6]


def test_totals_only_and_as_json(files, capsys):
    import json

    _status, out, _err = _output(capsys, [*files, "--totals"])
    assert out.splitlines()[0].startswith(f"files: {len(files)}: ")
    assert "DV218  note" in out  # counted for every file, though printed once in the full listing
    _status, out, _err = _output(capsys, [*files, "--totals", "--format", "json"])
    totals = json.loads(out)
    assert totals["files"] == {"unusable": 1, "failed": 2, "warnings": 0, "passed": len(files) - 3}
    assert totals["codes"]["DV211"] == {"findings": 1, "files": 1}


def test_files_from_a_list_and_from_standard_input(files, capsys, tmp_path, monkeypatch):
    import io

    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(files[:4]) + "\n\n", encoding="utf-8")
    by_list = _output(capsys, ["--files-from", str(listing), "-j", "1"])
    monkeypatch.setattr("sys.stdin", io.StringIO(listing.read_text(encoding="utf-8")))
    by_stdin = _output(capsys, ["--files-from", "-", "-j", "1"])
    assert by_list == by_stdin and by_list[0] == 0 and "verify: 4 files" in by_list[2]
    assert _output(capsys, ["--files-from", str(tmp_path / "nope.txt")])[0] == 2


def test_a_list_with_a_file_name_that_is_not_utf8(files, capsys, tmp_path):
    listing = tmp_path / "list.bin"
    listing.write_bytes(files[0].encode() + b"\n" + str(tmp_path).encode() + b"/caf\xe9.dcm\n")
    status, out, err = _output(capsys, ["--files-from", str(listing), "-j", "1"])
    assert status == 2 and "Traceback" not in err  # the odd name is a usage finding of its own, not a crash
    assert "caf" in out + err and "verify: 1 file" in err


def test_workers_are_no_more_than_cores_or_chunks(files, monkeypatch):
    started = []
    real = run._Pool.__init__

    def counting(self, jobs, *args):
        started.append(jobs)
        real(self, jobs, *args)

    monkeypatch.setattr(run._Pool, "__init__", counting)
    supplement = load_supplement(SPEC)
    results = list(run.verify_paths(files[:40], [(supplement, Index(supplement))], jobs=1000))
    assert [r.name for r in results] == files[:40]
    assert started and started[0] <= run.default_jobs()


@pytest.mark.parametrize("argv", [["-j", "-1"], ["-j", "many"], ["--assume", "nothing"],
                                  ["--assume", "x=perhaps"], []])
def test_option_errors_are_usage_errors(files, argv):
    with pytest.raises(SystemExit) as stop:
        verify_main([*(files[:1] if argv else []), *argv, "--spec", str(SPEC.parent)])
    assert stop.value.code == 2


def test_assume_parses_truths():
    from build_tools.commands.verify import _assumptions

    assert _assumptions(["a=yes", "b=No", "c=true", "d=0"]) == {"a": True, "b": False, "c": True, "d": False}


def test_default_jobs_is_the_number_of_usable_cores():
    assert run.default_jobs() == len(os.sched_getaffinity(0))


def test_the_iods_rules_are_compiled_once_per_run(files, monkeypatch):
    from build_tools.verify import plan

    calls = []
    real = plan.iod_rules

    def counting(*args, **kwargs):
        calls.append(args[0].name)
        return real(*args, **kwargs)

    monkeypatch.setattr(plan, "iod_rules", counting)
    supplement = load_supplement(SPEC, [])
    supplements = [(supplement, Index(supplement))]
    results = list(run.verify_paths(files[:12], supplements, jobs=1))
    assert len(results) == 12
    assert calls == [iod.name for iod in supplement.iods]  # once per IOD, not per file


def test_index_lookups_by_tag_and_name():
    supplement = load_supplement(SPEC, [])
    index = Index(supplement)
    new = supplement.data_elements[0]
    found = index.element_by_tag(int(new.tag.strip("()").replace(",", ""), 16))
    assert found is not None and found.new and found.name == new.name
    assert index.element_by_tag(0x00100010).keyword == "PatientName"
    assert index.element_by_tag(0x00100010) is index.element_by_tag(0x00100010)  # remembered
    assert index.element_by_tag(0x7FE10010) is None
    assert index.iod(supplement.iods[0].name) is supplement.iods[0] and index.iod("No Such") is None
    from build_tools.standard.index import uid_keyword

    assert index.uid(uid_keyword(supplement.uids[0])) is supplement.uids[0] and index.uid("NoSuchUID") is None
