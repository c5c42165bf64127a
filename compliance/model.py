"""Data shared by every layer: what was read, what it matched, and what the checks found.

Everything here is a frozen dataclass so that a result can be handed to any reporter, cached
or compared without anyone mutating it along the way.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, overload


class Severity(StrEnum):
    """How much a failed requirement matters; ordered from least to most."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Status(StrEnum):
    """The verdict on one input, as written in the JSON report."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNMATCHED = "unmatched"
    ERROR = "error"


@dataclass(frozen=True)
class Location:
    """Where something is in an input: a 1-based line and, for markup, a CSS selector."""

    line: int | None = None
    selector: str | None = None

    def describe(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.selector:
            parts.append(self.selector)
        return ", ".join(parts)

    def in_words(self) -> str:
        """Where it is, as a letter to an editor says it: "line 26, the eleventh paragraph
        of the sidebar" for `aside > p:nth-of-type(11)`; never a CSS selector."""
        parts = [f"line {self.line}"] if self.line is not None else []
        if self.selector:
            place = selector_in_words(self.selector)
            if place:
                parts.append(place)
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "selector": self.selector}


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")  # fmt: skip
_ELEMENT_WORDS = {
    "p": "paragraph", "li": "list item", "img": "image", "figure": "figure",
    "figcaption": "caption", "blockquote": "quotation", "table": "table", "td": "table cell",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "a": "link", "span": "passage", "div": "block", "section": "section",
}  # fmt: skip
_REGION_WORDS = {"aside": "sidebar", "footer": "footer", "header": "header", "nav": "menu"}


def _ordinal(n: int) -> str:
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def selector_in_words(selector: str) -> str:
    """A CSS selector as words ("the fifth paragraph of the footer"); "" when it names
    nothing a reader would recognise."""
    steps = [step.strip() for step in selector.split(">") if step.strip()]
    if not steps:
        return ""

    def tag(step: str) -> str:
        return re.split(r"[.#:\[]", step, maxsplit=1)[0].lower()

    last = steps[-1]
    noun = _ELEMENT_WORDS.get(tag(last)) or _REGION_WORDS.get(tag(last))
    named = re.search(r"\.([a-z]+(?:[-_][a-z]+)*)(?![\w-])", last)  # a class in words
    if noun in ("block", "passage", "section"):
        noun = re.sub(r"[-_]", " ", named.group(1)) if named else None
    if noun is None:
        return ""
    position = re.search(r":nth-of-type\((\d+)\)", last)
    words = f"the {_ordinal(int(position.group(1)))} {noun}" if position else f"the {noun}"
    region = next((_REGION_WORDS[tag(s)] for s in reversed(steps[:-1]) if tag(s) in _REGION_WORDS),
                  None)  # fmt: skip
    return f"{words} in the {region}" if region and region != noun else words


@dataclass(frozen=True)
class Page:
    """An input as loaded: decoded text plus where it came from and what kind of document it is."""

    source: str  # the path, URL or "-" exactly as the user gave it
    kind: str  # "html", "markdown" or "text"
    text: str
    encoding: str = "utf-8"
    url: str | None = None  # the final URL for fetched pages


@dataclass(frozen=True)
class TextBlock:
    """One visible run of text: a paragraph, heading, list item, or a line of a text file."""

    text: str
    location: Location
    tag: str = "p"
    region: str = "page"  # regions.py: the article, the site's chrome around it, or unmarked
    gap: bool = False  # a blank line (`<br><br>`, an empty element) stands before it


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    location: Location
    title: str = ""
    region: str = "page"  # regions.py: a logo in the sidebar or footer is the site's
    block: int | None = None  # the index of the text block it stands in or before
    sources: tuple[str, ...] = ()  # every address it may be drawn from: src, srcset, picture
    hidden_by: str = ""  # what hides it from readers (read/images.py); "" when shown
    kind: str = "img"  # img, background (CSS background-image) or svg (inline)
    width: int = 0  # as the page declares it (attribute or inline style); 0: not declared
    height: int = 0
    inline: str = ""  # an inline SVG's markup (at most MAX_INLINE_SVG characters)


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    location: Location


