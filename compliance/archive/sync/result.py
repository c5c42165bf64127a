"""What one sync did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    problems: list[str] = field(default_factory=list)

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
        }

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{self.added:,} added", f"{self.updated:,} updated",
                 f"{self.unchanged:,} unchanged"]  # fmt: skip
        if self.kind == "wordpress":
            parts.append(f"{self.deleted:,} marked deleted")
        text = f"{', '.join(parts)} ({self.requests:,} requests)"
        if self.problems:
            text += f"; {len(self.problems):,} not read"
        return text
