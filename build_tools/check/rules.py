"""The consistency rules of a supplement: what ``dicomsup lint`` reports beyond what the loader reports.

:func:`check` returns every finding, errors and warnings, sorted by location; each is located at the value that
is wrong (``obj.at(field)``), so that an editor can jump to it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator

from pydicom.datadict import keyword_dict

from build_tools.core import prose, syntax
from build_tools.standard import baseline
from build_tools.standard import codes as standard
from build_tools.core.errors import Finding, Loc, Severity
from build_tools.core.tags import parse_tag, tag_text
from build_tools.standard.index import Index, element_keyword, uid_keyword
from build_tools.core.model import (IOD, Attribute, Change, Condition, Include, Located, Module, ModuleUse, Prose,
                               Supplement)
from build_tools.core.names import keyword_from_name, uid_keyword_from_name
from build_tools.check.references import References, suggest

#: Information Entities of PS3.3 module tables.
IES = frozenset({"Patient", "Study", "Series", "Equipment", "Frame of Reference", "Acquisition", "Image",
                 "Spectroscopy", "Encapsulated Document", "Waveform", "Surface", "Segmentation", "Presentation State",
                 "SR Document", "Measurements", "Raw Data", "Real World Value Mapping", "Dose", "Plan",
                 "Structure Set", "Treatment Record", "Registration", "Fiducials", "Hanging Protocol",
                 "Color Palette", "Implant Template", "Implant Assembly", "Implant Template Group", "Surface Mesh",
                 "Tractography Results", "Content Assessment Results", "Annotation", "Procedure Protocol",
                 "Radiotherapy", "RT Course", "Inventory", "Patient Radiotherapy", "Volumetric Presentation State",
                 "Device", "Document", "Enhanced RT Image", "Color", "Configuration", "Approval", "Protocol"})

#: Fields whose text is written in sentences (a paragraph without a final full stop is a warning).
SENTENCE_FIELDS = frozenset({"description", "body", "definition", "scope", "foreword", "entity_relationship",
                             "notes", "condition_note", "resolution", "summary", "question", "instruction"})

#: UID types of PS3.6 Table A-1.
UID_TYPES = frozenset({"SOP Class", "Transfer Syntax", "Well-known SOP Instance", "Meta SOP Class", "Service Class",
                       "Application Context Name", "Coding Scheme", "Context Group Name", "LDAP OID",
                       "Synchronization Frame of Reference", "Well-known frame of reference", "Mapping Resource",
                       "Application Hosting Model", "DICOM UIDs as a Coding Scheme"})

DICOM_ROOT = "1.2.840.10008."
STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1"
CONTEXT_GROUP_ROOT = "1.2.840.10008.6.1."
#: A ``uid_root`` longer than this leaves fewer than 16 digits for the part derived from a UUID (64 in all).
UID_ROOT_MAX = 64 - 1 - 16


class Checker:
    """Runs every rule over one supplement, collecting findings."""

    def __init__(self, supplement: Supplement, index: Index):
        self.s = supplement
        self.index = index
        self.findings: list[Finding] = []
        self.refs = References(index, self.findings)

    def error(self, loc: Loc, message: str) -> None:
        self.findings.append(Finding(loc, message, Severity.ERROR))

    def warn(self, loc: Loc, message: str) -> None:
        self.findings.append(Finding(loc, message, Severity.WARNING))

    def explicit_keyword(self, item, derived: str) -> None:
        """A keyword written in the spec (of a data element or UID) must be valid; differing from the one the PS3.6
        rules derive from the name is allowed, and said."""
        if item.keyword is None:
            return
        if problem := syntax.keyword(item.keyword):
            self.error(item.at("keyword"), f"keyword {item.keyword!r} {problem}")
        elif item.keyword != derived:
            self.warn(item.at("keyword"), f"keyword {item.keyword!r} differs from {derived!r}, which the "
                                          f"PS3.6 rules derive from the name {item.name!r}")

    def run(self) -> list[Finding]:
        self.front_matter()
        self.data_elements()
        self.uids()
        self.modules()
        self.iods()
        self.sop_classes()
        self.codes()
        self.context_groups()
        self.amendments()
        self.examples()
        self.prose()
        self.value_refs()
        return sorted(set(self.findings))

    # --- front matter -----------------------------------------------------------------------------------------

    def front_matter(self) -> None:
        s = self.s
        for obj in [s, *s.history]:
            if obj.date and (problem := syntax.date(obj.date)):
                self.error(obj.at("date"), f"date {obj.date!r} {problem}")
        needed = {"PS3.3": bool(s.iods or s.modules), "PS3.4": bool(s.sop_classes),
                  "PS3.6": bool(s.data_elements or s.uids), "PS3.16": bool(s.codes or s.context_groups
                                                                         or s.context_group_additions),
                  "PS3.17": s.annex is not None}
        for amendment in s.amendments:
            needed[amendment.part] = True
        self._uid_root()
        for part, used in needed.items():
            if used and part not in s.parts and "parts" in s.locs:
                self.warn(s.at("parts"), f"the supplement changes {part} but 'parts' does not list it")

    def _uid_root(self) -> None:
        """``uid_root`` is where the example instances' UIDs are made: a valid root, not the DICOM root."""
        root, where = self.s.uid_root, self.s.at("uid_root")
        if problem := syntax.uid(root):
            self.error(where, f"uid_root {root!r} {problem}; use 2.25 (UUID-derived UIDs, PS3.5 B.2) or your "
                              "organization's UID root")
        elif root == DICOM_ROOT[:-1] or root.startswith(DICOM_ROOT):
            self.warn(where, f"uid_root {root} is under the DICOM root {DICOM_ROOT[:-1]}, which is reserved for the "
                             "UIDs of the standard itself; the example instances' UIDs are derived from uid_root, so "
                             "use 2.25 (UUID-derived UIDs, PS3.5 B.2) or your organization's UID root")
        elif len(root) > UID_ROOT_MAX:
            self.warn(where, f"uid_root is {len(root)} characters long, which leaves {63 - len(root)} digits of the "
                             f"64 characters of a UID for the derived part, so example UIDs may collide; use a "
                             f"root of at most {UID_ROOT_MAX} characters, such as 2.25")

    # --- PS3.6 data elements ----------------------------------------------------------------------------------

    def data_elements(self) -> None:
        tags: dict[int, Loc] = {}
        keywords: dict[str, Loc] = {}
        for item in self.s.data_elements:
            problem = syntax.tag(item.tag)
            if problem:
                self.error(item.at("tag"), f"tag {item.tag!r} {problem}")
            tag = parse_tag(item.tag)
            derived = keyword_from_name(item.name)
            keyword = element_keyword(item)
            self.explicit_keyword(item, derived)
            if problem := syntax.vr(item.vr):
                self.error(item.at("vr"), f"VR {problem}")
            if problem := syntax.vm(item.vm):
                self.error(item.at("vm"), f"VM {item.vm!r} {problem}")
            elif item.vr == "SQ" and item.vm != "1":
                self.error(item.at("vm"), f"a sequence (VR SQ) has VM 1, not {item.vm}")
            if tag is not None:
                if tag in tags:
                    self.error(item.at("tag"), f"tag {item.tag} is already given to another new data element at "
                                               f"{tags[tag]}")
                else:
                    tags[tag] = item.at("tag")
            if keyword in keywords:
                self.error(item.at("keyword" if item.keyword else "name"),
                           f"keyword {keyword} is already used by another new data element at {keywords[keyword]}")
            else:
                keywords[keyword] = item.at("keyword" if item.keyword else "name")
            self._clash_with_standard(item, tag, keyword)
        used = {row.attribute for module in self.s.modules for row in _rows(module.attributes)
                if isinstance(row, Attribute)}
        for item in self.s.data_elements:
            if element_keyword(item) not in used and not item.retired:
                self.warn(item.loc, f"new data element {element_keyword(item)} is used by no module of this "
                                    "supplement")

    def _clash_with_standard(self, item, tag: int | None, keyword: str) -> None:
        if tag is not None and (known := baseline.element_by_tag(tag)) is not None:
            differences = [f"{what} {theirs!r}" for what, ours, theirs in
                           (("name", item.name, known.name), ("keyword", keyword, known.keyword),
                            ("VR", item.vr, known.vr), ("VM", item.vm, known.vm)) if ours != theirs]
            if differences:
                self.error(item.at("tag"), f"tag {item.tag} is already in PS3.6 as {known.keyword} "
                                           f"({known.name}, VR {known.vr}, VM {known.vm}); this entry differs in "
                                           f"{', '.join(differences)}. Choose a free tag or match the standard")
        other = keyword_dict.get(keyword)
        if other is not None and other != tag:
            self.error(item.at("keyword" if item.keyword else "name"),
                       f"keyword {keyword} is already used in PS3.6 by {tag_text(other)}; choose another "
                       "name or keyword")

    # --- PS3.6 UIDs -------------------------------------------------------------------------------------------

    def uids(self) -> None:
        values: dict[str, Loc] = {}
        keywords: dict[str, Loc] = {}
        for item in self.s.uids:
            if problem := syntax.uid(item.value):
                self.error(item.at("value"), f"UID {item.value!r} {problem}")
            elif not item.value.startswith(DICOM_ROOT):
                self.warn(item.at("value"), f"UID {item.value} is not under the DICOM root {DICOM_ROOT[:-1]}: the "
                                            "UIDs a supplement adds to PS3.6 Table A-1 are the standard's own, so "
                                            "write a placeholder under that root until the DICOM editor assigns "
                                            f"the final one (for a Storage SOP Class e.g. {STORAGE_ROOT}.<n>, as "
                                            "'dicomsup new' does). UIDs of the example instances do not belong in "
                                            "'uids': they are derived from uid_root")
            if item.value in values:
                self.error(item.at("value"), f"UID {item.value} is already given at {values[item.value]}")
            values.setdefault(item.value, item.at("value"))
            keyword = uid_keyword(item)
            derived = uid_keyword_from_name(item.name)
            self.explicit_keyword(item, derived)
            if keyword in keywords:
                self.error(item.at("keyword" if item.keyword else "name"),
                           f"UID keyword {keyword} is already used at {keywords[keyword]}")
            keywords.setdefault(keyword, item.at("keyword" if item.keyword else "name"))
            if item.type not in UID_TYPES:
                self.warn(item.at("type"), f"UID type {item.type!r} is not one of PS3.6 Table A-1's"
                                           f"{suggest(item.type, UID_TYPES)}")
            known = baseline.uid_by_value(item.value)
            if known is not None and (known.name != item.name or known.keyword != keyword):
                self.error(item.at("value"), f"UID {item.value} is already in PS3.6 as {known.keyword} "
                                             f"({known.name}); choose another UID or match the standard")
            other = baseline.uid_by_keyword(keyword)
            if other is not None and other.value != item.value:
                self.error(item.at("keyword" if item.keyword else "name"),
                           f"UID keyword {keyword} is already used in PS3.6 by {other.value}")

    # --- PS3.3 modules ----------------------------------------------------------------------------------------

    def modules(self) -> None:
        names: dict[str, Loc] = {}
        for module in self.s.modules:
            if module.name in names:
                self.error(module.at("name"), f"module {module.name!r} is already defined at {names[module.name]}")
            names.setdefault(module.name, module.at("name"))
            for word in (" Module", " Macro"):
                if module.name.endswith(word):
                    self.error(module.at("name"), f"write the name without the word{word}; the renderer adds it")
            if problem := syntax.section(module.section):
                self.error(module.at("section"), f"section {module.section!r} {problem}")
            if module.table is not None and (problem := syntax.table(module.table)):
                self.error(module.at("table"), f"table {module.table!r} {problem}")
            if self.index.with_catalog and any(m.name == module.name for m in baseline.catalog().modules):
                self.warn(module.at("name"), f"module {module.name!r} is also in the baseline catalog; this "
                                             "definition replaces it")
            if not module.attributes:
                self.error(module.at("attributes"), f"{module.kind} {module.name!r} has no attributes")
            self._rows(module, module.attributes)

    def _rows(self, module: Module, rows: list) -> None:
        seen: dict[str, Loc] = {}
        for row in rows:
            if isinstance(row, Include):
                self._include(row)
                continue
            if row.attribute in seen:
                self.error(row.at("attribute"), f"{row.attribute} is already a row of this table at "
                                                f"{seen[row.attribute]}")
            seen.setdefault(row.attribute, row.at("attribute"))
            self._attribute(module, row)

    def _include(self, row: Include) -> None:
        macro = self.index.module(row.include)
        if macro is None:
            name = row.include[: -len(" Macro")] if row.include.endswith(" Macro") else None
            if name and self.index.module(name) is not None:
                self.error(row.at("include"), "write the macro's name without the word Macro")
            else:
                self.error(row.at("include"), f"no macro {row.include!r} in this supplement or the baseline "
                                              f"catalog{suggest(row.include, self.index.modules)}")
        elif macro.kind != "macro":
            self.error(row.at("include"), f"{row.include!r} is a module, not a macro; only macros are included")
        for field in ("baseline_cid", "defined_cid"):
            cid = getattr(row, field)
            if cid is not None and not self.refs.known_cid(cid):
                self.warn(row.at(field), f"CID {cid} is not defined in this supplement and is not known to "
                                         f"pydicom {baseline.PYDICOM_VERSION}; check the number")

    def _attribute(self, module: Module, row: Attribute) -> None:
        element = self.index.element(row.attribute)
        if element is None:
            self.error(row.at("attribute"), f"no data element has keyword {row.attribute!r} in this supplement or "
                                            f"in PS3.6{suggest(row.attribute, self.refs.element_keywords)}")
        elif element.retired and not element.new:
            self.warn(row.at("attribute"), f"{row.attribute} is retired in PS3.6")
        conditional = row.type in ("1C", "2C")
        if conditional and row.condition is None and "condition" not in row.locs:  # else reported when read
            self.error(row.at("type"), f"Type {row.type} needs a condition: add 'condition:' saying when "
                                       f"{row.attribute} is required")
        if not conditional:
            if row.condition is not None:
                self.error(row.at("condition"), f"a condition is given but Type {row.type} is not conditional; "
                                                "use Type 1C or 2C, or remove the condition")
            if "otherwise" in row.locs:
                self.error(row.at("otherwise"), f"'otherwise' applies to Types 1C and 2C only, not {row.type}")
        if row.condition is not None:
            self._condition(row.condition, module)
        if row.enumerated_values and row.defined_terms:
            self.error(row.at("defined_terms"), "give either enumerated_values or defined_terms, not both")
        self._values(row, element.vr if element else None)
        is_sequence = element is not None and element.vr == "SQ"
        if row.items and element is not None and not is_sequence:
            self.error(row.at("items"), f"{row.attribute} has VR {element.vr}; only sequences (SQ) have items")
        if is_sequence and not row.items:
            self.error(row.at("attribute"), f"{row.attribute} is a sequence; list the attributes of its items "
                                            "under 'items'")
        if row.item_count is not None and element is not None and not is_sequence:
            self.error(row.at("item_count"), f"{row.attribute} is not a sequence; item_count applies to SQ only")
        if self.index.is_new_module(module) and not row.description.text.strip():
            self.warn(row.at("description"), f"{row.attribute} has an empty description")
        self._rows(module, row.items)

    def _values(self, row: Attribute, vr: str | None) -> None:
        seen: dict[str, Loc] = {}
        for item in [*row.enumerated_values, *row.defined_terms]:
            if item.value in seen:
                self.error(item.at("value"), f"value {item.value!r} is listed twice (first at {seen[item.value]})")
            seen.setdefault(item.value, item.at("value"))
            if vr and (problem := syntax.value_for_vr(item.value, vr)):
                self.error(item.at("value"), f"value {item.value!r} {problem}")

    def _condition(self, condition: Condition, module: Module | None) -> None:
        forms = condition.forms()
        if len(forms) != 1:
            found = ", ".join(forms) if forms else "none"
            self.error(condition.loc, f"a condition needs exactly one form (present, absent, attribute with "
                                      f"equals/one_of, all, any, not); found {found}")
        if condition.named is not None:
            self.error(condition.at("named"), "'named' conditions are for the baseline catalog only; write the "
                                              "condition as structure (present, absent, attribute, all, any, not)")
        elif condition.text is not None:
            self.error(condition.at("text"), "'text' belongs to a 'named' condition of the baseline catalog; use "
                                             "condition_note for free text")
        for field in ("present", "absent", "attribute"):
            path = getattr(condition, field)
            if path is not None:
                self._path(condition.at(field), path)
        if condition.attribute is not None:
            if condition.equals is None and condition.one_of is None:
                self.error(condition.at("attribute"), "'attribute' needs 'equals' or 'one_of'")
            if condition.equals is not None and condition.one_of is not None:
                self.error(condition.at("one_of"), "give either 'equals' or 'one_of', not both")
            self._compared_values(condition, module)
        elif condition.equals is not None or condition.one_of is not None:
            self.error(condition.at("equals" if condition.equals is not None else "one_of"),
                       "'equals' and 'one_of' need 'attribute' naming the attribute compared")
        if condition.value_index is not None and condition.value_index < 1:
            self.error(condition.at("value_index"), "value_index counts from 1")
        for field in ("all", "any"):
            parts = getattr(condition, field)
            if parts is not None and not parts:
                self.error(condition.at(field), f"'{field}' needs at least one condition")
            for part in parts or []:
                self._condition(part, module)
        if condition.not_ is not None:
            self._condition(condition.not_, module)

    def _path(self, loc: Loc, path: str) -> None:
        for step in (p.strip() for p in path.split(">")):
            if self.index.element(step) is None:
                self.error(loc, f"condition names {step!r}, which is no data element of this supplement or "
                                f"PS3.6{suggest(step, self.refs.element_keywords)}")

    def _compared_values(self, condition: Condition, module: Module | None) -> None:
        values = [condition.equals] if condition.equals is not None else list(condition.one_of or [])
        keyword = condition.attribute.split(">")[-1].strip()
        where = condition.at("equals" if condition.equals is not None else "one_of")
        row = next((r for r in _rows(module.attributes) if isinstance(r, Attribute) and r.attribute == keyword),
                   None) if module else None
        if row is not None and row.enumerated_values:
            allowed = [v.value for v in row.enumerated_values]
            for value in values:
                if value not in allowed:
                    self.error(where, f"{keyword} has no Enumerated Value {value!r}; its values are "
                                      f"{', '.join(allowed)}")
        element = self.index.element(keyword)
        if element is not None:
            for value in values:
                if problem := syntax.value_for_vr(value, element.vr):
                    self.error(where, f"{keyword} cannot have the value {value!r}: it {problem}")

    # --- PS3.3 IODs -------------------------------------------------------------------------------------------

    def iods(self) -> None:
        names: dict[str, Loc] = {}
        for iod in self.s.iods:
            if iod.name in names:
                self.error(iod.at("name"), f"IOD {iod.name!r} is already defined at {names[iod.name]}")
            names.setdefault(iod.name, iod.at("name"))
            if iod.name.endswith(" IOD"):
                self.error(iod.at("name"), "write the name without the word IOD; the renderer adds it")
            if problem := syntax.section(iod.section):
                self.error(iod.at("section"), f"section {iod.section!r} {problem}")
            elif not iod.section.startswith("A."):
                self.error(iod.at("section"), f"IODs are defined in PS3.3 Annex A; section {iod.section!r} "
                                              "should start with A.")
            if not iod.modules:
                self.error(iod.at("modules"), f"IOD {iod.name!r} has no modules")
            self._module_uses(iod)
            self._constraints(iod)

    def _module_uses(self, iod: IOD) -> None:
        seen: dict[str, Loc] = {}
        for use in iod.modules:
            if use.module in seen:
                self.error(use.at("module"), f"module {use.module!r} is already in this IOD at {seen[use.module]}")
            seen.setdefault(use.module, use.at("module"))
            module = self.index.module(use.module)
            if module is None:
                self.error(use.at("module"), f"no module {use.module!r} in this supplement or the baseline catalog"
                                             f"{suggest(use.module, self.index.modules)}")
            elif module.kind != "module":
                self.error(use.at("module"), f"{use.module!r} is a macro; an IOD lists modules")
            if use.ie not in IES:
                self.warn(use.at("ie"), f"{use.ie!r} is not an Information Entity of PS3.3{suggest(use.ie, IES)}")
            self._usage(use, module)

    def _usage(self, use: ModuleUse, module: Module | None) -> None:
        if use.usage == "C" and use.condition is None and "condition" not in use.locs:
            self.error(use.at("usage"), f"usage C needs a condition: add 'condition:' saying when the "
                                        f"{use.module} Module is required")
        if use.usage != "C" and use.condition is not None:
            self.error(use.at("condition"), f"a condition is given but usage is {use.usage}; use C or remove it")
        if use.condition is not None:
            self._condition(use.condition, None)

    def _constraints(self, iod: IOD) -> None:
        modules = {use.module for use in iod.modules}
        for constraint in iod.constraints:
            if constraint.module not in modules:
                self.error(constraint.at("module"), f"module {constraint.module!r} is not in this IOD"
                                                    f"{suggest(constraint.module, modules)}")
                continue
            module = self.index.module(constraint.module)
            keywords = [r.attribute for r in _rows(module.attributes) if isinstance(r, Attribute)] if module else []
            if module is not None and constraint.attribute not in keywords:
                self.error(constraint.at("attribute"), f"the {constraint.module} Module has no attribute "
                                                       f"{constraint.attribute!r}{suggest(constraint.attribute, keywords)}")
            element = self.index.element(constraint.attribute)
            for value in constraint.values or []:
                if element is not None and (problem := syntax.value_for_vr(value, element.vr)):
                    self.error(constraint.at("values"), f"value {value!r} {problem}")
            if constraint.absent and (constraint.values or constraint.type):
                self.error(constraint.at("absent"), "an absent attribute takes no values and no type")

    # --- PS3.4 SOP classes ------------------------------------------------------------------------------------

    def sop_classes(self) -> None:
        for sop in self.s.sop_classes:
            uid = self.index.uid(sop.uid)
            if uid is None:
                known = [uid_keyword(u) for u in self.s.uids]
                self.error(sop.at("uid"), f"no UID with keyword {sop.uid!r} in 'uids'{suggest(sop.uid, known)}")
            elif uid.type != "SOP Class":
                self.error(sop.at("uid"), f"UID {sop.uid} has type {uid.type!r}, not 'SOP Class'")
            if self.index.iod(sop.iod) is None:
                self.error(sop.at("iod"), f"no IOD {sop.iod!r} in 'iods'"
                                          f"{suggest(sop.iod, [i.name for i in self.s.iods])}")

    # --- PS3.16 codes and context groups ----------------------------------------------------------------------

    def _scheme(self, loc: Loc, scheme: str) -> bool:
        if scheme in syntax.RETIRED_SCHEMES:
            self.warn(loc, f"coding scheme {scheme} is retired; use {syntax.RETIRED_SCHEMES[scheme]}")
            return True
        if scheme not in syntax.CODING_SCHEMES:
            hint = suggest(scheme, syntax.CODING_SCHEMES) or "; expected one of " + ", ".join(
                sorted(syntax.CODING_SCHEMES))
            self.error(loc, f"unknown coding scheme designator {scheme!r}{hint}")
            return False
        return True

    def _code_value(self, loc: Loc, scheme: str, value: str) -> None:
        if scheme == "SCT" and (problem := syntax.sctid(value)):
            self.error(loc, f"SNOMED CT code {value!r} {problem}")

    def codes(self) -> None:
        seen: dict[tuple[str, str], Loc] = {}
        for code in self.s.codes:
            self._scheme(code.at("scheme"), code.scheme)
            self._code_value(code.at("value"), code.scheme, code.value)
            key = (code.scheme, code.value)
            if key in seen:
                self.error(code.at("value"), f"code {code.scheme}:{code.value} is already defined at {seen[key]}")
            seen.setdefault(key, code.at("value"))
            if code.scheme == "DCM" and (code.definition is None or not code.definition.text.strip()):
                self.error(code.loc, f"DCM code {code.value} needs a definition (PS3.16 Annex D)")
            known = standard.codes(code.scheme).get(code.value)
            if known is not None and known != code.meaning:
                self.error(code.at("value"), f"code {code.scheme}:{code.value} already means {known!r} in the "
                                             "standard; choose another value or use that meaning")

    def context_groups(self) -> None:
        cids: dict[int, Loc] = {}
        for group in self.s.context_groups:
            if group.cid in cids:
                self.error(group.at("cid"), f"CID {group.cid} is already defined at {cids[group.cid]}")
            cids.setdefault(group.cid, group.at("cid"))
            existing = standard.cid_names().get(group.cid)
            if existing is not None:
                self.error(group.at("cid"), f"CID {group.cid} already exists in PS3.16 ({existing}); add rows with "
                                            "context_group_additions, or choose a free number")
            if problem := syntax.version_date(group.version):
                self.error(group.at("version"), f"version {group.version!r} {problem}")
            if group.uid is not None and (problem := syntax.uid(group.uid)):
                self.error(group.at("uid"), f"UID {group.uid!r} {problem}")
            elif group.uid is not None and not group.uid.startswith(CONTEXT_GROUP_ROOT):
                self.warn(group.at("uid"), f"Context Group UID {group.uid} is not under {CONTEXT_GROUP_ROOT[:-1]}, "
                                           "where PS3.6 Table A-3 assigns them; write a placeholder there until "
                                           "the DICOM editor assigns the final one")
            if not group.rows and not group.includes:
                self.error(group.loc, f"CID {group.cid} has neither rows nor includes")
            self._code_rows(group.rows)
            for cid in group.includes:
                if not self.refs.known_cid(cid):
                    self.warn(group.at("includes"), f"included CID {cid} is not defined in this supplement and is "
                                                    f"not known to pydicom {baseline.PYDICOM_VERSION}")
        for addition in self.s.context_group_additions:
            if addition.cid in cids:
                self.error(addition.at("cid"), f"CID {addition.cid} is a new group of this supplement (at "
                                               f"{cids[addition.cid]}); put the rows there")
                continue
            existing = standard.cid_names().get(addition.cid)
            if existing is None:
                self.warn(addition.at("cid"), f"CID {addition.cid} is not known to pydicom "
                                              f"{baseline.PYDICOM_VERSION}; check the number")
            elif difflib.SequenceMatcher(None, keyword_from_name(addition.name).lower(),
                                         existing.lower()).ratio() < 0.85:  # pydicom's keywords drop plurals
                self.warn(addition.at("name"), f"CID {addition.cid} is named {existing} in the standard, not "
                                               f"{addition.name!r}")
            self._code_rows(addition.rows)

    def _code_rows(self, rows) -> None:
        seen: dict[tuple[str, str], Loc] = {}
        for row in rows:
            self._scheme(row.at("scheme"), row.scheme)
            self._code_value(row.at("value"), row.scheme, row.value)
            key = (row.scheme, row.value)
            if key in seen:
                self.error(row.at("value"), f"code {row.scheme}:{row.value} is already a row (at {seen[key]})")
            seen.setdefault(key, row.at("value"))
            meaning = self.index.code_meaning(row.scheme, row.value, row.meaning) \
                or standard.codes(row.scheme).get(row.value)
            if not meaning:
                self.error(row.loc, f"code {row.scheme}:{row.value} has no meaning: give 'meaning', or define the "
                                    "code in 'codes'")

    # --- Amendments -------------------------------------------------------------------------------------------

    def amendments(self) -> None:
        for amendment in self.s.amendments:
            if problem := syntax.section(amendment.section):
                self.error(amendment.at("section"), f"section {amendment.section!r} {problem}")
            if amendment.table is not None and (problem := syntax.table(amendment.table)):
                self.error(amendment.at("table"), f"table {amendment.table!r} {problem}")
            if not amendment.changes:
                self.error(amendment.at("changes"), "an amendment needs at least one change")
            for change in amendment.changes:
                self._change(change)

    def _change(self, change: Change) -> None:
        forms = [name for name, given in (("old/new", change.old is not None or change.new is not None),
                                          ("ellipsis", change.ellipsis), ("terms", change.terms is not None),
                                          ("table", change.table is not None)) if given]
        if len(forms) != 1:
            self.error(change.loc, "a change needs exactly one form (old/new, ellipsis, terms or table); found "
                                   + (", ".join(forms) or "none"))
        if change.old is not None and change.new is not None and \
                " ".join(change.old.text.split()) == " ".join(change.new.text.split()):
            self.warn(change.at("new"), "'old' and 'new' are the same text; nothing changes")
        if change.terms is not None:
            seen: set[str] = set()
            for term in change.terms.entries:
                if term.value in seen:
                    self.error(term.at("value"), f"term {term.value!r} is listed twice")
                seen.add(term.value)
        if change.table is not None:
            width = len(change.table.columns)
            if not width:
                self.error(change.table.at("columns"), "an amended table needs its column headings")
            for row in change.table.rows:
                if row.old is None and row.new is None:
                    self.error(row.loc, "a table row needs 'old', 'new' or both")
                for field in ("old", "new"):
                    cells = getattr(row, field)
                    if cells is not None and width and len(cells) != width:
                        self.error(row.at(field), f"row has {len(cells)} cells but the table has {width} columns")
                if row.old is not None and row.old == row.new:
                    self.warn(row.at("new"), "'old' and 'new' are the same cells; nothing changes")

    # --- Examples ---------------------------------------------------------------------------------------------

    def examples(self) -> None:
        names: dict[str, Loc] = {}
        for example in self.s.examples:
            if example.name in names:
                self.error(example.at("name"), f"example {example.name!r} is already defined at "
                                               f"{names[example.name]}")
            names.setdefault(example.name, example.at("name"))
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", example.name or "-"):
                self.error(example.at("name"), f"example name {example.name!r} should be lower-case letters, digits "
                                               "and hyphens (it becomes a file name)")
            if self.index.iod(example.iod) is None:
                self.error(example.at("iod"), f"no IOD {example.iod!r} in 'iods'"
                                              f"{suggest(example.iod, [i.name for i in self.s.iods])}")
            for keyword in _value_keys(example.values):
                if self.index.element(keyword) is None:
                    self.error(example.at("values"), f"values: {keyword!r} is no data element keyword of this "
                                                     f"supplement or PS3.6{suggest(keyword, self.refs.element_keywords)}")

    # --- {value:…} references -----------------------------------------------------------------------------

    def value_refs(self) -> None:
        """A ``{value:X}`` in a module's text should be a listed value of an attribute the text is about.

        Checked against the Enumerated Values and Defined Terms of every attribute of the same module and of the
        attributes the text names with ``{de:…}``; in an IOD constraint's description, against the constraint's
        ``values``. Not checked when the text
        names an attribute whose values this supplement does not list (a baseline attribute such as Modality, or
        one with free-text values): X may then be one of its values, which are not at hand.
        """
        listed: dict[str, set[str]] = {}
        for module in self.s.modules:
            for row in _rows(module.attributes):
                if isinstance(row, Attribute):
                    listed.setdefault(row.attribute, set()).update(_listed(row))
        for module in self.s.modules:
            in_module = [v for row in _rows(module.attributes) if isinstance(row, Attribute) for v in _listed(row)]
            for row, text in _value_texts(module):
                own = _listed(row) if row is not None else []
                self._value_refs(text, [*own, *in_module], listed,
                                 f"{row.attribute} or any other attribute of the {module.name} {module.kind.title()}"
                                 if row is not None else f"any attribute of the {module.name} "
                                                         f"{module.kind.title()}")
        for iod in self.s.iods:
            for constraint in iod.constraints:
                if constraint.description is not None and constraint.values:
                    # In the IOD, the constrained attribute has the constraint's values (a module's may be wider).
                    self._value_refs(constraint.description, list(constraint.values),
                                     {**listed, constraint.attribute: set(constraint.values)},
                                     f"the values the {iod.name} IOD allows for {constraint.attribute}")

    def _value_refs(self, text: Prose, values: list[str], listed: dict[str, set[str]], whose: str) -> None:
        refs = prose.refs(prose.parse(text, []))  # markup problems are reported once, by prose()
        named = [ref.target for ref in refs if ref.ref == "de"]
        if any(not listed.get(keyword) for keyword in named):
            return  # the text is (also) about an attribute whose values are not listed here
        candidates = list(dict.fromkeys([*values, *(v for keyword in named for v in sorted(listed[keyword]))]))
        if not candidates:
            return
        for ref in refs:
            if ref.ref == "value" and ref.target not in candidates:
                shown = ", ".join(candidates[:8]) + (" …" if len(candidates) > 8 else "")
                self.warn(ref.loc, f"{{value:{ref.target}}} is not an Enumerated Value or Defined Term of {whose}"
                                   f"{suggest(ref.target, candidates) or f'; the listed values are {shown}'}")

    # --- Prose ------------------------------------------------------------------------------------------------

    def prose(self) -> None:
        for field, text in _prose_fields(self.s):
            blocks = prose.parse(text, self.findings)
            for ref in prose.refs(blocks):
                self.refs.check(ref)
            if field in SENTENCE_FIELDS:
                for block in blocks:
                    if isinstance(block, (prose.Para, prose.Note)) and not _ends_sentence(block.inlines):
                        self.warn(text.loc, f"{field}: a paragraph does not end with a full stop: "
                                            f"{_tail(block.inlines)!r}")


