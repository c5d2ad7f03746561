"""The baseline files (``data/baseline*.json``), each read once and only when a lookup needs it.

Which baseline: the committed one, unless the environment variable ``DICOMSUP_BASELINE`` names the folder of
another (one that ``dicomsup baseline import`` wrote, or any folder holding the same three files). The variable is
read on the first lookup; :func:`reset` forgets what was read (for tests and long-running processes).

Plain JSON, parsed by the standard library's C decoder (25 to 50 ms for the three files), and no compiled cache:
measured (``benchmarks/bench_startup.py``), ``marshal`` of the same data loads only 10-20 % faster, and since
``marshal.loads`` is not safe on a damaged or hostile file, a cache would have to check that it holds plain data
before use, which makes it 1.5-1.8x slower than ``json.loads``; pickle could run code. So there is nothing to keep in
step with the data, to trust or to report stale (``docs/baseline.rst``). Lookups are by dict; a module's model
objects are built the first time it is asked for.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from build_tools.core.errors import Finding, InputError, Loc
from build_tools.core.model import Module
from build_tools.core.resources import data_file
from build_tools.standard.entries import ModuleEntry, StandardIOD, StandardSOPClass
from build_tools.standard.rows import Converter

T = TypeVar("T")

FORMAT = 1
ABOUT_FILE = "baseline.json"
MODULES_FILE = "baseline-modules.json"
IODS_FILE = "baseline-iods.json"
FILES = (ABOUT_FILE, MODULES_FILE, IODS_FILE)
ENV = "DICOMSUP_BASELINE"


def configured() -> Path | None:
    """The folder ``DICOMSUP_BASELINE`` names (a ``baseline.json`` in it may be named instead); None: committed."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    return path.parent if path.name == ABOUT_FILE else path


def path_of(name: str) -> Path:
    folder = configured()
    return folder / name if folder is not None else data_file(name)


@cache
def read(name: str) -> dict[str, Any]:
    """One baseline file, parsed."""
    path = path_of(name)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError([Finding(Loc(str(path)), f"cannot read the baseline that {ENV} names: "
                                                  f"{error.strerror or error}")]) from None
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise InputError([Finding(Loc(str(path)), f"not a baseline file: {error}")]) from None
    if not isinstance(data, dict):
        raise InputError([Finding(Loc(str(path)), "not a baseline file: not a JSON object")])
    if data.get("format") != FORMAT:
        raise InputError([Finding(Loc(str(path)), f"baseline format {data.get('format')!r} is not {FORMAT}; "
                                                  "regenerate it with scripts/make_baseline.py")])
    return data


def read_optional(name: str) -> dict[str, Any] | None:
    """A file that only some baselines have (``baseline-registry.json``, ``baseline-text.json``); None if absent."""
    return read(name) if path_of(name).is_file() else None


def reset() -> None:
    """Forget every file read and model built, so that the next lookup reads the baseline configured then."""
    for function in (read, raw_modules, entries, served_names, _converter, attribute_uses, iods, sop_classes):
        function.cache_clear()
    _modules.clear()
    _generation[0] += 1


#: How many times :func:`reset` ran (see :func:`per_baseline`).
_generation = [0]


def per_baseline(function: Callable[..., T]) -> Callable[..., T]:
    """``functools.cache`` for a function of the baseline, kept only as long as that baseline: a later stage's
    facts derived from it (the ids of a part, the sections it knows …) are forgotten with it by :func:`reset`, so
    that they never outlive the baseline they came from."""
    cached = cache(function)
    seen = [_generation[0]]

    @wraps(function)
    def current(*args: Any) -> T:
        if seen[0] != _generation[0]:
            cached.cache_clear()
            seen[0] = _generation[0]
        return cached(*args)

    current.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return current


@cache
def raw_modules() -> dict[str, dict[str, Any]]:
    """Every module entry of the JSON by lookup name, carried ones included."""
    return {entry["name"]: entry for entry in read(MODULES_FILE)["modules"]}


@cache
def entries() -> dict[str, ModuleEntry]:
    return {name: ModuleEntry.from_json(raw) for name, raw in raw_modules().items()}


@cache
def served_names() -> tuple[str, ...]:
    """The names served as baseline modules: every entry but those a supplement of this repository defines."""
    return tuple(name for name, raw in raw_modules().items() if not raw.get("carried"))


@cache
def _converter() -> Converter:
    data = read(MODULES_FILE)
    return Converter(data["value_sets"], data["conditions"])


_modules: dict[str, Module] = {}


def module(name: str) -> Module | None:
    """The model :class:`Module` of entry ``name`` (carried ones included), built once."""
    found = _modules.get(name)
    if found is None:
        raw = raw_modules().get(name)
        if raw is None:
            return None
        found = _modules[name] = _converter().module(raw)
    return found


@cache
def attribute_uses() -> dict[str, tuple[tuple[str, str], ...]]:
    """Keyword -> ``(entry name, Type)`` of each row naming it (read off the JSON, no model objects built)."""
    uses: dict[str, list[tuple[str, str]]] = {}

    def walk(name: str, rows: list[dict]) -> None:
        for row in rows:
            if "a" in row:
                uses.setdefault(row["a"], []).append((name, row["t"]))
                walk(name, row.get("i", ()))

    for name, raw in raw_modules().items():
        walk(name, raw.get("rows") or ())
    return {keyword: tuple(found) for keyword, found in uses.items()}


@cache
def iods() -> dict[str, StandardIOD]:
    return {raw["name"]: StandardIOD.from_json(raw) for raw in read(IODS_FILE)["iods"]}


@cache
def sop_classes() -> dict[str, StandardSOPClass]:
    return {raw["uid"]: StandardSOPClass.from_json(raw) for raw in read(ABOUT_FILE)["sop_classes"]}
