"""The package's layout is its flow: lower stages never import higher ones, and no module
imports itself back through others (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "compliance"

# Lowest first. A module may import its own stage and the stages before it.
STAGES = (
    ("compliance", "compliance.model", "compliance.errors"),
    ("compliance.common",),
    ("compliance.web",),
    ("compliance.read",),
    ("compliance.archive",),
    ("compliance.checks",),
    ("compliance.terms",),
    ("compliance.engine",),
    ("compliance.report",),
    ("compliance.ci",),
    ("compliance.audit",),
    ("compliance.discover",),
    ("compliance.cli", "compliance.__main__"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> int:
    """The stage of `module`: the longest prefix listed wins."""
    best = max(
        ((len(prefix), rank) for rank, names in enumerate(STAGES) for prefix in names
         if module == prefix or module.startswith(prefix + ".")),
        default=None,
    )  # fmt: skip
    assert best is not None, f"{module} belongs to no stage: add it to STAGES"
    return best[1]


def _runtime_imports(tree: ast.AST) -> list[str]:
    """Modules a file imports when it runs (anywhere in it, functions included), leaving out
    imports made only for type checkers: an annotation may name a higher stage's type."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        imported = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        graph[module] = {name for name in imported if name in files and name != module}
    return graph


def test_lower_stages_never_import_higher_ones() -> None:
    wrong = [
        f"{module} (stage {stage(module)}) imports {target} (stage {stage(target)})"
        for module, targets in import_graph().items()
        for target in targets
        if stage(target) > stage(module)
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    graph = import_graph()
    # A package imports its own submodules when asked for them (`from compliance.checks import
    # base`): a package and its members are one node.
    cycles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for target in graph.get(node, ()):
                if target == start and not start.startswith(target + "."):
                    cycles.append(" -> ".join((*path, target)))
                elif target not in seen and not start.startswith(target + "."):
                    seen.add(target)
                    stack.append((target, (*path, target)))
    assert not cycles, "\n".join(sorted(set(cycles))[:20])


def test_every_stage_says_what_it_owns_and_may_import() -> None:
    for package in PACKAGE.iterdir():
        init = package / "__init__.py"
        if package.is_dir() and init.exists() and package.name != "rules":
            text = init.read_text(encoding="utf-8")
            assert text.startswith('"""'), f"{init} has no docstring"
            if package.name not in ("cli",):
                assert "import" in text.split('"""')[1], f"{init} says not what it may import"


@pytest.mark.parametrize("configured", [False, True], ids=["no-configuration", "configured"])
def test_an_editors_check_loads_only_what_it_uses(tmp_path, configured) -> None:
    """The start-up budget's guard: with the rules (and the project's configuration)
    validated before, a one-page check imports no other command's module, no pydantic, no
    YAML parser and no HTTP client."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import sys; from compliance.cli.main import main\n"
        "sys.argv = ['compliance', 'check', sys.argv[1], '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('compliance.cli.audit', 'compliance.cli.rules', 'pydantic', 'yaml', 'httpx')\n"
        "print(__import__('json').dumps({n: n in sys.modules for n in names}), file=sys.stderr)\n"
    )
    page = ROOT / "examples" / "copies" / "compliant.html"
    env = {**os.environ, "COMPLIANCE_CACHE_DIR": str(tmp_path / "cache")}
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)  # the configuration is searched up to here
    if configured:
        (project / ".compliance.yaml").write_text(
            "fail_on: error\nwaivers:\n  - rule: dcnf.logo\n    paths: ['partner/*']\n"
            "    reason: A partner agreement.\n    expires: 2099-12-31\n",
            encoding="utf-8",
        )
    runs = [
        subprocess.run([sys.executable, "-c", probe, str(page)], env=env, cwd=project,
                       capture_output=True, text=True, check=False)
        for _ in range(2)
    ]  # fmt: skip
    first, second = (json.loads(r.stderr.strip().splitlines()[-1]) for r in runs)
    assert first["pydantic"], "the first run validates the rule files"
    assert not any(second.values()), second
    assert json.loads(runs[1].stdout)["results"][0]["status"] == "pass"


def test_the_named_command_alone_has_the_same_help(runner) -> None:
    import os
    import subprocess
    import sys

    from compliance.cli.main import app

    env = {**os.environ, "COLUMNS": "120", "TERM": "dumb"}
    script = Path(sys.executable).parent / "compliance"  # the installed command
    alone = subprocess.run(
        [str(script), "check", "--help"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    full = runner.invoke(app, ["check", "--help"], env=env, prog_name="compliance")
    assert " ".join(alone.stdout.split()) == " ".join(full.stdout.split())
    listing = subprocess.run(
        [sys.executable, "-m", "compliance", "--help"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for command in ("check", "inspect", "explain", "rules", "index", "archive", "audit", "report"):
        assert f"  {command} " in listing, command
