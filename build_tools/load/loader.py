"""Loading a supplement folder into the typed model, keeping the source location of every value.

The binding is driven by the model's type hints, so the YAML format is exactly the model: an unknown key, a
missing required key or a value of the wrong kind is reported at its line and column (with the nearest known key
as a suggestion), and loading goes on so that one run reports every problem.

A required value that is missing, misspelled or unreadable is replaced by a placeholder and left out of its
object's ``locs``, and an item of a list that cannot be read is left out of the list (``locs`` still says where
each item was written, :func:`item_locs`): the rules take both for what the loader has reported already, and say
nothing more about them (one mistake, one finding). Every finding carries its code (``DS0xx``).

A scalar is read as the text written, but what it means must be what every YAML reader sees: a quoted number or
``"true"`` where a whole number or true/false is expected (DS027), and a plain number, date or true/false where
words are expected (DS028, :data:`build_tools.core.fields.WORD_KEYS`) are errors; value fields keep ``vm: 1`` as
the text ``1``. No text holds a character that an output cannot carry, and one-line fields hold no line break or
tab (DS029).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, Literal

from build_tools.core.fields import WORD_KEYS, by_key, fields, kind_text
from build_tools.core.errors import Finding, InputError, Loc, relative
from build_tools.core.model import Prose, Supplement
from build_tools.load.yamlsafe import MappingNode, Node, ScalarNode, SequenceNode, loc_of, read_yaml

_NULL = "tag:yaml.org,2002:null"
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@cache
def plain_text(doc: str) -> str:
    """A field's documentation without its reStructuredText markup, for a message shown in a terminal.

    ``Table <section>-1`` becomes Table <section>-1 and :role:`target` becomes target; the docs keep the markup.
    """
    text = re.sub(r":[a-z]+:`([^`<]*?)(?:\s*<[^`]*>)?`", r"\1", doc)
    return text.replace("``", "")


#: Plain (unquoted) scalars that YAML resolves to something other than text, and what it takes them for.
_NOT_TEXT = {
    _NULL: "empty",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a decimal number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:timestamp": "a date",
}
#: Characters no text of a spec may hold: control characters other than tab and line break (XML 1.0 refuses
#: them, and a terminal obeys them), the Unicode direction overrides and isolates (they reorder what a reviewer
#: sees, "Trojan Source"), lone surrogates (no UTF-8 file can hold one) and the noncharacters U+FFFE and U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff\ufffe\uffff]")
_BOOL = "tag:yaml.org,2002:bool"


def _words(what: str, tp: Any) -> bool:
    """Whether the field ``what`` (``title``, ``columns[2]`` …) holds words rather than a value or code."""
    return tp is Prose or what.split("[")[0].rsplit(".", 1)[-1] in WORD_KEYS


#: Text fields (not prose) that may run over lines: the cells of an amended table, a prose condition's text.
_MULTI_LINE = ("old[", "new[", "text")


def _paired(text: str) -> str:
    """``text`` with each surrogate pair joined into its character: YAML's ``\\ud835\\udd18`` (JSON's way of
    writing 𝔘) arrives as two halves; a lone half stays, and is refused (:data:`_UNWRITABLE`)."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _character_name(char: str) -> str:
    if "\ud800" <= char <= "\udfff":
        return "half of a surrogate pair, alone"
    return unicodedata.name(char, "a control character").lower()


#: The most digits a whole number of a spec has (supplement numbers, CIDs and value indexes are far shorter).
_MAX_DIGITS = 9


def _shown(text: str) -> str:
    """A value quoted for a one-line message: at most 40 characters, control characters escaped."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    return repr(shown)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _found(node: Node) -> str:
    """What a node is, for "must be X, not Y" messages: ``a list``, ``a mapping`` or ``the text 'x'``."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    if node.tag == _NULL and node.style is None:
        return "empty"
    return f"the text {_shown(node.value)}"


def _looks_like_reference(node: Node) -> str | None:
    """``{de:Modality}`` written unquoted at the start of a value: YAML reads it as a one-key mapping."""
    if isinstance(node, MappingNode) and node.flow_style and len(node.value) == 1:
        key, value = node.value[0]
        if isinstance(key, ScalarNode) and re.fullmatch(r"[a-z]+:\S.*", key.value) \
                and isinstance(value, ScalarNode) and value.tag == _NULL:
            return "{" + key.value + "}"
    return None


