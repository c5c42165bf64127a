"""What a partner's site lists: the pages its sitemaps and feeds name, with what each says.

Per site, in this order: the `Sitemap:` lines of robots.txt (else `/sitemap.xml`), the
feeds the home page announces (`<link rel="alternate" type="application/rss+xml">` and
Atom), the partner's hints, and a WordPress feed's older pages (`?paged=N`, until a page
adds nothing new to this run or to what earlier runs listed). Every listing is asked
conditionally with the validators the store kept from last week: one that has not changed
(304) lists nothing new. Only pages on the
partner's own sites, outside its `skip` paths, are candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from compliance.discover.partners import Partner
from compliance.web.fetch import LIST_TYPES, PAGE_TYPES
from compliance.web.politeness import PoliteFetcher

MAX_FEED_PAGES = 20  # older pages of one WordPress feed read in one run
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass(frozen=True)
class Listed:
    """One page a listing names, with what the listing says of it."""

    url: str
    partner: str  # the partner's id
    listing: str  # the sitemap or feed URL that named it
    modified: str | None = None  # lastmod, a feed entry's updated date
    published: str | None = None  # a news sitemap's or feed entry's publication date
    title: str | None = None
    summary: str = ""  # a feed entry's summary (markup)
    content: str = ""  # a feed entry's full content (markup)


@dataclass
class SiteListing:
    """What discovery read for one site: the listings asked and the pages they name."""

    site: str  # scheme://host[:port]
    listings: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # listings answering 304
    pages: list[Listed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requests: int = 0


Validators = Callable[[str], tuple[str | None, str | None]]
Remember = Callable[[str, str | None, str | None], None]


def site_origin(site: str) -> str:
    """A site as written in the partners file (a host, or an origin) as scheme://host."""
    return site.rstrip("/") if "://" in site else f"https://{site.rstrip('/')}"


def read_site(
    partner: Partner,
    site: str,
    fetcher: PoliteFetcher,
    validators: Validators = lambda _url: (None, None),
    remember: Remember = lambda _url, _etag, _modified: None,
    known: frozenset[str] = frozenset(),
) -> SiteListing:
    """Every page `site`'s listings name (see the module's docstring)."""
    origin = site_origin(site)
    found = SiteListing(origin)
    sitemaps = [*_robots_sitemaps(fetcher, origin, found), *partner.discovery.sitemaps]
    feeds = [*_announced_feeds(fetcher, origin, found), *partner.discovery.feeds]
    seen: dict[str, int] = {}

    def keep(page: Listed) -> None:
        parts = urlsplit(page.url)
        if not partner.owns(parts.netloc):
            return
        if any(parts.path.startswith(prefix) for prefix in partner.discovery.skip):
            return
        if page.url in seen:  # a sitemap's entry gains what the feed says of the same page
            position = seen[page.url]
            found.pages[position] = _merged(found.pages[position], page)
            return
        seen[page.url] = len(found.pages)
        found.pages.append(page)

    for url in dict.fromkeys(sitemaps):
        for page in _sitemap_pages(partner, url, fetcher, found, validators, remember):
            keep(page)
    for url in dict.fromkeys(feeds):
        for page in _feed_pages(partner, url, fetcher, found, validators, remember, known):
            keep(page)
    return found


def _merged(first: Listed, then: Listed) -> Listed:
    """One page two listings name: what the first said, completed by the second."""
    return replace(
        first,
        modified=first.modified or then.modified,
        published=first.published or then.published,
        title=first.title or then.title,
        summary=first.summary or then.summary,
        content=first.content or then.content,
    )


def _fetch(
    url: str,
    fetcher: PoliteFetcher,
    found: SiteListing,
    validators: Validators,
    remember: Remember,
    accept: tuple[str, ...] = LIST_TYPES,
) -> bytes | None:
    etag, modified = validators(url)
    got = fetcher.fetch(url, etag=etag, last_modified=modified, accept=accept)
    found.requests += 1
    found.listings.append(url)
    if got.not_modified:
        found.unchanged.append(url)
        return None
    if not got.ok or got.body is None:
        if not (got.status == 404 and "paged=" in url):  # past a WordPress feed's last page
            found.problems.append(f"{url}: {got.error or 'no answer'}; not read")
        return None
    remember(url, got.etag, got.last_modified)
    return got.body


