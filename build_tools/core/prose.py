"""The small markup of prose fields: paragraphs, lists, notes, emphasis and references.

Blocks are separated by blank lines::

    A paragraph with *italic*, **bold** and a reference to {de:ContactMethod}.

    - an item of an itemized list
    - another item

    1. an item of an ordered list

    Note: a paragraph that starts with "Note:" is a note.

References are written ``{kind:target}``; the renderers turn each one into the right text and link, so a name,
tag or number is never typed twice. The kinds are listed in :data:`REF_KINDS`. ``\\{``, ``\\*`` and ``\\\\``
write the characters themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from build_tools.core.errors import Finding, Loc
from build_tools.core.model import Prose

#: Reference kinds and what their target is.
REF_KINDS: dict[str, str] = {
    "de": "a data element by keyword: Contact Method (0016,1003)",
    "module": "a module or macro by name: Dermoscopic Image Module",
    "iod": "an IOD by name: Dermoscopic Photography Image IOD",
    "section": "a section by number, in PS3.3 unless prefixed with the part (PS3.17:A.1): Section C.8.12.13",
    "table": "a table by label: Table C.8.12.13-1",
    "cid": "a context group by number: CID 29 “Acquisition Modality”",
    "code": "a code as SCHEME:VALUE: (DMS, DCM, “Dermoscopy”)",
    "uid": "a UID by keyword: Dermoscopic Photography Image Storage",
    "part": "a part of the standard: PS3.3",
    "value": "a literal value such as an Enumerated Value: CONTACT",
}


@dataclass(frozen=True)
class Text:
    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Emphasis:
    role: str  # "italic" or "bold"
    children: tuple
    kind: str = "emphasis"


@dataclass(frozen=True)
class Ref:
    ref: str  # one of REF_KINDS
    target: str
    loc: Loc = field(compare=False, default=Loc("<builtin>"))
    kind: str = "ref"


Inline = Text | Emphasis | Ref


@dataclass(frozen=True)
class Para:
    inlines: tuple
    kind: str = "para"


@dataclass(frozen=True)
class ItemList:
    ordered: bool
    items: tuple  # of tuples of inlines
    kind: str = "list"


@dataclass(frozen=True)
class Note:
    inlines: tuple
    kind: str = "note"


Block = Para | ItemList | Note

_BULLET = re.compile(r"^- +")
_NUMBER = re.compile(r"^\d+\. +")
_TOKEN = re.compile(r"\\([\\{}*])|\*\*|\*|\{([a-z]+):([^{}]*)\}|\{")


class _Source:
    """Maps offsets of the prose text back to file locations."""

    def __init__(self, prose: Prose):
        self.prose = prose
        self.starts = [0]
        for match in re.finditer("\n", prose.text):
            self.starts.append(match.end())

    def loc(self, offset: int) -> Loc:
        base = self.prose.loc
        if not base.line:
            return base
        positions = self.prose.positions
        if positions and offset >= positions[0][0]:
            start, line, column = max((p for p in positions if p[0] <= offset), key=lambda p: p[0])
            return Loc(base.file, line, column + offset - start)
        line = max(i for i, start in enumerate(self.starts) if start <= offset)
        column = offset - self.starts[line]
        if self.prose.block:
            # Block scalars lose their indentation; the column is the best estimate we have.
            return Loc(base.file, base.line + line, column + 1)
        return Loc(base.file, base.line + line, (base.column if line == 0 else 0) + column + 1)


def parse_inline(text: str, offset: int, source: _Source, findings: list[Finding]) -> tuple:
    """Parse inline markup of ``text`` (which starts at ``offset`` of the source)."""
    stack: list[tuple[str, list, int]] = [("", [], offset)]
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            stack[-1][1].append(Text("".join(buffer)))
            buffer.clear()

    position = 0
    for match in _TOKEN.finditer(text):
        buffer.append(text[position:match.start()])
        position = match.end()
        token = match.group(0)
        if match.group(1):
            buffer.append(match.group(1))
        elif token in ("*", "**"):
            role = "italic" if token == "*" else "bold"
            flush()
            if stack[-1][0] == role:
                _, children, _start = stack.pop()
                stack[-1][1].append(Emphasis(role, tuple(children)))
            else:
                stack.append((role, [], offset + match.start()))
        elif match.group(2) is not None:
            flush()
            kind, target = match.group(2), " ".join(match.group(3).split())  # a target may wrap a line
            where = source.loc(offset + match.start())
            if kind not in REF_KINDS:
                findings.append(Finding(where, f"unknown reference kind {{{kind}:…}}; expected one of "
                                               + ", ".join(REF_KINDS)))
                buffer.append(target)
            elif not target:
                findings.append(Finding(where, f"reference {{{kind}:}} has no target; expected {REF_KINDS[kind]}"))
            else:
                stack[-1][1].append(Ref(kind, target, where))
        else:
            findings.append(Finding(source.loc(offset + match.start()),
                                    "'{' starts no reference; write {kind:target} or \\{ for the character"))
            buffer.append("{")
    buffer.append(text[position:])
    flush()
    while len(stack) > 1:
        role, children, start = stack.pop()
        findings.append(Finding(source.loc(start), f"{'*' if role == 'italic' else '**'} is never closed; "
                                                   "close the emphasis or write \\* for the character"))
        stack[-1][1].append(Text("*" if role == "italic" else "**"))
        stack[-1][1].extend(children)
    return _merge(stack[0][1])


def join_text(nodes) -> tuple:
    """Inline nodes with neighbouring text nodes joined into one."""
    merged: list = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


def _merge(nodes: list) -> tuple:
    """Join neighbouring text nodes and fold whitespace (YAML line breaks are not meaningful)."""
    return tuple(Text(re.sub(r"\s+", " ", n.text)) if isinstance(n, Text) else n for n in join_text(nodes))


def _strip(inlines: tuple) -> tuple:
    if not inlines:
        return inlines
    items = list(inlines)
    if isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(i for i in items if not (isinstance(i, Text) and not i.text))


def parse(prose: Prose | None, findings: list[Finding] | None = None) -> tuple:
    """Parse a prose field into blocks; problems are appended to ``findings``."""
    if prose is None:
        return ()
    if findings is None:
        findings = []
    source = _Source(prose)
    blocks: list = []
    for match in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", prose.text):
        chunk, start = match.group(0), match.start()
        if not chunk.strip():
            continue
        lead = len(chunk) - len(chunk.lstrip("\n"))
        chunk, start = chunk[lead:], start + lead
        lines = chunk.split("\n")
        if _BULLET.match(lines[0].lstrip()) or _NUMBER.match(lines[0].lstrip()):
            ordered = bool(_NUMBER.match(lines[0].lstrip()))
            marker = _NUMBER if ordered else _BULLET
            items: list[tuple[str, int]] = []
            offset = start
            for line in lines:
                stripped = line.lstrip()
                found = marker.match(stripped)
                if found:
                    items.append((stripped[found.end():], offset + len(line) - len(stripped) + found.end()))
                elif items:
                    text, at = items[-1]
                    items[-1] = (text + "\n" + line, at)
                else:
                    items.append((line, offset))
                offset += len(line) + 1
            blocks.append(ItemList(ordered, tuple(_strip(parse_inline(t, at, source, findings)) for t, at in items)))
        elif chunk.lstrip().startswith("Note:"):
            skip = chunk.index("Note:") + len("Note:")
            blocks.append(Note(_strip(parse_inline(chunk[skip:], start + skip, source, findings))))
        else:
            blocks.append(Para(_strip(parse_inline(chunk, start, source, findings))))
    return tuple(blocks)


def parse_line(prose: Prose | str | None, findings: list[Finding] | None = None) -> tuple:
    """Parse a one-paragraph field (a table cell) into inlines."""
    if prose is None:
        return ()
    if isinstance(prose, str):
        prose = Prose(prose)
    blocks = parse(prose, findings)
    inlines: list = []
    for block in blocks:
        if inlines:
            inlines.append(Text(" "))
        inlines.extend(block.inlines if not isinstance(block, ItemList) else sum(block.items, ()))
    return tuple(inlines)


def refs(blocks: tuple) -> list[Ref]:
    """Every reference in parsed blocks, in order."""
    found: list[Ref] = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, Ref):
                found.append(node)
            elif isinstance(node, Emphasis):
                walk(node.children)
            elif isinstance(node, (Para, Note)):
                walk(node.inlines)
            elif isinstance(node, ItemList):
                for item in node.items:
                    walk(item)

    walk(blocks)
    return found


def plain(nodes, reference=None) -> str:
    """The text of inlines without markup: references shown as their target, or as ``reference(ref)`` says."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Emphasis):
            out.append(plain(node.children, reference))
        elif isinstance(node, Ref):
            out.append(node.target if reference is None else reference(node))
    return "".join(out)
