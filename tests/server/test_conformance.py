"""The W3C SPARQL 1.1 Protocol suite (34 tests) and 12 extras against the real server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CHECKER = Path(__file__).with_name("protocol_check.py")


@pytest.mark.slow
def test_protocol_checker_passes_everything(live_server: Any) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(CHECKER),
            "--endpoint",
            live_server.sparql,
            "--update-endpoint",
            live_server.update,
            "--extras",
            "--header",
            f"Authorization: Bearer {live_server.token}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = run.stdout.strip().splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    assert failures == []
    assert lines[-1] == "46 passed, 0 failed"
    assert run.returncode == 0


@pytest.mark.slow
def test_checker_fails_without_the_token(live_server: Any) -> None:
    """The update tests really reach /update: without the bearer token they fail."""
    run = subprocess.run(
        [
            sys.executable,
            str(CHECKER),
            "--endpoint",
            live_server.sparql,
            "--update-endpoint",
            live_server.update,
            "--only",
            "update_post_direct",
        ],
        capture_output=True,
        text=True,
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
def test_protocol_checker_query_side_only(live_server: Any) -> None:
    """As a read-only public endpoint is checked: no update endpoint, data-free dataset tests
    (a FROM of a graph the store lacks is then harmless: the protocol dataset overrides it)."""
    run = subprocess.run(
        [sys.executable, str(CHECKER), "--endpoint", live_server.sparql, "--extras"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = run.stdout.strip().splitlines()
    assert [line for line in lines if line.startswith("FAIL")] == []
    assert lines[-1] == "32 passed, 0 failed"
