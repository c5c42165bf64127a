"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "dcnf-china-iran-article.txt"
CORPUS = SHARED / "corpus"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip when the project's shared/ folder (seed, corpus, schemas) is not beside the repo."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not available")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the seed article is not available")
    return SEED.read_text(encoding="utf-8")
