"""Running the generators: lint first, write into a temporary folder, move into place only when all succeeded.

``output/`` is never left half-written: a failed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import filecmp
import importlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from build_tools.core.resources import templates
from build_tools.core.errors import Finding, InputError, Loc, Severity, relative
from build_tools.outputs.registry import GLOBAL_GENERATORS, SUPPLEMENT_GENERATORS
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index
from build_tools.core.model import Supplement



@dataclass
class BuildContext:
    """What a generator gets: the checked supplement and where the project's files are."""

    supplement: Supplement
    index: Index
    templates: Path = field(default_factory=templates)
    spec_folder: Path = Path(".")
    warnings: list[Finding] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    def document(self):
        """The presentation model (:mod:`build_tools.document.build`) and its warnings, built once for all renderers."""
        if "document" not in self._cache:
            from build_tools.document.build import build_document

            self._cache["document"] = build_document(self.supplement, self.index)
        return self._cache["document"]

    def comparison(self):
        """For ``--since REV``: the draft at REV and the changes since (None without it); git is read once."""
        rev = self.options.get("since")
        if not rev:
            return None
        if "comparison" not in self._cache:
            from build_tools.diff.since import compare_since

            self._cache["comparison"] = compare_since(self.spec_folder, rev, self.supplement)
        return self._cache["comparison"]

    def since(self, ids: frozenset[str]):
        """The ``since`` variable of the templates: the "Changes since" chapter, or None."""
        from build_tools.diff.report import settle_anchors
        from build_tools.diff.since import Since

        comparison = self.comparison()
        if comparison is None:
            return None
        return Since(comparison.label, self.options["since"], settle_anchors(comparison.changes, ids), ids)


@dataclass
class Report:
    """What a build did, for the terminal."""

    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def resolve(target: str) -> Callable:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def discover(spec_root: Path) -> list[Path]:
    """Every supplement folder of ``spec_root``: sub-folders holding a ``supplement.yaml``."""
    if not spec_root.is_dir():
        raise InputError([Finding(Loc(relative(spec_root)), "no such folder; expected the spec/ folder of "
                                                            "supplements (run from the project root or pass --spec)")])
    return sorted(p for p in spec_root.iterdir() if p.is_dir() and (p / "supplement.yaml").is_file())


def lint(folder: Path) -> tuple[Supplement, list[Finding]]:
    """Load and check one supplement; the findings include the loader's and the rules'."""
    from build_tools.check.rules import check

    findings: list[Finding] = []
    supplement = load_supplement(folder, findings)
    # Rules run even when the loader found errors, so one run reports everything; a rule finding at the very
    # place of a loader error would only repeat it (about a placeholder) and is left out.
    taken = {f.loc for f in findings if f.severity is Severity.ERROR}
    findings.extend(f for f in check(supplement) if f.loc not in taken)
    return supplement, sorted(set(findings))


def generate_into(supplement: Supplement, folder: Path, out: Path, options: dict | None = None,
                  report: Report | None = None) -> None:
    """Run every supplement generator for ``supplement`` into the folder ``out`` (which must exist)."""
    ctx = BuildContext(supplement, Index(supplement), spec_folder=folder, options=options or {})
    for name, target in SUPPLEMENT_GENERATORS:
        started = time.perf_counter()
        resolve(target)(ctx, out)
        if report is not None:
            report.timings[f"{supplement.name}/{name}"] = time.perf_counter() - started
    if report is not None:
        report.findings.extend(ctx.warnings)


def generate_global(out_root: Path, report: Report | None = None) -> None:
    for name, target in GLOBAL_GENERATORS:
        started = time.perf_counter()
        folder = out_root / name
        folder.mkdir(parents=True, exist_ok=True)
        resolve(target)(folder)
        if report is not None:
            report.timings[name] = time.perf_counter() - started


def _replace(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``, swapping out any previous folder in two renames."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old)


def build_all(folders: list[Path], out_root: Path, options: dict | None = None) -> Report:
    """Lint every supplement, then build all of them into ``out_root``; nothing is written when any has errors."""
    report = Report()
    started = time.perf_counter()
    loaded = []
    for folder in folders:
        supplement, findings = lint(folder)
        report.findings.extend(findings)
        loaded.append((folder, supplement))
    if report.errors:
        report.seconds = time.perf_counter() - started
        return report
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_root))
    try:
        for folder, supplement in loaded:
            target = staging / supplement.name
            target.mkdir()
            generate_into(supplement, folder, target, options, report)
        generate_global(staging, report)
        for entry in sorted(staging.iterdir()):
            _replace(entry, out_root / entry.name)
            report.written.extend(sorted(p for p in (out_root / entry.name).rglob("*") if p.is_file()))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """Differences between a fresh build (``expected``) and ``actual``, one line each."""
    problems = []
    fresh = {p.relative_to(expected) for p in expected.rglob("*") if p.is_file()}
    present = {p.relative_to(actual) for p in actual.rglob("*") if p.is_file()} if actual.exists() else set()
    for rel in sorted(fresh - present):
        problems.append(f"{actual / rel}: missing; run dicomsup build")
    for rel in sorted(present - fresh):
        problems.append(f"{actual / rel}: not produced by the build any more; run dicomsup build")
    for rel in sorted(fresh & present):
        if not filecmp.cmp(expected / rel, actual / rel, shallow=False):
            problems.append(f"{actual / rel}: out of date; run dicomsup build")
    return problems


def check_outputs(folders: list[Path], out_root: Path, options: dict | None = None) -> tuple[Report, list[str]]:
    """Lint, build into a temporary folder and compare with ``out_root`` byte for byte."""
    with tempfile.TemporaryDirectory(prefix="dicomsup-check-") as tmp:
        fresh = Path(tmp)
        report = build_all(folders, fresh, options)
        if report.errors:
            return report, []
        problems: list[str] = []
        for entry in sorted(fresh.iterdir()):
            problems.extend(compare_trees(entry, out_root / entry.name))
        return report, problems
