"""A reproducible synthetic newswire archive and republished copies, for the matching benchmark.

Originals read like wire copy as far as matching is concerned: a Zipf-distributed vocabulary
of 30,000 words, capitalised sentences, names, and stock phrases that many stories share
("declined to comment", "according to a statement from the"), so common 5-grams exist.
Copies make every edit republishers make: trims, dropped and moved paragraphs, word edits,
edited headlines, three-paragraph excerpts, two-source roundups, inserted ads, a "related
stories" box carrying other originals' headlines, site chrome; and pages that are not copies,
including ones that quote a single paragraph of an original.

Everything derives from one seed, and every copy draws on the first 1,000 originals, so the
same copy set serves every archive size: a larger archive only adds distractors.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

VOCABULARY = 30_000
COPY_SOURCES = 1_000  # copies are made from originals 0..999 only

STOCK_PHRASES = [
    "declined to comment on the matter",
    "according to a statement from the",
    "did not immediately respond to a request for comment",
    "said in a statement on",
    "the latest in a series of",
    "told reporters at a news conference",
    "according to people familiar with the",
    "is expected to vote on the measure",
    "officials said the investigation is ongoing",
    "the department said in a news release",
    "has not been charged with a crime",
    "according to court documents filed",
    "the agency said it would review",
    "in an interview with the newspaper",
    "a spokesperson for the company said",
    "did not return messages seeking comment",
    "according to the most recent data",
    "the proposal drew criticism from",
    "lawmakers are expected to return",
    "the report was first published by",
    "could not be reached for comment",
    "a final decision is expected next",
    "the two sides have been negotiating",
    "a person with direct knowledge of the",
    "according to an analysis of public records",
    "the measure passed by a vote of",
    "residents said they were concerned about",
    "the governor signed the bill into law",
]


def _words(rng: random.Random) -> list[str]:
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    seen: set[str] = set()
    words = []
    while len(words) < VOCABULARY:
        length = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(length))
        if rng.random() < 0.3:
            word += rng.choice(consonants)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Writer:
    """Writes news-like sentences, paragraphs and articles from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.vocabulary = np.array(_words(self.rng), dtype=object)
        weights = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.05
        self.cdf = np.cumsum(weights / weights.sum())
        self.names = [w.capitalize() for w in self.vocabulary[2000:6000]]
        self._buffer: list[str] = []
        self._next = 0

    def _draw(self, count: int) -> list[str]:
        # Words are drawn a million at a time: one numpy call instead of one per sentence.
        if self._next + count > len(self._buffer):
            ranks = np.searchsorted(self.cdf, self.np_rng.random(1_000_000))
            self._buffer = list(self.vocabulary[np.minimum(ranks, VOCABULARY - 1)])
            self._next = 0
        self._next += count
        return self._buffer[self._next - count : self._next]

    def sentence(self) -> str:
        words = self._draw(self.rng.randint(8, 24))
        if self.rng.random() < 0.3:
            at = self.rng.randrange(len(words))
            words[at : at + 1] = [self.rng.choice(self.names), self.rng.choice(self.names)]
        if self.rng.random() < 0.12:
            at = self.rng.randrange(len(words))
            words[at:at] = self.rng.choice(STOCK_PHRASES).split()
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(".....?")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def title(self) -> str:
        return " ".join(w.capitalize() for w in self._draw(self.rng.randint(6, 10)))

    def article(self, ident: str) -> dict:
        return {
            "id": ident,
            "url": f"https://wire.example.org/{ident}/",
            "title": self.title(),
            "authors": [f"{self.rng.choice(self.names)} {self.rng.choice(self.names)}"],
            "published": "2026-11-01",
            "source": "dcnf",
            "body": "\n\n".join(self.paragraph() for _ in range(self.rng.randint(12, 18))),
        }


