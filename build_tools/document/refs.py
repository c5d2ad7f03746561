"""Ids of the document and the resolution of prose references into :class:`Link` nodes.

Id scheme: every object gets the id the standard gives it, in the part it will live in, so that the editor merges
the change text as it is and ``dicomsup merge`` finds what it inserts:

* ``sect_<label>``, ``table_<label>``, ``figure_<label>``, ``sect_CID_<n>``, ``table_CID_<n>``, ``DCM_<code>``
  (on the Code Value paragraph of Table D-1), and ``chapter_<label>`` for a PS3.17 annex, which is a chapter;
* rows of the registries, which the standard leaves without ids, get a ``para_<uuid>`` id on their Tag or UID
  paragraph, a UUID 5 of the part and the tag or UID (:func:`para_id`), so that it is the same in every build;
* chapters of the supplement itself: ``chapter_History``, ``chapter_Issues``, ``chapter_Foreword``,
  ``chapter_Scope`` and ``chapter_<part>`` for "Changes to PS3.n"; editorial wrappers ``<part>_change_<n>``
  (never written to the DocBook: :mod:`build_tools.outputs.docbook` lays the instructions out without them);
* an id claimed twice (two amendments of one section; the same id in two parts of the one book) gets ``_2``,
  ``_3`` … in document order.

``Link.local`` is the id of the target in this document, whatever part it is in; the DocBook writes an ``xref``
only when the target is in the part being written (:func:`xref_target`), an ``olink`` into another part, and
plain text where the standard writes plain text (attribute and UID mentions in running text). The same ids are
the HTML anchors.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from build_tools.standard import baseline
from build_tools.core.errors import Finding, Severity
from build_tools.core.tags import parse_tag
from build_tools.standard.index import Index, module_table
from build_tools.core.model import Module
from build_tools.core.prose import Emphasis, ItemList, Note, Para, Ref, Text, parse_line
from build_tools.document.nodes import Entry, Link
from build_tools.document.nodes import ItemList as ItemListNode
from build_tools.document.nodes import Note as NoteNode
from build_tools.document.nodes import Para as ParaNode

HOME_PART = "PS3.3"
#: The namespace of the UUID 5 of ``para_`` ids (a fixed UUID 5 of the project's name, so ids never change).
PARA_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/dicomsup/para")


def para_id(key: str) -> str:
    """``para_<uuid>``, as the standard's paragraph ids are written, derived from a stable ``key``."""
    return f"para_{uuid.uuid5(PARA_NAMESPACE, key)}"


def doc_id(part: str | None, std_id: str) -> str:
    """The id in this document of the object the standard calls ``std_id`` in ``part``: the standard's own id;
    a registry row (``tag_…``, ``uid_…``, which the standard leaves without id) gets a ``para_<uuid>``."""
    if std_id.startswith(("tag_", "uid_")):
        return para_id(f"{part}/{std_id}")
    return std_id


def xref_target(link: Link, part: str | None) -> bool:
    """Whether ``link``, written in ``part``, is an ``xref`` (its target is in the same part of this document)."""
    return bool(link.local) and link.part == part and part is not None


def tag_id(tag_text: str) -> str:
    tag = parse_tag(tag_text)
    return f"tag_{tag:08X}" if tag is not None else "tag_" + "".join(ch for ch in tag_text if ch.isalnum())


def module_title(module: Module) -> str:
    return f"{module.name} {'Module' if module.kind == 'module' else 'Macro'}"  # functional group macros too


@dataclass
class Ids:
    """Claims ids in document order; ``known`` (from a first pass) answers which targets are in the document."""

    known: dict[tuple[str | None, str], str] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)
    claimed: dict[tuple[str | None, str], str] = field(default_factory=dict)

    def claim(self, part: str | None, std_id: str) -> str:
        base = doc_id(part, std_id)
        count = self.used.get(base, 0) + 1
        self.used[base] = count
        result = base if count == 1 else f"{base}_{count}"
        self.claimed.setdefault((part, std_id), result)
        return result

    def local(self, part: str | None, std_id: str) -> str | None:
        return self.known.get((part, std_id))


