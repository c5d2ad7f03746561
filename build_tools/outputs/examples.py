"""Example instances: one DICOM Part 10 file per ``examples`` variant of the spec, with a dump and a PNG preview.

What goes into a file comes from the model, never from a list here: every Type 1 and Type 2 attribute of every
mandatory module of the IOD (macros expanded; items of the sequences that are themselves required), and every
conditional attribute whose structured condition holds on the dataset being built (evaluated again after each
change until nothing changes). The supplement's ``example_defaults`` and then the variant's ``values`` are applied
first (``null`` leaves an attribute out); what the author gives is never replaced or removed, at any depth. Then
come the IOD's constraints, then :data:`DEFAULTS` (generic values by keyword: nothing of any one supplement), then a
value made from the attribute's Enumerated Values, Defined Terms or VR, with as many values as its VM asks and cut
to the VR's length at a word boundary.

An enhanced multi-frame IOD (one with ``functional_groups``) gets a Shared Functional Groups Sequence of one item
and a Per-Frame Functional Groups Sequence of one item per frame (Number of Frames, else one per ``frames``
mapping, else 1), the variant's ``frames`` in them; each functional group macro goes where its placement says
(M always, U only when the variant gives a value inside it, C when its condition holds); the Dimension Index
Sequence points at the attributes ``frames`` varies, and every frame's Dimension Index Values agree with it.

Prose (``named``) conditions are what the variant's ``conditions`` say; one it leaves open is taken not to hold
(lint warns, DS613). :data:`NAMED_FOR_EXAMPLES` decides the few catalog conditions that matter to a synthetic
photograph when the variant does not; any other is taken not to hold (the attribute is left out), which the
verifier accepts because it makes no presence check on them.

Each variant is written in its ``transfer_syntax`` (uncompressed, JPEG Baseline or RLE Lossless) and with its
``icc_profile``, by :mod:`build_tools.outputs.pixels`; besides the Part 10 file, its DICOM JSON (PS3.18 Annex F,
Pixel Data as a ``BulkDataURI`` to the Part 10 file), a dump and a PNG. The folder's ``README.md`` lists the files,
their encoding, anatomic region and laterality, the findings of ``dicomsup verify`` and the messages that dciodvfy
is expected to print (:data:`DCIODVFY_EXPECTED`, checked against the installed dciodvfy by the tests).

Determinism: UIDs are ``<uid_root>.<integer of uuid5(namespace, stable name)>`` (the PS3.5 B.2 scheme when the root
is ``2.25``), dates are the supplement's date, times are fixed (the study at 10:15:00, variant n acquired n minutes
later), the File Meta Information names dicomsup and its version, and the pixels are drawn without randomness, so a
rebuild gives byte-identical files.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import UID

from build_tools import __version__
from build_tools.core.errors import Finding, Severity
from build_tools.check.examples import vm_bounds
from build_tools.core.model import Condition, Example, Supplement
from build_tools.iod.evaluate import evaluate, normalize
from build_tools.iod.walk import (FunctionalGroupRules, ModuleRules, Rule, functional_group_rules, iod_rules, resolver,
                                  sop_class_uid)
from build_tools.outputs import pixels
from build_tools.outputs.base import BuildContext, Output
from build_tools.standard.index import Index
from build_tools.verify.checker import Issue, verify_file

#: Namespace of the UUIDs from which example UIDs are derived (uuid5 of the project's URL).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/dicom-wg/dicomsup/examples")
#: The File Meta Information names the implementation that wrote the file (PS3.10 7.1, PS3.7 D.3.3.2): dicomsup,
#: whatever the supplement; the version name follows the package version.
IMPLEMENTATION_VERSION = f"DICOMSUP_{__version__}"[:16]
TIME = "101500"  # the study starts at 10:15:00; variant n is acquired n minutes later
IMAGE_SIZE = 256
INT_VRS = {"US", "SS", "UL", "SL", "UV", "SV"}
FLOAT_VRS = {"FL", "FD"}
BINARY_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "UN"}


def derive_uid(root: str, name: str) -> str:
    """``root`` + ``.`` + the integer of ``uuid5(NAMESPACE, name)``, cut to fit the 64 characters of a UID."""
    root = root.strip().rstrip(".") or "2.25"
    number = uuid.uuid5(NAMESPACE, name).int
    room = 64 - len(root) - 1
    if room < 1:
        root, room = "2.25", 64 - 5
    if len(str(number)) > room:
        number %= 10 ** room
    return f"{root}.{number}"


IMPLEMENTATION_CLASS_UID = derive_uid("2.25", "dicomsup/implementation")


@dataclass
class Context:
    """What a default value may depend on: the supplement, the variant and its position; and what the author wrote,
    which nothing generated or conditional may change."""

    supplement: Supplement
    index: Index
    example: Example
    number: int  # 1-based position of the variant in the spec
    frames: int = 1  # the number of frames of the instance
    frame: int | None = None  # 0-based frame whose Per-Frame Functional Groups item is being filled
    #: (id of a dataset, tag) of the elements the author gave (values, frames, example_defaults) and of the few
    #: the generator decides as a whole (the functional group sequences, the Dimension Index Sequence)
    kept: set[tuple[int, int]] = field(default_factory=set)
    #: (id of a dataset, tag) the author left out with null
    removed: set[tuple[int, int]] = field(default_factory=set)
    #: the datasets named in ``kept`` and ``removed``, held so that no id is reused while the variant is built
    pinned: list[Dataset] = field(default_factory=list)
    frame_types: list[str] | None = None  # the values of Image Type and Frame Type of an enhanced IOD
    mandatory: set[str] = field(default_factory=set)  # keywords of the IOD's mandatory modules

    def resolve(self, keyword: str) -> int | None:
        return resolver(self.index)(keyword)

    def uid(self, role: str) -> str:
        return derive_uid(self.supplement.uid_root, f"{self.supplement.name}/{role}")

    @property
    def time(self) -> str:
        """When this variant was acquired: ``number`` minutes after the study began at :data:`TIME`."""
        seconds = int(TIME[:2]) * 3600 + int(TIME[2:4]) * 60 + int(TIME[4:6]) + 60 * self.number
        seconds %= 24 * 3600
        return f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"

    @property
    def date(self) -> str:
        digits = "".join(ch for ch in self.supplement.date if ch.isdigit())
        return digits if len(digits) == 8 else "20000101"

    @property
    def conditions(self) -> dict[str, bool]:
        """The variant's choice for each prose condition."""
        return dict(self.example.conditions or {})


Value = Any | Callable[[Context], Any]

