"""Whether the references of prose fields (``{de:…}``, ``{section:…}`` …) point at something that exists.

What is checkable is checked: data elements, UIDs, modules and this supplement's own sections, tables, codes and
context groups exactly; the existing standard's sections and tables only by their syntax (no table of contents of
the standard is at hand), existing IODs, CIDs and DCM codes against what pydicom knows (a warning when it does not,
since pydicom may lag the standard).
"""

from __future__ import annotations

import difflib
import typing
from functools import cached_property
from typing import Protocol

from pydicom.datadict import keyword_dict

from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.model import AnnexSection, Part, Supplement
from build_tools.core.prose import Ref
from build_tools.standard import baseline
from build_tools.standard import codes as standard
from build_tools.standard.index import Index, iod_table, module_table, uid_keyword

PARTS = typing.get_args(Part)


def close_matches(word: str, candidates, n: int = 3) -> list[str]:
    """The candidates closest to ``word``, best first: transposed letters, then similar spellings."""
    candidates = list(dict.fromkeys(candidates))  # once each, in order
    letters = sorted(word.lower())
    close = sorted((c for c in candidates if sorted(c.lower()) == letters and c != word),  # transposed letters
                   key=lambda c: (c[:1] != word[:1], c))
    close += [c for c in difflib.get_close_matches(word, candidates, n=n, cutoff=0.75) if c not in close]
    return close[:n]


def suggest(word: str, candidates, n: int = 3) -> str:
    """``; did you mean 'X'?`` (or nothing) for the closest candidates."""
    close = close_matches(word, candidates, n)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def split_part(target: str) -> tuple[str | None, str]:
    """``PS3.17:A.1`` -> (``PS3.17``, ``A.1``); no prefix -> (None, target)."""
    if target.startswith("PS3.") and ":" in target:
        part, _, rest = target.partition(":")
        return part, rest.strip()
    return None, target


class Reporter(Protocol):
    """Where References reports: the rules' context (:class:`build_tools.check.context.Context`), which holds a
    References itself, so it is named by what it does rather than imported."""

    index: Index
    supplement: Supplement

    def report(self, code: str, loc: Loc | None, message: str) -> None: ...

    def unknown(self, code: str, loc: Loc | None, kind: str, name: str, message: str,
                aside: tuple[str, str] | None = None) -> None: ...


