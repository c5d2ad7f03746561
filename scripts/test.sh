#!/usr/bin/env bash
# The whole test suite, on a fresh machine: system tools, Python packages, then pytest.
# This is the README's test command; .ci/run runs it too. Arguments go to pytest.
# The package and its test and docs extras are installed, editable, into the virtual environment .venv/ (created
# or reused here; see venv.sh), never into the system's Python, so this works on a stock Debian Python (PEP 668).
# The tests start their subprocesses with sys.executable, i.e. .venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt-install.sh
source scripts/venv.sh

# DocBook 5 schema (validation), dicom3tools (dciodvfy), DCMTK (dcmdump), Chromium (browser tests, driven by the
# playwright package at /usr/bin/chromium; Playwright's own browser download is never used).
apt_install docbook5-xml jing dicom3tools dcmtk chromium fonts-dejavu-core libreoffice-writer
apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-extra poppler-utils   # the PDF: Pango, DejaVu's italics, pdftoppm
venv_install "test,docs"
export PATH="$PWD/.venv/bin:$PATH"   # `dicomsup` and the extras' commands by name, as after activating .venv

status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no test (exit 5): that is a failure here, not a pass" >&2
fi
exit "$status"
