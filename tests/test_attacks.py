"""The held-out attack, kept as the project's own test (issue 18): hostile input through the real CLI.

Every case works on a copy of ``tests/fixtures/minimal`` in ``tmp_path`` and asserts what a hostile input must
never get: a traceback, a zero exit where the input is wrong, a message over several lines or without a place, an
``output/`` left half written (its tree is hashed before and after: untouched, or fully replaced by a build that
succeeds), or a payload that runs (a canary file that the payload would create must not exist, and the generated
Python package is imported in a subprocess to prove it is data only).

The CLI runs in a subprocess where the process matters (exit codes, the last line of stderr, imports, signals);
the many content cases run :func:`build_tools.commands.main.main` in-process, which is the same code without the
start-up cost.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from build_tools.commands.main import main

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
CANARY = "CANARY"
#: A located finding: ``file:line:column: severity: message [CODE]`` (or ``file: severity: …`` for a whole file).
LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*)(?::\d+:\d+)?: (?:error|warning|note): .+$")
#: What the payloads would write if they ran (relative to the working folder of the run).
TOUCH = f"__import__('pathlib').Path('{CANARY}').touch()"
#: Outputs cheap enough to build for every case; each file format they write is checked below.
ONLY = "docbook,html,pydicom,dcmtk,json"


# --- helpers --------------------------------------------------------------------------------------------------


def spec_copy(tmp_path: Path) -> Path:
    """``tmp_path/spec/minimal``, a fresh copy of the minimal supplement; returns the spec folder."""
    spec = tmp_path / "spec"
    shutil.copytree(MINIMAL, spec / "minimal")
    return spec


def edit(spec: Path, file: str, old: str, new: str) -> None:
    path = spec / "minimal" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def tree_hash(folder: Path) -> str:
    """A digest of every path under ``folder`` (links as links, files by content); '' when it does not exist."""
    if not folder.exists() and not folder.is_symlink():
        return ""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            digest.update(b"->" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cli(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    """``python -m build_tools ARGS`` in a subprocess, in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, errors="replace")


def in_process(args: list[str], cwd: Path, capsys) -> tuple[int, str, str]:
    """The CLI's ``main`` in this process (from ``cwd``): exit status, stdout, stderr."""
    before = Path.cwd()
    os.chdir(cwd)
    try:
        try:
            code = main(args)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(before)
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, out: str, err: str, where: str | None = None) -> None:
    """Exit 1 or 2, no traceback, every line one line without control characters, a located finding (in
    ``where`` when given), and a last stderr line that says what happened."""
    text = out + err
    assert code in (1, 2), f"exit {code}:\n{text}"
    assert "Traceback" not in text, text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text), repr(text)
    located = [line for line in text.splitlines() if LOCATED.match(line)]
    assert located, f"no located finding:\n{text}"
    if where is not None:
        assert any(where in line for line in located), f"no finding in {where}:\n{text}"
    lines = err.strip().splitlines()
    assert lines and lines[-1].strip(), f"nothing on stderr:\n{text}"


def assert_nothing_ran(cwd: Path) -> None:
    assert not list(cwd.rglob(CANARY)), "a payload ran"


# --- 1. hostile YAML: lint refuses it with one located line ---------------------------------------------------

YAML_CASES = {
    "unclosed-bracket": "title: [unclosed\n",
    "tab-indent": "modules:\n\t- name: X\n",
    "anchor-and-alias": "a: &x [1, 2]\nb: *x\n",
    "billion-laughs": 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: [*b,*b]\n',
    "python-tag": f"title: !!python/object/apply:os.system ['touch {CANARY}']\n",
    "custom-tag": "title: !include /etc/passwd\n",
    "duplicate-top-level-key": "title: One\ntitle: Two\n",
    "not-utf8": b"title: caf\xe9\n",
    "nul-byte": b"title: a\x00b\n",
    "bom-only": "\ufeff",
    "empty": "",
    "only-comment": "# nothing\n",
    "list-root": "- a\n- b\n",
    "scalar-root": "just text\n",
    "complex-key": "? [a, b]\n: 1\n",
    "null-key": "~: 1\n",
    "huge-escape": 'title: "\\UFFFFFFFF"\n',
    "surrogate-escape": 'title: "\\ud800"\n',
    "deep-flow-nesting": "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep-block-nesting": "x:\n" + "".join(" " * (2 * i + 2) + "-\n" for i in range(900)),
    "deep-mapping-nesting": "".join(" " * i + f"k{i}:\n" for i in range(400)),
    "unknown-top-level-key": "titel: x\n",
    "multi-document": "title: a\n---\ntitle: b\n",
    "huge-integer": "number: " + "9" * 5000 + "\n",
    "binary-junk": bytes(range(256)) * 4,
    "directive": "%YAML 9.9\n---\ntitle: a\n",
}


