"""Rules of PS3.4, PS3.6 and PS3.16 (``DS3xx``): SOP Classes, data elements, UIDs, codes and context groups."""

from __future__ import annotations

import re

import difflib


from build_tools.check.context import Context, rows
from build_tools.check.references import suggest
from build_tools.core import syntax
from build_tools.core.errors import Loc
from build_tools.core.model import Attribute, DataElement
from build_tools.core.names import keyword_from_name, uid_keyword_from_name
from build_tools.core.tags import parse_tag, tag_text
from build_tools.standard import baseline
from build_tools.standard import codes as standard
from build_tools.standard import texts
from build_tools.standard.index import cid_keyword, element_keyword, uid_keyword

#: UID types of PS3.6 Table A-1.
UID_TYPES = frozenset({"SOP Class", "Transfer Syntax", "Well-known SOP Instance", "Meta SOP Class", "Service Class",
                       "Application Context Name", "Coding Scheme", "Context Group Name", "LDAP OID",
                       "Synchronization Frame of Reference", "Well-known frame of reference", "Mapping Resource",
                       "Application Hosting Model", "DICOM UIDs as a Coding Scheme"})

DICOM_ROOT = "1.2.840.10008."
STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1"
CONTEXT_GROUP_ROOT = "1.2.840.10008.6.1."


def _keyword_at(ctx: Context, item) -> Loc | None:
    """Where an entry's keyword is: the explicit ``keyword``, else the ``name`` it is derived from."""
    return ctx.at(item, "keyword" if item.keyword else "name")


def _explicit_keyword(ctx: Context, item, derived: str) -> None:
    """A keyword written in the spec (of a data element or UID) must be valid; differing from the one the PS3.6
    rules derive from the name is allowed, and said."""
    if item.keyword is None:
        return
    if problem := syntax.keyword(item.keyword):
        ctx.report("DS302", item.at("keyword"), f"keyword {item.keyword!r} {problem}")
    elif item.keyword != derived:
        ctx.report("DS303", item.at("keyword"), f"keyword {item.keyword!r} differs from {derived!r}, which the PS3.6 "
                                                f"rules derive from the name {item.name!r}")


# --- PS3.6 data elements --------------------------------------------------------------------------------------


def check_data_elements(ctx: Context) -> None:
    tags: dict[int, Loc] = {}
    keywords: dict[str, Loc] = {}
    for item in ctx.supplement.data_elements:
        where = ctx.at(item, "tag")
        if where is not None and (problem := syntax.tag(item.tag)):
            ctx.report("DS301", where, f"tag {item.tag!r} {problem}")
        tag = parse_tag(item.tag) if where is not None else None
        keyword = element_keyword(item)
        _explicit_keyword(ctx, item, keyword_from_name(item.name))
        if problem := syntax.vr(item.vr):
            ctx.report("DS304", ctx.at(item, "vr"), f"VR {problem}")
        if problem := syntax.vm(item.vm):
            ctx.report("DS305", ctx.at(item, "vm"), f"VM {item.vm!r} {problem}")
        elif item.vr == "SQ" and item.vm != "1":
            ctx.report("DS305", ctx.at(item, "vm"), f"a sequence (VR SQ) has VM 1, not {item.vm}")
        if tag is not None:
            if tag in tags:
                ctx.report("DS306", where, f"tag {item.tag} is already given to another new data element at "
                                           f"{tags[tag]}")
            else:
                tags[tag] = where
        keyword_at = _keyword_at(ctx, item)
        if keyword_at is not None:
            if keyword in keywords:
                ctx.report("DS307", keyword_at, f"keyword {keyword} is already used by another new data element "
                                                f"at {keywords[keyword]}")
            else:
                keywords[keyword] = keyword_at
            _clash_with_standard(ctx, item, tag, keyword)
    table = [row for module in ctx.supplement.modules for row in rows(module.attributes) if isinstance(row, Attribute)]
    used = {row.attribute for row in table}
    if not all(ctx.readable(row, "attribute") for row in table):
        return  # a row whose keyword could not be read may be the one that uses an element: none is said unused
    for item in ctx.supplement.data_elements:
        keyword = element_keyword(item)
        if keyword not in used and not item.retired:
            # Not said when a reference to an unknown keyword looks like this one: the typo is reported there.
            ctx.report_unless_close("DS310", item.loc, f"new data element {keyword} is used by no module of this "
                                                       "supplement", "element", keyword)


def ps36() -> str:
    """PS3.6 as the lookups know it (pydicom's dictionary, whose version ``lint`` prints with the baseline)."""
    return "PS3.6"


