"""Amendments anchored in the baseline: the old text of a changed paragraph and the entries of an amended list,
taken from the baseline where it holds them (:mod:`build_tools.standard.texts`), for the renderers and the rules
alike, so that what is checked is what is printed.

Text typed in the spec is compared with the baseline's as plain text: references rendered the way the standard
prints them ("Table C.8-77"), runs of white space made one, typographic quotes made straight.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from build_tools.core.model import Amendment, Change, Prose, RowChange, TableChange, Term, TermList
from build_tools.core.prose import Ref, parse_line, plain
from build_tools.core.tags import tag_text
from build_tools.standard import baseline, texts

#: The entry shown for unchanged entries left out between two shown ones.
GAP = "…"


# --- plain text -------------------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Text as compared: one space for each run of white space, straight quotes, no zero-width spaces."""
    text = text.replace("\u200b", "").replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


def _reference(ref: Ref) -> str:
    target = ref.target
    if ref.ref == "de":
        element = baseline.element_by_keyword(target)
        return f"{element.name} {tag_text(element.tag)}" if element else target
    if ref.ref in ("table", "section"):
        part, _, label = target.rpartition(":")
        return f"{ref.ref.capitalize()} {label}" + (f" in {part}" if part else "")
    if ref.ref == "module":
        return target if target.endswith((" Module", " Macro")) else f"{target} Module"
    if ref.ref == "iod":
        return f"{target} IOD"
    if ref.ref == "cid":
        return f"CID {target}"
    return target


def _plain(nodes) -> str:
    """The inlines as the standard's text reads: references written out as the standard words them."""
    return plain(nodes, _reference)


def plain_text(prose: Prose | str | None) -> str:
    """A prose field as the standard would print it, normalized for comparison."""
    return normalize(_plain(parse_line(prose, [])))


def escape(text: str) -> str:
    """Baseline text as prose that renders as the text itself (no markup read into it)."""
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("*", "\\*")


# --- paragraphs -------------------------------------------------------------------------------------------------


def paragraphs(amendment: Amendment) -> tuple[str, ...] | None:
    """The amended section's paragraphs as the baseline holds them; None when it holds no text for the section."""
    found = texts.section(amendment.section, amendment.part)
    return found.paras if found is not None and found.paras else None


def matching(paras: tuple[str, ...], text: str) -> int | None:
    """The index of the paragraph that is ``text`` (plain, normalized), or None."""
    return next((i for i, para in enumerate(paras) if normalize(para) == text), None)


def closest(paras: tuple[str, ...], text: str) -> int:
    """The index of the paragraph most like ``text``."""
    scores = [difflib.SequenceMatcher(None, normalize(para), text, autojunk=False).ratio() for para in paras]
    return max(range(len(paras)), key=lambda i: scores[i])


def baseline_old(amendment: Amendment, change: Change) -> str | None:
    """The baseline's text of the paragraph ``change.paragraph`` names, if the baseline holds it."""
    if change.paragraph is None:
        return None
    paras = paragraphs(amendment)
    if paras is None or not 1 <= change.paragraph <= len(paras):
        return None
    return paras[change.paragraph - 1]


def resolved_old(amendment: Amendment, change: Change) -> Prose | None:
    """The old text to print: as typed, else the baseline's paragraph."""
    if change.old is not None:
        return change.old
    text = baseline_old(amendment, change)
    return Prose(escape(text)) if text is not None else None


# --- term lists -------------------------------------------------------------------------------------------------


def value_list(amendment: Amendment, terms: TermList) -> texts.ValueList | None:
    """The list the term list amends, as the baseline holds it (None without ``attribute`` or in no baseline)."""
    if terms.attribute is None:
        found = texts.section(amendment.section, amendment.part)
        if found is not None:  # the section's own list, when the baseline has its text
            for title, entries in found.lists:
                if title == terms.title:
                    return texts.ValueList(entries, "text", f"Section {amendment.section}")
        return None
    return texts.value_list(terms.attribute, terms.title, amendment.section, amendment.part, terms.module)


def insertion_point(values: list[str], value: str) -> int:
    """Where a new value goes: between the first two neighbours it sorts between (the lists are alphabetical,
    mostly), else at the end."""
    for i in range(len(values) + 1):
        before = values[i - 1] if i else None
        after = values[i] if i < len(values) else None
        if (before is None or before < value) and (after is None or value < after):
            return i
    return len(values)


@dataclass(frozen=True)
class Entry:
    value: str
    meaning: str
    change: str  #: ``added``, ``removed``, ``unchanged``
    term: Term | None = None  #: the typed term, for a change


