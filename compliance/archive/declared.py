"""The terms an archive was declared with: `--originals ID=PATH`, a configuration's
`{path, terms}` entry, or the `--terms ID` an `archive sync` recorded in its state file.

Boundary: this module only says which rule set id an archive file was declared with, and
how; whether that id names a rule set, and what else decides an original's terms (its
`source`, a rule set's `domains`), is `compliance.terms.governance`'s.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# A rule set's id (terms/schema.py), then '='. An address's scheme has '://' before any
# '=', and a path with '=' in it that exists is taken as a path.
_DECLARED = re.compile(r"^([a-z0-9][a-z0-9_.-]*)=(.+)$")


def split_declared(entry: str) -> tuple[str | None, str]:
    """(`ID`, `PATH`) from `ID=PATH`; (None, entry) when the entry declares no terms."""
    found = _DECLARED.match(entry)
    if found is None or Path(entry).exists():
        return None, entry
    return found.group(1), found.group(2)


@dataclass(frozen=True)
class Declared:
    """Archive files and directories (resolved) and the rule set id each was declared with."""

    roots: tuple[tuple[str, str, str], ...] = ()  # (resolved path, rule set id, how it was said)
    _synced: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, entries: list[tuple[Path, str | None, str]]) -> Declared:
        """From (path, id or None, how) triples; entries without an id declare nothing."""
        return cls(tuple((str(p.resolve()), i, how) for p, i, how in entries if i))

    def terms_of(self, file: str) -> tuple[str, str] | None:
        """(rule set id, how it was declared) for an archive file, or None."""
        if not file:
            return None
        for root, terms, how in self.roots:
            if file == root or file.startswith(root.rstrip("/") + "/"):
                return terms, how
        synced = self._sync_terms(file)
        if synced:
            return synced, f"the archive was synced with --terms {synced}"
        return None

    def _sync_terms(self, file: str) -> str | None:
        if file not in self._synced:
            from compliance.archive.sync.archive_file import state_path

            try:
                state = json.loads(state_path(Path(file)).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                state = {}
            value = state.get("source_id") if isinstance(state, dict) else None
            self._synced[file] = value if isinstance(value, str) else None
        return self._synced[file]

    def ids(self) -> list[tuple[str, str]]:
        """(id, how) of every declaration, to check that each names a rule set."""
        return [(terms, how) for _root, terms, how in self.roots]
