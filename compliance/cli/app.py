"""The `compliance` application: its console, exit codes, shared options and helpers.

Every command module registers itself on `app`; `compliance.cli.main` runs it. Exit codes
(CONTRACT.md): 0 clean, 1 findings at or above --fail-on, 2 the command could not do its job
(bad arguments, rule files or inputs), 3 a bug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from compliance import __version__
from compliance.errors import UserError
from compliance.report import REPORTERS

if TYPE_CHECKING:
    from rich.console import Console

    from compliance.archive.declared import Declared
    from compliance.archive.index import ArchiveIndex
    from compliance.archive.index_cache import Opened
    from compliance.archive.sync.result import Progress, SyncResult
    from compliance.engine import Checker
    from compliance.web.fetch import FetchPolicy


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


class _Stderr:
    """The console for messages on standard error, made on first use: a check that has
    nothing to say there loads Rich's console only for its report, while its pages are
    being checked in worker processes."""

    _console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from compliance.report.console import safe_console

            self._console = safe_console(stderr=True, soft_wrap=True)
        return getattr(self._console, name)


stderr: Console = _Stderr()  # type: ignore[assignment]


state = {"debug": False}


def stdout_console() -> Console:
    """A console for stdout; when piped, wide enough that tables are not folded at 80 columns."""
    from compliance.report.console import safe_console

    return safe_console(width=None if sys.stdout.isatty() else 160)


def warn(message: str) -> None:
    """A warning on standard error; the message is shown as written, never as markup."""
    from rich.text import Text

    stderr.print(Text.assemble(("warning:", "yellow"), f" {message}"), highlight=False)


def warn_skipped(problems: Iterable[str]) -> None:
    """A warning for each input that could not be read and was left out of the run."""
    for problem in problems:
        warn(f"{problem} (skipped)")


def warn_sync(result: SyncResult) -> None:
    """What a sync could not read (the first few, then a count) and how it read the source."""
    warn_skipped(result.shown_problems())
    for note in result.notes:
        warn(note)


def say_error(message: str) -> None:
    """An error line on standard error; the message is shown as written, never as markup."""
    from rich.text import Text

    stderr.print(Text.assemble(("error:", "bold red"), f" {message}"))


def fail(error: UserError) -> typer.Exit:
    say_error(error.message)
    for problem in error.problems:
        stderr.print(f"  {problem}")
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
    state["debug"] = debug


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


# How fetching behaves: shared by every command that fetches from other people's servers.
DelayOption = Annotated[
    float,
    typer.Option(
        "--delay",
        metavar="SECONDS",
        help="Least time between two requests to one host; robots.txt Crawl-delay raises it.",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout", metavar="SECONDS", help="Deadline for one request, redirects included."
    ),
]
IgnoreRobotsOption = Annotated[
    bool,
    typer.Option(
        "--ignore-robots",
        help="Fetch what robots.txt disallows (an audit records it in its report).",
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Fetch from private, loopback and link-local addresses (intranet audits).",
    ),
]
AllowHostsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        metavar="HOST",
        help="Fetch from this host even at a private address; repeatable.",
    ),
]


def with_progress(label: str, work: Callable[[Progress], T]) -> T:
    """Run `work`, showing its progress on a terminal (a bar once the total is known)."""
    from compliance.archive.sync.result import no_progress

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


def originals_as_paths(
    given: tuple[str | Path, ...] | list[str] | list[str | Path],
    policy: Callable[[str], FetchPolicy],
) -> tuple[list[Path], Declared]:
    """The originals as paths, and the terms each was declared with (`ID=PATH`): each
    address among them synced into the cache first (fetched under `policy(address)`, asked for only
    then: HTTP is loaded only for an address)."""
    from compliance.archive.declared import Declared, split_declared
    from compliance.read.sources import is_url

    paths: list[Path] = []
    declared: list[tuple[Path, str | None, str]] = []
    for entry in given:
        terms, where = split_declared(str(entry)) if isinstance(entry, str) else (None, entry)
        how = f"--originals {terms}={where}"
        if not is_url(str(where)):
            paths.append(Path(where))
            declared.append((Path(where), terms, how))
            continue
        from compliance.archive.sync.cached import synced_originals

        address = str(where)
        path, result = with_progress(
            f"syncing {address}",
            lambda progress, address=address: synced_originals(
                address, policy(address), warn, progress
            ),
        )
        if result is not None and (result.added or result.updated or result.deleted):
            stderr.print(f"synced the originals from {address}: {result.summary()}")
        if result is not None:
            warn_sync(result)
        paths.append(path)
        declared.append((path, terms, how))
    return paths, Declared.of(declared)


def warn_about_archive(checker: Checker, index: ArchiveIndex | None) -> None:
    """Check the archives' declared terms (UserError for an id no rule set has) and warn,
    once a run, of how originals were read (the index's notes) and of originals that no rule
    set governs. With --terms every page is judged under the terms given, so nothing is
    left ungoverned."""
    if checker.matcher is None or index is None:
        return
    checker.governance.check_declared()
    for note in index.notes:
        warn(note)
    if checker.terms is not None:
        return
    for warning in checker.governance.warnings(index.manifest.get("naming", [])):
        warn(warning)


def open_index(paths: tuple[Path, ...] | list[Path], location: Path | None) -> Opened:
    """The originals' index, built (with a progress bar on a terminal) when not yet fresh."""
    from compliance.archive.index_cache import open_index

    if not stderr.is_terminal:
        return open_index(paths, location)
    with stderr.status("reading the originals…") as status:
        return open_index(
            paths, location, lambda n: status.update(f"indexing the originals: {n:,} read")
        )
