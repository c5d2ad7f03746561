"""Reading YAML safely, keeping the line and column of every node.

Only plain YAML is accepted: no aliases or anchors (so no "billion laughs"), no tags other than the standard
scalar, sequence and mapping tags (so no ``!!python/object``), no duplicate keys, and UTF-8 text only.
The result is PyYAML's node graph; :mod:`build_tools.load.loader` binds it to the typed model.

When PyYAML was built with libyaml, its C parser (``yaml.CParser``, the parser of ``yaml.CSafeLoader``) produces
the events, several times faster than the pure-Python scanner and parser; the strict composer, the resolver and so
every check above stay the Python ones, and the nodes carry the same marks (index, line, column, buffer). Any text
the C path does not take as it stands (a character the Python reader refuses, a construct the two parsers read
differently, an alias, a syntax error …) is read again by the pure-Python loader, which decides and reports it: the
findings are the same words at the same places either way (``tests/load/test_libyaml.py`` holds the two to that).
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from build_tools.core.errors import Finding, InputError, Loc, relative

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class _Refused(yaml.composer.ComposerError):
    """YAML that parses but uses a feature a spec may not use (an anchor or an alias)."""


class _StrictComposer(Composer):
    """A composer that refuses aliases and anchors before anything is built from them."""

    #: Deepest nesting of lists and mappings accepted; a supplement needs about ten, and the composer recurses.
    MAX_DEPTH = 100

    def compose_node(self, parent, index):  # type: ignore[override]
        depth = getattr(self, "_depth", 0)
        if depth >= self.MAX_DEPTH:
            raise _Refused(None, None, f"lists and mappings nest more than {self.MAX_DEPTH} levels deep here; a "
                                       "supplement spec needs far fewer", self.peek_event().start_mark)
        self._depth = depth + 1
        try:
            return self._compose_checked(parent, index)
        finally:
            self._depth = depth

    def _compose_checked(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(None, None, "aliases (*name) are not allowed in a supplement spec; write the value out",
                           event.start_mark)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(None, None, f"anchors (&{anchor}) are not allowed in a supplement spec; write the value "
                                       "out", event.start_mark)
        return super().compose_node(parent, index)


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _StrictComposer,
              yaml.resolver.Resolver):
    """SafeLoader's resolver with the strict composer; it never constructs Python objects."""

    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        yaml.resolver.Resolver.__init__(self)


#: The header of a block scalar as the Python scanner takes it: the indicators, then a space or the line's end.
_BLOCK_HEADER = re.compile(r"[|>](?:[-+][0-9]?|[0-9][-+]?)?[ \n\0]")


class _Diverges(Exception):
    """Text that libyaml reads otherwise than the Python parser: the pure-Python loader reads it."""


def _c_loader() -> type | None:
    """The strict composer on libyaml's parser, or None when PyYAML has no libyaml."""
    try:
        from yaml.cyaml import CParser as parser
    except ImportError:  # PyYAML without libyaml
        return None

    # The composer comes first, so that its Python compose methods (with the checks) are used rather than the
    # C parser's own; the C parser only supplies check_event, peek_event and get_event.
    class _CLoader(_StrictComposer, parser, yaml.resolver.Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str):
            parser.__init__(self, stream)
            _StrictComposer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._buffer = stream + "\0"  # what the Python reader's marks hold (text_positions reads it)
            self._starts = [0] + [m.end() for m in re.finditer("\n", stream)]
            self._flow = 0  # how many flow collections ([…], {…}) the node being composed is inside

        def _marked(self, node: Node) -> Node:
            """The node with marks as the Python reader makes them: libyaml's have no buffer, and at the end of
            a text without a final line break libyaml counts one line more. Their indexes are characters, as the
            Python reader's are, so the line and column are worked out from the index (the text has no line
            break but \\n and no U+FEFF: see _compose_fast)."""
            for attribute in ("start_mark", "end_mark"):
                mark = getattr(node, attribute)
                line = bisect.bisect_right(self._starts, mark.index) - 1
                setattr(node, attribute, yaml.error.Mark(mark.name, mark.index, line, mark.index - self._starts[line],
                                                         self._buffer, mark.index))
            return node

        def compose_scalar_node(self, anchor):  # type: ignore[override]
            node = super().compose_scalar_node(anchor)
            node.style = node.style or None  # libyaml says '' for a plain scalar, the Python parser None
            if self._flow and node.style is None and (node.value == "" or "?" in node.value):
                # In a flow collection, libyaml places an empty value ("{a: }") at the next token, the Python
                # parser right after the ':'; and libyaml reads "{a: b ? c}" as the plain "b ? c", where the
                # Python scanner ends a plain scalar at the "?".
                raise _Diverges("a plain scalar the parsers read differently")
            if node.style in ("|", ">") and not _BLOCK_HEADER.match(self._buffer, node.start_mark.index):
                raise _Diverges("libyaml takes '|#', the Python scanner wants a space before the comment")
            return self._marked(node)

        def compose_sequence_node(self, anchor):  # type: ignore[override]
            return self._marked(self._nested(super().compose_sequence_node, anchor))

        def compose_mapping_node(self, anchor):  # type: ignore[override]
            return self._marked(self._nested(super().compose_mapping_node, anchor))

        def _nested(self, compose, anchor) -> Node:
            flow = bool(self.peek_event().flow_style)
            self._flow += flow
            try:
                return compose(anchor)
            finally:
                self._flow -= flow

    return _CLoader


