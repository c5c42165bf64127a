"""Discovery on a Dask cluster: each partner site's listings read and triaged as one task.

The boundary: a task does for one site what discovery's threads do in a local audit
(run.read_and_decide), with the worker's fetcher at the audit's pace and under its address
checks and robots.txt (AuditOptions.worker_fetcher); one task per site, so each host is read
by one task at a time, at its pace. Tasks touch no store: the audit's process reads what
earlier runs left before they start and writes what they return. What triage needs (that
memory, the archive's titles, the matcher) is sent to each worker once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from compliance.audit.runner import AuditOptions, without_profiler
from compliance.discover.partners import Partner
from compliance.discover.run import SiteRead, Triage, for_threads, read_and_decide


@dataclass(frozen=True)
class Cluster:
    """A Dask scheduler to read the partners' sites on, and how the audit fetches."""

    address: str  # tcp://scheduler:8786
    options: AuditOptions

    def read_sites(self, jobs: list[tuple[Partner, str]], triage: Triage) -> Iterator[SiteRead]:
        """Each site of `jobs` read and triaged on the cluster, yielded in `jobs`' order."""
        from distributed import Client

        session = secrets.token_hex(8)  # the workers' fetchers for this discovery
        with Client(self.address) as client:
            client.run(without_profiler)
            [shared] = client.scatter([triage], broadcast=True)
            futures = [
                client.submit(_read_site, partner, site, shared, self.options, session,
                              pure=False, retries=1)
                for partner, site in jobs
            ]  # fmt: skip
            for future in futures:
                yield future.result()


def _read_site(
    partner: Partner, site: str, triage: Triage, options: AuditOptions, session: str
) -> SiteRead:
    return read_and_decide(partner, site, options.worker_fetcher(session), for_threads(triage))
