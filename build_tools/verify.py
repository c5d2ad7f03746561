"""``dicomsup verify FILE...``: check DICOM files against an IOD as the supplement and the baseline catalog define it.

The IOD is found from the file's SOP Class UID (the supplement's ``sop_classes``). Checked: the file meta
information, module usage (a mandatory module must be present; a module is present when one of its attributes is),
Types 1, 2 and 3, conditions (a 1C/2C attribute is required when its structured condition holds and must be absent
when it does not, unless the row says ``otherwise: may be present``; ``named`` conditions, which cannot be
evaluated, are only checked for their values), Enumerated Values (error) and Defined Terms (warning), VR and VM
against the data dictionary, sequence items (recursively) and the IOD's constraints.

Findings read ``FILE: (gggg,eeee) Keyword: message [Module, Type]`` after ``error:`` or ``warning:``. A file that
cannot be read is one error saying why; nothing here raises on bad input. Exit status: 1 when any error was found,
0 otherwise, 2 for a usage error (unknown supplement, unreadable spec, a path that does not exist).
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.multival import MultiValue

from build_tools.conditions import clause
from build_tools.evaluate import evaluate, normalize, values_of
from build_tools.iodwalk import ModuleRules, Rule, iod_for_sop_class, iod_rules, resolver
from build_tools.lookup import Index
from build_tools.model import Supplement

NO_VM_VRS = {"SQ", "OB", "OW", "OF", "OD", "OL", "OV", "UN", "LT", "ST", "UT", "UR"}
MAX_LENGTH = {"AE": 16, "AS": 4, "CS": 16, "DA": 8, "DS": 16, "IS": 12, "LO": 64, "PN": 324, "SH": 16, "TM": 14,
              "UI": 64, "DT": 26, "ST": 1024, "LT": 10240}
FORMATS = {
    "UI": re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$"),
    "DA": re.compile(r"^[0-9]{8}$"),
    "CS": re.compile(r"^[A-Z0-9_ ]*$"),
    "IS": re.compile(r"^ *[+-]?[0-9]+ *$"),
    "DS": re.compile(r"^ *[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)? *$"),
    "TM": re.compile(r"^[0-9]{2}([0-9]{2}([0-9]{2}(\.[0-9]{1,6})?)?)?$"),
}


@dataclass(frozen=True, order=True)
class Issue:
    """One finding about one file."""

    severity: str  # "error" or "warning"
    path: str  # "(0010,0010) PatientName", or "" for the file as a whole
    message: str
    where: str = ""  # "Patient, Type 2"

    def text(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        head = f"{self.path}: " if self.path else ""
        return f"{head}{self.message}{where}"

    def line(self, file: str) -> str:
        return f"{self.severity}: {file}: {self.text()}"


def _error(path: str, message: str, where: str = "") -> Issue:
    return Issue("error", path, message, where)


def _warning(path: str, message: str, where: str = "") -> Issue:
    return Issue("warning", path, message, where)


def read(path: Path) -> tuple[Dataset | None, list[Issue]]:
    """The dataset of a Part 10 file, fully decoded, or None and why it cannot be read."""
    try:
        dataset = dcmread(path, force=False)
    except InvalidDicomError as exc:
        size = path.stat().st_size if path.is_file() else 0
        if size < 132:
            return None, [_error("", f"not a DICOM Part 10 file: it has {size} bytes, fewer than the 128-byte "
                                     "preamble and 'DICM' prefix (empty or truncated)")]
        return None, [_error("", f"not a DICOM Part 10 file ({exc})")]
    except (EOFError, OSError) as exc:
        return None, [_error("", f"cannot read the file: {type(exc).__name__}: {exc or 'truncated'}")]
    except Exception as exc:  # pydicom raises many kinds on garbage; none of them may escape
        return None, [_error("", f"cannot parse the file: {type(exc).__name__}: {exc}")]
    issues = [_error("", message) for message in truncation(path, dataset)]
    try:
        for _element in dataset.iterall():
            pass
    except Exception as exc:
        issues.append(_error("", f"cannot decode the data set (truncated or corrupt?): {type(exc).__name__}: {exc}"))
    return dataset, issues


def truncation(path: Path, dataset: Dataset) -> list[str]:
    """Signs that the file ends early: pydicom stops quietly at a cut header and keeps a value cut short."""
    problems = []
    try:
        size = path.stat().st_size
        end = None
        for tag in dataset.keys():
            raw = dataset.get_item(tag)
            length, tell = getattr(raw, "length", None), getattr(raw, "value_tell", None)
            if length is None or tell is None or length == 0xFFFFFFFF:
                end = None
                continue
            value = getattr(raw, "value", None)
            if isinstance(value, (bytes, bytearray)) and len(value) < length:
                problems.append(f"the file is truncated: the value of ({tag.group:04X},{tag.element:04X}) has "
                                f"{len(value)} of its {length} bytes")
            end = tell + length
        if not problems and end is not None and end < size:
            problems.append(f"the file is truncated or corrupt: {size - end} bytes after the last element that "
                            "could be read do not form a data element")
    except Exception as exc:  # never let the check itself fail the verification
        problems.append(f"cannot check the file's structure: {type(exc).__name__}: {exc}")
    return problems


def check_meta(dataset: Dataset) -> list[Issue]:
    meta = getattr(dataset, "file_meta", None)
    if meta is None or len(meta) == 0:
        return [_error("", "no File Meta Information (group 0002)")]
    issues = []
    for keyword in ("MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID", "TransferSyntaxUID"):
        if not meta.get(keyword):
            issues.append(_error(f"{_tag(meta, keyword)} {keyword}", "missing or empty in the File Meta Information"))
    pairs = (("MediaStorageSOPClassUID", "SOPClassUID"), ("MediaStorageSOPInstanceUID", "SOPInstanceUID"))
    for meta_keyword, keyword in pairs:
        if meta.get(meta_keyword) and dataset.get(keyword) and str(meta.get(meta_keyword)) != str(dataset.get(keyword)):
            issues.append(_error(f"{_tag(meta, meta_keyword)} {meta_keyword}",
                                 f"{meta.get(meta_keyword)} differs from {keyword} {dataset.get(keyword)}"))
    return issues


def _tag(dataset: Dataset, keyword: str) -> str:
    from pydicom.datadict import tag_for_keyword

    tag = tag_for_keyword(keyword) or 0
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def _is_empty(element) -> bool:
    try:
        value = element.value
    except Exception:
        return False
    if element.VR == "SQ":
        return len(value) == 0
    return value is None or value == "" or value == b"" or (hasattr(value, "__len__") and len(value) == 0)


def _vm_allows(vm: str, count: int) -> bool:
    """Whether ``count`` values fit the dictionary's VM (``1``, ``1-3``, ``1-n``, ``2-2n``…)."""
    vm = vm.strip()
    if "-" not in vm:
        return vm.isdigit() and count == int(vm)
    low, high = vm.split("-", 1)
    if not low.isdigit():
        return True
    if count < int(low):
        return False
    if high.isdigit():
        return count <= int(high)
    step = int(high[:-1]) if high[:-1].isdigit() else 1
    return count % step == 0 if high.endswith("n") else True


