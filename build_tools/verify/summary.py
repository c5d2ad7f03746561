"""Counting what ``dicomsup verify`` found, for its last line and for ``--summary``.

A run over ten thousand files wants to know how many passed and which failed, and which problems are common, not
every line: :class:`Tally` keeps counts only (per status, per code), never the findings, so its memory does not
grow with the number of files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from build_tools.core.errors import Finding, Severity, counts_text
from build_tools.core.findingcodes import CODES

#: A file's status, worst first: how the summary orders and names them.
STATUSES = ("unusable", "failed", "warnings", "passed")
_SAID = {"unusable": "could not be checked", "failed": "failed (errors)", "warnings": "with warnings only",
         "passed": "passed"}


def status(findings: Iterable[Finding], unusable: bool = False) -> str:
    """``unusable`` (the path cannot be checked), ``failed`` (an error), ``warnings`` or ``passed`` (notes at
    most)."""
    if unusable:
        return "unusable"
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return "failed"
    return "warnings" if Severity.WARNING in severities else "passed"


class Tally:
    """Counts over the files of one run."""

    def __init__(self) -> None:
        self.files: Counter[str] = Counter()  # by status
        self.severities: Counter[Severity] = Counter()
        self.codes: Counter[str] = Counter()  # findings by code
        self.code_files: Counter[str] = Counter()  # files with at least one finding of the code
        self.hidden = 0  # findings left out by --select/--ignore

    def add(self, findings: list[Finding], unusable: bool = False, hidden: int = 0) -> str:
        """Count one file's (selected) findings; its status."""
        kind = status(findings, unusable)
        self.files[kind] += 1
        self.hidden += hidden
        if unusable:
            return kind
        for finding in findings:
            self.severities[finding.severity] += 1
            self.codes[finding.code] += 1
        self.code_files.update({f.code for f in findings})
        return kind

    @property
    def checked(self) -> int:
        return sum(n for s, n in self.files.items() if s != "unusable")

    @property
    def unusable(self) -> int:
        return self.files["unusable"]

    def failing(self, strict: bool) -> bool:
        return bool(self.severities[Severity.ERROR] or (strict and self.severities[Severity.WARNING]))

    def counts_text(self) -> str:
        return counts_text(self.severities[Severity.ERROR], self.severities[Severity.WARNING],
                           self.severities[Severity.NOTE], self.hidden)

    def totals_lines(self) -> list[str]:
        """The totals of ``--summary``: files by status, then findings by code (most frequent first)."""
        total = sum(self.files.values())
        parts = [f"{self.files[s]} {_SAID[s]}" for s in STATUSES if self.files[s] or s in ("failed", "passed")]
        lines = [f"files: {total}: " + ", ".join(parts)]
        if self.codes:
            lines.append("findings by code:")
            width = max(len(str(n)) for n in self.codes.values())
            for code, count in sorted(self.codes.items(), key=lambda item: (_rank(item[0]), -item[1], item[0])):
                entry = CODES.get(code)
                title = entry.title if entry else ""
                severity = entry.severity.value if entry else ""
                files = self.code_files[code]
                lines.append(f"  {code}  {severity:<7}  {count:>{width}} in {files} file{'s' * (files != 1)}  "
                             f"{title}")
        return lines

    def totals_json(self) -> str:
        return json.dumps({"files": {s: self.files[s] for s in STATUSES},
                           "codes": {code: {"findings": n, "files": self.code_files[code]}
                                     for code, n in sorted(self.codes.items())}})


def file_line(name: str, findings: list[Finding], kind: str) -> str:
    """One line of ``--summary files``: ``FILE: failed: 2 errors, 0 warnings [DV211 x2]``."""
    if kind == "unusable":
        return f"{name}: {kind}: {findings[0].message if findings else ''}"
    codes = Counter(f.code for f in findings)
    listed = " ".join(f"{c}" + (f" x{n}" if n > 1 else "") for c, n in sorted(codes.items()))
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    notes = sum(1 for f in findings if f.severity is Severity.NOTE)
    text = f"{name}: {kind}: {counts_text(errors, len(findings) - errors - notes, notes)}"
    return text + (f" [{listed}]" if listed else "")


def file_json(name: str, findings: list[Finding], kind: str) -> str:
    return json.dumps({"file": name, "status": kind,
                       "codes": dict(sorted(Counter(f.code for f in findings).items()))}, ensure_ascii=False)


def _rank(code: str) -> int:
    """Errors first, then warnings, then notes."""
    entry = CODES.get(code)
    return {Severity.ERROR: 0, Severity.WARNING: 1}.get(entry.severity, 2) if entry else 3
