"""The libyaml path of ``yamlsafe`` reads exactly what the pure-Python loader reads: the same nodes at the same lines
and columns, the same models, and for hostile or broken input the same findings (the Python loader decides them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.core.errors import Finding, InputError
from build_tools.load import yamlsafe
from build_tools.load.loader import load_supplement

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted({*ROOT.glob("spec/dermoscopy/*.yaml"), *ROOT.glob("tests/**/*.yaml")})
FOLDERS = sorted({p.parent for p in YAML_FILES if (p.parent / "supplement.yaml").is_file()})

pytestmark = pytest.mark.skipif(yamlsafe.FAST_LOADER is None, reason="PyYAML without libyaml: one path only")


@pytest.fixture
def pure(monkeypatch):
    """Switches the libyaml path off for the block it guards."""
    def switch():
        monkeypatch.setattr(yamlsafe, "FAST_LOADER", None)
    return switch


def shape(node) -> list[tuple]:
    """Every node, depth first: kind, tag, value, style, whether flow, and both marks (index, line, column).

    ``flow_style`` is compared as true or false: for a list not indented under its key ("key:\\n- a") the Python
    parser says None and libyaml False, and the loader only asks whether it is true.
    """
    if node is None:
        return []
    rows = [(type(node).__name__, node.tag, None if isinstance(node.value, list) else node.value,
             getattr(node, "style", None), bool(getattr(node, "flow_style", None)),
             *(getattr(m, a) for m in (node.start_mark, node.end_mark) for a in ("index", "line", "column")),
             node.start_mark.buffer == node.end_mark.buffer)]
    if isinstance(node.value, list):
        for item in node.value:
            for child in item if isinstance(item, tuple) else (item,):
                rows.extend(shape(child))
    return rows


def outcome(path: Path):
    """What read_yaml gives: the node graph's shape, or the findings of the InputError it raises."""
    try:
        return shape(yamlsafe.read_yaml(path)[1])
    except InputError as error:
        return error.findings


def both(path: Path, pure) -> tuple:
    fast = outcome(path)
    pure()
    return fast, outcome(path)


def test_libyaml_is_used_for_plain_text_and_not_for_text_it_reads_differently() -> None:
    for text in ("a: 1\nb: [x, {c: d}]\n", "a: is it? yes\n", "a: [x]\n# why?\n"):
        assert yamlsafe._compose_fast(text) is not yamlsafe._UNDECIDED, repr(text)
    for text in ("a:\t1\n", "a: {b: c ? d}\n", "a: [b: ]\n", "a: |#\n  x\n", "a: 1\r\nb: 2\r\n", "a: x\u2028y\n",
                 "a: b\ufeff\n", "a: \x07\n"):
        assert yamlsafe._compose_fast(text) is yamlsafe._UNDECIDED, repr(text)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_repository_reads_the_same(path: Path, pure) -> None:
    fast, python = both(path, pure)
    assert fast == python


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_supplement_loads_to_the_same_model_and_findings(folder: Path, pure) -> None:
    fast_findings: list[Finding] = []
    fast = load_supplement(folder, fast_findings)
    pure()
    python_findings: list[Finding] = []
    python = load_supplement(folder, python_findings)
    assert fast == python
    assert fast_findings == python_findings
    assert repr(fast) == repr(python)  # the locations of every value too (Loc is part of each object's repr)


HOSTILE = {
    "alias": "a: &x [1, 2]\nb: *x\n",
    "anchor only": "a: &x 1\n",
    "python tag": "a: !!python/object/apply:os.system ['true']\n",
    "local tag": "a: !thing 1\n",
    "deep flow": "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep block": "x:\n" + "".join(" " * (2 * i + 2) + "-\n" for i in range(900)),
    "just deep enough": "x: " + "[" * 99 + "]" * 99 + "\n",
    "huge escape": 'title: "\\UFFFFFFFF"\n',
    "complex key": "? [a, b]\n: 1\n",
    "duplicate key": "a: 1\na: 2\n",
    "unclosed quote": 'a: "open\nb: 2\n',
    "unclosed bracket": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n   c: 2\n",
    "second colon": "a: b: c\n",
    "tab": "number:\t1\n",
    "control character": "a: \x07\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "only a comment": "# nothing\n",
    "no final line break": "a:\n  b: 1\n  c: 2",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n",
    "inner bom": "a: b\ufeffc\n",
    "non-ascii before a value": "é€😀: x\nb: [☃, {c: é}]\nd: |\n  é😀\n   x\n",
    "block header comment": "a: |#\n  x\nb: >- # fine\n  y\nc: |2+\n   z\n",
    "block and folded": "a: |\n    First.\n\n      Then {de:X}.\nb: >\n  one two\n  three\n",
    "flow mapping in list": "- {a: 1, b: [2, 3]}\n- c\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "future directive": "%YAML 2.0\n---\na: 1\n",
    "document end": "a: 1\n...\n",
    "brace value": "a: {de:X} text\n",
    "question mark in a flow value": "a: {b: c ? d}\ne: [f?g, '?', \"?\"]\nh: what? yes\n",
    "question mark keys": "? a\n: 1\nb: [? c : d]\n",
    "empty flow values": "a: {b: , c: }\nd: [e: ]\nf: {g:}\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_and_broken_text_reads_the_same(tmp_path: Path, pure, name: str) -> None:
    path = tmp_path / "file.yaml"
    path.write_text(HOSTILE[name], encoding="utf-8", newline="")
    fast, python = both(path, pure)
    assert fast == python


def test_the_depth_limit_holds_on_the_libyaml_path(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 101 + "]" * 101 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        yamlsafe.read_yaml(path)
    [finding] = raised.value.findings
    assert finding.code == "DS006" and "nest more than 100 levels" in finding.message


MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
SOURCES = [path.read_text(encoding="utf-8") for path in sorted(MINIMAL.glob("*.yaml"))]
PIECES = st.sampled_from(list(":-[]{}#&*!|>'\"%@`, \n()\\") + ["{de:", "é", "--- ", "...", "\n- ", "\n  ", "? ",
                                                                "!!str ", " #", "\n---\n", "&a ", "*a", "\t"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(SOURCES), at=st.integers(min_value=0), junk=st.lists(PIECES, min_size=1, max_size=4),
       cut=st.integers(min_value=0), indent=st.integers(min_value=0, max_value=3))
def test_damaged_text_reads_the_same_both_ways(tmp_path_factory, source: str, at: int, junk: list[str], cut: int,
                                               indent: int) -> None:
    lines = source.split("\n")
    line = cut % len(lines)
    lines[line] = " " * indent + lines[line]
    text = "\n".join(lines)
    where = at % (len(text) + 1)
    text = text[:where] + "".join(junk) + text[where:]
    path = tmp_path_factory.mktemp("fuzz") / "file.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    fast = outcome(path)
    saved, yamlsafe.FAST_LOADER = yamlsafe.FAST_LOADER, None
    try:
        python = outcome(path)
    finally:
        yamlsafe.FAST_LOADER = saved
    assert fast == python
