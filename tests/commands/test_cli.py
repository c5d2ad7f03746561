"""The dicomsup command: exit codes, located one-line errors, atomic output, check, and build --since."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.core.atomic import LOCK_FILE

from build_tools import build
from build_tools.commands import main as cli

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder with spec/minimal/ (a clean supplement), built once into output/."""
    shutil.copytree(MINIMAL, tmp_path / "spec" / "minimal")
    assert cli.main(["build", "--spec", str(tmp_path / "spec"), "--out", str(tmp_path / "output"), "-q"]) == 0
    return tmp_path


def test_lint_clean_supplement_exits_0(project):
    done = run(["lint"], project)
    assert done.returncode == 0, done.stderr
    assert "spec/minimal: 0 errors, 0 warnings" in done.stderr


def test_lint_error_is_located_and_exits_1(project):
    path = project / "spec" / "minimal" / "supplement.yaml"
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if text.startswith("status:"))
    lines[line] = "status: Final Txt"
    path.write_text("\n".join(lines) + "\n")
    done = run(["lint"], project)
    assert done.returncode == 1
    assert done.stdout.startswith(f"spec/minimal/supplement.yaml:{line + 1}:9: error: status is 'Final Txt'")
    assert done.stdout.rstrip().endswith("did you mean 'Final Text'? [DS025]")
    assert done.stderr.splitlines()[-1] == "spec/minimal: 1 error, 0 warnings", "the summary comes last, on stderr"
    assert "Traceback" not in done.stderr


def test_warnings_pass_unless_strict(project):
    path = project / "spec" / "minimal" / "content.yaml"
    path.write_text(path.read_text().replace("data_elements:\n", "data_elements:\n"
                                             "  - {tag: \"(0016,10F9)\", name: Lesion Marker Size, vr: DS, vm: \"1\"}\n"))
    plain = run(["lint"], project)
    assert plain.returncode == 0, plain.stderr
    assert ": warning: new data element LesionMarkerSize is used by no module" in plain.stdout
    assert run(["lint", "--strict"], project).returncode == 1
    assert run(["build", "--strict"], project).returncode == 1


BAD_INPUTS = {
    "malformed": (b"number: [1, 2\n", "invalid YAML"),
    "alias bomb": (b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   b"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "anchors (&a) are not allowed"),
    "python tag": (b"number: !!python/object/apply:os.system ['echo hacked']\n", "is not allowed"),
    "not utf-8": (b"title: Dermoscop\xe9\n", "is not UTF-8"),
    "empty": (b"", "file is empty"),
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_unreadable_input_is_one_line_exit_2_and_output_untouched(project, kind):
    content, says = BAD_INPUTS[kind]
    before = tree_digest(project / "output")
    (project / "spec" / "minimal" / "broken.yaml").write_bytes(content)
    for command in (["lint"], ["build"], ["check"]):
        done = run(command, project)
        assert done.returncode == 2, (command, done.stderr)
        errors = done.stdout.splitlines()
        assert len(errors) == 1 and errors[0].startswith("spec/minimal/broken.yaml:") and says in errors[0]
        assert ": error: " in errors[0] and errors[0].endswith("]"), "located, with its DS00x code"
        assert done.stderr.splitlines()[-1].endswith("the input cannot be read")
        assert "Traceback" not in done.stderr
    assert tree_digest(project / "output") == before
    assert "hacked" not in done.stdout


def test_missing_supplement_folder_exits_2(project):
    done = run(["lint", "nothere"], project)
    assert done.returncode == 2
    assert done.stdout.strip() == "nothere: error: no such supplement folder; expected a folder of YAML files " \
                                  "such as spec/<name>/ [DS010]"
    assert done.stderr.strip() == "lint: 1 error, 0 warnings; the input cannot be read"


def test_misspelled_supplement_name_suggests_the_one_that_exists(project):
    done = run(["build", "minimla"], project)
    assert done.returncode == 2
    assert done.stdout.strip() == "minimla: error: no such supplement folder; expected a folder of YAML files " \
                                  "such as spec/<name>/; did you mean 'minimal'? [DS010]"


def test_usage_error_exits_2(project):
    assert run(["lint", "--bogus"], project).returncode == 2


def test_build_is_deterministic_and_check_passes(project):
    before = tree_digest(project / "output")
    assert run(["build"], project).returncode == 0
    assert tree_digest(project / "output") == before
    done = run(["check"], project)
    assert done.returncode == 0, done.stderr
    assert "is up to date" in done.stderr


def test_check_fails_on_stale_missing_and_extra_files(project):
    html = project / "output" / "minimal" / "html" / "index.html"
    html.write_text(html.read_text() + "<!-- edited -->")
    (project / "output" / "minimal" / "stray.txt").write_text("x")
    dump = next((project / "output" / "minimal" / "examples").glob("*.txt"))
    dump.unlink()
    done = run(["check"], project)
    assert done.returncode == 1
    assert f"{html.relative_to(project)}: out of date" in done.stderr
    assert "stray.txt: not produced by the build any more" in done.stderr
    assert f"{dump.relative_to(project)}: missing" in done.stderr


def test_lint_errors_leave_output_untouched(project):
    before = tree_digest(project / "output")
    path = project / "spec" / "minimal" / "content.yaml"
    path.write_text(path.read_text().replace("type: \"1\"", "type: \"9\"", 1))
    done = run(["build"], project)
    assert done.returncode == 1
    assert "nothing written to output" in done.stderr
    assert tree_digest(project / "output") == before


def test_a_failing_generator_leaves_output_untouched(project, monkeypatch):
    before = tree_digest(project / "output")

    from build_tools.outputs.base import BuildContext, Output
    from build_tools.outputs.registry import OUTPUTS

    class Explode(Output[BuildContext]):
        name = folder = "explode"
        summary = "fails half-way"

        def write(self, ctx, out):
            (out / "partial.txt").write_text("half")
            raise RuntimeError("generator failed")

    monkeypatch.setattr(build, "select", lambda wanted=None: [*OUTPUTS, Explode])
    with pytest.raises(RuntimeError):
        build.build_all([project / "spec" / "minimal"], project / "output")
    assert tree_digest(project / "output") == before
    assert [p.name for p in (project / "output").iterdir() if p.name.startswith(".") and p.name != LOCK_FILE] == []


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)


def test_build_since_adds_the_chapter_and_the_changes_page(project):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(project, "init", "-q")
    _git(project, "add", "spec")
    _git(project, "commit", "-q", "-m", "first draft")
    path = project / "spec" / "minimal" / "supplement.yaml"
    text = path.read_text()
    version = next(line for line in text.splitlines() if line.startswith("version:"))
    path.write_text(text.replace(version, 'version: "9.9"'))
    done = run(["build", "--since", "HEAD"], project)
    assert done.returncode == 0, done.stderr
    out = project / "output" / "minimal"
    docbook = (out / "docbook" / "supplement.xml").read_text()
    page = (out / "html" / "index.html").read_text()
    assert 'xml:id="chapter_ChangesSince"' in docbook and 'id="chapter_ChangesSince"' in page
    assert "9.9" in (out / "html" / "changes.html").read_text()
    assert run(["check", "--since", "HEAD"], project).returncode == 0
    assert run(["check"], project).returncode == 1, "without --since the chapter is stale"
    bad = run(["build", "--since", "no-such-rev"], project)
    assert bad.returncode == 2 and "no such git revision" in bad.stderr and "Traceback" not in bad.stderr
