"""Matching copies to originals: every edit kind, exact joins, near-duplicates, quotes."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.archive.alignment import align
from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.joins import normalize_url
from conftest import build_matcher

STORY = [
    "China and Iran agreed to strengthen military ties during talks in Tehran on Wednesday, according to state media reports.",
    "The defense minister met with the president for high-level talks, where the parties pledged to deepen cooperation on security.",
    "The talks come months after the two nations struck a 25-year cooperation program that established a strategic partnership.",
    "Officials also held formal discussions with the visiting minister on Wednesday, according to the Associated Press report.",
    "Negotiations concerning the nuclear deal appear to have reached an impasse, a news outlet reported on Sunday afternoon.",
    "Analysts in Washington said the agreement could complicate efforts to isolate Tehran over its weapons programs this year.",
]
SIBLING = [
    *STORY[:2],
    "A separate delegation visited Moscow the same week to discuss energy exports and shipping routes across the Caspian Sea.",
    "Analysts said the visits signal a wider effort to build partnerships outside Western institutions and sanctions regimes.",
    "The ministry did not respond to a request for comment on the trip or its outcome by the time of publication on Friday.",
]
OTHER = [
    "The city council voted on Monday to extend library opening hours after a survey of residents found strong support.",
    "The extension will cost about two hundred thousand dollars a year and takes effect at the start of next month.",
    "Council members said the change would help students and shift workers who cannot visit during the day on weekdays.",
    "Residents can find the new opening hours on the council website and posted at every branch library from Monday.",
]
STORY_URL = "https://dailycallernewsfoundation.org/2022/04/28/story/"
ADDED = "Sign up for our morning briefing and never miss a story from our newsroom again this year."


def _record(ident, paragraphs, url=None, **extra):
    return {
        "id": ident,
        "title": ident,
        "body": "\n\n".join(paragraphs),
        "url": url,
        "source": "dcnf",
        **extra,
    }


ARCHIVE = [
    _record("story", STORY, STORY_URL, post_id="4242"),
    _record("sibling", SIBLING, "https://dailycallernewsfoundation.org/2022/04/29/sibling/"),
    _record("other", OTHER, "https://dailycallernewsfoundation.org/2022/05/01/library/"),
]


def _copy(paragraphs, head="", tail=""):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return extract(
        Page(
            "copy.html",
            "html",
            f"<html><head>{head}</head><body><article>{body}</article>{tail}</body></html>",
        )
    )


def test_verbatim_copy_matches_with_full_coverage(tmp_path):
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY))
    assert match.original.id == "story" and match.method == "text"
    assert match.coverage == 1.0 and match.similarity == 1.0
    assert match.alignment.summary()["verbatim"] == len(STORY)


def test_near_duplicate_originals_resolve_to_the_right_one(tmp_path):
    matcher = build_matcher(tmp_path, ARCHIVE)
    assert matcher.match(_copy(SIBLING)).original.id == "sibling"
    assert matcher.match(_copy(STORY[1:])).original.id == "story"


def test_trimmed_copy_reports_the_dropped_paragraphs(tmp_path):
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY[:3]))
    assert match.original.id == "story"
    assert 0.4 < match.coverage < 0.6
    assert match.alignment.dropped == (3, 4, 5)


def test_dropped_middle_paragraph_and_added_paragraph(tmp_path):
    copy = [*STORY[:2], ADDED, *STORY[3:]]
    alignment = build_matcher(tmp_path, ARCHIVE).match(_copy(copy)).alignment
    assert alignment.dropped == (2,)
    assert alignment.added == (2,)
    assert not alignment.moved


def test_moved_paragraph_is_reported_as_moved(tmp_path):
    copy = [STORY[3], *STORY[:3], *STORY[4:]]
    alignment = build_matcher(tmp_path, ARCHIVE).match(_copy(copy)).alignment
    assert [p.original for p in alignment.moved] == [(3,)]
    assert alignment.coverage == 1.0


def test_changed_words_carry_their_spans(tmp_path):
    copy = list(STORY)
    copy[1] = copy[1].replace("deepen", "broaden")
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(copy))
    (changed,) = match.alignment.changed
    assert changed.original == (1,)
    spans = match.alignment.to_json()["changes"][0]["spans"]
    assert spans == [{"op": "replace", "original": "deepen", "copy": "broaden"}]
    assert 0.95 < match.similarity < 1.0


def test_merged_and_split_paragraphs_count_as_carried():
    merged = [STORY[0], STORY[1] + " " + STORY[2], *STORY[3:]]
    alignment = align(STORY, merged)
    assert alignment.coverage == 1.0 and not alignment.changed
    assert [p.kind for p in alignment.pairs].count("merged") == 1
    halves = STORY[1].split(", ")
    split = [STORY[0], halves[0] + ",", halves[1], *STORY[2:]]
    alignment = align(STORY, split)
    assert alignment.coverage == 1.0
    assert [p.kind for p in alignment.pairs].count("split") == 1


def test_newswire_boilerplate_is_not_a_change():
    original = [*STORY[:2], "(RELATED: China Says Something Else About The Talks)", *STORY[2:]]
    captioned = [*STORY, "A soldier stands guard in Tehran. (Photo by Jane Roe/Getty Images)"]
    alignment = align(original, captioned)
    assert alignment.coverage == 1.0
    assert not alignment.dropped and not alignment.added


def test_a_shared_quote_is_not_a_copy(tmp_path):
    page = _copy(
        [
            "In other news, " + STORY[0] + " the minister told the Daily Caller News Foundation.",
            *OTHER[1:],
        ]
    )
    match = build_matcher(tmp_path, ARCHIVE[:2]).match(page)
    assert match is None


def test_roundup_names_both_originals(tmp_path):
    page = _copy([*STORY[:3], *OTHER[:3]])
    match = build_matcher(tmp_path, ARCHIVE).match(page)
    assert {match.original.id, *(a.id for a in match.alternatives)} == {"story", "other"}


def test_unrelated_page_matches_nothing(tmp_path):
    page = _copy(
        ["Nothing to see here at all, just a page about gardening and tomatoes in spring."]
    )
    assert build_matcher(tmp_path, ARCHIVE).match(page) is None


def test_canonical_link_joins_directly(tmp_path):
    head = f'<link rel="canonical" href="{STORY_URL.replace("https://", "http://www.")}">'
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY[:2], head))
    assert match.method == "canonical" and match.original.id == "story"
    assert not match.contradictions


def test_is_based_on_joins_directly(tmp_path):
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        f' "isBasedOn": {{"@type": "NewsArticle", "url": "{STORY_URL}"}}}}</script>'
    )
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY[:2], head))
    assert match.method == "isBasedOn" and match.original.id == "story"


def test_tracking_pixel_post_id_joins_directly(tmp_path):
    pixel = (
        '<img id="republication-tracker-tool-source" style="width:1px;height:1px"'
        ' src="https://dailycallernewsfoundation.org/?republication-pixel=true&post=4242">'
    )
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY[:2], tail=pixel))
    assert match.method == "pixel" and match.original.id == "story"


def test_originally_published_link_joins_directly(tmp_path):
    line = f'<p>This story was originally published at <a href="{STORY_URL}">DCNF</a>.</p>'
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY[:2], tail=line))
    assert match.method == "credit link" and match.original.id == "story"


def test_canonical_pointing_at_the_republisher_is_a_contradiction(tmp_path):
    head = '<link rel="canonical" href="https://republisher.example/news/china-iran">'
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY, head))
    assert match.original.id == "story" and match.method == "text"
    assert any("republisher.example" in note for note in match.contradictions)


def test_a_join_the_text_denies_gives_way_to_the_text(tmp_path):
    head = '<link rel="canonical" href="https://dailycallernewsfoundation.org/2022/05/01/library/">'
    match = build_matcher(tmp_path, ARCHIVE).match(_copy(STORY, head))
    assert match.original.id == "story"
    assert any("shares almost none of its text" in note for note in match.contradictions)


def test_normalize_url():
    assert normalize_url("https://www.Example.org/a/b/?x=1") == normalize_url(
        "http://example.org/a/b"
    )


@settings(max_examples=50, deadline=None)
@given(st.randoms(use_true_random=False))
def test_alignment_ignores_paragraph_order_and_added_paragraphs(rnd: random.Random):
    shuffled = STORY[:]
    rnd.shuffle(shuffled)
    shuffled.insert(rnd.randrange(len(shuffled) + 1), ADDED)
    result = align(STORY, shuffled)
    assert result.coverage == 1.0
    assert result.similarity == 1.0
    assert len(result.added) == 1


def test_og_url_and_syndication_source_join_directly(tmp_path):
    matcher = build_matcher(tmp_path, ARCHIVE)
    og = matcher.match(_copy(STORY[:2], f'<meta property="og:url" content="{STORY_URL}">'))
    assert og.method in ("canonical", "og:url") and og.original.id == "story"
    source = matcher.match(
        _copy(STORY[:2], f'<meta name="syndication-source" content="{STORY_URL}">')
    )
    assert source.method == "syndication-source" and source.original.id == "story"


def test_three_paragraphs_of_a_very_long_story_are_found(tmp_path):
    """Containment of about 0.05: three paragraphs of a sixty-paragraph original."""
    rng = random.Random(5)
    words = [f"w{n}" for n in range(3000)]
    long_story = [" ".join(rng.choice(words) for _ in range(45)) + "." for _ in range(60)]
    archive = [*ARCHIVE, _record("long", long_story, "https://wire.example.org/long/")]
    page = _copy([OTHER[0][:60] + " is what the council said.", *long_story[20:23]])
    match = build_matcher(tmp_path, archive).match(page)
    assert match.original.id == "long"
    assert 0.04 < match.coverage < 0.06


def test_a_named_original_without_its_text_is_kept_with_a_note(tmp_path):
    head = f'<link rel="canonical" href="{STORY_URL}">'
    page = _copy(["A short summary of a story we did not republish, with a link to it."], head)
    match = build_matcher(tmp_path, ARCHIVE).match(page)
    assert match.original.id == "story" and match.method == "canonical"
    assert any("shares almost none of its text" in note for note in match.contradictions)


def _unread(article):
    """The article with readers that fail when called: what must not be read is not."""

    def refused():
        raise AssertionError("read, though nothing needed it")

    return replace(article, read_paragraphs=refused, read_bylines=refused)


def test_a_page_sharing_no_passage_is_unmatched_without_reading_its_article(tmp_path):
    page = _unread(_copy([*OTHER[:1], "A page about gardening, tomatoes and the spring frost."]))
    assert build_matcher(tmp_path, ARCHIVE[:2]).match(page) is None


def test_a_copy_whose_story_the_page_hides_still_reaches_the_extractor(tmp_path):
    # The story's text is in no visible block, but an extractor may read it: the screen
    # counts every word of the body, hidden or not.
    body = "".join(f"<p>{p}</p>" for p in STORY)
    note = "<p>Our own short note on the weather, nothing more to read on this page.</p>"
    markup = f"<html><body><div hidden><article>{body}</article></div>{note}</body></html>"
    page = extract(Page("copy.html", "html", markup))
    assert not any(STORY[0] in b.text for b in page.blocks)
    assert build_matcher(tmp_path, ARCHIVE)._may_carry(page)


_MATCHERS: dict = {}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(STORY + SIBLING + OTHER), min_size=1, max_size=6, unique=True))
def test_what_the_screen_stops_no_reading_would_match(tmp_path_factory, paragraphs):
    if "matcher" not in _MATCHERS:  # the story and its sibling: OTHER's pages share nothing
        _MATCHERS["matcher"] = build_matcher(tmp_path_factory.mktemp("screen"), ARCHIVE[:2])
    matcher = _MATCHERS["matcher"]
    page = _copy(paragraphs, tail="<aside><p>Related: the week in pictures.</p></aside>")
    if matcher._may_carry(page):
        return
    assert matcher.match(_unread(page)) is None  # the article is never read
    # and reading it, every reading of it, would have matched nothing either
    matcher._may_carry = lambda _article: True
    try:
        assert matcher.match(page) is None
    finally:
        del matcher._may_carry
