"""Labels of sections that are numbered automatically unless the author gives one: the PS3.17 annex sections.

A section with an explicit ``label`` keeps it, and its later siblings count on from its last number (so
``label: BBBBB.7`` on the first section makes the next one BBBBB.8); the others are ``<parent>.<n>``. The check
and the document number sections with this one function, so the labels lint judges are the labels printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_LAST_NUMBER = re.compile(r"\.(\d+)$")


def numbered(sections: list[Any], parent: str) -> Iterator[tuple[Any, str, bool]]:
    """``(section, label, explicit)`` for each of ``sections`` (objects with an optional ``label``) under the
    label ``parent``, in order."""
    number = 0
    for section in sections:
        given = getattr(section, "label", None)
        if given:
            match = _LAST_NUMBER.search(given)
            if match is not None:
                number = int(match.group(1))
            yield section, given, True
        else:
            number += 1
            yield section, f"{parent}.{number}", False


def walk(sections: list[Any], parent: str, depth: int = 1) -> Iterator[tuple[Any, str, bool, str, int]]:
    """Every section at any depth: ``(section, label, explicit, parent label, depth)`` in document order; the
    subsections of each are under its label (``sections`` of the objects)."""
    for section, label, explicit in numbered(sections, parent):
        yield section, label, explicit, parent, depth
        yield from walk(list(getattr(section, "sections", None) or []), label, depth + 1)


def subsection_label(section: str, table: str | None, default: int) -> str:
    """The label of the IOD subsection that holds a table: ``<section>.N`` when the explicit table label is
    ``<section>.N-1`` (Table A.90.2.5-1 is in Section A.90.2.5), else ``<section>.<default>``."""
    match = re.fullmatch(rf"{re.escape(section)}\.(\d+)-\d+[a-z]?", table or "")
    return f"{section}.{match.group(1) if match else default}"
