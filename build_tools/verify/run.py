"""Verifying many files: one after another in this process, or in ``jobs`` worker processes, as a stream.

:func:`verify_paths` yields one :class:`FileResult` per path, in the order of the paths, as soon as it and the ones
before it are done. Neither the datasets nor the results are kept: at most ``jobs * WINDOW`` chunks of
:data:`CHUNK` paths are in flight, so memory stays flat for any number of files. An IOD's plan is compiled when
a file first needs it, in each process (a run over one supplement's files compiles no other; the workers compile
theirs side by side, and no file is ever read outside a worker, which a file that crashes its reader may kill).
Workers are forked from this process after the supplements are loaded (on Linux), so they start with them in
memory; elsewhere each worker loads the supplements once (an initializer).

A file that makes the verifier fail becomes a DV005 finding of that file; a file that kills its worker process
(a crash in a C extension, memory exhausted) is retried alone in a fresh process and, if it kills that one too,
is a DV005 finding, and the run goes on.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.core.errors import Finding, Loc
from build_tools.core.findingcodes import severity_of
from build_tools.core.model import Supplement
from build_tools.standard.index import Index
from build_tools.verify.checker import input_problem, verify_path

if TYPE_CHECKING:  # multiprocessing and concurrent.futures are imported only when workers are started
    from concurrent.futures import Future, ProcessPoolExecutor

#: Paths per task sent to a worker: large enough that the round trip is negligible, small enough to keep the
#: workers evenly busy and the output flowing.
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


Supplements = list[tuple[Supplement, Index]]

#: What the worker processes check against (set before forking, or by :func:`_load` in each worker).
_STATE: dict[str, object] = {}


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_one(name: str, supplements: Supplements, assumed: Mapping[str, bool] | None) -> FileResult:
    """The findings about one path; never raises."""
    try:
        path = Path(name)
        problem = input_problem(path)
        if problem is not None:  # said as a finding (for editors and CI), but a usage error all the same
            return FileResult(name, (Finding(Loc(name), problem, severity_of("DV001"), code="DV001"),), True)
        issues = verify_path(path, supplements, assumed=assumed, notes=True)
        return FileResult(name, tuple(issue.finding(name) for issue in issues))
    except Exception as exc:  # a bug outside verify_path's own guard: this file's finding, not the run's end
        return FileResult(name, (_stopped(name, f"{type(exc).__name__}: {exc}"),))


def _stopped(name: str, why: str) -> Finding:
    return Finding(Loc(name), f"verification stopped: {why}", severity_of("DV005"), code="DV005")


def _check_chunk(names: list[str]) -> list[FileResult]:
    """A worker's task: its supplements are in :data:`_STATE`."""
    supplements = _STATE["supplements"]
    assumed = _STATE.get("assumed")
    return [check_one(name, supplements, assumed) for name in names]  # type: ignore[arg-type]


def _load(folders: list[str], assumed: Mapping[str, bool] | None) -> None:
    """Worker initializer where processes are not forked: load the supplements once per worker."""
    from build_tools.load.loader import load_supplement

    supplements = [(s, Index(s)) for s in (load_supplement(Path(f), []) for f in folders)]
    _STATE.update(supplements=supplements, assumed=assumed)


def verify_paths(names: Iterable[str], supplements: Supplements, *, jobs: int = 1,
                 assumed: Mapping[str, bool] | None = None, folders: list[str] | None = None) -> Iterator[FileResult]:
    """The result of each path, in input order, streamed (see the module's docstring).

    ``folders``: the supplements' folders, for workers that cannot be forked (they load them again).
    """
    names = iter(names)
    first = list(islice(names, CHUNK + 1))
    if jobs <= 1 or len(first) <= CHUNK:  # a few files: starting workers would cost more than it saves
        for name in chain(first, names):
            yield check_one(name, supplements, assumed)
        return
    yield from _parallel(chain(first, names), supplements, jobs, assumed, folders or [])


class _Pool:
    """A process pool that can be replaced when a worker dies."""

    def __init__(self, jobs: int, supplements: Supplements, assumed: Mapping[str, bool] | None,
                 folders: list[str]):
        self.jobs, self.supplements, self.assumed, self.folders = jobs, supplements, assumed, folders
        self.executor = self._new(jobs)

    def _new(self, jobs: int) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if "fork" in multiprocessing.get_all_start_methods():
            _STATE.update(supplements=self.supplements, assumed=self.assumed)  # inherited by the forked workers
            return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
        return ProcessPoolExecutor(jobs, initializer=_load, initargs=(self.folders, self.assumed))

    def submit(self, chunk: list[str]) -> Future:
        """The chunk's future; when the pool is broken already (a worker died), a future that says so, so that
        the caller meets the failure in input order, where it redoes the lost chunks."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.executor.submit(_check_chunk, chunk)
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
            return executor.submit(_check_chunk, [name]).result()[0]
        except BrokenProcessPool:
            return FileResult(name, (_stopped(name, "the worker process checking this file died (a crash or "
                                                    "memory exhausted while reading it)"),))
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _parallel(names: Iterator[str], supplements: Supplements, jobs: int, assumed: Mapping[str, bool] | None,
              folders: list[str]) -> Iterator[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    chunks = iter(lambda: list(islice(names, CHUNK)), [])
    first = list(islice(chunks, jobs * WINDOW))
    # No more workers than cores or chunks: a forked pool starts every worker it is given, and each costs a fork.
    jobs = max(1, min(jobs, default_jobs(), len(first)))
    pool = _Pool(jobs, supplements, assumed, folders)
    pending: deque[tuple[list[str], Future]] = deque()
    try:
        for chunk in first:
            pending.append((chunk, pool.submit(chunk)))
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
