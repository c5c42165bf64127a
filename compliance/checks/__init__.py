"""The check types a rule file can use, by the name written in its `type:` field.

Adding a check type: one module here with an `Options` model and a `run` function, one line
in CHECK_TYPES, and its pass/fail cases in tests/cases/.
"""

from __future__ import annotations

from types import ModuleType

from compliance.checks import (
    additions_disclosed,
    affiliation,
    byline,
    canonical,
    credit_line,
    excerpt_limit,
    headline,
    integrity,
    link_back,
    logo,
    media_credits,
    notice,
    style_edits,
    time_window,
    tracking_pixel,
)

CHECK_TYPES: dict[str, ModuleType] = {
    "logo": logo,
    "byline": byline,
    "affiliation": affiliation,
    "notice": notice,
    "credit_line": credit_line,
    "link_back": link_back,
    "canonical": canonical,
    "tracking_pixel": tracking_pixel,
    "media_credits": media_credits,
    "headline": headline,
    "excerpt_limit": excerpt_limit,
    "time_window": time_window,
    "additions_disclosed": additions_disclosed,
    "style_edits": style_edits,
    "integrity": integrity,
}


def phase(check_type: str) -> int:
    """Checks of a higher phase run later, seeing what the earlier ones took as evidence."""
    return getattr(CHECK_TYPES[check_type], "PHASE", 0)
