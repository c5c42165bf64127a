"""The options each check type takes in a rule file: the rule-file language, for validation.

These pydantic models are read only when a rule file has to be validated (its compiled form
is cached), when a schema is printed, or when the documentation is written; a check itself
receives its options as plain attributes (`compliance.terms.plain`). Adding a check type: its
options here (one class, one line in OPTIONS), its `run` in `compliance/checks/`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance.model import Severity


class CheckOptions(BaseModel):
    """Fields every check in a rule file has; each check type adds its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Names the check in its rule set; findings read '<ruleset>.<id>'.",
    )
    severity: Severity = Field(
        default=Severity.ERROR,
        description="error fails the input; warning marks it 'warn'; info is advice only.",
    )
    clause: str = Field(
        min_length=1,
        description="The clause of the terms this check enforces, in the newswire's meaning.",
    )
    fix: str | None = Field(
        default=None, description="What a republisher should add or change when the check fails."
    )
    basis: Literal["licence", "request"] = Field(
        default="licence",
        description="licence: a condition of the licence, whose breach ends the right to"
        " republish; request: something the newsroom asks of republishers as a courtesy"
        " (its severity is warning unless the rule says otherwise).",
    )

    @model_validator(mode="before")
    @classmethod
    def _requests_warn(cls, data: Any) -> Any:
        """A newsroom's request never fails a copy unless its rule says so."""
        if isinstance(data, dict) and data.get("basis") == "request" and "severity" not in data:
            return {**data, "severity": Severity.WARNING}
        return data


class LogoOptions(CheckOptions):
    """The newswire's logo image is on the page."""

    type: Literal["logo"]
    alt: list[str] = Field(default_factory=list, description="Alt texts of the logo image.")
    src: list[str] = Field(
        default_factory=list,
        description="Shell-style patterns (* and ?) for the logo image's address or file name.",
    )
    min_score: int = Field(
        default=90, ge=50, le=100, description="How closely alt text must match, 0-100."
    )
    images: list[str] = Field(
        default_factory=list,
        description="Reference logo files (PNG, JPEG, GIF, WebP), relative to the rule file:"
        " an image on the page that looks like one of them is the logo, whatever its name.",
    )
    hashes: list[str] = Field(
        default_factory=list,
        description="Perceptual hashes of the reference logos (16 hex digits, as"
        " `compliance rules logo-hash FILE` prints them), instead of or beside `images`.",
    )
    max_distance: int = Field(
        default=10,
        ge=0,
        le=20,
        description="How many of the hash's 64 bits may differ for an image to be the logo"
        " (resized, recompressed, recoloured and padded copies differ by 4 or less, other logos"
        " by 18 or more, on the drawings of tests/logos).",
    )

    @model_validator(mode="after")
    def _needs_a_pattern(self) -> LogoOptions:
        if not (self.alt or self.src or self.images or self.hashes):
            raise ValueError(
                "a logo check needs at least one 'alt' text, 'src' pattern or reference image"
            )
        for value in self.hashes:
            if len(value) != 16 or any(c not in "0123456789abcdefABCDEF" for c in value):
                raise ValueError(f"hashes: '{value}' is not 16 hex digits")
        return self


class BylineOptions(CheckOptions):
    """The article credits its reporter by name, as a person."""

    type: Literal["byline"]
    min_score: int = Field(
        default=85,
        ge=50,
        le=100,
        description="How closely a byline must match the reporter's name, 0-100.",
    )


class AffiliationOptions(CheckOptions):
    """The reporter is tied to the newswire where the byline is."""

    type: Literal["affiliation"]
    text: list[str] = Field(min_length=1, description="Names of the newswire that count.")
    near: Literal["byline", "anywhere"] = Field(
        default="byline", description="Where the name must be: with the byline, or anywhere."
    )
    distance: int = Field(
        default=2,
        ge=0,
        le=10,
        description="How many lines or blocks from the byline the name may stand.",
    )
    min_score: int = Field(default=90, ge=50, le=100, description="Fuzzy match threshold, 0-100.")


class NoticeOptions(CheckOptions):
    """The newswire's licensing or credit notice is reproduced."""

    type: Literal["notice"]
    text: list[str] = Field(min_length=1, description="Accepted wordings of the notice.")
    min_score: int = Field(default=85, ge=50, le=100, description="Fuzzy match threshold, 0-100.")


class CreditLineOptions(CheckOptions):
    """A required credit sentence is on the page, where the terms want it."""

    type: Literal["credit_line"]
    text: list[str] = Field(
        min_length=1,
        description="Accepted wordings; '*' stands for any words (a site or author name).",
    )
    placement: Literal["anywhere", "top", "bottom", "byline"] = Field(
        default="anywhere", description="Where on the page the credit must be."
    )
    within: int = Field(
        default=3, ge=0, le=50, description="How many blocks from the place it may be."
    )
    min_score: int = Field(default=85, ge=50, le=100, description="Fuzzy match threshold, 0-100.")
    labels: list[str] = Field(
        default_factory=list,
        description="Names that also count as the credit after a plain label ('Source: …',"
        " 'Via …', 'Courtesy of …'), for terms that ask only that the newsroom be credited.",
    )


class LinkBackOptions(CheckOptions):
    """The copy links back to the original article or the newsroom."""

    type: Literal["link_back"]
    to: Literal["article", "domain", "either"] = Field(
        default="either", description="What the link must point at."
    )
    domains: list[str] = Field(
        default_factory=list, description="The newsroom's domains, e.g. propublica.org."
    )
    keep_links: bool = Field(
        default=False, description="Every link of the original must also be in the copy."
    )