#: Sensible values by keyword, for attributes whose generic value would be legal but meaningless. None is specific
#: to a supplement: what is (manufacturer, model, patient, study) comes from the spec's ``example_defaults``; the
#: placeholders here are made from the supplement's title and number.
DEFAULTS: dict[str, Value] = {
    "PatientName": "Example^Patient",
    "PatientID": lambda c: f"SUP{c.supplement.number}-0001",
    "StudyInstanceUID": lambda c: c.uid("study"),
    "StudyDate": lambda c: c.date,
    "StudyTime": TIME,
    "StudyID": lambda c: f"SUP{c.supplement.number}-1",
    "AccessionNumber": lambda c: f"A{c.date}",
    "SeriesInstanceUID": lambda c: c.uid(f"{c.example.name}/series"),
    "SeriesNumber": lambda c: str(c.number),
    "Manufacturer": lambda c: f"Example {c.supplement.title} Devices",
    "ManufacturerModelName": lambda c: f"{c.supplement.title} Model 1",
    "DeviceSerialNumber": lambda c: f"SUP{c.supplement.number}-0001",
    "SoftwareVersions": "1.0",
    "InstanceNumber": "1",
    "PatientOrientation": "",
    "Laterality": "L",
    "ContentDate": lambda c: c.date,
    "ContentTime": lambda c: c.time,
    "AcquisitionDateTime": lambda c: f"{c.date}{c.time}",
    "FrameAcquisitionDateTime": lambda c: f"{c.date}{c.time}",
    "FrameReferenceDateTime": lambda c: f"{c.date}{c.time}",
    "ImageType": lambda c: c.frame_types or ["ORIGINAL", "PRIMARY"],
    "FrameType": lambda c: c.frame_types or ["ORIGINAL", "PRIMARY"],
    "LossyImageCompression": "00",
    "SamplesPerPixel": 3,
    "PhotometricInterpretation": "RGB",
    "Rows": IMAGE_SIZE,
    "Columns": IMAGE_SIZE,
    "BitsAllocated": 8,
    "BitsStored": 8,
    "HighBit": 7,
    "PixelRepresentation": 0,
    "PlanarConfiguration": 0,
    "NumberOfFrames": lambda c: c.frames,
    "InStackPositionNumber": lambda c: (c.frame or 0) + 1,
    "FrameAcquisitionNumber": lambda c: (c.frame or 0) + 1,
    # Orientations and spacings: an identity orientation and square pixels of the field of view over the image.
    "ImageOrientationPatient": [1, 0, 0, 0, 1, 0],
    "ImageOrientationSlide": [0, -1, 0, -1, 0, 0],
    "PixelSpacing": ["0.001", "0.001"],
    "RecognizableVisualFeatures": "NO",
    "BurnedInAnnotation": "NO",
    "SOPClassUID": lambda c: sop_class_uid(c.supplement, c.index, c.example.iod),
    "SOPInstanceUID": lambda c: c.uid(f"{c.example.name}/instance"),
    "SpecificCharacterSet": "ISO_IR 192",
}


def _non_ascii(stack: list[Dataset]) -> bool:
    for element in stack[0].iterall():
        value = element.value
        if isinstance(value, str) and not value.isascii():
            return True
        if isinstance(value, (list, tuple)) and any(isinstance(v, str) and not v.isascii() for v in value):
            return True
    return False


def _samples_above_one(stack: list[Dataset]) -> bool:
    try:
        return int(stack[-1].get("SamplesPerPixel", 1) or 1) > 1
    except (TypeError, ValueError):
        return False


#: Whether a ``named`` catalog condition holds for a synthetic photograph of a human patient, when the variant's
#: ``conditions`` do not say.
NAMED_FOR_EXAMPLES: dict[str, Callable[[list[Dataset]], bool]] = {
    "SamplesPerPixelGreaterThanOne": _samples_above_one,
    # A photograph has no Image Orientation (Patient) / Image Position (Patient) and is not of a specimen.
    "PatientOrientationRequired": lambda stack: "ImageOrientationPatient" not in stack[-1],
    # Content Date and Time: an acquisition records when it was made.
    "ContentDateRequired": lambda stack: True,
    "ContentTimeRequired": lambda stack: True,
    "SpecificCharacterSetRequired": _non_ascii,
    # Laterality of the series: the skin region may be paired, and no Image Laterality says otherwise.
    "LateralityRequired": lambda stack: "ImageLaterality" not in stack[-1],
}


def decide(condition: Condition | None, stack: list[Dataset], ctx: Context) -> bool | None:
    """A condition evaluated on ``stack`` with the variant's prose conditions assumed; None when unknown."""
    return evaluate(condition, stack, ctx.resolve, assumed=ctx.conditions)


def holds(rule: Rule, stack: list[Dataset], ctx: Context) -> bool:
    """Whether a conditional rule's condition holds, for the purpose of building an example. A prose condition
    the variant does not decide is taken not to hold (lint says so, DS613), unless a catalog judge knows it."""
    result = decide(rule.condition, stack, ctx)
    if result is not None:
        return result
    named = rule.condition.named if rule.condition is not None else None
    judge = NAMED_FOR_EXAMPLES.get(named or "")
    return bool(judge(stack)) if judge else False


def _tag_value(value: Any, ctx: Context) -> int | None:
    """An AT value from YAML: a keyword, ``(gggg,eeee)``, ``ggggeeee`` or an integer; None when it names no tag."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    element = ctx.index.element(text)
    if element is not None:
        return element.tag
    digits = text.strip("()").replace(",", "")
    try:
        number = int(digits, 16)
    except ValueError:
        return None
    return number if len(digits) == 8 and ctx.index.element_by_tag(number) is not None else None


def _coerce(vr: str, value: Any, ctx: Context, stack: list[Dataset], kept: bool = False) -> Any:
    """A YAML or default value in the Python type pydicom wants for ``vr``; ``kept``: the author's value, whose
    elements (those inside sequence items too) nothing generated may change."""
    if vr == "SQ":
        items = []
        for entry in value if isinstance(value, list) else []:
            item = Dataset()
            for keyword, inner in (entry or {}).items() if isinstance(entry, dict) else []:
                _set(item, keyword, inner, ctx, stack + [item], kept)
            items.append(item)
        return Sequence(items)
    if isinstance(value, (list, tuple)):
        return [_coerce(vr, v, ctx, stack, kept) for v in value]
    if value is None or value == "":
        return None if vr in INT_VRS | FLOAT_VRS | {"AT"} else ""
    if vr == "AT":
        return _tag_value(value, ctx)
    if vr in INT_VRS:
        return int(value)
    if vr in FLOAT_VRS:
        return float(value)
    if vr in BINARY_VRS:
        return value if isinstance(value, bytes) else str(value).encode("ascii", "replace")
    return str(value)


def _vr(ctx: Context, keyword: str) -> str | None:
    element = ctx.index.element(keyword)
    if element is None:
        return None
    if keyword == "PixelData":
        return "OB"
    return element.vr.split(" or ")[0].strip()


def _set(dataset: Dataset, keyword: str, value: Any, ctx: Context, stack: list[Dataset], kept: bool = False) -> bool:
    """Set ``keyword`` of ``dataset`` to a YAML value; ``kept``: the author's (null leaves the attribute out)."""
    element = ctx.index.element(keyword)
    vr = _vr(ctx, keyword)
    if element is None or vr is None:
        return False
    if kept:
        ctx.pinned.append(dataset)
    if kept and value is None:
        ctx.removed.add((id(dataset), element.tag))
        if element.tag in dataset:
            del dataset[element.tag]
        return True
    dataset.add_new(element.tag, vr, _coerce(vr, value, ctx, stack, kept))
    if kept:
        ctx.kept.add((id(dataset), element.tag))
    return True


# --- Values: VR lengths and VMs ---------------------------------------------------------------------------------

#: Longest value of each string VR in characters (PS3.5 Table 6.2-1); PN per component group.
MAX_LENGTH = {"AE": 16, "AS": 4, "CS": 16, "DA": 8, "DS": 16, "DT": 26, "IS": 12, "LO": 64, "LT": 10240,
              "PN": 64, "SH": 16, "ST": 1024, "TM": 14, "UI": 64}


def fit_text(text: str, vr: str) -> str:
    """``text`` within the VR's longest value, cut after the last whole word that fits (never inside a word; a
    first word longer than the limit is cut at the limit, the one case without a word boundary)."""
    limit = MAX_LENGTH.get(vr)
    text = str(text).strip()
    if limit is None or len(text) <= limit:
        return text
    cut = text[:limit + 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else text[:limit]).rstrip(" ,;:-")


