"""The user's cache directory, where indexes and derived data are kept between runs."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """The directory compliance keeps its caches in: `$COMPLIANCE_CACHE_DIR`, else
    `$XDG_CACHE_HOME/compliance`, else `~/.cache/compliance`."""
    if os.environ.get("COMPLIANCE_CACHE_DIR"):
        return Path(os.environ["COMPLIANCE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "compliance"
