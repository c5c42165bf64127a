"""What an audit report says, computed from the store: one run against the one before it.

A finding is identified across runs by its fingerprint (rule, original, page URL, check), so
"new", "persisting" and "resolved" survive reworded messages and moved lines. A failure
resolves only when its page was checked again and the failure is gone; a page that vanished
(no longer listed, or answering 404/410) is reported as disappeared instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from compliance.audit.republishers import partner_domains
from compliance.audit.store import PageRecord, Run, RunPartner, Store
from compliance.errors import UserError
from compliance.model import utc_timestamp

SCHEMA = "compliance-audit-report/1"
CHECKED = ("pass", "warn", "fail", "unmatched")
JUDGED = ("pass", "warn", "fail")  # a copy checked against its terms
STATUSES = ("pass", "warn", "fail", "unmatched", "unverifiable")
GONE = (404, 410)
TREND_RUNS = 8
PAGE_CHANGED, RULES_CHANGED, ORIGINALS_CHANGED, FIRST_SEEN = (
    "page-changed",
    "rules-changed",
    "originals-changed",
    "first-seen",
)


@dataclass(frozen=True)
class Violation:
    """A failed requirement on one page."""

    url: str
    domain: str
    check: str
    rule: str
    severity: str
    message: str
    clause: str | None
    fingerprint: str
    # Why it is new or resolved: "page-changed" (the republisher's page), "rules-changed"
    # (the same bytes judged under edited rules), "originals-changed" (the same bytes and
    # rules, another archive or tool version), "first-seen" (a page not listed before). None
    # for persisting findings.
    cause: str | None = None
    previous_severity: str | None = None  # for a finding whose severity changed

    @property
    def rules_changed(self) -> bool:
        return self.cause == RULES_CHANGED

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "domain": self.domain,
            "check": self.check,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "fingerprint": self.fingerprint,
            **({"cause": self.cause} if self.cause else {}),
            **({"previous_severity": self.previous_severity} if self.previous_severity else {}),
        }


@dataclass(frozen=True)
class PageChange:
    """A page of the previous run that is no longer the copy it was, and why."""

    url: str
    domain: str
    was: str  # its status in the previous run
    now: str | None  # its status in this run; None when no source lists it now
    why: str

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "domain": self.domain,
            "last_status": self.was,
            "status": self.now,
            "why": self.why,
        }


@dataclass(frozen=True)
class Republisher:
    domain: str
    counts: dict[str, int]
    # In an audit over a partners file: the partner, and the counts of each of its sites.
    partner: RunPartner | None = None
    sites: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return sum(self.counts.values())

    @property
    def judged(self) -> int:
        """Pages judged as copies: the ones its compliance rate is of."""
        return sum(self.counts[status] for status in JUDGED)

    @property
    def compliance_rate(self) -> float | None:
        """(pass + warn) / (pass + warn + fail); None when no page was a checked copy."""
        judged = self.judged
        if not judged:
            return None
        return round((self.counts["pass"] + self.counts["warn"]) / judged, 3)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "domain": self.domain,
            "pages": self.pages,
            **{status: self.counts[status] for status in STATUSES},
            "compliance_rate": self.compliance_rate,
        }
        if self.partner is not None:
            found["partner"] = {
                "id": self.partner.id, "name": self.partner.name, "contact": self.partner.contact
            }  # fmt: skip
            found["sites"] = [
                Republisher(domain, counts).to_json() for domain, counts in self.sites.items()
            ]
        return found


@dataclass(frozen=True)
class TrendPoint:
    run_id: str
    started: str
    pages: int
    compliance_rate: float | None
    judged: int  # the pages the rate is of


@dataclass(frozen=True)
class AuditReport:
    """Everything every audit report format shows."""

    run: Run
    previous: Run | None
    pages: list[PageRecord]
    republishers: list[Republisher]
    checks: list[tuple[str, int]]  # check type, failed pages; most failed first
    new: list[Violation]
    persisting: list[Violation]
    resolved: list[Violation]
    disappeared: list[PageChange]  # pages of the previous run that are gone now
    trend: list[TrendPoint]
    violations: dict[str, list[Violation]] = field(default_factory=dict)  # by page URL
    rules_changed: list[dict[str, str | None]] = field(default_factory=list)  # since previous
    # Each republisher's compliance rate in the runs of `trend`, oldest first (None: no page
    # of it was a checked copy in that run).
    republisher_trend: dict[str, list[float | None]] = field(default_factory=dict)
    # Findings failing in both runs at another severity (an edited rule, most often).
    changed: list[Violation] = field(default_factory=list)
    # Copies judged before that this run judged as no copy, or under other terms.
    no_longer_copies: list[PageChange] = field(default_factory=list)
    # The partners the run was over (audit --partners), each with its contact.
    partners: list[RunPartner] = field(default_factory=list)

    @property
    def totals(self) -> Republisher:
        counts = Counter({status: 0 for status in STATUSES})
        for republisher in self.republishers:
            counts.update(republisher.counts)
        return Republisher("all", dict(counts))

    def missing_corrections(self) -> list[tuple[str, list[Violation]]]:
        """Copies still carrying text their original corrected (the `corrections` check), by
        republisher: its partner's name in an audit over partners."""
        owners = partner_domains(self.partners)
        groups: dict[str, list[Violation]] = {}
        for violations in self.violations.values():
            for violation in violations:
                if violation.check == "corrections":
                    owner = owners.get(violation.domain)
                    name = owner[1].name if owner else violation.domain
                    groups.setdefault(name, []).append(violation)
        return sorted(groups.items())

    def rules_by_id(self) -> dict[str, dict[str, str]]:
        return {rule["id"]: rule for rule in self.run.rules}

    def to_json(self) -> dict[str, Any]:
        """The `compliance-audit-report/1` document of CONTRACT.md, with additions."""
        run = self.run
        return {
            "schema": SCHEMA,
            "run": {
                "id": run.id,
                "started": run.started,
                "pages": len(self.pages),
                "label": run.label,
                "finished": run.finished,
                "complete": run.complete,
                "sources": run.sources,
                "rules": [{k: r[k] for k in ("id", "path", "sha256")} for r in run.rules],
                "options": run.options,
                "problems": run.problems,
            },
            "previous_run": (
                {"id": self.previous.id, "started": self.previous.started}
                if self.previous
                else None
            ),
            "summary": {k: v for k, v in self.totals.to_json().items() if k != "domain"},
            "republishers": [r.to_json() for r in self.republishers],
            "checks": [{"check": name, "failed": count} for name, count in self.checks],
            "rules_changed": self.rules_changed,
            "new": [v.to_json() for v in self.new],
            "persisting": [v.to_json() for v in self.persisting],
            "resolved": [v.to_json() for v in self.resolved],
            "changed": [v.to_json() for v in self.changed],
            "no_longer_copies": [p.to_json() for p in self.no_longer_copies],
            "disappeared": [p.to_json() for p in self.disappeared],
            "missing_corrections": [
                {"republisher": name, "copies": [v.to_json() for v in copies]}
                for name, copies in self.missing_corrections()
            ],
            "trend": [
                {
                    "run": t.run_id,
                    "started": t.started,
                    "pages": t.pages,
                    "compliance_rate": t.compliance_rate,
                }
                for t in self.trend
            ],
            "pages": [page_to_json(p, self.violations.get(p.url, [])) for p in self.pages],
        }


