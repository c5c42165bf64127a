"""Failures that do not count: waived by an agreement, or already known from a baseline.

A suppressed finding stays in every report, marked with why; only the verdict and the exit
code leave it out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from compliance.ci.config import ProjectConfig, Waiver
from compliance.errors import UserError
from compliance.model import Finding, Result, RunResult, status_from_findings


def load_baseline(path: Path) -> frozenset[str]:
    """Fingerprints of the failed findings in an earlier JSON report."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UserError(f"{path}: the baseline is not JSON: {exc}") from None
    if not isinstance(report, dict) or report.get("schema") != "compliance-report/1":
        raise UserError(
            f"{path}: the baseline must be a JSON report of `compliance check`"
            " (schema compliance-report/1)"
        )
    return frozenset(
        finding["fingerprint"]
        for result in report.get("results", [])
        for finding in result.get("findings", [])
        if not finding.get("passed") and finding.get("fingerprint")
    )


@dataclass(frozen=True)
class Suppressions:
    """The waivers and baseline in force for a run."""

    config: ProjectConfig
    baseline: frozenset[str] = frozenset()
    today: date = field(default_factory=date.today)

    def _names(self, result: Result) -> list[str]:
        if result.input.startswith(("http://", "https://")):
            return [result.input]
        return [result.input, self.config.relative(Path(result.input))]

    def _waiver(self, result: Result, finding: Finding) -> Waiver | None:
        names = self._names(result)
        for waiver in self.config.spec.waivers:
            if (
                waiver.expires >= self.today
                and fnmatchcase(finding.rule, waiver.rule)
                and any(fnmatchcase(name, pattern) for name in names for pattern in waiver.paths)
            ):
                return waiver
        return None

    def expired(self) -> list[str]:
        """A warning for each waiver past its date: its check is enforced again."""
        return [
            f"{place}: the waiver of {waiver.rule} for {', '.join(waiver.paths)} expired on"
            f" {waiver.expires.isoformat()}; the check is enforced again"
            for waiver, place in zip(
                self.config.spec.waivers, self.config.waiver_places, strict=True
            )
            if waiver.expires < self.today
        ]

    def _finding(self, result: Result, finding: Finding) -> Finding:
        if finding.passed:
            return finding
        waiver = self._waiver(result, finding)
        if waiver is not None:
            return replace(
                finding, suppressed=(f"waived until {waiver.expires.isoformat()}: {waiver.reason}")
            )
        if finding.fingerprint in self.baseline:
            return replace(finding, suppressed="in the baseline")
        return finding

    def unused_baseline(self, run: RunResult) -> str | None:
        """A hint when the baseline suppresses nothing of this run because it names none of
        its findings (another set of pages, or pages since renamed)."""
        if not self.baseline:
            return None
        fingerprints = {f.fingerprint for r in run.results for f in r.findings}
        if fingerprints & self.baseline:
            return None
        return (
            f"the baseline's {len(self.baseline)} finding(s) match none of this run's: it was"
            " written for other inputs, or the pages were renamed or moved; write a new one"
            " with --write-baseline"
        )

    def apply(self, run: RunResult) -> RunResult:
        results = []
        for result in run.results:
            findings = tuple(self._finding(result, f) for f in result.findings)
            if findings != result.findings:
                result = replace(result, findings=findings, status=status_from_findings(findings))
            results.append(result)
        return replace(run, results=tuple(results))
