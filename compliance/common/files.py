"""Writing the files the tool makes (reports, synced archives): atomically, so a reader never
sees half a file, and with the permissions any tool gives a new file."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from compliance.errors import UserError


def format_for_file(
    path: Path,
    chosen: str | None,
    by_suffix: dict[str, tuple[str, ...]],
    default: str,
    where: str = "--output",
) -> tuple[str, str | None]:
    """The report format a file gets, and a warning to show, if any.

    `by_suffix` maps an extension to the formats a file of that name may hold (the first
    when no format is chosen). A known extension that cannot hold the chosen format is a
    UserError: `report.sarif` written as Markdown would mislead whatever reads it. An
    extension no format has gets the chosen (or default) format, with a warning.
    """
    suffix = path.suffix.lower()
    allowed = by_suffix.get(suffix)
    if allowed is None:
        fmt = chosen or default
        if not suffix:
            return fmt, None
        return fmt, (
            f"{where} {path}: '{suffix}' is the extension of no report format; writing the"
            f" {fmt} report to it"
        )
    if chosen is None:
        return allowed[0], None
    if chosen not in allowed:
        raise UserError(
            f"{where} {path}: a {suffix} file holds a {' or '.join(allowed)} report, not the"
            f" {chosen} report asked for; name the file for its format, or write"
            f" {chosen}={path} to mean it"
        )
    return chosen, None


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write `text` (or its pieces, in order) to `path` through a temporary file in the same
    directory and a rename.

    Missing parent directories are created. A path that is not a regular file (/dev/null,
    /dev/stdout, a pipe) is written in place: replacing it would put a file where a device was.
    """
    if path.exists() and not path.is_file():
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                _write(handle, text)
        except OSError as exc:
            raise UserError(f"{path}: cannot write it: {exc.strerror or exc}") from None
        return
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)  # as test runners do for report paths
    except OSError as exc:
        raise UserError(f"{path}: cannot create its directory: {exc.strerror or exc}") from None
    _remove_stale_temporaries(directory, path.name)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise UserError(f"{path}: cannot write it: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            _write(handle, text)
            handle.flush()
            # mkstemp makes the file private (0600); a report or an archive is made as any
            # tool makes a file: by the umask, or as the file it replaces was.
            os.fchmod(handle.fileno(), _mode_for(path))
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot write it: {exc.strerror or exc}") from None


def _write(handle: IO[str], text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        handle.write(text)
    else:
        for piece in text:
            handle.write(piece)


STALE_AFTER = 3600.0  # seconds: a temporary file this old was left by a killed process


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Remove what killed writers of `name` left beside it (`.NAME.xxxx`, `.NAME.xxxx.tmp`);
    a fresh one may be another process's write in progress, and is left alone."""
    now = time.time()
    for leftover in directory.glob(f".{glob.escape(name)}.*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_AFTER and leftover.is_file():
                leftover.unlink()


def _mode_for(path: Path) -> int:
    """The permissions a new file at `path` gets: those of the file it replaces, else 0666
    less the process's umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def append_text(path: Path, text: str) -> None:
    """Append to a file another program owns (GitHub's step summary); refuse to create dirs."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UserError(f"{path}: cannot append the summary: {exc.strerror or exc}") from None
