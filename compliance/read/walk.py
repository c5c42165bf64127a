"""Which files under a directory are pages: the walk behind `check DIR` and an audit of a
folder of saved pages.

Boundary: this module only names files. It leaves out what a site's or a project's folder
holds besides its pages: hidden folders, the usual tool folders (virtual environments,
`node_modules`, caches), what the project's `.gitignore` files exclude, and a site's own
files (`robots.txt`, `ads.txt`, a README). It says how many it left out. Reading a page is
`read.sources`'s job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

# Folders that hold tools, not pages, whatever the project's .gitignore says.
TOOL_FOLDERS = frozenset(
    {
        "node_modules",
        "bower_components",
        "__pycache__",
        "site-packages",
        "venv",
        "virtualenv",
    }
)
# Version control's own folders: left out without a word, as every tool does.
VCS_FOLDERS = frozenset({".git", ".hg", ".svn"})
# A site's or a repository's own files: never a republished story.
SITE_FILES = frozenset(
    {
        "robots.txt",
        "ads.txt",
        "app-ads.txt",
        "humans.txt",
        "security.txt",
        "llms.txt",
        "sellers.txt",
        "requirements.txt",
    }
)
PROJECT_FILE_STEMS = frozenset(
    {
        "readme",
        "license",
        "licence",
        "changelog",
        "changes",
        "contributing",
        "code_of_conduct",
        "security",
        "authors",
        "notice",
        "copying",
    }
)


@dataclass
class Walk:
    """The pages found under a directory and what was left out, counted by why."""

    pages: list[Path] = field(default_factory=list)
    tool_folders: list[str] = field(default_factory=list)
    ignored: int = 0  # files and folders the .gitignore files exclude
    site_files: list[str] = field(default_factory=list)

    def summary(self, label: str) -> str | None:
        """One line saying what the walk of `label` left out, or None when nothing."""
        parts = []
        if self.tool_folders:
            names = sorted(set(self.tool_folders))
            shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
            parts.append(f"{_count(len(self.tool_folders), 'tool folder')} ({shown})")
        if self.ignored:
            parts.append(f"{_count(self.ignored, 'path')} .gitignore excludes")
        if self.site_files:
            names = sorted(set(self.site_files))
            shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
            parts.append(f"{_count(len(self.site_files), 'site file')} ({shown})")
        if not parts:
            return None
        return f"{label}: skipped " + ", ".join(parts) + "; name a file to check it anyway"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def is_site_file(name: str) -> bool:
    """Whether a file of this name is a site's or a project's own file, not a page."""
    lowered = name.lower()
    return lowered in SITE_FILES or lowered.split(".", 1)[0] in PROJECT_FILE_STEMS


def _is_tool_folder(path: Path, name: str) -> bool:
    return (
        name.startswith(".")
        or name in TOOL_FOLDERS
        or (path / "pyvenv.cfg").is_file()  # a virtual environment by any name
    )


def _ignore_spec(folder: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines.splitlines())


def _enclosing_specs(root: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """The .gitignore files above `root` in its repository: they govern it too."""
    specs = []
    for folder in root.parents:
        spec = _ignore_spec(folder)
        if spec is not None:
            specs.append((folder, spec))
        if (folder / ".git").exists():
            return specs
    return []  # not in a repository: a .gitignore above belongs to someone else


def walk_pages(root: Path, suffixes: frozenset[str] | set[str]) -> Walk:
    """Every file under `root` with one of `suffixes`, sorted, less what a site's or
    project's folder holds besides its pages (see the module's docstring)."""
    found = Walk()
    specs = _enclosing_specs(root.resolve())

    def excluded(path: Path, is_dir: bool) -> bool:
        resolved = path.resolve()
        for base, spec in specs:
            try:
                relative = resolved.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False

    pages = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        spec = _ignore_spec(here)
        if spec is not None:
            specs.append((here.resolve(), spec))
        kept = []
        for name in sorted(dirs):
            if name in VCS_FOLDERS:
                continue
            if _is_tool_folder(here / name, name):
                found.tool_folders.append(name)
            elif excluded(here / name, is_dir=True):
                found.ignored += 1
            else:
                kept.append(name)
        dirs[:] = kept
        for name in files:
            path = here / name
            if Path(name).suffix.lower() not in suffixes:
                continue
            if is_site_file(name):
                found.site_files.append(name)
            elif excluded(path, is_dir=False):
                found.ignored += 1
            elif path.is_file():
                pages.append(path)
    found.pages = sorted(pages)
    return found
