#!/usr/bin/env bash
# The main job, on a fresh machine: install what a build needs, then build every supplement of spec/ into output/.
# This is the README's build command. Arguments go to `dicomsup build`.
# The package is installed, editable, into the virtual environment .venv/ (created or reused here; see venv.sh),
# never into the system's Python, so this works on a stock Debian Python (PEP 668) too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt-install.sh
source scripts/venv.sh

apt_install docbook5-xml   # the DocBook 5.0 RELAX NG schema every build validates against
apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-dejavu-extra   # the PDF: WeasyPrint's Pango, its fonts
venv_install
exec .venv/bin/python -m build_tools build "$@"
