"""corrections: the copy carries the corrections the newswire made to the original.

What it checks: an original the archive saw edited (its `versions`, which `archive sync`
keeps) is compared version with version (archive/corrections.py): a correction notice added,
a fact changed (a number, date, name or quote), and, where the rule's `kinds` say so, other
words changed or a paragraph added or removed. Every such edit older than `grace_hours`
must be on the copy: the changed paragraph in its new words, the notice, the added
paragraph, and no removed one. Style edits (punctuation, case, spacing) never count. A copy
made after a correction from a stale mirror fails too: it carries the earlier text. An
original with no earlier version has nothing to carry; without an original the check cannot
judge, and says so.

Why: newswires correct stories after publication (a wrong figure, a misquoted name, a legal
fix); a copy that keeps the corrected text is a risk to the newswire and the partner alike.

Passes: a copy that carries the current text, or an edit made within the grace period.

Fails: a copy still reading "$4.2 million" three days after the original was corrected to
"$2.4 million" and given a correction notice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from compliance.archive.corrections import (
    NOTICES,
    Change,
    Correction,
    applied,
    copy_keys,
    corrections_of,
    similarity,
)
from compliance.checks.base import VALID_UNTIL, CheckContext, Outcome
from compliance.checks.common import needs_original
from compliance.common.textmatch import excerpt

if TYPE_CHECKING:
    from compliance.terms.check_options import CorrectionsOptions as Options


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Each counted edit past its grace period, applied on the copy or not."""
    if ctx.match is None:
        return needs_original("checking its corrections", ctx)
    original = ctx.match.original
    if not original.versions:
        return Outcome(True, "the archive has seen no edit of the original")
    now = datetime.now(UTC)
    grace = timedelta(hours=options.grace_hours)
    alignment = ctx.match.alignment
    text = copy_keys(
        [*(alignment.copy if alignment is not None else ()), *(b.text for b in ctx.article.blocks)]
    )
    missing: list[tuple[Correction, list[Change]]] = []
    waiting: list[datetime] = []  # when each edit still within its grace period is due
    for correction in corrections_of(original, (*NOTICES, *options.notices)):
        counted = [c for c in correction.changes if c.kind in options.kinds]
        if not counted:
            continue
        if correction.when is not None and now - correction.when < grace:
            waiting.append(correction.when + grace)
            continue
        stale = [c for c in counted if not applied(c, text)]
        if stale:
            missing.append((correction, stale))
    carried = f"version {ctx.match.version} of {ctx.match.latest_version}"
    # The verdict holds until the first edit still in its grace period falls due: an audit
    # judges the same bytes again then (VALID_UNTIL).
    due = {VALID_UNTIL: min(waiting).isoformat()} if waiting else {}
    if not missing:
        grace_period = f"the {options.grace_hours:g}-hour grace period"
        later = f"; {len(waiting)} within {grace_period}" if waiting else ""
        message = f"carries the original's corrections ({carried}){later}"
        return Outcome(True, message, details=due or None)
    said = " and ".join(
        f"on {_day(c.when)} ({'; '.join(change.describe() for change in stale)})"
        for c, stale in missing
    )
    return Outcome(
        False,
        f"the original was corrected {said}; this copy still has the earlier text ({carried}):"
        f" {_what_to_do([change for _c, stale in missing for change in stale])}",
        _evidence(missing, ctx),
        details={**_details(missing, ctx), **due},
    )


def _what_to_do(changes: list[Change]) -> str:
    steps = []
    for change in changes:
        if change.kind in ("fact", "wording"):
            steps.append(f"replace the paragraph '{excerpt(change.before or '', 70)}' with"
                         f" the original's paragraph {change.paragraph}")  # fmt: skip
        elif change.kind == "notice":
            steps.append(f"add the notice '{change.after}'")
        elif change.kind == "added":
            steps.append(f"add the original's paragraph {change.paragraph}")
        else:
            steps.append(f"remove the paragraph '{excerpt(change.before or '', 70)}'")
    return "; ".join(dict.fromkeys(steps))


def _evidence(missing: list[tuple[Correction, list[Change]]], ctx: CheckContext) -> str | None:
    """The copy's stale words for the first changed paragraph, as the page writes them, with
    some of the sentence around them."""
    for _correction, stale in missing:
        for change in stale:
            if not change.before:
                continue
            before = change.before
            score, block = max(
                ((similarity(b.text, before), b) for b in ctx.article.blocks), key=lambda s: s[0]
            )
            if score < 60:
                continue
            old = next((o for o, _new in change.words if o), "")
            at = block.text.find(old) if old else -1
            if at < 0:
                return excerpt(block.text, 200)
            start, end = max(0, at - 80), min(len(block.text), at + len(old) + 80)
            shown = " ".join(block.text[start:end].split())
            return f"{'…' * (start > 0)}{shown}{'…' * (end < len(block.text))}"
    return None


def _details(missing: list[tuple[Correction, list[Change]]], ctx: CheckContext) -> dict[str, Any]:
    assert ctx.match is not None
    return {
        "version": ctx.match.version,
        "latest_version": ctx.match.latest_version,
        "corrections": [
            {
                "version": correction.version,
                "when": correction.when.isoformat() if correction.when else None,
                "missing": [
                    {"kind": c.kind, "paragraph": c.paragraph, "before": c.before,
                     "after": c.after}
                    for c in stale
                ],
            }
            for correction, stale in missing
        ],
    }  # fmt: skip


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else "a date the archive does not know"