def with_count(value: Any, vm: str | None) -> Any:
    """A generated value with a number of values that ``vm`` allows: too few are repeated (the last value), too
    many cut; one value stays a scalar when the VM allows one. An empty value (Type 2) stays empty."""
    if value is None or value == "" or value == []:
        return value
    fewest, most, step = vm_bounds(vm)
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        return value
    while len(values) < fewest or len(values) % step:
        values.append(values[-1])
    if most is not None and len(values) > most:
        values = values[:most]
    return values[0] if len(values) == 1 and not isinstance(value, (list, tuple)) else values


def generic_value(rule: Rule, vr: str, ctx: Context, name: str) -> Any:
    """A legal value for ``rule``'s attribute when nothing more specific is known."""
    if rule.enumerated:
        return rule.enumerated[0]
    if rule.defined:
        return rule.defined[0]
    by_vr: dict[str, Any] = {
        "AE": "DICOMSUP", "AS": "055Y", "CS": "UNSPECIFIED", "DA": ctx.date, "DT": f"{ctx.date}{TIME}",
        "TM": TIME, "DS": "1", "IS": "1", "PN": "Example^Person", "SH": name, "LO": name,
        "LT": name, "ST": name, "UT": name, "UC": name, "UR": "https://example.org/dicomsup",
        "UI": ctx.uid(f"{ctx.example.name}/{rule.keyword}"),
        # An AT points at a real attribute: the one the rule is written in (never a made-up tag).
        "AT": rule.tag if rule.tag is not None else 0x00080016,
    }
    if vr in INT_VRS:
        return 1
    if vr in FLOAT_VRS:
        return 1.0
    if vr in BINARY_VRS:
        return b"\x00\x00"
    value = by_vr.get(vr, "")
    return fit_text(value, vr) if isinstance(value, str) else value


def _frame_types(groups: list[FunctionalGroupRules], rules: list[Rule]) -> list[str] | None:
    """Image Type and Frame Type of an enhanced IOD: four values (PS3.3 C.8.16.1: pixel data characteristics,
    patient examination characteristics, image flavor, derived pixel contrast), as many as Frame Type's VM asks;
    value 3 from the module's own Defined Terms when it lists one beyond values 1 and 2."""
    if not groups:
        return None
    listed: list[str] = []
    for rule in _walk_rules(rules + [r for g in groups for r in g.rules]):
        if rule.keyword in ("ImageType", "FrameType"):
            listed += [*rule.enumerated, *rule.defined]
    first_two = {"ORIGINAL", "DERIVED", "MIXED", "PRIMARY", "SECONDARY", "NONE"}
    flavor = next((v for v in listed if v not in first_two), "NONE")
    return ["ORIGINAL", "PRIMARY", flavor, "NONE"]


def _walk_rules(rules: list[Rule]) -> list[Rule]:
    found = []
    for rule in rules:
        found.append(rule)
        found.extend(_walk_rules(rule.items))
    return found


def _wanted(rule: Rule, stack: list[Dataset], ctx: Context) -> bool | None:
    """True: the rule wants the attribute; False: it wants it absent; None: either is fine."""
    if rule.forbidden:
        return False
    if rule.type in ("1", "2"):
        return True
    if rule.type == "3":
        return None
    if holds(rule, stack, ctx):
        return True
    unknown = decide(rule.condition, stack, ctx) is None
    return None if rule.may_be_present_otherwise or unknown else False


def fill(stack: list[Dataset], rules: list[Rule], ctx: Context) -> bool:
    """Add what ``rules`` require of ``stack[-1]`` and remove what they forbid; True when something changed.

    What the author gave (:attr:`Context.kept`) is never removed or replaced, at any depth; what the author left
    out (:attr:`Context.removed`) is never added.
    """
    dataset = stack[-1]
    changed = False
    by_keyword: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.tag is not None:
            by_keyword.setdefault(rule.keyword, []).append(rule)
    for keyword, group in by_keyword.items():
        tag = group[0].tag
        where = (id(dataset), tag)
        verdicts = [_wanted(rule, stack, ctx) for rule in group]
        present = tag in dataset
        if True in verdicts and not present and where not in ctx.removed:
            rule = next(r for r, v in zip(group, verdicts) if v is True)
            changed |= _add(dataset, rule, ctx, stack)
        elif present and False in verdicts and True not in verdicts and None not in verdicts \
                and where not in ctx.kept:
            del dataset[tag]
            changed = True
        if tag in dataset and dataset[tag].VR == "SQ":
            item_rules = [r for rule in group for r in rule.items]
            for item in dataset[tag].value:
                changed |= fill(stack + [item], item_rules, ctx)
    return changed


def _fits(default: Value, rule: Rule, ctx: Context) -> bool:
    """Whether a default is one of the rule's Enumerated Values (always, when the rule has none)."""
    if not rule.enumerated:
        return True
    value = default(ctx) if callable(default) else default
    values = value if isinstance(value, list) else [value]
    return bool(values) and normalize(values[0]) in {normalize(v) for v in rule.enumerated}


def _add(dataset: Dataset, rule: Rule, ctx: Context, stack: list[Dataset]) -> bool:
    vr = _vr(ctx, rule.keyword)
    element = ctx.index.element(rule.keyword)
    if vr is None or element is None:
        return False
    if vr == "SQ":
        # A required sequence of Type 1 gets one item (filled by the caller); Type 2 may be empty and is.
        value: Any = [{}] if rule.type in ("1", "1C") else []
    elif rule.enumerated and rule.values is not None:
        value = rule.values[0]
    elif rule.keyword in DEFAULTS and _fits(DEFAULTS[rule.keyword], rule, ctx):
        value = DEFAULTS[rule.keyword]
        value = value(ctx) if callable(value) else value
    elif rule.keyword == "PixelData":
        value = b""  # drawn once the rest of the image description is known
    else:
        value = generic_value(rule, vr, ctx, element.name)
    if value is None:
        return False
    if vr not in BINARY_VRS | {"SQ"}:
        value = with_count(value, element.vm)
        if isinstance(value, str):
            value = fit_text(value, vr)
        elif isinstance(value, list):
            value = [fit_text(v, vr) if isinstance(v, str) else v for v in value]
    dataset.add_new(element.tag, vr, _coerce(vr, value, ctx, stack))
    return True


# --- Building one variant -----------------------------------------------------------------------------------------


def _frame_count(values: dict[str, Any], example: Example) -> int:
    """Number of Frames when the author gives it, else one frame per ``frames`` mapping, else 1."""
    try:
        given = int(str(values.get("NumberOfFrames")))
    except (TypeError, ValueError):
        given = 0
    return given if given > 0 else max(len(example.frames or []), 1)


