"""The wheel installs and works like it would for a new user: no checkout, only ``pip install dicomsup``.

The wheel is built from the repository's sources (copied into a temporary folder first, so that a stale ``build/``
of the checkout cannot leak into it and the build writes nothing into the checkout), then installed into a fresh
virtual environment *without* system site packages: an editable install of the environment running the tests
would otherwise shadow the wheel. Its dependencies come from the package index. In an empty folder outside the
repository, that environment's ``dicomsup`` scaffolds, lints and builds a new supplement and verifies one of its
example files.

Slow (about half a minute with a warm pip cache) and needs the package index: ``-m "not packaging"`` leaves it out
locally. It runs by default and in CI, where an unreachable index is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.parser import HeaderParser
from pathlib import Path

import pytest

import build_tools

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
#: What a wheel is built from: pyproject.toml and what it names (the readme, the license, the two source folders).
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "build_tools", "templates"]
#: One of the committed data files of the standard (``build_tools/standard/data/``), looked up as the package does.
DATA_FILE = min(p.name for p in (ROOT / "build_tools" / "standard" / "data").iterdir() if p.is_file())
NETWORK = re.compile(r"NewConnectionError|Failed to establish a new connection|Temporary failure in name "
                     r"resolution|Name or service not known|Network is unreachable|Could not fetch URL|"
                     r"ConnectTimeoutError|Read timed out|No matching distribution found", re.I)


def _run(args: list[str], cwd: Path, timeout: int, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def _pip_failed(what: str, done: subprocess.CompletedProcess) -> None:
    output = f"{done.stdout}\n{done.stderr}".strip()
    if NETWORK.search(output):
        pytest.fail(f"{what}: the package index could not be reached (pip needs it for the build backend and the "
                    "dependencies). Deselect this test with -m 'not packaging' on a machine without it.\n"
                    f"{output[-4000:]}", pytrace=False)
    pytest.fail(f"{what} failed (exit {done.returncode}):\n{output[-4000:]}", pytrace=False)


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a shell where only that venv is activated: nothing points back at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "VIRTUAL_ENV"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A snapshot of the checkout's sources: the wheel is built from it and compared with it."""
    source = tmp_path_factory.mktemp("wheel-source")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    return source


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, source: Path) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w",
                 str(out), str(source)], cwd=source, timeout=900)
    if done.returncode != 0:
        _pip_failed("pip wheel", done)
    wheels = list(out.glob("dicomsup-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {out}: {sorted(p.name for p in out.iterdir())}"
    return wheels[0]


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel: Path) -> Iterator[Path]:
    """A fresh virtual environment (no system site packages) with the wheel and its dependencies installed.

    Removed after the tests (it holds numpy, lxml … : some 130 MB that pytest's kept temporary folders need not).
    """
    folder = tmp_path_factory.mktemp("venv") / "env"
    done = _run([sys.executable, "-m", "venv", str(folder)], cwd=folder.parent, timeout=300)
    assert done.returncode == 0, f"python -m venv failed (Debian: apt-get install python3-venv):\n{done.stderr}"
    assert "include-system-site-packages = false" in (folder / "pyvenv.cfg").read_text()
    done = _run([str(folder / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=folder.parent,
                timeout=1800, env=_clean_env(folder))
    if done.returncode != 0:
        _pip_failed("pip install of the wheel", done)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory, venv: Path) -> Path:
    """An empty folder outside the repository where the installed command scaffolds and builds ``demo``."""
    folder = tmp_path_factory.mktemp("new-user")
    assert not folder.resolve().is_relative_to(ROOT), f"{folder} is inside the repository"
    return folder


def _dicomsup(venv: Path, project: Path, *args: str) -> subprocess.CompletedProcess:
    done = _run([str(venv / "bin" / "dicomsup"), *args], cwd=project, timeout=600, env=_clean_env(venv))
    if done.returncode != 0:
        pytest.fail(f"dicomsup {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}",
                    pytrace=False)
    return done


def test_the_wheel_holds_the_package_its_data_and_nothing_stale(source: Path, wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"build_tools/py.typed"}
    expected |= {p.relative_to(source).as_posix() for p in (source / "build_tools").rglob("*.py")}
    expected |= {p.relative_to(source).as_posix() for p in (source / "build_tools/standard/data").iterdir()
                 if p.is_file()}
    expected |= {"build_tools/templates/" + p.relative_to(source / "templates").as_posix()
                 for p in (source / "templates").rglob("*") if p.is_file()}
    assert any(n.startswith("build_tools/standard/data/") for n in expected)
    assert any(n.startswith("build_tools/templates/docbook/") for n in expected)
    assert expected - names == set(), f"missing from the wheel: {sorted(expected - names)}"
    stale = {n for n in names if n.endswith(".py")} - expected
    assert stale == set(), f"Python files in the wheel that the checkout does not have: {sorted(stale)}"
    assert not any(n.startswith(("tests/", "spec/", "output/", "docs/")) for n in names), sorted(names)

    info = wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"
    assert f"{info}/licenses/LICENSE" in names
    metadata = HeaderParser().parsestr(zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode())
    assert metadata["Version"] == build_tools.__version__
    assert metadata["License-Expression"] == "MIT"
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    assert "dicomsup = build_tools.commands.main:main" in zipfile.ZipFile(wheel).read(
        f"{info}/entry_points.txt").decode()


def test_the_installed_command_reads_only_the_installation(venv: Path, project: Path) -> None:
    probe = ("import build_tools, build_tools.core.resources as r; "
             "print(build_tools.__file__); print(r.templates()); "
             f"print(r.data_file({DATA_FILE!r}))")
    done = _run([str(venv / "bin" / "python"), "-c", probe], cwd=project, timeout=120, env=_clean_env(venv))
    if done.returncode != 0:
        pytest.fail(f"the installed package cannot find its own files:\n{done.stderr}", pytrace=False)
    for line in done.stdout.split("\n")[:3]:
        path = Path(line).resolve()
        assert path.is_relative_to(venv.resolve()), f"{path} is not inside the fresh environment {venv}"
        assert not path.is_relative_to(ROOT), f"{path} is in the repository"
    version = _dicomsup(venv, project, "--version").stdout.strip()
    assert version == f"dicomsup {build_tools.__version__}"


def test_a_new_user_scaffolds_lints_builds_and_verifies(venv: Path, project: Path) -> None:
    _dicomsup(venv, project, "new", "demo", "--title", "Demo Imaging", "--number", "990", "--wg", "WG-99 Test")
    files = sorted((project / "spec" / "demo").glob("*.yaml"))
    assert "supplement.yaml" in {p.name for p in files}, files
    assert all(p.stat().st_size > 0 for p in files), [p.name for p in files if p.stat().st_size == 0]

    _dicomsup(venv, project, "lint")
    _dicomsup(venv, project, "build")
    out = project / "output"
    for folder in ("demo/docbook", "demo/html", "demo/dictionaries", "demo/examples", "schema"):
        assert (out / folder).is_dir() and any((out / folder).iterdir()), f"output/{folder} is missing or empty"
    assert (out / "demo" / "docbook" / "supplement.xml").is_file()
    assert (out / "demo" / "html" / "index.html").is_file()
    assert (out / "schema" / "supplement.schema.json").is_file()

    examples = sorted((out / "demo" / "examples").glob("*.dcm"))
    assert examples, "dicomsup build wrote no example .dcm"
    done = _dicomsup(venv, project, "verify", str(examples[0]))
    assert "0 errors" in done.stdout + done.stderr
