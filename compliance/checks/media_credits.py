"""media_credits: no photo is credited to an agency the licence does not cover.

What it checks: credits where credits are written (image alt text and titles, figure
captions, parenthesised credits such as "(REUTERS/Name)", "Photo: ..." lines) for any of
`credits`. A mention of the agency in running text ("the AP reported") is not a credit.
With `cleared_only: true`, every photo of the copy must also be one of the original's (by
file name, from the archive's `images` of the original): a photo the newsroom did not
publish with the story is not cleared.

Why: a newswire can license only its own work; agency photos in its stories need the
republisher's own licence.

Passes: `<figcaption>(Photo: Nick Pope/Daily Caller News Foundation)</figcaption>`

Fails: `Troops train at a base. (REUTERS/China Newsphoto)`
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.common.textmatch import excerpt
from compliance.model import Article, Image, Location

if TYPE_CHECKING:
    from compliance.terms.check_options import MediaCreditsOptions as Options

_PARENTHESISED = re.compile(r"\(([^()]{2,160})\)")
_CREDIT_LEAD = re.compile(
    r"\b(?:photo|photograph|image|picture|credit|courtesy)s?\s*(?:by|:|/)\s*(.{2,120})",
    re.IGNORECASE,
)


def _file_name(src: str) -> str:
    return src.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].casefold()


def _uncleared(ctx: CheckContext) -> list[Image]:
    """The copy's photos that are not among the original's (when the archive lists them)."""
    listed = ctx.match.original.extra.get("images") if ctx.match else None
    if not listed:
        return []
    cleared = {_file_name(str(src)) for src in listed}
    trackers = {t["src"] for t in ctx.article.metadata.get("trackers") or []}
    return [
        image
        for image in ctx.article.images
        if image.src not in trackers
        and not image.src.startswith(("(inline", "data:"))
        and _file_name(image.src) not in cleared
        and "logo" not in (image.src + image.alt).casefold()
    ]


# "REUTERS/Name", "AP Photo/Name", "Jane Doe/Springfield Ledger": a credit's usual shape.
_SLASHED = re.compile(r"[A-Z][\w.&'’ -]{0,40}/\s?[A-Z][\w.&'’ -]{0,60}")
_SHORT_LABEL = 6  # words: an alt text or caption this short may be the credit alone


def _credits_in(text: str) -> Iterator[str]:
    """The parts of a caption, alt text or line that credit a photo: parenthesised credits,
    "Photo: ..." leads and "AGENCY/Name" forms; a short label whole. Not the caption's
    description: "Students sit the AP exam" credits nobody."""
    found: list[str] = []
    for match in _PARENTHESISED.finditer(text):
        inner = match.group(1)
        if "/" in inner or re.search(r"photo|image|getty|credit", inner, re.IGNORECASE):
            found.append(inner)
    found += [match.group(1) for match in _CREDIT_LEAD.finditer(text)]
    found += [match.group() for match in _SLASHED.finditer(text)]
    words = text.split()
    if len(words) <= _SHORT_LABEL and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        found.append(text)  # "Getty Images", "REUTERS": a label that is a credit and no more
    kept: list[str] = []
    for credit in sorted(found, key=len, reverse=True):  # one credit once, however found
        if not any(credit in longer for longer in kept):
            kept.append(credit)
    yield from kept


def _credit_spans(article: Article) -> Iterator[tuple[str, Location, int | None]]:
    """(credit text, where, block index) for every place a photo credit can be written."""
    for image in article.images:
        for label in (image.alt, image.title):
            for credit in _credits_in(label) if label else ():
                yield credit, image.location, None
    for i, block in enumerate(article.blocks):
        for credit in _credits_in(block.text):
            yield credit, block.location, i


def _pattern(credit: str) -> re.Pattern[str]:
    flags = 0 if len(credit) <= 3 else re.IGNORECASE  # "AP" must not match "ap" in a word
    return re.compile(r"(?<!\w)" + re.escape(credit) + r"(?!\w)", flags)


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Fail when any photo credit names one of the agencies; report the first and the count."""
    patterns = [(credit, _pattern(credit)) for credit in options.credits]
    hits: list[tuple[str, str, Location, int | None]] = []
    for text, location, block in _credit_spans(ctx.article):
        for credit, pattern in patterns:
            if pattern.search(text):
                hits.append((credit, text, location, block))
                break
    if not hits:
        strays = _uncleared(ctx) if options.cleared_only else []
        if strays:
            count = len(strays)
            return Outcome(
                False,
                f"{count} photo{'s' * (count != 1)} not published with the original story",
                strays[0].src,
                strays[0].location,
            )
        return Outcome(True, "no photo is credited to " + ", ".join(options.credits))
    credit, text, location, _ = hits[0]
    agencies = sorted({h[0] for h in hits})
    count = len(hits)
    message = (
        f"{count} photo credit{'s' if count > 1 else ''} name{'' if count > 1 else 's'}"
        f" {', '.join(agencies)}, whose photos the licence does not cover"
    )
    return Outcome(
        False,
        message,
        excerpt(text, 120),
        location,
        frozenset(h[3] for h in hits if h[3] is not None),
    )
