"""Run by ``test_dcmtk_store.py``, inside a network namespace of its own when the system allows one
(``unshare -rn``: only a loopback interface exists there, so nothing outside can reach the SCP): DCMTK's
``storescp`` receives on 127.0.0.1 and ``storescu`` sends, both with the generated association profile.

Usage: ``python dcmtk_store.py PLAN_JSON``. Every wait has a deadline and ``storescp`` is always killed. Prints one
JSON object: the exit code and output of ``storescu``, the files ``storescp`` wrote, the seconds taken.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

plan = json.loads(sys.argv[1])
started = time.monotonic()
TIMEOUT = plan.get("timeout", 20)
if plan.get("namespace"):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=TIMEOUT)

with socket.socket() as probe:  # a free port on the loopback interface
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]

env = {**os.environ, "DCMDICTPATH": os.pathsep.join(plan["dictionaries"])}
os.makedirs(plan["received"], exist_ok=True)
scp_log = open(os.path.join(plan["received"], os.pardir, "storescp.log"), "w", encoding="utf-8")  # noqa: SIM115
scp = subprocess.Popen([plan["storescp"], "--output-directory", plan["received"], "-xf", plan["profile"],
                        plan["scp_profile"], "--acse-timeout", str(TIMEOUT), "--dimse-timeout", str(TIMEOUT),
                        str(port)], stdout=scp_log, stderr=subprocess.STDOUT, env=env)
result: dict[str, object] = {"port": port}
try:
    deadline = time.monotonic() + TIMEOUT
    while True:  # wait until storescp listens
        if scp.poll() is not None:
            raise SystemExit(f"storescp ended at once (exit {scp.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("storescp did not listen in time")
            time.sleep(0.05)
    profile = ["-xf", plan["profile"], plan["scu_profile"]] if plan["scu_profile"] else []  # none: the control
    scu = subprocess.run([plan["storescu"], *profile, "--timeout", str(TIMEOUT),
                          "--acse-timeout", str(TIMEOUT), "--dimse-timeout", str(TIMEOUT), "-aec", "DICOMSUPSCP",
                          "127.0.0.1", str(port), *plan["files"]],
                         capture_output=True, text=True, timeout=TIMEOUT * 3, env=env)
    result.update(storescu=scu.returncode, output=(scu.stdout + scu.stderr)[-4000:])
    time.sleep(0.2)  # storescp writes each file before it answers; this is only for the last close
finally:
    scp.kill()
    scp.wait(timeout=TIMEOUT)
    scp_log.close()
result["received"] = sorted(os.listdir(plan["received"]))
result["seconds"] = round(time.monotonic() - started, 2)
print(json.dumps(result))
