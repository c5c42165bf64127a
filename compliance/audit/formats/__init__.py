"""Audit report formats, by the name given to `compliance report --format`.

Each is a pure function from an AuditReport to text, in a module of its own, loaded when its
format is used.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance.audit.report import AuditReport
from compliance.report import lazy_render

AuditFormat = Callable[[AuditReport], str]

AUDIT_FORMATS: dict[str, AuditFormat] = {
    name: lazy_render(f"compliance.audit.formats.{module}", name == "markdown")
    for name, module in (
        ("html", "html"),
        ("markdown", "markdown"),
        ("json", "json_format"),
        ("csv", "csv_format"),
    )
}
