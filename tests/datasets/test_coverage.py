"""Issue 17: every dataset knows where its coverage ends, and "as of" answers say so.

Run on the full bundled graph (datasets plus the backbone supplement): the questions the issue
asks, then a generic check of every "as of" query past every source's end, then the supplement's
refusal of a fact without its source.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.errors import SourceError
from diplograph.graph.datasets import import_dataset
from diplograph.graph.store import DiploGraph
from diplograph.queries import catalogue, run_query

ID = "https://w3id.org/diplograph/id/"
GRAPH = "https://w3id.org/diplograph/graph/"


def rows(graph: DiploGraph, name: str, **params: str) -> list[dict[str, str]]:
    result = run_query(graph, name, **params)
    names = list(result.variables)
    return [
        {k: ("" if v is None else str(v)) for k, v in zip(names, row, strict=True)}
        for row in result
    ]


def test_each_dataset_graph_states_its_coverage(full_graph: DiploGraph) -> None:
    found = {
        str(g): (str(start), str(end))
        for g, start, end in full_graph.query(
            "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
            "SELECT ?g ?start ?end WHERE { GRAPH <" + GRAPH + "meta> { "
            "?g dg:sourceKind 'dataset' ; dg:coverageStart ?start ; dg:coverageEnd ?end ; "
            "dg:coverageNote ?note } }"
        )
    }
    assert found[GRAPH + "dataset/archigos"] == ("1840-07-23", "2015-12-31")
    assert found[GRAPH + "dataset/cow-igo"][1] == "2014"
    assert found[GRAPH + "dataset/us-missions"][1] == "2024-12-31"
    datasets = {
        str(g)
        for (g,) in full_graph.query(
            "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
            "SELECT ?g WHERE { GRAPH <" + GRAPH + "meta> { ?g dg:sourceKind 'dataset' } }"
        )
    }
    assert datasets == set(found), datasets - set(found)


def test_us_leader_in_2025_is_the_sourced_one_never_obama(full_graph: DiploGraph) -> None:
    got = rows(
        full_graph, "leader-on-date", state="state/united-states-of-america", on="2025-06-01"
    )
    leaders = {r["leader"] for r in got if r["leader"]}
    assert leaders == {ID + "person/donald-trump"}
    (trump,) = [r for r in got if r["leader"]]
    assert trump["coverage"] == "covered" and trump["source"].startswith("https://")
    assert not trump["source"].startswith(GRAPH)  # a page, not a dataset
    # Archigos' effective-leader post is unknown past its end, said as a status row
    statuses = [r["coverage"] for r in got if not r["leader"]]
    assert statuses == [
        "past coverage of Archigos 4.1: a dataset of political leaders (ends 2015-12-31)"
    ]


@pytest.mark.parametrize(
    ("state", "on", "stale"),
    [
        ("state/united-kingdom", "2025-06-01", "cameron"),
        ("state/ukraine", "2024-06-01", "poroshenko"),
    ],
)
def test_no_leader_is_extended_past_the_data(
    full_graph: DiploGraph, state: str, on: str, stale: str
) -> None:
    got = rows(full_graph, "leader-on-date", state=state, on=on)
    assert got
    assert not any(stale in r["leader"] for r in got)
    assert all(r["coverage"] == "covered" or not r["leader"] for r in got)


def test_nato_in_2024_has_32_members_with_the_accessions_sourced(
    full_graph: DiploGraph,
) -> None:
    got = rows(full_graph, "members-on-date", organization="organization/nato", on="2024-06-01")
    members = {r["member"] for r in got if r["member"]}
    assert len(members) == 32
    assert all(r["coverage"] == "covered" for r in got)
    for state, start in [
        ("montenegro", "2017-06-05"),
        ("macedonia", "2020-03-27"),
        ("finland", "2023-04-04"),
        ("sweden", "2024-03-07"),
    ]:
        (row,) = [r for r in got if r["member"] == ID + "state/" + state]
        assert row["startDate"] == start
        assert row["source"].startswith("https://"), row


def test_nato_on_1999_03_01_has_16_members(full_graph: DiploGraph) -> None:
    got = rows(full_graph, "members-on-date", organization="organization/nato", on="1999-03-01")
    members = {r["member"].rsplit("/", 1)[1] for r in got}
    assert len(members) == 16
    assert not members & {"poland", "hungary", "czech-republic"}
    later = rows(full_graph, "members-on-date", organization="organization/nato", on="1999-06-01")
    assert len({r["member"] for r in later}) == 19
    assert {r["coverage"] for r in later} == {"covered"}


def test_inside_coverage_the_rows_stay(full_graph: DiploGraph) -> None:
    got = rows(full_graph, "members-on-date", organization="organization/nato", on="2010-01-01")
    assert len({r["member"] for r in got}) == 28
    embassies = rows(full_graph, "us-embassies-on-date", on="2020-06-01")
    assert len(embassies) > 150 and {r["coverage"] for r in embassies} == {"covered"}


AS_OF = [
    pytest.param(q, id=q.name)
    for q in catalogue().values()
    if any(p.name == "on" for p in q.params)
]


@pytest.mark.parametrize("q", AS_OF)
def test_past_every_source_an_as_of_query_gives_status_rows_only(
    full_graph: DiploGraph, q: object
) -> None:
    params = dict(q.example_params())  # type: ignore[attr-defined]
    params["on"] = "2100-01-01"
    got = rows(full_graph, q.name, **params)  # type: ignore[attr-defined]
    assert got, "a date past every source must say so, not answer nothing"
    entity = {"leader", "member", "holder", "envoy", "rival", "alliance", "state"} & set(got[0])
    for r in got:
        assert r["coverage"].startswith("past coverage of "), r
        assert r["startDate"] == "" and r["endDate"] == "", r
        for column in entity - {"state"}:
            assert r[column] == "", r


def test_a_supplement_row_without_its_source_is_refused(tmp_path: Path) -> None:
    good = (
        "kind,subject,subject_label,object,object_label,role,role_type,target,start,end,as_of,"
        "source_url,source_title,accessed,evidence\n"
        "membership,state/finland,Finland,organization/nato,NATO,,,,2023-04-04,,2023-04-04,"
        "https://example.org/a,A page,2026-12-03,Finland joined\n"
    )
    bad = good + (
        "membership,state/sweden,Sweden,organization/nato,NATO,,,,2024-03-07,,2024-03-07,"
        ",A page,2026-12-03,Sweden joined\n"
    )
    path = tmp_path / "supplement.csv"
    path.write_text(good, encoding="utf-8")
    source, triples = import_dataset("supplement", files={"facts": path})
    assert triples and str(source.coverage_end) == "2023-04-04"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        import_dataset("supplement", files={"facts": path})
    (problem,) = info.value.problems
    assert problem.location == f"{path}:3" and problem.field == "source_url"
    assert "nothing was written" in str(info.value)


HEADER = (
    "kind,subject,subject_label,object,object_label,role,role_type,target,start,end,as_of,"
    "source_url,source_title,accessed,evidence\n"
)


def test_a_supplement_row_that_repeats_a_dataset_tenure_is_refused(tmp_path: Path) -> None:
    # POCOM holds Kerry's tenure as Secretary of State, 2013-02-01 to 2017-01-20
    path = tmp_path / "supplement.csv"
    path.write_text(
        HEADER + "post,person/john-kerry,John Kerry,state/united-states-of-america,"
        "United States,Secretary of State,foreign-minister,,2013-02-01,2017,,"
        "https://example.org/k,A page,2026-12-03,Kerry\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as info:
        import_dataset("supplement", files={"facts": path})
    (problem,) = info.value.problems
    assert problem.location == f"{path}:2"
    assert "us-chiefs-of-mission already holds this tenure (id:tenure/pocom-secr-2013-kerr" in (
        problem.message
    )


def test_a_supplement_row_gives_a_dataset_tenure_only_the_dates_it_lacks(
    tmp_path: Path,
) -> None:
    # POCOM's Sullivan in Moscow (ru-2019-sull-01) has no start and no end
    path = tmp_path / "supplement.csv"
    path.write_text(
        HEADER + "post,person/john-j-sullivan,John J. Sullivan,state/united-states-of-america,"
        "United States,Ambassador to Russia,ambassador,state/russia,2020-02-05,2022-09-04,,"
        "https://example.org/s,A page,2026-12-03,Sullivan\n",
        encoding="utf-8",
    )
    _, triples = import_dataset("supplement", files={"facts": path})
    subjects = {str(s).removeprefix(ID) for s, _, _ in triples}
    assert subjects == {"tenure/pocom-ru-2019-sull-01", "https://example.org/s"}
    dates = sorted(str(o) for _, p, o in triples if str(p).endswith(("startDate", "endDate")))
    assert dates == ["2020-02-05", "2022-09-04"]


def test_supplement_holders_keep_the_datasets_iris(full_graph: DiploGraph) -> None:
    # Archigos' "Cameron" is the supplement's David Cameron: one person, its label from Archigos
    got = full_graph.query(
        """SELECT ?label WHERE { ?t <https://w3id.org/diplograph/ontology#holder> ?p .
        ?p <http://www.w3.org/2000/01/rdf-schema#label> ?label
        FILTER(STRSTARTS(STR(?t), "https://w3id.org/diplograph/id/tenure/supplement-david-"))
        FILTER(?p = <https://w3id.org/diplograph/id/person/david-cameron>) }"""
    )
    assert [str(r[0]) for r in got.rows] == ["Cameron"]
