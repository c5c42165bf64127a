"""The archive commands: `compliance archive sync` and `compliance archive info`.

Registered on the main app by `compliance.cli`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.app import (
    EXIT_OK,
    EXIT_USER_ERROR,
    AllowHostsOption,
    AllowPrivateOption,
    DelayOption,
    IgnoreRobotsOption,
    InspectFormat,
    TimeoutOption,
    app,
    fail,
    stderr,
    warn_skipped,
    warn_sync,
    with_progress,
)
from compliance.common.printable import printable
from compliance.errors import UserError

archive_app = typer.Typer(
    help="Keep a newswire's archive of originals current, and describe one.",
    no_args_is_help=True,
)
app.add_typer(archive_app, name="archive")


class SourceKind(StrEnum):
    auto = "auto"
    wordpress = "wordpress"
    feed = "feed"
    sitemap = "sitemap"


@archive_app.command("sync")
def archive_sync(
    source: Annotated[
        str,
        typer.Argument(
            help="A WordPress site (its home page or /wp-json/), an RSS/Atom feed, or a (news)"
            " sitemap, by its http(s) address.",
            show_default=False,
        ),
    ],
    into: Annotated[
        Path,
        typer.Option(
            "--into", metavar="ARCHIVE.jsonl", help="The archive to create or bring up to date."
        ),
    ],
    kind: Annotated[
        SourceKind,
        typer.Option("--kind", help="What SOURCE is; auto asks it (on the first sync only)."),
    ] = SourceKind.auto,
    terms: Annotated[
        str | None,
        typer.Option(
            "--terms",
            metavar="ID",
            help="The rule set governing these articles, written as each one's `source`.",
        ),
    ] = None,
    delay: DelayOption = 1.0,
    timeout: TimeoutOption = 30.0,
    ignore_robots: IgnoreRobotsOption = False,
    allow_private: AllowPrivateOption = False,
    allow_hosts: AllowHostsOption = None,
    output_format: Annotated[
        InspectFormat, typer.Option("--format", "-f", help="text or json.")
    ] = InspectFormat.text,
) -> None:
    """Fetch a newswire's articles into a JSON Lines archive, or bring one up to date.

    The first sync reads everything; later ones ask only for what changed (WordPress:
    posts modified since the last sync, and the list of ids to find deleted posts, which
    are kept and marked; feeds and sitemaps: conditional requests). The file is rewritten
    atomically with stable ids and used as it is by --originals.
    """
    from compliance.archive.sync.client import SyncError
    from compliance.archive.sync.runner import sync
    from compliance.read.sources import is_url
    from compliance.web.fetch import FetchPolicy

    if not is_url(source):
        raise fail(UserError(f"{source}: give the source's http(s) address"))
    if delay < 0 or timeout <= 0:
        raise fail(UserError("--delay must be 0 or more and --timeout more than 0"))
    policy = FetchPolicy(
        allow_private=allow_private,
        allow_hosts=frozenset(h.lower() for h in allow_hosts or ()),
        deadline=timeout,
    )
    try:
        result = with_progress(
            f"syncing {source}",
            lambda progress: sync(
                source, into, policy, kind.value, terms, delay, not ignore_robots, progress
            ),
        )
    except SyncError as exc:
        raise fail(UserError(f"cannot sync {exc}")) from None
    except UserError as exc:
        raise fail(exc) from None
    except OSError as exc:
        raise fail(UserError(f"{into}: cannot write it: {exc.strerror or exc}")) from None
    warn_sync(result)
    if output_format is InspectFormat.json:
        typer.echo(json.dumps({"archive": str(into), **result.to_json()}, indent=2))
    else:
        typer.echo(printable(f"{into}: {result.summary()} from {source} ({result.kind})"))
    if not result.complete:
        stderr.print(
            "[yellow]the sync stopped early:[/] what was read is saved; the next sync asks"
            " again from where this one began",
            markup=True,
            highlight=False,
        )
        raise typer.Exit(EXIT_USER_ERROR)
    raise typer.Exit(EXIT_OK)


@archive_app.command("info")
def archive_info(
    archive: Annotated[
        Path,
        typer.Argument(
            metavar="ARCHIVE",
            help="An archive of originals (.jsonl, a feed, or a directory of article files).",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        InspectFormat, typer.Option("--format", "-f", help="text or json.")
    ] = InspectFormat.text,
) -> None:
    """Say how many articles an archive holds, their dates, authors and terms, how it was
    synced, and whether its index is current."""
    from compliance.archive.info import describe_archive

    try:
        info = describe_archive(archive)
    except UserError as exc:
        raise fail(exc) from None
    warn_skipped(info["problems"][:20])
    if output_format is InspectFormat.json:
        typer.echo(json.dumps(info, indent=2))
        return
    dates = info["published"]
    authors = ", ".join(f"{a['name']} ({a['articles']:,})" for a in info["authors"][:5])
    lines = [
        f"archive:   {info['archive']}",
        f"articles:  {info['articles']:,}"
        + (f" ({info['deleted']:,} deleted at the source)" if info["deleted"] else ""),
        f"published: {dates['first'] or '?'} to {dates['last'] or '?'}"
        + (f" ({dates['undated']:,} undated)" if dates["undated"] else ""),
        f"authors:   {info['author_count']:,}" + (f"; most articles: {authors}" if authors else ""),
        "terms:     "
        + (", ".join(f"{k} ({v:,})" for k, v in info["terms"].items()) or "none named"),
    ]
    versions = info["versions"]
    if versions["originals"]:
        lines.append(f"versions:  {versions['originals']:,} originals edited since first seen")
        for correction in versions["recent_corrections"]:
            when = (correction["when"] or "?")[:10]
            lines.append(f"  corrected {when}: {correction['title']}: "
                         + "; ".join(correction["changes"]))  # fmt: skip
    synced = info["sync"]
    if synced:
        last = synced.get("last") or {}
        lines.append(
            f"synced:    {synced.get('synced')} from {synced.get('source')} ({synced.get('kind')})"
            + (f"; last time {last.get('added', 0):,} added, {last.get('updated', 0):,} updated"
               if last else "")
        )  # fmt: skip
    index = info["index"]
    lines.append(
        "index:     "
        + ("current" if index["current"] else f"not current: {index['stale_because']}")
        + f" ({index['location']})"
    )
    if info["problems"]:
        lines.append(f"problems:  {len(info['problems']):,} entries could not be read")
    typer.echo(printable("\n".join(lines)))
