"""The audit commands: `compliance audit` (crawl, check, store) and `compliance report`.

Registered on the main app by `compliance.cli`; kept apart so the editor's `check` loads none
of the crawling, storage or report-template code.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance import DISTRIBUTION
from compliance.cli.app import (
    EXIT_BUG,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USER_ERROR,
    AllowHostsOption,
    AllowPrivateOption,
    DelayOption,
    IgnoreRobotsOption,
    IndexOption,
    OriginalsOption,
    PageTimeoutOption,
    RulesOption,
    TimeoutOption,
    app,
    fail,
    open_index,
    originals_as_paths,
    stderr,
    stdout_console,
    warn,
    warn_about_archive,
)
from compliance.common.budget import PAGE_BUDGET
from compliance.common.printable import printable
from compliance.errors import UserError

if TYPE_CHECKING:
    from compliance.audit.runner import Audit
    from compliance.audit.sources import Expanded
    from compliance.audit.store import PageRecord, Run, Store
    from compliance.discover.on_cluster import Cluster
    from compliance.discover.partners import Partners
    from compliance.engine import Checker
    from compliance.web.politeness import PoliteFetcher

DEFAULT_DB = "compliance-audit.sqlite"
# The audit report's formats by the extension of --output.
_REPORT_SUFFIXES = {
    ".html": ("html",), ".htm": ("html",), ".json": ("json",), ".csv": ("csv",),
    ".md": ("markdown",), ".markdown": ("markdown",),
}  # fmt: skip
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        metavar="PATH",
        help="The audit history: a SQLite file (audit creates it), or sqlite:///PATH.",
    ),
]


class SourceType(StrEnum):
    auto = "auto"
    urls = "urls"
    sitemap = "sitemap"
    feed = "feed"
    manifest = "manifest"
    pages = "pages"
    access_log = "access-log"


class DiscoverMode(StrEnum):
    copies = "copies"
    all = "all"


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    json = "json"
    csv = "csv"


@app.command()
def audit(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SOURCE]...",
            help="What to audit: files of URLs (one a line, # comments), XML sitemaps,"
            " RSS/Atom feeds, directories of saved pages, single pages, or CSV manifests"
            " (a url column, and an original_id or original_url column); local or http(s).",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = None,
    originals: OriginalsOption = None,
    index_dir: IndexOption = None,
    db: DbOption = DEFAULT_DB,
    label: Annotated[
        str | None,
        typer.Option(
            "--label",
            metavar="NAME",
            help="Name this audit series; runs with one label are compared week over week"
            " (default: runs over the same sources).",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Finish the last interrupted run in --db, as it began."),
    ] = False,
    concurrency: Annotated[
        int, typer.Option("--concurrency", metavar="N", help="Pages fetched at once.")
    ] = 16,
    per_host: Annotated[
        int, typer.Option("--per-host", metavar="N", help="Requests in flight to one host.")
    ] = 2,
    delay: DelayOption = 1.0,
    timeout: TimeoutOption = 30.0,
    ignore_robots: IgnoreRobotsOption = False,
    allow_private: AllowPrivateOption = False,
    page_timeout: PageTimeoutOption = PAGE_BUDGET,
    allow_hosts: AllowHostsOption = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", metavar="N", help="Processes checking pages; 0: every core."),
    ] = 0,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            help="Run on a Dask cluster (tcp://scheduler:8786), sharded by republisher."
            " Needs the `dask` extra.",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress bar or summary, only warnings and errors (cron)."
        ),
    ] = False,
    terms: Annotated[
        str | None,
        typer.Option(
            "--terms",
            metavar="ID",
            help="Judge every page under the rule set with this id, whatever detection says"
            " (an audit of one newswire's partners).",
        ),
    ] = None,
    source_type: Annotated[
        SourceType,
        typer.Option(
            "--source-type",
            help="What the sources are. auto: a .txt/.urls/.list file is a URL list, .csv a"
            " manifest, .html/.md a saved page, a directory saved pages; other files and"
            " fetched sources are recognised as sitemaps or feeds by their content."
            " access-log: a tracking pixel's web server log (Common/Combined, gzip too),"
            " each hit's Referer a copy.",
            case_sensitive=False,
        ),
    ] = SourceType.auto,
    partners_file: Annotated[
        Path | None,
        typer.Option(
            "--partners",
            metavar="FILE",
            help="Audit the partners this file names (partners.yaml): discovery reads each"
            " site's sitemaps and feeds and fetches only the pages that can be copies of the"
            " archive's stories; the report and fix requests are per partner.",
        ),
    ] = None,
    fetch_images: Annotated[
        bool,
        typer.Option(
            "--fetch-images/--no-fetch-images",
            help="Fetch the images a logo check compares with its rule set's reference logos"
            " (at the pages' pace per host, cached on disk by URL across pages and weeks).",
        ),
    ] = True,
    discover_mode: Annotated[
        DiscoverMode,
        typer.Option(
            "--discover",
            help="With --partners: copies: fetch listed pages whose listing links to the"
            " newswire, carries an original's text or a title close to one; all: also every"
            " other page new or changed since the last run.",
            case_sensitive=False,
        ),
    ] = DiscoverMode.copies,
) -> None:
    """Audit republished copies: fetch each page, check it, keep the results in --db.

    Every page result is committed as it completes: after Ctrl-C or a crash, `--resume`
    finishes the run. Pages that cannot be fetched or read are recorded as unverifiable,
    with the reason. A page whose bytes, rules and originals are unchanged since a stored
    verdict keeps that verdict without being checked again. Exit 1 when a page fails an
    error-level requirement; exit 2 when the run could check no page at all (it is then
    never the run a later one is compared with).
    """
    from compliance.archive.declared import Declared
    from compliance.audit.runner import Audit, AuditOptions, begin, changed_rules, now
    from compliance.audit.sources import expand_sources
    from compliance.audit.store import Store, store_path
    from compliance.engine import Checker
    from compliance.terms.loading import load_rulesets
    from compliance.web.fetch import Fetcher
    from compliance.web.politeness import PoliteFetcher

    try:
        if resume and sources:
            raise UserError("--resume finishes the last run as it began: give no sources")
        if resume and partners_file:
            raise UserError("--resume finishes the last run as it began: give no --partners")
        if not resume and not sources and partners_file is None:
            raise UserError(
                "nothing to audit: give sources (files of URLs, sitemaps, feeds…) or --partners"
            )
        for name, value in (("--concurrency", concurrency), ("--per-host", per_host)):
            if value < 1:
                raise UserError(f"{name} {value}: give at least 1")
        if delay < 0 or timeout <= 0 or page_timeout <= 0:
            raise UserError("--delay must be 0 or more, --timeout and --page-timeout more than 0")
        if cluster:
            _need_dask()
        store = Store(store_path(db))
        if resume:
            run = store.unfinished()
            if run is None:
                raise UserError(f"{db}: no interrupted audit to resume")
            store.claim_run(run.id)
            options = AuditOptions.from_json(run.options)
            rulesets = load_rulesets([Path(r["path"]) for r in run.rules])
            originals_paths = [Path(p) for p in run.originals]
            declared = Declared(tuple(run.declared))
            for changed in changed_rules(run):
                warn(changed)
        else:
            options = AuditOptions(
                concurrency=concurrency,
                per_host=per_host,
                interval=delay,
                obey_robots=not ignore_robots,
                allow_private=allow_private,
                allow_hosts=tuple(allow_hosts or ()),
                deadline=timeout,
                page_timeout=page_timeout,
                terms=terms,
                fetch_images=fetch_images,
            )
            rulesets = load_rulesets(rules)
            originals_paths, declared = originals_as_paths(
                list(originals or []), lambda _address: options.policy()
            )
        index = open_index(originals_paths, index_dir).index if originals_paths else None
        matcher = None
        if index is not None and len(index):
            from compliance.archive.match import Matcher

            matcher = Matcher(index, declared=declared)
        terms_checker = Checker(rulesets, matcher)
        if options.terms is not None:
            terms_checker.apply_terms(options.terms)
        warn_about_archive(terms_checker, index)
        if not resume:
            partners = None
            if partners_file is not None:
                from compliance.discover.partners import expired_waivers, load_partners

                partners = load_partners(partners_file)
                for lapsed in expired_waivers(partners, date.today()):
                    warn(lapsed)
                for partner in partners.partners:
                    if partner.terms:  # said with the file and the partner that names them
                        where = f"{partners_file}: partner {partner.id}"
                        terms_checker.check_terms(partner.terms, where)
            with Fetcher(options.policy()) as fetcher:
                polite = PoliteFetcher(fetcher, per_host, delay, not ignore_robots)
                expanded = expand_sources(list(sources or []), polite, str(source_type))
                if partners is not None:
                    from compliance.discover.on_cluster import Cluster

                    everything = discover_mode is DiscoverMode.all
                    on = Cluster(cluster, options) if cluster else None
                    _discover_into(expanded, partners, polite, store, terms_checker, index,
                                   matcher, everything, quiet, on)  # fmt: skip
            for problem in expanded.problems:
                warn(problem)
            if not expanded.targets:
                raise UserError("the sources list no pages to audit")
            described = list(sources or [])
            if partners is not None:
                described.append(f"partners:{partners_file}")
            run = begin(
                store,
                described,
                expanded.targets,
                expanded.problems,
                rulesets,
                options,
                originals_paths,
                label,
                now,
                declared,
            )
            if partners is not None:
                store.record_partners(run.id, partners.partners)
    except UserError as exc:
        raise fail(exc) from None

    from compliance.model import utc_timestamp

    runner = Audit(store, rulesets, matcher, options, jobs or os.cpu_count() or 1, cluster)
    try:
        _execute(runner, run, quiet)
        counts = store.status_counts(run.id)
        checked = sum(counts.get(s, 0) for s in ("pass", "warn", "fail", "unmatched"))
        store.finish_run(run.id, utc_timestamp(), "complete" if checked else "empty")
    except UserError as exc:  # the store failed mid-run (a full disk): what is in it stays
        raise fail(exc) from None
    finally:
        with contextlib.suppress(UserError):
            store.release_run(run.id)  # stopped or failed: --resume may take the run at once
    if not quiet or not checked:
        _summarise(run, counts, db, runner, checked)
    if runner.bugs:
        raise typer.Exit(EXIT_BUG)
    if not checked:
        raise typer.Exit(EXIT_USER_ERROR)
    raise typer.Exit(EXIT_FINDINGS if counts.get("fail") else EXIT_OK)


def _discover_into(
    expanded: Expanded,
    partners: Partners,
    polite: PoliteFetcher,
    store: Store,
    checker: Checker,
    index: object,
    matcher: object,
    everything: bool,
    quiet: bool,
    cluster: Cluster | None,
) -> None:
    """Add the pages discovery chose on the partners' sites to `expanded`, and say how many
    it looked at and left; with `cluster`, the sites are read on that Dask cluster."""
    from compliance.discover.run import discover

    domains = tuple(
        dict.fromkeys(d for r in checker.rulesets for d in getattr(r.spec, "domains", None) or ())
    )
    sites = sum(len(p.sites) for p in partners.partners)
    done = 0

    def on_site(origin: str) -> None:
        nonlocal done
        done += 1
        if not quiet and stderr.is_terminal:
            line = f"discovering: site {done} of {sites}, {printable(origin)}"
            stderr.print(line, end="\r", markup=False, highlight=False)

    found = discover(partners, polite, store, index, matcher, domains, everything, on_site, cluster)
    seen = {t.url for t in expanded.targets}
    expanded.targets.extend(t for t in found.targets if t.url not in seen)
    expanded.problems.extend(found.problems)
    if not quiet:
        stderr.print(f"discovery: {found.summary()}", markup=False, highlight=False)


def _need_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UserError(f"--cluster needs Dask: pip install '{DISTRIBUTION}[dask]'") from None


def _execute(runner: Audit, run: Run, quiet: bool) -> None:
    """Run the audit with a progress bar on a terminal; Ctrl-C keeps what is recorded."""
    total = len(runner.store.targets(run.id))
    done_before = runner.store.count_pages(run.id)
    try:
        if quiet or not stderr.is_terminal:
            runner.execute(run)
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        progress = Progress(
            TextColumn("auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} pages/s"),
            TextColumn("[red]{task.fields[failing]} failing[/]"),
            TextColumn("{task.fields[unverifiable]} unverifiable"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=stderr,
            transient=True,
        )
        counts = {"fail": 0, "unverifiable": 0}
        with progress:
            task = progress.add_task(
                "audit", total=total, completed=done_before, rate=0.0, failing=0, unverifiable=0
            )

            def on_page(record: PageRecord) -> None:
                counts[record.status] = counts.get(record.status, 0) + 1
                elapsed = progress.tasks[0].elapsed or 1e-9
                done = progress.tasks[0].completed - done_before + 1
                progress.update(
                    task,
                    advance=1,
                    rate=done / elapsed,
                    failing=counts["fail"],
                    unverifiable=counts["unverifiable"],
                )

            runner.execute(run, on_page)
    except KeyboardInterrupt:
        kept = runner.store.count_pages(run.id)
        stderr.print(
            f"interrupted: {kept:,} of {total:,} pages are recorded; finish the run with"
            f" `compliance audit --resume --db {runner.store.path}`"
        )
        raise typer.Exit(130) from None


def _summarise(run: Run, counts: dict[str, int], db: str, runner: Audit, checked: int) -> None:
    """One line of what the run did, the unverifiable pages' reasons counted, and what next."""
    parts = ", ".join(
        f"{counts.get(status, 0):,} {status}"
        for status in ("pass", "warn", "fail", "unmatched", "unverifiable")
    )
    pages = sum(counts.values())
    line = f"audit {run.id}: {pages:,} page{'s' * (pages != 1)}: {parts}"
    if runner.reused:
        line += f" ({runner.reused:,} unchanged, verdict kept)"
    unverifiable = runner.store.pages(run.id, "unverifiable")
    if unverifiable:
        codes = Counter(p.result.get("reason") or "unreadable" for p in unverifiable)
        line += "; unverifiable: " + ", ".join(f"{n:,} {code}" for code, n in codes.most_common())
    stderr.print(line, highlight=False)
    if runner.cluster_work is not None:
        stderr.print(runner.cluster_work.summary(), markup=False, highlight=False)
    if not checked:
        reasons = Counter(p.reason or "no reason recorded" for p in unverifiable)
        stderr.print(
            "error: no page could be checked, so this run is not a week of the audit (it will"
            f" not be compared with the next).{_reasons_in_words(reasons)}",
            highlight=False,
        )
        return
    stderr.print(
        f"report: compliance report --db {db} --format html --output audit.html",
        highlight=False,
    )