#: Characters after which libyaml and the Python scanner part ways: a tab (libyaml takes "key:\tvalue", which the
#: Python scanner refuses), line breaks other than \n and U+FEFF (counted differently in lines and columns). Text
#: holding any of them is read by the Python loader alone.
_PYTHON_ONLY = re.compile("[\t\r\x85\u2028\u2029\ufeff]")

#: The libyaml-based loader, or None (then, and in tests that set it to None, the pure-Python one reads all).
FAST_LOADER: type | None = _c_loader()
_UNDECIDED = object()


def _compose_fast(text: str) -> Any:
    """The node graph of ``text`` through libyaml, or ``_UNDECIDED`` when the pure-Python loader must read it.

    Text where the two would part ways goes the Python way: characters the Python reader refuses and libyaml lets
    through, those of ``_PYTHON_ONLY``, and what the composer finds libyaml to read otherwise (``_Diverges``); so
    does any text the C path raises on, whatever the error: the Python loader's findings are the reference.
    """
    if FAST_LOADER is None or _PYTHON_ONLY.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return _UNDECIDED
    try:
        loader = FAST_LOADER(text)
    except Exception:  # noqa: BLE001 - see above: the pure-Python loader reports it
        return _UNDECIDED
    try:
        return loader.get_single_node()
    except Exception:  # noqa: BLE001
        return _UNDECIDED
    finally:
        loader.dispose()


def loc_of(file: str, node: Node) -> Loc:
    """The 1-based location where ``node`` starts."""
    mark = node.start_mark
    return Loc(file, mark.line + 1, mark.column + 1)


