"""The entry point: registers the command modules and runs the app.

Only the command a run names is registered (the editor's one-page check then builds one
command rather than all of them); `--help`, a misspelt command, or code that imports `app`
from here registers every one.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Any

from compliance.cli import app as application
from compliance.cli.app import EXIT_BUG, EXIT_OK, state, stderr

# Each command (or command group) by name, and the module that registers it.
COMMAND_MODULES = {
    "check": "check",
    "inspect": "inspect_page",
    "explain": "rules",
    "rules": "rules",
    "index": "index",
    "archive": "archive",
    "audit": "audit",
    "report": "audit",
    "partners": "partners",
}


def register(names: list[str] | None = None) -> None:
    """Register the modules of the commands `names` (default: every command)."""
    for name in dict.fromkeys(names if names is not None else COMMAND_MODULES):
        importlib.import_module(f"compliance.cli.{COMMAND_MODULES[name]}")


def _named_command(argv: list[str]) -> str | None:
    """The command `argv` runs, when it names one after the app's own options."""
    for arg in argv:
        if arg.startswith("-"):
            if arg in ("--help", "-h", "--version"):
                return None  # the app's own help lists every command
            continue
        return arg if arg in COMMAND_MODULES else None
    return None


def main() -> None:
    """Run the command line; turn an unexpected exception into exit 3 without a traceback."""
    named = _named_command(sys.argv[1:])
    register([named] if named else None)
    try:
        application.app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`compliance check ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except Exception as exc:
        if state["debug"]:
            traceback.print_exc()
        else:
            stderr.print(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in compliance; run again with --debug for the traceback.",
                markup=False,
            )
        sys.exit(EXIT_BUG)


def __getattr__(name: str) -> Any:
    """`app` with every command registered, for tests and other programs."""
    if name == "app":
        register()
        return application.app
    raise AttributeError(name)
