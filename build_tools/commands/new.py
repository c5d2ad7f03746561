"""``dicomsup new NAME``: start a supplement folder that lints clean and builds (see :mod:`build_tools.scaffold`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.core.errors import relative
from build_tools.scaffold import ScaffoldError, scaffold

EXIT_OK, EXIT_INPUT = 0, 2


def cmd_new(args: argparse.Namespace) -> int:
    try:
        folder = scaffold(Path(args.spec), args.name, args.title, args.number, args.wg)
    except ScaffoldError as exc:
        print(f"dicomsup new: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    shown = relative(folder)
    for path in sorted(folder.iterdir()):
        print(f"  wrote {relative(path)}", file=sys.stderr)
    print(f"new: created {shown}; next: dicomsup lint {args.name} --spec {args.spec}, then dicomsup build "
          f"{args.name} --spec {args.spec} (or dicomsup watch {args.name} --spec {args.spec})", file=sys.stderr)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dicomsup new`` to the command line."""
    parser = subparsers.add_parser(
        "new", help="start a new supplement folder that builds at once",
        description="Create spec/NAME/ with every file of a supplement, comments listing the fields, and a "
                    "minimal content that lints clean and builds: one IOD of baseline modules and one new module "
                    "with one new data element, a SOP Class UID, a DCM code and an example instance. "
                    "Exits 2 without writing anything when the folder exists.")
    parser.add_argument("name", metavar="NAME", help="folder name of the supplement, e.g. wound-photography")
    parser.add_argument("--title", required=True, help="supplement title, e.g. \"Wound Photography\"")
    parser.add_argument("--number", required=True, type=int, help="supplement number, e.g. 250")
    parser.add_argument("--wg", required=True, metavar="WG",
                        help="working group, e.g. \"WG-19 Dermatologic Standards\"")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.set_defaults(run=cmd_new)
