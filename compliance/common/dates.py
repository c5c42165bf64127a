"""Dates as archives, pages and listings write them."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_date(value: object) -> datetime | None:
    """An ISO date or date-time (UTC when no zone is given); None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
