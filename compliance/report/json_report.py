"""The machine-readable report of CONTRACT.md (`compliance-report/1`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from compliance.model import Result, RunResult

if TYPE_CHECKING:
    from compliance.report import RenderOptions

SCHEMA = "compliance-report/1"


def result_to_json(result: Result) -> dict[str, Any]:
    """One input's result as CONTRACT.md writes it."""
    return {
        "input": result.input,
        "status": result.status.value,
        "ruleset": result.ruleset,
        "original": result.match.to_json() if result.match else None,
        "findings": [finding.to_json() for finding in result.findings],
        "error": result.error,
        "reason": result.reason,
        "detected_by": result.detected_by,
        **({"notes": list(result.notes)} if result.notes else {}),
    }


def report_to_json(run: RunResult) -> dict[str, Any]:
    """The whole `compliance-report/1` document."""
    return {
        "schema": SCHEMA,
        "results": [result_to_json(result) for result in run.results],
        "summary": run.summary(),
    }


def render(run: RunResult, options: RenderOptions) -> str:
    """The JSON report as text, keys in contract order."""
    return "".join(chunks(run, options))


def chunks(run: RunResult, options: RenderOptions) -> Iterator[str]:
    """The JSON report in pieces, a result at a time: `json.dumps(report_to_json(run),
    indent=2)` to the byte, without ever holding every result's document (or the whole
    text of a report of thousands of pages) at once."""
    if not run.results:
        yield json.dumps(report_to_json(run), indent=2, ensure_ascii=False) + "\n"
        return
    yield f'{{\n  "schema": {json.dumps(SCHEMA)},\n  "results": [\n'
    for number, result in enumerate(run.results):
        text = json.dumps(result_to_json(result), indent=2, ensure_ascii=False)
        yield ("" if number == 0 else ",\n") + _INDENT.sub("    ", text)
    summary = json.dumps(run.summary(), indent=2, ensure_ascii=False)
    yield f'\n  ],\n  "summary": {_INDENT.sub("  ", summary).lstrip()}\n}}\n'


# The start of every line: a nested document is its own text, each line indented further.
_INDENT = re.compile(r"^", re.MULTILINE)