def build_dataset(supplement: Supplement, index: Index, example: Example, number: int = 1) -> tuple[Dataset, list[str]]:
    """The dataset of one example variant, and the problems met on the way (unknown keywords, macros…)."""
    problems: list[str] = []
    ctx = Context(supplement, index, example, number)
    iod = index.iod(example.iod)
    if iod is None:
        return Dataset(), [f"example {example.name!r}: no IOD named {example.iod!r} in the supplement"]
    modules = iod_rules(iod, index, problems)
    groups = functional_group_rules(iod, index, problems)
    values = {**(supplement.example_defaults or {}), **example.values}
    ctx.frames = _frame_count(values, example)
    ctx.frame_types = _frame_types(groups, [r for m in modules for r in m.rules])
    ctx.mandatory = {r.keyword for m in modules if m.use.usage == "M" for r in m.rules}
    dataset = Dataset()
    for keyword in sorted(values):
        if not _set(dataset, keyword, values[keyword], ctx, [dataset], kept=True):
            problems.append(f"example {example.name!r}: {keyword!r} is not a known attribute keyword")
    if groups:
        _functional_group_items(dataset, groups, ctx, problems)
        _dimension_index(dataset, modules, groups, ctx)
    elif example.frames:
        problems.append(f"example {example.name!r}: frames are given but IOD {iod.name!r} has no functional "
                        "groups; they are ignored")
    for _round in range(12):
        changed = False
        for module in modules:
            if _module_wanted(module, dataset, ctx):
                changed |= fill([dataset], module.rules, ctx)
        changed |= _fill_groups(dataset, groups, ctx)
        changed |= _show_optional_modules(dataset, modules, ctx)
        if not changed:
            break
    else:
        problems.append(f"example {example.name!r}: the conditions did not settle after 12 rounds")
    if groups:
        _dimension_index_values(dataset, ctx)
        _drop_empty_per_frame_items(dataset, modules, ctx)
    if "PixelData" in dataset:
        _draw(dataset, example)
    pixels.add_profile(dataset, example.icc_profile)
    return dataset, problems


def _module_wanted(module: ModuleRules, dataset: Dataset, ctx: Context) -> bool:
    """A mandatory module, a conditional one whose condition holds, and any module of which the author gave an
    attribute of its own (none of a mandatory module): the author's values make a module present."""
    usage = module.use.usage
    if usage == "M" or (usage == "C" and decide(module.use.condition, [dataset], ctx) is True):
        return True
    return any((id(dataset), rule.tag) in ctx.kept for rule in module.rules
               if rule.tag is not None and rule.keyword not in ctx.mandatory)


def _show_optional_modules(dataset: Dataset, modules, ctx: Context) -> bool:
    """A mandatory module of Type 3 attributes only gets one of them (a default's when there is one), so that an
    implementer sees the module in the example; the first such attribute otherwise."""
    changed = False
    for module in modules:
        if module.use.usage != "M" or any(r.tag in dataset for r in module.rules if r.tag is not None):
            continue
        optional = [r for r in module.rules if r.type == "3" and r.tag is not None
                    and (id(dataset), r.tag) not in ctx.removed]
        chosen = next((r for r in optional if r.keyword in DEFAULTS), optional[0] if optional else None)
        if chosen is not None:
            changed |= _add(dataset, chosen, ctx, [dataset])
    return changed


# --- Enhanced multi-frame: functional groups and dimensions -----------------------------------------------------

SHARED = "SharedFunctionalGroupsSequence"
PER_FRAME = "PerFrameFunctionalGroupsSequence"
# Tags of the Multi-frame Dimension Module and the Frame Content Macro (PS3.6), used where the dimensions are built.
INDEX_POINTER, GROUP_POINTER = 0x00209165, 0x00209167  # Dimension Index Pointer, Functional Group Pointer
FRAME_CONTENT, INDEX_VALUES = 0x00209111, 0x00209157  # Frame Content Sequence, Dimension Index Values
ACQUISITION_NUMBER = 0x00209156  # Frame Acquisition Number


def _sequence_items(dataset: Dataset, keyword: str, count: int, ctx: Context) -> list[Dataset]:
    """The items of a top-level functional groups sequence: the author's when given (extended to ``count``),
    else ``count`` new ones; kept, so that nothing conditional removes it."""
    element = ctx.index.element(keyword)
    if element is None or (id(dataset), element.tag) in ctx.removed:  # the author left it out (TILED_FULL)
        return []
    if element.tag not in dataset or dataset[element.tag].VR != "SQ":
        dataset.add_new(element.tag, "SQ", Sequence([]))
    items = dataset[element.tag].value
    while len(items) < count:
        items.append(Dataset())
    ctx.kept.add((id(dataset), element.tag))
    return list(items)


def _set_path(item: Dataset, path: str, value: Any, ctx: Context, stack: list[Dataset]) -> bool:
    """Set a keyword path (``FrameContentSequence>DimensionIndexValues``) in ``item``, making the first item of
    each sequence on the way; every element on the path is the author's."""
    parts = [p.strip() for p in str(path).split(">") if p.strip()]
    dataset = item
    for part in parts[:-1]:
        element = ctx.index.element(part)
        if element is None or _vr(ctx, part) != "SQ":
            return False
        if element.tag not in dataset:
            dataset.add_new(element.tag, "SQ", Sequence([Dataset()]))
        elif not dataset[element.tag].value:
            dataset[element.tag].value.append(Dataset())
        ctx.kept.add((id(dataset), element.tag))
        ctx.pinned.append(dataset)
        dataset = dataset[element.tag].value[0]
        stack = stack + [dataset]
    return bool(parts) and _set(dataset, parts[-1], value, ctx, stack, kept=True)


def _drop_empty_per_frame_items(dataset: Dataset, modules: list[ModuleRules], ctx: Context) -> None:
    """Leave out a Per-Frame Functional Groups Sequence that no rule requires and whose items all came out empty
    (every macro shared, as in a TILED_FULL image, where the frames' positions follow from the tiling): empty
    items say nothing, and the sequence may be absent. One the author gave is kept."""
    element = ctx.index.element(PER_FRAME)
    if element is None or element.tag not in dataset or PER_FRAME in ctx.example.values or ctx.example.frames:
        return
    if any(len(item) for item in dataset[element.tag].value):
        return
    rules = [rule for module in modules for rule in module.rules if rule.keyword == PER_FRAME]
    if rules and not any(_wanted(rule, [dataset], ctx) is True for rule in rules):
        del dataset[element.tag]


def _functional_group_items(dataset: Dataset, groups: list[FunctionalGroupRules], ctx: Context,
                            problems: list[str]) -> None:
    """One Shared Functional Groups item and one Per-Frame Functional Groups item per frame, with the values of
    ``frames`` in the per-frame items."""
    _sequence_items(dataset, SHARED, 1, ctx)
    per_frame = _sequence_items(dataset, PER_FRAME, ctx.frames, ctx)
    if ctx.example.frames and not per_frame:
        problems.append(f"example {ctx.example.name!r}: frames are given, but the variant leaves the Per-Frame "
                        "Functional Groups Sequence out; they are ignored")
        return
    for number, frame in enumerate(ctx.example.frames or []):
        if number >= len(per_frame):
            problems.append(f"example {ctx.example.name!r}: frames gives {len(ctx.example.frames)} frames, but "
                            f"Number of Frames is {ctx.frames}; the frames after it are ignored")
            break
        for path, value in (frame or {}).items():
            if not _set_path(per_frame[number], path, value, ctx, [dataset, per_frame[number]]):
                problems.append(f"example {ctx.example.name!r}: frames[{number + 1}]: {path!r} names no "
                                "sequence attribute path")


def _placed(group: FunctionalGroupRules, dataset: Dataset, ctx: Context) -> str | None:
    """Where a functional group macro goes in this variant: ``shared``, ``per-frame`` or None (left out).

    The author's values decide first (a macro given in the per-frame items, or in the shared item, is there);
    then the usage: M always, U never, C when its condition holds (a prose condition as the variant chooses).
    An ``either`` macro is shared unless the author gives it per frame.
    """
    tags = {rule.tag for rule in group.rules if rule.tag is not None}
    per_frame = _items(dataset, PER_FRAME, ctx)
    shared = _items(dataset, SHARED, ctx)
    if any(tag in item for item in per_frame for tag in tags):
        return "per-frame"
    if any(tag in item for item in shared for tag in tags):
        return "shared"
    use = group.use
    if use.usage == "U" or (use.usage == "C" and decide(use.condition, [dataset], ctx) is not True):
        return None
    return "per-frame" if use.placement == "per-frame" else "shared"


