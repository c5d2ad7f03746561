"""The functional groups of an enhanced multi-frame instance, against the IOD's Functional Group Macros table.

PS3.3 C.7.6.16: each functional group macro's sequence goes either in the one item of the Shared Functional Groups
Sequence (5200,9229), for all frames, or in every item of the Per-Frame Functional Groups Sequence (5200,9230), one
item per frame; never in both. The IOD's table says which macros are required (M, or C by a condition) and where
a macro may go (``placement``: shared, per-frame or either). Inside each item where a macro's sequence is, its
attributes are checked as a module's are; a condition of a Per-Frame item's attribute sees the frame's whole
description, its item and then the Shared item (and then the top level).
"""

from __future__ import annotations

from typing import Any

from pydicom.dataset import Dataset

from build_tools.core.tags import tag_text
from build_tools.iod.conditions import clause
from build_tools.iod.evaluate import values_of
from build_tools.verify.issues import issue

#: The :class:`build_tools.verify.checker.Checker` that calls in (not imported: the checker imports this module).
Checker = Any

SHARED, PER_FRAME, FRAMES = 0x52009229, 0x52009230, 0x00280008
SHARED_NAME = "(5200,9229) SharedFunctionalGroupsSequence"
PER_FRAME_NAME = "(5200,9230) PerFrameFunctionalGroupsSequence"


def _items(dataset: Dataset, tag: int) -> list[Dataset]:
    if tag not in dataset.keys():
        return []
    try:
        element = dataset[tag]
        return list(element.value) if element.VR == "SQ" and element.value else []
    except Exception:  # reported by the element checks
        return []


def check_frame_count(checker: Checker, dataset: Dataset) -> None:
    """One Per-Frame item per frame: its item count is Number of Frames (as dciodvfy checks)."""
    if PER_FRAME not in dataset.keys() or FRAMES not in dataset.keys():
        return
    try:
        frames = values_of(dataset[FRAMES])
        count = len(dataset[PER_FRAME].value or [])
        number = int(frames[0]) if frames else None
    except Exception:  # a broken Number of Frames is reported by the element checks
        return
    if number is not None and count != number:
        checker.issues.append(issue("DV219", PER_FRAME_NAME, f"has {count} item{'s' * (count != 1)}; Number of "
                                                             f"Frames (0028,0008) is {number} (one item per frame)"))


def check_functional_groups(checker: Checker, dataset: Dataset) -> None:
    """Placement, usage and contents of each functional group macro of the IOD in ``dataset``."""
    check_frame_count(checker, dataset)
    plan = checker.plan
    if not plan.functional_groups:
        return
    shared = _items(dataset, SHARED)[:1]  # more than one item: DV214 of the module's row
    frames = _items(dataset, PER_FRAME)
    for fg, level in zip(plan.functional_groups, plan.functional_group_levels):
        tags = fg.tags
        if not tags:
            continue  # the macro is unknown (a DV203 problem) or has no sequence
        use = fg.use
        where = f"{use.macro} Functional Group, {use.usage}"
        sequence = checker.index.element_by_tag(min(tags))
        label = f"{tag_text(sequence.tag)} {sequence.keyword}" if sequence else use.macro
        in_shared = bool(shared) and any(tag in shared[0].keys() for tag in tags)
        in_frames = [number for number, item in enumerate(frames, 1) if any(tag in item.keys() for tag in tags)]
        present = in_shared or bool(in_frames)
        holds = True if use.usage == "M" else checker.holds(use.condition, [dataset]) if use.usage == "C" else False
        if in_shared and in_frames:
            checker.issues.append(issue("DV221", label, f"is in the Shared Functional Groups Sequence and in "
                                                        f"{_frames(in_frames, frames)}; it belongs in one of them",
                                        where))
        elif in_shared and use.placement == "per-frame":
            checker.issues.append(issue("DV222", label, "is in the Shared Functional Groups Sequence; the IOD "
                                                        "places it in each item of the Per-Frame Functional Groups "
                                                        "Sequence", where))
        elif in_frames and use.placement == "shared":
            checker.issues.append(issue("DV222", label, f"is in {_frames(in_frames, frames)}; the IOD places it "
                                                        "in the Shared Functional Groups Sequence", where))
        elif in_frames and len(in_frames) < len(frames):
            checker.issues.append(issue("DV223", label, f"is in {_frames(in_frames, frames)} only; a functional "
                                                        "group is in the Shared item or in every Per-Frame item",
                                        where))
        if not present and holds is True:
            place = {"shared": "the Shared Functional Groups Sequence item",
                     "per-frame": "each item of the Per-Frame Functional Groups Sequence"}.get(
                use.placement, "the Shared Functional Groups Sequence item or each Per-Frame item")
            because = f" (required because {clause(use.condition, checker.index)})" if use.usage == "C" \
                and use.condition is not None else ""
            checker.issues.append(issue("DV220", f"{use.macro} Functional Group", f"is absent{because}: "
                                                                                 f"{label} is not in {place}", where))
        elif holds is None and (not present or use.otherwise == "absent"):
            checker.not_checkable(f"{use.macro} Functional Group", "is present" if present else "is absent",
                                  use.condition, where, baseline=False)
        elif present and holds is False and use.usage == "C" and use.otherwise == "absent":
            checker.issues.append(issue("DV224", label, f"is present but shall be absent: it is required only when "
                                                        f"{clause(use.condition, checker.index)}, which does not "
                                                        "hold", where))
        if in_shared:
            checker.check_level([dataset, shared[0]], level, f"{SHARED_NAME.split()[0]}[1]>",
                                f"{SHARED_NAME.split()[1]}[1]>")
        for number in in_frames:  # a frame is described by its item and the Shared item: conditions see both
            checker.check_level([dataset, *shared, frames[number - 1]], level,
                                f"{PER_FRAME_NAME.split()[0]}[{number}]>", f"{PER_FRAME_NAME.split()[1]}[{number}]>")
    if plan.complete and all(fg.module is not None for fg in plan.functional_groups):
        places = [(item, f"{SHARED_NAME.split()[0]}[1]>", f"{SHARED_NAME.split()[1]}[1]>") for item in shared]
        places += [(item, f"{PER_FRAME_NAME.split()[0]}[{number}]>", f"{PER_FRAME_NAME.split()[1]}[{number}]>")
                   for number, item in enumerate(frames, 1)]
        for item, tag_path, keyword_path in places:
            for name in checker.undefined(item, plan.functional_group_tags, tag_path, keyword_path):
                checker.issues.append(issue("DV225", name, "is the sequence of none of the IOD's functional group "
                                                           "macros"))


def _frames(numbers: list[int], frames: list[Dataset]) -> str:
    """"item 2 of the 3 Per-Frame items", "items 1, 2 of the 3 Per-Frame items"."""
    shown = ", ".join(str(n) for n in numbers[:10]) + (", …" if len(numbers) > 10 else "")
    return f"item{'s' * (len(numbers) != 1)} {shown} of the {len(frames)} Per-Frame Functional Groups Sequence items"
