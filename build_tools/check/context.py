"""What every rule module shares: the supplement, its index, and the one place findings are reported.

A rule reports a finding with its code (:mod:`build_tools.core.findingcodes`, which also gives its severity) at
``ctx.at(obj, field)``, the place the wrong value was written. Two kinds of findings are held back so that one
mistake yields one finding (:func:`build_tools.check.rules.check` settles them at the end):

- a finding *at a placeholder*: a required field that the loader could not read (missing, misspelled, of the wrong
  kind) is absent from the object's ``locs``; :meth:`Context.at` gives None for it and the finding is dropped,
  since the loader has reported it already;
- an *unknown name* (a data element, module, IOD, UID, CID, code or value that resolves to nothing): however often
  one name is written, :meth:`Context.unknown` keeps one finding for it, which lists the other places; none when
  the name's own definition was reported (:attr:`Context.misdefined`, e.g. a module named "X Module");
- a finding that *steps aside* for an unknown name close to its own (:meth:`Context.report_unless_close`): a
  keyword misspelled where it is used leaves its definition unused, but only the misspelling is the mistake.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from build_tools.check.references import References, close_matches
from build_tools.core.errors import NOWHERE, Finding, Loc, Severity
from build_tools.core.fields import by_key
from build_tools.core.findingcodes import severity_of
from build_tools.core.model import Attribute, Supplement
from build_tools.standard.index import Index


@dataclass
class Context:
    """One run of the rules over one supplement."""

    supplement: Supplement
    index: Index
    findings: list[Finding] = field(default_factory=list)
    #: Unknown names by (kind, name): every finding about the name, settled into one by :meth:`settle`.
    unknowns: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    #: Names whose own definition was reported (e.g. a module named "X Module"): references to the name step aside.
    misdefined: set[tuple[str, str]] = field(default_factory=set)
    #: For an unknown name, another key by which its definition may be misdefined (a code by its value alone).
    asides: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    #: Findings that step aside when an unknown name of the same kind is close to theirs (see :meth:`settle`).
    unless_close: list[tuple[Finding, str, str]] = field(default_factory=list)

    @cached_property
    def refs(self) -> References:
        """Resolves names against this supplement and the standard (and reports references to nothing)."""
        return References(self)

    def report(self, code: str, loc: Loc | None, message: str) -> None:
        """A finding of ``code`` at ``loc``; none when ``loc`` is None (a placeholder the loader reported)."""
        if loc is not None:
            self.findings.append(Finding(loc, message, severity_of(code), code=code))

    def unknown(self, code: str, loc: Loc | None, kind: str, name: str, message: str,
                aside: tuple[str, str] | None = None) -> None:
        """``name`` (of ``kind``: ``element``, ``module`` …) resolves to nothing: reported once for all its places,
        and not at all when its definition is in :attr:`misdefined` (by ``(kind, name)`` or by ``aside``)."""
        if loc is not None:
            self.unknowns.setdefault((kind, name), []).append(Finding(loc, message, severity_of(code), code=code))
            if aside is not None:
                self.asides[(kind, name)] = aside

    def report_unless_close(self, code: str, loc: Loc | None, message: str, kind: str, name: str) -> None:
        """A finding about ``name`` that steps aside when an unknown name of ``kind`` is close to it: a keyword
        misspelled where it is used makes its definition look unused, and only the misspelling is the mistake."""
        if loc is not None:
            self.unless_close.append((Finding(loc, message, severity_of(code), code=code), kind, name))

    def already_in(self, code: str, loc: Loc | None, what: str, edition: str, theirs: str,
                   differences: list[str], hint: str = "") -> None:
        """A definition of the supplement that the baseline already holds, in one shape for every kind: held
        identically (no ``differences``) it is a note (DS350), so that a published supplement can be re-authored
        and checked against its incorporation; held differently it is an error of ``code`` naming both."""
        if not differences:
            self.report("DS350", loc, f"{what} is already in {edition} as {theirs}, identically")
            return
        self.report(code, loc, f"{what} is already in {edition} as {theirs}; this definition differs in "
                               f"{', '.join(differences)}" + (f". {hint}" if hint else ""))

    def at(self, obj, name: str) -> Loc | None:
        """Where field ``name`` of ``obj`` was written; None when the loader could not read it (and said so): a
        required field absent from ``locs`` holds a placeholder, and a list with fewer values than the items
        ``locs`` says were written lost the items that could not be read."""
        if obj.loc == NOWHERE:  # made in code, not loaded: every value is as given
            return obj.at(name)
        doc = by_key(type(obj)).get(name)
        if doc is None:
            return obj.at(name)
        if name not in obj.locs:
            return None if doc.required else obj.at(name)
        value = getattr(obj, doc.name)
        if isinstance(value, list) and sum(1 for key in obj.locs if key.startswith(f"{name}[")) > len(value):
            return None
        return obj.at(name)

    def item_at(self, obj, name: str, number: int) -> Loc | None:
        """Where item ``number`` (from 1) of list field ``name`` was written (the list's place when not known)."""
        where = self.at(obj, name)
        return obj.locs.get(f"{name}[{number}]", where) if where is not None else None

    def readable(self, obj, name: str) -> bool:
        """Whether field ``name`` holds a value written in the spec (not a placeholder), so rules may rely on it."""
        return self.at(obj, name) is not None

    def settle(self) -> list[Finding]:
        """Every finding: the held-back unknown names one each, the most severe and first of each name kept."""
        settled = list(self.findings)
        for finding, kind, name in self.unless_close:
            if not any(k == kind and close_matches(unknown, [name]) for k, unknown in self.unknowns):
                settled.append(finding)
        for (kind, name), found in self.unknowns.items():
            if (kind, name) in self.misdefined or self.asides.get((kind, name)) in self.misdefined:
                continue
            found = sorted(set(found), key=lambda f: (f.severity is not Severity.ERROR, f.loc))
            first, others = found[0], sorted({f.loc for f in found[1:]} - {found[0].loc})
            if others:
                more = f" and {len(others) - 1} other place{'s' * (len(others) > 2)}" if len(others) > 1 else ""
                first = Finding(first.loc, f"{first.message} (also written at {others[0]}{more})", first.severity,
                                code=first.code)
            settled.append(first)
        return settled


def rows(attributes: list) -> Iterator:
    """Every row of an attribute table, sequence items included."""
    for row in attributes:
        yield row
        if isinstance(row, Attribute):
            yield from rows(row.items)
