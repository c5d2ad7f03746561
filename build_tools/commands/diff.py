"""``dicomsup diff OLD [NEW]``: the semantic changes between two drafts, as text, JSON or an HTML page.

Exit codes: 0 with or without changes (it is a report), 2 for a bad revision, folder or option.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.diff.drafts import compare, usage_error
from build_tools.diff.report import document_ids, render_html, render_json, render_text, settle_anchors

EXIT_OK, EXIT_INPUT = 0, 2


def _one(positional: str | None, option: str | None, name: str, flag: str) -> str | None:
    if positional is not None and option is not None:
        raise usage_error(f"give {name} either as an argument or with {flag}, not both")
    return positional if positional is not None else option


def cmd_diff(args: argparse.Namespace) -> int:
    old, new, changes, name = compare(_one(args.old, args.from_, "OLD", "--from"),
                                     _one(args.new, args.to, "NEW", "--to"), args.supplement, args.spec)
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
