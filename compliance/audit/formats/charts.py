"""Chart geometry for the HTML report: inline SVG bars, computed here, drawn by the template.

No JavaScript and no network: an e-mailed report shows its charts as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.audit.report import AuditReport

ROW = 22  # px per horizontal bar
LABEL = 210  # px for the labels left of horizontal bars
WIDTH = 960
VALUE = 130  # px right of the longest bar, for its value


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    tone: str  # css class: good, fair, poor, none


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    axis: list[tuple[float, str]]  # gridline x (or y) positions and labels
    horizontal: bool = True


def tone(rate: float | None) -> str:
    if rate is None:
        return "none"
    return "good" if rate >= 0.9 else "fair" if rate >= 0.6 else "poor"


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.0f}%"


def _pages(count: int) -> str:
    return f"{count:,} page{'s' * (count != 1)}"


def _rate_of(rate: float | None, judged: int, pages: int) -> str:
    """A rate with what it is of: the judged copies, and all pages when they differ."""
    if judged == pages:
        return f"{_pct(rate)} of {_pages(pages)}"
    if not judged:
        return f"no copy judged of {_pages(pages)}"
    return f"{_pct(rate)} of {judged:,} judged of {_pages(pages)}"


def republisher_rates(report: AuditReport, limit: int = 40) -> Chart:
    """Compliance rate per republisher, worst first."""
    rows = sorted(
        report.republishers,
        key=lambda r: (r.compliance_rate is None, r.compliance_rate or 0.0, r.domain),
    )[:limit]
    span = WIDTH - LABEL - VALUE
    bars = [
        Bar(
            LABEL,
            20 + i * ROW,
            span * (r.compliance_rate or 0.0),
            ROW - 6,
            r.domain,
            _rate_of(r.compliance_rate, r.judged, r.pages),
            tone(r.compliance_rate),
        )
        for i, r in enumerate(rows)
    ]
    axis = [(LABEL + span * f, f"{f * 100:.0f}%") for f in (0, 0.5, 1)]
    return Chart("Compliance rate by republisher", WIDTH, 30 + len(rows) * ROW, bars, axis)


def failed_checks(report: AuditReport, limit: int = 12) -> Chart:
    """Pages failing each check, most failed first."""
    rows = report.checks[:limit]
    most = max((count for _, count in rows), default=1)
    span = WIDTH - LABEL - VALUE
    bars = [
        Bar(LABEL, 20 + i * ROW, span * count / most, ROW - 6, name, _pages(count), "poor")
        for i, (name, count) in enumerate(rows)
    ]
    return Chart("Most failed checks", WIDTH, 30 + len(rows) * ROW, bars, [(LABEL, "0")])


def trend(report: AuditReport) -> Chart:
    """The compliance rate of recent runs over the same sources, oldest first."""
    height, top, bottom = 200, 20, 40
    span = height - top - bottom
    step = (WIDTH - 60) / max(1, len(report.trend))
    dates = [point.started[:10] for point in report.trend]
    repeated = len(set(dates)) < len(dates)  # several runs a day: label them by time too
    bars = []
    for i, point in enumerate(report.trend):
        rate = point.compliance_rate
        h = span * (rate or 0.0)
        bars.append(
            Bar(
                40 + i * step + step * 0.15,
                top + span - h,
                step * 0.7,
                h,
                point.started[5:16].replace("T", " ") if repeated else point.started[:10],
                _rate_of(rate, point.judged, point.pages),
                tone(rate),
            )
        )
    axis = [(top + span * (1 - f), f"{f * 100:.0f}%") for f in (0, 0.5, 1)]
    return Chart("Compliance rate, recent runs", WIDTH, height, bars, axis, horizontal=False)


@dataclass(frozen=True)
class Sparkline:
    """A republisher's last weeks in a table cell: one small bar per run, oldest first."""

    width: int
    height: int
    bars: list[Bar]
    summary: str  # the same figures as text, for screen readers and tooltips


SPARK_BAR, SPARK_GAP, SPARK_HEIGHT = 8, 2, 20


def sparkline(rates: list[float | None]) -> Sparkline:
    """Bars as tall as each run's compliance rate (a stub where nothing was judged)."""
    bars = []
    for i, rate in enumerate(rates):
        height = 2.0 if rate is None else max(2.0, rate * SPARK_HEIGHT)
        bars.append(
            Bar(
                x=i * (SPARK_BAR + SPARK_GAP),
                y=SPARK_HEIGHT - height,
                width=SPARK_BAR,
                height=height,
                label=f"run {i + 1}",
                value=_pct(rate),
                tone=tone(rate),
            )
        )
    width = max(1, len(rates) * (SPARK_BAR + SPARK_GAP) - SPARK_GAP)
    summary = "compliance in the last runs, oldest first: " + ", ".join(_pct(r) for r in rates)
    return Sparkline(width, SPARK_HEIGHT, bars, summary)
