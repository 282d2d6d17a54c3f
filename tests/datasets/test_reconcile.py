"""Reconciliation: one IRI per entity across datasets and articles, by codes and curated tables."""

from __future__ import annotations

import csv
from itertools import pairwise
from pathlib import Path

import pytest

from diplograph.graph.datasets import run_import
from diplograph.graph.datasets.common import bundled
from diplograph.graph.datasets.icews import resolve
from diplograph.graph.datasets.reconcile import reconcile_file, reconciler
from diplograph.graph.datasets.report import reconcile_report
from diplograph.iri import entity, is_slug

EXCERPT = Path(__file__).parent / "data" / "icews_excerpt.tsv"


def _rows(name: str) -> list[dict[str, str]]:
    with open(reconcile_file(name), newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# -- Gleditsch-Ward to COW -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gw", "start", "end", "expected"),
    [
        # Germany: GW 260 is West Germany (COW 260) until unification, then Germany (COW 255)
        (
            260,
            "1982-10-01",
            "1998-10-27",
            [(260, "1982-10-01", "1990-10-02"), (255, "1990-10-03", "1998-10-27")],
        ),
        (260, "2005-11-22", "2015-12-31", [(255, "2005-11-22", "2015-12-31")]),
        (255, "1933-01-30", "1945-04-30", [(255, "1933-01-30", "1945-04-30")]),
        # Yemen: GW 678 is the Yemen Arab Republic (COW 678) and then unified Yemen (COW 679)
        (
            678,
            "1978-07-17",
            "2012-02-27",
            [(678, "1978-07-17", "1990-05-21"), (679, "1990-05-22", "2012-02-27")],
        ),
        # Serbia: GW 340, COW 345 (Yugoslavia/Serbia) in both periods
        (340, "1903-06-15", "1914-06-24", [(345, "1903-06-15", "1914-06-24")]),
        (340, "2014-04-27", "2015-12-31", [(345, "2014-04-27", "2015-12-31")]),
        # Tibet: a GW state COW does not list
        (711, "1933-12-17", "1941-06-30", [(None, "1933-12-17", "1941-06-30")]),
        # the same code in both systems
        (365, "2000-01-01", "2015-12-31", [(365, "2000-01-01", "2015-12-31")]),
        (2, "2009-01-20", "2015-12-31", [(2, "2009-01-20", "2015-12-31")]),
    ],
)
def test_gw_to_cow_known_differences(gw, start, end, expected):
    got = [(cow, lo, hi) for cow, lo, hi, _ in reconciler().gw_to_cow(gw, start, end)]
    assert got == expected


def test_gw_cow_table_is_consistent():
    rec = reconciler()
    rows = _rows("gw_cow.csv")
    assert {r["gwcode"] for r in rows} == {"255", "260", "678", "340", "563", "564", "711", "815"}
    for r in rows:
        assert r["note"], r
        if r["cowcode"]:
            assert int(r["cowcode"]) in rec.states, r
    for gw, spans in rec.gw.items():  # no two rows of a GW code overlap
        for a, b in pairwise(spans):
            assert a.valid_to and b.valid_from and a.valid_to < b.valid_from, (gw, a, b)


def test_every_archigos_gw_code_maps():
    run = run_import("archigos")
    assert run.problems == []
    assert len(run.notes) == 4  # the four GW-only states


# -- states ----------------------------------------------------------------------------------


def test_states_by_cow_code_and_curated_alias_not_by_guessing():
    rec = reconciler()
    assert rec.state(365) == entity("state", "russia")
    assert rec.state_by_name("Russia") == entity("state", "russia")
    assert rec.state_by_name("Soviet Union") == entity("state", "russia")
    assert rec.state_by_name("United States") == entity("state", "united-states-of-america")
    assert rec.state_by_name("Yugoslavia") == entity("state", "serbia")
    assert rec.state_by_name("Russia ") is None  # exact names only
    assert rec.state_by_name("russia") is None
    assert rec.state(9999) is None


def test_alias_tables_point_at_existing_codes():
    rec = reconciler()
    for r in _rows("state_aliases.csv"):
        assert int(r["cowcode"]) in rec.states, r
    territories = _rows("pocom_territories.csv")
    for r in territories:
        assert not r["cowcode"] or int(r["cowcode"]) in rec.states, r
        assert r["note"], r
    with open(
        bundled("datasets", "us_chiefs_of_mission_pocom", "pocom_chiefs_of_mission_by_country.csv"),
        encoding="utf-8",
    ) as fh:
        used = {row["territory_id"] for row in csv.DictReader(fh)}
    assert used == {r["territory_id"] for r in territories}


