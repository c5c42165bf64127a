"""The interface-text test's word screen never changes its verdict."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.archive import interface_text

# Words of the patterns and of stories, so that generated lines hit the patterns often.
_VOCABULARY = sorted(
    {w.lower() for p in interface_text._PATTERNS for w in re.findall(r"[A-Za-zíú'’-]{2,}", p)}
    | set("the council said on tuesday that our site uses we may a your to for by of and".split())
    | {"Anna", "Brandt", "is", "was", "3", "12", "e-mail", "links", "newsletter."}
)


def test_every_pattern_needs_one_of_the_screened_words():
    for pattern in interface_text._PATTERNS:
        assert any(word in pattern.lower() for word in interface_text._NEEDED), pattern


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=25), st.booleans())
def test_the_word_screen_gives_the_expressions_verdict(words, capital):
    text = " ".join(words)
    text = text[:1].upper() + text[1:] if capital else text
    expected = bool(interface_text._INTERFACE.search(text))
    assert interface_text.is_interface_text(text) == expected


def test_a_consent_line_and_a_bio_are_interface_text_and_a_story_line_is_not():
    assert interface_text.is_interface_text("Manage your preferences before you go on.")
    assert interface_text.is_interface_text("Anna Brandt is a reporter covering the council.")
    assert not interface_text.is_interface_text("The council voted on Tuesday to fund the plan.")
