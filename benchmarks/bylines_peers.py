"""Byline accuracy against other extractors, on two corpora of real pages:

- 155 hand-labelled pages of Zyte's Article Extraction Benchmark (MIT;
  ../shared/corpus/article-extraction-benchmark; byline-labels-zyte.json says how the labels
  were made);
- the 75 Readability test pages with a truth (Apache-2.0; ../shared/corpus/readability-test-
  pages): Readability's own expected bylines, with the corrections of byline-labels.json.

The same metric for every tool: on a page that credits a person, the first name the tool
lists is one of the credited people (rapidfuzz name score >= 85, as benchmarks/bylines.py
scores); on a page that credits no person, the tool lists no one (an organisation or an
account listed as the author counts as listing someone). Peers are run if installed:

    pip install trafilatura newspaper4k goose3
    python benchmarks/bylines_peers.py [--corpora DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from compliance.model import Page
from compliance.read.extract import extract

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bylines import hand_checked, right, zyte_pages

_HERE = Path(__file__).resolve().parent
_CORPORA = _HERE.parents[1] / "shared/corpus"

Reader = Callable[[str, str], list[str]]


def ours(html: str, url: str) -> list[str]:
    return [b.name for b in extract(Page(url, "html", html, url=url)).bylines]


def _trafilatura() -> Reader | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def read(html: str, url: str) -> list[str]:
        meta = trafilatura.extract_metadata(html, default_url=url)
        author = meta.author if meta is not None else None
        return [a.strip() for a in re.split(r";|\band\b", author or "") if a.strip()]

    return read


def _newspaper() -> Reader | None:
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            from newspaper import Article
    except ImportError:
        return None

    def read(html: str, url: str) -> list[str]:
        article = Article(url)
        article.download(input_html=html)
        article.parse()
        return list(article.authors)

    return read


def _goose() -> Reader | None:
    try:
        from goose3 import Goose
    except ImportError:
        return None
    goose = Goose()

    def read(html: str, url: str) -> list[str]:
        return list(goose.extract(raw_html=html, url=url).authors or [])

    return read


def _readability_pages(corpus: Path) -> Iterator[tuple[str, str, str, list[str]]]:
    for name, people in hand_checked(corpus).items():
        html = (corpus / name / "source.html").read_text(encoding="utf-8", errors="replace")
        yield name, html, "http://fakehost/test/page.html", people  # the pages' own test host


def measure(
    pages: Callable[[], Iterable[tuple[str, str, str, list[str]]]], verbose: bool = False
) -> dict[str, dict[str, str]]:
    """Per tool: first-name-right on pages crediting a person, no-one on the others."""
    tools: dict[str, Reader] = {"compliance": ours}
    for name, make in (("trafilatura", _trafilatura), ("newspaper4k", _newspaper),
                       ("goose3", _goose)):  # fmt: skip
        reader = make()
        if reader is not None:
            tools[name] = reader
    figures: dict[str, dict[str, str]] = {}
    for tool, read in tools.items():
        person = person_right = nobody = nobody_right = 0
        began = time.perf_counter()
        for page_id, html, url, expected in pages():
            try:
                found = read(html, url)
            except Exception as exc:  # a peer's crash is its miss, not the benchmark's end
                found = [f"<{type(exc).__name__}>"]
            is_right = right(expected, found)
            if expected:
                person += 1
                person_right += is_right
            else:
                nobody += 1
                nobody_right += is_right
            if verbose and not is_right:
                print(f"  {tool} {page_id[:12]}: expected {expected}, got {found[:3]}")
        figures[tool] = {
            "credits a person: first name right": f"{person_right}/{person}"
            f" ({100 * person_right / person:.0f}%)",
            "credits no person: no one listed": f"{nobody_right}/{nobody}"
            f" ({100 * nobody_right / max(nobody, 1):.0f}%)",
            "seconds": f"{time.perf_counter() - began:.1f}",
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=_CORPORA,
                        help="the folder holding both corpora")  # fmt: skip
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    zyte = args.corpora / "article-extraction-benchmark"
    readability = args.corpora / "readability-test-pages"
    if not (zyte / "ground-truth.json").exists() or not readability.is_dir():
        sys.exit(f"{args.corpora}: the two corpora are not there")
    for title, pages in (
        ("Zyte's Article Extraction Benchmark, hand labels", lambda: zyte_pages(zyte)),
        ("Readability test pages, hand-checked pins", lambda: _readability_pages(readability)),
    ):
        print(title)
        for tool, figures in measure(pages, args.verbose).items():
            print(f"  {tool}")
            for key, value in figures.items():
                print(f"    {key:>38}: {value}")


if __name__ == "__main__":
    main()
