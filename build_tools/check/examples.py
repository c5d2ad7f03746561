"""Rules of the example instances (``DS6xx``): names that make file names, IODs and keywords that exist, frames
of enhanced multi-frame IODs, prose conditions chosen per variant, value counts the VM allows.

Also what the example generator shares with these rules: :func:`vm_bounds` (a VM read as numbers) and
:func:`prose_conditions` (the ``named`` conditions an IOD's instances meet). An IOD's functional group macros are
expanded by :func:`build_tools.iod.walk.functional_group_rules`, as verify expands them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_tools.check.context import Context
from build_tools.check.references import suggest
from build_tools.core.errors import Loc
from build_tools.core.model import IOD, Condition
from build_tools.iod.walk import Rule, functional_group_rules, iod_rules, named_in
from build_tools.standard.index import Index


def check_examples(ctx: Context) -> None:
    names: dict[str, Loc] = {}
    for example in ctx.supplement.examples:
        where = ctx.at(example, "name")
        if where is not None:
            if example.name in names:
                ctx.report("DS601", where, f"example {example.name!r} is already defined at {names[example.name]}")
            names.setdefault(example.name, where)
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", example.name or "-"):
                ctx.report("DS602", where, f"example name {example.name!r} should be lower-case letters, digits "
                                           "and hyphens (it becomes a file name)")
            if len(example.name) > MAX_NAME:
                ctx.report("DS605", where, f"example name is {len(example.name)} characters long; keep it to "
                                           f"{MAX_NAME} (it becomes the stem of file names)")
        _image_size(ctx, example)
        iod = ctx.index.iod(example.iod)
        if iod is not None:
            _enumerated_values(ctx, example, iod)
        else:
            iod_names = [i.name for i in ctx.supplement.iods]
            ctx.unknown("DS603", ctx.at(example, "iod"), "iod", example.iod,
                        f"no IOD {example.iod!r} in 'iods'{suggest(example.iod, iod_names)}")
        for keyword in _value_keys(example.values):
            if ctx.index.element(keyword) is None:
                ctx.unknown("DS604", example.at("values"), "element", keyword,
                            f"values: {keyword!r} is no data element keyword of this supplement or PS3.6"
                            f"{suggest(keyword, ctx.refs.element_keywords)}")
        _value_counts(ctx, example.values, example.at("values"), "values")
        for number, frame in enumerate(example.frames or [], 1):
            if isinstance(frame, dict):
                _value_counts(ctx, frame, example.at("frames"), f"frames[{number}]")
                for keyword in (k for value in frame.values() for k in _value_keys(value)):  # in items
                    if ctx.index.element(keyword) is None:
                        ctx.unknown("DS604", example.at("frames"), "element", keyword,
                                    f"frames[{number}]: {keyword!r} is no data element keyword of this supplement "
                                    f"or PS3.6{suggest(keyword, ctx.refs.element_keywords)}")
        if iod is not None:
            _frames(ctx, example, iod)
            _conditions(ctx, example, iod)
    defaults = ctx.supplement.example_defaults or {}
    if isinstance(defaults, dict):
        for keyword in _value_keys(defaults):
            if ctx.index.element(keyword) is None:
                ctx.unknown("DS604", ctx.supplement.at("example_defaults"), "element", keyword,
                            f"example_defaults: {keyword!r} is no data element keyword of this supplement or PS3.6"
                            f"{suggest(keyword, ctx.refs.element_keywords)}")
        _value_counts(ctx, defaults, ctx.supplement.at("example_defaults"), "example_defaults")


#: Longest example name: it is a file stem, and file names are limited to 255 bytes.
MAX_NAME = 100
#: Largest Rows or Columns of an example: pictures are drawn in memory.
MAX_IMAGE = 4096


def _image_size(ctx: Context, example) -> None:
    for keyword in ("Rows", "Columns"):
        value = example.values.get(keyword) if isinstance(example.values, dict) else None
        if value is None:
            continue
        try:
            number = int(str(value))
        except ValueError:
            continue  # not a number: the verifier of the built example reports the value
        if not 1 <= number <= MAX_IMAGE:
            ctx.report("DS606", example.at("values"), f"values: {keyword} {number} is outside 1 to {MAX_IMAGE}; "
                                                      "examples are drawn in memory, so keep them small")


def _enumerated_values(ctx: Context, example, iod) -> None:
    """Top-level values must be among the Enumerated Values the IOD gives their attribute (constraints included)."""
    if not isinstance(example.values, dict):
        return
    allowed: dict[str, list[str]] = {}
    for module in iod_rules(iod, ctx.index):
        for rule in module.rules:
            if rule.enumerated and rule.keyword in example.values:
                allowed.setdefault(rule.keyword, rule.enumerated)
    for keyword, values in allowed.items():
        given = example.values[keyword]
        # One value only: Enumerated Values of a multi-valued attribute may apply to one of its values (Image Type).
        if given is None or isinstance(given, (dict, list)) or str(given) in values:
            continue
        # As an unknown value, so that a misspelled Enumerated Value written here and in conditions is one finding.
        ctx.unknown("DS607", example.at("values"), "value", str(given), f"values: {keyword} {str(given)!r} is not "
                                                                         f"among its Enumerated Values in this IOD "
                                                                         f"({', '.join(values)})")


def _value_keys(values) -> Iterator[str]:
    """The keywords of an example's values, including those inside sequence items (lists of mappings)."""
    if isinstance(values, dict):
        for key, value in values.items():
            yield key
            yield from _value_keys(value)
    elif isinstance(values, list):
        for item in values:
            if isinstance(item, dict):
                yield from _value_keys(item)


