"""`compliance rules ...` and `compliance explain`: the rule library and its documentation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compliance.errors import UserError

if TYPE_CHECKING:
    pass

from compliance.cli.app import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USER_ERROR,
    RulesOption,
    app,
    fail,
    stderr,
    stdout_console,
)
from compliance.common.printable import printable

rules_app = typer.Typer(
    help="List, show, validate, test and export rule files, or print their JSON Schema.",
    no_args_is_help=True,
)


@app.command()
def explain(
    name: Annotated[
        str, typer.Argument(metavar="RULE", help="A rule such as dcnf.logo, or a check type.")
    ],
    rules: RulesOption = None,
) -> None:
    """Explain a rule or check type: what it checks, the clause, a pass and a fail."""
    from compliance.terms.explain import explain as explanation
    from compliance.terms.loading import load_rulesets

    try:
        typer.echo(explanation(name, load_rulesets(rules)), nl=False)
    except UserError as exc:
        raise fail(exc) from None


@rules_app.command("list")
def rules_list(rules: RulesOption = None) -> None:
    """List the rule sets in use: id, newswire, checks and file."""
    from rich.table import Table

    from compliance.terms.loading import load_rulesets

    try:
        rulesets = load_rulesets(rules)
    except UserError as exc:
        raise fail(exc) from None
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
    stdout_console().print(table)


@rules_app.command("show")
def rules_show(
    ruleset_id: Annotated[str, typer.Argument(metavar="ID", help="The rule set's id.")],
    rules: RulesOption = None,
) -> None:
    """Show one rule set: its terms and each check with the clause it enforces."""
    from compliance.terms.loading import load_rulesets
    from compliance.terms.show import render_ruleset

    try:
        rulesets = load_rulesets(rules)
    except UserError as exc:
        raise fail(exc) from None
    by_id = {r.id: r for r in rulesets}
    if ruleset_id not in by_id:
        import difflib

        close = difflib.get_close_matches(ruleset_id, list(by_id), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise fail(
            UserError(
                f"no rule set '{ruleset_id}'{hint}; the rule sets are: {', '.join(sorted(by_id))}"
            )
        )
    stdout_console().print(render_ruleset(by_id[ruleset_id]))


RulePathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(metavar="PATH", help="Rule files or directories. Default: the bundled rules."),
]


@rules_app.command("validate")
def rules_validate(
    paths: RulePathsArgument = None,
) -> None:
    """Validate rule files and report every problem with its file:line:col."""
    from compliance.terms.loading import load_rulesets

    try:
        rulesets = load_rulesets(paths)
    except UserError as exc:
        raise fail(exc) from None
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
    from compliance.ci.rule_tests import run_tests

    try:
        outcomes = run_tests(paths)
    except UserError as exc:
        raise fail(exc) from None
    broken = [o for o in outcomes if o.problem]
    reasons = {o.problem for o in broken}
    if outcomes and len(broken) == len(outcomes) and len(reasons) == 1:
        # Nothing ran, for one reason (the installed rules' pages are not installed): once.
        typer.echo(
            f"none of the {len(outcomes)} tests could run, each for one reason: {reasons.pop()}"
        )
        raise typer.Exit(EXIT_USER_ERROR)
    for outcome in outcomes:
        mark = "ok  " if outcome.passed else ("ERROR" if outcome.problem else "FAIL")
        typer.echo(f"{mark} {outcome.describe()}")
    passed = sum(1 for o in outcomes if o.passed)
    failed = len(outcomes) - passed - len(broken)
    summary = f"{len(outcomes)} tests: {passed} passed, {failed} failed"
    typer.echo(summary + (f", {len(broken)} could not run" if broken else ""))
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
    from compliance.common.files import write_atomic
    from compliance.terms.loading import load_rulesets
    from compliance.terms.odrl import policy

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
        raise fail(exc) from None


@rules_app.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of the rule-file format, for editors and CI validators."""
    from compliance.terms.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@rules_app.command("logo-hash")
def logo_hash(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Logo images (PNG, JPEG, GIF, WebP).")
    ],
) -> None:
    """Print the perceptual hash of each logo file, for a logo check's `hashes:`."""
    from compliance.read.pixels import pixels_of

    failed = False
    for file in files:
        try:
            found = pixels_of(file.read_bytes())
        except OSError as exc:
            found = f"cannot read it: {exc.strerror or exc}"
        if isinstance(found, str):
            stderr.print(f"error: {file}: {found}", markup=False, highlight=False)
            failed = True
            continue
        typer.echo(f"{found.hash:016x}  {found.width}x{found.height}  {printable(str(file))}")
    if failed:
        raise typer.Exit(EXIT_USER_ERROR)


app.add_typer(rules_app, name="rules")
