"""Damaged specs never crash the loader or the rules: the only outcomes are InputError or findings.

Random mutations of the clean ``tests/fixtures/minimal`` supplement: a line deleted (a key lost), a scalar made a
list or a mapping, junk characters inserted, a line duplicated (duplicate keys), random bytes written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.core.errors import Finding, InputError
from build_tools.core.findingcodes import CODES
from build_tools.load.loader import load_supplement
from build_tools.check.rules import check

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
FILES = {path.name: path.read_bytes() for path in sorted(MINIMAL.glob("*.yaml"))}
JUNK = st.lists(st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\t \n()\\\ufeff") + ["{de:", "{cid:", "**", "é"]),
                min_size=1, max_size=6).map("".join)


def delete_line(data: bytes, index: int, _extra) -> bytes:
    lines = data.split(b"\n")
    del lines[index % len(lines)]
    return b"\n".join(lines)


def duplicate_line(data: bytes, index: int, _extra) -> bytes:
    lines = data.split(b"\n")
    at = index % len(lines)
    lines.insert(at, lines[at])
    return b"\n".join(lines)


def scalar_to_list(data: bytes, index: int, _extra) -> bytes:
    lines = data.split(b"\n")
    at = index % len(lines)
    key, sep, value = lines[at].partition(b": ")
    if sep and value.strip():
        lines[at] = key + sep + b"[" + value + b", x]"
    return b"\n".join(lines)


def scalar_to_mapping(data: bytes, index: int, _extra) -> bytes:
    lines = data.split(b"\n")
    at = index % len(lines)
    key, sep, value = lines[at].partition(b": ")
    if sep and value.strip():
        lines[at] = key + sep + b"{a: " + value + b"}"
    return b"\n".join(lines)


def insert_junk(data: bytes, index: int, extra: str) -> bytes:
    at = index % (len(data) + 1)
    return data[:at] + extra.encode("utf-8") + data[at:]


def random_bytes(data: bytes, index: int, extra: str) -> bytes:
    at = index % (len(data) + 1)
    return data[:at] + bytes((ord(ch) * 37) % 256 for ch in extra) + data[at:]


MUTATIONS = [delete_line, duplicate_line, scalar_to_list, scalar_to_mapping, insert_junk, random_bytes]

mutation = st.tuples(st.sampled_from(sorted(FILES)), st.sampled_from(MUTATIONS), st.integers(0, 10_000), JUNK)


def lint(files: dict[str, bytes]) -> list[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "spec"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        findings: list[Finding] = []
        try:
            supplement = load_supplement(folder, findings)
        except InputError as error:
            assert error.findings, "an InputError carries at least one finding"
            return error.findings
        return findings + check(supplement)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=3))
def test_mutations_give_findings_not_crashes(mutations):
    files = dict(FILES)
    for name, mutate, index, extra in mutations:
        files[name] = mutate(files[name], index, extra)
    findings = lint(files)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert "\n" not in str(finding), "a finding is one line"
        assert finding.loc.file, "a finding names its file"
        assert finding.code in CODES and CODES[finding.code].severity is finding.severity, str(finding)


def test_unmutated_fixture_is_clean():
    assert lint(dict(FILES)) == []


def test_a_mutation_is_noticed():
    """The fuzzing is not vacuous: a deleted required line is reported."""
    lines = FILES["supplement.yaml"].split(b"\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(b"title:"))
    findings = lint({**FILES, "supplement.yaml": delete_line(FILES["supplement.yaml"], index, "")})
    assert any("missing required field 'title'" in f.message for f in findings)
