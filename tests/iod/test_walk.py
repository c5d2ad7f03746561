"""The IOD walk: macro includes expanded into rules, with cycles and blow-ups reported and bounded."""

from __future__ import annotations

import time

from build_tools.core.model import IOD, Attribute, Include, Module, ModuleUse, Supplement
from build_tools.iod import walk
from build_tools.iod.walk import iod_rules
from build_tools.standard.index import Index


def _supplement(macros: list[Module]) -> Supplement:
    top = Module(name="Chain Top", section="C.99.1", attributes=[Include(include="Chain 0")])
    iod = IOD(name="Chain Image", section="A.99.1", description=None,
              modules=[ModuleUse(ie="Image", module="Chain Top", usage="M")])
    return Supplement(number="999", title="Chain", working_group="WG-99", status="Draft", version="0.1",
                      date="2026-01-01", scope="Chains of macros.", iods=[iod], modules=[top, *macros])


def _chain(length: int, fan_out: int) -> list[Module]:
    """``Chain i`` includes ``Chain i+1`` ``fan_out`` times; the last one holds one attribute."""
    macros = []
    for i in range(length):
        rows = [Include(include=f"Chain {i + 1}") for _ in range(fan_out)] if i < length - 1 else \
            [Attribute(attribute="PatientName", type="2", description="The name.")]
        macros.append(Module(name=f"Chain {i}", section=f"C.99.{i + 2}", kind="macro", attributes=rows))
    return macros


def test_doubling_includes_are_cut_at_the_bound_and_reported_once():
    supplement = _supplement(_chain(18, 2))  # 2**17 rows if expanded in full
    problems: list[str] = []
    started = time.perf_counter()
    rules = iod_rules(supplement.iods[0], Index(supplement, with_catalog=False), problems)
    assert time.perf_counter() - started < 30
    assert len(rules[0].rules) <= walk.MAX_RULES
    assert [p for p in problems if "more than" in p] and len([p for p in problems if "more than" in p]) == 1


def test_a_macro_including_itself_or_its_includer_is_reported_not_followed():
    loop = [Module(name="Chain 0", section="C.99.2", kind="macro", attributes=[Include(include="Chain 1")]),
            Module(name="Chain 1", section="C.99.3", kind="macro", attributes=[Include(include="Chain 0")])]
    problems: list[str] = []
    rules = iod_rules(_supplement(loop).iods[0], Index(_supplement(loop), with_catalog=False), problems)
    assert rules[0].rules == []
    assert any("includes itself" in p for p in problems)


def test_deep_nesting_is_cut_at_the_depth_bound():
    supplement = _supplement(_chain(walk.MAX_DEPTH + 10, 1))
    problems: list[str] = []
    iod_rules(supplement.iods[0], Index(supplement, with_catalog=False), problems)
    assert any("levels deep" in p for p in problems)


def test_an_ordinary_chain_expands_fully_without_problems():
    supplement = _supplement(_chain(4, 2))
    problems: list[str] = []
    rules = iod_rules(supplement.iods[0], Index(supplement, with_catalog=False), problems)
    assert len(rules[0].rules) == 2 ** 3 and problems == []
