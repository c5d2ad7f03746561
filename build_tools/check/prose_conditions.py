"""Rules of prose conditions (``DS260``, ``DS261``): conditions written as the standard words them (``named`` with
``text``), which no tool can test, so each example variant states whether they hold (``conditions``).

One identifier means one condition (``DS261``), and an identifier a variant states must be one that its IOD
has: in the supplement's own rows, module uses and functional group rows, or in the baseline modules the IOD uses
(``DS260``).
"""

from __future__ import annotations

from collections.abc import Iterator

from build_tools.check.context import Context, rows
from build_tools.check.references import suggest
from build_tools.core.errors import Loc
from build_tools.core.model import IOD, Attribute, Condition, Module


def check_prose_conditions(ctx: Context) -> None:
    texts: dict[str, tuple[str, Loc]] = {}
    for condition in _supplement_conditions(ctx):
        if condition.named is None or not condition.text or not ctx.readable(condition, "named"):
            continue
        text = " ".join(condition.text.split())
        if condition.named in texts and texts[condition.named][0] != text:
            first, where = texts[condition.named]
            ctx.report("DS261", condition.at("text"), f"prose condition {condition.named!r} is worded {first!r} "
                                                      f"at {where}; one identifier means one condition (give this "
                                                      "one another 'named')")
        texts.setdefault(condition.named, (text, condition.at("text")))
    for example in ctx.supplement.examples:
        if not example.conditions or not isinstance(example.conditions, dict):
            continue
        iod = ctx.index.iod(example.iod)
        known = sorted(_names(_iod_conditions(ctx, iod)) if iod is not None else set(texts))
        for name in example.conditions:
            if name not in known:
                where = example.locs.get(f"conditions.{name}", ctx.at(example, "conditions"))
                ctx.report("DS260", where, f"conditions: no prose condition {name!r} in the "
                                           f"{example.iod} IOD{suggest(name, known)}"
                                           f"{'' if known else ' (it has none)'}")


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    for part in (condition.all or []) + (condition.any or []) + ([condition.not_] if condition.not_ else []):
        yield from _walk(part)


def _module_conditions(module: Module | None) -> Iterator[Condition]:
    for row in rows(module.attributes) if module is not None else ():
        if isinstance(row, Attribute) and row.condition is not None:
            yield from _walk(row.condition)


def _supplement_conditions(ctx: Context) -> Iterator[Condition]:
    for module in ctx.supplement.modules:
        yield from _module_conditions(module)
    for iod in ctx.supplement.iods:
        for use in [*iod.modules, *iod.functional_groups]:
            if use.condition is not None:
                yield from _walk(use.condition)


def _iod_conditions(ctx: Context, iod: IOD) -> Iterator[Condition]:
    """Every condition an instance of ``iod`` meets: its rows, and those of the modules and macros it uses."""
    for use in iod.modules:
        if use.condition is not None:
            yield from _walk(use.condition)
        yield from _module_conditions(ctx.index.module(use.module) if ctx.readable(use, "module") else None)
    for use in iod.functional_groups:
        if use.condition is not None:
            yield from _walk(use.condition)
        yield from _module_conditions(ctx.index.functional_group_macro(use.macro)
                                      if ctx.readable(use, "macro") else None)
    for module in ctx.supplement.modules:  # macros the IOD's modules include
        if module.kind == "macro":
            yield from _module_conditions(module)


def _names(conditions: Iterator[Condition]) -> set[str]:
    return {condition.named for condition in conditions if condition.named}
