"""Finding the original a copy was made from, and how closely the copy follows it.

A copy that names its original (a canonical link to the original's URL) is joined to it
directly. Otherwise originals that share word 5-grams with the copy are candidates, and
paragraph-by-paragraph alignment with rapidfuzz gives the verdict: a page sharing one quote
with an original is not a copy of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from compliance.model import Article, Match, Original
from compliance.textmatch import normalize

SHINGLE = 5
MIN_WORDS = 6  # shorter paragraphs (datelines, "Font Size:") say nothing about the source
PARAGRAPH_SCORE = 80  # a paragraph of the original counts as carried at this ratio
MIN_COVERAGE = 0.3
MIN_SHARED_SHINGLES = 3
CANDIDATES = 5
_WORD = re.compile(r"\w+")


def normalize_url(url: str) -> str:
    """Scheme-, `www.`-, query- and trailing-slash-insensitive form of a URL."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _shingles(paragraphs: Iterable[str]) -> set[int]:
    found: set[int] = set()
    for paragraph in paragraphs:
        words = _WORD.findall(normalize(paragraph))
        found.update(hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))
    return found


def _substantial(paragraphs: Sequence[str]) -> list[str]:
    return [normalize(p) for p in paragraphs if len(p.split()) >= MIN_WORDS]


@dataclass(frozen=True)
class Alignment:
    similarity: float
    coverage: float
    carried: int  # paragraphs of the original found in the copy


def align(original: Sequence[str], copy: Sequence[str]) -> Alignment:
    """How much of the original the copy carries (coverage) and how faithfully (similarity)."""
    source, target = _substantial(original), _substantial(copy)
    if not source or not target:
        return Alignment(0.0, 0.0, 0)
    scores = process.cdist(source, target, scorer=fuzz.ratio, workers=1)
    best = scores.max(axis=1)
    total = sum(len(p) for p in source)
    carried = [
        (len(p), float(s)) for p, s in zip(source, best, strict=True) if s >= PARAGRAPH_SCORE
    ]
    carried_chars = sum(length for length, _ in carried)
    if not carried_chars:
        return Alignment(0.0, 0.0, 0)
    similarity = sum(length * score for length, score in carried) / carried_chars / 100
    return Alignment(similarity, carried_chars / total, len(carried))


class OriginalsIndex:
    """The archive, indexed for finding a copy's original without comparing against all of it."""

    def __init__(self, originals: Sequence[Original]) -> None:
        self.originals = list(originals)
        self._by_url = {normalize_url(o.url): o for o in self.originals if o.url}
        self._postings: dict[int, list[int]] = {}
        for number, original in enumerate(self.originals):
            for shingle in _shingles(original.body):
                self._postings.setdefault(shingle, []).append(number)

    def __len__(self) -> int:
        return len(self.originals)

    def _aligned(self, original: Original, article: Article, method: str) -> Match:
        result = align(original.body, article.paragraphs)
        return Match(original, result.similarity, result.coverage, method)

    def match(self, article: Article) -> Match | None:
        """The original `article` copies, or None when it copies none of them."""
        for url in (article.canonical, article.metadata.get("meta", {}).get("og:url")):
            if url and normalize_url(url) in self._by_url:
                return self._aligned(self._by_url[normalize_url(url)], article, "canonical")
        counts: Counter[int] = Counter()
        for shingle in _shingles(article.paragraphs):
            counts.update(self._postings.get(shingle, ()))
        best: Match | None = None
        for number, shared in counts.most_common(CANDIDATES):
            if shared < MIN_SHARED_SHINGLES:
                break
            candidate = self._aligned(self.originals[number], article, "text")
            if candidate.coverage < MIN_COVERAGE:
                continue
            if best is None or (candidate.coverage, candidate.similarity) > (
                best.coverage,
                best.similarity,
            ):
                best = candidate
        return best
