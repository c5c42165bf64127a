"""Whose terms govern an original: its `source`; else the terms its archive was declared
with (`--originals ID=PATH`, a configuration entry's `terms:`, `archive sync --terms ID`);
else the rule set whose `domains:` hold its address; else, with one rule set in use, that one.

Boundary: this decides for originals only, from what the archive and the rule files say. A
page that matches no original is judged by its own marks (`compliance.terms.detection`).
The run-wide warnings about originals that nothing governs are made here too, from the
index's summary of what the originals name (no second read of the archive).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from compliance.errors import UserError
from compliance.model import Original
from compliance.terms.ruleset import RuleSet

if TYPE_CHECKING:
    from compliance.archive.declared import Declared


@dataclass(frozen=True)
class Governed:
    """The rule set that governs an original (None when none does) and why, in words."""

    ruleset: RuleSet | None
    reason: str


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def on_domains(url: str | None, domains: Sequence[str]) -> str | None:
    """The domain of `domains` that holds `url` (itself or a subdomain), or None."""
    host = _host(url) if url else ""
    if not host:
        return None
    for domain in domains:
        wanted = domain.lower().strip().removeprefix("www.")
        if wanted and (host == wanted or host.endswith("." + wanted)):
            return wanted
    return None


class Governance:
    """Decides which of the rule sets in use governs each original."""

    def __init__(self, rulesets: Sequence[RuleSet], declared: Declared | None = None) -> None:
        from compliance.archive.declared import Declared

        self.rulesets = [r for r in rulesets if not r.spec.abstract]
        self.by_id = {r.id: r for r in self.rulesets}
        self.declared = declared or Declared()

    def check_declared(self) -> None:
        """UserError when an archive was declared with an id no rule set has."""
        for terms, how in self.declared.ids():
            if terms not in self.by_id:
                raise UserError(f"{how}: {self._unknown(terms)}")

    def _unknown(self, terms: str) -> str:
        from compliance.common.validation import suggest  # pydantic: only for a problem

        hint = suggest(terms, list(self.by_id))
        return f"'{terms}' names no rule set" + (
            hint or f"; the ids: {', '.join(sorted(self.by_id))}"
        )

    def by_domain(self, url: str | None) -> tuple[RuleSet, str] | None:
        """The rule set whose `domains` hold `url`, and the domain."""
        for ruleset in self.rulesets:
            domain = on_domains(url, getattr(ruleset.spec, "domains", None) or ())
            if domain:
                return ruleset, domain
        return None

    def of(self, original: Original) -> Governed:
        """The rule set that governs `original`, or None with the reason none does."""
        why_not = []
        if original.source:
            if original.source in self.by_id:
                return Governed(self.by_id[original.source], f"its source is {original.source}")
            why_not.append(f"its source '{original.source}' {self._unknown(original.source)}")
        declared = self.declared.terms_of(original.file)
        if declared and declared[0] in self.by_id:
            return Governed(self.by_id[declared[0]], declared[1])
        found = self.by_domain(original.url)
        if found:
            return Governed(found[0], f"its address is on {found[1]}, a {found[0].name} domain")
        if len(self.rulesets) == 1 and not original.source:
            return Governed(self.rulesets[0], "the only rule set in use governs it")
        if not original.source:
            why_not.append("it names no `source`")
        why_not.append(
            "its archive was declared with no terms (--originals ID=PATH)"
            + (
                f" and its address ({_host(original.url)}) is on no rule set's `domains`"
                if original.url
                else " and it has no address to match a rule set's `domains`"
            )
        )
        return Governed(None, "; ".join(why_not))

    def warnings(self, naming: list[dict[str, Any]]) -> list[str]:
        """One line per group of originals that no rule set governs (from the index
        manifest's `naming` summary), with the file and line of the first."""
        found = []
        for group in naming:
            count, first = group.get("count", 0), group.get("first", "")
            many = f"{count:,} originals" if count != 1 else "1 original"
            are = "are" if count != 1 else "is"
            probe = Original(
                id="",
                title="",
                body=(),
                source=group.get("source"),
                url=f"https://{group['host']}/" if group.get("host") else None,
                file=group.get("file", ""),
            )
            governed = self.of(probe)
            if governed.ruleset is not None and not probe.source:
                continue
            if governed.ruleset is not None and probe.source in self.by_id:
                continue
            if probe.source and probe.source not in self.by_id:
                found.append(
                    f"{first}: source {self._unknown(probe.source)}"
                    f" ({many} of this file {'name' if count != 1 else 'names'} it)"
                    + (f"; they are judged under {governed.ruleset.id}, as {governed.reason}"
                       if governed.ruleset is not None else "")
                )  # fmt: skip
                continue
            where = f" on {group['host']}" if group.get("host") else ""
            found.append(
                f"{first}: {many}{where} in this file {are} governed by no rule set"
                f" ({governed.reason}); copies of them are found but not judged: give each a"
                " `source`, declare the archive's terms with --originals ID=PATH, or list"
                " the host under a rule file's `domains:`"
            )
        return found
