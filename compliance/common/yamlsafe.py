"""YAML loading that is safe against hostile documents and keeps positions for error messages.

`yaml.safe_load` refuses object-constructing tags but happily expands a 432-byte alias bomb
into hundreds of millions of nodes, so the composed graph is measured before anything is
constructed from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_EXPANDED_NODES = 100_000


class YamlProblem(Exception):
    """A document that is not YAML, or not safe to load; carries a 1-based line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class LoadedYaml:
    data: Any
    node: yaml.Node | None  # the composed document, for mapping data paths back to positions
    # Keys given twice in one mapping (the last one is kept), when the caller collects them.
    duplicates: tuple[YamlProblem, ...] = ()


def _expanded_size(node: yaml.Node, memo: dict[int, int], limit: int) -> int:
    """Count the nodes the document stands for once every alias is expanded."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a recursive alias sees itself as one node instead of looping
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            total += _expanded_size(child, memo, limit)
            if total > limit:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += _expanded_size(k, memo, limit) + _expanded_size(v, memo, limit)
            if total > limit:
                break
    memo[key] = total
    return total


def _duplicate_keys(node: yaml.Node | None, seen: set[int] | None = None) -> list[YamlProblem]:
    """PyYAML keeps the last of two equal keys without a word; a rule file must not."""
    seen = set() if seen is None else seen
    if node is None or id(node) in seen:
        return []
    seen.add(id(node))
    problems: list[YamlProblem] = []
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, yaml.Node] = {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in keys:
                    first = keys[k.value].start_mark.line + 1
                    problems.append(
                        YamlProblem(
                            f"duplicate key '{k.value}' (first given on line {first})",
                            k.start_mark.line + 1,
                            k.start_mark.column + 1,
                        )
                    )
                keys[k.value] = k
            problems.extend(_duplicate_keys(v, seen))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            problems.extend(_duplicate_keys(child, seen))
    return problems


def load_yaml(
    text: str, max_nodes: int = MAX_EXPANDED_NODES, collect_duplicates: bool = False
) -> LoadedYaml:
    """Parse one YAML document safely; raise YamlProblem with a position when it can't be.

    A key given twice in a mapping is such a problem; with `collect_duplicates` the document
    loads (the last value kept) and the duplicates come back in `duplicates`, for a caller
    that reports every problem of the file at once."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, None)
        size = _expanded_size(node, {}, max_nodes)
        if size > max_nodes:
            raise YamlProblem(
                f"the document expands to more than {max_nodes:,} values through aliases;"
                " refusing to load it",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        duplicates = _duplicate_keys(node)
        if duplicates and not collect_duplicates:
            raise duplicates[0]
        data = loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        tag = getattr(exc, "problem", "") or ""
        found = tag.split("tag", 1)[-1].strip(" '") if "tag" in tag else "a tag"
        raise YamlProblem(
            f"the tag {found!r} is not allowed: rule files hold plain YAML values only",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        if mark is None:
            raise YamlProblem(message) from None
        raise YamlProblem(message, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem("the document nests too deeply to read") from None
    finally:
        loader.dispose()
    return LoadedYaml(data, node, tuple(duplicates))


def node_at(root: yaml.Node | None, path: tuple[str | int, ...]) -> yaml.Node | None:
    """The deepest node that a data path leads to (for pointing an error at its position).

    Path elements that name no key are skipped: pydantic puts a union member's tag into its
    error paths, and a missing key is best shown at the mapping that lacks it.
    """
    node = root
    for part in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
        elif isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if found is not None:
                node = found
    return node


def key_node_at(root: yaml.Node | None, path: tuple[str | int, ...]) -> yaml.Node | None:
    """The node of the key that ends `path` (for pointing at an unknown key itself)."""
    if not path:
        return None
    parent = node_at(root, path[:-1])
    if isinstance(parent, yaml.MappingNode):
        for k, _v in parent.value:
            if getattr(k, "value", None) == path[-1]:
                return k
    return None
