"""Sphinx directives that write reference pages from the code, so the documentation cannot drift from it.

``.. dicomsup-yaml-reference::``  every class and field of :mod:`build_tools.core.model` (type, required or default,
                                  description, example), reached from ``Supplement``.
``.. dicomsup-cli-reference::``   every command and option of the argparse parser of :mod:`build_tools.commands.main`.
``.. dicomsup-ref-kinds::``       the inline reference kinds of :data:`build_tools.core.prose.REF_KINDS`.
``.. dicomsup-outputs::``         the registered outputs (what ``dicomsup build`` writes).
``.. dicomsup-finding-codes::``   every finding code of :data:`build_tools.core.findingcodes.CODES`, by family.

The directives produce reStructuredText in memory and parse it in place: nothing is written into the source tree.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
from typing import Iterable

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from build_tools.core.fields import default_text, field_docs, model_classes, type_text


def _indent(text: str, prefix: str = "   ") -> list[str]:
    return [prefix + line if line.strip() else "" for line in text.splitlines()]


def _cell(text: str) -> str:
    """One line of a list-table cell (reST inline markup kept)."""
    return " ".join(text.split())


def _text(value: str) -> str:
    """Plain text (a help string) made safe for reST: markup characters escaped, whitespace folded."""
    value = " ".join(value.split())
    for char in "\\*`|_":
        value = value.replace(char, "\\" + char)
    return value


def _literal(value: str) -> str:
    """``value`` as an inline literal; values holding backquotes are shown with :code: escaping."""
    return f"``{value}``" if "`" not in value and value.strip() == value and value else f":code:`{value}`"


def _example(key: str, value: object) -> str:
    if isinstance(value, list):
        text = "[" + ", ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v) for v in value) + "]"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False) if value[:1].isdigit() or ":" in value else value
    else:
        text = str(value)
    return _literal(f"{key}: {text}")


def class_anchor(cls: type) -> str:
    return f"yaml-{cls.__name__.lower()}"


def yaml_reference_lines() -> list[str]:
    lines: list[str] = []
    for cls in model_classes():
        doc = inspect.cleandoc(cls.__doc__ or "")
        lines += [f".. _{class_anchor(cls)}:", "", cls.__name__, "-" * len(cls.__name__), ""]
        lines += doc.splitlines() + [""]
        lines += [".. list-table::", "   :header-rows: 1", "   :widths: 18 22 14 46", "   :class: yaml-fields", ""]
        lines += ["   * - Field", "     - Type", "     - Required", "     - Description"]
        for field in field_docs(cls):
            kind = type_text(field.type, lambda c: f":ref:`{c.__name__} <{class_anchor(c)}>`")
            description = _cell(field.doc)
            if field.example is not None:
                description += " Example: " + _example(field.key, field.example)
            lines += [f"   * - ``{field.key}``", f"     - {_cell(kind)}", f"     - {_cell(default_text(field))}",
                      f"     - {description}"]
        lines.append("")
    return lines


def _subcommands(parser: argparse.ArgumentParser) -> Iterable[tuple[str, argparse.ArgumentParser, str]]:
    for action in parser._actions:  # argparse offers no public way to walk its sub-parsers
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, sub, helps.get(name) or ""


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._SubParsersAction, argparse._HelpAction)):
            continue
        if action.option_strings:
            names = ", ".join(action.option_strings)
            if action.nargs != 0:
                names += " " + (action.metavar or action.dest.upper())
        else:
            names = action.metavar or action.dest
        text = _text((action.help or "").replace("%(default)s", str(action.default)))
        if action.required and action.option_strings:
            text += " (required)"
        rows += [f"   * - {_literal(names)}", f"     - {text or '-'}"]
    return rows


def cli_reference_lines() -> list[str]:
    from build_tools.commands import main as cli

    cli.EXTRA_COMMANDS[:] = cli._extra_commands()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps usage to the terminal: make it the same everywhere
    try:
        main = cli.parser()
        lines = ["Usage:", "", ".. code-block:: text", ""] + _indent(main.format_usage().strip()) + [""]
        body = inspect.cleandoc(cli.__doc__ or "").split("\n\n")[1:]
        for paragraph in body:
            lines += [_text(paragraph), ""]
        options = _option_rows(main)
        if options:
            lines += [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", "",
                      "   * - Option", "     - Meaning"] + options + [""]
        for name, sub, summary in _subcommands(main):
            title = f"dicomsup {name}"
            lines += [f".. _cli-{name}:", "", title, "-" * len(title), ""]
            lines += [_text(sub.description or summary), ""]
            lines += [".. code-block:: text", ""] + _indent(sub.format_usage().strip()) + [""]
            rows = _option_rows(sub)
            if rows:
                lines += [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", "",
                          "   * - Argument or option", "     - Meaning"] + rows + [""]
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return lines


def ref_kinds_lines() -> list[str]:
    from build_tools.core.prose import REF_KINDS

    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 25 75", "",
             "   * - Write", "     - Refers to, and is rendered as"]
    for kind, meaning in REF_KINDS.items():
        lines += [f"   * - ``{{{kind}:…}}``", f"     - {_cell(meaning)}"]
    return lines + [""]


def outputs_lines() -> list[str]:
    from build_tools.outputs.registry import OUTPUTS

    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", "",
             "   * - Written into", "     - What"]
    root = {"supplement": "output/<name>/", "project": "output/"}
    for output in OUTPUTS:
        lines += [f"   * - ``{root[output.scope]}{output.folder}/``",
                  f"     - {_text(output.summary)} (``--only {output.name}``)"]
    return lines + [""]


def finding_codes_lines() -> list[str]:
    from build_tools.core.findingcodes import CODES, FAMILIES

    lines: list[str] = []
    for prefix, family in FAMILIES.items():
        codes = [c for c in CODES.values() if c.code.startswith(prefix)]
        title = f"{prefix}xx: {family}"
        lines += [f".. _codes-{prefix.lower()}:", "", title, "-" * len(title), ""]
        lines += [".. list-table::", "   :header-rows: 1", "   :widths: 10 10 80", "   :class: finding-codes", "",
                  "   * - Code", "     - Severity", "     - Meaning"]
        for code in codes:
            lines += [f"   * - ``{code.code}``", f"     - {code.severity.value}",
                      f"     - **{_text(code.title)}.** {_text(code.explanation)}"]
        lines.append("")
    return lines


class _Generated(SphinxDirective):
    has_content = False
    #: Modules whose change makes the page out of date (for incremental builds).
    sources: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        import importlib

        for module in self.sources:
            self.env.note_dependency(inspect.getfile(importlib.import_module(module)))
        source = self.get_source_info()[0] or "<dicomsup>"
        content = StringList(self.lines(), source=f"{source} (generated by {self.name})")
        try:
            from sphinx.util.parsing import nested_parse_to_nodes
        except ImportError:  # Sphinx < 7.4
            from sphinx.util.nodes import nested_parse_with_titles

            container = nodes.section()
            container.document = self.state.document
            nested_parse_with_titles(self.state, content, container)
            return container.children
        return nested_parse_to_nodes(self.state, content, allow_section_headings=True)


class YamlReference(_Generated):
    sources = ("build_tools.core.model",)

    def lines(self) -> list[str]:
        return yaml_reference_lines()


class CliReference(_Generated):
    sources = ("build_tools.commands.main", "build_tools.commands.new", "build_tools.commands.watch")

    def lines(self) -> list[str]:
        return cli_reference_lines()


class RefKinds(_Generated):
    sources = ("build_tools.core.prose",)

    def lines(self) -> list[str]:
        return ref_kinds_lines()


class Outputs(_Generated):
    sources = ("build_tools.outputs.registry",)

    def lines(self) -> list[str]:
        return outputs_lines()


class FindingCodes(_Generated):
    sources = ("build_tools.core.findingcodes",)

    def lines(self) -> list[str]:
        return finding_codes_lines()


def setup(app: Sphinx) -> dict:
    app.add_directive("dicomsup-yaml-reference", YamlReference)
    app.add_directive("dicomsup-cli-reference", CliReference)
    app.add_directive("dicomsup-ref-kinds", RefKinds)
    app.add_directive("dicomsup-outputs", Outputs)
    app.add_directive("dicomsup-finding-codes", FindingCodes)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
