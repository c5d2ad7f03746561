"""Rules of explicit labels (``DS256``-``DS258``, ``DS346``-``DS348``): tables and sections that the author numbers.

An IOD's module table (``table``) and Functional Group Macros table (``functional_groups_table``), a module's
table, a new parent section (``sections:``) and an annex section (``label``) may be given their label; otherwise
it is the automatic one. Either way it must be written as the standard writes labels, be unique, and a new parent
section must be the parent of something new.
"""

from __future__ import annotations

import re

from build_tools.check.context import Context
from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.numbering import walk
from build_tools.standard.index import functional_groups_table, iod_table, module_table


def check_labels(ctx: Context) -> None:
    _well_formed(ctx)
    _tables(ctx)
    _sections(ctx)
    _annex(ctx)


def _well_formed(ctx: Context) -> None:
    for iod in ctx.supplement.iods:
        for name in ("table", "functional_groups_table"):
            label = getattr(iod, name)
            if label is not None and (problem := syntax.table(label)):
                ctx.report("DS256", ctx.at(iod, name), f"{name} {label!r} {problem}")
    for section in ctx.supplement.sections:
        if ctx.readable(section, "section") and (problem := syntax.section(section.section)):
            ctx.report("DS256", ctx.at(section, "section"), f"section {section.section!r} {problem}")


def _tables(ctx: Context) -> None:
    """Every table label of PS3.3 that the supplement adds, once."""
    seen: dict[str, Loc] = {}

    def claim(label: str, where: Loc | None, what: str) -> None:
        if where is None:
            return
        if label in seen:
            ctx.report("DS257", where, f"Table {label} ({what}) is already the label of a table at {seen[label]}; "
                                       "give one of them another label")
        seen.setdefault(label, where)

    for iod in ctx.supplement.iods:
        if not ctx.readable(iod, "section"):
            continue
        claim(iod_table(iod), ctx.at(iod, "table") if iod.table else ctx.at(iod, "section"),
              f"the {iod.name} IOD Modules")
        if iod.functional_groups:
            claim(functional_groups_table(iod), ctx.at(iod, "functional_groups_table")
                  if iod.functional_groups_table else ctx.at(iod, "functional_groups"),
                  f"the {iod.name} IOD Functional Group Macros")
    for module in ctx.supplement.modules:
        if ctx.readable(module, "section"):
            claim(module_table(module), ctx.at(module, "table") if module.table else ctx.at(module, "section"),
                  f"the {module.name} attributes")


def _sections(ctx: Context) -> None:
    """New parent sections: unique among the new sections of their part, and parents of something new."""
    seen: dict[tuple[str, str], Loc] = {}
    for iod in ctx.supplement.iods:
        if (where := ctx.at(iod, "section")) is not None:
            seen.setdefault(("PS3.3", iod.section), where)
    for module in ctx.supplement.modules:
        if (where := ctx.at(module, "section")) is not None:
            seen.setdefault(("PS3.3", module.section), where)
    for section in ctx.supplement.sections:
        where = ctx.at(section, "section")
        if where is None or not ctx.readable(section, "part"):
            continue
        key = (section.part, section.section)
        if key in seen:
            ctx.report("DS257", where, f"Section {section.section} of {section.part} is already new in this "
                                       f"supplement at {seen[key]}")
        seen.setdefault(key, where)
    for section in ctx.supplement.sections:
        where = ctx.at(section, "section")
        if where is None or not ctx.readable(section, "part"):
            continue
        below = f"{section.section}."
        children = [label for part, label in _new_labels(ctx) if part == section.part and label.startswith(below)]
        if not children:
            ctx.report("DS258", where, f"nothing new of this supplement lies under Section {section.section} of "
                                       f"{section.part} (no new IOD, module, macro or section {below}…); check the "
                                       "label, or leave the section out")


def _new_labels(ctx: Context) -> list[tuple[str, str]]:
    """``(part, label)`` of everything new the supplement adds that can lie under a new parent section."""
    labels = [("PS3.3", iod.section) for iod in ctx.supplement.iods]
    labels += [("PS3.3", module.section) for module in ctx.supplement.modules]
    labels += [(section.part, section.section) for section in ctx.supplement.sections]
    annex = ctx.supplement.annex
    if annex is not None and annex.label:
        labels.append(("PS3.17", annex.label))
        labels += [("PS3.17", label) for _s, label, *_rest in walk(annex.sections, annex.label)]
    return labels


def _annex(ctx: Context) -> None:
    annex = ctx.supplement.annex
    if annex is None or not ctx.readable(annex, "label"):
        return
    seen: dict[str, Loc] = {}
    previous: dict[str, int] = {}  # parent label -> last number given among its children
    for section, label, explicit, parent, _depth in walk(annex.sections, annex.label):
        where = ctx.at(section, "label") if explicit else ctx.at(section, "title")
        match = re.fullmatch(rf"{re.escape(parent)}\.(\d+)", label)
        if explicit and match is None:
            ctx.report("DS346", where, f"annex section label {label!r} is not {parent}.<number>: a section is "
                                       f"numbered under its parent ({parent}), e.g. {parent}.7")
        if explicit and match is not None and int(match.group(1)) <= previous.get(parent, 0):
            before = (f"the sibling before it ({parent}.{previous[parent]})" if parent in previous
                      else "the numbering, which starts at 1")
            ctx.report("DS348", where, f"annex section label {label!r} does not follow {before}; the numbers "
                                       "would go backwards")
        if match is not None:
            previous[parent] = int(match.group(1))
        if where is None:
            continue
        if label in seen:
            ctx.report("DS347", where, f"annex section {label} is already the label of the section at "
                                       f"{seen[label]}")
        seen.setdefault(label, where)
