"""``dicomsup verify FILE...``: check DICOM files against the IOD of a supplement (see :mod:`build_tools.verify`).

Each finding is one line on stdout (``FILE: error: (gggg,eeee) Keyword: message [Module, Type] [DVxxx]``, or JSON or
GitHub annotations with ``--format``); a path that cannot be checked is a DV001 finding, and exit status 2. The
summary comes last, on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.build import discover
from build_tools.commands import findings as printing
from build_tools.core.errors import Finding, InputError, Loc
from build_tools.core.findingcodes import severity_of
from build_tools.core.selection import FILE_CODES
from build_tools.core.model import Supplement
from build_tools.load.loader import load_supplement
from build_tools.standard import baseline
from build_tools.standard.index import Index
from build_tools.verify.checker import choose_supplement, input_problem, verify_file


def _supplements(args: argparse.Namespace) -> list[Supplement]:

    spec_root = Path(args.spec)
    if args.supplement:
        folder = Path(args.supplement)
        if not folder.is_dir():
            folder = spec_root / args.supplement
        if not folder.is_dir():
            raise InputError([Finding(Loc(str(folder)), "no such supplement folder", code="DS010")])
        folders = [folder]
    else:
        folders = discover(spec_root)
        if not folders:
            raise InputError([Finding(Loc(str(spec_root)), "holds no supplement folder (a folder with "
                                                           "supplement.yaml); pass --spec or --supplement",
                                      code="DS012")])
    return [load_supplement(folder, []) for folder in folders]


def cmd_verify(args: argparse.Namespace) -> int:
    supplements = [(s, Index(s)) for s in _supplements(args)]
    choice = printing.selection(args)
    shown: list[Finding] = []
    hidden = unusable = 0
    for name in args.files:
        problem = input_problem(Path(name))
        if problem is not None:  # said as a finding (for editors and CI), but a usage error all the same
            findings = [Finding(Loc(name), problem, severity_of("DV001"), code="DV001")]
            unusable += 1
        else:
            supplement, index = choose_supplement(Path(name), supplements)
            findings = [issue.finding(name) for issue in verify_file(Path(name), supplement, index)]
        kept, left_out = printing.chosen(findings, choice)
        printing.print_findings(kept, args.format)
        shown.extend(f for f in kept if f.code != "DV001")
        hidden += left_out
    checked = len(args.files) - unusable
    summary = f"verify: {checked} file{'s' * (checked != 1)}, {printing.summary(shown, hidden)}"
    if unusable:
        summary += f"; {unusable} path{'s' * (unusable != 1)} could not be checked"
    print(baseline.describe(), file=sys.stderr)
    print(summary, file=sys.stderr)
    return 2 if unusable else 1 if printing.failing(shown, args.strict) else 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("verify", help="check DICOM files against an IOD of a supplement")
    parser.add_argument("files", nargs="+", metavar="FILE", help="DICOM Part 10 files")
    parser.add_argument("--supplement", help="supplement name under --spec, or its folder (default: the one whose "
                                             "SOP Classes include the file's)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    printing.add_options(parser, FILE_CODES)
    parser.set_defaults(run=cmd_verify)


def main(argv: list[str] | None = None) -> int:
    """``verify`` on its own (``python -m build_tools.commands.verify``): the same command without the other ones."""
    from build_tools.core.errors import InputError

    parser = argparse.ArgumentParser(prog="dicomsup")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["verify", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.run(args)
    except InputError as exc:
        printing.print_input_error(args, exc.findings)
        return 2


if __name__ == "__main__":
    sys.exit(main())
