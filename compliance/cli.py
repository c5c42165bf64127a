"""The `compliance` command: parse arguments, call the engine, pick a reporter, exit.

Exit codes (CONTRACT.md): 0 clean, 1 findings at or above --fail-on, 2 the command could not
do its job (bad arguments, rule files or inputs), 3 a bug.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from compliance import __version__
from compliance.budget import PAGE_BUDGET
from compliance.errors import UserError
from compliance.model import RunResult, Severity, Status
from compliance.reporters import REPORTERS

if TYPE_CHECKING:
    from compliance.fetch import FetchPolicy
    from compliance.index_cache import Opened
    from compliance.request import CheckRequest
    from compliance.sources import InputRef
    from compliance.sync.result import Progress

EXIT_OK, EXIT_FINDINGS, EXIT_USER_ERROR, EXIT_BUG = 0, 1, 2, 3
T = TypeVar("T")

# The --format choices come from the reporter registry, so a new reporter needs no CLI change.
ReportFormat = StrEnum("ReportFormat", {name: name for name in REPORTERS})


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


class InspectFormat(StrEnum):
    text = "text"
    json = "json"


app = typer.Typer(
    name="compliance",
    help="Check republished newswire articles against the newswire's syndication terms.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(
    help="List, show, validate, test and export rule files, or print their JSON Schema.",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")
index_app = typer.Typer(
    help="Build and describe the index of a newswire's originals.", no_args_is_help=True
)
app.add_typer(index_app, name="index")

stderr = Console(stderr=True, highlight=False, soft_wrap=True)
_state = {"debug": False}


def _stdout() -> Console:
    """A console for stdout; when piped, wide enough that tables are not folded at 80 columns."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _fail(error: UserError) -> typer.Exit:
    stderr.print(f"[bold red]error:[/] {error.message}", markup=True, highlight=False)
    for problem in error.problems:
        stderr.print(f"  {problem}", markup=False)
    return typer.Exit(EXIT_USER_ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="PATH",
        help="A rule file or a directory of them; repeatable. Default: the bundled rules.",
    ),
]
OriginalsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--originals",
        metavar="PATH|URL",
        help="The newswire's own articles: a .jsonl file, an RSS/Atom feed or WordPress"
        " export (.xml), article files, or a directory of them; or the address of a feed,"
        " sitemap or WordPress site, synced into the cache; repeatable.",
    ),
]
IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index",
        metavar="DIR",
        help="Where the originals' index is kept (reused while the originals are unchanged)."
        " Default: a directory in the user's cache ($COMPLIANCE_CACHE_DIR,"
        " else ~/.cache/compliance).",
    ),
]


PageTimeoutOption = Annotated[
    float,
    typer.Option(
        "--page-timeout",
        metavar="SECONDS",
        help="Each page is checked in a worker process, stopped after this long (the page is"
        " then unverifiable: timed out); 0 checks in this process, without a limit.",
    ),
]


def _exit_code(run: RunResult, fail_on: FailOn, archive_problems: bool, bugs: bool) -> int:
    if bugs:
        return EXIT_BUG
    if archive_problems or any(r.status is Status.ERROR for r in run.results):
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
    from compliance.config import discover
    from compliance.request import build_request, select_inputs

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
        refs = select_inputs(request)
    except UserError as exc:
        raise _fail(exc) from None
    if not refs:
        if request.inputs:  # e.g. a pre-commit hook given only pages the project excludes
            stderr.print(
                "nothing to check: the pages named are excluded by the configuration"
                " or are not .html .htm .md .markdown or .txt files"
            )
            raise typer.Exit(EXIT_OK)
        raise _fail(UserError("no pages to check: the configuration's `include` matches none"))
    if jobs < 0:
        raise _fail(UserError(f"--jobs {jobs}: give a number of processes, or 0 for every core"))
    if page_timeout < 0:
        raise _fail(UserError("--page-timeout: give seconds, or 0 to check in this process"))
    raise typer.Exit(
        _run_check(request, refs, jobs or os.cpu_count() or 1, index_dir, page_timeout)
    )


