"""Rules of the front matter (``DS1xx``): dates, the parts changed, the UID root, and the lint settings."""

from __future__ import annotations

from build_tools.check.context import Context
from build_tools.core import syntax
from build_tools.core.model import Supplement
from build_tools.core.selection import SPEC_CODES, Selection, pattern_problem

DICOM_ROOT = "1.2.840.10008."
#: A ``uid_root`` longer than this leaves fewer than 16 digits for the part derived from a UUID (64 in all).
UID_ROOT_MAX = 64 - 1 - 16
#: The codes of the loader's findings, which lint.ignore cannot silence (it applies to the rules only).
LOADER_CODES = "DS0"


def check_front_matter(ctx: Context) -> None:
    s = ctx.supplement
    if ctx.readable(s, "number") and s.number <= 0:
        ctx.report("DS108", ctx.at(s, "number"), f"supplement number {s.number} is not a positive whole number; "
                                                 "give the number the DICOM editor assigned (e.g. 221)")
    for obj in [s, *s.history]:
        if obj.date and (problem := syntax.date(obj.date)):
            ctx.report("DS101", ctx.at(obj, "date"), f"date {obj.date!r} {problem}")
    needed = {"PS3.3": bool(s.iods or s.modules), "PS3.4": bool(s.sop_classes),
              "PS3.6": bool(s.data_elements or s.uids), "PS3.16": bool(s.codes or s.context_groups
                                                                     or s.context_group_additions),
              "PS3.17": s.annex is not None}
    for amendment in s.amendments:
        if ctx.readable(amendment, "part"):
            needed[amendment.part] = True
    _uid_root(ctx)
    for part, used in needed.items():
        if used and part not in s.parts and "parts" in s.locs:  # a part left out of the list is not judged
            ctx.report("DS102", ctx.at(s, "parts"), f"the supplement changes {part} but 'parts' does not list it")
    _lint_settings(ctx)


def _uid_root(ctx: Context) -> None:
    """``uid_root`` is where the example instances' UIDs are made: a valid root, not the DICOM root."""
    root, where = ctx.supplement.uid_root, ctx.at(ctx.supplement, "uid_root")
    if problem := syntax.uid(root):
        ctx.report("DS103", where, f"uid_root {root!r} {problem}; use 2.25 (UUID-derived UIDs, PS3.5 B.2) or your "
                                   "organization's UID root")
    elif root == DICOM_ROOT[:-1] or root.startswith(DICOM_ROOT):
        ctx.report("DS104", where, f"uid_root {root} is under the DICOM root {DICOM_ROOT[:-1]}, which is reserved for "
                                   "the UIDs of the standard itself; the example instances' UIDs are derived from "
                                   "uid_root, so use 2.25 (UUID-derived UIDs, PS3.5 B.2) or your organization's UID "
                                   "root")
    elif len(root) > UID_ROOT_MAX:
        ctx.report("DS105", where, f"uid_root is {len(root)} characters long, which leaves {63 - len(root)} digits of "
                                   f"the 64 characters of a UID for the derived part, so example UIDs may collide; "
                                   f"use a root of at most {UID_ROOT_MAX} characters, such as 2.25")


def _lint_settings(ctx: Context) -> None:
    """Each entry of ``lint.ignore`` names rule codes (or a prefix of them) that exist and that it may silence."""
    settings = ctx.supplement.lint
    if settings is None:
        return
    for number, entry in enumerate(settings.ignore, 1):
        if found := _ignore_problem(entry):
            code, problem = found
            ctx.report(code, ctx.item_at(settings, "ignore", number), f"lint.ignore[{number}]: {problem}")


def _ignore_problem(entry: str) -> tuple[str, str] | None:
    """The code and message of what is wrong with an entry of ``lint.ignore``, or None."""
    if problem := pattern_problem(entry, SPEC_CODES):
        return "DS106", problem
    if entry.strip().upper().startswith(LOADER_CODES):
        return "DS107", (f"{entry} names findings of the loader, which cannot be ignored: the spec is not read as "
                         "written until they are fixed")
    return None


def lint_selection(supplement: Supplement) -> Selection:
    """What the supplement's ``lint.ignore`` leaves out: its valid entries (the others are reported)."""
    entries = supplement.lint.ignore if supplement.lint is not None else []
    return Selection.of(ignore=[entry for entry in entries if _ignore_problem(entry) is None])
