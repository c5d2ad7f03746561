"""What every spec test module needs: its supplement (the folder its ``SPEC`` names) loaded once, with the
loader's findings, and its index."""

from __future__ import annotations

import pytest

from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index


@pytest.fixture(scope="module")
def loaded(request):
    findings: list = []
    supplement = load_supplement(request.module.SPEC, findings)
    return supplement, findings


@pytest.fixture(scope="module")
def supplement(loaded):
    return loaded[0]


@pytest.fixture(scope="module")
def index(supplement):
    return Index(supplement)