def _with_progress(label: str, work: Callable[[Progress], T]) -> T:
    """Run `work`, showing its progress on a terminal (a bar once the total is known)."""
    from compliance.sync.result import no_progress

    if not stderr.is_terminal:
        return work(no_progress)
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=stderr, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(label, total=None)

        def update(what: str, done: int, total: int | None) -> None:
            bar.update(task, description=f"{label}: {what}", completed=done, total=total)

        return work(update)


def _synced_originals(
    given: tuple[str | Path, ...] | list[str], policy: Callable[[], FetchPolicy]
) -> list[Path]:
    """The originals as paths: each address among them synced into the cache first (fetched
    under `policy()`, asked for only then: HTTP is loaded only for an address)."""
    from compliance.sources import is_url

    def warn(message: str) -> None:
        stderr.print(f"[yellow]warning:[/] {message}", markup=True, highlight=False)

    paths: list[Path] = []
    for entry in given:
        if not is_url(str(entry)):
            paths.append(Path(entry))
            continue
        from compliance.sync.cached import synced_originals

        address = str(entry)
        path, result = _with_progress(
            f"syncing {address}",
            lambda progress, address=address: synced_originals(address, policy(), warn, progress),
        )
        if result is not None and (result.added or result.updated or result.deleted):
            stderr.print(f"synced the originals from {address}: {result.summary()}")
        for problem in result.problems if result else ():
            warn(f"{problem} (skipped)")
        paths.append(path)
    return paths


def _open_index(paths: tuple[Path, ...] | list[Path], location: Path | None) -> Opened:
    """The originals' index, built (with a progress bar on a terminal) when not yet fresh."""
    from compliance.index_cache import open_index

    if not stderr.is_terminal:
        return open_index(paths, location)
    with stderr.status("reading the originals…") as status:
        return open_index(
            paths, location, lambda n: status.update(f"indexing the originals: {n:,} read")
        )


def _run_check(
    request: CheckRequest,
    refs: list[InputRef],
    jobs: int,
    index_dir: Path | None,
    page_timeout: float,
) -> int:
    from compliance.engine import Checker
    from compliance.ruleset import load_rulesets
    from compliance.suppress import Suppressions, load_baseline

    def policy() -> FetchPolicy:
        from compliance.fetch import FetchPolicy

        # The user named these addresses, as with `check URL`: their own network is theirs.
        return FetchPolicy(allow_private=True)

    try:
        rulesets = load_rulesets(request.rules or None)
        originals = _synced_originals(request.originals, policy)
        index = _open_index(originals, index_dir).index if originals else None
        suppressions = Suppressions(
            request.config, load_baseline(request.baseline) if request.baseline else frozenset()
        )
    except UserError as exc:
        raise _fail(exc) from None
    problems = index.problems if index is not None else []
    for problem in problems:
        stderr.print(f"[yellow]warning:[/] {problem} (skipped)", markup=True, highlight=False)
    for warning in suppressions.expired():
        stderr.print(f"[yellow]warning:[/] {warning}", markup=True, highlight=False)

    matcher = None
    if index is not None and len(index):
        from compliance.match import Matcher  # numpy and the index only when there are originals

        matcher = Matcher(index)
    checker = Checker(rulesets, matcher, debug=_state["debug"], page_budget=page_timeout)
    if request.terms is not None:
        try:
            checker.terms = checker.given_terms(request.terms)
        except UserError as exc:
            raise _fail(exc) from None
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
        run = checker.run(refs, stdin_data, jobs=jobs)
    run = suppressions.apply(run)
    hint = suppressions.unused_baseline(run)
    if hint:
        stderr.print(f"[yellow]warning:[/] {hint}", markup=True, highlight=False)

    for result in run.results:
        if result.status is Status.ERROR:
            stderr.print(f"[bold red]error:[/] {result.error}", markup=True, highlight=False)
    try:
        _write_reports(request, run)
    except UserError as exc:
        raise _fail(exc) from None
    if request.write_baseline is not None and request.baseline is None:
        # Writing a baseline is the job asked for: its failures are what it records.
        return _exit_code(run, FailOn.never, bool(problems), checker.bugs > 0)
    code = _exit_code(run, FailOn(request.fail_on), bool(problems), checker.bugs > 0)
    if code == EXIT_OK and request.fail_on_unmatched and run.count(Status.UNMATCHED):
        return EXIT_FINDINGS
    return code


