"""Where on a page an element stands: the article, or the site's chrome around it.

Bylines, credits and bios count only when they belong to the article; the same markup in a
menu, a sidebar, a list of related stories, the comments or the site's footer names other
people. Regions are read from what the markup says of itself (tags, ARIA roles, class and id
words) and inherited downwards, so a page is classified in one pass.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from compliance.model import CHROME_REGIONS

ARTICLE = "article"
PAGE = "page"  # not marked either way
# Regions whose bylines and credits never belong to the article.
CHROME = CHROME_REGIONS

_ROLE_REGIONS = {
    "navigation": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "complementary": "sidebar",
    "contentinfo": "footer",
    "banner": "header",
    "main": ARTICLE,
    "article": ARTICLE,
    "comment": "comments",
}
_TAG_REGIONS = {
    "nav": "navigation",
    "dialog": "promo",  # a modal's template (a republish box), not the page's story
    "aside": "sidebar",
    "form": "form",
    "footer": "footer",
    "header": "header",
    "article": ARTICLE,
    "main": ARTICLE,
}
# Class and id words, compared whole after splitting on '-', '_' and case changes.
_WORD_REGIONS = {
    **dict.fromkeys(
        "nav navbar navigation menu menus submenu breadcrumb breadcrumbs topnav".split(),
        "navigation",
    ),
    # Not "widget" nor "rail": page builders (Elementor) wrap the story itself in widgets, and
    # layouts name the story's column after the rail beside it ("pg-side-of-rail").
    **dict.fromkeys("sidebar sidebars".split(), "sidebar"),
    **dict.fromkeys(
        """related recommended recommendations recirc trending popular mostread teaser teasers
        promo promos outbrain taboola upnext morestories readmore""".split(),
        "related",
    ),
    **dict.fromkeys("comment comments disqus replies respond discussion".split(), "comments"),
    # Not "modal" or "paywall": sites render or lock the article itself in those.
    **dict.fromkeys("newsletter subscribe signup".split(), "promo"),
    # A newsroom's own "Republish this story" box (its licence badge, the code to paste) and
    # a box of partner logos are the site's, never marks of a copy.
    **dict.fromkeys("republish republication partners sponsors".split(), "promo"),
    **dict.fromkeys("footer colophon".split(), "footer"),
    **dict.fromkeys("masthead".split(), "header"),
}
# Words that make a container the article itself, or one of its parts ("post-footer" is the
# article's own footer, where blogs put "Posted by").
_ARTICLE_WORDS = frozenset(
    """article articlebody entry hentry post story storybody content maincontent
    single blogpost""".split()
)
# Chrome words that only count on a container with no article word beside them: layouts
# name the column the story sits in "l-sidebar-fixed l-article-body-segment", and a story's
# own body may be "entry-content entry-content-read-more" (a toggle) or its dek a "teaser".
_WEAK_WORDS = frozenset(
    {
        "footer", "header", "masthead", "menu", "sidebar", "sidebars", "readmore",
        "teaser", "teasers", "promo", "promos", "upnext",
    }
)  # fmt: skip
_SPLIT = re.compile(r"[-_\s:.]+|(?<=[a-z])(?=[A-Z])")
# "more-stories", "read-more", "up-next", "most-read": two words that name one region.
_JOINED = re.compile(
    r"more-?stories|read-?more|up-?next|most-?(?:read|popular|viewed)|main-?content|"
    r"article-?body|story-?body|blog-?post",
    re.IGNORECASE,
)


class _Marks(NamedTuple):
    """What an element says of itself, all its region is read from: hashable, so that a
    region is worked out once per kind of element a site uses."""

    tag: str
    role: str  # lower-cased
    article_body: bool  # itemprop="articleBody"
    words: frozenset[str]  # the words of its class and id a region is told by
    story_body: bool  # a class or id such as article-body, entry-content (_STORY_BODY)


def _marks_of(el: Any, tag: str) -> _Marks:
    get = el.get
    words, story_body = _class_words(get("class") or "")
    ident = get("id")
    if ident:  # ids are mostly unique: remembered with classes, they would evict them
        more, body = _read_words(ident)
        words, story_body = words | more, story_body or body
    return _Marks(
        tag,
        (get("role") or "").strip().lower(),
        (get("itemprop") or "").lower() == "articlebody",
        words,
        story_body,
    )


def _read_words(marks: str) -> tuple[frozenset[str], bool]:
    """The words of a class or id that tell a region (split on '-', '_' and case changes,
    and the joined pairs of _JOINED), and whether it names the story's body."""
    if not marks.strip():
        return frozenset(), False
    words = {w.casefold() for w in _SPLIT.split(marks) if w}
    words |= {m.group().replace("-", "").casefold() for m in _JOINED.finditer(marks)}
    return frozenset(words & _TELLING_WORDS), bool(_STORY_BODY.search(marks))


