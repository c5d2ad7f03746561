"""Verifying many files: one after another in this process, or in ``jobs`` worker processes, as a stream.

:func:`verify_paths` yields one :class:`FileResult` per path, in the order of the paths, as soon as it and the ones
before it are done. Neither the datasets nor the results are kept: at most ``jobs * WINDOW`` chunks of paths are
in flight, so memory stays flat for any number of files. An IOD's plan is compiled when a file first needs it, in
each process (a run over one supplement's files compiles no other; no file is ever read outside a worker, which a
file that crashes its reader may kill).

A process started only to verify loads the supplements in a helper while it imports the checker
(:mod:`build_tools.verify.startup`). Workers are forked from this process once both are done (on Linux), so they
start with them in memory; elsewhere each worker unpickles the supplements from its first task.

A file that makes the verifier fail, or takes longer than the run's limit (``--timeout``, :func:`time_limit`),
becomes a DV005 finding of that file; a file that kills its worker process
(a crash in a C extension, memory exhausted) is retried alone in a fresh process and, if it kills that one too,
is a DV005 finding, and the run goes on.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, count, islice
from pathlib import Path
from typing import TYPE_CHECKING, Union

from build_tools.core.errors import Finding, Loc
from build_tools.core.findingcodes import severity_of

if TYPE_CHECKING:  # imported where used: the checker (and pydicom) in the workers, the pool when one is started
    from concurrent.futures import Future, ProcessPoolExecutor

    from build_tools.core.model import Supplement
    from build_tools.standard.index import Index

#: Paths per task sent to a worker: large enough that the round trip is negligible, small enough to keep the
#: workers evenly busy and the output flowing (a short list is cut finer, see :func:`chunk_size`).
CHUNK = 16
#: Chunks in flight per worker (a bounded window: the rest of the paths wait in the caller's iterator).
WINDOW = 4


@dataclass(frozen=True)
class FileResult:
    """The findings about one path (every one, before ``--select``/``--ignore``); ``unusable``: the path could
    not be given to the verifier at all (a usage error)."""

    name: str
    findings: tuple[Finding, ...]
    unusable: bool = False


@dataclass(frozen=True)
class Options:
    """How every file of a run is checked: the truth of prose conditions (``--assume``) and the seconds one file
    may take (``--timeout``; None: no limit)."""

    assumed: Mapping[str, bool] | None = None
    limit: float | None = None


class FileTimeout(BaseException):
    """A file took longer than the run's limit. A BaseException, as KeyboardInterrupt is: the reader's and the
    checks' own ``except Exception`` guards must not take it for a broken file."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`FileTimeout` in this thread when the block runs longer than ``seconds`` (a POSIX interval
    timer; only in a main thread, where signals are delivered; no limit elsewhere or with None)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signal: int, _frame: object) -> None:
        raise FileTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


Supplements = list[tuple["Supplement", "Index"]]
#: The supplements to check against, or a function that loads them.
SupplementsOrLoad = Union[Supplements, Callable[[], Supplements]]

#: What a worker process checks against: the run's token, supplements and options (inherited when forked; else
#: unpickled from the payload of the first task).
_STATE: dict[str, object] = {}
_RUNS = count(1)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_one(name: str, supplements: Supplements, options: Options = Options()) -> FileResult:
    """The findings about one path; never raises."""
    from build_tools.verify.checker import input_problem, verify_path

    try:
        path = Path(name)
        problem = input_problem(path)
        if problem is not None:  # said as a finding (for editors and CI), but a usage error all the same
            return FileResult(name, (Finding(Loc(name), problem, severity_of("DV001"), code="DV001"),), True)
        with time_limit(options.limit):
            issues = verify_path(path, supplements, assumed=options.assumed, notes=True)
        return FileResult(name, tuple(issue.finding(name) for issue in issues))
    except FileTimeout:
        return FileResult(name, (_stopped(name, f"the file took longer than --timeout {options.limit:g} s"),))
    except Exception as exc:  # a bug outside verify_path's own guard: this file's finding, not the run's end
        return FileResult(name, (_stopped(name, f"{type(exc).__name__}: {exc}"),))


def _stopped(name: str, why: str) -> Finding:
    return Finding(Loc(name), f"verification stopped: {why}", severity_of("DV005"), code="DV005")


