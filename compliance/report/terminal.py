"""The report people read: a panel per input with each requirement found or missing."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from compliance.common.textmatch import excerpt
from compliance.model import Finding, Result, RunResult, Severity, Status
from compliance.report.console import safe_console

if TYPE_CHECKING:
    from compliance.report import RenderOptions

_EVIDENCE_CHARS = 90  # the JSON report carries evidence whole; people get the gist

_STATUS_STYLE = {
    Status.PASS: ("PASS", "bold green"),
    Status.WARN: ("WARN", "bold yellow"),
    Status.FAIL: ("FAIL", "bold red"),
    Status.UNMATCHED: ("NOT A COPY", "bold blue"),
    Status.ERROR: ("ERROR", "bold magenta"),
}


def _mark(finding: Finding) -> Text:
    if not finding.judged:
        return Text("–", style="dim")  # not a pass: nothing was judged
    if finding.passed:
        return Text("✓", style="green")
    if finding.suppressed:
        return Text("~", style="dim")
    if finding.severity is Severity.ERROR:
        return Text("✗", style="bold red")
    return Text("!", style="yellow")


def _percent(share: float) -> str:
    """A share as a percentage; "100%" only when it is whole (a one-word edit shows)."""
    return f"{share:.1%}" if 0.99 <= share < 1 else f"{share:.0%}"


def _applies(result: Result) -> Text:
    text = Text()
    text.append(f"{result.ruleset_name} ({result.ruleset})", style="bold")
    text.append(" terms apply")
    if result.detected_by:
        text.append(f": {result.detected_by}")
    if result.match:
        m = result.match
        text.append(f"\nOriginal: {m.original.title}", style="dim")
        if m.original.url:
            text.append(f" <{m.original.url}>", style="dim")
        how = "" if m.method == "text" else f", named by its {m.method}"
        text.append(
            f"\nSimilarity {_percent(m.similarity)}, coverage {_percent(m.coverage)}{how}",
            style="dim",
        )
        for alternative in m.alternatives:
            text.append(
                f"\nAlso carries text of {alternative.id} (coverage {alternative.coverage:.0%})",
                style="dim",
            )
        for note in m.contradictions:
            text.append(f"\nNote: {note}", style="yellow")
    for note in result.notes:
        text.append(f"\nNote: {note}", style="yellow")
    return text


def _findings_table(result: Result) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=True)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("finding", ratio=3)
    table.add_column("evidence", ratio=2)
    for finding in result.findings:
        evidence = Text()
        if finding.evidence:
            evidence.append(excerpt(finding.evidence, _EVIDENCE_CHARS))
        if finding.location and finding.location.describe():
            evidence.append(
                ("\n" if finding.evidence else "") + finding.location.describe(), style="dim"
            )
        severity = (
            ""
            if finding.passed or finding.severity is Severity.ERROR
            else (f" ({finding.severity.value})")
        )
        if finding.suppressed:
            severity += f" [{finding.suppressed}]"
        table.add_row(
            _mark(finding),
            finding.rule.split(".", 1)[1],
            Text(finding.message + severity),
            evidence,
        )
    return table


_DIFF_PAIRS = 5  # changed paragraphs shown per input; the JSON report has them all
_CONTEXT_WORDS = 6


def _diff_line(original: str, copy: str) -> Text:
    from compliance.archive.alignment import word_ops

    text = Text()
    ops = word_ops(original, copy)
    for number, (op, old, new) in enumerate(ops):
        if op == "equal":
            words = old.split()
            if number > 0 and len(words) > 2 * _CONTEXT_WORDS:
                words = [*words[:_CONTEXT_WORDS], "…", *words[-_CONTEXT_WORDS:]]
            elif number == 0 and len(words) > _CONTEXT_WORDS:
                words = ["…", *words[-_CONTEXT_WORDS:]]
            if number == len(ops) - 1 and len(words) > _CONTEXT_WORDS:
                words = [*words[:_CONTEXT_WORDS], "…"]
            text.append(" ".join(words) + " ")
            continue
        if old:
            text.append(f"[-{old}-]", style="red strike")
        if new:
            text.append(f"{{+{new}+}}", style="green")
        text.append(" ")
    return text


def _changes(result: Result) -> Group | None:
    """The reworded paragraphs, as word diffs, when the rule set checks integrity."""
    alignment = result.match.alignment if result.match else None
    if alignment is None or not any(f.check == "integrity" for f in result.findings):
        return None
    changed = alignment.changed
    if not changed:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column()
    for pair in changed[:_DIFF_PAIRS]:
        before = " ".join(alignment.original[i] for i in pair.original)
        after = " ".join(alignment.copy[i] for i in pair.copy)
        grid.add_row(f"¶{pair.original[0] + 1}", _diff_line(before, after))
    more = len(changed) - _DIFF_PAIRS
    title = Text("Changed paragraphs", style="bold")
    title.append(" (original ¶, [-removed-] {+added+}):", style="dim")
    parts: list[object] = [title, grid]
    if more > 0:
        parts.append(Text(f"… and {more} more in the JSON report", style="dim"))
    return Group(*parts)


def _fixes(result: Result) -> Group | None:
    failed = [f for f in result.findings if f.counts]
    if not failed:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for finding in failed:
        advice = Text(finding.fix or finding.message)
        if finding.clause:
            # A licence condition ends the right to republish; a request is a courtesy; a
            # warning is what the rule's author could not call a breach.
            if finding.basis != "licence":
                lead = "The newsroom asks"
            elif finding.severity is Severity.ERROR:
                lead = "Violates the licence"
            else:
                lead = "May not meet the licence"
            advice.append(f"\n{lead}: {finding.clause}", style="dim italic")
        grid.add_row(_mark(finding), advice)
    return Group(Text("To comply:", style="bold"), grid)


def _panel(result: Result) -> Panel:
    label, style = _STATUS_STYLE[result.status]
    suppressed = sum(1 for f in result.findings if not f.passed and f.suppressed)
    if suppressed and result.status in (Status.PASS, Status.WARN):
        # Not a clean pass: failures are there, waived or in the baseline.
        label += f" ({suppressed} suppressed)"
    title = Text.assemble((label, style), "  ", (result.input, "bold"))
    parts: list[object] = []
    if result.status is Status.ERROR:
        parts.append(Text(f"Could not be checked: {result.error}", style="magenta"))
    elif result.status is Status.UNMATCHED:
        # Not a pass: nothing was checked, and the notes say what was tried and what decides.
        parts.append(Text("No rule set applied, so nothing was checked.", style="bold"))
        parts.extend(Text(f"Note: {note}", style="yellow") for note in result.notes)
    else:
        parts.append(_applies(result))
        parts.append(Text(""))
        parts.append(_findings_table(result))
        for section in (_changes(result), _fixes(result)):
            if section is not None:
                parts.append(Text(""))
                parts.append(section)
    return Panel(Group(*parts), title=title, title_align="left", border_style=style.split()[-1])


def summary_line(run: RunResult) -> Text:
    """The closing line: how many inputs, and how many ended in each status."""
    counts = run.summary()
    text = Text(f"{counts['inputs']} input{'s' if counts['inputs'] != 1 else ''} checked: ")
    pieces = [
        (f"{counts['pass']} pass", "green"),
        (f"{counts['warn']} warn", "yellow"),
        (f"{counts['fail']} fail", "red"),
        (f"{counts['unmatched']} not a copy", "blue"),
        (f"{counts['error']} error", "magenta"),
    ]
    for index, (piece, style) in enumerate(pieces):
        text.append(piece, style=style if not piece.startswith("0 ") else "dim")
        if index < len(pieces) - 1:
            text.append(", ")
    return text


def render(run: RunResult, options: RenderOptions) -> str:
    """A panel per input and the summary line; colour only when asked for."""
    buffer = io.StringIO()
    console = safe_console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        color_system="standard" if options.color else None,
    )
    for result in run.results:
        console.print(_panel(result))
    console.print(summary_line(run))
    return buffer.getvalue()
