"""The store setting on the real command line: ``--store`` before or after the subcommand, the
environment, one ``--store`` on ``serve``, and the exit codes (the remote store's token:
tests/store/test_remote.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph import errors, settings
from diplograph.cli import cli

STATES = """@prefix dg: <https://w3id.org/diplograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/diplograph/id/state/russia> a dg:State ; rdfs:label "Russia"@en .
"""
CLI_DOC = Path(__file__).parents[2] / "docs" / "cli.md"


@pytest.fixture
def states(tmp_path: Path) -> Path:
    path = tmp_path / "states.ttl"
    path.write_text(STATES, encoding="utf-8")
    return path


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize("where", ["before", "after"])
def test_store_before_or_after_the_subcommand(where: str, tmp_path: Path, states: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"
    other = f"oxigraph:{tmp_path / 'env-store'}"
    env = {"DIPLOGRAPH_STORE": other}  # the option wins over the environment
    if where == "before":
        code, out = invoke("--store", store, "ingest", "-q", str(states), env=env)
    else:
        code, out = invoke("ingest", "--store", store, "-q", str(states), env=env)
    assert code == 0, out
    assert (tmp_path / "store").is_dir() and not (tmp_path / "env-store").exists()
    code, out = invoke("sources", env={"DIPLOGRAPH_STORE": store})
    assert code == 0 and "file/states" in out, out


def test_the_later_store_option_wins(tmp_path: Path, states: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    code, out = invoke("--store", f"oxigraph:{first}", "init", "--store", f"oxigraph:{second}")
    assert code == 0, out
    assert second.is_dir() and not first.exists()


def test_serve_has_one_store_option() -> None:
    code, out = invoke("serve", "--help", env={"COLUMNS": "200"})
    assert code == 0
    assert len(re.findall(r"^\s+--store URL", out, re.M)) == 1
    assert "--store-token TOKEN" in out
    assert "default: oxigraph:data/store" in out


def test_the_default_store_url_is_the_setting() -> None:
    assert settings.resolve({}, environ={})["store"] == "oxigraph:data/store"
    assert settings.value("store", environ={"DIPLOGRAPH_STORE": "memory:"}) == "memory:"
    values = settings.resolve({"store": "memory:"}, environ={})
    assert settings.resolve(values, environ={"DIPLOGRAPH_STORE": "x:"}) is values  # once


def test_every_exit_code_is_documented() -> None:
    codes = {cls.exit_code for cls in errors.all_errors()}
    assert codes <= set(errors.EXIT_CODES)
    assert 5 in codes  # a crashed query worker
    table = CLI_DOC.read_text(encoding="utf-8")
    documented = {int(m) for m in re.findall(r"^\| (\d) \|", table, re.M)}
    assert documented == set(errors.EXIT_CODES)
    code, out = invoke("--help")
    assert code == 0
    for number, meaning in errors.EXIT_CODES.items():
        assert f"  {number}  {meaning.split(':')[0].split(' (')[0]}" in out
