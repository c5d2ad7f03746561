"""Rules of enhanced multi-frame IODs (``DS250``-``DS255``, ``DS259``): the rows of an IOD's Functional Group
Macros table, and the new functional group macros themselves.

A row names a functional group macro of the supplement (kind ``functional group macro``) or of the baseline, is
listed once, and has a condition exactly when its usage is C, as a module use does; a new functional group macro
is its one sequence attribute of a single Item.
"""

from __future__ import annotations

import re

from build_tools.check.conditions import check_condition
from build_tools.check.context import Context
from build_tools.check.references import suggest
from build_tools.core.errors import Loc
from build_tools.core.model import IOD, Attribute, FunctionalGroupUse, Module
from build_tools.standard import baseline

#: The module whose Shared and Per-Frame Functional Groups Sequences hold the functional group macros.
MULTI_FRAME_MODULE = "Multi-frame Functional Groups"
#: A note that says where the macro goes, which ``placement`` says in a form tools can read.
_PLACEMENT_WORDS = re.compile(r"\bshall( not)? be used as a shared functional group\b", re.IGNORECASE)


def check_functional_groups(ctx: Context) -> None:
    for iod in ctx.supplement.iods:
        _rows(ctx, iod)
    for module in ctx.supplement.modules:
        if module.kind == "functional group macro":
            _macro(ctx, module)


def functional_group_names(ctx: Context) -> list[str]:
    """Every functional group macro an IOD may name: the supplement's, then the baseline's (without Macro)."""
    names = [m.name for m in ctx.supplement.modules if m.kind == "functional group macro"]
    if ctx.index.with_catalog:
        for entry in baseline.entries():
            if entry.kind == "functional group macro" and not entry.carried_by:
                names.append(entry.name[: -len(" Macro")] if entry.name.endswith(" Macro") else entry.name)
    return list(dict.fromkeys(names))


def _rows(ctx: Context, iod: IOD) -> None:
    seen: dict[str, Loc] = {}
    for use in iod.functional_groups:
        where = ctx.at(use, "macro")
        if where is None:
            continue  # unreadable: the loader said so
        if use.macro in seen:
            ctx.report("DS252", where, f"functional group macro {use.macro!r} is already in this IOD at "
                                       f"{seen[use.macro]}")
        seen.setdefault(use.macro, where)
        _name(ctx, use, where)
        _usage(ctx, use)
        if use.note is not None and _PLACEMENT_WORDS.search(use.note.text) and "placement" not in use.locs:
            ctx.report("DS259", ctx.at(use, "note"), "the note says where the macro goes; write 'placement: "
                                                     "shared' or 'placement: per-frame' (rendered as the standard "
                                                     "words it) instead")
    if iod.functional_groups and ctx.readable(iod, "modules") \
            and not any(use.module == MULTI_FRAME_MODULE for use in iod.modules):
        ctx.report("DS255", ctx.at(iod, "functional_groups"), f"IOD {iod.name!r} lists functional group macros "
                                                              f"but not the {MULTI_FRAME_MODULE} Module, whose "
                                                              "sequences hold them")


def _name(ctx: Context, use: FunctionalGroupUse, where: Loc) -> None:
    if ctx.index.functional_group_macro(use.macro) is not None:
        return
    if use.macro.endswith(" Macro") and ctx.index.functional_group_macro(use.macro[: -len(" Macro")]) is not None:
        ctx.report("DS253", where, "write the functional group macro's name without the word Macro")
        return
    other = ctx.index.module(use.macro)
    if other is not None:
        ctx.report("DS251", where, f"{use.macro!r} is a {other.kind}, not a functional group macro; list modules in "
                                   "'modules', and give a new functional group macro kind 'functional group macro'")
        return
    ctx.unknown("DS250", where, "functional group macro", use.macro,
                f"no functional group macro {use.macro!r} in this supplement or the baseline"
                f"{suggest(use.macro, functional_group_names(ctx))}")


def _usage(ctx: Context, use: FunctionalGroupUse) -> None:
    """As a module use: usage C needs a condition, M and U take none (nor an 'otherwise')."""
    if ctx.readable(use, "usage"):
        if use.usage == "C" and use.condition is None and "condition" not in use.locs:
            ctx.report("DS212", use.at("usage"), f"usage C needs a condition: add 'condition:' saying when the "
                                                 f"{use.macro} Functional Group Macro is required")
        if use.usage != "C":
            if use.condition is not None:
                ctx.report("DS213", use.at("condition"), f"a condition is given but usage is {use.usage}; use C "
                                                         "or remove it")
            if "otherwise" in use.locs:
                ctx.report("DS213", use.at("otherwise"), f"'otherwise' applies to usage C only, not {use.usage}")
    if use.condition is not None:
        check_condition(ctx, use.condition, None)


def _macro(ctx: Context, module: Module) -> None:
    """A functional group macro is one sequence attribute of one Item (its first row)."""
    first = module.attributes[0] if module.attributes else None
    if first is None:
        return  # an empty table is reported as such (DS205)
    if not isinstance(first, Attribute):
        ctx.report("DS254", ctx.at(module, "attributes"), f"the first row of functional group macro "
                                                          f"{module.name!r} is an Include; it must be the macro's "
                                                          "sequence attribute, of one Item")
        return
    if not ctx.readable(first, "attribute"):
        return
    element = ctx.index.element(first.attribute)
    if element is not None and element.vr != "SQ":
        ctx.report("DS254", first.at("attribute"), f"the first row of functional group macro {module.name!r} is "
                                                   f"{first.attribute} (VR {element.vr}); it must be the macro's "
                                                   "sequence attribute, of one Item")
    elif element is not None and first.item_count != "one":
        ctx.report("DS254", first.at("item_count") if "item_count" in first.locs else first.at("attribute"),
                   f"{first.attribute} is a functional group macro's sequence: give it 'item_count: one' (only a "
                   "single Item shall be included)")
