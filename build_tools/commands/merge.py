"""``dicomsup merge DIR --out OUT``: a supplement applied to the standard's DocBook parts in DIR (see
:mod:`build_tools.merge`).

Writes, for each part the supplement changes and DIR holds, the merged part (``partNN.xml``) and the part with the
changes marked by ``revisionflag`` (``partNN-changes.xml``) into OUT. A change that cannot be applied (a missing
target, a part whose text is not what the spec expects) is a located finding on stdout; then nothing is written
and the exit status is 1. The summary comes last, on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.load.folders import supplement_folders
from build_tools.commands import findings as printing
from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.load.loader import load_supplement
from build_tools.merge.run import run

SUMMARY = "apply a supplement to the standard's DocBook parts (merged and with-changes copies)"


def _supplement_folder(args: argparse.Namespace) -> Path:
    found = supplement_folders(Path(args.spec), args.supplement)
    if len(found) != 1:
        raise InputError([Finding(Loc(str(args.spec)), f"holds {len(found)} supplement folders; name one with "
                                                        "--supplement", code="DS012")])
    return found[0]


def cmd_merge(args: argparse.Namespace) -> int:
    findings: list[Finding] = []
    supplement = load_supplement(_supplement_folder(args), findings)
    if any(f.severity == Severity.ERROR for f in findings):
        printing.print_findings(findings)
        print(f"merge: the spec does not load; {printing.summary(findings)}", file=sys.stderr)
        return 1
    written, found = run(Path(args.folder), supplement, Path(args.out))
    printing.print_findings(found)
    errors = [f for f in found if f.severity == Severity.ERROR]
    if errors:
        print(f"merge: nothing written; {printing.summary(found)}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    parts = sum(1 for path in written if path.parent == Path(args.out))  # each part twice, the figures below
    figures = len(written) - parts
    print(f"merge: {parts // 2} part{'s' * (parts != 2)} merged"
          + (f", {figures} figure{'s' * (figures != 1)} copied" if figures else "") + f"; {printing.summary(found)}",
          file=sys.stderr)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("merge", help=SUMMARY)
    parser.add_argument("folder", metavar="DIR", help="folder of the standard's DocBook parts (part03.xml, "
                                                      "part04.xml, part06.xml, part16.xml, part17.xml)")
    parser.add_argument("--out", required=True, metavar="OUT", help="folder to write the merged parts into")
    parser.add_argument("--supplement", help="supplement name under --spec, or its folder (default: the only one)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.set_defaults(run=cmd_merge)
