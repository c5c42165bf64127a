"""Discovery over a partners file: each site's listings read, each listed page decided, the
pages worth fetching returned as audit targets, and what was looked at and left counted per
site. Decisions and listing validators are kept in the store, so that the second week asks
conditionally and looks again only at pages new or changed since."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compliance.audit.sources import Target
from compliance.audit.store import Store
from compliance.discover.listings import Listed, SiteListing, read_site
from compliance.discover.partners import Partner, Partners
from compliance.discover.triage import ArchiveTitles, Decision, Tally, decide
from compliance.web.politeness import PoliteFetcher


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


def discover(
    partners: Partners,
    fetcher: PoliteFetcher,
    store: Store,
    index: Any,
    matcher: Any,
    domains: tuple[str, ...],
    everything: bool = False,
    on_site: Callable[[str], None] = lambda _site: None,
) -> Discovery:
    """The pages of `partners`' sites worth fetching (compliance/discover/triage.py).

    Sites are read and triaged on threads (the polite fetcher paces each host); the store is
    read before and written after, from this thread only."""
    from concurrent.futures import ThreadPoolExecutor

    archive = ArchiveTitles(index, domains)
    matcher = _OneAtATime(matcher) if matcher is not None else None
    before = store.discovery_decisions()
    known = store.known_copies()
    validators = store.listing_validators()
    listed_before = frozenset(before)
    answered: list[tuple[str, str | None, str | None]] = []
    found = Discovery()
    jobs = [(partner, site) for partner in partners.partners for site in partner.sites]

    def read(job: tuple[Partner, str]) -> tuple[SiteListing, list[tuple[Listed, Decision]]]:
        partner, site = job
        listing = read_site(
            partner,
            site,
            fetcher,
            lambda url: validators.get(url, (None, None)),
            lambda url, etag, modified: answered.append((url, etag, modified)),
            listed_before,
        )
        decided = []
        for page in listing.pages:
            earlier = before.get(page.url)
            if page.url in known:
                decision = Decision(True, "known", "a copy found in an earlier run")
            elif earlier is not None and earlier.modified == page.modified:
                decision = _UNCHANGED
            else:
                decision = decide(page, archive, matcher, everything)
            decided.append((page, decision))
        return listing, decided

    chosen: set[str] = set()
    with ThreadPoolExecutor(max_workers=SITES_AT_ONCE) as pool:
        for (partner, _site), (listing, decided) in zip(jobs, pool.map(read, jobs), strict=True):
            on_site(listing.site)
            found.requests += listing.requests
            found.problems.extend(listing.problems)
            tally = found.tallies.setdefault(listing.site, Tally())
            rows = []
            for page, decision in decided:
                tally.listed += 1
                if decision is _UNCHANGED:
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
    for url in sorted(known - chosen):
        partner = partners.of_url(url)
        if partner is not None:
            found.targets.append(Target(url, source=f"partner:{partner.id}", terms=partner.terms))
    return found


_UNCHANGED = Decision(False, "unchanged", "listed as before")


class _OneAtATime:
    """The matcher for the triage threads: its caches are one thread's, so one asks at a
    time (matching holds the interpreter anyway; the threads overlap on the network)."""

    def __init__(self, matcher: Any) -> None:
        import threading

        self._matcher = matcher
        self._lock = threading.Lock()

    def by_text(self, *args: Any) -> Any:
        with self._lock:
            return self._matcher.by_text(*args)

    def sharing(self, *args: Any) -> Any:
        with self._lock:
            return self._matcher.sharing(*args)
