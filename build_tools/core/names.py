"""Keywords derived from names, by the rules PS3.6 uses for data element and UID keywords."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")

#: Hyphenated words that PS3.6 writes as one word in keywords ("Sub-operations" -> ``Suboperations``).
#: Other hyphenated words keep a capital after the hyphen ("Multi-frame" -> ``MultiFrame``), so this is a list.
_JOINED = re.compile(r"\b(Sub|De|Pre|Cut|Multi|A|B)-(operation|identifi|coupl|saturation|off|energy|channel|scan)",
                     re.IGNORECASE)

#: Lower-case units and placeholders that keywords keep in lower case ("in ppm" -> ``Inppm``).
_LOWER_WORDS = {"ppm", "ms", "dt", "yyy", "zzz", "bit"}

_NUMBERS = ["Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
            "Twelve"]

#: Names whose PS3.6 keyword follows no rule (kept as documented exceptions).
EXCEPTIONS = {
    "Radius Along the Wedge": "RadiusAlongWedge",
    "Summarized Filter Lookup Table Sequence": "SummarizedFilterLookupTable",
    "Analog Filter Type Code Sequence": "AnalogFilterType",
}


def _word(word: str) -> str:
    if word in _LOWER_WORDS:
        return word
    if word[0].islower() and any(ch.isupper() for ch in word[1:]):
        return word  # a unit such as mA, kV, dB, uAs, mGy keeps its case
    return word[0].upper() + word[1:]


def keyword_from_name(name: str) -> str:
    """The keyword of a data element or UID name, e.g. "Contact Method" -> ``ContactMethod``.

    As PS3.6 does: a possessive "'s" is dropped ("Patient's Name" -> ``PatientName``), "(s)" joins its word
    ("Physician(s)" -> ``Physicians``), every word's first letter is capitalised with the rest kept as written
    (so "UID" survives), units written in mixed case keep it ("in mA" -> ``InmA``), a few hyphenated words are
    joined ("De-identification" -> ``Deidentification``), a leading number is spelled out ("2D" -> ``TwoD``), an
    abbreviation in parentheses is dropped ("(FOI)") and punctuation is dropped. :data:`EXCEPTIONS` lists the
    few names whose keyword follows no rule.
    """
    if name in EXCEPTIONS:
        return EXCEPTIONS[name]
    text = re.sub(r"['’]s\b", "", name)
    text = text.replace("(s)", "s")
    text = re.sub(r"\s*\([A-Z]{2,}\)", "", text)  # an abbreviation in parentheses: "(FOI)"
    text = _JOINED.sub(lambda m: m.group(1) + m.group(2).lower(), text)
    keyword = "".join(_word(word) for word in _WORD.findall(text))
    number = re.match(r"\d+", keyword)
    if number and int(number.group(0)) < len(_NUMBERS):
        keyword = _NUMBERS[int(number.group(0))] + keyword[number.end():]
    return keyword


_UID_SUFFIXES = [(re.compile(r"\s+SOP Class( UID)?$"), ""), (re.compile(r"\s+SOP Instance$"), " Instance"),
                 (re.compile(r"\s+Service Class$"), ""), (re.compile(r"\s+Frame of Reference$"), ""),
                 (re.compile(r"\s+-\s+(FIND|MOVE|GET)$"), lambda m: " " + m.group(1).capitalize())]


def uid_keyword_from_name(name: str) -> str:
    """The keyword of a UID name: as :func:`keyword_from_name`, after dropping the suffixes PS3.6 drops
    ("Verification SOP Class" -> ``Verification``, "... - FIND" -> ``...Find``)."""
    for pattern, replacement in _UID_SUFFIXES:
        name = pattern.sub(replacement, name)
    return keyword_from_name(name)
