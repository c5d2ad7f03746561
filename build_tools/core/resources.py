"""The package's data files: the Jinja templates and the standard's data, found through :mod:`importlib.resources`.

In an installed wheel the templates are the package ``build_tools.templates`` (``pyproject.toml`` maps the
repository's top-level ``templates/`` folder there); in a source checkout or an editable install they are that
folder itself. A missing data file is a hard error with a message, never an empty result.
"""

from __future__ import annotations

from functools import cache
import importlib.util
from importlib import resources
from pathlib import Path

from build_tools.core.errors import Finding, InputError, Loc


class DataMissing(InputError):
    """A data file the package needs is not where the installation should have put it."""


def _missing(what: str, where: str) -> DataMissing:
    return DataMissing([Finding(Loc(where), f"{what} is missing from this installation of dicomsup; "
                                            "reinstall the package (pip install dicomsup, or pip install -e . "
                                            "in a checkout)")])


def _package_folder(package: str) -> Path | None:
    """The folder of an installed package, also when it is a namespace package (``build_tools.templates`` has
    no ``__init__.py``: :func:`importlib.resources.files` then gives a multiplexed path, not a folder)."""
    try:
        found = importlib.util.find_spec(package)
    except ModuleNotFoundError:
        return None
    for location in (found.submodule_search_locations or []) if found else []:
        if Path(location).is_dir():
            return Path(location)
    return None


@cache
def templates() -> Path:
    """The folder of Jinja templates (``docbook/``, ``html/``, ``dictionaries/``, ``scaffold/`` …)."""
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "docbook").is_dir():  # a source checkout or an editable install: the folder as edited
        return checkout
    packaged = _package_folder("build_tools.templates")
    if packaged is not None and (packaged / "docbook").is_dir():
        return packaged
    raise _missing("the templates folder", str(checkout))


def template_folder(kind: str) -> Path:
    """``templates/<kind>/``; an error when the installation lacks it."""
    folder = templates() / kind
    if not folder.is_dir():
        raise _missing(f"the templates folder {kind}/", str(folder))
    return folder


def data_file(name: str) -> Path:
    """A file of ``build_tools/standard/data/`` (the committed baseline of the standard)."""
    path = Path(str(resources.files("build_tools.standard") / "data" / name))
    if not path.is_file():
        raise _missing(f"the data file {name}", str(path))
    return path


@cache
def environment(kind: str, *, markup: bool = True):
    """The Jinja environment of ``templates/<kind>/`` (and ``templates/common/`` when present), strict.

    ``markup`` environments autoescape (XML, HTML); the others (Python, ``.dic``, Markdown, YAML) leave escaping to
    the code that computes the values. One per kind, so compiled templates are reused between builds (``watch``);
    Jinja reloads a template whose file changed.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    folders = [str(template_folder(kind))]
    if (templates() / "common").is_dir():
        folders.append(str(templates() / "common"))
    escape = (select_autoescape(enabled_extensions=("xml", "html", "htm", "j2"), default_for_string=True,
                                default=True) if markup else False)
    return Environment(loader=FileSystemLoader(folders), autoescape=escape, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
