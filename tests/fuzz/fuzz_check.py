"""Coverage-guided fuzzing of one page's check with atheris, as OSS-Fuzz fuzzes lxml.

Not part of the test suite (it runs until stopped). From the repository root:

    pip install atheris
    mkdir -p tests/fuzz/corpus   # where libFuzzer keeps what it finds (git ignores it)
    python tests/fuzz/fuzz_check.py -max_total_time=3600 tests/fuzz/corpus \
        examples/copies examples/rulesets/propublica tests/regressions

Every input must end in the taxonomy: a Result with a status, or an InputError whose reason is
one of compliance.errors.REASONS. Anything else raises and atheris saves the input; minimise
it (`-minimize_crash=1`) and add it to tests/regressions/ with a name that says what it is.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from compliance.engine import Checker
    from compliance.errors import REASONS, InputError
    from compliance.model import Status
    from compliance.read.extract import extract
    from compliance.read.sources import page_from_bytes
    from compliance.terms.loading import load_rulesets

CHECKER = Checker(load_rulesets(), page_budget=0)


def check_one(data: bytes) -> None:
    """One input through reading, extraction, matching and every rule set's checks."""
    try:
        article = extract(page_from_bytes("fuzz.html", data, "html"))
    except InputError as exc:
        if exc.reason not in REASONS:
            raise AssertionError(f"unknown reason {exc.reason!r}") from exc
        return
    result = CHECKER.check_article(article)
    if result.status not in Status or CHECKER.bugs:
        raise AssertionError(f"outside the taxonomy: {result}")
    _ = article.paragraphs  # the extractor runs lazily; make it run


if __name__ == "__main__":
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()
