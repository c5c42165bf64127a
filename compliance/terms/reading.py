"""Reading and validating rule files: safe YAML, inheritance (`extends`), and errors that
point into the user's YAML.

Unknown keys, wrong types and bad values are all reported at once, each as
`file:line:col: key: problem`, with a suggestion when a key is misspelt; a value inherited
from a base is reported where it was written.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compliance.common.validation import Problem
from compliance.common.validation import problems as validation_problems
from compliance.common.yamlsafe import YamlProblem, key_node_at, load_yaml, node_at
from compliance.errors import UserError
from compliance.terms.check_options import OPTIONS, CheckOptions
from compliance.terms.files import MAX_RULE_FILE_BYTES, bundled_rules_dir, rule_files
from compliance.terms.plain import plain
from compliance.terms.ruleset import RuleSet
from compliance.terms.schema import SCHEMA_VERSION, RuleFile


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
    # Problems found before validation (a key given twice), reported with its problems.
    early: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Origin:
    """Where a merged check's options came from, for error positions: file and index."""

    raw: _Raw
    index: int


Merged = tuple[dict[str, Any], list[list[_Origin]]]


def _read_raw(text: str, source: str, path: Path | None = None) -> _Raw:
    try:
        loaded = load_yaml(text, collect_duplicates=True)
    except YamlProblem as exc:
        where = f"{source}:{exc.line}:{exc.column}" if exc.line else source
        raise UserError(f"{where}: {exc.message}") from None
    if not isinstance(loaded.data, dict):
        raise UserError(
            f"{source}: a rule file must be a mapping of keys (schema, id, checks, ...)"
        )
    early = tuple(f"{source}:{d.line}:{d.column}: {d.message}" for d in loaded.duplicates)
    return _Raw(source, loaded.data, loaded.node, path, early)


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


def _validate(raw: _Raw, merged: Merged, found_before: Sequence[str] = ()) -> RuleFile:
    """The merged file as a RuleFile; UserError listing every problem of the file, with
    `found_before` (what merging it with its bases found)."""
    data, origins = merged
    found = [*raw.early, *found_before, *_duplicate_ids(raw.data, raw.node, raw.source)]
    try:
        spec = RuleFile.model_validate(data)
    except ValidationError as exc:
        for problem in validation_problems(
            exc, RuleFile, data, _hint, "check type", tuple(OPTIONS), CheckOptions
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


class _Resolver:
    """Rule files by id, merged with what they extend, each resolved once."""

    def __init__(self, raws: list[_Raw], bases: dict[str, _Raw]) -> None:
        self.raws = {str(r.data.get("id")): r for r in raws}
        self.bases = bases  # bundled rule files, for `extends` not among the files given
        self.done: dict[str, tuple[Merged, tuple[str, ...]]] = {}
        # A file's `extends` that names no rule set: said with the file's other problems,
        # while the file is validated on its own.
        self.unresolved: dict[str, str] = {}

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
                self.unresolved[key] = f"{where}: extends: no rule set '{parent_key}'{hint}"
            else:
                base, above = self.merged(parent, (*chain, key))
                lineage = (parent_key, *above)
        self.done[key] = (_merge(raw, base), lineage)
        return self.done[key]


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


def validate_rulesets(files: list[Path]) -> list[RuleSet]:
    """Read, merge and validate the rule files `files`; raises one UserError listing the
    problems of every file."""
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
            unresolved = resolver.unresolved.get(str(raw.data.get("id")))
            spec = _validate(raw, merged, [unresolved] if unresolved else [])
        except UserError as exc:
            problems.extend(exc.problems or [exc.message])
            continue
        assert raw.path is not None
        rulesets.append(RuleSet(plain(spec), raw.path, lineage))
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
