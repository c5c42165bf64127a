"""Partners' waivers in the audit: a failure a partner's agreement waives does not count.

The boundary: applied to each page record after it is judged (and after the site-boilerplate
recheck), every run, from the waivers the run recorded for its partners (store.RunPartner).
Judging is untouched: a verdict's judgement key is the same with or without a waiver, and
the marks a reused verdict brings from an earlier run are renewed or taken off here, so a
waiver that expires lapses at the next run without a page being checked again. A waived
finding stays in every report, marked with why, as a project's waivers do in `check`
(ci.suppress); only the page's status and the fix requests leave it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from compliance.audit.republishers import partner_domains
from compliance.audit.store import PageRecord, RunPartner
from compliance.ci.config import Waiver
from compliance.ci.suppress import WAIVED, waived_mark, waiver_for
from compliance.model import Severity, Status, status_from_severities


class PartnerWaivers:
    """The waivers in force for a run's partners, found by a page's republisher key."""

    def __init__(self, partners: Sequence[RunPartner], today: date) -> None:
        self.today = today
        self._by_domain = {
            domain: partner.waivers
            for domain, (_row, partner) in partner_domains(list(partners)).items()
        }

    def apply(self, record: PageRecord) -> PageRecord:
        """`record` with its partner's waivers marked on its failed findings, and its status
        from the findings that still count. A mark left by an earlier run's waiver (a
        reused verdict) is taken off when no waiver holds it now."""
        findings = record.result.get("findings")
        if not findings or record.status not in _VERDICTS:
            return record
        waivers = self._by_domain.get(record.domain, ())
        names = [record.url] + ([record.final_url] if record.final_url else [])
        marked = [self._finding(f, waivers, names) for f in findings]
        if marked == findings:
            return record
        result = {**record.result, "findings": marked, "status": _status(marked)}
        return replace(record, result=result, status=result["status"])

    def _finding(
        self, finding: dict[str, Any], waivers: Sequence[Waiver], names: list[str]
    ) -> dict[str, Any]:
        if finding.get("passed") is not False:
            return finding
        suppressed = finding.get("suppressed")
        if suppressed and not suppressed.startswith(WAIVED):
            return finding  # a baseline's mark, not a waiver's
        waiver = waiver_for(waivers, finding["rule"], names, self.today)
        mark = waived_mark(waiver) if waiver is not None else None
        return finding if mark == suppressed else {**finding, "suppressed": mark}


_VERDICTS = (Status.PASS.value, Status.WARN.value, Status.FAIL.value)


def _status(findings: list[dict[str, Any]]) -> str:
    counting = (f for f in findings if f.get("passed") is False and not f.get("suppressed"))
    return status_from_severities(Severity(f["severity"]) for f in counting).value
