"""What a page declares about itself: meta tags, JSON-LD, title, canonical URL, site name."""

from __future__ import annotations

import json
import re
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


# CMS templates wrap JSON-LD in a CDATA section, sometimes behind a JavaScript comment.
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def json_ld(root: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            # strict=False: raw line breaks inside strings are common and harmless.
            data = json.loads(_CDATA.sub("", el.text or ""), strict=False)
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


def _authors_of(
    obj: dict[str, Any], by_id: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, bool]]:
    authors = obj.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and "name" not in author:
            # Yoast's graph names the author once, in its Person node: {"@id": "#/schema/…"}
            author = by_id.get(str(author.get("@id")), author)
        if isinstance(author, str):
            yield author, True
        elif isinstance(author, dict) and isinstance(author.get("name"), str):
            yield author["name"], "organization" not in types_of(author)


def main_article_authors(
    objects: list[dict[str, Any]], page_url: str | None = None
) -> Iterator[tuple[str, bool]]:
    """(name, declared a person?) for each author of the page's own article object.

    Pages list related stories as article objects too; the page's own is the one whose `url`
    or `mainEntityOfPage` is the page, else the first article object. Some pages declare
    their article twice (a plugin's object without an author beside the theme's): the first
    of them that names an author speaks.
    """
    articles = [obj for obj in objects if types_of(obj) & ARTICLE_TYPES]
    key = page_url.rstrip("/") if page_url else None
    own = [obj for obj in articles if key and key in _addresses(obj)]
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    for article in own or articles[:1]:
        authors = list(_authors_of(article, by_id))
        if authors:
            yield from authors
            return


def _addresses(obj: dict[str, Any]) -> set[str]:
    entity = obj.get("mainEntityOfPage")
    if isinstance(entity, dict):
        entity = entity.get("@id") or entity.get("url")
    return {v.rstrip("/") for v in (obj.get("url"), entity) if isinstance(v, str)}


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


def headline_element(root: Any, title: str | None) -> Any | None:
    """The element showing the story's headline: the h1, h2 or h3 (blogs title posts with
    h3) that reads as the title, else the first h1 with text."""
    from rapidfuzz import fuzz

    from compliance.common.textmatch import normalize

    key = normalize(title) if title else ""
    first = None
    for el in root.iter("h1", "h2", "h3"):
        text = normalize(el.text_content())
        if not text:
            continue
        if first is None and el.tag == "h1":
            first = el
        if key and fuzz.partial_ratio(key, text) >= 90 and len(text) >= 0.5 * len(key):
            return el
    return first


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
