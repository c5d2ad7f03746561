"""Running the outputs: lint first, write into a temporary folder, move into place only when all succeeded.

``output/`` is never left half-written: a failed build leaves the previous output exactly as it was. With
``--only``, a supplement's staging folder starts as a copy of its current ``output/<name>/`` without the selected
outputs' folders, so every other folder comes through the swap unchanged.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from build_tools.core import atomic
from build_tools.core.errors import Finding, InputError, Loc, Severity, relative
from build_tools.core.model import Supplement
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index

if TYPE_CHECKING:  # the outputs (jinja2, lxml, pydicom's pixels …) are imported when a build runs, not for lint
    from build_tools.outputs.base import BuildContext, Output, ProjectContext


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


def select(wanted: list[str] | None = None) -> list[type[Output]]:
    """The outputs to run (:func:`build_tools.outputs.registry.select`), imported only when a build runs."""
    from build_tools.outputs.registry import select as chosen

    return chosen(wanted)


def run_outputs(outputs: list[type[Output]], ctx: BuildContext | ProjectContext, root: Path, report: Report,
                prefix: str = "") -> None:
    """Run ``outputs`` with ``ctx``, each into its folder under ``root``, timing each."""
    for output in outputs:
        started = time.perf_counter()
        target = root / output.folder
        target.mkdir(parents=True, exist_ok=True)
        output().write(ctx, target)
        report.timings[f"{prefix}{output.name}"] = time.perf_counter() - started


def _seed(current: Path, target: Path, rebuilt: set[str]) -> None:
    """Start ``target`` as a copy of ``current`` without its folders named in ``rebuilt`` (empty when new)."""
    if not current.is_dir():
        target.mkdir()
        return
    shutil.copytree(current, target, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) == current and n in rebuilt])


def build_all(folders: list[Path], out_root: Path, options: Mapping[str, Any] | None = None) -> Report:
    """Lint every supplement, then build all of them into ``out_root``; nothing is written when any has errors.

    ``options`` are the command line's: ``since`` (a git revision) and ``only`` (output names, None for all).
    """
    options = options or {}
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
    only = options.get("only")
    selected = select(list(only) if only else None)
    atomic.check_root(out_root)
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([Finding(Loc(relative(out_root)), f"cannot create the output folder: "
                                                           f"{exc.strerror or exc}")]) from None
    with atomic.locked(out_root):
        atomic.recover(out_root)  # a swap a crash interrupted: the folder set aside goes back first
        _write(loaded, selected, out_root, options, report)
    report.seconds = time.perf_counter() - started
    return report


def _write(loaded: list, selected: list[type[Output]], out_root: Path, options: Mapping[str, Any],
           report: Report) -> None:
    """Build into a staging folder of ``out_root``, then swap each built folder into place."""
    from build_tools.outputs.base import BuildContext, ProjectContext

    only = options.get("only")
    per_supplement = [o for o in selected if o.scope == "supplement"]
    per_project = [o for o in selected if o.scope == "project"]
    rebuilt = {o.folder for o in per_supplement}
    try:
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_root))
    except OSError as exc:
        raise InputError([Finding(Loc(relative(out_root)), f"cannot write here: {exc.strerror or exc}")]) from None
    fresh: set[Path] = set()  # what this build wrote, relative to out_root (the rest of a seeded folder is a copy)
    try:
        contexts = []
        for folder, supplement in loaded:
            ctx = BuildContext(supplement, Index(supplement), folder, since_rev=options.get("since"))
            contexts.append(ctx)
            if not per_supplement:
                continue
            target = staging / supplement.name
            if only:
                _seed(out_root / supplement.name, target, rebuilt)
                fresh.update(Path(supplement.name, name) for name in rebuilt)
            else:
                target.mkdir()  # a full build starts empty: a folder that no output writes any more goes away
                fresh.add(Path(supplement.name))
            run_outputs(per_supplement, ctx, target, report, f"{supplement.name}/")
            report.findings.extend(ctx.warnings)
        project = ProjectContext(tuple(contexts))
        run_outputs(per_project, project, staging, report)
        report.findings.extend(project.warnings)
        fresh.update(Path(output.folder) for output in per_project)
        for entry in sorted(staging.iterdir()):
            atomic.replace(entry, out_root / entry.name)
        for part in sorted(fresh):
            report.written.extend(sorted(p for p in (out_root / part).rglob("*") if p.is_file()))
    except OSError as exc:  # a full disk, a read-only folder …: the old output stays as it was
        where = exc.filename or out_root
        raise InputError([Finding(Loc(relative(Path(where))), f"cannot write the build: {exc.strerror or exc}; "
                                                              "the previous output is unchanged")]) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """Differences between a fresh build (``expected``) and ``actual``, one line each."""
    problems = []
    fresh = {p.relative_to(expected) for p in expected.rglob("*") if p.is_file()}
    # Python's byte-code caches (git ignores them) appear when the generated pydicom package is imported in place.
    present = {p.relative_to(actual) for p in actual.rglob("*")
               if p.is_file() and "__pycache__" not in p.relative_to(actual).parts} if actual.exists() else set()
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
        for entry in sorted(e for e in fresh.iterdir() if not e.name.startswith(".")):  # not the lock
            problems.extend(compare_trees(entry, out_root / entry.name))
        return report, problems
