"""Showing people what the tool read from a page (`inspect`)."""

from __future__ import annotations

from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from compliance.common.textmatch import excerpt
from compliance.model import Article
from compliance.read.regions import CHROME

_PARAGRAPHS_SHOWN = 12


def article_to_json(article: Article) -> dict[str, Any]:
    """What `inspect --format json` prints: CONTRACT.md's fields and a few more."""
    return {
        "input": article.source,
        "kind": article.kind,
        "title": article.title,
        "bylines": [b.name for b in article.bylines],
        "other_people": [
            {"name": b.name, "where": b.where, "location": b.location.to_json()}
            for b in article.other_people
        ],
        "byline_details": [
            {
                "name": b.name,
                "raw": b.raw,
                "source": b.origin,
                "person": b.is_person,
                "visible": b.visible,
                "where": b.where,
                "reason": b.reason,
                "location": b.location.to_json(),
            }
            for b in article.byline_candidates
        ],
        "images": [
            {"src": i.src, "alt": i.alt, "location": i.location.to_json()} for i in article.images
        ],
        "links": [{"href": link.href, "text": link.text} for link in article.links],
        "canonical": article.canonical,
        "site_name": article.site_name,
        "metadata": article.metadata,
        "notices": [article.blocks[i].text for i in article.notices],
        "paragraphs": list(article.paragraphs),
    }


def render_article(article: Article) -> Panel:
    """What `inspect` shows people: the facts read from a page, one per row."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()

    def row(label: str, value: str) -> None:
        # Page text is shown as written: "[sidebar; line 12]" is not Rich markup.
        facts.add_row(label, Text(value))

    row("kind", article.kind)
    row("title", article.title or "—")
    row("canonical", article.canonical or "—")
    row("site", article.site_name or "—")
    people = [
        f"{b.name}  [{b.origin}; {b.location.describe() or 'metadata'}]" for b in article.bylines
    ]
    row("bylines", "\n".join(people) or "— (no person credited)")
    others = [
        f"{b.name}  [{b.where}; {b.location.describe() or 'metadata'}]"
        for b in article.other_people
    ]
    if others:
        row(
            "other people",
            "\n".join(others[:10])
            + (f"\n… and {len(others) - 10} more" if len(others) > 10 else ""),
        )
    accounts = sorted(
        {
            f"{b.name} ({b.reason})"
            for b in article.byline_candidates
            if not b.is_person and b.where not in CHROME
        }
    )
    if accounts:
        row("not people", "\n".join(accounts[:10]))
    images = [
        f"{excerpt(i.alt, 60) or '(no alt)'}  {excerpt(i.src, 70)}  [{i.location.describe()}]"
        for i in article.images[:15]
    ]
    if len(article.images) > 15:
        images.append(f"… and {len(article.images) - 15} more")
    row("images", "\n".join(images) or "—")
    row("links", str(len(article.links)))
    notices = [
        f"{excerpt(article.blocks[i].text, 100)}  [{article.blocks[i].location.describe()}]"
        for i in article.notices
    ]
    row("notices", "\n".join(notices) or "—")
    shown = [excerpt(p, 110) for p in article.paragraphs[:_PARAGRAPHS_SHOWN]]
    if len(article.paragraphs) > _PARAGRAPHS_SHOWN:
        shown.append(f"… {len(article.paragraphs) - _PARAGRAPHS_SHOWN} more paragraphs")
    row("article", "\n".join(shown) or "—")
    return Panel(facts, title=Text(article.source, style="bold"), title_align="left")
