"""`compliance partners`: the partners file an audit over partners reads."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.app import (
    AllowPrivateOption,
    DelayOption,
    IgnoreRobotsOption,
    TimeoutOption,
    app,
    fail,
)
from compliance.common.printable import printable
from compliance.errors import UserError

partners_app = typer.Typer(
    help="Validate a partners file and see what discovery would read on each site.",
    no_args_is_help=True,
)


@partners_app.command("check")
def check_partners(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The partners file (YAML).")],
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Only validate the file and list the partners; fetch nothing."
        ),
    ] = False,
    delay: DelayOption = 1.0,
    timeout: TimeoutOption = 30.0,
    ignore_robots: IgnoreRobotsOption = False,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Validate FILE (every problem with file:line), then, for each partner's site, read its
    robots.txt, home page, sitemaps and feeds as the audit's discovery would, and say which
    listings it found and how many pages they list."""
    from compliance.discover.listings import read_site
    from compliance.discover.partners import expired_waivers, load_partners
    from compliance.web.fetch import Fetcher, FetchPolicy
    from compliance.web.politeness import PoliteFetcher

    try:
        partners = load_partners(file)
    except UserError as exc:
        raise fail(exc) from None
    sites = sum(len(p.sites) for p in partners.partners)
    typer.echo(printable(f"{file}: valid, {len(partners.partners)} partners, {sites} sites"))
    for lapsed in expired_waivers(partners, date.today()):
        typer.echo(printable(f"warning: {lapsed}"), err=True)
    policy = FetchPolicy(allow_private=allow_private, deadline=timeout)
    with contextlib.ExitStack() as stack:
        polite = None
        if not offline:
            fetcher = stack.enter_context(Fetcher(policy))
            polite = PoliteFetcher(fetcher, 2, delay, not ignore_robots)
        for partner in partners.partners:
            typer.echo(
                printable(f"\n{partner.id} ({partner.name}), fix requests to {partner.contact}")
            )
            for waiver in partner.waivers:
                pages = ", ".join(waiver.pages)
                line = f"  waives {waiver.rule} until {waiver.expires} on {pages}: {waiver.reason}"
                typer.echo(printable(line))
            for site in partner.sites if polite is not None else ():
                listing = read_site(partner, site, polite)
                read = sorted(set(listing.listings))
                typer.echo(printable(f"  {listing.site}: {len(listing.pages):,} pages listed"))
                for url in read:
                    typer.echo(printable(f"    read {url}"))
                for problem in listing.problems:
                    typer.echo(printable(f"    problem: {problem}"))


def _schema() -> str:
    from pydantic import TypeAdapter

    from compliance.discover.partners import PartnersSpec

    return json.dumps(TypeAdapter(PartnersSpec).json_schema(), indent=2, sort_keys=True)


@partners_app.command("schema")
def partners_schema() -> None:
    """Print the JSON Schema of partners files (as rules/partners.schema.json holds it)."""
    typer.echo(_schema())


app.add_typer(partners_app, name="partners")
