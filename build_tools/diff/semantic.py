"""A semantic diff between two drafts of a supplement: what a voter wants to know changed.

:func:`semantic_diff` compares two loaded models (never their YAML text), so reindenting, reordering keys,
switching between flow and block style, rewrapping prose or editing comments yields no change, and two identical
specs yield none. Each :class:`Change` has a ``kind`` (one of :data:`KINDS`), the ``part`` of the standard it
belongs to, a ``subject`` (a keyword, module name, CID …) and ``where`` it is (the module or IOD), the ``old``
and ``new`` values as text (with a word-level diff in ``words`` for reworded text, from
:func:`build_tools.document.worddiff.word_diff`), and the ``anchor`` of its place in the new draft, in the id scheme of
:mod:`build_tools.document.refs` (a removed object points at what held it).

Entities are matched by identity, not position: data elements by keyword and then by tag, UIDs by keyword and
then by value, modules and IODs by name and then by section, codes and context-group rows by scheme and value and
then by meaning, module table rows by module, attribute rows by keyword within their parent sequence, open issues
by the text of their question.

The ``dicomsup diff`` command is in :mod:`build_tools.commands.diff`, its report forms in :mod:`build_tools.diff.report`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence, TypeVar

from build_tools.document.worddiff import Segment, word_diff
from build_tools.iod.conditions import describe
from build_tools.core.tags import parse_tag
from build_tools.standard.index import (Index, cid_keyword, element_keyword, functional_groups_table, iod_table,
                                       module_table, uid_keyword)
from build_tools.core.model import (IOD, Amendment, AnnexSection, Attribute, Code, CodeRow, Condition, Constraint,
                               DataElement, EnumValue, FunctionalGroupUse, Include, Located, Module, ModuleUse,
                               Prose, Supplement, model_fields)
from build_tools.core.numbering import numbered
from build_tools.core.prose import ItemList, Note, parse, plain
from build_tools.document.refs import doc_id, tag_id

T = TypeVar("T")

#: Every kind of change, with what it means (documentation and the order of the text report's groups).
KINDS: dict[str, str] = {
    "front-matter-changed": "status, version, date, title or another front-matter field changed",
    "history-entry-added": "a row of the Document History was added",
    "history-entry-removed": "a row of the Document History was removed",
    "history-entry-changed": "a row of the Document History changed",
    "open-issue-opened": "a new open issue",
    "open-issue-closed": "an open issue became a closed issue (matched by its question)",
    "open-issue-withdrawn": "an open issue was removed without being closed",
    "closed-issue-added": "a closed issue that was never open in the old draft",
    "closed-issue-removed": "a closed issue was removed",
    "iod-added": "a new IOD",
    "iod-removed": "an IOD was removed",
    "iod-changed": "the section, a table label or the single-frame flag of an IOD changed",
    "module-row-added": "a row of an IOD's module table was added",
    "module-row-removed": "a row of an IOD's module table was removed",
    "module-row-moved": "a row of an IOD's module table moved",
    "module-row-changed": "the Information Entity of a module table row changed",
    "iod-usage-changed": "the usage (M/U/C), usage condition or 'otherwise' of a module in an IOD changed",
    "functional-group-added": "a row of an IOD's Functional Group Macros table was added",
    "functional-group-removed": "a row of an IOD's Functional Group Macros table was removed",
    "functional-group-changed": "the usage, condition, placement or note of a functional group macro in an IOD "
                                "changed, or its row moved",
    "constraint-added": "an IOD constraint on an attribute was added",
    "constraint-removed": "an IOD constraint on an attribute was removed",
    "constraint-changed": "an IOD constraint on an attribute changed",
    "module-added": "a new module or macro",
    "module-removed": "a module or macro was removed",
    "module-changed": "the section, kind or table label of a module changed",
    "attribute-added": "an attribute row (or macro include) was added",
    "attribute-removed": "an attribute row (or macro include) was removed",
    "attribute-moved": "an attribute row moved within its table or sequence",
    "attribute-type-changed": "the Type of an attribute changed (e.g. 2 to 1)",
    "attribute-condition-changed": "the condition of a conditional attribute changed",
    "attribute-changed": "another field of an attribute row changed (item count, context group of an include)",
    "enumerated-values-added": "Enumerated Values were added to an attribute",
    "enumerated-values-removed": "Enumerated Values were removed from an attribute",
    "defined-terms-added": "Defined Terms were added to an attribute",
    "defined-terms-removed": "Defined Terms were removed from an attribute",
    "attribute-description-added": "an Attribute Descriptions subsection was added",
    "attribute-description-removed": "an Attribute Descriptions subsection was removed",
    "description-reworded": "a text changed (with a word-level diff)",
    "sop-class-added": "a new SOP Class",
    "sop-class-removed": "a SOP Class was removed",
    "sop-class-changed": "a SOP Class row changed",
    "data-element-added": "a new data element",
    "data-element-removed": "a data element was removed",
    "data-element-changed": "the name, keyword, VR, VM, tag or retirement of a data element changed",
    "uid-added": "a new UID",
    "uid-removed": "a UID was removed",
    "uid-changed": "the value, name, type, part or keyword of a UID changed",
    "code-added": "a new code",
    "code-removed": "a code was removed",
    "code-changed": "the value, meaning or notes of a code changed",
    "context-group-added": "a new context group",
    "context-group-removed": "a context group was removed",
    "context-group-changed": "a field of a context group changed (name, version, extensibility …)",
    "context-group-row-added": "a row of a context group (or of a context group addition) was added",
    "context-group-row-removed": "a row of a context group (or of a context group addition) was removed",
    "context-group-row-changed": "the code or meaning of a context group row changed",
    "amendment-added": "a change to an existing section of the standard was added",
    "amendment-removed": "a change to an existing section of the standard was removed",
    "amendment-changed": "a change to an existing section of the standard changed",
    "section-added": "a new parent section (sections:) was added",
    "section-removed": "a new parent section was removed",
    "section-changed": "the title or part of a new parent section changed",
    "annex-changed": "the label or title of the informative annex changed",
    "annex-section-added": "a section of the informative annex was added",
    "annex-section-removed": "a section of the informative annex was removed",
    "annex-section-changed": "the figures or the explicit label of a section of the informative annex changed",
    "example-added": "an example instance was added",
    "example-removed": "an example instance was removed",
    "example-changed": "the title, IOD, transfer syntax, ICC profile, a value, a frame's values, a prose "
                       "condition of an example instance, or the example defaults changed",
}

#: The order of parts in reports.
PARTS: tuple[str, ...] = ("Front matter", "PS3.3", "PS3.4", "PS3.6", "PS3.16", "PS3.17", "Examples")


@dataclass(frozen=True)
class Change:
    """One semantic change between two drafts."""

    kind: str
    part: str
    subject: str
    anchor: str
    where: str = ""
    field: str | None = None
    old: str | None = None
    new: str | None = None
    words: tuple[Segment, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The change as JSON data (every key always present, so consumers need no defaults)."""
        return {"kind": self.kind, "part": self.part, "where": self.where, "subject": self.subject,
                "field": self.field, "old": self.old, "new": self.new, "anchor": self.anchor,
                "words": [[w.op, w.text] for w in self.words]}

    @property
    def label(self) -> str:
        """``where › subject`` as a reader names the thing changed."""
        return f"{self.where} › {self.subject}" if self.where else self.subject


