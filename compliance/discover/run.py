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
from compliance.discover.listings import read_site, site_origin
from compliance.discover.partners import Partners
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
    """The pages of `partners`' sites worth fetching (compliance/discover/triage.py)."""
    archive = ArchiveTitles(index, domains)
    before = store.discovery_decisions()
    known = store.known_copies()
    found = Discovery()
    chosen: set[str] = set()
    for partner in partners.partners:
        for site in partner.sites:
            origin = site_origin(site)
            on_site(origin)
            listing = read_site(
                partner, site, fetcher, store.listing_validators, store.remember_listing
            )
            found.requests += listing.requests
            found.problems.extend(listing.problems)
            tally = found.tallies.setdefault(origin, Tally())
            decided: list[tuple[str, str, str | None, str, str, bool]] = []
            for page in listing.pages:
                tally.listed += 1
                earlier = before.get(page.url)
                if page.url in known:
                    decision = Decision(True, "known", "a copy found in an earlier run")
                elif earlier is not None and earlier.modified == page.modified:
                    tally.unchanged += 1
                    continue  # listed as before: last week's decision stands
                else:
                    decision = decide(page, archive, matcher, everything)
                decided.append(
                    (page.url, partner.id, page.modified, decision.step, decision.why,
                     decision.fetch)
                )  # fmt: skip
                if not decision.fetch:
                    tally.left[decision.why] += 1
                    continue
                tally.steps[decision.step] += 1
                if page.url not in chosen:
                    chosen.add(page.url)
                    found.targets.append(Target(page.url, source=f"partner:{partner.id}"))
            store.remember_decisions(decided)
        # Known copies no listing names any more are re-checked too: a copy taken down or
        # moved is news for the report.
        for url in sorted(known - chosen):
            if partners.of_url(url) is partner:
                chosen.add(url)
                found.targets.append(Target(url, source=f"partner:{partner.id}"))
    return found
