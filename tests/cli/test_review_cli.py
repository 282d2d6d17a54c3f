"""``diplograph review`` driven through stdin: accept, edit (with suggestions from the file and
the store), reject, next, save & quit; the reviewed file ingests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from diplograph.cli import cli
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph

DRAFT = Path(__file__).resolve().parents[1] / "records" / "data" / "harbour-draft.yaml"


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.yaml"
    path.write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A store with the seed article (whose entities are offered as suggestions)."""
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_graph(url) as g:
        build(g, parts=("ontology", "codes", "articles"))
    return url


def _claims(path: Path) -> dict[str, dict[str, object]]:
    return {c["id"]: c for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]}


def test_accept_edit_reject_and_the_result_ingests(
    runner: CliRunner, draft: Path, store: str, tmp_path: Path
) -> None:
    out = tmp_path / "reviewed.yaml"
    keys = [
        "e", "speaker", "den", "1",  # c1: speaker from the file's entities (denmark)
        "e", "targets", "russia", "1",  # c1: target from the store (state/russia)
        "e", "date", "2031-05-12",
        "a",
        "r",  # c2 rejected
        "e", "event_type", "037",  # c3: another CAMEO code
        "a",
    ]  # fmt: skip
    result = runner.invoke(
        cli, ["--store", store, "review", str(draft), "-o", str(out)], input="\n".join(keys) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "claim c1 (1 of 3 pending)  rule: criticise + object" in result.output
    # the span in context: the coded sentence in brackets, with the text after it
    assert "[The foreign minister of Norway criticised Denmark over the harbour dispute on" in (
        result.output
    )
    assert "1. denmark (Denmark)" in result.output
    assert "1. state/russia (Russia)" in result.output
    assert f"{out}: 2 accepted, 1 rejected, 0 pending." in result.output
    claims = _claims(out)
    assert claims["c1"]["speaker"] == "denmark"
    assert claims["c1"]["targets"] == ["state/russia"]
    assert claims["c1"]["date"] == "2031-05-12" and claims["c1"]["review"] == "accepted"
    assert claims["c2"]["review"] == "rejected"
    assert claims["c3"]["event_type"] == "037" and claims["c3"]["review"] == "accepted"
    # the draft's header is kept: the coder is still named
    assert "# DRAFT drafted by diplograph-coder 0.1.0 from" in out.read_text(encoding="utf-8")
    assert draft.read_text(encoding="utf-8") == DRAFT.read_text(encoding="utf-8")  # untouched
    ingested = runner.invoke(cli, ["--store", store, "ingest", str(out)])
    assert ingested.exit_code == 0, ingested.output


def test_next_leaves_claims_pending_and_save_quits(runner: CliRunner, draft: Path) -> None:
    result = runner.invoke(cli, ["--store", "memory:", "review", str(draft)], input="n\na\ns\n")
    assert result.exit_code == 0, result.output
    assert f"{draft}: 1 accepted, 0 rejected, 2 pending." in result.output
    claims = _claims(draft)
    assert [claims[c]["review"] for c in ("c1", "c2", "c3")] == ["pending", "accepted", "pending"]


def test_quit_without_saving_writes_nothing(runner: CliRunner, draft: Path) -> None:
    before = draft.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["--store", "memory:", "review", str(draft)], input="a\nq\ny\n")
    assert result.exit_code == 0, result.output
    assert "Nothing was written." in result.output
    assert draft.read_text(encoding="utf-8") == before


def test_a_file_without_pending_claims_has_nothing_to_review(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "done.yaml"
    path.write_text(
        DRAFT.read_text(encoding="utf-8").replace("review: pending", "review: accepted"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["--store", "memory:", "review", str(path)])
    assert result.exit_code == 0
    assert "no claim is pending review; nothing to do" in result.output
