"""The one interface of everything ``dicomsup build`` writes: an :class:`Output`, and the context it is given.

An output is a class with a ``name`` (what ``--only`` takes), a ``folder`` (where it writes), a ``scope`` and a
one-line ``summary``, and one method, :meth:`Output.write`. Outputs never import one another: what several of them
need is either in the context (the document, its ids, the ``--since`` comparison, the Jinja environments, the
figures) or presentation data of a lower stage (:mod:`build_tools.document.entries`,
:mod:`build_tools.document.jsonschema`). Adding an output is one module and one line of
:mod:`build_tools.outputs.registry`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Callable, ClassVar, Generic, Literal, Mapping, TypeVar

from jinja2 import Environment

from build_tools.core import resources
from build_tools.core.errors import Finding, InputError, Loc
from build_tools.core.model import Supplement
from build_tools.diff.report import ids_of, settle_anchors
from build_tools.diff.since import Comparison, Since, compare_since
from build_tools.document.build import build_document
from build_tools.document.nodes import Document
from build_tools.standard.index import Index

Scope = Literal["supplement", "project"]
Filters = Mapping[str, Callable[..., Any]]
#: Compiled templates kept per environment (Jinja's default).
_CACHE_SIZE = 400


@cache
def _environment(kind: str, markup: bool, filters: tuple[tuple[str, Callable[..., Any]], ...]) -> Environment:
    env = resources.environment(kind, markup=markup)
    if not filters:
        return env
    # overlay() shares the parent's filters dict and starts from a copy of its template cache; give the overlay
    # its own of both, so that the shared environment stays as core.resources made it and no template compiled
    # there, without these filters, is reused here.
    env = env.overlay(cache_size=_CACHE_SIZE)
    env.filters = {**env.filters, **dict(filters)}
    return env


def environment(kind: str, *, markup: bool = True, filters: Filters | None = None) -> Environment:
    """The Jinja environment of ``templates/<kind>/`` (:func:`build_tools.core.resources.environment`) with
    ``filters`` added; one per combination, so compiled templates are reused from build to build (``watch``)."""
    return _environment(kind, markup, tuple(sorted((filters or {}).items())))


class _Templates:
    """What every context offers: the Jinja environments of the templates."""

    def environment(self, kind: str, *, markup: bool = True, filters: Filters | None = None) -> Environment:
        """The Jinja environment of ``templates/<kind>/``; see :func:`environment`."""
        return environment(kind, markup=markup, filters=filters)


@dataclass
class BuildContext(_Templates):
    """What a supplement output gets: one checked supplement and what is computed once for all its outputs.

    Everything derived is computed on first use and kept: an output that is not built (``--only``) costs nothing.
    The document's warnings are reported here, once, when the document is built, whichever output asks first.
    """

    supplement: Supplement
    index: Index
    spec_folder: Path
    #: The git revision of ``--since REV`` (None without it).
    since_rev: str | None = None
    #: Warnings of this supplement's outputs, reported with the lint findings.
    warnings: list[Finding] = field(default_factory=list)

    @cached_property
    def document(self) -> Document:
        """The format-neutral presentation model (:func:`build_tools.document.build.build_document`)."""
        document, warnings = build_document(self.supplement, self.index)
        self.warnings.extend(warnings)
        return document

    @cached_property
    def ids(self) -> frozenset[str]:
        """Every id (anchor) of the document."""
        return ids_of(self.document)

    @cached_property
    def comparison(self) -> Comparison | None:
        """With ``--since REV``: the draft at REV and the changes since (git is read once); else None."""
        if self.since_rev is None:  # an empty REV is given, and refused by compare_since
            return None
        return compare_since(self.spec_folder, self.since_rev, self.supplement)

    @cached_property
    def since(self) -> Since | None:
        """The ``since`` of the templates: the "Changes since" chapter, its links settled on the document's ids."""
        comparison = self.comparison
        if comparison is None or self.since_rev is None:
            return None
        return Since(comparison.label, self.since_rev, settle_anchors(comparison.changes, self.ids), self.ids)

    def copy_figures(self, target: Path) -> list[Path]:
        """Copy the document's figures from the supplement folder into ``target`` (paths kept relative)."""
        figures = self.document.figures
        sources: dict[str, str] = {}
        for figure in figures:
            if sources.setdefault(figure.file, figure.source) != figure.source:
                raise InputError([Finding(Loc(str(self.spec_folder / figure.source)),
                                          f"figure file name {figure.file} is also used by {sources[figure.file]}; "
                                          "give the figures different file names")])
        written = []
        for figure in figures:
            destination = target / PurePosixPath(figure.file)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(figure_source(self.spec_folder, figure.source), destination)
            written.append(destination)
        return written


@dataclass
class ProjectContext(_Templates):
    """What a project output gets: the contexts of the supplements of this build."""

    supplements: tuple[BuildContext, ...] = ()
    warnings: list[Finding] = field(default_factory=list)


def figure_source(folder: Path, relative: str) -> Path:
    """The file of a figure, which must lie inside the supplement ``folder``."""
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise InputError([Finding(Loc(str(folder / relative)), "figure file not found inside the supplement folder")])
    return path


Context = TypeVar("Context", BuildContext, ProjectContext)


class Output(Generic[Context]):
    """One artifact of ``dicomsup build``, in the manner of a Sphinx builder or a LinkML generator.

    Subclass ``Output[BuildContext]`` (scope ``"supplement"``: run for every supplement, ``folder`` relative to
    ``output/<supplement>/``) or ``Output[ProjectContext]`` (scope ``"project"``: run once per build, ``folder``
    relative to ``output/``), set the class attributes and implement :meth:`write`.
    """

    #: What ``dicomsup build --only`` takes.
    name: ClassVar[str]
    #: The folder it writes; outputs may share one (the dictionaries), and are then built together.
    folder: ClassVar[str]
    scope: ClassVar[Scope] = "supplement"
    #: One line for ``dicomsup build --help`` and the documentation.
    summary: ClassVar[str]

    def write(self, ctx: Context, out: Path) -> None:
        """Write into ``out``, the output's own folder (it exists). Raise :class:`InputError` for a problem of the
        input; add warnings to ``ctx.warnings``."""
        raise NotImplementedError
