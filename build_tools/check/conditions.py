"""Rules of conditions (``DS22x``, ``DS243``-``DS249``): one form each, attributes that exist, values the
attribute may have, and conditions that can hold at all.

:func:`check_condition` judges one condition where it is written (called by :mod:`build_tools.check.ps33`);
:func:`check_condition_logic` walks every condition of the supplement once more for what needs the whole
condition and its row: a condition that can never hold, or that always holds, one that tests the very attribute
it governs, and a ``value_index`` beyond the attribute's Value Multiplicity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_tools.check.context import Context, rows
from build_tools.check.references import suggest
from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.model import Attribute, Condition, Module
from build_tools.standard import baseline, store


def check_condition(ctx: Context, condition: Condition, module: Module | None) -> None:
    """A condition of an attribute row (``module`` is its module) or of a module use (``module`` is None)."""
    forms = condition.forms()
    if len(forms) != 1:
        found = ", ".join(forms) if forms else "none"
        ctx.report("DS220", condition.loc, f"a condition needs exactly one form (present, absent, attribute with "
                                           f"equals/one_of, all, any, not, named with text); found {found}")
    # A prose condition (named + text) is printed as written and reported "not checkable" by verify.
    if condition.named is not None and not (condition.text or "").strip():
        ctx.report("DS221", condition.at("named"), "a 'named' condition needs 'text': the condition as the "
                                                   "standard words it, e.g. 'Required if time synchronization was "
                                                   "applied.'")
    elif condition.named is None and condition.text is not None:
        ctx.report("DS221", condition.at("text"), "'text' belongs to a 'named' condition (an identifier such as "
                                                  "time-synchronized); use condition_note for free text beside a "
                                                  "structured condition")
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


# --- the values compared ---------------------------------------------------------------------------------------


def _compared_values(ctx: Context, condition: Condition, module: Module | None) -> None:
    values = [condition.equals] if condition.equals is not None else list(condition.one_of or [])
    keyword = condition.attribute.split(">")[-1].strip()
    where = condition.at("equals" if condition.equals is not None else "one_of")
    enumerated, defined, whose = _own_lists(ctx, keyword, module)
    if enumerated:
        for value in values:
            if value not in enumerated:
                ctx.unknown("DS223", where, "value", value, f"{keyword} has no Enumerated Value {value!r} {whose}"
                                                            f"{_listing(value, enumerated)}")
    elif defined:
        for value in values:
            if value not in defined:
                ctx.unknown("DS243", where, "value", value, f"{value!r} is none of the Defined Terms {whose} for "
                                                            f"{keyword}{_listing(value, defined)}")
    elif condition.value_index is None and ctx.index.element(keyword) is not None \
            and not ctx.index.element(keyword).new:
        standard = set(_baseline_values(keyword)) | _amended_terms(ctx)
        if standard:
            for value in values:
                if value not in standard:
                    ctx.unknown("DS244", where, "value", value,
                                f"{value!r} is none of the values the standard lists for {keyword} in any module"
                                f"{_listing(value, sorted(standard))}")
    element = ctx.index.element(keyword)
    if element is not None:
        for value in values:
            if problem := syntax.value_for_vr(value, element.vr):
                ctx.report("DS216", where, f"{keyword} cannot have the value {value!r}: it {problem}")


def _listing(value: str, allowed) -> str:
    """``; did you mean 'X'?`` or ``; its values are A, B`` (the first few)."""
    allowed = list(allowed)
    close = suggest(value, allowed)
    if close:
        return close
    shown = ", ".join(allowed[:8]) + (" …" if len(allowed) > 8 else "")
    return f"; its values are {shown}"


def _own_lists(ctx: Context, keyword: str, module: Module | None) -> tuple[list[str], list[str], str]:
    """The Enumerated Values and Defined Terms this supplement lists for ``keyword``: in the condition's own
    module when it has the attribute, else in any module of the supplement (with words saying where)."""
    def lists(modules: list[Module]) -> tuple[list[str], list[str]]:
        enumerated: list[str] = []
        defined: list[str] = []
        for each in modules:
            for row in rows(each.attributes):
                if isinstance(row, Attribute) and row.attribute == keyword:
                    enumerated += [v.value for v in row.enumerated_values]
                    defined += [v.value for v in row.defined_terms]
        return list(dict.fromkeys(enumerated)), list(dict.fromkeys(defined))

    if module is not None:
        enumerated, defined = lists([module])
        if enumerated or defined:
            return enumerated, defined, f"in the {module.name} {module.kind.title()}"
    enumerated, defined = lists(ctx.supplement.modules)
    return enumerated, defined, "in this supplement"


@store.per_baseline
def _baseline_values(keyword: str) -> tuple[str, ...]:
    """Every Enumerated Value and Defined Term the baseline lists for ``keyword``, in any module or macro."""
    found: dict[str, None] = {}
    for name, _type in baseline.attribute_uses(keyword):
        module = baseline.entry_module(name)
        for row in rows(module.attributes) if module is not None else ():
            if isinstance(row, Attribute) and row.attribute == keyword:
                found.update(dict.fromkeys(v.value for v in (*row.enumerated_values, *row.defined_terms)))
    return tuple(found)


def _amended_terms(ctx: Context) -> set[str]:
    """Terms this supplement adds to existing lists by amendment (e.g. a new Modality)."""
    return {entry.value for amendment in ctx.supplement.amendments for change in amendment.changes
            if change.terms is not None for entry in change.terms.entries}


# --- whole conditions: can they hold? ---------------------------------------------------------------------------


def check_condition_logic(ctx: Context) -> None:
    """Every condition of the supplement: satisfiable, not always true, not about its own attribute, and with
    a ``value_index`` within the Value Multiplicity of the attribute it compares."""
    for owner, condition, governed in _conditions(ctx):
        _satisfiable(ctx, condition)
        _value_indexes(ctx, condition)
        if governed is not None:
            _self_reference(ctx, condition, governed, owner)


def _conditions(ctx: Context) -> Iterator[tuple[str, Condition, str | None]]:
    """``(what the condition is of, condition, keyword of the attribute it governs or None)``."""
    for module in ctx.supplement.modules:
        for row in rows(module.attributes):
            if isinstance(row, Attribute) and row.condition is not None:
                yield row.attribute, row.condition, row.attribute if ctx.readable(row, "attribute") else None
    for iod in ctx.supplement.iods:
        for use in iod.modules:
            if use.condition is not None:
                yield f"the {use.module} Module", use.condition, None
        for group in iod.functional_groups:  # enhanced multi-frame IODs
            if group.condition is not None:
                yield f"the {group.macro} Functional Group Macro", group.condition, None


#: One test of a condition, normalized: ``("present", path)`` or ``("values", path, index, frozenset)``.
Atom = tuple


def _atoms(condition: Condition) -> tuple[list[Atom], list[Atom]]:
    """What must hold and what must not, when ``condition`` holds (only the forms whose meaning is plain)."""
    if condition.named is not None or len(condition.forms()) != 1:
        return [], []
    if condition.present is not None:
        return [("present", _key(condition.present))], []
    if condition.absent is not None:
        return [], [("present", _key(condition.absent))]
    if condition.attribute is not None and (condition.equals is None) != (condition.one_of is None):
        values = frozenset([condition.equals] if condition.equals is not None else condition.one_of or [])
        return [("values", _key(condition.attribute), condition.value_index or 0, values)], []
    if condition.all is not None:
        holds: list[Atom] = []
        fails: list[Atom] = []
        for part in condition.all:
            more_holds, more_fails = _atoms(part)
            holds += more_holds
            fails += more_fails
        return holds, fails
    if condition.not_ is not None:
        holds, fails = _atoms(condition.not_)
        if len(holds) + len(fails) == 1:  # not of one test: the test fails (a not of several says less)
            return fails, holds
    return [], []


def _key(path: str) -> str:
    return re.sub(r"\s*>\s*", ">", path.strip())


def _contradiction(holds: list[Atom], fails: list[Atom]) -> str | None:
    """Why the tests ``holds`` cannot all hold while ``fails`` all fail (None when they can)."""
    present = {a[1] for a in holds if a[0] == "present"} | {a[1] for a in holds if a[0] == "values"}
    absent = {a[1] for a in fails if a[0] == "present"}
    for path in sorted(present & absent):
        return f"{path} would have to be both present and absent"
    allowed: dict[tuple[str, int], frozenset] = {}
    for atom in holds:
        if atom[0] == "values":
            key = (atom[1], atom[2])
            if key in allowed and not (allowed[key] & atom[3]):
                which = f"value {atom[2]} of {atom[1]}" if atom[2] else atom[1]
                return (f"{which} would have to be {_either(allowed[key])} and also {_either(atom[3])}")
            allowed[key] = allowed.get(key, atom[3]) & atom[3]
    for atom in fails:
        if atom[0] == "values" and (atom[1], atom[2]) in allowed and allowed[(atom[1], atom[2])] <= atom[3]:
            which = f"value {atom[2]} of {atom[1]}" if atom[2] else atom[1]
            return f"{which} would have to be {_either(allowed[(atom[1], atom[2])])} and not {_either(atom[3])}"
    return None


def _either(values: frozenset) -> str:
    shown = sorted(values)
    return repr(shown[0]) if len(shown) == 1 else "one of " + ", ".join(repr(v) for v in shown)


def _satisfiable(ctx: Context, condition: Condition) -> None:
    """Report the innermost ``all`` that can never hold, and an ``any`` that always holds (a test and its not)."""
    for part in (condition.all or []) + (condition.any or []) + ([condition.not_] if condition.not_ else []):
        _satisfiable(ctx, part)
    if condition.all:
        if any(_never(part) for part in condition.all):
            return  # reported at the part
        holds, fails = _atoms(condition)
        why = _contradiction(holds, fails)
        if why is not None:
            ctx.report("DS245", ctx.at(condition, "all"), f"this condition can never hold: {why}; the attribute "
                                                          "(or module) could never be required")
    if condition.any:
        for number, part in enumerate(condition.any, 1):
            negated = Condition(not_=part)
            for other in condition.any[number:]:
                if other == negated or part == Condition(not_=other) or _opposite(part, other):
                    ctx.report("DS246", ctx.at(condition, "any"), "this condition always holds: it lists a test "
                                                                  "and its opposite; it is the same as no condition")
                    return


def _opposite(one: Condition, other: Condition) -> bool:
    """``present: X`` and ``absent: X``, either way round."""
    return bool((one.present and _key(one.present) == _key(other.absent or ""))
                or (one.absent and _key(one.absent) == _key(other.present or "")))


def _never(condition: Condition) -> bool:
    if not condition.all:
        return False
    if any(_never(part) for part in condition.all):
        return True
    return _contradiction(*_atoms(condition)) is not None


def _self_reference(ctx: Context, condition: Condition, keyword: str, owner: str) -> None:
    """A condition of attribute X that tests X itself (not X inside some sequence): it can never decide."""
    for part in _walk(condition):
        for name in ("present", "absent", "attribute"):
            path = getattr(part, name)
            if path is not None and _key(path) == keyword:
                ctx.report("DS247", ctx.at(part, name), f"the condition of {owner} tests {keyword} itself; a "
                                                        "condition says when an attribute is required from other "
                                                        "attributes (or write Type 1, 2 or 3)")
                return


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    for part in (condition.all or []) + (condition.any or []) + ([condition.not_] if condition.not_ else []):
        yield from _walk(part)


def max_values(vm: str) -> int | None:
    """The most values a Value Multiplicity allows (None: no limit, or not a VM)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d*)\s*(n?))?\s*", vm)
    if match is None:
        return None
    low, high, unbounded = match.groups()
    if unbounded:
        return None
    return int(high) if high else int(low)


def _value_indexes(ctx: Context, condition: Condition) -> None:
    for part in _walk(condition):
        if part.value_index is None or part.value_index < 1 or part.attribute is None:
            continue
        keyword = part.attribute.split(">")[-1].strip()
        element = ctx.index.element(keyword)
        if element is None:
            continue  # reported as unknown
        vms = [v.strip() for v in re.split(r"\bor\b", element.vm)]
        limits = [max_values(v) for v in vms]
        if None in limits:
            continue
        most = max(limits)
        if part.value_index > most:
            source = "this supplement's data_elements" if element.new else "PS3.6"
            ctx.report("DS248", ctx.at(part, "value_index"), f"value_index {part.value_index} is beyond the VM "
                                                             f"{element.vm} of {keyword} ({source}): it has at most "
                                                             f"{most} value{'s' * (most != 1)}")
