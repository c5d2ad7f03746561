"""Sphinx configuration of the dicomsup documentation (build with ``sphinx-build -W -b html docs <out>``).

The YAML and command-line references are generated from the code by the directives of ``_ext/dicomsup_docs.py``
while the pages are read; nothing is generated into this folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree clean: no __pycache__ beside the extension
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))  # build_tools, when the package is not installed

from build_tools import __version__  # noqa: E402

project = "dicomsup"
author = "dicomsup contributors"
copyright = "dicomsup contributors"  # noqa: A001 - the name Sphinx reads
release = version = __version__

extensions = ["dicomsup_docs"]
root_doc = "index"
exclude_patterns = ["_build"]
templates_path: list[str] = []
html_static_path: list[str] = []
html_theme = "alabaster"
html_title = "dicomsup: DICOM Supplements from YAML"
html_last_updated_fmt = None  # reproducible pages: no build date
html_show_sourcelink = False
highlight_language = "yaml"
nitpicky = False
smartquotes = False  # option names such as --spec stay as typed
