"""Measure how build time grows with the size of a supplement: a synthetic one at 1x, 10x and 50x.

Run on demand (not part of the test suite)::

    python benchmarks/bench_scale.py                     # 1x 10x 50x, 3 runs each, every output but pdf
    python benchmarks/bench_scale.py --scales 1,5,20 --runs 5 --only docbook,html
    python benchmarks/bench_scale.py --only all          # the PDF too (slow: the engine lays out every page)

The synthetic supplement is generated into a temporary folder, from scratch, after the pattern of
``tests/fixtures/minimal``: at scale N it has N IODs, each with its own new module (two attributes, one of them
conditional, Enumerated Values and an attribute description), N new data elements, N Storage SOP Classes and their
UIDs, N DCM codes, N context groups and N example instances. Each run is a fresh interpreter
(``python -m build_tools build``), so each includes the start-up. Prints the median time of each scale, the
ratio of time to the 1x time next to the ratio of size, the cost of each added unit between two scales and
whether growth is linear (the cost of an added unit between the last two scales at most 1.5x that between the
first two), then each output's median time at each scale (as the build reports it), so an output that grows
faster than the supplement stands out.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_tools.standard import baseline  # noqa: E402  (pydicom's tables, to choose free tags and UIDs)

UID_ROOT = "1.2.840.10008.5.1.4.1.1.77.1"


def letters(number: int) -> str:
    """1 -> "Aa", 2 -> "Ab" …: a name part without digits (keywords are derived from names)."""
    first, second = divmod(number, 26)
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[first % 26] + "abcdefghijklmnopqrstuvwxyz"[second]


def free_tags(count: int) -> list[int]:
    """``count`` tags of group 0016 that PS3.6 does not use."""
    known = baseline.dictionary()
    found, element = [], 0x1100
    while len(found) < count:
        if 0x00160000 | element not in known:
            found.append(0x00160000 | element)
        element += 1
    return found


def free_uids(count: int) -> list[str]:
    known = baseline.uid_dictionary()
    found, number = [], 1000
    while len(found) < count:
        if f"{UID_ROOT}.{number}" not in known:
            found.append(f"{UID_ROOT}.{number}")
        number += 1
    return found


def synthetic(folder: Path, scale: int) -> None:
    """Write the supplement of scale ``scale`` into ``folder`` (supplement.yaml and content.yaml)."""
    folder.mkdir(parents=True)
    parts = [letters(i) for i in range(1, scale + 1)]
    tags, uids = free_tags(scale), free_uids(scale)
    (folder / "supplement.yaml").write_text(f"""number: 9998
title: Synthetic Markers
working_group: WG-19 Dermatologic Standards
status: Draft
version: "0.1"
date: "2026-11-25"
parts: [PS3.3, PS3.4, PS3.6, PS3.16]
scope: |
  This Supplement adds {scale} synthetic IODs, the first being the {{iod:Marker {parts[0]} Image}}, for timing.
history:
  - version: "0.1"
    date: "2026-11-25"
    status: Draft
    summary: First draft.
""", encoding="utf-8")
    iods, modules, sops, elements, uid_rows, codes, groups, examples = ([] for _ in range(8))
    for i, (part, tag, uid) in enumerate(zip(parts, tags, uids), start=1):
        keyword = f"Marker{part}Color"
        iods.append(f"""  - name: Marker {part} Image
    section: A.32.{100 + i}
    description: An image of a skin lesion with marker {part} of known color.
    modules:
      - {{ie: Patient, module: Patient, usage: M}}
      - {{ie: Study, module: General Study, usage: M}}
      - {{ie: Series, module: General Series, usage: M}}
      - {{ie: Equipment, module: General Equipment, usage: M}}
      - {{ie: Image, module: General Image, usage: M}}
      - {{ie: Image, module: Image Pixel, usage: M}}
      - {{ie: Image, module: Marker {part}, usage: M}}
      - {{ie: Image, module: SOP Common, usage: M}}
""")
        modules.append(f"""  - name: Marker {part}
    section: C.8.12.{100 + i}
    description: The attributes of marker {part}, placed beside the lesion.
    attributes:
      - attribute: {keyword}
        type: "1"
        description: The color of the marker.
        enumerated_values:
          - {{value: RED, meaning: A red marker.}}
          - {{value: BLUE, meaning: A blue marker.}}
      - attribute: TrackingID
        type: 1C
        description: A label of the lesion.
        condition: {{attribute: {keyword}, equals: RED}}
    attribute_descriptions:
      - title: Marker {part} Color
        body: |
          The color is chosen to contrast with the skin; see {{de:{keyword}}}.
