"""Measure what a user waits for before dicomsup does anything: cold start-up against ``import pydicom``.

Run on demand (not part of the test suite)::

    python benchmarks/bench_startup.py                   # 7 runs of each command, spec/dermoscopy
    python benchmarks/bench_startup.py --runs 11 --build-only docbook,html,examples
    python benchmarks/bench_startup.py --no-build        # start-up and lint only (the build takes a while)

Each run is a fresh interpreter, as a user starts ``dicomsup``; the commands take turns within each round, so a
busy machine slows all of them alike. The yardstick is ``python -c "import pydicom"``: medians are printed side by
side with their ratio to it (target: a cold lint within 3x). Then, in this process, the two choices the start-up
rests on: the baseline's JSON against compiled forms of it (marshal, and marshal checked to hold plain data only,
which a cache would have to be), and YAML read through libyaml against the pure-Python loader.
"""

from __future__ import annotations

import argparse
import compileall
import json
import marshal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: ``lint`` with the libyaml path switched off: what the YAML costs without it.
PURE_YAML = ("import sys; import build_tools.load.yamlsafe as y; y.FAST_LOADER = None; "
             "from build_tools.commands.main import main; sys.exit(main(sys.argv[1:]))")


def once(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def best_of(step: Callable[[], object], runs: int) -> float:
    """The median of ``runs`` timings of ``step`` in this process, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def cold(args: argparse.Namespace, out: Path) -> None:
    python = sys.executable
    spec = str(Path(args.spec))
    commands: dict[str, list[str]] = {
        'python -c "pass"': [python, "-c", "pass"],
        'python -c "import pydicom"': [python, "-c", "import pydicom"],
        "dicomsup --version": [python, "-m", "build_tools", "--version"],
        "dicomsup --help": [python, "-m", "build_tools", "--help"],
        f"dicomsup lint {spec}": [python, "-m", "build_tools", "lint", spec],
        "  the same, pure-Python YAML": [python, "-c", PURE_YAML, "lint", spec],
    }
    if args.build:
        build = [python, "-m", "build_tools", "build", spec, "--out", str(out), "-q"]
        label = f"dicomsup build {spec}"
        if args.build_only:
            build += ["--only", args.build_only]
            label += f" ({len(args.build_only.split(','))} outputs)"
        commands[label] = build
    for command in commands.values():  # warm the file cache and the byte-code caches once
        once(command)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, command in commands.items():
            times[label].append(once(command))
    medians = {label: statistics.median(found) for label, found in times.items()}
    yardstick = medians['python -c "import pydicom"']
    width = max(map(len, medians)) + 2
    print(f"cold start, median of {args.runs} fresh interpreters each (ratio: to import pydicom)")
    for label, seconds in medians.items():
        print(f"  {label:<{width}} {seconds * 1000:8.0f} ms  {seconds / yardstick:6.2f}x")
    lint = medians[f"dicomsup lint {spec}"] / yardstick
    print(f"  cold lint is {lint:.2f}x import pydicom: {'within' if lint <= 3 else 'NOT within'} the 3x target")


def baseline_forms(runs: int) -> None:
    """json.loads of each baseline file against marshal.loads of the same data, bare and checked."""
    from build_tools.standard import store

    encoder = json.JSONEncoder(check_circular=False)  # C-speed proof that the data is plain (no code, no bytes)
    print(f"\nbaseline files: parse time, median of {runs} (ratio: to json.loads)")
    print(f"  {'file':<24} {'bytes':>9} {'json.loads':>11} {'marshal':>14} {'marshal+check':>20}")
    totals = [0.0, 0.0, 0.0]
    for name in store.FILES:
        raw = store.path_of(name).read_bytes()
        compiled = marshal.dumps(json.loads(raw))
        plain = best_of(lambda: json.loads(raw), runs)
        bare = best_of(lambda: marshal.loads(compiled), runs)
        checked = best_of(lambda: encoder.encode(marshal.loads(compiled)), runs)
        for i, value in enumerate((plain, bare, checked)):
            totals[i] += value
        print(f"  {name:<24} {len(raw):>9} {plain:>8.1f} ms {bare:>8.1f} ms {bare / plain:4.2f}x "
              f"{checked:>8.1f} ms {checked / plain:5.2f}x")
    plain, bare, checked = totals
    print(f"  {'all three':<24} {'':>9} {plain:>8.1f} ms {bare:>8.1f} ms {bare / plain:4.2f}x "
          f"{checked:>8.1f} ms {checked / plain:5.2f}x")
    print("  (a cache must be checked before use: marshal.loads is not safe on hostile data, so 'marshal+check' is "
          "the cache's cost)")


def yaml_paths(spec: Path, runs: int) -> None:
    from build_tools.load import yamlsafe

    files = sorted(spec.glob("*.yaml"))
    fast = yamlsafe.FAST_LOADER
    if fast is None:
        print("\nYAML: PyYAML has no libyaml here; only the pure-Python loader")
        return

    def read_all() -> None:
        for path in files:
            yamlsafe.read_yaml(path)

    with_c = best_of(read_all, runs)
    yamlsafe.FAST_LOADER = None
    try:
        pure = best_of(read_all, runs)
    finally:
        yamlsafe.FAST_LOADER = fast
    taken = sum(yamlsafe._compose_fast(p.read_text(encoding="utf-8")) is not yamlsafe._UNDECIDED for p in files)
    print(f"\nYAML of {spec} ({len(files)} files, {taken} through libyaml): read_yaml, median of {runs}")
    print(f"  pure Python {pure:8.1f} ms\n  libyaml     {with_c:8.1f} ms  {with_c / pure:5.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="spec/dermoscopy", help="supplement folder (default: spec/dermoscopy)")
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per command (default: 7)")
    parser.add_argument("--no-build", dest="build", action="store_false", help="leave out the cold build")
    parser.add_argument("--build-only", metavar="NAME[,NAME]", help="the build's --only (default: every output)")
    args = parser.parse_args(argv)
    # As an installed wheel has it (pip compiles it): with PYTHONDONTWRITEBYTECODE set, every run would compile
    # the package's changed sources again, which is not what a user waits for.
    compileall.compile_dir(str(ROOT / "build_tools"), quiet=1)
    if not (ROOT / args.spec / "supplement.yaml").is_file() and not (Path(args.spec) / "supplement.yaml").is_file():
        print(f"{args.spec}: not a supplement folder (no supplement.yaml)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dicomsup-bench-") as tmp:
        cold(args, Path(tmp) / "output")
    baseline_forms(max(args.runs, 9))
    yaml_paths(ROOT / args.spec if not Path(args.spec).is_absolute() else Path(args.spec), max(args.runs, 9))
    return 0


if __name__ == "__main__":
    sys.exit(main())
