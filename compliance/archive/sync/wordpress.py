"""A WordPress site's posts, through its REST API (`/wp-json/wp/v2/posts`).

Pages of 100 posts ordered by modification, with authors, terms and the featured image
embedded (`_embed`); `X-WP-TotalPages` says how many pages there are. A later sync asks only
for posts modified after the newest one it holds (`modified_after`, WordPress 5.7+), then
counts the published posts (`X-WP-Total` of a one-post page): only when that differs from
the posts it holds does it list every published id (`_fields=id`) to find the deleted.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from compliance.archive.sync.client import SyncClient
from compliance.errors import InputError
from compliance.read.htmltree import fragment_paragraphs
from compliance.web.fetch import API_TYPES

PER_PAGE = 100  # the REST API's maximum
API_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?https://api\.w\.org/"?', re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")

Progress = Callable[[int, int | None], None]


def api_root_of(url: str, body: bytes | None, headers: dict[str, str]) -> str | None:
    """The REST API root a WordPress page or URL declares (its `Link` header or
    `<link rel="https://api.w.org/">`), or None when it is not WordPress."""
    path = urlsplit(url).path
    if "/wp-json" in path:
        return url[: url.index("/wp-json")] + "/wp-json/"
    found = API_LINK.search(headers.get("link", ""))
    if found:
        return found.group(1)
    if body:
        head = body[:200_000].decode("utf-8", "replace")
        tag = re.search(r"<link\b[^>]*rel=[\"']https://api\.w\.org/[\"'][^>]*>", head, re.I)
        if tag:
            href = re.search(r"href=[\"']([^\"']+)", tag.group(0))
            if href:
                return html.unescape(href.group(1))
    return None


def _text(rendered: Any) -> str:
    value = rendered.get("rendered", "") if isinstance(rendered, dict) else rendered or ""
    return " ".join(html.unescape(_TAGS.sub(" ", str(value))).split())


def _utc(value: Any) -> str | None:
    return f"{value}Z" if isinstance(value, str) and value else None


@dataclass(frozen=True)
class PostPage:
    """One page of the posts listing."""

    posts: list[dict[str, Any]]
    total_pages: int
    total: int | None  # posts matching, over every page (X-WP-Total)


class WordPressSite:
    """The posts of one WordPress site, read through `client`."""

    def __init__(self, api_root: str, client: SyncClient, source_id: str | None) -> None:
        self.api_root = api_root if api_root.endswith("/") or "?" in api_root else api_root + "/"
        self.client = client
        self.source_id = source_id
        self.host = urlsplit(api_root).netloc

    def url(self, **params: Any) -> str:
        """The posts endpoint with `params` (plain-permalink sites route by `rest_route`)."""
        query = urlencode(params)
        if "rest_route=" in self.api_root:
            return f"{self.api_root.rstrip('/')}/wp/v2/posts&{query}"
        return f"{self.api_root}wp/v2/posts?{query}"

    def page(self, number: int, per_page: int = PER_PAGE, **params: Any) -> PostPage:
        """One page of posts; raises InputError saying why it could not be read."""
        address = self.url(per_page=per_page, page=number, **params)
        got = self.client.fetch(address, accept=API_TYPES)
        if not got.ok or got.body is None:
            raise InputError(f"{address}: {got.error or 'no answer'}", "fetch-failed")
        try:
            posts = json.loads(got.body)
        except ValueError as exc:
            raise InputError(
                f"{address}: not the REST API's JSON ({exc})", "parse-failed"
            ) from None
        if not isinstance(posts, list):
            raise InputError(f"{address}: expected a list of posts", "parse-failed")
        pages = got.headers.get("x-wp-totalpages", "1")
        total = got.headers.get("x-wp-total", "")
        return PostPage(
            posts, int(pages) if pages.isdigit() else 1, int(total) if total.isdigit() else None
        )

    def pages(self, progress: Progress, **params: Any) -> Iterator[list[dict[str, Any]]]:
        """Every page of posts matching `params`, in order; the first failure is raised."""
        first = self.page(1, **params)
        progress(1, first.total_pages)
        yield first.posts
        for number in range(2, first.total_pages + 1):
            yield self.page(number, **params).posts
            progress(number, first.total_pages)

    def changed_posts(self, since: str | None, progress: Progress) -> Iterator[dict[str, Any]]:
        """Posts modified after `since` (the site's local time, as WordPress compares it),
        or every post on a first sync."""
        params: dict[str, Any] = {"_embed": 1, "orderby": "modified", "order": "asc"}
        if since:
            params["modified_after"] = since
        for posts in self.pages(progress, **params):
            yield from posts

    def published_count(self) -> int | None:
        """How many posts the site publishes now (one tiny request), when it says."""
        return self.page(1, per_page=1, _fields="id").total

    def live_ids(self, progress: Progress) -> set[str]:
        """The record ids of every post the site still publishes."""
        ids: set[str] = set()
        for posts in self.pages(progress, _fields="id"):
            ids.update(self.record_id(p["id"]) for p in posts if isinstance(p, dict) and "id" in p)
        return ids

    def record_id(self, post_id: Any) -> str:
        """A post's stable id in the archive: its site and number, as WordPress's shortlink."""
        return f"{self.host}/?p={post_id}"

    def record(self, post: dict[str, Any]) -> dict[str, Any]:
        """The originals record of one post; raises InputError when it has no usable text."""
        where = f"{self.api_root} post {post.get('id')}"
        content = post.get("content") or {}
        if content.get("protected"):
            raise InputError(f"{where}: password-protected; skipped", "protected")
        body = fragment_paragraphs(str(content.get("rendered") or ""), where)
        title = _text(post.get("title"))
        if not body or not title:
            raise InputError(f"{where}: no title or no text; skipped", "empty")
        embedded = post.get("_embedded") or {}
        authors = [
            a["name"].strip()
            for a in embedded.get("author") or []
            if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()
        ]
        if not authors:
            yoast = (post.get("yoast_head_json") or {}).get("author")
            authors = [yoast] if isinstance(yoast, str) and yoast.strip() else []
        terms = [t for group in embedded.get("wp:term") or [] for t in group or []]
        categories = [
            t["name"] for t in terms if isinstance(t, dict) and t.get("taxonomy") == "category"
        ]
        media = next(iter(embedded.get("wp:featuredmedia") or []), None) or {}
        record: dict[str, Any] = {
            "id": self.record_id(post.get("id")),
            "url": post.get("link"),
            "title": title,
            "authors": authors,
            "published": _utc(post.get("date_gmt")) or post.get("date"),
            "modified": post.get("modified"),
            "source": self.source_id,
            "categories": [html.unescape(c) for c in categories],
            "image": media.get("source_url"),
            "image_credit": _text(media.get("caption")) or None,
            "body": "\n\n".join(body),
        }
        return {k: v for k, v in record.items() if v not in (None, [], "")}