def write_originals(path: Path, count: int, seed: int = 7) -> None:
    """Write `count` originals as JSON Lines; the first ones are the same for every count."""
    writer = Writer(seed)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps(writer.article(f"orig-{number:06d}")) + "\n")


@dataclass
class Copy:
    """A page to check, and the originals it truly republishes (empty when none)."""

    name: str
    kind: str
    paragraphs: list[str]
    title: str
    sources: set[str] = field(default_factory=set)
    related: list[str] = field(default_factory=list)

    def html(self, byline: str) -> str:
        """The copy as a republisher's page: chrome, ads, a related-stories box."""
        body = list(self.paragraphs)
        for ad in (
            "Advertisement - story continues below",
            "Subscribe to our newsletter for more.",
        ):
            body.insert(min(len(body), 2 + len(body) // 3), ad)
        paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
        related = "".join(
            f'<li><a href="/r/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(self.related)
        )
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.title)} | Republisher</title>"
            "<script>window.dataLayer=[];</script></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sports'>Sports</a></nav>"
            f"<main><article><h1>{html.escape(self.title)}</h1>"
            f"<p class='byline'>By {html.escape(byline)}</p>\n{paragraphs}\n</article>"
            f"<aside><h2>Related stories</h2><ul>{related}</ul></aside></main>"
            "<footer><p>Copyright 2026 Republisher Media. All rights reserved.</p></footer>"
            "</body></html>"
        )


def _edit_words(rng: random.Random, writer: Writer, paragraph: str) -> str:
    words = paragraph.split()
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words[at] = writer._draw(1)[0]
        elif action < 0.7:
            words.insert(at, writer._draw(1)[0])
        elif len(words) > 10:
            del words[at]
    return " ".join(words)


def make_copies(originals: list[dict], count: int, seed: int = 11) -> list[Copy]:
    """`count` copies of the given originals (the first COPY_SOURCES), with known sources."""
    rng = random.Random(seed)
    writer = Writer(seed + 1)
    pool = originals[:COPY_SOURCES]
    titles = [o["title"] for o in originals]
    copies = []
    for number in range(count):
        roll = rng.random()
        source = rng.choice(pool)
        body = source["body"].split("\n\n")
        name = f"copy-{number:05d}"
        if roll < 0.12:  # not a copy at all
            fresh = writer.article("unrelated")
            copy = Copy(name, "unrelated", fresh["body"].split("\n\n"), fresh["title"])
        elif roll < 0.15:  # not a copy: quotes one paragraph of an original
            fresh = writer.article("quoting")["body"].split("\n\n")
            fresh.insert(rng.randrange(len(fresh)), rng.choice(body))
            copy = Copy(name, "quote", fresh, writer.title())
        elif roll < 0.195:  # a roundup: three paragraphs each of two originals
            other = rng.choice([o for o in pool[:50] if o is not source])
            parts = body[:3] + other["body"].split("\n\n")[:3]
            copy = Copy(name, "roundup", parts, writer.title(), {source["id"], other["id"]})
        elif roll < 0.295:  # an excerpt: the first three paragraphs
            copy = Copy(name, "excerpt", body[:3], source["title"], {source["id"]})
        else:
            kept = body[: max(3, round(len(body) * rng.uniform(0.3, 1.0)))]
            if rng.random() < 0.5:  # drop some paragraphs, keeping at least three
                thinned = [p for p in kept if rng.random() > 0.2]
                kept = thinned if len(thinned) >= 3 else kept[:3]
            if rng.random() < 0.3 and len(kept) > 2:  # move one
                kept.insert(rng.randrange(len(kept)), kept.pop(rng.randrange(len(kept))))
            kept = [_edit_words(rng, writer, p) if rng.random() < 0.3 else p for p in kept]
            title = source["title"] if rng.random() > 0.3 else writer.title()
            copy = Copy(name, "edited", kept, title, {source["id"]})
        copy.related = rng.sample(titles[: min(len(titles), 5000)], 4)
        copies.append(copy)
    return copies
