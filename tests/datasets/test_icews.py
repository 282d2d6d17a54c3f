"""ICEWS import (optional, non-commercial licence): coded events as claims, reconciled actors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from diplograph.errors import UsageError
from diplograph.graph.datasets import bundled_dataset_sources, import_dataset, run_import
from diplograph.graph.store import DiploGraph
from diplograph.iri import claim, dataset_graph, entity

EXCERPT = Path(__file__).parent / "data" / "icews_excerpt.tsv"
SHARED = Path("/work/shared/data/icews_tkg_samples/icews05-15_ru_ua_us_subset.tsv")
DG = "https://w3id.org/diplograph/ontology#"


@pytest.fixture(scope="module")
def icews_graph() -> DiploGraph:
    from diplograph.graph.store import open_graph

    g = open_graph("memory:")
    g.replace_graph(*import_dataset("icews", files=[EXCERPT]))
    return g


def _claim(graph: DiploGraph, line: int) -> dict[str, list[str]]:
    c = claim("icews-icews-excerpt", line)
    out: dict[str, list[str]] = {}
    for p, o in graph.query(f"SELECT ?p ?o WHERE {{ <{c}> ?p ?o }}").rows:
        out.setdefault(str(p).removeprefix(DG), []).append(str(o))
    return out


def test_not_bundled_and_needs_a_file():
    names = {str(src.graph) for src, _ in bundled_dataset_sources()}
    assert str(dataset_graph("icews")) not in names
    with pytest.raises(UsageError, match="icews is not bundled"):
        import_dataset("icews")


def test_rows_with_a_reconciled_speaker_become_claims(icews_graph):
    (n,) = icews_graph.query(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{DG}Claim> }}").rows[0]
    assert int(n) == 46  # the 4 rows spoken by Benjamin Netanyahu (no curated row) are left out
    (comment,) = icews_graph.query(f"""SELECT ?c WHERE {{ <{dataset_graph("icews")}>
        <http://www.w3.org/2000/01/rdf-schema#comment> ?c }}""").rows[0]
    assert str(comment).startswith("4 row(s) left out because their speaker did not reconcile")
    meta = icews_graph.query(f"""SELECT ?read ?skipped ?licence WHERE {{
        <{dataset_graph("icews")}> <{DG}rowsRead> ?read ; <{DG}rowsSkipped> ?skipped ;
        <http://purl.org/dc/terms/license> ?licence }}""").rows
    assert [tuple(str(x) for x in r) for r in meta] == [
        ("50", "0", "https://creativecommons.org/licenses/by-nc-sa/4.0/")
    ]


def test_person_speaker_state_target_and_cameo_type(icews_graph):
    # line 13: Barack Obama  Criticize or denounce  China  2014-03-07
    c = _claim(icews_graph, 13)
    assert c["speaker"] == [str(entity("person", "barack-obama"))]
    assert c["target"] == [str(entity("state", "china"))]
    assert c["eventType"] == ["https://w3id.org/diplograph/id/cameo/111"]
    assert c["date"] == ["2014-03-07"]
    assert c["datePrecision"] == ["http://www.w3.org/2006/time#unitDay"]
    assert c["machineCoded"] == ["true"]
    assert c["source"] == [str(entity("dataset", "icews"))]
    assert c["paraphrase"] == ["Barack Obama: Criticize or denounce → China"]


def test_government_sector_is_its_state_speaking_for_itself(icews_graph):
    # line 45: Foreign Affairs (Russia)  Make statement  North Atlantic Treaty Organization
    c = _claim(icews_graph, 45)
    assert c["speaker"] == [str(entity("state", "russia"))]
    assert c["onBehalfOf"] == [str(entity("state", "russia"))]
    assert c["target"] == [str(entity("organization", "nato"))]
    assert c["eventType"] == ["https://w3id.org/diplograph/id/cameo/010"]


def test_curated_aliases_and_variant_cameo_labels(icews_graph):
    # line 7: Barack Obama  Reject proposal to meet, discuss, or negotiate  Japan (CAMEO 125)
    assert _claim(icews_graph, 7)["eventType"] == ["https://w3id.org/diplograph/id/cameo/125"]
    # line 36: John Kerry (ICEWS) is the POCOM Secretary of State kerry-john-forbes
    assert _claim(icews_graph, 36)["speaker"] == [str(entity("person", "john-kerry"))]
    # line 14: Dmitry Anatolyevich Medvedev -> person/dmitry-medvedev, typed and named here
    assert _claim(icews_graph, 14)["speaker"] == [str(entity("person", "dmitry-medvedev"))]
    medvedev = entity("person", "dmitry-medvedev")
    rows = icews_graph.query(
        f"SELECT ?t ?l WHERE {{ <{medvedev}> a ?t ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    ).rows
    assert [(str(t), str(lab)) for t, lab in rows] == [
        (DG + "Person", "Dmitry Anatolyevich Medvedev")
    ]
    # line 42: the target Alexander Vershbow is the POCOM ambassador Alexander Russel Vershbow
    assert _claim(icews_graph, 42)["target"] == [str(entity("person", "alexander-russel-vershbow"))]
    # line 50: a non-government sector target (Citizen (International)) is no actor
    assert "target" not in _claim(icews_graph, 49)


def test_unreconciled_actors_are_reported_not_guessed():
    run = run_import("icews", files=[EXCERPT])
    names = {n.split("'")[1] for n in run.notes}
    assert "Benjamin Netanyahu" in names  # no curated row: stays unreconciled
    assert "Barack Obama" not in names and "China" not in names
    assert "Foreign Affairs (Russia)" not in names  # reconciled: the state of Russia


def test_bad_rows_are_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "events.tsv"
    bad.write_text(
        "Russia\tMake statement\tUkraine\t2014-02-30\n"
        "Russia\tDo a dance\tUkraine\t2014-02-03\n"
        "Russia\tMake statement\n"
        "Ukraine\tMake statement\tRussia\t2014-02-03\n",
        encoding="utf-8",
    )
    run = run_import("icews", files=[bad])
    source, triples = run.result()
    assert (source.rows_read, source.rows_skipped) == (4, 3)
    assert [str(p) for p in run.problems] == [
        f"{bad}:1: 'date' impossible date 2014-02-30 (day is out of range for month)",
        f"{bad}:2: 'relation' unknown CAMEO event type 'Do a dance'",
        f"{bad}:3: expected 4 tab-separated fields, found 2",
    ]
    assert (claim("icews-events", 4), URIRef(DG + "speaker"), entity("state", "ukraine")) in triples


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared ICEWS subset is not on this machine")
def test_the_shared_subset_imports_without_bad_rows():
    source, _ = import_dataset("icews", files=[SHARED], strict=True)
    assert (source.rows_read, source.rows_skipped) == (7026, 0)