@pytest.mark.parametrize("case", YAML_CASES, ids=list(YAML_CASES))
def test_hostile_yaml_is_refused_in_one_located_line(tmp_path, capsys, case):
    spec = spec_copy(tmp_path)
    content = YAML_CASES[case]
    path = spec / "minimal" / "extra.yaml"
    if case in ("duplicate-top-level-key", "unknown-top-level-key", "huge-integer"):
        path = spec / "minimal" / "supplement.yaml"  # a key of its own file
        original = path.read_text(encoding="utf-8")
        content = {"duplicate-top-level-key": original + "title: Two\n",
                   "unknown-top-level-key": original + "titel: x\n",
                   "huge-integer": original.replace("number: 9999\n", content)}[case]
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code, out, err = in_process(["lint", "--spec", str(spec), "minimal"], tmp_path, capsys)
    assert_refused(code, out, err, where="minimal/")
    assert_nothing_ran(tmp_path)


# --- 2. hostile paths and files -------------------------------------------------------------------------------


def _plant(spec: Path, case: str) -> list[str]:
    """Make the hostile case on disk; the lint arguments that meet it."""
    folder = spec / "minimal"
    if case == "spec-file-is-a-folder":
        (folder / "iods.yaml").mkdir()
    elif case == "dangling-link":
        (folder / "extra.yaml").symlink_to(folder / "nowhere.yaml")
    elif case == "link-outside":
        (spec.parent / "outside.yaml").write_text("title: outside\n")
        (folder / "extra.yaml").symlink_to(spec.parent / "outside.yaml")
    elif case == "link-loop":
        (folder / "extra.yaml").symlink_to(folder / "extra.yaml")
    elif case == "unreadable-file":
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        (folder / "content.yaml").chmod(0)
    elif case == "no-such-supplement":
        return ["lint", "--spec", str(spec), "nosuch"]
    elif case == "very-long-name":
        return ["lint", "--spec", str(spec), "n" * 5000]
    elif case == "name-with-dot-dot":
        return ["lint", "--spec", str(spec), "../../etc"]
    elif case == "name-with-newline":
        return ["lint", "--spec", str(spec), "mini\nmal"]
    elif case == "spec-is-a-file":
        (spec.parent / "afile").write_text("x")
        return ["lint", "--spec", str(spec.parent / "afile")]
    elif case == "very-long-spec":
        return ["lint", "--spec", "/" + "s" * 5000]
    elif case == "empty-spec":
        return ["lint", "--spec", ""]
    elif case == "folder-without-yaml":
        (spec / "empty").mkdir()
        return ["lint", "--spec", str(spec), "empty"]
    return ["lint", "--spec", str(spec), "minimal"]


PATH_CASES = ["spec-file-is-a-folder", "dangling-link", "link-outside", "link-loop", "unreadable-file",
              "no-such-supplement", "very-long-name", "name-with-dot-dot", "name-with-newline", "spec-is-a-file",
              "very-long-spec", "empty-spec", "folder-without-yaml"]


@pytest.mark.parametrize("case", PATH_CASES)
def test_hostile_paths_are_refused_in_one_located_line(tmp_path, capsys, case):
    spec = spec_copy(tmp_path)
    args = _plant(spec, case)
    code, out, err = in_process(args, tmp_path, capsys)
    assert_refused(code, out, err)


# --- 3. hostile content in every text field -------------------------------------------------------------------