# --- What the generator shares: VMs, functional groups, prose conditions ------------------------------------------


def vm_bounds(vm: str | None) -> tuple[int, int | None, int]:
    """A VM as (fewest values, most values or None for ``n``, multiple): ``1-n`` is (1, None, 1), ``2-2n``
    (2, None, 2), ``4-5`` (4, 5, 1), ``6`` (6, 6, 1). Anything unreadable allows any count from 1."""
    text = (vm or "1").strip().split()[0] if (vm or "").strip() else "1"
    low, _, high = text.partition("-")
    if not low.isdigit():
        return 1, None, 1
    fewest = max(int(low), 1)
    if not high:
        return fewest, fewest, 1
    if high.isdigit():
        return fewest, max(int(high), fewest), 1
    step = high[:-1]
    return fewest, None, int(step) if step.isdigit() and int(step) > 0 else 1


def vm_allows(vm: str | None, count: int) -> bool:
    """Whether ``count`` values fit ``vm``."""
    fewest, most, step = vm_bounds(vm)
    return count >= fewest and (most is None or count <= most) and count % step == 0


def _named_in(condition: Condition | None) -> Iterator[Condition]:
    """The prose conditions inside ``condition`` that have an identifier (an empty one is the loader's error)."""
    return (inner for inner in named_in(condition) if inner.named)


def _rules_named(rules: list[Rule], own: bool) -> Iterator[tuple[Condition, bool, str]]:
    for rule in rules:
        written = own or rule.row.loc.file not in ("", "<builtin>")
        for condition in _named_in(rule.condition):
            yield condition, written, rule.keyword
        yield from _rules_named(rule.items, own)


