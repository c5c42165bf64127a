"""Static-site template tags that place images, turned into the HTML the site's build makes.

A Hugo or Jekyll page gives its logo and photos by template tags the Markdown renderer keeps
as text: Hugo's `{{< figure src=… alt=… caption=… >}}` (and `img`, `image`, `picture`
shortcodes, `{{% … %}}` alike), Jekyll's `{% include figure.html image_path=… alt=… %}`
(any include named for an image), the `{% picture … --alt … %}` and `{% image … %}` plugin
tags, and `![alt]({{ site.baseurl }}/logo.png)`, whose template expression leaves an address
Markdown does not read as one. `expand_image_tags` rewrites these in the Markdown source into
inline HTML images before rendering and keeps every line where it was, so a finding's line is
still the line the user wrote. Other template tags are left alone: what they print is unknown
until the site is built.
"""

from __future__ import annotations

import html
import re

# One pattern, so that one pass rewrites each tag once: the HTML a tag becomes keeps the tag
# as written, which a second pattern must not find again.
_IMAGE_TAG = re.compile(
    # Hugo: {{< figure … >}} or {{% figure … %}}
    r"\{\{[<%]\s*(?:figure|img|image|picture|photo)\b(?P<hugo>.*?)/?\s*[>%]\}\}"
    # Jekyll: {% include figure.html … %}, an include named for an image
    r"|\{%-?\s*include\s+[\w./-]*(?:figure|image|img|picture|photo|logo)[\w./-]*"
    r"(?P<include>.*?)-?%\}"
    # Jekyll plugins: {% picture … %}, {% image … %}, {% asset … %}
    r"|\{%-?\s*(?:picture|image|img|asset)\s(?P<tag>.*?)-?%\}",
    re.DOTALL | re.IGNORECASE,
)
_ARGUMENT = re.compile(
    r"""(?:(?P<key>[\w-]+)\s*=\s*)?(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
)
_IMAGE_PATH = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|avif)(?:[?#]|$)", re.IGNORECASE)
# In a Markdown image's address: `{{ "/a.png" | relative_url }}` gives its string, any other
# expression (`{{ site.baseurl }}`) the site's root, which is where the address then starts.
_DESTINATION = re.compile(r"(!\[[^\]\n]*\]\()([^)\n]*\{\{[^)\n]*)\)")
_QUOTED_EXPRESSION = re.compile(r"""\{\{-?\s*["']([^"']*)["'][^}]*\}\}""")
_EXPRESSION = re.compile(r"\{\{[^}]*\}\}")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")

_SOURCE_KEYS = ("src", "image", "image_path", "image-path", "url", "file", "path", "img")
_ALT_KEYS = ("alt", "alt_text", "alt-text", "alttext")
_CAPTION_KEYS = ("caption", "description", "attr", "credit")


def _arguments(text: str) -> tuple[dict[str, str], list[str]]:
    """Named and positional arguments of a tag; `--alt words…` as the picture tag writes it."""
    named: dict[str, str] = {}
    positional: list[str] = []
    text, _, alt_flag = text.partition("--alt")
    if alt_flag.strip():
        named["alt"] = alt_flag.split("--", 1)[0].strip().strip("\"'")
    for match in _ARGUMENT.finditer(text):
        value = next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)
        if match["key"]:
            named.setdefault(match["key"].lower(), value)
        else:
            positional.append(value)
    return named, positional


def _image_html(named: dict[str, str], positional: list[str], written: str) -> str | None:
    source = next((named[k] for k in _SOURCE_KEYS if named.get(k)), None)
    if source is None:
        paths = [p for p in positional if _IMAGE_PATH.search(p) or "/" in p]
        source = paths[0] if paths else None
        rest = [p for p in positional if p != source]
        if source is not None and rest and "alt" not in named:
            named["alt"] = rest[0]  # `{{< img "logo.png" "The wire's logo" >}}`
    if not source:
        return None
    alt = next((named[k] for k in _ALT_KEYS if named.get(k)), "")
    caption = " ".join(named[k] for k in _CAPTION_KEYS if named.get(k))

    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    # The tag as written rides in an attribute, newlines and all, so the lines after it keep
    # their numbers; a blank line would end the paragraph, so none is left blank.
    kept = "\n".join(line if line.strip() else "." for line in written.split("\n"))
    image = f'<img src="{attr(source)}" alt="{attr(alt)}"'
    if named.get("title"):
        image += f' title="{attr(named["title"])}"'
    image += f' data-template-tag="{attr(kept)}">'
    shown = f'<span class="caption">{html.escape(caption)}</span>' if caption else ""
    return f'<span class="figure">{image}{shown}</span>'


def _replace_tag(match: re.Match[str]) -> str:
    named, positional = _arguments(match["hugo"] or match["include"] or match["tag"] or "")
    return _image_html(named, positional, match[0]) or match[0]


def _plain_destination(match: re.Match[str]) -> str:
    address = _QUOTED_EXPRESSION.sub(r"\1", match[2])
    address = _EXPRESSION.sub("", address).strip()
    return f"{match[1]}{address})"


def _expand(text: str) -> str:
    text = _IMAGE_TAG.sub(_replace_tag, text)
    return _DESTINATION.sub(_plain_destination, text)


def expand_image_tags(markdown: str) -> str:
    """`markdown` with its image template tags as inline HTML images, line for line; tags in
    fenced code blocks are left as written (a page may show them as code)."""
    if "{{" not in markdown and "{%" not in markdown:
        return markdown
    out: list[str] = []
    chunk: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and opened:
            if chunk:
                out.append(_expand("\n".join(chunk)))
            chunk, fence = [], opened[1]
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip().startswith(fence):
                fence = None
        else:
            chunk.append(line)
    if chunk:
        out.append(_expand("\n".join(chunk)))
    return "\n".join(out)
