"""Generate the baseline of the standard (``build_tools/standard/data/baseline*.json``) from ``ps33-structure.json``.

A maintainer script, outside the runtime path (as pydicom's ``util/`` scripts are): the package only reads the JSON
it writes. Run it from the repository root when the source changes::

    python scripts/make_baseline.py                      # source: ../shared/standard
    python scripts/make_baseline.py --source DIR --out build_tools/standard/data

What it writes (compact JSON, one file per kind, so that a lookup reads only what it needs):

- ``baseline.json``: edition, sources, counts, the Information Entities, the SOP Classes, what was left out and
  where the sources disagree;
- ``baseline-modules.json``: every PS3.3 module, macro and functional group macro with its attribute rows (in the
  model's terms: keyword, Type, nesting, includes, conditions, value sets), plus the shared value sets and
  conditions that the rows name;
- ``baseline-iods.json``: every IOD with its module table (the standard's, from innolitics) and functional group
  table.

dicom3tools supplies every attribute row and condition; innolitics supplies names, sections, tables and IOD
tables. dicom3tools pseudo-modules, profiles and directory records are left out; dicom3tools' splits of one PS3.3
module (variants) become that one module. The 44 modules of the Dermoscopy IOD keep the hand-made encoding of
``make_catalog.py``. Descriptions are a neutral "The <Attribute Name>." (the source has none, and the standard's
sentences are not copied).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydicom.datadict import DicomDictionary, keyword_dict

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_catalog as curated  # noqa: E402  (the hand-made tables, next to this script)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "standard"
DEFAULT_OUT = ROOT / "build_tools" / "standard" / "data"
FORMAT = 1

#: dicom3tools categories that are not PS3.3 modules (kept out of the baseline).
LEFT_OUT = {"pseudo": "dicom3tools checking device, not a PS3.3 module",
            "profile": "profile constraint (IHE, dental media, QTUS, IDC), not a PS3.3 module",
            "directory-record": "directory record of the Basic Directory IOD, not a PS3.3 module"}
#: dicom3tools specialisations of one PS3.3 definition (merged into it).
VARIANTS = {"d3t-variant", "iod-specific-variant"}
#: Not PS3.3 at all: PS3.10's File Meta Information, listed in every dicom3tools IOD.
NOT_PS33 = {"FileMetaInformation"}
#: Definitions that a supplement of this repository defines itself: kept in the data (``dicomsup baseline show``)
#: but not served as baseline modules, so that the supplement's own definition is not reported as a duplicate.
CARRIED = {"DermoscopicImage": "spec/dermoscopy (Supplement 221)",
           "DermoscopicPhotographyImage": "spec/dermoscopy (Supplement 221)"}
#: The dicom3tools condition of a Per-Frame Functional Groups Sequence that frames tiled in full may leave out.
TILED_FULL_ABSENT = "DimensionOrganizationTypeIsNotTILED_FULL"
#: Sequence item counts of the templates in the model's words.
ITEM_COUNTS = {"1": "one", "1-n": "one or more", "0-1": "zero or one", "0-n": "zero or more"}
ITEM_COUNT_NOTES = {"2-n": "two or more", "1-2": "one or two", "1-3": "one to three", "2": "exactly two",
                    "3": "exactly three"}
KIND = {"module": "module", "macro": "macro", "functional-group-macro": "functional group macro"}


def attribute_name(keyword: str) -> str:
    tag = keyword_dict.get(keyword)
    return DicomDictionary[tag][2] if tag is not None else keyword


def describe(item: dict) -> str:
    """A short neutral description of an attribute row: its name (the standard's sentences are not copied)."""
    name, vr = item["name"], item["vr"]
    if vr == "SQ":
        return f"Items describing the {name[:-len(' Sequence')] if name.endswith(' Sequence') else name}."
    if vr == "UI":
        return f"The {name} (a UID)."
    return f"The {name}."


# --- Conditions: dicom3tools terms -> the model's Condition ---------------------------------------------------------

#: Tests whose keyword is looked up where the model looks (the item, then the datasets that enclose it).
PRESENT_TESTS = {"ElementPresent", "ElementPresentAbove", "ElementPresentInRoot"}
PATH_TESTS = {"ElementPresentInPathFromRoot", "ElementPresentInPathFromRootFirstItem"}
VALUE_TESTS = {"StringValue", "StringValueAbove", "StringValueFromRootAttribute", "StringConstant",
               "StringConstantFromRootAttribute"}
BINARY_TESTS = {"BinaryValue", "BinaryValueFromRootAttribute"}


def _join(form: str, acc: dict, term: dict) -> dict:
    """``acc form term``, flat: ``all``/``any`` are associative, so nested ones of the same form are merged."""
    left = acc[form] if list(acc) == [form] else [acc]
    right = term[form] if list(term) == [form] else [term]
    return {form: left + right}


def _negate(condition: dict) -> dict:
    if list(condition) == ["present"]:
        return {"absent": condition["present"]}
    if list(condition) == ["absent"]:
        return {"present": condition["absent"]}
    if list(condition) == ["not"]:
        return condition["not"]
    return {"not": condition}


def _one_of(condition: dict) -> dict:
    """``any`` of value tests on one attribute (and value) -> one ``one_of`` test."""
    terms = condition.get("any")
    if not terms or len(condition) != 1:
        return condition
    keys = {(t.get("attribute"), t.get("value_index")) for t in terms}
    if len(keys) == 1 and all(set(t) <= {"attribute", "equals", "value_index"} and "equals" in t for t in terms):
        attribute, index = keys.pop()
        out: dict = {"attribute": attribute, "one_of": [t["equals"] for t in terms]}
        if index is not None:
            out["value_index"] = index
        return out
    return condition


def _test(term: dict) -> dict | None:
    """One dicom3tools test as a model condition; None when the model cannot say it."""
    test, keyword = term["test"], term.get("element")
    selector = term.get("value_selector")
    if term.get("template_error") or term.get("group_mask") or keyword is None:
        return None
    if test in PRESENT_TESTS:
        return {"present": keyword}
    if test == "ElementPresentWithin":
        path = f"{term['sequence']}>{keyword}"
        return {"attribute": path, "equals": term["string_value"]} if "string_value" in term else {"present": path}
    if test in PATH_TESTS:
        return {"present": f"{term['sequence']}>{keyword}"}
    value = term.get("value")
    if test in BINARY_TESTS:
        if term.get("comparator") != "==":
            return None
        value = str(value)
    elif test not in VALUE_TESTS:
        return None
    if value in (None, ""):
        return None
    out: dict = {"attribute": keyword, "equals": str(value)}
    if selector not in (None, "*"):
        out["value_index"] = int(selector) + 1
    return out


def translate(terms: list[dict]) -> dict | None:
    """Terms evaluated left to right (``acc = acc OP term``) as nested ``all``/``any``; None if not expressible."""
    acc: dict | None = None
    for number, term in enumerate(terms):
        found = translate(term["group"]) if "group" in term else _test(term)
        if found is None:
            return None
        if term.get("not"):
            found = _negate(found)
        op = term.get("op", "or")
        if acc is None:
            if op == "and" and number == 0:  # combined with the initial false: flagged, never translated
                return None
            acc = found
        elif op in ("and", "or"):
            acc = _one_of(_join("all" if op == "and" else "any", acc, found))
        else:  # xor has no model form
            return None
    return acc


# --- Conditions: dicom3tools terms -> an English sentence (for those the model cannot say) ------------------------

COMPARATORS = {"==": "is", "!=": "is not", ">": "is greater than", "<": "is less than", ">=": "is at least",
               "<=": "is at most"}
WHERE = {"ElementPresentAbove": " in the enclosing data set", "ElementPresentInRoot": " in the top-level data set",
         "StringValueAbove": " in the enclosing data set"}


def _phrase(term: dict) -> str:
    """One test in words, negated when the term says ``not``."""
    test, keyword = term["test"], term.get("element") or term.get("d3t_attribute") or "?"
    name, negated = attribute_name(keyword), bool(term.get("not"))
    selector = term.get("value_selector")
    subject = f"Value {int(selector) + 1} of {name}" if selector not in (None, "*") else name
    is_ = "is not" if negated else "is"
    value = term.get("value")
    if test in PRESENT_TESTS or test == "GroupPresent":
        what = f"an attribute of the group of {name}" if test == "GroupPresent" else name
        return f"{what} is {'absent' if negated else 'present'}{WHERE.get(test, '')}"
    if test == "ElementPresentWithin":
        sequence = attribute_name(term["sequence"])
        if "string_value" in term:
            return f"{name} in {sequence} {is_} {term['string_value']}"
        return f"{name} is {'absent from' if negated else 'present in'} {sequence}"
    if test in PATH_TESTS:
        where = "the first item of " if test.endswith("FirstItem") else ""
        return f"{name} is {'absent from' if negated else 'present in'} {where}{attribute_name(term['sequence'])}"
    if test.startswith("SequencePresentInPathFromRoot"):
        where = "the first item of " if "FirstItem" in test else ""
        return (f"{name} in {where}{attribute_name(term['sequence'])} "
                f"{'has no items' if negated else 'has items'}")
    if test == "ValuePresent":
        which = f" {int(selector) + 1}" if selector not in (None, "*") else ""
        return f"{name} {'has no value' if negated else 'has a value'}{which}"
    if test in VALUE_TESTS:
        shown = f"{value} ({term['sop_class']})" if term.get("sop_class") else f"{value}" if value != "" else "empty"
        return f"{subject} {is_} {shown}{WHERE.get(test, '')}"
    if test in BINARY_TESTS:
        words = COMPARATORS.get(term.get("comparator", "=="), "is")
        return f"not ({subject} {words} {value})" if negated else f"{subject} {words} {value}"
    if test == "TagValue":
        subject = f"a value of {name}" if selector == "*" else subject
        return f"{subject} {is_} {value}"
    counts = {"SequenceHasItems": "has items", "SequenceHasOneItem": "has exactly one item",
              "SequenceHasTwoItems": "has exactly two items", "SequenceHasMultipleItems": "has more than one item"}
    if test in counts:
        if negated:
            return f"{name} has no items" if test == "SequenceHasItems" else f"not ({name} {counts[test]})"
        return f"{name} {counts[test]}"
    return f"a test on {name} that dicom3tools does not evaluate"


def clause(terms: list[dict]) -> str:
    """The terms in words, left to right; parentheses where the operator changes."""
    text, last = "", None
    for number, term in enumerate(terms):
        if "group" in term:
            inner = clause(term["group"])
            part = f"not ({inner})" if term.get("not") else f"({inner})" if len(term["group"]) > 1 else inner
        else:
            part = _phrase(term)
        op = term.get("op", "or")
        if number == 0:
            text = part
        else:
            word = {"and": "and", "or": "or", "xor": "or else (but not both)"}[op]
            if last is not None and op != last and number > 1:
                text = f"({text})"
            text = f"{text} {word} {part}"
            last = op
    return text


def sentence(name: str, condition: dict) -> str:
    if condition.get("builtin"):
        return ("Always required in the source's encoding (it gives the condition as always true)."
                if condition.get("value") else "Not used at this level: the attribute shall not be present here.")
    text = f"Required if {clause(condition['terms'])}."
    flags = condition.get("flags")
    if flags:
        text += f" (dicom3tools' encoding of {name} is flagged: {', '.join(flags)}; it is not evaluated.)"
    return text


# --- The baseline --------------------------------------------------------------------------------------------------


class Baseline:
    """The generated files, built from the parsed ``ps33-structure.json``."""

    def __init__(self, data: dict, iod_order: dict[str, list[str]], innolitics_tables: dict[str, str]):
        self.data = data
        self.iod_order = iod_order
        self.innolitics_tables = innolitics_tables
        self.value_sets: dict[str, list] = {}
        self.conditions: dict[str, dict] = {}
        self.problems: list[str] = []
        self.left_out: dict[str, list[str]] = defaultdict(list)
        self.disagreements: dict[str, list] = defaultdict(list)
        self._select()

    # Which definitions become baseline entries, under which names.

    def _select(self) -> None:
        groups: dict[str, list[dict]] = defaultdict(list)
        for entry in self.data["modules"]:
            category = entry.get("d3t_category")
            if entry.get("pseudo") or category in LEFT_OUT:
                self.left_out[category or "pseudo"].append(entry["d3t_name"])
            elif entry["d3t_name"] in NOT_PS33:
                self.left_out["not-ps3.3"].append(entry["d3t_name"])
            else:
                groups[entry["name"]].append(entry)
        self.groups = groups
        by_short: dict[str, list[str]] = defaultdict(list)
        for official, entries in groups.items():
            by_short[self._short(official, entries[0]["kind"])].append(official)
        #: official name (" Macro" included) -> lookup name: without " Macro", unless a module has that name too
        self.key_of: dict[str, str] = {}
        for short, officials in by_short.items():
            for official in officials:
                collides = len(officials) > 1 and groups[official][0]["kind"] != "module"
                self.key_of[official] = official if collides else short
        #: lookup name -> innolitics id (to put IOD rows in innolitics' order)
        self.innolitics_ids = {self.key_of[o]: next((e["innolitics_id"] for e in g if e.get("innolitics_id")), None)
                               for o, g in groups.items()}

    @staticmethod
    def _short(official: str, kind: str) -> str:
        return official[: -len(" Macro")] if kind != "module" and official.endswith(" Macro") else official

    # Value sets and conditions (shared by every row that names them).

    def value_set(self, name: str) -> str | None:
        if name in self.value_sets:
            return name
        kind = self.data["value_set_info"].get(name, {}).get("kind")
        if name in curated.BINARY_VALUES:
            values = [[v, m] for v, m in curated.BINARY_VALUES[name]]
        elif kind in ("string", "binary", "tag"):
            values = [[str(v), m] for v, m in self.data["value_sets"][name] if str(v) != ""]
        else:  # bitmaps are not lists of values
            return None
        self.value_sets[name] = values
        return name

    def condition(self, name: str) -> str:
        """The id of the condition ``name`` in the shared table (structured when the model can say it)."""
        if name not in self.conditions:
            source = self.data["conditions"][name]
            if name in curated.STRUCTURED:
                self.conditions[name] = curated.STRUCTURED[name]
            elif name in curated.NAMED:
                self.conditions[name] = {"named": name, "text": curated.NAMED[name]}
            else:
                structured = None if source.get("builtin") or source.get("flags") else translate(source["terms"])
                self.conditions[name] = structured or {"named": name, "text": sentence(name, source)}
        return name

    def unnamed(self, module_id: str, keyword: str, row: dict) -> str:
        """The id of the condition of a Type 1C/2C row that the templates leave without one."""
        key = f"{module_id}.{keyword}"
        text = curated.UNNAMED.get((module_id, keyword))
        if text is None:
            text = "Required under a condition that the source does not encode as a test"
            text += " (it depends on facts outside the data set)." if row.get("condition_is_real_world") else "."
        self.conditions.setdefault(key, {"named": f"{keyword}Required", "text": text})
        return key

    # Rows.

    def row(self, item: dict, module_id: str) -> dict | None:
        """A row in the short keys of :mod:`build_tools.standard.rows`; None for an include of a left-out entry."""
        if "include" in item:
            return self.include(item)
        out: dict[str, Any] = {"a": item["keyword"], "t": item["type"] or "3", "d": describe(item)}
        notes: list[str] = []
        if item["type"] is None:
            notes.append("The source gives no Type for this row.")
        for key, field in (("enum_values", "e"), ("defined_terms", "dt")):
            if item.get(key) and (found := self.value_set(item[key])) is not None:
                out[field] = found
        if item.get("value_selector") not in (None, "*") and ("e" in out or "dt" in out):
            out["v"] = int(item["value_selector"]) + 1
        self._requirement(item, module_id, out, notes)
        if "items" in item:
            self._items(item, module_id, out, notes)
        if item.get("vm_override") and item["vm_override"] != item.get("vm"):
            notes.append(f"Value Multiplicity {item['vm_override']} in this table.")
        if notes:
            out["x"] = " ".join(notes)
        return out

    def _requirement(self, item: dict, module_id: str, out: dict, notes: list[str]) -> None:
        """Type, condition and "may be present otherwise" of an attribute row."""
        name = item.get("condition")
        override = curated.TYPE_OVERRIDES.get((module_id, item["keyword"]))
        if override is not None:
            out["t"] = override
            return
        if item["type"] == "3C":  # the model has no 3C: Type 3 with the condition in words
            out["t"] = "3"
            when = clause(self.data["conditions"][name]["terms"]) if name else "a condition holds"
            notes.append(curated.TYPE_3C_NOTES.get(name or "") or f"Type 3C: may be present only if {when}.")
            return
        if name is not None:
            condition_id = self.condition(name)
            out["r"] = name
        elif item["type"] in ("1C", "2C"):
            condition_id = self.unnamed(module_id, item["keyword"], item)
        else:
            return
        out["c"] = condition_id
        may = bool(item.get("mbpo"))
        if module_id in curated.SECTIONS:  # the Dermoscopy modules keep their reviewed reading
            reviewed = name in curated.MAY_BE_PRESENT or condition_id in curated.MAY_BE_PRESENT
            if reviewed != may:
                self.disagreements["may_be_present"].append(
                    {"module": module_id, "attribute": item["keyword"], "dicom3tools_mbpo": may,
                     "used": "may be present" if reviewed else "absent"})
            may = reviewed
        if may:
            out["o"] = 1

    def _items(self, item: dict, module_id: str, out: dict, notes: list[str]) -> None:
        count = item.get("item_count")
        if count in ITEM_COUNTS:
            out["n"] = ITEM_COUNTS[count]
        elif count in ITEM_COUNT_NOTES:
            notes.append(f"The sequence holds {ITEM_COUNT_NOTES[count]} items.")
        children = [self.row(child, module_id) for child in item["items"]]
        if None in children:
            notes.append("Each item also holds the keys of its directory record type (PS3.3 Annex F), which the "
                         "baseline leaves out.")
        out["i"] = [child for child in children if child is not None]

    def include(self, item: dict) -> dict | None:
        """An include row; None for one of a left-out definition (the directory records of Directory Information)."""
        key = self.key_of.get(item["include"])
        if key is None:
            if item["d3t_name"] not in self.left_out["directory-record"]:
                self.problems.append(f"include of {item['include']!r} ({item['d3t_name']}) names no baseline entry")
            return None
        out: dict[str, Any] = {"m": key}
        if item.get("condition"):
            out["c"] = self.condition(item["condition"])
            out["r"] = item["condition"]
        for source, field in (("baseline_cid", "b"), ("defined_cid", "f"), ("enumerated_cid", "ec")):
            value = str(item.get(source) or "")
            if value.isdigit():
                out[field] = int(value)
            elif value:  # e.g. "4018 or 4019": the model holds one number
                out["x"] = f"{source.split('_')[0].capitalize()} context groups in the source: CID {value}."
        return out

    # Module entries.

    def modules(self) -> list[dict]:
        entries = [self.module(official, group) for official, group in self.groups.items()]
        return sorted(entries, key=lambda e: (e["kind"] != "module", e["name"].lower()))

    def _representative(self, official: str, group: list[dict]) -> tuple[dict, list[dict]]:
        """The definition that stands for the PS3.3 entry, and the dicom3tools variants merged into it."""
        standard = [e for e in group if not e.get("d3t_category")]
        variants = [e for e in group if e.get("d3t_category") in VARIANTS]
        if len(standard) > 1:
            self.problems.append(f"{official}: {len(standard)} standard definitions; the first is used")
        if standard:
            return standard[0], variants
        plain = [e for e in variants if "For" not in e["d3t_name"]] or variants  # not an IOD's own variant
        return plain[0], [e for e in variants if e is not plain[0]]

    def module(self, official: str, group: list[dict]) -> dict:
        entry, variants = self._representative(official, group)
        d3t = entry.get("d3t_name")
        key = self.key_of[official]
        out: dict[str, Any] = {"name": key, "kind": KIND[entry["kind"]]}
        section, table, exact = entry.get("section"), entry.get("table"), bool(entry.get("section_exact"))
        if d3t in curated.SECTIONS:  # the reviewed names, sections and tables of the Dermoscopy modules
            name, section_c, table_c = curated.SECTIONS[d3t]
            table_c = table_c or f"{section_c}-1"
            if name != key:
                self.problems.append(f"{d3t}: curated name {name!r} differs from {key!r}")
            if (section_c, table_c) != (section, table):
                self.disagreements["sections"].append({"entry": key, "innolitics": [section, table],
                                                       "used": [section_c, table_c]})
                out["alt_section"] = [section, table]
            section, table, exact = section_c, table_c, True
        out.update(section=section, table=table, exact=exact)
        if entry.get("name_source", "").startswith("dicom3tools identifier"):
            out["note"] = ("not in the PS3.3 tables of January 2025 (retired, or not modelled by innolitics); "
                           "name from the dicom3tools identifier")
        if entry.get("part"):
            out["part"] = entry["part"]
        if d3t in CARRIED:
            out["carried"] = CARRIED[d3t]
        if entry["attributes"] is None:
            out["source"] = "innolitics/dicom-standard only: name, section and table; no attribute rows"
            out["rows"] = None
            return out
        out["d3t"] = d3t
        if official == "Multi-frame Functional Groups":
            out["rows"] = self.functional_groups_module(entry, variants)
            out["source"] = ("dicom3tools templates MultiFrameFunctionalGroupsCommon and the two sequences of "
                             "MultiFrameFunctionalGroupsFor<IOD> (whose items each IOD's functional group table "
                             "gives)")
        else:
            rows = [self.row(item, d3t) for item in entry["attributes"]]
            out["rows"] = [row for row in rows if row is not None]
            out["source"] = f"dicom3tools template {d3t}"
        if variants:
            out["variants"] = [v["d3t_name"] for v in variants]
            if not any(not e.get("d3t_category") for e in group) and official != "Multi-frame Functional Groups":
                out["source"] += f" (one of {len(variants) + 1} dicom3tools variants; the others are left out)"
        return out

    def functional_groups_module(self, common: dict, variants: list[dict]) -> list[dict]:
        """Multi-frame Functional Groups: the two sequences (their items are the IOD's) then the common rows."""
        per_iod = [v for v in variants if v["d3t_name"].startswith("MultiFrameFunctionalGroupsFor")]
        # The IODs that may tile their frames (Whole Slide Microscopy, Segmentation, Parametric Map) make the
        # Per-Frame sequence 1C, which dicom3tools checks as "required unless Dimension Organization Type is
        # TILED_FULL" (a TILED_FULL image's frame positions follow from the tiling). The merged row says so; an
        # IOD that never tiles has no TILED_FULL, so for it the row still reads as Type 1.
        tiled = sorted(v["d3t_name"].removeprefix("MultiFrameFunctionalGroupsFor") for v in per_iod
                       if any(a["keyword"] == "PerFrameFunctionalGroupsSequence" and a["type"] == "1C"
                              for a in v["attributes"]))
        rows = []
        for item in per_iod[0]["attributes"]:
            row = self.row({**item, "items": []}, per_iod[0]["d3t_name"])
            row["x"] = "Each item holds the functional group macros of the IOD's functional group table."
            if item["keyword"] == "PerFrameFunctionalGroupsSequence" and tiled:
                row.update(t="1C", r=TILED_FULL_ABSENT, c=self.condition(TILED_FULL_ABSENT), o=1)
                row["x"] += (" Required unless Dimension Organization Type is TILED_FULL, as the dicom3tools "
                             f"variants for {', '.join(tiled)} check it; may be present otherwise.")
            rows.append(row)
        return rows + [self.row(item, common["d3t_name"]) for item in common["attributes"]]

    # IODs.

    def iods(self) -> list[dict]:
        out = []
        for iod in self.data["iods"]:
            if iod.get("profile") or iod.get("private"):
                self.left_out["iod-profile" if iod.get("profile") else "iod-private"].append(iod["d3t_name"])
                continue
            entry = self.iod(iod)
            same = next((i for i in out if i["name"] == entry["name"]), None)
            if same is None:
                out.append(entry)
            else:  # one PS3.3 IOD that dicom3tools splits (For Presentation / For Processing): one entry
                self.merge_iod(same, entry)
        return sorted(out, key=lambda i: i["name"].lower())

    def merge_iod(self, kept: dict, other: dict) -> None:
        kept["sop_classes"] += [uid for uid in other["sop_classes"] if uid not in kept["sop_classes"]]
        kept["source"] += f" and {other['source'].rsplit(' ', 1)[-1]}"
        if other["modules"] != kept["modules"]:
            self.problems.append(f"IOD {kept['name']!r}: the tables of its dicom3tools IODs differ; the first is kept")
        extra = [r for r in other.get("dicom3tools_only", []) if r not in kept.get("dicom3tools_only", [])]
        if extra:
            kept.setdefault("dicom3tools_only", []).extend(extra)

    def _module_key(self, name: str) -> str:
        return self.key_of.get(name, name)

    def iod(self, iod: dict) -> dict:
        out: dict[str, Any] = {"name": iod["name"], "section": iod["section"], "exact": bool(iod.get("section_exact")),
                               "table": iod["module_table"], "sop_classes": [s["uid"] for s in iod["sop_classes"]]}
        if iod.get("retired"):
            out["retired"] = True
        if iod.get("d3t_name") in CARRIED:
            out["carried"] = CARRIED[iod["d3t_name"]]
        plain = [r for r in iod["rows"] if not r.get("pseudo") and r.get("part") != "PS3.10"]
        if iod["match"] == "innolitics-only":
            out["source"] = "innolitics/dicom-standard only (no dicom3tools IOD)"
            table = [self.iod_row(r) for r in plain]
        elif iod.get("innolitics_id"):
            out["source"] = f"innolitics/dicom-standard (module table); dicom3tools IOD {iod['d3t_name']}"
            matched = [r for r in plain if r.get("in_innolitics") and not r.get("shares_innolitics_row_with")]
            extra = iod.get("innolitics_rows_not_in_d3t") or []
            table = self._ordered(iod["innolitics_id"], [self.iod_row(r) for r in matched]
                                  + [self.iod_row(r, only="innolitics") for r in extra])
            d3t_only = [r for r in plain if not r.get("in_innolitics")]
            if d3t_only:
                out["dicom3tools_only"] = [self.iod_row(r, only="dicom3tools") for r in d3t_only]
                for r in d3t_only:
                    self.disagreements["iod_rows_only_in_dicom3tools"].append(
                        {"iod": iod["name"], "module": r["module"], "usage": r["usage"]})
            for r in extra:
                self.disagreements["iod_rows_only_in_innolitics"].append(
                    {"iod": iod["name"], "module": r["module"], "usage": r["usage"]})
        else:
            out["source"] = f"dicom3tools IOD {iod['d3t_name']} only (not in the innolitics tables)"
            table = [self.iod_row(r) for r in plain]
        out["modules"] = table
        if iod.get("functional_groups"):
            out["functional_groups"] = [
                {"macro": self._module_key(g["macro"]), "section": g["section"], "table": g["table"],
                 "usage": g["usage"], **({"condition": g["condition_text"]} if g.get("condition_text") else {}),
                 "group": g["group_type"]} for g in iod["functional_groups"]]
        return out

    def iod_row(self, row: dict, only: str | None = None) -> dict:
        out: dict[str, Any] = {"ie": row.get("ie_innolitics") or row["ie"], "module": self._module_key(row["module"]),
                               "section": row.get("section"), "usage": row.get("usage_innolitics") or row["usage"]}
        if row.get("usage_innolitics") and row["usage_innolitics"] != row["usage"]:
            out["d3t_usage"] = row["usage"]
            self.disagreements["iod_usage"].append({"module": row["module"], "innolitics": row["usage_innolitics"],
                                                    "dicom3tools": row["usage"]})
        if row.get("condition_text"):
            out["condition"] = row["condition_text"]
        if only:
            out["only_in"] = only
        return out

    def _ordered(self, ciod: str, rows: list[dict]) -> list[dict]:
        """The rows in innolitics' order (the standard's table order); rows it does not list keep their place."""
        order = self.iod_order.get(ciod)
        if not order:
            return rows
        position: dict[int, int] = {}
        taken: set[int] = set()
        for number, row in enumerate(rows):
            wanted = self.innolitics_ids.get(row["module"])
            index = next((i for i, m in enumerate(order) if m == wanted and i not in taken), None)
            if index is not None:
                taken.add(index)
                position[number] = index
        last = -1.0
        keys = []
        for number in range(len(rows)):
            last = position.get(number, last + 0.001)
            keys.append(last)
        return [row for _key, row in sorted(zip(keys, rows), key=lambda pair: pair[0])]

    # SOP Classes and the rest.

    def sop_classes(self, iod_names: set[str]) -> list[dict]:
        """One row per UID (sopcl.tpl lists some UIDs twice, under an old and a new identifier)."""
        d3t_iods = {i["d3t_name"]: i["name"] for i in self.data["iods"] if not i.get("profile")}
        by_uid: dict[str, list[dict]] = defaultdict(list)
        for entry in self.data["sop_classes"]:
            if not entry.get("private"):
                by_uid[entry["uid"]].append(entry)
        out = []
        for uid, entries in by_uid.items():
            # the innolitics name first, then a current (not retired) one, then the first listed
            best = min(entries, key=lambda e: (e.get("name_source") != "innolitics", bool(e.get("retired_in_name")),
                                               entries.index(e)))
            row: dict[str, Any] = {"uid": uid, "name": best["name"], "type": best["type"]}
            iod = best.get("iod") or next((d3t_iods[n] for n in best["d3t_iods"] if n in d3t_iods), None)
            if iod in iod_names:
                row["iod"] = iod
            if best.get("retired_in_name"):
                row["retired"] = True
            aliases = sorted({e["name"] for e in entries} - {best["name"]})
            if aliases:
                row["aliases"] = aliases
            out.append(row)
        return sorted(out, key=lambda r: [int(p) for p in r["uid"].split(".")])

    def from_tables(self, modules: list[dict], iods: list[dict]) -> list[dict]:
        """Entries for the modules that an IOD table names and ``ps33-structure.json`` does not list."""
        known = {m["name"] for m in modules}
        added: dict[str, dict] = {}
        for iod in iods:
            for row in iod["modules"]:
                if row["module"] in known or row["module"] in added:
                    continue
                source = next((r for r in self._iod_source(iod["name"]) if r["module"] == row["module"]), {})
                table = self.innolitics_tables.get(source.get("innolitics_id"))
                added[row["module"]] = {
                    "name": row["module"], "kind": "module", "section": row["section"], "table": table,
                    "exact": False, "rows": None,
                    "source": "innolitics/dicom-standard only, from an IOD module table (ps33-structure.json "
                              "lists no such entry): name, section and table; no attribute rows"}
                self.disagreements["entries_only_in_iod_tables"].append({"iod": iod["name"],
                                                                        "module": row["module"]})
        return list(added.values())

    def _iod_source(self, name: str) -> list[dict]:
        return [r for i in self.data["iods"] if i["name"] == name for r in i["rows"]
                + (i.get("innolitics_rows_not_in_d3t") or [])]

    def files(self) -> dict[str, dict]:
        modules = self.modules()
        iods = self.iods()
        modules = sorted(modules + self.from_tables(modules, iods),
                         key=lambda e: (e["kind"] != "module", e["name"].lower()))
        iod_names = {i["name"] for i in iods}
        sop_classes = self.sop_classes(iod_names)
        about = self.data["about"]
        ies = self.data["information_entities"]
        counts = {
            "modules": sum(1 for m in modules if m["kind"] == "module"),
            "macros": sum(1 for m in modules if m["kind"] == "macro"),
            "functional_group_macros": sum(1 for m in modules if m["kind"] == "functional group macro"),
            "entries_without_rows": sum(1 for m in modules if m["rows"] is None),
            "attribute_rows": sum(_count(m["rows"] or [], "a") for m in modules),
            "include_rows": sum(_count(m["rows"] or [], "m") for m in modules),
            "iods": len(iods), "iods_with_functional_groups": sum(1 for i in iods if i.get("functional_groups")),
            "sop_classes": len(sop_classes), "information_entities": len(ies["names"]),
            "value_sets": len(self.value_sets), "conditions": len(self.conditions),
        }
        summary = {
            "format": FORMAT,
            "edition": about["edition"],
            "title": "The current DICOM standard (PS3.3 modules, macros, functional group macros and IODs; SOP "
                     "Classes) as the baseline of dicomsup",
            "generated_by": "scripts/make_baseline.py from ps33-structure.json (and innolitics' "
                            "ciod_to_modules.json for the order of IOD module tables, modules.json for the table "
                            "of a module that only an IOD table names)",
            "sources": about["sources"],
            "used": {"attribute rows, conditions, value sets": "dicom3tools",
                     "names, sections, tables": "innolitics (the 44 Dermoscopy modules: make_catalog.py)",
                     "IOD module and functional group tables": "innolitics (dicom3tools rows that innolitics lacks "
                                                               "are kept apart as dicom3tools_only)",
                     "SOP Classes": "dicom3tools sopcl.tpl with innolitics names and IODs"},
            "counts": counts,
            "information_entities": {"names": ies["names"], "iod_counts": ies["iod_counts"]},
            "sop_classes": sop_classes,
            "left_out": {k: sorted(v) for k, v in sorted(self.left_out.items())},
            "disagreements": {k: v for k, v in sorted(self.disagreements.items())},
        }
        return {
            "baseline.json": summary,
            "baseline-modules.json": {"format": FORMAT, "edition": about["edition"],
                                      "value_sets": dict(sorted(self.value_sets.items())),
                                      "conditions": dict(sorted(self.conditions.items())), "modules": modules},
            "baseline-iods.json": {"format": FORMAT, "edition": about["edition"], "iods": iods},
        }


def _count(rows: list[dict], key: str) -> int:
    return sum((1 if key in r else 0) + _count(r.get("i", []), key) for r in rows)


def iod_order(source: Path) -> dict[str, list[str]]:
    """innolitics' module order of each IOD table (``ciod_to_modules.json``), when the file is there."""
    path = source / "innolitics" / "ciod_to_modules.json"
    if not path.is_file():
        return {}
    order: dict[str, list[str]] = defaultdict(list)
    for row in json.loads(path.read_text(encoding="utf-8")):
        order[row["ciodId"]].append(row["moduleId"])
    return order


def innolitics_tables(source: Path) -> dict[str, str]:
    """innolitics module id -> its table label (read off ``linkToStandard``), when ``modules.json`` is there."""
    path = source / "innolitics" / "modules.json"
    if not path.is_file():
        return {}
    out = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        link = entry.get("linkToStandard") or ""
        if "#table_" in link:
            out[entry["id"]] = link.split("#table_", 1)[1]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of ps33-structure.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the baseline*.json into")
    args = parser.parse_args(argv)
    structure = args.source / "ps33-structure.json"
    if not structure.is_file():
        print(f"{structure}: not found", file=sys.stderr)
        return 2
    baseline = Baseline(json.loads(structure.read_text(encoding="utf-8")), iod_order(args.source),
                        innolitics_tables(args.source))
    files = baseline.files()
    for problem in baseline.problems:
        print(f"warning: {problem}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        (args.out / name).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.out / name} ({len(text.encode()) / 1024:.0f} KiB)")
    print(json.dumps(files["baseline.json"]["counts"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