def _write_reports(request: CheckRequest, run: RunResult) -> None:
    from compliance.output import append_text, write_atomic
    from compliance.reporters import RenderOptions

    plain = RenderOptions(color=False, width=100)
    for name, path in request.outputs:
        write_atomic(path, REPORTERS[name](run, plain))
    if request.write_baseline is not None:
        write_atomic(request.write_baseline, REPORTERS["json"](run, plain))
    # The --format report goes to stdout, unless a bare --output FILE took it.
    if not request.stdout_taken:
        to_terminal = sys.stdout.isatty()
        options = RenderOptions(
            color=to_terminal and request.format == "terminal",
            width=Console().width if to_terminal else 100,
        )
        sys.stdout.write(REPORTERS[request.format](run, options))
        sys.stdout.flush()
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    formats = {request.format, *(name for name, _ in request.outputs)}
    if summary_file and "github" in formats:
        append_text(Path(summary_file), REPORTERS["markdown"](run, plain))


@app.command()
def inspect(
    input_: Annotated[str, typer.Argument(metavar="INPUT", help="A file, URL, or - for stdin.")],
    output_format: Annotated[
        InspectFormat,
        typer.Option("--format", "-f", help="Show it for people (text) or as JSON."),
    ] = InspectFormat.text,
) -> None:
    """Show what was read from one page, before any rule: title, bylines, images, text."""
    from compliance.errors import InputError
    from compliance.extract import extract
    from compliance.inspection import article_to_json, render_article
    from compliance.sources import expand_inputs, load_page

    refs = expand_inputs([input_])
    if len(refs) != 1:
        raise _fail(UserError(f"{input_}: inspect reads one page; give a file, not a directory"))
    try:
        article = extract(load_page(refs[0]))
    except InputError as exc:
        raise _fail(exc) from None
    if output_format is InspectFormat.json:
        typer.echo(json.dumps(article_to_json(article), indent=2, ensure_ascii=False, default=str))
    else:
        _stdout().print(render_article(article))


@app.command()
def explain(
    name: Annotated[
        str, typer.Argument(metavar="RULE", help="A rule such as dcnf.logo, or a check type.")
    ],
    rules: RulesOption = None,
) -> None:
    """Explain a rule or check type: what it checks, the clause, a pass and a fail."""
    from compliance.explain import explain as explanation
    from compliance.ruleset import load_rulesets

    try:
        typer.echo(explanation(name, load_rulesets(rules)), nl=False)
    except UserError as exc:
        raise _fail(exc) from None


@rules_app.command("list")
def rules_list(rules: RulesOption = None) -> None:
    """List the rule sets in use: id, newswire, checks and file."""
    from rich.table import Table

    from compliance.ruleset import load_rulesets

    try:
        rulesets = load_rulesets(rules)
    except UserError as exc:
        raise _fail(exc) from None
    table = Table("id", "newswire", "checks", "terms", "extends", box=None, header_style="bold")
    for ruleset in rulesets:
        spec = ruleset.spec
        status = "base" if spec.abstract else "verified" if spec.verified else "UNVERIFIED"
        table.add_row(
            ruleset.id,
            ruleset.name,
            str(len(ruleset.checks)),
            status,
            ruleset.extends[0] if ruleset.extends else "",
        )
    _stdout().print(table)


