"""`compliance index build|info`: the originals' index, built ahead of the first check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.errors import UserError

if TYPE_CHECKING:
    pass

from compliance.cli.app import (
    EXIT_OK,
    EXIT_USER_ERROR,
    IndexOption,
    InspectFormat,
    app,
    fail,
    open_index,
    warn_skipped,
)

index_app = typer.Typer(
    help="Build and describe the index of a newswire's originals.", no_args_is_help=True
)


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
    from compliance.archive.index_build import build_index
    from compliance.archive.index_cache import default_location

    try:
        if force:
            location = index_dir or default_location(paths)
            location.parent.mkdir(parents=True, exist_ok=True)
            index = build_index(paths, location)
            built = True
        else:
            opened = open_index(paths, index_dir)
            index, built = opened.index, opened.built
    except UserError as exc:
        raise fail(exc) from None
    except OSError as exc:
        raise fail(UserError(f"cannot write the index: {exc}")) from None
    warn_skipped(index.problems)
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
    from compliance.archive.index_cache import default_location, staleness

    location = index_dir or default_location(paths)
    try:
        reason = staleness(location, paths)
        manifest = json.loads((location / "manifest.json").read_text(encoding="utf-8"))
    except UserError as exc:
        raise fail(exc) from None
    except (OSError, ValueError):
        raise fail(
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
        "build_peak_mb": manifest.get("build_peak_mb"),
        "sources": len(manifest["sources"]),
        "problems": manifest["problems"],
    }
    if output_format is InspectFormat.json:
        typer.echo(json.dumps(info, indent=2))
        return
    state = "current" if reason is None else f"stale: {reason} (rebuilt on the next check)"
    peak = f", peak memory {info['build_peak_mb']:,} MB" if info["build_peak_mb"] else ""
    typer.echo(
        f"index:     {location}\n"
        f"status:    {state}\n"
        f"originals: {info['originals']:,} from {info['sources']:,} files\n"
        f"postings:  {info['postings']:,} ({info['bytes'] / 1e6:.1f} MB on disk)\n"
        f"built:     {info['built']} in {info['build_seconds']:.1f} s{peak}\n"
        f"problems:  {len(info['problems'])}"
    )


app.add_typer(index_app, name="index")
