"""A rule set as the engine uses it: one newswire agreement, validated and merged with the
rule sets it extends, in plain form (`compliance.terms.plain`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from compliance.terms.check_options import CheckOptions
    from compliance.terms.schema import RuleFile


@dataclass(frozen=True)
class RuleSet:
    """A validated rule file (merged with what it extends) and where it came from.

    `spec` has the fields of `RuleFile` as plain attributes (`compliance.terms.plain.Plain`).
    """

    spec: RuleFile
    path: Path
    extends: tuple[str, ...] = ()  # the rule sets it builds on, nearest first

    @classmethod
    def from_spec(cls, spec: Any, path: Path, extends: tuple[str, ...] = ()) -> RuleSet:
        """A rule set from a validated `RuleFile` model."""
        from compliance.terms.plain import plain

        return cls(plain(spec), path, extends)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def checks(self) -> tuple[CheckOptions, ...]:
        return tuple(self.spec.checks)
