"""The English of structured conditions, as the standard writes them.

``describe`` gives the clause ("Contact Method (0016,1003) is CONTACT"); ``requirement`` gives the sentence of a
Type 1C/2C description cell or a C usage ("Required if Contact Method (0016,1003) is CONTACT."). Attribute names
and tags come from the index (the supplement's own data elements, else PS3.6), never from the condition's text.

Both return inlines (:class:`build_tools.core.prose.Text` nodes) so that renderers treat them like any other text.
"""

from __future__ import annotations

from build_tools.standard.index import Index
from build_tools.core.model import Condition
from build_tools.core.prose import Text

_REQUIRED = "Required if "


def attribute_phrase(path: str, index: Index) -> str:
    """``AnatomicRegionSequence>CodeValue`` -> "Code Value (0008,0100) in Anatomic Region Sequence (0008,2218)"."""
    names = []
    for keyword in (part.strip() for part in path.split(">")):
        element = index.element(keyword)
        names.append(f"{element.name} {element.tag_text}" if element else keyword)
    return " in ".join(reversed(names))


def _values(values: list[str], joiner: str) -> str:
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + f" {joiner} " + values[-1]


def _subject(condition: Condition, index: Index) -> str:
    phrase = attribute_phrase(condition.attribute or "", index)
    if condition.value_index is not None:
        return f"Value {condition.value_index} of {phrase}"
    return phrase


def _named(condition: Condition) -> str:
    text = (condition.text or condition.named or "").strip().rstrip(".")
    return text[len(_REQUIRED):] if text.startswith(_REQUIRED) else text


def clause(condition: Condition, index: Index, nested: bool = False) -> str:
    """The condition as an English clause (no leading "Required if", no final full stop)."""
    if condition.named is not None:
        return _named(condition)
    if condition.present is not None:
        return f"{attribute_phrase(condition.present, index)} is present"
    if condition.absent is not None:
        return f"{attribute_phrase(condition.absent, index)} is absent"
    if condition.attribute is not None:
        if condition.one_of:
            return f"{_subject(condition, index)} is {_values(condition.one_of, 'or')}"
        return f"{_subject(condition, index)} is {condition.equals}"
    if condition.all:
        parts = [clause(c, index, nested=True) for c in condition.all]
        text = _values(parts, "and")
        return f"both {text}" if nested and len(parts) == 2 else text
    if condition.any:
        parts = [clause(c, index, nested=True) for c in condition.any]
        text = _values(parts, "or")
        return f"either {text}" if nested else text
    if condition.not_ is not None:
        return _negate(condition.not_, index, nested)
    return ""


def _negate(condition: Condition, index: Index, nested: bool = False) -> str:
    """The negation as a positive clause; "not all" and "not any" by De Morgan's laws ("X is absent or Y is not
    Z"), as the standard words its conditions."""
    if condition.present is not None:
        return f"{attribute_phrase(condition.present, index)} is absent"
    if condition.absent is not None:
        return f"{attribute_phrase(condition.absent, index)} is present"
    if condition.attribute is not None:
        if condition.one_of:
            return f"{_subject(condition, index)} is not {_values(condition.one_of, 'or')}"
        return f"{_subject(condition, index)} is not {condition.equals}"
    if condition.all:
        parts = [_negate(c, index, nested=True) for c in condition.all]
        text = _values(parts, "or")
        return f"either {text}" if nested else text
    if condition.any:
        parts = [_negate(c, index, nested=True) for c in condition.any]
        text = _values(parts, "and")
        return f"both {text}" if nested and len(parts) == 2 else text
    if condition.not_ is not None:
        return clause(condition.not_, index, nested=nested)
    return f"it is not the case that {clause(condition, index, nested=True)}"


def describe(condition: Condition, index: Index) -> tuple[Text, ...]:
    """The condition as inlines: "Contact Method (0016,1003) is CONTACT"."""
    return (Text(clause(condition, index)),)


def requirement(condition: Condition, index: Index, otherwise: str = "absent") -> tuple[Text, ...]:
    """The full requirement: "Required if …." plus "May be present otherwise." when ``otherwise`` says so."""
    text = f"{_REQUIRED}{clause(condition, index)}."
    if otherwise == "may be present":
        text += " May be present otherwise."
    return (Text(text),)
