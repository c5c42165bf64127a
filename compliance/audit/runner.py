"""The weekly audit: fetch every listed copy, check it, and store each result as it completes.

Locally, pages are fetched by threads (the work is waiting on servers, and politeness is kept
in one place per host) and checked by a process pool (the work is parsing and matching). With
a Dask cluster, the pages are sharded by republisher domain, and each shard fetches and checks
its own pages with its own politeness; results stream back into the store shard by shard.

The store is written only here, in the main process, one transaction per page: stopping the
audit at any moment loses nothing already recorded, and `resume` does the rest.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance import __version__
from compliance.archive.alignment import paragraph_keys
from compliance.audit.republishers import republisher, saved_page_republisher
from compliance.audit.site_boilerplate import SiteBoilerplate
from compliance.audit.sources import Target
from compliance.audit.store import PageRecord, Run, Store, Version
from compliance.audit.waivers import PartnerWaivers
from compliance.checks.base import VALID_UNTIL
from compliance.common.budget import PAGE_BUDGET, BudgetedPool, near_memory_cap
from compliance.common.dates import parse_date
from compliance.engine import (
    PARALLEL_FROM,
    Checker,
    budgeted_result,
    start_worker,
    too_large,
    worker_checker,
)
from compliance.errors import InputError
from compliance.model import Result, Status, utc_timestamp
from compliance.read.extract import extract
from compliance.read.sources import MAX_INPUT_BYTES, PAGE_SUFFIXES, kind_of_type, page_from_bytes
from compliance.report.json_report import result_to_json
from compliance.terms.ruleset import RuleSet
from compliance.web.fetch import Fetched, Fetcher, FetchPolicy
from compliance.web.politeness import PoliteFetcher, origin_of

if TYPE_CHECKING:
    from compliance.archive.declared import Declared
    from compliance.archive.match import Matcher
    from compliance.read.pixels import ImageReading

UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class AuditOptions:
    """How an audit fetches. Kept with the run, so a resumed run fetches the same way."""

    concurrency: int = 16  # pages fetched at once, over all hosts
    per_host: int = 2  # requests in flight to one host
    interval: float = 1.0  # seconds between two requests to one host (Crawl-delay raises it)
    obey_robots: bool = True
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()  # hosts trusted at private addresses (intranet audits)
    deadline: float = 30.0  # seconds for one request, redirects included
    page_timeout: float = PAGE_BUDGET  # seconds to check one page before its worker is killed
    max_bytes: int = MAX_INPUT_BYTES
    terms: str | None = None  # a rule set applied to every page (--terms), not fetching
    fetch_images: bool = True  # images compared with reference logos are fetched (cached)

    def policy(self) -> FetchPolicy:
        return FetchPolicy(
            allow_private=self.allow_private,
            allow_hosts=frozenset(h.lower() for h in self.allow_hosts),
            max_bytes=self.max_bytes,
            deadline=self.deadline,
        )

    def worker_fetcher(self, session: str) -> PoliteFetcher:
        """This process's fetcher for one audit's `session`, at its pace per host and obeying
        robots.txt as it is told to; kept for the session's later tasks, so that on a Dask
        worker robots.txt is read once and `--delay` holds from one chunk of a host's pages
        to the next. A later audit gets a fresh one (robots.txt may have changed)."""
        found = _FETCHERS.get((self, session))
        if found is None:
            while len(_FETCHERS) >= 4:
                _FETCHERS.pop(next(iter(_FETCHERS))).fetcher.close()
            fetcher = Fetcher(self.policy(), connections=self.per_host).__enter__()
            found = _FETCHERS[(self, session)] = PoliteFetcher(
                fetcher, self.per_host, self.interval, self.obey_robots
            )
        return found

    def image_reading(self) -> ImageReading:
        """How checks read images: fetched as pages are, at the same pace per host."""
        from compliance.read.pixels import ImageReading

        return ImageReading(
            fetch=self.fetch_images,
            allow_private=self.allow_private,
            delay=self.interval,
            obey_robots=self.obey_robots,
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AuditOptions:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "allow_hosts" in known:
            known["allow_hosts"] = tuple(known["allow_hosts"])
        return cls(**known)


_FETCHERS: dict[tuple[AuditOptions, str], PoliteFetcher] = {}


def sources_key(sources: Sequence[str], label: str | None) -> str:
    """Which runs are "the same audit" for week-over-week comparisons: by label, else sources."""
    if label:
        return f"label:{label}"
    named = sorted(s if "://" in s else str(Path(s).resolve()) for s in sources)
    return "sources:" + hashlib.sha256(json.dumps(named).encode()).hexdigest()[:16]


def rules_record(rulesets: Sequence[RuleSet]) -> list[dict[str, str]]:
    """Each rule set in use: id, name, terms (for fix requests), file and the file's SHA-256."""
    return [
        {
            "id": rs.id,
            "name": rs.name,
            "terms": rs.spec.terms,
            "terms_url": rs.spec.terms_url,
            "contact": rs.spec.contact or "",
            "path": str(rs.path),
            "sha256": hashlib.sha256(rs.path.read_bytes()).hexdigest(),
            "digest": ruleset_digest(rs),
        }
        for rs in rulesets
    ]


