"""One sync: find what kind of source a URL is, bring the archive up to date, save it."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urljoin

from compliance.archive.sync.archive_file import SyncedArchive
from compliance.archive.sync.client import SyncClient, SyncError
from compliance.archive.sync.feed import sync_feed
from compliance.archive.sync.result import Progress, SyncResult, no_progress
from compliance.archive.sync.sitemap import sync_sitemap
from compliance.archive.sync.wordpress import WordPressSite, api_root_of
from compliance.errors import InputError
from compliance.model import utc_timestamp
from compliance.web.fetch import API_TYPES, LIST_TYPES, Fetched, FetchPolicy

_FEED_LINK = re.compile(
    r"<link\b[^>]*type=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE
)


def detect(source: str, client: SyncClient) -> tuple[str, str, Fetched | None]:
    """(kind, address to sync, its answer when that is `source`'s own) for `source`: a
    WordPress site (its REST API root), a feed, or a sitemap, from what the address answers.
    Raises SyncError saying what was found."""
    got = client.fetch(source, accept=(*LIST_TYPES, *API_TYPES))
    if not got.ok or got.body is None:
        raise SyncError(f"{source}: {got.error or 'no answer'}")
    api = api_root_of(got.final_url or source, got.body, got.headers)
    if api:
        return "wordpress", api, None
    head = got.body[:4096].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap", source, got
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed", source, got
    link = _FEED_LINK.search(got.body[:200_000].decode("utf-8", "replace"))
    if link:
        href = re.search(r"href=[\"']([^\"']+)", link.group(0))
        if href:
            return "feed", urljoin(got.final_url or source, href.group(1)), None
    raise SyncError(
        f"{source}: not a WordPress site, an RSS/Atom feed or a sitemap (it answered"
        f" {got.content_type or 'with no content type'}); give the feed's or the sitemap's own"
        " address, or --kind"
    )


def sync(
    source: str,
    into: Path,
    policy: FetchPolicy,
    kind: str = "auto",
    source_id: str | None = None,
    interval: float = 0.0,
    obey_robots: bool = True,
    progress: Progress = no_progress,
) -> SyncResult:
    """Bring the archive at `into` up to date with `source`, and save it.

    Raises SyncError when the source cannot be synced at all and UserError when the archive
    file cannot be read; a post, entry or page that cannot be read is counted in `problems`.
    """
    archive = SyncedArchive.open(into)
    state = archive.state
    if state.get("source") not in (None, source):
        raise SyncError(
            f"{into} was synced from {state['source']}; sync {source} into another file"
        )
    client = SyncClient.open(policy, interval, obey_robots)
    try:
        return _sync_into(archive, source, kind, client, source_id, progress)
    except KeyboardInterrupt:
        archive.save()  # what was read is kept; the state still asks from where it began
        raise
    finally:
        client.close()


def _sync_into(
    archive: SyncedArchive,
    source: str,
    kind: str,
    client: SyncClient,
    source_id: str | None,
    progress: Progress,
) -> SyncResult:
    """Sync `archive` from `source` with an open client; the archive is saved at the end."""
    state = archive.state
    answer = None
    if kind != "auto":
        address = source
    elif "address" in state:
        kind, address = state["kind"], state["address"]
    else:
        kind, address, answer = detect(source, client)
    result = SyncResult(source, kind)
    now = utc_timestamp()
    source_id = source_id or state.get("source_id")
    if kind == "wordpress":
        _sync_wordpress(address, archive, client, result, now, source_id, progress)
    elif kind == "feed":
        sync_feed(address, archive, client, result, now, source_id, progress, answer)
    else:
        sync_sitemap(address, archive, client, result, now, source_id, progress, answer)
    result.requests = client.requests
    state.update(source=source, kind=kind, address=address, synced=now)
    if source_id:
        state["source_id"] = source_id
    state["last"] = result.to_json()
    archive.save()
    return result


SAVE_EVERY = 15.0  # seconds: a sync stopped or killed keeps what it read by then


def _sync_wordpress(
    api_root: str,
    archive: SyncedArchive,
    client: SyncClient,
    result: SyncResult,
    now: str,
    source_id: str | None,
    progress: Progress,
) -> None:
    site = WordPressSite(api_root, client, source_id)
    first = "cursor" not in archive.state
    cursor = archive.state.get("cursor")
    newest = cursor or ""
    # Posts the site publishes that could not be read (protected, empty): live, not held.
    unreadable = set(archive.state.get("unreadable", []))
    prefix = site.record_id("")

    def take(post: object) -> None:
        nonlocal newest
        if not isinstance(post, dict):
            result.problem(f"{api_root}: an entry of the posts list is not a post: {post!r:.60}")
            return
        identifier = site.record_id(post.get("id"))
        try:
            result.count(archive.apply(site.record(post), now))
            unreadable.discard(identifier)
        except InputError as exc:
            result.problem(exc.message)
            unreadable.add(identifier)
        modified = post.get("modified")
        if isinstance(modified, str) and modified > newest:
            newest = modified

    def held() -> set[str]:
        return {
            i for i, r in archive.records.items() if i.startswith(prefix) and "deleted" not in r
        }

    saved = time.monotonic()
    try:
        for posts in site.changed_pages(cursor, lambda n, t: progress("reading posts", n, t)):
            for post in posts:
                take(post)
            if time.monotonic() - saved > SAVE_EVERY:
                archive.save()  # the cursor is not moved until the listing is read whole
                saved = time.monotonic()
        if site.listing_cut:
            result.notes.append(site.listing_cut)
        if not first:
            # Published since the last sync without a newer modification date (a scheduled
            # post going live): the newest by date are looked at every time.
            missing = site.newest_ids() - held() - unreadable
            ours = {i for i in archive.records if i.startswith(prefix)}
            # A post found that way means the count can no longer be trusted to show a
            # deletion (one deleted and one published count the same): list them all.
            if missing or site.published_count() != len(held() | unreadable):
                live = site.live_ids(lambda n, t: progress("listing posts", n, t))
                result.deleted = archive.mark_deleted(ours - live, now)
                unreadable &= live
                missing |= live - held() - unreadable
            for post in site.posts_by_id(missing):
                take(post)
    except InputError as exc:
        if first and not (result.added or result.problem_count):
            # Many sites switch the REST API off or put it behind a login; the feed stays.
            raise SyncError(
                f"{exc.message}; the site's REST API cannot be read, so sync its feed"
                f" instead ({api_root.split('/wp-json', 1)[0]}/feed/, with --kind feed)"
            ) from None
        # A listing page that could not be read even after retries: keep what was read,
        # keep the cursor (the next sync asks again from there), mark nothing deleted.
        result.problem(exc.message)
        result.complete = False
    archive.state["unreadable"] = sorted(unreadable)
    # Posts not asked for again are unchanged, as far as WordPress's modification dates say.
    result.unchanged = max(0, len(held()) - result.added - result.updated)
    if result.complete and newest:
        archive.state["cursor"] = newest