def resolved_terms(amendment: Amendment, terms: TermList) -> list[Term]:
    """The entries to print. Typed entries are used as written when an unchanged one is among them (the author
    chose the context) or the baseline has no list; otherwise the changes are placed in the baseline's list and
    shown with ``context`` unchanged neighbours each side, ``…`` standing for the entries between."""
    typed = terms.entries
    if terms.attribute is None or any(term.change == "unchanged" for term in typed):
        return list(typed)
    found = value_list(amendment, terms)
    if found is None:
        return list(typed)
    merged = [Entry(value, meaning, "unchanged") for value, meaning in found.entries]
    for term in typed:
        index = next((i for i, e in enumerate(merged) if e.value == term.value), None)
        if index is not None:
            merged[index] = Entry(term.value, merged[index].meaning, term.change, term)
        elif term.change == "added":
            merged.insert(insertion_point([e.value for e in merged], term.value), Entry(term.value, "", "added", term))
    changed = [i for i, e in enumerate(merged) if e.change != "unchanged"]
    reach = max(terms.context, 0)
    shown = sorted({j for i in changed for j in range(i - reach, i + reach + 1) if 0 <= j < len(merged)})
    out: list[Term] = []
    for position, index in enumerate(shown):
        if position and index != shown[position - 1] + 1:
            out.append(Term(value=GAP))
        entry = merged[index]
        if entry.term is not None:
            meaning = entry.term.meaning if entry.term.meaning is not None else \
                (Prose(escape(entry.meaning)) if entry.meaning else None)
            shown_term = Term(value=entry.value, meaning=meaning, change=entry.change)
            shown_term.loc, shown_term.locs = entry.term.loc, entry.term.locs
            out.append(shown_term)
        else:
            out.append(Term(value=entry.value, meaning=Prose(escape(entry.meaning)) if entry.meaning else None))
    return out


def is_gap(term: Term) -> bool:
    return term.value == GAP and term.meaning is None


def sorted_like(values: list[str], order: list[str]) -> bool:
    """Whether ``values`` (each in ``order``) come in ``order``'s order."""
    positions = [order.index(v) for v in values]
    return positions == sorted(positions)



# --- tables -----------------------------------------------------------------------------------------------------


def baseline_table(amendment: Amendment) -> texts.TableText | None:
    return texts.table(amendment.table, amendment.part) if amendment.table else None


def baseline_row(amendment: Amendment, key: str) -> tuple[str, ...] | None:
    """The baseline row of the amended table whose first cell is ``key`` (compared as plain text)."""
    found = baseline_table(amendment)
    wanted = normalize(key)
    return next((row for row in (found.rows if found else ()) if row and normalize(row[0]) == wanted), None)


def resolved_columns(amendment: Amendment, table: TableChange) -> list[str]:
    """The column headings: as typed, else the baseline table's."""
    if table.columns:
        return list(table.columns)
    found = baseline_table(amendment)
    return list(found.head) if found is not None else []  # headings are plain text, not prose


def resolved_caption(amendment: Amendment, table: TableChange) -> str:
    if table.caption:
        return table.caption
    found = baseline_table(amendment)
    return found.caption if found is not None else ""


def _row(old: list[str] | None, new: list[str] | None, like: RowChange | None = None) -> RowChange:
    row = RowChange(old=old, new=new)
    if like is not None:
        row.loc, row.locs = like.loc, like.locs
    return row


def resolved_rows(amendment: Amendment, table: TableChange) -> list[RowChange]:
    """The rows to print: each change with its old cells (typed, else the baseline row its ``key`` names) and,
    with ``context``, that many baseline rows each side of it, a ``…`` row standing for the rows between."""
    found = baseline_table(amendment)
    changes = []
    for row in table.rows:
        old = row.old
        if old is None and row.key is not None:
            cells = baseline_row(amendment, row.key)
            old = [escape(cell) for cell in cells] if cells is not None else None
        changes.append(_row(old, row.new, row))
    if found is None or table.context <= 0:
        return changes
    first_cells = [normalize(r[0]) if r else "" for r in found.rows]
    # where each change stands among the baseline rows: the row it changes, or after the row it follows
    placed: list[tuple[float, RowChange]] = []
    for row, shown in zip(table.rows, changes):
        key = row.key or (plain_text(row.old[0]) if row.old else None)
        if key is not None and normalize(key) in first_cells:
            placed.append((first_cells.index(normalize(key)), shown))
        elif row.after is not None and normalize(row.after) in first_cells:
            placed.append((first_cells.index(normalize(row.after)) + 0.5, shown))
        else:
            return changes  # a change that cannot be placed: the rows as typed
    anchors = {int(position) for position, _row_change in placed}
    keep = sorted({j for i in anchors for j in range(i - table.context, i + table.context + 1)
                   if 0 <= j < len(found.rows)} | {int(p) for p, _r in placed if p != int(p)})
    replaced = {int(p) for p, _r in placed if p == int(p)}
    out: list[RowChange] = []
    previous: int | None = None
    for index in keep:
        if previous is not None and index > previous + 1:
            out.append(_row([GAP], [GAP]))
        if index not in replaced:
            cells = [escape(cell) for cell in found.rows[index]]
            out.append(_row(cells, cells))
        out.extend(r for p, r in placed if int(p) == index and p == int(p))
        out.extend(r for p, r in placed if p == index + 0.5)
        previous = index
    return out
