"""No module over 400 lines, no function over 60 lines (issue 15), anywhere in the repository.

Every Python file is parsed (not imported): the package, ``tests/``, ``bench/`` and the notebook
API alike. A function's length is its ``def`` through its last line, decorators not counted,
nested functions counted in the function that holds them (and on their own). The one exception
is a linear data table, a function that only lists entries; each one is named in
:data:`DATA_TABLES` with the reason, and an entry that no longer needs the exception fails too,
so the list cannot go stale.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
#: Folders that hold no source of the project: tools' and builds' output, virtual environments.
SKIPPED = {"build", "dist", "node_modules", "__pycache__", "out"}
#: Functions allowed over the limit: ``(file, function) -> why``.
DATA_TABLES = {
    ("bench/mix.py", "query_mix"): "a linear data table: the benchmark's query mix, one "
    "BenchQuery (key, group, form, description, text) per entry and no logic",
}


def python_files() -> Iterator[Path]:
    """Every Python file of the repository, outside hidden, build and output folders."""
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts[:-1]
        if any(p.startswith(".") or p in SKIPPED or p.endswith(".egg-info") for p in parts):
            continue
        yield path


def long_modules() -> list[str]:
    found = []
    for path in python_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{path.relative_to(ROOT)}: {lines} lines")
    return found


def function_lengths(source: str) -> Iterator[tuple[str, int, int]]:
    """``(name, first line, length)`` of every function and method of ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            yield node.name, node.lineno, end - node.lineno + 1


def long_functions() -> dict[tuple[str, str], str]:
    """``(file, function) -> "file:line function: N lines"`` for every function over the limit."""
    found = {}
    for path in python_files():
        name = str(path.relative_to(ROOT))
        for function, line, length in function_lengths(path.read_text(encoding="utf-8")):
            if length > MAX_FUNCTION_LINES:
                found[(name, function)] = f"{name}:{line} {function}: {length} lines"
    return found


def test_no_module_over_400_lines() -> None:
    found = long_modules()
    assert not found, "modules over 400 lines (split them by subject):\n" + "\n".join(found)


def test_no_function_over_60_lines_but_the_data_tables() -> None:
    found = long_functions()
    over = [where for key, where in found.items() if key not in DATA_TABLES]
    assert not over, "functions over 60 lines (split them into named helpers):\n" + "\n".join(over)
    stale = [
        f"{file} {function}" for file, function in DATA_TABLES if (file, function) not in found
    ]
    assert not stale, "DATA_TABLES names functions no longer over the limit: " + ", ".join(stale)


def test_the_scan_sees_every_part_of_the_repository() -> None:
    files = {str(path.relative_to(ROOT)) for path in python_files()}
    for expected in (
        "iri.py",
        "graph/store/__init__.py",
        "server/app.py",
        "notebook/graph.py",
        "tests/test_sizes.py",
        "bench/mix.py",
    ):
        assert expected in files
    assert not any(name.startswith((".venv", "build/")) for name in files)


def test_a_function_is_measured_from_def_to_its_last_line() -> None:
    source = (
        "@decorator\n"
        "def outer():\n"
        "    def inner():\n"
        "        return 1\n"
        "\n"
        "    return inner\n"
        "class C:\n"
        "    async def method(self):\n"
        "        pass\n"
    )
    assert sorted(function_lengths(source)) == [("inner", 3, 2), ("method", 8, 2), ("outer", 2, 5)]
