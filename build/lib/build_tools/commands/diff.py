"""``dicomsup diff OLD [NEW]``: the semantic changes between two drafts, as text, JSON or an HTML page.

Each side is a folder of YAML files or a git revision of the repository the command runs in (the supplement
folder is then extracted from that revision into a temporary folder; the working tree is never touched). Without
NEW the working tree's ``spec/<name>/`` is the new side. A folder wins over a revision of the same name.

Exit codes: 0 with or without changes (it is a report), 2 for a bad revision, folder or option.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from build_tools.diff.semantic import Change, semantic_diff
from build_tools.diff.report import document_ids, render_html, render_json, render_text, settle_anchors
from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.load.loader import load_supplement
from build_tools.core.model import Supplement
from build_tools.diff.revisions import commit_of, extract, repo_root, supplements_at

EXIT_OK, EXIT_INPUT = 0, 2


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
    path = Path(given)
    if path.is_dir():
        return Side(given, folder=path)
    if root is None:
        raise usage_error(f"{given!r} is not a folder, and the current folder is not in a git repository "
                          "(so it cannot be a revision either)")
    commit = commit_of(given, root)
    if commit is None:
        raise usage_error(f"{given!r} is neither a folder nor a git revision of {root}")
    return Side(given, commit=commit)


def supplement_name(args: argparse.Namespace, sides: list[Side], root: Path | None, spec: PurePosixPath) -> str:
    """The supplement compared: --supplement; else the one found at every revision side (the folder side's name
    when it is among several); else the name of the (new) folder side."""
    if args.supplement:
        return args.supplement
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


def compare(args: argparse.Namespace) -> tuple[Loaded, Loaded, list[Change], str]:
    """Resolve both sides, load them and diff them."""
    old_given = _one(args.old, args.from_, "OLD", "--from")
    new_given = _one(args.new, args.to, "NEW", "--to")
    if old_given is None:
        raise usage_error("name the old draft: dicomsup diff OLD [NEW], where each is a git revision or a folder "
                          "(or --from OLD --to NEW)")
    root = repo_root(Path.cwd())
    spec = spec_path(args.spec, root)
    sides = [classify(old_given, root)]
    if new_given is not None:
        sides.append(classify(new_given, root))
    name = supplement_name(args, sides, root, spec)
    if new_given is None:
        working = Path(args.spec) / name
        if not working.is_dir():
            raise usage_error(f"no NEW given and {working}/ does not exist; name the new draft too")
        sides.append(Side(str(working), folder=working))
    with tempfile.TemporaryDirectory(prefix="dicomsup-diff-") as tmp:
        old, new = (load_side(side, name, root, spec, Path(tmp)) for side in sides)
    return old, new, semantic_diff(old.supplement, new.supplement), name


def _one(positional: str | None, option: str | None, name: str, flag: str) -> str | None:
    if positional is not None and option is not None:
        raise usage_error(f"give {name} either as an argument or with {flag}, not both")
    return positional if positional is not None else option


def cmd_diff(args: argparse.Namespace) -> int:
    old, new, changes, name = compare(args)
    for loaded in (old, new):
        if loaded.findings:
            print(f"dicomsup diff: {loaded.side.label} has {len(loaded.findings)} loader finding(s); "
                  "values in error are compared as placeholders:", file=sys.stderr)
            for finding in loaded.findings:
                print(f"  {finding}", file=sys.stderr)
    if not new.findings:  # a draft with loader errors may not render; its anchors are left as they are
        changes = settle_anchors(changes, document_ids(new.supplement))
    meta = (old.side.label, new.side.label)
    if args.format == "json":
        output = render_json(changes, old.supplement, new.supplement, meta)
    elif args.format == "html":
        output = render_html(changes, old.supplement, new.supplement, meta)
    else:
        output = render_text(changes, old.supplement, new.supplement, meta)
    out = args.out
    if out is None and args.format == "html":
        out = str(Path("output") / name / "html" / "changes.html")
    if out is None or out == "-":
        sys.stdout.write(output)
        return EXIT_OK
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
    except OSError as exc:
        raise InputError([Finding(Loc(relative(target)), f"cannot write: {exc.strerror or exc}")]) from None
    print(f"diff: {len(changes)} change(s); wrote {relative(target)}", file=sys.stderr)
    return EXIT_OK


def register(subparsers) -> None:
    """Add ``dicomsup diff`` to the command line."""
    parser = subparsers.add_parser(
        "diff", help="list the semantic changes between two drafts (git revisions or folders)",
        description="List the semantic changes between two drafts of a supplement. Each of OLD and NEW is a git "
                    "revision or a folder. Exit 0 with or without changes, 2 for a bad revision, folder or option.")
    parser.add_argument("old", nargs="?", metavar="OLD", help="old draft: a git revision (v0.3, HEAD~2) or a folder")
    parser.add_argument("new", nargs="?", metavar="NEW",
                        help="new draft: a git revision or a folder (default: the working tree's spec/<name>/)")
    parser.add_argument("--from", dest="from_", metavar="OLD", help="old draft (same as the OLD argument)")
    parser.add_argument("--to", metavar="NEW", help="new draft (same as the NEW argument)")
    parser.add_argument("--supplement", metavar="NAME",
                        help="supplement folder name under --spec (default: the only one, or a folder side's name)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text",
                        help="text for the terminal (default), json, or an html page")
    parser.add_argument("--out", metavar="FILE",
                        help="write here instead of standard output (html default: output/<name>/html/changes.html)")
    parser.set_defaults(run=cmd_diff)
