"""Loading is lazy: importing the package (and every stage that uses the baseline) reads no baseline file; a
lookup reads only the file it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Records every baseline file opened, through an audit hook installed before anything is imported.
PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and "baseline" in str(args[0])
                 and str(args[0]).endswith(".json") else None)
import build_tools.standard, build_tools.standard.baseline, build_tools.standard.index
import build_tools.check.rules, build_tools.build, build_tools.commands.baseline
after_import = list(opened)
from build_tools.standard import baseline
baseline.module("Synchronization")
after_module = list(opened)
baseline.iod("VL Whole Slide Microscopy Image")
print(json.dumps([after_import, after_module, list(opened)]))
"""


def test_importing_reads_no_baseline_file_and_a_lookup_reads_only_its_file():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    after_import, after_module, after_iod = json.loads(done.stdout.strip().splitlines()[-1])
    assert after_import == []
    assert [Path(p).name for p in after_module] == ["baseline-modules.json"]
    assert [Path(p).name for p in after_iod] == ["baseline-modules.json", "baseline-iods.json"]


def test_the_data_files_are_compact_json_of_the_current_format():
    data = ROOT / "build_tools" / "standard" / "data"
    for name in ("baseline.json", "baseline-modules.json", "baseline-iods.json"):
        text = (data / name).read_text(encoding="utf-8")
        parsed = json.loads(text)
        assert parsed["format"] == 1
        assert text == json.dumps(parsed, ensure_ascii=False, separators=(",", ":")) + "\n"  # no indentation
