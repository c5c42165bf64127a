"""GitLab Code Quality JSON: an issue per failed check, for the merge-request widget."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from compliance.model import RunResult, Severity
from compliance.report.locate import counted_failures, finding_line

if TYPE_CHECKING:
    from compliance.report import RenderOptions

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(run: RunResult, options: RenderOptions) -> str:
    """The Code Quality report: failed checks that count, in input and rule order."""
    issues = [
        {
            "description": f"{finding.rule}: {finding.message}",
            "check_name": finding.rule,
            "fingerprint": finding.fingerprint,
            "severity": _SEVERITY[finding.severity],
            "location": {"path": result.input, "lines": {"begin": finding_line(result, finding)}},
        }
        for result in run.sorted_results()
        for finding in counted_failures(result)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
