"""The registry of everything ``dicomsup build`` writes.

Each entry names a function ``generate(ctx: BuildContext, out: Path) -> None`` by ``module:function``; it is
imported only when a build runs. Per-supplement generators write into ``out`` = ``output/<name>/`` (in fact a
temporary folder that replaces it when every generator succeeded); global generators write into ``output/``'s
own folder named by the entry, once per build.
"""

from __future__ import annotations

#: (name, "module:function") run for every supplement, in this order.
SUPPLEMENT_GENERATORS: list[tuple[str, str]] = [
    ("docbook", "build_tools.outputs.docbook:generate"),
    ("html", "build_tools.outputs.html:generate"),
    ("examples", "build_tools.outputs.examples:generate"),
    ("dictionaries", "build_tools.outputs.dictionaries:generate"),
]

#: (folder name under output/, "module:function") run once per build, independent of any supplement.
GLOBAL_GENERATORS: list[tuple[str, str]] = [
    ("schema", "build_tools.outputs.schema:generate"),
]
