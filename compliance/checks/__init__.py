"""The check types a rule file can use, by the name written in its `type:` field.

A check module is imported when a rule set that uses it is applied, not before. Adding a
check type: its options in `compliance.terms.check_options` (one class, one line in OPTIONS), one
module here with a `run(options, ctx)` function, its name in CHECK_TYPES, and its pass/fail
cases in tests/cases/.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# In the order the documentation lists them.
CHECK_TYPES: tuple[str, ...] = (
    "logo",
    "byline",
    "affiliation",
    "notice",
    "credit_line",
    "link_back",
    "canonical",
    "tracking_pixel",
    "media_credits",
    "headline",
    "excerpt_limit",
    "time_window",
    "additions_disclosed",
    "style_edits",
    "integrity",
    "corrections",
)

# What each check looks at, in words a letter to an editor can use ("the photo credits").
CHECK_LABELS: dict[str, str] = {
    "logo": "the logo",
    "byline": "the byline",
    "affiliation": "the reporter's affiliation",
    "notice": "the notice",
    "credit_line": "the credit line",
    "link_back": "the link back",
    "canonical": "the canonical link",
    "tracking_pixel": "the tracking pixel",
    "media_credits": "the photo credits",
    "headline": "the headline",
    "excerpt_limit": "the length of an excerpt",
    "time_window": "when it was published",
    "additions_disclosed": "text added to the article",
    "style_edits": "edits to the article's words",
    "integrity": "the article's text",
    "corrections": "the original's corrections",
}


def check_label(check_type: str) -> str:
    """What a check of `check_type` looks at, in words ("the photo credits")."""
    return CHECK_LABELS.get(check_type, check_type.replace("_", " "))


def check_module(check_type: str) -> ModuleType:
    """The module that runs checks of `check_type`, imported on first use."""
    if check_type not in CHECK_TYPES:
        raise KeyError(check_type)
    return importlib.import_module(f"compliance.checks.{check_type}")


def phase(check_type: str) -> int:
    """Checks of a higher phase run later, seeing what the earlier ones took as evidence."""
    return getattr(check_module(check_type), "PHASE", 0)
