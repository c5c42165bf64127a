"""Byline accuracy against other extractors, on hand-labelled pages of Zyte's Article
Extraction Benchmark (../shared/corpus/article-extraction-benchmark; labels in
byline-labels-zyte.json, which says how they were made).

The same metric for every tool: on a page that credits a person, the first name the tool
lists is one of the credited people (rapidfuzz name score >= 85, as benchmarks/bylines.py
scores); on a page that credits no person, the tool lists no one (an organisation or an
account listed as the author counts as listing someone). Peers are run if installed:

    pip install trafilatura newspaper4k goose3
    python benchmarks/bylines_peers.py [--corpus DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.names import name_score

_HERE = Path(__file__).resolve().parent
_DEFAULT = _HERE.parents[1] / "shared/corpus/article-extraction-benchmark"
_LABELS = json.loads((_HERE / "byline-labels-zyte.json").read_text(encoding="utf-8"))["pages"]

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


def _right(expected: list[str], found: list[str]) -> bool:
    if not expected:
        return not found
    return bool(found) and any(name_score(e, found[0]) >= 85 for e in expected)


def measure(corpus: Path, verbose: bool = False) -> dict[str, dict[str, str]]:
    """Per tool: first-name-right on pages crediting a person, no-one on the others."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
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
        for page_id, label in sorted(_LABELS.items()):
            path = corpus / "html" / f"{page_id}.html.gz"
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                html = handle.read()
            try:
                found = read(html, truth[page_id]["url"])
            except Exception as exc:  # a peer's crash is its miss, not the benchmark's end
                found = [f"<{type(exc).__name__}>"]
            expected = label["people"]
            right = _right(expected, found)
            if expected:
                person += 1
                person_right += right
            else:
                nobody += 1
                nobody_right += right
            if verbose and not right:
                print(f"  {tool} {page_id[:8]}: expected {expected}, got {found[:3]}")
        figures[tool] = {
            "credits a person: first name right": f"{person_right}/{person}"
            f" ({100 * person_right / person:.0f}%)",
            "credits no person: no one listed": f"{nobody_right}/{nobody}"
            f" ({100 * nobody_right / nobody:.0f}%)",
            "seconds": f"{time.perf_counter() - began:.1f}",
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "ground-truth.json").exists():
        sys.exit(f"{args.corpus}: the Article Extraction Benchmark is not there")
    for tool, figures in measure(args.corpus, args.verbose).items():
        print(tool)
        for key, value in figures.items():
            print(f"  {key:>38}: {value}")


if __name__ == "__main__":
    main()
