"""A verify run's start-up on two cores: the supplements load in a forked helper while this process imports.

Importing the checker (pydicom with it: 0.1-0.2 s) and loading the supplements (YAML, with the loader's own
imports: 0.1-0.15 s) do not depend on each other, and one after the other they were most of what verifying a
hundred files waited for. So, where a process can fork (POSIX) and has a single thread (a fork copies only the
calling thread, and a lock another one holds would stay locked in the copy), :func:`load_while_importing` forks a
helper that loads the supplements and sends them back pickled through a pipe, while this process imports. The
pickle is data this run made a moment ago, never read from a file.

The helper never prints and never raises: a usage error (:class:`InputError`) is sent back and raised here, as
loading here would have; any other failure (a bug, the helper killed) leaves the loading to this process, which
then fails or succeeds as it would have without a helper.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

from build_tools.core.errors import InputError

T = TypeVar("T")

#: The most the helper may send (the two supplements of this project pickle to about 0.1 MB).
LIMIT = 256 * 2**20


def can_fork() -> bool:
    """Whether a helper can be forked safely: POSIX, and this process runs a single thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def load_while_importing(load: Callable[[], T], imports: Callable[[], object]) -> T:
    """``load()``, run in a forked helper while this process runs ``imports()`` (both run here, one after the
    other, when a helper cannot be forked or fails)."""
    if not can_fork():
        imports()
        return load()
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a limit on processes, memory): one after the other, here
        os.close(reading)
        os.close(writing)
        imports()
        return load()
    if pid == 0:  # the helper: load, send, and leave without running anything of the parent's (os._exit)
        os.close(reading)
        _send(load, writing)
        os._exit(0)
    os.close(writing)
    try:
        imports()
        with os.fdopen(reading, "rb") as pipe:
            reading = -1
            data = pipe.read(LIMIT + 1)
    finally:
        if reading >= 0:
            os.close(reading)
        os.waitpid(pid, 0)
    outcome = _received(data)
    if outcome is None:  # the helper failed: load here, as without it
        return load()
    kind, value = outcome
    if kind == "input":
        raise InputError(value)
    return value


def _send(load: Callable[[], object], writing: int) -> None:
    try:
        try:
            outcome: tuple[str, object] = ("loaded", load())
        except InputError as error:
            outcome = ("input", error.findings)
        data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # noqa: BLE001  (a bug, an interrupt, a closed pipe: the parent loads by itself)
        pass


def _received(data: bytes) -> tuple[str, object] | None:
    if not data or len(data) > LIMIT:
        return None
    try:
        outcome = pickle.loads(data)  # written by the helper this process forked, through its own pipe
    except Exception:  # noqa: BLE001  (cut short: the helper died while writing)
        return None
    if not (isinstance(outcome, tuple) and len(outcome) == 2 and outcome[0] in ("loaded", "input")):
        return None
    return outcome
