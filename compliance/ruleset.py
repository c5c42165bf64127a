"""Rule files: loading, strict validation, and errors that point into the user's YAML.

A rule file is one newswire agreement: a header (who, the terms, where they are published)
and a list of typed checks. Unknown keys, wrong types and bad values are all reported at
once, each as `file:line:col: key: problem`, with a suggestion when a key is misspelt.
"""

from __future__ import annotations

import difflib
import types
import typing
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


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation can hold (through Optional, list and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, tuple, Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _model_at(path: tuple[str | int, ...], data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (tags already removed)."""
    model: type[BaseModel] | None = RuleFile
    members: list[Any] = [RuleFile]
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            data = None
        if isinstance(part, int):
            if len(members) > 1 and isinstance(data, dict):  # a check: its type picks the model
                module = CHECK_TYPES.get(str(data.get("type")))
                model = module.Options if module else None
            continue
        if model is None:
            return None
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        if field is None:
            return None
        members = _unwrap(field.annotation)
        model = members[0] if len(members) == 1 else None
    return model


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _strip_tags(loc: tuple[str | int, ...], root: yaml.Node | None) -> tuple[str | int, ...]:
    """Remove the union tags pydantic puts in error paths (`checks.0.logo.alt`)."""
    kept: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and kept and isinstance(kept[-1], int) and part in CHECK_TYPES:
            parent = node_at(root, tuple(kept))
            keys = (
                {getattr(k, "value", None) for k, _ in parent.value}
                if isinstance(parent, yaml.MappingNode)
                else set()
            )
            if part not in keys:
                continue
        kept.append(part)
    return tuple(kept)


def _describe_error(error: Any, root: yaml.Node | None, data: Any) -> tuple[yaml.Node | None, str]:
    loc = _strip_tags(tuple(error["loc"]), root)
    where = _path_text(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(_model_at(loc[:-1], data))
        return key_node_at(root, loc), f"{where}: unknown key '{key}'{_suggest(key, allowed)}"
    if kind == "missing":
        return node_at(root, loc[:-1]), f"{where}: missing required key '{loc[-1]}'"
    if kind == "union_tag_invalid":
        tag = str(error["ctx"]["tag"])
        node = node_at(root, (*loc, "type"))
        return node, (
            f"{where}.type: unknown check type '{tag}'{_suggest(tag, CHECK_TYPES)};"
            f" the types are: {', '.join(CHECK_TYPES)}"
        )
    if kind == "union_tag_not_found":
        return node_at(root, loc), (
            f"{where}: a check needs a 'type', one of: {', '.join(CHECK_TYPES)}"
        )
    message = error["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and loc and loc[-1] in _PATTERN_HINTS:
        message = f"{error['input']!r} {_PATTERN_HINTS[loc[-1]]}"
    if kind == "literal_error" and loc == ("schema",):
        message = f"this program reads rule-file schema {SCHEMA_VERSION}, not {error['input']!r}"
    return node_at(root, loc), f"{where or 'the file'}: {message}"


_PATTERN_HINTS = {
    "id": "is not a valid id: use lower-case letters, digits, '-' and '_'",
    "terms_url": "is not a web address: it must start with http:// or https://",
}


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
    problems = _duplicate_ids(loaded.data, loaded.node, source)
    try:
        spec = RuleFile.model_validate(loaded.data)
    except ValidationError as exc:
        for error in exc.errors():
            node, message = _describe_error(error, loaded.node, loaded.data)
            problems.append(f"{_position(source, node)}: {message}")
    if problems:
        raise UserError(f"{source}: invalid rule file", sorted(set(problems), key=_by_line))
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
