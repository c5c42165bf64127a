"""What a match must rest on: the story's text, never the boilerplate a site or a newswire
repeats around its stories, and never a couple of short lines; excerpts still match."""

from __future__ import annotations

import json

import pytest

from compliance.archive.alignment import MIN_EVIDENCE
from compliance.archive.index_cache import open_index
from compliance.archive.match import Matcher
from compliance.model import Page

CTA = (
    "Leave your questions and opinions in the comments below, and thank you for sharing our"
    " stories with your friends and family on social media."
)
PLUG = (
    "Get our free e-book on the five steps to teaching your children to read at home, a"
    " complete guide to starting them on reading, delivered to your inbox this week."
)
EVENT = (
    "Palace Tale shows Tuesday to Saturday at 4 PM at the Jeongdong Theater, closed on"
    " Sundays and Mondays; tickets at the box office or online."
)


_WORDS = (
    "council budget river bridge school teacher library harbour ferry bus fire station park"
    " trail hospital clinic nurse farmer market tax bond vote mayor sheriff court judge jury"
    " storm flood drought wildfire highway rail port airport museum theater festival choir"
    " stadium coach league tenant landlord rent housing shelter water sewer power grid"
).split()


def _story(topic: str, n: int = 8) -> list[str]:
    """A story of `n` paragraphs of its own words: no two stories share a sentence."""
    import random

    rng = random.Random(topic)
    return [
        f"On {topic}, paragraph {i}: "
        + " ".join(rng.choice(_WORDS) for _ in range(30))
        + f" ({topic} {i})."
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    archive = folder / "site.jsonl"
    with archive.open("w", encoding="utf-8") as out:
        for topic in ("roads", "libraries", "parks", "schools"):
            body = [*_story(topic), CTA, PLUG, EVENT]
            out.write(json.dumps({"id": topic, "title": f"On {topic}", "body": "\n\n".join(body)}))
            out.write("\n")
    opened = open_index([archive], folder / "index")
    return Matcher(opened.index)


def _page(paragraphs: list[str]) -> Page:
    from compliance.read.extract import extract

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return extract(
        Page("copy.html", "html", f"<html><body><article>{body}</article></body></html>")
    )


def test_paragraphs_the_archive_shares_are_boilerplate(matcher):
    assert len(matcher.index.common_paragraphs) == 3  # the plug, the call to comment, the event


def test_a_sibling_page_sharing_only_boilerplate_is_not_a_copy(matcher):
    sibling = [*_story("harbour"), CTA, PLUG, EVENT]
    assert matcher.match(_page(sibling)) is None


def test_two_short_shared_lines_are_not_a_copy(matcher):
    lines = _story("roads")[:2]
    assert sum(len(p) for p in lines) < MIN_EVIDENCE["two paragraphs"]
    assert matcher.match(_page([*lines, *_story("weather", 6)])) is None


def test_a_three_paragraph_excerpt_is_matched(matcher):
    excerpt = _story("parks")[2:5]
    match = matcher.match(_page([*excerpt, "Read the rest of the story on the newsroom's site."]))
    assert match is not None and match.original.id == "parks"
    assert match.alignment.summary()["verbatim"] == 3


def test_a_copy_with_the_boilerplate_is_matched_on_its_story(matcher):
    match = matcher.match(_page([*_story("schools"), CTA, PLUG, EVENT]))
    assert match is not None and match.original.id == "schools"
    assert match.coverage == 1.0  # the boilerplate is in neither text
