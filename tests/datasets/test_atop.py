"""ATOP import: alliances as binding treaties, parties, obligations, member-level participations."""

from __future__ import annotations


def test_north_atlantic_treaty_alliance_3180(ask):
    rows = ask("""SELECT ?a ?label ?start ?end ?ongoing WHERE { ?a dg:atopId 3180 ;
        a dg:Alliance ; rdfs:label ?label ; dg:startDate ?start ; dg:ongoing ?ongoing .
        OPTIONAL { ?a dg:endDate ?end } }""")
    label = (
        "Defence, non-aggression and consultation alliance of United States of America, Canada, "
        "United Kingdom and 27 others (1949–), ATOP 3180"
    )
    assert rows == [("alliance/atop-3180", label, "1949-04-04", None, "true")]
    # the number alone is still a name to find it by
    alt = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    assert ask(f"SELECT ?l WHERE {{ id:alliance\\/atop-3180 {alt} ?l }}") == [
        ("ATOP alliance 3180",)
    ]
    obligations = ask("SELECT ?o WHERE { id:alliance\\/atop-3180 dg:obligation ?o } ORDER BY ?o")
    assert obligations == [
        ("concept/alliance-obligation/consultation",),
        ("concept/alliance-obligation/defence",),
        ("concept/alliance-obligation/non-aggression",),
    ]


def test_alliance_parties_are_cow_states(ask):
    parties = {r[0] for r in ask("SELECT ?p WHERE { id:alliance\\/atop-3180 dg:party ?p }")}
    assert len(parties) == 30
    assert {
        "state/united-states-of-america",
        "state/germany",
        "state/german-federal-republic",
        "state/poland",
        "state/turkey",
    } <= parties
    assert "state/russia" not in parties


def test_alliance_is_a_binding_treaty_by_the_ontology(dgraph):
    # dg:Alliance is a subclass of dg:Treaty in ontology/diplo.ttl; the data types it dg:Alliance
    res = dgraph.query("""ASK { GRAPH <https://w3id.org/diplograph/graph/dataset/atop> {
        <https://w3id.org/diplograph/id/alliance/atop-3180>
        a <https://w3id.org/diplograph/ontology#Alliance> } }""")
    assert res.boolean is True


def test_participations_of_the_usa_in_alliance_3180_by_phase(ask):
    rows = ask("""SELECT ?p ?start ?end ?ongoing WHERE { ?p a dg:Participation ;
        dg:ofAgreement id:alliance\\/atop-3180 ;
        dg:participant id:state\\/united-states-of-america ; dg:startDate ?start .
        OPTIONAL { ?p dg:endDate ?end } OPTIONAL { ?p dg:ongoing ?ongoing } } ORDER BY ?start""")
    assert rows == [
        ("participation/atop-3180-2-1949-04-04", "1949-04-04", "1951-06-19", None),
        ("participation/atop-3180-2-1951-06-19", "1951-06-19", None, "true"),
    ]
    obligations = ask("""SELECT ?o WHERE {
        id:participation\\/atop-3180-2-1951-06-19 dg:obligation ?o } ORDER BY ?o""")
    assert [r[0].rsplit("/", 1)[1] for r in obligations] == [
        "consultation",
        "defence",
        "non-aggression",
    ]


def test_germany_joins_on_unification_and_west_germany_leaves(ask, as_of):
    rows = ask("""SELECT ?state ?start ?end WHERE { ?p dg:ofAgreement id:alliance\\/atop-3180 ;
        dg:participant ?state ; dg:startDate ?start . OPTIONAL { ?p dg:endDate ?end }
        VALUES ?state { id:state\\/germany id:state\\/german-federal-republic } }
        ORDER BY ?start""")
    assert rows == [
        ("state/german-federal-republic", "1954-10-23", "1990-10-03"),
        ("state/germany", "1990-10-03", None),
    ]
    on_day = ask(f"""SELECT ?state WHERE {{ ?rel dg:ofAgreement id:alliance\\/atop-3180 ;
        dg:participant ?state . {as_of("1999-11-19")} }}""")
    states = {r[0] for r in on_day}
    assert {"state/germany", "state/poland", "state/hungary", "state/czech-republic"} <= states
    assert "state/german-federal-republic" not in states


def test_month_precision_dates_stay_months(dgraph):
    res = dgraph.query("""SELECT ?start WHERE {
        <https://w3id.org/diplograph/id/participation/atop-1115-200-1844-06>
        <https://w3id.org/diplograph/ontology#startDate> ?start }""")
    (start,) = res.rows[0]
    assert str(start) == "1844-06"
    assert str(start.datatype) == "http://www.w3.org/2001/XMLSchema#gYearMonth"
