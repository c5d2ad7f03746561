#!/usr/bin/env bash
# The main job, on a fresh machine: install what a build needs, then build every supplement of spec/ into output/.
# This is the README's build command. Arguments go to `dicomsup build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt-install.sh

apt_install docbook5-xml   # the DocBook 5.0 RELAX NG schema every build validates against
python3 -m pip install -q --disable-pip-version-check -e .
python3 -m build_tools build "$@"
