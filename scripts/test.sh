#!/usr/bin/env bash
# The whole test suite, on a fresh machine: system tools, Python packages, then pytest.
# This is the README's test command; .ci/run runs it too. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt-install.sh

# DocBook 5 schema (validation), dicom3tools (dciodvfy), DCMTK (dcmdump), Chromium (browser tests).
apt_install docbook5-xml jing dicom3tools dcmtk chromium fonts-dejavu-core
python3 -m pip install -q --disable-pip-version-check -e ".[test,docs]"
python3 -m pytest -q "$@"
