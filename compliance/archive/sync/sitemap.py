"""A (news) sitemap's pages, fetched and read as articles.

A page whose sitemap `lastmod` (or news publication date) is what the last sync saw is not
fetched again; any other is asked for conditionally (ETag, Last-Modified), so an unchanged page
costs a 304, and so does an unchanged sitemap. Pages leave a news sitemap after two days, so
nothing is marked deleted.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from compliance.archive.sync.archive_file import SyncedArchive, record_from_original
from compliance.archive.sync.client import SyncClient, SyncError
from compliance.archive.sync.result import Progress, SyncResult
from compliance.errors import InputError
from compliance.web.fetch import LIST_TYPES, Fetched
from compliance.web.sitemaps import listed_pages

FETCH_THREADS = 4  # the polite fetcher still paces each host


def _listed(
    url: str,
    client: SyncClient,
    result: SyncResult,
    validators: dict[str, Any],
    answer: Fetched | None,
) -> list[tuple[str, str]] | None:
    """(page URL, its lastmod or publication date) for every page the sitemap lists, or None
    when the sitemap itself is unchanged since the last sync (a 304)."""
    known = validators.get(url) or {}
    got = answer or client.fetch(url, known.get("etag"), known.get("last_modified"), LIST_TYPES)
    if got.not_modified:
        return None
    if not got.ok or got.body is None:
        raise SyncError(f"{url}: {got.error or 'no answer'}")
    head = got.body[:4096].lower()
    if b"<urlset" not in head and b"<sitemapindex" not in head:
        raise SyncError(f"{url}: not a sitemap (no <urlset> or <sitemapindex>)")

    def problem(text: str) -> None:
        result.problem(text)
        result.complete = False

    listed: dict[str, str] = {}
    for page in listed_pages(got.body, client, problem, url):
        listed.setdefault(page.url, page.modified or "")
    if result.complete:
        validators[url] = {"etag": got.etag, "last_modified": got.last_modified}
    return list(listed.items())


def _read(url: str, got: Fetched, source_id: str | None) -> dict[str, Any]:
    from compliance.archive.originals import original_from_article
    from compliance.read.extract import extract
    from compliance.read.sources import kind_of_type, page_from_bytes

    assert got.body is not None
    page = page_from_bytes(
        url, got.body, kind_of_type(got.content_type), got.charset, got.final_url or url
    )
    record = record_from_original(original_from_article(extract(page), url, url))
    record["id"] = url  # the listed address: stable whatever the page declares
    if source_id:
        record["source"] = source_id
    return record


def sync_sitemap(
    url: str,
    archive: SyncedArchive,
    client: SyncClient,
    result: SyncResult,
    now: str,
    source_id: str | None,
    progress: Progress,
    answer: Fetched | None = None,
) -> None:
    """Bring `archive` up to date with the pages the sitemap at `url` lists (`answer`: the
    sitemap, when it was fetched already)."""
    validators: dict[str, dict[str, str | None]] = archive.state.setdefault("validators", {})
    listed = _listed(url, client, result, validators, answer)
    if listed is None:
        return
    due = []
    for page_url, stamp in listed:
        known = validators.get(page_url) or {}
        if stamp and known.get("lastmod") == stamp and page_url in archive.records:
            result.unchanged += 1
        else:
            due.append((page_url, stamp, known))

    def fetch(item: tuple[str, str, dict[str, Any]]) -> tuple[str, str, Fetched]:
        page_url, stamp, known = item
        return (
            page_url,
            stamp,
            client.fetch(page_url, known.get("etag"), known.get("last_modified")),
        )

    with ThreadPoolExecutor(FETCH_THREADS) as pool:
        for done, (page_url, stamp, got) in enumerate(pool.map(fetch, due), start=1):
            progress("reading the sitemap's pages", done, len(due))
            if got.not_modified and page_url in archive.records:
                result.unchanged += 1
            elif not got.ok or got.body is None:
                result.problem(f"{page_url}: {got.error or 'no page'}")
                continue
            else:
                try:
                    result.count(archive.apply(_read(page_url, got, source_id), now))
                except InputError as exc:
                    result.problem(exc.message)
                    continue
            validators[page_url] = {
                "lastmod": stamp,
                "etag": got.etag,
                "last_modified": got.last_modified,
            }