# A site repeats the same few classes on every page.
_class_words = lru_cache(maxsize=16_384)(_read_words)


def own_region(el: _Marks) -> str | None:
    """The region an element declares by itself, or None when it says nothing."""
    if el.role in _ROLE_REGIONS:
        return _ROLE_REGIONS[el.role]
    if el.article_body:
        return ARTICLE
    words = el.words
    chrome = {_WORD_REGIONS[w] for w in words if w in _WORD_REGIONS}
    article_part = bool(words & _ARTICLE_WORDS)
    strong = {_WORD_REGIONS[w] for w in words if w in _WORD_REGIONS and w not in _WEAK_WORDS}
    for region in ("comments", "related", "navigation", "promo"):
        if region in strong:
            return region
    if chrome and not article_part:
        return sorted(chrome)[0]
    if el.tag in _TAG_REGIONS:
        return _TAG_REGIONS[el.tag]
    return ARTICLE if article_part and el.tag in ("div", "section", "article", "main") else None


def child_region(parent_region: str, el: Any, headline_path: frozenset[Any]) -> str:
    """The region of `el` inside a parent of `parent_region`.

    Chrome is inherited (an `<article>` teaser inside a sidebar is still the sidebar). What
    holds the story's headline (`headline_path`: its ancestors) is never chrome, whatever its
    layout classes say ("two-col-sidebar-right"). Inside the article, its own `<header>`,
    `<footer>` and `<aside>` hold its byline and author box, so they stay the article.
    """
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("html", "body"):
        return parent_region  # their classes describe the page's state, not a region
    return _region_within(parent_region, el in headline_path, _marks_of(el, tag))


@lru_cache(maxsize=16_384)
def _region_within(parent_region: str, holds_headline: bool, el: _Marks) -> str:
    if parent_region in _LAYOUT_CHROME and (el.article_body or el.story_body):
        return ARTICLE  # a layout word above it was wrong: this is the story's body
    declared = own_region(el)
    if declared is None or parent_region in CHROME:
        return parent_region
    if holds_headline:
        return ARTICLE if declared == ARTICLE else parent_region
    if parent_region == ARTICLE and (_is_article_part(el, declared) or _weakly_chrome(el)):
        return ARTICLE
    return declared


# Chrome that a page's layout classes may wrongly declare around the story; comments,
# related stories and navigation are never taken back.
_LAYOUT_CHROME = frozenset({"sidebar", "header", "footer", "promo"})
_STORY_BODY = re.compile(
    r"article[-_]?body|story[-_]?body|entry[-_]?content|post[-_]?(?:content|body)|"
    r"body[-_]?text|article[-_]?content|article[-_]?text",
    re.IGNORECASE,
)


def _weakly_chrome(el: _Marks) -> bool:
    """Declared chrome only by weak class words ("read-more": a collapsible rest of the
    story), not by its tag, its role or a strong word: inside the article, it is the article."""
    if el.role in _ROLE_REGIONS or el.tag in _TAG_REGIONS:
        return False
    chrome = {w for w in el.words if w in _WORD_REGIONS}
    return bool(chrome) and chrome <= _WEAK_WORDS


def _is_article_part(el: _Marks, declared: str) -> bool:
    if declared in ("header", "footer", ARTICLE):
        return True
    return declared == "sidebar" and el.tag == "aside" and not el.words & _CHROME_WORDS


_CHROME_WORDS = frozenset(_WORD_REGIONS)
_TELLING_WORDS = _CHROME_WORDS | _ARTICLE_WORDS


def headline_path(headline: Any | None) -> frozenset[Any]:
    """The headline element and its ancestors: never chrome."""
    return frozenset((headline, *headline.iterancestors())) if headline is not None else frozenset()


def region_of(
    el: Any, path: frozenset[Any] = frozenset(), known: dict[Any, str] | None = None
) -> str:
    """The region of one element, from its ancestors down (for elements met one at a time).
    `known`: regions already found on this page, by element (kept across calls)."""
    known = {} if known is None else known
    chain = []
    node = el
    while node is not None and node not in known:
        chain.append(node)
        node = node.getparent()
    region = known[node] if node is not None else PAGE
    for node in reversed(chain):
        if isinstance(node.tag, str):
            region = child_region(region, node, path)
        known[node] = region
    return region
