"""Running rule sets over inputs: pick the rule set that governs a copy, run its checks."""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from compliance.checks import check_module, phase
from compliance.checks.base import CheckContext
from compliance.common.budget import (
    PAGE_BUDGET,
    BudgetedPool,
    PageTimeout,
    WorkerDied,
    near_memory_cap,
)
from compliance.errors import InputError, UserError
from compliance.model import (
    Article,
    Finding,
    Location,
    Match,
    Result,
    RuleInfo,
    RunResult,
    Status,
    StoredResults,
    fingerprint,
    status_from_findings,
)
from compliance.terms.ruleset import RuleSet

if TYPE_CHECKING:
    from compliance.archive.match import Matcher  # numpy and the index load only with --originals
    from compliance.read.pixels import ImageReading
    from compliance.read.sources import InputRef
    from compliance.terms.governance import Governance

# Below this many inputs, more than one worker process costs more than it saves.
PARALLEL_FROM = 8


@dataclass
class Checker:
    """Checks inputs against rule sets, optionally with the newswire's originals."""

    rulesets: Sequence[RuleSet]
    matcher: Matcher | None = None
    debug: bool = False
    bugs: int = 0  # inputs that hit an internal error; the CLI exits 3 when there are any
    page_budget: float = PAGE_BUDGET  # seconds per page in a worker process; 0: no workers
    terms: str | None = None  # the id of a rule set applied to every input (--terms)
    # Where `terms` was given: "--terms", or the configuration file whose `terms:` it is.
    terms_origin: str = "--terms"
    # How the logo check reads images as pixels (read/pixels.py); None: by their labels only.
    images: ImageReading | None = None

    def _given_as(self, terms: str, origin: str) -> str:
        return f"--terms {terms}" if origin == "--terms" else f"`terms: {terms}` in {origin}"

    def _unmatched(self) -> str:
        """What was tried on a page no rule set applies to, and what would decide it."""
        tried = "it carries no newswire's attribution signals (logo, notice, credit lines)"
        if self.matcher is None:
            return (
                f"not judged: {tried}, and no archive of originals was given; --originals"
                " ARCHIVE would find the original it copies, --terms ID applies a newswire's"
                " terms to it"
            )
        return (
            f"not judged: {tried} and copies none of the {len(self.matcher.index):,} originals"
            " given; --terms ID applies a newswire's terms to it"
        )

    def apply_terms(self, terms: str, origin: str = "--terms") -> None:
        """Judge every input by the rule set `terms` names, given at `origin` (`--terms`, or
        the configuration's `terms:`). UserError, with a did-you-mean, when no rule set in
        use has it, naming the rule sets that extend it when it is an abstract base."""
        self.check_terms(terms, origin)
        self.terms, self.terms_origin = terms, origin

    def check_terms(self, terms: str, origin: str = "--terms") -> None:
        """UserError (as apply_terms says) unless `terms` names a rule set that can judge."""
        from compliance.common.validation import suggest

        ids = [r.id for r in self.applicable]
        if terms in ids:
            return
        base = next((r for r in self.rulesets if r.id == terms and r.spec.abstract), None)
        if base is not None:
            heirs = [r.id for r in self.applicable if terms in r.extends]
            use = f"give one of those that do: {', '.join(heirs)}" if heirs else "none here does"
            raise UserError(
                f"{self._given_as(terms, origin)}: {terms} is a base other rule sets extend,"
                f" not a newswire's terms of its own; {use}"
            )
        raise UserError(
            f"{self._given_as(terms, origin)}: no rule set has this id{suggest(terms, ids)};"
            f" the ids: {', '.join(ids)}"
        )

    @property
    def applicable(self) -> list[RuleSet]:
        """The rule sets that govern pages: not the abstract bases others extend."""
        return [r for r in self.rulesets if not r.spec.abstract]

    def detect(self, article: Article) -> tuple[RuleSet, str] | None:
        """The rule set whose detection signals the page carries best, and the main signal."""
        from compliance.terms.detection import detect

        found = detect(self.applicable, article)
        return (found.ruleset, found.reason) if found else None

    @cached_property
    def governance(self) -> Governance:
        """Whose terms govern each original (its source, its archive's terms, domains)."""
        from compliance.terms.governance import Governance

        return Governance(self.rulesets, self.matcher.declared if self.matcher else None)

    def _governing(
        self, article: Article, match: Match | None, agreed: str | None = None
    ) -> tuple[RuleSet, str] | str | None:
        """The rule set that judges the page and why; when a matched original has no
        governing terms and the page carries no newswire's marks, why none does (a str).
        `agreed`: the rule set a partner's agreement names for its pages (partners file)."""
        if agreed is not None and self.terms is None:
            given = next(r for r in self.applicable if r.id == agreed)
            return given, f"the partners file names its terms ({agreed}), not detected"
        if self.terms is not None:
            given = next(r for r in self.applicable if r.id == self.terms)
            given_as = self._given_as(given.id, self.terms_origin)
            return given, f"the terms were given ({given_as}), not detected"
        if match is not None:
            governed = self.governance.of(match.original)
            if governed.ruleset is not None:
                said = f"it copies original {match.original.id}"
                if match.original.source != governed.ruleset.id:  # not by its own source
                    said += f" ({governed.reason})"
                return governed.ruleset, said
        detected = self.detect(article)
        if detected:
            return detected
        if match is not None:
            return (
                f"not judged: it carries the text of original {match.original.id}"
                f" (coverage {match.coverage:.0%}), but no rule set governs that original:"
                f" {governed.reason}"
            )
        return None

    def check_article(
        self,
        article: Article,
        known: str | None = None,
        site: frozenset[int] = frozenset(),
        agreed: str | None = None,
    ) -> Result:
        """Match the article, pick the rule set that governs it, and run its checks.

        `known`: the original's id or URL when a manifest names it; `site`: the paragraphs
        its site repeats (Matcher.match); `agreed`: the rule set its partner's agreement
        names (`--terms` still wins over it).
        """
        match = self.matcher.match(article, known, site) if self.matcher else None
        # A manifest naming an original the archive lacks is said even when nothing matched.
        notes = (
            tuple(self.matcher.manifest_notes(known, article)) if self.matcher and not match else ()
        )
        governing = self._governing(article, match, agreed)
        if governing is None or isinstance(governing, str):
            why = governing if isinstance(governing, str) else self._unmatched()
            return Result(
                article.source,
                Status.UNMATCHED,
                match=match,
                notes=(*notes, why),
                page_url=article.canonical,
            )
        ruleset, reason = governing
        result = evaluate(
            article, ruleset, match, reason, archived=self.matcher is not None, images=self.images
        )
        return replace(result, notes=notes, page_url=article.canonical)

    def check_input(self, ref: InputRef, stdin_data: bytes | None = None) -> Result:
        """Check one input; a page that cannot be read becomes an `error` result, not a crash."""
        try:
            # Imported where pages are read: with worker processes, in the workers, while the
            # parent readies the report (`run`'s `prepare`).
            from compliance.read.extract import extract
            from compliance.read.sources import load_page

            return self.check_article(extract(load_page(ref, stdin_data)))
        except InputError as exc:
            return Result(ref.label, Status.ERROR, error=exc.message, reason=exc.reason)
        except MemoryError:
            return too_large(ref.label)
        except Exception as exc:
            if near_memory_cap():
                return too_large(ref.label)
            if self.debug:
                raise
            self.bugs += 1
            return Result(
                ref.label,
                Status.ERROR,
                error=f"internal error while checking it ({type(exc).__name__}: {exc});"
                " this is a bug in compliance, please report it",
            )

    def _results(
        self,
        refs: Sequence[InputRef],
        stdin_data: bytes | None,
        jobs: int,
        prepare: Callable[[], None] | None,
    ) -> Iterator[Result]:
        if self.debug or self.page_budget <= 0:
            if prepare:
                prepare()
            for ref in refs:  # in this process: tracebacks show, nothing is killed
                yield self.check_input(ref, stdin_data)
            return
        workers = jobs if len(refs) >= PARALLEL_FROM else 1
        with BudgetedPool(
            workers,
            self.page_budget,
            start_worker,
            (self.rulesets, self.matcher, self.terms, self.terms_origin, self.images),
        ) as pool:
            futures = deque(pool.submit(_check_in_worker, ref, stdin_data) for ref in refs)
            if prepare:  # while the workers check
                prepare()
            for ref in refs:
                # Let go of each future as its result is taken: held to the end, every page's
                # whole result stayed in memory (about 40 KB a page).
                result, bugs = budgeted_result(futures.popleft(), ref.label, self.page_budget)
                self.bugs += bugs
                yield result

    def run(
        self,
        refs: Sequence[InputRef],
        stdin_data: bytes | None = None,
        progress: Callable[[Result], None] | None = None,
        jobs: int = 1,
        prepare: Callable[[], None] | None = None,
    ) -> RunResult:
        """Check every input, in `jobs` processes, calling `progress` after each.

        Results come back in input order whatever the number of processes. `prepare` is
        called once the workers have their pages, to ready what follows (the report) while
        they check.
        """
        results = StoredResults()
        for result in self._results(refs, stdin_data, jobs, prepare):
            if progress:
                progress(result)
            results.append(result.for_report())
        rules = sorted(
            (
                RuleInfo(
                    f"{rs.id}.{c.id}", c.type, c.severity, c.clause, rs.spec.terms_url, rs.name
                )  # type: ignore[attr-defined]
                for rs in self.applicable
                for c in rs.checks
            ),
            key=lambda info: info.id,
        )
        return RunResult(results, tuple(rules))


