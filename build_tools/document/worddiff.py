"""Word-level differences between the old and the new text of an amendment.

Change text is never typed as markup: the spec holds the old and the new text, and the renderers show the words
only in the new text as inserted (underlined) and the words only in the old text as deleted (struck through).

:func:`word_diff` compares two strings; :func:`diff_tokens` compares any two token sequences (the renderers diff
sequences of resolved inline nodes, where a reference is one token). Tokens are words, runs of whitespace and
single punctuation characters, so "XC), or" against "XC), Dermoscopy (DMS), or" inserts exactly
"Dermoscopy (DMS), ".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable, Hashable, Literal, Sequence, TypeVar

Op = Literal["equal", "insert", "delete"]
T = TypeVar("T")

_TOKEN = re.compile(r"\s+|\w+(?:[’'-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A run of text that is in both texts (``equal``), only in the new (``insert``) or only in the old (``delete``)."""

    op: Op
    text: str


def tokens(text: str) -> list[str]:
    """Split text into words, whitespace runs and punctuation characters (joining them gives the text back)."""
    return _TOKEN.findall(text)


def diff_tokens(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable] = lambda t: t) \
        -> list[tuple[Op, list[T]]]:
    """The edit of ``old`` into ``new`` as runs of tokens; a replaced run is its deletion then its insertion."""
    a = [key(t) for t in old]
    b = [key(t) for t in new]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[tuple[Op, list[T]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("equal", list(new[j1:j2])))
            continue
        if i2 > i1:
            runs.append(("delete", list(old[i1:i2])))
        if j2 > j1:
            runs.append(("insert", list(new[j1:j2])))
    return _tidy(runs, key)


def _tidy(runs: list[tuple[Op, list[T]]], key: Callable[[T], Hashable]) -> list[tuple[Op, list[T]]]:
    """Absorb whitespace-only equal runs between two changes, so a change reads as one phrase, and merge runs."""
    out: list[tuple[Op, list[T]]] = []
    for position, (op, items) in enumerate(runs):
        between_changes = 0 < position < len(runs) - 1 and runs[position - 1][0] != "equal" \
            and runs[position + 1][0] != "equal"
        if op == "equal" and between_changes and all(_blank(t) for t in items):
            out.append(("delete", list(items)))
            out.append(("insert", list(items)))
            continue
        out.append((op, list(items)))
    # Group each change region as all its deletions, then all its insertions; merge neighbours of the same op.
    grouped: list[tuple[Op, list[T]]] = []
    region: dict[str, list[T]] = {"delete": [], "insert": []}

    def flush() -> None:
        for name in ("delete", "insert"):
            if region[name]:
                grouped.append((name, region[name]))  # type: ignore[arg-type]
        region["delete"], region["insert"] = [], []

    for op, items in out:
        if op == "equal":
            flush()
            if grouped and grouped[-1][0] == "equal":
                grouped[-1][1].extend(items)
            else:
                grouped.append(("equal", list(items)))
        else:
            region[op].extend(items)
    flush()
    return grouped


def _blank(token: object) -> bool:
    """A whitespace token: a string, or a text node (``kind`` "text") of the renderers."""
    if isinstance(token, str):
        return not token.strip()
    return getattr(token, "kind", None) == "text" and not getattr(token, "text", "x").strip()


def word_diff(old: str, new: str) -> list[Segment]:
    """The word-level difference of two texts as segments; joining the equal and insert segments gives ``new``,
    joining the equal and delete segments gives ``old``."""
    return [Segment(op, "".join(items)) for op, items in diff_tokens(tokens(old), tokens(new))]
