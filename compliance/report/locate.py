"""Where a machine format should point for a finding: the evidence, or where it belongs."""

from __future__ import annotations

from compliance.model import Finding, Result


def finding_line(result: Result, finding: Finding) -> int:
    """The line of the evidence; for a missing item, the top of the article (else line 1)."""
    if finding.location is not None and finding.location.line:
        return finding.location.line
    if result.anchor is not None and result.anchor.line:
        return result.anchor.line
    return 1


def counted_failures(result: Result) -> list[Finding]:
    """Failures that count (not waived, not in the baseline), errors first."""
    failed = [f for f in result.findings if f.counts]
    return sorted(failed, key=lambda f: (-f.severity.rank, f.rule))
