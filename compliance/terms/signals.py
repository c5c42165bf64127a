"""Every loaded rule set's detection signals compiled once, and a page's text read once.

The boundary: detection (terms/detection.py) weighs signals; this module finds them. The
phrases, line patterns and address patterns of all the rule sets in use are compiled into
RE2 sets (one per kind of signal), so each of the page's texts is searched once for every
rule set's signals, not once per signal per block; the page's story blocks are normalised
once. What it finds is what the per-signal tests found: a phrase as a whole-word substring of
a normalised story block, a pattern matching a whole short line or address (glob_match), a
plain credit label naming the newsroom (names_credited), a weak phrase anywhere in a story
block's lower-cased text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from compliance.common.textmatch import credited_name, glob_to_regex, normalize, word_count
from compliance.model import Article
from compliance.read.placement import block_with_story
from compliance.terms.ruleset import RuleSet

SHORT_WORDS = 16  # a line this short can be a credit line or label
_EDGE = r"[^\pL\pN_]"  # a character that ends a word (Python's \w is Unicode; RE2's is not)


class _Set:
    """Patterns of many rule sets in one RE2 set; a match names (rule set, value) pairs."""

    def __init__(self, anchored: bool) -> None:
        import re2

        self._set = re2.Set.FullMatchSet() if anchored else re2.Set.SearchSet()
        self._owners: list[tuple[int, str]] = []

    def add(self, expression: str, owner: tuple[int, str]) -> None:
        self._set.Add(expression)
        self._owners.append(owner)

    def compile(self) -> None:
        self._set.Compile()

    def owners(self, text: str) -> list[tuple[int, str]]:
        """The (rule set, value) pairs whose pattern `text` matches, in the order added."""
        if not self._owners:
            return []
        found = self._set.Match(text)
        return [self._owners[i] for i in sorted(found)] if found else []


@dataclass
class SignalIndex:
    """The signals of `rulesets`, by kind, each kind one RE2 set."""

    rulesets: tuple[RuleSet, ...]
    phrases: _Set = field(init=False)
    lines: _Set = field(init=False)
    weak: _Set = field(init=False)
    addresses: dict[str, _Set] = field(init=False)  # image src, pixels, canonical, links

    def __post_init__(self) -> None:
        self.phrases, self.lines, self.weak = _Set(False), _Set(True), _Set(False)
        self.addresses = {kind: _Set(True) for kind in ("images", "pixels", "canonical", "links")}
        for n, ruleset in enumerate(self.rulesets):
            detect = ruleset.spec.detect
            for phrase in detect.text:
                needle = normalize(phrase)
                if needle:
                    self.phrases.add(f"(?:^|{_EDGE}){re.escape(needle)}(?:{_EDGE}|$)", (n, phrase))
            for pattern in detect.lines:
                self.lines.add(glob_to_regex(normalize(pattern)), (n, pattern))
            for phrase in detect.weak:
                self.weak.add(re.escape(phrase.lower()), (n, phrase))
            patterns = {
                "images": detect.images.src,
                "pixels": detect.pixels,
                "canonical": detect.canonical,
                "links": detect.links,
            }
            for kind, globs in patterns.items():
                for pattern in globs:
                    self.addresses[kind].add(glob_to_regex(normalize(pattern)), (n, pattern))
        for compiled in (self.phrases, self.lines, self.weak, *self.addresses.values()):
            compiled.compile()

    def read(self, article: Article) -> PageSignals:
        """What every rule set's signals find on `article`, read in one pass per kind."""
        found = PageSignals()
        story = [b.text for i, b in enumerate(article.blocks) if block_with_story(article, i)]
        normalized = [normalize(text) for text in story]
        found.phrases = set(self.phrases.owners("\n".join(normalized)))
        found.weak = set(self.weak.owners("\n".join(t.lower() for t in story)))
        for text, plain in zip(story, normalized, strict=True):
            if word_count(text) > SHORT_WORDS:
                continue
            found.short.append(text)
            for owner in self.lines.owners(plain):
                found.lines.setdefault(owner, text)
        for kind, values in (
            ("pixels", [t["src"] for t in article.metadata.get("trackers") or []]),
            ("canonical", [article.canonical] if article.canonical else []),
            ("links", [a.href for a in article.links]),
        ):
            first = found.addresses[kind] = {}
            for value in dict.fromkeys(values):  # a page repeats its menus' links
                for number, _pattern in self.addresses[kind].owners(normalize(value)):
                    first.setdefault(number, value)
        return found

    def image_src(self, src: str) -> set[tuple[int, str]]:
        return set(self.addresses["images"].owners(normalize(src)))


@dataclass
class PageSignals:
    """A page's signals, for every rule set of a SignalIndex."""

    phrases: set[tuple[int, str]] = field(default_factory=set)
    weak: set[tuple[int, str]] = field(default_factory=set)
    lines: dict[tuple[int, str], str] = field(default_factory=dict)  # first line matching
    short: list[str] = field(default_factory=list)  # the story's short lines, in order
    # By kind, the first address each rule set's patterns match.
    addresses: dict[str, dict[int, str]] = field(default_factory=dict)
    _credited: list[str | None] | None = None

    def first_address(self, kind: str, ruleset: int) -> str | None:
        """The first address of `kind` a pattern of rule set `ruleset` matches."""
        return self.addresses.get(kind, {}).get(ruleset)

    def credit_label(self, names: Sequence[str]) -> str | None:
        """The first short line that is a plain credit label naming one of `names`."""
        if self._credited is None:
            self._credited = [_credited(text) for text in self.short]
        wanted = {normalize(name) for name in names}
        wanted |= {name.removeprefix("the ") for name in wanted}
        for text, named in zip(self.short, self._credited, strict=True):
            if named is not None and named in wanted:
                return text
        return None


def _credited(line: str) -> str | None:
    named = credited_name(line)
    return normalize(named) if named is not None else None


_INDEXES: dict[tuple[int, ...], SignalIndex] = {}


def signal_index(rulesets: Sequence[RuleSet]) -> SignalIndex:
    """The compiled signals of `rulesets`, built once per process for the same rule sets."""
    key = tuple(id(r) for r in rulesets)
    found = _INDEXES.get(key)
    if found is None:
        if len(_INDEXES) >= 8:
            _INDEXES.pop(next(iter(_INDEXES)))
        found = _INDEXES[key] = SignalIndex(tuple(rulesets))
    return found
