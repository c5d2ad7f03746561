"""Rules of PS3.3 (``DS2xx``): modules and macros, their attribute rows, IODs, their modules and constraints.

Conditions, which rows and module uses share, are checked by :mod:`build_tools.check.conditions`.
"""

from __future__ import annotations

from build_tools.check.conditions import check_condition
from build_tools.check.context import Context, rows
from build_tools.check.references import suggest
from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.model import IOD, Attribute, Include, Module, ModuleUse
from build_tools.standard import baseline, texts
from build_tools.standard.index import module_table

#: Information Entities of PS3.3 module tables.


# --- modules and macros ---------------------------------------------------------------------------------------


def check_modules(ctx: Context) -> None:
    names: dict[str, Loc] = {}
    for module in ctx.supplement.modules:
        where = ctx.at(module, "name")
        if module.name in names:
            ctx.report("DS201", where, f"module {module.name!r} is already defined at {names[module.name]}")
        if where is not None:
            names.setdefault(module.name, where)
        for word in (" Module", " Macro"):
            if module.name.endswith(word):
                ctx.report("DS202", where, f"write the name without the word{word}; the renderer adds it")
                ctx.misdefined.add(("module", module.name[: -len(word)]))  # its uses are reported no more
        if problem := syntax.section(module.section):
            ctx.report("DS203", ctx.at(module, "section"), f"section {module.section!r} {problem}")
        if module.table is not None and (problem := syntax.table(module.table)):
            ctx.report("DS203", ctx.at(module, "table"), f"table {module.table!r} {problem}")
        if ctx.index.with_catalog and where is not None:
            _module_in_standard(ctx, module, where)
        if not module.attributes:
            ctx.report("DS205", ctx.at(module, "attributes"), f"{module.kind} {module.name!r} has no attributes")
        _rows(ctx, module, module.attributes)


def _shape(attributes: list, depth: int = 0) -> list[str]:
    """A module's rows as compared with the baseline's: ``>``-nested keyword and Type, or the included macro."""
    out = []
    for row in attributes:
        if isinstance(row, Include):
            out.append(f"{'>' * depth}Include {row.include}")
        else:
            out.append(f"{'>' * depth}{row.attribute} {row.type}")
            out.extend(_shape(row.items, depth + 1))
    return out


def _differences(ours: list[str], theirs: list[str], what: str) -> list[str]:
    """The first few rows that differ, said both ways."""
    if ours == theirs:
        return []
    extra = [row for row in ours if row not in theirs]
    missing = [row for row in theirs if row not in ours]
    said = [f"{what} the standard lacks ({', '.join(extra[:3])}{' …' * (len(extra) > 3)})" if extra else "",
            f"{what} of the standard left out ({', '.join(missing[:3])}{' …' * (len(missing) > 3)})" if missing
            else ""]
    return [text for text in said if text] or [f"the order of the {what}"]


def _module_in_standard(ctx: Context, module: Module, where: Loc) -> None:
    """A module or macro named as one of the baseline's (carried ones aside): identical, a note; with other rows,
    an error naming both; one whose rows the baseline does not hold replaces it (a warning)."""
    edition = texts.short_edition()
    entry = baseline.entry(module.name)
    if entry is None or entry.carried_by:
        return  # a section or table the baseline gives another module is DS360 (check.ids)
    if not entry.has_rows:
        if entry.places(module.section, module_table(module)):
            # The same module at the same place: the standard holds it (a published supplement re-authored), but
            # the baseline knows only its name and section, so its rows cannot be compared.
            at = "at" if entry.section == module.section else "under"  # innolitics may know only the page
            ctx.report("DS353", where, f"{entry.title} is already in {edition} {at} Section {entry.section}; its "
                                       f"rows are not in the baseline, so this definition's rows are not compared")
            return
        placed = f", at Section {entry.section}" if entry.section else ""
        ctx.report("DS204", where, f"module {module.name!r} is also in the baseline catalog{placed} (its rows "
                                   f"unknown to {edition}); this definition replaces it")
        return
    theirs = baseline.module(module.name)
    differences = _differences(_shape(module.attributes), _shape(theirs.attributes if theirs else []), "rows")
    if entry.section and module.section != entry.section:
        differences.insert(0, f"section ({module.section}, not {entry.section})")
    ctx.already_in("DS351", where, f"{module.kind} {module.name!r}", edition,
                   f"Section {entry.section} Table {entry.table}", differences,
                   "Rename the new one, or match the standard and change it with an amendment")


def _rows(ctx: Context, module: Module, attributes: list) -> None:
    seen: dict[str, Loc] = {}
    for row in attributes:
        if isinstance(row, Include):
            _include(ctx, row)
            continue
        if not ctx.readable(row, "attribute"):
            _rows(ctx, module, row.items)  # the row's keyword is a placeholder: nothing to check it against
            continue
        if row.attribute in seen:
            ctx.report("DS206", row.at("attribute"), f"{row.attribute} is already a row of this table at "
                                                     f"{seen[row.attribute]}")
        seen.setdefault(row.attribute, row.at("attribute"))
        _attribute(ctx, module, row)


