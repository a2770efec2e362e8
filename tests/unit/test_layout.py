"""The package keeps the shape the README draws: no import cycles, and every package says
what lives in it and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import breather

PACKAGE_DIR = Path(breather.__file__).resolve().parent


def _import_cycles() -> list[list[str]]:
    """Strongly connected groups of Breather modules that import one another."""
    graph = grimp.build_graph("breather")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_round_a_cycle() -> None:
    # Imports inside functions and under TYPE_CHECKING count too: a cycle there is still a
    # tangle a reader has to hold in their head.
    assert _import_cycles() == []


def test_every_package_says_what_it_holds_and_may_import() -> None:
    undocumented = []
    for init in sorted(PACKAGE_DIR.rglob("__init__.py")):
        if "migrations" in init.parts:
            continue  # alembic's own layout
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if "import" not in docstring.lower():
            undocumented.append(str(init.relative_to(PACKAGE_DIR)))
    assert undocumented == []


def test_no_loose_modules_beside_the_packages() -> None:
    loose = sorted(path.name for path in PACKAGE_DIR.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "clock.py", "files.py", "resources.py"]
