"""Rewritten paragraphs: a copy that recasts the reporter's sentences (synonyms, clause order,
a quote turned into indirect speech) is reported as rewriting them, not as dropping the
story and adding another; text from another story is never taken for a rewrite."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.archive.alignment import align
from compliance.engine import evaluate
from compliance.model import Match, Original, Page, Severity
from compliance.read.extract import extract
from compliance.terms.loading import load_rulesets
from conftest import SEED

SYNONYMS = {
    "agreed": "consented",
    "strengthen": "bolster",
    "talks": "discussions",
    "met": "sat down with",
    "pledged": "promised",
    "deepen": "expand",
    "further": "advance",
    "reported": "said",
    "months": "weeks",
    "struck": "signed",
    "established": "set up",
    "detailed": "laid out",
    "held": "conducted",
    "formal": "official",
    "created": "caused",
    "important": "significant",
    "common": "shared",
    "between": "among",
    "also": "additionally",
    "according": "as stated",
    "nations": "countries",
    "intention": "plan",
    "develop": "build",
    "support": "back",
    "ties": "relations",
    "during": "in the course of",
    "emerges": "appears",
    "reached": "hit",
    "agreed to": "accepted",
    "limit": "restrict",
}
_QUOTE = re.compile(r"^“([^”]+?),?” (.+?) (told|said)(.*?)\.(.*)$")


def reword(paragraph: str, rng: random.Random) -> str:
    """The paragraph recast: synonyms for most words that have one, the first sentence's
    clauses swapped, a direct quote turned into indirect speech."""
    quoted = _QUOTE.match(paragraph)
    if quoted:
        words, speaker, verb, rest, after = quoted.groups()
        paragraph = f"{speaker} {verb}{rest} that {words[0].lower()}{words[1:]}.{after}"
    head, dot, tail = paragraph.partition(". ")
    if ", " in head:
        first, _, second = head.partition(", ")
        head = f"{second[0].upper()}{second[1:]}, {first[0].lower()}{first[1:]}"
    paragraph = head + dot + tail
    out = []
    for word in paragraph.split(" "):
        bare = word.strip(".,;:“”’")
        if bare in SYNONYMS and rng.random() < 0.9:
            word = word.replace(bare, SYNONYMS[bare])
        out.append(word)
    return " ".join(out)


def _story() -> tuple[str, list[str]]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = next(i for i, line in enumerate(lines) if line.startswith("China and Iran agreed"))
    notice = next(line for line in lines if line.startswith("All content created"))
    body = [p for p in lines[start:] if p != notice and "REUTERS" not in p and len(p) > 120]
    return lines[1], body[:10]


TITLE, BODY = _story()
OTHER_STORY = [
    "The county commission voted four to one on Tuesday to approve a budget that raises"
    " spending on road repairs and the library while holding the property tax rate flat.",
    "Residents who spoke at the hearing asked about the cost of the new jail, the"
    " library's reduced weekend hours and the drainage problems on Elm Street.",
    "The chair, who cast the only vote against the measure, said the county could not"
    " afford the jail without a bond issue that voters would have to approve in May.",
    "Officials said the plan would take effect at the start of the next fiscal year in"
    " July, and that a second hearing on the jail would be scheduled for the spring.",
    "The library board will meet next week to decide which branches keep Sunday hours,"
    " and the roads department expects to publish its repair schedule by March.",
]


@settings(max_examples=40, deadline=None)
@given(
    st.sets(st.integers(0, len(BODY) - 1), min_size=1, max_size=len(BODY) // 2),
    st.integers(0, 2**16),
)
def test_reworded_paragraphs_are_rewritten_not_dropped_and_added(chosen, seed):
    rng = random.Random(seed)
    copy = [reword(p, rng) if i in chosen else p for i, p in enumerate(BODY)]
    alignment = align(BODY, copy)
    summary = alignment.summary()
    assert summary["dropped"] == 0 and summary["added"] == 0, summary
    assert summary["rewritten"] + summary["changed"] == len(chosen), summary
    assert alignment.coverage >= 0.99
    assert alignment.similarity < 1.0


def test_half_rewritten_is_reported_as_such():
    rng = random.Random(7)
    chosen = set(range(0, len(BODY), 2))
    copy = [reword(p, rng) if i in chosen else p for i, p in enumerate(BODY)]
    alignment = align(BODY, copy)
    summary = alignment.summary()
    assert summary["rewritten"] >= len(chosen) - 1, summary
    assert alignment.coverage >= 0.99 and alignment.similarity < 0.9
    assert len(alignment.to_json()["rewritten_pairs"]) == summary["rewritten"]


@settings(max_examples=25, deadline=None)
@given(st.sets(st.integers(0, len(BODY) - 1), min_size=1, max_size=len(OTHER_STORY)))
def test_another_storys_paragraphs_are_not_a_rewrite(replaced):
    others = iter(OTHER_STORY)
    copy = [next(others) if i in replaced else p for i, p in enumerate(BODY)]
    summary = align(BODY, copy).summary()
    assert summary["rewritten"] == 0, summary
    assert summary["dropped"] == len(replaced) and summary["added"] == len(replaced)


def test_no_derivatives_terms_fail_a_rewrite_and_integrity_can_be_told_to():
    rng = random.Random(3)
    copy = [reword(p, rng) if i % 2 else p for i, p in enumerate(BODY)]
    page = "".join(f"<p>{p}</p>" for p in ["By Philip Lenczycki", *copy])
    article = extract(Page("copy.html", "html", f"<html><body>{page}</body></html>"))
    alignment = align(BODY, article.paragraphs)
    original = Original("o", TITLE, tuple(BODY), authors=("Philip Lenczycki",), source="dcnf")
    match = Match(original, alignment.similarity, alignment.coverage, "test", alignment)
    rules = {r.id: r for r in load_rulesets()}
    nd = next(f for f in evaluate(article, rules["propublica"], match).findings
              if f.check == "style_edits")  # fmt: skip
    assert not nd.passed and "paragraphs rewritten" in nd.message
    dcnf = rules["dcnf"]
    integrity = next(c for c in dcnf.spec.checks if c.type == "integrity")
    strict = integrity.replace(allow_rewrites=False, severity=Severity.ERROR)
    checks = [strict if c is integrity else c for c in dcnf.spec.checks]
    from compliance.terms.ruleset import RuleSet

    ruleset = RuleSet(dcnf.spec.replace(checks=checks), dcnf.path)
    found = next(f for f in evaluate(article, ruleset, match).findings if f.check == "integrity")
    assert not found.passed
    assert re.search(rf"\d+ of {len(BODY)} paragraphs rewritten", found.message), found.message
    assert found.details["rewritten_pairs"]
    lenient = next(f for f in evaluate(article, dcnf, match).findings if f.check == "integrity")
    assert lenient.passed and "rewritten" in lenient.message
