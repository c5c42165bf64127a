"""Matching copies to originals: exact joins, near-duplicates, quotes that are not copies."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.extract import extract
from compliance.match import OriginalsIndex, align, normalize_url
from compliance.model import Original, Page

STORY = [
    "China and Iran agreed to strengthen military ties during talks in Tehran on Wednesday, according to state media reports.",
    "The defense minister met with the president for high-level talks, where the parties pledged to deepen cooperation on security.",
    "The talks come months after the two nations struck a 25-year cooperation program that established a strategic partnership.",
    "Officials also held formal discussions with the visiting minister on Wednesday, according to the Associated Press report.",
    "Negotiations concerning the nuclear deal appear to have reached an impasse, a news outlet reported on Sunday afternoon.",
]
SIBLING = [
    *STORY[:2],
    "A separate delegation visited Moscow the same week to discuss energy exports and shipping routes across the Caspian Sea.",
    "Analysts said the visits signal a wider effort to build partnerships outside Western institutions and sanctions regimes.",
    "The ministry did not respond to a request for comment on the trip or its outcome by the time of publication on Friday.",
]


def _original(ident, paragraphs, url=None):
    return Original(id=ident, title=ident, body=tuple(paragraphs), url=url, source="dcnf")


def _copy(paragraphs, extra_head=""):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return extract(
        Page(
            "copy.html",
            "html",
            f"<html><head>{extra_head}</head><body><article>{body}</article></body></html>",
        )
    )


def test_verbatim_copy_matches_with_full_coverage():
    index = OriginalsIndex([_original("story", STORY), _original("sibling", SIBLING)])
    match = index.match(_copy(STORY))
    assert match.original.id == "story"
    assert match.coverage == 1.0 and match.similarity == 1.0


def test_near_duplicate_originals_resolve_to_the_right_one():
    index = OriginalsIndex([_original("story", STORY), _original("sibling", SIBLING)])
    assert index.match(_copy(SIBLING)).original.id == "sibling"
    assert index.match(_copy(STORY[1:])).original.id == "story"


def test_trimmed_copy_has_lower_coverage():
    index = OriginalsIndex([_original("story", STORY)])
    match = index.match(_copy(STORY[:3]))
    assert match.original.id == "story"
    assert 0.5 < match.coverage < 0.7


def test_a_shared_quote_is_not_a_copy():
    index = OriginalsIndex([_original("story", STORY)])
    page = _copy(
        [
            "In other news, " + STORY[0],
            "A local council voted to extend library hours after a survey of residents found strong support for the change.",
            "The budget for the extension was approved unanimously and will take effect at the start of next month.",
            "Residents can find the new opening hours on the council website and at every branch from Monday.",
        ]
    )
    assert index.match(page) is None


def test_canonical_link_joins_directly():
    url = "https://dailycallernewsfoundation.org/2022/04/28/story/"
    index = OriginalsIndex([_original("story", STORY, url)])
    copy = _copy(
        STORY[:1], f'<link rel="canonical" href="{url.replace("https://", "http://www.")}">'
    )
    match = index.match(copy)
    assert match.method == "canonical" and match.original.id == "story"


def test_unrelated_page_matches_nothing():
    index = OriginalsIndex([_original("story", STORY)])
    assert (
        index.match(
            _copy(
                ["Nothing to see here at all, just a page about gardening and tomatoes in spring."]
            )
        )
        is None
    )


def test_normalize_url():
    assert normalize_url("https://www.Example.org/a/b/?x=1") == normalize_url(
        "http://example.org/a/b"
    )


@settings(max_examples=50, deadline=None)
@given(st.randoms(use_true_random=False))
def test_alignment_ignores_paragraph_order_and_added_paragraphs(rnd: random.Random):
    shuffled = STORY[:]
    rnd.shuffle(shuffled)
    shuffled.insert(
        rnd.randrange(len(shuffled) + 1),
        "An added paragraph from the republisher about its own newsletter and events.",
    )
    result = align(STORY, shuffled)
    assert result.coverage == 1.0
    assert result.similarity == 1.0