@rules_app.command("show")
def rules_show(
    ruleset_id: Annotated[str, typer.Argument(metavar="ID", help="The rule set's id.")],
    rules: RulesOption = None,
) -> None:
    """Show one rule set: its terms and each check with the clause it enforces."""
    from compliance.inspection import render_ruleset
    from compliance.ruleset import load_rulesets

    try:
        rulesets = load_rulesets(rules)
    except UserError as exc:
        raise _fail(exc) from None
    by_id = {r.id: r for r in rulesets}
    if ruleset_id not in by_id:
        import difflib

        close = difflib.get_close_matches(ruleset_id, list(by_id), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _fail(
            UserError(
                f"no rule set '{ruleset_id}'{hint}; the rule sets are: {', '.join(sorted(by_id))}"
            )
        )
    _stdout().print(render_ruleset(by_id[ruleset_id]))


RulePathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(metavar="PATH", help="Rule files or directories. Default: the bundled rules."),
]


@rules_app.command("validate")
def rules_validate(
    paths: RulePathsArgument = None,
) -> None:
    """Validate rule files and report every problem with its file:line:col."""
    from compliance.ruleset import load_rulesets

    try:
        rulesets = load_rulesets(paths)
    except UserError as exc:
        raise _fail(exc) from None
    for ruleset in rulesets:
        typer.echo(f"ok  {ruleset.path}: {ruleset.id} ({len(ruleset.checks)} checks)")


@rules_app.command("test")
def rules_test(
    paths: RulePathsArgument = None,
) -> None:
    """Run the rule files' self-tests: pages each rule set must pass or fail.

    Each test names a page, the verdict it must get and the checks that must fail (the
    others must pass). Exit 1 when a test fails, 2 when one cannot run.
    """
    from compliance.rule_tests import run_tests

    try:
        outcomes = run_tests(paths)
    except UserError as exc:
        raise _fail(exc) from None
    for outcome in outcomes:
        mark = "ok  " if outcome.passed else ("ERROR" if outcome.problem else "FAIL")
        typer.echo(f"{mark} {outcome.describe()}")
    failed = sum(1 for o in outcomes if not o.passed)
    broken = sum(1 for o in outcomes if o.problem)
    typer.echo(f"{len(outcomes)} tests, {len(outcomes) - failed} passed, {failed} failed")
    raise typer.Exit(EXIT_USER_ERROR if broken else EXIT_FINDINGS if failed else EXIT_OK)