def changed_rules(run: Run) -> list[str]:
    """Rule files that changed (or went away) since the run began, for a resumed run."""
    changed = []
    for rule in run.rules:
        path = Path(rule["path"])
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            changed.append(f"{path}: the run's rule file is gone")
            continue
        if digest != rule["sha256"]:
            changed.append(
                f"{path}: changed since the run began; its pages are checked as it is now"
            )
    return changed


def new_run_id(started: datetime) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


# ---------------------------------------------------------------- one page


@dataclass(frozen=True)
class Loaded:
    """A page's bytes as fetched or read, or why there are none."""

    fetched: Fetched
    kind: str | None = None


def load_target(target: Target, fetcher: PoliteFetcher, version: Version | None) -> Loaded:
    """Fetch a URL (conditionally, when a version is known) or read a saved page."""
    if target.path is not None:
        path = Path(target.path)
        try:
            size = path.stat().st_size
            if size > MAX_INPUT_BYTES:
                limit = MAX_INPUT_BYTES // 1048576
                return Loaded(Fetched(target.url, error=f"over the {limit} MiB limit for a page"))
            body = path.read_bytes()
        except OSError as exc:
            return Loaded(Fetched(target.url, error=f"cannot read it: {exc.strerror or exc}"))
        return Loaded(Fetched(target.url, body=body), PAGE_SUFFIXES.get(path.suffix.lower()))
    got = fetcher.fetch(
        target.url,
        version.etag if version else None,
        version.last_modified if version else None,
    )
    return Loaded(got, kind_of_type(got.content_type))


def check_body(
    checker: Checker,
    target: Target,
    body: bytes,
    kind: str | None,
    fetched: Fetched,
    site: frozenset[int] = frozenset(),
) -> Result:
    """The verdict on one page's bytes; an unreadable page is an `error` result. With an
    archive, the result carries the page's paragraph keys (site_boilerplate); `site` holds
    the paragraphs its site repeats, left out of matching."""
    try:
        page = page_from_bytes(target.url, body, kind, fetched.charset, fetched.final_url)
        article = extract(page)
        result = checker.check_article(article, target.original, site, target.terms)
        if checker.matcher is None:
            return result
        texts = [b.text for b in article.blocks]
        if result.match is not None:
            texts.extend(article.paragraphs)  # read already: matching needed them
        return replace(result, paragraph_keys=paragraph_keys(texts))
    except InputError as exc:
        return Result(target.url, Status.ERROR, error=exc.message, reason=exc.reason)
    except MemoryError:
        return too_large(target.url)
    except Exception as exc:  # one page must not stop an audit of thousands
        if near_memory_cap():
            return too_large(target.url)
        checker.bugs += 1
        return Result(
            target.url,
            Status.ERROR,
            error=f"internal error while checking it ({type(exc).__name__}: {exc})",
        )


