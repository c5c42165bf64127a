"""Rule files: loading, strict validation, and errors that point into the user's YAML.

A rule file is one newswire agreement: a header (who, the terms, where they are published)
and a list of typed checks. Unknown keys, wrong types and bad values are all reported at
once, each as `file:line:col: key: problem`, with a suggestion when a key is misspelt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compliance.checks import CHECK_TYPES
from compliance.checks.base import CheckOptions
from compliance.errors import UserError
from compliance.validation import Problem
from compliance.validation import problems as validation_problems
from compliance.yamlsafe import YamlProblem, key_node_at, load_yaml, node_at

SCHEMA_VERSION = 1
MAX_RULE_FILE_BYTES = 1024 * 1024
RULE_SUFFIXES = (".yaml", ".yml")

AnyCheck = Annotated[
    Union[tuple(module.Options for module in CHECK_TYPES.values())],  # noqa: UP007
    Field(discriminator="type"),
]


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
    images: ImagePatterns = Field(default_factory=ImagePatterns)


class RuleFile(BaseModel):
    """One newswire agreement, as written in a rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_version: Literal[1] = Field(
        alias="schema", description="The version of the rule-file format; this is version 1."
    )
    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
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
    detect: Detect = Field(default_factory=Detect)
    checks: list[AnyCheck] = Field(min_length=1)


@dataclass(frozen=True)
class RuleSet:
    """A validated rule file and where it came from."""

    spec: RuleFile
    path: Path

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def checks(self) -> tuple[CheckOptions, ...]:
        return tuple(self.spec.checks)


# ------------------------------------------------------------------ locating rule files


def bundled_rules_dir() -> Path:
    """The rule files shipped with the package (the repository's `rules/` in a checkout)."""
    installed = Path(__file__).resolve().parent / "rules"  # where the wheel puts them
    return installed if installed.is_dir() else installed.parent.parent / "rules"


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """Every rule file named by `paths`: files as given, directories searched (not recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in RULE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise UserError(f"{path}: no such rule file or directory")
    return found


# ------------------------------------------------------------------ error messages


def _hint(kind: str, loc: tuple[str | int, ...], error: dict[str, Any]) -> str | None:
    if kind == "string_pattern_mismatch" and loc and loc[-1] in _PATTERN_HINTS:
        return f"{error['input']!r} {_PATTERN_HINTS[loc[-1]]}"
    if kind == "literal_error" and loc == ("schema",):
        return f"this program reads rule-file schema {SCHEMA_VERSION}, not {error['input']!r}"
    return None


_PATTERN_HINTS = {
    "id": "is not a valid id: use lower-case letters, digits, '-' and '_'",
    "terms_url": "is not a web address: it must start with http:// or https://",
}


def problem_position(source: str, root: yaml.Node | None, problem: Problem) -> str:
    """`file:line:col` of the YAML node a problem is about."""
    node = key_node_at(root, problem.path) if problem.at_key else node_at(root, problem.path)
    return _position(source, node)


def _position(source: str, node: yaml.Node | None) -> str:
    if node is None:
        return source
    return f"{source}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


# ------------------------------------------------------------------ loading


def _duplicate_ids(data: dict[str, Any], root: yaml.Node | None, source: str) -> list[str]:
    """Checks that reuse an id, found in the raw data so they are reported with other errors."""
    problems = []
    seen: set[str] = set()
    checks = data.get("checks")
    for index, check in enumerate(checks if isinstance(checks, list) else []):
        check_id = check.get("id") if isinstance(check, dict) else None
        if not isinstance(check_id, str):
            continue
        if check_id in seen:
            node = node_at(root, ("checks", index, "id"))
            problems.append(
                f"{_position(source, node)}: checks[{index}].id:"
                f" the id '{check_id}' is used by an earlier check"
            )
        seen.add(check_id)
    return problems


def parse_rule_file(text: str, source: str) -> RuleFile:
    """Validate a rule file's text. Raises UserError listing every problem with its position."""
    try:
        loaded = load_yaml(text)
    except YamlProblem as exc:
        where = f"{source}:{exc.line}:{exc.column}" if exc.line else source
        raise UserError(f"{where}: {exc.message}") from None
    if not isinstance(loaded.data, dict):
        raise UserError(
            f"{source}: a rule file must be a mapping of keys (schema, id, checks, ...)"
        )
    found = _duplicate_ids(loaded.data, loaded.node, source)
    try:
        spec = RuleFile.model_validate(loaded.data)
    except ValidationError as exc:
        for problem in validation_problems(exc, RuleFile, loaded.data, _hint, "check type"):
            found.append(f"{problem_position(source, loaded.node, problem)}: {problem.message}")
    if found:
        raise UserError(f"{source}: invalid rule file", sorted(set(found), key=_by_line))
    return spec


def _by_line(problem: str) -> tuple[int, int, str]:
    parts = problem.split(":")
    try:
        return int(parts[1]), int(parts[2]), problem
    except (IndexError, ValueError):
        return 0, 0, problem


def load_rule_file(path: Path) -> RuleSet:
    """Read and validate one rule file; raises UserError naming every problem."""
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            raise UserError(f"{path}: a rule file may be at most {MAX_RULE_FILE_BYTES // 1024} KiB")
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{path}: a rule file must be UTF-8 text (byte {exc.start} is not)"
        ) from None
    spec = parse_rule_file(text, str(path))
    return RuleSet(spec, path)


def load_rulesets(paths: Iterable[Path] | None = None) -> list[RuleSet]:
    """Load and validate every rule file under `paths` (default: the bundled rules).

    Problems in all files are collected and raised together as one UserError.
    """
    files = rule_files(list(paths) if paths else [bundled_rules_dir()])
    if not files:
        raise UserError("no rule files found (rule files end in .yaml or .yml)")
    rulesets: list[RuleSet] = []
    problems: list[str] = []
    for path in files:
        try:
            rulesets.append(load_rule_file(path))
        except UserError as exc:
            problems.extend(exc.problems or [exc.message])
    by_id: dict[str, RuleSet] = {}
    for ruleset in rulesets:
        if ruleset.id in by_id:
            problems.append(
                f"{ruleset.path}: rule set id '{ruleset.id}' is already used by"
                f" {by_id[ruleset.id].path}"
            )
        by_id[ruleset.id] = ruleset
    if problems:
        count = len(problems)
        raise UserError(f"{count} problem{'s' if count > 1 else ''} in the rule files", problems)
    return rulesets


def json_schema() -> dict[str, Any]:
    """A JSON Schema of the rule-file format, for editors (yaml-language-server)."""
    schema = RuleFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"compliance rule file, schema {SCHEMA_VERSION}"
    return schema
