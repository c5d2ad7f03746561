"""Example instances: one DICOM Part 10 file per ``examples`` variant of the spec, with a dump and a PNG preview.

What goes into a file comes from the model, never from a list here: every Type 1 and Type 2 attribute of every
mandatory module of the IOD (macros expanded; items of the sequences that are themselves required), and every
conditional attribute whose structured condition holds on the dataset being built (evaluated again after each
change until nothing changes). The variant's ``values`` are applied first (``null`` leaves an attribute out), then
the IOD's constraints, then :data:`DEFAULTS` (sensible values by keyword), then a value made from the attribute's
Enumerated Values, Defined Terms or VR.

``named`` conditions of the catalog cannot be evaluated; :data:`NAMED_FOR_EXAMPLES` says, for the few that matter
to a synthetic dermoscopic photograph of a human patient, whether they hold. Any other named condition is taken not
to hold (the attribute is left out), which the verifier accepts because it makes no presence check on them.

Determinism: UIDs are ``<uid_root>.<integer of uuid5(namespace, stable name)>`` (the PS3.5 B.2 scheme when the root
is ``2.25``), dates are the supplement's date, times are fixed (the study at 10:15:00, variant n acquired n minutes
later), the File Meta Information names dicomsup and its version, and the pixels are drawn without randomness, so a
rebuild gives byte-identical files.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from build_tools import __version__
from build_tools.outputs import pixels
from build_tools.core.errors import Finding, Severity
from build_tools.iod.evaluate import evaluate, normalize
from build_tools.iod.walk import Rule, iod_rules, resolver, sop_class_uid
from build_tools.standard.index import Index
from build_tools.core.model import Example, Supplement

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
    """What a default value may depend on: the supplement, the variant and its position."""

    supplement: Supplement
    index: Index
    example: Example
    number: int  # 1-based position of the variant in the spec

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


Value = Any | Callable[[Context], Any]

#: Sensible values by keyword, for attributes whose generic value would be legal but meaningless.
DEFAULTS: dict[str, Value] = {
    "PatientName": "Doe^Jane",
    "PatientID": "DMS-0001",
    "PatientBirthDate": "19710305",
    "PatientSex": "F",
    "StudyInstanceUID": lambda c: c.uid("study"),
    "StudyDate": lambda c: c.date,
    "StudyTime": TIME,
    "ReferringPhysicianName": "Roe^Richard^^Dr.",
    "StudyID": "DERM-1",
    "AccessionNumber": lambda c: f"A{c.date}",
    "SeriesInstanceUID": lambda c: c.uid(f"{c.example.name}/series"),
    "SeriesNumber": lambda c: str(c.number),
    "Manufacturer": "Example Dermoscopes Inc.",
    "ManufacturerModelName": "DermoView 10",
    "DeviceSerialNumber": "DV10-0042",
    "SoftwareVersions": "1.0",
    "InstanceNumber": "1",
    "PatientOrientation": "",
    "Laterality": "L",
    "ContentDate": lambda c: c.date,
    "ContentTime": lambda c: c.time,
    "AcquisitionDateTime": lambda c: f"{c.date}{c.time}",
    "ImageType": ["ORIGINAL", "PRIMARY"],
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


#: Whether a ``named`` catalog condition holds for a synthetic dermoscopic photograph of a human patient.
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


def holds(rule: Rule, stack: list[Dataset], ctx: Context) -> bool:
    """Whether a conditional rule's condition holds, for the purpose of building an example."""
    result = evaluate(rule.condition, stack, ctx.resolve)
    if result is not None:
        return result
    named = rule.condition.named if rule.condition is not None else None
    judge = NAMED_FOR_EXAMPLES.get(named or "")
    return bool(judge(stack)) if judge else False


def _coerce(vr: str, value: Any, ctx: Context, rules: list[Rule], stack: list[Dataset]) -> Any:
    """A YAML or default value in the Python type pydicom wants for ``vr``."""
    if vr == "SQ":
        items = []
        for entry in value if isinstance(value, list) else []:
            item = Dataset()
            for keyword, inner in (entry or {}).items() if isinstance(entry, dict) else []:
                _set(item, keyword, inner, ctx, rules, stack + [item])
            items.append(item)
        return Sequence(items)
    if isinstance(value, (list, tuple)):
        return [_coerce(vr, v, ctx, rules, stack) for v in value]
    if value is None or value == "":
        return None if vr in INT_VRS | FLOAT_VRS else ""
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


