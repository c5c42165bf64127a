"""ultimate-sitemap-parser fetching through the audit's polite, address-checked client."""

from __future__ import annotations

from usp.exceptions import SitemapException
from usp.fetch_parse import SitemapFetcher
from usp.objects.sitemap import AbstractSitemap, InvalidSitemap
from usp.web_client.abstract_client import (
    AbstractWebClient,
    AbstractWebClientResponse,
    AbstractWebClientSuccessResponse,
    WebClientErrorResponse,
)

from compliance.fetch import LIST_TYPES, Fetched
from compliance.politeness import PoliteFetcher


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
    def __init__(self, fetcher: PoliteFetcher) -> None:
        self.fetcher = fetcher

    def set_max_response_data_length(self, max_response_data_length: int | None) -> None:
        """The fetcher's own cap on decoded bytes applies."""

    def get(self, url: str) -> AbstractWebClientResponse:
        got = self.fetcher.fetch(url, accept=LIST_TYPES)
        if got.ok:
            return _Success(got)
        # Our fetcher already retried what is worth retrying.
        return WebClientErrorResponse(got.error or "failed", retryable=False)


def fetch_sitemap(url: str, fetcher: PoliteFetcher) -> AbstractSitemap:
    """The sitemap at `url` with its sub-sitemaps, or an InvalidSitemap saying why not."""
    try:
        return SitemapFetcher(url, recursion_level=1, web_client=_Client(fetcher)).sitemap()
    except SitemapException as exc:  # a loop of sitemaps, too deep, or not an http(s) URL
        return InvalidSitemap(url, str(exc))