# --- Canonical values: what "the same" means ----------------------------------------------------------------


def prose_key(prose: Prose | None) -> Any:
    """The meaning of a prose field: its parsed blocks (line breaks, indentation and scalar style do not count)."""
    if prose is None:
        return None
    return parse(Prose(prose.text))


def prose_text(prose: Prose | None) -> str | None:
    """A prose field as one plain line per block (for reports and word diffs)."""
    if prose is None:
        return None
    blocks = []
    for block in parse(Prose(prose.text)):
        if isinstance(block, ItemList):
            marker = "1." if block.ordered else "-"
            blocks.append(" ".join(f"{marker} {plain(item)}" for item in block.items))
        elif isinstance(block, Note):
            blocks.append("Note: " + plain(block.inlines))
        else:
            blocks.append(plain(block.inlines))
    return "\n".join(blocks)


def canon(value: Any) -> Any:
    """A hashable, location-free form of a model value, for equality."""
    if isinstance(value, Prose):
        return prose_key(value)
    if isinstance(value, Located):
        return (type(value).__name__,) + tuple((f.name, canon(getattr(value, f.name)))
                                               for f in model_fields(type(value)))
    if isinstance(value, list | tuple):
        return tuple(canon(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), canon(v)) for k, v in value.items()))
    return value


def text(value: Any) -> str | None:
    """A model value as report text."""
    if value is None:
        return None
    if isinstance(value, Prose):
        return prose_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(text(v) or "" for v in value) or None
    return str(value)


def condition_text(condition: Condition | None, index: Index) -> str | None:
    """A condition in the standard's English (:func:`build_tools.iod.conditions.describe`)."""
    if condition is None:
        return None
    return plain(describe(condition, index))


# --- Matching ---------------------------------------------------------------------------------------------------


