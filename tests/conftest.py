"""Fixtures shared by the whole suite: the Dermoscopy supplement, its index and its examples built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.outputs.examples import build_examples
from build_tools.load.loader import load_supplement
from build_tools.standard.index import Index

SPEC = Path(__file__).resolve().parent.parent / "spec" / "dermoscopy"


@pytest.fixture(scope="session")
def supplement():
    return load_supplement(SPEC, [])


@pytest.fixture(scope="session")
def index(supplement):
    return Index(supplement)


@pytest.fixture(scope="session")
def examples(tmp_path_factory, supplement, index) -> Path:
    """The examples built into a temporary folder (never the committed output/); building reports no problem."""
    folder = tmp_path_factory.mktemp("examples")
    _written, problems = build_examples(supplement, index, folder)
    assert problems == []
    return folder
