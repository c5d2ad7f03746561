"""One finding of ``dicomsup verify`` about one file (:class:`Issue`), made from its stable code."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.core.errors import Finding, Loc, Severity
from build_tools.core.findingcodes import severity_of


@dataclass(frozen=True, order=True)
class Issue:
    """One finding about one file; ``code`` is its stable ``DVxxx`` code, which also gives its severity."""

    severity: str  # "error", "warning" or "note"
    path: str  # "(0010,0010) PatientName", or "" for the file as a whole
    message: str
    where: str = ""  # "Patient, Type 2"
    code: str = ""

    def text(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        head = f"{self.path}: " if self.path else ""
        return f"{head}{self.message}{where}"

    def finding(self, file: str) -> Finding:
        """The issue as a finding located at the file, for the command's output formats."""
        return Finding(Loc(file), self.text(), Severity(self.severity), code=self.code)

    def line(self, file: str) -> str:
        """``FILE: severity: (gggg,eeee) Keyword: message [Module, Type] [DVxxx]``."""
        return str(self.finding(file))


def issue(code: str, path: str, message: str, where: str = "") -> Issue:
    return Issue(severity_of(code).value, path, message, where, code)
