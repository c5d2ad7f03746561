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
    return InputError([Finding(Loc(shown(where, 200)), message)])


def shown(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for a one-line message (a revision or path may be huge)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


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


#: Longest revision accepted: far above any branch, tag or ``HEAD~n@{...}`` expression people type.
MAX_REVISION = 256


def commit_of(rev: str, root: Path) -> str | None:
    """The commit a revision names, or None when it names none (empty, over-long or option-like text included)."""
    if not rev or len(rev) > MAX_REVISION or rev.startswith("-") or any(ch in rev for ch in "\0\n\r"):
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
    try:
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            _extract(archive, rev, folder, dest)
    except tarfile.TarError as exc:
        raise _fail(f"{rev}:{folder}", f"git archive gave an unreadable archive: {exc}") from None
    return dest / folder


def _extract(archive: tarfile.TarFile, rev: str, folder: PurePosixPath, dest: Path) -> None:
    """Write the regular files and folders of ``archive`` below ``dest``; refuse anything else.

    A supplement is plain files: a committed symbolic link (absolute, or pointing outside the supplement, or
    anywhere at all), a hard link, a device or a path that climbs out of ``folder`` is an error naming the
    entry, and nothing is written outside ``dest``. Members are written one by one, never through
    ``extractall``, so no tar feature can reach outside.
    """
    root = dest.resolve()
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        where = f"{rev}:{member.name}"
        if member.isdir() and name in folder.parents:
            continue  # the folders above the supplement folder (``spec/``), created below as needed
        if name.is_absolute() or ".." in name.parts or not (name == folder or folder in name.parents):
            raise _fail(where, "the revision holds a path outside the supplement folder; nothing was extracted "
                               "outside the temporary folder")
        if member.issym() or member.islnk():
            raise _fail(where, f"is a {'symbolic' if member.issym() else 'hard'} link at revision {rev!r} (to "
                               f"{member.linkname!r}); a supplement holds regular files only, so links are not "
                               "followed")
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise _fail(where, "resolves outside the temporary folder; refused")
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.isfile():
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            try:
                target.write_bytes(source.read())
            except OSError as exc:  # e.g. a name longer than the file system allows
                raise _fail(where, f"cannot be extracted: {exc.strerror or exc}") from None
        else:
            raise _fail(where, f"is not a regular file at revision {rev!r}; a supplement holds regular files only")
