"""Whether the references of prose fields (``{de:…}``, ``{section:…}`` …) point at something that exists.

What is checkable is checked: data elements, UIDs, modules and this supplement's own sections, tables, codes and
context groups exactly; PS3.3's existing sections against the baseline's module, macro and IOD sections
(:func:`missing_section`, a warning), other parts' sections and existing tables only by their
syntax; existing IODs, CIDs and DCM codes against what pydicom knows (a warning when it does not, since pydicom may
lag the standard).
"""

from __future__ import annotations

import difflib
import re
import typing
from functools import cached_property
from typing import Protocol


from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.model import AnnexSection, Part, Supplement
from build_tools.core.prose import Ref
from build_tools.standard import baseline, store
from build_tools.standard import codes as standard
from build_tools.standard.index import Index, iod_table, module_table, uid_keyword

PARTS = typing.get_args(Part)
#: PS3.17's annexes run A … Z, AA … ZZ, AAA …, AAAA … (Supplement 236 takes BBBBB): more letters than PS3.3's.
_ANNEX_LABEL = re.compile(r"[A-Z]{4,5}(?:\.\d+[a-z]?)*")
_ANNEX_TABLE = re.compile(r"[A-Z]{4,5}(?:\.\d+[a-z]?)*-\d+[a-z]?")


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


@store.per_baseline
def _ps33_sections() -> frozenset[str]:
    """The PS3.3 sections the baseline knows: every module's, macro's and IOD's, and the sections above them."""
    known: set[str] = set()
    for label in [e.section for e in baseline.entries()] + [i.section for i in baseline.iods()]:
        while label:
            known.add(label)
            label = label.rpartition(".")[0]
    return frozenset(known)


@store.per_baseline
def _defined_sections() -> frozenset[str]:
    """The sections of the baseline's modules, macros and IODs themselves."""
    return frozenset([e.section for e in baseline.entries() if e.section] + [i.section for i in baseline.iods()])


@store.per_baseline
def _children() -> dict[str, int]:
    """For each known PS3.3 section, the highest number of a known section directly under it."""
    most: dict[str, int] = {}
    for label in _ps33_sections():
        parent, _, last = label.rpartition(".")
        if parent and last.isdigit():
            most[parent] = max(most.get(parent, 0), int(last))
    return most


def missing_section(label: str, own: set[str]) -> str | None:
    """Why PS3.3 section ``label`` does not exist, as far as the baseline can tell (None: it does, or who knows).

    The baseline knows the sections of PS3.3's modules, macros and IODs (Annexes A and C) and those above them,
    not their subsections nor the other chapters; so a label is judged only in Annex A or C, and only when it
    numbers a section beyond the last one the baseline knows under the deepest known section above it (a gap
    may be a retired section, or one that holds no module).
    """
    if label.split(".")[0] not in ("A", "C"):
        return None
    known = _ps33_sections() | own
    if label in known:
        return None
    ancestor = label
    while ancestor and ancestor not in known:
        ancestor = ancestor.rpartition(".")[0]
    if not ancestor or ancestor in _defined_sections():
        return None  # under a module's or IOD's own section: its subsections are not in the baseline
    child = label[len(ancestor) + 1:].split(".")[0]
    highest = _children().get(ancestor, 0)
    if not child.isdigit() or int(child) <= highest:
        return None
    return (f"PS3.3 has no section {ancestor}.{child} as far as the baseline knows (the last section it knows "
            f"under {ancestor} is {ancestor}.{highest}); check the number, or add the section to the supplement")


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
        return list(self.index.new_elements) + list(baseline.keyword_tags())

    @cached_property
    def module_sections(self) -> dict[str, set[str]]:
        """For each new module's and IOD's section: the sections the supplement gives under it."""
        result: dict[str, set[str]] = {}
        for module in self.supplement.modules:
            sections = {module.section}
            if module.attribute_descriptions:
                sections.add(f"{module.section}.1")
                sections.update(f"{module.section}.1.{k}" for k in range(1, len(module.attribute_descriptions) + 1))
            result[module.section] = sections
        for iod in self.supplement.iods:
            # As build_tools.document.ps33 numbers them: description, E-R model, modules, content constraints;
            # an IOD with explicit table labels (an enhanced one) has its tables' sections as well.
            sections = {iod.section, f"{iod.section}.1", f"{iod.section}.2", f"{iod.section}.3",
                        f"{iod.section}.3.1"}
            for label in (iod.table, iod.functional_groups_table):
                if label:
                    sections.add(label.rsplit("-", 1)[0])
            if iod.functional_groups:
                sections.update({f"{iod.section}.4", f"{iod.section}.4.1"})
            result.setdefault(iod.section, set()).update(sections)
        return result

    @cached_property
    def annex_sections(self) -> set[str]:
        annex = self.supplement.annex
        if annex is None:
            return set()
        found = {annex.label}

        def walk(prefix: str, sections: list[AnnexSection]) -> None:
            number = 0
            for item in sections:
                label = item.label  # an explicit label; numbering goes on from it
                if label:
                    found.add(label)
                    tail = label.rsplit(".", 1)[-1]
                    number = int(tail) if tail.isdigit() else number + 1
                else:
                    number += 1
                    label = f"{prefix}.{number}"
                    found.add(label)
                walk(label, item.sections)

        walk(annex.label, annex.sections)
        return found

    @cached_property
    def unread_sections(self) -> bool:
        """Whether a new IOD's or module's section could not be read (its placeholder is empty)."""
        return any(not item.section for item in (*self.supplement.modules, *self.supplement.iods))

    @cached_property
    def own_sections(self) -> dict[str, set[str]]:
        """Part -> every section label this supplement writes or amends in it."""
        result: dict[str, set[str]] = {}
        for sections in self.module_sections.values():
            result.setdefault("PS3.3", set()).update(sections)
        result.setdefault("PS3.17", set()).update(self.annex_sections)
        for amendment in self.supplement.amendments:
            result.setdefault(amendment.part, set()).add(amendment.section)
        for section in self.supplement.sections:  # new parent sections
            result.setdefault(section.part, set()).add(section.section)
        return result

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
        problem = None if _ANNEX_LABEL.fullmatch(label) else syntax.section(label)
        if problem:
            self.report("DS506", ref, f"{{section:{ref.target}}}: {label!r} {problem}")
            return
        if part == "PS3.17" and self.supplement.annex is not None:
            annex = self.supplement.annex.label
            if (label == annex or label.startswith(annex + ".")) and label not in self.annex_sections:
                self.report("DS506", ref, f"{{section:{ref.target}}}: the annex has no section {label}; it has "
                                          f"{', '.join(sorted(self.annex_sections))}")
            return
        if label in self.own_sections.get(part or "PS3.3", ()):
            return
        if part not in (None, "PS3.3"):
            return
        for prefix, sections in self.module_sections.items():
            if (label == prefix or label.startswith(prefix + ".")) and label not in sections:
                self.report("DS506", ref, f"{{section:{ref.target}}}: this supplement gives no section {label}; "
                                          f"under {prefix} it has {', '.join(sorted(sections))}")
                return
        if self.unread_sections:
            return  # a section of the supplement's own could not be read (the loader said so): it may be this one
        if why := missing_section(label, self.own_sections.get("PS3.3", set())):
            self.report("DS540", ref, f"{{section:{ref.target}}}: {why}")

    def _table(self, ref: Ref) -> None:
        _part, label = split_part(ref.target)
        problem = None if _ANNEX_TABLE.fullmatch(label) else syntax.table(label)
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