def _items(dataset: Dataset, keyword: str, ctx: Context) -> list[Dataset]:
    element = ctx.index.element(keyword)
    if element is None or element.tag not in dataset or dataset[element.tag].VR != "SQ":
        return []
    return list(dataset[element.tag].value)


def _fill_groups(dataset: Dataset, groups: list[FunctionalGroupRules], ctx: Context) -> bool:
    """Fill each functional group macro into the shared item or into every per-frame item."""
    changed = False
    for group in groups:
        place = _placed(group, dataset, ctx)
        if place is None:
            continue
        items = _items(dataset, PER_FRAME if place == "per-frame" else SHARED, ctx)
        for number, item in enumerate(items):
            ctx.frame = number if place == "per-frame" else None
            changed |= fill([dataset, item], group.rules, ctx)
        ctx.frame = None
    return changed


def _frame_value(item: Dataset, sequence: int, pointer: int) -> Any:
    """The value of attribute ``pointer`` in the first item of functional group ``sequence`` of ``item``."""
    if sequence not in item or not item[sequence].value:
        return None
    inner = item[sequence].value[0]
    if pointer not in inner:
        return None
    value = inner[pointer].value
    return tuple(value) if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue" else value


def _dimensions(groups: list[FunctionalGroupRules], ctx: Context) -> list[tuple[int, int]]:
    """(Dimension Index Pointer, Functional Group Pointer) of each dimension: every attribute of a functional
    group macro whose value ``frames`` varies from frame to frame, in the order first written; else the Frame
    Acquisition Number of the Frame Content Macro (numbered 1, 2, 3 … by frame)."""
    found: list[tuple[int, int]] = []
    frames = [f for f in (ctx.example.frames or []) if isinstance(f, dict)]
    for path in dict.fromkeys(p for f in frames for p in f):
        parts = [p.strip() for p in str(path).split(">")]
        if len(parts) != 2 or parts[1] == "DimensionIndexValues":
            continue
        sequence, pointer = ctx.index.element(parts[0]), ctx.index.element(parts[1])
        if sequence is None or pointer is None or sequence.vr != "SQ" or pointer.vr == "SQ":
            continue
        if len({repr(f.get(path)) for f in frames}) > 1:
            found.append((pointer.tag, sequence.tag))
    if not found:
        content = ctx.index.element("FrameContentSequence")
        number = ctx.index.element("FrameAcquisitionNumber")
        if content is not None and number is not None and any("FrameContentSequence" in g.keywords for g in groups):
            found.append((number.tag, content.tag))
    return found


def _dimension_index(dataset: Dataset, modules: list[ModuleRules], groups: list[FunctionalGroupRules],
                     ctx: Context) -> None:
    """The Dimension Index Sequence, when the IOD asks for it and the author did not give it: one item per
    dimension (:func:`_dimensions`), each pointing at a real attribute and at the functional group holding it."""
    element = ctx.index.element("DimensionIndexSequence")
    if element is None or (id(dataset), element.tag) in ctx.kept | ctx.removed:
        return
    if not any(rule.keyword == "DimensionIndexSequence" and not rule.forbidden
               and (rule.type in ("1", "2") or (rule.conditional and decide(rule.condition, [dataset], ctx)
                                                is not False))
               for module in modules if module.use.usage == "M" for rule in module.rules):
        return
    items = []
    for pointer, sequence in _dimensions(groups, ctx):
        item = Dataset()
        item.add_new(INDEX_POINTER, "AT", pointer)
        item.add_new(GROUP_POINTER, "AT", sequence)
        ctx.kept.update({(id(item), INDEX_POINTER), (id(item), GROUP_POINTER)})
        ctx.pinned.append(item)
        items.append(item)
    if items:
        dataset.add_new(element.tag, "SQ", Sequence(items))
        ctx.kept.add((id(dataset), element.tag))


def _rank(values: list[Any]) -> list[int]:
    """1-based index of each value among the distinct values in ascending order (numbers compared as numbers)."""
    def key(value: Any) -> tuple:
        try:
            return (0, float(value), "")
        except (TypeError, ValueError):
            return (1, 0.0, repr(value))
    order = sorted(set(values), key=key)
    return [order.index(v) + 1 for v in values]


def _dimension_index_values(dataset: Dataset, ctx: Context) -> None:
    """Dimension Index Values of every frame, consistent with the Dimension Index Sequence: one value per
    dimension, the rank of the frame's value of the pointed-at attribute; the author's values stay."""
    dimensions = []
    for item in _items(dataset, "DimensionIndexSequence", ctx):
        pointer, group = item.get(INDEX_POINTER), item.get(GROUP_POINTER)
        if pointer is not None and group is not None and pointer.value is not None and group.value is not None:
            dimensions.append((int(pointer.value), int(group.value)))
    frames = _items(dataset, PER_FRAME, ctx)
    if not dimensions or not frames:
        return
    if dimensions[0][0] == ACQUISITION_NUMBER:  # the fallback dimension: number the frames 1, 2, 3 …
        for number, item in enumerate(frames):
            if FRAME_CONTENT in item and item[FRAME_CONTENT].value:
                inner = item[FRAME_CONTENT].value[0]
                if ACQUISITION_NUMBER not in inner:
                    inner.add_new(ACQUISITION_NUMBER, "US", number + 1)
    shared = _items(dataset, SHARED, ctx)
    ranks = []
    for pointer, group in dimensions:
        values = [_frame_value(item, group, pointer) for item in frames]
        common = _frame_value(shared[0], group, pointer) if shared else None  # a value shared by every frame
        values = [(number + 1 if common is None else common) if v is None else v for number, v in enumerate(values)]
        ranks.append(_rank(values))
    for number, item in enumerate(frames):
        if FRAME_CONTENT not in item or not item[FRAME_CONTENT].value:
            continue
        inner = item[FRAME_CONTENT].value[0]
        if (id(inner), INDEX_VALUES) in ctx.kept:
            continue
        inner.add_new(INDEX_VALUES, "UL", [r[number] for r in ranks] if len(ranks) > 1 else ranks[0][number])


def _draw(dataset: Dataset, example: Example) -> None:
    """Draw every frame (the same scene, a seed per frame) and store them as the variant's transfer syntax says."""
    rows = int(dataset.get("Rows", IMAGE_SIZE) or IMAGE_SIZE)
    cols = int(dataset.get("Columns", IMAGE_SIZE) or IMAGE_SIZE)
    samples = int(dataset.get("SamplesPerPixel", 3) or 3)
    bits = int(dataset.get("BitsAllocated", 8) or 8)
    try:
        count = max(int(dataset.get("NumberOfFrames", 1) or 1), 1)
    except (TypeError, ValueError):
        count = 1
    seed = uuid.uuid5(NAMESPACE, example.name).int % 2**31
    images = []
    for frame in range(count):
        image = pixels.draw(rows, cols, contact=dataset.get("ContactMethod") != "NON_CONTACT",
                            polarized=dataset.get("LightSourcePolarization") != "NON_POLARIZED",
                            partial=dataset.get("PartialView") == "YES", seed=seed + frame)
        images.append(image)
    if images[0].shape[:2] != (rows, cols):  # draw() keeps a minimum size; describe what it drew
        dataset.Rows, dataset.Columns = images[0].shape[0], images[0].shape[1]
    stored = int(dataset.get("BitsStored", bits) or bits)
    pixels.encode(dataset, images, example.transfer_syntax, samples=samples, bits=bits, stored=stored)


