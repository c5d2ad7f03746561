"""DocBook 5 change text: ``output/<name>/docbook/supplement.xml`` (one book for the whole supplement) and its
figures, rendered from the presentation model of :mod:`build_tools.document.build` through ``templates/docbook/``.

The document is validated against the DocBook 5.0 RELAX NG schema (Debian ``docbook5-xml``) before it is written;
an invalid document fails the build.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from jinja2 import Environment
from lxml import etree

from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.diff.since import Since
from build_tools.document.nodes import Document
from build_tools.outputs.base import BuildContext, Output, environment

SCHEMA = Path(os.environ.get("DICOMSUP_DOCBOOK_RNG", "/usr/share/xml/docbook/schema/rng/5.0/docbook.rng"))
FILE = "supplement.xml"
KIND = "docbook"
TEMPLATE = "supplement.xml.j2"


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


def render(document: Document, templates: Path | None = None, since: Since | None = None, *,
           env: Environment | None = None) -> str:
    """The DocBook text of ``document``; ``since`` adds the "Changes since" chapter.

    ``env`` is the build's environment (``ctx.environment("docbook")``), by default the package's; ``templates``
    is ignored (the templates are the package's, :mod:`build_tools.core.resources`) and kept for old callers.
    """
    env = env or environment(KIND)
    return literal_quotes(env.get_template(TEMPLATE).render(doc=document, since=since))


class DocBook(Output[BuildContext]):
    """``docbook/supplement.xml`` (validated against the DocBook 5.0 schema first) and ``docbook/figures/``."""

    name = "docbook"
    folder = "docbook"
    summary = "DocBook 5 change text for the editor, validated, with its figures"

    def write(self, ctx: BuildContext, out: Path) -> None:
        text = render(ctx.document, since=ctx.since, env=ctx.environment(KIND)).encode("utf-8")
        problems = validate_text(text)
        if problems:
            where = Loc(f"{ctx.supplement.name}/{self.folder}/{FILE}")
            raise InputError([Finding(where, f"generated DocBook is not valid DocBook 5.0: {problem}", Severity.ERROR)
                              for problem in problems])
        (out / FILE).write_bytes(text)
        ctx.copy_figures(out)