@dataclass(frozen=True)
class Byline:
    """A name credited as an author, and whether readers can see it on the page.

    `is_person` is false for organisations and site accounts ("Staff", "The Daily Caller"):
    they are kept so a check can say the byline names an account rather than a reporter.
    """

    name: str
    raw: str
    origin: str  # "element", "text", "meta", "json-ld", "front-matter"
    location: Location
    is_person: bool = True
    block: int | None = None  # index into Article.blocks when the byline is visible text
    # "article" for the article's own byline; else the page region it was found in
    # (regions.py: navigation, sidebar, related, comments, ...), "elsewhere" or "metadata".
    where: str = "article"
    reason: str | None = None  # why a name is not taken for a person

    @property
    def visible(self) -> bool:
        """Shown to readers: a block of the page, or a Markdown author field the site renders."""
        return self.block is not None or self.origin == "front-matter"


# Where a page's story stands (Article.story_span); the region names are regions.py's.
CHROME_REGIONS = frozenset(
    {"navigation", "sidebar", "related", "comments", "header", "footer", "form", "promo"}
)
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
STORY_WORDS = 20  # a paragraph of the story, not a caption, a credit or a teaser
HEAD_BLOCKS = 3  # blocks before the headline that are still the story's head (a logo, a kicker)
TAIL_BLOCKS = 3  # blocks after the last paragraph that still close it (a notice, a credit)


@dataclass(frozen=True)
class Article:
    """What was read from a page, before any rule is applied."""

    source: str
    kind: str
    title: str | None
    # Reads the page's byline candidates, ranked. Deferred: only matching and the checks of a
    # page some terms govern need them, and most pages a check or an audit reads are not.
    read_bylines: Callable[[], tuple[Byline, ...]] = field(repr=False, compare=False)
    images: tuple[Image, ...]
    links: tuple[Link, ...]
    canonical: str | None
    metadata: dict[str, Any]
    blocks: tuple[TextBlock, ...]
    # Reads the article's own paragraphs. Deferred: only matching and `inspect` need them,
    # and the article extractor is the slowest part of reading a page.
    read_paragraphs: Callable[[], tuple[str, ...]] = field(repr=False, compare=False)
    site_name: str | None = None
    notices: tuple[int, ...] = ()  # indices of blocks that read as republication notices
    hidden_images: tuple[Image, ...] = ()  # on the page but hidden from readers by CSS
    # Reads every word of the page's body, hidden or not, scripts and styles aside: all any
    # reading of its article can hold. None: the blocks hold every word (text, no markup).
    read_all_text: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def all_text(self) -> str:
        """Every word any reading of the page's article can hold (`read_all_text`)."""
        if self.read_all_text is None:
            return " ".join(b.text for b in self.blocks)
        return self.read_all_text()

    @cached_property
    def byline_candidates(self) -> tuple[Byline, ...]:
        """Every line or element that may be the article's byline, best first."""
        return self.read_bylines()

    @cached_property
    def paragraphs(self) -> tuple[str, ...]:
        """The article's own text, paragraph by paragraph, without the page's chrome."""
        return self.read_paragraphs()

    @cached_property
    def story_paragraphs(self) -> tuple[int, int] | None:
        """The first and last blocks that read as the story's paragraphs (STORY_WORDS or
        more, outside the site's chrome; in a page that marks an article region, inside it)."""
        blocks = self.blocks
        marked = any(b.region == "article" for b in blocks)
        story = [
            i
            for i, b in enumerate(blocks)
            if b.region not in CHROME_REGIONS
            and (b.region == "article" or not marked)
            and b.tag not in HEADING_TAGS
            and len(b.text.split()) >= STORY_WORDS
        ]
        return (story[0], story[-1]) if story else None

    @cached_property
    def story_span(self) -> tuple[int, int] | None:
        """The blocks from the story's head to its end, or None when the page has no story
        text (`story_paragraphs`).

        The head is the headline (or the story's first paragraph) and HEAD_BLOCKS before it;
        the end is its last paragraph and up to TAIL_BLOCKS after it, stopping at the first
        heading or chrome there (a "Related" or "Our partners" box, the site's footer).
        """
        blocks = self.blocks
        if self.story_paragraphs is None:
            return None
        first, last = self.story_paragraphs
        title = " ".join(self.title.split()).casefold() if self.title else None
        headline = next(
            (
                i
                for i, b in enumerate(blocks[: first + 1])
                if b.tag == "h1" or (title and " ".join(b.text.split()).casefold() == title)
            ),
            first,
        )
        end = last
        for i in range(last + 1, min(len(blocks), last + 1 + TAIL_BLOCKS)):
            if blocks[i].tag in HEADING_TAGS or blocks[i].region in CHROME_REGIONS:
                break
            end = i
        return max(0, min(headline, first) - HEAD_BLOCKS), end

    @property
    def bylines(self) -> tuple[Byline, ...]:
        """The article's own bylines, best first: people, never organisations or site
        accounts, and never people named only in the page's menus, sidebars or comments."""
        return tuple(b for b in self.byline_candidates if b.is_person and b.where == "article")

    @property
    def other_people(self) -> tuple[Byline, ...]:
        """People the page names outside the article's byline, with where they were found."""
        return tuple(b for b in self.byline_candidates if b.is_person and b.where != "article")


