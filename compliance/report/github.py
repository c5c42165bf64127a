"""GitHub Actions workflow commands: an annotation per failed check, on the file and line.

Page text goes into annotations escaped, so a headline such as "::error::pwned" or one with
an encoded newline cannot start a workflow command of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.model import RunResult, Severity, Status
from compliance.report.locate import counted_failures, finding_line

if TYPE_CHECKING:
    from compliance.report import RenderOptions

MAX_ANNOTATIONS = 50  # GitHub shows 10 of each kind per step and 50 per job
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property (file, title), where ':' and ',' are separators too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(run: RunResult, options: RenderOptions) -> str:
    """One line per annotation, errors first, capped with a notice of how many were left out."""
    lines: list[tuple[int, str]] = []
    for result in run.sorted_results():
        if result.status is Status.ERROR:
            lines.append(
                (
                    0,
                    f"::error file={escape_property(result.input)},"
                    f"title=compliance::{escape_data(result.error or '')}",
                )
            )
        for finding in counted_failures(result):
            props = (
                f"file={escape_property(result.input)},"
                f"line={finding_line(result, finding)},"
                f"title={escape_property(finding.rule)}"
            )
            message = finding.message + (f" Fix: {finding.fix}" if finding.fix else "")
            lines.append(
                (
                    2 - finding.severity.rank,
                    f"::{_COMMAND[finding.severity]} {props}::{escape_data(message)}",
                )
            )
    lines.sort(key=lambda item: item[0])
    shown = [text for _, text in lines[:MAX_ANNOTATIONS]]
    if len(lines) > MAX_ANNOTATIONS:
        shown.append(
            f"::notice title=compliance::{len(lines) - MAX_ANNOTATIONS} more findings"
            " are not shown as annotations; see the full report"
        )
    return "".join(line + "\n" for line in shown)
