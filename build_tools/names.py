"""Keywords derived from names, by the rules PS3.6 uses for data element and UID keywords."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")


def keyword_from_name(name: str) -> str:
    """The keyword of a data element or UID name, e.g. "Contact Method" -> ``ContactMethod``.

    As PS3.6 does: a possessive "'s" is dropped ("Patient's Name" -> ``PatientName``), "(s)" joins its word
    ("Physician(s)" -> ``Physicians``), every word's first letter is
    capitalised with the rest kept as written (so "UID" and "pH" survive), and punctuation is dropped.
    """
    text = re.sub(r"['’]s\b", "", name)
    text = text.replace("(s)", "s")
    return "".join(word[0].upper() + word[1:] for word in _WORD.findall(text))
