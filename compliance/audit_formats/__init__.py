"""Audit report formats, by the name given to `compliance report --format`.

Each is a pure function from an AuditReport to text; modules load when their format is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from compliance.audit_report import AuditReport

AuditFormat = Callable[[AuditReport], str]


def _module(name: str) -> AuditFormat:
    def render(report: AuditReport) -> str:
        return importlib.import_module(f"compliance.audit_formats.{name}").render(report)

    return render


AUDIT_FORMATS: dict[str, AuditFormat] = {
    "html": _module("html"),
    "markdown": _module("markdown"),
    "json": _module("json_format"),
    "csv": _module("csv_format"),
}
