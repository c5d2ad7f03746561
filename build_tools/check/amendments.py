"""Rules of amendments (``DS4xx``): where each amendment goes, that each change says one thing, and that the text
it gives as the standard's is the baseline's (where the baseline holds it; a note says when it could not tell)."""

from __future__ import annotations

import difflib

from build_tools.check.context import Context
from build_tools.check.references import suggest
from build_tools.core import syntax
from build_tools.core.model import Amendment, Change, TableChange, TermList
from build_tools.standard import amend, baseline, texts


def check_amendments(ctx: Context) -> None:
    for amendment in ctx.supplement.amendments:
        if problem := syntax.section(amendment.section):
            ctx.report("DS401", ctx.at(amendment, "section"), f"section {amendment.section!r} {problem}")
        if amendment.table is not None and (problem := syntax.table(amendment.table)):
            ctx.report("DS401", amendment.at("table"), f"table {amendment.table!r} {problem}")
        if not amendment.changes:
            ctx.report("DS402", amendment.at("changes"), "an amendment needs at least one change")
        for change in amendment.changes:
            _change(ctx, amendment, change)
    check_against_baseline(ctx)


def _change(ctx: Context, amendment: Amendment, change: Change) -> None:
    paragraph = change.old is not None or change.new is not None or change.paragraph is not None
    forms = [name for name, given in (("old/new", paragraph),
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
        if not width and amend.baseline_table(amendment) is None:
            ctx.report("DS406", change.table.at("columns"), "an amended table needs its column headings (the "
                                                            f"baseline has no Table {amendment.table} to take them "
                                                            "from)")
        width = width or len(amend.resolved_columns(amendment, change.table))
        for row in change.table.rows:
            if row.old is None and row.new is None and row.key is None:
                ctx.report("DS407", row.loc, "a table row needs 'old', 'new' or both, or the 'key' of a baseline row")
            for name in ("old", "new"):
                cells = getattr(row, name)
                if cells is not None and width and len(cells) != width:
                    ctx.report("DS408", row.at(name), f"row has {len(cells)} cells but the table has {width} columns")
            if row.old is not None and row.old == row.new:
                ctx.report("DS404", row.at("new"), "'old' and 'new' are the same cells; nothing changes")


# --- anchored in the baseline (DS410-DS416) -----------------------------------------------------------------------


def check_against_baseline(ctx: Context) -> None:
    """Each amendment's old text, rows and lists compared with the baseline's, where the baseline holds them."""
    for amendment in ctx.supplement.amendments:
        if not (ctx.readable(amendment, "section") and ctx.readable(amendment, "part")):
            continue  # a placeholder the loader reported: nothing to look up
        for change in amendment.changes:
            if change.terms is not None:
                _terms(ctx, amendment, change.terms)
            elif change.table is not None:
                _table(ctx, amendment, change.table)
            elif change.old is not None or change.new is not None or change.paragraph is not None:
                _paragraph(ctx, amendment, change)


def _paragraph(ctx: Context, amendment: Amendment, change: Change) -> None:
    edition = texts.short_edition()
    paras = amend.paragraphs(amendment)
    where = f"Section {amendment.section}"
    new = amend.plain_text(change.new) if change.new is not None else None
    if change.paragraph is not None:
        if paras is None or not 1 <= change.paragraph <= len(paras):
            have = "no text" if paras is None else f"{len(paras)} paragraph{'s' * (len(paras) != 1)}"
            if paras is None and change.old is not None:
                ctx.report("DS411", ctx.at(change, "old"), f"the old text of {where} could not be checked against "
                                                           f"{edition}: the baseline holds no text for it")
            else:
                ctx.report("DS412", ctx.at(change, "paragraph"), f"{where} has no paragraph {change.paragraph} in "
                                                                 f"{edition} (the baseline holds {have} for it)"
                                                                 + ("; write 'old'" if change.old is None else ""))
            return
        standard = paras[change.paragraph - 1]
        if change.old is not None and amend.plain_text(change.old) != amend.normalize(standard):
            _differs(ctx, change, where, edition, standard, new)
        return
    if change.old is None:  # an inserted paragraph: said when the standard has it already
        if paras is not None and new and amend.matching(paras, new) is not None:
            ctx.report("DS416", ctx.at(change, "new"), f"this paragraph is already in {where} of {edition}")
        return
    if paras is None:
        ctx.report("DS411", ctx.at(change, "old"), f"the old text of {where} could not be checked against {edition}: "
                                                   "the baseline holds no text for it")
        return
    old = amend.plain_text(change.old)
    if amend.matching(paras, old) is None:
        _differs(ctx, change, where, edition, paras[amend.closest(paras, old)], new)


def _differs(ctx: Context, change: Change, where: str, edition: str, standard: str, new: str | None) -> None:
    if new is not None and amend.normalize(standard) == new:
        ctx.report("DS416", ctx.at(change, "new"), f"{where} of {edition} already reads as this change makes it")
        return
    ctx.report("DS410", ctx.at(change, "old"), f"the old text is not what {where} has in {edition}, which reads: "
                                               f"“{amend.normalize(standard)}”")


def _terms(ctx: Context, amendment: Amendment, terms: TermList) -> None:
    edition = texts.short_edition()
    what = f"the {terms.title} of {terms.attribute or amendment.title}"
    if terms.attribute is not None and baseline.element_by_keyword(terms.attribute) is None \
            and ctx.index.element(terms.attribute) is None:
        ctx.report("DS415", ctx.at(terms, "attribute"), f"{terms.attribute!r} is the keyword of no data element")
        return
    if terms.module is not None and not texts.has_module(terms.module):
        ctx.report("DS415", ctx.at(terms, "module"), f"no module {terms.module!r} in {edition}")
        return
    found = amend.value_list(amendment, terms)
    if found is None:
        hint = "" if terms.attribute else " (name the attribute with 'attribute' to look its value set up)"
        ctx.report("DS411", terms.loc, f"{what} could not be checked against {edition}: the baseline holds no such "
                                       f"list for Section {amendment.section}{hint}")
        return
    values = found.values()
    text = found.kind == "text"
    for term in terms.entries:
        where = ctx.at(term, "value")
        if term.change == "added":
            if term.value in values:
                ctx.report("DS416", where, f"{term.value} is already in {what} in {edition} ({found.where})")
            continue
        if term.value not in values:
            around = ", ".join(values[max(0, amend.insertion_point(values, term.value) - 2):][:4])
            message = f"{term.value} is not in {what} in {edition} ({found.where}; near it: {around})"
            if text:
                ctx.report("DS413", where, message)
            else:
                ctx.report("DS414", where, message + "; kept as typed")
            continue
        standard = found.meaning(term.value) or ""
        if text and term.meaning is not None and standard and \
                amend.plain_text(term.meaning) != amend.normalize(standard):
            ctx.report("DS413", ctx.at(term, "meaning"), f"{term.value} means “{amend.normalize(standard)}” in "
                                                         f"{what} in {edition} ({found.where})")
    listed = [t.value for t in terms.entries if t.change != "added" and t.value in values]
    if text and not amend.sorted_like(listed, values):
        ctx.report("DS413", terms.at("entries"), f"the entries are not in the order of {what} in {edition} "
                                                 f"({found.where}): {', '.join(v for v in values if v in listed)}")


def _table(ctx: Context, amendment: Amendment, table: TableChange) -> None:
    edition = texts.short_edition()
    label = amendment.table
    if label is None or not any(row.old is not None or row.key is not None for row in table.rows):
        return
    standard = texts.table(label, amendment.part)
    if standard is None:
        for row in table.rows:
            if row.key is not None and row.old is None:
                ctx.report("DS412", ctx.at(row, "key"), f"{edition} holds no text for Table {label}, so the row "
                                                        f"{row.key!r} cannot be taken from it; write 'old'")
        ctx.report("DS411", table.loc, f"the old rows of Table {label} could not be checked against {edition}: the "
                                       "baseline holds no text for it")
        return
    rows = [tuple(amend.normalize(cell) for cell in row) for row in standard.rows]
    for row in table.rows:
        if row.key is not None and amend.baseline_row(amendment, row.key) is None:
            firsts = [r[0] for r in rows if r]
            ctx.report("DS412", ctx.at(row, "key"), f"Table {label} has no row {row.key!r} in {edition}"
                                                    f"{suggest(row.key, firsts)}")
            continue
        if row.old is None:
            continue
        cells = tuple(amend.plain_text(cell) for cell in row.old)
        if cells in rows or any(r[:len(cells)] == cells for r in rows):
            continue
        if row.new is not None and tuple(amend.plain_text(cell) for cell in row.new) in rows:
            ctx.report("DS416", ctx.at(row, "new"), f"Table {label} of {edition} already has this row")
            continue
        best = max(rows, key=lambda r: difflib.SequenceMatcher(None, " | ".join(r), " | ".join(cells)).ratio(),
                   default=())
        ctx.report("DS410", ctx.at(row, "old"), f"Table {label} has no such row in {edition}; the closest reads: "
                                                f"“{' | '.join(best)}”")
