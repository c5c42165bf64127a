"""What a page declares about itself: meta tags, JSON-LD, title, canonical URL, site name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "webpage",
    "backgroundnewsarticle",
}


def meta_tags(root: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in meta:
            meta[key] = " ".join(content.split())
    return meta


def json_ld(root: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(el.text or "")
        except (ValueError, RecursionError):
            continue  # malformed JSON-LD is common on real pages and says nothing reliable
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    objects.extend(g for g in graph if isinstance(g, dict))
    return objects


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def json_ld_authors(objects: list[dict[str, Any]]) -> Iterator[tuple[str, bool]]:
    """(name, declared a person?) for each author of an article object."""
    for obj in objects:
        if not types_of(obj) & ARTICLE_TYPES:
            continue
        authors = obj.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, str):
                yield author, True
            elif isinstance(author, dict) and isinstance(author.get("name"), str):
                yield author["name"], "organization" not in types_of(author)


def site_name_of(meta: dict[str, str], objects: list[dict[str, Any]]) -> str | None:
    if meta.get("og:site_name"):
        return meta["og:site_name"]
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"]
    return None


def title_of(
    root: Any, meta: dict[str, str], objects: list[dict[str, Any]], declared: str | None
) -> str | None:
    """The headline: declared by front matter, JSON-LD or Open Graph, else the page's h1."""
    if declared:
        return declared
    for obj in objects:
        headline = obj.get("headline")
        if types_of(obj) & ARTICLE_TYPES and isinstance(headline, str) and headline.strip():
            return " ".join(headline.split())
    if meta.get("og:title"):
        return meta["og:title"]
    h1 = next(root.iter("h1"), None)
    if h1 is not None and h1.text_content().strip():
        return " ".join(h1.text_content().split())
    title = root.find(".//title")
    return " ".join(title.text_content().split()) if title is not None else None


def canonical_of(root: Any, meta: dict[str, str], base: str | None) -> str | None:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            return urljoin(base, el.get("href")) if base else el.get("href")
    return meta.get("og:url")


_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "dc.date")


def published_of(
    meta: dict[str, str], objects: list[dict[str, Any]], front: dict[str, Any]
) -> str | None:
    """When the page says it was published: meta tags, JSON-LD, or Markdown front matter."""
    for key in _DATE_META:
        if meta.get(key):
            return meta[key].strip()
    for obj in objects:
        value = obj.get("datePublished")
        if isinstance(value, str) and value.strip():
            return value.strip()
    value = front.get("date") or front.get("published")
    return str(value) if value else None
