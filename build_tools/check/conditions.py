"""Rules of conditions (``DS22x``): one form each, attributes that exist, values the attribute may have."""

from __future__ import annotations

from build_tools.check.context import Context, rows
from build_tools.check.references import suggest
from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.model import Attribute, Condition, Module


def check_condition(ctx: Context, condition: Condition, module: Module | None) -> None:
    """A condition of an attribute row (``module`` is its module) or of a module use (``module`` is None)."""
    forms = condition.forms()
    if len(forms) != 1:
        found = ", ".join(forms) if forms else "none"
        ctx.report("DS220", condition.loc, f"a condition needs exactly one form (present, absent, attribute with "
                                           f"equals/one_of, all, any, not); found {found}")
    if condition.named is not None:
        ctx.report("DS221", condition.at("named"), "'named' conditions are for the baseline catalog only; write the "
                                                   "condition as structure (present, absent, attribute, all, any, "
                                                   "not)")
    elif condition.text is not None:
        ctx.report("DS221", condition.at("text"), "'text' belongs to a 'named' condition of the baseline catalog; "
                                                  "use condition_note for free text")
    for name in ("present", "absent", "attribute"):
        path = getattr(condition, name)
        if path is not None:
            _path(ctx, condition.at(name), path)
    if condition.attribute is not None:
        if condition.equals is None and condition.one_of is None:
            ctx.report("DS220", condition.at("attribute"), "'attribute' needs 'equals' or 'one_of'")
        if condition.equals is not None and condition.one_of is not None:
            ctx.report("DS220", condition.at("one_of"), "give either 'equals' or 'one_of', not both")
        _compared_values(ctx, condition, module)
    elif condition.equals is not None or condition.one_of is not None:
        ctx.report("DS220", condition.at("equals" if condition.equals is not None else "one_of"),
                   "'equals' and 'one_of' need 'attribute' naming the attribute compared")
    if condition.value_index is not None and condition.value_index < 1:
        ctx.report("DS220", condition.at("value_index"), "value_index counts from 1")
    for name in ("all", "any"):
        parts = getattr(condition, name)
        if parts is not None and not parts:
            ctx.report("DS220", condition.at(name), f"'{name}' needs at least one condition")
        for part in parts or []:
            check_condition(ctx, part, module)
    if condition.not_ is not None:
        check_condition(ctx, condition.not_, module)


def _path(ctx: Context, loc: Loc, path: str) -> None:
    for step in (p.strip() for p in path.split(">")):
        if ctx.index.element(step) is None:
            ctx.unknown("DS222", loc, "element", step, f"condition names {step!r}, which is no data element of this "
                                                       f"supplement or PS3.6"
                                                       f"{suggest(step, ctx.refs.element_keywords)}")


def _compared_values(ctx: Context, condition: Condition, module: Module | None) -> None:
    values = [condition.equals] if condition.equals is not None else list(condition.one_of or [])
    keyword = condition.attribute.split(">")[-1].strip()
    where = condition.at("equals" if condition.equals is not None else "one_of")
    row = next((r for r in rows(module.attributes) if isinstance(r, Attribute) and r.attribute == keyword),
               None) if module else None
    if row is not None and row.enumerated_values:
        allowed = [v.value for v in row.enumerated_values]
        for value in values:
            if value not in allowed:
                ctx.unknown("DS223", where, "value", value, f"{keyword} has no Enumerated Value {value!r}; its "
                                                            f"values are {', '.join(allowed)}")
    element = ctx.index.element(keyword)
    if element is not None:
        for value in values:
            if problem := syntax.value_for_vr(value, element.vr):
                ctx.report("DS216", where, f"{keyword} cannot have the value {value!r}: it {problem}")
