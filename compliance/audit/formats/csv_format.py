"""One row per page and check, for spreadsheets; an unverifiable page is one row with its reason."""

from __future__ import annotations

import csv
import io

from compliance.audit.report import AuditReport

COLUMNS = (
    "run", "url", "domain", "status", "ruleset", "original", "check", "rule", "severity",
    "passed", "message", "fingerprint", "change",
)  # fmt: skip


def _cell(value: object) -> str:
    """Text a spreadsheet will not run: page text starting with = + - @ is a formula there."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render(report: AuditReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    # "new (page-changed)", "new (rules-changed)", "severity error (was warning)"; persisting
    # and passing rows say nothing.
    change = {v.fingerprint: f"new ({v.cause})" for v in report.new}
    for v in report.changed:
        change[v.fingerprint] = f"severity {v.severity} (was {v.previous_severity})"
    for page in report.pages:
        base = [report.run.id, page.url, page.domain, page.status, page.ruleset]
        original = page.original_url or page.original_id
        findings = page.result.get("findings") or []
        if not findings:
            writer.writerow(
                [_cell(v) for v in (*base, original, "", "", "", "", page.reason or "", "", "")]
            )
        for f in findings:
            row = (
                *base, original, f["check"], f["rule"], f["severity"],
                passed_cell(f), f["message"], f["fingerprint"],
                change.get(f["fingerprint"], ""),
            )  # fmt: skip
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def passed_cell(finding: dict) -> str:
    """yes, no, or "not judged" (never a pass: the check could not judge)."""
    if not finding.get("judged", True):
        return "not judged"
    return "yes" if finding["passed"] else "no"
