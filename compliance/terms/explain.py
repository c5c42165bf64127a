"""Documentation of checks, from the check modules' own docstrings.

`compliance explain` prints it, and the README's check reference is the same text, so the
two cannot drift apart (a test compares them).
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Sequence

from compliance.checks import CHECK_TYPES, check_module
from compliance.errors import UserError
from compliance.terms.ruleset import RuleSet


def check_documentation(check_type: str) -> str:
    """The documentation of a check type: what it checks, why, a pass and a fail."""
    return inspect.cleandoc(check_module(check_type).__doc__ or check_type)


def reference_markdown() -> str:
    """The README's check reference: one section per check type."""
    sections = []
    for check_type in CHECK_TYPES:
        summary, _, body = check_documentation(check_type).partition("\n\n")
        sections.append(f"#### {summary}\n\n{body}\n")
    return "\n".join(sections)


def explain(name: str, rulesets: Sequence[RuleSet]) -> str:
    """A rule (`dcnf.logo`) with its clause and terms, or a check type (`logo`)."""
    rules = {f"{rs.id}.{c.id}": (rs, c) for rs in rulesets for c in rs.checks}
    if name in rules:
        ruleset, check = rules[name]
        kind = check.type  # type: ignore[attr-defined]
        lines = [
            f"{name}: the {kind} check of {ruleset.name}'s terms",
            f"Severity: {check.severity.value}",
            f"Clause: {check.clause}",
            f"Terms: {ruleset.spec.terms_url}",
        ]
        if check.fix:
            lines.append(f"Fix: {check.fix}")
        return "\n".join(lines) + "\n\n" + check_documentation(kind) + "\n"
    if name in CHECK_TYPES:
        return check_documentation(name) + "\n"
    by_id = {rs.id: rs for rs in rulesets}
    if name in by_id:
        ids = ", ".join(f"{name}.{c.id}" for c in by_id[name].checks[:3])
        raise UserError(
            f"'{name}' is a rule set, not a rule: `compliance rules show {name}` lists its"
            f" checks; explain one of them, such as {ids}"
        )
    close = difflib.get_close_matches(name, [*rules, *CHECK_TYPES, *by_id], n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise UserError(
        f"no rule or check type '{name}'{hint}; `compliance rules show RULESET` lists a rule"
        f" set's rules; check types: {', '.join(CHECK_TYPES)}"
    )
