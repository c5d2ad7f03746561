"""``dicomsup new``: start a supplement folder that lints clean and builds at once.

The files come from ``templates/scaffold/*.yaml.j2``; the comments listing each object's fields are generated
from the model (:mod:`build_tools.core.fields`), so they always match what the loader accepts.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

import jinja2
from pydicom.datadict import DicomDictionary, keyword_dict
from pydicom.uid import UID_dictionary

from build_tools.core.resources import template_folder
from build_tools.core.errors import relative
from build_tools.load.loader import plain_text
from build_tools.core.fields import class_by_name, default_text, field_docs, first_paragraph, type_text
from build_tools.core.names import keyword_from_name
from build_tools.standard import baseline

EXIT_OK, EXIT_INPUT = 0, 2
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .()/-]*[A-Za-z0-9.)]$|^[A-Za-z]$")
_YAML_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null"}
COMMENT_WIDTH = 118


class ScaffoldError(Exception):
    """A request ``dicomsup new`` cannot carry out; the message says what to do."""


def yaml_scalar(value: object) -> str:
    """``value`` as a YAML scalar: plain when that is unambiguous, else double-quoted."""
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def prose_text(value: object) -> str:
    """``value`` inside a prose field: the markup characters escaped."""
    return re.sub(r"([\\{}*])", r"\\\1", " ".join(str(value).split()))


def field_comments(class_name: str, indent: str = "", top: bool = False) -> str:
    """Comment lines that list the fields of a model class: key, required or default, type and meaning."""
    cls = class_by_name(class_name)
    if top:
        heading = "Top-level fields (each required one must be given in one of the files)"
    else:
        heading = f"{class_name}: {_plain(first_paragraph(cls))} Fields"
    lines = [f"{indent}# {heading}:"]
    for doc in field_docs(cls):
        status = _plain(default_text(doc))
        text = f"{doc.key} ({status}; {_plain(type_text(doc.type))}): {_plain(doc.doc)}"
        if doc.example is not None:
            text += f" E.g. {json.dumps(doc.example, ensure_ascii=False)}."
        lines.extend(textwrap.wrap(text, COMMENT_WIDTH - len(indent), initial_indent=f"{indent}#   ",
                                   subsequent_indent=f"{indent}#       ", break_on_hyphens=False))
    return "\n".join(lines)


def _plain(text: str) -> str:
    return plain_text(text)  # the same plain text as the loader's messages


def free_tag(group: int = 0x0018, start: int = 0x9F01) -> str:
    """The first tag of ``group`` from ``start`` on that PS3.6 (as pydicom knows it) does not define."""
    element = start
    while (group << 16 | element) in DicomDictionary:
        element += 1
    return f"({group:04X},{element:04X})"


STORAGE_ARC = "1.2.840.10008.5.1.4.1.1"


def free_storage_uid(start: int = 900) -> str:
    """A placeholder SOP Class UID in the Storage arc of PS3.6 Annex A, from ``start`` on, unused by PS3.6.

    The linter expects SOP Class UIDs under the DICOM root; the DICOM editor assigns the final one.
    """
    used = {uid[len(STORAGE_ARC) + 1:].split(".")[0] for uid in UID_dictionary if uid.startswith(STORAGE_ARC + ".")}
    number = start
    while str(number) in used:
        number += 1
    return f"{STORAGE_ARC}.{number}"


def free_dcm_code() -> str:
    """A numeric DCM code value above every one pydicom knows (a placeholder until the editor assigns one)."""
    try:
        from pydicom.sr._concepts_dict import concepts
    except ImportError:  # pragma: no cover - pydicom without the SR dictionaries
        return "999001"
    values = {value for by_value in concepts.get("DCM", {}).values() for value in by_value}
    numbers = [int(v) for v in values if v.isdigit()]
    return str(max(numbers, default=999000) + 1)


def _taken(stem: str) -> bool:
    """Whether a name the scaffold derives from ``stem`` is the standard's already: the IOD, the module, the data
    element's keyword or the UID's keyword (a title such as "Confocal Microscopy" names a published IOD)."""
    standard_uid_keywords = {entry[4] for entry in UID_dictionary.values()}
    return (baseline.iod(f"{stem} Image") is not None or baseline.entry(f"{stem} Acquisition") is not None
            or keyword_from_name(f"{stem} Acquisition Method") in keyword_dict
            or keyword_from_name(f"{stem} Image Storage") in standard_uid_keywords)


def free_stem(stem: str) -> str:
    """``stem``, or ``stem Draft`` (``Draft 2`` …) when the standard has a name made from it, so that the scaffold
    defines only new things and lints clean with ``--strict`` whatever the title."""
    candidate, n = stem, 1
    while _taken(candidate):
        candidate = f"{stem} Draft" + (f" {n}" if n > 1 else "")
        n += 1
    return candidate


def context(name: str, title: str, number: int, wg: str, today: datetime.date) -> dict:
    """The values the templates fill in."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    if not words or not words[0][0].isalpha():
        words = ["New"] + words
    stem = free_stem(" ".join(w[0].upper() + w[1:] for w in words))
    element = f"{stem} Acquisition Method"
    keyword = keyword_from_name(element)
    uid_name = f"{stem} Image Storage"
    return {
        "name": name,
        "title": " ".join(title.split()),
        "title_prose": prose_text(title),
        "number": number,
        "wg": " ".join(wg.split()),
        "date": today.isoformat(),
        "iod": f"{stem} Image",
        "module": f"{stem} Acquisition",
        "element": element,
        "keyword": keyword,
        "tag": free_tag(),
        "uid": free_storage_uid(),
        "uid_name": uid_name,
        "uid_keyword": keyword_from_name(uid_name),
        "code_value": free_dcm_code(),
        "code_meaning": f"{stem} Image",
        # Editor completion and inline errors once `dicomsup build` wrote the schema (output/ beside spec/).
        "modeline": "# yaml-language-server: $schema=../../output/schema/supplement.schema.json",
    }


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_folder("scaffold")), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = yaml_scalar
    env.filters["prose"] = prose_text
    env.globals["fields"] = field_comments
    return env


