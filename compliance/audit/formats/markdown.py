"""The audit report as Markdown: for a pull request, a wiki page or an e-mail."""

from __future__ import annotations

from compliance.audit.report import AuditReport, Violation, page_notes
from compliance.report.markdown import cell


def percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


def _violations(title: str, items: list[Violation]) -> list[str]:
    lines = [f"## {title} ({len(items)})", ""]
    if not items:
        return [*lines, "None.", ""]
    lines += ["| page | check | severity | message |", "|---|---|---|---|"]
    lines += [
        f"| {cell(v.url)} | {cell(v.check)} | {v.severity} | {cell(v.message)}{_why(v)} |"
        for v in items
    ]
    return [*lines, ""]


def _why(violation: Violation) -> str:
    """What made a finding new or resolved when it was not the republisher's page."""
    was = f" (was {violation.previous_severity})" if violation.previous_severity else ""
    if violation.cause in (None, "page-changed", "first-seen"):
        return was
    return f"{was} ({violation.cause.replace('-', ' ')}: the page is unchanged)"


def rules_changed_lines(report: AuditReport) -> list[str]:
    """The rule sets edited since the previous run, and what that made new."""
    if not report.rules_changed:
        return []
    count = sum(1 for v in [*report.new, *report.changed, *report.resolved] if v.rules_changed)
    lines = [f"## Rules changed since the previous run ({len(report.rules_changed)})", ""]
    for change in report.rules_changed:
        before, after = (change["before"] or "none")[:12], (change["after"] or "none")[:12]
        lines.append(f"- {cell(change['id'])} ({cell(change['path'])}): {before} → {after}")
    lines += [
        "",
        f"{count} finding{'s' * (count != 1)} below changed because of it, on pages whose"
        " bytes did not change: they are not the republishers' doing.",
        "",
    ]
    return lines


def render(report: AuditReport) -> str:
    run, totals = report.run, report.totals
    against = (
        f"compared with run {report.previous.id} ({report.previous.started})"
        if report.previous
        else "no earlier run over the same sources to compare with"
    )
    label = f" ({cell(run.label)})" if run.label else ""
    pages = len(report.pages)
    lines = [
        f"# Syndication audit {run.id}{label}",
        "",
        f"Started {run.started}{' (incomplete)' if not run.complete else ''};"
        f" {pages:,} page{'s' * (pages != 1)}; {against}.",
        "",
        f"**Compliance rate: {percent(totals.compliance_rate)}** · "
        + " · ".join(f"{totals.counts[s]:,} {s}" for s in totals.counts),
        "",
    ]
    if not run.options.get("obey_robots", True):
        lines += ["robots.txt was ignored for this run (--ignore-robots).", ""]
    lines += [
        "## Republishers",
        "",
        "| republisher | pages | pass | warn | fail | unmatched | unverifiable | compliance |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report.republishers:
        c = r.counts
        lines.append(
            f"| {cell(r.domain)} | {r.pages} | {c['pass']} | {c['warn']} | {c['fail']}"
            f" | {c['unmatched']} | {c['unverifiable']} | {percent(r.compliance_rate)} |"
        )
    lines += ["", "## Most failed checks", ""]
    lines += [f"- {name}: {count} page{'s' * (count != 1)}" for name, count in report.checks] or [
        "None."
    ]
    lines.append("")
    lines += rules_changed_lines(report)
    lines += _violations("New violations", report.new)
    if report.changed:
        lines += _violations("Severity changed", report.changed)
    lines += _violations("Resolved", report.resolved)
    if report.no_longer_copies:
        lines += [f"## No longer copies ({len(report.no_longer_copies)})", ""]
        lines += [f"- {cell(p.url)} (was {p.was}): {cell(p.why)}" for p in report.no_longer_copies]
        lines.append("")
    lines += [f"## Disappeared copies ({len(report.disappeared)})", ""]
    lines += [f"- {cell(p.url)} (was {p.was}): {cell(p.why)}" for p in report.disappeared] or [
        "None."
    ]
    lines.append("")
    corrections = report.missing_corrections()
    if corrections:
        count = sum(len(copies) for _name, copies in corrections)
        lines += [f"## Copies missing a correction ({count})", ""]
        for name, copies in corrections:
            lines.append(f"- {cell(name)}")
            lines += [f"  - {cell(v.url)}: {cell(v.message)}" for v in copies]
        lines.append("")
    failing = [p for p in report.pages if report.violations.get(p.url)]
    lines += [f"## Pages with violations ({len(failing)})", ""]
    for page in failing:
        lines.append(f"- {cell(page.url)} ({page.status})")
        for v in report.violations[page.url]:
            lines.append(f"  - {cell(v.check)} ({v.severity}): {cell(v.message)}")
    noted = [(p, page_notes(p)) for p in report.pages if page_notes(p)]
    if noted:
        lines += ["", f"## Notes ({len(noted)})", ""]
        lines += [f"- {cell(p.url)}: {cell(note)}" for p, notes in noted for note in notes]
    if run.problems:
        lines += ["", f"## Source entries skipped ({len(run.problems)})", ""]
        lines += [f"- {cell(problem)}" for problem in run.problems]
    unverifiable = [p for p in report.pages if p.status == "unverifiable"]
    if unverifiable:
        lines += ["", f"## Unverifiable pages ({len(unverifiable)})", ""]
        lines += [f"- {cell(p.url)}: {cell(p.reason)}" for p in unverifiable]
    return "\n".join(lines) + "\n"