def _first_value_only(vm: str) -> bool:
    """PS3.3 gives Enumerated Values of Value 1 for attributes of several fixed values (e.g. Image Type 2-n)."""
    return vm.strip() not in ("1", "1-n", "")


class Checker:
    """Checks one dataset against the rules of one IOD."""

    def __init__(self, index: Index, modules: list[ModuleRules], single_frame: bool):
        self.index = index
        self.modules = modules
        self.single_frame = single_frame
        self.resolve = resolver(index)
        self.issues: list[Issue] = []

    def run(self, dataset: Dataset) -> list[Issue]:
        mandatory_keywords = {r.keyword for m in self.modules if m.use.usage == "M" for r in m.rules}
        checked: list[Rule] = []
        for module in self.modules:
            keywords = {r.keyword for r in module.rules}
            own = keywords - (mandatory_keywords if module.use.usage != "M" else set()) or keywords
            tags = {r.tag for r in module.rules if r.keyword in own and r.tag is not None}
            present = any(tag in dataset for tag in tags)
            required = module.use.usage == "M" or (module.use.usage == "C" and evaluate(
                module.use.condition, [dataset], self.resolve) is True)
            # A module of Type 3 attributes only may be empty: its absence cannot be told from its presence.
            demanding = any(r.type in ("1", "2") for r in module.rules)
            if required and not present and demanding:
                self.issues.append(_error(f"{module.name} Module", "mandatory module is absent (none of its "
                                                                   "attributes is present)",
                                          f"{module.name}, {module.use.usage}"))
            elif present:
                checked.extend(module.rules)
        self.check_level([dataset], checked, "", "")
        self.check_elements(dataset, "", "")
        if self.single_frame and "NumberOfFrames" in dataset:
            frames = values_of(dataset["NumberOfFrames"])
            if frames and frames != ["1"]:
                self.issues.append(_error("(0028,0008) NumberOfFrames", f"is {frames[0]}; the IOD is single-frame"))
        self.check_pixels(dataset)
        return self.issues

    def check_level(self, stack: list[Dataset], rules: list[Rule], tag_path: str, keyword_path: str) -> None:
        """The presence, emptiness and values that ``rules`` ask of ``stack[-1]``; then their items."""
        dataset = stack[-1]
        groups: dict[str, list[Rule]] = {}
        for rule in rules:
            groups.setdefault(rule.keyword, []).append(rule)
        for keyword, group in groups.items():
            element_info = self.index.element(keyword)
            if element_info is None:
                continue
            tag_text = f"{tag_path}({element_info.tag >> 16:04X},{element_info.tag & 0xFFFF:04X})"
            name = f"{tag_text} {keyword_path}{keyword}"
            present = element_info.tag in dataset
            element = dataset[element_info.tag] if present else None
            verdicts = [(rule, self.verdict(rule, stack)) for rule in group]
            need_value = next((r for r, v in verdicts if v == "value"), None)
            need = need_value or next((r for r, v in verdicts if v == "present"), None)
            allowed = any(v in ("value", "present", "optional") for _r, v in verdicts)
            if need is not None and not present:
                self.issues.append(_error(name, self.missing_message(need, stack), self.where(need)))
                continue
            if not present:
                continue
            if not allowed:
                rule = verdicts[0][0]
                self.issues.append(_error(name, self.forbidden_message(rule), self.where(rule)))
                continue
            strict = need_value or next((r for r, v in verdicts if r.type in ("1", "1C") and v != "absent"), None)
            if strict is not None and _is_empty(element):
                what = "has no items" if element.VR == "SQ" else "is empty"
                self.issues.append(_error(name, f"{what}; a Type {strict.type} attribute shall have a value"
                                          + (" when present" if strict.type == "1C" else ""), self.where(strict)))
            self.check_values(element, group, name, element_info.vm)
            if element.VR == "SQ":
                self.check_items(stack, element, group, tag_text, f"{keyword_path}{keyword}")

    def verdict(self, rule: Rule, stack: list[Dataset]) -> str:
        """``value`` (present, not empty), ``present``, ``optional`` or ``absent``."""
        if rule.forbidden:
            return "absent"
        if rule.type == "1":
            return "value"
        if rule.type == "2":
            return "present"
        if rule.type == "3":
            return "optional"
        holds = evaluate(rule.condition, stack, self.resolve)
        if holds is True:
            return "value" if rule.type == "1C" else "present"
        if holds is None or rule.may_be_present_otherwise:
            return "optional"
        return "absent"

    @staticmethod
    def where(rule: Rule) -> str:
        return f"{rule.module}, Type {rule.type}"

    def describe(self, rule: Rule) -> str:
        """The rule's condition in the English of the rendered standard (:mod:`build_tools.conditions`)."""
        text = clause(rule.condition, self.index) if rule.condition is not None else ""
        return text or "its condition holds"

    def missing_message(self, rule: Rule, stack: list[Dataset]) -> str:
        if rule.conditional:
            return f"is missing; required because {self.describe(rule)}"
        return "is missing" + ("" if rule.type == "1" else " (Type 2: present, possibly empty)")

    def forbidden_message(self, rule: Rule) -> str:
        if rule.forbidden:
            return "is present; the IOD forbids it"
        return f"is present but shall be absent: it is required only when {self.describe(rule)}, which does not hold"

    def check_values(self, element, group: list[Rule], name: str, vm: str) -> None:
        values = values_of(element)
        if not values or element.VR == "SQ":
            return
        if _first_value_only(vm):
            values = values[:1]
        reported = set()
        for rule in group:
            enumerated = [normalize(v) for v in rule.enumerated]
            if enumerated:
                for value in values:
                    if value not in enumerated and value not in reported:
                        reported.add(value)
                        allowed = ", ".join(rule.enumerated)
                        self.issues.append(_error(name, f"value {value!r} is not an Enumerated Value ({allowed})",
                                                  self.where(rule)))
            defined = [normalize(v) for v in rule.defined]
            if defined and not enumerated:
                for value in values:
                    if value not in defined and value not in reported:
                        reported.add(value)
                        self.issues.append(_warning(name, f"value {value!r} is not one of the Defined Terms",
                                                    self.where(rule)))

    def check_items(self, stack: list[Dataset], element, group: list[Rule], tag_text: str, keyword_path: str) -> None:
        item_rules = [r for rule in group for r in rule.items]
        counts = {rule.row.item_count for rule in group if rule.row.item_count}
        count = len(element.value)
        name = f"{tag_text} {keyword_path}"
        for expected in counts:
            ok = {"one": count == 1, "one or more": count >= 1, "zero or one": count <= 1}.get(expected, True)
            if not ok:
                self.issues.append(_error(name, f"has {count} items; expected {expected}", self.where(group[0])))
        for number, item in enumerate(element.value, 1):
            self.check_level(stack + [item], item_rules, f"{tag_text}[{number}]>", f"{keyword_path}[{number}]>")

    def check_elements(self, dataset: Dataset, tag_path: str, keyword_path: str) -> None:
        """VR, VM and value format of every element against the dictionary (the supplement's new ones first)."""
        for tag in list(dataset.keys()):
            if tag.is_private or tag.element == 0:
                continue
            try:
                element = dataset[tag]
            except Exception as exc:
                self.issues.append(_error(f"{tag_path}({tag.group:04X},{tag.element:04X})",
                                          f"cannot be decoded: {type(exc).__name__}: {exc}"))
                continue
            info = self.index.element_by_tag(int(tag))
            tag_text = f"{tag_path}({tag.group:04X},{tag.element:04X})"
            keyword = info.keyword if info else element.keyword or "?"
            name = f"{tag_text} {keyword_path}{keyword}"
            if info is None:
                self.issues.append(_warning(name, "is not in the data dictionary"))
                continue
            allowed_vrs = {v.strip() for v in info.vr.split(" or ")}
            if element.VR not in allowed_vrs:
                self.issues.append(_error(name, f"VR is {element.VR}; the data dictionary says {info.vr}"))
                continue
            if element.VR == "SQ":
                for number, item in enumerate(element.value, 1):
                    self.check_elements(item, f"{tag_text}[{number}]>", f"{keyword_path}{keyword}[{number}]>")
                continue
            values = values_of(element)
            if element.VR not in NO_VM_VRS and values and not _vm_allows(info.vm, len(values)):
                self.issues.append(_error(name, f"has {len(values)} values; the data dictionary allows VM {info.vm}"))
            self.check_format(element, name)

    def check_format(self, element, name: str) -> None:
        pattern, limit = FORMATS.get(element.VR), MAX_LENGTH.get(element.VR)
        try:
            raw = element.value
        except Exception:
            return
        if raw is None or isinstance(raw, (bytes, bytearray)):
            return
        items = list(raw) if isinstance(raw, (list, tuple, MultiValue)) else [raw]
        for value in items:
            text = str(value) if not hasattr(value, "original_string") or value.original_string is None \
                else str(value.original_string)
            if text == "":
                continue
            if limit is not None and len(text) > limit:
                self.issues.append(_error(name, f"value {text[:40]!r} is {len(text)} characters; {element.VR} "
                                                f"allows {limit}"))
            elif pattern is not None and not pattern.match(text):
                self.issues.append(_error(name, f"value {text[:40]!r} is not a valid {element.VR}"))

    def check_pixels(self, dataset: Dataset) -> None:
        if "PixelData" not in dataset:
            return
        try:
            rows, cols = int(dataset.Rows), int(dataset.Columns)
            samples = int(dataset.get("SamplesPerPixel", 1))
            bits = int(dataset.BitsAllocated)
            frames = int(dataset.get("NumberOfFrames", 1) or 1)
            length = len(dataset.PixelData)
        except Exception:
            return  # missing or broken descriptors are reported by the attribute checks
        syntax = getattr(getattr(dataset, "file_meta", None), "TransferSyntaxUID", None)
        if syntax is not None and getattr(syntax, "is_compressed", False):
            return  # encapsulated: the length says nothing about the image size
        expected = (rows * cols * samples * frames * bits + 7) // 8
        if length not in (expected, expected + 1):
            self.issues.append(_error("(7FE0,0010) PixelData", f"holds {length} bytes; Rows, Columns, Samples per "
                                                               f"Pixel, Bits Allocated and Number of Frames make "
                                                               f"{expected}"))


