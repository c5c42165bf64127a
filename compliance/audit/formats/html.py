"""The audit report as one self-contained HTML file: inline CSS and SVG, no script, no network.

Page text comes from strangers' pages, so Jinja2 autoescapes everything, and a
Content-Security-Policy forbids scripts and any outside resource should escaping ever fail.
"""

from __future__ import annotations

from pathlib import Path

from compliance.audit.formats import charts
from compliance.audit.formats.markdown import percent
from compliance.audit.report import AuditReport, page_notes

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def render(report: AuditReport) -> str:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["percent"] = percent
    by_domain: dict[str, list] = {}
    for page in report.pages:
        by_domain.setdefault(page.domain, []).append(page)
    return environment.get_template("audit.html.j2").render(
        report=report,
        totals=report.totals,
        csp=CSP,
        charts=[
            charts.republisher_rates(report),
            charts.trend(report),
            charts.failed_checks(report),
        ],
        by_domain=by_domain,
        rules=report.rules_by_id(),
        sparklines={d: charts.sparkline(r) for d, r in report.republisher_trend.items()},
        notes_of=page_notes,
        anchors={page.url: f"page-{i}" for i, page in enumerate(report.pages, start=1)},
    )