def _set(dataset: Dataset, keyword: str, value: Any, ctx: Context, rules: list[Rule], stack: list[Dataset]) -> bool:
    element = ctx.index.element(keyword)
    vr = _vr(ctx, keyword)
    if element is None or vr is None:
        return False
    dataset.add_new(element.tag, vr, _coerce(vr, value, ctx, rules, stack))
    return True


def generic_value(rule: Rule, vr: str, ctx: Context, name: str) -> Any:
    """A legal value for ``rule``'s attribute when nothing more specific is known."""
    if rule.enumerated:
        return rule.enumerated[0]
    if rule.defined:
        return rule.defined[0]
    by_vr: dict[str, Any] = {
        "AE": "DICOMSUP", "AS": "055Y", "CS": "UNSPECIFIED", "DA": ctx.date, "DT": f"{ctx.date}{TIME}",
        "TM": TIME, "DS": "1", "IS": "1", "PN": "Example^Person", "SH": name[:16].strip(), "LO": name[:64],
        "LT": name, "ST": name, "UT": name, "UC": name, "UR": "https://example.org/dicomsup",
        "UI": ctx.uid(f"{ctx.example.name}/{rule.keyword}"), "AT": 0x00100010,
    }
    if vr in INT_VRS:
        return 1
    if vr in FLOAT_VRS:
        return 1.0
    if vr in BINARY_VRS:
        return b"\x00\x00"
    return by_vr.get(vr, "")


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
    unknown = evaluate(rule.condition, stack, ctx.resolve) is None
    return None if rule.may_be_present_otherwise or unknown else False


def fill(stack: list[Dataset], rules: list[Rule], ctx: Context, fixed: set[str], removed: set[str]) -> bool:
    """Add what ``rules`` require of ``stack[-1]`` and remove what they forbid; True when something changed."""
    dataset = stack[-1]
    top = len(stack) == 1
    changed = False
    by_keyword: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.tag is not None:
            by_keyword.setdefault(rule.keyword, []).append(rule)
    for keyword, group in by_keyword.items():
        tag = group[0].tag
        verdicts = [_wanted(rule, stack, ctx) for rule in group]
        present = tag in dataset
        if True in verdicts and not present and not (top and keyword in removed):
            rule = next(r for r, v in zip(group, verdicts) if v is True)
            changed |= _add(dataset, rule, ctx, stack)
        elif present and False in verdicts and True not in verdicts and None not in verdicts \
                and not (top and keyword in fixed):
            del dataset[tag]
            changed = True
        if tag in dataset and dataset[tag].VR == "SQ":
            item_rules = [r for rule in group for r in rule.items]
            for item in dataset[tag].value:
                changed |= fill(stack + [item], item_rules, ctx, set(), set())
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
    dataset.add_new(element.tag, vr, _coerce(vr, value, ctx, rule.items, stack))
    return True


def build_dataset(supplement: Supplement, index: Index, example: Example, number: int = 1) -> tuple[Dataset, list[str]]:
    """The dataset of one example variant, and the problems met on the way (unknown keywords, macros…)."""
    problems: list[str] = []
    ctx = Context(supplement, index, example, number)
    iod = index.iod(example.iod)
    if iod is None:
        return Dataset(), [f"example {example.name!r}: no IOD named {example.iod!r} in the supplement"]
    modules = iod_rules(iod, index, problems)
    dataset = Dataset()
    fixed = {k for k, v in example.values.items() if v is not None}
    removed = {k for k, v in example.values.items() if v is None}
    for keyword in sorted(fixed):
        if not _set(dataset, keyword, example.values[keyword], ctx, [], [dataset]):
            problems.append(f"example {example.name!r}: {keyword!r} is not a known attribute keyword")
    for _round in range(12):
        changed = False
        for module in modules:
            usage = module.use.usage
            if usage == "M" or (usage == "C" and evaluate(module.use.condition, [dataset], ctx.resolve) is True):
                changed |= fill([dataset], module.rules, ctx, fixed, removed)
        changed |= _show_optional_modules(dataset, modules, ctx, removed)
        if not changed:
            break
    else:
        problems.append(f"example {example.name!r}: the conditions did not settle after 12 rounds")
    if "PixelData" in dataset:
        _draw(dataset, example)
    return dataset, problems


