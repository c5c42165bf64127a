"""The rule cache: rule sets validated once, reloaded as plain data while nothing changed.

The key covers the rule files' bytes and paths, the bundled rule files they may extend, and
the modules whose code decides what a rule file validates to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from compliance.common.validated import ValidatedCache, file_bytes
from compliance.terms.files import bundled_rules_dir, rule_files

_FORMAT_MODULES = ("check_options.py", "schema.py", "reading.py", "plain.py")
_PACKAGE = Path(__file__).resolve().parent


def rule_cache(files: list[Path]) -> ValidatedCache:
    """The cache entry of the rule sets of `files`."""
    return ValidatedCache.keyed("rules", _key_parts(files))


def _key_parts(files: list[Path]) -> Iterator[bytes]:
    for name in _FORMAT_MODULES:
        yield file_bytes(_PACKAGE / name)
    bundled = rule_files([bundled_rules_dir()]) if bundled_rules_dir().is_dir() else []
    for file in [*files, *bundled]:
        # The path as given too: a rule set remembers it (its self-tests are beside it).
        yield f"{file}\n{file.resolve()}".encode()
        yield file_bytes(file)