def page_to_json(page: PageRecord, violations: list[Violation]) -> dict[str, Any]:
    """One page: verdict, the checks it failed, and the evidence of what was judged."""
    original = page.result.get("original") or {}
    return {
        "url": page.url,
        "domain": page.domain,
        "status": page.status,
        "original": page.original_url or page.original_id,
        "similarity": original.get("similarity"),
        "coverage": original.get("coverage"),
        "failed_checks": sorted({v.check for v in violations}),
        "reason": page.reason,
        "notes": page_notes(page),
        "evidence": {
            "final_url": page.final_url,
            "http_status": page.http_status,
            "fetched_at": page.fetched_at,
            "content_hash": page.content_hash,
            "not_modified": page.not_modified,
        },
    }


def page_notes(page: PageRecord) -> list[str]:
    """What a page's result notes besides its findings: a manifest's unknown original, a
    canonical link pointing elsewhere, a failure its partner's agreement waives."""
    original = page.result.get("original") or {}
    waived = [
        f"{f['rule']} {f['suppressed']}"
        for f in page.result.get("findings", [])
        if f.get("passed") is False and f.get("suppressed")
    ]
    return [*page.result.get("notes", []), *original.get("contradictions", []), *waived]


def violations_of(page: PageRecord) -> list[Violation]:
    """The page's failed requirements that count: errors and warnings, not waived."""
    return [
        Violation(
            page.url,
            page.domain,
            f["check"],
            f["rule"],
            f["severity"],
            f["message"],
            f.get("clause"),
            f["fingerprint"],
        )
        for f in page.violations
    ]