def verify_dataset(dataset: Dataset, supplement: Supplement, index: Index) -> list[Issue]:
    """Every finding about a dataset already read (file meta included when it has one)."""
    issues = check_meta(dataset)
    sop_class = str(dataset.get("SOPClassUID", "") or "")
    if not sop_class:
        return issues + [_error("(0008,0016) SOPClassUID", "is missing; the IOD cannot be chosen", "SOP Common, Type 1")]
    iod = iod_for_sop_class(supplement, index, sop_class)
    if iod is None:
        return issues + [_error("(0008,0016) SOPClassUID", f"{sop_class} is not a SOP Class of supplement "
                                                           f"{supplement.name}")]
    problems: list[str] = []
    modules = iod_rules(iod, index, problems)
    issues.extend(_warning("", f"cannot check completely: {p}") for p in problems)
    issues.extend(Checker(index, modules, iod.single_frame).run(dataset))
    return issues


def verify_file(path: Path, supplement: Supplement, index: Index | None = None) -> list[Issue]:
    """Every finding about one file, errors first; never raises."""
    index = index or Index(supplement)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom's warnings about bad values: the checks below report them
        dataset, issues = read(path)
        if dataset is not None and not issues:  # the checks of a truncated file would only list what was cut off
            try:
                issues.extend(verify_dataset(dataset, supplement, index))
            except Exception as exc:  # a bug here must not hide the findings so far
                issues.append(_error("", f"verification stopped: {type(exc).__name__}: {exc}"))
    unique = sorted(set(issues), key=lambda i: (i.severity != "error", issues.index(i)))
    return unique


