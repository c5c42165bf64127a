"""Where rule files are: the bundled library, and the files a command names."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from compliance.errors import UserError

MAX_RULE_FILE_BYTES = 1024 * 1024
RULE_SUFFIXES = (".yaml", ".yml")


def bundled_rules_dir() -> Path:
    """The rule files shipped with the package (the repository's `rules/` in a checkout)."""
    installed = Path(__file__).resolve().parent.parent / "rules"  # where the wheel puts them
    return installed if installed.is_dir() else installed.parent.parent / "rules"


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """Every rule file named by `paths`: files as given, directories searched (not recursively),
    each file once however often it is named (`--rules X --rules X`, a file and its folder)."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            named = sorted(p for p in path.iterdir() if p.suffix in RULE_SUFFIXES)
        elif path.exists():
            named = [path]
        else:
            raise UserError(f"{path}: no such rule file or directory")
        for file in named:
            found.setdefault(file.resolve(), file)
    return list(found.values())
