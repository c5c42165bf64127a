"""Rule files: loading, strict validation, and errors that point into the user's YAML.

A rule file is one newswire agreement: a header (who, the terms, where they are published)
and a list of typed checks. Unknown keys, wrong types and bad values are all reported at
once, each as `file:line:col: key: problem`, with a suggestion when a key is misspelt.
"""

from __future__ import annotations

import difflib
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


@dataclass(frozen=True)
class RuleSet:
    """A validated rule file (merged with what it extends) and where it came from."""

    spec: RuleFile
    path: Path
    extends: tuple[str, ...] = ()  # the rule sets it builds on, nearest first

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
    """Every rule file named by `paths`: files as given, directories searched (not recursively),
    each file once however often it is named (`--rules X --rules X`, a file and its folder)."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            named = sorted(p for p in path.iterdir() if p.suffix in RULE_SUFFIXES)
        elif path.exists():
            named = [path]
        else:
            raise UserError(f"{path}: no such rule file or directory")
        for file in named:
            found.setdefault(file.resolve(), file)
    return list(found.values())


# ------------------------------------------------------------------ error messages


def _hint(kind: str, loc: tuple[str | int, ...], error: dict[str, Any]) -> str | None:
    if kind == "string_pattern_mismatch" and loc and loc[-1] in _PATTERN_HINTS:
        return f"{error['input']!r} {_PATTERN_HINTS[loc[-1]]}"
    if kind == "literal_error" and loc == ("schema",):
        return f"this program reads rule-file schema {SCHEMA_VERSION}, not {error['input']!r}"
    return None


_PATTERN_HINTS = {
    "id": "is not a valid id: use lower-case letters, digits, '-', '_' and '.'",
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


@dataclass(frozen=True)
class _Raw:
    """A rule file as YAML data, before validation: what inheritance merges."""

    source: str
    data: dict[str, Any]
    node: yaml.Node | None
    path: Path | None = None


@dataclass(frozen=True)
class _Origin:
    """Where a merged check's options came from, for error positions: file and index."""

    raw: _Raw
    index: int


Merged = tuple[dict[str, Any], list[list[_Origin]]]


def _read_raw(text: str, source: str, path: Path | None = None) -> _Raw:
    try:
        loaded = load_yaml(text)
    except YamlProblem as exc:
        where = f"{source}:{exc.line}:{exc.column}" if exc.line else source
        raise UserError(f"{where}: {exc.message}") from None
    if not isinstance(loaded.data, dict):
        raise UserError(
            f"{source}: a rule file must be a mapping of keys (schema, id, checks, ...)"
        )
    return _Raw(source, loaded.data, loaded.node, path)


def _merge(raw: _Raw, base: Merged | None) -> Merged:
    """The rule file's data over its base's: base checks first, overridden by id."""
    own = raw.data.get("checks")
    own_checks = own if isinstance(own, list) else []
    if base is None:
        return raw.data, [[_Origin(raw, i)] for i in range(len(own_checks))]
    base_data, base_origins = base
    checks = [dict(c) for c in base_data["checks"]]
    origins = [list(o) for o in base_origins]
    by_id = {c.get("id"): n for n, c in enumerate(checks)}
    dropped: set[int] = set()
    for index, check in enumerate(own_checks):
        position = by_id.get(check.get("id")) if isinstance(check, dict) else None
        if position is None:
            checks.append(check)
            origins.append([_Origin(raw, index)])
        elif check.get("disabled") is True:
            dropped.add(position)
        elif "type" in check and check["type"] != checks[position].get("type"):
            checks[position] = check  # another type: a replacement, not an override
            origins[position] = [_Origin(raw, index)]
        else:
            checks[position] = {**checks[position], **check}
            origins[position].append(_Origin(raw, index))
    keep = [n for n in range(len(checks)) if n not in dropped]
    merged = {k: v for k, v in raw.data.items() if k != "checks"}
    merged["checks"] = [checks[n] for n in keep]
    return merged, [origins[n] for n in keep]


def _validate(raw: _Raw, merged: Merged) -> RuleFile:
    data, origins = merged
    found = _duplicate_ids(raw.data, raw.node, raw.source)
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as exc:
        from compliance.checks import CHECK_TYPES
        from compliance.checks.base import CheckOptions

        for problem in validation_problems(
            exc, RuleFile, data, _hint, "check type", tuple(CHECK_TYPES), CheckOptions
        ):
            found.append(f"{_problem_where(raw, origins, problem)}: {problem.message}")
    if found:
        raise UserError(f"{raw.source}: invalid rule file", sorted(set(found), key=_by_line))
    return spec