def prose_conditions(iod: IOD, index: Index) -> dict[str, tuple[Condition, bool, str]]:
    """Every ``named`` condition met in an instance of ``iod``: of its module rows, functional group rows and
    attributes (macros expanded), by identifier, with whether the supplement wrote it (not the catalog) and what
    it decides (a module, macro or attribute)."""
    found: dict[str, tuple[Condition, bool, str]] = {}

    def add(condition: Condition, own: bool, what: str) -> None:
        known = found.get(condition.named or "")
        if known is None or (own and not known[1]):
            found[condition.named or ""] = (condition, own, what)

    for use in iod.modules:
        for condition in _named_in(use.condition):
            add(condition, True, f"module {use.module}")
    for module in iod_rules(iod, index):
        for condition, own, keyword in _rules_named(module.rules, False):
            add(condition, own, f"attribute {keyword}")
    for group in functional_group_rules(iod, index):
        for condition in _named_in(group.use.condition):
            add(condition, True, f"functional group macro {group.use.macro}")
        for condition, own, keyword in _rules_named(group.rules, False):
            add(condition, own, f"attribute {keyword}")
    return found


# --- Frames, conditions and value counts of a variant -------------------------------------------------------------


def _frames(ctx: Context, example, iod: IOD) -> None:
    """Frames only for an IOD with functional groups, each path naming attributes of its functional group macros."""
    frames = example.frames or []
    if not frames:
        return
    groups = functional_group_rules(iod, ctx.index)
    if not groups:
        ctx.report("DS610", ctx.at(example, "frames"), f"frames: IOD {iod.name!r} has no functional group macros, "
                                                       "so there is no Per-Frame Functional Groups Sequence to "
                                                       "hold them; give the values in 'values'")
        return
    top = [rule for group in groups for rule in group.rules]
    for frame in frames:
        for path in (frame if isinstance(frame, dict) else {}):
            problem = _path_problem(str(path), top)
            if problem:
                ctx.report("DS611", ctx.at(example, "frames"), f"frames: {path!r} {problem}")


def _path_problem(path: str, rules: list[Rule]) -> str | None:
    """Why a keyword path (``FrameContentSequence>DimensionIndexValues``) names no attribute of ``rules``."""
    parts = [p.strip() for p in path.split(">")]
    level = rules
    for depth, part in enumerate(parts):
        match = next((rule for rule in level if rule.keyword == part), None)
        if match is None:
            where = "the IOD's functional group macros" if depth == 0 else f"the items of {parts[depth - 1]}"
            return f"names no attribute of {where}{suggest(part, [rule.keyword for rule in level])}"
        level = match.items
    return None


def _conditions(ctx: Context, example, iod: IOD) -> None:
    """``conditions`` names prose conditions of the IOD; one the supplement wrote and the variant leaves open is
    left out of the example, which is said."""
    known = prose_conditions(iod, ctx.index)
    chosen = example.conditions if isinstance(example.conditions, dict) else {}
    for named in chosen:
        if named not in known:
            ctx.unknown("DS612", ctx.at(example, "conditions"), "condition", str(named),
                        f"conditions: {named!r} is no prose ('named') condition of IOD {iod.name!r}"
                        f"{suggest(str(named), sorted(known))}")
    for named, (_condition, own, what) in sorted(known.items()):
        if own and named not in chosen:
            ctx.report("DS613", ctx.at(example, "name"), f"example {example.name!r} does not say whether prose "
                                                         f"condition {named!r} holds, so the {what} it decides is "
                                                         f"left out; add it to 'conditions' (true or false)")


def _value_counts(ctx: Context, values, where: Loc | None, label: str) -> None:
    """Each value list (and each value inside sequence items) has a count its data element's VM allows."""
    if not isinstance(values, dict):
        return
    for keyword, value in values.items():
        leaf = str(keyword).split(">")[-1].strip()
        element = ctx.index.element(leaf)
        if element is None or value is None:
            continue
        if element.vr == "SQ":
            for item in value if isinstance(value, list) else []:
                _value_counts(ctx, item, where, label)
            continue
        count = len(value) if isinstance(value, list) else 1
        if isinstance(value, list) and count == 0:
            continue
        if not vm_allows(element.vm, count):
            ctx.report("DS614", where, f"{label}: {keyword} has {count} value{'s' * (count != 1)}; its VM is "
                                       f"{element.vm}")
