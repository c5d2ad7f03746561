"""The three forms of a diff report: text for the terminal, JSON, and a self-contained HTML page.

All three list the changes of :func:`build_tools.diff.semantic.semantic_diff` grouped by part and then by kind (in the
order of :data:`~build_tools.diff.semantic.KINDS`); within a group, in the order of the document. The HTML page comes from
``templates/html/changes.html.j2`` and links every change to its anchor in the draft (``index.html#<id>``).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import jinja2

from build_tools.diff.semantic import KINDS, PARTS, Change
from build_tools.standard.index import Index
from build_tools.core.model import Supplement


#: Equal runs longer than this many words are shortened in the terminal.
CONTEXT_WORDS = 4


@dataclass(frozen=True)
class Group:
    """The changes of one part, by kind."""

    part: str
    kinds: list[tuple[str, list[Change]]]

    @property
    def changes(self) -> list[Change]:
        return [change for _, items in self.kinds for change in items]

    @property
    def count(self) -> int:
        return len(self.changes)


def grouped(changes: list[Change]) -> list[Group]:
    """Changes by part (in :data:`PARTS` order) and kind (in :data:`KINDS` order), document order within."""
    kind_order = {kind: i for i, kind in enumerate(KINDS)}
    parts = sorted({c.part for c in changes}, key=lambda p: (PARTS.index(p) if p in PARTS else len(PARTS), p))
    result = []
    for part in parts:
        mine = [c for c in changes if c.part == part]
        kinds = sorted({c.kind for c in mine}, key=lambda k: kind_order.get(k, len(kind_order)))
        result.append(Group(part, [(kind, [c for c in mine if c.kind == kind]) for kind in kinds]))
    return result


def draft_label(supplement: Supplement) -> str:
    """``0.9 (Letter Ballot, 2026-09-09)``."""
    details = ", ".join(x for x in (supplement.status, supplement.date) if x)
    return f"{supplement.version} ({details})" if details else supplement.version


def _one_line(text: str | None) -> str:
    return " ¶ ".join((text or "").split("\n"))


def _compact(change: Change) -> str:
    """A word diff in the style of ``git diff --word-diff``, long unchanged runs shortened."""
    out = []
    for position, segment in enumerate(change.words):
        text = _one_line(segment.text)
        if segment.op == "delete":
            out.append(f"[-{text}-]")
        elif segment.op == "insert":
            out.append(f"{{+{text}+}}")
        else:
            words = text.split(" ")
            first, last = position == 0, position == len(change.words) - 1
            keep = CONTEXT_WORDS
            if len(words) > 2 * keep + 1 or ((first or last) and len(words) > keep + 1):
                head = [] if first else words[:keep]
                tail = [] if last else words[-keep:]
                text = " ".join(head) + " … " + " ".join(tail)
            out.append(text)
    return "".join(out).strip()


def change_line(change: Change) -> str:
    """One change as one line: subject, field, and old -> new (or the word diff)."""
    field = f" {change.field}" if change.field else ""
    if change.words:
        detail = _compact(change)
    elif change.old is not None and change.new is not None:
        detail = f"{_one_line(change.old)} -> {_one_line(change.new)}"
    elif change.new is not None:
        detail = f"+ {_one_line(change.new)}"
    elif change.old is not None:
        detail = f"- {_one_line(change.old)}"
    else:
        detail = ""
    return f"{change.label}{field}" + (f": {detail}" if detail else "")


def render_text(changes: list[Change], old: Supplement, new: Supplement, sources: tuple[str, str]) -> str:
    lines = [f"Supplement {new.number} {new.title}: {sources[0]} {draft_label(old)} -> {sources[1]} "
             f"{draft_label(new)}: {len(changes)} change{'s' * (len(changes) != 1)}"]
    for group in grouped(changes):
        lines.append("")
        lines.append(f"{group.part} ({group.count})")
        for kind, items in group.kinds:
            for change in items:
                lines.append(f"  {kind:<30} {change_line(change)}")
    return "\n".join(lines) + "\n"


def _side(supplement: Supplement, source: str) -> dict:
    return {"source": source, "number": supplement.number, "title": supplement.title,
            "version": supplement.version, "status": supplement.status, "date": supplement.date}


def render_json(changes: list[Change], old: Supplement, new: Supplement, sources: tuple[str, str]) -> str:
    """JSON with sorted keys and the changes in report order: the same input gives the same bytes."""
    data = {"old": _side(old, sources[0]), "new": _side(new, sources[1]), "count": len(changes),
            "changes": [c.as_dict() for group in grouped(changes) for c in group.changes]}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def environment(kind: str = "html") -> jinja2.Environment:
    """The renderers' Jinja environment for ``templates/<kind>/`` (autoescaped, strict)."""
    from build_tools.core.resources import environment as shared

    return shared(kind)


def document_ids(supplement: Supplement) -> frozenset[str]:
    """Every id of the rendered draft (:func:`build_tools.document.build.document`): the anchors a change may link to."""
    from build_tools.document.build import document

    return ids_of(document(supplement, Index(supplement)))


def ids_of(document: Any) -> frozenset[str]:
    """Every id of a presentation model (:class:`build_tools.document.nodes.Document`)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if dataclasses.is_dataclass(node):
            node_id = getattr(node, "id", None)
            if isinstance(node_id, str) and node_id:
                found.add(node_id)
            for f in dataclasses.fields(node):
                walk(getattr(node, f.name))
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(document)
    return frozenset(found)


def settle_anchors(changes: list[Change], ids: frozenset[str]) -> list[Change]:
    """Changes whose anchor is not in the draft point at their part's chapter instead (or nowhere)."""
    settled = []
    for change in changes:
        if change.anchor and change.anchor not in ids:
            chapter = "chapter_History" if change.part == "Front matter" else f"chapter_{change.part}"
            change = dataclasses.replace(change, anchor=chapter if chapter in ids else "")
        settled.append(change)
    return settled


def render_html(changes: list[Change], old: Supplement, new: Supplement, sources: tuple[str, str],
                document: str = "index.html") -> str:
    """The changes page; ``document`` is the draft the anchors are in (relative to the page)."""
    template = environment("html").get_template("changes.html.j2")
    return template.render(groups=grouped(changes), count=len(changes), old=old, new=new,
                           old_label=draft_label(old), new_label=draft_label(new), sources=sources,
                           document=document, kinds=KINDS)
