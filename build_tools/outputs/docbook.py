"""DocBook 5 change text: one file per amended part (``output/<name>/docbook/PS3.3.xml``, ``PS3.4.xml`` …), the
supplement book that ballot readers get (``supplement.xml``: front matter, then the parts) and the figures,
rendered from the presentation model of :mod:`build_tools.document.build`, laid out by
:mod:`build_tools.document.layout`, through ``templates/docbook/``.

Each part's text is in the standard's id scheme (:mod:`build_tools.document.refs`) and links as the part will once
merged (:func:`for_part`): an ``xref`` to what is in the same part (in the change text, or in the part as the
baseline knows it), an ``olink targetdoc="PS3.n"`` to another part, plain text where the standard writes plain
text. Every paragraph has a ``para_<uuid>`` id (:func:`build_tools.document.layout.number_paras`), the same as the
HTML anchor.
A PS3.17 annex is a ``chapter`` of its own; figures are named as the standard names them
(``figures/PS3.17_TTTT.1-1.svg``).

Every file is validated against the DocBook 5.0 RELAX NG schema (Debian ``docbook5-xml``) before it is written;
an invalid file fails the build. The one tolerance, in a part's file, is an ``xref`` to an id that the part of the
baseline has (:func:`build_tools.check.ids.known_ids`): it resolves once the text is merged (``dicomsup merge``
checks that). The supplement book stands alone: there such a reference is an olink into the part, so that the
book is valid as it is.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from jinja2 import Environment
from lxml import etree

from build_tools.check.ids import known_ids
from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.diff.since import Since
from build_tools.document.layout import number_paras, view
from build_tools.document.nodes import Chapter, Document, Figure, Link
from build_tools.outputs.base import BuildContext, Output, environment, figure_source

SCHEMA = Path(os.environ.get("DICOMSUP_DOCBOOK_RNG", "/usr/share/xml/docbook/schema/rng/5.0/docbook.rng"))
FILE = "supplement.xml"
KIND = "docbook"
TEMPLATE = "supplement.xml.j2"
PART_TEMPLATE = "part.xml.j2"
#: A dangling IDREF as jing and as libxml2 word it.
_DANGLING = re.compile(r'IDREF "([^"]+)" without matching ID|references an unknown ID "([^"]+)"')


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


def validate_text(text: bytes, elsewhere: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Problems of a DocBook document given as bytes: well-formedness, duplicate ids, schema errors.

    ``elsewhere`` are ids that the document's part has outside it (in the baseline): an ``xref`` to one of them
    is no problem of the change text."""
    try:
        tree = etree.fromstring(text, parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed: {exc.msg}"]
    rng = schema()
    if rng.validate(tree):
        return []
    problems = []
    for error in rng.error_log:
        found = _DANGLING.search(error.message)
        if found and (found.group(1) or found.group(2)) in elsewhere:
            continue
        problems.append(f"line {error.line}: {error.message}")
    return problems


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


# --- the per-part view --------------------------------------------------------------------------------------


def figure_file(part: str, figure: Figure) -> str:
    """The standard's name of a figure's file: ``figures/PS3.17_TTTT.1-1.svg``."""
    return str(PurePosixPath("figures") / f"{part}_{figure.label}{PurePosixPath(figure.source or figure.file).suffix}")


@dataclass
class Relinker:
    """Rewrites the nodes of one part's text: links as the part will have them and figure files as the standard
    names them; paragraphs that ``dicomsup merge`` makes (scope ``merge/…``) get their ids here, numbered on across
    calls (``counters``) so that no two get the same one."""

    part: str | None
    key: str
    known: frozenset[str]
    counters: dict[str, int] = dataclasses.field(default_factory=dict)

    def link(self, link: Link) -> Link:
        if link.target is None:
            return link
        if self.part is not None and link.part == self.part and (link.local or link.target in self.known):
            return dataclasses.replace(link, local=link.local or link.target)
        if link.target.startswith("table_CID_"):  # from another part, a CID is its section, as PS3.16 has it
            return dataclasses.replace(link, local=None, target="sect_CID_" + link.target[len("table_CID_"):])
        return dataclasses.replace(link, local=None)

    def node(self, node, scope: str):
        if isinstance(node, Link):
            return self.link(node)
        if isinstance(node, tuple):
            return tuple(self.node(item, scope) for item in node)
        if not dataclasses.is_dataclass(node) or isinstance(node, type):
            return node
        changes = {}
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            if isinstance(value, tuple) or dataclasses.is_dataclass(value):
                new = self.node(value, scope)
                if new is not value:
                    changes[field.name] = new
        if isinstance(node, Figure) and self.part is not None:
            changes["file"] = figure_file(self.part, node)
        node = dataclasses.replace(node, **changes) if changes else node
        # Paragraphs made here (dicomsup merge) get ids as the view's have (build_tools.document.layout).
        return number_paras(node, self.key, self.counters, f"{self.part or 'front'}/{scope}") \
            if scope.startswith("merge/") else node


def for_part(node, part: str | None, key: str, baseline: bool = True):
    """``node`` (a chapter, section or block) as it is written in ``part`` (None: the front matter) of the
    supplement ``key`` (see the module's documentation). ``baseline`` False: an xref only to what this document
    holds, as the supplement book needs (the ids of the part around it are not in the book)."""
    known = known_ids(part) if part and baseline else frozenset()
    return Relinker(part, key, known).node(node, part or "front")


@dataclass(frozen=True)
class PartText:
    """One part's change text: its "Changes to" chapter (instructions and sections) and its annex chapters."""

    part: str
    chapter: Chapter
    annexes: tuple = ()

    @property
    def figures(self) -> tuple:
        found: list = []

        def walk(node) -> None:
            if isinstance(node, Figure):
                found.append(node)
            elif isinstance(node, tuple):
                for item in node:
                    walk(item)
            elif dataclasses.is_dataclass(node) and not isinstance(node, type):
                for field in dataclasses.fields(node):
                    walk(getattr(node, field.name))

        walk((self.chapter, self.annexes))
        return tuple(found)


def part_texts(document: Document, baseline: bool = True) -> list[PartText]:
    """The change text of every part of ``document``, in part order (``baseline``: see :func:`for_part`)."""
    key = f"Supplement {document.number}"
    out = []
    for chapter in view(document).chapters:
        if not chapter.part:
            continue
        laid = for_part(chapter, chapter.part, key, baseline)
        annexes = tuple(s for s in laid.sections if s.id.startswith("chapter_"))
        rest = tuple(s for s in laid.sections if not s.id.startswith("chapter_"))
        out.append(PartText(chapter.part, dataclasses.replace(laid, sections=rest), annexes))
    return out


def front_matter(document: Document) -> list[Chapter]:
    key = f"Supplement {document.number}"
    return [for_part(c, None, key) for c in view(document).chapters if not c.part]


def render(document: Document, templates: Path | None = None, since: Since | None = None, *,
           env: Environment | None = None) -> str:
    """The DocBook text of the supplement book of ``document``; ``since`` adds the "Changes since" chapter.

    ``env`` is the build's environment (``ctx.environment("docbook")``), by default the package's; ``templates``
    is ignored (the templates are the package's, :mod:`build_tools.core.resources`) and kept for old callers.
    """
    env = env or environment(KIND)
    return literal_quotes(env.get_template(TEMPLATE).render(doc=document, since=since, front=front_matter(document),
                                                            parts=part_texts(document, baseline=False)))


def render_part(document: Document, text: PartText, *, env: Environment | None = None) -> str:
    """The DocBook file of one part's change text (``PS3.n.xml``)."""
    env = env or environment(KIND)
    return literal_quotes(env.get_template(PART_TEMPLATE).render(doc=document, text=text))


def elsewhere(part: str | None) -> frozenset[str]:
    """Ids an ``xref`` of ``part``'s text may point at outside the text (the part as the baseline knows it)."""
    return known_ids(part) if part else frozenset()


class DocBook(Output[BuildContext]):
    """``docbook/supplement.xml`` (validated against the DocBook 5.0 schema first) and ``docbook/figures/``."""

    name = "docbook"
    folder = "docbook"
    summary = "DocBook 5 change text for the editor, validated, with its figures"

    def write(self, ctx: BuildContext, out: Path) -> None:
        env = ctx.environment(KIND)
        texts = part_texts(ctx.document)
        files = [(FILE, render(ctx.document, since=ctx.since, env=env).encode("utf-8"), frozenset())]
        files += [(f"{t.part}.xml", render_part(ctx.document, t, env=env).encode("utf-8"), elsewhere(t.part))
                  for t in texts]
        problems = []
        for name, text, outside in files:
            where = Loc(f"{ctx.supplement.name}/{self.folder}/{name}")
            problems += [Finding(where, f"generated DocBook is not valid DocBook 5.0: {problem}", Severity.ERROR)
                         for problem in validate_text(text, outside)]
        if problems:
            raise InputError(problems)
        for name, text, _outside in files:
            (out / name).write_bytes(text)
        for t in texts:
            for figure in t.figures:
                destination = out / PurePosixPath(figure.file)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(figure_source(ctx.spec_folder, figure.source), destination)
