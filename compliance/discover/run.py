"""Discovery over a partners file: each site's listings read, each listed page decided, the
pages worth fetching returned as audit targets, and what was looked at and left counted per
site. Decisions and listing validators are kept in the store, so that the second week asks
conditionally and looks again only at pages new or changed since."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from compliance.audit.sources import Target
from compliance.audit.store import Remembered, Store
from compliance.discover.listings import Listed, SiteListing, read_site
from compliance.discover.partners import Partner, Partners
from compliance.discover.triage import ArchiveTitles, Decision, Tally, decide
from compliance.web.politeness import PoliteFetcher

if TYPE_CHECKING:
    from compliance.discover.on_cluster import Cluster


@dataclass
class Discovery:
    """The targets discovery chose, and per site what it read and decided."""

    targets: list[Target] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)  # per site origin
    problems: list[str] = field(default_factory=list)
    requests: int = 0  # listings asked, robots.txt and home pages included

    def summary(self) -> str:
        listed = sum(t.listed for t in self.tallies.values())
        new = listed - sum(t.unchanged for t in self.tallies.values())
        fetched = sum(t.fetched for t in self.tallies.values())
        return (
            f"{listed:,} pages listed ({new:,} new or changed) on {len(self.tallies):,} sites,"
            f" {len(self.targets):,} to fetch ({fetched:,} chosen from the listings),"
            f" {self.requests:,} listing requests"
        )


SITES_AT_ONCE = 16  # sites whose listings are read at once (each host paced on its own)


@dataclass(frozen=True)
class Memory:
    """What earlier runs left in the store for discovery, read once before any site."""

    before: dict[str, Remembered]  # decisions, by page URL
    listed: frozenset[str]  # pages listed before: feed paging stops at them
    known: frozenset[str]  # pages judged a copy: fetched again every week
    validators: dict[str, tuple[str | None, str | None]]  # each listing's ETag, Last-Modified

    @classmethod
    def of(cls, store: Store) -> Memory:
        before = store.discovery_decisions()
        return cls(before, frozenset(before), frozenset(store.known_copies()),
                   store.listing_validators())  # fmt: skip


@dataclass(frozen=True)
class Triage:
    """What deciding a listed page needs besides the page: last week, the archive, the
    matcher and the mode."""

    memory: Memory
    archive: ArchiveTitles
    matcher: Any
    everything: bool


@dataclass(frozen=True)
class SiteRead:
    """One site's listings read and each listed page decided; `answered`: the listings that
    gave a new answer, with their validators, for the store."""

    listing: SiteListing
    decided: list[tuple[Listed, Decision]]
    answered: list[tuple[str, str | None, str | None]]


def read_and_decide(
    partner: Partner, site: str, fetcher: PoliteFetcher, triage: Triage
) -> SiteRead:
    """Read `site`'s listings and decide each page they list (triage.decide), touching no
    store: this runs on the audit's threads or on a Dask worker alike."""
    memory = triage.memory
    answered: list[tuple[str, str | None, str | None]] = []
    listing = read_site(
        partner,
        site,
        fetcher,
        lambda url: memory.validators.get(url, (None, None)),
        lambda url, etag, modified: answered.append((url, etag, modified)),
        memory.listed,
    )
    decided = []
    for page in listing.pages:
        earlier = memory.before.get(page.url)
        if page.url in memory.known:
            decision = Decision(True, "known", "a copy found in an earlier run")
        elif earlier is not None and earlier.modified == page.modified:
            decision = _UNCHANGED
        else:
            decision = decide(page, triage.archive, triage.matcher, triage.everything)
        decided.append((page, decision))
    return SiteRead(listing, decided, answered)


def discover(
    partners: Partners,
    fetcher: PoliteFetcher,
    store: Store,
    index: Any,
    matcher: Any,
    domains: tuple[str, ...],
    everything: bool = False,
    on_site: Callable[[str], None] = lambda _site: None,
    cluster: Cluster | None = None,
) -> Discovery:
    """The pages of `partners`' sites worth fetching (compliance/discover/triage.py).

    Sites are read and triaged on threads (the polite fetcher paces each host), or with
    `cluster` as one Dask task per site, with the worker's fetcher at the audit's pace; the
    store is read before and written after, from this thread only."""
    triage = Triage(Memory.of(store), ArchiveTitles(index, domains), matcher, everything)
    jobs = [(partner, site) for partner in partners.partners for site in partner.sites]
    if cluster is not None:
        reads = cluster.read_sites(jobs, triage)
    else:
        reads = _on_threads(jobs, fetcher, triage)
    found = Discovery()
    chosen: set[str] = set()
    answered = []
    for (partner, _site), read in zip(jobs, reads, strict=True):
        listing = read.listing
        on_site(listing.site)
        answered.extend(read.answered)
        found.requests += listing.requests
        found.problems.extend(listing.problems)
        tally = found.tallies.setdefault(listing.site, Tally())
        rows = []
        for page, decision in read.decided:
            tally.listed += 1
            if decision == _UNCHANGED:
                tally.unchanged += 1
                continue  # listed as before: last week's decision stands
            rows.append((page.url, partner.id, page.modified, decision.step, decision.why,
                         decision.fetch))  # fmt: skip
            if not decision.fetch:
                tally.left[decision.why] += 1
                continue
            tally.steps[decision.step] += 1
            if page.url not in chosen:
                chosen.add(page.url)
                found.targets.append(
                    Target(page.url, source=f"partner:{partner.id}", terms=partner.terms)
                )
        store.remember_decisions(rows)
    store.remember_listings(answered)
    # Known copies no listing names any more are checked again too: a copy taken down or
    # moved is news for the report.
    for url in sorted(triage.memory.known - chosen):
        partner = partners.of_url(url)
        if partner is not None:
            found.targets.append(Target(url, source=f"partner:{partner.id}", terms=partner.terms))
    return found


def _on_threads(
    jobs: list[tuple[Partner, str]], fetcher: PoliteFetcher, triage: Triage
) -> Iterator[SiteRead]:
    from concurrent.futures import ThreadPoolExecutor

    shared = for_threads(triage)
    with ThreadPoolExecutor(max_workers=SITES_AT_ONCE) as pool:
        yield from pool.map(lambda job: read_and_decide(*job, fetcher, shared), jobs)


_UNCHANGED = Decision(False, "unchanged", "listed as before")


def for_threads(triage: Triage) -> Triage:
    """`triage` for reading several sites at once in one process."""
    return replace(triage, matcher=_OneAtATime(triage.matcher) if triage.matcher else None)


_MATCHING = threading.Lock()


class _OneAtATime:
    """The matcher for triage threads: its caches are one thread's, so one asks at a time in
    a process (matching holds the interpreter anyway; the threads overlap on the network)."""

    def __init__(self, matcher: Any) -> None:
        self._matcher = matcher

    def by_text(self, *args: Any) -> Any:
        with _MATCHING:
            return self._matcher.by_text(*args)

    def sharing(self, *args: Any) -> Any:
        with _MATCHING:
            return self._matcher.sharing(*args)