def _clash_with_standard(ctx: Context, item: DataElement, tag: int | None, keyword: str) -> None:
    if tag is not None and (known := baseline.element_by_tag(tag)) is not None:
        differences = [f"{what} ({ours!r}, not {theirs!r})" for what, ours, theirs in
                       (("name", item.name, known.name), ("keyword", keyword, known.keyword),
                        ("VR", item.vr, known.vr), ("VM", item.vm, known.vm)) if ours != theirs]
        ctx.already_in("DS308", item.at("tag"), f"data element {item.tag}", ps36(),
                       f"{known.keyword} ({known.name}, VR {known.vr}, VM {known.vm})", differences,
                       "Choose a free tag or match the standard")
        if differences:
            return  # the keyword is then compared with the standard's already
    other = baseline.keyword_tags().get(keyword)
    if other is not None and other != tag:
        ctx.report("DS309", _keyword_at(ctx, item), f"keyword {keyword} is already used in PS3.6 by "
                                                    f"{tag_text(other)}; choose another name or keyword")


# --- PS3.6 UIDs -----------------------------------------------------------------------------------------------


def check_uids(ctx: Context) -> None:
    values: dict[str, Loc] = {}
    keywords: dict[str, Loc] = {}
    for item in ctx.supplement.uids:
        where = ctx.at(item, "value")
        if where is not None:
            if problem := syntax.uid(item.value):
                ctx.report("DS311", where, f"UID {item.value!r} {problem}")
            elif not item.value.startswith(DICOM_ROOT):
                ctx.report("DS312", where, f"UID {item.value} is not under the DICOM root {DICOM_ROOT[:-1]}: the "
                                           "UIDs a supplement adds to PS3.6 Table A-1 are the standard's own, so "
                                           "write a placeholder under that root until the DICOM editor assigns the "
                                           f"final one (for a Storage SOP Class e.g. {STORAGE_ROOT}.<n>, as "
                                           "'dicomsup new' does). UIDs of the example instances do not belong in "
                                           "'uids': they are derived from uid_root")
            if item.value in values:
                ctx.report("DS313", where, f"UID {item.value} is already given at {values[item.value]}")
            values.setdefault(item.value, where)
        keyword = uid_keyword(item)
        _explicit_keyword(ctx, item, uid_keyword_from_name(item.name))
        keyword_at = _keyword_at(ctx, item)
        if keyword_at is not None:
            if keyword in keywords:
                ctx.report("DS307", keyword_at, f"UID keyword {keyword} is already used at {keywords[keyword]}")
            keywords.setdefault(keyword, keyword_at)
        if ctx.readable(item, "type") and item.type not in UID_TYPES:
            ctx.report("DS314", item.at("type"), f"UID type {item.type!r} is not one of PS3.6 Table A-1's"
                                                 f"{suggest(item.type, UID_TYPES)}")
        known = baseline.uid_by_value(item.value) if where is not None else None
        if known is not None:
            differences = [f"{what} ({ours!r}, not {theirs!r})" for what, ours, theirs in
                           (("name", item.name, known.name), ("keyword", keyword, known.keyword)) if ours != theirs]
            ctx.already_in("DS315", where, f"UID {item.value}", ps36(), f"{known.keyword} ({known.name})",
                           differences, "Choose another UID or match the standard")
        other = baseline.uid_by_keyword(keyword) if keyword_at is not None else None
        if other is not None and other.value != item.value:
            ctx.report("DS309", keyword_at, f"UID keyword {keyword} is already used in PS3.6 by {other.value}")


# --- PS3.4 SOP Classes ----------------------------------------------------------------------------------------


def check_sop_classes(ctx: Context) -> None:
    for sop in ctx.supplement.sop_classes:
        uid = ctx.index.uid(sop.uid)
        if uid is None:
            known = [uid_keyword(u) for u in ctx.supplement.uids]
            ctx.unknown("DS320", ctx.at(sop, "uid"), "uid", sop.uid, f"no UID with keyword {sop.uid!r} in 'uids'"
                                                                     f"{suggest(sop.uid, known)}")
        elif uid.type != "SOP Class":
            ctx.report("DS321", ctx.at(sop, "uid"), f"UID {sop.uid} has type {uid.type!r}, not 'SOP Class'")
        if ctx.index.iod(sop.iod) is None:
            iod_names = [i.name for i in ctx.supplement.iods]
            ctx.unknown("DS322", ctx.at(sop, "iod"), "iod", sop.iod,
                        f"no IOD {sop.iod!r} in 'iods'{suggest(sop.iod, iod_names)}")


