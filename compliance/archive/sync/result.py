"""What one sync did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SHOWN_PROBLEMS = 20  # kept word for word; the rest are counted (a source can hold millions)

# (what is being done, how far, out of how many when known)
Progress = Callable[[str, int, int | None], None]


def no_progress(_what: str, _done: int, _total: int | None) -> None:
    """A progress callback for runs nobody watches."""


@dataclass
class SyncResult:
    """Counts of one sync, and what could not be read (each skipped, never fatal)."""

    source: str
    kind: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    requests: int = 0
    complete: bool = True  # every listing page was read (else the cursor is kept)
    problems: list[str] = field(default_factory=list)  # the first SHOWN_PROBLEMS
    problem_count: int = 0  # every one
    notes: list[str] = field(default_factory=list)  # how the source was read: a list cut short

    def problem(self, message: str) -> None:
        """Count something that could not be read; the first few are kept as written."""
        self.problem_count += 1
        if len(self.problems) < SHOWN_PROBLEMS:
            self.problems.append(message)

    def shown_problems(self) -> list[str]:
        """The problems kept, and a line for the rest when there were more."""
        more = self.problem_count - len(self.problems)
        return self.problems + ([f"and {more:,} more of the same kinds"] if more > 0 else [])

    def count(self, outcome: str) -> None:
        """Count one record's outcome from `SyncedArchive.apply`."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "requests": self.requests,
            "complete": self.complete,
            "problems": self.problems,
            "problem_count": self.problem_count,
            "notes": self.notes,
        }

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{self.added:,} added", f"{self.updated:,} updated",
                 f"{self.unchanged:,} unchanged"]  # fmt: skip
        if self.kind == "wordpress":
            parts.append(f"{self.deleted:,} marked deleted")
        text = f"{', '.join(parts)} ({self.requests:,} requests)"
        if self.problem_count:
            text += f"; {self.problem_count:,} not read"
        return text
