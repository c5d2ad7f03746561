"""Rules of the example instances (``DS6xx``): names that make file names, IODs and keywords that exist."""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_tools.check.context import Context
from build_tools.check.references import suggest
from build_tools.core.errors import Loc
from build_tools.iod.walk import iod_rules


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
