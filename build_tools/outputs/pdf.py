"""PDF ballot document: ``output/<name>/pdf/supplement.pdf`` (ISO A4) and ``supplement-letter.pdf`` (US Letter).

Working groups ballot supplements as PDF. This output lays out the same presentation model as the DocBook and the
HTML (``ctx.document``, with the "Changes since" chapter of ``--since``) through the print templates of
``templates/pdf/``, and typesets them with `WeasyPrint <https://weasyprint.org/>`_: a title page in the supplement
convention, the document history, the issues (marked as editorial content while the status is not Final Text), a
table of contents with page numbers, a PDF outline (bookmarks) of every chapter and section, a running header with
the supplement number, status, version and "Page n of N", table header rows repeated on every page a table spans,
change marks (inserted words underlined, deleted words struck through) and the figures as vectors (their SVG).

Why WeasyPrint rather than DocBook → XSL-FO → Apache FOP: it is one Python package (no Java, no XSLT stylesheets
to install and customise), it lays out HTML and CSS Paged Media that the project already knows how to write, and it
can be made deterministic from Python: the creation and modification dates are the spec's date (HTML
``dcterms.created``/``dcterms.modified``), the PDF identifier is fixed (derived from the supplement and the paper),
nothing else in the file depends on the time, the machine or the folder (figures are embedded as ``data:`` URIs, the
fonts are subset by content). FOP would add a Java runtime, the docbook-xsl-ns stylesheets with a customisation
layer for the supplement's title page and headers, and a font configuration file to the set-up.

Fonts are named explicitly: DejaVu Sans and DejaVu Sans Mono from Debian's ``fonts-dejavu-core`` and
``fonts-dejavu-extra`` (the oblique faces), by file path in ``@font-face`` rules under a family name no system font
has, so that fontconfig cannot substitute another font on another machine (``DICOMSUP_PDF_FONTS`` names another
folder holding the same files). Only a character that DejaVu lacks would make Pango fall back to a system font. A missing engine, Pango library or font file is one :class:`InputError` saying what
to install.

Both paper sizes are always written, so that no option or spec field is needed and ``dicomsup check`` compares both:
A4 is ``supplement.pdf`` (the ISO size, the usual paper outside North America; DICOM is also
ISO 12052), US Letter is ``supplement-letter.pdf`` (the size of NEMA, the DICOM secretariat).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from build_tools.core.errors import Finding, InputError, Loc, Severity
from build_tools.diff.since import Since
from build_tools.document.layout import unwrapped
from build_tools.document.nodes import Chapter, Document, Section
from build_tools.outputs.base import BuildContext, Output, figure_source

FOLDER = "pdf"
FILE = "supplement.pdf"
LETTER_FILE = "supplement-letter.pdf"
#: Paper (CSS ``size``) and file name, the default first.
PAPERS = (("A4", FILE), ("letter", LETTER_FILE))
TEMPLATE = "supplement.html.j2"
FINAL = "Final Text"
SINCE_ID = "chapter_ChangesSince"
#: Levels below a chapter shown in the table of contents (the outline has every level).
TOC_DEPTH = 2
FONT_FOLDER = Path(os.environ.get("DICOMSUP_PDF_FONTS", "/usr/share/fonts/truetype/dejavu"))
#: (CSS family, weight, style, file, Debian package). The family names are this output's own, so that only these
#: files can match them.
FONTS = (
    ("dicomsup-sans", "normal", "normal", "DejaVuSans.ttf", "fonts-dejavu-core"),
    ("dicomsup-sans", "bold", "normal", "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    ("dicomsup-sans", "normal", "italic", "DejaVuSans-Oblique.ttf", "fonts-dejavu-extra"),
    ("dicomsup-sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf", "fonts-dejavu-extra"),
    ("dicomsup-mono", "normal", "normal", "DejaVuSansMono.ttf", "fonts-dejavu-core"),
    ("dicomsup-mono", "bold", "normal", "DejaVuSansMono-Bold.ttf", "fonts-dejavu-core"),
)
ENGINE_HELP = ("the PDF output needs WeasyPrint (the Python package weasyprint, a dependency of dicomsup: "
               "pip install weasyprint) and the Pango library (Debian: apt-get install libpango-1.0-0 "
               "libpangoft2-1.0-0)")


@dataclass(frozen=True)
class Font:
    family: str
    weight: str
    style: str
    uri: str


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents: anchor, number and title, and the entries below it."""

    id: str
    label: str
    title: str
    children: tuple = ()


def _where(name: str) -> Loc:
    return Loc(f"{name}/{FOLDER}" if name else FOLDER)


