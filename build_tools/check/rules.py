"""The consistency rules of a supplement: what ``dicomsup lint`` reports beyond what the loader reports.

The rules are grouped by part of the standard, as :mod:`build_tools.document` is: the front matter
(:mod:`~build_tools.check.front`, ``DS1xx``), PS3.3 (:mod:`~build_tools.check.ps33` and
:mod:`~build_tools.check.conditions`, ``DS2xx``), PS3.4, PS3.6 and PS3.16 (:mod:`~build_tools.check.parts`,
``DS3xx``), amendments (:mod:`~build_tools.check.amendments`, ``DS4xx``), prose and its references
(:mod:`~build_tools.check.texts` and :mod:`~build_tools.check.references`, ``DS5xx``) and the example instances
(:mod:`~build_tools.check.examples`, ``DS6xx``). :func:`check` runs them all.
"""

from __future__ import annotations

from build_tools.check.amendments import check_amendments
from build_tools.check.conditions import check_condition_logic
from build_tools.check.context import Context
from build_tools.check.examples import check_examples
from build_tools.check.front import check_front_matter, lint_selection
from build_tools.check.functional_groups import check_functional_groups
from build_tools.check.ids import check_ids
from build_tools.check.labels import check_labels
from build_tools.check.parts import (check_annex, check_codes, check_context_groups, check_data_elements,
                                     check_sop_classes, check_uids)
from build_tools.check.prose_conditions import check_prose_conditions
from build_tools.check.ps33 import check_iods, check_modules
from build_tools.check.texts import check_prose, check_value_refs
from build_tools.core.errors import Finding
from build_tools.core.model import Supplement
from build_tools.standard.index import Index

#: Every rule, in the order they run (the order of the findings does not depend on it: they are sorted).
RULES = (check_front_matter, check_data_elements, check_uids, check_modules, check_iods, check_sop_classes,
         check_codes, check_context_groups, check_annex, check_amendments, check_examples, check_prose,
         check_value_refs, check_ids, check_condition_logic, check_functional_groups, check_labels,
         check_prose_conditions)


def check(supplement: Supplement, index: Index | None = None) -> list[Finding]:
    """Every finding of the rules over ``supplement`` (errors and warnings), sorted by location.

    Each is located at the value that is wrong, so that an editor can jump to it; one mistake yields one finding
    (:mod:`build_tools.check.context`); the codes the supplement's ``lint.ignore`` names are left out.
    """
    if index is None:
        index = Index(supplement)
    ctx = Context(supplement, index)
    for rule in RULES:
        rule(ctx)
    findings = ctx.settle()
    chosen = lint_selection(supplement)  # a wrong entry is reported (DS106, DS107), and that is never ignored
    findings = [f for f in findings if f.code in ("DS106", "DS107") or chosen.allows(f.code)]
    return sorted(set(findings))
