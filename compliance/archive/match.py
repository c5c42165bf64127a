"""Finding the original a copy was made from, and how closely the copy follows it.

First the exact joins: an original the page names (canonical link, `og:url`, isBasedOn,
tracking pixel, "originally published at" link). Then the text: the copy's winnowed 5-gram
fingerprints are looked up in the archive index, and the few originals sharing enough of them
are aligned paragraph by paragraph. Alignment gives the verdict, so a page that shares one
quote with an original is not a copy of it, and of two originals on the same story, the one
that explains more of the copy wins; the others are reported as alternatives (a roundup
republishes several).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import overload

from compliance.archive.alignment import (
    BOILERPLATE,
    Alignment,
    Prepared,
    align_prepared,
    align_sentences,
    prepare,
)
from compliance.archive.corrections import carried_version
from compliance.archive.declared import Declared
from compliance.archive.fingerprints import fingerprints
from compliance.archive.folding import normalize_bytes
from compliance.archive.index import FEWEST_HITS, ArchiveIndex
from compliance.model import Alternative, Article, Match, Original
from compliance.read.extract import block_reading
from compliance.read.joins import Named, host_of, named_originals, normalize_url

# An exact join whose text shares less than this with the page is checked against the text.
JOIN_MIN_COVERAGE = 0.05
# Below this coverage by paragraphs (or when the paragraphs are not evidence enough) the texts
# are aligned by sentences too; that reading is kept when it is evidence and the paragraphs'
# is not, or when it carries this many times more of the original.
SENTENCE_RETRY = 0.6
SENTENCE_GAIN = 1.25


@dataclass(frozen=True)
class _Aligned:
    original: Original
    alignment: Alignment

    @property
    def rank(self) -> tuple[int, float, float]:
        """The original that explains most of the copy first; then the most of it carried."""
        a = self.alignment
        return (a.explained_chars, a.coverage, a.similarity)


PREPARED_CACHE = 2048  # originals kept normalised: popular stories are copied many times


class Matcher:
    """Matches copies against one archive index."""

    def __init__(
        self,
        index: ArchiveIndex,
        boilerplate: Sequence[str] = BOILERPLATE,
        declared: Declared | None = None,
    ) -> None:
        self.index = index
        self.boilerplate = tuple(boilerplate)
        self.declared = declared or Declared()  # the terms its archives were declared with
        self._prepared: dict[int, Prepared] = {}

    def _original(self, number: int) -> Prepared:
        found = self._prepared.get(number)
        if found is None:
            if len(self._prepared) >= PREPARED_CACHE:
                self._prepared.pop(next(iter(self._prepared)))
            found = self._prepared[number] = prepare(
                self.index.original(number).body, self.boilerplate, self.index.common_paragraphs
            )
        return found

    def _align(self, number: int, copy: Prepared, furniture: Sequence[str]) -> _Aligned:
        """The copy aligned with original `number` by paragraphs; when that carries little
        of it, by sentences too, and the alignment that carries more is kept."""
        original = self.index.original(number)
        prepared = self._original(number)
        lines = (original.title, *furniture)
        alignment = align_prepared(prepared, copy, lines)
        weak = alignment.coverage < SENTENCE_RETRY or not alignment.accepted
        if weak and prepared.kept and copy.kept:
            by_sentence = align_sentences(prepared, copy, self.boilerplate, lines)
            if by_sentence.accepted and not alignment.accepted:
                alignment = by_sentence  # the sentences carry what the paragraphs could not
            elif by_sentence.carried_chars > SENTENCE_GAIN * alignment.carried_chars and (
                by_sentence.accepted or not alignment.accepted
            ):
                alignment = by_sentence
        return _Aligned(original, alignment)

    def by_text(self, paragraphs: Sequence[str], furniture: Sequence[str] = ()) -> list[_Aligned]:
        """Originals the paragraphs republish, best first (empty when none).

        `furniture`: the copy's headline, byline and credit lines, which are not its text.
        """
        return self._by_text(
            prepare(paragraphs, self.boilerplate, self.index.common_paragraphs), furniture
        )

    def sharing(self, paragraphs: Sequence[str]) -> list[tuple[Original, int]]:
        """Originals whose passages the text holds (with how many fingerprints shared), most
        first, without aligning: enough to tell that a feed's excerpt is worth fetching,
        never a verdict (a copy is judged on its page, aligned)."""
        copy = prepare(paragraphs, self.boilerplate, self.index.common_paragraphs)
        text = " ".join(t for _, t in copy.kept).encode("utf-8")
        return [
            (self.index.original(number), hits)
            for number, hits in self.index.candidates(fingerprints(text))
        ]

    def _by_text(self, copy: Prepared, furniture: Sequence[str]) -> list[_Aligned]:
        text = " ".join(t for _, t in copy.kept).encode("utf-8")
        found = [
            self._align(number, copy, furniture)
            for number, _hits in self.index.candidates(fingerprints(text))
        ]
        return sorted(
            (f for f in found if f.alignment.accepted), key=lambda f: f.rank, reverse=True
        )

    def _named(self, article: Article, listed: Named | None) -> tuple[Named, int] | None:
        for named in ([listed] if listed else []) + named_originals(article):
            number = self.index.find(named.kind, named.value)
            if number is not None:
                return named, number
        return None

    def manifest_notes(self, known: str | None, article: Article | None = None) -> list[str]:
        """What is wrong with the original a manifest names, if anything: no original has
        it, or (given the unmatched `article`) the page does not carry its text."""
        listed = known_original(known) if known else None
        if listed is None:
            return []
        number = self.index.find(listed.kind, listed.value)
        if number is None:
            return [f"the manifest names {known} as the original; no original has it"]
        if article is not None:
            return [_not_carried(self.index.original(number))]
        return []

    def match(
        self, article: Article, known: str | None = None, site: frozenset[int] = frozenset()
    ) -> Match | None:
        """The original `article` copies, or None when it copies none of them.

        `known`: the id or URL of the original a syndication platform's manifest names for
        this copy; it is tried first, like an original the page itself names. `site`: keys
        (alignment.paragraph_key) of the paragraphs the page's site repeats on its pages (an
        audit finds them): like the archive's common paragraphs, never evidence.

        The article extractor's reading is tried first; unless it carries the whole original
        word for word, the page's own visible blocks are read too (a story in a layout
        table, a template the extractor misreads, a line per element), and the reading that
        carries more of the original, then more faithfully, wins. A copy is never unmatched
        because of its layout.
        """
        if not known and self._named(article, None) is None and not self._may_carry(article):
            return None
        furniture = _Furniture(article)
        common = self.index.common_paragraphs | site if site else self.index.common_paragraphs
        found = self._match_reading(article, article.paragraphs, furniture, known, common)
        if found is not None and found.coverage >= 1.0 and found.similarity >= 1.0:
            return found
        visible = block_reading(article.blocks, article.title)
        if visible == article.paragraphs:
            return found
        fallback = self._match_reading(article, visible, furniture, known, common)
        if fallback is None or (found is not None and _rank(found) >= _rank(fallback)):
            return found
        return _within_span(fallback)

    def _may_carry(self, article: Article) -> bool:
        """Whether any reading of the page could carry an original: some original shares
        enough fingerprints with every word of its body (Article.all_text), the most any
        reading holds. A reading's fingerprints are its body's, but for the few 5-grams that
        span the words a reading leaves out; no original the whole body shares fewer than
        FEWEST_HITS with is ever a candidate. Most pages carry no original, and this spares
        them the article extractor, the slowest part of reading a page."""
        whole = fingerprints(normalize_bytes(article.all_text))
        return self.index.most_shared(whole) >= FEWEST_HITS

    def _match_reading(
        self,
        article: Article,
        paragraphs: Sequence[str],
        furniture: list[str],
        known: str | None,
        common: frozenset[int],
    ) -> Match | None:
        copy = prepare(paragraphs, self.boilerplate, common)
        notes = self.manifest_notes(known)
        listed = known_original(known) if known else None
        named = self._named(article, listed)
        chosen: _Aligned | None = None
        joined: _Aligned | None = None
        method = "text"
        from_manifest = named is not None and named[0].signal == "manifest"
        if named is not None:
            joined = self._align(named[1], copy, furniture)
            carried = (
                joined.alignment.accepted
                if from_manifest
                else joined.alignment.coverage >= JOIN_MIN_COVERAGE
            )
            if carried or not joined.alignment.copy:
                chosen, method = joined, named[0].signal
            elif from_manifest:
                # A platform's manifest names a candidate; the text decides.
                notes.append(_not_carried(joined.original))
            else:
                notes.append(
                    f"the page names {joined.original.url or joined.original.id} as its original"
                    f" ({named[0].signal}), but shares almost none of its text"
                )
        ranked = [] if chosen else self._by_text(copy, furniture)
        if chosen is None:
            if ranked:
                chosen = ranked[0]
            elif joined is not None and named is not None and not from_manifest:
                # No text says otherwise: the page's own word stands, with the note.
                chosen, method = joined, named[0].signal
            else:
                return None
        notes.extend(_contradictions(article, chosen.original, method))
        return Match(
            chosen.original,
            chosen.alignment.similarity,
            chosen.alignment.coverage,
            method,
            alignment=chosen.alignment,
            alternatives=tuple(
                Alternative(
                    a.original.id, a.original.url, a.alignment.similarity, a.alignment.coverage
                )
                for a in ranked[1:]
            ),
            contradictions=tuple(notes),
            version=carried_version(chosen.original, chosen.alignment.copy),
            latest_version=len(chosen.original.versions) + 1,
        )


def _not_carried(original: Original) -> str:
    return f"the manifest names {original.url or original.id}, but the page does not carry its text"


def _rank(match: Match) -> tuple[float, float]:
    return match.coverage, match.similarity


def _within_span(match: Match) -> Match:
    """A match made on the page's own blocks, with what the copy "added" limited to the
    blocks between its first and last carried paragraph: the rest is the site's menus,
    mastheads and footers, not text the republisher added to the story."""
    alignment = match.alignment
    if alignment is None or not alignment.pairs:
        return match
    first = min(n for p in alignment.pairs for n in p.copy)
    last = max(n for p in alignment.pairs for n in p.copy)
    added = tuple(n for n in alignment.added if first <= n <= last)
    return replace(match, alignment=replace(alignment, added=added))


def known_original(known: str) -> Named:
    """An original named by id, URL or "post:HOST#ID" (a pixel's count) outside the page:
    an audit manifest, an access log."""
    if known.startswith("post:"):
        return Named("manifest", "post", known.removeprefix("post:"), known)
    if known.strip().lower().startswith(("http://", "https://", "//")):
        return Named("manifest", "url", normalize_url(known), known)
    return Named("manifest", "id", known.strip(), known)


class _Furniture(Sequence[str]):
    """The page's headline, visible byline lines and notice lines: not the article's text.
    Read when an alignment first needs them: most pages share no passage with any original,
    and reading a page's bylines costs more than looking its passages up."""

    def __init__(self, article: Article) -> None:
        self._article = article
        self._lines: list[str] | None = None

    def _read(self) -> list[str]:
        if self._lines is None:
            article = self._article
            blocks = {b.block for b in article.byline_candidates if b.block is not None}
            blocks.update(article.notices)
            lines = [article.blocks[i].text for i in sorted(blocks)]
            self._lines = [article.title, *lines] if article.title else lines
        return self._lines

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> Sequence[str]: ...
    def __getitem__(self, at: int | slice) -> str | Sequence[str]:
        return self._read()[at]

    def __len__(self) -> int:
        return len(self._read())

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())


def _contradictions(article: Article, original: Original, method: str) -> list[str]:
    """What the page's own links say against the match: a canonical pointing elsewhere."""
    canonical = article.canonical
    if not canonical or not original.url or method == "canonical":
        return []
    if normalize_url(canonical) == normalize_url(original.url):
        return []
    if not canonical.lower().startswith(("http://", "https://", "//")):
        return []
    if host_of(canonical) == host_of(original.url):
        return [f"the canonical link points at another article of the newswire: {canonical}"]
    return [
        f"the canonical link points at {host_of(canonical)} ({canonical}),"
        f" not at the original {original.url}"
    ]
