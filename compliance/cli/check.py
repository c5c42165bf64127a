"""`compliance check`: the editor's and the CI pipeline's command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.common.budget import PAGE_BUDGET
from compliance.errors import UserError
from compliance.model import RunResult, Severity, Status
from compliance.report import REPORTERS

if TYPE_CHECKING:
    from compliance.ci.request import CheckRequest
    from compliance.read.pixels import ImageReading
    from compliance.read.sources import InputRef
    from compliance.web.fetch import FetchPolicy

from compliance.cli.app import (
    EXIT_BUG,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USER_ERROR,
    FailOn,
    IndexOption,
    OriginalsOption,
    PageTimeoutOption,
    ReportFormat,
    RulesOption,
    app,
    fail,
    open_index,
    originals_as_paths,
    say_error,
    state,
    stderr,
    stdout_console,
    warn,
    warn_about_archive,
    warn_skipped,
)


def _exit_code(run: RunResult, fail_on: FailOn, archive_problems: bool, bugs: bool) -> int:
    if bugs:
        return EXIT_BUG
    if archive_problems or run.count(Status.ERROR):
        return EXIT_USER_ERROR
    if fail_on is FailOn.never:
        return EXIT_OK
    level = Severity(fail_on.value)
    return EXIT_FINDINGS if any(r.failed(level) for r in run.results) else EXIT_OK


@app.command()
def check(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[INPUT]...",
            help="Pages to check: files, directories (searched for .html .htm .md .markdown"
            " .txt), http(s) URLs, or - for standard input. Default: the configuration's"
            " `include` patterns.",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = None,
    originals: OriginalsOption = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="The report printed on stdout. [default: terminal]"),
    ] = None,
    outputs: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="[FORMAT=]FILE",
            help="Write a report to FILE: FORMAT=FILE for another format (repeatable; the"
            " --format report still goes to stdout), or FILE alone for the --format report"
            " instead of stdout (its extension picks the format when --format is not given:"
            " .json, .sarif, .xml for JUnit, .md, .txt).",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a requirement of this severity or worse fails. [default: error]",
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Same as --fail-on never.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="REPORT",
            help="An earlier JSON report: its failures are reported but do not fail the run.",
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", metavar="FILE", help="Write this run's JSON report here."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="The configuration file. Default: .compliance.yaml or [tool.compliance] in"
            " pyproject.toml, searched upward to the repository root.",
        ),
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", help="Ignore any configuration file.")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Processes to check pages in: 0 (the default) uses every core; runs of fewer"
            " than 8 pages are checked in one worker.",
        ),
    ] = 0,
    index_dir: IndexOption = None,
    page_timeout: PageTimeoutOption = PAGE_BUDGET,
    fetch_images: Annotated[
        bool,
        typer.Option(
            "--fetch-images",
            help="Fetch remote images to compare them with the rule set's reference logos"
            " (a local page's images are read from disk always); at most 12 a page, 2 MiB"
            " each, cached on disk by URL; public addresses only, or the named page's host.",
        ),
    ] = False,
    terms: Annotated[
        str | None,
        typer.Option(
            "--terms",
            metavar="ID",
            help="Apply the rule set with this id to every input, whatever detection says"
            " (a draft you know is, say, a DCNF story).",
        ),
    ] = None,
    fail_on_unmatched: Annotated[
        bool,
        typer.Option(
            "--fail-on-unmatched",
            help="Exit 1 when an input is recognised as no newswire's copy (pages that must be).",
        ),
    ] = False,
) -> None:
    """Check republished copies against the newswire's terms and say what is missing.

    Each input is matched to the newswire's original (with --originals), recognised by its
    rule set's signals, or given its terms (--terms); then every required attribution is
    checked.
    """
    from compliance.ci.config import discover
    from compliance.ci.request import build_request, select_inputs

    try:
        config = discover(config_file, no_config)
        request = build_request(
            config,
            inputs,
            rules,
            originals,
            output_format.value if output_format else None,
            outputs,
            "never" if exit_zero else (fail_on.value if fail_on else None),
            baseline,
            write_baseline,
            terms,
            fail_on_unmatched,
        )
        refs, skipped = select_inputs(request)
    except UserError as exc:
        raise fail(exc) from None
    for warning in request.warnings:
        warn(warning)
    for line in skipped:
        stderr.print(line, markup=False, highlight=False)
    if not refs:
        if request.inputs:  # e.g. a pre-commit hook given only pages the project excludes
            stderr.print(
                "nothing to check: the pages named are excluded by the configuration"
                " or are not .html .htm .md .markdown or .txt files"
            )
            raise typer.Exit(EXIT_OK)
        raise fail(UserError("no pages to check: the configuration's `include` matches none"))
    if jobs < 0:
        raise fail(UserError(f"--jobs {jobs}: give a number of processes, or 0 for every core"))
    if page_timeout < 0:
        raise fail(UserError("--page-timeout: give seconds, or 0 to check in this process"))
    from compliance.read.pixels import ImageReading

    images = ImageReading(fetch=fetch_images)
    raise typer.Exit(
        _run_check(request, refs, jobs or os.cpu_count() or 1, index_dir, page_timeout, images)
    )


def _run_check(
    request: CheckRequest,
    refs: list[InputRef],
    jobs: int,
    index_dir: Path | None,
    page_timeout: float,
    images: ImageReading,
) -> int:
    from compliance.ci.suppress import Suppressions, load_baseline
    from compliance.engine import Checker
    from compliance.terms.loading import load_rulesets

    def policy(address: str) -> FetchPolicy:
        from compliance.web.fetch import FetchPolicy

        # The user named these addresses, as with `check URL`: their own host is theirs.
        return FetchPolicy.for_named(address)

    try:
        rulesets = load_rulesets(request.rules or None)
        originals, declared = originals_as_paths(request.originals, policy)
        index = open_index(originals, index_dir).index if originals else None
        suppressions = Suppressions(
            request.config, load_baseline(request.baseline) if request.baseline else frozenset()
        )
    except UserError as exc:
        raise fail(exc) from None
    problems = index.problems if index is not None else []
    warn_skipped(problems)
    for warning in suppressions.expired():
        warn(str(warning))

    matcher = None
    if index is not None and len(index):
        from compliance.archive.match import (
            Matcher,
        )  # numpy and the index only when there are originals

        matcher = Matcher(index, declared=declared)
    checker = Checker(
        rulesets, matcher, debug=state["debug"], page_budget=page_timeout, images=images
    )
    try:
        if request.terms is not None:
            checker.apply_terms(request.terms, request.terms_origin)
        warn_about_archive(checker, index)
    except UserError as exc:
        raise fail(exc) from None
    stdin_data = sys.stdin.buffer.read() if any(r.stdin for r in refs) else None
    if len(refs) > 1 and stderr.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        progress = Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=stderr,
            transient=True,
        )
        with progress:
            task = progress.add_task("check", total=len(refs))
            run = checker.run(refs, stdin_data, lambda _r: progress.advance(task), jobs)
    else:
        run = checker.run(refs, stdin_data, jobs=jobs, prepare=lambda: _ready_reports(request))
    run = suppressions.apply(run)
    hint = suppressions.unused_baseline(run)
    if hint:
        warn(hint)

    for result in run.having(Status.ERROR):
        say_error(str(result.error))
    try:
        _write_reports(request, run)
    except UserError as exc:
        raise fail(exc) from None
    if request.write_baseline is not None and request.baseline is None:
        # Writing a baseline is the job asked for: its failures are what it records.
        return _exit_code(run, FailOn.never, bool(problems), checker.bugs > 0)
    code = _exit_code(run, FailOn(request.fail_on), bool(problems), checker.bugs > 0)
    if code == EXIT_OK and request.fail_on_unmatched and run.count(Status.UNMATCHED):
        return EXIT_FINDINGS
    return code


def _ready_reports(request: CheckRequest) -> None:
    """Load what writing the reports takes (Rich's console, the formats' modules)."""
    from compliance.report import load

    load({request.format, *(name for name, _ in request.outputs)})
    if not request.stdout_taken and sys.stdout.isatty():
        stdout_console()


def _write_reports(request: CheckRequest, run: RunResult) -> None:
    from compliance.common.files import append_text, write_atomic
    from compliance.report import RenderOptions, report_chunks

    plain = RenderOptions(color=False, width=100)
    for name, path in request.outputs:
        write_atomic(path, report_chunks(name, run, plain))
    if request.write_baseline is not None:
        write_atomic(request.write_baseline, report_chunks("json", run, plain))
    # The --format report goes to stdout, unless a bare --output FILE took it.
    if not request.stdout_taken:
        to_terminal = sys.stdout.isatty()
        options = RenderOptions(
            color=to_terminal and request.format == "terminal",
            width=stdout_console().width if to_terminal else 100,
        )
        for piece in report_chunks(request.format, run, options):
            sys.stdout.write(piece)
        sys.stdout.flush()
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    formats = {request.format, *(name for name, _ in request.outputs)}
    if summary_file and "github" in formats:
        append_text(Path(summary_file), REPORTERS["markdown"](run, plain))
