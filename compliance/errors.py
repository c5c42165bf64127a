"""The two kinds of failure the CLI tells apart.

A `UserError` is something the user can fix (a bad rule file, a missing path, an unreadable
page): it exits 2 with a message that names the file. Anything else is a bug: exit 3.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or arguments; the message names the file (and line)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


REASONS = (
    "unreadable",  # missing, empty, binary, undecodable, not HTML at all
    "too-large",  # over the size cap
    "too-complex",  # fails the pre-screen (a huge tag), or its worker died
    "parse-truncated",  # the parser dropped part of the page: absences cannot be trusted
    "timed-out",  # not finished within the page budget; its worker was killed
    "fetch-failed",  # the URL could not be fetched
)


class InputError(UserError):
    """One input could not be read or parsed (so it is unverifiable, for `reason`); the
    others are still checked."""

    def __init__(self, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason
