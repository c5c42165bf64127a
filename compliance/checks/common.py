"""Helpers several check types share: where the article sits on the page, links, verdicts
that need an original."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.checks.base import CheckContext, Outcome, not_judged
from compliance.common.textmatch import normalize
from compliance.model import Article, Link
from compliance.read.joins import host_of, normalize_url


def needs_original(what: str, ctx: CheckContext) -> Outcome:
    """The verdict of a check that compares with an original when none was matched: what
    would give it one, said as it is (no archive given, or none of its originals)."""
    if not ctx.archived:
        return not_judged(
            f"{what} needs the copy's original, and no archive of originals was given"
            " (--originals ARCHIVE)"
        )
    return not_judged(
        f"{what} needs the copy's original, and the archive given holds none it copies"
    )


def article_span(article: Article) -> tuple[int, int]:
    """(first, last) block indices of the article's own text on the page.

    The blocks carrying the extractor's first and last paragraphs; the whole page when the
    extractor found no article in it.
    """
    if not article.blocks:
        return 0, -1
    paragraphs = [normalize(p)[:80] for p in article.paragraphs if p.strip()]
    texts = [normalize(b.text) for b in article.blocks]
    hits = [i for i, text in enumerate(texts) if any(p and p in text for p in paragraphs[:3])]
    last_hits = [i for i, text in enumerate(texts) if any(p and p in text for p in paragraphs[-3:])]
    first = min(hits) if hits else 0
    last = max(last_hits) if last_hits else len(article.blocks) - 1
    return first, max(first, last)


def domain_matches(url: str, domains: Sequence[str]) -> bool:
    """Whether `url` is on one of `domains` or a subdomain of one."""
    host = host_of(url)
    return any(
        host == d.lower().removeprefix("www.") or host.endswith("." + d.lower()) for d in domains
    )


def links_to(article: Article, url: str | None, domains: Sequence[str] = ()) -> Link | None:
    """The first link of the page to `url` (any scheme, `www.`, query or trailing slash), or,
    failing that, to one of `domains`."""
    if url:
        wanted = normalize_url(url)
        for link in article.links:
            if normalize_url(link.href) == wanted:
                return link
    for link in article.links:
        if link.href.lower().startswith(("http://", "https://", "//")) and domain_matches(
            link.href, domains
        ):
            return link
    return None


def original_url(ctx: CheckContext) -> str | None:
    return ctx.match.original.url if ctx.match else None
