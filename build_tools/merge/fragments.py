"""Nodes of the presentation model as DocBook elements, through the same macros as the change text."""

from __future__ import annotations

from lxml import etree

from build_tools.outputs.base import environment
from build_tools.outputs.docbook import KIND, literal_quotes, parser
from build_tools.standard.docbook_read import DB, XL

_WRAP = f'<wrap xmlns="{DB}" xmlns:xl="{XL}">{{}}</wrap>'


class Fragments:
    """Renders nodes with ``templates/docbook/macros.xml.j2`` and ``part-macros.xml.j2`` and parses the result."""

    def __init__(self) -> None:
        env = environment(KIND)
        self.macros = env.get_template("macros.xml.j2").module
        self.part_macros = env.get_template("part-macros.xml.j2").module

    def _parse(self, text: str) -> list[etree._Element]:
        wrapper = etree.fromstring(_WRAP.format(literal_quotes(str(text))).encode("utf-8"), parser())
        return [child for child in wrapper if isinstance(child.tag, str)]

    def blocks(self, nodes: tuple) -> list[etree._Element]:
        return self._parse(self.macros.blocks(nodes))

    def section(self, node) -> etree._Element:
        return self._parse(self.macros.section(node))[0]

    def annex(self, node) -> etree._Element:
        return self._parse(self.part_macros.annex(node))[0]

    def rows(self, rows: tuple) -> list[etree._Element]:
        return self._parse(self.macros.rows(rows))

    def cell(self, cell) -> etree._Element:
        return self._parse(self.macros.cell(cell))[0]

    def para(self, inlines: tuple, id_: str | None = None) -> etree._Element:
        return self._parse(self.macros.para(inlines, id_))[0]