def too_large(label: str) -> Result:
    """The result of a page that needed more memory than a page may have (PAGE_MEMORY)."""
    return Result(
        label,
        Status.ERROR,
        error=f"{label}: needs more memory than one page may take to check; not judged",
        reason="too-large",
    )


def budgeted_result(future: Future[Any], label: str, budget: float) -> tuple[Result, int]:
    """A worker's (result, bugs); a page whose worker was killed or died is unverifiable."""
    try:
        return future.result()
    except PageTimeout:
        message = (
            f"{label}: not judged: checking it took longer than the page budget of"
            f" {budget:g} s, so its worker was stopped (--page-timeout sets the budget)"
        )
        return Result(label, Status.ERROR, error=message, reason="timed-out"), 0
    except WorkerDied:
        message = f"{label}: the process checking it ended (out of memory or a crash)"
        return Result(label, Status.ERROR, error=message, reason="too-complex"), 0
    except RuntimeError as exc:  # raised in the worker, outside check_input's own guard
        message = f"internal error while checking it ({exc}); this is a bug in compliance"
        return Result(label, Status.ERROR, error=message), 1


_worker: Checker | None = None


def start_worker(
    rulesets: Sequence[RuleSet],
    matcher: Matcher | None,
    terms: str | None = None,
    terms_origin: str = "--terms",
    images: ImageReading | None = None,
) -> None:
    """Initialise a checking process of a pool.

    Ctrl-C reaches every process of the terminal's group; only the parent acts on it (it
    stops the pool), so a worker does not die with a traceback of its own.
    """
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Checker(rulesets, matcher, terms=terms, terms_origin=terms_origin, images=images)