@rules_app.command("export")
def rules_export(
    ruleset_id: Annotated[str, typer.Argument(metavar="ID", help="The rule set's id.")],
    odrl: Annotated[
        bool,
        typer.Option(
            "--odrl", help="As an ODRL / IPTC RightsML policy in JSON-LD (the only format so far)."
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write it here.")
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Export a rule set as machine-readable terms: an ODRL policy in JSON-LD.

    Duties (attribute, include, inform), prohibitions (modify) and constraints (time
    window, excerpt size), each with its clause and whether it is a licence condition or
    a newsroom request.
    """
    from compliance.odrl import policy
    from compliance.output import write_atomic
    from compliance.ruleset import load_rulesets

    try:
        if not odrl:
            raise UserError("rules export: choose the format, --odrl (the only one so far)")
        by_id = {r.id: r for r in load_rulesets(rules)}
        if ruleset_id not in by_id:
            raise UserError(
                f"no rule set '{ruleset_id}'; the rule sets are: {', '.join(sorted(by_id))}"
            )
        text = json.dumps(policy(by_id[ruleset_id]), indent=2, ensure_ascii=False) + "\n"
        if output is not None:
            write_atomic(output, text)
        else:
            typer.echo(text, nl=False)
    except UserError as exc:
        raise _fail(exc) from None


@rules_app.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of the rule-file format, for editors and CI validators."""
    from compliance.rule_schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


# The audit and archive commands register themselves on `app`; imported here, after what
# they use.
from compliance import cli_archive, cli_audit  # noqa: E402, F401


def main() -> None:
    """Entry point: run the app; turn an unexpected exception into exit 3 without a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`compliance check ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except Exception as exc:
        if _state["debug"]:
            traceback.print_exc()
        else:
            stderr.print(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in compliance; run again with --debug for the traceback.",
                markup=False,
            )
        sys.exit(EXIT_BUG)


OriginalsArgument = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATH...",
        help="The originals, as given to --originals: .jsonl files, feeds or WordPress"
        " exports (.xml), article files, or directories of them.",
        show_default=False,
    ),
]


def _size_on_disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


@index_app.command("build")
def index_build(
    paths: OriginalsArgument,
    index_dir: IndexOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even when the stored index is current.")
    ] = False,
) -> None:
    """Index the originals now, so that the first check does not wait for it.

    The index is reused by every later run while the originals are unchanged.
    """
    from compliance.index_build import build_index
    from compliance.index_cache import default_location

    try:
        if force:
            location = index_dir or default_location(paths)
            location.parent.mkdir(parents=True, exist_ok=True)
            index = build_index(paths, location)
            built = True
        else:
            opened = _open_index(paths, index_dir)
            index, built = opened.index, opened.built
    except UserError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(UserError(f"cannot write the index: {exc}")) from None
    for problem in index.problems:
        stderr.print(f"[yellow]warning:[/] {problem} (skipped)", markup=True, highlight=False)
    manifest = index.manifest
    verb = "indexed" if built else "already current:"
    typer.echo(
        f"{verb} {manifest['originals']:,} originals from {len(manifest['sources']):,} files"
        f" in {manifest['build_seconds']:.1f} s ({manifest['postings']:,} postings,"
        f" {_size_on_disk(index.path) / 1e6:.1f} MB) at {index.path}"
    )
    raise typer.Exit(EXIT_USER_ERROR if index.problems else EXIT_OK)


@index_app.command("info")
def index_info(
    paths: OriginalsArgument,
    index_dir: IndexOption = None,
    output_format: Annotated[
        InspectFormat, typer.Option("--format", "-f", help="text or json.")
    ] = InspectFormat.text,
) -> None:
    """Say where the originals' index is, whether it is current, and what it holds."""
    from compliance.index_cache import default_location, staleness

    location = index_dir or default_location(paths)
    try:
        reason = staleness(location, paths)
        manifest = json.loads((location / "manifest.json").read_text(encoding="utf-8"))
    except UserError as exc:
        raise _fail(exc) from None
    except (OSError, ValueError):
        raise _fail(
            UserError(
                f"no index of these originals at {location}; build it with"
                " `compliance index build " + " ".join(str(p) for p in paths) + "`"
            )
        ) from None
    info = {
        "index": str(location),
        "current": reason is None,
        "stale_because": reason,
        "originals": manifest["originals"],
        "postings": manifest["postings"],
        "bytes": _size_on_disk(location),
        "built": manifest["built"],
        "build_seconds": manifest["build_seconds"],
        "sources": len(manifest["sources"]),
        "problems": manifest["problems"],
    }
    if output_format is InspectFormat.json:
        typer.echo(json.dumps(info, indent=2))
        return
    state = "current" if reason is None else f"stale: {reason} (rebuilt on the next check)"
    typer.echo(
        f"index:     {location}\n"
        f"status:    {state}\n"
        f"originals: {info['originals']:,} from {info['sources']:,} files\n"
        f"postings:  {info['postings']:,} ({info['bytes'] / 1e6:.1f} MB on disk)\n"
        f"built:     {info['built']} in {info['build_seconds']:.1f} s\n"
        f"problems:  {len(info['problems'])}"
    )
