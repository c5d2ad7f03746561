"""Hostile spec folders and YAML: each case is one located line, exit 2 (or 1 for a finding), never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "spec" / "minimal")
    return tmp_path / "spec"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def plant(folder: Path, case: str) -> None:
    extra = folder / "extra.yaml"
    if case == "folder":
        (folder / "iods.yaml").mkdir()
    elif case == "dangling-link":
        extra.symlink_to(folder / "nowhere.yaml")
    elif case == "link-outside":
        outside = folder.parent.parent / "outside.yaml"
        outside.write_text("title: taken from outside\n")
        extra.symlink_to(outside)
    elif case == "complex-key":
        extra.write_text("? [a, b]\n: 1\n")
    elif case == "huge-escape":
        extra.write_text('title: "\\UFFFFFFFF"\n')
    elif case == "deep-nesting":
        extra.write_text("x: " + "[" * 5000 + "]" * 5000 + "\n")
    elif case == "deep-block-nesting":
        extra.write_text("x:\n" + "".join(" " * (2 * i + 2) + "-\n" for i in range(900)))


CASES = ["folder", "dangling-link", "link-outside", "complex-key", "huge-escape", "deep-nesting",
         "deep-block-nesting"]


@pytest.mark.parametrize("case", CASES)
def test_lint_reports_one_located_line(spec: Path, case: str) -> None:
    plant(spec / "minimal", case)
    done = run(["lint", "minimal", "--spec", str(spec)], spec.parent)
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    findings = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert len(findings) == 1, done.stdout
    assert "/minimal/" in findings[0]


@pytest.mark.parametrize("case", CASES)
def test_build_writes_nothing(spec: Path, case: str) -> None:
    plant(spec / "minimal", case)
    out = spec.parent / "output"
    done = run(["build", "minimal", "--spec", str(spec), "--out", str(out)], spec.parent)
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file() and p.name != ".dicomsup.lock"]


@pytest.mark.parametrize("args", [["lint", "x" * 5000], ["build", "--spec", "s" * 5000],
                                  ["build", "minimal", "--out", "o" * 5000]], ids=["name", "spec", "out"])
def test_over_long_names_are_usage_errors(spec: Path, args: list[str]) -> None:
    if "--spec" not in args:
        args = [*args, "--spec", str(spec)]
    done = run(args, spec.parent)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()[-1]) < 300


def test_build_dot_inside_a_supplement_folder_uses_its_name(spec: Path) -> None:
    out = spec.parent / "out"
    done = run(["build", ".", "--out", str(out), "--only", "docbook", "-q"], spec / "minimal")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "minimal" / "docbook").is_dir()
