#!/usr/bin/env bash
# The whole test suite, on a fresh machine: system tools, Python packages, then pytest.
# This is the README's test command; .ci/run runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(docbook5-xml jing dicom3tools dcmtk chromium fonts-dejavu-core)
missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test,docs]"
python3 -m pytest -q "$@"
