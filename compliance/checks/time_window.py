"""time_window: the copy was published when the terms allow.

What it checks: the copy's publication date (its `article:published_time` meta tag, JSON-LD
`datePublished`, or Markdown front matter `date`) against the original's: no later than
`within_days` after it, and no earlier than `embargo_hours` after it.

Why: City Desk ABQ allows republication only within 90 days of first publication; some
newsrooms hold partners to an embargo (Montana Free Press: the next day).

Passes: a copy dated two weeks after the original, under a 90-day window.

Fails: a copy dated 120 days after it; or one published an hour after the original under a
24-hour embargo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome, not_judged
from compliance.checks.common import needs_original
from compliance.common.dates import parse_date

if TYPE_CHECKING:
    from compliance.terms.check_options import TimeWindowOptions as Options


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Compare the two dates; say which one is missing when either is."""
    if ctx.match is None:
        return needs_original("the publication window", ctx)
    original = parse_date(ctx.match.original.published)
    copy = parse_date(ctx.article.metadata.get("published"))
    if original is None or copy is None:
        missing = "the original's" if original is None else "the copy's"
        return not_judged(f"{missing} publication date is not known")
    days = (copy - original).total_seconds() / 86400
    if options.within_days is not None and days > options.within_days:
        return Outcome(
            False,
            f"republished {days:.0f} days after the original (at most {options.within_days})",
            copy.isoformat(),
        )
    if options.embargo_hours is not None and days * 24 < options.embargo_hours:
        return Outcome(
            False,
            f"republished {days * 24:.1f} hours after the original, before the"
            f" {options.embargo_hours:g}-hour embargo ended",
            copy.isoformat(),
        )
    return Outcome(True, f"republished {days:.0f} days after the original", copy.isoformat())