def file_meta(dataset: Dataset, supplement: Supplement, syntax: str | None = None) -> FileMetaDataset:
    """The File Meta Information; ``syntax`` is the variant's ``transfer_syntax`` (Explicit VR Little Endian when
    left out)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = dataset.get("SOPClassUID", "")
    meta.MediaStorageSOPInstanceUID = dataset.get("SOPInstanceUID", "")
    meta.TransferSyntaxUID = UID(pixels.syntax_of(syntax).uid)
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION
    return meta


def write_example(dataset: Dataset, supplement: Supplement, folder: Path, name: str, title: str = "",
                  index: Index | None = None, syntax: str | None = None) -> list[Path]:
    """Write ``<name>.dcm``, ``<name>.json``, ``<name>.txt`` and ``<name>.png`` into ``folder``; return the paths.

    ``syntax`` is the variant's ``transfer_syntax``, which the Pixel Data must already be encoded in.
    """
    folder.mkdir(parents=True, exist_ok=True)
    dataset.file_meta = file_meta(dataset, supplement, syntax)
    dataset.preamble = b"\x00" * 128
    dcm, txt, png = folder / f"{name}.dcm", folder / f"{name}.txt", folder / f"{name}.png"
    dataset.save_as(dcm, enforce_file_format=True)
    header = f"# {name}.dcm: {title}\n" if title else f"# {name}.dcm\n"
    names = _names(index or Index(supplement))
    written_back = dcmread(dcm)
    # what the file holds, meta group included
    txt.write_text(header + dump(written_back, names=names), encoding="utf-8")
    json_path = folder / f"{name}.json"
    json_path.write_text(dicom_json(written_back, dcm.name), encoding="utf-8")
    written = [dcm, json_path, txt]
    image = pixel_array(dataset) if not written_back.file_meta.TransferSyntaxUID.is_encapsulated \
        else decoded_pixels(written_back)
    if image is not None:
        png.write_bytes(pixels.png_bytes(image))
        written.append(png)
    return written


#: Values longer than this (in bytes) of a binary VR go to a BulkDataURI in the DICOM JSON; shorter ones inline.
BULK_DATA_THRESHOLD = 1024


def dicom_json(dataset: Dataset, part10_name: str) -> str:
    """The DICOM JSON Model (PS3.18 Annex F) of ``dataset`` (File Meta Information excluded, as in DICOMweb).

    Pixel Data, and any other binary value above :data:`BULK_DATA_THRESHOLD` bytes, is a ``BulkDataURI``: the
    relative URI of the Part 10 file beside the JSON, which holds the value, as a WADO-RS metadata response
    refers to bulk data instead of inlining it. Shorter binary values (the ICC Profile) are ``InlineBinary``.
    The keys are in pydicom's order, which is fixed: attributes in tag order, ``vr`` before the value, as in the
    examples of PS3.18 F.4; two-space indented.
    """

    def bulk(element) -> str:
        return part10_name

    model = dataset.to_json_dict(bulk_data_threshold=BULK_DATA_THRESHOLD, bulk_data_element_handler=bulk)
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def decoded_pixels(dataset: Dataset):
    """The pixels of the first frame of an encapsulated example as rows × columns (× 3 for colour): a JPEG decoded
    (and converted to RGB) by Pillow (libjpeg's integer arithmetic; pydicom's own YCbCr conversion is in floating
    point, whose last bit may depend on the machine), RLE by pydicom's native decoder (exact)."""
    samples = int(dataset.get("SamplesPerPixel", 3) or 3)
    if dataset.file_meta.TransferSyntaxUID == pixels.JPEGBaseline8Bit:
        from pydicom.encaps import generate_frames

        frames = int(dataset.get("NumberOfFrames", 1) or 1)
        frame = next(generate_frames(dataset.PixelData, number_of_frames=frames))
        return pixels.jpeg_decoded(frame, int(dataset.Rows), int(dataset.Columns), samples)
    array = dataset.pixel_array
    return array[0] if int(dataset.get("NumberOfFrames", 1) or 1) > 1 else array


def pixel_array(dataset: Dataset):
    """The uncompressed 8-bit pixels as rows × columns × samples, or None when they are not that."""
    import numpy as np

    try:
        rows, cols = int(dataset.Rows), int(dataset.Columns)
        samples = int(dataset.get("SamplesPerPixel", 1))
        data = bytes(dataset.PixelData)
        if int(dataset.BitsAllocated) != 8 or len(data) < rows * cols * samples:
            return None
        array = np.frombuffer(data[:rows * cols * samples], dtype=np.uint8)
        if samples > 1 and int(dataset.get("PlanarConfiguration", 0)) == 1:
            return array.reshape(samples, rows, cols).transpose(1, 2, 0)
        return array.reshape(rows, cols, samples)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def _show(element) -> str:
    if element.VR in BINARY_VRS or isinstance(element.value, (bytes, bytearray)):
        data = bytes(element.value or b"")
        if 0 < len(data) <= 16:  # a short value in full, as dcmdump shows it (File Meta Information Version: 00\01)
            return "\\".join(f"{byte:02x}" for byte in data)
        return f"<{len(data)} bytes>"
    value = element.value
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return "\\".join(str(v) for v in value)
    return str(value)


def _names(index: Index) -> Callable[[int], str | None]:
    def name(tag: int) -> str | None:
        element = index.element_by_tag(tag)
        return element.name if element is not None else None
    return name


def dump(dataset: Dataset, indent: int = 0, names: Callable[[int], str | None] | None = None) -> str:
    """A readable listing: attribute name, tag, VR and value; items of sequences indented below them.

    ``names`` gives the names of data elements that pydicom does not know (those new in the supplement).
    """
    lines = []
    pad = "  " * indent
    elements = list(dataset.file_meta) if indent == 0 and getattr(dataset, "file_meta", None) else []
    for element in elements + list(dataset):
        name = (names(int(element.tag)) if names else None) or element.name or element.keyword
        tag = f"({element.tag.group:04X},{element.tag.element:04X})"
        if element.VR == "SQ":
            count = len(element.value)
            lines.append(f"{pad}{tag} SQ {name}: {count} item{'s' * (count != 1)}")
            for number, item in enumerate(element.value, 1):
                lines.append(f"{pad}  > Item {number}")
                lines.append(dump(item, indent + 2, names).rstrip("\n"))
        else:
            lines.append(f"{pad}{tag} {element.VR} {name}: {_show(element)}")
    return "\n".join(line for line in lines if line) + "\n"


# --- What dciodvfy says about the examples ----------------------------------------------------------------------
#
# The README lists, for every file, the messages of DCIODVFY_EXPECTED that apply to it, with their reasons;
# tests/outputs/test_examples.py runs the installed dciodvfy (David Clunie's validator, dicom3tools) on every example
# and fails when it prints anything else, or leaves out an expected message (then this list must change, and the
# README with it). The build never runs dciodvfy, which is not a dependency: the README is the same whether or not it
# is installed. Each message is the exact "Error -" or "Warning -" line dciodvfy prints.