def test_pocom_territories_by_date():
    rec = reconciler()
    assert rec.territory("germany", "1960-01-01") == 260
    assert rec.territory("germany", "1995-01-01") == 255
    assert rec.territory("korea", "1890-01-01") == 730
    assert rec.territory("korea", "1990-01-01") == 732
    assert rec.territory("holy-see", "1990-01-01") is None
    assert rec.territory("russia", "2010-01-01") == 365


# -- persons ---------------------------------------------------------------------------------


def test_person_alias_rows_cite_evidence_and_point_at_real_keys():
    with open(
        bundled("datasets", "archigos_leaders", "archigos_4_1_leaders.csv"), encoding="utf-8"
    ) as fh:
        leadids = {r["leadid"] for r in csv.DictReader(fh)}
    with open(
        bundled("datasets", "us_chiefs_of_mission_pocom", "pocom_people.csv"), encoding="utf-8"
    ) as fh:
        pocom = {r["person_id"] for r in csv.DictReader(fh)}
    for r in _rows("persons.csv"):
        assert r["source"] in {"archigos", "pocom", "icews"}, r
        assert is_slug(r["person"]) and len(r["evidence"]) > 40, r
        if r["source"] == "archigos":
            assert r["key"] in leadids, r
        if r["source"] == "pocom":
            assert r["key"] in pocom, r


def test_putin_is_one_person_in_archigos_and_icews():
    rec = reconciler()
    archigos = rec.person("archigos", "8220a9b0-1e42-11e4-b4cd-db5882bf8def")
    icews, _ = resolve(rec, "Vladimir Putin")
    assert archigos == icews == entity("person", "vladimir-putin")
    # an ICEWS name that only resembles a curated one is not guessed
    assert resolve(rec, "Vladimir V. Putin") == (None, None)


def test_kerry_is_one_person_in_pocom_and_icews(ask):
    icews, _ = resolve(reconciler(), "John Kerry")
    assert icews == entity("person", "john-kerry")
    rows = ask("""SELECT ?t WHERE { ?t dg:holder id:person\\/john-kerry ;
        dg:ofPost id:post\\/united-states-of-america-secretary-of-state }""")
    assert rows == [("tenure/pocom-secr-2013-kerr",)]


# -- across the whole graph ------------------------------------------------------------------


def test_russia_in_cow_in_the_article_and_in_icews_is_one_iri(full_graph):
    russia = entity("state", "russia")
    res = full_graph.query(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{russia}> ?p ?o }} }}
                               ORDER BY ?g""")
    graphs = {str(r[0]).rsplit("/graph/", 1)[1] for r in res.rows}
    assert {"article/article-001", "dataset/cow-state-system"} <= graphs
    run = run_import("icews", files=[EXCERPT])
    assert any(str(o) == str(russia) for _, _, o in run.triples)
    res = full_graph.query(
        f"SELECT ?code WHERE {{ <{russia}> <https://w3id.org/diplograph/ontology#cowCode> ?code }}"
    )
    assert [int(r[0]) for r in res.rows] == [365]


def test_report_lists_what_did_not_reconcile(full_graph):
    report = reconcile_report(full_graph, icews_files=[EXCERPT])
    undescribed = report.section("Entities the articles use").lines
    assert "person/dmitry-peskov" in undescribed
    for known in (
        "person/sergey-lavrov",  # the backbone supplement's foreign minister of Russia
        "state/russia",
        "state/ukraine",
        "state/united-states-of-america",
        "organization/nato",
        "organization/osce",
    ):
        assert known not in undescribed
    assert [line.split(":")[0] for line in report.section("POCOM territories").lines] == [
        "hawaii",
        "holy-see",
        "texas",
    ]
    assert len(report.section("Bad rows").lines) == 7
    icews = report.section("ICEWS actors not reconciled").lines
    assert "'Benjamin Netanyahu'" in icews
    text = report.render(limit=3)
    assert "== Gleditsch-Ward states without a COW code" in text


def test_one_person_holds_posts_from_two_datasets(ask, dgraph):
    # Archigos' G.H.W. Bush and POCOM's George Herbert Walker Bush, tied by a curated row
    rows = ask("""SELECT ?post ?start WHERE { ?t dg:holder id:person\\/george-herbert-walker-bush ;
        dg:ofPost ?post ; dg:startDate ?start } ORDER BY ?start""")
    assert rows == [
        ("post/united-states-of-america-chief-of-mission-to-china", "1974-10-21"),
        ("post/united-states-of-america-leader", "1989-01-20"),
    ]
    report = reconcile_report(dgraph)
    assert report.section("Persons described by more than one").lines == [
        "person/george-herbert-walker-bush: dataset/archigos, dataset/us-chiefs-of-mission"
    ]
