"""What every check shares: its options' common fields, what it is given, what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from compliance.model import Article, Location, Match, Severity

if TYPE_CHECKING:
    from compliance.ruleset import RuleSet


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


@dataclass(frozen=True)
class Outcome:
    """What a check concluded; the engine adds the rule's identity, severity and clause."""

    passed: bool
    message: str
    evidence: str | None = None
    location: Location | None = None
    blocks: frozenset[int] = frozenset()  # the text blocks this check took as its evidence
    details: dict[str, Any] | None = None  # structure for machine formats (integrity's diff)
    # False when the check could not judge (it needs an original, a date, a byline): then
    # `passed` is true so that it fails nothing, and reports say "not judged", never a pass.
    judged: bool = True


def not_judged(message: str) -> Outcome:
    """The outcome of a check that could not judge; `message` says what it lacked."""
    return Outcome(True, f"not judged: {message}", judged=False)


@dataclass
class CheckContext:
    """Everything a check may look at for one input."""

    article: Article
    ruleset: RuleSet
    match: Match | None = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by check type, so far

    @property
    def reporters(self) -> tuple[str, ...]:
        """The original's reporters, when the copy was matched to an original that names them."""
        return self.match.original.authors if self.match else ()

    def claimed_blocks(self) -> frozenset[int]:
        """Blocks the checks run so far took as their evidence."""
        return frozenset().union(*(o.blocks for o in self.outcomes.values()))
