"""Start-up: the command line imports a command's module only when that command runs.

Each probe runs ``main`` in a fresh interpreter and reports the modules it imported, so what an earlier test
imported cannot hide an import (no timing here: speed is measured by benchmarks/bench_startup.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.commands import main as cli

ROOT = Path(__file__).resolve().parents[2]

#: Runs main(argv) and writes the names of the imported modules to the file $PROBE_OUT.
PROBE = """
import json, os, sys
from build_tools.commands.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""

#: What the outputs and verify need and --version, --help and lint do not.
OUTPUT_LIBRARIES = ("jinja2", "lxml", "docx", "weasyprint")
PIXEL_STACK = ("pydicom.pixels", "numpy", "PIL")


def imported(args: list[str], tmp_path: Path) -> tuple[int, list[str]]:
    """The exit code of ``dicomsup ARGS`` and every module it imported (run from the repository's root)."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "PROBE_OUT": str(out)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert out.is_file(), done.stderr
    result = json.loads(out.read_text())
    return result["code"], result["modules"]


def loaded(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``modules`` that are one of ``packages`` or inside one."""
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


@pytest.mark.parametrize("args", [["--version"], ["--help"], []])
def test_version_and_help_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    code, modules = imported(args, tmp_path)
    assert code in (0, 2)  # no command: the usage error
    assert loaded(modules, ("pydicom", "yaml", *OUTPUT_LIBRARIES, *PIXEL_STACK)) == []
    assert loaded(modules, ("build_tools.commands.verify", "build_tools.commands.watch", "build_tools.build")) == []


def test_lint_imports_no_output_library(tmp_path: Path) -> None:
    code, modules = imported(["lint", "spec/dermoscopy"], tmp_path)
    assert code in (0, 1)
    assert "build_tools.check.rules" in modules  # it did lint
    assert loaded(modules, OUTPUT_LIBRARIES) == []
    assert loaded(modules, ("build_tools.outputs",)) == []


def test_lint_imports_no_pixel_stack(tmp_path: Path) -> None:
    code, modules = imported(["lint", "spec/dermoscopy"], tmp_path)
    assert code in (0, 1)
    assert loaded(modules, PIXEL_STACK) == []


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    code, modules = imported(["new", "--help"], tmp_path)
    assert code == 0
    assert "build_tools.commands.new" in modules
    others = tuple(module for name, (module, _summary) in cli.COMMAND_MODULES.items() if name != "new")
    assert loaded(modules, others) == []


def parser_with(registers: list) -> argparse.ArgumentParser:
    old = cli.EXTRA_COMMANDS[:]
    cli.EXTRA_COMMANDS[:] = registers
    try:
        return cli.parser()
    finally:
        cli.EXTRA_COMMANDS[:] = old


def summaries(parser: argparse.ArgumentParser) -> dict[str, str]:
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in commands._choices_actions}


def test_every_summary_is_the_one_its_module_registers() -> None:
    """``dicomsup --help`` lists the other commands from COMMAND_MODULES without importing them: the same words,
    in the same order as the full parser (the CLI reference's) has them."""
    registered = summaries(parser_with(cli._extra_commands()))
    listed = summaries(parser_with([]))
    assert list(listed.items()) == list(registered.items())
    assert list(registered)[:3] == ["lint", "build", "check"]
    assert list(registered)[3:] == list(cli.COMMAND_MODULES)


def test_the_command_run_gets_its_own_options(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["verify", "--help"])
    assert stopped.value.code == 0
    assert "--supplement" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error_listing_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["lnt"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'lnt'" in error
    for name in ("lint", "build", "check", *cli.COMMAND_MODULES):
        assert f"'{name}'" in error


@pytest.mark.parametrize(("argv", "command"), [
    (["lint", "spec/dermoscopy"], "lint"),
    (["--version"], None),
    ([], None),
    (["-h", "verify"], "verify"),
    (["baseline", "show", "Patient"], "baseline"),
])
def test_the_command_is_the_first_word_that_is_no_option(argv: list[str], command: str | None) -> None:
    assert cli._command_of(argv) == command