PAYLOADS = {
    "python-docstring-break": "x''' + " + TOUCH + " + '''\"\"\" + " + TOUCH + " + \"\"\"",
    "xml-close-and-cdata": "</programlisting>]]><![CDATA[<x/>]]></para><script>alert(1)</script>",
    "html-script": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "jinja": "{{ cycler.__init__.__globals__.os.system('touch " + CANARY + "') }}{% raw %}{# x",
    "xxe-entity": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;&amp;&lt;',
    "shell": "$(touch " + CANARY + ") `touch " + CANARY + "` ; touch " + CANARY,
    "format-strings": "%s %(x)s {0} {x!r} %n",
    "backslashes": "C:\\\\temp\\\\ \\\\x00 \\\\N{BULLET} trailing\\\\",
    "dic-line-break": "Name\tCS\t1\tInjected",
    "unicode": "Ünïcödé — “quotes” 𝔘 漢字 \u200b",
    "long-text": "word " * 20000,
}
#: Text fields of the minimal supplement: (file, the line that holds it there, whether it is prose).
TEXT_FIELDS = [
    ("supplement.yaml", "title: Lesion Marker", False),
    ("supplement.yaml", "summary: First draft.", True),
    ("content.yaml", "description: An image of a skin lesion with a marker of known color.", True),
    ("content.yaml", "description: The attributes of the marker placed beside the lesion.", True),
    ("content.yaml", "description: The color of the marker.", True),
    ("content.yaml", "meaning: A red marker.", True),
    ("content.yaml", "meaning: Lesion marker", False),
    ("content.yaml", "definition: A colored marker placed beside a skin lesion.", True),
    ("content.yaml", "name: Lesion Marker Types", False),
    ("content.yaml", "title: A red marker", False),
    ("content.yaml", "title: Lesion Marker Color", False),
]


def _inject(spec: Path, payload: str) -> None:
    """``payload`` into every text field; in prose with its markup characters escaped, so that the payload
    itself (not a markup error) reaches every generator."""
    for file, written, prose in TEXT_FIELDS:
        key, _, _value = written.partition(": ")
        text = re.sub(r"([\\{}*])", r"\\\1", payload) if prose else payload
        edit(spec, file, written, f"{key}: {json.dumps(text + ' end.')}")


def _check_outputs(out: Path, cwd: Path) -> None:
    """Every file written is well formed, escapes its text, and the Python package is data only."""
    for path in out.rglob("*.xml"):
        etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in out.rglob("*.html"):  # as a browser parses it: no script or handler came from the text
        document = html5lib.parse(path.read_text(encoding="utf-8"), treebuilder="lxml", namespaceHTMLElements=False)
        assert not [s for s in document.iter("script") if "alert" in (s.text or "")]
        assert not [e for e in document.iter() if isinstance(e.tag, str) and "onerror" in e.attrib]
    for path in out.rglob("*.dic"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not line.strip() or line.startswith("#") or line.startswith("("), line
    for module in out.rglob("dicomsup_*/*.py"):  # data only: no call of __import__, exec or eval anywhere
        tree = ast.parse(module.read_text(encoding="utf-8"))
        assert not [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("__import__", "exec", "eval", "compile")], module
    packages = list(out.rglob("dicomsup_*/__init__.py"))
    assert packages, "no generated Python package"
    for init in packages:
        done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(init.parent.parent)!r}); "
                                                     f"import {init.parent.name}"],
                              cwd=cwd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    assert_nothing_ran(cwd)


@pytest.mark.parametrize("payload", PAYLOADS, ids=list(PAYLOADS))
def test_hostile_text_is_refused_or_built_inert(tmp_path, capsys, payload):
    spec = spec_copy(tmp_path)
    _inject(spec, PAYLOADS[payload])
    out = tmp_path / "output"
    (out / "minimal").mkdir(parents=True)
    (out / "minimal" / "kept.txt").write_text("from an earlier build\n")
    before = tree_hash(out)
    code, stdout, stderr = in_process(["build", "--spec", str(spec), "--out", str(out), "--only", ONLY, "minimal"],
                                      tmp_path, capsys)
    assert "Traceback" not in stdout + stderr
    if code == 0:  # accepted: every output inert, and the whole folder replaced
        _check_outputs(out / "minimal", tmp_path)
        assert tree_hash(out) != before
    else:
        assert_refused(code, stdout, stderr, where="minimal/")
        assert tree_hash(out) == before, "a refused build changed output/"
    assert_nothing_ran(tmp_path)


