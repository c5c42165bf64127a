"""Markdown with front matter -> HTML, so Markdown copies go through the HTML pipeline.

Every rendered block carries `data-source-line`, its line in the Markdown file, so findings
point at the line the user wrote rather than at the rendered HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import frontmatter
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt

from compliance.common.yamlsafe import YamlProblem, load_yaml
from compliance.errors import InputError


class _BoundedYAMLHandler(YAMLHandler):
    """Front matter through the alias-bounded loader rather than plain `safe_load`."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm).data


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    front_matter: dict[str, Any]


_md = MarkdownIt("commonmark", {"html": True})


def render_markdown(text: str, source: str) -> RenderedMarkdown:
    """Split off the front matter and render the body; raises InputError on bad front matter."""
    handler = _BoundedYAMLHandler()
    try:
        post = frontmatter.loads(text, handler=handler)
    except YamlProblem as exc:
        where = f":{exc.line + 1}" if exc.line else ""  # +1: the opening '---' line
        raise InputError(f"{source}{where}: invalid front matter: {exc.message}") from None
    except Exception as exc:  # python-frontmatter raises bare parser errors for TOML/JSON
        raise InputError(f"{source}: invalid front matter: {exc}") from None
    metadata = dict(post.metadata) if isinstance(post.metadata, dict) else {}
    body = post.content
    # Lines before the body (the front matter and its fences) shift every source line.
    start = text.find(body[:200]) if body else 0
    offset = text.count("\n", 0, start) if start > 0 else 0
    tokens = _md.parse(body)
    for token in tokens:
        if token.map is not None and token.nesting >= 0 and token.type != "inline":
            token.attrSet("data-source-line", str(token.map[0] + 1 + offset))
    html = _md.renderer.render(tokens, _md.options, {})
    if metadata.get("title") and not any(t.type == "heading_open" for t in tokens):
        html = f"<h1>{_escape(str(metadata['title']))}</h1>\n{html}"
    return RenderedMarkdown(f"<html><body>{html}</body></html>", metadata)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