""")
        sops.append(f"  - {{uid: Marker{part}ImageStorage, iod: Marker {part} Image}}\n")
        elements.append(f'  - {{tag: "({tag >> 16:04X},{tag & 0xFFFF:04X})", name: Marker {part} Color, vr: CS, '
                        'vm: "1"}\n')
        uid_rows.append(f"  - {{value: {uid}, name: Marker {part} Image Storage, type: SOP Class, part: PS3.4}}\n")
        codes.append(f"  - {{scheme: DCM, value: SYN{i:04d}, meaning: Marker {part}, definition: Synthetic marker "
                     f"{part} placed beside a skin lesion.}}\n")
        groups.append(f"""  - cid: {9900 + i}
    name: Marker {part} Types
    version: "20261125"
    rows:
      - {{scheme: DCM, value: SYN{i:04d}}}
      - {{scheme: SCT, value: "24028007", meaning: Right}}
""")
        examples.append(f"""  - name: marker-{part.lower()}
    title: Marker {part}, red
    iod: Marker {part} Image
    values: {{{keyword}: RED, TrackingID: L{i}}}
""")
    sections = {"iods": iods, "modules": modules, "sop_classes": sops, "data_elements": elements, "uids": uid_rows,
                "codes": codes, "context_groups": groups, "examples": examples}
    (folder / "content.yaml").write_text("".join(f"{key}:\n{''.join(rows)}\n" for key, rows in sections.items()),
                                         encoding="utf-8")


def once(command: list[str], cwd: Path) -> tuple[float, dict[str, float]]:
    """The wall time of ``command`` and the time of each output as the build printed it (in seconds)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    outputs = {}
    for line in done.stderr.splitlines():
        found = re.fullmatch(r"\s+(?:[^/\s]+/)?(\S+)\s+(\d+) ms", line)
        if found:
            outputs[found.group(1)] = int(found.group(2)) / 1000
    return seconds, outputs


def median_run(command: list[str], cwd: Path, runs: int) -> tuple[float, dict[str, float]]:
    results = [once(command, cwd) for _ in range(runs)]
    names = results[0][1]
    return (statistics.median(r[0] for r in results),
            {name: statistics.median(r[1].get(name, 0.0) for r in results) for name in names})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,50", help="sizes to build, comma-separated (default: 1,10,50)")
    parser.add_argument("--runs", type=int, default=3, help="fresh builds per scale (default: 3)")
    parser.add_argument("--only", default="docbook,html,docx,examples,pydicom,dcmtk,json,innolitics,"
                                          "dictionaries-readme,schema",
                        help="outputs to build (default: every one but pdf; 'all' for every one)")
    args = parser.parse_args(argv)
    scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if len(scales) < 2 or scales[0] < 1:
        print("--scales: two or more positive whole numbers, e.g. 1,10,50", file=sys.stderr)
        return 2
    only = [] if args.only == "all" else ["--only", args.only]
    python = sys.executable
    medians: dict[int, float] = {}
    outputs: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="dicomsup-scale-") as tmp:
        spec = Path(tmp) / "spec"
        for scale in scales:
            synthetic(spec / f"scale{scale}", scale)
        for scale in scales:
            command = [python, "-m", "build_tools", "build", f"scale{scale}", "--spec", str(spec),
                       "--out", str(Path(tmp) / f"out{scale}"), *only]
            once(command, Path(tmp))  # warm: byte-code caches, fonts, the first write of the output folder
            medians[scale], outputs[scale] = median_run(command, Path(tmp), args.runs)
    base = scales[0]
    print(f"build of a synthetic supplement, median of {args.runs} fresh builds "
          f"({'every output' if not only else args.only})")
    print(f"  {'scale':>6} {'time':>10} {'time ratio':>11} {'size ratio':>11} {'ms per added unit':>18}")
    slopes = []
    for before, scale in zip([None, *scales], scales):
        slope = "" if before is None else (medians[scale] - medians[before]) / (scale - before)
        if before is not None:
            slopes.append(slope)
        print(f"  {scale:>5}x {medians[scale] * 1000:>7.0f} ms {medians[scale] / medians[base]:>10.2f}x "
              f"{scale / base:>10.0f}x {'' if slope == '' else f'{slope * 1000:>15.0f} ms':>18}")
    growth = slopes[-1] / slopes[0] if slopes[0] > 0 else float("inf")
    fixed = medians[base] - slopes[0] * base
    print(f"  fixed cost (start-up, baseline, templates) about {fixed * 1000:.0f} ms; the cost of one more unit "
          f"grows {growth:.2f}x from the first step to the last: "
          f"{'linear' if growth <= 1.5 else 'WORSE than linear'} growth (linear: at most 1.5x)")
    names = sorted({n for found in outputs.values() for n in found}, key=lambda n: -outputs[scales[-1]].get(n, 0))
    print(f"\n  each output, median ms: {'':<12}" + "".join(f"{f'{s}x':>9}" for s in scales)
          + f"{'last/first per unit':>21}")
    for name in names:
        row = [outputs[s].get(name, 0.0) for s in scales]
        per_unit = (row[-1] / scales[-1]) / (row[0] / scales[0]) if row[0] else float("nan")
        print(f"    {name:<34}" + "".join(f"{value * 1000:>9.0f}" for value in row) + f"{per_unit:>20.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