def _reasons_in_words(reasons: Counter[str]) -> str:
    """Why pages could not be checked: each reason on its own line with its page count, the
    commonest first (a reason holds semicolons of its own, so one line would run them on)."""
    if not reasons:
        return " No page was listed."
    shown = reasons.most_common(5)
    lines = [f"\n  {n:,} page{'s' * (n != 1)}: {reason}" for reason, n in shown]
    more = sum(reasons.values()) - sum(n for _, n in shown)
    if more:
        lines.append(f"\n  {more:,} page{'s' * (more != 1)}: other reasons")
    return "".join(lines)


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DATE", help="Compare with the last run before DATE (YYYY-MM-DD)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Report the last run started by DATE."),
    ] = None,
    run_id: Annotated[
        str | None, typer.Option("--run", metavar="ID", help="Report this run.")
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html, markdown, json or csv. [default: from --output, else markdown]",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report here.")
    ] = None,
    fix_requests: Annotated[
        Path | None,
        typer.Option(
            "--fix-requests",
            metavar="DIR",
            help="Also write one fix request per republisher with failing pages: DOMAIN.txt,"
            " naming each article, what is missing and the newswire's terms.",
        ),
    ] = None,
) -> None:
    """Report an audit from the store: per republisher, what is new, what was fixed.

    By default the latest complete run is compared with the run before it over the same
    sources (or label).
    """
    from compliance.audit.fix_requests import write_fix_requests
    from compliance.audit.formats import AUDIT_FORMATS
    from compliance.audit.report import build_report
    from compliance.audit.store import Store, store_path
    from compliance.common.files import format_for_file, write_atomic

    chosen = output_format.value if output_format else None
    try:
        if output is not None:
            chosen, warning = format_for_file(output, chosen, _REPORT_SUFFIXES, "markdown")
            if warning:
                warn(warning)
        chosen = chosen or "markdown"
        path = store_path(db)
        if not path.exists():
            raise UserError(f"{db}: no such audit database; run `compliance audit --db {db}` first")
        store = Store(path, read_only=True)  # a report never writes to the history
        audit_report = build_report(store, since, until, run_id)
        text = AUDIT_FORMATS[chosen](audit_report)
        if output is not None:
            write_atomic(output, text)
        else:
            stdout_console().file.write(text)
        if fix_requests is not None:
            written = write_fix_requests(audit_report, fix_requests)
            count = len(written)
            stderr.print(
                f"{count} fix request{'s' * (count != 1)} written to {fix_requests}",
                highlight=False,
            )
    except UserError as exc:
        raise fail(exc) from None
