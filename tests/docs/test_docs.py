"""The Sphinx documentation builds with -W (a warning fails) and its references are complete.

The YAML reference and the CLI reference are generated from the code while the docs are built; these tests check
that every class and field of the model, and every command and option of the parser, appears in the built pages,
that the YAML examples of the guides are valid spec, and that building leaves the source tree as it was.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from build_tools.commands import main as cli
from build_tools.core.fields import field_docs, model_classes

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

pytest.importorskip("sphinx", reason="the docs extra (Sphinx) is not installed")


def _tree_state() -> set[str]:
    return {str(p.relative_to(DOCS)) for p in DOCS.rglob("*")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs-html")
    before = _tree_state()
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS),
                             str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, f"sphinx-build -W failed:\n{result.stdout}\n{result.stderr}"
    assert _tree_state() == before, "building the docs wrote into docs/"
    return out


def _page(built: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(built / f"{name}.html")).getroot()


def _section(page: lxml.html.HtmlElement, anchor: str) -> lxml.html.HtmlElement:
    found = page.xpath(f'//section[@id="{anchor}"] | //*[@id="{anchor}"]/parent::section')
    assert found, f"no section {anchor!r} in the page"
    return found[0]


def test_every_model_field_is_in_the_yaml_reference(built: Path) -> None:
    page = _page(built, "yaml-reference")
    missing = []
    for cls in model_classes():
        section = _section(page, f"yaml-{cls.__name__.lower()}")
        first_cells = {cell.text_content().strip() for cell in section.xpath(".//table//tbody/tr/td[1]")}
        text = section.text_content()
        for field in field_docs(cls):
            if field.key not in first_cells:
                missing.append(f"{cls.__name__}.{field.key}")
            elif " ".join(field.doc.replace("``", "").split())[:40] not in " ".join(text.split()):
                missing.append(f"{cls.__name__}.{field.key} (its description)")
    assert not missing, f"fields missing from the YAML reference: {missing}"


def test_yaml_reference_shows_required_and_examples(built: Path) -> None:
    section = _section(_page(built, "yaml-reference"), "yaml-iod")
    rows = {row.xpath("td[1]")[0].text_content().strip(): [c.text_content() for c in row.xpath("td")]
            for row in section.xpath(".//table//tbody/tr")}
    assert rows["name"][2].strip() == "required"
    assert "Dermoscopic Photography Image" in rows["name"][3]
    assert rows["single_frame"][2].strip() == "optional, default false"


def test_every_command_and_option_is_in_the_cli_reference(built: Path) -> None:
    cli.EXTRA_COMMANDS[:] = cli._extra_commands()
    main = cli.parser()
    text = _page(built, "cli").text_content()
    subparsers = next(a for a in main._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, sub in subparsers.choices.items():
        if f"dicomsup {name}" not in text:
            missing.append(name)
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help") and option not in text:
                    missing.append(f"{name} {option}")
    assert not missing, f"missing from the CLI reference: {missing}"
    assert "Exit codes" in text


def _yaml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for path in sorted(DOCS.glob("*.rst")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            match = re.match(r"^(\s*)\.\. code-block:: yaml\s*$", line)
            if not match:
                continue
            body = []
            for following in lines[number + 1:]:
                if following.strip() and len(following) - len(following.lstrip()) <= len(match.group(1)):
                    break
                body.append(following)
            blocks.append((f"{path.name}:{number + 1}", "\n".join(body)))
    return blocks


def test_yaml_examples_of_the_docs_are_valid_spec() -> None:
    from jsonschema import Draft202012Validator

    from build_tools.outputs.authoring_schema import supplement_schema

    validator = Draft202012Validator(supplement_schema())
    blocks = _yaml_blocks()
    assert len(blocks) >= 8
    for where, text in blocks:
        data = yaml.load(text, Loader=yaml.BaseLoader)  # the loader reads every scalar as text
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{where}: YAML example is not valid spec: {errors}"


def test_tutorial_shows_what_dicomsup_new_writes(tmp_path: Path) -> None:
    """The tutorial's first two YAML blocks are excerpts of the scaffold's modules.yaml and data-elements.yaml."""
    from build_tools.scaffold import scaffold

    folder = scaffold(tmp_path, "wound-photography", "Wound Photography", 250, "WG-19 Dermatologic Standards")
    tutorial = [text for where, text in _yaml_blocks() if where.startswith("tutorial.rst")]
    for text, file_name in zip(tutorial[:2], ["modules.yaml", "data-elements.yaml"]):
        written = [line.strip() for line in (folder / file_name).read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.strip().startswith("#")]
        shown = [line.strip() for line in text.splitlines() if line.strip()]
        position = 0
        for line in shown:
            assert line in written[position:], f"tutorial line {line!r} is not what dicomsup new writes"
            position = written.index(line, position) + 1