# --- PS3.16 codes and context groups --------------------------------------------------------------------------


def _scheme(ctx: Context, loc: Loc | None, scheme: str) -> bool:
    """Whether ``scheme`` is a coding scheme designator of PS3.16 (a retired one is said, and accepted)."""
    if scheme in syntax.RETIRED_SCHEMES:
        ctx.report("DS331", loc, f"coding scheme {scheme} is retired; use {syntax.RETIRED_SCHEMES[scheme]}")
        return True
    if scheme not in syntax.CODING_SCHEMES:
        hint = suggest(scheme, syntax.CODING_SCHEMES) or "; expected one of " + ", ".join(
            sorted(syntax.CODING_SCHEMES))
        ctx.report("DS330", loc, f"unknown coding scheme designator {scheme!r}{hint}")
        return False
    return True


def _code_value(ctx: Context, loc: Loc | None, scheme: str, value: str) -> None:
    if scheme == "SCT" and (problem := syntax.sctid(value)):
        ctx.report("DS332", loc, f"SNOMED CT code {value!r} {problem}")


def check_codes(ctx: Context) -> None:
    seen: dict[tuple[str, str], Loc] = {}
    for code in ctx.supplement.codes:
        if not _scheme(ctx, ctx.at(code, "scheme"), code.scheme):
            ctx.misdefined.add(("code-value", code.value))  # references to the code (by another scheme) step aside
        where = ctx.at(code, "value")
        _code_value(ctx, where, code.scheme, code.value)
        key = (code.scheme, code.value)
        if key in seen:
            ctx.report("DS333", where, f"code {code.scheme}:{code.value} is already defined at {seen[key]}")
        if where is not None:
            seen.setdefault(key, where)
        if code.scheme == "DCM" and (code.definition is None or not code.definition.text.strip()):
            ctx.report("DS334", code.loc, f"DCM code {code.value} needs a definition (PS3.16 Annex D)")
        known = standard.codes(code.scheme).get(code.value)
        if known is not None and ctx.readable(code, "meaning"):
            ctx.already_in("DS335", where, f"code {code.scheme}:{code.value}", ps16(), f"meaning {known!r}",
                           [f"meaning ({code.meaning!r})"] if known != code.meaning else [],
                           "Choose another value or use that meaning")


def check_context_groups(ctx: Context) -> None:
    cids: dict[int, Loc] = {}
    for group in ctx.supplement.context_groups:
        where = ctx.at(group, "cid")
        if where is not None:
            if group.cid in cids:
                ctx.report("DS336", where, f"CID {group.cid} is already defined at {cids[group.cid]}")
            cids.setdefault(group.cid, where)
            existing = standard.cid_names().get(group.cid)
            if existing is not None:
                _known_group(ctx, group, where, existing)
        if ctx.readable(group, "version") and (problem := syntax.version_date(group.version)):
            ctx.report("DS338", group.at("version"), f"version {group.version!r} {problem}")
        if group.uid is not None and (problem := syntax.uid(group.uid)):
            ctx.report("DS311", group.at("uid"), f"UID {group.uid!r} {problem}")
        elif group.uid is not None and not group.uid.startswith(CONTEXT_GROUP_ROOT):
            ctx.report("DS339", group.at("uid"), f"Context Group UID {group.uid} is not under "
                                                 f"{CONTEXT_GROUP_ROOT[:-1]}, where PS3.6 Table A-3 assigns them; "
                                                 "write a placeholder there until the DICOM editor assigns the "
                                                 "final one")
        if not group.rows and not group.includes:
            ctx.report("DS340", group.loc, f"CID {group.cid} has neither rows nor includes")
        _code_rows(ctx, group.rows)
        for number, cid in enumerate(group.includes, 1):
            if not ctx.refs.known_cid(cid):
                ctx.unknown("DS341", ctx.item_at(group, "includes", number), "cid", str(cid),
                            f"included CID {cid} is not defined in this supplement and is not known to pydicom "
                            f"{baseline.PYDICOM_VERSION}")
    for addition in ctx.supplement.context_group_additions:
        where = ctx.at(addition, "cid")
        if where is None:
            _code_rows(ctx, addition.rows)
            continue
        if addition.cid in cids:
            ctx.report("DS342", where, f"CID {addition.cid} is a new group of this supplement (at "
                                       f"{cids[addition.cid]}); put the rows there")
            continue
        existing = standard.cid_names().get(addition.cid)
        if existing is None:
            ctx.unknown("DS341", where, "cid", str(addition.cid), f"CID {addition.cid} is not known to pydicom "
                                                                  f"{baseline.PYDICOM_VERSION}; check the number")
        elif ctx.readable(addition, "name") and difflib.SequenceMatcher(
                None, keyword_from_name(addition.name).lower(), existing.lower()).ratio() < 0.85:
            # pydicom's keywords drop plurals, so only a clearly different name is said
            ctx.report("DS343", addition.at("name"), f"CID {addition.cid} is named {existing} in the standard, not "
                                                     f"{addition.name!r}")
        if existing is not None:
            present = standard.cid_rows(addition.cid) or frozenset()
            for row in addition.rows:
                if (row.scheme, row.value) in present:
                    ctx.already_in("DS337", ctx.at(row, "value"), f"row {row.scheme}:{row.value} of CID "
                                                                  f"{addition.cid}", ps16(), existing, [])
        _code_rows(ctx, addition.rows)