def match(old: Sequence[T], new: Sequence[T],
          *keys: Callable[[T], Any]) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items of ``old`` and ``new`` by the first key, then the still unpaired ones by the next key, and so on.

    Returns the pairs (in the order of ``new``), the removed items (in the order of ``old``) and the added ones
    (in the order of ``new``). A key of None never matches.
    """
    free_old = list(range(len(old)))
    free_new = list(range(len(new)))
    pairs: list[tuple[int, int]] = []
    for key in keys:
        by_key: dict[Any, list[int]] = {}
        for i in free_old:
            k = key(old[i])
            if k is not None:
                by_key.setdefault(k, []).append(i)
        unpaired = []
        for j in free_new:
            k = key(new[j])
            bucket = by_key.get(k) if k is not None else None
            if bucket:
                i = bucket.pop(0)
                pairs.append((j, i))
                free_old.remove(i)
            else:
                unpaired.append(j)
        free_new = unpaired
    pairs.sort()
    return [(old[i], new[j]) for j, i in pairs], [old[i] for i in free_old], [new[j] for j in free_new]


def moved(old_keys: Sequence[Any], new_keys: Sequence[Any]) -> set[Any]:
    """Keys present in both lists whose relative order changed: those outside a longest common subsequence."""
    common = set(old_keys) & set(new_keys)
    a = [k for k in old_keys if k in common]
    b = [k for k in new_keys if k in common]
    kept: set[Any] = set()
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        kept.update(a[block.a:block.a + block.size])
    return common - kept


# --- Anchors ----------------------------------------------------------------------------------------------------


def _id(part: str | None, std_id: str) -> str:
    """The anchor of an object of ``part`` that the standard calls ``std_id`` (:mod:`build_tools.document.refs`)."""
    return doc_id(part, std_id)


def _chapter(name: str) -> str:
    """The anchor of a chapter of the supplement: ``History``, ``Issues``, ``Scope``, ``Foreword``, ``PS3.n``."""
    return f"chapter_{name}"


# --- The comparison ---------------------------------------------------------------------------------------------

_FRONT_FIELDS = ("number", "title", "working_group", "status", "version", "date", "parts", "secretariat",
                 "work_item", "uid_root")


class _Differ:
    """Walks two models part by part and collects the changes in the order of the document."""

    def __init__(self, old: Supplement, new: Supplement):
        self.old, self.new = old, new
        self.index = Index(new)
        self.old_index = Index(old)
        self.changes: list[Change] = []

    def add(self, kind: str, part: str, subject: str, anchor: str, *, where: str = "", field: str | None = None,
            old: Any = None, new: Any = None, words: tuple[Segment, ...] = ()) -> None:
        assert kind in KINDS, kind
        self.changes.append(Change(kind, part, subject, anchor, where, field, _as_text(old, self.index),
                                   _as_text(new, self.index), words))

    def fields(self, kind: str, part: str, subject: str, anchor: str, old: Any, new: Any, names: Iterable[str],
               *, where: str = "") -> None:
        """One change of ``kind`` for every field among ``names`` whose value differs."""
        for name in names:
            a, b = getattr(old, name), getattr(new, name)
            if canon(a) != canon(b):
                self.add(kind, part, subject, anchor, where=where, field=_yaml_name(name), old=a, new=b)

    def prose(self, part: str, subject: str, anchor: str, old: Prose | None, new: Prose | None, field: str,
              *, where: str = "") -> None:
        if prose_key(old) == prose_key(new):
            return
        words = tuple(word_diff(prose_text(old) or "", prose_text(new) or ""))
        self.add("description-reworded", part, subject, anchor, where=where, field=field, old=old, new=new,
                 words=words)

    # -- front matter

    def front_matter(self) -> None:
        part, anchor = "Front matter", _chapter("History")
        subject = f"Supplement {self.new.number}"
        self.fields("front-matter-changed", part, subject, anchor, self.old, self.new, _FRONT_FIELDS)
        self.prose(part, "Scope", _chapter("Scope"), self.old.scope, self.new.scope, "scope")
        self.prose(part, "Foreword", _chapter("Foreword"), self.old.foreword, self.new.foreword, "foreword")
        history = _chapter("History")
        pairs, removed, added = match(self.old.history, self.new.history, lambda h: h.version)
        for entry in removed:
            self.add("history-entry-removed", part, entry.version, history, old=_history_text(entry))
        for entry in added:
            self.add("history-entry-added", part, entry.version, history, new=_history_text(entry))
        for a, b in pairs:
            self.fields("history-entry-changed", part, b.version, history, a, b, ("date", "status"))
            self.prose(part, b.version, history, a.summary, b.summary, "summary", where="Document History")
        self.issues()

    def issues(self) -> None:
        part = "Front matter"
        opened, closed = _id(None, "sect_OpenIssues"), _id(None, "sect_ClosedIssues")
        old_closed = {_question(i.question) for i in self.old.closed_issues}
        new_open = {_question(i.question) for i in self.new.open_issues}
        pairs, withdrawn, added = match(self.old.open_issues, self.new.open_issues, lambda i: _question(i.question))
        by_question = {_question(i.question): i for i in self.new.closed_issues}
        for issue in withdrawn:
            settled = by_question.get(_question(issue.question))
            if settled is not None and _question(issue.question) not in old_closed:
                self.add("open-issue-closed", part, _question(issue.question), closed, old=issue.resolution,
                         new=settled.resolution)
            else:
                self.add("open-issue-withdrawn", part, _question(issue.question), opened, old=issue.resolution)
        for issue in added:
            self.add("open-issue-opened", part, _question(issue.question), opened, new=issue.resolution)
        for a, b in pairs:
            self.prose(part, _question(b.question), opened, a.resolution, b.resolution, "resolution",
                       where="Open Issues")
        pairs, removed, added = match(self.old.closed_issues, self.new.closed_issues,
                                      lambda i: _question(i.question))
        old_open = {_question(i.question) for i in self.old.open_issues}
        for issue in removed:
            if _question(issue.question) not in new_open:  # a reopened issue is reported as opened
                self.add("closed-issue-removed", part, _question(issue.question), closed, old=issue.resolution)
        for issue in added:
            if _question(issue.question) not in old_open:
                self.add("closed-issue-added", part, _question(issue.question), closed, new=issue.resolution)
        for a, b in pairs:
            self.prose(part, _question(b.question), closed, a.resolution, b.resolution, "resolution",
                       where="Closed Issues")

    # -- PS3.3

    def iods(self) -> None:
        part = "PS3.3"
        pairs, removed, added = match(self.old.iods, self.new.iods, lambda i: i.name, lambda i: i.section)
        for iod in removed:
            self.add("iod-removed", part, iod.name, _chapter(part), old=iod.section)
        for iod in added:
            self.add("iod-added", part, iod.name, _id(part, f"sect_{iod.section}"), new=iod.section)
        for a, b in pairs:
            self.iod(a, b)

    def iod(self, a: IOD, b: IOD) -> None:
        part, where = "PS3.3", f"{b.name} IOD"
        section, table = _id(part, f"sect_{b.section}"), _id(part, f"table_{iod_table(b)}")
        self.fields("iod-changed", part, b.name, section, a, b, ("name", "section", "single_frame", "table",
                                                                 "functional_groups_table"))
        self.prose(part, b.name, section, a.description, b.description, "description", where=where)
        self.prose(part, b.name, section, a.entity_relationship, b.entity_relationship, "entity_relationship",
                   where=where)
        pairs, removed, added = match(a.modules, b.modules, lambda r: r.module)
        for row in removed:
            self.add("module-row-removed", part, row.module, table, where=where, old=_row_text(row))
        for row in added:
            self.add("module-row-added", part, row.module, table, where=where, new=_row_text(row))
        shifted = moved([r.module for r in a.modules], [r.module for r in b.modules])
        for x, y in pairs:
            if y.module in shifted:
                self.add("module-row-moved", part, y.module, table, where=where,
                         old=_after([r.module for r in a.modules], y.module),
                         new=_after([r.module for r in b.modules], y.module))
            self.fields("module-row-changed", part, y.module, table, x, y, ("ie",), where=where)
            self.fields("iod-usage-changed", part, y.module, table, x, y, ("usage", "condition", "otherwise"),
                        where=where)
            self.prose(part, y.module, table, x.note, y.note, "note", where=where)
        self.functional_groups(a, b)
        if b.constraints:
            section = _id(part, f"sect_{b.section}.3.1")  # Content Constraints
        pairs, removed, added = match(a.constraints, b.constraints, _constraint_key)
        for c in removed:
            self.add("constraint-removed", part, c.attribute, section, where=where, old=_constraint_text(c))
        for c in added:
            self.add("constraint-added", part, c.attribute, section, where=where, new=_constraint_text(c))
        for x, y in pairs:
            self.fields("constraint-changed", part, y.attribute, section, x, y, ("values", "type", "absent"),
                        where=where)
            self.prose(part, y.attribute, section, x.description, y.description, "description", where=where)

    def functional_groups(self, a: IOD, b: IOD) -> None:
        """The rows of the Functional Group Macros table, matched by macro."""
        part, where = "PS3.3", f"{b.name} IOD"
        table = _id(part, f"table_{functional_groups_table(b)}")
        if not b.functional_groups:
            table = _id(part, f"sect_{b.section}")  # the table is gone: the IOD's section
        pairs, removed, added = match(a.functional_groups, b.functional_groups, lambda r: r.macro)
        for row in removed:
            self.add("functional-group-removed", part, row.macro, table, where=where, old=_group_text(row))
        for row in added:
            self.add("functional-group-added", part, row.macro, table, where=where, new=_group_text(row))
        shifted = moved([r.macro for r in a.functional_groups], [r.macro for r in b.functional_groups])
        for x, y in pairs:
            if y.macro in shifted:
                self.add("functional-group-changed", part, y.macro, table, where=where, field="position",
                         old=_after([r.macro for r in a.functional_groups], y.macro),
                         new=_after([r.macro for r in b.functional_groups], y.macro))
            self.fields("functional-group-changed", part, y.macro, table, x, y,
                        ("usage", "condition", "otherwise", "placement"), where=where)
            self.prose(part, y.macro, table, x.note, y.note, "note", where=where)

    def sections(self) -> None:
        """New parent sections, matched by label, then by title."""
        pairs, removed, added = match(self.old.sections, self.new.sections, lambda s: (s.part, s.section),
                                      lambda s: s.title)
        for s in removed:
            self.add("section-removed", s.part, f"Section {s.section}", _chapter(s.part), old=s.title)
        for s in added:
            self.add("section-added", s.part, f"Section {s.section}", _id(s.part, f"sect_{s.section}"),
                     new=s.title)
        for a, b in pairs:
            anchor = _id(b.part, f"sect_{b.section}")
            self.fields("section-changed", b.part, f"Section {b.section}", anchor, a, b, ("part", "section", "title"))
            self.prose(b.part, f"Section {b.section}", anchor, a.body, b.body, "body")

    def modules(self) -> None:
        part = "PS3.3"
        pairs, removed, added = match(self.old.modules, self.new.modules, lambda m: m.name, lambda m: m.section)
        for m in removed:
            self.add("module-removed", part, _module_name(m), _chapter(part), old=m.section)
        for m in added:
            self.add("module-added", part, _module_name(m), _id(part, f"sect_{m.section}"), new=m.section)
        for a, b in pairs:
            self.module(a, b)

    def module(self, a: Module, b: Module) -> None:
        part, where = "PS3.3", _module_name(b)
        section, table = _id(part, f"sect_{b.section}"), _id(part, f"table_{module_table(b)}")
        self.fields("module-changed", part, _module_name(b), section, a, b, ("name", "section", "kind", "table"))
        self.prose(part, _module_name(b), section, a.description, b.description, "description")
        self.rows(a.attributes, b.attributes, "", where, table)
        pairs, removed, added = match(a.attribute_descriptions, b.attribute_descriptions, lambda d: d.title)
        parent = f"{b.section}.1"  # the Attribute Descriptions section, numbered .1, .2 … inside

        def subsection(d: Any) -> str:
            return _id(part, f"sect_{parent}.{_position(b.attribute_descriptions, d)}")

        for d in removed:
            self.add("attribute-description-removed", part, d.title,
                     _id(part, f"sect_{parent}") if b.attribute_descriptions else section, where=where, old=d.body)
        for d in added:
            self.add("attribute-description-added", part, d.title, subsection(d), where=where, new=d.body)
        for x, y in pairs:
            self.prose(part, y.title, subsection(y), x.body, y.body, "body", where=where)

    def rows(self, old: list, new: list, path: str, where: str, anchor: str) -> None:
        """Compare attribute rows of one table or sequence item (``path`` names the enclosing sequences)."""
        part = "PS3.3"
        old_keys, new_keys = _row_keys(old), _row_keys(new)
        pairs, removed, added = match(list(zip(old_keys, old)), list(zip(new_keys, new)), lambda kv: kv[0])
        for key, row in removed:
            self.add("attribute-removed", part, path + key, anchor, where=where, old=_attribute_text(row))
        for key, row in added:
            self.add("attribute-added", part, path + key, anchor, where=where, new=_attribute_text(row))
        shifted = moved(old_keys, new_keys)
        for (key, x), (_, y) in pairs:
            subject = path + key
            if key in shifted:
                self.add("attribute-moved", part, subject, anchor, where=where,
                         old=_after(old_keys, key), new=_after(new_keys, key))
            if isinstance(x, Include) and isinstance(y, Include):
                self.fields("attribute-changed", part, subject, anchor, x, y, ("baseline_cid", "defined_cid"),
                            where=where)
                self.prose(part, subject, anchor, x.description, y.description, "description", where=where)
                continue
            self.fields("attribute-type-changed", part, subject, anchor, x, y, ("type",), where=where)
            self.fields("attribute-condition-changed", part, subject, anchor, x, y, ("condition", "otherwise"),
                        where=where)
            self.fields("attribute-changed", part, subject, anchor, x, y, ("item_count",), where=where)
            for name, kind in (("enumerated_values", "enumerated-values"), ("defined_terms", "defined-terms")):
                self.values(kind, subject, anchor, getattr(x, name), getattr(y, name), where)
            for name in ("description", "notes", "condition_note"):
                self.prose(part, subject, anchor, getattr(x, name), getattr(y, name), name, where=where)
            self.rows(x.items, y.items, subject + " > ", where, anchor)

    def values(self, kind: str, subject: str, anchor: str, old: list[EnumValue], new: list[EnumValue],
               where: str) -> None:
        part = "PS3.3"
        pairs, removed, added = match(old, new, lambda v: v.value)
        if removed:
            self.add(f"{kind}-removed", part, subject, anchor, where=where, old=[v.value for v in removed])
        if added:
            self.add(f"{kind}-added", part, subject, anchor, where=where, new=[v.value for v in added])
        for x, y in pairs:
            self.prose(part, f"{subject} = {y.value}", anchor, x.meaning, y.meaning, "meaning", where=where)

    # -- PS3.4

    def sop_classes(self) -> None:
        part = "PS3.4"
        anchor = _id(part, "table_B.5-1") if self.new.sop_classes else _chapter(part)
        pairs, removed, added = match(self.old.sop_classes, self.new.sop_classes, lambda s: s.uid, lambda s: s.iod)
        for s in removed:
            self.add("sop-class-removed", part, s.uid, anchor, old=s.iod)
        for s in added:
            self.add("sop-class-added", part, s.uid, anchor, new=s.iod)
        for a, b in pairs:
            self.fields("sop-class-changed", part, b.uid, anchor, a, b, ("uid", "iod", "specialization"))

    # -- PS3.6

    def data_elements(self) -> None:
        part = "PS3.6"
        table = _id(part, "table_6-1") if self.new.data_elements else _chapter(part)
        pairs, removed, added = match(self.old.data_elements, self.new.data_elements, element_keyword, _tag)
        for e in removed:
            self.add("data-element-removed", part, element_keyword(e), table, old=_element_text(e))
        for e in added:
            self.add("data-element-added", part, element_keyword(e), _id(part, tag_id(e.tag)), new=_element_text(e))
        for a, b in pairs:
            subject, anchor = element_keyword(b), _id(part, tag_id(b.tag))
            for name, x, y in (("name", a.name, b.name), ("keyword", element_keyword(a), element_keyword(b)),
                               ("vr", a.vr, b.vr), ("vm", a.vm, b.vm), ("tag", _tag(a) or a.tag, _tag(b) or b.tag),
                               ("retired", a.retired, b.retired)):
                if x != y:
                    self.add("data-element-changed", part, subject, anchor, field=name,
                             old=a.tag if name == "tag" else x, new=b.tag if name == "tag" else y)

    def uids(self) -> None:
        part = "PS3.6"
        table = _id(part, "table_A-1") if self.new.uids else _chapter(part)
        pairs, removed, added = match(self.old.uids, self.new.uids, uid_keyword, lambda u: u.value)
        for u in removed:
            self.add("uid-removed", part, uid_keyword(u), table, old=u.value)
        for u in added:
            self.add("uid-added", part, uid_keyword(u), _id(part, f"uid_{u.value}"), new=u.value)
        for a, b in pairs:
            anchor = _id(part, f"uid_{b.value}")
            if uid_keyword(a) != uid_keyword(b):
                self.add("uid-changed", part, uid_keyword(b), anchor, field="keyword", old=uid_keyword(a),
                         new=uid_keyword(b))
            self.fields("uid-changed", part, uid_keyword(b), anchor, a, b, ("value", "name", "type", "part",
                                                                             "retired"))

    # -- PS3.16

    def codes(self) -> None:
        part = "PS3.16"
        table = _id(part, "table_D-1") if self.new.codes else _chapter(part)
        pairs, removed, added = match(self.old.codes, self.new.codes, lambda c: (c.scheme, c.value),
                                      lambda c: (c.scheme, c.meaning))
        for c in removed:
            self.add("code-removed", part, _code(c), table, old=c.meaning)
        for c in added:
            self.add("code-added", part, _code(c), self.code_anchor(c, table), new=c.meaning)
        for a, b in pairs:
            anchor = self.code_anchor(b, table)
            self.fields("code-changed", part, _code(b), anchor, a, b, ("scheme", "value", "meaning", "notes"))
            self.prose(part, _code(b), anchor, a.definition, b.definition, "definition")

    @staticmethod
    def code_anchor(code: Code, table: str) -> str:
        return _id("PS3.16", f"DCM_{code.value}") if code.scheme == "DCM" else table

    def context_groups(self) -> None:
        part = "PS3.16"
        pairs, removed, added = match(self.old.context_groups, self.new.context_groups, lambda g: g.cid,
                                      cid_keyword)
        for g in removed:
            self.add("context-group-removed", part, f"CID {g.cid}", _chapter(part), old=g.name)
        for g in added:
            self.add("context-group-added", part, f"CID {g.cid}", _cid(g.cid), new=g.name)
        for a, b in pairs:
            subject, anchor = f"CID {b.cid}", _cid(b.cid)
            self.fields("context-group-changed", part, subject, anchor, a, b,
                        ("cid", "name", "version", "extensible", "keyword", "uid", "includes"))
            self.prose(part, subject, anchor, a.description, b.description, "description")
            self.code_rows(a.rows, b.rows, f"CID {b.cid} {b.name}", _id(part, f"table_CID_{b.cid}"))
        pairs, removed, added = match(self.old.context_group_additions, self.new.context_group_additions,
                                      lambda g: g.cid)
        for g in removed:
            self.code_rows(g.rows, [], f"CID {g.cid} {g.name}", _chapter(part))
        for g in added:
            self.code_rows([], g.rows, f"CID {g.cid} {g.name}", _id(part, f"table_CID_{g.cid}"))
        for a, b in pairs:
            self.code_rows(a.rows, b.rows, f"CID {b.cid} {b.name}", _id(part, f"table_CID_{b.cid}"))

    def code_rows(self, old: list[CodeRow], new: list[CodeRow], where: str, anchor: str) -> None:
        part = "PS3.16"
        pairs, removed, added = match(old, new, lambda r: (r.scheme, r.value),
                                      lambda r: (r.scheme, r.meaning) if r.meaning else None)
        for r in removed:
            self.add("context-group-row-removed", part, _code(r), anchor, where=where,
                     old=self.old_index.code_meaning(r.scheme, r.value, r.meaning))
        for r in added:
            self.add("context-group-row-added", part, _code(r), anchor, where=where,
                     new=self.index.code_meaning(r.scheme, r.value, r.meaning))
        for a, b in pairs:
            if (a.scheme, a.value) != (b.scheme, b.value):
                self.add("context-group-row-changed", part, _code(b), anchor, where=where, field="code",
                         old=_code(a), new=_code(b))
            self.fields("context-group-row-changed", part, _code(b), anchor, a, b, ("meaning",), where=where)

    # -- Amendments, annex, examples

    def amendments(self) -> None:
        pairs, removed, added = match(self.old.amendments, self.new.amendments, _amendment_key)
        anchors = _amendment_anchors(self.new.amendments)
        for a in removed:
            self.add("amendment-removed", a.part, _amendment_subject(a), _chapter(a.part), old=a.title)
        for a in added:
            self.add("amendment-added", a.part, _amendment_subject(a), anchors[id(a)], new=a.title)
        for a, b in pairs:
            subject, anchor = _amendment_subject(b), anchors[id(b)]
            self.fields("amendment-changed", b.part, subject, anchor, a, b, ("title",))
            self.prose(b.part, subject, anchor, a.instruction, b.instruction, "instruction")
            # The text as this supplement makes it, then the text quoted from the standard.
            for side, field in (("new", "changes"), ("old", "changes (text of the standard)")):
                before, after = _amendment_text(a, side), _amendment_text(b, side)
                if before != after:
                    self.add("amendment-changed", b.part, subject, anchor, field=field, old=before, new=after,
                             words=tuple(word_diff(before, after)))

    def annex(self) -> None:
        part, a, b = "PS3.17", self.old.annex, self.new.annex
        if a is None and b is None:
            return
        if b is None:
            self.add("annex-section-removed", part, f"Annex {a.label}", _chapter(part), old=a.title)
            return
        anchor = _id(part, f"chapter_{b.label}")
        if a is None:
            self.add("annex-section-added", part, f"Annex {b.label}", anchor, new=b.title)
            return
        self.fields("annex-changed", part, f"Annex {b.label}", anchor, a, b, ("label", "title"))
        self.prose(part, f"Annex {b.label}", anchor, a.body, b.body, "body")
        self.annex_sections(a.sections, b.sections, b.label, anchor)

    def annex_sections(self, old: list[AnnexSection], new: list[AnnexSection], label: str, parent: str) -> None:
        """Compare the sections numbered under ``label`` (``<label>.n``, or their explicit labels); ``parent`` is
        the anchor of the enclosing section."""
        part = "PS3.17"
        labels = {id(s): number for s, number, _explicit in numbered(new, label)}
        pairs, removed, added = match(old, new, lambda s: s.title)
        for s in removed:
            self.add("annex-section-removed", part, s.title, parent, old=s.body)
        for s in added:
            number = labels[id(s)]
            self.add("annex-section-added", part, s.title, _id(part, f"sect_{number}"), new=number)
        for a, b in pairs:
            number = labels[id(b)]
            anchor = _id(part, f"sect_{number}")
            if a.label != b.label:
                self.add("annex-section-changed", part, b.title, anchor, field="label", old=a.label, new=b.label)
            self.prose(part, b.title, anchor, a.body, b.body, "body")
            if canon(a.figures) != canon(b.figures):
                self.add("annex-section-changed", part, b.title, anchor, field="figures",
                         old=[f.title for f in a.figures], new=[f.title for f in b.figures])
            self.annex_sections(a.sections, b.sections, number, anchor)

    def examples(self) -> None:
        """Example instances are files next to the draft, not part of it: their changes have no anchor."""
        part, anchor = "Examples", ""
        pairs, removed, added = match(self.old.examples, self.new.examples, lambda e: e.name)
        for e in removed:
            self.add("example-removed", part, e.name, anchor, old=e.title)
        for e in added:
            self.add("example-added", part, e.name, anchor, new=e.title)
        defaults_a, defaults_b = self.old.example_defaults, self.new.example_defaults
        for key in sorted(set(defaults_a) | set(defaults_b)):
            x, y = defaults_a.get(key, _ABSENT), defaults_b.get(key, _ABSENT)
            if canon(x) != canon(y):
                self.add("example-changed", part, "example_defaults", anchor, field=key,
                         old=None if x is _ABSENT else _value_text(x),
                         new=None if y is _ABSENT else _value_text(y))
        for a, b in pairs:
            self.fields("example-changed", part, b.name, anchor, a, b, ("title", "iod", "transfer_syntax",
                                                                        "icc_profile"))
            for key in sorted(set(a.conditions) | set(b.conditions)):
                x, y = a.conditions.get(key, _ABSENT), b.conditions.get(key, _ABSENT)
                if x != y:
                    self.add("example-changed", part, b.name, anchor, field=f"conditions.{key}",
                             old=None if x is _ABSENT else _value_text(x),
                             new=None if y is _ABSENT else _value_text(y))
            if canon(a.frames) != canon(b.frames):
                self.add("example-changed", part, b.name, anchor, field="frames",
                         old=_value_text(a.frames) if a.frames else None,
                         new=_value_text(b.frames) if b.frames else None)
            for key in sorted(set(a.values) | set(b.values)):
                x, y = a.values.get(key, _ABSENT), b.values.get(key, _ABSENT)
                if canon(x) != canon(y):
                    self.add("example-changed", part, b.name, anchor, field=f"values.{key}",
                             old=None if x is _ABSENT else _value_text(x),
                             new=None if y is _ABSENT else _value_text(y))


_ABSENT = object()


def semantic_diff(old: Supplement, new: Supplement) -> list[Change]:
    """The semantic changes from ``old`` to ``new``, in the order of the document (parts as in :data:`PARTS`)."""
    differ = _Differ(old, new)
    differ.front_matter()
    differ.iods()
    differ.modules()
    differ.sop_classes()
    differ.data_elements()
    differ.uids()
    differ.codes()
    differ.context_groups()
    differ.amendments()
    differ.sections()
    differ.annex()
    differ.examples()
    order = {part: i for i, part in enumerate(PARTS)}
    return sorted(differ.changes, key=lambda c: order.get(c.part, len(order)))


# --- Small helpers ----------------------------------------------------------------------------------------------


def _as_text(value: Any, index: Index) -> str | None:
    if isinstance(value, Condition):
        return condition_text(value, index)
    return text(value)


def _yaml_name(name: str) -> str:
    return "not" if name == "not_" else name


def _question(prose: Prose) -> str:
    return prose_text(prose) or ""


def _history_text(entry: Any) -> str:
    return f"{entry.version} {entry.date} {entry.status}: {prose_text(entry.summary)}"


def _after(keys: list[str], key: str) -> str:
    """Where a row is, by its neighbour: ``after X``, or ``first``."""
    position = keys.index(key)
    return f"after {keys[position - 1]}" if position else "first"


def _position(rows: list, row: Any) -> int:
    return next(i for i, r in enumerate(rows) if r is row) + 1


def _row_text(row: ModuleUse) -> str:
    return f"{row.ie} / {row.module} / {row.usage}"


def _group_text(row: FunctionalGroupUse) -> str:
    return f"{row.macro} / {row.usage}" + ("" if row.placement == "either" else f" / {row.placement}")


def _constraint_key(c: Constraint) -> tuple[str, str]:
    return (c.module, c.attribute)


def _constraint_text(c: Constraint) -> str:
    if c.absent:
        return "absent"
    bits = []
    if c.type:
        bits.append(f"Type {c.type}")
    if c.values:
        bits.append("values " + ", ".join(c.values))
    return "; ".join(bits) or "constrained"


def _module_name(m: Module) -> str:
    return f"{m.name} {'Macro' if m.kind == 'macro' else 'Module'}"


def _cid(number: int) -> str:
    return _id("PS3.16", f"sect_CID_{number}")


def _amendment_anchors(amendments: list[Amendment]) -> dict[int, str]:
    """The id of each amendment's section, numbered ``_2``, ``_3`` … when a section is amended twice."""
    used: dict[str, int] = {}
    result = {}
    for amendment in amendments:
        base = _id(amendment.part, f"sect_{amendment.section}")
        used[base] = used.get(base, 0) + 1
        result[id(amendment)] = base if used[base] == 1 else f"{base}_{used[base]}"
    return result