def _listed(row: Attribute) -> list[str]:
    """The Enumerated Values and Defined Terms of an attribute row."""
    return [v.value for v in (*row.enumerated_values, *row.defined_terms)]


def _value_texts(module: Module) -> Iterator[tuple[Attribute | None, Prose]]:
    """The prose of a module that may write ``{value:…}``, each with its attribute row (None: module-wide text)."""
    if module.description is not None:
        yield None, module.description
    for description in module.attribute_descriptions:
        yield None, description.body
    for row in _rows(module.attributes):
        if isinstance(row, Attribute):
            for text in (row.description, row.notes, row.condition_note,
                         *(v.meaning for v in (*row.enumerated_values, *row.defined_terms))):
                if text is not None:
                    yield row, text


def _rows(rows: list) -> Iterator:
    """Every row of an attribute table, sequence items included."""
    for row in rows:
        yield row
        if isinstance(row, Attribute):
            yield from _rows(row.items)


def _value_keys(values) -> Iterator[str]:
    """The keywords of an example's values, including those inside sequence items (lists of mappings)."""
    if isinstance(values, dict):
        for key, value in values.items():
            yield key
            yield from _value_keys(value)
    elif isinstance(values, list):
        for item in values:
            if isinstance(item, dict):
                yield from _value_keys(item)


def _prose_fields(obj, field: str = "") -> Iterator[tuple[str, Prose]]:
    """Every prose value of the model, with the name of its field."""
    if isinstance(obj, Prose):
        yield field, obj
    elif isinstance(obj, list):
        for item in obj:
            yield from _prose_fields(item, field)
    elif isinstance(obj, Located) and dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if not f.metadata.get("internal"):
                yield from _prose_fields(getattr(obj, f.name), f.name)


def _ends_sentence(inlines: tuple) -> bool:
    if not inlines:
        return True
    last = inlines[-1]
    while isinstance(last, prose.Emphasis) and last.children:
        last = last.children[-1]
    if not isinstance(last, prose.Text):
        return False
    return re.search(r"[.!?:;][)\"'”’]*\s*$", last.text) is not None


def _tail(inlines: tuple) -> str:
    text = prose.plain(inlines).strip()
    return ("…" + text[-40:]) if len(text) > 40 else text


def check(supplement: Supplement, index: Index | None = None) -> list[Finding]:
    """Every finding of the rules over ``supplement`` (errors and warnings), sorted by location."""
    if index is None:
        index = Index(supplement)
    return Checker(supplement, index).run()
