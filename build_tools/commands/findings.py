"""Printing findings: one a line on stdout in the chosen format, the summary last on stderr (as ruff and mypy do).

``text`` is ``file:line:column: severity: message [CODE]`` (severity ``error``, ``warning`` or ``note``); ``json`` one JSON object a line with ``file``,
``line``, ``column`` (null when not known), ``severity``, ``code`` and ``message``; ``github`` the workflow
commands that GitHub Actions shows as annotations on the lines of a pull request (a note as a ``notice``). The options that choose the
format and the codes are added to lint, check and verify by :func:`add_options`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from build_tools.core.errors import Finding, Severity, counts_text
from build_tools.core.selection import Selection, pattern_problem, split_patterns

FORMATS = ("text", "json", "github")


def text_line(finding: Finding) -> str:
    return str(finding)


def json_line(finding: Finding) -> str:
    loc = finding.loc
    return json.dumps({"file": loc.file, "line": loc.line or None, "column": loc.column or None,
                       "severity": finding.severity.value, "code": finding.code or None,
                       "message": finding.message}, ensure_ascii=False)


def _escape(text: str, *, property_value: bool = False) -> str:
    """Text escaped for a workflow command: ``%``, line breaks, and in properties also ``:`` and ``,``."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(finding: Finding) -> str:
    loc = finding.loc
    properties = [f"file={_escape(loc.file, property_value=True)}"]
    if loc.line:
        properties.append(f"line={loc.line}")
        if loc.column:
            properties.append(f"col={loc.column}")
    if finding.code:
        properties.append(f"title={_escape(finding.code, property_value=True)}")
    command = {Severity.ERROR: "error", Severity.NOTE: "notice"}.get(finding.severity, "warning")
    return f"::{command} {','.join(properties)}::{_escape(finding.message)}"


LINES = {"text": text_line, "json": json_line, "github": github_line}


def displayable(text: str) -> str:
    """``text`` with the bytes of a file name that is not UTF-8 (kept by Python as lone surrogates) written as
    ``\\xe9``, so that a line about such a file can always be printed."""
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte: written as its code point
        data = text.encode("utf-8", "backslashreplace")
    return data.decode("utf-8", "backslashreplace")


def print_findings(findings: Iterable[Finding], fmt: str = "text", stream: TextIO | None = None) -> None:
    """Each finding on one line of ``stream`` (stdout by default)."""
    line = LINES[fmt]
    out = stream or sys.stdout
    for finding in findings:
        print(displayable(line(finding)), file=out)


#: The commands whose output is findings: the coded findings of input they cannot read go to stdout, as findings.
FINDING_COMMANDS = frozenset({"lint", "build", "check", "verify"})


def print_input_error(args: argparse.Namespace, findings: list[Finding]) -> None:
    """Input that cannot be read: its findings (on stdout for the finding commands, in their format), then the
    summary on stderr; a problem without a code (a git revision that does not exist, a tool that is not installed)
    is no finding about the input and goes to stderr, as the other commands' problems do."""
    coded = [f for f in findings if f.code] if args.command in FINDING_COMMANDS else []
    print_findings(coded, getattr(args, "format", "text"))
    print_findings([f for f in findings if f not in coded], stream=sys.stderr)
    if coded:
        print(f"{args.command}: {summary(findings)}; the input cannot be read", file=sys.stderr)


def summary(findings: list[Finding], hidden: int = 0) -> str:
    """``2 errors, 1 warning`` (``, 3 notes`` when there are notes; and how many findings ``--select``/``--ignore``
    left out)."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    notes = sum(1 for f in findings if f.severity is Severity.NOTE)
    return counts_text(errors, len(findings) - errors - notes, notes, hidden)


def failing(findings: list[Finding], strict: bool) -> bool:
    """Whether the findings fail the command: any error, or any warning too with ``--strict``; notes never do."""
    return any(f.severity is Severity.ERROR or (strict and f.severity is Severity.WARNING) for f in findings)


def add_options(parser: argparse.ArgumentParser, prefix: str) -> None:
    """``--select``, ``--ignore`` and ``--format`` for a command whose codes start with ``prefix``."""
    def patterns(value: str) -> list[str]:
        found = split_patterns([value])
        for pattern in found:
            if problem := pattern_problem(pattern, prefix):
                raise argparse.ArgumentTypeError(problem)
        return found

    parser.add_argument("--select", action="append", type=patterns, default=[], metavar="CODE[,CODE]",
                        help=f"report only these codes or prefixes of codes (e.g. {prefix}2 for every {prefix}2xx); "
                             "may be given several times")
    parser.add_argument("--ignore", action="append", type=patterns, default=[], metavar="CODE[,CODE]",
                        help="do not report these codes or prefixes of codes; the more specific of --select and "
                             "--ignore wins")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="how findings are printed on stdout: text (file:line:column: severity: message "
                             "[CODE]), json (one object a line) or github (GitHub Actions annotations); the "
                             "summary goes to stderr")


def selection(args: argparse.Namespace) -> Selection:
    """The codes chosen by ``--select`` and ``--ignore``."""
    return Selection(tuple(p for group in args.select for p in group), tuple(p for group in args.ignore for p in group))


def chosen(findings: list[Finding], choice: Selection) -> tuple[list[Finding], int]:
    """The findings ``choice`` reports, and how many it leaves out."""
    kept = [f for f in findings if choice.allows(f.code)]
    return kept, len(findings) - len(kept)