def ps16() -> str:
    return "PS3.16"


def _known_group(ctx: Context, group, where: Loc, existing: str) -> None:
    """A new context group with the number of an existing one: a note when it restates it (keyword and rows), an
    error naming both otherwise."""
    differences = []
    if cid_keyword(group) != existing:
        differences.append(f"keyword ({cid_keyword(group)!r}, not {existing!r})")
    theirs = standard.cid_rows(group.cid) or frozenset()
    ours = {(row.scheme, row.value) for row in group.rows}
    if group.includes:
        differences.append("includes (pydicom lists a group's codes, not what it includes)")
    elif ours != theirs:
        extra, missing = sorted(ours - theirs), sorted(theirs - ours)
        rows = [f"{len(extra)} row{'s' * (len(extra) != 1)} it lacks ({_codes(extra)})" if extra else "",
                f"{len(missing)} of its rows missing ({_codes(missing)})" if missing else ""]
        differences.append("rows: " + "; ".join(r for r in rows if r))
    ctx.already_in("DS337", where, f"CID {group.cid}", ps16(), f"{existing}, {len(theirs)} codes", differences,
                   "Add rows with context_group_additions, or choose a free number")


def _codes(codes: list[tuple[str, str]], most: int = 3) -> str:
    shown = ", ".join(f"{scheme}:{value}" for scheme, value in codes[:most])
    return shown + (f" and {len(codes) - most} more" if len(codes) > most else "")


def _code_rows(ctx: Context, code_rows) -> None:
    seen: dict[tuple[str, str], Loc] = {}
    for row in code_rows:
        _scheme(ctx, ctx.at(row, "scheme"), row.scheme)
        where = ctx.at(row, "value")
        _code_value(ctx, where, row.scheme, row.value)
        key = (row.scheme, row.value)
        if key in seen:
            ctx.report("DS333", where, f"code {row.scheme}:{row.value} is already a row (at {seen[key]})")
        if where is not None:
            seen.setdefault(key, where)
        meaning = ctx.index.code_meaning(row.scheme, row.value, row.meaning) \
            or standard.codes(row.scheme).get(row.value)
        if not meaning and where is not None:
            ctx.unknown("DS344", row.loc, "code", f"{row.scheme}:{row.value}",
                        f"code {row.scheme}:{row.value} has no meaning: give 'meaning', or define the code in "
                        "'codes'", aside=("code-value", row.value))


def check_annex(ctx: Context) -> None:
    """The PS3.17 annex label becomes ids and section numbers: one capital letter written one to five times, as
    the standard's (A … Z, AA … ZZ, …; PS3.17 has reached BBBBB)."""
    annex = ctx.supplement.annex
    if annex is None or not ctx.readable(annex, "label"):
        return
    if not re.fullmatch(r"([A-Z])\1{0,4}", annex.label):
        ctx.report("DS345", ctx.at(annex, "label"), f"annex label {annex.label!r} is not one capital letter "
                                                    "written one to five times; PS3.17 labels annexes A, B, … ZZZ, "
                                                    "AAAA … BBBBB (e.g. TTTT)")
        return
    title = texts.annex_title(annex.label)
    if title is not None and ctx.readable(annex, "title"):
        ctx.already_in("DS352", ctx.at(annex, "label"), f"PS3.17 Annex {annex.label}", texts.short_edition(),
                       f"“{title}”", [] if title in (annex.title, f"{annex.title} (Informative)")
                       else [f"title (“{annex.title}”)"],
                       "Choose a free label, or the standard's title when re-authoring that annex")
