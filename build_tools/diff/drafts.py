"""The two drafts that ``dicomsup diff OLD [NEW]`` compares: folders or git revisions, loaded and diffed.

Each side is a folder of YAML files or a git revision of the repository the command runs in (the supplement
folder is then extracted from that revision into a temporary folder; the working tree is never touched). Without
NEW the working tree's ``spec/<name>/`` is the new side. A folder wins over a revision of the same name.

Exit codes: 0 with or without changes (it is a report), 2 for a bad revision, folder or option.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from build_tools.diff.semantic import Change, semantic_diff
from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.load.loader import load_supplement
from build_tools.core.model import Supplement
from build_tools.diff.revisions import commit_of, extract, repo_root, shown, supplements_at

def usage_error(message: str) -> InputError:
    return InputError([Finding(Loc("dicomsup diff"), message)])


@dataclass
class Side:
    """One side of the comparison as the user named it."""

    given: str
    folder: Path | None = None  # a folder of YAML files
    commit: str | None = None  # else a git commit

    @property
    def label(self) -> str:
        return self.given


@dataclass
class Loaded:
    """A loaded side: the model, where it came from, and the loader's findings (located as the user sees them)."""

    side: Side
    supplement: Supplement
    findings: list[Finding]


def classify(given: str, root: Path | None) -> Side:
    """A folder when one exists by that name, else a git revision; anything else is a usage error."""
    if not given.strip():
        raise usage_error("a draft is named by empty text; give a folder or a git revision")
    path = Path(given)
    try:
        is_folder = "\0" not in given and path.is_dir()
    except OSError:  # a name longer than the file system allows: not a folder, perhaps a revision
        is_folder = False
    if is_folder:
        return Side(given, folder=path)
    if root is None:
        raise usage_error(f"{shown(given)!r} is not a folder, and the current folder is not in a git repository "
                          "(so it cannot be a revision either)")
    commit = commit_of(given, root)
    if commit is None:
        raise usage_error(f"{shown(given)!r} is neither a folder nor a git revision of {root}")
    return Side(given, commit=commit)


def supplement_name(supplement: str | None, sides: list[Side], root: Path | None, spec: PurePosixPath) -> str:
    """The supplement compared: --supplement; else the one found at every revision side (the folder side's name
    when it is among several); else the name of the (new) folder side."""
    if supplement:
        return supplement
    folders = [side.folder.resolve().name for side in sides if side.folder is not None]
    revisions = [side for side in sides if side.commit is not None]
    if not revisions:
        return folders[-1]  # the new draft's folder name
    found = set.intersection(*(set(supplements_at(side.commit, root, spec)) for side in revisions))
    if folders and folders[-1] in found:
        return folders[-1]
    if len(found) == 1:
        return next(iter(found))
    listed = ", ".join(sorted(found)) or f"none under {spec}/"
    raise usage_error(f"pass --supplement NAME to say which supplement to compare (found: {listed})")


def load_side(side: Side, name: str, root: Path | None, spec: PurePosixPath, tmp: Path) -> Loaded:
    """Load one side; locations inside an extracted revision are shown as ``REV:spec/<name>/file.yaml``."""
    if side.folder is not None:
        findings: list[Finding] = []
        return Loaded(side, load_supplement(side.folder, findings), findings)
    assert root is not None and side.commit is not None
    dest = tmp / f"side-{len(list(tmp.iterdir()))}"
    dest.mkdir()
    folder = extract(side.given, side.commit, root, spec / name, dest)
    findings = []
    try:
        supplement = load_supplement(folder, findings)
    except InputError as exc:
        raise InputError(_relocate(exc.findings, folder, f"{side.given}:{spec / name}")) from None
    return Loaded(side, supplement, _relocate(findings, folder, f"{side.given}:{spec / name}"))


def _relocate(findings: list[Finding], folder: Path, shown: str) -> list[Finding]:
    prefixes = {str(folder), relative(folder)}
    result = []
    for finding in findings:
        file = finding.loc.file
        for prefix in prefixes:
            if file.startswith(prefix):
                file = shown + file[len(prefix):]
                break
        result.append(replace(finding, loc=replace(finding.loc, file=file)))
    return result


def spec_path(spec: str, root: Path | None) -> PurePosixPath:
    """The --spec folder as a path from the top of the repository."""
    if root is None:
        return PurePosixPath(spec)
    try:
        return PurePosixPath((Path.cwd() / spec).resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        raise usage_error(f"--spec {spec} is outside the git repository {root}") from None


def compare(old_given: str | None, new_given: str | None, supplement: str | None,
            spec_folder: str) -> tuple[Loaded, Loaded, list[Change], str]:
    """Resolve both sides (OLD, NEW or None for the working tree), load them and diff them."""
    if old_given is None:
        raise usage_error("name the old draft: dicomsup diff OLD [NEW], where each is a git revision or a folder "
                          "(or --from OLD --to NEW)")
    root = repo_root(Path.cwd())
    spec = spec_path(spec_folder, root)
    sides = [classify(old_given, root)]
    if new_given is not None:
        sides.append(classify(new_given, root))
    name = supplement_name(supplement, sides, root, spec)
    if new_given is None:
        working = Path(spec_folder) / name
        if not working.is_dir():
            raise usage_error(f"no NEW given and {working}/ does not exist; name the new draft too")
        sides.append(Side(str(working), folder=working))
    with tempfile.TemporaryDirectory(prefix="dicomsup-diff-") as tmp:
        old, new = (load_side(side, name, root, spec, Path(tmp)) for side in sides)
    return old, new, semantic_diff(old.supplement, new.supplement), name
