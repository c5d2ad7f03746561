#!/usr/bin/env bash
# Sourced by the set-up scripts (after apt-install.sh), from the repository's root:
#   venv_install [EXTRAS]   create or reuse the virtual environment .venv/ and install the package into it, editable,
#                           with the optional extras named (e.g. "test,docs"); then use .venv/bin/python.
# A stock Debian Python is "externally managed" (PEP 668): pip refuses to install into it, so nothing is ever
# installed into the interpreter that runs this script. Debian splits venv's pip bootstrap into python3-venv;
# it is installed through apt when `python3 -m venv` cannot make a working environment. PYTHON chooses another
# interpreter than python3 (3.11 or newer).
VENV=.venv

_venv_works() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11) or sys.prefix == sys.base_prefix)' \
            2>/dev/null &&
        "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

_venv_create() {
    local python=${PYTHON:-python3}
    if ! command -v "$python" >/dev/null 2>&1; then
        apt_install python3
        python=python3
    fi
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "dicomsup needs Python 3.11 or newer; $python is $("$python" --version 2>&1)." \
             "Set PYTHON to a newer interpreter." >&2
        return 1
    fi
    # --clear: a failed attempt (no ensurepip on Debian) leaves a half-made .venv/ without pip behind.
    if ! "$python" -m venv --clear "$VENV" >/dev/null 2>&1; then
        echo "$python -m venv cannot create $VENV/; installing Debian's python3-venv" >&2
        apt_install python3-venv
        "$python" -m venv --clear "$VENV"
    fi
    _venv_works || { echo "$VENV/ was created but has no working pip" >&2; return 1; }
}

venv_install() {
    local extras=${1:-} target=.
    [ -n "$extras" ] && target=".[$extras]"
    _venv_works || _venv_create
    # Reinstall only when the package's metadata changed (the install is editable: code and templates are read
    # from the checkout as they are edited). One stamp per set of extras, holding pyproject.toml's digest.
    local stamp="$VENV/.dicomsup-installed-${extras:-base}" want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] ||
        ! "$VENV/bin/python" -c 'import importlib.metadata as m; m.version("dicomsup")' 2>/dev/null; then
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$target"
        echo "$want" >"$stamp"
    fi
}
