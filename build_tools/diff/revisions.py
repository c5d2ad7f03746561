"""A supplement folder as it was at a git revision, extracted into a temporary folder.

Only ``git rev-parse``, ``git ls-tree`` and ``git archive`` are run: the working tree and the index are never
touched. A revision or path that does not exist raises :class:`InputError` with a one-line message.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

from build_tools.core.errors import Finding, InputError, Loc


def _fail(where: str, message: str) -> InputError:
    return InputError([Finding(Loc(where), message)])


def git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run git; a missing git is input the user can fix, not a crash."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise _fail(str(cwd), "git is not installed; install git or compare two folders with --from/--to") from None


def repo_root(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder``, or None when it is not in one."""
    done = git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        return None
    return Path(done.stdout.decode().strip())


def commit_of(rev: str, root: Path) -> str | None:
    """The commit a revision names, or None when it names none."""
    if rev.startswith("-"):
        return None
    done = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root)
    if done.returncode != 0:
        return None
    return done.stdout.decode().strip()


def supplements_at(commit: str, root: Path, spec: PurePosixPath) -> list[str]:
    """Names of the supplement folders (holding ``supplement.yaml``) under ``spec`` at ``commit``."""
    done = git(["ls-tree", "-r", "--name-only", commit, "--", f"{spec}/"], root)
    names = set()
    for line in done.stdout.decode().splitlines():
        path = PurePosixPath(line)
        if path.name == "supplement.yaml" and path.parent.parent == spec:
            names.add(path.parent.name)
    return sorted(names)


def extract(rev: str, commit: str, root: Path, folder: PurePosixPath, dest: Path) -> Path:
    """Write ``folder`` (a path from the top of the repository) as of ``commit`` into ``dest``; return its copy."""
    listing = git(["ls-tree", "--name-only", commit, "--", f"{folder}/"], root)
    if listing.returncode != 0 or not listing.stdout.strip():
        raise _fail(f"{rev}:{folder}", f"{folder}/ does not exist at revision {rev!r}")
    done = git(["archive", "--format=tar", commit, "--", f"{folder}/"], root)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise _fail(f"{rev}:{folder}", f"git archive failed: {message[0] if message else 'unknown error'}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse links and paths outside dest
            archive.extractall(dest, filter="data")
        else:
            archive.extractall(dest, members=[m for m in archive.getmembers() if m.isfile() or m.isdir()])
    return dest / folder
