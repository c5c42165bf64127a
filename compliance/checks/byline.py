"""byline: the article credits its reporter by name, as a person.

What it checks: the article's own visible byline ("By ...", byline markup, a name over the
reporter's bio, Markdown `author`), never a name in the site's menus, sidebars, related
stories or comments, nor the reporter's bio or author box after the story (that counts for
the affiliation only). With a matched original it must name the original's reporter(s),
tolerating a short first name, a dropped middle initial and a small misspelling
(`min_score`), and says where else the page names them if it does; without one, the
article's byline must credit a person. Organisations and site accounts ("Staff", "Admin",
"The Daily Caller") never count, and a name found only in metadata is reported as such.

Why: the reporter's byline is a condition of most republishing licences.

Passes: `<p class="byline">By Philip Lenczycki</p>` on a copy of his story.

Fails: `<p class="byline">By The Daily Caller</p>`, or a byline naming someone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.common.textmatch import excerpt, normalize, word_count
from compliance.model import Article, Byline
from compliance.read.bylines import reads_as_bio
from compliance.read.names import ACCOUNT_REASONS, LOOSE_TEXT, name_score
from compliance.read.regions import CHROME

if TYPE_CHECKING:
    from compliance.terms.check_options import BylineOptions as Options


def credited(ctx: CheckContext, min_score: float = 85) -> tuple[list[Byline], list[str]]:
    """The article's visible bylines that credit the right people, and the reporters nobody
    credits. Without a matched original the article's own person bylines count; people named
    only in the page's menus, sidebars or comments never do.
    """
    people = [b for b in ctx.article.bylines if b.visible and not after_story_bio(ctx.article, b)]
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


def after_story_bio(article: Article, byline: Byline) -> bool:
    """Whether a byline candidate is the reporter's bio or author box after the story (its
    line, or the line under a bare name, reads as a bio): the byline the terms ask for heads
    the story; the bio counts for the affiliation only."""
    return byline.block is not None and _bio_after_story(article, byline.block)


def _bio_after_story(article: Article, index: int) -> bool:
    """Whether block `index` stands after the story's last paragraph and it, or the line
    under it, reads as a bio."""
    story = article.story_paragraphs
    if story is None or index <= story[1]:
        return False
    return any(reads_as_bio(b.text) for b in article.blocks[index : index + 2])


def _shown_name(ctx: CheckContext, reporter: str) -> Byline | None:
    """A short line of the article that shows the reporter's name in markup no byline rule
    recognised. Knowing whose name to look for, "Philip Lenczycki | April 28" is a byline;
    the same name in a sidebar's teaser, or in the reporter's bio after the story, is not.
    """
    key = normalize(reporter)
    for index, block in enumerate(ctx.article.blocks):
        if block.region in CHROME or _bio_after_story(ctx.article, index):
            continue
        if word_count(block.text) <= _SHORT_LINE and key in normalize(block.text):
            return Byline(reporter, block.text, "text", block.location, True, index)
    return None


def _names(names: list[str]) -> str:
    return " and ".join(f"'{n}'" for n in names)


def _named_elsewhere(article: Article, missing: list[str]) -> str:
    """Where the page names the missing reporters outside the article's byline, if it does."""
    places = []
    for reporter in missing:
        other = next((b for b in article.other_people if name_score(reporter, b.name) >= 85), None)
        if other is not None:
            where = other.where if other.where != "elsewhere" else "another part of the page"
            line = f", {other.location.in_words()}" if other.location.in_words() else ""
            places.append(f"{other.name} is named only in the {where}{line}")
    return f" ({'; '.join(places)})" if places else ""


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
    elsewhere = _named_elsewhere(article, missing)
    if found:
        first = found[0]
        return Outcome(
            False,
            f"byline credits {first.name} but not {_names(missing)}{elsewhere}",
            excerpt(first.raw, 120),
            first.location,
        )

    wanted = f"the reporter {_names(missing)}" if missing else "the reporter"
    others = [b for b in article.bylines if b.visible]
    if others:
        return Outcome(
            False,
            f"byline names {_names([b.name for b in others])}, not {wanted}{elsewhere}",
            excerpt(others[0].raw, 120),
            others[0].location,
        )
    # What the article's byline credits instead of a person ("By Ledger Staff"); never the
    # masthead or a menu item, which are no byline at all.
    accounts = [
        b
        for b in article.byline_candidates
        if not b.is_person and b.where not in CHROME and b.reason != LOOSE_TEXT
    ]
    if accounts:
        # A "By ..." line is the byline proper; "From ..." lines and metadata come after it.
        account = min(
            accounts,
            key=lambda b: (
                b.reason not in ACCOUNT_REASONS,
                not b.raw.lower().startswith("by"),
                not b.visible,
            ),
        )
        what = (
            "an organisation or site account"
            if account.reason in ACCOUNT_REASONS
            else f"not a person's name ({account.reason})"
        )
        return Outcome(
            False,
            f"byline credits '{account.name}', {what}, not {wanted}{elsewhere}",
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
    return Outcome(False, f"no byline crediting {wanted}{elsewhere}")
