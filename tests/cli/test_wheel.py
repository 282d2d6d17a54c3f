"""The built wheel holds every data file the package reads at run time (.ttl, .rq, .json, .yaml,
.txt, .csv), the server's templates and static files, every module, and the ``diplograph``
script."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_SUFFIXES = {".ttl", ".rq", ".json", ".yaml", ".txt", ".csv"}
#: package directories (relative to the repository root, which is the package ``diplograph``)
PACKAGE_DIRS = ("ontology", "graph", "queries", "server", "cli")
NOT_SHIPPED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(NOT_SHIPPED(folder, names))
    if Path(folder) == ROOT:
        skipped |= {"data", "bench", "tests"} & set(names)
    return skipped


def expected_files(src: Path) -> set[str]:
    """Wheel paths of the data files, templates, static files and modules in the source copy."""
    out = set()
    for top in PACKAGE_DIRS:
        for path in (src / top).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(src)
            shipped = path.suffix in DATA_SUFFIXES | {".py"} or rel.parts[:2] in (
                ("server", "templates"),
                ("server", "static"),
            )
            if shipped:
                out.add(f"diplograph/{rel.as_posix()}")
    return out


@pytest.mark.slow
def test_the_wheel_ships_data_templates_static_and_modules(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=_ignore)  # build from a copy: nothing left in the tree
    out = tmp_path / "dist"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = out.glob("diplograph-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = zf.read(entry_points).decode()
    expected = expected_files(src)
    kinds = {Path(p).suffix for p in expected}
    assert {".ttl", ".rq", ".json", ".yaml", ".txt", ".csv"} <= kinds  # the check checks them
    assert any("/server/templates/" in p for p in expected)
    assert any("/server/static/" in p for p in expected)
    missing = sorted(expected - names)
    assert missing == []
    for module in (
        "graph/store/__init__.py",
        "graph/store/remote.py",
        "graph/load/ingest.py",
        "cli/store.py",
    ):
        assert f"diplograph/{module}" in names
    assert "diplograph = diplograph.cli:main" in scripts
