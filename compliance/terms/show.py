"""Showing what a rule set demands (`rules show`): its terms, then each check."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from compliance.terms.plain import check_options
from compliance.terms.ruleset import RuleSet


def render_ruleset(ruleset: RuleSet) -> Group:
    """What `rules show` prints: the terms, then each check with its clause and options."""
    spec = ruleset.spec
    head = Text()
    head.append(f"{spec.name} ({spec.id})\n", style="bold")
    head.append(f"{spec.terms}\n\n")
    head.append(f"Terms: {spec.terms_url}")
    if spec.terms_version:
        head.append(f" ({spec.terms_version})")
    if not spec.verified:
        head.append(
            "\nUNVERIFIED: these terms were not confirmed on the newswire's own page.",
            style="bold yellow",
        )
    if spec.contact:
        head.append(f"\nContact: {spec.contact}")
    if ruleset.extends:
        head.append(f"\nExtends: {' -> '.join(ruleset.extends)}")
    if spec.abstract:
        head.append("\nA base for other rule sets: never applied to a page itself.")
    head.append(f"\nFile: {ruleset.path}", style="dim")
    checks = Text()
    for check in ruleset.checks:
        kind = check.type  # type: ignore[attr-defined]
        basis = "licence condition" if check.basis == "licence" else "newsroom request"
        checks.append(f"\n{check.id}", style="bold")
        checks.append(f"  {kind}, {check.severity.value}, {basis}\n")
        checks.append(f"  Clause: {check.clause}\n")
        options = check_options(check)
        for key, value in options.items():
            if value not in ([], None):
                checks.append(f"  {key}: {value}\n", style="dim")
        if check.fix:
            checks.append(f"  Fix: {check.fix}\n", style="dim")
    return Group(head, checks)
