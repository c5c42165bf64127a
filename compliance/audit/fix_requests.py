"""Fix requests: one short letter per republisher, naming each article and what is missing.

Written for a person to send: the newswire's name and terms, each failing article with the
original it copies, each missing attribution with the clause it comes from and how to fix it.
File names come from page data (domains), so they are reduced to a safe set of characters and
checked to stay inside the chosen directory.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from compliance.audit.report import AuditReport
from compliance.audit.republishers import partner_domains
from compliance.audit.store import PageRecord, RunPartner
from compliance.checks import check_label
from compliance.common.files import write_atomic
from compliance.common.printable import printable
from compliance.errors import UserError

_UNSAFE = re.compile(r"[^a-z0-9.-]+")


def safe_name(domain: str) -> str:
    """A file name for a republisher: lower-case letters, digits, dots and dashes only."""
    name = _UNSAFE.sub("_", domain.lower()).strip("._-")[:100]
    return name or "republisher"


def letter(
    report: AuditReport, domain: str, pages: list[PageRecord], partner: RunPartner | None = None
) -> str:
    """The fix request for one republisher's failing pages: each article and what it lacks,
    then, once per requirement, what the terms say and how to fix it. A partner's letter goes
    to its contact and covers all of its sites."""
    rules = report.rules_by_id()
    # Findings that fail only because our rules changed since the last audit: the letter
    # says so rather than asking the partner to fix what they did not change.
    ours = {v.fingerprint for v in [*report.new, *report.changed] if v.rules_changed}
    by_newswire: dict[str, list[PageRecord]] = defaultdict(list)
    for page in pages:
        by_newswire[page.ruleset or ""].append(page)
    names = [rules.get(r, {}).get("name", r) for r in sorted(by_newswire)]
    count = len(pages)
    articles = f"{count} republished article{'s' * (count != 1)}"
    # A letter whose findings are all warnings asks; only an error is a condition unmet.
    needed = any(f["severity"] == "error" for page in pages for f in page.violations)
    subject = "attribution needed on" if needed else "requests about"
    lack = (
        f"{'does' if count == 1 else 'do'} not yet carry everything the republishing terms ask for"
        if needed
        else f"{'does' if count == 1 else 'do'} not yet follow everything the terms ask;"
        " none of it breaks a condition of the licence, so these are requests"
    )
    if partner is not None:
        domain = ", ".join(sorted({page.domain for page in pages}))
    lines = [
        f"To: {partner.name} <{partner.contact}>" if partner else f"To: the editors of {domain}",
        f"Subject: {subject} {articles} from {' and '.join(names)}",
        "",
        "Hello,",
        "",
        f"Our check of republished articles found {count} on {domain} that {lack}.",
    ]
    for ruleset in sorted(by_newswire):
        rule = rules.get(ruleset, {})
        requirements: dict[str, dict[str, Any]] = {}
        lines += ["", f"Articles from {rule.get('name', ruleset)}:", ""]
        for number, page in enumerate(by_newswire[ruleset], start=1):
            original = page.original_url or page.original_id
            lines.append(f"{number}. {page.url}")
            if original:
                lines.append(f"   original: {original}")
            for finding in page.violations:
                note = (
                    " (newly checked: our checks changed since the last audit; your page did not)"
                    if finding["fingerprint"] in ours
                    else ""
                )
                lines.append(f"   - {finding['message']}{note}")
                requirements.setdefault(finding["rule"], finding)
        lines += ["", "What the terms ask, and how to fix it:", ""]
        for finding in requirements.values():
            kind = "request" if finding.get("basis") == "request" else "licence condition"
            clause = finding.get("clause") or finding["message"]
            label = check_label(finding["check"])
            lines.append(f"- {label[0].upper()}{label[1:]} ({kind}): {clause}")
            if finding.get("fix"):
                lines.append(f"  To fix: {finding['fix']}")
        if rule.get("terms"):
            lines += ["", f"The terms in full ({rule.get('terms_url', '')}):", f"  {rule['terms']}"]
        if rule.get("contact"):
            lines.append(f"Questions: {rule['contact']}")
    lines += [
        "",
        "Thank you for republishing this journalism; please update these articles so that"
        " they meet the terms.",
        "",
        f"(checked {report.run.started[:10]}, audit {report.run.id})",
    ]
    return "\n".join(lines) + "\n"


def write_fix_requests(report: AuditReport, directory: Path) -> list[Path]:
    """One DOMAIN.txt per republisher with violations (PARTNER-ID.txt per partner, in an
    audit over a partners file); returns the files written."""
    owners = partner_domains(report.partners)
    failing: dict[str, list[PageRecord]] = defaultdict(list)
    for page in report.pages:
        if report.violations.get(page.url):
            owner = owners.get(page.domain)
            failing[owner[1].id if owner else page.domain].append(page)
    partners = {partner.id: partner for partner in report.partners}
    root = directory.resolve()
    written = []
    used: set[str] = set()
    for domain in sorted(failing):
        name = safe_name(domain)
        while name in used:  # two domains that reduce to one name
            name += "_"
        used.add(name)
        path = (root / f"{name}.txt").resolve()
        if not path.is_relative_to(root):
            raise UserError(f"{domain}: refusing to write outside {directory}")
        text = letter(report, domain, failing[domain], partners.get(domain))
        write_atomic(path, printable(text))
        written.append(path)
    return written
