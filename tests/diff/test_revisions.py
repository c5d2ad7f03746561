"""Hostile git revisions: committed links, odd revision texts and names never crash ``diff`` or ``--since``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.core.atomic import LOCK_FILE

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "tests" / "fixtures" / "minimal"
GIT = shutil.which("git")

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def one_line_exit_2(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def linked(tmp_path) -> Path:
    """A repository whose first commit has spec/widget/ with three links: absolute, outside, and inside."""
    root = tmp_path / "repo"
    spec = root / "spec" / "widget"
    shutil.copytree(OLD, spec)
    _git(root, "init", "-q")
    (spec / "secret.yaml").symlink_to("/etc/passwd")
    (spec / "outside.yaml").symlink_to("../../../outside.yaml")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "links")
    return root


def test_diff_refuses_a_committed_symlink(linked):
    line = one_line_exit_2(run(["diff", "HEAD", "--supplement", "widget"], linked))
    assert "link" in line and "regular files only" in line
    assert not (linked.parent / "outside.yaml").exists()


def test_since_refuses_a_committed_symlink(linked, tmp_path):
    for link in ("secret.yaml", "outside.yaml"):  # only the revision holds them
        (linked / "spec" / "widget" / link).unlink()
    line = one_line_exit_2(run(["build", "widget", "--since", "HEAD", "--out", str(tmp_path / "out")], linked))
    assert "link" in line
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != LOCK_FILE]
    assert not written, "nothing is written when --since fails"


@pytest.mark.parametrize("rev", ["", " ", "x" * 5000, "HEAD\nHEAD", "a..b"], ids=["empty", "blank", "long", "newline", "range"])
def test_odd_revision_texts_are_usage_errors(linked, rev):
    line = one_line_exit_2(run(["diff", rev, "HEAD", "--supplement", "widget"], linked))
    assert len(line) < 400


@pytest.mark.parametrize("rev", ["", "x" * 5000], ids=["empty", "long"])
def test_odd_since_revisions_are_usage_errors(linked, rev, tmp_path):
    spec = linked / "spec" / "widget"
    for link in ("secret.yaml", "outside.yaml"):
        (spec / link).unlink()
    line = one_line_exit_2(run(["build", "widget", "--since", rev, "--out", str(tmp_path / "out")], linked))
    assert "--since" in line and len(line) < 400
