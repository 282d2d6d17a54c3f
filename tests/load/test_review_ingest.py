"""Ingest of drafted claims: pending ones are refused (nothing written) unless
``--accept-machine-coded``, which marks them ``dg:machineCoded`` with the coder's PROV activity;
rejected ones are never loaded; machine-coded claims never replace reviewed ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from diplograph import iri
from diplograph.cli import cli
from diplograph.graph.store import open_graph

DRAFT = Path(__file__).resolve().parents[1] / "records" / "data" / "harbour-draft.yaml"
GRAPH = iri.article_graph("harbour-note")
DG = iri.ONTOLOGY
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"oxigraph:{tmp_path / 'store'}"


def _copy(tmp_path: Path, old: str = "", new: str = "", name: str = "draft.yaml") -> Path:
    text = DRAFT.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return path


def _triples(url: str) -> set[tuple[str, str, str]]:
    with open_graph(url, read_only=True) as g:
        return {(str(s), str(p), str(o)) for s, p, o, _ in g.quads(GRAPH)}


def _graphs(url: str) -> list[URIRef]:
    with open_graph(url, read_only=True) as g:
        return g.named_graphs()


def test_a_pending_draft_is_refused_and_nothing_is_written(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    path = _copy(tmp_path)
    result = runner.invoke(cli, ["--store", store, "ingest", str(path)])
    assert result.exit_code == 2, result.output
    assert "3 claim(s) not reviewed (review: pending); nothing was written" in result.output
    for line, cid in ((30, "c1"), (39, "c2"), (48, "c3")):
        assert f"{path}:{line}: claim {cid}: 'review' is pending: review it" in result.output
    assert f"diplograph review {path}" in result.output
    assert "--accept-machine-coded" in result.output
    assert GRAPH not in _graphs(store)


def test_accept_machine_coded_marks_claims_and_records_the_coder(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    path = _copy(tmp_path)
    result = runner.invoke(cli, ["--store", store, "ingest", "--accept-machine-coded", str(path)])
    assert result.exit_code == 0, result.output
    found = _triples(store)
    activity = str(iri.ID["article/harbour-note/coding"])
    agent = str(iri.ID["software/diplograph-coder-0-1-0"])
    for n, rule in ((1, "criticise + object"), (2, "reject + object"), (3, "offer + talks")):
        claim = str(iri.claim("harbour-note", n))
        assert (claim, str(DG.machineCoded), "true") in found
        assert (claim, PROV + "wasGeneratedBy", activity) in found
        assert (claim, str(DG.codingRule), rule) in found
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert (activity, rdf_type, PROV + "Activity") in found
    assert (activity, PROV + "wasAssociatedWith", agent) in found
    assert (activity, PROV + "used", str(iri.entity("article", "harbour-note"))) in found
    assert (agent, rdf_type, PROV + "SoftwareAgent") in found
    assert (agent, "http://www.w3.org/2000/01/rdf-schema#label", "diplograph-coder 0.1.0") in found


def test_reviewed_claims_load_normally_and_rejected_ones_never(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("review: pending", "review: accepted")
    text = text.replace(
        "Denmark rejected the criticism.\n  review: accepted",
        "Denmark rejected the criticism.\n  review: rejected",
    )
    path = tmp_path / "reviewed.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["--store", store, "ingest", str(path)])
    assert result.exit_code == 0, result.output
    found = _triples(store)
    claims = {s for s, p, o in found if p.endswith("#type") and o == str(DG.Claim)}
    assert claims == {str(iri.claim("harbour-note", 1)), str(iri.claim("harbour-note", 3))}
    assert not any(p in (str(DG.machineCoded), PROV + "wasGeneratedBy") for _, p, _ in found)
    assert not any(s.startswith(str(iri.claim("harbour-note", 2))) for s, _, _ in found)


def test_machine_coded_claims_never_replace_reviewed_ones(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    reviewed = _copy(tmp_path, "review: pending", "review: accepted", name="reviewed.yaml")
    assert runner.invoke(cli, ["--store", store, "ingest", str(reviewed)]).exit_code == 0
    before = _triples(store)
    draft = _copy(tmp_path)
    result = runner.invoke(
        cli, ["--store", store, "ingest", "--accept-machine-coded", "--replace", str(draft)]
    )
    assert result.exit_code == 2, result.output
    assert "machine-coded claims never replace reviewed ones" in result.output
    assert "reviewed claims that machine-coded ones would replace: c1, c2, c3" in result.output
    assert _triples(store) == before
    # the other way round: a review replaces what the coder loaded
    other = f"oxigraph:{tmp_path / 'other'}"
    args = ["--store", other, "ingest", "--accept-machine-coded", str(draft)]
    assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(cli, ["--store", other, "ingest", "--replace", str(reviewed)])
    assert result.exit_code == 0, result.output
    assert not any(p == str(DG.machineCoded) for _, p, _ in _triples(other))


def test_machine_coded_claims_need_the_coder_named(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    path = _copy(tmp_path, "# DRAFT drafted by", "# Drafted by")
    result = runner.invoke(cli, ["--store", store, "ingest", "--accept-machine-coded", str(path)])
    assert result.exit_code == 2
    assert "does not name the coder that drafted its pending claims" in result.output
    assert GRAPH not in _graphs(store)


def test_the_coders_draft_header_names_the_coder(tmp_path: Path) -> None:
    from diplograph.graph.extract import CODER_VERSION, draft_yaml, extract
    from diplograph.graph.records.review import coder_of

    text = tmp_path / "note.txt"
    text.write_text(
        "Harbour note\n\nThe foreign minister of Norway criticised Denmark on Monday.\n",
        encoding="utf-8",
    )
    written = draft_yaml(extract(text), source=str(text))
    assert coder_of(written) == CODER_VERSION


def test_the_shapes_check_the_machine_coding_fields() -> None:
    from rdflib import Literal

    from diplograph.graph.load.shacl import shacl_problems
    from diplograph.graph.records import load_records
    from diplograph.graph.records.rdf import record_triples

    records = load_records(DRAFT)
    claim = iri.claim("harbour-note", 1)
    triples = record_triples(records)
    bad = [*triples, (claim, DG.machineCoded, Literal("yes")), (claim, DG.codingRule, Literal(3))]
    found = shacl_problems(bad)
    assert any(
        p.endswith(
            "claim c1: 'machineCoded' value 'yes' has the wrong datatype: a claim is "
            "machine coded (true) or not, once."
        )
        for p in found
    ), found
    assert any("claim c1: 'codingRule' value '3'" in p for p in found), found
    assert shacl_problems([*triples, (claim, DG.machineCoded, Literal(True))]) == []
