"""One index over a supplement and the baseline: find a data element, module, IOD, UID, code or CID by name.

Every rule, renderer and generator asks this index, so that "where does X come from" has one answer: the
supplement's own definitions first, then the standard (pydicom's PS3.6 tables, the baseline module catalog).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from build_tools.core.tags import parse_tag, tag_text
from build_tools.standard import baseline
from build_tools.core.model import (IOD, UID, Code, ContextGroup, DataElement, Module, Supplement)
from build_tools.core.names import keyword_from_name, uid_keyword_from_name


@dataclass(frozen=True)
class Element:
    """A data element as the supplement sees it: new (``data_element`` set) or from the standard."""

    tag: int
    name: str
    keyword: str
    vr: str
    vm: str
    retired: bool
    data_element: DataElement | None = None

    @property
    def new(self) -> bool:
        return self.data_element is not None

    @property
    def tag_text(self) -> str:
        return tag_text(self.tag)

    @property
    def group(self) -> int:
        return self.tag >> 16

    @property
    def element(self) -> int:
        return self.tag & 0xFFFF


def _standard_element(standard: "baseline.StandardElement | None") -> Element | None:
    """The standard's data element as the supplement sees it (None when the standard has none)."""
    if standard is None:
        return None
    return Element(standard.tag, standard.name, standard.keyword, standard.vr, standard.vm, standard.retired)


def element_keyword(element: DataElement) -> str:
    return element.keyword or keyword_from_name(element.name)


def uid_keyword(uid: UID) -> str:
    return uid.keyword or uid_keyword_from_name(uid.name)


def cid_keyword(group: ContextGroup) -> str:
    """The context group's keyword: its name with every character but ``[A-Za-z0-9_]`` removed, as PS3.16 does."""
    return group.keyword or re.sub(r"[^A-Za-z0-9_]", "", group.name)


def module_table(module: Module) -> str:
    """The label of a module's attribute table."""
    return module.table or f"{module.section}-1"


def iod_table(iod: IOD) -> str:
    """The label of an IOD's module table: ``table`` when given, else ``<section>-1``."""
    return getattr(iod, "table", None) or f"{iod.section}-1"


def functional_groups_table(iod: IOD) -> str:
    """The label of an IOD's Functional Group Macros table: ``functional_groups_table``, else ``<section>-2``."""
    return getattr(iod, "functional_groups_table", None) or f"{iod.section}-2"


class ModuleMap(Mapping[str, Module]):
    """The supplement's modules over the baseline's, by name. The baseline has about 700 modules and macros; each
    is built the first time it is looked up, and iterating gives names without building any."""

    def __init__(self, own: list[Module], with_catalog: bool):
        self._own = {module.name: module for module in own}
        self._with_catalog = with_catalog

    def __getitem__(self, name: str) -> Module:
        found = self._own.get(name)
        if found is None and self._with_catalog:
            found = baseline.module(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._own or (self._with_catalog and baseline.has_module(name)))

    def __iter__(self) -> Iterator[str]:
        if self._with_catalog:
            yield from (name for name in baseline.module_names() if name not in self._own)
        yield from self._own

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Index:
    """Lookups over one supplement plus the baseline."""

    def __init__(self, supplement: Supplement, with_catalog: bool = True):
        self.supplement = supplement
        self.with_catalog = with_catalog
        self._standard: dict[str, Element | None] = {}
        self._by_tag: dict[int, Element | None] = {}  # element_by_tag, remembered (verify asks for every element)

    @cached_property
    def new_elements(self) -> dict[str, Element]:
        result = {}
        for item in self.supplement.data_elements:
            tag = parse_tag(item.tag)
            if tag is None:
                continue
            result[element_keyword(item)] = Element(tag, item.name, element_keyword(item), item.vr, item.vm,
                                                    item.retired, item)
        return result

    def element(self, keyword: str) -> Element | None:
        """A data element by keyword: the supplement's own, else the standard's (remembered: asked very often)."""
        found = self.new_elements.get(keyword)
        if found is not None:
            return found
        if keyword not in self._standard:
            self._standard[keyword] = _standard_element(baseline.element_by_keyword(keyword))
        return self._standard[keyword]

    @cached_property
    def new_elements_by_tag(self) -> dict[int, Element]:
        """The supplement's new data elements by tag (the first one when two share a tag, as a linear scan gave)."""
        result: dict[int, Element] = {}
        for item in self.new_elements.values():
            result.setdefault(item.tag, item)
        return result

    def element_by_tag(self, tag: int) -> Element | None:
        """A data element by tag: the supplement's own, else the standard's (a dict lookup, remembered)."""
        found = self.new_elements_by_tag.get(tag)
        if found is not None:
            return found
        if tag not in self._by_tag:
            self._by_tag[tag] = _standard_element(baseline.element_by_tag(tag))
        return self._by_tag[tag]

    @cached_property
    def modules(self) -> Mapping[str, Module]:
        """Modules and macros by name: the supplement's override the baseline's (built only when looked up)."""
        return ModuleMap(self.supplement.modules, self.with_catalog)

    def module(self, name: str) -> Module | None:
        return self.modules.get(name)

    def functional_group_macro(self, name: str) -> Module | None:
        """A functional group macro by the name an IOD's Functional Group Macros table gives it (without the word
        Macro): the supplement's own (kind ``functional group macro``), else the baseline's, whose lookup name
        keeps the word Macro where a module has the same name (``Real World Value Mapping Macro``)."""
        own = next((m for m in self.supplement.modules if m.name == name and m.kind == "functional group macro"),
                   None)
        if own is not None or not self.with_catalog:
            return own
        for candidate in (name, f"{name} Macro"):
            entry = baseline.entry(candidate)
            if entry is not None and entry.kind == "functional group macro" and baseline.has_module(candidate):
                return baseline.module(candidate)
        return None

    def is_new_module(self, module: Module) -> bool:
        return any(m is module for m in self.supplement.modules)

    @cached_property
    def iods_by_name(self) -> dict[str, IOD]:
        result: dict[str, IOD] = {}
        for iod in self.supplement.iods:
            result.setdefault(iod.name, iod)  # the first of a name, as a linear scan found it
        return result

    def iod(self, name: str) -> IOD | None:
        return self.iods_by_name.get(name)

    @cached_property
    def uids_by_keyword(self) -> dict[str, UID]:
        result: dict[str, UID] = {}
        for uid in self.supplement.uids:
            result.setdefault(uid_keyword(uid), uid)
        return result

    def uid(self, keyword: str) -> UID | None:
        return self.uids_by_keyword.get(keyword)

    def code(self, scheme: str, value: str) -> Code | None:
        return next((c for c in self.supplement.codes if c.scheme == scheme and c.value == value), None)

    def context_group(self, cid: int) -> ContextGroup | None:
        return next((g for g in self.supplement.context_groups if g.cid == cid), None)

    def code_meaning(self, scheme: str, value: str, given: str | None) -> str | None:
        """The meaning of a context-group row: as written, else from the supplement's codes."""
        if given:
            return given
        code = self.code(scheme, value)
        return code.meaning if code else None
