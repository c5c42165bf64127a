"""The rule-file format as pydantic models: what a rule file may say, for validation and
for the JSON Schema editors read (`compliance rules schema`).

Imported only when a rule file has to be validated (the validated form is cached as plain
data: `compliance.terms.cache`) or a schema printed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.terms.check_options import AnyCheck

SCHEMA_VERSION = 1


class ImagePatterns(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    alt: list[str] = Field(default_factory=list, description="Alt texts that identify the image.")
    src: list[str] = Field(
        default_factory=list, description="Shell-style patterns for the image's address."
    )


class Detect(BaseModel):
    """Signals that a page is a copy of this newswire's work, used when no original matches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: list[str] = Field(
        default_factory=list,
        description="Phrases that only a copy carries (notice wording, a contact address).",
    )
    lines: list[str] = Field(
        default_factory=list,
        description="Shell-style patterns that a whole line or paragraph must match,"
        " such as 'From the Daily Caller News Foundation'.",
    )
    names: list[str] = Field(
        default_factory=list,
        description="The newsroom's names as a plain credit label gives them ('Source: …',"
        " 'Via …', 'Courtesy of …'); such a line is a strong signal. Default: the rule"
        " set's name.",
    )
    images: ImagePatterns = Field(default_factory=ImagePatterns)
    pixels: list[str] = Field(
        default_factory=list,
        description="Shell-style patterns for the addresses of the newsroom's tracking pixel.",
    )
    links: list[str] = Field(
        default_factory=list,
        description="Shell-style patterns for links a copy carries back to the newsroom,"
        " such as '*propublica.org/article/*'.",
    )
    canonical: list[str] = Field(
        default_factory=list,
        description="Shell-style patterns for a canonical link pointing at the newsroom.",
    )
    weak: list[str] = Field(
        default_factory=list,
        description="Phrases that suggest a copy but also occur elsewhere (DCNF's '(RELATED:');"
        " two weak signals, or one with another signal, are needed.",
    )


class RuleTest(BaseModel):
    """A page the rule set must judge as expected: its self-test."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    page: str = Field(description="The page, relative to the rule file.")
    expect: Literal["pass", "warn", "fail", "unmatched"] = Field(
        description="The verdict the page must get."
    )
    failing: list[str] = Field(
        default_factory=list,
        description="Ids of the checks that must fail (the others must pass).",
    )
    originals: str | None = Field(
        default=None, description="Originals to match the page against, relative to the file."
    )


class RuleFile(BaseModel):
    """One newswire agreement, as written in a rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_version: Literal[1] = Field(
        alias="schema", description="The version of the rule-file format; this is version 1."
    )
    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        description="Short name of the rule set; originals name it in their 'source'.",
    )
    name: str = Field(min_length=1, description="The newswire's name as readers know it.")
    terms: str = Field(min_length=1, description="The terms, in the newswire's own words.")
    terms_url: str = Field(
        pattern=r"^https?://", description="Where the newswire publishes its terms."
    )
    terms_version: str | None = Field(
        default=None, description="Date or version of the terms this file encodes."
    )
    verified: bool = Field(
        default=True,
        description="False when the terms were not confirmed on the newswire's own page.",
    )
    contact: str | None = Field(default=None, description="Where to ask about the terms.")
    domains: list[str] = Field(
        default_factory=list,
        description="Hosts of the newswire's own site (a subdomain counts): an original whose"
        " address is on one, and that names no `source`, is governed by this rule set.",
    )
    extends: str | None = Field(
        default=None,
        description="The id of a rule set this one builds on (e.g. cc-by-nd-4.0): its checks"
        " are inherited; a check here with the same id overrides the options it names, and"
        " `disabled: true` drops it.",
    )
    abstract: bool = Field(
        default=False,
        description="A base for others to extend (a licence), never applied to a page itself.",
    )
    detect: Detect = Field(default_factory=Detect)
    checks: list[AnyCheck] = Field(min_length=1)
    tests: list[RuleTest] = Field(
        default_factory=list,
        description="Pages this rule set must pass or fail: `compliance rules test` runs them.",
    )


def json_schema() -> dict[str, Any]:
    """A JSON Schema of the rule-file format, for editors (yaml-language-server)."""
    schema = RuleFile.model_json_schema(by_alias=True)
    # In a rule set that `extends` another, a check may name only the options it overrides.
    schema["properties"]["checks"]["items"] = {
        "anyOf": [
            schema["properties"]["checks"]["items"],
            {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "disabled": {"type": "boolean"}},
                "description": "With `extends`: options overriding the inherited check with"
                " this id, or `disabled: true` to drop it.",
            },
        ]
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"compliance rule file, schema {SCHEMA_VERSION}"
    return schema
