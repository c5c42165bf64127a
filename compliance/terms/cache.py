"""The rule cache: rule sets validated once, reloaded as plain data while nothing changed.

Validating the bundled rule files through their pydantic schema costs more than the rest of
an editor's one-page check; the result depends only on the files' bytes (with the bundled
bases they may extend) and on the code that defines the format. Both are hashed into the
cache key, so an edited rule file, an upgraded tool or a changed check option is validated
again, never served stale. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from compliance import __version__
from compliance.common.cachedir import cache_root
from compliance.terms.files import bundled_rules_dir, rule_files

if TYPE_CHECKING:
    from compliance.terms.ruleset import RuleSet

# The modules whose code decides what a rule file validates to.
_FORMAT_MODULES = ("check_options.py", "schema.py", "reading.py", "plain.py")
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RuleCache:
    """Where the rule sets of one set of rule files are kept, by a key over their bytes."""

    path: Path

    @classmethod
    def for_files(cls, files: list[Path]) -> RuleCache:
        """The cache entry of `files` (each read and hashed; the bundled bases too)."""
        digest = hashlib.sha256(f"compliance {__version__}\n".encode())
        for name in _FORMAT_MODULES:
            digest.update(_bytes(_PACKAGE / name))
        bundled = rule_files([bundled_rules_dir()]) if bundled_rules_dir().is_dir() else []
        for file in [*files, *bundled]:
            # The path as given too: a rule set remembers it (its self-tests are beside it).
            digest.update(f"\n{file}\n{file.resolve()}\n".encode())
            digest.update(_bytes(file))
        return cls(cache_root() / "rules" / f"{digest.hexdigest()[:32]}.pickle")

    def load(self) -> list[RuleSet] | None:
        """The rule sets stored under this key, or None."""
        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)  # our own cache directory, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return loaded if isinstance(loaded, list) else None

    def store(self, rulesets: list[RuleSet]) -> None:
        """Keep `rulesets` under this key (atomically; silently not when it cannot)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(rulesets, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            return


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:  # reported by the validation that follows a miss
        return f"unreadable: {exc}".encode()
