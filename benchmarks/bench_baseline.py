"""Measure what the baseline costs a cold ``dicomsup lint``: today's JSON baseline against the YAML catalog it replaced.

Run on demand (not part of the test suite)::

    python benchmarks/bench_baseline.py                  # spec/dermoscopy, 5 runs each
    python benchmarks/bench_baseline.py --runs 9 --spec spec/dermoscopy

Each run is a fresh interpreter (``python -m build_tools lint SPEC``), so imports and the first read of the
baseline are counted, as a user sees them; the two kinds of run alternate. "yaml" serves the 44-module catalog of 2024
(``tests/standard/fixtures/catalog-2024.yaml``, loaded through the YAML binder as ``catalog()`` used to) in place of
the JSON baseline; "json" is the package as it is. Then, in this process, the load alone: the YAML catalog, and
the JSON baseline read and built whole. Prints medians side by side and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CATALOG_2024 = ROOT / "tests" / "standard" / "fixtures" / "catalog-2024.yaml"

#: A lint whose baseline is the 2024 YAML catalog, loaded as ``baseline.catalog()`` loaded it before.
YAML_LINT = f"""
import sys
from functools import cache
from pathlib import Path
from build_tools.standard import baseline

@cache
def catalog():
    from build_tools.core.model import Catalog
    from build_tools.load.loader import load_yaml_file
    return load_yaml_file(Path({str(CATALOG_2024)!r}), Catalog, [])

@cache
def by_name():
    return {{m.name: m for m in catalog().modules}}

baseline.catalog = catalog
baseline.module = lambda name: by_name().get(name)
baseline.has_module = lambda name: name in by_name()
baseline.module_names = lambda: tuple(by_name())
from build_tools.commands.main import main
sys.exit(main(sys.argv[1:]))
"""


def once(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return time.perf_counter() - started


def cold(before: list[str], after: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Both commands, alternately, so that a change in the machine's load affects both alike."""
    pairs = [(once(before), once(after)) for _ in range(runs)]
    return [a for a, _ in pairs], [b for _, b in pairs]


def load_yaml() -> None:
    from build_tools.core.model import Catalog
    from build_tools.load.loader import load_yaml_file

    load_yaml_file(CATALOG_2024, Catalog, [])


def load_json() -> None:
    from build_tools.standard import baseline, store

    for cached in (store.read, store.raw_modules, store.served_names, store._converter):
        cached.cache_clear()
    store._modules.clear()
    baseline.catalog.cache_clear()
    baseline.catalog()


def warm(step, runs: int) -> list[float]:
    step()  # imports
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="spec/dermoscopy", help="supplement folder (default: spec/dermoscopy)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default: 5)")
    args = parser.parse_args(argv)
    lint = ["lint", args.spec]
    yaml_times, json_times = cold([sys.executable, "-c", YAML_LINT, *lint],
                                  [sys.executable, "-m", "build_tools", *lint], args.runs)
    rows = [
        ("cold lint, 2024 YAML catalog (44 modules)", yaml_times),
        ("cold lint, JSON baseline (whole standard)", json_times),
        ("load only, 2024 YAML catalog", warm(load_yaml, args.runs)),
        ("load only, JSON baseline, every module built", warm(load_json, args.runs)),
    ]
    print(f"{'step':<48} {'median':>9} {'min':>9} {'max':>9}   ({args.runs} runs)")
    for name, times in rows:
        print(f"{name:<48} {statistics.median(times) * 1000:7.0f} ms {min(times) * 1000:6.0f} ms "
              f"{max(times) * 1000:6.0f} ms")
    for (before, old), (after, new) in (rows[0:2], rows[2:4]):
        print(f"ratio {after.split(',', 1)[1].strip()} / {before.split(',', 1)[1].strip()}: "
              f"{statistics.median(new) / statistics.median(old):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
