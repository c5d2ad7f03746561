"""Rules of the prose fields (``DS5xx``): markup, references, full stops, and ``{value:…}`` references.

The references themselves are resolved by :mod:`build_tools.check.references`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from build_tools.check.context import Context, rows
from build_tools.check.references import suggest
from build_tools.core import prose
from build_tools.core.errors import Finding
from build_tools.core.model import Attribute, Located, Module, Prose

#: Fields whose text is written in sentences (a paragraph without a final full stop is a warning).
SENTENCE_FIELDS = frozenset({"description", "body", "definition", "scope", "foreword", "entity_relationship",
                             "notes", "condition_note", "resolution", "summary", "question", "instruction"})


def check_prose(ctx: Context) -> None:
    """Every prose field: its markup parses, its references resolve, its paragraphs end as sentences."""
    for name, text in _prose_fields(ctx.supplement):
        markup: list[Finding] = []
        blocks = prose.parse(text, markup)
        for finding in markup:  # the parser knows no codes: its findings are all markup errors
            ctx.report("DS501", finding.loc, finding.message)
        for ref in prose.refs(blocks):
            ctx.refs.check(ref)
        if name in SENTENCE_FIELDS:
            for block in blocks:
                if isinstance(block, (prose.Para, prose.Note)) and not _ends_sentence(block.inlines):
                    ctx.report("DS530", text.loc, f"{name}: a paragraph does not end with a full stop: "
                                                  f"{_tail(block.inlines)!r}")


# --- {value:…} references -------------------------------------------------------------------------------------


def check_value_refs(ctx: Context) -> None:
    """A ``{value:X}`` in a module's text should be a listed value of an attribute the text is about.

    Checked against the Enumerated Values and Defined Terms of every attribute of the same module and of the
    attributes the text names with ``{de:…}``; in an IOD constraint's description, against the constraint's
    ``values``. Not checked when the text names an attribute whose values this supplement does not list (a
    baseline attribute such as Modality, or one with free-text values): X may then be one of its values, which are
    not at hand.
    """
    listed: dict[str, set[str]] = {}
    for module in ctx.supplement.modules:
        for row in rows(module.attributes):
            if isinstance(row, Attribute):
                listed.setdefault(row.attribute, set()).update(_listed(row))
    for module in ctx.supplement.modules:
        in_module = [v for row in rows(module.attributes) if isinstance(row, Attribute) for v in _listed(row)]
        for row, text in _value_texts(module):
            own = _listed(row) if row is not None else []
            _value_refs(ctx, text, [*own, *in_module], listed,
                        f"{row.attribute} or any other attribute of the {module.name} {module.kind.title()}"
                        if row is not None else f"any attribute of the {module.name} {module.kind.title()}")
    for iod in ctx.supplement.iods:
        for constraint in iod.constraints:
            if constraint.description is not None and constraint.values:
                # In the IOD, the constrained attribute has the constraint's values (a module's may be wider).
                _value_refs(ctx, constraint.description, list(constraint.values),
                            {**listed, constraint.attribute: set(constraint.values)},
                            f"the values the {iod.name} IOD allows for {constraint.attribute}")


def _value_refs(ctx: Context, text: Prose, values: list[str], listed: dict[str, set[str]], whose: str) -> None:
    refs = prose.refs(prose.parse(text, []))  # markup problems are reported once, by check_prose
    named = [ref.target for ref in refs if ref.ref == "de"]
    if any(not listed.get(keyword) for keyword in named):
        return  # the text is (also) about an attribute whose values are not listed here
    candidates = list(dict.fromkeys([*values, *(v for keyword in named for v in sorted(listed[keyword]))]))
    if not candidates:
        return
    for ref in refs:
        if ref.ref == "value" and ref.target not in candidates:
            shown = ", ".join(candidates[:8]) + (" …" if len(candidates) > 8 else "")
            ctx.unknown("DS520", ref.loc, "value", ref.target,
                        f"{{value:{ref.target}}} is not an Enumerated Value or Defined Term of {whose}"
                        f"{suggest(ref.target, candidates) or f'; the listed values are {shown}'}")


def _listed(row: Attribute) -> list[str]:
    """The Enumerated Values and Defined Terms of an attribute row."""
    return [v.value for v in (*row.enumerated_values, *row.defined_terms)]


def _value_texts(module: Module) -> Iterator[tuple[Attribute | None, Prose]]:
    """The prose of a module that may write ``{value:…}``, each with its attribute row (None: module-wide text)."""
    if module.description is not None:
        yield None, module.description
    for description in module.attribute_descriptions:
        yield None, description.body
    for row in rows(module.attributes):
        if isinstance(row, Attribute):
            for text in (row.description, row.notes, row.condition_note,
                         *(v.meaning for v in (*row.enumerated_values, *row.defined_terms))):
                if text is not None:
                    yield row, text


# --- prose fields and sentences -------------------------------------------------------------------------------


def _prose_fields(obj, name: str = "") -> Iterator[tuple[str, Prose]]:
    """Every prose value of the model, with the name of its field."""
    if isinstance(obj, Prose):
        yield name, obj
    elif isinstance(obj, list):
        for item in obj:
            yield from _prose_fields(item, name)
    elif isinstance(obj, Located) and dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if not f.metadata.get("internal"):
                yield from _prose_fields(getattr(obj, f.name), f.name)


def _ends_sentence(inlines: tuple) -> bool:
    if not inlines:
        return True
    last = inlines[-1]
    while isinstance(last, prose.Emphasis) and last.children:
        last = last.children[-1]
    if not isinstance(last, prose.Text):
        return False
    return re.search(r"[.!?:;][)\"'”’]*\s*$", last.text) is not None


def _tail(inlines: tuple) -> str:
    text = prose.plain(inlines).strip()
    return ("…" + text[-40:]) if len(text) > 40 else text
