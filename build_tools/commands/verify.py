"""``dicomsup verify FILE...``: check DICOM files against the IOD of a supplement (see :mod:`build_tools.verify`).

Each finding is one line on stdout (``FILE: error: (gggg,eeee) Keyword: message [Module, Type] [DVxxx]``, or JSON or
GitHub annotations with ``--format``); a path that cannot be checked is a DV001 finding, and exit status 2. The
summary comes last, on stderr.

Files are checked in ``-j N`` worker processes (default: one per core) and reported in the order given, as they
are done; ``--files-from`` reads the paths as it goes, so any number of files runs in flat memory; ``--timeout``
bounds the time of one file (a file that takes longer is a DV005 finding, and the run goes on). ``--summary``
prints one line per file that did not pass and the totals by status and by code (``--totals``: the totals only),
which is what a run over thousands of files wants to read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.commands import findings as printing
from build_tools.core.errors import Finding, InputError, Loc
from build_tools.core.selection import FILE_CODES

if TYPE_CHECKING:  # imported where a run needs them: the loader in the helper that loads the supplements
    from build_tools.core.model import Supplement
    from build_tools.standard.index import Index


def _folders(args: argparse.Namespace) -> list[Path]:
    """The folders of the supplements to check against (checked before any file is)."""
    from build_tools.load.folders import supplement_folders

    spec_root = Path(args.spec)
    folders = supplement_folders(spec_root, args.supplement)
    if not folders:
        raise InputError([Finding(Loc(str(spec_root)), "holds no supplement folder (a folder with "
                                                       "supplement.yaml); pass --spec or --supplement",
                                  code="DS012")])
    return folders


def load_supplements(folders: list[Path]) -> list[tuple[Supplement, Index]]:
    """Each supplement, loaded, with its index."""
    from build_tools.load.loader import load_supplement
    from build_tools.standard.index import Index

    return [(supplement, Index(supplement)) for supplement in (load_supplement(folder, []) for folder in folders)]


def _assumptions(values: list[str]) -> dict[str, bool]:
    """``--assume NAME=yes`` (or ``no``, ``true``, ``false``, ``1``, ``0``) as ``{NAME: True}``."""
    result = {}
    for value in values:
        name, _sep, truth = value.partition("=")
        result[name.strip()] = truth.strip().lower() in _TRUE
    return result


_TRUE, _FALSE = {"yes", "true", "1", "y"}, {"no", "false", "0", "n"}


def _assumption(value: str) -> str:
    name, sep, truth = value.partition("=")
    if not sep or not name.strip() or truth.strip().lower() not in _TRUE | _FALSE:
        raise argparse.ArgumentTypeError(f"{value!r}: expected NAME=yes or NAME=no (NAME: a prose condition's "
                                         "'named' identifier)")
    return value


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 86400:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{value!r}: expected the seconds one file may take, more than 0 and at "
                                         "most 86400")
    return seconds


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0 or number > 1024:
        raise argparse.ArgumentTypeError(f"{value!r}: expected a number of worker processes from 1 to 1024 (0: as "
                                         "many as cores)")
    return number


def _names(args: argparse.Namespace) -> Iterator[str]:
    """The paths to check: the arguments, then those of ``--files-from`` (one a line, read as they come)."""
    yield from args.files
    if args.files_from is not None:
        stream = sys.stdin if args.files_from == "-" else open(args.files_from, encoding="utf-8", errors="surrogateescape")  # any file name
        try:
            for line in stream:
                if line.strip():
                    yield line.rstrip("\r\n")
        finally:
            if stream is not sys.stdin:
                stream.close()


#: Notes said about the standard's catalog rather than the file (DV218): one that reads the same as one printed
#: before is not printed again (every file of a series would repeat it); it is still counted.
CATALOG_NOTES = frozenset({"DV218"})


def _repeated(finding: Finding, printed: set[str]) -> bool:
    if finding.code not in CATALOG_NOTES:
        return False
    if finding.message in printed:
        return True
    if len(printed) < 1000:  # a bound, so that memory stays flat over any number of files
        printed.add(finding.message)
    return False


def cmd_verify(args: argparse.Namespace) -> int:
    from build_tools.verify.run import default_jobs, verify_paths
    from build_tools.verify.summary import Tally, file_json, file_line

    if not args.files and args.files_from is None:
        args.verify_parser.error("no FILE given: pass DICOM files, or --files-from LIST")
    if args.files_from not in (None, "-") and not Path(args.files_from).is_file():
        raise InputError([Finding(Loc(args.files_from), "--files-from: no such file", code="DV001")])
    folders = _folders(args)
    choice = printing.selection(args)
    tally = Tally()
    repeated: set[str] = set()
    # Loaded by verify_paths: in a process of its own, in a helper while this one imports the checker.
    for result in verify_paths(_names(args), lambda: load_supplements(folders), jobs=args.jobs or default_jobs(),
                               assumed=_assumptions(args.assume), lean=getattr(args, "own_process", False),
                               limit=args.timeout):
        kept, left_out = printing.chosen(list(result.findings), choice)
        kind = tally.add([f for f in kept if f.code != "DV001"], result.unusable, left_out)
        if args.summary == "files" and kind != "passed":  # thousands of files: the ones to look at
            print(file_json(result.name, kept, kind) if args.format == "json" else file_line(result.name, kept, kind))
        elif args.summary is None:
            printing.print_findings([f for f in kept if not _repeated(f, repeated)], args.format)
    if args.summary is not None:
        if args.format == "json":
            print(tally.totals_json())
        else:
            print("\n".join(tally.totals_lines()))
    checked = tally.checked
    summary = f"verify: {checked} file{'s' * (checked != 1)}, {tally.counts_text()}"
    if tally.unusable:
        summary += f"; {tally.unusable} path{'s' * (tally.unusable != 1)} could not be checked"
    from build_tools.standard import baseline

    print(baseline.describe(), file=sys.stderr)
    print(summary, file=sys.stderr)
    status = 2 if tally.unusable else 1 if tally.failing(args.strict) else 0
    if getattr(args, "own_process", False):  # nothing is left to do but free memory: skip the interpreter's teardown
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe (verify … | head): what is lost was not wanted
            pass
        os._exit(status)
    return status


def register(subparsers) -> None:
    parser = subparsers.add_parser("verify", help="check DICOM files against an IOD of a supplement")
    parser.add_argument("files", nargs="*", metavar="FILE", help="DICOM Part 10 files")
    parser.add_argument("--files-from", metavar="LIST", help="also check the paths listed in LIST, one a line "
                                                             "(- for standard input), read as they are checked")
    parser.add_argument("--supplement", help="supplement name under --spec, or its folder (default: the one whose "
                                             "SOP Classes include the file's)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    parser.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                        help="check files in N worker processes (default, or 0: as many as cores; 1: in this process); "
                             "the output is in the order of the files either way")
    parser.add_argument("--timeout", type=_timeout, default=None, metavar="SECONDS",
                        help="the most one file may take; a file that takes longer is an error of its own (DV005) "
                             "and the run goes on (default: no limit)")
    parser.add_argument("--summary", action="store_const", const="files", dest="summary",
                        help="instead of every finding: one line for each file that did not pass (its status, "
                             "counts and codes), then the totals (files by status, findings by code)")
    parser.add_argument("--totals", action="store_const", const="totals", dest="summary",
                        help="the totals of --summary only")
    parser.add_argument("--assume", action="append", type=_assumption, default=[], metavar="NAME=yes|no",
                        help="whether a prose condition (its 'named' identifier) holds for these files; without "
                             "it, what hangs on the condition is listed as not checkable (DV217)")
    printing.add_options(parser, FILE_CODES)
    parser.set_defaults(run=cmd_verify, verify_parser=parser)


def main(argv: list[str] | None = None) -> int:
    """``verify`` on its own (``python -m build_tools.commands.verify``): the same command without the other ones."""
    from build_tools.core.errors import InputError

    parser = argparse.ArgumentParser(prog="dicomsup")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["verify", *(sys.argv[1:] if argv is None else argv)])
    args.own_process = argv is None
    try:
        return args.run(args)
    except InputError as exc:
        printing.print_input_error(args, exc.findings)
        return 2


if __name__ == "__main__":
    sys.exit(main())