@dataclass(frozen=True)
class BodyVersion:
    """One body of an original as its archive saw it: an earlier one, or the current."""

    body: tuple[str, ...]  # paragraphs
    seen: str | None = None  # when the archive first saw this body (UTC, ISO)
    modified: str | None = None  # the source's modification date for it

    @property
    def when(self) -> str | None:
        """When this body was current from: its source's date, else when it was seen."""
        return self.modified or self.seen


@dataclass(frozen=True)
class Original:
    """One of the newswire's own articles, from its archive."""

    id: str
    title: str
    body: tuple[str, ...]  # paragraphs
    url: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    source: str | None = None  # the id of the rule set that governs it
    origin: str = ""  # the file (and line) it was read from
    extra: dict[str, Any] = field(default_factory=dict)
    # The archive file it was read from, resolved: the terms an archive was declared with
    # (`--originals ID=PATH`, `archive sync --terms`) govern the originals it holds.
    file: str = ""
    versions: tuple[BodyVersion, ...] = ()  # earlier bodies, oldest first; `body` is the latest

    def version_bodies(self) -> list[BodyVersion]:
        """Every body of the original, oldest first, the current one last (numbered from 1)."""
        extra = self.extra
        modified = extra.get("body_modified") or extra.get("modified") or None
        current = BodyVersion(self.body, extra.get("seen"), modified)
        return [*self.versions, current]


@dataclass(frozen=True)
class Alternative:
    """Another original the copy also carries text of (a roundup, or a near-duplicate story)."""

    id: str
    url: str | None
    similarity: float
    coverage: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "similarity": round(self.similarity, 3),
            "coverage": round(self.coverage, 3),
        }


