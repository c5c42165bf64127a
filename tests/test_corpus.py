"""Real pages written by others (../shared/corpus): extraction never crashes, bylines agree."""

from __future__ import annotations

import gzip
import json

import pytest

from compliance.extract import extract
from compliance.model import Page
from compliance.names import name_score, split_byline
from conftest import CORPUS, needs_shared

READABILITY = CORPUS / "readability-test-pages"
BENCHMARK = CORPUS / "article-extraction-benchmark"


def _readability_pages():
    return sorted(p for p in READABILITY.iterdir() if p.is_dir()) if READABILITY.exists() else []


@needs_shared(READABILITY)
def test_bylines_agree_with_readability_expectations():
    """Share of pages naming a person whose expected byline we find (reported in the notes)."""
    agree = total = 0
    for folder in _readability_pages():
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected = [
            p.name
            for p in split_byline(meta.get("byline") or "", meta.get("siteName"))
            if p.is_person
        ]
        if not expected:
            continue
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        found = [b.name for b in extract(Page(str(folder), "html", html)).bylines]
        total += 1
        agree += any(name_score(e, f) >= 85 for e in expected for f in found)
    assert total >= 50
    assert agree / total >= 0.9, f"{agree}/{total}"


@needs_shared(READABILITY)
def test_titles_agree_with_readability_expectations():
    from rapidfuzz import fuzz

    agree = total = 0
    for folder in _readability_pages():
        expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8")).get(
            "title"
        )
        if not expected:
            continue
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        total += 1
        agree += (
            fuzz.token_set_ratio(expected, extract(Page(str(folder), "html", html)).title or "")
            >= 90
        )
    assert agree / total >= 0.85, f"{agree}/{total}"


def _benchmark_ids():
    if not BENCHMARK.exists():
        return []
    return sorted(p.name.split(".")[0] for p in (BENCHMARK / "html").glob("*.html.gz"))


@needs_shared(BENCHMARK)
def test_benchmark_pages_extract_and_keep_the_article_text():
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    recalls = []
    for page_id in _benchmark_ids():
        html = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        article = extract(Page(page_id, "html", html))
        expected = set(truth[page_id]["articleBody"].lower().split())
        got = set(" ".join(article.paragraphs).lower().split())
        if expected:
            recalls.append(len(expected & got) / len(expected))
    assert len(recalls) >= 170
    mean = sum(recalls) / len(recalls)
    assert mean >= 0.9, f"mean word recall {mean:.3f}"


@needs_shared(READABILITY)
@pytest.mark.parametrize("folder", _readability_pages(), ids=lambda p: p.name)
def test_readability_page_extracts(folder):
    html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
    article = extract(Page(str(folder), "html", html))
    assert article.paragraphs
    assert all(b.location.line is not None for b in article.blocks)
