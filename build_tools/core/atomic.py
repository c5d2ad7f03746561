"""Swapping a built folder into ``output/`` atomically, one build at a time.

A full folder is replaced in one step: ``renameat2(RENAME_EXCHANGE)`` exchanges the new folder with the old one
(Linux 3.15 and later, on the file systems people build on), so that at every moment ``output/<name>`` is either
the old or the new tree. Where the exchange is not available, the old folder is renamed aside first and the next
run completes an interrupted swap (:func:`recover`): a folder set aside with no folder in its place is put back.
A lock file keeps two builds from writing the same ``output/`` at once.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from build_tools.core.errors import Finding, InputError, Loc, relative

LOCK_FILE = ".dicomsup.lock"
ASIDE = ".old-"  # ``.<name>.old-<pid>``: a folder set aside by an interrupted two-rename swap
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _fail(path: Path, message: str) -> InputError:
    return InputError([Finding(Loc(relative(path)), message)])


def _libc():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc if hasattr(libc, "renameat2") else None
    except OSError:  # pragma: no cover - no C library to load
        return None


_LIBC = _libc()


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two existing paths in one step; False when the system cannot (then nothing changed)."""
    if _LIBC is None:
        return False
    done = _LIBC.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def replace(tmp: Path, final: Path) -> None:
    """Put the folder ``tmp`` at ``final``; the folder there before (if any) is removed afterwards."""
    if final.is_symlink():
        raise _fail(final, "is a symbolic link; dicomsup replaces output folders, never what a link points to: "
                           "remove the link or choose another --out")
    if not final.exists():
        os.rename(tmp, final)
        return
    if not final.is_dir():
        raise _fail(final, "is a file where a folder of the build belongs; remove it or choose another --out")
    if _exchange(tmp, final):
        shutil.rmtree(tmp)  # now the old folder
        return
    aside = final.with_name(f".{final.name}{ASIDE}{os.getpid()}")
    os.rename(final, aside)
    os.rename(tmp, final)  # a crash before this line leaves ``aside`` for recover() to put back
    shutil.rmtree(aside)


def recover(out_root: Path) -> None:
    """Complete a swap that a crash interrupted: put back a folder set aside with nothing in its place."""
    for aside in sorted(out_root.glob(f".*{ASIDE}*")):
        name = aside.name[1:aside.name.rindex(ASIDE)]
        final = out_root / name
        if aside.is_dir() and not final.exists() and not final.is_symlink():
            os.rename(aside, final)
        else:
            shutil.rmtree(aside, ignore_errors=True)


def check_root(out_root: Path) -> None:
    """``out_root`` must be a folder (or not exist yet) that is not a dangling link."""
    if out_root.is_symlink() and not out_root.exists():
        raise _fail(out_root, "is a symbolic link to nothing; remove it or choose another --out")
    if out_root.exists() and not out_root.is_dir():
        raise _fail(out_root, "is not a folder; the build writes a folder of outputs here: choose another --out")


@contextmanager
def locked(out_root: Path) -> Iterator[None]:
    """Hold ``out_root/.dicomsup.lock`` for the build; another build at the same time is refused at once."""
    lock = out_root / LOCK_FILE
    try:
        handle = open(lock, "a+")
    except OSError as exc:
        raise _fail(out_root, f"cannot write here: {exc.strerror or exc}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _fail(lock, "another dicomsup build is writing this folder; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
