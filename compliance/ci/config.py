"""Project configuration: `.compliance.yaml` or `[tool.compliance]` in `pyproject.toml`.

Found by searching upward from the working directory to the repository root. Paths in it are
relative to the file's directory. Command-line flags override it; an invalid file is an
error with file:line, never ignored.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from compliance.errors import UserError

YAML_NAME = ".compliance.yaml"
TOML_TABLE = "tool.compliance"


# Settings are plain dataclasses: a run with no configuration file (the editor's check) reads
# their defaults without importing pydantic, which validates a file when there is one.
_FORBID_EXTRA = {"extra": "forbid"}


@dataclass(frozen=True)
class Waiver:
    """A check not enforced for some pages, under an agreement that says so."""

    __pydantic_config__ = _FORBID_EXTRA

    rule: str  # the rule waived, e.g. 'dcnf.logo'; '*' patterns allowed
    paths: list[str]  # patterns of input paths or URLs it covers
    reason: str  # why: the agreement that allows it
    expires: date  # the last day the waiver holds (YYYY-MM-DD)

    @property
    def patterns(self) -> list[str]:
        return self.paths


@dataclass(frozen=True)
class OriginalsEntry:
    """An archive of originals and the rule set that governs the originals in it."""

    __pydantic_config__ = _FORBID_EXTRA

    path: str  # a file, directory or address, as `--originals` takes it
    terms: str  # the id of the rule set its originals are governed by


@dataclass(frozen=True)
class Config:
    """The settings a project keeps beside its pages."""

    __pydantic_config__ = _FORBID_EXTRA

    rules: list[str] = field(default_factory=list)  # rule files or directories
    # The newswire's articles: paths or addresses ("ID=PATH" declares their terms), or
    # {path, terms} entries.
    originals: list[str | OriginalsEntry] = field(default_factory=list)
    include: list[str] = field(default_factory=list)  # pages to check when none are named
    exclude: list[str] = field(default_factory=list)  # pages to skip
    fail_on: Literal["error", "warning", "never"] | None = None
    format: str | None = None
    output: list[str] = field(default_factory=list)  # FORMAT=FILE reports to write
    baseline: str | None = None
    terms: str | None = None  # apply this rule set (its id) to every page, as --terms does
    fail_on_unmatched: bool = False  # fail when a page is not recognised
    waivers: list[Waiver] = field(default_factory=list)


def _validate(data: dict[str, Any]) -> tuple[Config | None, list[Any]]:
    """`data` as Config, or the problems that stop it."""
    from pydantic import TypeAdapter, ValidationError

    from compliance.common.validation import Problem, problems

    try:
        spec = TypeAdapter(Config).validate_python(data)
    except ValidationError as exc:
        return None, problems(exc, Config, data)
    from compliance.report import REPORTERS

    found = []
    if spec.format is not None and spec.format not in REPORTERS:
        message = f"format: unknown format '{spec.format}'; the formats are: {', '.join(REPORTERS)}"
        found.append(Problem(("format",), False, message))
    for number, waiver in enumerate(spec.waivers):
        for key in ("rule", "paths", "reason"):
            if not getattr(waiver, key):
                message = f"waivers[{number}].{key}: must not be empty"
                found.append(Problem(("waivers", number, key), False, message))
    return (None, found) if found else (spec, [])


@dataclass(frozen=True)
class ProjectConfig:
    """A loaded configuration, where it came from, and where each waiver was written."""

    spec: Config
    path: Path | None = None
    waiver_places: tuple[str, ...] = ()  # "file:line" of each waiver, for messages

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def relative(self, path: Path) -> str:
        """`path` relative to the configuration's directory, as patterns in it are written."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def resolve(self, value: str) -> Path:
        """A path from the file, relative to the file's directory."""
        path = Path(value)
        return path if path.is_absolute() else self.root / path


def find_config(start: Path) -> Path | None:
    """The nearest configuration at or above `start`, not going above the repository root."""
    for directory in (start, *start.parents):
        yaml_file = directory / YAML_NAME
        if yaml_file.is_file():
            return yaml_file
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and re.search(
            r"^\s*\[tool\.compliance[\].]",
            pyproject.read_text(encoding="utf-8", errors="replace"),
            re.MULTILINE,
        ):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def _toml_line(text: str, path: tuple[str | int, ...]) -> int | None:
    """The line of a key under [tool.compliance]; tomllib keeps no positions."""
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.strip() == f"[{TOML_TABLE}]"), None)
    if header is None:
        return None
    start = header
    if len(path) >= 2 and path[0] == "waivers" and isinstance(path[1], int):
        tables = [i for i, line in enumerate(lines) if line.strip() == f"[[{TOML_TABLE}.waivers]]"]
        if path[1] < len(tables):
            start = tables[path[1]]
            path = path[2:]
        else:
            path = path[:1]
    key = next((p for p in path if isinstance(p, str)), None)
    if key is None:
        return start + 1
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for index in range(start + 1, len(lines)):
        if lines[index].lstrip().startswith("["):
            break  # the next table: the key is not written under this one
        if pattern.match(lines[index]):
            return index + 1
    return start + 1


def _load_toml(path: Path) -> tuple[Any, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: invalid TOML: {exc}") from None
    return data.get("tool", {}).get("compliance", {}), text


def load_config(path: Path) -> ProjectConfig:
    """Read and validate one configuration file (or take what validating these very bytes
    gave before, from the cache). Raises UserError listing every problem."""
    from compliance.common.validated import ValidatedCache, file_bytes

    cache = ValidatedCache.keyed(
        "config",
        # The path as given too: waivers' places are written with it.
        (file_bytes(Path(__file__)), f"{path}\n{path.resolve()}".encode(), file_bytes(path)),
    )
    cached = cache.load()
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], Config):
        return ProjectConfig(cached[0], path, cached[1])
    config = _validated_config(path)
    cache.store((config.spec, config.waiver_places))
    return config


def _validated_config(path: Path) -> ProjectConfig:
    from compliance.common.yamlsafe import YamlProblem, key_node_at, load_yaml, node_at

    is_toml = path.name == "pyproject.toml"
    node = None
    try:
        if is_toml:
            data, text = _load_toml(path)
        else:
            loaded = load_yaml(path.read_text(encoding="utf-8"))
            data, node = loaded.data or {}, loaded.node
    except YamlProblem as exc:
        raise UserError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read it: {exc.strerror or exc}") from None

    def where(problem_path: tuple[str | int, ...], at_key: bool = False) -> str:
        if is_toml:
            line = _toml_line(text, problem_path)
            return f"{path}:{line}" if line else str(path)
        target = key_node_at(node, problem_path) if at_key else node_at(node, problem_path)
        if target is None:
            return str(path)
        return f"{path}:{target.start_mark.line + 1}:{target.start_mark.column + 1}"

    if not isinstance(data, dict):
        raise UserError(f"{path}: the configuration must be a mapping of settings")
    spec, found = _validate(data)
    if spec is None:
        raise UserError(
            f"{path}: invalid configuration",
            [f"{where(p.path, p.at_key)}: {p.message}" for p in found],
        )
    places = tuple(where(("waivers", i)) for i in range(len(spec.waivers)))
    return ProjectConfig(spec, path, places)


def discover(explicit: Path | None, disabled: bool) -> ProjectConfig:
    """The configuration in force: the file named, the one found, or none."""
    if disabled:
        return ProjectConfig(Config())
    if explicit is not None:
        if not explicit.is_file():
            raise UserError(f"{explicit}: no such configuration file")
        return load_config(explicit)
    found = find_config(Path.cwd())
    return load_config(found) if found else ProjectConfig(Config())
