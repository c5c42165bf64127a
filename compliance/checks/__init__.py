"""The check types a rule file can use, by the name written in its `type:` field.

Adding a check type: one module here with an `Options` model and a `run` function, one line
in CHECK_TYPES, and its pass/fail cases in tests/cases/.
"""

from __future__ import annotations

from types import ModuleType

from compliance.checks import affiliation, byline, integrity, logo, media_credits, notice

CHECK_TYPES: dict[str, ModuleType] = {
    "logo": logo,
    "byline": byline,
    "affiliation": affiliation,
    "notice": notice,
    "media_credits": media_credits,
    "integrity": integrity,
}


def phase(check_type: str) -> int:
    """Checks of a higher phase run later, seeing what the earlier ones took as evidence."""
    return getattr(CHECK_TYPES[check_type], "PHASE", 0)