def worker_checker() -> Checker:
    """This worker process's Checker."""
    assert _worker is not None, "start_worker was not run in this process"
    return _worker


def _check_in_worker(ref: InputRef, stdin_data: bytes | None) -> tuple[Result, int]:
    checker = worker_checker()
    before = checker.bugs
    result = checker.check_input(ref, stdin_data)
    return result, checker.bugs - before


def evaluate(
    article: Article,
    ruleset: RuleSet,
    match: Match | None = None,
    reason: str | None = None,
    archived: bool = False,
    images: ImageReading | None = None,
) -> Result:
    """Run every check of `ruleset` on `article`; findings come in the rule file's order.
    `archived`: an archive of originals was given (checks say what they lacked)."""
    ctx = CheckContext(article, ruleset, match, archived=archived, images=images)
    original_key = (match.original.url or match.original.id) if match else None
    for check in sorted(ruleset.checks, key=lambda c: phase(c.type)):  # type: ignore[attr-defined]
        ctx.outcomes[check.id] = check_module(check.type).run(check, ctx)  # type: ignore[attr-defined]
    findings = tuple(
        Finding(
            check=check.type,  # type: ignore[attr-defined]
            rule=f"{ruleset.id}.{check.id}",
            passed=ctx.outcomes[check.id].passed,
            severity=check.severity,
            message=ctx.outcomes[check.id].message,
            evidence=ctx.outcomes[check.id].evidence,
            location=ctx.outcomes[check.id].location,
            details=ctx.outcomes[check.id].details,
            judged=ctx.outcomes[check.id].judged,
            clause=check.clause,
            fix=check.fix,
            basis=check.basis,  # type: ignore[attr-defined]
            fingerprint=fingerprint(
                f"{ruleset.id}.{check.id}",
                original_key,
                article.source,
                check.type,  # type: ignore[attr-defined]
            ),
        )
        for check in ruleset.checks
    )
    return Result(
        article.source,
        status_from_findings(findings),
        ruleset=ruleset.id,
        ruleset_name=ruleset.name,
        match=match,
        findings=findings,
        detected_by=reason,
        anchor=_anchor(article),
    )


def _anchor(article: Article) -> Location | None:
    """The article's headline block, or its first block: where missing credits belong."""
    for block in article.blocks:
        if article.title and block.text == article.title:
            return block.location
    return article.blocks[0].location if article.blocks else None
