"""A rule set as an ODRL policy in JSON-LD, with the IPTC RightsML profile.

So newsrooms can publish machine-readable terms. Each check becomes a rule of the policy's
one permission (to distribute the story): a duty (`attribute`, `include`, `inform`), a
prohibition (`modify`, distributing third-party images), or a constraint on the permission
(a time window, an excerpt size). Every rule keeps the check's clause, whether it is a
licence condition or a newsroom request, and the options a tool needs to check it, under
this project's own namespace.
"""

from __future__ import annotations

from typing import Any

from compliance.terms.plain import check_options
from compliance.terms.ruleset import RuleSet

ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
RIGHTSML_PROFILE = "http://iptc.org/std/RightsML/odrl-profile/"
NAMESPACE = "urn:compliance:terms#"  # no web address: the vocabulary is this tool's own

# check type -> (kind of rule, ODRL action, what the rule is about)
MAPPING: dict[str, tuple[str, str, str]] = {
    "logo": ("duty", "include", "the newsroom's logo"),
    "byline": ("duty", "attribute", "the reporter, by name"),
    "affiliation": ("duty", "attribute", "the reporter's tie to the newsroom"),
    "notice": ("duty", "include", "the newsroom's licensing notice"),
    "credit_line": ("duty", "attribute", "a credit line naming the newsroom"),
    "link_back": ("duty", "attribute", "a link to the original or the newsroom"),
    "canonical": ("duty", "include", "a canonical link to the original"),
    "tracking_pixel": ("duty", "include", "the newsroom's tracking pixel"),
    "additions_disclosed": ("duty", "inform", "a note on text the republisher added"),
    "media_credits": ("prohibition", "distribute", "photos the licence does not cover"),
    "headline": ("prohibition", "modify", "the headline"),
    "style_edits": ("prohibition", "modify", "the text, beyond time references and style"),
    "integrity": ("prohibition", "modify", "the text, as the terms limit it"),
    "excerpt_limit": ("constraint", "count", "the part of the story republished"),
    "time_window": ("constraint", "elapsedTime", "time since the original was published"),
    "corrections": ("duty", "modify", "the copy, to carry the original's corrections"),
}


def _options(check: Any) -> dict[str, Any]:
    shown = check_options(check)
    return {key: value for key, value in shown.items() if value not in (None, [], {})}


def _annotate(ruleset: RuleSet, check: Any, about: str) -> dict[str, Any]:
    return {
        "compliance:check": f"{ruleset.id}.{check.id}",
        "compliance:checkType": check.type,
        "compliance:about": about,
        "compliance:basis": check.basis,
        "compliance:severity": check.severity.value,
        "compliance:clause": check.clause,
        **({"compliance:options": _options(check)} if _options(check) else {}),
    }


def _constraints(check: Any) -> list[dict[str, Any]]:
    """ODRL constraints for the checks that limit the permission itself."""
    if check.type == "time_window":
        found = []
        if check.within_days is not None:
            found.append(
                {"leftOperand": "elapsedTime", "operator": "lteq",
                 "rightOperand": {"@value": f"P{check.within_days}D", "@type": "xsd:duration"}}
            )  # fmt: skip
        if check.embargo_hours is not None:
            found.append(
                {"leftOperand": "elapsedTime", "operator": "gteq",
                 "rightOperand": {"@value": f"PT{check.embargo_hours:g}H", "@type": "xsd:duration"}}
            )  # fmt: skip
        return found
    found = []
    if check.max_paragraphs is not None:
        found.append(
            {"leftOperand": "count", "operator": "lteq", "rightOperand": check.max_paragraphs,
             "unit": "compliance:paragraph"}
        )  # fmt: skip
    if check.max_words is not None:
        found.append(
            {"leftOperand": "count", "operator": "lteq", "rightOperand": check.max_words,
             "unit": "compliance:word"}
        )  # fmt: skip
    return found


def policy(ruleset: RuleSet) -> dict[str, Any]:
    """The rule set as an ODRL Offer from the newsroom to any republisher."""
    spec = ruleset.spec
    duties, prohibitions, constraints = [], [], []
    for check in ruleset.checks:
        kind, action, about = MAPPING[check.type]  # type: ignore[attr-defined]
        note = _annotate(ruleset, check, about)
        if kind == "duty":
            duties.append({"action": action, **note})
        elif kind == "prohibition":
            prohibitions.append({"target": f"{spec.terms_url}#story", "action": action, **note})
        else:
            constraints.extend({**c, **note} for c in _constraints(check))
    permission: dict[str, Any] = {
        "target": f"{spec.terms_url}#story",
        "action": ["distribute", "reproduce"],
        "duty": duties,
    }
    if constraints:
        permission["constraint"] = constraints
    document: dict[str, Any] = {
        "@context": [
            ODRL_CONTEXT,
            {"compliance": NAMESPACE, "xsd": "http://www.w3.org/2001/XMLSchema#"},
        ],
        "@type": "Offer",
        "uid": f"{spec.terms_url}#compliance-{spec.id}",
        "profile": RIGHTSML_PROFILE,
        "assigner": {"@type": "Party", "uid": spec.terms_url, "compliance:name": spec.name},
        "compliance:terms": spec.terms,
        "compliance:verified": spec.verified,
        "permission": [permission],
    }
    if spec.terms_version:
        document["compliance:termsVersion"] = spec.terms_version
    if ruleset.extends:
        document["compliance:extends"] = list(ruleset.extends)
    if prohibitions:
        document["prohibition"] = prohibitions
    return document