@dataclass(frozen=True)
class Match:
    """The original a copy was matched to, and how closely the copy follows it."""

    original: Original
    similarity: float
    coverage: float
    method: str  # "text", or the signal that named the original: "canonical", "pixel", ...
    alignment: Any = field(default=None, compare=False)  # alignment.Alignment, when aligned
    alternatives: tuple[Alternative, ...] = ()
    contradictions: tuple[str, ...] = ()  # what the page says against this match
    # Which of the original's bodies the copy carries (1: the oldest), of how many: for an
    # original the archive saw edited (archive/corrections.py); 1 of 1 otherwise.
    version: int = 1
    latest_version: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.original.id,
            "url": self.original.url,
            "title": self.original.title,
            "similarity": round(self.similarity, 3),
            "coverage": round(self.coverage, 3),
            "method": self.method,
            "paragraphs": self.alignment.summary() if self.alignment is not None else None,
            "alternatives": [a.to_json() for a in self.alternatives],
            "contradictions": list(self.contradictions),
            "version": self.version,
            "latest_version": self.latest_version,
        }


@dataclass(frozen=True)
class Finding:
    """The outcome of one requirement on one input, passed or not."""

    check: str  # the check type: logo, byline, ...
    rule: str  # "<ruleset id>.<check id>"
    passed: bool
    severity: Severity
    message: str
    evidence: str | None = None
    location: Location | None = None
    clause: str | None = None
    fix: str | None = None
    fingerprint: str = ""  # stable across runs: rule, original, input and check kind
    suppressed: str | None = None  # why a failure does not count: a waiver or the baseline
    details: dict[str, Any] | None = None  # check-specific structure, e.g. integrity's changes
    basis: str = "licence"  # "licence": a licence condition; "request": the newsroom asks
    judged: bool = True  # false when the check could not judge (and so passed)

    @property
    def counts(self) -> bool:
        """A failure that counts towards the verdict and the exit code."""
        return not self.passed and self.suppressed is None

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "rule": self.rule,
            "passed": self.passed,
            "judged": self.judged,
            "severity": str(self.severity),
            "message": self.message,
            "evidence": self.evidence,
            "location": self.location.to_json() if self.location else None,
            "clause": self.clause,
            "fix": None if self.passed else self.fix,
            "fingerprint": self.fingerprint,
            "suppressed": self.suppressed,
            "basis": self.basis,
            **({"details": self.details} if self.details is not None else {}),
        }


def utc_timestamp(moment: datetime | None = None) -> str:
    """A moment (default: now) as the UTC text the store and reports keep."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fingerprint(rule: str, original: str | None, input_name: str, check: str) -> str:
    """A finding's identity across runs, independent of its wording and line numbers."""
    key = "\x1f".join((rule, original or "", input_name, check))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Result:
    """The verdict on one input."""

    input: str
    status: Status
    ruleset: str | None = None
    ruleset_name: str | None = None
    match: Match | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    detected_by: str | None = None  # why the rule set applies, for the report
    reason: str | None = None  # why an `error` input is unverifiable: errors.REASONS
    anchor: Location | None = None  # the top of the article: where a missing item belongs
    notes: tuple[str, ...] = ()  # what the reader should know that no finding says
    # The address the page gives for itself (canonical link, og:url): an audit of saved pages
    # names a page's republisher by it when the folder does not; not part of any report.
    page_url: str | None = field(default=None, compare=False, repr=False)
    # Keys of the page's paragraphs (alignment.paragraph_key), for an audit to find what a
    # site repeats on its pages; not part of any report.
    paragraph_keys: frozenset[int] = field(default=frozenset(), compare=False, repr=False)

    def failed(self, at_least: Severity) -> list[Finding]:
        """Failed findings at or above `at_least`."""
        return [f for f in self.findings if f.counts and f.severity.rank >= at_least.rank]

    def for_report(self) -> Result:
        """The result with what a report shows of it: the matched original without its text,
        and the alignment's counts only, unless an integrity finding shows its changed
        paragraphs (the terminal report's word diffs)."""
        if self.match is None:
            return replace(self, paragraph_keys=frozenset())
        match = self.match
        alignment = match.alignment
        shown = alignment is not None and any(f.check == "integrity" for f in self.findings)
        if alignment is not None and not (shown and alignment.changed):
            alignment = AlignmentCounts(alignment.summary())
        original = replace(match.original, body=(), versions=(), extra={})
        slim = replace(match, original=original, alignment=alignment)
        return replace(self, match=slim, paragraph_keys=frozenset())