def ruleset_digest(ruleset: RuleSet) -> str:
    """SHA-256 of a rule set as applied, merged with every base it extends: a change to a
    base changes it, while the file's own hash does not."""
    spec = json.dumps(ruleset.spec.to_json(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()


def judgement_key(
    rulesets: Sequence[RuleSet], matcher: Matcher | None, terms: str | None = None
) -> str:
    """What a verdict depends on besides the page's bytes: every rule set as merged with the
    bases it extends, the originals' index (its source files and parameters) and the tool's
    version. Two runs with the same key give the same bytes the same verdict."""
    rules = sorted(ruleset_digest(r) for r in rulesets)
    originals = (
        {k: v for k, v in matcher.index.manifest.items() if k not in ("built", "build_seconds")}
        if matcher is not None
        else None
    )
    declared = matcher.declared.roots if matcher is not None else ()
    payload = json.dumps(
        [__version__, rules, originals, *([[list(declared), terms]] if declared or terms else [])],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _page_key(key: str, target: Target) -> str:
    """The judgement key of one page: a manifest's named original is tried first, and a
    partner's terms judge it, so both are part of what judged it."""
    if not target.original and not target.terms:
        return key
    named = f"{key}\x1f{target.original or ''}"
    if target.terms:
        named += f"\x1fterms={target.terms}"
    return hashlib.sha256(named.encode()).hexdigest()


def _domain(
    target: Target, fetched: Fetched, result: Result | None, before: str | None = None
) -> str:
    if target.path is not None:
        return saved_page_republisher(target, result, before)
    return republisher(fetched.final_url or target.url)


def make_record(
    position: int,
    target: Target,
    fetched: Fetched,
    result: Result | None,
    body: bytes | None,
    judged_with: str | None = None,
    reused: PageRecord | None = None,
) -> PageRecord:
    """The stored form of a page: its verdict, its evidence and the body it was judged on.

    `reused`: the stored verdict on the same bytes under the same judgement key, which is
    this page's verdict now without checking it again.
    """
    if reused is not None:
        return replace(
            reused,
            position=position,
            domain=_domain(target, fetched, None, reused.domain),
            fetched_at=fetched.fetched_at,
            final_url=fetched.final_url,
            http_status=fetched.status,
            etag=fetched.etag or reused.etag,
            last_modified=fetched.last_modified or reused.last_modified,
            not_modified=fetched.not_modified,
            body=body,
            content_type=fetched.content_type or reused.content_type,
            charset=fetched.charset or reused.charset,
        )
    reason, code = fetched.error, "fetch-failed"
    if result is not None and result.status is Status.ERROR:
        reason, code = result.error, result.reason or "unreadable"
    if reason is not None or result is None:
        status = UNVERIFIABLE
        document = {
            "input": target.url,
            "status": UNVERIFIABLE,
            "ruleset": None,
            "original": None,
            "findings": [],
            "error": reason,
            "reason": code,
            "detected_by": None,
        }
    else:
        status = result.status.value
        document = result_to_json(result)
    original = document.get("original") or {}
    return PageRecord(
        url=target.url,
        position=position,
        domain=_domain(target, fetched, result),
        status=status,
        fetched_at=fetched.fetched_at,
        result=document,
        reason=reason,
        ruleset=document.get("ruleset"),
        original_id=original.get("id"),
        original_url=original.get("url"),
        final_url=fetched.final_url,
        http_status=fetched.status,
        content_hash=hashlib.sha256(body).hexdigest() if body is not None else None,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        not_modified=fetched.not_modified,
        body=body,
        content_type=fetched.content_type or None,
        charset=fetched.charset,
        judged_with=judged_with if reason is None and result is not None else None,
    )


# ---------------------------------------------------------------- shards (Dask)


@dataclass(frozen=True)
class ShardContext:
    """What a shard needs to fetch and check its pages on any worker."""

    rulesets: tuple[RuleSet, ...]
    matcher: Matcher | None
    options: AuditOptions
    key: str = ""  # the audit's judgement key: one checking pool per key in each worker
    session: str = ""  # this audit's invocation: one fetcher per session in each worker


# A republisher's pages go to the cluster in chunks of this many, run one after another
# (politeness holds across them), so results come back as chunks finish, not per republisher.
CHUNK_PAGES = 20
_pools: dict[str, BudgetedPool] = {}


def _shard_pool(context: ShardContext) -> BudgetedPool:
    """The checking pool of this Dask worker for this audit, started on first use and kept
    for the worker's later chunks: a page that hangs a parser is stopped at the same budget
    as in a local run, and the worker goes on."""
    pool = _pools.get(context.key)
    if pool is None:
        pool = _pools[context.key] = BudgetedPool(
            1,
            context.options.page_timeout,
            start_worker,
            (
                context.rulesets,
                context.matcher,
                context.options.terms,
                "--terms",
                context.options.image_reading(),
            ),
        )
    return pool


Job = tuple[int, Target, Version | None]


Shipped = tuple[int, Target, Loaded, Result | None]


def audit_shard(
    jobs: list[Job], context: ShardContext, _after_chunk: object = None
) -> tuple[str, list[Shipped]]:
    """Fetch and check one republisher's pages, in order, at the host's pace.

    A page answered with 304 comes back without a result: its body is in the store, so the
    caller checks it there. Returns the worker's address too, for the run's throughput.
    """
    options = context.options
    pool = _shard_pool(context)
    polite = options.worker_fetcher(context.session)
    # Each page's check is queued as soon as it is fetched, so the next page is fetched (at
    # the host's pace) while this one is checked; the pool holds each to its budget.
    fetched = []
    for position, target, version in jobs:
        loaded = load_target(target, polite, version)
        got = loaded.fetched
        checking = None
        if got.ok and got.body is not None:
            checking = pool.submit(_check_in_worker, target, loaded)
        fetched.append((position, target, loaded, checking))
    out = []
    for position, target, loaded, checking in fetched:
        result = None
        if checking is not None:
            result, _bugs = budgeted_result(checking, target.url, options.page_timeout)
        out.append((position, target, loaded, result))
    return _worker_address(), out


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # called outside a worker (a test calling the shard directly)
        return "local"


def without_profiler(dask_worker: Any) -> None:
    """Stop a Dask worker's sampling profiler (`client.run`): on Python before 3.11.9 its
    sys._current_frames can deadlock a worker mid-chunk (python/cpython#106883), and the
    worker that replaces it runs the chunks again. Its samples only feed the dashboard."""
    for name in ("profile", "profile-cycle"):
        callback = dask_worker.periodic_callbacks.get(name)
        if callback is not None:
            callback.stop()


def chunks(jobs: Sequence[Job]) -> list[list[list[Job]]]:
    """Each republisher's jobs (shards) cut into chunks of CHUNK_PAGES, in order."""
    return [
        [shard[i : i + CHUNK_PAGES] for i in range(0, len(shard), CHUNK_PAGES)]
        for shard in shards(jobs)
    ]


def _after(_previous: object) -> None:
    """A token that a chunk is done, so the next chunk of its republisher may start."""


def shards(jobs: Sequence[Job]) -> list[list[Job]]:
    """Jobs grouped by republisher domain: politeness never needs two shards to agree."""
    grouped: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        grouped[republisher(job[1].url, job[1].path, job[1].source)].append(job)
    return [grouped[domain] for domain in sorted(grouped)]


def interleave(jobs: Sequence[Job]) -> list[Job]:
    """Jobs taken from each host in turn, so fetch threads are not all queued on one host."""
    by_host: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        by_host["" if job[1].path else origin_of(job[1].url)].append(job)
    rounds = zip_longest(*by_host.values())
    return [job for turn in rounds for job in turn if job is not None]


# ---------------------------------------------------------------- the run


COMMIT_PAGES = 50  # results committed together at most
COMMIT_EVERY = 0.25  # seconds a ready result may wait for its commit


@dataclass
class Audit:
    """One audit run over a store: starts or resumes it, and records every page's result."""

    store: Store
    rulesets: Sequence[RuleSet]
    matcher: Matcher | None
    options: AuditOptions
    jobs: int = 1  # processes checking pages (local runs)
    cluster: str | None = None  # a Dask scheduler address
    bugs: int = 0
    reused: int = 0  # verdicts taken from the store: same bytes, same judgement key
    # The paragraphs each site repeats over this run's checked pages, and its copies.
    site_paragraphs: SiteBoilerplate = field(default_factory=SiteBoilerplate)
    cluster_work: ClusterWork | None = None  # what a run on a Dask cluster did

    @cached_property
    def key(self) -> str:
        """The judgement key of this audit's verdicts (judgement_key)."""
        return judgement_key(self.rulesets, self.matcher, self.options.terms)

    def _reusable(self, job: Job, loaded: Loaded) -> PageRecord | None:
        """The stored verdict on the very bytes just loaded, under the same judgement. A 304
        names its bytes by the stored version, so their verdict is found without reading
        the body back from the store."""
        got, version = loaded.fetched, job[2]
        if got.not_modified and version is not None:
            digest = version.content_hash
        elif got.ok and got.body is not None:
            digest = hashlib.sha256(got.body).hexdigest()
        else:
            return None
        found = self.store.judged(job[1].url, digest, _page_key(self.key, job[1]))
        if found is not None and _lapsed(found):
            return None
        self.reused += found is not None
        return found

    def pending(self, run: Run) -> list[Job]:
        """The run's pages with no stored result yet, with what is known of their last version."""
        targets = self.store.targets(run.id, pending_only=True)
        versions = self.store.versions([t.url for _, t in targets if t.path is None])
        return [(position, t, versions.get(t.url)) for position, t in targets]

    def execute(self, run: Run, on_page: Callable[[PageRecord], None] | None = None) -> int:
        """Audit the run's remaining pages; returns how many were recorded now.

        Results are committed in small groups, at the latest COMMIT_EVERY seconds after the
        first of them was ready: a killed audit loses at most that much work, which
        `--resume` does again, and never a committed result.
        """
        jobs = self.pending(run)
        waivers = PartnerWaivers(self.store.partners(run.id), date.today())
        recorded = 0
        waiting: list[PageRecord] = []
        since = time.monotonic()
        try:
            for judged in self._records(jobs):
                record = waivers.apply(judged)
                if not waiting:
                    since = time.monotonic()
                waiting.append(record)
                if len(waiting) >= COMMIT_PAGES or time.monotonic() - since >= COMMIT_EVERY:
                    recorded += self.store.record_pages(run.id, waiting)
                    waiting = []
                if on_page:
                    on_page(record)
        finally:
            if waiting:
                recorded += self.store.record_pages(run.id, waiting)
        self._judge_without_site_boilerplate(run, waivers)
        return recorded

    def _judge_without_site_boilerplate(self, run: Run, waivers: PartnerWaivers) -> None:
        """Judge again the copies whose paragraphs include what their site repeats on its
        pages (site_boilerplate), with those paragraphs left out, and store the new verdicts.
        These are copies, a few pages of a run; they are checked here, as bodies a worker
        already read within the page budget."""
        found = self.site_paragraphs.to_recheck()
        if not found or self.matcher is None:
            return
        checker = Checker(
            self.rulesets, self.matcher, terms=self.options.terms,
            images=self.options.image_reading(),
        )  # fmt: skip
        records = []
        for suspect, shared in found:
            job, loaded = suspect.job, suspect.loaded
            body = self.store.body(suspect.body_hash)
            if body is None:
                continue  # not stored (the run ended early): its first verdict stands
            got = replace(loaded.fetched, body=body)
            result = check_body(checker, job[1], body, loaded.kind, got, shared)
            digest = hashlib.sha256(repr(sorted(shared)).encode()).hexdigest()[:16]
            key = f"{_page_key(self.key, job[1])}:site-{digest}"
            records.append(waivers.apply(make_record(job[0], job[1], got, result, got.body, key)))
        self.store.replace_pages(run.id, records)
        self.bugs += checker.bugs
        self.site_paragraphs = SiteBoilerplate()

    def _records(self, jobs: list[Job]) -> Iterator[PageRecord]:
        if not jobs:
            return
        if self.cluster:
            yield from self._on_cluster(jobs)
        else:
            yield from self._locally(jobs)

    def _with_stored_body(self, job: Job, loaded: Loaded) -> Loaded:
        """A 304 answer completed with the body the store kept from the last fetch, and what
        that body was served as (a 304 carries no content type): the page is read exactly
        as it was on its first fetch."""
        got = loaded.fetched
        if not got.not_modified:
            return loaded
        version = job[2]
        body = self.store.body(version.content_hash) if version else None
        if version is None or body is None:
            return replace(loaded, fetched=replace(got, error="HTTP 304 for a page not stored"))
        served = replace(
            got,
            body=body,
            content_type=version.content_type or got.content_type,
            charset=version.charset or got.charset,
        )
        return Loaded(served, kind_of_type(served.content_type))

    def _locally(self, jobs: list[Job]) -> Iterator[PageRecord]:
        options = self.options
        with (
            Fetcher(options.policy(), connections=options.concurrency) as fetcher,
            ThreadPoolExecutor(options.concurrency, thread_name_prefix="fetch") as threads,
            BudgetedPool(
                self.jobs if len(jobs) >= PARALLEL_FROM else 1,
                options.page_timeout,
                start_worker,
                (self.rulesets, self.matcher, options.terms, "--terms", options.image_reading()),
            ) as processes,
        ):
            polite = PoliteFetcher(fetcher, options.per_host, options.interval, options.obey_robots)
            queue = iter(interleave(jobs))
            fetching: dict[Future[Loaded], Job] = {}
            checking: dict[Future[tuple[Result, int]], tuple[Job, Loaded]] = {}
            ahead = options.concurrency * 2

            def top_up() -> None:
                while len(fetching) + len(checking) < ahead:
                    job = next(queue, None)
                    if job is None:
                        return
                    fetching[threads.submit(load_target, job[1], polite, job[2])] = job

            top_up()
            while fetching or checking:
                done, _ = wait([*fetching, *checking], return_when=FIRST_COMPLETED)
                for future in done:
                    if future in fetching:
                        job = fetching.pop(future)
                        loaded = future.result()
                        reused = self._reusable(job, loaded)
                        if reused is not None:
                            got = loaded.fetched
                            yield make_record(job[0], job[1], got, None, None, None, reused)
                            continue
                        loaded = self._with_stored_body(job, loaded)
                        got = loaded.fetched
                        if got.ok and got.body is not None:
                            future = processes.submit(_check_in_worker, job[1], loaded)
                            checking[future] = (job, loaded)
                            continue
                        yield make_record(job[0], job[1], got, None, got.body)
                    else:
                        job, loaded = checking.pop(future)
                        result, bugs = budgeted_result(future, job[1].url, options.page_timeout)
                        self.bugs += bugs
                        got = loaded.fetched
                        key = _page_key(self.key, job[1])
                        record = make_record(job[0], job[1], got, result, got.body, key)
                        self.site_paragraphs.add(record.domain, result, job, loaded)
                        yield record
                top_up()

    def _on_cluster(self, jobs: list[Job]) -> Iterator[PageRecord]:
        from distributed import Client, as_completed

        checker = Checker(
            self.rulesets, self.matcher, terms=self.options.terms,
            images=self.options.image_reading(),
        )  # fmt: skip
        versions = {job[1].url: job for job in jobs}
        context = ShardContext(
            tuple(self.rulesets), self.matcher, self.options, self.key, secrets.token_hex(8)
        )
        with Client(self.cluster) as client:
            client.run(without_profiler)
            runs_before = _shard_runs(client)
            futures = []
            for republisher_chunks in chunks(jobs):
                token = None
                for chunk in republisher_chunks:
                    future = client.submit(
                        audit_shard, chunk, context, token, retries=1, pure=False
                    )
                    token = client.submit(_after, future, pure=False)
                    futures.append(future)
            done = as_completed(futures)
            self.cluster_work = ClusterWork(len(futures))
            futures.clear()  # results are released once stored: the workers stay flat
            for future in done:
                worker, shipped_pages = future.result()
                future.release()
                self.cluster_work.pages[worker] += len(shipped_pages)
                for position, target, shipped, result in shipped_pages:
                    job = versions[target.url]
                    reused = self._reusable(job, shipped) if result is None else None
                    if reused is not None:
                        got = shipped.fetched
                        yield make_record(position, target, got, None, None, None, reused)
                        continue
                    loaded = self._with_stored_body(job, shipped)
                    got = loaded.fetched
                    if result is None and got.ok and got.body is not None:
                        # A 304 in the shard: the body the store kept is checked here.
                        result = check_body(checker, target, got.body, loaded.kind, got)
                    key = _page_key(self.key, target)
                    record = make_record(position, target, got, result, got.body, key)
                    if result is not None:
                        self.site_paragraphs.add(record.domain, result, job, loaded)
                    yield record
            self.cluster_work.runs = _shard_runs(client) - runs_before
        self.bugs += checker.bugs


@dataclass
class ClusterWork:
    """What a cluster run did: its chunks, how often the scheduler ran them, and the pages
    each worker fetched and checked."""

    chunks: int
    runs: int = 0  # chunk runs the scheduler counted; more than `chunks` means re-runs
    pages: Counter[str] = field(default_factory=Counter)  # by worker address
    started: float = field(default_factory=time.monotonic)

    def summary(self) -> str:
        seconds = max(time.monotonic() - self.started, 1e-9)
        again = self.runs - self.chunks
        workers = ", ".join(
            f"{address} {count:,} ({count / seconds:.1f}/s)"
            for address, count in sorted(self.pages.items())
        )
        return (
            f"cluster: {self.chunks:,} chunks, {max(again, 0):,} run again;"
            f" pages per worker: {workers}"
        )


def _shard_runs(client: Any) -> int:
    """How many chunk tasks the scheduler has run so far (for every client it served)."""

    def count(dask_scheduler: Any) -> int:
        prefix = dask_scheduler.task_prefixes.get("audit_shard")
        return int(prefix.state_counts["memory"]) if prefix is not None else 0

    return int(client.run_on_scheduler(count))


def _lapsed(record: PageRecord) -> bool:
    """Whether a stored verdict depended on a moment now past (checks.base.VALID_UNTIL)."""
    now = datetime.now(UTC)
    for finding in record.result.get("findings", []):
        until = parse_date((finding.get("details") or {}).get(VALID_UNTIL))
        if until is not None and until <= now:
            return True
    return False


def _check_in_worker(target: Target, loaded: Loaded) -> tuple[Result, int]:
    checker = worker_checker()
    assert loaded.fetched.body is not None
    before = checker.bugs
    result = check_body(checker, target, loaded.fetched.body, loaded.kind, loaded.fetched)
    return result, checker.bugs - before


def begin(
    store: Store,
    sources: Sequence[str],
    targets: Sequence[Target],
    problems: Sequence[str],
    rulesets: Sequence[RuleSet],
    options: AuditOptions,
    originals: Sequence[Path],
    label: str | None,
    clock: Callable[[], datetime],
    declared: Declared | None = None,
) -> Run:
    """Record a new run with the pages it is to audit, and what it audits them against."""
    started = clock()
    return store.start_run(
        new_run_id(started),
        utc_timestamp(started),
        label,
        sources,
        sources_key(sources, label),
        rules_record(rulesets),
        options.to_json()
        | {"originals": [str(p.resolve()) for p in originals]}
        | ({"declared": [list(d) for d in declared.roots]} if declared and declared.roots else {}),
        targets,
        problems,
        f"compliance {__version__}",
    )


def now() -> datetime:
    return datetime.now(UTC)
