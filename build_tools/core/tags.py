"""Data element tags as text: the one place that writes ``(gggg,eeee)`` and reads it back.

PS3.6 writes a tag as ``(gggg,eeee)`` in upper-case hexadecimal; the standard's DocBook ids use the eight digits
(``tag_00161001``); Python sources use ``0x00161001``. Every stage formats and parses tags through here.
"""

from __future__ import annotations


def tag_text(tag: int) -> str:
    """``(gggg,eeee)`` in upper-case hexadecimal, as PS3.6 writes tags."""
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def tag_hex(tag: int) -> str:
    """The eight hexadecimal digits of a tag (``00161001``), as ids and Python literals use them."""
    return f"{tag:08X}"


def parse_tag(text: str) -> int | None:
    """``(gggg,eeee)`` to an int, or None when the text is not a tag."""
    text = text.strip()
    if len(text) != 11 or text[0] != "(" or text[5] != "," or text[10] != ")":
        return None
    try:
        return (int(text[1:5], 16) << 16) | int(text[6:10], 16)
    except ValueError:
        return None