def _split_part(target: str, default: str) -> tuple[str, str]:
    if ":" in target and target.upper().startswith("PS3."):
        part, _, rest = target.partition(":")
        return part.upper(), rest.strip()
    return default, target


@dataclass
class Resolver:
    """Turns parsed prose into presentation nodes; ``part`` is the part whose text is being rendered."""

    index: Index
    ids: Ids
    part: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def at(self, part: str | None) -> "Resolver":
        return Resolver(self.index, self.ids, part, self.findings)

    # --- blocks and inlines ---------------------------------------------------------------------------------

    def blocks(self, blocks: tuple) -> tuple:
        """Presentation blocks of parsed prose. Consecutive notes become one note holding a numbered list, as the
        standard writes several notes (``<note><orderedlist>``, rendered "Note" then 1., 2., …)."""
        out: list = []
        for block in blocks:
            if isinstance(block, Para):
                out.append(ParaNode(self.inlines(block.inlines)))
            elif isinstance(block, ItemList):
                out.append(ItemListNode(block.ordered, tuple(self.inlines(item) for item in block.items)))
            elif isinstance(block, Note):
                inlines = self.inlines(block.inlines)
                previous = out[-1] if out else None
                if isinstance(previous, NoteNode) and isinstance(previous.blocks[0], ItemListNode):
                    out[-1] = NoteNode((ItemListNode(True, previous.blocks[0].items + (inlines,)),))
                elif isinstance(previous, NoteNode):
                    out[-1] = NoteNode((ItemListNode(True, (previous.blocks[0].inlines, inlines)),))
                else:
                    out.append(NoteNode((ParaNode(inlines),)))
        return tuple(out)

    def inlines(self, nodes: tuple) -> tuple:
        out = []
        for node in nodes:
            if isinstance(node, Ref):
                out.append(self.ref(node))
            elif isinstance(node, Emphasis):
                out.append(Emphasis(node.role, self.inlines(node.children)))
            else:
                out.append(node)
        return tuple(out)

    # --- references -------------------------------------------------------------------------------------------

    def link(self, text: str, part: str | None, target: str | None, style: str | None = None,
             target_kind: str | None = None) -> Link:
        local = self.ids.local(part, target) if target else None
        return Link(text, part, target, local, style, target_kind)

    def _unresolved(self, ref: Ref, what: str) -> Link:
        self.findings.append(Finding(ref.loc, f"{{{ref.ref}:{ref.target}}}: {what}; rendered as plain text",
                                     Severity.WARNING))
        return Link(ref.target)

    def ref(self, ref: Ref) -> Link | Text:
        handler = getattr(self, f"_ref_{ref.ref}", None)
        return handler(ref) if handler else Text(ref.target)

    def _ref_de(self, ref: Ref) -> Link:
        element = self.index.element(ref.target)
        if element is None:
            return self._unresolved(ref, "no such data element")
        # Running text names an attribute as plain text ("Pixel Spacing (0028,0030)"), as the standard does.
        return Link(f"{element.name} {element.tag_text}", target_kind="element")

    def _ref_module(self, ref: Ref) -> Link:
        module = self.index.module(ref.target)
        if module is None:
            return self._unresolved(ref, "no such module")
        return self.link(module_title(module), "PS3.3", f"sect_{module.section}", target_kind="module")

    def _ref_iod(self, ref: Ref) -> Link:
        iod = self.index.iod(ref.target)
        if iod is None:
            return Link(f"{ref.target} IOD")
        return self.link(f"{iod.name} IOD", "PS3.3", f"sect_{iod.section}", target_kind="iod")

    def _labelled(self, ref: Ref, noun: str, prefix: str) -> Link:
        """A Section or Table reference. Within the part being written, the stylesheet writes the text
        (``select: label``: "Section C.8.12.13.1.1", "Table C.8.12.13-1"), as the standard does; a reference
        into another part keeps its text ("Section ZZZ.1 in PS3.17")."""
        part, label = _split_part(ref.target, HOME_PART)
        same_part = part == self.part
        suffix = "" if same_part else f" in {part}"
        target = f"{prefix}_{label}"
        style = "select: label" if same_part else None
        if prefix == "sect" and self.ids.local(part, target) is None and self.ids.local(part, f"chapter_{label}"):
            # The label names a chapter here (a new annex): "Annex ZZZ", as the standard refers to annexes.
            target = f"chapter_{label}"
            noun = "Annex" if label[:1].isalpha() else "Chapter"
            style = f"template: {noun} %n" if same_part else None
        return self.link(f"{noun} {label}{suffix}", part, target, style,
                         "section" if prefix == "sect" else "table")

    def _ref_section(self, ref: Ref) -> Link:
        return self._labelled(ref, "Section", "sect")

    def _ref_table(self, ref: Ref) -> Link:
        return self._labelled(ref, "Table", "table")

    def cid(self, number: int, style: str | None = None, mention: bool = False) -> Link:
        """A reference to CID ``number``: its section (``sect_CID_n``), here when the supplement adds the CID.

        A ``mention`` (a reference in prose) of a CID that the supplement only amends links to the table of rows
        it adds (``table_CID_n``) in this document. Structural references (Include rows of a CID, Baseline and
        Defined CIDs of a module table) always name the section: that is what the standard's parsers read.
        """
        name = self.cid_name(number)
        text = f"CID {number} “{name}”" if name else f"CID {number}"
        link = self.link(text, "PS3.16", f"sect_CID_{number}", style, "cid")
        if link.local is None and mention:
            amended = self.ids.local("PS3.16", f"table_CID_{number}")
            if amended is not None:
                link = Link(text, "PS3.16", f"table_CID_{number}", amended, style, "cid")
        return link

    def cid_name(self, number: int) -> str | None:
        group = self.index.context_group(number)
        if group is not None:
            return group.name
        added = next((a for a in self.index.supplement.context_group_additions if a.cid == number), None)
        return added.name if added else None

    def _ref_cid(self, ref: Ref) -> Link:
        try:
            number = int(ref.target.upper().removeprefix("CID").strip())
        except ValueError:
            return self._unresolved(ref, "not a context group number")
        # As PS3.3 mentions a CID: the stylesheet writes "CID n “Name”" (only "CID n" when the name is unknown here,
        # so that both formats say the same).
        style = "select: labelnumber quotedtitle" if self.cid_name(number) else "select: labelnumber"
        return self.cid(number, style, mention=True)

    def _ref_code(self, ref: Ref) -> Link:
        scheme, _, value = ref.target.partition(":")
        meaning = self.index.code_meaning(scheme, value, None)
        text = f"({value}, {scheme}, “{meaning}”)" if meaning else f"({value}, {scheme})"
        if scheme == "DCM":
            return self.link(text, "PS3.16", f"DCM_{value}", target_kind="code")
        return Link(text)

    def _ref_uid(self, ref: Ref) -> Link:
        uid = self.index.uid(ref.target)
        if uid is not None:  # a UID is named in running text, as plain text
            return Link(uid.name, target_kind="uid")
        standard = baseline.uid_by_keyword(ref.target)
        if standard is None:
            return self._unresolved(ref, "no such UID keyword")
        return Link(standard.name, target_kind="uid")

    def _ref_part(self, ref: Ref) -> Link:
        part = ref.target.upper().replace(" ", "")
        return Link(part, part, part, None, "select: labelnumber", "part")

    def _ref_value(self, ref: Ref) -> Text:
        return Text(ref.target)

    # --- helpers used by the part builders --------------------------------------------------------------------

    def module_link(self, name: str, style: str | None = None, table: bool = False) -> Link:
        """A module's section (IOD Reference column) or its table (Include rows)."""
        module = self.index.module(name)
        if module is None:
            return Link(name)
        if table:
            label = module_table(module)
            caption = f"{module_title(module)} Attributes"
            return self.link(f"Table {label} “{caption}”", "PS3.3", f"table_{label}", style, "table")
        return self.link(module.section, "PS3.3", f"sect_{module.section}", style, "module")


def entries(values, resolver: Resolver) -> tuple:
    """Variable-list entries from :class:`EnumValue`/``Term`` model objects (meaning parsed as prose)."""
    return tuple(Entry((Text(v.value),), (ParaNode(resolver.inlines(parse_line(v.meaning))),) if v.meaning else ())
                 for v in values)


__all__ = ["Ids", "Resolver", "doc_id", "para_id", "tag_id", "xref_target", "module_title", "entries"]
