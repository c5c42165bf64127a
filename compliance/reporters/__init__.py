"""Output formats, by the name given to `--format`.

A reporter is a pure function from a RunResult to text. Adding a format: one module here
with a `render(run, options)` function, one line in REPORTERS, one golden file in tests/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from compliance.model import RunResult
from compliance.reporters import github, gitlab, json_report, junit, markdown, sarif, terminal


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int = 100


Reporter = Callable[[RunResult, RenderOptions], str]

REPORTERS: dict[str, Reporter] = {
    "terminal": terminal.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}
