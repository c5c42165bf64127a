"""`compliance-audit-report/1` as CONTRACT.md writes it (plus additive keys)."""

from __future__ import annotations

import json

from compliance.audit.report import AuditReport


def render(report: AuditReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
