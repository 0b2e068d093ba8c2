"""Imports go down the stages: no module imports a later stage, and no import cycle.

The stages, in order; `report/<stage>/` may import from its own stage and the ones before it.
Every import is counted, those inside functions too: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "report"
# The shared base first (problems as data, atomic writes, engine patches), the top last.
LAYERS = ("problems", "files", "timings", "numerals", "engines", "blocks", "project", "cite",
          "document", "checks", "render", "layout", "editions", "tools", "pipeline", "progress",
          "watch", "cli", "__main__")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The report modules `path` imports, absolute (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "report" or name.startswith("report.")}


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {target for target in _imports(path)
                       if target in modules and target != name}
    return graph


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # report/__init__.py: the version only
        return 0
    return LAYERS.index(parts[1])


def test_every_module_has_a_stage() -> None:
    unknown = sorted(m for m in _graph() if "." in m and m.split(".")[1] not in LAYERS)
    assert not unknown, f"add these to LAYERS in its place in the pipeline: {unknown}"


def test_imports_go_down_the_stages() -> None:
    upward = sorted(f"{source} imports {target}" for source, targets in _graph().items()
                    for target in targets if layer(target) > layer(source))
    assert not upward, "\n".join(upward)


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("source, target, upward", [
    ("report.project.load", "report.layout.engine", True),
    ("report.layout.engine", "report.project.load", False),
    ("report.checks.lint", "report.document.model", False),
])
def test_the_rule_itself(source: str, target: str, upward: bool) -> None:
    assert (layer(target) > layer(source)) is upward