def _parse_moment(value: str, end_of_day: bool) -> str:
    """An ISO date or date-time as the store's UTC timestamp text."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"{value!r}: give a date as YYYY-MM-DD or an ISO date-time") from None
    if len(value) == 10 and end_of_day:
        moment = moment.replace(hour=23, minute=59, second=59)
    return utc_timestamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def choose_runs(
    store: Store, since: str | None, until: str | None, run_id: str | None
) -> tuple[Run, Run | None]:
    """The run to report and the one to compare it with.

    Default: the latest complete run against the complete run before it over the same
    sources. `until` picks the latest run by then; `since` compares with the state at that
    date (the last run before it).
    """
    runs = store.runs()
    if not runs:
        raise UserError(f"{store.path}: no audit has been recorded yet; run `compliance audit`")
    if run_id is not None:
        run = store.run(run_id)
    else:
        upper = _parse_moment(until, end_of_day=True) if until else None
        eligible = [r for r in runs if upper is None or r.started <= upper]
        if not eligible:
            raise UserError(f"no audit run started by {until}")
        complete = [r for r in eligible if r.complete]
        run = (complete or eligible)[-1]
    lower = _parse_moment(since, end_of_day=False) if since else run.started
    earlier = [
        r
        for r in runs
        if r.sources_key == run.sources_key and r.complete and r.id != run.id
        and (r.started < lower if since else r.started <= run.started)
    ]  # fmt: skip
    return run, (earlier[-1] if earlier else None)


def build_report(
    store: Store, since: str | None = None, until: str | None = None, run_id: str | None = None
) -> AuditReport:
    """The audit report for a period, from the store."""
    run, previous = choose_runs(store, since, until, run_id)
    pages = store.pages(run.id)
    violations = {page.url: violations_of(page) for page in pages}

    counts: dict[str, Counter[str]] = defaultdict(lambda: Counter({s: 0 for s in STATUSES}))
    failed_checks: Counter[str] = Counter()
    for page in pages:
        counts[page.domain][page.status] += 1
        failed_checks.update({v.check for v in violations[page.url]})
    partners = store.partners(run.id)
    owners = partner_domains(partners)
    rows: dict[str, Republisher] = {}
    for domain in sorted(counts):
        key, partner = owners.get(domain, (domain, None))
        row = rows.setdefault(key, Republisher(key, {s: 0 for s in STATUSES}, partner))
        row.counts.update({s: row.counts[s] + n for s, n in counts[domain].items()})
        if partner is not None:
            row.sites[domain] = dict(counts[domain])
    republishers = sorted(rows.values(), key=lambda r: r.partner.id if r.partner else r.domain)

    new: list[Violation] = []
    persisting: list[Violation] = []
    resolved: list[Violation] = []
    changed: list[Violation] = []
    disappeared: list[PageChange] = []
    no_longer: list[PageChange] = []
    changed_rules: list[dict[str, str | None]] = []
    if previous is not None:
        before_pages = store.pages(previous.id)
        before = {v.fingerprint: v for p in before_pages for v in violations_of(p)}
        now = {v.fingerprint: v for vs in violations.values() for v in vs}
        by_url = {page.url: page for page in pages}
        was = {page.url: page for page in before_pages}
        changed_rules = rules_changes(previous, run)
        edited = {change["id"] for change in changed_rules}

        def cause(violation: Violation) -> str:
            return change_cause(was.get(violation.url), by_url.get(violation.url), violation,
                                edited)  # fmt: skip

        for fingerprint, violation in now.items():
            earlier = before.get(fingerprint)
            if earlier is None:
                new.append(replace(violation, cause=cause(violation)))
            elif earlier.severity != violation.severity:
                changed.append(
                    replace(violation, cause=cause(violation), previous_severity=earlier.severity)
                )
            else:
                persisting.append(violation)
        for page in before_pages:
            change = page_change(page, by_url.get(page.url))
            if change is None:
                continue
            gone = change.now is None or change.why.startswith(("HTTP", "redirected"))
            (disappeared if gone else no_longer).append(change)
        elsewhere = {change.url for change in [*disappeared, *no_longer]}
        for fingerprint, violation in before.items():
            page = by_url.get(violation.url)
            # Resolved only when the page was judged again under its terms and passed it.
            kept = page is not None and page.status in JUDGED and violation.url not in elsewhere
            if fingerprint not in now and kept:
                resolved.append(replace(violation, cause=cause(violation)))
    order = _by_place
    trend, republisher_trend = _trends(store, run, [r.domain for r in republishers], owners)
    return AuditReport(
        run=run,
        previous=previous,
        pages=pages,
        republishers=republishers,
        checks=sorted(failed_checks.items(), key=lambda item: (-item[1], item[0])),
        new=sorted(new, key=order),
        persisting=sorted(persisting, key=order),
        resolved=sorted(resolved, key=order),
        disappeared=sorted(disappeared, key=lambda p: p.url),
        changed=sorted(changed, key=order),
        no_longer_copies=sorted(no_longer, key=lambda p: p.url),
        trend=trend,
        violations=violations,
        rules_changed=changed_rules,
        republisher_trend=republisher_trend,
        partners=partners,
    )


def rules_changes(previous: Run, run: Run) -> list[dict[str, str | None]]:
    """The rule sets that differ between two runs (as applied, bases included): id, file,
    and the digest of the rule set before and after (None where it was not in use)."""
    before = {r["id"]: r for r in previous.rules}
    after = {r["id"]: r for r in run.rules}
    changes = []
    for rid in sorted(set(before) | set(after)):
        old, new = before.get(rid), after.get(rid)
        digest_old = (old or {}).get("digest") or (old or {}).get("sha256")
        digest_new = (new or {}).get("digest") or (new or {}).get("sha256")
        if digest_old != digest_new:
            changes.append(
                {
                    "id": rid,
                    "path": (new or old or {}).get("path"),
                    "before": digest_old,
                    "after": digest_new,
                }
            )
    return changes


def page_change(before: PageRecord, now: PageRecord | None) -> PageChange | None:
    """How a page of the previous run stopped being the copy it was, if it did: no source
    lists it, it is gone (HTTP 404 or 410), it redirects elsewhere, or it was judged a
    copy and now is none, or a copy under other terms. None while it is the same copy."""
    if before.http_status in GONE:
        return None

    def change(why: str) -> PageChange:
        return PageChange(before.url, before.domain, before.status, now and now.status, why)

    if now is None:
        return change("no source lists it now")
    if now.http_status in GONE:
        return change(f"HTTP {now.http_status}")
    if before.status not in JUDGED or now.status == "unverifiable":
        return None
    moved = (now.final_url or now.url) != (before.final_url or before.url)
    if moved and now.status not in JUDGED:
        return change(f"redirected to {now.final_url}")
    if now.status not in JUDGED:
        return change("no longer a copy: it matches no original the archive holds")
    if now.ruleset != before.ruleset:
        return change(f"judged under other terms ({before.ruleset} before, {now.ruleset} now)")
    return None


def change_cause(
    before: PageRecord | None, now: PageRecord | None, violation: Violation, edited: set[str]
) -> str:
    """Why a finding is new or resolved: the page's bytes changed, or the same bytes were
    judged under edited rules (or another archive or tool), or the page is new to the audit."""
    if before is None:
        return FIRST_SEEN
    if now is None or not before.content_hash:
        return PAGE_CHANGED
    if before.content_hash != now.content_hash:
        return PAGE_CHANGED
    if violation.rule.split(".", 1)[0] in edited:
        return RULES_CHANGED
    return ORIGINALS_CHANGED if before.judged_with != now.judged_with else PAGE_CHANGED


def _by_place(violation: Violation) -> tuple[str, str, str]:
    return (violation.url, violation.check, violation.rule)


def _trends(
    store: Store, run: Run, domains: list[str], owners: dict[str, tuple[str, RunPartner]]
) -> tuple[list[TrendPoint], dict[str, list[float | None]]]:
    """The compliance rate of the last runs over the same sources, oldest first: overall,
    and for each republisher row (a partner's sites together; None where none of its pages
    was a checked copy then)."""
    series = [
        r
        for r in store.runs()
        if r.sources_key == run.sources_key and (r.complete or r.id == run.id)
        and r.started <= run.started
    ][-TREND_RUNS:]  # fmt: skip
    points: list[TrendPoint] = []
    per_domain: dict[str, list[float | None]] = {domain: [] for domain in domains}
    for r in series:
        by_domain = store.domain_counts(r.id)
        total: Counter[str] = Counter({s: 0 for s in STATUSES})
        for counts in by_domain.values():
            total.update(counts)
        overall = Republisher("all", dict(total))
        points.append(
            TrendPoint(r.id, r.started, overall.pages, overall.compliance_rate, overall.judged)
        )
        grouped: dict[str, Counter[str]] = defaultdict(Counter)
        for domain, domain_counts in by_domain.items():
            grouped[owners.get(domain, (domain, None))[0]].update(domain_counts)
        for domain, rates in per_domain.items():
            counts = grouped.get(domain, Counter())
            rates.append(
                Republisher(domain, {s: counts.get(s, 0) for s in STATUSES}).compliance_rate
            )
    return points, per_domain
