"""Signals by which a copy names its original: links, metadata and tracking pixels.

When a copy says which article it republishes, that beats any text similarity: a
`<link rel=canonical>` or `og:url` to the original, a `syndication-source` meta tag
(ProPublica's republishing code), JSON-LD `isBasedOn`, a Republication Tracker Tool pixel
carrying the WordPress post id, or a link in an "originally published at" line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from compliance.model import Article

_PIXEL_MARKERS = ("republication-tracker-tool", "republication-pixel", "creative-commons-sharing")
_POST_ID = re.compile(r"^\d{1,12}$")


@dataclass(frozen=True)
class Named:
    """An original a copy names: by which signal, and the key to look it up by."""

    signal: str  # canonical, og:url, syndication-source, isBasedOn, pixel, credit link
    kind: str  # "url" (value: a normalised URL) or "post" (value: host#post id)
    value: str
    raw: str  # as written on the page


def normalize_url(url: str) -> str:
    """Scheme-, `www.`-, query-, fragment- and trailing-slash-insensitive form of a URL."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def host_of(url: str) -> str:
    """The URL's host without `www.`, lower-cased."""
    return urlsplit(url.strip()).netloc.lower().removeprefix("www.")


def pixel_post(src: str) -> str | None:
    """`host#post id` from a republication tracking pixel's address, else None."""
    if not any(marker in src for marker in _PIXEL_MARKERS) and "pixel.php" not in src:
        return None
    query = parse_qs(urlsplit(src).query)
    for name in ("post", "postid", "post_id", "id"):
        for value in query.get(name, []):
            if _POST_ID.match(value):
                return f"{host_of(src)}#{value}"
    return None


def _based_on(objects: list[dict[str, Any]]) -> Iterator[str]:
    for obj in objects:
        value = obj.get("isBasedOn") or obj.get("isBasedOnUrl")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict):
                url = item.get("url") or item.get("@id")
                if isinstance(url, str):
                    yield url


def _credit_links(article: Article) -> Iterator[str]:
    """Links inside the page's notice lines ("This article first appeared on ...")."""
    notice_selectors = [
        article.blocks[i].location.selector for i in article.notices if article.blocks[i].location
    ]
    for link in article.links:
        selector = link.location.selector or ""
        if any(s and selector.startswith(s) for s in notice_selectors):
            yield link.href


def named_originals(article: Article) -> list[Named]:
    """Every original the page names, strongest signal first, each URL once."""
    meta = article.metadata.get("meta") or {}
    found: list[Named] = []
    seen: set[tuple[str, str]] = set()

    def add(signal: str, kind: str, value: str, raw: str) -> None:
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            found.append(Named(signal, kind, value, raw))

    def add_url(signal: str, url: str | None) -> None:
        if url and url.strip().lower().startswith(("http://", "https://", "//")):
            add(signal, "url", normalize_url(url), url.strip())

    add_url("canonical", article.canonical)
    add_url("og:url", meta.get("og:url"))
    add_url("syndication-source", meta.get("syndication-source"))
    for url in _based_on(article.metadata.get("json_ld") or []):
        add_url("isBasedOn", url)
    for tracker in article.metadata.get("trackers", ()):
        post = pixel_post(tracker["src"])
        if post:
            add("pixel", "post", post, tracker["src"])
    for url in _credit_links(article):
        add_url("credit link", url)
    return found
