"""Evaluating a structured :class:`~build_tools.core.model.Condition` on a pydicom dataset.

The example generator and the verifier both ask "does this condition hold for this instance?", so they cannot
disagree. The answer is ``True``, ``False`` or ``None`` (unknown: a ``named`` condition, whose logic the catalog
does not encode, or a malformed condition). A ``named`` (prose) condition takes the truth the caller assumes for
it (``assumed``: an example variant's ``conditions``, or ``dicomsup verify --assume``), else it is unknown.

Where an attribute is looked up: a condition written on a sequence item is evaluated on that item first, then on the
datasets that enclose it (innermost first), because PS3.3 conditions inside items mostly refer to attributes of the
same item and sometimes to the enclosing dataset. A keyword path ``A>B`` reaches inside the items of sequence ``A``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Sequence

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.datadict import tag_for_keyword
from pydicom.tag import BaseTag

from build_tools.core.model import Condition

Stack = Sequence[Dataset]  # outermost first, the dataset the condition is written on last
Resolver = Callable[[str], "int | None"]  # keyword to tag; the supplement's new keywords are unknown to pydicom


#: Keyword paths split into their parts, and conditions' forms, remembered: the verifier asks the same few
#: hundred conditions of every file. Keyed by the path, and by the condition's id with the condition kept (so an
#: id is never reused while remembered); both bounded by the conditions of the catalog and the supplements.
_PARTS: dict[str, list[str]] = {}
_FORMS: dict[int, tuple[Condition, list[str]]] = {}
_TAGS: dict[int, BaseTag] = {}


def _parts(path: str) -> list[str]:
    found = _PARTS.get(path)
    if found is None:
        found = [p.strip() for p in path.split(">") if p.strip()]
        if len(_PARTS) < 100_000:
            _PARTS[path] = found
    return found


def _forms(condition: Condition) -> list[str]:
    found = _FORMS.get(id(condition))
    if found is not None and found[0] is condition:
        return found[1]
    forms = condition.forms()
    if len(_FORMS) < 100_000:
        _FORMS[id(condition)] = (condition, forms)
    return forms


def _lookup(stack: Stack, path: str, resolve: Resolver) -> list[Any] | None:
    """The elements that ``path`` names (several when it passes through sequences with several items).

    ``None`` when the attribute is absent everywhere; an empty list never happens.
    """
    parts = _parts(path)
    if not parts:
        return None
    for dataset in reversed(list(stack)):
        found = _walk([dataset], parts, resolve)
        if found:
            return found
    return None


def _walk(datasets: list[Dataset], parts: list[str], resolve: Resolver) -> list[Any]:
    number = resolve(parts[0])
    if number is None:
        return []
    tag = _TAGS.get(number)
    if tag is None:
        tag = _TAGS[number] = BaseTag(number)  # pydicom finds its own tag type much faster than an int
    found = []
    for dataset in datasets:
        try:
            if tag not in dataset.keys():
                continue
            element = dataset[tag]
        except Exception:  # an element pydicom cannot decode counts as present but unreadable
            continue
        if len(parts) == 1:
            found.append(element)
        elif element.VR == "SQ" and element.value:
            found.extend(_walk(list(element.value), parts[1:], resolve))
    return found


def raw_values(element: Any) -> list[Any]:
    """The values of an element as pydicom decoded them: none for an empty value, bytes or a value that cannot be
    decoded; a multi-valued element's each."""
    try:
        value = element.value
    except Exception:
        return []
    if value is None or value == "" or value == b"":
        return []
    if isinstance(value, (bytes, bytearray)):
        return []
    return list(value) if isinstance(value, (list, tuple, MultiValue)) else [value]


def values_of(element: Any) -> list[str]:
    """The values of an element as strings, as PS3.3 conditions compare them (``3`` and ``"3"`` alike)."""
    return [normalize(v) for v in raw_values(element)]


#: The first characters of a text that ``float`` may read (a sign, a digit, a point, inf or nan); any other ASCII
#: character means it is not a number, which spares raising and catching a ValueError for every code value.
_NUMBER_START = frozenset("0123456789+-.iInN")


def normalize(value: Any) -> str:
    """A value as text, with numbers written canonically (``"08"`` and ``8`` compare equal)."""
    text = str(value).strip()
    if not text or (text[0] not in _NUMBER_START and text[0].isascii()):
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    if number.is_integer():
        return str(int(number))
    return repr(number)


def _compare(elements: list[Any] | None, wanted: list[str], index: int | None) -> bool:
    if not elements:
        return False
    targets = {normalize(w) for w in wanted}
    for element in elements:
        values = values_of(element)
        if index is not None:
            values = values[index - 1:index] if index >= 1 else []
        if any(v in targets for v in values):
            return True
    return False


def evaluate(condition: Condition | None, stack: Stack, resolve: Resolver = tag_for_keyword, *,
             assumed: Mapping[str, bool] | None = None) -> bool | None:
    """Whether ``condition`` holds for the dataset ``stack[-1]`` (with its enclosing datasets before it).

    ``resolve`` turns keywords into tags (pydicom's dictionary by default; pass the supplement's index to know
    its new data elements too). ``assumed`` gives the truth of ``named`` conditions by their identifier; one it
    does not give is unknown (None).
    """
    if condition is None:
        return True
    forms = _forms(condition)
    if len(forms) != 1:
        return None
    form = forms[0]
    if form == "named":
        if assumed is not None and condition.named in assumed:
            return bool(assumed[condition.named])
        return None
    if form == "present":
        return _lookup(stack, condition.present or "", resolve) is not None
    if form == "absent":
        return _lookup(stack, condition.absent or "", resolve) is None
    if form == "attribute":
        if condition.attribute is None:
            return None
        if condition.equals is not None:
            wanted = [condition.equals]
        elif condition.one_of is not None:
            wanted = list(condition.one_of)
        else:
            return None
        return _compare(_lookup(stack, condition.attribute, resolve), wanted, condition.value_index)
    if form == "not":
        inner = evaluate(condition.not_, stack, resolve, assumed=assumed)
        return None if inner is None else not inner
    if form == "all":
        results = [evaluate(c, stack, resolve, assumed=assumed) for c in condition.all or []]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if form == "any":
        results = [evaluate(c, stack, resolve, assumed=assumed) for c in condition.any or []]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    return None