def chunk_size(known: int, jobs: int, complete: bool) -> int:
    """Paths per task: :data:`CHUNK`, or, when the whole list is known and short, what gives each worker about
    ``2 * WINDOW`` tasks (with a hundred files, chunks of 16 left one worker a chunk longer than the other)."""
    if not complete:
        return CHUNK
    return max(1, min(CHUNK, -(-known // (jobs * WINDOW * 2))))


def _check_chunk(token: tuple[int, int], payload: bytes, names: list[str]) -> list[FileResult]:
    """A worker's task: the run's state is inherited, or unpickled from ``payload`` once (a worker not forked)."""
    if _STATE.get("token") != token:
        supplements, options = pickle.loads(payload)  # pickled by the parent process of this run, not read from disk
        _STATE.update(token=token, supplements=supplements, options=options)
    supplements, options = _STATE["supplements"], _STATE["options"]
    return [check_one(name, supplements, options) for name in names]  # type: ignore[arg-type]


def _import_checker() -> None:
    from build_tools.verify.lean import import_pydicom_lean

    import_pydicom_lean()
    import build_tools.verify.checker  # noqa: F401


def _started(supplements: SupplementsOrLoad, lean: bool) -> Supplements:
    """The supplements, loaded; in a process started only to verify (``lean``), with the checker imported
    meanwhile (:mod:`build_tools.verify.startup`), pydicom without its pixel back ends."""
    if not callable(supplements):
        return supplements
    if not lean or "build_tools.verify.checker" in sys.modules:
        return supplements()
    from build_tools.verify.startup import load_while_importing

    # Start-up makes a few hundred thousand objects and next to no garbage: the collector would only scan them
    # again and again (a tenth of a short run). Frozen afterwards, they are left out of every later collection,
    # so a forked worker never reads them, and their memory stays shared with this process.
    gc.disable()
    try:
        return load_while_importing(supplements, _import_checker)
    finally:
        gc.freeze()
        gc.enable()


def verify_paths(names: Iterable[str], supplements: SupplementsOrLoad, *, jobs: int = 1,
                 assumed: Mapping[str, bool] | None = None, lean: bool = False,
                 limit: float | None = None) -> Iterator[FileResult]:
    """The result of each path, in input order, streamed (see the module's docstring).

    ``supplements``: the list, or a function that loads it. ``lean``: this process was started only to verify;
    the checker is imported while the supplements load, pydicom without its pixel back ends. ``limit``: the
    seconds a file may take; one that takes longer is a DV005 finding, and its process goes on to the next file.
    """
    options = Options(dict(assumed or {}), limit)
    names = iter(names)
    first = list(islice(names, CHUNK + 1))
    loaded = _started(supplements, lean)
    if jobs <= 1 or len(first) <= CHUNK:  # a few files: starting workers would cost more than it saves
        for name in chain(first, names):
            yield check_one(name, loaded, options)
        return
    yield from _parallel(first, names, loaded, jobs, options)


class _Pool:
    """A process pool that can be replaced when a worker dies."""

    def __init__(self, jobs: int, supplements: Supplements, options: Options) -> None:
        import multiprocessing

        self.jobs = jobs
        self.token = (os.getpid(), next(_RUNS))
        self.forked = "fork" in multiprocessing.get_all_start_methods()
        if self.forked:  # inherited by the workers: nothing to send
            _STATE.clear()
            _STATE.update(token=self.token, supplements=supplements, options=options)
            self.payload = b""
        else:
            self.payload = pickle.dumps((supplements, options), pickle.HIGHEST_PROTOCOL)
        self.executor = self._new(jobs)

    def _new(self, jobs: int) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork") if self.forked else None)

    def submit(self, chunk: list[str]) -> Future:
        """The chunk's future; when the pool is broken already (a worker died), a future that says so, so that
        the caller meets the failure in input order, where it redoes the lost chunks."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(_check_chunk, self.token, self.payload, chunk)
        except (BrokenProcessPool, RuntimeError) as error:  # RuntimeError: submitted after a shutdown
            failed: Future = Future()
            failed.set_exception(BrokenProcessPool(str(error)))
            return failed

    def restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new(self.jobs)

    def alone(self, name: str) -> FileResult:
        """``name`` in a process of its own, to tell whether it is the file that kills its worker."""
        from concurrent.futures.process import BrokenProcessPool

        executor = self._new(1)
        try:
            return executor.submit(_check_chunk, self.token, self.payload, [name]).result()[0]
        except BrokenProcessPool:
            return FileResult(name, (_stopped(name, "the worker process checking this file died (a crash or "
                                                    "memory exhausted while reading it)"),))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _parallel(first: list[str], rest: Iterator[str], supplements: Supplements, jobs: int,
              options: Options) -> Iterator[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    jobs = min(jobs, default_jobs())  # no more workers than cores (nor, below, than chunks): each costs a fork
    ahead = jobs * WINDOW * CHUNK
    head = first + list(islice(rest, max(0, ahead - len(first))))
    size = chunk_size(len(head), jobs, complete=len(head) < ahead)
    names = chain(head, rest)
    chunks = iter(lambda: list(islice(names, size)), [])
    window = list(islice(chunks, jobs * WINDOW))
    jobs = max(1, min(jobs, len(window)))
    pool = _Pool(jobs, supplements, options)
    try:
        pending: deque[tuple[list[str], Future]] = deque((chunk, pool.submit(chunk)) for chunk in window)
        while pending:
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:  # a worker died: every pending task is lost; redo them in a new pool
                redo = [c for c, _f in pending]
                pending.clear()
                pool.restart()
                results = [pool.alone(name) for name in chunk]
                for again in redo:
                    pending.append((again, pool.submit(again)))
            yield from results
            following = next(chunks, None)
            if following is not None:
                pending.append((following, pool.submit(following)))
    finally:
        pool.close()
