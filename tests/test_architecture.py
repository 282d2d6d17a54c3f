"""Imports point only downward: foundation -> ontology -> graph -> queries -> server and cli.

Every module of the package is parsed (not imported) and each of its imports, function-local ones
included, is resolved to a module of diplograph. An import of a higher layer fails the test with
``file:line``. Layers (docs/architecture.md):

0. the foundation, the modules at the package root: ``errors``, ``formats``, ``settings``,
   ``iri``, ``sparqllex``, ``provenance`` and ``__init__``;
1. ``ontology``;
2. ``graph``;
3. ``queries``;
4. ``server``, ``cli`` and ``notebook``: the command line may import the server to start it, the
   server never imports the command line; the notebook API imports neither, and neither imports it;
5. ``__main__``, which only starts the command line.

One exception, checked by its own test: the package root lends the notebook API
(``diplograph.open``) from ``diplograph.notebook`` inside its module ``__getattr__`` only, so
that ``import diplograph`` loads nothing else (:data:`LAZY_REEXPORTS`).

``bench/`` and ``tests/`` are outside the package and free to import anything.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "diplograph"
SUBPACKAGES = {"ontology": 1, "graph": 2, "queries": 3, "server": 4, "cli": 4, "notebook": 4}
FOUNDATION = 0
ENTRY_POINTS = {"__main__": 5}
#: Pairs of the same layer that still may not import each other: (importer, imported).
FORBIDDEN_SIDEWAYS = {
    ("server", "cli"),
    ("notebook", "server"),
    ("notebook", "cli"),
    ("server", "notebook"),
    ("cli", "notebook"),
}
#: Imports upward allowed only inside a module's ``__getattr__`` (PEP 562): (importer, imported).
LAZY_REEXPORTS = {("diplograph", "diplograph.notebook")}


def module_name(path: Path) -> str:
    """``graph/store/embedded.py`` -> ``diplograph.graph.store.embedded``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def package_modules() -> Iterator[Path]:
    """Every Python file of the package: the root modules and the subpackages' trees."""
    yield from sorted(ROOT.glob("*.py"))
    for sub in SUBPACKAGES:
        yield from sorted((ROOT / sub).rglob("*.py"))


def part_of(name: str) -> str:
    """The top part of a module of diplograph: ``diplograph.iri`` -> ``graph``,
    ``diplograph.errors`` -> ``errors``, ``diplograph`` -> ``__init__``."""
    pieces = name.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def layer(name: str) -> int:
    part = part_of(name)
    if part in SUBPACKAGES:
        return SUBPACKAGES[part]
    return ENTRY_POINTS.get(part, FOUNDATION)


def imported_modules(source: str, this: str, *, is_package: bool) -> list[tuple[int, str]]:
    """``(line, module)`` for every import of a diplograph module in the source of module
    ``this``, at any depth (function-local imports too), in line order.

    ``from diplograph.graph import store`` names the module ``diplograph.graph.store``;
    ``from diplograph import __version__`` names ``diplograph``; relative imports are resolved.
    """
    return sorted(_imports(ast.parse(source), this, is_package))


def _imports(tree: ast.AST, this: str, is_package: bool) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = this.split(".")
                drop = node.level - 1 if is_package else node.level
                base = base[: len(base) - drop]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                yield node.lineno, candidate if _is_module(candidate) else module


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (ROOT / relative).with_suffix(".py").is_file() or (ROOT / relative).is_dir()


def points_up(importer: str, imported: str) -> bool:
    """Whether module ``importer`` may not import module ``imported``."""
    if (part_of(importer), part_of(imported)) in FORBIDDEN_SIDEWAYS:
        return True
    return layer(imported) > layer(importer)


def getattr_lines(source: str) -> set[int]:
    """The line numbers of the module-level ``def __getattr__`` of ``source``."""
    return {
        line
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }


def upward_imports() -> list[str]:
    found: dict[str, None] = {}  # in order, once each
    for path in package_modules():
        importer = module_name(path)
        source = path.read_text(encoding="utf-8")
        lazy = getattr_lines(source)
        for line, imported in imported_modules(
            source, importer, is_package=path.name == "__init__.py"
        ):
            if (importer, imported) in LAZY_REEXPORTS and line in lazy:
                continue
            if points_up(importer, imported):
                where = f"{path.relative_to(ROOT)}:{line}"
                found[
                    f"{where}: {importer} (layer {layer(importer)}) imports {imported} "
                    f"(layer {layer(imported)})"
                ] = None
    return list(found)


def test_imports_point_only_downward() -> None:
    found = upward_imports()
    assert not found, "upward imports:\n" + "\n".join(found)


def test_the_scan_sees_every_layer() -> None:
    names = {module_name(path) for path in package_modules()}
    for expected in (
        "diplograph.errors",
        "diplograph.iri",
        "diplograph.provenance",
        "diplograph.ontology.load",
        "diplograph.graph.store",
        "diplograph.queries.registry",
        "diplograph.server.app",
        "diplograph.cli",
        "diplograph.notebook.graph",
    ):
        assert expected in names


def test_the_scan_reads_local_and_relative_imports() -> None:
    source = (
        "from . import not_a_module\n"
        "from .base import DiploGraph\n"
        "import json\n"
        "def f():\n"
        "    from diplograph.server import app\n"
        "    import diplograph.cli.base\n"
    )
    found = imported_modules(source, "diplograph.graph.store", is_package=True)
    assert found == [
        (1, "diplograph.graph.store"),
        (2, "diplograph.graph.store.base"),
        (5, "diplograph.server.app"),
        (6, "diplograph.cli.base"),
    ]
    upward = [name for _, name in found if points_up("diplograph.graph.store", name)]
    assert upward == ["diplograph.server.app", "diplograph.cli.base"]


def test_a_lazy_reexport_is_allowed_only_inside_getattr() -> None:
    eager = "from diplograph import notebook\n"
    lazy = "def __getattr__(name):\n    from diplograph import notebook\n    return notebook\n"
    assert imported_modules(eager, "diplograph", is_package=True) == [(1, "diplograph.notebook")]
    assert points_up("diplograph", "diplograph.notebook")
    assert getattr_lines(eager) == set() and getattr_lines(lazy) == {1, 2, 3}


def test_importing_the_package_loads_nothing_else() -> None:
    """``import diplograph`` stays light: the notebook API comes on first use."""
    code = (
        "import sys, diplograph\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('diplograph.', 'rdflib', "
        "'networkx', 'pyoxigraph', 'flask', 'pandas')))\n"
        "print(heavy)\n"
        "print(diplograph.open.__module__, 'open' in dir(diplograph))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "[]\ndiplograph.notebook.graph True\n"


def test_the_layers() -> None:
    assert points_up("diplograph.ontology.load", "diplograph.graph.store")
    assert points_up("diplograph.server.app", "diplograph.cli")
    assert points_up("diplograph.iri", "diplograph.ontology")
    assert not points_up("diplograph.cli.serve", "diplograph.server.app")
    assert not points_up("diplograph.ontology.load", "diplograph.provenance")
    assert not points_up("diplograph.__main__", "diplograph.cli")
    assert not points_up("diplograph.notebook.graph", "diplograph.queries.run")
    assert points_up("diplograph.notebook", "diplograph.server.app")
    assert points_up("diplograph.cli.query", "diplograph.notebook")
