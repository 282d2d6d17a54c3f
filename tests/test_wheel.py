"""The built wheel (one build per run, from a copy of the tree) holds every data file the package
reads at run time (.ttl, .rq, .json, .yaml, .txt, .csv), the server's templates and static files,
every module, the ``diplograph`` script, and the ontology files with their source notes, byte for
byte as they are in the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DATA_SUFFIXES = {".ttl", ".rq", ".json", ".yaml", ".txt", ".csv"}
#: package directories (relative to the repository root, which is the package ``diplograph``)
PACKAGE_DIRS = ("ontology", "graph", "queries", "server", "cli")
NOT_SHIPPED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)
#: the ontology, the shapes and the code-list sources with their notes (``SOURCE.md``)
ONTOLOGY_FILES = [
    "diplograph/ontology/diplo.ttl",
    "diplograph/ontology/shapes.ttl",
    "diplograph/ontology/namespace.py",
    "diplograph/ontology/data/cameo/gdeltPyR_cameoCodes.json",
    "diplograph/ontology/data/cameo/SOURCE.md",
    "diplograph/ontology/data/plover/CAMEO2PLOVER-2021.txt",
    "diplograph/ontology/data/plover/SOURCE.md",
]


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(NOT_SHIPPED(folder, names))
    if Path(folder) == ROOT:
        # the default store, benchmark output and the tests are not part of the package
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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the source copy, the wheel built from it): built from a copy, so that the build leaves
    nothing in the working tree."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_ignore)
    out = tmp / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = out.glob("diplograph-*.whl")
    yield src, wheel


def test_the_wheel_ships_data_templates_static_and_modules(built: tuple[Path, Path]) -> None:
    src, wheel = built
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


def test_the_wheel_ships_the_ontology_files_as_they_are(built: tuple[Path, Path]) -> None:
    _, wheel = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = [n for n in ONTOLOGY_FILES if n not in names]
        assert missing == []
        for name in ONTOLOGY_FILES:
            local = ROOT / name.removeprefix("diplograph/")
            assert zf.read(name) == local.read_bytes(), name