def _show_optional_modules(dataset: Dataset, modules, ctx: Context, removed: set[str]) -> bool:
    """A mandatory module of Type 3 attributes only gets one of them (a default's when there is one), so that an
    implementer sees the module in the example; the first such attribute otherwise."""
    changed = False
    for module in modules:
        if module.use.usage != "M" or any(r.tag in dataset for r in module.rules if r.tag is not None):
            continue
        optional = [r for r in module.rules if r.type == "3" and r.keyword not in removed and r.tag is not None]
        chosen = next((r for r in optional if r.keyword in DEFAULTS), optional[0] if optional else None)
        if chosen is not None:
            changed |= _add(dataset, chosen, ctx, [dataset])
    return changed


def _draw(dataset: Dataset, example: Example) -> None:
    rows = int(dataset.get("Rows", IMAGE_SIZE) or IMAGE_SIZE)
    cols = int(dataset.get("Columns", IMAGE_SIZE) or IMAGE_SIZE)
    seed = uuid.uuid5(NAMESPACE, example.name).int % 2**31
    image = pixels.draw(rows, cols, contact=dataset.get("ContactMethod") != "NON_CONTACT",
                        polarized=dataset.get("LightSourcePolarization") != "NON_POLARIZED",
                        partial=dataset.get("PartialView") == "YES", seed=seed)
    if image.shape[:2] != (rows, cols):  # draw() keeps a minimum size; describe what it drew
        dataset.Rows, dataset.Columns = image.shape[0], image.shape[1]
    dataset.PixelData = image.tobytes()
    dataset["PixelData"].VR = "OB"


def file_meta(dataset: Dataset, supplement: Supplement) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = dataset.get("SOPClassUID", "")
    meta.MediaStorageSOPInstanceUID = dataset.get("SOPInstanceUID", "")
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION
    return meta


def write_example(dataset: Dataset, supplement: Supplement, folder: Path, name: str, title: str = "",
                  index: Index | None = None) -> list[Path]:
    """Write ``<name>.dcm``, ``<name>.txt`` and ``<name>.png`` into ``folder``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    dataset.file_meta = file_meta(dataset, supplement)
    dataset.preamble = b"\x00" * 128
    dcm, txt, png = folder / f"{name}.dcm", folder / f"{name}.txt", folder / f"{name}.png"
    dataset.save_as(dcm, enforce_file_format=True)
    header = f"# {name}.dcm: {title}\n" if title else f"# {name}.dcm\n"
    names = _names(index or Index(supplement))
    txt.write_text(header + dump(dcmread(dcm), names=names), encoding="utf-8")  # what the file holds, meta group included
    written = [dcm, txt]
    image = pixel_array(dataset)
    if image is not None:
        png.write_bytes(pixels.png_bytes(image))
        written.append(png)
    return written


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


def build_examples(supplement: Supplement, index: Index, folder: Path) -> tuple[list[Path], list[str]]:
    """Write every example variant of ``supplement`` into ``folder``."""
    written: list[Path] = []
    problems: list[str] = []
    for number, example in enumerate(supplement.examples, 1):
        dataset, found = build_dataset(supplement, index, example, number)
        problems.extend(found)
        if index.iod(example.iod) is None:
            continue
        written.extend(write_example(dataset, supplement, folder, example.name, example.title, index))
    return written, problems


def generate(ctx, out: Path) -> None:
    """The ``examples`` generator: ``out/examples/<variant>.dcm|.txt|.png``, each checked by the verifier."""
    from build_tools.verify.checker import verify_file

    written, problems = build_examples(ctx.supplement, ctx.index, out / "examples")
    for problem in problems:
        ctx.warnings.append(Finding(ctx.supplement.loc, problem, Severity.WARNING))
    where = {example.name: example.loc for example in ctx.supplement.examples}
    for path in written:
        if path.suffix != ".dcm":
            continue
        for finding in verify_file(path, ctx.supplement, ctx.index):
            ctx.warnings.append(Finding(where.get(path.stem, ctx.supplement.loc),
                                        f"example {path.name} does not pass dicomsup verify: {finding.severity}: "
                                        f"{finding.text()}", Severity.WARNING))
