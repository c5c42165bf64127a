"""Output formats, by the name given to `--format`.

A reporter is a pure function from a RunResult to text. Adding a format: one module here
with a `render(run, options)` function, one line in REPORTERS, one golden file in tests/.
Modules are imported when their format is used, so a run pays only for the reports it writes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from compliance.common.printable import printable
from compliance.model import RunResult


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int = 100


Reporter = Callable[[RunResult, RenderOptions], str]


def lazy_render(module: str, for_people: bool = False) -> Callable[..., str]:
    """The `render` function of `module`, imported on its first call. A text format people
    read as it is (Markdown, annotations) gets every control character of what it shows
    written out; machine formats escape by their own rules, and the terminal's console
    does it itself around its colour codes."""

    def render(*args: Any) -> str:
        text = importlib.import_module(module).render(*args)
        return printable(text) if for_people else text

    return render


def load(names: set[str]) -> None:
    """Import the modules of the formats `names` now (while pages are checked elsewhere)."""
    for name in names:
        if name in _MODULES:
            importlib.import_module(_MODULES[name])


_MODULES = {
    "terminal": "compliance.report.terminal",
    "json": "compliance.report.json_report",
    "sarif": "compliance.report.sarif",
    "junit": "compliance.report.junit",
    "github": "compliance.report.github",
    "gitlab": "compliance.report.gitlab",
    "markdown": "compliance.report.markdown",
}
_FOR_PEOPLE = frozenset(("github", "markdown"))
REPORTERS: dict[str, Reporter] = {
    name: lazy_render(module, name in _FOR_PEOPLE) for name, module in _MODULES.items()
}


def report_chunks(name: str, run: RunResult, options: RenderOptions) -> Iterable[str]:
    """The report of format `name`, in the pieces it can be written in: a format that
    writes itself a result at a time (`chunks`) is never held whole."""
    module = importlib.import_module(_MODULES[name])
    if hasattr(module, "chunks") and name not in _FOR_PEOPLE:
        return module.chunks(run, options)  # type: ignore[no-any-return]
    return (REPORTERS[name](run, options),)
