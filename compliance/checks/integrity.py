"""integrity: the copy carries the original's text as the terms allow.

What it checks: the paragraph alignment of the copy with its matched original. It fails
when the copy carries less of the original than `min_coverage`, or when it drops, moves or
adds paragraphs, changes words or rewrites whole paragraphs (sentences recast, a quote
turned into indirect speech, at the same place in the story), where the terms forbid it
(`allow_drop`, `allow_reorder`, `allow_add`, `allow_changes`, `allow_rewrites`). A
rewritten paragraph counts as carried, at its low similarity, never as dropped plus
added. Short lines, `(RELATED: ...)` links, photo captions and
other boilerplate (plus the rule's own `ignore` patterns) are never counted as changes.
Without an original (no `--originals`, or none matched) it cannot judge, and says so.

Why: terms such as "no edits beyond style" or "republish in full" are about the text itself;
the JSON report lists every changed paragraph with its word-level spans.

Passes: a copy with all paragraphs verbatim, or (where trimming is allowed) its first half.

Fails: under `allow_changes: false`, a copy where "who" became "that" in one paragraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import needs_original
from compliance.common.textmatch import excerpt, normalize
from compliance.model import Location

if TYPE_CHECKING:
    from compliance.terms.check_options import IntegrityOptions as Options

if TYPE_CHECKING:
    from compliance.archive.alignment import Alignment


def _numbers(values: tuple[int, ...] | list[int]) -> str:
    shown = ", ".join(str(v + 1) for v in values[:6])
    return shown + (", …" if len(values) > 6 else "")


def compact_diff(original: str, copy: str) -> str:
    """The changed words of a paragraph pair, as "[-old-]{+new+}" marks."""
    from compliance.archive.alignment import word_diff

    parts = []
    for span in word_diff(original, copy):
        old = f"[-{span['original']}-]" if span["original"] else ""
        new = f"{{+{span['copy']}+}}" if span["copy"] else ""
        parts.append(old + new)
    return "; ".join(parts)


def _location(ctx: CheckContext, paragraph: str) -> Location | None:
    """Where a copy paragraph is on the page: the block that holds its text."""
    key = normalize(paragraph)[:60]
    for block in ctx.article.blocks:
        if key and key in normalize(block.text):
            return block.location
    return None


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Judge the alignment the matcher made (re-aligned when the rule adds ignore patterns)."""
    match = ctx.match
    if match is None or match.alignment is None:
        return needs_original("comparing its text", ctx)
    from compliance.archive.alignment import BOILERPLATE, align  # loaded by the matcher already

    alignment: Alignment = match.alignment
    if options.ignore:
        alignment = align(
            alignment.original,
            alignment.copy,
            (*BOILERPLATE, *options.ignore),
            alignment.furniture,
        )
    problems = []
    if alignment.coverage < options.min_coverage:
        problems.append(
            f"carries {alignment.coverage:.0%} of the original's text;"
            f" at least {options.min_coverage:.0%} is required"
        )
    if alignment.dropped and not options.allow_drop:
        problems.append(
            f"{len(alignment.dropped)} paragraph(s) of the original dropped"
            f" (paragraph {_numbers(alignment.dropped)})"
        )
    moved = [p.original[0] for p in alignment.moved]
    if moved and not options.allow_reorder:
        problems.append(f"{len(moved)} paragraph(s) moved (paragraph {_numbers(moved)})")
    if alignment.added and not options.allow_add:
        problems.append(
            f"{len(alignment.added)} paragraph(s) added that are not in the original"
            f" (copy paragraph {_numbers(alignment.added)})"
        )
    rewritten = alignment.rewritten
    if rewritten and not options.allow_rewrites:
        problems.append(
            f"{len(rewritten)} of {len(alignment.original)} paragraphs rewritten"
            f" (paragraph {_numbers([p.original[0] for p in rewritten])})"
        )
    changed = alignment.changed
    if changed and not options.allow_changes:
        problems.append(
            f"{len(changed)} paragraph(s) reworded"
            f" (paragraph {_numbers([p.original[0] for p in changed])})"
        )

    counts = alignment.summary()
    tally = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    evidence, location = None, None
    if rewritten and not options.allow_rewrites:
        first = rewritten[0]
        before, after = alignment.original[first.original[0]], alignment.copy[first.copy[0]]
        evidence = (
            f"paragraph {first.original[0] + 1} \u201c{excerpt(before, 80)}\u201d"
            f" became \u201c{excerpt(after, 80)}\u201d"
        )
        location = _location(ctx, after)
    elif changed:
        first = changed[0]
        before = " ".join(alignment.original[i] for i in first.original)
        after = " ".join(alignment.copy[i] for i in first.copy)
        evidence = f"paragraph {first.original[0] + 1}: {compact_diff(before, after)}"
        location = _location(ctx, after)
    elif alignment.added and not options.allow_add:
        added = alignment.copy[alignment.added[0]]
        evidence, location = added, _location(ctx, added)
    details = alignment.to_json()
    if problems:
        return Outcome(
            False,
            "the text differs from the original: " + "; ".join(problems),
            evidence,
            location,
            details=details,
        )
    return Outcome(
        True,
        f"{alignment.coverage:.0%} of the original's text carried ({tally or 'nothing'});"
        " nothing the terms forbid",
        evidence,
        location,
        details=details,
    )
