"""Which listed pages can be copies, decided from what their listing says, before any fetch.

In this order, the first that speaks decides:

1. join: the feed entry links to the newswire's site or to an original's address, or holds
   its tracking pixel: fetched;
2. text: the entry carries the story's text (at least `FULL_TEXT_WORDS` words): matched
   against the archive's index; fetched only when it matches an original, left otherwise;
   an excerpt (at least `EXCERPT_WORDS`) is fetched when it shares passages with one;
3. title: the entry's title, a news sitemap's title or the URL's slug is close to an
   original's title (rapidfuzz over the archive's titles), and the page is not dated
   before that original: fetched;
4. `--discover all`: every other page new or changed since the last run is fetched, even
   one whose full text in its feed matched no original.

Everything else is left, counted with its reason. A page listed again with the same
`lastmod` keeps last week's decision without being looked at again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from compliance.common.textmatch import normalize
from compliance.discover.listings import Listed

FULL_TEXT_WORDS = 150  # a feed entry this long carries the story, not a teaser
EXCERPT_WORDS = 25  # an excerpt this long can share passages with an original
TITLE_SCORE = 86.0  # rapidfuzz token_sort_ratio of a title or slug to an original's
SLUG_SCORE = 95.0  # token_set_ratio: a slug's words, nearly all in an original's title
SLUG_WORDS = 5  # a slug shorter than this names too little
_EARLIEST = timedelta(days=1)  # a copy may be dated a day before its original (time zones)
_ADDRESS = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SLUG_ID = re.compile(r"(?:^|-)\d+$|\.\w+$")  # "…-4656421", ".html"


@dataclass(frozen=True)
class Decision:
    fetch: bool
    step: str  # join, text, title, all, known (a copy found before) or left
    why: str


@dataclass
class Tally:
    """What discovery looked at and what it did, per site."""

    listed: int = 0
    unchanged: int = 0  # listed again with the same lastmod: last week's decision kept
    steps: Counter[str] = field(default_factory=Counter)  # fetched, per step
    left: Counter[str] = field(default_factory=Counter)  # not fetched, per reason

    @property
    def fetched(self) -> int:
        return sum(self.steps.values())


@dataclass(frozen=True)
class _Titled:
    key: str
    published: datetime | None
    original: str


class ArchiveTitles:
    """The originals' titles and dates, and the newswire's addresses, for triage."""

    def __init__(self, index: Any, domains: tuple[str, ...] = ()) -> None:
        self.index = index
        self.domains = domains
        self.urls: set[str] = set()
        self.titled: list[_Titled] = []
        for number in range(len(index) if index is not None else 0):
            original = index.original(number)
            if original.url:
                self.urls.add(original.url.rstrip("/"))
            key = normalize(original.title)
            if key:
                self.titled.append(_Titled(key, parse_date(original.published), original.id))
        self.keys = [t.key for t in self.titled]

    def close_title(
        self, text: str, score: float, dated: datetime | None, slug: bool = False
    ) -> _Titled | None:
        """The original whose title `text` is close to (a slug: whose title holds its words,
        as slugs cut titles short), not dated after the page."""
        from rapidfuzz import fuzz, process

        key = normalize(text)
        if len(key.split()) < (SLUG_WORDS if slug else 3) or not self.keys:
            return None  # "Home", "Opinion": too short to tell one story from another
        scorer = fuzz.token_set_ratio if slug else fuzz.token_sort_ratio
        for _key, _score, position in process.extract(
            key, self.keys, scorer=scorer, score_cutoff=score, limit=5
        ):
            titled = self.titled[position]
            if dated is None or titled.published is None or dated >= titled.published - _EARLIEST:
                return titled
        return None


def parse_date(text: str | None) -> datetime | None:
    """An ISO 8601 date (as the checks read them) or a feed's RFC 822 date, as an aware
    datetime; None when it reads as neither."""
    from compliance.common.dates import parse_date as iso_date

    found = iso_date(text)
    if found is not None or not text:
        return found
    try:
        found = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _plausible(dated: datetime | None) -> datetime | None:
    """A listing's date when it can be true: feeds that stamp every entry 1970-01-01 or a
    year ahead say nothing about when a page was published."""
    if dated is None or dated.year < 1995 or dated > datetime.now(UTC) + timedelta(days=2):
        return None
    return dated


def slug_words(url: str) -> str:
    """The words of a URL's last path segment: "/2026/11/council-passes-budget-123.html"."""
    path = unquote(urlsplit(url).path).rstrip("/")
    slug = _SLUG_ID.sub("", path.rsplit("/", 1)[-1])
    return " ".join(re.split(r"[-_+]+", slug)).strip()


def decide(page: Listed, archive: ArchiveTitles, matcher: Any, everything: bool) -> Decision:
    """Whether to fetch `page` (the module's docstring says in which order)."""
    from compliance.terms.governance import on_domains

    markup = page.content or page.summary
    for address in _ADDRESS.findall(markup):
        if on_domains(address, archive.domains) or address.rstrip("/") in archive.urls:
            return Decision(True, "join", f"the listing links to {address[:120]}")
    text_words = 0
    if markup and matcher is not None:
        from compliance.read.htmltree import fragment_paragraphs

        paragraphs = fragment_paragraphs(markup, page.listing)
        text_words = sum(len(p.split()) for p in paragraphs)
        if text_words >= FULL_TEXT_WORDS:
            found = matcher.by_text(paragraphs, [page.title or ""])
            if found:
                original = found[0].original
                return Decision(True, "text", f"the feed's text is {original.id}'s")
        elif text_words >= EXCERPT_WORDS:
            # A feed's excerpt (WordPress gives the first 55 words) is too short to align,
            # but the passages it shares with an original are a sign worth a fetch.
            shared = matcher.sharing(paragraphs)
            if shared:
                original, hits = shared[0]
                why = f"the feed's excerpt shares {hits} passages with {original.id}"
                return Decision(True, "text", why)
    dated = _plausible(parse_date(page.published or page.modified))
    for text, score, slug in (
        (page.title, TITLE_SCORE, False),
        (slug_words(page.url), SLUG_SCORE, True),
    ):
        titled = archive.close_title(text or "", score, dated, slug)
        if titled is not None:
            why = f"its title is close to {titled.original}'s"
            return Decision(True, "title", why)
    if everything:
        return Decision(True, "all", "--discover all")
    if text_words >= FULL_TEXT_WORDS:
        return Decision(False, "left", "the feed carries its text, and it is no original's")
    return Decision(False, "left", "no link, text or title of the newswire's in its listing")
