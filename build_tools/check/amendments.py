"""Rules of amendments (``DS4xx``): where each amendment goes, and that each change says one thing."""

from __future__ import annotations

from build_tools.check.context import Context
from build_tools.core import syntax
from build_tools.core.model import Change


def check_amendments(ctx: Context) -> None:
    for amendment in ctx.supplement.amendments:
        if problem := syntax.section(amendment.section):
            ctx.report("DS401", ctx.at(amendment, "section"), f"section {amendment.section!r} {problem}")
        if amendment.table is not None and (problem := syntax.table(amendment.table)):
            ctx.report("DS401", amendment.at("table"), f"table {amendment.table!r} {problem}")
        if not amendment.changes:
            ctx.report("DS402", amendment.at("changes"), "an amendment needs at least one change")
        for change in amendment.changes:
            _change(ctx, change)


def _change(ctx: Context, change: Change) -> None:
    forms = [name for name, given in (("old/new", change.old is not None or change.new is not None),
                                      ("ellipsis", change.ellipsis), ("terms", change.terms is not None),
                                      ("table", change.table is not None)) if given]
    if len(forms) != 1:
        ctx.report("DS403", change.loc, "a change needs exactly one form (old/new, ellipsis, terms or table); found "
                                        + (", ".join(forms) or "none"))
    if change.old is not None and change.new is not None and \
            " ".join(change.old.text.split()) == " ".join(change.new.text.split()):
        ctx.report("DS404", change.at("new"), "'old' and 'new' are the same text; nothing changes")
    if change.terms is not None:
        seen: set[str] = set()
        for term in change.terms.entries:
            if term.value in seen:
                ctx.report("DS405", ctx.at(term, "value"), f"term {term.value!r} is listed twice")
            seen.add(term.value)
    if change.table is not None:
        width = len(change.table.columns)
        if not width:
            ctx.report("DS406", change.table.at("columns"), "an amended table needs its column headings")
        for row in change.table.rows:
            if row.old is None and row.new is None:
                ctx.report("DS407", row.loc, "a table row needs 'old', 'new' or both")
            for name in ("old", "new"):
                cells = getattr(row, name)
                if cells is not None and width and len(cells) != width:
                    ctx.report("DS408", row.at(name), f"row has {len(cells)} cells but the table has {width} columns")
            if row.old is not None and row.old == row.new:
                ctx.report("DS404", row.at("new"), "'old' and 'new' are the same cells; nothing changes")
