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
