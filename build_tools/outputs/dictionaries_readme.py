"""The README of ``output/<name>/dictionaries/``: what each file there is for, and how a toolkit uses it.

Its own output rather than part of one dictionary output: it describes the files of all of them (the pydicom
distribution, the DCMTK fragment and association profile, the innolitics-shaped JSON, the JSON export and its
schema), so it belongs to none, and it takes its file names from :mod:`build_tools.document.entries` as they do.
Layout in ``templates/dictionaries/README.md.j2``.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from build_tools.core.model import Supplement
from build_tools.document.entries import FOLDER, TEXT_FILTERS, template_values
from build_tools.outputs.base import BuildContext, Output, environment

FILE = "README.md"
TEMPLATE = "README.md.j2"


def render(supplement: Supplement, env: Environment | None = None) -> str:
    """The README's text."""
    env = env or environment(FOLDER, markup=False, filters=TEXT_FILTERS)
    return env.get_template(TEMPLATE).render(template_values(supplement))


class DictionariesReadme(Output[BuildContext]):
    name = "dictionaries-readme"
    folder = FOLDER
    summary = "README of the dictionaries folder: which file for which toolkit"

    def write(self, ctx: BuildContext, out: Path) -> None:
        text = render(ctx.supplement, ctx.environment(FOLDER, markup=False, filters=TEXT_FILTERS))
        (out / FILE).write_text(text, encoding="utf-8", newline="\n")
