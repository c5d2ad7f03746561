"""``dicomsup baseline show NAME``, ``search TEXT`` and ``import DIR``: browse what the standard already holds, or
build a baseline from the standard's own DocBook.

``show`` prints a module, macro or functional group macro (its rows indented by nesting), an IOD (its module and
functional group tables) or an attribute (by tag ``(gggg,eeee)`` or keyword: where the baseline uses it), with
section, table, source and edition. ``search`` lists, one line each, the modules, macros, IODs and attributes whose
name (or keyword) contains TEXT, case-insensitively.

``import`` reads the ``partNN.xml`` of DIR (any edition) and writes a baseline folder (default
``baseline-import/``) that ``DICOMSUP_BASELINE`` can name; it prints what it found per part and the edition.

Exit codes: 0 found, 1 ``search`` found nothing, 2 ``show`` found no such name (with a "did you mean"), or
``import`` refused or could not read a file (nothing written).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
from functools import cache
from pathlib import Path

from build_tools.core.model import Condition, Include, Module, Prose, Supplement
from build_tools.iod.conditions import clause
from build_tools.standard import baseline
from build_tools.standard.entries import ModuleEntry, StandardIOD
from build_tools.standard.index import Index

EXIT_OK, EXIT_NONE, EXIT_INPUT = 0, 1, 2
TAG = re.compile(r"^\(?\s*([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})\s*\)?$")
SUFFIXES = (" functional group macro", " module", " macro", " iod")
MAX_VALUES = 8  # values of a value set shown on a row before "… (+n)"


@cache
def _index() -> Index:
    """An index over no supplement: attribute names and tags for the condition sentences, from PS3.6."""
    empty = Supplement(number=0, title="", working_group="", status="Draft", version="0", date="", scope=Prose(""))
    return Index(empty)


@cache
def _repeaters() -> dict[str, tuple[str, str]]:
    """Keyword -> (name, ``(60xx,0010)``) of PS3.6's repeating-group elements (overlays, curves), which the index
    does not resolve."""
    from pydicom.datadict import RepeatersDictionary

    return {entry[4]: (entry[2], f"({mask[:4].upper()},{mask[4:].upper()})".replace("X", "x"))
            for mask, entry in RepeatersDictionary.items() if entry[4]}


def _named(keyword: str) -> tuple[str, str] | None:
    """``(name, tag text)`` of a keyword, repeating groups included; None when no dictionary knows it."""
    element = _index().element(keyword)
    if element is not None:
        return element.name, element.tag_text
    return _repeaters().get(keyword)


# --- show ----------------------------------------------------------------------------------------------------


def _condition(condition: Condition | None) -> str:
    if condition is None:
        return ""
    if condition.named is not None:
        return condition.text or condition.named
    return f"Required if {clause(condition, _index())}."


def _values(label: str, values: list) -> str:
    shown = ", ".join(v.value for v in values[:MAX_VALUES])
    more = f" … (+{len(values) - MAX_VALUES})" if len(values) > MAX_VALUES else ""
    return f"{label}: {shown}{more}"


def _rows(rows: list, depth: int, out: list[str]) -> None:
    pad = "  " * (depth + 1) + ">" * depth
    for row in rows:
        if isinstance(row, Include):
            macro = baseline.entry(row.include)
            where = f" (Table {macro.table})" if macro and macro.table else ""
            parts = [f"{pad}Include {macro.title if macro else row.include}{where}"]
            parts += [f"{word} CID {cid}" for word, cid in (("Baseline", row.baseline_cid),
                                                             ("Defined", row.defined_cid),
                                                             ("Enumerated", getattr(row, "enumerated_cid", None)))
                      if cid is not None]
            if getattr(row, "condition", None) is not None:
                parts.append(_condition(row.condition).replace("Required if", "if", 1))
            out.append("  ".join(parts))
            continue
        known = _named(row.attribute)
        name = f"{known[0]} {known[1]}" if known else f"{row.attribute} (not in the dictionary)"
        parts = [f"{pad}{name}", f"Type {row.type}"]
        if row.item_count:
            parts.append(f"{row.item_count} item{'s' if row.item_count != 'one' else ''}")
        if row.condition is not None:
            parts.append(_condition(row.condition) + (" May be present otherwise." if row.otherwise ==
                                                      "may be present" else ""))
        index = getattr(row, "value_index", None)
        suffix = f" (value {index})" if index else ""
        if row.enumerated_values:
            parts.append(_values("Enumerated Values" + suffix, row.enumerated_values))
        if row.defined_terms:
            parts.append(_values("Defined Terms" + suffix, row.defined_terms))
        if row.notes is not None:
            parts.append(str(row.notes))
        out.append("  ".join(parts))
        _rows(row.items, depth + 1, out)


def show_module(entry: ModuleEntry, module: Module | None) -> list[str]:
    where = f"PS3.3 {entry.section}" if entry.section else "section unknown"
    if entry.part:
        where = f"{entry.part} {entry.section}"
    table = f", Table {entry.table}" if entry.table else ""
    out = [f"{entry.title} ({where}{table})", f"kind: {entry.kind}; source: {entry.source}",
           f"edition: {baseline.edition()}"]
    if not entry.exact and entry.section:
        out.append(f"section: only innolitics' page {entry.section} is known (the section may be a subsection)")
    if entry.alt_section:
        out.append(f"innolitics gives section {entry.alt_section[0]}, Table {entry.alt_section[1]}; this baseline "
                   f"uses {entry.section}, Table {entry.table}")
    if entry.variants:
        shown = ", ".join(entry.variants[:4]) + (f" … (+{len(entry.variants) - 4})" if len(entry.variants) > 4 else "")
        out.append(f"dicom3tools variants not used: {shown}")
    if entry.carried_by:
        out.append(f"defined by {entry.carried_by}: not served as a baseline module (the supplement's definition is)")
    if entry.note:
        out.append(f"note: {entry.note}")
    if not entry.has_rows or module is None:
        out.append("no attribute rows: known only from innolitics (name, section and table)")
        return out
    out.append("rows:")
    _rows(module.attributes, 0, out)
    return out


def _iod_row(row) -> str:
    usage = row.usage + (f" (dicom3tools: {row.d3t_usage})" if row.d3t_usage else "")
    text = f"  {row.ie:<26} {row.module:<48} {row.section or '':<16} {usage}"
    if row.condition:
        text += f"  {row.condition}"
    return text + ("  [innolitics only]" if row.only_in == "innolitics" else "")


def show_iod(iod: StandardIOD) -> list[str]:
    out = [f"{iod.name} IOD (PS3.3 {iod.section}, Table {iod.table})" + (" (retired)" if iod.retired else ""),
           f"source: {iod.source}", f"edition: {baseline.edition()}"]
    if iod.carried_by:
        out.append(f"defined by {iod.carried_by}")
    for uid in iod.sop_classes:
        found = baseline.sop_class(uid)
        out.append(f"SOP Class: {uid} {found.name if found else ''}".rstrip())
    out.append(f"module table:\n  {'IE':<26} {'Module':<48} {'Reference':<16} Usage")
    out += [_iod_row(row) for row in iod.modules]
    if iod.functional_groups:
        out.append(f"functional group macros:\n  {'Macro':<48} {'Reference':<16} {'Table':<16} Usage")
        for group in iod.functional_groups:
            text = f"  {group.macro:<48} {group.section or '':<16} {group.table or '':<16} {group.usage}"
            if group.group != "Multi-frame":
                text += f" ({group.group})"
            out.append(text + (f"  {group.condition}" if group.condition else ""))
    if iod.dicom3tools_only:
        out.append("rows dicom3tools lists that the standard's table does not (not part of the table):")
        out += [_iod_row(row) for row in iod.dicom3tools_only]
    return out


def show_attribute(keyword: str) -> list[str]:
    element = _index().element(keyword)
    if element is not None:
        head = (f"{element.name} {element.tag_text}  keyword {keyword}  VR {element.vr}  VM {element.vm}"
                + ("  (retired)" if element.retired else ""))
    else:
        name, tag = _named(keyword) or (keyword, "")
        head = f"{name} {tag}  keyword {keyword}  (a repeating group)"
    out = [head, f"edition: {baseline.edition()}"]
    uses = baseline.attribute_uses(keyword)
    if not uses:
        out.append("no module or macro of the baseline has a row for it")
        return out
    count = len({name for name, _ in uses})
    out.append(f"rows in {count} module{'s' if count != 1 else ''} or macro{'s' if count != 1 else ''}:")
    for name, kind in sorted(set(uses), key=lambda u: u[0].lower()):
        entry = baseline.entry(name)
        section = f" ({entry.section})" if entry and entry.section else ""
        out.append(f"  {entry.title if entry else name}{section}: Type {kind}")
    return out


def _resolve(text: str) -> list[str] | None:
    """The lines that ``show`` prints for ``text``; None when nothing has that name."""
    name = text.strip()
    lowered = name.lower()
    wants = next((s.strip() for s in SUFFIXES if lowered.endswith(s)), None)
    bare = name[: len(name) - len(wants) - 1] if wants else name
    entry = baseline.entry(name) or baseline.entry(bare)
    iod = baseline.iod(bare) if wants in (None, "iod") else None
    if entry is None and iod is None:  # any spelling of the case
        entries = {e.name.lower(): e for e in baseline.entries()}
        entry = entries.get(lowered) or entries.get(bare.lower())
        iods = {i.name.lower(): i for i in baseline.iods()}
        iod = iods.get(bare.lower()) if wants in (None, "iod") else None
    if wants == "iod" and iod is not None:
        return show_iod(iod)
    if entry is not None:
        lines = show_module(entry, baseline.entry_module(entry.name))
        if iod is not None:
            lines.append(f"(there is also an IOD of this name: dicomsup baseline show {iod.name + ' IOD'!r})")
        return lines
    if iod is not None:
        return show_iod(iod)
    match = TAG.match(name)
    if match:
        found = _index().element_by_tag(int(match.group(1) + match.group(2), 16))
        return show_attribute(found.keyword) if found else None
    if _named(name) is not None:
        return show_attribute(name)
    return None


def _did_you_mean(text: str) -> str:
    names = [e.name for e in baseline.entries()] + [i.name for i in baseline.iods()]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(text.lower(), list(by_lower), n=3, cutoff=0.6)
    if not close:
        close = [by_lower[n] for n in by_lower if text.lower() in n][:3]
    else:
        close = [by_lower[n] for n in close]
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""


def _emit(lines: list[str]) -> None:
    """Print to stdout; a reader that stops early (``| head``) is not an error."""
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so that the interpreter's final flush is quiet


def cmd_show(args: argparse.Namespace) -> int:
    lines = _resolve(args.name)
    if lines is None:
        print(f"dicomsup baseline show: no module, macro, IOD or attribute {args.name!r} in the baseline"
              f"{_did_you_mean(args.name)}", file=sys.stderr)
        return EXIT_INPUT
    _emit(lines)
    return EXIT_OK


# --- search --------------------------------------------------------------------------------------------------


def search(text: str) -> list[tuple[int, str, str, str]]:
    """``(rank, kind, name, section)`` of every hit: exact names first, then names that start with the text."""
    needle = text.strip().lower()

    def rank(*names: str) -> int | None:
        names_lower = [n.lower() for n in names if n]
        if needle in names_lower:
            return 0
        if any(n.startswith(needle) for n in names_lower):
            return 1
        return 2 if any(needle in n for n in names_lower) else None

    hits = []
    for entry in baseline.entries():
        if (found := rank(entry.name, entry.title)) is not None:
            hits.append((found, entry.kind, entry.title, entry.section or ""))
    for iod in baseline.iods():
        if (found := rank(iod.name, f"{iod.name} IOD")) is not None:
            hits.append((found, "IOD", f"{iod.name} IOD", iod.section))
    for keyword in baseline.attribute_keywords():
        known = _named(keyword)
        name = known[0] if known else keyword
        if (found := rank(keyword, name)) is not None:
            uses = sorted({n for n, _ in baseline.attribute_uses(keyword)}, key=str.lower)
            first = baseline.entry(uses[0])
            more = f" (+{len(uses) - 1} more)" if len(uses) > 1 else ""
            tag = f" {known[1]}" if known else ""
            hits.append((found, "attribute", f"{name}{tag} {keyword}",
                         f"{first.section or '' if first else ''} {first.title if first else uses[0]}{more}"))
    order = {"module": 0, "macro": 1, "functional group macro": 2, "IOD": 3, "attribute": 4}
    return sorted(hits, key=lambda h: (h[0], order[h[1]], h[2].lower()))


def cmd_search(args: argparse.Namespace) -> int:
    if not args.text.strip():
        print("dicomsup baseline search: give a word to look for", file=sys.stderr)
        return EXIT_INPUT
    hits = search(args.text)
    if not hits:
        print(f"baseline search: nothing matches {args.text!r}", file=sys.stderr)
        return EXIT_NONE
    _emit([f"{kind:<22} {name:<64} {section}".rstrip() for _rank, kind, name, section in hits[: args.limit]])
    if len(hits) > args.limit:
        print(f"… {len(hits) - args.limit} more; narrow the search or raise --limit", file=sys.stderr)
    return EXIT_OK


# --- import ----------------------------------------------------------------------------------------------------

DEFAULT_IMPORT_OUT = "baseline-import"
WARNINGS_SHOWN = 12  # per part; the rest are counted (all are in baseline.json, docbook.warnings)


def cmd_import(args: argparse.Namespace) -> int:
    from build_tools.core.errors import InputError, relative
    from build_tools.standard import docbook_import

    started = time.perf_counter()
    try:
        imported = docbook_import.import_folder(Path(args.dir))
        written = docbook_import.write(imported, Path(args.out))
    except InputError as error:
        for finding in error.findings:
            print(f"{finding.loc}: error: {finding.message}", file=sys.stderr)
        print(f"baseline import: nothing written to {args.out}", file=sys.stderr)
        return EXIT_INPUT
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for warning in imported.warnings:
        key = warning.loc.file
        if not warning.message.startswith("duplicate xml:id") or shown.get(key, 0) < WARNINGS_SHOWN:
            print(str(warning), file=sys.stderr)
            shown[key] = shown.get(key, 0) + warning.message.startswith("duplicate xml:id")
        else:
            hidden[key] = hidden.get(key, 0) + 1
    for file, count in hidden.items():
        print(f"{file}: … {count} more duplicate xml:id warnings (all listed in baseline.json, docbook.warnings)",
              file=sys.stderr)
    lines = []
    for label, counts in imported.counts.items():
        part = imported.parts[label]
        found = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
        lines.append(f"{label} {part.edition() or '(edition unknown)'} ({part.path.name}): {found}")
    lines.append(f"edition: {imported.edition}")
    lines.append(f"wrote {relative(written[0].parent)}/ ({len(written)} files) in "
                 f"{time.perf_counter() - started:.2f} s; use it with {baseline_env()}={relative(written[0].parent)}")
    _emit(lines)
    return EXIT_OK


def baseline_env() -> str:
    from build_tools.standard.store import ENV

    return ENV


def register(subparsers) -> None:
    """Add ``dicomsup baseline show|search`` to the command line."""
    parser = subparsers.add_parser("baseline", help="browse the standard's modules, macros, IODs and attributes")
    commands = parser.add_subparsers(dest="baseline_command", metavar="show|search|import", required=True)
    show = commands.add_parser("show", help="a module, macro, IOD, or attribute (tag or keyword), in full")
    show.add_argument("name", metavar="NAME", help="e.g. 'Multi-frame Functional Groups', 'Pixel Measures', "
                                                   "'VL Whole Slide Microscopy Image', '(0018,106A)', 'ContactMethod'")
    show.set_defaults(run=cmd_show)
    find = commands.add_parser("search", help="names of modules, macros, IODs and attributes containing TEXT")
    find.add_argument("text", metavar="TEXT", help="case-insensitive")
    find.add_argument("--limit", type=int, default=40, help="at most this many lines (default: 40)")
    find.set_defaults(run=cmd_search)
    load = commands.add_parser("import", help="build a baseline from the standard's DocBook (partNN.xml of DIR)")
    load.add_argument("dir", metavar="DIR", help="folder of part03.xml, part04.xml, part06.xml, part16.xml, part17.xml "
                                                 "(whichever are there)")
    load.add_argument("--out", metavar="FOLDER", default=DEFAULT_IMPORT_OUT,
                      help=f"the baseline folder to write (default: {DEFAULT_IMPORT_OUT}/); replaced as a whole")
    load.set_defaults(run=cmd_import)
