"""Fuzzy phrase search over text blocks, tolerant of the ways people retype the same words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from compliance.model import TextBlock

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Case-folded, quote- and dash-unified, whitespace-collapsed form of `text`."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tidy(paragraph: str) -> str:
    """The paragraph with its whitespace collapsed; most need nothing, and are tested fast."""
    if (
        "  " in paragraph
        or "\n" in paragraph
        or "\t" in paragraph
        or "\r" in paragraph
        or paragraph[:1].isspace()
        or paragraph[-1:].isspace()
    ):
        return " ".join(paragraph.split())
    return paragraph


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs separated by a blank line, each with its whitespace collapsed."""
    return tuple(_tidy(p) for p in text.split("\n\n") if p.strip())


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class PhraseHit:
    block: int  # index into the blocks searched
    phrase: str
    score: float  # 0-100


def contains_phrase(text: str, phrase: str, min_score: float = 100) -> float:
    """How well `phrase` occurs inside `text` (0-100): exact substring, else fuzzy alignment."""
    haystack, needle = normalize(text), normalize(phrase)
    if not needle:
        return 0.0
    if needle in haystack:
        # Whole words only: "DCNF" must not be found inside "DCNFX".
        pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
        if re.search(pattern, haystack):
            return 100.0
    if min_score >= 100 or len(haystack) < len(needle) * 0.8:
        return 0.0
    # partial_ratio is costly on long phrases; a text holding well under the phrase's share
    # of its words cannot reach a high score, so most blocks stop at a set intersection.
    wanted = _word_set(needle)
    if len(wanted & _word_set(haystack)) < len(wanted) * min_score / 100 - _WORD_SLACK:
        return 0.0
    return fuzz.partial_ratio(needle, haystack, score_cutoff=min_score)


_WORD_SLACK = 3  # words a fuzzy match may have retyped (typos, joined or split words)
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _word_set(normalized: str) -> frozenset[str]:
    return frozenset(_WORD.findall(normalized))


def find_phrases(
    blocks: Sequence[TextBlock],
    phrases: Sequence[str],
    min_score: float = 90,
    indices: Sequence[int] | None = None,
) -> list[PhraseHit]:
    """Every block (in `indices`, or all) that carries one of `phrases`, best phrase per block."""
    hits = []
    for i in range(len(blocks)) if indices is None else indices:
        best: PhraseHit | None = None
        for phrase in phrases:
            score = contains_phrase(blocks[i].text, phrase, min_score)
            if score >= min_score and (best is None or score > best.score):
                best = PhraseHit(i, phrase, score)
        if best is not None:
            hits.append(best)
    return hits


@lru_cache(maxsize=512)
def glob_to_regex(pattern: str) -> str:
    """A shell-style pattern (`*` any text, `?` one character) as RE2 syntax, anchored."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return "(?s:" + "".join(parts) + ")"


def linear_regex(expression: str) -> Any:
    """`expression` compiled with RE2, whose matching time is linear in the text: patterns
    come from rule files and text from strangers' pages, so no pair may backtrack."""
    import re2

    return re2.compile(expression)


@lru_cache(maxsize=1024)
def _glob_regex(pattern: str) -> Any:
    return linear_regex(glob_to_regex(normalize(pattern)))


def glob_match(text: str, patterns: Sequence[str]) -> str | None:
    """The first shell-style pattern (`*`, `?`, case-insensitive) that matches all of `text`.

    Rule authors get globs rather than regular expressions: a glob cannot backtrack
    catastrophically on a hostile page.
    """
    normalized = normalize(text)
    for pattern in patterns:
        if _glob_regex(pattern).fullmatch(normalized):
            return pattern
    return None


class GlobSet:
    """Several shell-style patterns (as in glob_match), tested at once and cheaply.

    Most lines match none of them, so a line is first checked for a word of each pattern
    (a substring test); only a line that holds one goes through the regular expression.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        normalized = [normalize(p) for p in patterns]
        self._regex = linear_regex("|".join(glob_to_regex(p) for p in normalized) or "[^\\s\\S]")
        # Each pattern's longest word: quote marks and spacing, which normalize() rewrites,
        # cannot make the substring test miss a line the expression would match.
        literals = [max(re.findall(r"\w+", p), key=len, default="") for p in normalized]
        # A pattern with no literal part (such as "*") can match anything: no shortcut.
        self._literals = None if "" in literals else tuple(sorted(set(literals)))

    def matches(self, text: str) -> bool:
        """Whether any pattern matches all of `text`."""
        if self._literals is not None:
            folded = text.casefold()
            if not any(literal in folded for literal in self._literals):
                return False
        return self._regex.fullmatch(normalize(text)) is not None


@lru_cache(maxsize=64)
def glob_set(patterns: tuple[str, ...]) -> GlobSet:
    """The GlobSet of `patterns`, compiled once."""
    return GlobSet(patterns)


def excerpt(text: str, limit: int = 160) -> str:
    """`text` on one line, cut at a word boundary to about `limit` characters."""
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


# How people credit a source in a plain label rather than a sentence: "Source: ProPublica",
# "Via The Conversation", "Courtesy of KFF Health News", "Republished with permission from …".
_CREDIT_LABEL = re.compile(
    r"^\s*(?:sources?|via|courtesy(?: of)?|credits?|from|(?:republished|reprinted)"
    r"(?: with permission)? (?:from|by))\s*[:\-–—]?\s+(?:the\s+)?",
    re.IGNORECASE,
)


def credited_name(line: str) -> str | None:
    """What a plain credit label names ("Source: ProPublica." gives "ProPublica"), or None
    when the line is not such a label."""
    found = _CREDIT_LABEL.match(line)
    if not found:
        return None
    named = line[found.end() :].strip().rstrip(".;,").strip()
    return named or None


def names_credited(line: str, names: Sequence[str]) -> str | None:
    """The one of `names` a plain credit label on `line` names, as a whole (a leading "The"
    is optional), or None: "Source: ProPublica analysis of …" names a study, not a credit."""
    named = credited_name(line)
    if named is None:
        return None
    wanted = normalize(named)
    for name in names:
        plain = normalize(name)
        if wanted in (plain, plain.removeprefix("the ")):
            return name
    return None
