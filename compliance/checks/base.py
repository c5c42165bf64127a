"""What every check is given and what it returns (its options: `compliance.terms.check_options`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from compliance.model import Article, Location, Match

if TYPE_CHECKING:
    from compliance.read.pixels import ImageReading
    from compliance.terms.ruleset import RuleSet


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


# A finding's `details` key: the moment (ISO, UTC) after which its verdict no longer holds for
# the same bytes (a correction's grace period ends), so a stored verdict is not reused.
VALID_UNTIL = "valid_until"


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
    archived: bool = False  # an archive of originals was given (so "none matched" is true)
    images: ImageReading | None = None  # how images are read as pixels, when they may be

    @property
    def reporters(self) -> tuple[str, ...]:
        """The original's reporters, when the copy was matched to an original that names them."""
        return self.match.original.authors if self.match else ()

    def claimed_blocks(self) -> frozenset[int]:
        """Blocks the checks run so far took as their evidence."""
        return frozenset().union(*(o.blocks for o in self.outcomes.values()))
