"""Pages a partner's site really serves, built from a rule set's own marks, for tests of the
copy decision: the partner's own local stories (the newswire's logo in a "news partners"
box, its notice in the site's footer, RELATED links and citations to its stories, a
newsletter plug, the partner's own "Republish this story" box) and stripped copies of a
newswire's story (every attribution removed).
"""

from __future__ import annotations

import html
import random

from compliance.terms.ruleset import RuleSet

_WORDS = (
    "council budget water river school board vote tax mayor plan county road bridge health"
    " clinic nurse farm drought price market energy grid solar wind court judge ruling appeal"
    " housing rent tenant wage worker union factory port rail station storm flood fire study"
    " survey voter district library park trail museum festival harvest permit zoning"
).split()
LOCAL_REPORTERS = ("Dana Whitfield", "Marcus Ortega", "Priya Raman", "Elena Novak")

# Where the newswire's marks stand on a local story's page: never in the story itself.
CHROME_SHAPES = (
    "sidebar-partners",  # <aside> "Our news partners" with the newswire's logo
    "main-partners",  # the same box in <main>, after the story, under a heading
    "footer-notice",  # the newswire's notice or credit line in the site's <footer>
    "colophon-notice",  # the same in WordPress's <div id="colophon">
    "related-link",  # "(RELATED: <a href=newswire story>…</a>)" in the text
    "citation",  # "according to reporting by NEWSWIRE" with a link
    "newsletter",  # a newsletter plug naming the newswire
    "republish-box",  # the partner's own republish dialog, licence badge and template
)


def local_text(rng: random.Random, paragraphs: int = 6) -> list[str]:
    """Paragraphs of a local story, distinct for each seed."""
    return [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(28, 45))).capitalize() + "."
        for _ in range(paragraphs)
    ]


def _check(ruleset: RuleSet, kind: str) -> object | None:
    return next((c for c in ruleset.checks if c.type == kind), None)  # type: ignore[attr-defined]


def logo_img(ruleset: RuleSet) -> str | None:
    """The newswire's logo as its rule set recognises it, or None when it asks for none."""
    check = _check(ruleset, "logo")
    if check is None:
        return None
    alt = check.alt[0] if check.alt else ""  # type: ignore[attr-defined]
    src = (check.src[0] if check.src else "*logo*").replace("*", "x")  # type: ignore[attr-defined]
    return f'<img src="/uploads/{html.escape(src.strip("/"))}.png" alt="{html.escape(alt)}">'


def notice_text(ruleset: RuleSet) -> str | None:
    """The newswire's notice or credit line, filled in, or a detection phrase."""
    for kind in ("notice", "credit_line"):
        check = _check(ruleset, kind)
        if check is not None and getattr(check, "text", None):
            return check.text[0].strip("* ").replace("*", ruleset.name)  # type: ignore[attr-defined]
    detect = ruleset.spec.detect
    return detect.text[0] if detect.text else None


def marks_of(ruleset: RuleSet) -> bool:
    """Whether the rule set has a logo, a notice or a credit line to misplace."""
    return any(_check(ruleset, k) is not None for k in ("logo", "notice", "credit_line"))


def newswire_url(ruleset: RuleSet, slug: str = "2026/01/05/a-story") -> str:
    domains = getattr(ruleset.spec, "domains", None) or ["newswire.example"]
    return f"https://{domains[0]}/{slug}/"


def local_story(ruleset: RuleSet, shapes: tuple[str, ...], seed: int = 0) -> str:
    """A partner's own local story by a local reporter, with the newswire's marks in the
    page's furniture as `shapes` say (CHROME_SHAPES)."""
    rng = random.Random(seed)
    paragraphs = local_text(rng)
    reporter = LOCAL_REPORTERS[seed % len(LOCAL_REPORTERS)]
    name = html.escape(ruleset.name)
    logo = logo_img(ruleset) or f'<img src="/partners/partner-{seed}.png" alt="{name}">'
    notice = html.escape(notice_text(ruleset) or ruleset.name)
    story_link = f'<a href="{newswire_url(ruleset)}">state budget stalls</a>'
    body = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if "related-link" in shapes:
        body.insert(2, f"<p>(RELATED: {story_link})</p>")
    if "citation" in shapes:
        body[3] = body[3].replace(
            "</p>", f" The figures match earlier reporting by {name} ({story_link}).</p>"
        )
    after: list[str] = []
    if "main-partners" in shapes:
        after.append(f'<div><h3>Our news partners</h3><a href="/partners">{logo}</a></div>')
    if "newsletter" in shapes:
        after.append(
            '<div class="newsletter"><p>Get the Valley Ledger in your inbox, with stories from'
            f" {name} and our other partners.</p><form><input name=email></form></div>"
        )
    if "republish-box" in shapes:
        after.append(
            '<button class="republish-button">Republish this story</button>'
            '<dialog id="republish-modal"><h2>Republish this story</h2>'
            '<img src="/wp-content/plugins/republication-tracker-tool/assets/img/cc-by-nd.png"'
            ' alt="Creative Commons License">'
            "<p>This article first appeared on The Valley Ledger and is republished here under a"
            " Creative Commons license.</p></dialog>"
        )
    sidebar = (
        f'<aside class="widget-area"><h3>Our news partners</h3>{logo}<p>{name}</p></aside>'
        if "sidebar-partners" in shapes
        else ""
    )
    footer = f"<p>{notice}</p>" if "footer-notice" in shapes else ""
    colophon = f'<div id="colophon"><p>{notice}</p></div>' if "colophon-notice" in shapes else ""
    title = f"Valley council weighs {rng.choice(_WORDS)} plan"
    return (
        f"<!DOCTYPE html><html><head><title>{title} | The Valley Ledger</title>"
        '<meta property="og:site_name" content="The Valley Ledger"></head><body>'
        '<header><a href="/">The Valley Ledger</a><nav><a href="/news">News</a></nav></header>'
        f"<main><article><h1>{title}</h1>"
        f'<p class="byline">By <a href="/author/x">{reporter}</a>, Valley Ledger staff</p>'
        + "".join(body)
        + "</article>"
        + "".join(after)
        + f"</main>{sidebar}<footer>{footer}<p>© 2026 The Valley Ledger</p></footer>"
        + colophon
        + "</body></html>"
    )


def stripped_copy(title: str, paragraphs: list[str], byline: str = "By Metro Desk") -> str:
    """A copy of a newswire's story with every attribution removed: no logo, no reporter,
    no affiliation, no notice; the partner's template around it."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)} | Metro Gazette</title></head>"
        '<body><header><nav><a href="/">Metro Gazette</a></nav></header>'
        f'<main><article><h1>{html.escape(title)}</h1><p class="byline">{byline}</p>{body}'
        "</article></main><footer>© Metro Gazette</footer></body></html>"
    )
