"""byline: the article credits its reporter by name, as a person.

What it checks: a visible byline ("By ...", byline markup, a name over the reporter's bio,
Markdown `author`). With a matched original it must name the original's reporter(s),
tolerating a short first name, a dropped middle initial and a small misspelling
(`min_score`); without one, any person counts. Organisations and site accounts ("Staff",
"Admin", "The Daily Caller") never count, and a name found only in metadata is reported as
such.

Why: the reporter's byline is a condition of most republishing licences.

Passes: `<p class="byline">By Philip Lenczycki</p>` on a copy of his story.

Fails: `<p class="byline">By The Daily Caller</p>`, or a byline naming someone else.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compliance.checks.base import CheckContext, CheckOptions, Outcome
from compliance.model import Byline
from compliance.names import name_score
from compliance.textmatch import excerpt, normalize, word_count


class Options(CheckOptions):
    """The article credits its reporter by name, as a person."""

    type: Literal["byline"]
    min_score: int = Field(
        default=85,
        ge=50,
        le=100,
        description="How closely a byline must match the reporter's name, 0-100.",
    )


def credited(ctx: CheckContext, min_score: float = 85) -> tuple[list[Byline], list[str]]:
    """The visible bylines that credit the right people, and the reporters nobody credits.

    Without a matched original every visible person's byline counts.
    """
    people = [b for b in ctx.article.bylines if b.visible]
    if not ctx.reporters:
        return people, []
    found: list[Byline] = []
    missing: list[str] = []
    for reporter in ctx.reporters:
        scored = [(name_score(reporter, b.name), b) for b in people]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= min_score:
            found.append(best[1])
        else:
            shown = _shown_name(ctx, reporter)
            if shown is not None:
                found.append(shown)
            else:
                missing.append(reporter)
    return found, missing


_SHORT_LINE = 12  # words: a credit line, not running text that happens to name the reporter


def _shown_name(ctx: CheckContext, reporter: str) -> Byline | None:
    """A short line that shows the reporter's name in markup no byline rule recognised.

    Knowing whose name to look for, a line such as "Philip Lenczycki | April 28" is a byline.
    """
    key = normalize(reporter)
    for index, block in enumerate(ctx.article.blocks):
        if word_count(block.text) <= _SHORT_LINE and key in normalize(block.text):
            return Byline(reporter, block.text, "text", block.location, True, index)
    return None


def _names(names: list[str]) -> str:
    return " and ".join(f"'{n}'" for n in names)


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass when the right people are credited; otherwise say what the byline shows instead."""
    article = ctx.article
    found, missing = credited(ctx, options.min_score)
    if found and not missing:
        first = found[0]
        who = "the original's reporter" if ctx.reporters else "a person"
        names = ", ".join(b.name for b in found)
        message = f"byline credits {who}: {names}"
        if not ctx.reporters:
            message += " (no original matched, so the reporter's name was not confirmed)"
        return Outcome(
            True,
            message,
            excerpt(first.raw, 120),
            first.location,
            frozenset(b.block for b in found if b.block is not None),
        )
    if found:
        first = found[0]
        return Outcome(
            False,
            f"byline credits {first.name} but not {_names(missing)}",
            excerpt(first.raw, 120),
            first.location,
        )

    wanted = f"the reporter {_names(missing)}" if missing else "the reporter"
    others = [b for b in article.bylines if b.visible]
    if others:
        return Outcome(
            False,
            f"byline names {_names([b.name for b in others])}, not {wanted}",
            excerpt(others[0].raw, 120),
            others[0].location,
        )
    accounts = [b for b in article.byline_candidates if not b.is_person]
    if accounts:
        # A "By ..." line is the byline proper; "From ..." lines and metadata come after it.
        account = min(accounts, key=lambda b: (not b.raw.lower().startswith("by"), not b.visible))
        return Outcome(
            False,
            f"byline credits '{account.name}', an organisation or site account, not {wanted}",
            excerpt(account.raw, 120),
            account.location,
        )
    hidden = [b for b in article.bylines if not b.visible]
    if hidden:
        return Outcome(
            False,
            f"{hidden[0].name} is named only in the page's {hidden[0].origin}"
            f" data, not in a visible byline",
            excerpt(hidden[0].raw, 120),
            hidden[0].location,
        )
    return Outcome(False, f"no byline crediting {wanted}")
