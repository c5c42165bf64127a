"""Validated rule-file data as plain, read-only attributes: what the checks and the engine read.

A rule file is validated once by its pydantic schema (`compliance.terms.schema`) and turned
into `Plain` objects, which the rule cache stores; a later run loads them without importing
pydantic. A Plain object has the schema's field names as attributes, nothing more.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

# The fields every check has (`compliance.terms.check_options.CheckOptions`, and its `type`).
COMMON_CHECK_FIELDS = frozenset({"id", "type", "severity", "clause", "fix", "basis"})


class Plain:
    """A validated mapping read as attributes; frozen once built."""

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name: str) -> Any:
        if name == "_fields":  # not set yet (while unpickling)
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getstate__(self) -> dict[str, Any]:
        return self._fields

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", state)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plain) and self._fields == other._fields

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        return f"Plain({inner})"

    def replace(self, **changes: Any) -> Plain:
        """A copy with `changes` applied (for tests and tools that vary a rule)."""
        return Plain({**self._fields, **changes})

    def fields(self, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The fields and their values, less `exclude`."""
        return {k: v for k, v in self._fields.items() if k not in exclude}

    def to_json(self) -> dict[str, Any]:
        """The fields as JSON data (enums as their values), as the schema would dump them."""
        return {k: _json(v) for k, v in self._fields.items()}


def _json(value: Any) -> Any:
    if isinstance(value, Plain):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def plain(value: Any) -> Any:
    """`value` (a validated pydantic model, or lists and mappings of them) as Plain data."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return Plain({name: plain(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def check_options(check: Any) -> dict[str, Any]:
    """A check's own options, without the fields every check has."""
    return check.fields(COMMON_CHECK_FIELDS)
