"""Rules of the example instances (``DS6xx``): names that make file names, IODs and keywords that exist."""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_tools.check.context import Context
from build_tools.check.references import suggest
from build_tools.core.errors import Loc


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
        if ctx.index.iod(example.iod) is None:
            iod_names = [i.name for i in ctx.supplement.iods]
            ctx.unknown("DS603", ctx.at(example, "iod"), "iod", example.iod,
                        f"no IOD {example.iod!r} in 'iods'{suggest(example.iod, iod_names)}")
        for keyword in _value_keys(example.values):
            if ctx.index.element(keyword) is None:
                ctx.unknown("DS604", example.at("values"), "element", keyword,
                            f"values: {keyword!r} is no data element keyword of this supplement or PS3.6"
                            f"{suggest(keyword, ctx.refs.element_keywords)}")


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