#: The dicom3tools release the expectations are written for (``dciodvfy -version``; Debian package version).
DCIODVFY_RELEASE = "dicom3tools 1.00.snapshot.20220618093127 (Debian 12 package 1.00~20220618093127-2)"


def _always(dataset: Dataset) -> bool:
    return True


def _dermoscopic_photograph(dataset: Dataset) -> bool:
    """An instance of the Dermoscopic Photography Image Storage SOP Class, whose IOD the 2022 release encodes from
    an earlier draft (what dciodvfy knows is per SOP Class, not per supplement)."""
    return str(dataset.get("SOPClassUID", "")) == "1.2.840.10008.5.1.4.1.1.77.1.7"


def _dms(dataset: Dataset) -> bool:
    return str(dataset.get("Modality", "")) == "DMS"


#: Storage SOP Classes of the standard that the release of :data:`DCIODVFY_RELEASE` predates (Sup 236, 2023).
DCIODVFY_UNKNOWN_SOP_CLASSES = frozenset({"1.2.840.10008.5.1.4.1.1.77.1.8", "1.2.840.10008.5.1.4.1.1.77.1.9"})


def dciodvfy_knows(dataset: Dataset) -> bool:
    """Whether the dciodvfy release has the IOD of ``dataset``'s SOP Class: not one it predates, nor a draft's
    placeholder UID (which pydicom does not know either)."""
    from pydicom.uid import UID_dictionary

    uid = str(dataset.get("SOPClassUID", ""))
    return uid in UID_dictionary and uid not in DCIODVFY_UNKNOWN_SOP_CLASSES


def _iod_unknown(dataset: Dataset) -> bool:
    return not dciodvfy_knows(dataset)


@dataclass(frozen=True)
class DciodvfyMessage:
    """One message dciodvfy prints, which files it is printed for, and why it is expected."""

    key: str  # a short label for the README (E1, W1 …)
    message: str
    reason: str
    applies: Callable[[Dataset], bool] = _always

    @property
    def severity(self) -> str:
        return "error" if self.message.startswith("Error") else "warning"


DCIODVFY_EXPECTED: tuple[DciodvfyMessage, ...] = (
    DciodvfyMessage(
        "W1", "Warning - Unrecognized defined term <DMS> for value 1 of attribute <Modality>",
        "the 2022 release predates the Defined Term DMS (Dermoscopy) that this Supplement adds to Modality "
        "(C.7.3.1.1.1); the value is the one the IOD's constraint requires.", _dms),
    DciodvfyMessage(
        "E1", "Error - Missing attribute Type 1 Required Element=<FrameOfReferenceUID> Module=<FrameOfReference>",
        "the 2022 release encodes the Dermoscopic Photography Image IOD of an earlier draft, with a mandatory Frame "
        "of Reference Module; the module table of the IOD (Table A.32.11-1) has no Frame of Reference, and a "
        "photograph of the skin has no patient-based coordinate system to refer to (a closed issue of the "
        "Supplement).", _dermoscopic_photograph),
    DciodvfyMessage(
        "E2", "Error - Missing attribute Type 2 Required Element=<PositionReferenceIndicator> "
              "Module=<FrameOfReference>",
        "the same Frame of Reference Module as E1.", _dermoscopic_photograph),
    DciodvfyMessage(
        "E3", "Error - Information Object Not found",
        "the release does not know the SOP Class (newer than the release, or a draft's placeholder UID), so it "
        "checks only the encoding of the data elements it knows, and warns of each tag it does not know "
        "(\"Unrecognized tag\"); `dicomsup verify` checks the IOD.", _iod_unknown),
)


def dciodvfy_expected_for(dataset: Dataset) -> list[DciodvfyMessage]:
    """The messages dciodvfy is expected to print for ``dataset``, in the order of :data:`DCIODVFY_EXPECTED`."""
    return [entry for entry in DCIODVFY_EXPECTED if entry.applies(dataset)]


# --- The README of the examples folder ------------------------------------------------------------------------
#
# What each file is, how it stores its pixels, and what the validators say: all from the files just written (read
# back) and from what the build knows (the variant, dicomsup verify's findings, DCIODVFY_EXPECTED).


def _site(dataset: Dataset) -> str:
    items = list(dataset.get("AnatomicRegionSequence", []) or [])
    if not items:
        return "(none)"
    item = items[0]
    return f"{item.get('CodeMeaning', '')} ({item.get('CodingSchemeDesignator', '')} {item.get('CodeValue', '')})"


def _syntax(dataset: Dataset) -> str:
    uid = dataset.file_meta.TransferSyntaxUID
    return f"{uid.name} `{uid}`"


def _pixels(dataset: Dataset) -> str:
    text = f"{dataset.Columns} × {dataset.Rows} {dataset.PhotometricInterpretation}"
    if str(dataset.get("LossyImageCompression", "")) == "01":
        text += (f", lossy {dataset.get('LossyImageCompressionMethod', '')} ratio "
                 f"{dataset.get('LossyImageCompressionRatio', '')}:1")
    return text


def _icc(dataset: Dataset) -> str:
    if "ICCProfile" not in dataset:
        return "no"
    return f"{dataset.get('ColorSpace', '') or 'yes'}, {len(dataset.ICCProfile)} bytes"


def _laterality(dataset: Dataset) -> str:
    image = dataset.get("ImageLaterality")
    series = dataset.get("Laterality")
    parts = []
    if image:
        parts.append(f"Image Laterality {image}")
    if series:
        parts.append(f"Laterality {series}")
    return ", ".join(parts) or "(none)"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _storage_notes(datasets: list[Dataset]) -> list[str]:
    """The README's notes on the encodings the files use (and only those), and on their anatomic sites."""
    syntaxes = {str(d.file_meta.TransferSyntaxUID) for d in datasets}
    colour = any(int(d.get("SamplesPerPixel", 1) or 1) > 1 for d in datasets)
    grey = any(int(d.get("SamplesPerPixel", 1) or 1) == 1 for d in datasets)
    kind = "RGB" if colour and not grey else "MONOCHROME2" if grey and not colour else "RGB or MONOCHROME2"
    notes = []
    if str(pixels.ExplicitVRLittleEndian) in syntaxes:
        notes.append(f"- **Explicit VR Little Endian** (`1.2.840.10008.1.2.1`): uncompressed {kind}"
                     + (", colour-by-pixel." if colour else "."))
    if str(pixels.JPEGBaseline8Bit) in syntaxes:
        stored = ", what dermoscopes commonly store" if all(_dms(d) for d in datasets) else ""
        components = ("with the chrominance halved horizontally, so the components are YCbCr 4:2:2 and "
                      "Photometric Interpretation is YBR_FULL_422 (PS3.5 8.2.1)") if colour else \
            "as one component, MONOCHROME2 (PS3.5 8.2.1)"
        notes.append(
            f"- **JPEG Baseline (Process 1)** (`1.2.840.10008.1.2.4.50`){stored}: 8 bits, "
            f"written by Pillow (libjpeg-turbo) at quality {pixels.JPEG_QUALITY} {components}; the bit stream "
            "starts with a JFIF APP0 marker. The file records the loss: Lossy Image Compression `01`, its ratio "
            "(uncompressed size over compressed size) and method `ISO_10918_1` (PS3.3 C.7.6.1.1.5)."
            + (" A grey image is one component, MONOCHROME2." if colour and grey else ""))
    if str(pixels.RLELossless) in syntaxes:
        notes.append(f"- **RLE Lossless** (`1.2.840.10008.1.2.5`), by pydicom's own encoder (PS3.5 Annex G): "
                     f"{kind}, exactly the pixels drawn, as in the uncompressed variants.")
    if any("ICCProfile" in d for d in datasets):
        notes.append("- An **ICC Profile** (0028,2000) with Color Space (0028,2002) `SRGB`, in the ICC Profile "
                     "Module: the sRGB profile of Little CMS (Pillow's `ImageCms.createProfile(\"sRGB\")`) with a "
                     "fixed creation date, so that a viewer that manages colour shows the image as it was meant.")
    if any(int(d.get("NumberOfFrames", 1) or 1) > 1 for d in datasets):
        notes.append("- **Several frames**: the frames follow each other in Pixel Data (one fragment per frame "
                     "when compressed), one item of the Per-Frame Functional Groups Sequence for each.")
    if datasets and all("AnatomicRegionSequence" in d and "ImageLaterality" in d for d in datasets):
        notes += [
            "",
            "Each variant names its skin site in Anatomic Region Sequence with a code of CID 4029 \"Dermatology "
            "Anatomic Site\", and its Image Laterality: `R` or `L` for a paired site, `U` (unpaired) for a site on "
            "the midline or the back. With Image Laterality sent, the series-level Laterality (0020,0060) is not "
            "required (General Series Module: only for a paired body part whose laterality is not sent at image "
            "level) and is left out."]
    return notes