def _robots_sitemaps(fetcher: PoliteFetcher, origin: str, found: SiteListing) -> list[str]:
    robots = fetcher.robots(origin + "/")
    found.requests += 1
    listed = list(robots.rules.sitemaps) if robots.rules is not None else []
    return listed or [origin + "/sitemap.xml"]


def _announced_feeds(fetcher: PoliteFetcher, origin: str, found: SiteListing) -> list[str]:
    from compliance.errors import InputError
    from compliance.read.htmltree import parse_html

    got = fetcher.fetch(origin + "/", accept=PAGE_TYPES)
    found.requests += 1
    if not got.ok or got.body is None:
        found.problems.append(f"{origin}/: the home page could not be read ({got.error})")
        return []
    try:
        root = parse_html(got.body.decode(got.charset or "utf-8", "replace"), origin + "/")
    except InputError as exc:  # a home page past the reader's bounds announces nothing
        found.problems.append(f"{origin}/: the home page could not be read ({exc})")
        return []
    feeds = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_TYPES and link.get("href"):
            feeds.append(urljoin(got.final_url or origin + "/", link.get("href").strip()))
    return feeds


def _sitemap_pages(
    partner: Partner,
    url: str,
    fetcher: PoliteFetcher,
    found: SiteListing,
    validators: Validators,
    remember: Remember,
) -> Iterator[Listed]:
    from compliance.web.sitemaps import listed_pages

    body = _fetch(url, fetcher, found, validators, remember)
    if body is None:
        return

    class Counted:
        """The polite fetcher, counting the sub-sitemaps it is asked for."""

        def fetch(self, sub: str, **kwargs: Any) -> Any:
            found.requests += 1
            found.listings.append(sub)
            return fetcher.fetch(sub, **kwargs)

    for page in listed_pages(body, Counted(), found.problems.append, url):
        yield Listed(page.url, partner.id, url, page.modified, page.modified, page.title)


def _feed_pages(
    partner: Partner,
    url: str,
    fetcher: PoliteFetcher,
    found: SiteListing,
    validators: Validators,
    remember: Remember,
    known: frozenset[str] = frozenset(),
) -> Iterator[Listed]:
    """A feed's entries, and its older pages' while each adds pages this run has not seen
    and that no earlier run listed (`known`): the second week reads only what is new."""
    from compliance.archive.feeds import feed_fault, parse_feed

    seen: set[str] = set()
    for number in range(1, MAX_FEED_PAGES + 1):
        address = url if number == 1 else _paged(url, number)
        body = _fetch(address, fetcher, found, validators, remember)
        if body is None:
            return
        feed = parse_feed(body)
        if fault := feed_fault(feed, address):
            found.problems.append(fault)
        new = 0
        for entry in feed.entries:
            link = (entry.get("link") or "").strip()
            if not link or link in seen:
                continue
            seen.add(link)
            new += link not in known
            contents = entry.get("content") or []
            # dict.get: feedparser's own get maps a missing `updated` to `published`, warning
            updated, published = dict.get(entry, "updated"), dict.get(entry, "published")
            yield Listed(
                link,
                partner.id,
                address,
                modified=updated or published,
                published=published or updated,
                title=" ".join((entry.get("title") or "").split()) or None,
                summary=entry.get("summary") or "",
                content=contents[0].get("value", "") if contents else "",
            )
        generator = str(feed.feed.get("generator") or "").lower()
        # Only WordPress is known to page its feeds; a page with nothing new ends it (a server
        # that answers every ?paged= with the same page).
        if "wordpress" not in generator or not new:
            return


def _paged(url: str, number: int) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}paged={number}"
