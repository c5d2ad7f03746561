"""Measure how long dicomsup takes on a real supplement: lint, a full rebuild, and a watch-mode cycle.

Run on demand (not part of the test suite)::

    python benchmarks/bench_build.py                 # spec/dermoscopy, 10 runs
    python benchmarks/bench_build.py --runs 30 --spec spec/dermoscopy

Prints the median, minimum and maximum wall time of each step, and the median of each generator. Everything is
written into a temporary folder; the committed output/ is never touched.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.build import build_all, lint  # noqa: E402
from build_tools.watch import Watch, snapshot  # noqa: E402


def measure(step: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def touch(path: Path) -> None:
    """Change a file's modification time as an editor's save does (content unchanged)."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=str(ROOT / "spec" / "dermoscopy"), help="supplement folder")
    parser.add_argument("--runs", type=int, default=10, help="runs per step (default: 10)")
    args = parser.parse_args(argv)
    folder = Path(args.spec)
    if not (folder / "supplement.yaml").is_file():
        print(f"{folder}: not a supplement folder (no supplement.yaml)", file=sys.stderr)
        return 2

    _supplement, findings = lint(folder)  # warm up: imports, baseline catalog, pydicom dictionaries
    errors = [f for f in findings if f.severity.value == "error"]
    if errors:
        print(f"{folder}: has {len(errors)} error(s); fix them first (dicomsup lint)", file=sys.stderr)
        return 1

    rows: list[tuple[str, list[float]]] = []
    generators: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="dicomsup-bench-") as tmp:
        out = Path(tmp) / "output"
        build_all([folder], out)  # warm up the generators' templates and caches

        rows.append(("lint", measure(lambda: lint(folder), args.runs)))

        def full_build() -> None:
            report = build_all([folder], out)
            for name, seconds in report.timings.items():
                generators[name].append(seconds)

        rows.append(("full rebuild (build_all)", measure(full_build, args.runs)))

        watch = Watch(folder, Path(tmp) / "watch-out", watched=[folder.parent, ROOT / "templates"],
                      stream=io.StringIO())
        watch.seen = snapshot(watch.watched)
        rows.append(("watch: poll, nothing changed", measure(watch.poll, args.runs)))

        def watch_cycle() -> None:
            touch(folder / "supplement.yaml")
            if not watch.poll():
                raise RuntimeError("the watch did not see the change")

        rows.append(("watch: change seen + rebuilt", measure(watch_cycle, args.runs)))

    print(f"{folder} — {args.runs} runs each, Python {sys.version.split()[0]}")
    print(f"{'step':<34} {'median ms':>10} {'min ms':>10} {'max ms':>10}")
    for name, times in rows:
        print(f"{name:<34} {statistics.median(times) * 1000:10.1f} {min(times) * 1000:10.1f} "
              f"{max(times) * 1000:10.1f}")
    if generators:
        print(f"\n{'generator (inside the full rebuild)':<34} {'median ms':>10} {'min ms':>10}")
        for name, times in sorted(generators.items()):
            print(f"{name:<34} {statistics.median(times) * 1000:10.1f} {min(times) * 1000:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
