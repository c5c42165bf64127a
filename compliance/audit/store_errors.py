"""What a failing SQLite file means for the person running the audit, in words.

The audit store is one SQLite file on a disk that may fill up, media that may be read-only,
and bytes that may be damaged. SQLite reports each as an exception class and a terse
message; a `GuardedConnection` (the store's connection) turns every one, raised by any
statement or fetch, into a UserError that names the file, says what happened and what to do,
and so ends the command with exit 2 rather than an internal error. Nothing stored is touched:
a failed write is rolled back by SQLite, and a damaged file is never "repaired" in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from compliance.errors import UserError


class StoreError(UserError):
    """The audit database could not be read or written."""


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """The UserError for SQLite's `exc` on the store at `path`."""
    text = str(exc)
    lowered = text.lower()
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return StoreError(
            f"{path}: the disk holding the audit database is full; every result recorded"
            f" before is kept: free some space, then `compliance audit --resume --db {path}`"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"{path}: the audit database is read-only here (read-only media or"
            " permissions); `compliance report` can read it, an audit needs a writable copy"
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return StoreError(
            f"{path}: the audit database is damaged ({text}); it was left as it is:"
            f" `sqlite3 {path} .recover` may rescue its history, and another --db starts afresh"
        )
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"{path}: the audit database stayed locked by another process for 30 s ({text});"
            " try again when it is done"
        )
    if "unable to open" in lowered:
        return StoreError(f"{path}: cannot open the audit database ({text})")
    return StoreError(f"{path}: the audit database failed: {text}")


class GuardedCursor(sqlite3.Cursor):
    """A cursor whose statements and fetches raise StoreError for SQLite's errors."""

    store_path: Path = Path()

    def _guard(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except sqlite3.Error as exc:
            raise store_error(self.store_path, exc) from None

    def execute(self, sql: str, parameters: Any = (), /) -> GuardedCursor:
        return self._guard(super().execute, sql, parameters)

    def executemany(self, sql: str, seq: Iterable[Any], /) -> GuardedCursor:
        return self._guard(super().executemany, sql, seq)

    def fetchone(self) -> Any:
        return self._guard(super().fetchone)

    def fetchall(self) -> list[Any]:
        return self._guard(super().fetchall)

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._guard(super().fetchmany, size)

    def __next__(self) -> Any:
        return self._guard(super().__next__)


class GuardedConnection(sqlite3.Connection):
    """The store's connection: every statement goes through a GuardedCursor."""

    store_path: Path = Path()

    def _cursor(self) -> GuardedCursor:
        cursor = self.cursor(GuardedCursor)
        cursor.store_path = self.store_path
        return cursor

    def execute(self, sql: str, parameters: Any = (), /) -> GuardedCursor:
        return self._cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq: Iterable[Any], /) -> GuardedCursor:
        return self._cursor().executemany(sql, seq)

    def executescript(self, script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(script)
        except sqlite3.Error as exc:
            raise store_error(self.store_path, exc) from None