class References:
    """Resolves the references of one supplement against it and the standard (``DS5xx``).

    A reference to a name that does not exist is reported as an unknown name (:meth:`Context.unknown`), so that the
    same name misspelled in a row, a condition and a paragraph is one finding.
    """

    def __init__(self, ctx: Reporter):
        self.ctx = ctx
        self.index = ctx.index
        self.supplement = ctx.supplement

    def report(self, code: str, ref: Ref, message: str) -> None:
        self.ctx.report(code, ref.loc, message)

    def unknown(self, code: str, ref: Ref, kind: str, message: str) -> None:
        self.ctx.unknown(code, ref.loc, kind, ref.target, message)

    @cached_property
    def element_keywords(self) -> list[str]:
        return list(self.index.new_elements) + list(keyword_dict)

    @cached_property
    def module_sections(self) -> dict[str, set[str]]:
        """For each new module's (and IOD's) section: the sections the supplement gives under it."""
        result: dict[str, set[str]] = {}
        for module in self.supplement.modules:
            sections = {module.section}
            if module.attribute_descriptions:
                sections.add(f"{module.section}.1")
                sections.update(f"{module.section}.1.{k}" for k in range(1, len(module.attribute_descriptions) + 1))
            result[module.section] = sections
        return result

    @cached_property
    def annex_sections(self) -> set[str]:
        annex = self.supplement.annex
        if annex is None:
            return set()
        found = {annex.label}

        def walk(prefix: str, sections: list[AnnexSection]) -> None:
            for number, item in enumerate(sections, 1):
                found.add(f"{prefix}.{number}")
                walk(f"{prefix}.{number}", item.sections)

        walk(annex.label, annex.sections)
        return found

    @cached_property
    def own_tables(self) -> dict[str, set[str]]:
        """Section prefix -> table labels the supplement defines under it."""
        result: dict[str, set[str]] = {}
        for module in self.supplement.modules:
            result.setdefault(module_table(module).rsplit("-", 1)[0], set()).add(module_table(module))
        for iod in self.supplement.iods:
            result.setdefault(iod.section, set()).add(iod_table(iod))
        return result

    def check(self, ref: Ref) -> None:
        getattr(self, f"_{ref.ref}")(ref)

    def _de(self, ref: Ref) -> None:
        if self.index.element(ref.target) is None:
            self.unknown("DS502", ref, "element", f"{{de:{ref.target}}}: no data element has keyword {ref.target!r} "
                                                  f"in this supplement or in PS3.6"
                                                  f"{suggest(ref.target, self.element_keywords)}")

    def _module(self, ref: Ref) -> None:
        target = ref.target
        if self.index.module(target) is not None:
            return
        for word in (" Module", " Macro"):
            if target.endswith(word) and self.index.module(target[: -len(word)]) is not None:
                self.report("DS503", ref, f"{{module:{target}}}: write the name without the word{word}; the "
                                          "renderer adds it")
                return
        self.unknown("DS503", ref, "module", f"{{module:{target}}}: no module or macro {target!r} in this "
                                             f"supplement or the baseline catalog{suggest(target, self.index.modules)}")

    def _iod(self, ref: Ref) -> None:
        target = ref.target
        if self.index.iod(target) is not None or target in standard.iod_names():
            return
        if target.endswith(" IOD"):
            self.report("DS504", ref, f"{{iod:{target}}}: write the name without the word IOD; the renderer adds it")
            return
        names = [i.name for i in self.supplement.iods]
        self.unknown("DS504", ref, "iod", f"{{iod:{target}}}: no IOD {target!r} in this supplement, and no Storage "
                                          f"SOP Class of that name in PS3.6"
                                          f"{suggest(target, names + sorted(standard.iod_names()))}")

    def _part(self, ref: Ref) -> None:
        if ref.target not in PARTS:
            self.report("DS505", ref, f"{{part:{ref.target}}}: not a part of the standard; expected one of "
                                      f"{', '.join(PARTS)}")

    def _section(self, ref: Ref) -> None:
        part, label = split_part(ref.target)
        if part is not None and part not in PARTS:
            self.report("DS506", ref, f"{{section:{ref.target}}}: {part!r} is not a part; expected e.g. PS3.17:A.1")
            return
        problem = syntax.section(label)
        if problem:
            self.report("DS506", ref, f"{{section:{ref.target}}}: {label!r} {problem}")
            return
        if part == "PS3.17" and self.supplement.annex is not None:
            annex = self.supplement.annex.label
            if (label == annex or label.startswith(annex + ".")) and label not in self.annex_sections:
                self.report("DS506", ref, f"{{section:{ref.target}}}: the annex has no section {label}; it has "
                                          f"{', '.join(sorted(self.annex_sections))}")
            return
        if part not in (None, "PS3.3"):
            return
        for prefix, sections in self.module_sections.items():
            if (label == prefix or label.startswith(prefix + ".")) and label not in sections:
                self.report("DS506", ref, f"{{section:{ref.target}}}: this supplement gives no section {label}; "
                                          f"under {prefix} it has {', '.join(sorted(sections))}")

    def _table(self, ref: Ref) -> None:
        _part, label = split_part(ref.target)
        problem = syntax.table(label)
        if problem:
            self.report("DS507", ref, f"{{table:{ref.target}}}: {label!r} {problem}")
            return
        prefix = label.rsplit("-", 1)[0]
        tables = self.own_tables.get(prefix)
        if tables and label not in tables:
            self.report("DS507", ref, f"{{table:{ref.target}}}: this supplement has no table {label}; it has "
                                      f"{', '.join(sorted(tables))}")

    def known_cid(self, cid: int) -> bool:
        return (self.index.context_group(cid) is not None
                or any(a.cid == cid for a in self.supplement.context_group_additions)
                or cid in standard.cid_names())

    def _cid(self, ref: Ref) -> None:
        if not ref.target.isdigit():
            self.report("DS508", ref, f"{{cid:{ref.target}}}: expected a context group number, e.g. {{cid:29}}")
        elif not self.known_cid(int(ref.target)):
            self.ctx.unknown("DS509", ref.loc, "cid", str(int(ref.target)),
                             f"{{cid:{ref.target}}}: CID {ref.target} is not defined in this supplement and is not "
                             f"known to pydicom {baseline.PYDICOM_VERSION}; check the number")

    def _code(self, ref: Ref) -> None:
        scheme, sep, value = ref.target.partition(":")
        if not sep or not scheme or not value:
            self.report("DS510", ref, f"{{code:{ref.target}}}: expected SCHEME:VALUE, e.g. {{code:DCM:DMS}}")
            return
        if self.index.code(scheme, value) is not None:
            return
        if scheme not in syntax.CODING_SCHEMES and scheme not in syntax.RETIRED_SCHEMES:
            self.report("DS510", ref, f"{{code:{ref.target}}}: unknown coding scheme designator {scheme!r}"
                                      f"{suggest(scheme, syntax.CODING_SCHEMES)}")
        elif scheme == "DCM" and value not in standard.codes("DCM"):
            self.ctx.unknown("DS511", ref.loc, "code", f"{scheme}:{value}",
                             f"{{code:{ref.target}}}: DCM code {value} is not in this supplement's codes nor known to "
                             f"pydicom {baseline.PYDICOM_VERSION}; check the value", aside=("code-value", value))
        elif scheme == "SCT" and syntax.sctid(value):
            self.report("DS510", ref, f"{{code:{ref.target}}}: {value} {syntax.sctid(value)}")

    def _uid(self, ref: Ref) -> None:
        if self.index.uid(ref.target) is None and baseline.uid_by_keyword(ref.target) is None:
            known = [uid_keyword(u) for u in self.supplement.uids] + list(baseline.uid_by_keyword_table())
            self.unknown("DS512", ref, "uid", f"{{uid:{ref.target}}}: no UID has keyword {ref.target!r} in this "
                                          f"supplement or in PS3.6{suggest(ref.target, known)}")

    def _value(self, ref: Ref) -> None:
        pass  # a literal; nothing to resolve
