"""The wheel ships the ontology, the shapes and the code-list sources with their notes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ONTOLOGY_FILES = [
    "diplograph/ontology/diplo.ttl",
    "diplograph/ontology/shapes.ttl",
    "diplograph/ontology/namespace.py",
    "diplograph/ontology/data/cameo/gdeltPyR_cameoCodes.json",
    "diplograph/ontology/data/cameo/SOURCE.md",
    "diplograph/ontology/data/plover/CAMEO2PLOVER-2021.txt",
    "diplograph/ontology/data/plover/SOURCE.md",
]


_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
)


def _ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(_SKIP(folder, names))
    if Path(folder) == ROOT:
        skipped |= {"data", "bench"} & set(names)  # the default store and benchmark output
    return skipped


@pytest.mark.slow
def test_wheel_contains_the_ontology_files(tmp_path: Path) -> None:
    # build from a copy, so that the build leaves nothing in the working tree
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=_ignore)
    out = tmp_path / "dist"
    subprocess.run(
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
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("diplograph-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = [n for n in ONTOLOGY_FILES if n not in names]
        assert missing == []
        # the shipped files are the ones in the repository
        for name in ONTOLOGY_FILES:
            local = ROOT / name.removeprefix("diplograph/")
            assert zf.read(name) == local.read_bytes(), name
