"""Turning pydantic's validation errors into messages about what the user wrote.

Shared by rule files and configuration files: each problem names the key path as written,
says what is wrong, suggests a close key for a misspelt one, and says where to point
(the key itself, the value, or the mapping that lacks a key).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import BaseModel, ValidationError

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path  # where to point: a key path in the document
    at_key: bool  # point at the key of `path` rather than its value
    message: str  # "checks[0].min_scor: unknown key 'min_scor' (did you mean 'min_score'?)"


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation can hold (through Optional, list and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, tuple, Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]
    if isinstance(annotation, type) and (
        issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation)
    ):
        return [annotation]
    return []


def fields_of(model: Any) -> dict[str, Any]:
    """The keys a model (pydantic, or a dataclass pydantic validates) takes, as written
    (aliases included), with their annotations."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        found = {name: f.annotation for name, f in model.model_fields.items()}
        found.update({f.alias: f.annotation for f in model.model_fields.values() if f.alias})
        return found
    hints = typing.get_type_hints(model, include_extras=True)
    return {f.name: hints[f.name] for f in dataclasses.fields(model)}


def _tagged(members: list[Any], data: Any) -> type | None:
    """The member of a union whose `type` literal is the one `data` names."""
    if not isinstance(data, dict):
        return None
    for member in members:
        field = member.model_fields.get("type")
        if field is not None and data.get("type") in typing.get_args(field.annotation):
            return member
    return None


def model_at(root: type, path: Path, data: Any) -> type | None:
    """The model class that validates the mapping at `path` of `data`."""
    model: type | None = root
    members: list[Any] = [root]
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            data = None
        if isinstance(part, int):
            if len(members) > 1:
                model = _tagged(members, data)
            continue
        if model is None:
            return None
        annotation = fields_of(model).get(str(part))
        if annotation is None:
            return None
        members = _unwrap(annotation)
        model = members[0] if len(members) == 1 else _tagged(members, data)
    return model


def _written_keys(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or n for n, f in model.model_fields.items()]
    return list(fields_of(model))


# Words people write for a key that is spelt otherwise: no edit distance finds these.
KEY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "where": ("placement", "near"),
    "position": ("placement", "near"),
    "location": ("placement", "near"),
    "place": ("placement", "near"),
    "kind": ("type",),
    "level": ("severity",),
    "url": ("terms_url", "domain"),
    "phrases": ("text",),
}


