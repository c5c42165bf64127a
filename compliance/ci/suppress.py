"""Failures that do not count: waived by an agreement, or already known from a baseline.

A suppressed finding stays in every report, marked with why; only the verdict and the exit
code leave it out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Protocol, TypeVar

from compliance.ci.config import ProjectConfig
from compliance.errors import UserError
from compliance.model import Finding, Result, RunResult, StoredResults, status_from_findings


class Waiving(Protocol):
    """What a waiver says, wherever it is written: a project's configuration (ci.config.Waiver)
    or a partner's agreement (discover.partners.PartnerWaiver)."""

    @property
    def rule(self) -> str: ...  # a rule id, or a pattern of them ('dcnf.*')

    @property
    def reason(self) -> str: ...

    @property
    def expires(self) -> date: ...  # the last day it holds

    @property
    def patterns(self) -> Sequence[str]: ...  # the inputs (paths or URLs) it covers


W = TypeVar("W", bound=Waiving)


def waiver_for(waivers: Iterable[W], rule: str, names: Sequence[str], today: date) -> W | None:
    """The first waiver in force on `today` that covers `rule` for an input known by `names`."""
    for waiver in waivers:
        if (
            waiver.expires >= today
            and fnmatchcase(rule, waiver.rule)
            and any(fnmatchcase(name, pattern) for name in names for pattern in waiver.patterns)
        ):
            return waiver
    return None


WAIVED = "waived until "  # how a waived finding's `suppressed` begins


def waived_mark(waiver: Waiving) -> str:
    """A waived finding's `suppressed`: until when, and the agreement that allows it."""
    return f"{WAIVED}{waiver.expires.isoformat()}: {waiver.reason}"


def lapsed(waiver: Waiving) -> str:
    """The end of the warning for a waiver past its date."""
    return f"expired on {waiver.expires.isoformat()}; the check is enforced again"


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

    def expired(self) -> list[str]:
        """A warning for each waiver past its date: its check is enforced again."""
        return [
            f"{place}: the waiver of {waiver.rule} for {', '.join(waiver.paths)} {lapsed(waiver)}"
            for waiver, place in zip(
                self.config.spec.waivers, self.config.waiver_places, strict=True
            )
            if waiver.expires < self.today
        ]

    def _finding(self, result: Result, finding: Finding) -> Finding:
        if finding.passed:
            return finding
        waiver = waiver_for(self.config.spec.waivers, finding.rule, self._names(result), self.today)
        if waiver is not None:
            return replace(finding, suppressed=waived_mark(waiver))
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
        if not self.baseline and not self.config.spec.waivers:
            return run  # nothing to suppress: the results as they are
        results = StoredResults()
        for result in run.results:
            findings = tuple(self._finding(result, f) for f in result.findings)
            if findings != result.findings:
                result = replace(result, findings=findings, status=status_from_findings(findings))
            results.append(result)
        return replace(run, results=results)