def _supplements(args: argparse.Namespace) -> list[Supplement]:
    from build_tools.build import discover
    from build_tools.errors import Finding, InputError, Loc
    from build_tools.load import load_supplement

    spec_root = Path(args.spec)
    if args.supplement:
        folder = Path(args.supplement)
        if not folder.is_dir():
            folder = spec_root / args.supplement
        if not folder.is_dir():
            raise InputError([Finding(Loc(str(folder)), "no such supplement folder")])
        folders = [folder]
    else:
        folders = discover(spec_root)
        if not folders:
            raise InputError([Finding(Loc(str(spec_root)), "holds no supplement folder (a folder with "
                                                           "supplement.yaml); pass --spec or --supplement")])
    return [load_supplement(folder, []) for folder in folders]


def _choose(path: Path, supplements: list[tuple[Supplement, Index]]) -> tuple[Supplement, Index]:
    """The supplement whose SOP Classes include the file's; the first one when none does."""
    if len(supplements) > 1:
        try:
            sop_class = str(dcmread(path, stop_before_pixels=True, specific_tags=["SOPClassUID"]).get("SOPClassUID"))
        except Exception:
            sop_class = ""
        for supplement, index in supplements:
            if iod_for_sop_class(supplement, index, sop_class) is not None:
                return supplement, index
    return supplements[0]


