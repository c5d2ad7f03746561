"""The ``dicomsup`` command: lint, build and check the supplements of ``spec/``.

Exit codes: 0 when all is well, 1 when findings (errors, or warnings with ``--strict``) or stale outputs were
found, 2 for a usage error or input that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools import __version__
from build_tools.core.errors import InputError, Severity, relative

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _folders(args: argparse.Namespace) -> list[Path]:
    """The supplement folders named on the command line (names or paths), or every one under --spec."""
    from build_tools.build import discover

    spec_root = Path(args.spec)
    if not args.supplements:
        found = discover(spec_root)
        if not found:
            raise InputError([_finding(spec_root, "holds no supplement folder (a folder with supplement.yaml)")])
        return found
    folders = []
    for name in args.supplements:
        path = Path(name)
        if not path.is_dir() and (spec_root / name).is_dir():
            path = spec_root / name
        if not path.is_dir() and spec_root.is_dir():
            from build_tools.check.references import suggest

            hint = suggest(name, [p.name for p in discover(spec_root)])
            if hint:  # a misspelled supplement name: say which one exists
                raise InputError([_finding(path, "no such supplement folder; expected a folder of YAML files such "
                                                 f"as {relative(spec_root)}/<name>/{hint}")])
        folders.append(path)
    return folders


def _finding(path: Path, message: str):
    from build_tools.core.errors import Finding, Loc

    return Finding(Loc(relative(path)), message)


def _print_findings(findings, stream=sys.stderr) -> None:
    for finding in findings:
        print(finding, file=stream)


def _summary(findings) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def cmd_lint(args: argparse.Namespace) -> int:
    from build_tools.build import lint

    total = []
    for folder in _folders(args):
        _supplement, findings = lint(folder)
        total.extend(findings)
        print(f"{relative(folder)}: {_summary(findings)}", file=sys.stderr)
    _print_findings(total)
    failing = [f for f in total if f.severity is Severity.ERROR or args.strict]
    return EXIT_FINDINGS if failing else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from build_tools.build import build_all

    out_root = Path(args.out)
    report = build_all(_folders(args), out_root, vars(args))
    _print_findings(report.findings)
    if report.errors or (args.strict and report.findings):
        print(f"build: {_summary(report.findings)}; nothing written to {relative(out_root)}", file=sys.stderr)
        return EXIT_FINDINGS
    if not args.quiet:
        for name, seconds in report.timings.items():
            print(f"  {name:<32} {seconds * 1000:8.0f} ms", file=sys.stderr)
    print(f"build: wrote {len(report.written)} files to {relative(out_root)} in {report.seconds:.2f} s "
          f"({_summary(report.findings)})", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from build_tools.build import check_outputs

    out_root = Path(args.out)
    report, problems = check_outputs(_folders(args), out_root, vars(args))
    _print_findings(report.findings)
    for line in problems:
        print(line, file=sys.stderr)
    if report.errors or (args.strict and report.findings):
        print(f"check: {_summary(report.findings)}", file=sys.stderr)
        return EXIT_FINDINGS
    if problems:
        print(f"check: {len(problems)} output file(s) differ from a fresh build; run dicomsup build",
              file=sys.stderr)
        return EXIT_FINDINGS
    print(f"check: {relative(out_root)} is up to date ({_summary(report.findings)})", file=sys.stderr)
    return EXIT_OK


def _common(parser: argparse.ArgumentParser, *, out: bool = False) -> None:
    parser.add_argument("supplements", nargs="*", metavar="SUPPLEMENT",
                        help="supplement names under --spec, or folders (default: every supplement)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    if out:
        parser.add_argument("--out", default="output", help="output folder (default: output)")
        parser.add_argument("--since", metavar="REV",
                            help="add a 'Changes since <version>' chapter comparing with git revision REV")
        parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary")


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="dicomsup", description=__doc__.splitlines()[0])
    main_parser.add_argument("--version", action="version", version=f"dicomsup {__version__}")
    commands = main_parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    lint_parser = commands.add_parser("lint", help="check the spec and report errors and warnings")
    _common(lint_parser)
    lint_parser.set_defaults(run=cmd_lint)

    build_parser = commands.add_parser("build", help="lint, then write every output into output/<name>/")
    _common(build_parser, out=True)
    build_parser.set_defaults(run=cmd_build)

    check_parser = commands.add_parser("check", help="lint, then fail when output/ differs from a fresh build")
    _common(check_parser, out=True)
    check_parser.set_defaults(run=cmd_check)

    for register in EXTRA_COMMANDS:
        register(commands)
    return main_parser


#: The modules of the other commands; each offers ``register(subparsers)`` and imports its stage only when run.
COMMAND_MODULES = ("build_tools.commands.verify", "build_tools.commands.new", "build_tools.commands.watch",
                   "build_tools.commands.diff")


def _extra_commands() -> list:
    import importlib

    return [importlib.import_module(name).register for name in COMMAND_MODULES]


EXTRA_COMMANDS: list = []


def main(argv: list[str] | None = None) -> int:
    EXTRA_COMMANDS[:] = _extra_commands()
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        _print_findings(exc.findings)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