class Binder:
    """Binds YAML nodes of one file to model objects, collecting findings instead of stopping at the first."""

    def __init__(self, file: str, findings: list[Finding]):
        self.file = file
        self.findings = findings

    def error(self, code: str, node: Node, message: str) -> None:
        self.findings.append(Finding(loc_of(self.file, node), message, code=code))

    def bind(self, node: Node, tp: Any, what: str) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            return self._bind_union(node, tp, what)
        if origin is list:
            return self._bind_list(node, typing.get_args(tp)[0], what)
        if origin is dict:
            return self._bind_dict(node, typing.get_args(tp)[1], what)
        if origin is Literal:
            return self._bind_literal(node, tp, what)
        if dataclasses.is_dataclass(tp) and tp is not Prose:
            return self.bind_object(node, tp, what)
        if tp is Any:
            return self._raw(node)
        if not isinstance(node, ScalarNode):
            reference = _looks_like_reference(node) if tp in (str, Prose) else None
            if reference:
                self.error("DS026", node, f"{what} must be {kind_text(tp)}, not a mapping: a value that starts with "
                                 f"{reference} is read by YAML as a mapping; put the whole value in quotes or write "
                                 "it as a | block")
            else:
                self.error("DS024", node, f"{what} must be {kind_text(tp)}, not {_found(node)}")
            return None
        text = _paired(node.value)
        if tp in (str, Prose) and node.style is None and node.tag in _NOT_TEXT:
            if node.tag == _NULL:
                if tp is str:
                    self.error("DS024", node, f"{what} must be {kind_text(tp)}; it is empty")
                    return None
            elif _words(what, tp) and not (tp is Prose and node.tag == _BOOL):
                # A name that YAML reads as a number or true/false is a mistake (a value field keeps it as text).
                # The text as written is kept, so that no rule reports it again.
                self.error("DS028", node, f"{what} must be text, but YAML reads the unquoted {_shown(text)} as "
                                          f"{_NOT_TEXT[node.tag]}; put it in quotes: {_quoted(text)}")
        if tp in (str, Prose) and (bad := _UNWRITABLE.search(text)):
            self.error("DS029", node, f"{what} holds the character U+{ord(bad.group()):04X} "
                                      f"({_character_name(bad.group())}), which no output may carry; remove it "
                                      "(write the text itself, without control or direction characters)")
            return None  # never kept: a message quoting it would carry it to the terminal
        if tp is str:
            if ("\n" in text.rstrip("\n") or "\t" in text) and not what.startswith(_MULTI_LINE):
                which = "a tab" if "\t" in text else "a line break"
                self.error("DS029", node, f"{what} holds {which}, but it is one line of text (a name, title, "
                                          "label or value); write it on one line, with spaces")
                return None
            return text
        if tp is Prose:
            block = node.style in ("|", ">")
            positions = text_positions(node)
            start = loc_of(self.file, node)
            if positions:
                start = Loc(self.file, positions[0][1], positions[0][2])
            elif block:
                start = Loc(self.file, start.line + 1, 0)
            return Prose(text=text, loc=start, block=block, positions=positions)
        if tp is int:
            if re.fullmatch(r"[-+]?[0-9]+", text.strip()) is None:
                self.error("DS024", node, f"{what} must be a whole number, not {_shown(text)}")
                return None
            if node.style is not None:
                self.error("DS027", node, f"{what} must be a whole number, not the quoted text {_shown(text)}; "
                                          f"remove the quotes: {text.strip()}")
            if len(text.strip().lstrip("+-")) > _MAX_DIGITS:
                self.error("DS024", node, f"{what} is {_shown(text)}, a whole number of {len(text.strip())} "
                                          f"digits; expected at most {_MAX_DIGITS} digits")
                return None
            return int(text, 10)
        if tp is bool:
            if text in _TRUE | _FALSE and node.style is not None:
                self.error("DS027", node, f"{what} must be true or false, not the quoted text {_shown(text)}; "
                                          f"remove the quotes: {text.lower()}")
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            self.error("DS024", node, f"{what} must be true or false, not {_shown(text)}")
            return None
        raise TypeError(f"model type {tp!r} has no YAML binding")  # a bug in the model, not in the input

    def _bind_union(self, node: Node, tp: Any, what: str) -> Any:
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if type(None) in typing.get_args(tp) and isinstance(node, ScalarNode) and node.tag == _NULL \
                and node.style is None:
            return None
        if len(options) == 1:
            return self.bind(node, options[0], what)
        # A union of model classes is told apart by the first field each one requires (e.g. ``include``).
        if isinstance(node, MappingNode):
            keys = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
            for option in options:
                if dataclasses.is_dataclass(option) and fields(option)[0].key in keys:
                    return self.bind_object(node, option, what)
            for option in options:
                if dataclasses.is_dataclass(option):
                    return self.bind_object(node, option, what)
        self.error("DS024", node, f"{what} must be {kind_text(tp)}, not {_found(node)}")
        return None

    def _bind_list(self, node: Node, item: Any, what: str) -> list:
        if isinstance(node, ScalarNode) and node.tag == _NULL and node.style is None:
            return []
        if not isinstance(node, SequenceNode):
            self.error("DS024", node, f"{what} must be a list (lines starting with '- '), not {_found(node)}")
            return []
        values = []
        for index, child in enumerate(node.value):
            value = self.bind(child, item, f"{what}[{index + 1}]")
            if value is not None:
                values.append(value)
        return values

    def _bind_dict(self, node: Node, item: Any, what: str) -> dict:
        if not isinstance(node, MappingNode):
            self.error("DS024", node, f"{what} must be a mapping (key: value lines), not {_found(node)}")
            return {}
        result: dict[str, Any] = {}
        for key, value in node.value:
            name = self._key(key, what)
            if name is None:
                continue
            if name in result:
                self.error("DS021", key, f"duplicate key {name!r} in {what}")
                continue
            result[name] = self.bind(value, item, f"{what}.{name}")
        return result

    def _bind_literal(self, node: Node, tp: Any, what: str) -> Any:
        allowed = typing.get_args(tp)
        if not isinstance(node, ScalarNode):
            self.error("DS025", node, f"{what} must be {kind_text(tp)}")
            return None
        if node.value in allowed:
            return node.value
        same_letters = [a for a in allowed if str(a).lower() == node.value.lower()]  # 'm' for 'M', 'draft'
        close = same_letters or difflib.get_close_matches(node.value, [str(a) for a in allowed], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        self.error("DS025", node, f"{what} is {node.value!r}; expected {kind_text(tp)}{hint}")
        return None

    def _raw(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            value = _paired(node.value)
            if bad := _UNWRITABLE.search(value):
                self.error("DS029", node, f"the value holds the character U+{ord(bad.group()):04X} "
                                          f"({_character_name(bad.group())}), which no output may carry; remove it")
                return None
            return None if (node.tag == _NULL and node.style is None) else value
        if isinstance(node, SequenceNode):
            return [self._raw(child) for child in node.value]
        return {str(k.value): self._raw(v) for k, v in node.value}

    def _key(self, key: Node, what: str) -> str | None:
        if not isinstance(key, ScalarNode) or key.tag == _NULL:
            self.error("DS024", key, f"keys of {what} must be plain names")
            return None
        return key.value

    def bind_object(self, node: Node, cls: type, what: str, *, skip: set[str] = frozenset()) -> Any:
        """Bind a mapping to model class ``cls``; report unknown, duplicate and missing keys."""
        keyed = by_key(cls)
        if not isinstance(node, MappingNode):
            first = next(iter(keyed))
            self.error("DS024", node, f"{what} must be a mapping of {cls.__name__} fields ({', '.join(keyed)}), not "
                             f"{_found(node)}; e.g. {{{first}: …}} or one 'key: value' line per field")
            return None
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        suggested: set[str] = set()  # fields a misspelled key was taken for: not reported missing as well
        for key_node, value_node in node.value:
            key = self._key(key_node, what)
            if key is None or key in skip:
                continue
            f = keyed.get(key)
            if f is None:
                close = difflib.get_close_matches(key, list(keyed), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(keyed)}"
                self.error("DS022", key_node, f"unknown field {key!r} in {cls.__name__}{hint}")
                suggested.update(close)
                continue
            if f.name in values:
                self.error("DS021", key_node, f"duplicate field {key!r} in {cls.__name__}")
                continue
            values[f.name] = self.bind(value_node, f.type, key)
            locs[key] = loc_of(self.file, value_node)
            locs.update(item_locs(self.file, key, value_node))
        for f in fields(cls):
            if f.name in values and values[f.name] is None and not _optional(f.type):
                del values[f.name]  # already reported; fall back to the default or a placeholder below
                if f.required:  # the rules see that the placeholder was not written (see check.context)
                    del locs[f.key]
            if f.name not in values and f.required:
                if f.key not in {k.value for k, _ in node.value if isinstance(k, ScalarNode)} \
                        and f.key not in suggested:
                    self.error("DS023", node, f"{cls.__name__} is missing required field {f.key!r} "
                                              f"({plain_text(f.doc)})")
                values[f.name] = _placeholder(f.type)
        obj = cls(**values)
        obj.loc = loc_of(self.file, node)
        obj.locs = locs
        return obj


def text_positions(node: ScalarNode) -> tuple[tuple[int, int, int], ...]:
    """Where the runs of a scalar's text are in the file: ``(offset, line, column)`` triples.

    The scalar's value is matched, character by character, against its source text (block indicators,
    indentation and folded line breaks skipped), and a new run starts wherever the two stop running in step.
    Empty when the source is not available.
    """
    mark, end = node.start_mark, node.end_mark
    buffer = getattr(mark, "buffer", None)
    if not isinstance(buffer, str) or end is None:
        return ()
    raw, pointer = buffer[mark.pointer:end.pointer], 0
    line, column = mark.line + 1, mark.column + 1
    if node.style in ("|", ">"):
        header = raw.find("\n")
        if header < 0:
            return ()
        pointer, line, column = header + 1, line + 1, 1
    positions: list[tuple[int, int, int]] = []
    expected: tuple[int, int] | None = None
    for offset, char in enumerate(node.value):
        if char.isspace():
            continue
        while pointer < len(raw) and raw[pointer] != char:
            if raw[pointer] == "\n":
                line, column = line + 1, 1
            else:
                column += 1
            pointer += 1
        if pointer >= len(raw):
            break
        if expected != (line, column - offset):
            positions.append((offset, line, column))
            expected = (line, column - offset)
        pointer, column = pointer + 1, column + 1
    return tuple(positions)


def item_locs(file: str, key: str, node: Node) -> dict[str, Loc]:
    """Where each item of a list was written, as ``key[1]``, ``key[2]`` … (the names the messages use).

    An item that cannot be read is left out of the bound list, so a list holding fewer values than it has items
    here was not read entirely: the rules do not judge it as a whole (``check.context``).
    """
    if not isinstance(node, SequenceNode):
        return {}
    return {f"{key}[{number}]": loc_of(file, child) for number, child in enumerate(node.value, 1)}


def _optional(tp: Any) -> bool:
    return type(None) in typing.get_args(tp)


def _placeholder(tp: Any) -> Any:
    """A stand-in for a missing required value, so that checking can go on."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        return typing.get_args(tp)[0]
    if origin is list:
        return []
    if tp is Prose:
        return Prose("")
    if tp is int:
        return 0
    return ""


def supplement_files(folder: Path) -> list[Path]:
    """The YAML files of a supplement folder; one that is not a regular file inside the folder is an error.

    A ``.yaml`` folder, a link to nothing or a link out of the supplement folder would otherwise be skipped in
    silence (its content lost) or read from elsewhere.
    """
    inside = folder.resolve()
    found, problems = [], []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        where = Loc(f"{relative(folder)}/{path.name}")  # the link as written, not where it points
        if path.is_symlink() and not path.exists():
            problems.append(Finding(where, "is a symbolic link to nothing; remove it or restore its target",
                                    code="DS001"))
        elif not path.resolve().is_relative_to(inside):
            problems.append(Finding(where, "is a symbolic link out of the supplement folder; copy the file in "
                                           "instead (a spec never reads outside its folder)", code="DS001"))
        elif not path.is_file():
            problems.append(Finding(where, "is not a regular file (a folder?); a supplement's .yaml entries must "
                                           "be files", code="DS001"))
        else:
            found.append(path)
    if problems:
        raise InputError(problems)
    return found


def load_supplement(folder: Path, findings: list[Finding] | None = None) -> Supplement:
    """Load every YAML file of ``folder`` into one :class:`Supplement`.

    Problems with values go into ``findings`` (the model is still returned, with placeholders); input that cannot
    be read at all raises :class:`InputError`.
    """
    if findings is None:
        findings = []
    shown = relative(folder)
    if not folder.is_dir():
        raise InputError([Finding(Loc(shown), "no such supplement folder; expected a folder of YAML files "
                                              "such as spec/<name>/", code="DS010")])
    files = supplement_files(folder)
    if not files:
        raise InputError([Finding(Loc(shown), "folder holds no .yaml files; expected at least supplement.yaml",
                                  code="DS011")])
    read_errors: list[Finding] = []
    parsed = []
    for path in files:
        try:
            parsed.append(read_yaml(path))
        except InputError as exc:
            read_errors.extend(exc.findings)
    if read_errors:
        raise InputError(read_errors)

    keyed = by_key(Supplement)
    seen: dict[str, Loc] = {}
    merged_values: dict[str, tuple[str, Node]] = {}
    for name, root in parsed:
        if not isinstance(root, MappingNode):
            findings.append(Finding(loc_of(name, root), "a supplement file must be a mapping of top-level fields "
                                                        f"(e.g. {', '.join(list(keyed)[:4])})", code="DS020"))
            continue
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, ScalarNode) and key_node.tag != _NULL else None
            if key is None:
                findings.append(Finding(loc_of(name, key_node), "top-level keys must be plain field names "
                                                                f"(e.g. {', '.join(list(keyed)[:4])})", code="DS024"))
                continue
            if key in seen:
                findings.append(Finding(loc_of(name, key_node),
                                        f"field {key!r} is already given at {seen[key]}; give each field once",
                                        code="DS021"))
                continue
            if key is not None:
                seen[key] = loc_of(name, key_node)
                merged_values[key] = (name, key_node, value_node)

    values: dict[str, Any] = {}
    locs: dict[str, Loc] = {}
    suggested: set[str] = set()  # fields a misspelled key was taken for: not reported missing as well
    for key, (name, key_node, value_node) in merged_values.items():
        binder = Binder(name, findings)
        f = keyed.get(key)
        if f is None:
            close = difflib.get_close_matches(key, list(keyed), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            binder.error("DS022", key_node, f"unknown top-level field {key!r}{hint}")
            suggested.update(close)
            continue
        value = binder.bind(value_node, f.type, key)
        if value is not None:
            values[f.name] = value
        if value is not None or not f.required:  # a placeholder's field is left out, as in Binder.bind_object
            locs[key] = loc_of(name, value_node)
            locs.update(item_locs(name, key, value_node))
    first = Loc(relative(files[0]), 1, 1)
    main_file = next((relative(p) for p in files if p.stem == "supplement"), first.file)
    for f in fields(Supplement):
        if f.name not in values and f.required:
            if f.key in merged_values or f.key in suggested:  # given wrongly (already reported)
                values[f.name] = _placeholder(f.type)
                continue
            findings.append(Finding(Loc(main_file, 1, 1), f"supplement is missing required field {f.key!r} "
                                                          f"({plain_text(f.doc)})", code="DS023"))
            values[f.name] = _placeholder(f.type)
    supplement = Supplement(**values)
    supplement.loc = Loc(main_file, 1, 1)
    supplement.locs = locs
    supplement.name = folder.name if folder.name not in ("", "..") else folder.resolve().name  # "build ."
    supplement.folder = str(folder)
    return supplement


def load_yaml_file(path: Path, cls: type, findings: list[Finding]) -> Any:
    """Load one YAML file whose root is a mapping of ``cls`` (used for the baseline catalog)."""
    name, root = read_yaml(path)
    return Binder(name, findings).bind_object(root, cls, cls.__name__)