def render_files(values: dict) -> dict[str, str]:
    """File name to text, for every template of ``templates/scaffold``."""
    env = environment()
    names = sorted(p.name for p in template_folder("scaffold").glob("*.yaml.j2"))
    return {n.removesuffix(".j2"): env.get_template(n).render(**values) for n in names}


def scaffold(spec_root: Path, name: str, title: str, number: int, wg: str,
             today: datetime.date | None = None) -> Path:
    """Write ``spec_root/name/`` with every file; refuse when it exists. Returns the new folder."""
    if not _NAME.match(name):
        raise ScaffoldError(f"{name!r} is not a supplement folder name; use lower-case letters, digits, '-' and "
                            "'_' (e.g. wound-photography)")
    if number <= 0:
        raise ScaffoldError(f"--number must be a positive supplement number, not {number}")
    for label, value in (("--title", title), ("--wg", wg)):
        if not value.strip():
            raise ScaffoldError(f"{label} must not be empty")
    target = spec_root / name
    if target.exists():
        raise ScaffoldError(f"{relative(target)} already exists; choose another name or remove the folder first "
                            "(dicomsup new never overwrites)")
    files = render_files(context(name, title, number, wg, today or datetime.date.today()))
    staging: Path | None = None
    try:
        spec_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-new-", dir=spec_root))
        for file_name, text in files.items():
            (staging / file_name).write_text(text, encoding="utf-8")
        os.rename(staging, target)  # fails, rather than merges, if the folder appeared meanwhile
    except OSError as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise ScaffoldError(f"cannot create {relative(target)}: {exc.strerror or exc}") from None
    return target
