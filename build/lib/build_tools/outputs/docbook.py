"""DocBook 5 change text: ``output/<name>/docbook/supplement.xml`` (one book for the whole supplement) and its
figures, rendered from the presentation model of :mod:`build_tools.document.build` through ``templates/docbook/``.

The document is validated against the DocBook 5.0 RELAX NG schema (Debian ``docbook5-xml``) before it is written;
an invalid document fails the build.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import cache
from pathlib import Path, PurePosixPath

from lxml import etree

from build_tools.diff.report import ids_of
from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.document.build import environment
from build_tools.document.nodes import Document

SCHEMA = Path(os.environ.get("DICOMSUP_DOCBOOK_RNG", "/usr/share/xml/docbook/schema/rng/5.0/docbook.rng"))
FILE = "supplement.xml"


def parser() -> etree.XMLParser:
    """A parser that neither resolves entities nor reads DTDs or the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@cache
def schema(path: Path = SCHEMA) -> etree.RelaxNG:
    if not path.is_file():
        raise InputError([Finding(Loc(str(path)), "DocBook 5.0 RELAX NG schema not found; install the Debian "
                                                  "package docbook5-xml (scripts/test.sh does) or set "
                                                  "DICOMSUP_DOCBOOK_RNG to docbook.rng")])
    return etree.RelaxNG(etree.parse(str(path), parser()))


def validate_text(text: bytes) -> list[str]:
    """Problems of a DocBook document given as bytes: well-formedness, duplicate ids, schema errors."""
    try:
        tree = etree.fromstring(text, parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed: {exc.msg}"]
    rng = schema()
    if rng.validate(tree):
        return []
    return [f"line {error.line}: {error.message}" for error in rng.error_log]


def validate(path: Path) -> list[str]:
    """Problems of the DocBook file at ``path`` against the DocBook 5.0 RELAX NG schema (empty when valid)."""
    return validate_text(Path(path).read_bytes())


_TAG = re.compile(r"(<[^>]*>)")


def literal_quotes(text: str) -> str:
    """``text`` with the quote references of Jinja's escaping (``&#34;``, ``&#39;``) written as the characters
    themselves in character data, as the standard writes them ("the patient's"); inside tags (attribute values,
    which the templates always delimit with ``"``) ``&#34;`` stays a reference. Every ``<`` and ``>`` of the
    document's text is escaped, so the tags are exactly the ``<…>`` runs."""
    pieces = _TAG.split(text)
    for n in range(0, len(pieces), 2):  # even positions are character data between tags
        pieces[n] = pieces[n].replace("&#34;", '"').replace("&#39;", "'")
    return "".join(pieces)


def render(document: Document, templates: Path, since=None) -> str:
    """The DocBook text of ``document``; ``since`` adds the "Changes since" chapter."""
    return literal_quotes(environment(templates, "docbook").get_template("supplement.xml.j2").render(
        doc=document, since=since))


def figure_source(folder: Path, relative: str) -> Path:
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise InputError([Finding(Loc(str(folder / relative)), "figure file not found inside the supplement folder")])
    return path


def generate(ctx, out: Path) -> None:
    """Render ``out/docbook/supplement.xml`` and copy the figures to ``out/docbook/figures/``."""
    document, warnings = ctx.document()
    ctx.warnings.extend(warnings)
    text = render(document, ctx.templates, ctx.since(ids_of(document))).encode("utf-8")
    target = out / "docbook"
    problems = validate_text(text)
    if problems:
        where = Loc(f"{ctx.supplement.name}/docbook/{FILE}")
        raise InputError([Finding(where, f"generated DocBook is not valid DocBook 5.0: {problem}", Severity.ERROR)
                          for problem in problems])
    target.mkdir(parents=True, exist_ok=True)
    (target / FILE).write_bytes(text)
    copy_figures(document, Path(ctx.spec_folder), target)


def copy_figures(document: Document, folder: Path, target: Path) -> None:
    """Copy the document's figures from the supplement ``folder`` to ``target`` (paths kept relative)."""
    sources: dict[str, str] = {}
    for figure in document.figures:
        if sources.setdefault(figure.file, figure.source) != figure.source:
            raise InputError([Finding(Loc(str(folder / figure.source)), f"figure file name {figure.file} is also "
                                      f"used by {sources[figure.file]}; give the figures different file names")])
    for figure in document.figures:
        destination = target / PurePosixPath(figure.file)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(figure_source(folder, figure.source), destination)
