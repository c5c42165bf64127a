"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from typer.testing import CliRunner
except ImportError:  # pytest from another Python than the one the project is installed in
    pytest.exit(
        "the project is not installed in the Python running these tests: run"
        " `python -m pip install '.[test]' && python -m pytest` from the repository root",
        returncode=4,
    )

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The project's shared folder (real-page corpora, schemas) beside the checkout; a fresh
# clone has none, and only the tests over the corpora skip then. COMPLIANCE_SHARED_DIR
# points elsewhere (a test collects the suite with it pointing nowhere).
SHARED = Path(os.environ.get("COMPLIANCE_SHARED_DIR") or ROOT.parent / "shared")
# The seed article the project started from, kept with the tests (test_seed.py checks that
# it is the shared folder's, when there is one).
SEED = ROOT / "tests" / "seed" / "dcnf-china-iran-article.txt"
SHARED_SEED = SHARED / "seed" / "dcnf-china-iran-article.txt"
CORPUS = SHARED / "corpus"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def assert_golden(golden: Path, rendered: str) -> None:
    """`rendered` equals the golden file; UPDATE_GOLDEN=1 rewrites the file (then review it)."""
    if UPDATE_GOLDEN:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip when the project's shared/ folder (seed, corpus, schemas) is not beside the repo."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not available")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Indexes built by tests go to a temporary cache, never the user's."""
    os.environ["COMPLIANCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


def write_jsonl(path: Path, originals: list[dict]) -> Path:
    """Write originals as a JSON Lines archive."""
    import json

    path.write_text("".join(json.dumps(o) + "\n" for o in originals), encoding="utf-8")
    return path


def build_matcher(tmp_path: Path, originals: list[dict]):
    """A Matcher over `originals` (JSON Lines records), indexed into `tmp_path`."""
    from compliance.archive.index_build import build_index
    from compliance.archive.match import Matcher

    archive = write_jsonl(tmp_path / "originals.jsonl", originals)
    return Matcher(build_index([archive], tmp_path / "index"))