@dataclass(frozen=True)
class AlignmentCounts:
    """What a report shows of an alignment no finding's diff needs: its counts by fate."""

    counts: dict[str, int]

    def summary(self) -> dict[str, int]:
        return dict(self.counts)

    @property
    def changed(self) -> tuple[()]:
        """The changed paragraphs a report shows: none (else the alignment is kept)."""
        return ()


class StoredResults(Sequence[Result]):
    """Results as a report reads them, each kept compressed: `check` over thousands of pages
    holds a few kilobytes a page, where the results themselves held some sixty."""

    def __init__(self, results: Iterable[Result] = ()) -> None:
        self._packed: list[bytes] = []
        self.inputs: list[str] = []
        self.statuses: list[Status] = []
        for result in results:
            self.append(result)

    def append(self, result: Result) -> None:
        self._packed.append(zlib.compress(pickle.dumps(result, pickle.HIGHEST_PROTOCOL), 1))
        self.inputs.append(result.input)
        self.statuses.append(result.status)

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, at: int) -> Result: ...
    @overload
    def __getitem__(self, at: slice) -> list[Result]: ...
    def __getitem__(self, at: int | slice) -> Result | list[Result]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        return _unpacked(self._packed[at])

    def __iter__(self) -> Iterator[Result]:
        return map(_unpacked, self._packed)


def _unpacked(packed: bytes) -> Result:
    # Unpickling runs code, but these bytes were pickled by StoredResults.append, here.
    result: Result = pickle.loads(zlib.decompress(packed))
    return result


def status_from_findings(findings: tuple[Finding, ...] | list[Finding]) -> Status:
    """`fail` when an error-level requirement failed, `warn` when only warnings did.

    A failed `info` requirement is advice and leaves the verdict at `pass`; so does a failure
    that a waiver or the baseline suppresses.
    """
    return status_from_severities(f.severity for f in findings if f.counts)


def status_from_severities(failed: Iterable[Severity]) -> Status:
    """The verdict of failed findings that count, given by their severities."""
    failed = set(failed)
    if Severity.ERROR in failed:
        return Status.FAIL
    if Severity.WARNING in failed:
        return Status.WARN
    return Status.PASS


@dataclass(frozen=True)
class RuleInfo:
    """What the machine formats say about a rule: its identity, clause and terms."""

    id: str  # "<ruleset id>.<check id>"
    check: str
    severity: Severity
    clause: str
    terms_url: str
    ruleset_name: str


@dataclass(frozen=True)
class RunResult:
    """Every input's result, in input order: the one thing every reporter reads."""

    results: Sequence[Result]  # a tuple, or StoredResults for a run of many pages
    rules: tuple[RuleInfo, ...] = ()  # every check of the rule sets in use, sorted by id

    def sorted_results(self) -> Iterator[Result]:
        """Results in input-name order, so two runs over the same inputs read the same."""
        results = self.results
        if not isinstance(results, StoredResults):
            return iter(sorted(results, key=lambda r: r.input))
        order = sorted(range(len(results)), key=results.inputs.__getitem__)
        return (results[i] for i in order)

    def having(self, status: Status) -> Iterator[Result]:
        """The results of one status, in input order."""
        results = self.results
        if not isinstance(results, StoredResults):
            return (r for r in results if r.status is status)
        return (results[i] for i, s in enumerate(results.statuses) if s is status)

    def count(self, status: Status) -> int:
        if isinstance(self.results, StoredResults):
            return self.results.statuses.count(status)
        return sum(1 for r in self.results if r.status is status)

    def summary(self) -> dict[str, int]:
        """Counts per status, as in the JSON report's `summary`."""
        counts = {"inputs": len(self.results)}
        counts.update({status.value: self.count(status) for status in Status})
        return counts
