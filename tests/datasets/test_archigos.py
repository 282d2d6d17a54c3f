"""Archigos import: effective leaders' tenures, GW to COW mapping, curated person aliases."""

from __future__ import annotations


def test_putin_effective_leader_of_russia_from_2000_still_in_office(ask):
    rows = ask("""SELECT ?t ?start ?end ?ongoing WHERE { ?t dg:holder id:person\\/vladimir-putin ;
        dg:ofPost id:post\\/russia-leader ; dg:startDate ?start ; dg:ongoing ?ongoing .
        OPTIONAL { ?t dg:endDate ?end } }""")
    assert rows == [("tenure/archigos-rus-2000", "2000-01-01", None, "true")]
    post = ask("""SELECT ?label ?in ?role WHERE { id:post\\/russia-leader rdfs:label ?label ;
        dg:postIn ?in ; dg:roleType ?role }""")
    assert post == [
        (
            "Effective leader of Russia (Archigos)",
            "state/russia",
            "concept/role-type/effective-leader",
        )
    ]


def test_who_led_russia_on_a_date(ask, as_of):
    rows = ask(f"""SELECT ?holder WHERE {{ ?rel dg:ofPost id:post\\/russia-leader ;
        dg:holder ?holder . {as_of("1995-06-01")} }}""")
    assert rows == [("person/boris-yeltsin",)]


def test_kohl_leads_west_germany_then_germany_split_at_unification(ask):
    rows = ask("""SELECT ?t ?post ?start ?end WHERE { ?t dg:holder id:person\\/helmut-kohl ;
        dg:ofPost ?post ; dg:startDate ?start ; dg:endDate ?end } ORDER BY ?start""")
    assert rows == [
        (
            "tenure/archigos-gfr-1982",
            "post/german-federal-republic-leader",
            "1982-10-01",
            "1990-10-02",
        ),
        ("tenure/archigos-gfr-1982-255", "post/germany-leader", "1990-10-03", "1998-10-27"),
    ]


def test_merkel_gw_260_is_cow_255_germany(ask):
    rows = ask("""SELECT ?post ?start WHERE { ?t dg:holder id:person\\/angela-merkel ;
        dg:ofPost ?post ; dg:startDate ?start }""")
    assert rows == [("post/germany-leader", "2005-11-22")]
    gw = ask("SELECT ?c WHERE { id:state\\/germany dg:gwCode ?c } ORDER BY ?c")
    assert gw == [("255",), ("260",)]


def test_yemen_gw_678_is_yemen_arab_republic_then_yemen(ask):
    rows = ask("""SELECT ?post ?start ?end WHERE { ?t dg:ofPost ?post ; dg:startDate ?start ;
        dg:endDate ?end FILTER(STRSTARTS(STR(?t), STR(id:tenure\\/archigos-yem-1978))) }
        ORDER BY ?start""")
    assert rows == [
        ("post/yemen-arab-republic-leader", "1978-07-17", "1990-05-21"),
        ("post/yemen-leader", "1990-05-22", "2012-02-27"),
    ]


def test_serbia_gw_340_is_cow_345(ask):
    rows = ask("""SELECT ?post WHERE { id:tenure\\/archigos-ser-2006 dg:ofPost ?post }""")
    assert rows == [("post/serbia-leader",)]


def test_gw_state_without_cow_code_gets_its_own_state(ask):
    rows = ask("""SELECT ?label ?gw (COUNT(?cow) AS ?cows) WHERE { id:state\\/tibet a dg:State ;
        rdfs:label ?label ; dg:gwCode ?gw OPTIONAL { id:state\\/tibet dg:cowCode ?cow } }
        GROUP BY ?label ?gw""")
    assert rows == [("Tibet", "711", "0")]


def test_leader_without_alias_row_gets_a_name_and_obsid_iri(ask):
    rows = ask("""SELECT ?label ?start ?end WHERE { ?t dg:holder id:person\\/grant-usa-1869 ;
        dg:startDate ?start ; dg:endDate ?end . id:person\\/grant-usa-1869 rdfs:label ?label }""")
    assert rows == [("Grant", "1869-03-04", "1877-03-04")]