def _include(ctx: Context, row: Include) -> None:
    where = ctx.at(row, "include")
    macro = ctx.index.module(row.include)
    if where is None:
        pass  # the name could not be read: the loader said so
    elif macro is None:
        name = row.include[: -len(" Macro")] if row.include.endswith(" Macro") else None
        if name and ctx.index.module(name) is not None:
            ctx.report("DS207", where, "write the macro's name without the word Macro")
        else:
            ctx.unknown("DS207", where, "module", row.include, f"no macro {row.include!r} in this supplement or "
                                                               f"the baseline catalog"
                                                               f"{suggest(row.include, ctx.index.modules)}")
    elif macro.kind != "macro":
        ctx.report("DS208", where, f"{row.include!r} is a module, not a macro; only macros are included")
    for name in ("baseline_cid", "defined_cid"):
        cid = getattr(row, name)
        if cid is not None and not ctx.refs.known_cid(cid):
            ctx.unknown("DS341", row.at(name), "cid", str(cid), f"CID {cid} is not defined in this supplement and is "
                                                                f"not known to pydicom {baseline.PYDICOM_VERSION}; "
                                                                "check the number")


def _attribute(ctx: Context, module: Module, row: Attribute) -> None:
    element = ctx.index.element(row.attribute)
    if element is None:
        ctx.unknown("DS210", row.at("attribute"), "element", row.attribute,
                    f"no data element has keyword {row.attribute!r} in this supplement or in PS3.6"
                    f"{suggest(row.attribute, ctx.refs.element_keywords)}")
    elif element.retired and not element.new:
        ctx.report("DS211", row.at("attribute"), f"{row.attribute} is retired in PS3.6")
    if ctx.readable(row, "type"):  # an unreadable Type says nothing about whether a condition belongs here
        conditional = row.type in ("1C", "2C")
        if conditional and row.condition is None and "condition" not in row.locs:  # else reported when read
            ctx.report("DS212", row.at("type"), f"Type {row.type} needs a condition: add 'condition:' saying when "
                                                f"{row.attribute} is required")
        if not conditional:
            if row.condition is not None:
                ctx.report("DS213", row.at("condition"), f"a condition is given but Type {row.type} is not "
                                                         "conditional; use Type 1C or 2C, or remove the condition")
            if "otherwise" in row.locs:
                ctx.report("DS213", row.at("otherwise"), f"'otherwise' applies to Types 1C and 2C only, not "
                                                         f"{row.type}")
    if row.condition is not None:
        check_condition(ctx, row.condition, module)
    if row.enumerated_values and row.defined_terms:
        ctx.report("DS214", row.at("defined_terms"), "give either enumerated_values or defined_terms, not both")
    _values(ctx, row, element.vr if element else None)
    is_sequence = element is not None and element.vr == "SQ"
    if row.items and element is not None and not is_sequence:
        ctx.report("DS217", row.at("items"), f"{row.attribute} has VR {element.vr}; only sequences (SQ) have items")
    if is_sequence and not row.items:
        ctx.report("DS218", row.at("attribute"), f"{row.attribute} is a sequence; list the attributes of its items "
                                                 "under 'items'")
    if row.item_count is not None and element is not None and not is_sequence:
        ctx.report("DS217", row.at("item_count"), f"{row.attribute} is not a sequence; item_count applies to SQ "
                                                  "only")
    if ctx.index.is_new_module(module) and not row.description.text.strip():
        ctx.report("DS219", ctx.at(row, "description"), f"{row.attribute} has an empty description")
    _rows(ctx, module, row.items)


def _values(ctx: Context, row: Attribute, vr: str | None) -> None:
    seen: dict[str, Loc] = {}
    for item in [*row.enumerated_values, *row.defined_terms]:
        where = ctx.at(item, "value")
        if where is None:
            continue
        if item.value in seen:
            ctx.report("DS215", where, f"value {item.value!r} is listed twice (first at {seen[item.value]})")
        seen.setdefault(item.value, where)
        if vr and (problem := syntax.value_for_vr(item.value, vr)):
            ctx.report("DS216", where, f"value {item.value!r} {problem}")


# --- IODs -----------------------------------------------------------------------------------------------------


