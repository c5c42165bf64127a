"""ultimate-sitemap-parser fetching through the audit's polite, address-checked client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from usp.exceptions import SitemapException
from usp.fetch_parse import SitemapFetcher
from usp.objects.page import SitemapPage
from usp.objects.sitemap import AbstractSitemap, InvalidSitemap
from usp.web_client.abstract_client import (
    AbstractWebClient,
    AbstractWebClientResponse,
    AbstractWebClientSuccessResponse,
    WebClientErrorResponse,
)

from compliance.web.fetch import LIST_TYPES, PAGE_TYPES, Fetched


class Fetches(Protocol):
    """What fetches a sitemap: the audit's polite fetcher, or a sync's client."""

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] = PAGE_TYPES,
    ) -> Fetched: ...


class _Success(AbstractWebClientSuccessResponse):
    def __init__(self, got: Fetched) -> None:
        self.got = got

    def status_code(self) -> int:
        return self.got.status or 200

    def status_message(self) -> str:
        return "OK"

    def header(self, case_insensitive_name: str) -> str | None:
        if case_insensitive_name.lower() == "content-type":
            return self.got.content_type or None
        return None

    def raw_data(self) -> bytes:
        return self.got.body or b""

    def url(self) -> str:
        return self.got.final_url or self.got.url


class _Client(AbstractWebClient):
    def __init__(self, fetcher: Fetches) -> None:
        self.fetcher = fetcher

    def set_max_response_data_length(self, max_response_data_length: int | None) -> None:
        """The fetcher's own cap on decoded bytes applies."""

    def get(self, url: str) -> AbstractWebClientResponse:
        got = self.fetcher.fetch(url, accept=LIST_TYPES)
        if got.ok:
            return _Success(got)
        # Our fetcher already retried what is worth retrying.
        return WebClientErrorResponse(got.error or "failed", retryable=False)


def fetch_sitemap(url: str, fetcher: Fetches) -> AbstractSitemap:
    """The sitemap at `url` with its sub-sitemaps, or an InvalidSitemap saying why not."""
    try:
        return SitemapFetcher(url, recursion_level=1, web_client=_Client(fetcher)).sitemap()
    except SitemapException as exc:  # a loop of sitemaps, too deep, or not an http(s) URL
        return InvalidSitemap(url, str(exc))


def listed_pages(
    data: bytes, fetcher: Fetches, problem: Callable[[str], None]
) -> Iterator[SitemapPage]:
    """Every page a sitemap's bytes list, sub-sitemaps fetched through `fetcher`; a sitemap
    that cannot be read is reported to `problem` ("sitemap URL: why") and skipped."""
    from usp.tree import sitemap_from_str

    def pages_of(sitemap: AbstractSitemap) -> Iterator[SitemapPage]:
        if isinstance(sitemap, InvalidSitemap):
            problem(f"sitemap {sitemap.url}: {sitemap.reason}")
        yield from sitemap.pages

    root = sitemap_from_str(data.decode("utf-8", "replace"))
    yield from pages_of(root)
    # usp leaves a parsed string's sub-sitemaps unfetched; fetch each here, through the same
    # client (usp then follows any deeper levels itself).
    for sub in root.sub_sitemaps:
        tree = fetch_sitemap(sub.url, fetcher)
        yield from pages_of(tree)
        for deeper in tree.all_sitemaps():
            yield from pages_of(deeper)
