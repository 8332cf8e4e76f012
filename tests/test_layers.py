"""Imports flow one way: leaf text rules, shared types, division codes and agency names -> extract / attachments -> formats /
parse -> ingest -> storage -> Scrapy components (cms, spiders, pipelines, middlewares, ...).

Read from the source with `ast` (every import, also those inside functions), so a lazy import that
goes the wrong way is caught as well as a top-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "govcrawl"

#: layer of each module prefix (the longest matching prefix wins); anything else is a Scrapy
#: component or a command, the top layer
LAYERS = {
    "govcrawl": 0, "govcrawl.errors": 0, "govcrawl.signals": 0, "govcrawl.items": 0,
    "govcrawl.document": 0, "govcrawl.record": 0, "govcrawl.text": 0, "govcrawl.limits": 0,
    "govcrawl.regions": 0, "govcrawl.agencies": 0,  # division codes and agency names: data and rules
    "govcrawl.extract": 1, "govcrawl.attachments": 1,
    "govcrawl.formats": 2, "govcrawl.parse": 2,
    "govcrawl.ingest": 3,
    "govcrawl.storage": 4, "govcrawl.migrations": 4,
}
TOP = 5
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


ALL_MODULES = {module_name(p) for p in MODULES}


def layer(module: str) -> int:
    best = None
    for prefix in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best)):
            best = prefix
    if best == "govcrawl" and module != "govcrawl":
        return TOP  # a top-level module not named above (settings, cli, offline, ...)
    return LAYERS[best] if best else TOP


def govcrawl_imports(source: str) -> set[str]:
    """Every govcrawl module a source imports. `from a.b import c` counts as a.b.c where c is a
    module of the package (`from govcrawl.parse import identity`), else as a.b."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "govcrawl")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "govcrawl":
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in ALL_MODULES else node.module)
    return found


def violations(module: str, imports: set[str]) -> list[str]:
    out = []
    for target in sorted(imports):
        if module.startswith("govcrawl.text") and not (target == "govcrawl.text"
                                                       or target.startswith("govcrawl.text.")):
            out.append(f"{module} -> {target}: govcrawl/text imports nothing else of govcrawl")
        elif layer(target) > layer(module):
            out.append(f"{module} (layer {layer(module)}) -> {target} (layer {layer(target)})")
    return out




@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_module_imports_only_its_own_layer_or_below(path):
    module = module_name(path)
    assert violations(module, govcrawl_imports(path.read_text(encoding="utf-8"))) == []


def test_only_ingest_joins_extraction_attachments_and_parsing():
    joiners = set()
    for path in MODULES:
        imports = govcrawl_imports(path.read_text(encoding="utf-8"))
        kinds = {t.split(".")[1] for t in imports if t.count(".") >= 1} & {"extract", "attachments", "parse"}
        if kinds == {"extract", "attachments", "parse"}:
            joiners.add(module_name(path))
    assert joiners == {"govcrawl.ingest"}


def test_an_upward_import_is_reported():
    assert violations("govcrawl.parse.report", {"govcrawl.storage.db"}) == [
        "govcrawl.parse.report (layer 2) -> govcrawl.storage.db (layer 4)"]
    assert violations("govcrawl.text.links", {"govcrawl.document"}) == [
        "govcrawl.text.links -> govcrawl.document: govcrawl/text imports nothing else of govcrawl"]
    assert violations("govcrawl.spiders.base", {"govcrawl.text.links", "govcrawl.storage"}) == []


def test_lazy_imports_are_read_too():
    source = "def f():\n    from govcrawl.spiders.base import ReportSpider\n"
    assert govcrawl_imports(source) == {"govcrawl.spiders.base"}
    assert layer("govcrawl.cli") == TOP and layer("govcrawl.text.normalize") == 0


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_inside_govcrawl():
    modules = {module_name(p): p for p in MODULES}
    graph = {name: {t for t in govcrawl_imports(path.read_text(encoding="utf-8")) if t in modules}
             for name, path in modules.items()}
    assert import_cycles(graph) == []


def test_a_cycle_is_found():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