def check_iods(ctx: Context) -> None:
    names: dict[str, Loc] = {}
    for iod in ctx.supplement.iods:
        where = ctx.at(iod, "name")
        if iod.name in names:
            ctx.report("DS230", where, f"IOD {iod.name!r} is already defined at {names[iod.name]}")
        if where is not None:
            names.setdefault(iod.name, where)
        if iod.name.endswith(" IOD"):
            ctx.report("DS231", where, "write the name without the word IOD; the renderer adds it")
            ctx.misdefined.add(("iod", iod.name[: -len(" IOD")]))
        if problem := syntax.section(iod.section):
            ctx.report("DS203", ctx.at(iod, "section"), f"section {iod.section!r} {problem}")
        elif not iod.section.startswith("A."):
            ctx.report("DS232", ctx.at(iod, "section"), f"IODs are defined in PS3.3 Annex A; section "
                                                        f"{iod.section!r} should start with A.")
        if not iod.modules:
            ctx.report("DS233", ctx.at(iod, "modules"), f"IOD {iod.name!r} has no modules")
        if where is not None and ctx.index.with_catalog:
            _iod_in_standard(ctx, iod, where)
        unknown = _module_uses(ctx, iod)
        _constraints(ctx, iod, unknown)


def _iod_in_standard(ctx: Context, iod: IOD, where: Loc) -> None:
    """An IOD named as one of the baseline's (carried ones aside): identical module table, a note; else an error
    naming both."""
    known = baseline.iod(iod.name)
    if known is None or known.carried_by:
        return
    ours = [f"{use.ie} / {use.module} {use.usage}" for use in iod.modules]
    theirs = [f"{row.ie} / {row.module} {row.usage}" for row in known.modules]
    differences = _differences(ours, theirs, "module rows")
    if known.section and iod.section != known.section:
        differences.insert(0, f"section ({iod.section}, not {known.section})")
    ctx.already_in("DS351", where, f"IOD {iod.name!r}", texts.short_edition(),
                   f"Section {known.section} Table {known.table}", differences,
                   "Rename the new one, or match the standard and change it with an amendment")


def _module_uses(ctx: Context, iod: IOD) -> bool:
    """The IOD's module uses; whether one of them names no module."""
    seen: dict[str, Loc] = {}
    unknown = False
    entities = baseline.information_entities()  # the IEs of the current standard's IOD tables
    for use in iod.modules:
        where = ctx.at(use, "module")
        module = ctx.index.module(use.module) if where is not None else None
        if where is not None:
            if use.module in seen:
                ctx.report("DS234", where, f"module {use.module!r} is already in this IOD at {seen[use.module]}")
            seen.setdefault(use.module, where)
            if module is None:
                unknown = True
                ctx.unknown("DS235", where, "module", use.module, f"no module {use.module!r} in this supplement or "
                                                                  "the baseline catalog"
                                                                  f"{suggest(use.module, ctx.index.modules)}")
            elif module.kind != "module":
                ctx.report("DS236", where, f"{use.module!r} is a macro; an IOD lists modules")
        if use.ie not in entities:
            ctx.report("DS237", ctx.at(use, "ie"), f"{use.ie!r} is not an Information Entity of PS3.3"
                                                   f"{suggest(use.ie, entities)}")
        _usage(ctx, use)
    return unknown


def _usage(ctx: Context, use: ModuleUse) -> None:
    if ctx.readable(use, "usage"):  # an unreadable usage says nothing about whether a condition belongs here
        if use.usage == "C" and use.condition is None and "condition" not in use.locs:
            ctx.report("DS212", use.at("usage"), f"usage C needs a condition: add 'condition:' saying when the "
                                                 f"{use.module} Module is required")
        if use.usage != "C" and use.condition is not None:
            ctx.report("DS213", use.at("condition"), f"a condition is given but usage is {use.usage}; use C or "
                                                     "remove it")
        if use.usage != "C" and "otherwise" in use.locs:
            ctx.report("DS213", use.at("otherwise"), f"'otherwise' applies to usage C only, not {use.usage}")
    if use.condition is not None:
        check_condition(ctx, use.condition, None)


def _constraints(ctx: Context, iod: IOD, unknown_module: bool) -> None:
    modules = {use.module for use in iod.modules}
    for constraint in iod.constraints:
        if not ctx.readable(constraint, "module"):
            continue
        if constraint.module not in modules:
            if unknown_module and ctx.index.module(constraint.module) is not None:
                continue  # most likely the IOD misspells the module's name, which is reported there
            ctx.report("DS240", constraint.at("module"), f"module {constraint.module!r} is not in this IOD"
                                                         f"{suggest(constraint.module, modules)}")
            continue
        module = ctx.index.module(constraint.module)
        keywords = [r.attribute for r in rows(module.attributes) if isinstance(r, Attribute)] if module else []
        if module is not None and ctx.readable(constraint, "attribute") and constraint.attribute not in keywords:
            ctx.report("DS241", constraint.at("attribute"), f"the {constraint.module} Module has no attribute "
                                                            f"{constraint.attribute!r}"
                                                            f"{suggest(constraint.attribute, keywords)}")
        element = ctx.index.element(constraint.attribute)
        for value in constraint.values or []:
            if element is not None and (problem := syntax.value_for_vr(value, element.vr)):
                ctx.report("DS216", constraint.at("values"), f"value {value!r} {problem}")
        if constraint.absent and (constraint.values or constraint.type):
            ctx.report("DS242", constraint.at("absent"), "an absent attribute takes no values and no type")