class CanonicalOptions(CheckOptions):
    """The page names the original as canonical."""

    type: Literal["canonical"]
    require: Literal["original", "domain"] = Field(
        default="original",
        description="original: the original's own URL (its domain when none was matched);"
        " domain: any page of the newsroom.",
    )
    domains: list[str] = Field(default_factory=list, description="The newsroom's domains.")
    syndication_source: bool = Field(
        default=True, description="A syndication-source or original-source meta tag also counts."
    )


class TrackingPixelOptions(CheckOptions):
    """The newsroom's tracking pixel is on the page and able to count."""

    type: Literal["tracking_pixel"]
    src: list[str] = Field(
        default_factory=lambda: [
            "*republication-pixel=true*",
            "*republication-tracker-tool*",
            "*pixel.php?post=*",
        ],
        min_length=1,
        description="Shell-style patterns for the pixel's address.",
    )
    post_id: bool = Field(
        default=True, description="The pixel must count the original's post id, when known."
    )


class MediaCreditsOptions(CheckOptions):
    """Photos credited to agencies whose images the licence does not cover."""

    type: Literal["media_credits"]
    credits: list[str] = Field(
        min_length=1, description="Agencies and photo services the licence does not cover."
    )
    cleared_only: bool = Field(
        default=False, description="Only the original's own photos may be used."
    )


class HeadlineOptions(CheckOptions):
    """The copy keeps the original's headline."""

    type: Literal["headline"]
    min_score: int = Field(default=90, ge=50, le=100, description="Fuzzy match threshold, 0-100.")


class ExcerptLimitOptions(CheckOptions):
    """An excerpt stays within the limit and links to the full story."""

    type: Literal["excerpt_limit"]
    max_paragraphs: int | None = Field(default=None, ge=1, description="Most paragraphs allowed.")
    max_words: int | None = Field(default=None, ge=1, description="Most words allowed.")
    require_link: bool = Field(default=True, description="A link to the full story is needed.")
    domains: list[str] = Field(default_factory=list, description="The newsroom's domains.")


class TimeWindowOptions(CheckOptions):
    """The copy was published when the terms allow."""

    type: Literal["time_window"]
    within_days: int | None = Field(
        default=None, ge=0, description="Latest day after the original's publication."
    )
    embargo_hours: float | None = Field(
        default=None, ge=0, description="Hours after the original's publication before copies."
    )


class AdditionsDisclosedOptions(CheckOptions):
    """Text the republisher added is disclosed as theirs."""

    type: Literal["additions_disclosed"]
    text: list[str] = Field(
        default_factory=lambda: [
            "Additional reporting by *",
            "* contributed to this report",
            "This story includes additional reporting by *",
        ],
        min_length=1,
        description="Accepted disclosure wordings; '*' stands for any words.",
    )
    min_words: int = Field(
        default=15, ge=1, description="Added words below this need no disclosure."
    )


class StyleEditsOptions(CheckOptions):
    """The copy changes the original's words only for style and time."""

    type: Literal["style_edits"]
    allow_time: bool = Field(default=True, description="Time references may be updated.")
    allow_cuts: bool = Field(default=True, description="Paragraphs may be cut for length.")


class IntegrityOptions(CheckOptions):
    """The copy carries the original's text as the terms allow."""

    type: Literal["integrity"]
    min_coverage: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Least share of the original's text (0-1) a copy carries.",
    )
    allow_drop: bool = Field(default=True, description="Paragraphs of the original may be cut.")
    allow_reorder: bool = Field(default=True, description="Paragraphs may be moved.")
    allow_add: bool = Field(default=True, description="The copy may add its own paragraphs.")
    allow_changes: bool = Field(
        default=True, description="Words within the original's paragraphs may be changed."
    )
    allow_rewrites: bool = Field(
        default=True,
        description="Paragraphs may be recast in other words (no-derivatives terms forbid it).",
    )
    ignore: list[str] = Field(
        default_factory=list,
        description="Shell-style patterns of lines that are not the article's text"
        " (added to the built-in boilerplate such as '(RELATED*)').",
    )


class CorrectionsOptions(CheckOptions):
    """The copy carries the corrections the newswire made to the original since."""

    type: Literal["corrections"]
    kinds: list[Literal["notice", "fact", "wording", "added", "removed"]] = Field(
        default_factory=lambda: ["notice", "fact"],
        min_length=1,
        description="Which edits a copy must carry: notice (a correction notice added),"
        " fact (a number, date, name or quote changed), wording (other words changed),"
        " added or removed (a paragraph). Style edits (punctuation, case) never count.",
    )
    grace_hours: float = Field(
        default=48, ge=0, description="Hours after a correction before copies must carry it."
    )
    notices: list[str] = Field(
        default_factory=list,
        description="More wordings of a correction notice ('*' for any words), beside the"
        " built-in ones ('Correction:*', 'Editor's note*', '*An earlier version of this *').",
    )


OPTIONS: dict[str, type[CheckOptions]] = {
    "logo": LogoOptions,
    "byline": BylineOptions,
    "affiliation": AffiliationOptions,
    "notice": NoticeOptions,
    "credit_line": CreditLineOptions,
    "link_back": LinkBackOptions,
    "canonical": CanonicalOptions,
    "tracking_pixel": TrackingPixelOptions,
    "media_credits": MediaCreditsOptions,
    "headline": HeadlineOptions,
    "excerpt_limit": ExcerptLimitOptions,
    "time_window": TimeWindowOptions,
    "additions_disclosed": AdditionsDisclosedOptions,
    "style_edits": StyleEditsOptions,
    "integrity": IntegrityOptions,
    "corrections": CorrectionsOptions,
}

AnyCheck = Annotated[
    Union[tuple(OPTIONS.values())],  # noqa: UP007
    Field(discriminator="type"),
]
