"""Rule sets as the engine uses them: found, loaded from the rule cache or validated, merged.

A rule file is one newswire agreement: a header (who, the terms, where they are published)
and a list of typed checks. `load_rulesets` returns them validated (by
`compliance.rule_validation`, which reports every problem with its position) and in plain
form (`compliance.plain`); a set of files validated before is loaded from the cache without
reading YAML or importing pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.errors import UserError

if TYPE_CHECKING:
    from compliance.check_options import CheckOptions
    from compliance.rule_schema import RuleFile

MAX_RULE_FILE_BYTES = 1024 * 1024
RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RuleSet:
    """A validated rule file (merged with what it extends) and where it came from.

    `spec` has the fields of `RuleFile` as plain attributes (`compliance.plain.Plain`).
    """

    spec: RuleFile
    path: Path
    extends: tuple[str, ...] = ()  # the rule sets it builds on, nearest first

    @classmethod
    def from_spec(cls, spec: Any, path: Path, extends: tuple[str, ...] = ()) -> RuleSet:
        """A rule set from a validated `RuleFile` model."""
        from compliance.plain import plain

        return cls(plain(spec), path, extends)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def checks(self) -> tuple[CheckOptions, ...]:
        return tuple(self.spec.checks)


def bundled_rules_dir() -> Path:
    """The rule files shipped with the package (the repository's `rules/` in a checkout)."""
    installed = Path(__file__).resolve().parent / "rules"  # where the wheel puts them
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


def load_rule_file(path: Path) -> RuleSet:
    """Read and validate one rule file (with the bundled rule set it extends, if any)."""
    return load_rulesets([path])[0]


def load_rulesets(paths: Iterable[Path] | None = None) -> list[RuleSet]:
    """Every rule set under `paths` (default: the bundled rules), validated and merged with
    the bases they extend (bases not among `paths` are looked up in the bundled rules).

    Problems in all files are raised together as one UserError. Files validated before,
    byte for byte, come from the rule cache.
    """
    from compliance.rule_cache import RuleCache

    files = rule_files(list(paths) if paths else [bundled_rules_dir()])
    if not files:
        raise UserError("no rule files found (rule files end in .yaml or .yml)")
    cache = RuleCache.for_files(files)
    cached = cache.load()
    if cached is not None:
        return cached
    from compliance.rule_validation import validate_rulesets

    rulesets = validate_rulesets(files)
    cache.store(rulesets)
    return rulesets