def test_the_code_execution_of_the_attack_does_not_run(tmp_path):
    """The attack of issue 18: a title closing the generated module's docstring and a data element name holding
    ''' made ``import dicomsup_<name>`` run code. Through the real CLI, then imported in a fresh interpreter."""
    spec = spec_copy(tmp_path)
    edit(spec, "supplement.yaml", "title: Lesion Marker", "title: " + json.dumps('M"""; ' + TOUCH + '; """'))
    edit(spec, "content.yaml", "name: Lesion Marker Color, vr",
         "name: " + json.dumps("Color''' " + TOUCH) + ", keyword: LesionMarkerColor, vr")  # only a warning
    done = cli(["build", "--spec", str(spec), "--out", str(tmp_path / "output"), "--only", "pydicom,dcmtk",
                "minimal"], tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    _check_outputs(tmp_path / "output" / "minimal", tmp_path)


CHARACTER_CASES = {
    "nul": "a\\0b", "escape": "a\\e[31mb", "bell": "a\\ab", "c1-control": "a\\x85b", "rlo": "a\\u202eb",
    "isolate": "a\\u2066b", "surrogate": "a\\udfffb", "noncharacter": "a\\uffffb", "line-break-in-name": "a\\nb",
    "tab-in-name": "Color\\tCS\\t1\\tInjected",
}


@pytest.mark.parametrize("case", CHARACTER_CASES, ids=list(CHARACTER_CASES))
def test_characters_no_output_can_carry_are_refused_at_their_place(tmp_path, capsys, case):
    spec = spec_copy(tmp_path)
    # with its keyword given, so that the name alone is wrong (a .dic line would take a tab for a column)
    edit(spec, "content.yaml", "name: Lesion Marker Color, vr",
         f'name: "Lesion {CHARACTER_CASES[case]}", keyword: LesionMarkerColor, vr')
    out = tmp_path / "output"
    code, stdout, stderr = in_process(["build", "--spec", str(spec), "--out", str(out), "--only", ONLY, "minimal"],
                                      tmp_path, capsys)
    assert_refused(code, stdout, stderr, where="minimal/content.yaml:39:")
    assert "DS029" in stdout
    assert not (out / "minimal").exists()


NONSENSE_CASES = {
    "unsatisfiable-condition": ("content.yaml", "{attribute: LesionMarkerColor, equals: RED}",
                                "{all: [{attribute: LesionMarkerColor, equals: RED}, "
                                "{attribute: LesionMarkerColor, equals: BLUE}]}", "DS245"),
    "self-referential-condition": ("content.yaml", "{attribute: LesionMarkerColor, equals: RED}",
                                   "{present: TrackingID}", "DS247"),
    "value-index-beyond-vm": ("content.yaml", "equals: RED}", "equals: RED, value_index: 4}", "DS248"),
    "value-index-negative": ("content.yaml", "equals: RED}", "equals: RED, value_index: -1}", "DS220"),
    "condition-value-typo": ("content.yaml", "equals: RED}", "equals: REDD}", "DS223"),
    "number-as-text": ("supplement.yaml", "number: 9999", 'number: "two"', "DS024"),
    "quoted-number": ("supplement.yaml", "number: 9999", 'number: "9999"', "DS027"),
    "title-as-number": ("supplement.yaml", "title: Lesion Marker", "title: 12", "DS028"),
    "cid-as-text": ("content.yaml", "cid: 9901", 'cid: "abc"', "DS024"),
    "huge-number": ("supplement.yaml", "number: 9999", "number: 99999999999999999999", "DS024"),
    "supplement-number-zero": ("supplement.yaml", "number: 9999", "number: 0", "DS108"),
    "supplement-number-negative": ("supplement.yaml", "number: 9999", "number: -221", "DS108"),
    "example-value-not-enumerated": ("content.yaml", "LesionMarkerColor: RED,", "LesionMarkerColor: GREEN,", "DS607"),
    "huge-image": ("content.yaml", "TrackingID: L1}", "TrackingID: L1, Rows: 100000, Columns: 100000}", "DS606"),
    "empty-annex-label": ("annex.yaml", "", 'annex:\n  label: ""\n  title: Markers\n', "DS345"),
}


@pytest.mark.parametrize("case", NONSENSE_CASES, ids=list(NONSENSE_CASES))
def test_accepted_nonsense_is_now_a_lint_error(tmp_path, capsys, case):
    file, old, new, code_expected = NONSENSE_CASES[case]
    spec = spec_copy(tmp_path)
    if old:
        edit(spec, file, old, new)
    else:  # a new file
        (spec / "minimal" / file).write_text(new, encoding="utf-8")
    code, out, err = in_process(["lint", "--strict", "--spec", str(spec), "minimal"], tmp_path, capsys)
    assert_refused(code, out, err, where=f"minimal/{file}:")
    assert f"[{code_expected}]" in out


# --- 4. hostile DICOM files for verify ------------------------------------------------------------------------


def _good_dicom(path: Path) -> bytes:
    """A small Explicit VR Little Endian file of the minimal supplement's SOP Class."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.77.1.99"
    meta.MediaStorageSOPInstanceUID = "2.25.1"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset = Dataset()
    dataset.file_meta = meta
    dataset.SOPClassUID = meta.MediaStorageSOPClassUID
    dataset.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    dataset.Modality = "XC"
    dataset.PatientName = "Test^Patient"
    dataset.save_as(path, enforce_file_format=True)
    return path.read_bytes()


def _hostile_file(folder: Path, case: str) -> Path:
    path = folder / f"{case}.dcm"
    good = _good_dicom(folder / "good.dcm")
    preamble = bytes(128) + b"DICM"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("this is not DICOM\n")
    elif case == "preamble-only":
        path.write_bytes(preamble)
    elif case == "truncated-meta":
        path.write_bytes(good[:150])
    elif case == "truncated-dataset":
        path.write_bytes(good[:-7])
    elif case == "huge-length":  # an UN element claiming 4 GB
        path.write_bytes(good + b"\x09\x00\x10\x00UN\x00\x00\xf0\xff\xff\xff" + b"x" * 16)
    elif case == "huge-meta-length":
        index = good.index(b"\x02\x00\x00\x00UL")
        path.write_bytes(good[:index + 8] + b"\xff\xff\xff\x7f" + good[index + 12:])
    elif case == "unclosed-sequence":
        path.write_bytes(good + b"\x08\x00\x15\x11SQ\x00\x00\xff\xff\xff\xff\xfe\xff\x00\xe0\xff\xff\xff\xff")
    elif case == "deep-sequences":
        nested = b""
        for _ in range(3000):
            nested = (b"\x08\x00\x15\x11SQ\x00\x00\xff\xff\xff\xff\xfe\xff\x00\xe0\xff\xff\xff\xff" + nested
                      + b"\xfe\xff\x0d\xe0\x00\x00\x00\x00\xfe\xff\xdd\xe0\x00\x00\x00\x00")
        path.write_bytes(good + nested)
    elif case == "random-bytes":
        path.write_bytes(preamble + bytes((i * 7919) % 256 for i in range(4096)))
    elif case == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    elif case == "directory":
        path.mkdir()
    elif case == "missing":
        pass
    elif case == "link-to-nothing":
        path.symlink_to(folder / "nowhere.dcm")
    elif case == "unknown-sop-class":
        path.write_bytes(good.replace(b"1.2.840.10008.5.1.4.1.1.77.1.99", b"1.2.840.10008.5.1.4.1.1.77.1.98"))
    return path


DICOM_CASES = ["empty", "text", "preamble-only", "truncated-meta", "truncated-dataset", "huge-length",
               "huge-meta-length", "unclosed-sequence", "deep-sequences", "random-bytes", "png", "directory",
               "missing", "link-to-nothing", "unknown-sop-class"]


@pytest.mark.parametrize("case", DICOM_CASES)
def test_hostile_dicom_files_get_one_located_line(tmp_path, capsys, case):
    spec = spec_copy(tmp_path)
    path = _hostile_file(tmp_path, case)
    code, out, err = in_process(["verify", "--spec", str(spec), "--supplement", "minimal", str(path)], tmp_path,
                                capsys)
    assert_refused(code, out, err, where=path.name)


def test_verify_reports_each_hostile_file_in_order_through_the_cli(tmp_path):
    """All the hostile files in one run of the real CLI: one run, no traceback, each file named, exit 2."""
    spec = spec_copy(tmp_path)
    paths = [_hostile_file(tmp_path, case) for case in DICOM_CASES]
    done = cli(["verify", "--spec", str(spec), "--supplement", "minimal", *map(str, paths)], tmp_path)
    assert_refused(done.returncode, done.stdout, done.stderr)
    for path in paths:
        assert path.name in done.stdout, path.name


# --- 5. the real CLI: exit codes and last lines ---------------------------------------------------------------


#: name -> (arguments, a file planted in the supplement or None, whether the real CLI runs it in a subprocess).
CLI_CASES = {
    "lint-bad-yaml": (["lint", "--spec", "{spec}", "minimal"], ("extra.yaml", "title: [x\n"), True),
    "build-bad-yaml": (["build", "--spec", "{spec}", "--out", "{out}", "--only", "html", "minimal"],
                       ("extra.yaml", "title: [x\n"), False),
    "build-lint-error": (["build", "--spec", "{spec}", "--out", "{out}", "--only", "html", "minimal"],
                         ("extra.yaml", "number_x: 1\n"), True),
    "check-lint-error": (["check", "--spec", "{spec}", "--out", "{out}", "minimal"], ("extra.yaml", "x: 1\n"),
                         False),
    "out-is-a-file": (["build", "--spec", "{spec}", "--out", "{tmp}/afile", "--only", "html", "minimal"], None,
                      False),
    "very-long-out": (["build", "--spec", "{spec}", "--out", "{tmp}/" + "o" * 5000, "--only", "html", "minimal"],
                      None, True),
    "diff-bad-revision": (["diff", "--spec", "{spec}", "minimal", "no-such-revision-" + "x" * 300], None, False),
    "watch-port-negative": (["watch", "--spec", "{spec}", "--port", "-1", "minimal"], None, False),
    "watch-port-too-big": (["watch", "--spec", "{spec}", "--port", "70000", "minimal"], None, False),
    "watch-interval-negative": (["watch", "--spec", "{spec}", "--interval", "-1", "minimal"], None, False),
    "long-example-name": (["build", "--spec", "{spec}", "--out", "{out}", "--only", "html,examples", "minimal"],
                          ("examples.yaml", "examples_x: 1\n"), False),
}


@pytest.mark.parametrize("case", CLI_CASES)
def test_the_cli_refuses_with_a_located_last_line(tmp_path, capsys, case):
    args, plant, real = CLI_CASES[case]
    spec = spec_copy(tmp_path)
    (tmp_path / "afile").write_text("not a folder\n")
    out = tmp_path / "output"
    (out / "minimal").mkdir(parents=True)
    (out / "minimal" / "kept.txt").write_text("from an earlier build\n")
    before = tree_hash(out)
    if case == "long-example-name":  # a file name beyond NAME_MAX
        edit(spec, "content.yaml", "  - name: red-marker", "  - name: " + "red-marker-" * 30)
    elif plant is not None:
        (spec / "minimal" / plant[0]).write_text(plant[1])
    words = [a.format(spec=spec, out=out, tmp=tmp_path) for a in args]
    if real:
        done = cli(words, tmp_path)
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    else:
        code, stdout, stderr = in_process(words, tmp_path, capsys)
    assert code in (1, 2), stdout + stderr
    assert "Traceback" not in stdout + stderr
    last = stderr.strip().splitlines()[-1]
    assert len(last) < 500 and ("error" in last or LOCATED.match(last)), stderr
    assert tree_hash(out) == before
    assert_nothing_ran(tmp_path)


@pytest.mark.parametrize("case", ["name-is-a-link-elsewhere", "out-is-a-dangling-link", "name-is-a-file"])
def test_a_hostile_output_folder_is_never_clobbered(tmp_path, capsys, case):
    """``output/<name>`` a link to another folder, ``output`` a link to nothing, ``output/<name>`` a file: the
    build refuses in one line or writes its own folder, and what lies elsewhere is untouched."""
    spec = spec_copy(tmp_path)
    out, other = tmp_path / "output", tmp_path / "other"
    other.mkdir()
    (other / "precious.txt").write_text("not the build's\n")
    if case == "name-is-a-link-elsewhere":
        out.mkdir()
        (out / "minimal").symlink_to(other, target_is_directory=True)
    elif case == "out-is-a-dangling-link":
        out.symlink_to(tmp_path / "nowhere", target_is_directory=True)
    else:
        out.mkdir()
        (out / "minimal").write_text("a file where the folder goes\n")
    before = tree_hash(other)
    code, stdout, stderr = in_process(["build", "--spec", str(spec), "--out", str(out), "--only", "html", "minimal"],
                                      tmp_path, capsys)
    assert "Traceback" not in stdout + stderr
    if code != 0:
        assert code in (1, 2) and stderr.strip().splitlines()[-1].strip(), stderr
    else:
        assert (out / "minimal" / "html" / "index.html").is_file()
    assert tree_hash(other) == before