def _problem_where(raw: _Raw, origins: list[list[_Origin]], problem: Problem) -> str:
    """The position of a problem in the file that wrote the offending value."""
    path = problem.path
    number = path[1] if len(path) >= 2 and path[0] == "checks" else None
    if not isinstance(number, int) or number >= len(origins):
        return problem_position(raw.source, raw.node, problem)
    lookup = key_node_at if problem.at_key else node_at
    for origin in reversed(origins[number]):
        node = lookup(origin.raw.node, ("checks", origin.index, *path[2:]))
        if node is not None:
            return _position(origin.raw.source, node)
    last = origins[number][-1]
    return _position(last.raw.source, node_at(last.raw.node, ("checks", last.index)))


def parse_rule_file(text: str, source: str) -> RuleFile:
    """Validate one rule file's text on its own (no `extends`); raises UserError listing
    every problem with its position."""
    raw = _read_raw(text, source)
    if raw.data.get("extends"):
        raise UserError(f"{source}: extends a rule set; load it with the rule set it extends")
    return _validate(raw, _merge(raw, None))


def _by_line(problem: str) -> tuple[int, int, str]:
    parts = problem.split(":")
    try:
        return int(parts[1]), int(parts[2]), problem
    except (IndexError, ValueError):
        return 0, 0, problem


def _read_file(path: Path) -> _Raw:
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
    return _read_raw(text, str(path), path)


def load_rule_file(path: Path) -> RuleSet:
    """Read and validate one rule file (with the bundled rule set it extends, if any)."""
    return load_rulesets([path])[0]


class _Resolver:
    """Rule files by id, merged with what they extend, each resolved once."""

    def __init__(self, raws: list[_Raw], bases: dict[str, _Raw]) -> None:
        self.raws = {str(r.data.get("id")): r for r in raws}
        self.bases = bases  # bundled rule files, for `extends` not among the files given
        self.done: dict[str, tuple[Merged, tuple[str, ...]]] = {}

    def merged(self, raw: _Raw, chain: tuple[str, ...] = ()) -> tuple[Merged, tuple[str, ...]]:
        """The file's data merged with its bases, and their ids, nearest first."""
        key = str(raw.data.get("id"))
        if key in self.done:
            return self.done[key]
        parent_id = raw.data.get("extends")
        base: Merged | None = None
        lineage: tuple[str, ...] = ()
        if parent_id is not None:
            parent_key = str(parent_id)
            where = _position(raw.source, node_at(raw.node, ("extends",)))
            if parent_key in (*chain, key):
                cycle = " -> ".join((*chain, key, parent_key))
                raise UserError(f"{where}: extends: a cycle of rule sets: {cycle}")
            parent = self.raws.get(parent_key) or self.bases.get(parent_key)
            if parent is None:
                known = sorted({*self.raws, *self.bases} - {key})
                close = difflib.get_close_matches(parent_key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise UserError(f"{where}: extends: no rule set '{parent_key}'{hint}")
            base, above = self.merged(parent, (*chain, key))
            lineage = (parent_key, *above)
        self.done[key] = (_merge(raw, base), lineage)
        return self.done[key]


def load_rulesets(paths: Iterable[Path] | None = None) -> list[RuleSet]:
    """Load and validate every rule file under `paths` (default: the bundled rules).

    A rule set that extends another is merged with it first; bases not among `paths` are
    looked up in the bundled rules. Problems in all files are raised together as one
    UserError.
    """
    files = rule_files(list(paths) if paths else [bundled_rules_dir()])
    if not files:
        raise UserError("no rule files found (rule files end in .yaml or .yml)")
    raws: list[_Raw] = []
    problems: list[str] = []
    for path in files:
        try:
            raws.append(_read_file(path))
        except UserError as exc:
            problems.extend(exc.problems or [exc.message])
    resolver = _Resolver(raws, _bundled_bases(files) if any(_extends(r) for r in raws) else {})
    rulesets: list[RuleSet] = []
    for raw in raws:
        try:
            merged, lineage = resolver.merged(raw)
            spec = _validate(raw, merged)
        except UserError as exc:
            problems.extend(exc.problems or [exc.message])
            continue
        assert raw.path is not None
        rulesets.append(RuleSet(spec, raw.path, lineage))
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


def _extends(raw: _Raw) -> bool:
    return raw.data.get("extends") is not None


def _bundled_bases(files: list[Path]) -> dict[str, _Raw]:
    """The bundled rule files not among `files`, by id: what a user's file may extend."""
    given = {f.resolve() for f in files}
    bases = {}
    for path in rule_files([bundled_rules_dir()]):
        if path.resolve() in given:
            continue
        try:
            raw = _read_file(path)
        except UserError:
            continue  # a broken bundled file is reported when it is loaded itself
        bases[str(raw.data.get("id"))] = raw
    return bases


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
