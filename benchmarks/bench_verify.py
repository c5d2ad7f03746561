"""``dicomsup verify`` against dciodvfy (dicom3tools), side by side in one run, at 100 and 1000 files.

Run on demand (not part of the test suite)::

    python benchmarks/bench_verify.py                  # 100 and 1000 files, 5 runs each
    python benchmarks/bench_verify.py --sizes 100 1000 10000 --runs 3

The files are copies of the committed examples (output/dermoscopy/examples/*.dcm) in a temporary folder. Each
contender is a fresh process (cold start included, as a user runs it), timed by wall clock; the table gives the
median of the runs, the time per file, the ratio to ``xargs -P2 dciodvfy`` and the CPU time (user + system of
every process, which a busy machine disturbs less than the wall clock):

- ``verify -j 1``: ``dicomsup verify -j 1 FILES`` (in one process);
- ``verify -j 2``: ``dicomsup verify -j 2 FILES`` (two worker processes);
- ``dciodvfy serial``: ``for f in FILES; do dciodvfy $f; done``, a process per file;
- ``xargs -P2 dciodvfy``: two dciodvfy processes at a time, a process per file;
- ``pydicom read, 2 procs``: the floor of any verifier that reads with pydicom: two Python processes, each importing
  pydicom as ``verify`` does (:mod:`build_tools.verify.lean`) and reading every other file with ``dcmread``, all
  its elements decoded, checking nothing.

Then it breaks down the fixed cost of ``verify`` on one file by the import time of each package
(``python -X importtime``, in verify and in the helper that loads the supplements meanwhile). Without dciodvfy
(Debian package dicom3tools) only verify is timed.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "output" / "dermoscopy" / "examples"
PYTHON = sys.executable


def copies(folder: Path, count: int) -> list[str]:
    """``count`` copies of the example files in ``folder`` (cycling through them), as paths."""
    sources = sorted(EXAMPLES.glob("*.dcm"))
    if not sources:
        raise SystemExit(f"{EXAMPLES}: no example files; run dicomsup build first")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        source = sources[number % len(sources)]
        target = folder / f"{number:06d}-{source.name}"
        if not target.exists():
            shutil.copyfile(source, target)
        paths.append(str(target))
    return paths


def timed(command: list[str] | str, *, shell: bool = False, stdin: str | None = None) -> float:
    return measured(command, shell=shell, stdin=stdin)[0]


def measured(command: list[str] | str, *, shell: bool = False, stdin: str | None = None) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system) of the command and every process it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, shell=shell, cwd=ROOT, input=stdin, text=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


#: One of the two processes of the ``pydicom read`` floor: argv[1] the list of files, argv[2] which half.
READ_ONLY = (
    "import sys\n"
    "from build_tools.verify.lean import import_pydicom_lean\n"
    "import_pydicom_lean()\n"
    "from pydicom import dcmread\n"
    "names = open(sys.argv[1]).read().split()[int(sys.argv[2])::2]\n"
    "for name in names:\n"
    "    for element in dcmread(name).iterall():\n"
    "        pass\n"
)


def contenders(paths: list[str], list_file: Path, have_dciodvfy: bool) -> dict[str, tuple]:
    verify = [PYTHON, "-m", "build_tools", "verify", "--files-from", str(list_file)]
    found = {"verify -j 1": (verify + ["-j", "1"], False, None),
             "verify -j 2": (verify + ["-j", "2"], False, None)}
    script = shlex.quote(READ_ONLY)
    found["pydicom read, 2 procs"] = (f"{shlex.quote(PYTHON)} -c {script} {list_file} 0 & "
                                      f"{shlex.quote(PYTHON)} -c {script} {list_file} 1 & wait", True, None)
    if have_dciodvfy:
        found["dciodvfy serial"] = (f'while read -r f; do dciodvfy "$f"; done < {list_file}', True, None)
        found["xargs -P2 dciodvfy"] = (f"xargs -P2 -n1 dciodvfy < {list_file}", True, None)
    return found


def bench(sizes: list[int], runs: int) -> None:
    have_dciodvfy = shutil.which("dciodvfy") is not None
    # As an installed wheel has it (pip compiles it): with PYTHONDONTWRITEBYTECODE set, every run would compile
    # the package's changed sources again, which is not what a user waits for.
    compileall.compile_dir(str(ROOT / "build_tools"), quiet=1)
    if not have_dciodvfy:
        print("dciodvfy not installed (apt-get install dicom3tools): timing verify alone\n")
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
        for size in sizes:
            paths = copies(Path(tmp) / "files", size)
            list_file = Path(tmp) / f"files-{size}.txt"
            list_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
            table = contenders(paths, list_file, have_dciodvfy)
            times: dict[str, list[float]] = {name: [] for name in table}
            cpu: dict[str, list[float]] = {name: [] for name in table}
            timed(table["verify -j 1"][0])  # warm the file cache and the byte code
            for _run in range(runs):  # interleaved, so that a busy moment of the machine hits every contender
                for name, (command, shell, stdin) in table.items():
                    wall, used = measured(command, shell=shell, stdin=stdin)
                    times[name].append(wall)
                    cpu[name].append(used)
            medians = {name: statistics.median(values) for name, values in times.items()}
            cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
            reference = medians.get("xargs -P2 dciodvfy")
            print(f"{size} files, median of {runs} runs (load average {os.getloadavg()[0]:.1f} on "
                  f"{os.cpu_count()} cores):")
            print(f"  {'contender':<20} {'seconds':>8} {'ms/file':>8} {'vs xargs -P2 dciodvfy':>22} "
                  f"{'CPU s':>7} {'CPU ms/file':>11}")
            for name, median in medians.items():
                ratio = f"{reference / median:.2f}x faster" if reference and median < reference else \
                    f"{median / reference:.2f}x slower" if reference else ""
                used = cpu_medians[name]
                print(f"  {name:<20} {median:>8.3f} {median / size * 1000:>8.2f} {ratio:>22} {used:>7.3f} "
                      f"{used / size * 1000:>11.2f}")
            print()
        fixed_cost(paths[0])


def fixed_cost(path: str) -> None:
    """Where the fixed cost of ``verify`` on one file goes: import time by top-level package, and the rest."""
    total = statistics.median(timed([PYTHON, "-m", "build_tools", "verify", "-j", "1", path]) for _ in range(5))
    bare = statistics.median(timed([PYTHON, "-c", "import pydicom"]) for _ in range(5))
    empty = statistics.median(timed([PYTHON, "-c", "pass"]) for _ in range(5))
    run = subprocess.run([PYTHON, "-X", "importtime", "-m", "build_tools", "verify", "-j", "1", path], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    by_package: dict[str, int] = {}
    for line in run.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            package = found.group(4).split(".")[0]
            by_package[package] = by_package.get(package, 0) + int(found.group(1))
    imports = sum(by_package.values()) / 1e6
    print(f"fixed cost of verify on one file: {total:.3f} s (python -c pass: {empty:.3f} s, python -c 'import "
          f"pydicom': {bare:.3f} s)")
    # Two processes import side by side: verify (the checker, pydicom) and its helper loading the supplements
    # (the loader, YAML), so the sum is CPU time, more than the wall clock it takes.
    print(f"  imports {imports:.3f} s of CPU (self time by package, -X importtime, of verify and of its helper "
          "that loads the supplements meanwhile):")
    for package, micros in sorted(by_package.items(), key=lambda item: -item[1])[:8]:
        print(f"    {package:<16} {micros / 1e6:.3f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="numbers of files")
    parser.add_argument("--runs", type=int, default=5, help="runs per contender and size (default: 5)")
    args = parser.parse_args(argv)
    bench(args.sizes, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
