"""Markdown with front matter -> HTML, so Markdown copies go through the HTML pipeline.

Every rendered block carries `data-source-line`, its line in the Markdown file, so findings
point at the line the user wrote rather than at the rendered HTML.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import frontmatter
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler
from markdown_it import MarkdownIt

from compliance.common.yamlsafe import YamlProblem, load_yaml
from compliance.errors import InputError
from compliance.read.htmltree import SOURCE_MAPPED
from compliance.read.shortcodes import expand_image_tags


class _BoundedYAMLHandler(YAMLHandler):
    """Front matter through the alias-bounded loader rather than plain `safe_load`."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm).data


class _TOMLHandler(BaseHandler):
    """Hugo's `+++` front matter, read by the standard library (python-frontmatter's own TOML
    handler needs a package that is not installed)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _handler_for(text: str) -> BaseHandler:
    """The front matter's format by its opening line: `---` YAML, `+++` TOML, `{` JSON."""
    start = text.lstrip("\ufeff \t\r\n")[:3]
    if start == "+++":
        return _TOMLHandler()
    if start.startswith("{"):
        return JSONHandler()
    return _BoundedYAMLHandler()


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    front_matter: dict[str, Any]


_md = MarkdownIt("commonmark", {"html": True})


def render_markdown(text: str, source: str) -> RenderedMarkdown:
    """Split off the front matter and render the body; raises InputError on bad front matter."""
    handler = _handler_for(text)
    try:
        post = frontmatter.loads(text, handler=handler)
    except YamlProblem as exc:
        where = f":{exc.line + 1}" if exc.line else ""  # +1: the opening '---' line
        raise InputError(f"{source}{where}: invalid front matter: {exc.message}") from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        # The text read starts with the newline that ends the opening '+++': its lines are
        # the file's.
        where = f":{found[1]}" if found else ""
        message = _TOML_POSITION.sub("", str(exc)).strip()
        raise InputError(f"{source}{where}: invalid TOML front matter: {message}") from None
    except Exception as exc:  # python-frontmatter raises bare parser errors for JSON
        raise InputError(f"{source}: invalid front matter: {exc}") from None
    metadata = dict(post.metadata) if isinstance(post.metadata, dict) else {}
    params = metadata.get("params")
    if isinstance(params, dict):  # Hugo keeps a page's own fields (its author) under params
        metadata = {**params, **metadata}
    body = post.content
    # Lines before the body (the front matter and its fences) shift every source line.
    start = text.find(body[:200]) if body else 0
    offset = text.count("\n", 0, start) if start > 0 else 0
    tokens = _md.parse(expand_image_tags(body))
    for token in tokens:
        if token.map is not None and token.nesting >= 0 and token.type != "inline":
            token.attrSet("data-source-line", str(token.map[0] + 1 + offset))
    html = _md.renderer.render(tokens, _md.options, {})
    if metadata.get("title") and not any(t.type == "heading_open" for t in tokens):
        html = f"<h1>{_escape(str(metadata['title']))}</h1>\n{html}"
    return RenderedMarkdown(f"<html {SOURCE_MAPPED}><body>{html}</body></html>", metadata)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
