"""Settings are declared once and reach every place they must: docs, --help, the environment,
/-/settings.json (secrets masked) and the running app."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from diplograph import settings
from diplograph.cli import cli

DOCS = Path(__file__).parents[2] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", text, re.M)}
    missing = [s.name for s in settings.SETTINGS if s.name not in rows]
    assert missing == []
    for s in settings.SETTINGS:
        assert f"`{s.env}`" in rows[s.name]
        assert f"`{s.option}`" in rows[s.name]
        if s.default not in (None, []):
            # a list is shown as it is written in the environment: comma-separated
            shown = ", ".join(s.default) if isinstance(s.default, list) else s.default
            assert f"`{shown}`" in rows[s.name], s.name
    assert set(rows) == {s.name for s in settings.SETTINGS}  # nothing stale either


def test_every_setting_is_a_serve_option(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for s in settings.SETTINGS:
        assert s.option in result.output
        assert s.env in result.output


def test_resolution_order() -> None:
    env = {
        "DIPLOGRAPH_QUERY_TIMEOUT": "5",
        "DIPLOGRAPH_CORS": "no",
        "DIPLOGRAPH_SERVICE_ALLOWLIST": "https://a.example/, https://b.example/",
    }
    values = settings.resolve({}, environ=env)
    assert values["query_timeout"] == 5.0
    assert values["cors"] is False
    assert values["service_allowlist"] == ["https://a.example/", "https://b.example/"]
    assert values["workers"] == 2
    assert settings.resolve({"query_timeout": 7}, environ=env)["query_timeout"] == 7.0
    assert settings.resolve({"query_timeout": None}, environ=env)["query_timeout"] == 5.0


def test_bad_values_say_where() -> None:
    with pytest.raises(
        settings.SettingError, match=r"DIPLOGRAPH_WORKERS.*must be a int, got 'many'"
    ):
        settings.resolve({}, environ={"DIPLOGRAPH_WORKERS": "many"})
    with pytest.raises(settings.SettingError, match="option --cors"):
        settings.resolve({"cors": "perhaps"}, environ={})


def test_settings_json_masks_secrets(make_app: Callable[..., Flask]) -> None:
    app = make_app(store="memory:", workers=0, update_token="hunter2", max_results=7)
    r = app.test_client().get("/-/settings.json")
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    values = r.json["settings"]
    assert values["update_token"] == "********"
    assert values["max_results"] == 7
    assert values["host"] == "127.0.0.1"
    assert "hunter2" not in r.get_data(as_text=True)
    declared = {d["name"]: d for d in r.json["declared"]}
    assert declared["update_token"]["secret"] is True
    assert declared["query_timeout"]["env"] == "DIPLOGRAPH_QUERY_TIMEOUT"


def test_environment_reaches_the_app(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPLOGRAPH_MAX_RESULTS", "1")
    c = make_app(store="memory:", workers=0).test_client()
    assert c.get("/-/settings.json").json["settings"]["max_results"] == 1
    r = c.get("/sparql", query_string={"query": "SELECT ?x { VALUES ?x { 1 2 } }"})
    assert r.headers["X-Diplograph-Truncated"] == "true"


def test_health_and_versions(make_app: Callable[..., Flask]) -> None:
    c = make_app(store="memory:", workers=0).test_client()
    health = c.get("/-/health.json").json
    assert health["ok"] is True
    assert health["store"] == "memory:"
    assert health["update"] is False
    versions = c.get("/-/versions.json").json
    assert versions["pyoxigraph"]
    assert versions["diplograph"]
