"""The W3C SPARQL 1.1 Protocol suite (34 tests) and 12 extras against the real server.

The checker is the project's shared one, not a copy: ``conformance/protocol_check.py`` of the
shared workspace, which every developer and CI run has beside the clone (``../shared``), or the
file the environment variable ``DIPLOGRAPH_CONFORMANCE_CHECKER`` names. Without it these tests
fail, saying where they looked: a conformance check that silently did not run would read as
one that passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The environment variable that names the checker, when it is not at :data:`SHARED_CHECKER`.
CHECKER_VARIABLE = "DIPLOGRAPH_CONFORMANCE_CHECKER"
#: Where the shared workspace keeps the checker: ``../shared`` beside the repository.
SHARED_CHECKER = ROOT.parent / "shared" / "conformance" / "protocol_check.py"


def checker_path(shared: Path = SHARED_CHECKER) -> Path:
    """The checker to run: the file ``DIPLOGRAPH_CONFORMANCE_CHECKER`` names, else the shared
    one (``shared``); fails the test, saying where it looked, when that file is not there."""
    named = os.environ.get(CHECKER_VARIABLE, "").strip()
    path = Path(named).expanduser().resolve() if named else shared
    if path.is_file():
        return path
    if named:
        why = (
            f"the file {CHECKER_VARIABLE} names). Name the checker's file there, or unset it to "
            f"use the shared workspace's, {shared}."
        )
    else:
        why = (
            f"the shared workspace's conformance/protocol_check.py; {CHECKER_VARIABLE} is unset). "
            f"Put the shared workspace at {shared.parents[1]}, beside the repository, or name "
            f"the checker's file in {CHECKER_VARIABLE}."
        )
    pytest.fail(f"The W3C protocol checker is not at {path} ({why}", pytrace=False)


@pytest.fixture
def checker() -> Path:
    return checker_path()


def test_a_missing_checker_fails_saying_where_it_looked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = tmp_path / "shared" / "conformance" / "protocol_check.py"
    monkeypatch.delenv(CHECKER_VARIABLE, raising=False)
    with pytest.raises(pytest.fail.Exception) as failed:
        checker_path(shared)
    assert str(failed.value).startswith(f"The W3C protocol checker is not at {shared} (the shared")
    assert f"{CHECKER_VARIABLE} is unset" in str(failed.value)
    named = (tmp_path / "elsewhere.py").resolve()
    monkeypatch.setenv(CHECKER_VARIABLE, str(named))
    with pytest.raises(pytest.fail.Exception) as failed:
        checker_path(shared)
    assert str(failed.value).startswith(
        f"The W3C protocol checker is not at {named} (the file {CHECKER_VARIABLE} names)."
    )
    named.write_text("# a checker\n", encoding="utf-8")
    assert checker_path(shared) == named  # the variable wins over the shared workspace
    monkeypatch.delenv(CHECKER_VARIABLE)
    shared.parent.mkdir(parents=True)
    shared.write_text("# a checker\n", encoding="utf-8")
    assert checker_path(shared) == shared


def run_checker(
    checker: Path, endpoint: str, *options: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The checker run against ``endpoint`` with ``options``; its output as text."""
    command = [sys.executable, str(checker), "--endpoint", endpoint, *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_protocol_checker_passes_everything(checker: Path, live_server: Any) -> None:
    token = f"Authorization: Bearer {live_server.token}"
    run = run_checker(
        checker,
        live_server.sparql,
        *("--update-endpoint", live_server.update, "--extras", "--header", token),
    )
    lines = run.stdout.strip().splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    assert failures == []
    assert lines[-1] == "46 passed, 0 failed"
    assert run.returncode == 0


@pytest.mark.slow
def test_checker_fails_without_the_token(checker: Path, live_server: Any) -> None:
    """The update tests really reach /update: without the bearer token they fail."""
    run = run_checker(
        checker,
        live_server.sparql,
        *("--update-endpoint", live_server.update, "--only", "update_post_direct"),
        timeout=120,
    )
    assert "FAIL update_post_direct" in run.stdout
    assert run.returncode == 1


@pytest.mark.slow
def test_served_by_waitress_on_loopback(live_server: Any) -> None:
    import urllib.request

    with urllib.request.urlopen(live_server.sparql + "?query=ASK%7B%7D", timeout=30) as r:
        assert r.headers["Server"] == "diplograph"  # waitress' ident, not Werkzeug's dev server
        assert r.read() == b'{"head":{},"boolean":true}'
    log = live_server.log.read_text()
    assert f"at {live_server.url}/sparql" in log
    assert live_server.url.startswith("http://127.0.0.1:")
    assert "2 query workers, updates on" in log


@pytest.mark.slow
def test_protocol_checker_query_side_only(checker: Path, live_server: Any) -> None:
    """As a read-only public endpoint is checked: no update endpoint, data-free dataset tests
    (a FROM of a graph the store lacks is then harmless: the protocol dataset overrides it)."""
    run = run_checker(checker, live_server.sparql, "--extras")
    lines = run.stdout.strip().splitlines()
    assert [line for line in lines if line.startswith("FAIL")] == []
    assert lines[-1] == "32 passed, 0 failed"
