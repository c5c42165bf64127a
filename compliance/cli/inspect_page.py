"""`compliance inspect`: what the tool read from pages, before any rule."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from compliance.cli.app import (
    EXIT_USER_ERROR,
    app,
    fail,
    stdout_console,
    warn,
    warn_skipped,
)
from compliance.errors import UserError


class InspectPageFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command()
def inspect(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Files, directories (walked as `check` walks them), URLs, or - for stdin.",
        ),
    ],
    output_format: Annotated[
        InspectPageFormat,
        typer.Option(
            "--format",
            "-f",
            help="For people (text), as JSON (an object for one page, a list for several), or"
            " as JSON Lines (one object a page, written as each is read).",
        ),
    ] = InspectPageFormat.text,
) -> None:
    """Show what was read from each page, before any rule: title, bylines, images, text.

    A page that cannot be read is reported and skipped, the others are shown; the exit code
    is then 2.
    """
    from compliance.errors import InputError
    from compliance.read.extract import extract
    from compliance.read.inspection import article_to_json, render_article
    from compliance.read.sources import expand_inputs, load_page

    skipped: list[str] = []
    refs = expand_inputs(inputs, skipped)
    for line in skipped:
        warn(line)
    if not refs:
        raise fail(UserError("nothing to inspect: the inputs hold no page"))
    shown: list[dict[str, object]] = []
    failed: list[str] = []
    for ref in refs:
        try:
            article = extract(load_page(ref))
        except InputError as exc:
            failed.append(exc.message)
            if output_format is InspectPageFormat.jsonl:
                record = {"input": ref.label, "error": exc.message, "reason": exc.reason}
                typer.echo(json.dumps(record, ensure_ascii=False))
            continue
        if output_format is InspectPageFormat.jsonl:
            typer.echo(json.dumps(article_to_json(article), ensure_ascii=False, default=str))
        elif output_format is InspectPageFormat.json:
            shown.append(article_to_json(article))
        else:
            stdout_console().print(render_article(article))
    if output_format is InspectPageFormat.json and shown:
        document: object = shown[0] if len(refs) == 1 else shown
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    if failed and len(refs) == 1:
        raise fail(UserError(failed[0]))
    warn_skipped(failed)
    if failed:
        raise typer.Exit(EXIT_USER_ERROR)
