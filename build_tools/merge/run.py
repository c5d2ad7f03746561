"""Merging a supplement into the parts of a folder of the standard's DocBook, and writing the result atomically.

For each part the supplement changes and the folder holds (``part03.xml``, ``part04.xml``, ``part06.xml``,
``part16.xml``, ``part17.xml``): the merged part (``partNN.xml``) and the part with the changes marked
(``partNN-changes.xml``, ``revisionflag``), and the figures the merged text refers to, under the standard's names
(``figures/PS3.17_TTTT.1-1.svg``, copied from the supplement folder). The parts are read by
:func:`build_tools.standard.docbook_read.read_part` (no DTD, no entity, no network; the documented repairs of two
published files). When any change cannot be applied, nothing is written and every finding is returned.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.core.model import Supplement
from build_tools.document.build import build_document
from build_tools.document.layout import cid_version, units
from build_tools.merge.apply import merge
from build_tools.merge.fragments import Fragments
from build_tools.outputs.base import figure_source
from build_tools.outputs.docbook import part_texts
from build_tools.standard.docbook_import import PARTS
from build_tools.standard.docbook_read import Part, read_part
from build_tools.standard.index import Index, iod_table, module_table

CHANGES_SUFFIX = "-changes"


@dataclass
class Merged:
    """The outcome for one part: its label, the file read, the two trees, what the merge reports."""

    label: str
    source: Path
    merged: etree._Element
    marked: etree._Element
    base: Part
    findings: list[Finding] = field(default_factory=list)
    #: The figures the part's new text refers to: (the file in the supplement folder, its name under the output).
    figures: tuple[tuple[Path, str], ...] = ()

    def names(self) -> tuple[str, str]:
        stem = self.source.stem
        return f"{stem}.xml", f"{stem}{CHANGES_SUFFIX}.xml"


def places(supplement: Supplement) -> dict:
    """Where in the YAML each change's subject is written: ``(kind, label)`` -> location."""
    found: dict = {}

    def put(key, obj, name: str) -> None:
        found.setdefault(key, obj.at(name))

    for element in supplement.data_elements[:1]:
        put(("rows", "6-1"), element, "tag")
    for uid in supplement.uids[:1]:
        put(("rows", "A-1"), uid, "value")
    for sop in supplement.sop_classes[:1]:
        put(("rows", "B.5-1"), sop, "uid")
        put(("rows", "I.4-1"), sop, "uid")
    for group in supplement.context_groups:
        put(("rows", "A-3"), group, "uid")
        put(("section", f"CID {group.cid}"), group, "cid")
    for addition in supplement.context_group_additions:
        put(("rows", f"CID {addition.cid}"), addition, "cid")
    for code in supplement.codes:
        put(("rows", "D-1"), code, "value")
    for iod in supplement.iods:
        put(("section", iod.section), iod, "section")
        put(("rows", iod_table(iod)), iod, "section")
    for module in supplement.modules:
        put(("section", module.section), module, "section")
        put(("rows", module_table(module)), module, "section")
    if supplement.annex is not None:
        put(("annex", supplement.annex.label), supplement.annex, "label")
    return found


def merge_folder(folder: Path, supplement: Supplement, index: Index | None = None,
                 parts: dict[str, Part] | None = None) -> tuple[list[Merged], list[Finding]]:
    """Every part of ``folder`` that the supplement changes, merged; and the findings (warnings of reading the
    parts included). ``parts`` may give parts already read (by label), so that tests parse each part once."""
    index = index or Index(supplement)
    document, warnings = build_document(supplement, index)
    findings: list[Finding] = list(warnings)
    fragments = Fragments()
    where = places(supplement)
    by_part = {c.part: units(c, cid_version(document)) for c in document.chapters if c.part}
    for amendment in supplement.amendments:
        by_part.setdefault(amendment.part, ())
    figures = {t.part: t.figures for t in part_texts(document)}
    out: list[Merged] = []
    for label, file_name in PARTS.items():
        if label not in by_part:
            continue
        path = folder / file_name
        part = (parts or {}).get(label)
        if part is None:
            if not path.is_file():
                # Said, not skipped in silence: the editor must know which changes this merge did not apply.
                findings.append(Finding(Loc(str(path)), f"not in {folder}: the supplement's {label} changes are "
                                        "not applied", Severity.WARNING, code="DS432"))
                continue
            part = read_part(path, comments=True)  # written back: the editor's comments stay
            findings.extend(part.warnings)
        changes = by_part[label]
        merged = merge(part, label, changes, supplement, index, fragments, False, where)
        marked = merge(part, label, changes, supplement, index, fragments, True, where)
        findings.extend(merged.findings)
        files = tuple((figure_source(Path(supplement.folder), f.source or f.file), f.file)
                      for f in figures.get(label, ()))
        out.append(Merged(label, part.path, merged.root, marked.root, part, merged.findings, files))
    if not out:
        findings.append(Finding(Loc(str(folder)), "holds none of the parts this supplement changes ("
                                + ", ".join(PARTS[p] for p in by_part if p in PARTS) + ")", Severity.ERROR,
                                code="DS361"))
    return out, findings


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8", standalone=False)


def _umask() -> int:
    mask = os.umask(0)  # read by setting it: there is no getter; restored at once
    os.umask(mask)
    return mask


def write(results: list[Merged], out: Path) -> list[Path]:
    """Write both copies of every merged part, and the figures they refer to, into ``out``; the paths written. All
    or nothing: every file is written to a temporary file beside its target first, and only when all are written
    are they renamed."""
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []

    def stage(target: Path, data: bytes) -> None:
        if target.is_dir():
            raise IsADirectoryError(f"{target}: is a folder; the merged file cannot be written there")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        staged.append((temporary, target))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it 0600; a part is a document like any other

    try:
        for result in results:
            for name, root in zip(result.names(), (result.merged, result.marked)):
                stage(out / name, serialize(root))
            for source, name in result.figures:
                target = out / name
                if not target.resolve().is_relative_to(out.resolve()):  # a name is made from labels; kept inside
                    raise InputError([Finding(Loc(name), f"a figure would be written outside {out}", code="DS361")])
                stage(target, source.read_bytes())
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _target in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    return [target for _temporary, target in staged]


def run(folder: Path, supplement: Supplement, out: Path) -> tuple[list[Path], list[Finding]]:
    """Merge and, when no error was found, write; an :class:`InputError` when ``folder`` cannot be read."""
    if not folder.is_dir():
        raise InputError([Finding(Loc(str(folder)), "no such folder of DocBook parts", code="DS361")])
    if out.resolve() == folder.resolve():  # the merged parts have the parts' names: they would replace them
        raise InputError([Finding(Loc(str(out)), f"is the folder of the parts read ({folder}); give another "
                                  "folder to --out, so that the standard's parts are not overwritten",
                                  code="DS361")])
    results, findings = merge_folder(folder, supplement)
    if any(f.severity == Severity.ERROR for f in findings):
        return [], findings
    return write(results, out), findings


__all__ = ["Merged", "merge_folder", "run", "write", "serialize", "places", "CHANGES_SUFFIX"]
