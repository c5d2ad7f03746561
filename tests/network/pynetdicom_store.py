"""Run by ``test_pynetdicom_store.py`` in a fresh interpreter (so that no registration leaks into the test process):
a pynetdicom Storage SCP on 127.0.0.1, port chosen by the system, and an SCU that sends files to it.

Usage: ``python pynetdicom_store.py PLAN_JSON``; the plan names the generated package's folder and module (or none,
for the control run without registration), the SOP Class UIDs to negotiate and the files to send. Prints one JSON
object: per file the C-STORE status and whether the dataset received equals the dataset sent.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import threading
import time

plan = json.loads(sys.argv[1])
started = time.monotonic()
if plan["package_folder"]:
    sys.path.insert(0, plan["package_folder"])
    package = importlib.import_module(plan["module"])
else:
    package = None

from pydicom import dcmread
from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, build_context, evt
from pynetdicom.sop_class import uid_to_service_class

TIMEOUT = plan.get("timeout", 30)
logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(threadName)s %(message)s")
received: dict[str, object] = {}
lock = threading.Lock()


def on_store(event):
    dataset = event.dataset
    dataset.file_meta = event.file_meta
    with lock:
        received[str(dataset.SOPInstanceUID)] = dataset
    return 0x0000


def configure(ae: AE) -> None:
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = TIMEOUT
    ae.connection_timeout = TIMEOUT


result: dict[str, object] = {
    "registered": bool(package and package.registered_with_pynetdicom),
    "service_classes": {uid: uid_to_service_class(uid).__name__ for uid in plan["sop_classes"]},
    "files": {},
}
sent_files = {path: dcmread(path) for path in plan["files"]}
syntaxes = sorted({str(ds.file_meta.TransferSyntaxUID) for ds in sent_files.values()})
scp = AE(ae_title="DICOMSUPSCP")
configure(scp)
if package:  # the generated helper builds the contexts of the new SOP Classes
    scp.supported_contexts = package.storage_contexts(ALL_TRANSFER_SYNTAXES)
    requested = [context for syntax in syntaxes for context in package.storage_contexts(syntax)]
else:  # the control: the same UIDs, without registration
    for uid in plan["sop_classes"]:
        scp.add_supported_context(uid, ALL_TRANSFER_SYNTAXES)
    requested = [build_context(uid, syntax) for syntax in syntaxes for uid in plan["sop_classes"]]
server = scp.start_server(("127.0.0.1", 0), block=False, evt_handlers=[(evt.EVT_C_STORE, on_store)])
try:
    port = server.server_address[1]
    result["port"] = port
    scu = AE(ae_title="DICOMSUPSCU")
    configure(scu)
    scu.requested_contexts = requested
    assoc = scu.associate("127.0.0.1", port, ae_title="DICOMSUPSCP")
    result["established"] = assoc.is_established
    try:
        for path, sent in sent_files.items():
            if not assoc.is_established:
                result["files"][path] = {"status": None}
                continue
            try:
                status = assoc.send_c_store(sent)
                code = status.Status if status and "Status" in status else None
            except Exception as error:  # noqa: BLE001 - no context for the SOP Class: pynetdicom raises
                code = None
                result.setdefault("errors", []).append(f"{type(error).__name__}: {error}")
            with lock:
                got = received.get(str(sent.SOPInstanceUID))
            same = got is not None and got == sent and got.file_meta.MediaStorageSOPClassUID == sent.SOPClassUID
            result["files"][path] = {"status": code, "received": got is not None, "same": same}
    finally:
        if assoc.is_established:
            assoc.release()
finally:
    server.shutdown()
result["seconds"] = round(time.monotonic() - started, 2)
print(json.dumps(result))
