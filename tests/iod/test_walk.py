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


# --- conditional includes, value_index, functional groups, SOP Class lookup -----------------------------------


def _guarded_supplement():
    from build_tools.core.model import Condition
    from build_tools.standard.rows import BaselineInclude

    macro = Module(name="Guarded", section="C.99.5", kind="macro", attributes=[
        Attribute(attribute="PatientName", type="1", description="The name.", items=[])])
    top = Module(name="Chain Top", section="C.99.1", attributes=[
        BaselineInclude(include="Guarded", condition=Condition(present="PatientID")),
        Attribute(attribute="PatientID", type="3", description="The ID.")])
    iod = IOD(name="Chain Image", section="A.99.1", description=None,
              modules=[ModuleUse(ie="Image", module="Chain Top", usage="M")])
    return Supplement(number="999", title="Chain", working_group="WG-99", status="Draft", version="0.1",
                      date="2026-01-01", scope="Chains of macros.", iods=[iod], modules=[top, macro])


def test_a_conditional_include_guards_the_rows_it_brings_in():
    supplement = _guarded_supplement()
    rules = iod_rules(supplement.iods[0], Index(supplement, with_catalog=False))[0].rules
    by_keyword = {r.keyword: r for r in rules}
    assert [g.present for g in by_keyword["PatientName"].guards] == ["PatientID"]
    assert by_keyword["PatientID"].guards == ()


def test_the_verifier_requires_a_guarded_row_only_when_the_include_condition_holds():
    from pydicom.dataset import Dataset

    from build_tools.verify.checker import Checker
    from build_tools.verify.plan import compile_plan

    supplement = _guarded_supplement()
    plan = compile_plan(supplement.iods[0], Index(supplement, with_catalog=False))
    without = Dataset()
    without.PatientBirthDate = ""  # neither the include's condition nor its rows
    assert [i.code for i in Checker(plan).run(without) if i.code == "DV211"] == []
    with_id = Dataset()
    with_id.PatientID = "1"
    assert [i.text() for i in Checker(plan).run(with_id) if i.code == "DV211"] == [
        "(0010,0010) PatientName: is missing [Chain Top, Type 1]"]


def test_value_index_of_a_row_says_which_value_its_enumerated_values_apply_to():
    from pydicom.dataset import Dataset

    from build_tools.core.model import EnumValue
    from build_tools.standard.rows import BaselineAttribute
    from build_tools.verify.checker import Checker
    from build_tools.verify.plan import compile_plan

    row = BaselineAttribute(attribute="ImageType", type="1", description="The type.", value_index=3,
                            enumerated_values=[EnumValue(value="VOLUME"), EnumValue(value="LABEL")])
    top = Module(name="Chain Top", section="C.99.1", attributes=[row])
    iod = IOD(name="Chain Image", section="A.99.1", description=None,
              modules=[ModuleUse(ie="Image", module="Chain Top", usage="M")])
    supplement = Supplement(number="999", title="Chain", working_group="WG-99", status="Draft", version="0.1",
                            date="2026-01-01", scope="Chains.", iods=[iod], modules=[top])
    plan = compile_plan(iod, Index(supplement, with_catalog=False))
    assert plan.modules[0].rules.rules[0].value_index == 3
    dataset = Dataset()
    dataset.ImageType = ["ORIGINAL", "PRIMARY", "VOLUME"]  # value 1 is no Enumerated Value, value 3 is
    assert [i.text() for i in Checker(plan).run(dataset) if i.code == "DV301"] == []
    dataset.ImageType = ["ORIGINAL", "PRIMARY", "SLAB"]
    assert [i.text() for i in Checker(plan).run(dataset) if i.code == "DV301"] == [
        "(0008,0008) ImageType: value 'SLAB' is not an Enumerated Value (VOLUME, LABEL) [Chain Top, Type 1]"]


def test_functional_group_macros_resolve_the_baselines_names_with_macro():
    from build_tools.core.model import FunctionalGroupUse
    from build_tools.iod.walk import functional_group_rules

    iod = IOD(name="FG Image", section="A.99.1", description=None, modules=[], functional_groups=[
        FunctionalGroupUse(macro="Pixel Measures", usage="M"),
        FunctionalGroupUse(macro="Cardiac Synchronization", usage="C"),  # "Cardiac Synchronization Macro"
        FunctionalGroupUse(macro="No Such Thing", usage="U")])
    supplement = Supplement(number="999", title="FG", working_group="WG-99", status="Draft", version="0.1",
                            date="2026-01-01", scope="FG.", iods=[iod])
    problems: list[str] = []
    groups = functional_group_rules(iod, Index(supplement), problems)
    assert [[r.keyword for r in g.rules] for g in groups] == [
        ["PixelMeasuresSequence"], ["CardiacSynchronizationSequence"], []]
    assert problems == ["functional group macro 'No Such Thing' of the IOD is neither in the supplement nor in the "
                        "catalog"]


def test_iod_for_sop_class_by_dict_and_named_conditions():
    from build_tools.core.model import Condition, SOPClass, UID
    from build_tools.iod.walk import iod_for_sop_class, named_conditions

    iod = IOD(name="Chain Image", section="A.99.1", description=None, modules=[])
    supplement = Supplement(number="999", title="Chain", working_group="WG-99", status="Draft", version="0.1",
                            date="2026-01-01", scope="Chains.", iods=[iod],
                            uids=[UID(value="1.2.840.10008.5.1.4.1.1.999", name="Chain Image Storage",
                                      type="SOP Class", part="PS3.4")],
                            sop_classes=[SOPClass(uid="ChainImageStorage", iod="Chain Image")])
    index = Index(supplement, with_catalog=False)
    assert iod_for_sop_class(supplement, index, "1.2.840.10008.5.1.4.1.1.999") is iod
    assert iod_for_sop_class(supplement, index, "1.2.3") is None
    condition = Condition(all=[Condition(named="a"), Condition(not_=Condition(named="b")), Condition(present="X")])
    assert list(named_conditions(condition)) == ["a", "b"]
