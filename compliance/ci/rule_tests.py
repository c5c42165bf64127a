"""Rule self-tests: each rule file names pages it must pass and pages it must fail.

`compliance rules test` runs them, as sqlfluff and Vale test their rules: each page is
checked against its rule set alone (matched to the test's originals when it names them),
and its verdict and the set of failing checks must be exactly the ones the test expects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from compliance import DISTRIBUTION
from compliance.engine import Checker
from compliance.read.sources import InputRef
from compliance.terms.files import bundled_rules_dir
from compliance.terms.loading import load_rulesets
from compliance.terms.ruleset import RuleSet

if TYPE_CHECKING:
    from compliance.archive.match import (
        Matcher,
    )  # numpy and the index load only for tests with originals
    from compliance.terms.schema import RuleTest


@dataclass(frozen=True)
class TestOutcome:
    """One self-test: what was expected, what happened."""

    ruleset: RuleSet
    test: RuleTest
    page: Path
    status: str | None  # None when the test could not run
    failing: tuple[str, ...]
    problem: str | None = None  # why it could not run

    @property
    def passed(self) -> bool:
        return (
            self.problem is None
            and self.status == self.test.expect
            and set(self.failing) == set(self.test.failing)
        )

    def describe(self) -> str:
        """One line: the page, and what went wrong if anything did."""
        where = f"{self.ruleset.id}: {self.page}"
        if self.problem:
            return f"{where}: {self.problem}"
        expected = self.test.expect + (f" {sorted(self.test.failing)}" if self.test.failing else "")
        got = str(self.status) + (f" {sorted(self.failing)}" if self.failing else "")
        return where + (f": {got}" if self.passed else f": expected {expected}, got {got}")


def _matcher(originals: Path, cache: dict[Path, Matcher]) -> Matcher:
    from compliance.archive.index_cache import open_index
    from compliance.archive.match import Matcher

    if originals not in cache:
        cache[originals] = Matcher(open_index([originals], None).index)
    return cache[originals]


def checkout_rules(start: Path | None = None) -> Path | None:
    """The `rules/` of the compliance source checkout `start` (default: the working
    directory) is in, if any: run from a checkout, its rule files and their test pages are
    the ones meant, not the installed copies (whose test pages are not installed)."""
    for folder in [(start or Path.cwd()).resolve(), *(start or Path.cwd()).resolve().parents]:
        project = folder / "pyproject.toml"
        if (folder / "rules").is_dir() and project.is_file():
            text = project.read_text(encoding="utf-8", errors="replace")
            if f'name = "{DISTRIBUTION}"' in text:
                return folder / "rules"
    return None


def run_tests(paths: Iterable[Path] | None = None) -> list[TestOutcome]:
    """Every self-test of the rule files under `paths` (default: the checkout's rules when
    run from a checkout, else the bundled rules)."""
    outcomes = []
    matchers: dict[Path, Matcher] = {}
    if not paths:
        local = checkout_rules()
        paths = [local] if local is not None else None
    for ruleset in load_rulesets(paths):
        base = ruleset.path.parent
        for test in ruleset.spec.tests:
            page = (base / test.page).resolve()
            if not page.is_file():
                problem = "the page is missing" + (
                    " (the shipped rule files' test pages are in the source repository: run"
                    " `compliance rules test` in a checkout of it, or name your own rule files)"
                    if base == bundled_rules_dir()
                    else ""
                )
                outcomes.append(TestOutcome(ruleset, test, page, None, (), problem))
                continue
            matcher = None
            if test.originals:
                originals = (base / test.originals).resolve()
                if not originals.exists():
                    problem = f"the originals {originals} are missing"
                    outcomes.append(TestOutcome(ruleset, test, page, None, (), problem))
                    continue
                matcher = _matcher(originals, matchers)
            result = Checker([ruleset], matcher).check_input(InputRef(str(page), path=page))
            failing = tuple(f.rule.split(".", 1)[1] for f in result.findings if not f.passed)
            problem = result.error if result.error else None
            outcomes.append(TestOutcome(ruleset, test, page, result.status.value, failing, problem))
    return outcomes
