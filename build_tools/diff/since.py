"""``dicomsup build --since REV``: the changes since an earlier draft, for the "Changes since" chapter.

:func:`changes_since` compares the supplement folder with the same folder at git revision ``rev``;
:func:`since_context` wraps the result as the ``since`` variable that ``templates/html/changes-since.html.j2``
and ``templates/docbook/changes-since.xml.j2`` render.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from build_tools.diff.semantic import Change, semantic_diff
from build_tools.diff.report import Group, document_ids, grouped, settle_anchors
from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.load.loader import load_supplement
from build_tools.core.model import Supplement
from build_tools.diff.revisions import commit_of, extract, repo_root, shown


@dataclass(frozen=True)
class Since:
    """What the "Changes since" chapter shows."""

    version: str
    rev: str
    changes: list[Change]
    #: Ids of the rendered document; when given, only changes whose anchor is among them are links.
    ids: frozenset[str] | None = None

    @property
    def groups(self) -> list[Group]:
        return grouped(self.changes)

    def link(self, change: Change) -> bool:
        """Whether the change's subject links to its anchor (there is one, and it is in the document)."""
        return bool(change.anchor) and (self.ids is None or change.anchor in self.ids)


def _fail(folder: Path, message: str) -> InputError:
    return InputError([Finding(Loc(relative(folder)), message)])


def load_at(spec_folder: Path, rev: str, tmp: Path) -> Supplement:
    """The supplement of ``spec_folder`` as it was at git revision ``rev`` (extracted below ``tmp``)."""
    named = shown(rev)
    if not rev.strip():
        raise _fail(spec_folder, "--since needs a git revision (a tag, branch or commit), not empty text")
    root = repo_root(spec_folder)
    if root is None:
        raise _fail(spec_folder, f"--since {named}: the folder is not in a git repository")
    commit = commit_of(rev, root)
    if commit is None:
        raise _fail(spec_folder, f"--since {named}: no such git revision in {root}")
    try:
        inside = PurePosixPath(spec_folder.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        raise _fail(spec_folder, f"--since {named}: the supplement folder is outside the repository {root}") from None
    folder = extract(rev, commit, root, inside, tmp)
    try:
        return load_supplement(folder, [])
    except InputError as exc:
        raise _fail(spec_folder, f"--since {named}: the supplement at that revision cannot be read "
                                 f"({exc.findings[0].message})") from None


@dataclass(frozen=True)
class Comparison:
    """The draft at a revision and the changes from it to the draft being built."""

    old: Supplement
    label: str
    changes: list[Change]


def compare_since(spec_folder: Path, rev: str, new: Supplement) -> Comparison:
    """Load ``spec_folder`` as it was at ``rev`` and compare it with ``new``.

    The label is the old draft's version, with the revision added when the version did not change.
    Raises :class:`InputError` (the CLI exits 2) for a bad revision or a folder missing at that revision.
    """
    with tempfile.TemporaryDirectory(prefix="dicomsup-since-") as tmp:
        old = load_at(spec_folder, rev, Path(tmp))
    label = old.version or rev
    if old.version == new.version:
        label = f"{label} ({rev})"
    return Comparison(old, label, semantic_diff(old, new))


def changes_since(spec_folder: Path, rev: str, new: Supplement | None = None) -> tuple[str, list[Change]]:
    """The label of the draft at ``rev`` and the changes from it to ``new`` (default: ``spec_folder`` loaded now)."""
    if new is None:
        new = load_supplement(spec_folder, [])
    comparison = compare_since(spec_folder, rev, new)
    return comparison.label, comparison.changes


def since_context(spec_folder: Path, rev: str | None, new: Supplement | None = None,
                  ids: frozenset[str] | None = None) -> Since | None:
    """The ``since`` template variable, or None when no ``--since`` was given.

    ``new`` is the supplement being built (loaded from ``spec_folder`` when not given); ``ids`` the ids of its
    rendered document (computed when not given). Anchors not in the document fall back to their part's chapter.
    """
    if not rev:
        return None
    if new is None:
        new = load_supplement(spec_folder, [])
    label, changes = changes_since(spec_folder, rev, new)
    if ids is None:
        ids = document_ids(new)
    return Since(label, rev, settle_anchors(changes, ids), ids)