def suggest(word: str, choices: Iterable[str]) -> str:
    """The hint " (did you mean 'X'?)" for the choice closest to `word` (by spelling, or a word
    commonly written for it), or "" when none is close."""
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        close = [s for s in KEY_SYNONYMS.get(word.lower(), ()) if s in options][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def path_text(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _strip_tags(loc: Path, data: Any) -> Path:
    """Remove the union tags pydantic puts in error paths (`checks.0.logo.alt`)."""
    kept: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and kept and isinstance(kept[-1], int):
            item = _get(data, tuple(kept))
            if isinstance(item, dict) and part not in item and item.get("type") == part:
                continue
        kept.append(part)
    return tuple(kept)


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


Hint = Callable[[str, Path, dict[str, Any]], str | None]

# pydantic's wording of type errors, in the words of someone writing YAML or TOML.
_PLAIN = {
    "model_type": "must be a mapping of keys, not {given}",
    "dict_type": "must be a mapping of keys, not {given}",
    "model_attributes_type": "must be a mapping of keys, not {given}",
    "list_type": "must be a list (e.g. [a, b]), not {given}",
    "string_type": "must be text, not {given}",
}


def _choice(kind: str, error: dict[str, Any]) -> str | None:
    """An enumerated value misspelt: "unknown value 'eror' (did you mean 'error'?); one of:"."""
    if kind not in ("enum", "literal_error") or not isinstance(error.get("input"), str):
        return None
    expected = str((error.get("ctx") or {}).get("expected", ""))
    choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
    if not choices:
        return None
    given = error["input"]
    return f"unknown value '{given}'{suggest(given, choices)}; one of: {', '.join(choices)}"


def _yaml_type(value: Any) -> str:
    if value is None:
        return "nothing"
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }
    return next((name for kind, name in names.items() if type(value) is kind), "a value")


def _untyped(
    loc: Path,
    member: Any,
    tags: Sequence[str],
    base: type[BaseModel] | None,
    hint: Hint | None,
) -> list[Problem]:
    """A union member without its `type`: the key that was meant to be it, and what is wrong
    with the fields every member shares."""
    where = path_text(loc)
    keys = [k for k in member if isinstance(k, str)] if isinstance(member, dict) else []
    misspelt = next((k for k in keys if k != "type" and suggest(k, ["type"])), None)
    kinds = ", ".join(tags)
    if misspelt is not None:
        found = [
            Problem(
                (*loc, misspelt),
                True,
                f"{where}.{misspelt}: unknown key '{misspelt}' (did you mean 'type'?);"
                f" the types are: {kinds}",
            )
        ]
    else:
        found = [Problem(loc, False, f"{where}: needs a 'type', one of: {kinds}")]
    if base is not None and isinstance(member, dict):
        shared = {k: v for k, v in member.items() if k in base.model_fields}
        try:
            base.model_validate(shared)
        except ValidationError as inner:
            for problem in problems(inner, base, shared, hint):
                inner_where = path_text(problem.path) or "the file"
                message = problem.message.removeprefix(inner_where)
                full = (*loc, *problem.path)
                found.append(Problem(full, problem.at_key, f"{path_text(full)}{message}"))
    return found


def problems(
    exc: ValidationError,
    root: type,
    data: Any,
    hint: Hint | None = None,
    union_noun: str = "type",
    union_tags: Sequence[str] = (),
    union_base: type[BaseModel] | None = None,
) -> list[Problem]:
    """Every error of `exc` as a Problem; `hint` may reword an error (kind, path, error).

    `union_tags`: the types a tagged union takes, named when a member has none;
    `union_base`: the fields every member shares, checked even then, so that a misspelt
    `type` does not hide a misspelt `severity` beside it.
    """
    found = []
    for error in exc.errors():
        loc = _strip_tags(tuple(error["loc"]), data)
        where = path_text(loc)
        kind = error["type"]
        if kind in ("extra_forbidden", "unexpected_keyword_argument"):
            key = str(loc[-1])
            model = model_at(root, loc[:-1], data)
            allowed = _written_keys(model) if model else []
            hint = suggest(key, allowed)
            if not hint and allowed:
                # Nothing close: the keys this place takes are the next thing to read.
                hint = "; the keys here are: " + ", ".join(allowed)
            found.append(Problem(loc, True, f"{where}: unknown key '{key}'{hint}"))
            continue
        if kind == "missing":
            found.append(Problem(loc[:-1], False, f"{where}: missing required key '{loc[-1]}'"))
            continue
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            listed = str((error.get("ctx") or {}).get("expected_tags", ""))
            tags = [t.strip(" '") for t in listed.split(",") if t.strip(" '")] or list(union_tags)
            if kind == "union_tag_not_found":
                found.extend(_untyped(loc, _get(data, loc), tags, union_base, hint))
            else:
                tag = str(error["ctx"]["tag"])
                found.append(
                    Problem(
                        (*loc, "type"),
                        False,
                        f"{where}.type: unknown {union_noun} '{tag}'{suggest(tag, tags)};"
                        f" the types are: {', '.join(tags)}",
                    )
                )
            continue
        message = (
            (hint(kind, loc, error) if hint else None)
            or _choice(kind, error)
            or _PLAIN.get(kind, "").format(given=_yaml_type(error.get("input")))
            or error["msg"].removeprefix("Value error, ")
        )
        found.append(Problem(loc, False, f"{where or 'the file'}: {message}"))
    return found