def cmd_verify(args: argparse.Namespace) -> int:
    supplements = [(s, Index(s)) for s in _supplements(args)]
    missing = [f for f in args.files if not Path(f).is_file()]
    for name in missing:
        print(f"error: {name}: no such file", file=sys.stderr)
    if missing:
        return 2
    errors = warnings = 0
    for name in args.files:
        supplement, index = _choose(Path(name), supplements)
        issues = verify_file(Path(name), supplement, index)
        for issue in issues:
            print(issue.line(name))
        errors += sum(1 for i in issues if i.severity == "error")
        warnings += sum(1 for i in issues if i.severity == "warning")
    print(f"verify: {len(args.files)} file{'s' * (len(args.files) != 1)}, {errors} error{'s' * (errors != 1)}, "
          f"{warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
    return 1 if errors else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("verify", help="check DICOM files against an IOD of a supplement")
    parser.add_argument("files", nargs="+", metavar="FILE", help="DICOM Part 10 files")
    parser.add_argument("--supplement", help="supplement name under --spec, or its folder (default: the one whose "
                                             "SOP Classes include the file's)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.set_defaults(run=cmd_verify)


def main(argv: list[str] | None = None) -> int:
    """``verify`` on its own (``python -m build_tools.verify``): the same command without the other ones."""
    from build_tools.errors import InputError

    parser = argparse.ArgumentParser(prog="dicomsup")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["verify", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.run(args)
    except InputError as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
