"""The layer contract of ``pyproject.toml`` ([tool.importlinter]) holds: lint-imports keeps every contract.

Each contract is checked on its own (``lint-imports --contract ID``), so that one that cannot run (a module it
names does not exist) does not hide the result of the others. lint-imports runs in a fresh interpreter
(``sys.executable``) with the repository as its working folder, so it analyses the checkout's ``build_tools``;
``--no-cache`` keeps it from writing a cache there. A broken contract fails with lint-imports' own report: which
module imports which, and on what line.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]

LOGO = set("╔╗╚╝║═▶◀▲")
RUN = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


@pytest.fixture(scope="module", autouse=True)
def _importlinter() -> None:
    if importlib.util.find_spec("importlinter") is None:
        message = "import-linter is not installed (it is in the test extra: pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_every_contract_has_an_id_and_a_name() -> None:
    assert CONTRACTS, "pyproject.toml has no [[tool.importlinter.contracts]]"
    for contract in CONTRACTS:
        assert contract.get("id") and contract.get("name"), contract


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c.get("id", "?") for c in CONTRACTS])
def test_contract_is_kept(contract: dict) -> None:
    # lint-imports reads [tool.importlinter] from pyproject.toml in its working folder.
    done = subprocess.run([sys.executable, "-c", RUN, "--contract", contract["id"], "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    report = "\n".join(line for line in done.stdout.splitlines() if not LOGO & set(line))  # the banner
    if "Broken contracts" in report:
        report = report[report.index("Broken contracts"):]
    if done.returncode != 0:
        pytest.fail(f"lint-imports: contract {contract['id']!r} ({contract['name']}) is not kept:\n"
                    f"{report.strip()}\n{done.stderr.strip()}", pytrace=False)
