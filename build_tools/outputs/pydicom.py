"""The pydicom and pynetdicom dictionary extension: an installable distribution in
``output/<name>/dictionaries/python/`` (``pip install output/<name>/dictionaries/python``).

It holds ``pyproject.toml`` (the distribution ``dicomsup-<name>``, its version the supplement's, PEP 440-normalised;
built by flit_core, which leaves the folder untouched) and the package ``dicomsup_<name>``, whose import registers
the supplement's new data elements with ``pydicom.datadict.add_dict_entries``, its new UIDs in
``pydicom.uid.UID_dictionary`` (and as ``pydicom.uid.<Keyword>``) and, when pynetdicom is installed, its new Storage
SOP Classes with ``pynetdicom.sop_class.register_uid``. Where the installed toolkit already knows an entry it is
kept; a disagreement is warned about, at the importer's line. The folder also works uninstalled, on ``sys.path``.

The package is data only: every value from the spec is a literal written by ``repr()`` of a validated str or int
(the ``py`` filter of :mod:`build_tools.document.entries`), never text in a docstring or comment, and keywords never
become identifiers in the source (the package sets its UID attributes at import). Layout in
``templates/dictionaries/package_init.py.j2`` and ``package_pyproject.toml.j2``.

The single-file module ``dictionaries/dicomsup_<name>.py`` of earlier builds is gone: the package folder replaces
it (``sys.path`` pointed at ``dictionaries/python/`` imports the same name), and two copies of the registration
would be two things to keep in agreement.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from build_tools.core.model import Supplement
from build_tools.document.entries import (
    FOLDER,
    TEXT_FILTERS,
    check_entries,
    module_name,
    template_values,
)
from build_tools.outputs.base import BuildContext, Output, environment

#: The distribution's folder inside ``dictionaries/``.
PACKAGE_FOLDER = "python"
INIT_TEMPLATE = "package_init.py.j2"
PYPROJECT_TEMPLATE = "package_pyproject.toml.j2"


def files(supplement: Supplement, env: Environment | None = None) -> dict[str, str]:
    """The distribution's files, by path relative to ``python/``: ``pyproject.toml`` and the package's
    ``__init__.py``."""
    check_entries(supplement)
    env = env or environment(FOLDER, markup=False, filters=TEXT_FILTERS)
    values = template_values(supplement)
    return {
        "pyproject.toml": env.get_template(PYPROJECT_TEMPLATE).render(values),
        f"{module_name(supplement)}/__init__.py": env.get_template(INIT_TEMPLATE).render(values),
    }


def render(supplement: Supplement, env: Environment | None = None) -> str:
    """The source of the package's ``__init__.py``."""
    return files(supplement, env)[f"{module_name(supplement)}/__init__.py"]


class PydicomExtension(Output[BuildContext]):
    name = "pydicom"
    folder = FOLDER
    summary = "installable pydicom/pynetdicom extension (python/) of the new entries"

    def write(self, ctx: BuildContext, out: Path) -> None:
        for relative, text in files(ctx.supplement, ctx.environment(FOLDER, markup=False,
                                                                    filters=TEXT_FILTERS)).items():
            target = out / PACKAGE_FOLDER / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
