"""``dicomsup watch``: rebuild a supplement on every change and serve its HTML (see :mod:`build_tools.watch`)."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from build_tools.load.folders import discover
from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.core.resources import templates
from build_tools.watch import Watch

EXIT_OK, EXIT_INPUT = 0, 2


def _folder(args: argparse.Namespace) -> Path:
    spec_root = Path(args.spec)
    if args.supplement:
        path = Path(args.supplement)
        if not path.is_dir() and (spec_root / args.supplement).is_dir():
            path = spec_root / args.supplement
        if not (path / "supplement.yaml").is_file():
            raise InputError([Finding(Loc(relative(path)), "is not a supplement folder (no supplement.yaml); "
                                                            "name a folder under --spec")])
        return path
    found = discover(spec_root)
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise InputError([Finding(Loc(relative(spec_root)), f"holds {len(found)} supplements ({names}); "
                                                             "name the one to watch: dicomsup watch NAME")])
    return found[0]


def _port(text: str) -> int:
    """A TCP port for ``--port``: 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number; expected 0 (any free port) to 65535")
    return port


def _interval(text: str) -> float:
    """Seconds between polls for ``--interval``: above 0 and at most an hour."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < seconds <= 3600:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{text} is not a polling interval; expected seconds above 0, e.g. 0.3")
    return seconds


def _stop_on_sigterm() -> None:
    """Let SIGTERM end ``watch`` as Ctrl-C does, so the temporary build folder is removed."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def cmd_watch(args: argparse.Namespace) -> int:
    folder = _folder(args)
    _stop_on_sigterm()
    temporary = args.out is None
    out_root = Path(tempfile.mkdtemp(prefix="dicomsup-watch-")) if temporary else Path(args.out)
    watch = Watch(folder, out_root, port=args.port, watched=[Path(args.spec), templates()])
    stop = threading.Event()
    try:
        try:
            url = watch.start()
        except OSError as exc:
            print(f"dicomsup watch: error: cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}; "
                  "choose another --port (0 picks a free one)", file=sys.stderr)
            return EXIT_INPUT
        where = relative(out_root) + (" (temporary)" if temporary else "")
        watch.say(f"serving {url} ; building into {where}; watching {relative(Path(args.spec))} and "
                  f"{relative(templates())}; Ctrl-C stops")
        watch.run(stop, args.interval)
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        watch.say("stopped")
    finally:
        stop.set()
        watch.close()
        if temporary:
            shutil.rmtree(out_root, ignore_errors=True)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dicomsup watch`` to the command line."""
    parser = subparsers.add_parser(
        "watch", help="rebuild on every change and serve the HTML with live reload",
        description="Build SUPPLEMENT, serve it on http://127.0.0.1:PORT/ and rebuild whenever a file under "
                    "--spec or templates/ changes; open pages reload by themselves, and lint errors are shown in "
                    "the page and in the terminal. Builds go into a temporary folder unless --out is given. "
                    "Ctrl-C stops.")
    parser.add_argument("supplement", nargs="?", metavar="SUPPLEMENT",
                        help="supplement name under --spec, or its folder (default: the only one)")
    parser.add_argument("--spec", default="spec", help="folder of supplements (default: spec)")
    parser.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free)")
    parser.add_argument("--out", default=None,
                        help="build into this folder instead of a temporary one (never the committed output/ "
                             "unless named here)")
    parser.add_argument("--interval", type=_interval, default=0.3, help="seconds between polls (default: 0.3)")
    parser.set_defaults(run=cmd_watch)
