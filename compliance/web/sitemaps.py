"""Sitemaps (sitemaps.org, Google News) read as a stream, within bounds, through our fetcher.

A sitemap comes from a server the newswire does not control, so nothing it says is taken
on trust: an index may fan out without end, a gzip file may decode to gigabytes, a list may
hold a million addresses, the XML may break halfway. The reader parses incrementally
(lxml's `iterparse`, no DTD, no entities, no network) and yields each page as it is read,
clearing what it has read; it fetches at most `MAX_SITEMAPS` sitemaps per source, each
once, breadth first, to `MAX_DEPTH` levels; it lists at most `MAX_PAGES` pages per source
and `MAX_PER_HOST` per host; it reads at most 50 MiB decoded of each sitemap, as the protocol
allows. Whatever is cut, and any sitemap that is malformed, is said to `problem` with how
much was read; the pages read before stay listed. A general parser (ultimate-sitemap-parser)
did this before: it follows every sub-sitemap it finds and holds every page in memory.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from lxml import etree

from compliance.web.fetch import LIST_TYPES, PAGE_TYPES, Fetched

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # decoded, per sitemap: the protocol's own limit
MAX_SITEMAPS = 1_000  # fetched per source, the first included
MAX_DEPTH = 5  # index → index → … → list
MAX_PAGES = 200_000  # listed per source
MAX_PER_HOST = 50_000  # listed per host, per source


class Fetches(Protocol):
    """What fetches a sitemap: the audit's polite fetcher, or a sync's client."""

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] = PAGE_TYPES,
    ) -> Fetched: ...


@dataclass(frozen=True)
class ListedPage:
    """One page a sitemap lists, with when it says the page last changed (`lastmod`, else
    a news sitemap's publication date), as written."""

    url: str
    modified: str | None = None
    title: str | None = None  # a news sitemap's <news:title>


def decoded(data: bytes, where: str, problem: Callable[[str], None]) -> bytes:
    """A sitemap's bytes, gunzipped when they are gzip, cut at MAX_SITEMAP_BYTES (said)."""
    if data[:2] != b"\x1f\x8b":
        if len(data) > MAX_SITEMAP_BYTES:
            problem(f"sitemap {where}: over 50 MiB; the first 50 MiB are read")
            return data[:MAX_SITEMAP_BYTES]
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            out = unzipped.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        problem(f"sitemap {where}: not a readable gzip file ({exc})")
        return b""
    if len(out) > MAX_SITEMAP_BYTES:
        problem(f"sitemap {where}: decodes to over 50 MiB; the first 50 MiB are read")
        return out[:MAX_SITEMAP_BYTES]
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


_CHUNK = 64 * 1024


def _entries(
    data: bytes, where: str, problem: Callable[[str], None]
) -> Iterator[tuple[str, str, str | None, str | None]]:
    """("page" or "sitemap", address, modified, news title) for each entry of one sitemap.

    A pull parser fed in chunks: the entries before a syntax error are still read (lxml's
    iterparse drops a chunk's events when the chunk holds the error), and memory stays flat."""
    read = 0
    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )  # fmt: skip
    error: etree.XMLSyntaxError | None = None
    for start in range(0, len(data) + 1, _CHUNK):
        try:
            if start < len(data):
                parser.feed(data[start : start + _CHUNK])
            else:
                parser.close()
        except etree.XMLSyntaxError as exc:
            error = exc
        for _event, element in parser.read_events():
            entry = _entry(element)
            if entry is not None:
                read += 1
                yield entry
        if error is not None:
            problem(
                f"sitemap {where}: malformed XML at line {error.lineno} ({error.msg});"
                f" the {read:,} entries before it are used"
            )
            return


def _entry(element: Any) -> tuple[str, str, str | None, str | None] | None:
    name = _local(element.tag)
    if name not in ("url", "sitemap"):
        return None
    loc = modified = title = None
    for child in element.iter():
        child_name = _local(child.tag)
        if child_name == "loc" and loc is None:
            loc = (child.text or "").strip()
        elif child_name == "title" and title is None:
            title = " ".join((child.text or "").split()) or None
        elif child_name in ("lastmod", "publication_date") and modified is None:
            modified = (child.text or "").strip() or None
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]  # what was read is dropped: memory stays flat
    if not loc:
        return None
    return ("page" if name == "url" else "sitemap"), loc, modified, title


def listed_pages(
    data: bytes, fetcher: Fetches, problem: Callable[[str], None], where: str = "(given)"
) -> Iterator[ListedPage]:
    """Every page the sitemap `data` (fetched from `where`) lists, sub-sitemaps fetched
    through `fetcher`, within the module's bounds; what is cut or cannot be read is said to
    `problem` ("sitemap URL: why"), and reading goes on with the rest."""
    queue: deque[tuple[str, bytes | None, int]] = deque([(where, data, 0)])
    fetched = 1
    seen_sitemaps = {where}
    per_host: Counter[str] = Counter()
    listed = 0
    skipped_sitemaps = 0
    full_hosts: set[str] = set()
    while queue:
        url, body, depth = queue.popleft()
        if body is None:
            got = fetcher.fetch(url, accept=LIST_TYPES)
            if not got.ok or got.body is None:
                problem(f"sitemap {url}: {got.error or 'no answer'}")
                continue
            body = got.body
        for kind, loc, modified, title in _entries(decoded(body, url, problem), url, problem):
            address = urljoin(url, loc) if url.startswith(("http://", "https://")) else loc
            if kind == "sitemap":
                if address in seen_sitemaps:
                    continue
                seen_sitemaps.add(address)
                if depth + 1 > MAX_DEPTH or fetched >= MAX_SITEMAPS:
                    skipped_sitemaps += 1
                    continue
                fetched += 1
                queue.append((address, None, depth + 1))
                continue
            host = (urlsplit(address).hostname or "").lower()
            if per_host[host] >= MAX_PER_HOST:
                full_hosts.add(host)
                continue
            if listed >= MAX_PAGES:
                problem(f"sitemap {where}: lists over {MAX_PAGES:,} pages; the first are used")
                return
            per_host[host] += 1
            listed += 1
            yield ListedPage(address, modified, title)
    if skipped_sitemaps:
        problem(
            f"sitemap {where}: {skipped_sitemaps:,} more sub-sitemaps not read (at most"
            f" {MAX_SITEMAPS:,} sitemaps, {MAX_DEPTH} levels deep, per source)"
        )
    for host in sorted(full_hosts):
        problem(f"sitemap {where}: over {MAX_PER_HOST:,} pages on {host}; the first are used")
