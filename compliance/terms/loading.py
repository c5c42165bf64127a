"""Loading rule sets: from the rule cache when the files were validated before, else read
and validated (`compliance.terms.reading`, which reports every problem with its position)
and cached. A set of files validated before loads without reading YAML or importing pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from compliance.errors import UserError
from compliance.terms.cache import rule_cache
from compliance.terms.files import bundled_rules_dir, rule_files
from compliance.terms.ruleset import RuleSet


def load_rule_file(path: Path) -> RuleSet:
    """Read and validate one rule file (with the bundled rule set it extends, if any)."""
    return load_rulesets([path])[0]


def load_rulesets(paths: Iterable[Path] | None = None) -> list[RuleSet]:
    """Every rule set under `paths` (default: the bundled rules), validated and merged with
    the bases they extend (bases not among `paths` are looked up in the bundled rules).

    Problems in all files are raised together as one UserError. Files validated before,
    byte for byte, come from the rule cache.
    """
    files = rule_files(list(paths) if paths else [bundled_rules_dir()])
    if not files:
        raise UserError("no rule files found (rule files end in .yaml or .yml)")
    cache = rule_cache(files)
    cached = cache.load()
    if isinstance(cached, list):
        return cached
    from compliance.terms.reading import validate_rulesets  # pydantic, only when validating

    rulesets = validate_rulesets(files)
    cache.store(rulesets)
    return rulesets