def _row_keys(rows: list) -> list[str]:
    """Unique keys of attribute rows: the keyword, or ``include <Macro>``; repeats numbered ``#2``, ``#3`` …"""
    keys: list[str] = []
    for row in rows:
        base = row.attribute if isinstance(row, Attribute) else f"include {row.include}"
        key, n = base, 1
        while key in keys:
            n += 1
            key = f"{base} #{n}"
        keys.append(key)
    return keys


def _attribute_text(row: Attribute | Include) -> str:
    if isinstance(row, Include):
        return f"include {row.include} Macro"
    return f"Type {row.type}"


def _tag(e: DataElement) -> int | None:
    return parse_tag(e.tag)


def _element_text(e: DataElement) -> str:
    return f"{e.tag} {e.name} {e.vr} {e.vm}"


def _code(c: Code | CodeRow) -> str:
    return f"{c.scheme}:{c.value}"


def _amendment_key(a: Amendment) -> tuple[str, str, str]:
    return (a.part, a.section, a.table or "")


def _amendment_subject(a: Amendment) -> str:
    return f"{a.part} {'Table ' + a.table if a.table else 'Section ' + a.section}"


def _amendment_text(amendment: Amendment, side: str) -> str:
    """The text an amendment shows as the old or the new side (for a word diff between drafts)."""
    gone = "added" if side == "old" else "removed"
    lines = []
    for block in amendment.changes:
        if block.ellipsis:
            lines.append("…")
        if block.paragraph is not None:  # the anchor in the baseline: moving it is a change of its own
            lines.append(f"(paragraph {block.paragraph})")
        paragraph = prose_text(getattr(block, side))
        if paragraph:
            lines.append(paragraph)
        if block.terms is not None:
            of = " of ".join(x for x in (block.terms.attribute, block.terms.module) if x)
            lines.append(block.terms.title + (f" ({of})" if of else "") + ": "
                         + ", ".join(t.value for t in block.terms.entries if t.change != gone))
        if block.table is not None:
            for row in block.table.rows:
                anchor = " ".join(f"({name} {value})" for name, value in (("key", row.key), ("after", row.after))
                                  if value)
                cells = getattr(row, side)
                if cells is not None or (anchor and side == "old"):
                    lines.append(" | ".join(cells or ()) + (" " + anchor if anchor else ""))
    return "\n".join(lines)


def _value_text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, bool):  # as YAML writes it (a prose condition's truth)
        return "true" if value else "false"
    return "null" if value is None else str(value)


__all__ = ["Change", "KINDS", "PARTS", "semantic_diff"]
