"""The layers of orr hold: every import of every module (at the top, inside functions and under
TYPE_CHECKING alike) goes down the layers, never up, and no two modules import each other
through any chain. Read from the source with `ast`, not from what happens to be imported."""

from __future__ import annotations

import ast
from pathlib import Path

ORR = Path(__file__).resolve().parent.parent / "orr"

# Each package and what it may import (besides itself). The modules at the top of orr/
# (errors, values, i18n, textsafe, tomlfile) are the base every layer may use.
BASE = "base"
ALLOWED: dict[str, set[str]] = {
    BASE: set(),
    "checklist": {BASE},
    "lens": {BASE, "checklist"},
    "review": {BASE, "checklist"},
    "sheet": {BASE, "checklist", "lens", "review"},
    "wat": {BASE, "checklist", "lens", "review"},
    "tui": {BASE, "checklist", "lens", "review", "sheet", "wat"},
    "cli": {BASE, "checklist", "lens", "review", "sheet", "wat", "tui"},
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ORR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> str:
    if module == "orr.__main__":
        return "cli"  # `python -m orr` is the command line
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    return BASE


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("orr"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("orr"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in ORR.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        graph[module] = {m for m in _imports(path, module) if m in files and m != module}
    return graph


def test_no_import_goes_up_the_layers() -> None:
    wrong = []
    for module, imported in _graph().items():
        layer = _layer(module)
        for target in imported:
            other = _layer(target)
            if other != layer and other not in ALLOWED[layer]:
                wrong.append(f"{module} ({layer}) imports {target} ({other})")
    assert wrong == []


def test_no_import_cycle() -> None:
    graph = _graph()
    # Package __init__ modules re-export their members: an edge to a package is an edge to
    # what it imports, which the walk follows anyway, so cycles through them are real too.
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_core_never_imports_textual() -> None:
    for path in ORR.rglob("*.py"):
        module = _module(path)
        if _layer(module) in ("tui", "cli"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, module
