"""Output formats, by the name given to `--format`.

A reporter is a pure function from a RunResult to text. Adding a format: one module here
with a `render(run, options)` function, one line in REPORTERS, one golden file in tests/.
Modules are imported when their format is used, so a run pays only for the reports it writes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compliance.model import RunResult


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int = 100


Reporter = Callable[[RunResult, RenderOptions], str]


def lazy_render(module: str) -> Callable[..., str]:
    """The `render` function of `module`, imported on its first call."""

    def render(*args: Any) -> str:
        return importlib.import_module(module).render(*args)

    return render


def _module(name: str) -> Reporter:
    return lazy_render(f"compliance.report.{name}")


REPORTERS: dict[str, Reporter] = {
    "terminal": _module("terminal"),
    "json": _module("json_report"),
    "sarif": _module("sarif"),
    "junit": _module("junit"),
    "github": _module("github"),
    "gitlab": _module("gitlab"),
    "markdown": _module("markdown"),
}
