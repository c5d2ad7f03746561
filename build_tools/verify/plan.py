"""What the verifier knows about an IOD before it sees a file, compiled once per run and IOD.

A :class:`Plan` holds the IOD's expanded rules (:mod:`build_tools.iod.walk`) arranged for checking: per dataset
level the rules grouped by attribute, with the tag and dictionary entry looked up, the verdict of rules that need
no condition, the listed values normalized, and the set of tags the level defines. Levels are built lazily (an
item's level the first time a file has that sequence) and kept, so the thousandth file costs only its own checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pydicom.tag import BaseTag

from build_tools.core.model import IOD
from build_tools.core.tags import tag_text
from build_tools.iod.evaluate import normalize
from build_tools.iod.walk import (FunctionalGroupRules, ModuleRules, Rule, functional_group_rules, iod_rules,
                                  resolver)
from build_tools.standard.index import Element, Index
from build_tools.standard.rows import BaselineAttribute

#: The verdict of a rule whose type alone decides it.
FIXED_VERDICTS = {"1": "value", "2": "present", "3": "optional"}


@dataclass
class Group:
    """The rules of one attribute at one level (the same keyword may come from several macros)."""

    keyword: str
    info: Element
    rules: list[Rule]
    #: The group's verdicts when no rule needs a condition (None: evaluated per file).
    fixed: tuple[str, ...] | None
    #: Per rule: the normalized Enumerated Values and Defined Terms.
    listed: list[tuple[frozenset[str], frozenset[str]]]

    def __post_init__(self) -> None:
        self.tag = BaseTag(self.info.tag)  # pydicom looks up its own tag type several times faster than an int
        self.key = int(self.info.tag)  # the key of :meth:`~build_tools.verify.checker.Checker.elements`
        self.text = tag_text(self.key)  # (gggg,eeee), as the findings name it
        self.has_listed = any(enumerated or defined for enumerated, defined in self.listed)
        self.need_value: Rule | None = None  # the rule that needs a value
        self.need: Rule | None = None  # the rule that needs the attribute present
        self.strict: Rule | None = None  # the rule by which an empty value is an error
        self.allowed = False
        if self.fixed is not None:  # what the checker would work out for every file, worked out once
            pairs = list(zip(self.rules, self.fixed))
            self.need_value = next((r for r, v in pairs if v == "value"), None)
            self.need = self.need_value or next((r for r, v in pairs if v == "present"), None)
            self.allowed = any(v in ("value", "present", "optional") for _r, v in pairs)
            self.strict = self.need_value or next((r for r, v in pairs if r.type in ("1", "1C") and v != "absent"),
                                                  None)

    @cached_property
    def items(self) -> "Level":
        """The level of the group's sequence items."""
        return Level([r for rule in self.rules for r in rule.items])

    @cached_property
    def item_counts(self) -> set[str]:
        return {rule.row.item_count for rule in self.rules if rule.row.item_count}


class Level:
    """The rules of one dataset (top level or a sequence item), grouped by attribute in the order written."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self._groups: list[Group] | None = None

    def groups(self, index: Index) -> list[Group]:
        if self._groups is None:
            by_keyword: dict[str, list[Rule]] = {}
            for rule in self.rules:
                by_keyword.setdefault(rule.keyword, []).append(rule)
            groups = []
            for keyword, rules in by_keyword.items():
                info = index.element(keyword)
                if info is None:
                    continue  # reported as a DV203 problem of the plan
                fixed = None
                if all(r.forbidden or (r.type in FIXED_VERDICTS and not r.guards) for r in rules):
                    fixed = tuple("absent" if r.forbidden else FIXED_VERDICTS[r.type] for r in rules)
                listed = [(frozenset(normalize(v) for v in r.enumerated), frozenset(normalize(v) for v in r.defined))
                          for r in rules]
                groups.append(Group(keyword, info, rules, fixed, listed))
            self._groups = groups
        return self._groups

    @cached_property
    def defined(self) -> frozenset[int]:
        return frozenset(r.tag for r in self.rules if r.tag is not None)


def from_baseline(rule: Rule) -> bool:
    """Whether the rule is a row of the baseline catalog (whose unencoded conditions are summed up per file)."""
    return isinstance(rule.row, BaselineAttribute)


@dataclass
class ModulePlan:
    rules: ModuleRules
    own_tags: frozenset[int]  # the tags whose presence shows the module is present
    demanding: bool  # whether any rule is Type 1 or 2 (a module of Type 3 rules only may look absent)


@dataclass
class Plan:
    """Everything about one IOD that does not depend on the file."""

    iod: IOD
    index: Index
    modules: list[ModulePlan]
    problems: list[str]
    functional_groups: list[FunctionalGroupRules]
    complete: bool  # every module found: what the IOD defines is fully known
    resolve: object = None
    _levels: dict[tuple[int, ...], Level] = field(default_factory=dict)

    def level(self, present: tuple[int, ...]) -> Level:
        """The top level for the modules present (by their position): few combinations occur."""
        found = self._levels.get(present)
        if found is None:
            found = self._levels[present] = Level([r for i in present for r in self.modules[i].rules.rules])
        return found

    @cached_property
    def defined(self) -> frozenset[int]:
        return frozenset(r.tag for m in self.modules for r in m.rules.rules if r.tag is not None)

    @cached_property
    def functional_group_levels(self) -> list[Level]:
        return [Level(fg.rules) for fg in self.functional_groups]

    @cached_property
    def functional_group_tags(self) -> frozenset[int]:
        return frozenset(tag for fg in self.functional_groups for tag in fg.tags)


def compile_plan(iod: IOD, index: Index) -> Plan:
    """The plan of ``iod``, once per index (every file of a run with that IOD shares it)."""
    cache = index.__dict__.setdefault("_verify_plans", {})
    found = cache.get(id(iod))
    if found is not None and found.iod is iod:
        return found
    problems: list[str] = []
    modules = iod_rules(iod, index, problems)
    groups = functional_group_rules(iod, index, problems)
    mandatory = {r.keyword for m in modules if m.use.usage == "M" for r in m.rules}
    plans = []
    for module in modules:
        keywords = {r.keyword for r in module.rules}
        own = keywords - (mandatory if module.use.usage != "M" else set()) or keywords
        tags = frozenset(r.tag for r in module.rules if r.keyword in own and r.tag is not None)
        plans.append(ModulePlan(module, tags, any(r.type in ("1", "2") for r in module.rules)))
    plan = Plan(iod, index, plans, problems, groups, all(m.module is not None for m in modules), resolver(index))
    cache[id(iod)] = plan
    return plan
