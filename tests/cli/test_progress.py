"""The ingest progress bar: shown (triples/s) on a terminal, silenced by --quiet and when stderr
is not a terminal. A real ``diplograph ingest`` with its stderr on a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from diplograph import iri

DIPLOGRAPH = str(Path(sys.executable).with_name("diplograph"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "claims.nt"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    path.write_text(
        "".join(f'<{iri.claim("bar", i)}> {label} "claim {i}" .\n' for i in range(20_000)),
        encoding="utf-8",
    )
    return path


def ingest_on_a_terminal(store: Path, data: Path, *flags: str) -> tuple[int, str]:
    return on_a_terminal("--store", f"oxigraph:{store}", "ingest", "--no-shacl", *flags, str(data))


@pytest.mark.slow
def test_a_progress_bar_on_a_terminal(tmp_path: Path, data: Path) -> None:
    code, shown = ingest_on_a_terminal(tmp_path / "store", data)
    assert code == 0
    assert f"{data.name}: " in shown and " triples/s]" in shown


@pytest.mark.slow
def test_quiet_silences_it(tmp_path: Path, data: Path) -> None:
    code, shown = ingest_on_a_terminal(tmp_path / "store", data, "--quiet")
    assert code == 0
    assert shown == ""


@pytest.mark.slow
def test_no_bar_when_stderr_is_not_a_terminal(tmp_path: Path, data: Path) -> None:
    done = subprocess.run(
        [
            DIPLOGRAPH,
            "--store",
            f"oxigraph:{tmp_path / 'store'}",
            "ingest",
            "--no-shacl",
            str(data),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stderr == f"{data}: loading...\n"


def on_a_terminal(*args: str) -> tuple[int, str]:
    """Run ``diplograph ARGS`` with its stderr on a pseudo-terminal; its exit code and what the
    terminal showed."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen([DIPLOGRAPH, *args], stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    import gc

    from diplograph.graph.load.build import build
    from diplograph.graph.store import open_graph

    url = f"oxigraph:{tmp_path_factory.mktemp('progress') / 'store'}"
    with open_graph(url) as g:
        build(g, parts=("ontology", "codes", "articles", "links"))
    gc.collect()
    return url


@pytest.mark.slow
def test_export_shows_its_steps_on_a_terminal_and_clears_them(
    seed_store: str, tmp_path: Path
) -> None:
    out = tmp_path / "claims.graphml"
    code, shown = on_a_terminal("--store", seed_store, "export", "--view", "claims", "-o", str(out))
    assert code == 0 and out.is_file()
    assert "\rexport: claims view: reading the links [" in shown
    assert "\rexport: claims view: labels and kinds of " in shown
    assert "\rexport: writing " in shown and " as GraphML [" in shown
    assert shown.rstrip().endswith(f"as GraphML to {out}.")  # the step line cleared before it


def _steps(stderr: str) -> list[str]:
    return [re.sub(r" \[\d+\.\d s\]$", "", line) for line in stderr.splitlines()]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("analyze", "path", "person/sergey-lavrov", "organization/nato"),
            [
                "analyze path: full view: reading the links",
                "analyze path: full view: labels and kinds of ",
                "analyze path: full view: dates of ",
                "analyze path: full view: filtering ",
                "analyze path: the shortest chain among ",
            ],
        ),
        (
            ("export", "--view", "actors", "--format", "d3"),
            [
                "export: actors view: reading the links",
                "export: actors view: labels and kinds of ",
                "export: actors view: filtering ",
                "export: writing ",
            ],
        ),
    ],
)
def test_progress_elsewhere_only_when_asked(
    seed_store: str, args: tuple[str, ...], expected: list[str]
) -> None:
    from click.testing import CliRunner

    from diplograph.cli import cli

    quiet = CliRunner().invoke(cli, ["--store", seed_store, *args])
    assert quiet.exit_code == 0 and quiet.stderr.count("\n") <= 1  # at most "Wrote ..."
    asked = CliRunner().invoke(cli, ["--store", seed_store, *args, "--progress"])
    assert asked.exit_code == 0, asked.output
    title = expected[0].split(":")[0]
    steps = [line for line in _steps(asked.stderr) if line.startswith(title + ": ")]
    assert len(steps) == len(expected)
    for line, start in zip(steps, expected, strict=True):
        assert line.startswith(start), line
    assert asked.stdout == quiet.stdout


def test_extract_shows_its_steps_when_asked(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from diplograph.cli import cli

    article = tmp_path / "a.txt"
    article.write_text(
        "Russian Foreign Minister Sergey Lavrov rejected the proposal of the United States.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["--store", f"oxigraph:{tmp_path / 'none'}", "extract", str(article), "--progress"],
    )
    assert result.exit_code == 0, result.output
    assert [line for line in _steps(result.stderr) if line.startswith("extract: ")] == [
        "extract: reading a.txt",
        "extract: the Phoenix actor dictionaries",
        "extract: coding 1 paragraph",
    ]
