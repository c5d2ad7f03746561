"""What an IOD asks of an instance, flattened from the model: the rules that the example generator fills in and the
verifier checks.

An IOD's module table names modules of the supplement or of the baseline catalog; their attribute tables include
macros, whose attributes include more macros and sequence items. :func:`iod_rules` expands all of that into one
tree of :class:`Rule` per module, and applies the IOD's constraints (restricted values, a changed type, forbidden
attributes). Nothing here is a hand-written list: every rule comes from the model and the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from build_tools.standard import baseline
from build_tools.standard.index import Index, uid_keyword
from build_tools.core.model import (IOD, Attribute, Condition, FunctionalGroupUse, Include, Module, ModuleUse,
                                    Supplement)


@dataclass
class Rule:
    """One attribute row as it applies in one module of one IOD (includes resolved)."""

    keyword: str
    type: str
    module: str
    row: Attribute
    tag: int | None  # None when the keyword is in neither the supplement nor the dictionary
    items: list["Rule"] = field(default_factory=list)
    values: list[str] | None = None  # an IOD constraint's Enumerated Values, which replace the row's
    forbidden: bool = False  # an IOD constraint forbids the attribute
    #: Conditions of the conditional includes (PS3.3 "Include ... if ...") that bring this row in at its level:
    #: the row applies only when all of them hold, and is not required otherwise.
    guards: tuple[Condition, ...] = ()

    @property
    def condition(self) -> Condition | None:
        return self.row.condition

    @property
    def enumerated(self) -> list[str]:
        if self.values is not None:
            return list(self.values)
        return [e.value for e in self.row.enumerated_values]

    @property
    def defined(self) -> list[str]:
        return [e.value for e in self.row.defined_terms]

    @property
    def value_index(self) -> int | None:
        """The value (1-based) that the Enumerated Values / Defined Terms apply to, when the row says (the
        baseline's rows do, e.g. Value 3 of Image Type); None: every value, or Value 1 of a multi-valued one."""
        index = getattr(self.row, "value_index", None)
        return index if isinstance(index, int) and index >= 1 else None

    @property
    def conditional(self) -> bool:
        return self.type in ("1C", "2C")

    @property
    def may_be_present_otherwise(self) -> bool:
        return self.row.otherwise == "may be present"


@dataclass
class ModuleRules:
    """A row of the IOD's module table with the expanded rules of its module."""

    use: ModuleUse
    module: Module | None
    rules: list[Rule]

    @property
    def name(self) -> str:
        return self.use.module


#: Bounds of one expansion. The largest IODs of the standard expand to a few thousand rules at a nesting depth
#: of about ten; a spec beyond these is a mistake (a macro included over and over), not a bigger IOD.
MAX_RULES = 50_000
MAX_DEPTH = 64


class _Budget:
    """What is left of one expansion's bounds, shared by its recursive calls."""

    def __init__(self) -> None:
        self.rules = MAX_RULES
        self.exhausted = False


def expand(rows: list, index: Index, module: str, problems: list[str] | None = None,
           seen: tuple[str, ...] = (), budget: _Budget | None = None, depth: int = 0,
           guards: tuple[Condition, ...] = ()) -> list[Rule]:
    """The rows of a module or item with every macro include replaced by the macro's own rows.

    A conditional include (the baseline's ``Include ... if ...`` rows) adds its condition to the ``guards`` of
    the rows it brings in at that level (not to the rows of their items, which apply whenever the item exists).

    A macro that includes itself (directly or through others) is reported and not followed; an expansion that
    would exceed :data:`MAX_RULES` rules or :data:`MAX_DEPTH` levels is reported once and cut, so that a spec
    whose macros include each other many times over cannot exhaust time or memory.
    """
    if problems is None:
        problems = []
    if budget is None:
        budget = _Budget()
    rules: list[Rule] = []
    for row in rows:
        if budget.exhausted:
            break
        if depth > MAX_DEPTH:
            budget.exhausted = True
            problems.append(f"{module}: macro includes and sequence items nest more than {MAX_DEPTH} levels deep "
                            f"(through {' > '.join(seen[-5:])}); expansion stopped")
            break
        if isinstance(row, Include):
            if row.include in seen:
                problems.append(f"macro {row.include} includes itself (through {' > '.join(seen)})")
                continue
            macro = index.module(row.include)
            if macro is None:
                problems.append(f"{module}: included macro {row.include!r} is neither in the supplement nor in "
                                "the baseline catalog")
                continue
            condition = getattr(row, "condition", None)
            rules.extend(expand(macro.attributes, index, module, problems, seen + (row.include,), budget,
                                depth + 1, guards + (condition,) if condition is not None else guards))
        elif isinstance(row, Attribute):
            budget.rules -= 1
            if budget.rules < 0:
                budget.exhausted = True
                problems.append(f"{module}: expands to more than {MAX_RULES} attribute rows (macros included "
                                f"many times over, last through {' > '.join(seen[-5:])}); expansion stopped")
                break
            items = expand(row.items, index, module, problems, seen, budget, depth + 1) if row.items else []
            element = index.element(row.attribute)
            if element is None:
                problems.append(f"{module}: {row.attribute!r} is neither a data element of the supplement nor of "
                                "the data dictionary")
            rules.append(Rule(row.attribute, row.type, module, row, element.tag if element else None, items,
                              guards=guards))
    return rules


def iod_rules(iod: IOD, index: Index, problems: list[str] | None = None) -> list[ModuleRules]:
    """Every module of ``iod`` with its expanded rules; IOD constraints applied to the top-level rules.

    Expanded once per IOD and index (the generator and the verifier of a build share it); callers must not
    change the rules they get.
    """
    cache = index.__dict__.setdefault("_iod_rules", {})
    if id(iod) not in cache:
        found: list[str] = []
        cache[id(iod)] = (iod, _iod_rules(iod, index, found), found)
    _iod, result, found = cache[id(iod)]
    if problems is not None:
        problems.extend(found)
    return result


def _iod_rules(iod: IOD, index: Index, problems: list[str]) -> list[ModuleRules]:
    result = []
    for use in iod.modules:
        module = index.module(use.module)
        if module is None:
            problems.append(f"module {use.module!r} of the IOD is neither in the supplement nor in the catalog")
            result.append(ModuleRules(use, None, []))
            continue
        rules = expand(module.attributes, index, use.module, problems, (use.module,))
        for constraint in iod.constraints:
            if constraint.module != use.module:
                continue
            for rule in rules:
                if rule.keyword != constraint.attribute:
                    continue
                if constraint.values is not None:
                    rule.values = list(constraint.values)
                if constraint.type is not None:
                    rule.type = constraint.type
                rule.forbidden = constraint.absent
        result.append(ModuleRules(use, module, rules))
    return result


@dataclass
class FunctionalGroupRules:
    """A row of the IOD's functional group macro table with the expanded rules of its macro: the top-level rules
    are the macro's sequence attributes (usually one, e.g. Pixel Measures Sequence), whose items hold the rest."""

    use: FunctionalGroupUse
    module: Module | None
    rules: list[Rule]

    @property
    def name(self) -> str:
        return self.use.macro

    @property
    def tags(self) -> frozenset[int]:
        return frozenset(r.tag for r in self.rules if r.tag is not None)

    @property
    def keywords(self) -> set[str]:
        """The keywords of the macro's top-level attributes (its sequence, e.g. PixelMeasuresSequence)."""
        return {rule.keyword for rule in self.rules}


def functional_group_macro(index: Index, name: str) -> Module | None:
    """The functional group macro ``name`` (written without the word Macro): the supplement's or the baseline's.

    The baseline keeps the word Macro where a module has the same name (``Cardiac Synchronization Macro``); the
    functional group macro is preferred over the module of the same name."""
    own = index.module(name)
    if own is not None and index.is_new_module(own):
        return own
    entry = baseline.entry(f"{name} Macro") if index.with_catalog else None
    if entry is not None and entry.kind == "functional group macro":
        return index.module(f"{name} Macro") or own
    return own


def functional_group_rules(iod: IOD, index: Index, problems: list[str] | None = None) -> list[FunctionalGroupRules]:
    """Every row of ``iod``'s functional group macro table with its macro's expanded rules (once per IOD and
    index, like :func:`iod_rules`); empty for an IOD that is not enhanced multi-frame."""
    cache = index.__dict__.setdefault("_fg_rules", {})
    if id(iod) not in cache:
        found: list[str] = []
        result = []
        for use in iod.functional_groups:
            macro = functional_group_macro(index, use.macro)
            if macro is None:
                found.append(f"functional group macro {use.macro!r} of the IOD is neither in the supplement nor in "
                             "the catalog")
                result.append(FunctionalGroupRules(use, None, []))
                continue
            result.append(FunctionalGroupRules(use, macro, expand(macro.attributes, index, use.macro, found,
                                                                  (use.macro,))))
        cache[id(iod)] = (iod, result, found)
    _iod, result, found = cache[id(iod)]
    if problems is not None:
        problems.extend(found)
    return result


def named_in(condition: Condition | None) -> Iterator[Condition]:
    """The ``named`` (prose) conditions inside ``condition``, itself included, at any depth."""
    if condition is None:
        return
    if condition.named is not None:
        yield condition
    for part in (condition.all or []) + (condition.any or []) + ([condition.not_] if condition.not_ else []):
        yield from named_in(part)


def named_conditions(condition: Condition | None) -> Iterable[str]:
    """The identifiers of the ``named`` (prose) conditions inside ``condition``, at any depth."""
    return (inner.named for inner in named_in(condition) if inner.named is not None)


def resolver(index: Index):
    """Keyword to tag through the supplement's index (its new data elements first), for :func:`evaluate`."""
    def resolve(keyword: str) -> int | None:
        element = index.element(keyword)
        return element.tag if element is not None else None
    return resolve


def sop_class_uid(supplement: Supplement, index: Index, iod_name: str) -> str | None:
    """The UID value of the Storage SOP Class of ``iod_name`` (supplement UIDs first, then the standard's)."""
    for sop_class in supplement.sop_classes:
        if sop_class.iod != iod_name:
            continue
        own = index.uid(sop_class.uid)
        if own is not None:
            return own.value
        standard = baseline.uid_by_keyword(sop_class.uid)
        if standard is not None:
            return standard.value
        if sop_class.uid.replace(".", "").isdigit():
            return sop_class.uid
    return None


def iod_for_sop_class(supplement: Supplement, index: Index, uid: str) -> IOD | None:
    """The IOD of the supplement stored by SOP Class ``uid``, if the supplement defines that SOP Class (a dict
    from UID to IOD, built on the first call for the index)."""
    table = index.__dict__.get("_iod_by_sop_class")
    if table is None or table[0] is not supplement:
        by_uid: dict[str, IOD | None] = {}
        for sop_class in supplement.sop_classes:
            value = sop_class_uid(supplement, index, sop_class.iod)
            if value is not None and value not in by_uid:  # the first SOP Class of a UID, as a scan found it
                by_uid[value] = index.iod(sop_class.iod)
        table = index.__dict__["_iod_by_sop_class"] = (supplement, by_uid)
    return table[1].get(uid)


def sop_class_names(supplement: Supplement) -> list[str]:
    return [uid_keyword(u) for u in supplement.uids if u.type == "SOP Class"]
