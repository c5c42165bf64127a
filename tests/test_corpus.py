"""Real pages written by others (../shared/corpus): extraction never crashes, bylines agree."""

from __future__ import annotations

import gzip
import json

import pytest

from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.names import name_score, split_byline
from conftest import CORPUS, SEED, needs_shared

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


def _declare_story(page, title: str) -> None:
    """Make a real page's metadata name `title` as its story, with no author of its own."""
    for el in list(page.iter("script", "meta", "title")):
        key = (el.get("name") or el.get("property") or "").lower()
        if (
            el.tag == "title"
            or el.get("type") == "application/ld+json"
            or "author" in key
            or "title" in key
            or key in ("byl", "dc.creator")
        ):
            el.getparent().remove(el)
    head = page.find("head")
    if head is not None:
        head.append(page.makeelement("title", {}))
        head[-1].text = title


@needs_shared(READABILITY)
def test_site_chrome_does_not_change_the_verdict():
    """A DCNF copy placed in each real page's chrome (their bylines, images and notices around
    it) passes; without its logo it fails on the logo alone, with or without the original.

    The page declares the copy as its story (title, no other author in its metadata), as a
    republisher's page does; the host's own story stays on the page, byline and all, and
    must not be taken for the copy's.
    """
    import copy

    import lxml.html

    from compliance.engine import evaluate
    from compliance.model import Match, Original
    from compliance.terms.loading import load_rulesets

    dcnf = next(r for r in load_rulesets() if r.id == "dcnf")
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    title = lines[1]
    start = next(i for i, line in enumerate(lines) if line.startswith("China and Iran agreed"))
    notice = next(line for line in lines if line.startswith("All content created"))
    paragraphs = [p for p in lines[start:] if p != notice and "REUTERS" not in p][:8]
    original = Original(
        "seed", title, tuple(paragraphs), authors=("Philip Lenczycki",), source="dcnf"
    )
    logo = '<img src="/uploads/dcnf-logo.png" alt="Daily Caller News Foundation logo">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    copy_html = (
        f'<article><h1>{title}</h1><p class="byline">By Philip Lenczycki, Daily Caller'
        f" News Foundation</p>{{logo}}{body}<p>{notice}</p></article>"
    )
    wrong = []
    for folder in _readability_pages():
        page = lxml.html.document_fromstring(
            (folder / "source.html").read_bytes(), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
        _declare_story(page, title)
        for with_logo in (True, False):
            wrapped = copy.deepcopy(page)
            wrapped.find("body").insert(
                0, lxml.html.fragment_fromstring(copy_html.format(logo=logo if with_logo else ""))
            )
            article = extract(
                Page(folder.name, "html", lxml.html.tostring(wrapped, encoding="unicode"))
            )
            for match in (Match(original, 1.0, 1.0, "test"), None):
                result = evaluate(article, dcnf, match)
                failed = sorted(
                    f.check for f in result.findings if not f.passed and f.severity.value == "error"
                )
                if failed != ([] if with_logo else ["logo"]):
                    wrong.append((folder.name, with_logo, match is not None, failed))
    assert wrong == []
