"""Choosing findings by code: ``--select`` and ``--ignore`` on the command line, ``lint.ignore`` in a supplement.

A pattern is a code (``DS213``) or the prefix of codes (``DS2`` for every DS2xx, ``DS`` for all). A finding is
reported when ``select`` is empty or one of its patterns matches the code, and no ``ignore`` pattern matches it;
when both match, the longer (more specific) pattern wins, and ``ignore`` wins a tie. So ``--select DS2 --ignore
DS213`` reports every DS2xx but DS213, and ``--select DS213 --ignore DS2`` reports DS213 alone of the DS2xx.
Findings without a code are always reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from build_tools.core.findingcodes import CODES, closest

#: The codes each command reports, by prefix: lint, build and check the spec's, verify the files'.
SPEC_CODES, FILE_CODES = "DS", "DV"


def split_patterns(values: Iterable[str]) -> list[str]:
    """``["DS1,DS2", "DS3"]`` (options given once or several times, comma-separated) as ``["DS1", "DS2", "DS3"]``."""
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def pattern_problem(pattern: str, prefix: str) -> str | None:
    """Why ``pattern`` chooses no code of a command whose codes start with ``prefix``; None when it is valid."""
    wanted = pattern.strip().upper()
    if not wanted:
        return f"an empty code; expected a code such as {prefix}213 or a prefix such as {prefix}2"
    matching = [code for code in CODES if code.startswith(wanted)]
    if any(code.startswith(prefix) for code in matching):
        return None
    if matching:
        other = "dicomsup verify" if matching[0].startswith(FILE_CODES) else "the spec (lint, build, check)"
        return f"{pattern!r} is a code of {other}; this takes {prefix}xxx codes"
    near = closest(wanted, prefix)
    hint = f"; did you mean {near!r}?" if near else f"; expected {prefix} followed by digits, e.g. {prefix}2"
    return f"unknown code {pattern!r}{hint}"


def _specificity(patterns: tuple[str, ...], code: str) -> int | None:
    """The length of the longest pattern that matches ``code``, or None when none does."""
    lengths = [len(p) for p in patterns if code.startswith(p)]
    return max(lengths) if lengths else None


@dataclass(frozen=True)
class Selection:
    """Which codes are reported (see the module's documentation)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
        return cls(tuple(split_patterns(select)), tuple(split_patterns(ignore)))

    def also_ignoring(self, patterns: Iterable[str]) -> Selection:
        return Selection(self.select, self.ignore + tuple(split_patterns(patterns)))

    def allows(self, code: str) -> bool:
        if not code:
            return True
        chosen = _specificity(self.select, code) if self.select else 0
        if chosen is None:
            return False
        ignored = _specificity(self.ignore, code)
        return ignored is None or chosen > ignored

    @property
    def narrowed(self) -> bool:
        """Whether anything is left out at all."""
        return bool(self.select or self.ignore)
