"""The ``dicomsup`` command: lint, build and check the supplements of ``spec/``.

Exit codes: 0 when all is well, 1 when findings (errors, or warnings with ``--strict``) or stale outputs were
found, 2 for a usage error or input that cannot be read.

Findings are printed one a line on stdout, each with its stable code (``--select`` and ``--ignore`` choose them by
code, ``--format`` prints them as text, JSON or GitHub annotations); the summary comes last, on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from build_tools import __version__
from build_tools.commands import findings as printing
from build_tools.core.errors import InputError, relative
from build_tools.core.selection import SPEC_CODES

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _folders(args: argparse.Namespace) -> list[Path]:
    """The supplement folders named on the command line (names or paths), or every one under --spec."""
    from build_tools.load.folders import discover

    spec_root = Path(args.spec)
    if not args.supplements:
        found = discover(spec_root)
        if not found:
            raise InputError([_finding(spec_root, "holds no supplement folder (a folder with supplement.yaml)",
                                       "DS012")])
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
                                                 f"as {relative(spec_root)}/<name>/{hint}", "DS010")])
        folders.append(path)
    return folders


def _finding(path: Path, message: str, code: str):
    from build_tools.core.errors import Finding, Loc

    return Finding(Loc(relative(path)), message, code=code)


def _print_findings(findings) -> None:
    """Findings as build prints them: as lint does, on stdout (build has no --format)."""
    printing.print_findings(findings)


def _summary(findings) -> str:
    return printing.summary(findings)


def say_baseline() -> None:
    """Name the edition of the standard the command checked against (on stderr, before the summary)."""
    from build_tools.standard import baseline

    print(baseline.describe(), file=sys.stderr)


def cmd_lint(args: argparse.Namespace) -> int:
    from build_tools.build import lint

    choice = printing.selection(args)
    shown: list = []
    summaries = []
    for folder in _folders(args):
        _supplement, findings = lint(folder)
        kept, hidden = printing.chosen(findings, choice)
        printing.print_findings(kept, args.format)
        shown.extend(kept)
        summaries.append(f"{relative(folder)}: {printing.summary(kept, hidden)}")
    say_baseline()
    for line in summaries:
        print(line, file=sys.stderr)
    return EXIT_FINDINGS if printing.failing(shown, args.strict) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from build_tools.build import build_all

    out_root = Path(args.out)
    report = build_all(_folders(args), out_root, vars(args))
    _print_findings(report.findings)
    say_baseline()
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
    shown, hidden = printing.chosen(report.findings, printing.selection(args))
    printing.print_findings(shown, args.format)
    for line in problems:
        print(line, file=sys.stderr)
    say_baseline()
    if report.errors or printing.failing(shown, args.strict):
        # Errors stop the build even when they are not selected: the outputs could not be compared.
        blocked = "" if printing.failing(shown, args.strict) else "; errors not selected stop the build (dicomsup lint)"
        print(f"check: {printing.summary(shown, hidden)}{blocked}", file=sys.stderr)
        return EXIT_FINDINGS
    if problems:
        print(f"check: {len(problems)} output file(s) differ from a fresh build; run dicomsup build",
              file=sys.stderr)
        return EXIT_FINDINGS
    print(f"check: {relative(out_root)} is up to date ({printing.summary(shown, hidden)})", file=sys.stderr)
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


#: The epilog of build and check, replaced by the list of outputs when the help is shown (see _OutputsHelp).
OUTPUTS_EPILOG = "{outputs}"


class _OutputsHelp(argparse.RawDescriptionHelpFormatter):
    """Ends the help with the registered outputs; the registry (every output module) is imported only then."""

    def add_text(self, text: str | None) -> None:
        if text == OUTPUTS_EPILOG:
            from build_tools.outputs.registry import OUTPUTS

            root = {"supplement": "output/<name>/", "project": "output/"}
            folders: dict[str, list[str]] = {}
            for o in OUTPUTS:
                folders.setdefault(f"{root[o.scope]}{o.folder}/", []).append(f"    {o.name:<20} {o.summary}")
            text = "outputs, by folder (--only builds the outputs of a folder together):\n" + "\n".join(
                f"  {folder}\n" + "\n".join(lines) for folder, lines in folders.items())
        super().add_text(text)


def _only(text: str) -> list[str]:
    """``--only docbook,html``: the names, checked against the registry (argparse reports an unknown one)."""
    from build_tools.outputs.registry import parse_names

    try:
        return parse_names(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="dicomsup", description=__doc__.splitlines()[0])
    main_parser.add_argument("--version", action="version", version=f"dicomsup {__version__}")
    commands = main_parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    lint_parser = commands.add_parser("lint", help="check the spec and report errors and warnings")
    _common(lint_parser)
    printing.add_options(lint_parser, SPEC_CODES)
    lint_parser.set_defaults(run=cmd_lint)

    build_parser = commands.add_parser("build", help="lint, then write every output into output/<name>/",
                                       epilog=OUTPUTS_EPILOG, formatter_class=_OutputsHelp)
    _common(build_parser, out=True)
    build_parser.add_argument("--only", metavar="NAME[,NAME]", type=_only,
                              help="build only these outputs (listed below); every other folder stays as it is")
    build_parser.set_defaults(run=cmd_build)

    check_parser = commands.add_parser("check", help="lint, then fail when output/ differs from a fresh build",
                                       epilog=OUTPUTS_EPILOG, formatter_class=_OutputsHelp)
    _common(check_parser, out=True)
    printing.add_options(check_parser, SPEC_CODES)
    check_parser.set_defaults(run=cmd_check)

    registers = {register.__module__: register for register in EXTRA_COMMANDS}
    for name, (module, summary) in COMMAND_MODULES.items():
        register = registers.pop(module, None)
        if register is not None:
            register(commands)
        else:  # not the command being run: listed by --help with its summary, its module left unimported
            commands.add_parser(name, help=summary)
    for register in registers.values():  # one given directly (not listed in COMMAND_MODULES)
        register(commands)
    return main_parser


#: The other commands: name -> (module offering ``register(subparsers)``, the summary ``dicomsup --help`` shows).
#: A module is imported only when its command runs (or its own --help is asked for), so that ``--version``,
#: ``--help`` and ``lint`` never import what verify, watch or baseline need (pydicom, jinja2, lxml …). A new
#: command is one line here; tests/commands/test_startup.py checks each summary against the module's own.
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "verify": ("build_tools.commands.verify", "check DICOM files against an IOD of a supplement"),
    "new": ("build_tools.commands.new", "start a new supplement folder that builds at once"),
    "watch": ("build_tools.commands.watch", "rebuild on every change and serve the HTML with live reload"),
    "diff": ("build_tools.commands.diff", "list the semantic changes between two drafts (git revisions or folders)"),
    "baseline": ("build_tools.commands.baseline", "browse the standard's modules, macros, IODs and attributes"),
    "merge": ("build_tools.commands.merge",
              "apply a supplement to the standard's DocBook parts (merged and with-changes copies)"),
}


def _extra_commands(names: Iterable[str] | None = None) -> list[Callable]:
    """The ``register`` functions of the commands ``names`` (default: every one, as the CLI reference needs)."""
    import importlib

    wanted = COMMAND_MODULES if names is None else [n for n in names if n in COMMAND_MODULES]
    return [importlib.import_module(COMMAND_MODULES[name][0]).register for name in wanted]


def _command_of(argv: list[str]) -> str | None:
    """The command named in ``argv``: its first word that is not an option (the top level's options take no
    value), or None (``--version``, ``--help``, nothing)."""
    return next((word for word in argv if not word.startswith("-")), None)


#: The ``register`` functions :func:`parser` calls (their commands get their full options); the other commands of
#: COMMAND_MODULES are only listed. ``EXTRA_COMMANDS[:] = _extra_commands()`` gives the full parser (the docs).
EXTRA_COMMANDS: list[Callable] = []


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    EXTRA_COMMANDS[:] = _extra_commands([name] if (name := _command_of(words)) else [])
    args = parser().parse_args(words)
    args.own_process = argv is None  # started for this command (not called from a test or a program's code)
    try:
        return args.run(args)
    except InputError as exc:
        printing.print_input_error(args, exc.findings)
        return EXIT_INPUT
    except OSError as exc:  # a path the system refuses (too long, not a folder, …): the user's input, one line
        shown = str(exc.filename or "")
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        print(f"dicomsup {args.command}: error: {shown + ': ' if shown else ''}{exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
