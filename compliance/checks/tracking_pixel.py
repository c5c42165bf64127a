"""tracking_pixel: the newsroom's tracking pixel is on the page and able to count.

What it checks: an image or script whose address matches `src` (shell-style patterns) is
in the page; it is not hidden with CSS or the `hidden` attribute; its address was not moved
to `data-src` by a lazy-loading plugin (then it never loads); and, when the original's post
id is known (`post_id` in the archive), the pixel counts that post.

Why: republication trackers (the Republication Tracker Tool, The Conversation's counter,
ProPublica's PixelPing) are how newsrooms measure reach; several terms forbid removing them.

Passes: `<img id="republication-tracker-tool-source"
src="https://example.org/?republication-pixel=true&post=123" style="width:1px;height:1px;">`

Fails: the same image with `style="display:none"`, or with its address only in `data-src`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.common.textmatch import glob_match
from compliance.model import Location

if TYPE_CHECKING:
    from compliance.terms.check_options import TrackingPixelOptions as Options


def _location(tracker: dict) -> Location:
    return Location(tracker.get("line"), tracker.get("selector"))


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Judge the best candidate: one that counts, else say what stops it."""
    found = [
        t for t in ctx.article.metadata.get("trackers") or [] if glob_match(t["src"], options.src)
    ]
    if not found:
        return Outcome(False, "the tracking pixel is missing")
    working = [t for t in found if not t["hidden"] and not t["lazy_blanked"]]
    if not working:
        tracker = found[0]
        why = (
            "its address is held in data-src for lazy loading, so it never loads"
            if tracker["lazy_blanked"]
            else "it is hidden (display:none, visibility:hidden or the hidden attribute)"
        )
        return Outcome(
            False, f"the tracking pixel cannot count: {why}", tracker["src"], _location(tracker)
        )
    post = ctx.match.original.extra.get("post_id") if ctx.match else None
    if options.post_id and post:
        counting = [t for t in working if str(post) in re.findall(r"\d+", t["src"])]
        if not counting:
            tracker = working[0]
            return Outcome(
                False,
                f"the tracking pixel counts another post, not the original's post {post}",
                tracker["src"],
                _location(tracker),
            )
        working = counting
    tracker = working[0]
    return Outcome(True, "tracking pixel present", tracker["src"], _location(tracker))