def fonts(folder: Path = FONT_FOLDER, where: Loc = Loc(FOLDER)) -> tuple[Font, ...]:
    """The ``@font-face`` fonts; an :class:`InputError` naming the Debian packages when a file is missing."""
    missing = [(file, package) for _f, _w, _s, file, package in FONTS if not (folder / file).is_file()]
    if missing:
        packages = " ".join(sorted({package for _file, package in missing}))
        files = ", ".join(file for file, _package in missing)
        raise InputError([Finding(where, f"the PDF output needs the DejaVu fonts, and {files} is not in {folder}; "
                                         f"install the Debian packages {packages} (apt-get install {packages}) "
                                         "or set DICOMSUP_PDF_FONTS to a folder holding these files")])
    return tuple(Font(family, weight, style, (folder / file).resolve().as_uri())
                 for family, weight, style, file, _package in FONTS)


def engine(where: Loc = Loc(FOLDER)) -> Any:
    """The ``weasyprint`` module; an :class:`InputError` saying what to install when it or Pango is missing."""
    try:
        import weasyprint
    except ImportError as exc:
        raise InputError([Finding(where, f"{ENGINE_HELP}; WeasyPrint is not installed ({exc})")]) from None
    except OSError as exc:  # cffi could not open libpango / libgobject (WeasyPrint's message has several lines)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError([Finding(where, f"{ENGINE_HELP}; a system library is missing ({first})")]) from None
    return weasyprint


def toc(document: Document, depth: int = TOC_DEPTH) -> tuple[TocEntry, ...]:
    """The table of contents: chapters and their sections down to ``depth`` levels below the chapter."""

    def entry(node: Chapter | Section, level: int) -> TocEntry:
        children = tuple(entry(child, level + 1) for child in node.sections) if level < depth else ()
        return TocEntry(node.id, getattr(node, "label", "") or "", node.title, children)

    return tuple(entry(chapter, 0) for chapter in document.chapters)


def figure_uris(ctx: BuildContext) -> dict[str, str]:
    """Each figure's ``file`` as a ``data:`` URI of its SVG (or other image): embedded, so the PDF names no path."""
    uris = {}
    for figure in ctx.document.figures:
        path = figure_source(ctx.spec_folder, figure.source)
        kind = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
                ".jpeg": "image/jpeg"}.get(path.suffix.lower(), "application/octet-stream")
        uris[figure.file] = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    return uris


def identifier(document: Document, paper: str) -> bytes:
    """The fixed first half of the PDF's ``/ID``: the same for every build of this draft on this paper."""
    text = f"dicomsup|{document.number}|{document.version}|{document.status}|{document.date}|{paper}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode("ascii")


def render_html(ctx: BuildContext, paper: str, font_faces: tuple[Font, ...], figures: dict[str, str]) -> str:
    """The print HTML of the supplement for ``paper`` (deterministic)."""
    document = unwrapped(ctx.document)  # the editorial wrappers laid out away, as in the DocBook and HTML
    since: Since | None = ctx.since
    entries = toc(document)
    if since is not None:
        entries = (TocEntry(SINCE_ID, "", f"Changes since {since.version}"),) + entries
    env = ctx.environment(FOLDER)
    return env.get_template(TEMPLATE).render(
        doc=document, toc=entries, draft=document.status != FINAL, since=since, paper=paper, fonts=font_faces,
        figures=figures, secretariat=ctx.supplement.secretariat, created=f"{document.date}T00:00:00Z")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _engine_messages() -> Iterator[_Collect]:
    """WeasyPrint's warnings and errors (bad CSS, unreadable images) collected instead of printed."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def write_pdf(weasyprint: Any, page: str, target: Path, ident: bytes) -> list[str]:
    """Typeset ``page`` into ``target``; the engine's warnings."""
    with _engine_messages() as messages:
        pdf = weasyprint.HTML(string=page, base_url=None).write_pdf(
            pdf_identifier=ident, pdf_version="1.7", custom_metadata=False, uncompressed_pdf=False)
    target.write_bytes(pdf)
    return sorted(set(messages.messages))


class Pdf(Output[BuildContext]):
    """``pdf/supplement.pdf`` (A4) and ``pdf/supplement-letter.pdf`` (US Letter), typeset by WeasyPrint."""

    name = "pdf"
    folder = FOLDER
    summary = "PDF ballot document (A4 and US Letter), typeset by WeasyPrint"

    def write(self, ctx: BuildContext, out: Path) -> None:
        where = _where(ctx.supplement.name)
        weasyprint = engine(where)
        font_faces = fonts(FONT_FOLDER, where)
        figures = figure_uris(ctx)
        for paper, file in PAPERS:
            page = render_html(ctx, paper, font_faces, figures)
            for message in write_pdf(weasyprint, page, out / file, identifier(ctx.document, paper)):
                ctx.warnings.append(Finding(Loc(f"{ctx.supplement.name}/{FOLDER}/{file}"),
                                            f"PDF typesetting: {message}", Severity.WARNING))