def readme_text(supplement: Supplement, files: list[tuple[str, str, Path, Dataset]],
           verified: dict[str, list[str]]) -> str:
    """The README text. ``files``: (variant, title, path of the .dcm, the dataset read back) in spec order;
    ``verified``: the findings of ``dicomsup verify`` by file name."""
    lines = [
        f"# Example instances of Supplement {supplement.number} \"{supplement.title}\"",
        "",
        f"Written by `dicomsup build` from `spec/{supplement.name}/examples.yaml`; do not edit (a rebuild "
        "overwrites them, and `dicomsup check` fails when they differ from a fresh build). Each variant is four "
        "files: `<variant>.dcm` (DICOM Part 10), `<variant>.json` (the same data set in the DICOM JSON Model of "
        "PS3.18 Annex F), `<variant>.txt` (a dump of every element, File Meta Information included) and "
        "`<variant>.png` (the pixels as stored, a JPEG as Pillow decodes it).",
        "",
        "| file | what it shows | transfer syntax | pixels | ICC Profile | anatomic region | laterality | bytes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _name, title, path, dataset in files:
        lines.append(f"| `{path.name}` | {_cell(title)} | {_syntax(dataset)} | {_pixels(dataset)} | "
                     f"{_icc(dataset)} | {_cell(_site(dataset))} | {_laterality(dataset)} | "
                     f"{path.stat().st_size} |")
    lines += [
        "",
        "## How the pixels are stored",
        "",
        *_storage_notes([d for *_rest, d in files]),
        "",
        "## DICOM JSON",
        "",
        "`<variant>.json` is `pydicom.Dataset.to_json_dict()` of the data set (not the File Meta Information, "
        "which DICOMweb does not carry), in tag order. Pixel Data is not inlined: it is a `BulkDataURI`, as a "
        "WADO-RS metadata response refers to bulk data instead of carrying it (inlined as Base64 it would be a "
        "third larger than the pixels themselves); the URI is the relative URI of the `.dcm` beside it, the file "
        "that holds the value (a DICOMweb server gives a URI that returns the value itself). Shorter binary "
        "values, such as the ICC Profile, are `InlineBinary`. `pydicom.Dataset.from_json` reads a file back into "
        "the data set of its `.dcm`, given a bulk data handler that reads the Pixel Data from the `.dcm`.",
        "",
        "## What the validators say",
        "",
        "### dicomsup verify",
        "",
        "The build runs `dicomsup verify` on every file it writes, against the IOD as this Supplement defines it:",
        "",
    ]
    for _name, _title, path, _dataset in files:
        findings = verified.get(path.name, [])
        lines.append(f"- `{path.name}`: " + ("no finding." if not findings else
                                             "; ".join(_cell(f) for f in findings)))
    lines += [
        "",
        "### dciodvfy",
        "",
        f"dciodvfy of {DCIODVFY_RELEASE} prints these messages for the examples; each is expected:",
        "",
    ]
    for entry in DCIODVFY_EXPECTED:
        if any(entry.applies(d) for *_rest, d in files):
            lines.append(f"- **{entry.key}** ({entry.severity}) `{entry.message}`: {entry.reason}")
    lines += ["", "Per file (the tests run dciodvfy on every example and compare its messages with this list):", ""]
    for _name, _title, path, dataset in files:
        keys = [entry.key for entry in dciodvfy_expected_for(dataset)]
        lines.append(f"- `{path.name}`: " + (", ".join(keys) if keys else "no message."))
    if len({tuple(e.key for e in dciodvfy_expected_for(d)) for *_rest, d in files}) == 1:
        lines += ["", "Every file gets the same messages, whatever its transfer syntax and ICC Profile: none of them "
                      "is about the encapsulated Pixel Data or the ICC Profile Module."]
    lines.append("")
    return "\n".join(lines)


def build_examples(supplement: Supplement, index: Index, folder: Path) -> tuple[list[Path], list[str]]:
    """Write every example variant of ``supplement`` into ``folder``, and the folder's README."""
    written, problems, _verified = _build_examples(supplement, index, folder)
    return written, problems


def _build_examples(supplement: Supplement, index: Index,
                    folder: Path) -> tuple[list[Path], list[str], dict[str, list[Issue]]]:
    """:func:`build_examples`, also returning the findings of ``dicomsup verify`` by example file name."""
    written: list[Path] = []
    problems: list[str] = []
    files: list[tuple[str, str, Path, Dataset]] = []
    verified: dict[str, list[Issue]] = {}
    for number, example in enumerate(supplement.examples, 1):
        dataset, found = build_dataset(supplement, index, example, number)
        problems.extend(found)
        if index.iod(example.iod) is None:
            continue
        paths = write_example(dataset, supplement, folder, example.name, example.title, index,
                              example.transfer_syntax)
        written.extend(paths)
        dcm = paths[0]
        verified[dcm.name] = verify_file(dcm, supplement, index, assumed=example.conditions)
        files.append((example.name, example.title, dcm, dcmread(dcm, stop_before_pixels=True)))
    if files:
        readme = folder / "README.md"
        findings = {name: [f"{issue.severity}: {issue.text()}" for issue in found] for name, found in verified.items()}
        readme.write_text(readme_text(supplement, files, findings), encoding="utf-8")
        written.append(readme)
    return written, problems, verified


class Examples(Output[BuildContext]):
    """``examples/<variant>.dcm``, ``.json``, ``.txt`` and ``.png`` and a README; a file that fails ``dicomsup
    verify`` is a warning."""

    name = "examples"
    folder = "examples"
    summary = "example DICOM files of each variant, verified, with JSON, dumps and PNGs"

    def write(self, ctx: BuildContext, out: Path) -> None:
        _written, problems, verified = _build_examples(ctx.supplement, ctx.index, out)
        for problem in problems:
            ctx.warnings.append(Finding(ctx.supplement.loc, problem, Severity.WARNING))
        where = {example.name: example.loc for example in ctx.supplement.examples}
        for name, findings in verified.items():
            for finding in findings:
                ctx.warnings.append(Finding(where.get(Path(name).stem, ctx.supplement.loc),
                                            f"example {name} does not pass dicomsup verify: {finding.severity}: "
                                            f"{finding.text()}", Severity.WARNING))
