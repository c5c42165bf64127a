"""What validating a user's file produced, kept while the file and our code are unchanged.

Validating rule files and configuration through pydantic costs more than the rest of an
editor's one-page check. The result depends only on the bytes read and on the code that
validates them, so both go into the key: an edited file, an upgraded tool or a changed
schema is validated again, never served stale. An entry that cannot be read or written is
ignored (the file is simply validated again).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.common.cachedir import cache_root


@dataclass(frozen=True)
class ValidatedCache:
    """One entry of the cache of validated files."""

    path: Path

    @classmethod
    def keyed(cls, kind: str, parts: Iterable[bytes]) -> ValidatedCache:
        """The entry of `kind` ("rules", "config") for the bytes `parts`."""
        digest = hashlib.sha256(f"compliance {__version__}\n".encode())
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return cls(cache_root() / kind / f"{digest.hexdigest()[:32]}.pickle")

    def load(self) -> Any | None:
        """What was stored under this key, or None."""
        try:
            with self.path.open("rb") as handle:
                return pickle.load(handle)  # our own cache directory, written below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def store(self, value: Any) -> None:
        """Keep `value` under this key (atomically; silently not when it cannot)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            return


def file_bytes(path: Path) -> bytes:
    """A file's bytes for a key; an unreadable file keys as such (its validation says why)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return f"unreadable: {exc}".encode()
