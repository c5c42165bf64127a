"""An RSS/Atom feed and, for WordPress feeds, its history pages (`?paged=2`, `?paged=3` ...).

The first page is asked for conditionally: a 304 ends the sync. History pages are walked
until one adds nothing new or changed (a site that ignores `paged` repeats its first page,
so this also ends there), until a page is missing (404) or empty, or after `max_pages`.
A feed lists only recent entries, so nothing is ever marked deleted from one.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from compliance.archive.feeds import feed_fault, original_from_entry, parse_feed
from compliance.archive.sync.archive_file import SyncedArchive, record_from_original
from compliance.archive.sync.client import SyncClient, SyncError
from compliance.archive.sync.result import Progress, SyncResult
from compliance.errors import InputError
from compliance.web.fetch import LIST_TYPES, Fetched

MAX_FEED_PAGES = 1000


def paged(url: str, number: int) -> str:
    """`url` asking for history page `number`, as WordPress feeds take it."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    query.append(("paged", str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def sync_feed(
    url: str,
    archive: SyncedArchive,
    client: SyncClient,
    result: SyncResult,
    now: str,
    source_id: str | None,
    progress: Progress,
    answer: Fetched | None = None,
    max_pages: int = MAX_FEED_PAGES,
) -> None:
    """Bring `archive` up to date with the feed at `url` (`answer`: its first page, when it
    was fetched already)."""
    validators = archive.state.setdefault("validators", {})
    known = validators.get(url) or {}
    got = answer or client.fetch(url, known.get("etag"), known.get("last_modified"), LIST_TYPES)
    if got.not_modified:
        return
    if not got.ok or got.body is None:
        raise SyncError(f"{url}: {got.error}")
    seen: set[str] = set()
    number = 1
    body = got.body
    while True:
        feed = parse_feed(body)
        if number == 1 and not feed.entries:
            raise SyncError(f"{url}: not a readable RSS or Atom feed, or it has no entries")
        fault = feed_fault(feed, paged(url, number) if number > 1 else url)
        if fault:
            result.notes.append(fault)
        fresh = 0
        for position, entry in enumerate(feed.entries, start=1):
            try:
                original = original_from_entry(entry, f"{url}: page {number}, entry {position}")
            except InputError as exc:
                result.problem(exc.message)
                continue
            record = record_from_original(original)
            if source_id:
                record["source"] = source_id
            if record["id"] in seen:
                continue
            seen.add(record["id"])
            outcome = archive.apply(record, now)
            result.count(outcome)
            fresh += outcome != "unchanged"
        progress("reading the feed's pages", number, None)
        if not fresh or not _is_wordpress(feed):
            break
        if number >= max_pages:
            result.notes.append(
                f"{url}: the feed's history pages did not end: read {max_pages:,} pages and"
                " stopped there"
            )
            break
        number += 1
        page = client.fetch(paged(url, number), accept=LIST_TYPES)
        if not page.ok or page.body is None:
            if page.status != 404:  # a missing page is the end of the history
                result.problem(f"{paged(url, number)}: {page.error}")
                result.complete = False
            break
        body = page.body
    if result.complete:
        validators[url] = {"etag": got.etag, "last_modified": got.last_modified}


def _is_wordpress(feed: object) -> bool:
    generator = str(getattr(feed, "feed", {}).get("generator", "")).lower()
    return "wordpress" in generator
