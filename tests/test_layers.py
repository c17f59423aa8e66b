"""The layers import one way (docs/architecture.md): a module imports only from its own
layer or the layers below it, and no modules import each other in a circle. Read from the
source (ast). The layer check counts every import, also those inside functions or for
type checking; the circle check counts the imports a module runs when it is imported
(a function's own import, run when it is called, is how a module says "only then")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first. Entry points (app.py, cockpit/, bench/, every __main__.py) sit on top.
LAYERS = (
    "domain",
    "connectors",
    "store",
    "load",
    "metrics",
    "service",
    "charts",
    "briefing",
    "ui",
    "views",
    "entry",
)
# Connectors read sources into validated frames (below the store); these modules commit
# what they read, or run what does, so they sit above the store: the loaders.
LOADERS = frozenset(
    {
        "connectors.cli",
        "connectors.demo",
        "connectors.demo_warehouse",
        "connectors.ingest",
        "connectors.jira",
        "connectors.jira.demo",
        "connectors.jira.sync",
        "connectors.measure.command",
        "connectors.measure.http",
        "connectors.measure.jira",
        "connectors.measure.run",
        "connectors.measure.sql",
        "connectors.store_cli",
    }
)
ENTRY_PACKAGES = ("cockpit", "bench")
PACKAGES = tuple(layer for layer in LAYERS if layer not in {"load", "entry"})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _product_files() -> Iterator[Path]:
    yield ROOT / "app.py"
    for package in (*PACKAGES, *ENTRY_PACKAGES):
        yield from sorted((ROOT / package).rglob("*.py"))


def layer_of(module: str) -> str | None:
    """The layer a module belongs to; None for what is not the product's (the stdlib,
    third-party packages, tests)."""
    top = module.split(".")[0]
    if module == "app" or top in ENTRY_PACKAGES or module.endswith("__main__"):
        return "entry"
    if module in LOADERS:
        return "load"
    return top if top in PACKAGES else None


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_of(path: Path, on_import_only: bool = False) -> set[str]:
    """Every product module `path` imports (`from x import y` counts y when y is a module);
    with `on_import_only`, those its own top-level statements import."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if on_import_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if _exists(candidate):
                    found.add(candidate)
    return {name for name in found if layer_of(name) is not None}


def import_graph(on_import_only: bool = False) -> dict[str, set[str]]:
    return {_module_name(path): imports_of(path, on_import_only) for path in _product_files()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import from a layer into a layer above it, said in words."""
    rank = {layer: index for index, layer in enumerate(LAYERS)}
    return sorted(
        f"{module} ({layer_of(module)}) imports {imported} ({layer_of(imported)})"
        for module, imported_modules in graph.items()
        for imported in imported_modules
        if rank[layer_of(imported) or ""] > rank[layer_of(module) or ""]
    )


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, if there is any (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in graph or imported == module:
                continue
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_every_product_module_has_a_layer():
    assert all(layer_of(module) for module in import_graph())


def test_no_layer_imports_from_a_layer_above_it():
    assert upward_imports(import_graph()) == []


def test_no_modules_import_each_other_in_a_circle():
    # A package's __init__ that re-exports its modules is not a circle with them.
    graph = {
        module: {i for i in imported if not module.startswith(f"{i}.")}
        for module, imported in import_graph(on_import_only=True).items()
    }
    assert _cycle(graph) is None


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ],
)
def test_the_circle_check_finds_circles(graph, expected):
    assert _cycle(graph) == expected


def test_the_layer_check_sees_an_upward_import():
    # store/__init__.py once imported metrics.jira; connectors/jira/config.py, store.location
    graph = {"store": {"metrics.jira", "domain.inputs"}, "connectors.jira.config": {"store"}}
    assert upward_imports(graph) == [
        "connectors.jira.config (connectors) imports store (store)",
        "store (store) imports metrics.jira (metrics)",
    ]
    assert layer_of("connectors.ingest") == "load" and layer_of("metrics.__main__") == "entry"
    assert layer_of("polars") is None
