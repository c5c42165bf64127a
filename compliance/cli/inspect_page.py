"""`compliance inspect`: what the tool read from one page, before any rule."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.errors import UserError

if TYPE_CHECKING:
    pass

from compliance.cli.app import (
    InspectFormat,
    app,
    fail,
    stdout_console,
)


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
    from compliance.read.extract import extract
    from compliance.read.inspection import article_to_json, render_article
    from compliance.read.sources import expand_inputs, load_page

    refs = expand_inputs([input_])
    if len(refs) != 1:
        raise fail(UserError(f"{input_}: inspect reads one page; give a file, not a directory"))
    try:
        article = extract(load_page(refs[0]))
    except InputError as exc:
        raise fail(exc) from None
    if output_format is InspectFormat.json:
        typer.echo(json.dumps(article_to_json(article), indent=2, ensure_ascii=False, default=str))
    else:
        stdout_console().print(render_article(article))
