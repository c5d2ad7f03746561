"""Everything ``dicomsup build`` writes, in build order: one :class:`~build_tools.outputs.base.Output` a line.

Adding an output is one new module of :mod:`build_tools.outputs` and one line here; ``--only``, ``--help``, the
timings and the documentation pick it up from this list.
"""

from __future__ import annotations

from build_tools.outputs.authoring_schema import AuthoringSchema
from build_tools.outputs.base import Output
from build_tools.outputs.dcmtk import DcmtkDictionary
from build_tools.outputs.dictionaries_readme import DictionariesReadme
from build_tools.outputs.docbook import DocBook
from build_tools.outputs.docx import Docx
from build_tools.outputs.examples import Examples
from build_tools.outputs.html import Html
from build_tools.outputs.innolitics import Innolitics
from build_tools.outputs.json_export import JsonExport
from build_tools.outputs.pdf import Pdf
from build_tools.outputs.pydicom import PydicomExtension

OUTPUTS: list[type[Output]] = [
    DocBook,
    Html,
    Docx,
    Pdf,
    Examples,
    PydicomExtension,
    DcmtkDictionary,
    JsonExport,
    Innolitics,
    DictionariesReadme,
    AuthoringSchema,
]


def names() -> list[str]:
    """What ``--only`` takes, in build order."""
    return [output.name for output in OUTPUTS]


def parse_names(text: str) -> list[str]:
    """``docbook,html`` as a list of output names; a ``ValueError`` naming the choices for an unknown one."""
    wanted = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in names()]
    if unknown or not wanted:
        what = f"unknown output {', '.join(map(repr, unknown))}" if unknown else "no output named"
        raise ValueError(f"{what}; choose from {', '.join(names())}")
    return wanted


def select(wanted: list[str] | None = None) -> list[type[Output]]:
    """The outputs named in ``wanted`` (every one for None), in build order, with those sharing their folder.

    Outputs that write into the same folder are built together, so that a folder is always exactly what a full
    build writes (the build replaces a folder as a whole).
    """
    if wanted is None:
        return list(OUTPUTS)
    unknown = set(wanted) - set(names())
    if unknown:
        raise ValueError(f"unknown output {', '.join(sorted(unknown))}; choose from {', '.join(names())}")
    folders = {(output.scope, output.folder) for output in OUTPUTS if output.name in wanted}
    return [output for output in OUTPUTS if (output.scope, output.folder) in folders]