def read_yaml(path: Path) -> tuple[str, Node | None]:
    """Read one YAML file into a node graph; raise :class:`InputError` with a located message on any fault."""
    name = relative(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Finding(Loc(name), f"cannot read file: {exc.strerror or exc}", code="DS001")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Finding(Loc(name, line, column),
                                  f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8",
                                  code="DS002")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError([Finding(Loc(name, 1, 1), "file is empty; expected a YAML mapping of fields", code="DS003")])
    node = _compose_fast(text)
    if node is _UNDECIDED:
        node = _compose(name, text)
    if node is None:
        raise InputError([Finding(Loc(name, 1, 1), "file holds no YAML document; expected a mapping of fields",
                                  code="DS003")])
    bad = _first_bad_tag(node)
    if bad is not None:
        raise InputError([Finding(loc_of(name, bad),
                                  f"YAML tag {bad.tag!r} is not allowed; only plain values, lists and mappings",
                                  code="DS006")])
    return name, node


def _compose(name: str, text: str) -> Node | None:
    """The node graph of ``text`` through the pure-Python loader; an :class:`InputError` saying what is wrong."""
    loader = None
    try:
        loader = _Loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except (OverflowError, ValueError) as exc:  # e.g. "\UFFFFFFFF": an escape beyond Unicode
        mark = loader.get_mark() if loader is not None else None
        where = Loc(name, mark.line + 1, mark.column + 1) if mark else Loc(name)
        raise InputError([Finding(where, "invalid YAML: an escape sequence or value here is out of range "
                                         f"({' '.join(str(exc).split())}); write the character itself",
                                  code="DS004")]) from None
    except _Refused as exc:
        mark = exc.problem_mark
        raise InputError([Finding(Loc(name, mark.line + 1, mark.column + 1), f"invalid YAML: {exc.problem}",
                                  code="DS006")]) from None
    except yaml.MarkedYAMLError as exc:
        mark, message = explain(exc, text)
        where = Loc(name, mark.line + 1, mark.column + 1) if mark else Loc(name)
        raise InputError([Finding(where, f"invalid YAML: {message}", code="DS004")]) from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark, only an offset into the text
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        point = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError([Finding(Loc(name, line, column), f"character U+{point:04X} is not allowed in YAML; "
                                                           "remove it", code="DS005")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Finding(Loc(name), "invalid YAML: " + " ".join(str(exc).split()), code="DS004")]) from None


def _indentation(lines: list[str], mark: Any) -> str:
    """A line indented wrongly: where it starts, where the line above starts, and the rule."""
    rule = ("the keys of one mapping start in the same column, and so do the '- ' items of one list; indent with "
            "spaces")
    if mark is None or mark.line >= len(lines):
        return f"this line does not line up with the lines above it: {rule}"
    here = len(lines[mark.line]) - len(lines[mark.line].lstrip(" ")) + 1
    for above in reversed(lines[: mark.line]):
        stripped = above.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            column = len(above) - len(stripped) + 1
            if stripped.startswith("- "):  # the key after a dash starts further right
                column += len(stripped) - len(stripped[1:].lstrip(" "))
            if column != here:
                return (f"this line starts in column {here} but the key above starts in column {column}: {rule}")
            break
    return f"this line does not line up with the lines above it: {rule}"


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str]:
    """Where a YAML syntax error is, and what is wrong in words a spec author can act on.

    PyYAML's own words (``expected <block end>, but found '<block mapping start>'``) name parser states; the
    common mistakes behind them — a tab, a line indented one space off, ``: `` or a ``{reference}`` in an unquoted
    value, an unclosed quote or bracket — are recognised and said plainly.
    """
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    if exc.context and problem.startswith("but "):  # "expected a single document …, but found another"
        return mark, f"{exc.context}, {problem}"
    lines = text.split("\n")
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    start = exc.context_mark
    started = f"line {start.line + 1}, column {start.column + 1}" if start is not None else "above"
    if problem.startswith("found character") and ("\\t" in problem or "\t" in problem):
        return mark, ("a tab character; YAML indents with spaces only, so replace the tab with spaces (and set the "
                      "editor to insert spaces for the Tab key)")
    if problem.startswith("expected <block end>"):
        value = re.match(r"\s*(?:- +)?[^\s:#][^:#]*:\s+(\S)", line)
        if "'<scalar>'" in problem and value and value.group(1) == "{":
            return mark, ("text after a '{…}' value: a value that starts with '{' (such as a {de:…} reference) is "
                          "read as a YAML mapping; put the whole value in quotes or write it as a | block")
        if "'<scalar>'" in problem and value and value.group(1) in "\"'":
            inner = "write '' for a ' inside '…'" if value.group(1) == "'" else 'write \\" for a " inside "…"'
            return mark, f"text after the closing quote: put the whole value inside the quotes ({inner}), or leave " \
                         "the quotes out"
        return mark, _indentation(lines, mark) + f" ({problem})"
    if problem == "mapping values are not allowed here":
        before = line[: mark.column] if mark is not None else ""
        if re.search(r":\s", before.lstrip().lstrip("- ")):
            return mark, ("a second ': ' on this line: a value that holds a colon followed by a space must be "
                          "quoted, or written as a | block")
        return mark, _indentation(lines, mark) + " (a key where a value was expected)"
    if problem == "sequence entries are not allowed here":
        return mark, "a '- ' item must start a line of its own, below its key and indented further"
    if problem == "could not find expected ':'" and start is not None:
        return start, ("this line is neither 'key: value' nor a continuation of the value above (which would be "
                       "indented further); add ': ' after the key, or indent the line")
    if problem == "found unexpected end of stream" and "quoted scalar" in context:
        return mark, f"{problem}: the quote opened at {started} is never closed"
    if problem.startswith("expected ',' or '}'") or problem.startswith("expected ',' or ']'"):
        bracket = "{" if problem.startswith("expected ',' or '}'") else "["
        close = "}" if bracket == "{" else "]"
        return mark, (f"{problem}: the {bracket} … {close} opened at {started} is not closed before this point; "
                      f"close it with '{close}', separate its entries with ', ', or quote a value that holds ',', "
                      "'{', '}', '[' or ']'")
    return mark, problem


def _first_bad_tag(node: Node) -> Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in _ALLOWED_TAGS:
            return current
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return None


__all__ = ["read_yaml", "loc_of", "MappingNode", "ScalarNode", "SequenceNode", "Node"]
