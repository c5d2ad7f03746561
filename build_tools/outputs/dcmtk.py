"""DCMTK's files: the data dictionary fragment ``output/<name>/dictionaries/<name>.dic`` (``dicom.dic`` format) and
the association profile ``<name>-storage.cfg`` (the format of ``storescp.cfg`` and ``storescu.cfg``).

The fragment, appended to ``DCMDICTPATH``, lets DCMTK's tools (``dcmdump`` …) name the supplement's new data elements
and read them from implicit VR files. The profile, given with ``-xf FILE PROFILE`` to ``storescp`` and ``storescu``,
lets them negotiate the supplement's new Storage SOP Classes by UID, which they would otherwise refuse as unknown.
Layouts in ``templates/dictionaries/dcmtk.dic.j2`` and ``storage.cfg.j2``; every value in a data line is validated
(:func:`build_tools.document.entries.check_entries`), every text in a comment made one printable line.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from build_tools.core.model import Supplement
from build_tools.document.entries import (
    FOLDER,
    TEXT_FILTERS,
    check_entries,
    dcmtk_file,
    profile_file,
    template_values,
)
from build_tools.outputs.base import BuildContext, Output, environment

TEMPLATE = "dcmtk.dic.j2"
PROFILE_TEMPLATE = "storage.cfg.j2"


def render(supplement: Supplement, env: Environment | None = None) -> str:
    """The fragment's text."""
    check_entries(supplement)
    env = env or environment(FOLDER, markup=False, filters=TEXT_FILTERS)
    return env.get_template(TEMPLATE).render(template_values(supplement))


def render_profile(supplement: Supplement, env: Environment | None = None) -> str:
    """The association profile's text."""
    check_entries(supplement)
    env = env or environment(FOLDER, markup=False, filters=TEXT_FILTERS)
    return env.get_template(PROFILE_TEMPLATE).render(template_values(supplement))


class DcmtkDictionary(Output[BuildContext]):
    name = "dcmtk"
    folder = FOLDER
    summary = "DCMTK dictionary fragment (<name>.dic) and storescp/storescu profile"

    def write(self, ctx: BuildContext, out: Path) -> None:
        env = ctx.environment(FOLDER, markup=False, filters=TEXT_FILTERS)
        for name, text in ((dcmtk_file(ctx.supplement), render(ctx.supplement, env)),
                           (profile_file(ctx.supplement), render_profile(ctx.supplement, env))):
            (out / name).write_text(text, encoding="utf-8", newline="\n")
