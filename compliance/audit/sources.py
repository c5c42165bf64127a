"""What an audit checks: the pages its sources list.

A source is a file of URLs (one a line, `#` comments), an XML sitemap (urlset, index or news
sitemap; local or fetched), an RSS/Atom feed, a directory of saved pages, a single page, or a
CSV manifest from a syndication platform mapping copy URLs to their originals. Each is sniffed
from its content, not trusted by its name. A line, row or sub-sitemap that cannot be used is
reported with its place and skipped; the others are still audited.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import UserError
from compliance.read.sources import PAGE_SUFFIXES, expand_inputs, is_url
from compliance.web.fetch import LIST_TYPES, FetchError, check_url
from compliance.web.politeness import PoliteFetcher

URL_COLUMNS = ("url", "copy_url", "republished_url", "page_url", "link")
ORIGINAL_COLUMNS = ("original_id", "original_url", "original", "story_id", "story_url")
MAX_LIST_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Target:
    """One page to audit: a URL, or a saved page on disk named by its path."""

    url: str
    path: str | None = None
    original: str | None = None  # the original's id or URL, when a manifest names it
    source: str = ""  # the SOURCE argument that listed it
    terms: str | None = None  # the rule set judging it, when its partner's agreement names one


@dataclass
class Expanded:
    targets: list[Target]
    problems: list[str]


# What a local file is, by its name: a source is what the user says it is, never a vote
# over its lines (a URL list with a header line is still a URL list).
LIST_SUFFIXES = (".txt", ".urls", ".list", ".lst")
SOURCE_TYPES = ("auto", "urls", "sitemap", "feed", "manifest", "pages", "access-log")


def expand_sources(
    sources: list[str], fetcher: PoliteFetcher, source_type: str = "auto"
) -> Expanded:
    """Every page the sources list, each URL once, in the order listed.

    `source_type`: what every source is (SOURCE_TYPES); `auto` goes by a local file's
    suffix (`.txt`/`.urls`/`.list` a URL list, `.csv` a manifest, `.html`/`.md` a saved
    page, a directory saved pages) and sniffs only what has none of these (a sitemap or
    feed, local or fetched).
    """
    found = Expanded([], [])
    seen: set[str] = set()
    for source in sources:
        for target in _expand(source, fetcher, found.problems, source_type):
            if target.url not in seen:
                seen.add(target.url)
                found.targets.append(target)
    return found


def _expand(
    source: str, fetcher: PoliteFetcher, problems: list[str], kind: str
) -> Iterator[Target]:
    if is_url(source):
        if kind == "pages":
            yield Target(source, source=source)
            return
        got = fetcher.fetch(source, accept=LIST_TYPES)
        if not got.ok or got.body is None:
            problems.append(f"{source}: could not fetch it ({got.error}); skipped")
            return
        yield from _from_bytes(source, got.body, fetcher, problems, remote=True, kind=kind)
        return
    path = Path(source)
    if path.is_dir():
        for ref in expand_inputs([source], problems):
            yield Target(str(ref.path), path=str(ref.path), source=source)
        return
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            limit = MAX_LIST_BYTES // 1048576
            raise UserError(f"{source}: over the {limit} MiB limit for a source")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{source}: no such file or directory") from None
    except OSError as exc:
        raise UserError(f"{source}: cannot read it: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if kind == "auto":
        if suffix == ".csv":
            kind = "manifest"
        elif suffix in LIST_SUFFIXES:
            kind = "urls"
        elif suffix in PAGE_SUFFIXES:
            kind = "pages"
    if kind == "access-log":
        yield from _access_log(source, data, problems)
    elif kind == "manifest":
        yield from _manifest(source, data, problems)
    elif kind == "urls":
        yield from _url_list(source, data, problems)
    elif kind == "pages":
        yield Target(source, path=source, source=source)
    else:
        yield from _from_bytes(source, data, fetcher, problems, remote=False, kind=kind)


def _from_bytes(
    source: str,
    data: bytes,
    fetcher: PoliteFetcher,
    problems: list[str],
    remote: bool,
    kind: str = "auto",
) -> Iterator[Target]:
    data = _gunzipped(source, data, problems)
    if data is None:
        return
    head = data[:4096].lstrip().lower()
    if kind == "sitemap" or (kind == "auto" and (b"<urlset" in head or b"<sitemapindex" in head)):
        yield from _sitemap(source, data, fetcher, problems)
    elif kind == "feed" or (
        kind == "auto" and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head)
    ):
        yield from _feed(source, data, problems)
    elif kind == "manifest":
        yield from _manifest(source, data, problems)
    elif kind == "auto" and (b"<html" in head or b"<!doctype html" in head or b"<body" in head):
        # One page: a URL to audit, or a saved page.
        yield Target(source, path=None if remote else source, source=source)
    else:
        yield from _url_list(source, data, problems)


def _gunzipped(source: str, data: bytes, problems: list[str]) -> bytes | None:
    """`data`, decompressed when it is gzip (a sitemap, a rotated log); None when broken."""
    if data[:2] != b"\x1f\x8b":
        return data
    import gzip

    try:
        return gzip.GzipFile(fileobj=io.BytesIO(data)).read(MAX_LIST_BYTES + 1)
    except (OSError, EOFError) as exc:
        problems.append(f"{source}: not a readable gzip file ({exc}); skipped")
        return None


# Common and Combined Log Format, with an optional leading virtual host ("vhost_combined"):
# host ident user [time] "GET /pixel.gif?post=12 HTTP/1.1" 200 43 "referer" "user agent"
_LOG_LINE = re.compile(
    r'^(?:(?P<vhost>[\w.-]+(?::\d+)?) )?\S+ \S+ \S+ \[[^\]]*\] "(?P<method>[A-Z]+) (?P<target>\S+)'
    r'[^"]*" (?P<status>\d{3}) \S+(?: "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")?'
)
_BOT = re.compile(r"bot\b|crawl|spider|slurp|preview|monitor|headless|python-|curl/|wget/", re.I)
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_[ce]id|ref|amp)$", re.I)


def _access_log(source: str, data: bytes, problems: list[str]) -> Iterator[Target]:
    """The copies a pixel's access log names: each hit's Referer (bots, the pixel's own
    site and non-page referers left out, tracking parameters dropped), each copy once, with
    the post id its pixel counted when the log names the pixel's host (vhost_combined)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    from compliance.read.joins import pixel_post

    found = _gunzipped(source, data, problems)
    if found is None:
        return
    seen: set[str] = set()
    unreadable = bots = 0
    for number, line in enumerate(found.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        hit = _LOG_LINE.match(line)
        if hit is None:
            unreadable += 1
            if unreadable <= 3:
                problems.append(f"{source}: line {number}: not a Common/Combined Log line; skipped")
            continue
        referer = (hit["referer"] or "").strip()
        if hit["method"] not in ("GET", "HEAD") or not hit["status"].startswith(("2", "3")):
            continue
        if _BOT.search(hit["agent"] or ""):
            bots += 1
            continue
        parts = urlsplit(referer)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue  # "-": no referer (a mail client, a privacy setting)
        # The pixel's host, without the port a vhost log writes (":443")
        vhost = (hit["vhost"] or "").rsplit(":", 1)[0].lower().removeprefix("www.")
        if vhost and (parts.hostname or "").removeprefix("www.") == vhost:
            continue  # the newswire's own pages
        query = urlencode(
            [(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)]
        )
        url = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
        if url in seen or _usable(url):
            continue
        seen.add(url)
        post = pixel_post(f"http://{vhost}{hit['target']}") if vhost else None
        yield Target(url, original=f"post:{post}" if post else None, source=source)
    if unreadable > 3:
        problems.append(f"{source}: {unreadable:,} lines in all were not log lines; skipped")
    if bots:
        problems.append(f"{source}: {bots:,} hits from bots and link previews left out")


def _usable(url: str) -> str | None:
    """Why a listed URL cannot be audited, or None."""
    try:
        check_url(url)
    except FetchError as exc:
        return exc.reason
    return None


def _url_list(source: str, data: bytes, problems: list[str]) -> Iterator[Target]:
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        reason = _usable(line)
        if reason:
            problems.append(f"{source}: line {number}: {line[:80]!r}: {reason}; skipped")
            continue
        yield Target(line, source=source)


def _manifest(source: str, data: bytes, problems: list[str]) -> Iterator[Target]:
    text = data.decode("utf-8-sig", "replace")
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower(): name for name in reader.fieldnames or []}
    url_column = next((columns[c] for c in URL_COLUMNS if c in columns), None)
    if url_column is None:
        raise UserError(
            f"{source}: line 1: a manifest needs a column of copy URLs named one of:"
            f" {', '.join(URL_COLUMNS)} (found: {', '.join(columns) or 'none'})"
        )
    original_column = next((columns[c] for c in ORIGINAL_COLUMNS if c in columns), None)
    for row in reader:
        line = reader.line_num
        url = (row.get(url_column) or "").strip()
        reason = _usable(url) if url else "no URL"
        if reason:
            problems.append(f"{source}: line {line}: {reason}; skipped")
            continue
        original = (row.get(original_column) or "").strip() if original_column else ""
        yield Target(url, original=original or None, source=source)


def _feed(source: str, data: bytes, problems: list[str]) -> Iterator[Target]:
    from compliance.archive.feeds import feed_fault, parse_feed

    feed = parse_feed(data)
    if not feed.entries:
        problems.append(f"{source}: a feed with no entries; skipped")
    elif fault := feed_fault(feed, source):
        problems.append(fault)
    for number, entry in enumerate(feed.entries, start=1):
        link = (entry.get("link") or "").strip()
        reason = _usable(link) if link else "no link"
        if reason:
            problems.append(f"{source}: entry {number}: {reason}; skipped")
            continue
        yield Target(link, source=source)


def _sitemap(
    source: str, data: bytes, fetcher: PoliteFetcher, problems: list[str]
) -> Iterator[Target]:
    from compliance.web.sitemaps import listed_pages

    for page in listed_pages(data, fetcher, problems.append, source):
        reason = _usable(page.url)
        if reason:
            problems.append(f"{source}: sitemap entry {page.url[:80]!r}: {reason}; skipped")
            continue
        yield Target(page.url, source=source)
