"""A Markdown summary for pull-request comments and GitHub's step summary."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from compliance.model import RunResult, Status
from compliance.report.locate import counted_failures

if TYPE_CHECKING:
    from compliance.report import RenderOptions

MAX_BYTES = 1024 * 1024 - 4096  # GitHub refuses a step summary over 1 MiB
_ICON = {
    Status.PASS: "✅ pass",
    Status.WARN: "⚠️ warn",
    Status.FAIL: "❌ fail",
    Status.UNMATCHED: "➖ not a copy",
    Status.ERROR: "💥 error",
}
# Backslash escapes, not entities: the report is read raw too (an e-mail, a terminal), where
# "&lt;" is noise. A ">" never starts a quote inside a line, and "<" alone opens a tag; "&" is
# escaped only where it would begin an entity.
_SPECIAL = re.compile(r"([\\`*_\[\]<|~]|&(?=#?\w+;))")


def cell(text: object) -> str:
    """Page text made safe in a table cell or a line: one line, Markdown and HTML escaped."""
    value = "" if text is None else str(text)
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def render(run: RunResult, options: RenderOptions) -> str:
    """A counts line, a table of inputs, and the failed checks of each failing input."""
    counts = run.summary()
    lines = [
        "## Syndication compliance",
        "",
        f"{counts['inputs']} input{'s' * (counts['inputs'] != 1)}: {counts['pass']} pass,"
        f" {counts['warn']} warn,"
        f" {counts['fail']} fail, {counts['unmatched']} not a copy, {counts['error']} error",
        "",
        "| status | input | terms | failed checks |",
        "|---|---|---|---|",
    ]
    details: list[str] = []
    for result in run.sorted_results():
        failures = counted_failures(result)
        names = ", ".join(f.rule for f in failures) or "—"
        lines.append(
            f"| {_ICON[result.status]} | {cell(result.input)} |"
            f" {cell(result.ruleset_name or '—')} | {names} |"
        )
        if result.status is Status.ERROR:
            details += ["", f"**{cell(result.input)}**: {cell(result.error or '')}"]
        elif failures:
            details += ["", f"**{cell(result.input)}**", ""]
            for finding in failures:
                where = finding.location.describe() if finding.location else ""
                details.append(
                    f"- `{finding.rule}` ({finding.severity.value}): "
                    f"{cell(finding.message)}" + (f" — {cell(where)}" if where else "")
                )
    text = "\n".join(lines + details) + "\n"
    if len(text.encode("utf-8")) > MAX_BYTES:
        cut = text.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore").rsplit("\n", 1)[0]
        text = cut + "\n\n_The summary was cut to fit 1 MiB; see the full report._\n"
    return text
