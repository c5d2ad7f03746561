"""``dicomsup verify FILE...``: check DICOM files against an IOD as the supplement and the baseline catalog define it.

The IOD is found from the file's SOP Class UID (the supplement's ``sop_classes``). Checked: the file meta
information, module usage (a mandatory module must be present; a module is present when one of its attributes is),
Types 1, 2 and 3, conditions (a 1C/2C attribute is required when its structured condition holds and must be absent
when it does not, unless the row says ``otherwise: may be present``; a row that a conditional include brings in
applies only when the include's condition holds), Enumerated Values (error; of the value a row's ``value_index``
names) and Defined Terms (warning), VR and VM against the data dictionary, sequence items (recursively), the IOD's
constraints, and the functional groups of an enhanced multi-frame IOD (:mod:`build_tools.verify.functional_groups`).
A requirement that hangs on a prose (``named``) condition is a note saying it could not be checked (DV217; DV218
sums up the baseline's), unless the caller assumes the condition's truth (``assumed``, ``--assume``).

The IOD's rules are compiled once per run, when a file first needs them (:mod:`build_tools.verify.plan`);
:mod:`build_tools.verify.run` checks many files in worker processes, streamed, in input order.

Findings read ``FILE: error: (gggg,eeee) Keyword: message [Module, Type] [DVxxx]`` (or ``warning:``), each with
its stable code (:mod:`build_tools.core.findingcodes`). A file that cannot be read is one error saying why; nothing
here raises on bad input. Errors come before warnings, each in tag
order. Exit status: 1 when any error was found (or any warning, with ``--strict``), 0 otherwise, 2 for a usage error
(unknown supplement, unreadable spec, a path that does not exist, is a directory or cannot be read; the other files
are still checked).

Values are checked against the formats of PS3.5 Table 6.2-1 (:func:`format_problem`), and a standard attribute that
no module of the IOD defines (at the top level, or in an item of a sequence whose items the IOD describes) is a
warning, as dciodvfy's "not present in standard DICOM IOD".
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydicom import config, dcmread
from pydicom.dataelem import DataElement
from pydicom.datadict import keyword_for_tag
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID

from build_tools.core.model import Supplement
from build_tools.core.tags import tag_text
from build_tools.iod.conditions import clause
from build_tools.iod.evaluate import evaluate, normalize, raw_values, values_of
from build_tools.iod.walk import Rule, iod_for_sop_class, named_conditions
from build_tools.standard.index import Index
from build_tools.verify.functional_groups import check_functional_groups
from build_tools.verify.issues import Issue, issue
from build_tools.verify.plan import FIXED_VERDICTS, Group, Level, Plan, compile_plan, from_baseline

NO_VM_VRS = {"SQ", "OB", "OW", "OF", "OD", "OL", "OV", "UN", "LT", "ST", "UT", "UR"}

# Value formats of PS3.5 Table 6.2-1, checked on each value of an element (after pydicom split the values at '\\').
#: Maximum length of one value in characters (PN: of one component group, checked apart).
MAX_LENGTH = {"AE": 16, "AS": 4, "CS": 16, "DA": 8, "DS": 16, "IS": 12, "LO": 64, "SH": 16, "TM": 14, "UI": 64,
              "DT": 26, "ST": 1024, "LT": 10240, "UT": 2**32 - 2, "UR": 2**32 - 2}
#: What a valid value looks like, as said in the message when a value does not match.
SHAPES = {
    "AE": "printable ASCII characters other than backslash",
    "AS": "nnnD, nnnW, nnnM or nnnY, e.g. 055Y",
    "CS": "upper-case letters, digits, space and underscore",
    "DA": "YYYYMMDD, a calendar date",
    "DS": "a decimal number such as 12.5, -0.5 or 1.5E3",
    "DT": "YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]",
    "IS": "an integer from -2147483648 to 2147483647",
    "TM": "HH[MM[SS[.FFFFFF]]]",
    "UI": "digits and dots, components without leading zeros",
    "UR": "a URI or URL without spaces",
}
FORMATS = {
    "UI": re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$"),
    "DA": re.compile(r"^(?P<Y>[0-9]{4})(?P<M>[0-9]{2})(?P<D>[0-9]{2})$"),
    "CS": re.compile(r"^[A-Z0-9_ ]*$"),
    "IS": re.compile(r"^ *[+-]?[0-9]+ *$"),
    "DS": re.compile(r"^ *[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)? *$"),
    "TM": re.compile(r"^(?P<H>[0-9]{2})((?P<M>[0-9]{2})((?P<S>[0-9]{2})(\.[0-9]{1,6})?)?)? *$"),
    "DT": re.compile(r"^(?P<Y>[0-9]{4})((?P<M>[0-9]{2})((?P<D>[0-9]{2})((?P<H>[0-9]{2})((?P<MI>[0-9]{2})"
                     r"((?P<S>[0-9]{2})(\.[0-9]{1,6})?)?)?)?)?)?(?P<Z>[+-][0-9]{4})? *$"),
    "AS": re.compile(r"^[0-9]{3}[DWMY]$"),
    "AE": re.compile(r"^[\x20-\x5B\x5D-\x7E]*$"),
    "UR": re.compile(r"^[^\x00-\x20\x7F\\\\]+ *$"),
}
#: Control characters that a text VR may hold: ESC (for ISO 2022 code extensions) always, LF, FF and CR in texts.
TEXT_CONTROLS = {"SH": "\x1b", "LO": "\x1b", "PN": "\x1b", "UC": "\x1b",
                 "ST": "\x1b\n\f\r", "LT": "\x1b\n\f\r", "UT": "\x1b\n\f\r"}
#: The VRs whose values are text in the character set of Specific Character Set (0008,0005).
TEXT_VRS = {"SH", "LO", "ST", "LT", "UT", "UC", "PN"}
#: Per text VR, the control characters it does not allow (C0 and DEL but those of :data:`TEXT_CONTROLS`), found
#: by one search of the value instead of a test of each character.
_BAD_CONTROLS = {vr: re.compile("[" + re.escape("".join(chr(c) for c in [*range(0x20), 0x7F] if chr(c) not in allowed))
                                + "]") for vr, allowed in TEXT_CONTROLS.items()}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date_problem(year: str | None, month: str | None, day: str | None) -> str | None:
    if year is not None and month is not None and not 1 <= int(month) <= 12:
        return f"month {month} is not 01 to 12"
    if month is not None and day is not None:
        y, m, d = int(year or 0), int(month), int(day)
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        last = 29 if m == 2 and leap else 28 if m == 2 else _DAYS[m - 1]
        if not 1 <= d <= last:
            return f"day {day} is not 01 to {last} for month {month} of {year}"
    return None


def _time_problem(hour: str | None, minute: str | None, second: str | None) -> str | None:
    if hour is not None and int(hour) > 23:
        return f"hour {hour} is not 00 to 23"
    if minute is not None and int(minute) > 59:
        return f"minute {minute} is not 00 to 59"
    if second is not None and int(second) > 60:  # 60: a leap second
        return f"second {second} is not 00 to 60"
    return None


def format_problem(vr: str, text: str) -> str | None:
    """Why ``text`` is not a valid value of ``vr`` (PS3.5 Table 6.2-1), or None when it is.

    ``text`` is one value as pydicom returns it (padding removed, values already split at backslashes).
    """
    if vr == "PN":
        return _person_name_problem(text)
    limit = MAX_LENGTH.get(vr)
    too_long = f"is {len(text)} characters; {vr} allows {limit}" if limit is not None and len(text) > limit else None
    controls = _BAD_CONTROLS.get(vr)
    if controls is not None:
        bad = controls.search(text)
        if bad is not None:
            return f"holds the control character {bad.group()!r}, which {vr} does not allow"
        return too_long
    pattern = FORMATS.get(vr)
    if pattern is None:
        return too_long
    match = pattern.match(text)
    if vr == "UR" and text.startswith(" "):
        return "has leading spaces, which UR does not allow"
    if not match:  # the shape first: "not YYYYMMDD" says more than "10 characters"
        return f"is not a valid {vr} ({SHAPES.get(vr, vr)})"
    if too_long:
        return too_long
    if vr == "AE" and not text.strip():
        return "is all spaces, which AE does not allow"
    parts = match.groupdict()
    if vr in ("DA", "DT"):
        problem = _date_problem(parts.get("Y"), parts.get("M"), parts.get("D"))
        if problem is None and vr == "DT":
            problem = _time_problem(parts.get("H"), parts.get("MI"), parts.get("S"))
            zone = parts.get("Z")
            if problem is None and zone is not None:
                hours, minutes = int(zone[1:3]), int(zone[3:5])
                offset = (hours * 60 + minutes) * (-1 if zone[0] == "-" else 1)
                if minutes > 59 or not -12 * 60 <= offset <= 14 * 60:
                    problem = f"UTC offset {zone} is not -1200 to +1400"
        if problem is not None:
            return f"is not a valid {vr}: {problem}"
    elif vr == "TM":
        problem = _time_problem(parts.get("H"), parts.get("M"), parts.get("S"))
        if problem is not None:
            return f"is not a valid TM: {problem}"
    elif vr == "IS" and not -2**31 <= int(text) <= 2**31 - 1:
        return f"is not a valid IS ({SHAPES['IS']})"
    return None


def _person_name_problem(text: str) -> str | None:
    """PN: at most 3 component groups (alphabetic, ideographic, phonetic) separated by '=', each of at most 5
    components separated by '^' and at most 64 characters."""
    groups = text.split("=")
    if len(groups) > 3:
        return (f"has {len(groups)} component groups separated by '='; PN allows 3 (alphabetic, ideographic, "
                "phonetic)")
    for number, group in enumerate(groups, 1):
        if len(group) > 64:
            return f"component group {number} is {len(group)} characters; PN allows 64"
        if group.count("^") > 4:
            return (f"component group {number} has {group.count('^') + 1} components separated by '^'; PN allows 5 "
                    "(family, given, middle, prefix, suffix)")
    bad = next((ch for ch in text if (ord(ch) < 0x20 or ord(ch) == 0x7F) and ch != "\x1b"), None)
    if bad is not None:
        return f"holds the control character {bad!r}, which PN does not allow"
    return None


_issue = issue  # the findings' constructor, by its short name here


def read(path: Path) -> tuple[Dataset | None, list[Issue], list[Issue]]:
    """The dataset of a Part 10 file, fully decoded, or None; why it cannot be checked (it cannot be read, or is
    truncated); and what is wrong with its encoding, which does not prevent the checks.

    pydicom's own checks of the values it decodes are off meanwhile: they only warn, and the checks here (DV4xx)
    say more and locate it; they cost a sixth of the reading.
    """
    settings = config.settings
    mode = settings.reading_validation_mode
    settings.reading_validation_mode = config.IGNORE
    try:
        return _read(path)
    finally:
        settings.reading_validation_mode = mode


def _read(path: Path) -> tuple[Dataset | None, list[Issue], list[Issue]]:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dataset = dcmread(path, force=False)
    except InvalidDicomError as exc:
        size = path.stat().st_size if path.is_file() else 0
        if size < 132:
            return None, [_issue("DV002", "", f"not a DICOM Part 10 file: it has {size} bytes, fewer than the "
                                              "128-byte preamble and 'DICM' prefix (empty or truncated)")], []
        with open(path, "rb") as file:
            head = file.read(132)
        if head[128:132] != b"DICM":
            return None, [_issue("DV002", "", "not a DICOM Part 10 file: no 'DICM' prefix after the 128-byte "
                                              "preamble (not DICOM, or a bare data set without File Meta "
                                              "Information)")], []
        return None, [_issue("DV002", "", f"not a DICOM Part 10 file: {exc}")], []
    except IsADirectoryError:
        return None, [_issue("DV001", "", "is a directory, not a file")], []
    except (EOFError, OSError) as exc:
        return None, [_issue("DV002", "", f"cannot read the file: {type(exc).__name__}: {exc or 'truncated'}")], []
    except Exception as exc:  # pydicom raises many kinds on garbage; none of them may escape
        return None, [_issue("DV002", "", f"cannot parse the file: {type(exc).__name__}: {exc}")], []
    if len(getattr(dataset, "file_meta", None) or []) == 0:
        return None, [_issue("DV002", "", "not a DICOM Part 10 file: no File Meta Information (group 0002) follows "
                                          "the 'DICM' prefix")], []
    issues = [_issue("DV003", "", message) for message in truncation(path, dataset)]
    encoding = []
    for warning in caught:  # pydicom reads on when the encoding contradicts the Transfer Syntax UID; we do not
        found = re.search(r"Expected (\w+) VR, but found (\w+) VR", str(warning.message))
        if found:
            encoding.append(_issue("DV004", "(0002,0010) TransferSyntaxUID",
                                   f"says {found.group(1)} VR, but the data set is encoded with {found.group(2)} VR"))
    try:
        for _element in dataset.iterall():
            pass
    except Exception as exc:
        issues.append(_issue("DV003", "", f"cannot decode the data set (truncated or corrupt?): "
                                          f"{type(exc).__name__}: {exc}"))
    if issues:
        syntax = UID(str(dataset.file_meta.get("TransferSyntaxUID", "") or ""))
        if syntax != "1.2.840.10008.1.2.1":  # a wrong Transfer Syntax UID makes a file read as garbage
            issues.append(_issue("DV004", "(0002,0010) TransferSyntaxUID",
                                 f"the data set was read as {syntax} ({syntax.name or 'unknown'}); if the file is "
                                 "not truncated, it does not follow this transfer syntax"))
    return dataset, issues, encoding


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
                problems.append(f"the file is truncated: the value of {tag_text(tag)} has "
                                f"{len(value)} of its {length} bytes")
            end = tell + length
        if not problems and end is not None and end < size:
            problems.append(f"the file is truncated or corrupt: {size - end} bytes after the last element that "
                            "could be read do not form a data element")
    except Exception as exc:  # never let the check itself fail the verification
        problems.append(f"cannot check the file's structure: {type(exc).__name__}: {exc}")
    return problems


def check_meta(dataset: Dataset) -> list[Issue]:
    """The File Meta Information (PS3.10 Table 7.1-1): its Type 1 elements, their agreement with the data set, a
    Transfer Syntax that exists and fits how the Pixel Data are encoded."""
    meta = getattr(dataset, "file_meta", None)
    if meta is None or len(meta) == 0:
        return [_issue("DV002", "", "no File Meta Information (group 0002)")]
    issues = []
    values: dict[str, object] = {}  # by keyword: each looked up once (pydicom's keyword access is a slow path)
    for tag in list(meta.keys()):
        try:
            element = meta[tag]
            values[element.keyword] = element.value
        except Exception as exc:  # an unknown VR, a bad length: the other meta checks would stumble on it
            issues.append(_issue("DV101", f"{tag_text(tag)} {keyword_for_tag(tag) or '?'}",
                                 f"cannot be decoded: {type(exc).__name__}: {exc}"))
    if issues:
        return issues
    for keyword in ("FileMetaInformationVersion", "MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID",
                    "TransferSyntaxUID", "ImplementationClassUID"):
        if not values.get(keyword):
            issues.append(_issue("DV102", f"{_tag(meta, keyword)} {keyword}",
                                 "missing or empty in the File Meta Information (Type 1, PS3.10 Table 7.1-1)"))
    version = values.get("FileMetaInformationVersion")
    if version and bytes(version) != b"\x00\x01":
        issues.append(_issue("DV103", "(0002,0001) FileMetaInformationVersion",
                             f"is {bytes(version).hex(' ')}; shall be 00 01"))
    for keyword in ("MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID", "TransferSyntaxUID",
                    "ImplementationClassUID"):
        value = str(values.get(keyword) or "")
        problem = format_problem("UI", value) if value else None
        if problem:
            issues.append(_issue("DV104", f"{_tag(meta, keyword)} {keyword}", f"value {value!r} {problem}"))
    name = values.get("ImplementationVersionName")
    problem = format_problem("SH", str(name)) if name else None
    if problem:
        issues.append(_issue("DV104", "(0002,0013) ImplementationVersionName", f"value {str(name)!r} {problem}"))
    pairs = (("MediaStorageSOPClassUID", "SOPClassUID"), ("MediaStorageSOPInstanceUID", "SOPInstanceUID"))
    for meta_keyword, keyword in pairs:
        stored = values.get(meta_keyword)
        if stored and dataset.get(keyword) and str(stored) != str(dataset.get(keyword)):
            issues.append(_issue("DV105", f"{_tag(meta, meta_keyword)} {meta_keyword}",
                                 f"{stored} differs from {keyword} {dataset.get(keyword)}"))
    syntax = values.get("TransferSyntaxUID")
    if syntax and not format_problem("UI", str(syntax)):
        syntax = UID(str(syntax))
        if not syntax.is_transfer_syntax:
            issues.append(_issue("DV106", "(0002,0010) TransferSyntaxUID",
                                 f"{syntax} is not a Transfer Syntax UID of PS3.6 (or one pydicom knows); the data "
                                 "set was read as pydicom guessed"))
        elif "PixelData" in dataset:
            try:
                encapsulated = dataset["PixelData"].is_undefined_length
            except Exception:
                encapsulated = None
            if encapsulated is False and syntax.is_encapsulated:
                issues.append(_issue("DV107", "(0002,0010) TransferSyntaxUID",
                                     f"{syntax} ({syntax.name}) is encapsulated, but Pixel Data (7FE0,0010) is "
                                     "native (not encapsulated in fragments)"))
            elif encapsulated is True and not syntax.is_encapsulated:
                issues.append(_issue("DV107", "(0002,0010) TransferSyntaxUID",
                                     f"{syntax} ({syntax.name}) is native, but Pixel Data (7FE0,0010) is "
                                     "encapsulated"))
    return issues


def _tag(dataset: Dataset, keyword: str) -> str:
    from pydicom.datadict import tag_for_keyword

    return tag_text(tag_for_keyword(keyword) or 0)


def _named(tag_path: str, tag: int, keyword_path: str, keyword: str) -> str:
    """How a finding names an element: ``tag_path`` (gggg,eeee) ``keyword_path`` keyword."""
    return f"{tag_path}{tag_text(tag)} {keyword_path}{keyword}"


def _is_empty(element) -> bool:
    try:
        value = element.value
    except Exception:
        return False
    if element.VR == "SQ":
        return len(value) == 0
    return value is None or value == "" or value == b"" or (hasattr(value, "__len__") and len(value) == 0)


@lru_cache(maxsize=4096)
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


def _listed_values(values: list[str], value_index: int | None, vm: str) -> list[str]:
    """The values that a row's Enumerated Values or Defined Terms apply to: the one its ``value_index`` names
    (the baseline's rows say, e.g. Value 3 of Image Type), else Value 1 of a multi-valued attribute, else all."""
    if value_index is not None:
        return values[value_index - 1:value_index]
    return values[:1] if _first_value_only(vm) else values


@lru_cache(maxsize=1024)
def _vrs(vr: str) -> frozenset[str]:
    """The VRs a dictionary entry allows (``US or SS``)."""
    return frozenset(v.strip() for v in vr.split(" or "))


#: Stands for an element that cannot be decoded, in :meth:`Checker.elements` (present; DV401 says why).
BROKEN = object()


class Checker:
    """Checks one dataset against the compiled rules of one IOD (:class:`~build_tools.verify.plan.Plan`).

    ``assumed`` gives the truth of prose (``named``) conditions; a requirement that hangs on one it does not give
    is listed as not checkable (DV217 for the supplement's rows, one DV218 note for the baseline's), never passed
    silently.
    """

    def __init__(self, plan: Plan, assumed: Mapping[str, bool] | None = None):
        self.plan = plan
        self.index = plan.index
        self.iod = plan.iod.name  # for messages
        self.resolve = plan.resolve
        self.assumed = dict(assumed or {})
        self.issues: list[Issue] = []
        self.character_set = False  # whether the data set names a Specific Character Set
        #: (element, value) said not to be a listed value: its format is not said as well (one mistake, one finding)
        self.listed_values_reported: set[tuple[str, str]] = set()
        #: Keyword paths of baseline rows whose conditions could not be evaluated, for the one DV218 note.
        self.baseline_unknown: list[str] = []
        self._elements: dict[int, dict[int, object]] = {}

    def elements(self, dataset: Dataset) -> dict[int, object]:
        """The elements of ``dataset`` (the top level or an item) by tag as a plain int, in the data set's order:
        an int finds its element without a call to pydicom's tag comparison, which every lookup by tag makes, and
        the elements are decoded already (:func:`read`). Kept for the run: the data set outlives the checker."""
        found = self._elements.get(id(dataset))
        if found is None:
            found = self._elements[id(dataset)] = {}
            for tag, element in zip(dataset.keys(), dataset.values()):
                if not isinstance(element, DataElement):  # a raw element, not decoded yet
                    try:
                        element = dataset[tag]
                    except Exception:
                        element = BROKEN
                found[int(tag)] = element
        return found

    def holds(self, condition, stack: list[Dataset]) -> bool | None:
        return evaluate(condition, stack, self.resolve, assumed=self.assumed)

    def run(self, dataset: Dataset) -> list[Issue]:
        self.character_set = bool(values_of(dataset["SpecificCharacterSet"])) if "SpecificCharacterSet" in dataset \
            else False
        keys = self.elements(dataset)
        present_modules: list[int] = []
        for number, module in enumerate(self.plan.modules):
            use = module.rules.use
            present = any(tag in keys for tag in module.own_tags)
            holds = True if use.usage == "M" else self.holds(use.condition, [dataset]) if use.usage == "C" else False
            if holds is None and not present and module.demanding:
                self.not_checkable(f"{module.rules.name} Module", "is absent", use.condition,
                                   f"{module.rules.name}, {use.usage}", baseline=False)
            if holds is True and not present and module.demanding:
                self.issues.append(_issue("DV204", f"{module.rules.name} Module",
                                          "mandatory module is absent (none of its attributes is present)",
                                          f"{module.rules.name}, {use.usage}"))
            elif present or holds is True:  # a required module of conditional rows only: its conditions apply
                present_modules.append(number)
        self.check_level([dataset], self.plan.level(tuple(present_modules)), "", "")
        if self.plan.complete:  # otherwise what the IOD defines is not fully known
            self.check_defined(dataset, self.plan.defined, "", "")
        self.check_elements(dataset, "", "")
        if self.plan.iod.single_frame and "NumberOfFrames" in dataset:
            frames = values_of(dataset["NumberOfFrames"])
            if frames and frames != ["1"]:
                self.issues.append(_issue("DV216", "(0028,0008) NumberOfFrames",
                                          f"is {frames[0]}; the IOD is single-frame"))
        check_functional_groups(self, dataset)
        self.check_pixels(dataset)
        if self.baseline_unknown:
            names = list(dict.fromkeys(self.baseline_unknown))
            shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            several = len(names) != 1
            self.issues.append(_issue("DV218", "", f"{len(names)} requirement{'s' * several} of the standard's "
                                                   f"modules {'hang' if several else 'hangs'} on conditions the "
                                                   "baseline catalog does not encode, and "
                                                   f"{'were' if several else 'was'} not checked: {shown}"))
        return self.issues

    def not_checkable(self, path: str, state: str, condition, where: str, baseline: bool) -> None:
        """List a requirement whose condition is unknown (DV217, or a part of the file's DV218 note)."""
        if baseline:
            self.baseline_unknown.append(path.split(" ", 1)[-1])
            return
        names = [n for n in named_conditions(condition) if n not in self.assumed]
        hint = (f"; say whether it holds with --assume {names[0]}=yes or =no" if names else "")
        text = clause(condition, self.index) if condition is not None else ""
        self.issues.append(_issue("DV217", path, f"{state}; whether that is allowed cannot be checked: it hangs on "
                                                 f"the condition {text!r}, which the file cannot show{hint}", where))

    def check_level(self, stack: list[Dataset], level: Level, tag_path: str, keyword_path: str) -> None:
        """The presence, emptiness and values that the rules of ``level`` ask of ``stack[-1]``; then their items."""
        elements = self.elements(stack[-1])
        for group in level.groups(self.index):
            present = group.key in elements
            if group.fixed is not None:  # the fast path: nothing to evaluate
                if not present:
                    if group.need is not None:
                        self.issues.append(_issue("DV211", f"{tag_path}{group.text} {keyword_path}"
                                                           f"{group.keyword}", self.missing_message(group.need, stack),
                                                  self.where(group.need)))
                    continue
                self.check_present(stack, group, tag_path, keyword_path, group.need_value, group.strict,
                                   None if group.allowed else group.rules[0])
                continue
            else:
                verdicts, unknown = [], []
                for rule in group.rules:
                    verdict, known = self.verdict(rule, stack)
                    verdicts.append((rule, verdict))
                    if not known:
                        unknown.append(rule)
            need_value = next((r for r, v in verdicts if v == "value"), None)
            need = need_value or next((r for r, v in verdicts if v == "present"), None)
            if not present and need is None and not unknown:
                continue
            name = f"{tag_path}{group.text} {keyword_path}{group.keyword}"
            if need is not None and not present:
                self.issues.append(_issue("DV211", name, self.missing_message(need, stack), self.where(need)))
                continue
            if not present:  # required, perhaps: it hangs on a condition that cannot be evaluated
                rule = unknown[0]
                self.not_checkable(name, "is absent", self.unknown_condition(rule, stack), self.where(rule),
                                   from_baseline(rule))
                continue
            # Present: allowed for certain by a rule that requires or allows it, or may be present either way.
            known_allowed = any(v in ("value", "present") or (v == "optional" and (
                r not in unknown or r.may_be_present_otherwise)) for r, v in verdicts)
            if not known_allowed and unknown:
                rule = unknown[0]
                self.not_checkable(name, "is present", self.unknown_condition(rule, stack), self.where(rule),
                                   from_baseline(rule))
            elif not known_allowed:
                rule = verdicts[0][0]
                self.issues.append(_issue("DV212", name, self.forbidden_message(rule), self.where(rule)))
                continue
            strict = need_value or next((r for r, v in verdicts if r.type in ("1", "1C") and v != "absent"), None)
            self.check_present(stack, group, tag_path, keyword_path, need_value, strict, None)

    def check_present(self, stack: list[Dataset], group: Group, tag_path: str, keyword_path: str,
                      need_value: Rule | None, strict: Rule | None, forbidding: Rule | None) -> None:
        """An attribute that is present: allowed at all (``forbidding``: the rule that says it shall be absent),
        not empty when it needs a value, its values and its items."""
        where = f"{tag_path}{group.text}"
        name = f"{where} {keyword_path}{group.keyword}"
        if forbidding is not None:
            self.issues.append(_issue("DV212", name, self.forbidden_message(forbidding), self.where(forbidding)))
            return
        element = self.elements(stack[-1])[group.key]
        if element is BROKEN:
            return  # DV401 says why it cannot be decoded
        if strict is not None and _is_empty(element):
            what = "has no items" if element.VR == "SQ" else "is empty"
            self.issues.append(_issue("DV213", name, f"{what}; a Type {strict.type} attribute shall have a "
                                                     "value" + (" when present" if strict.type == "1C" else ""),
                                      self.where(strict)))
        if group.has_listed:
            self.check_values(element, group, name, group.info.vm)
        if element.VR == "SQ":
            self.check_items(stack, element, group, where, f"{keyword_path}{group.keyword}")

    def verdict(self, rule: Rule, stack: list[Dataset]) -> tuple[str, bool]:
        """``value`` (present, not empty), ``present``, ``optional`` or ``absent``; and whether it is known (False:
        it hangs on a condition that cannot be evaluated, and ``optional`` stands for "cannot tell")."""
        if rule.forbidden:
            return "absent", True
        for guard in rule.guards:  # a conditional include: its rows apply only when its condition holds
            holds = self.holds(guard, stack)
            if holds is not True:
                return "optional", holds is False or rule.type == "3"
        fixed = FIXED_VERDICTS.get(rule.type)
        if fixed is not None:
            return fixed, True
        holds = self.holds(rule.condition, stack)
        if holds is True:
            return ("value" if rule.type == "1C" else "present"), True
        if holds is None:
            return "optional", False
        if rule.may_be_present_otherwise:
            return "optional", True
        return "absent", True

    def unknown_condition(self, rule: Rule, stack: list[Dataset]):
        """The condition that made the rule's verdict unknown: a guard's, else its own."""
        return next((g for g in rule.guards if self.holds(g, stack) is None), rule.condition)

    @staticmethod
    def where(rule: Rule) -> str:
        return f"{rule.module}, Type {rule.type}"

    def describe(self, rule: Rule) -> str:
        """The rule's condition in the English of the rendered standard (:mod:`build_tools.iod.conditions`)."""
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

    def check_values(self, element, group: Group, name: str, vm: str) -> None:
        if element.VR == "SQ":
            return
        values = values_of(element)
        if not values:
            return
        reported = set()
        for rule, (enumerated, defined) in zip(group.rules, group.listed):
            if not enumerated and not defined:
                continue
            chosen = _listed_values(values, rule.value_index, vm)
            if enumerated:
                for value in chosen:
                    if value not in enumerated and value not in reported:
                        reported.add(value)
                        self.listed_values_reported.add((name, value))
                        allowed = ", ".join(rule.enumerated)
                        self.issues.append(_issue("DV301", name, f"value {value!r} is not an Enumerated Value "
                                                                 f"({allowed})", self.where(rule)))
            elif defined:
                for value in chosen:
                    if value not in defined and value not in reported:
                        reported.add(value)
                        self.listed_values_reported.add((name, value))
                        self.issues.append(_issue("DV302", name, f"value {value!r} is not one of the Defined Terms",
                                                  self.where(rule)))

    def check_items(self, stack: list[Dataset], element, group: Group, tag_path: str, keyword_path: str) -> None:
        count = len(element.value)
        name = f"{tag_path} {keyword_path}"
        for expected in group.item_counts:
            ok = {"one": count == 1, "one or more": count >= 1, "zero or one": count <= 1}.get(expected, True)
            if not ok:
                self.issues.append(_issue("DV214", name, f"has {count} items; expected {expected}",
                                          self.where(group.rules[0])))
        level = group.items
        if not level.rules:  # a sequence whose items the catalog does not describe is not checked
            return
        for number, item in enumerate(element.value, 1):
            self.check_level(stack + [item], level, f"{tag_path}[{number}]>", f"{keyword_path}[{number}]>")
            self.check_defined(item, level.defined, f"{tag_path}[{number}]>", f"{keyword_path}[{number}]>")

    def check_defined(self, dataset: Dataset, defined: frozenset[int], tag_path: str, keyword_path: str) -> None:
        """A warning for each standard attribute of ``dataset`` whose tag is not in ``defined``."""
        where = "an item of this sequence" if tag_path else "any of its modules"
        for name in self.undefined(dataset, defined, tag_path, keyword_path):
            self.issues.append(_issue("DV215", name, f"is not defined by the {self.iod} IOD (not an attribute of "
                                                     f"{where})"))

    def undefined(self, dataset: Dataset, defined: frozenset[int], tag_path: str, keyword_path: str) -> list[str]:
        """The names of the standard attributes of ``dataset`` whose tags are not in ``defined``.

        Private attributes, group lengths, the File Meta Information and tags of no dictionary (reported by
        :meth:`check_elements`) are left alone.
        """
        names = []
        for tag in self.elements(dataset):
            if tag in defined or tag >> 16 & 1 or tag & 0xFFFF == 0 or tag >> 16 == 0x0002:
                continue  # private, a group length, the File Meta Information
            info = self.index.element_by_tag(tag)
            if info is not None:
                names.append(f"{tag_path}{tag_text(tag)} {keyword_path}{info.keyword}")
        return names

    def check_elements(self, dataset: Dataset, tag_path: str, keyword_path: str) -> None:
        """VR, VM and value format of every element against the dictionary (the supplement's new ones first)."""
        for tag, element in self.elements(dataset).items():
            if tag >> 16 & 1 or tag & 0xFFFF == 0:
                continue  # private, a group length
            if element is BROKEN:  # decoded again, to say why it cannot be
                try:
                    element = dataset[tag]
                except Exception as exc:
                    self.issues.append(_issue("DV401", f"{tag_path}{tag_text(tag)}",
                                              f"cannot be decoded: {type(exc).__name__}: {exc}"))
                    continue
            info = self.index.element_by_tag(tag)
            if info is None:
                self.issues.append(_issue("DV402", _named(tag_path, tag, keyword_path, element.keyword or "?"),
                                          "is not in the data dictionary"))
                continue
            vr = element.VR
            if vr not in _vrs(info.vr):
                self.issues.append(_issue("DV403", _named(tag_path, tag, keyword_path, info.keyword),
                                          f"VR is {vr}; the data dictionary says {info.vr}"))
                continue
            if vr == "SQ":
                where = f"{tag_path}{tag_text(tag)}"
                for number, item in enumerate(element.value, 1):
                    self.check_elements(item, f"{where}[{number}]>", f"{keyword_path}{info.keyword}[{number}]>")
                continue
            values = raw_values(element)
            if vr not in NO_VM_VRS and values and not _vm_allows(info.vm, len(values)):
                self.issues.append(_issue("DV404", _named(tag_path, tag, keyword_path, info.keyword),
                                          f"has {len(values)} values; the data dictionary allows VM {info.vm}"))
            self.check_format(vr, values, tag_path, tag, keyword_path, info.keyword)

    def check_format(self, vr: str, values: list, tag_path: str, tag: int, keyword_path: str, keyword: str) -> None:
        """Each value (:func:`~build_tools.iod.evaluate.raw_values`) against the format of its VR (PS3.5 Table
        6.2-1); non-ASCII text needs a character set. The element's name (:func:`_named`) is written out only when
        reported."""
        name = None
        for value in values:
            original = getattr(value, "original_string", None)
            text = str(original) if isinstance(original, str) else str(value)
            if text == "":
                continue
            problem = format_problem(vr, text)
            if problem is None and (vr not in TEXT_VRS or self.character_set or text.isascii()):
                continue
            name = name or _named(tag_path, tag, keyword_path, keyword)
            if self.listed_values_reported and (name, normalize(text)) in self.listed_values_reported:
                continue  # not among the values the IOD lists, which says it already (e.g. 'contact' for CONTACT)
            shown = text if len(text) <= 40 else text[:40] + "…"
            if problem is not None:
                self.issues.append(_issue("DV405", name, f"value {shown!r} {problem}"))
            else:
                self.issues.append(_issue("DV406", name, f"value {shown!r} has characters outside the default "
                                                         "repertoire (ASCII), and Specific Character Set (0008,0005) "
                                                         "is absent"))

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
        syntax = UID(str(getattr(getattr(dataset, "file_meta", None), "TransferSyntaxUID", "") or ""))
        if not syntax.is_transfer_syntax or syntax.is_encapsulated or dataset["PixelData"].is_undefined_length:
            return  # unknown or encapsulated: the length says nothing about the image size (check_meta reports)
        expected = (rows * cols * samples * frames * bits + 7) // 8
        if length not in (expected, expected + 1):
            self.issues.append(_issue("DV407", "(7FE0,0010) PixelData",
                                      f"holds {length} bytes; Rows, Columns, Samples per Pixel, Bits Allocated and "
                                      f"Number of Frames make {expected}"))


def verify_dataset(dataset: Dataset, supplement: Supplement, index: Index, *,
                   assumed: Mapping[str, bool] | None = None) -> list[Issue]:
    """Every finding about a dataset already read (file meta included when it has one)."""
    issues = check_meta(dataset)
    sop_class = str(dataset.get("SOPClassUID", "") or "")
    if not sop_class:
        return issues + [_issue("DV201", "(0008,0016) SOPClassUID", "is missing; the IOD cannot be chosen",
                                "SOP Common, Type 1")]
    iod = iod_for_sop_class(supplement, index, sop_class)
    if iod is None:
        return issues + [_issue("DV202", "(0008,0016) SOPClassUID",
                                f"{sop_class} is not a SOP Class of supplement {supplement.name}")]
    plan = compile_plan(iod, index)
    issues.extend(_issue("DV203", "", f"cannot check completely: {p}") for p in plan.problems)
    issues.extend(Checker(plan, assumed).run(dataset))
    return issues


def verify_file(path: Path, supplement: Supplement, index: Index | None = None, *,
                assumed: Mapping[str, bool] | None = None, notes: bool = False) -> list[Issue]:
    """Every finding about one file checked against ``supplement``, errors first, each kind in tag order; never
    raises.

    ``assumed``: the truth of prose conditions by name (an example variant's ``conditions``). ``notes``: keep the
    notes too (what could not be checked, DV217/DV218); ``dicomsup verify`` prints them.
    """
    return verify_path(path, [(supplement, index or Index(supplement))], assumed=assumed, notes=notes)


def verify_path(path: Path, supplements: list[tuple[Supplement, Index]], *,
                assumed: Mapping[str, bool] | None = None, notes: bool = False) -> list[Issue]:
    """As :func:`verify_file`, against the supplement of ``supplements`` whose SOP Classes include the file's (the
    first one when none does); the file is read once."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom's warnings about bad values: the checks below report them
        dataset, issues, encoding = read(path)
        issues.extend(encoding)
        if dataset is not None and len(issues) == len(encoding):  # the checks of a truncated file would only list
            try:  # what was cut off
                supplement, index = choose_supplement(dataset, supplements)
                issues.extend(verify_dataset(dataset, supplement, index, assumed=assumed))
            except Exception as exc:  # a bug here must not hide the findings so far
                issues.append(_issue("DV005", "", f"verification stopped: {type(exc).__name__}: {exc}"))
    if not notes:
        issues = [i for i in issues if i.severity != "note"]
    return ordered(issues)


_RANK = {"error": 0, "warning": 1, "note": 2}


def ordered(issues: list[Issue]) -> list[Issue]:
    """Without repeats; errors, then warnings, then notes; in each, what concerns the file or a module first, then
    by tag (items after their sequence), then in the order found."""
    first: dict[Issue, int] = {}
    for position, found in enumerate(issues):
        first.setdefault(found, position)

    def key(found: Issue) -> tuple:
        by_tag = found.path.startswith("(")
        return _RANK.get(found.severity, 3), by_tag, found.path if by_tag else "", first[found]
    return sorted(first, key=key)


def choose_supplement(dataset: Dataset, supplements: list[tuple[Supplement, Index]]) -> tuple[Supplement, Index]:
    """The supplement whose SOP Classes include the data set's; the first one when none does."""
    if len(supplements) > 1:
        try:
            sop_class = str(dataset.get("SOPClassUID", "") or "")
        except Exception:  # a value that cannot be decoded: reported by the checks of the first supplement
            sop_class = ""
        for supplement, index in supplements:
            if iod_for_sop_class(supplement, index, sop_class) is not None:
                return supplement, index
    return supplements[0]


def input_problem(path: Path) -> str | None:
    """Why ``path`` cannot be given to the verifier at all (a usage error, exit status 2), or None."""
    if path.is_dir():
        return f"is a directory, not a file (to verify the files in it, pass them: {path}/*.dcm)"
    if not path.exists():
        return "no such file"
    if not path.is_file():
        return "not a regular file"
    try:
        with open(path, "rb") as file:
            file.read(1)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or type(exc).__name__}"
    return None
