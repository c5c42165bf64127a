"""SARIF 2.1.0 for GitHub code scanning: one rule per check, one result per failed check."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from compliance import DISTRIBUTION, __version__
from compliance.model import Result, RunResult, Severity, Status
from compliance.report.locate import finding_line

if TYPE_CHECKING:
    from compliance.report import RenderOptions

MAX_RESULTS = 25_000  # GitHub keeps no more than this many results a run
MAX_BYTES = 10 * 1024 * 1024  # GitHub's upload limit
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(name: str) -> str:
    return name if name.startswith(("http://", "https://")) else quote(name)


def _location(result: Result, line: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(result.input)},
            "region": {"startLine": line},
        }
    }


def _rules(run: RunResult) -> list[dict[str, Any]]:
    return [
        {
            "id": rule.id,
            "name": rule.check,
            "shortDescription": {"text": f"{rule.ruleset_name}: {rule.check}"},
            "fullDescription": {"text": rule.clause},
            "help": {
                "text": f"{rule.clause}\nTerms: {rule.terms_url}",
                "markdown": f"{rule.clause}\n\nTerms: <{rule.terms_url}>",
            },
            "helpUri": rule.terms_url,
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tags": ["syndication", rule.check]},
        }
        for rule in run.rules
    ]


def _results(run: RunResult, index: dict[str, int]) -> list[dict[str, Any]]:
    results = []
    for result in run.sorted_results():
        for finding in result.findings:
            if finding.passed:
                continue
            entry: dict[str, Any] = {
                "ruleId": finding.rule,
                "level": _LEVEL[finding.severity],
                "message": {"text": f"{finding.message} ({result.input})"},
                "locations": [_location(result, finding_line(result, finding))],
                "partialFingerprints": {"complianceFinding/v1": finding.fingerprint},
            }
            if finding.rule in index:
                entry["ruleIndex"] = index[finding.rule]
            if finding.suppressed:
                entry["suppressions"] = [{"kind": "external", "justification": finding.suppressed}]
            results.append(entry)
    # Errors first, so a cut at GitHub's limit drops the least important results.
    results.sort(key=lambda r: {"error": 0, "warning": 1, "note": 2}[r["level"]])
    return results


def _notifications(run: RunResult, dropped: int) -> list[dict[str, Any]]:
    notes = [
        {"level": "error", "message": {"text": result.error}, "locations": [_location(result, 1)]}
        for result in run.sorted_results()
        if result.status is Status.ERROR and result.error
    ]
    if dropped:
        notes.append(
            {
                "level": "warning",
                "message": {
                    "text": (
                        f"{dropped} more results were left out to stay within GitHub's limits"
                        " (25,000 results, 10 MB); see the JSON report for all of them"
                    )
                },
            }
        )
    return notes


def _document(run: RunResult, results: list[dict[str, Any]], dropped: int) -> dict[str, Any]:
    notifications = _notifications(run, dropped)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "compliance",
                        "version": __version__,
                        "informationUri": f"https://pypi.org/project/{DISTRIBUTION}/",
                        "rules": _rules(run),
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not any(
                            n["level"] == "error" for n in notifications
                        ),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "columnKind": "utf16CodeUnits",
            }
        ],
    }


def render(run: RunResult, options: RenderOptions) -> str:
    """The SARIF log, cut to GitHub's limits with a notification saying how much was left out."""
    index = {rule.id: i for i, rule in enumerate(run.rules)}
    results = _results(run, index)
    kept = results[:MAX_RESULTS]
    while True:
        text = (
            json.dumps(_document(run, kept, len(results) - len(kept)), indent=2, ensure_ascii=False)
            + "\n"
        )
        if len(text.encode("utf-8")) <= MAX_BYTES or not kept:
            return text
        kept = kept[: len(kept) * 9 // 10]
