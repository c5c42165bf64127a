"""A WordPress site's posts, through its REST API (`/wp-json/wp/v2/posts`).

Pages of 100 posts ordered by modification, with authors, terms and the featured image
embedded (`_embed`); `X-WP-TotalPages` says how many pages there are. A later sync asks only
for posts modified after the newest one it holds (`modified_after`, WordPress 5.7+), then
counts the published posts (`X-WP-Total` of a one-post page): only when that differs from
the posts it holds does it list every published id (`_fields=id`), to find the deleted and
to fetch (`include=`, 100 at a time) the published posts it does not hold: a scheduled post
goes live without a new modification date, so no `modified_after` ever returns it. The
newest posts by publication date are looked at on every sync for the same reason.

A site's answers are not trusted: a listing ends at an empty page, a page that brings no
post not already read, or the pages `X-WP-Total` can explain; counts that are not plain
digits are ignored; an entry that is not a post object is counted as a problem.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from compliance.archive.sync.client import SyncClient
from compliance.errors import InputError
from compliance.read.htmltree import fragment_paragraphs
from compliance.web.fetch import API_TYPES

PER_PAGE = 100  # the REST API's maximum
MAX_PAGES = 10_000  # a million posts: past this a listing is not believed
_DIGITS = re.compile(r"[0-9]{1,12}")
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


def _count(header: str | None) -> int | None:
    """A count header's value, when it is plain digits (`²` is a digit to Python)."""
    return int(header) if header and _DIGITS.fullmatch(header.strip()) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _key(post: Any) -> str:
    """What tells posts apart in a listing: their id, or the entry itself."""
    return repr(post.get("id")) if isinstance(post, dict) and "id" in post else repr(post)


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
        self.listing_cut: str | None = None  # why the last listing stopped short, if it did

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
        return PostPage(
            posts,
            _count(got.headers.get("x-wp-totalpages")) or 1,
            _count(got.headers.get("x-wp-total")),
        )

    def pages(
        self, progress: Progress, per_page: int = PER_PAGE, **params: Any
    ) -> Iterator[list[dict[str, Any]]]:
        """Every page of posts matching `params`, in order; the first failure is raised.
        Where the listing was ended before the pages it claimed, `listing_cut` says why."""
        self.listing_cut = None
        first = self.page(1, per_page, **params)
        last = min(first.total_pages, MAX_PAGES)
        if first.total is not None:  # more pages than the posts it counts can fill: no
            last = min(last, max(1, -(-first.total // per_page)))
        progress(1, last)
        yield first.posts
        seen = {_key(p) for p in first.posts}
        number, short = 1, len(first.posts) < per_page
        while number < last and not short:
            number += 1
            page = self.page(number, per_page, **params)
            keys = {_key(p) for p in page.posts}
            if not page.posts or keys <= seen:
                what = "ended with an empty page" if not page.posts else "repeated itself"
                self.listing_cut = (
                    f"{self.url(per_page=per_page, page=number, **params)}: the listing {what}"
                    f" at page {number:,} of the {first.total_pages:,} it claimed; read to there"
                )
                return
            seen |= keys
            short = len(page.posts) < per_page
            yield page.posts
            progress(number, last)
        if number < first.total_pages and not short:
            self.listing_cut = (
                f"{self.api_root}: the listing claimed {first.total_pages:,} pages; read"
                f" {number:,}, what its {first.total or 'unstated'} posts fill (at most"
                f" {MAX_PAGES:,})"
            )

    def changed_pages(
        self, since: str | None, progress: Progress
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of the posts modified after `since` (the site's local time, as WordPress
        compares it), or of every post on a first sync."""
        params: dict[str, Any] = {"_embed": 1, "orderby": "modified", "order": "asc"}
        if since:
            params["modified_after"] = since
        yield from self.pages(progress, **params)

    def newest_ids(self) -> set[str]:
        """The record ids of the newest posts by publication date (one request)."""
        posts = self.page(1, orderby="date", order="desc", _fields="id").posts
        return {self.record_id(p["id"]) for p in posts if isinstance(p, dict) and "id" in p}

    def posts_by_id(self, record_ids: Iterable[str]) -> Iterator[Any]:
        """The posts with these record ids, with everything embedded, 100 a request."""
        numbers = sorted(i.rsplit("=", 1)[1] for i in record_ids)
        for start in range(0, len(numbers), PER_PAGE):
            batch = ",".join(numbers[start : start + PER_PAGE])
            yield from self.page(1, include=batch, _embed=1).posts

    def published_count(self) -> int | None:
        """How many posts the site publishes now (one tiny request), when it says."""
        return self.page(1, per_page=1, _fields="id").total

    def live_ids(self, progress: Progress) -> set[str]:
        """The record ids of every post the site still publishes."""
        ids: set[str] = set()
        for posts in self.pages(progress, _fields="id", orderby="id", order="asc"):
            ids.update(self.record_id(p["id"]) for p in posts if isinstance(p, dict) and "id" in p)
        return ids

    def record_id(self, post_id: Any) -> str:
        """A post's stable id in the archive: its site and number, as WordPress's shortlink."""
        return f"{self.host}/?p={post_id}"

    def record(self, post: dict[str, Any]) -> dict[str, Any]:
        """The originals record of one post; raises InputError when it has no usable text."""
        where = f"{self.api_root} post {post.get('id')}"
        content = _mapping(post.get("content"))
        if content.get("protected"):
            raise InputError(f"{where}: password-protected", "protected")
        body = fragment_paragraphs(str(content.get("rendered") or ""), where)
        title = _text(post.get("title"))
        if not body or not title:
            raise InputError(f"{where}: no title or no text", "empty")
        embedded = _mapping(post.get("_embedded"))
        authors = [
            a["name"].strip()
            for a in _items(embedded.get("author"))
            if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()
        ]
        if not authors:
            yoast = _mapping(post.get("yoast_head_json")).get("author")
            authors = [yoast] if isinstance(yoast, str) and yoast.strip() else []
        terms = [t for group in _items(embedded.get("wp:term")) for t in _items(group)]
        categories = [
            t["name"] for t in terms if isinstance(t, dict) and t.get("taxonomy") == "category"
        ]
        media = _mapping(next(iter(_items(embedded.get("wp:featuredmedia"))), None))
        record: dict[str, Any] = {
            "id": self.record_id(post.get("id")),
            "url": _string(post.get("link")),
            "title": title,
            "authors": authors,
            "published": _utc(post.get("date_gmt")) or _string(post.get("date")),
            "modified": _string(post.get("modified")),
            "source": self.source_id,
            "categories": [html.unescape(c) for c in categories if isinstance(c, str)],
            "image": _string(media.get("source_url")),
            "image_credit": _text(media.get("caption")) or None,
            "body": "\n\n".join(body),
        }
        return {k: v for k, v in record.items() if v not in (None, [], "")}
