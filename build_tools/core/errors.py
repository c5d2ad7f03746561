"""Source locations and findings: what every error and warning of dicomsup points at."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Loc:
    """A place in a source file; line and column count from 1, as editors show them."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def shifted(self, lines: int, column: int) -> "Loc":
        """A location ``lines`` below this one, at ``column`` (used inside block scalars)."""
        return Loc(self.file, self.line + lines, column)


NOWHERE = Loc("<builtin>")


class Severity(str, Enum):
    """How much a finding matters: errors fail a command, warnings fail it with ``--strict``, notes never do (they
    say what was found, e.g. a definition the baseline already holds identically)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in the spec, reported as ``file:line:column: severity: message [CODE]``.

    ``code`` is the finding's stable code (``DS213``, listed in :mod:`build_tools.core.findingcodes`), by which
    ``--select`` and ``--ignore`` choose findings; it is empty only for problems of later stages that are not
    spec findings (a DocBook schema that is not installed, a git revision that does not exist). The code is
    printed last, so that ``file:line:column: severity: message`` reads as it always has.
    """

    loc: Loc
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{self.loc}: {self.severity.value}: {self.message}{code}"


class InputError(Exception):
    """Input that cannot be read at all (bad YAML, bad encoding, missing folder).

    Raised with every finding collected so far; the CLI prints them and exits 2.
    """

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


def relative(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def counts_text(errors: int, warnings: int, notes: int = 0, hidden: int = 0) -> str:
    """``2 errors, 1 warning`` (``, 3 notes`` when there are notes; and how many findings ``--select``/``--ignore``
    left out): how every command sums its findings up."""
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if notes:
        text += f", {notes} note{'s' * (notes != 1)}"
    if hidden:
        text += f" ({hidden} more not selected)"
    return text
