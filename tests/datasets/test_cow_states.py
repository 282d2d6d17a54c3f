"""COW State System import: states, system-membership spells, major powers, capitals."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from diplograph.iri import entity


def test_cow_code_365_is_russia_with_label_and_abbreviation(ask):
    rows = ask("""SELECT ?s ?label ?abb WHERE {
        ?s a dg:State ; dg:cowCode 365 ; rdfs:label ?label ; dg:cowAbbreviation ?abb }""")
    assert rows == [("state/russia", "Russia", "RUS")]


def test_russia_is_in_the_state_system_from_1816_and_still_is(ask):
    rows = ask("""SELECT ?start ?end ?ongoing WHERE {
        ?m a dg:SystemMembership ; dg:ofState id:state\\/russia ; dg:startDate ?start .
        OPTIONAL { ?m dg:endDate ?end } OPTIONAL { ?m dg:ongoing ?ongoing } }""")
    assert rows == [("1816-01-01", None, "true")]


def test_germany_has_two_spells_and_west_germany_is_another_state(ask):
    rows = ask("""SELECT ?state ?start ?end WHERE {
        ?m a dg:SystemMembership ; dg:ofState ?state ; dg:startDate ?start .
        OPTIONAL { ?m dg:endDate ?end }
        VALUES ?state { id:state\\/germany id:state\\/german-federal-republic } }
        ORDER BY ?start""")
    assert rows == [
        ("state/germany", "1816-01-01", "1945-05-08"),
        ("state/german-federal-republic", "1955-05-05", "1990-10-02"),
        ("state/germany", "1990-10-03", None),
    ]


def test_dates_are_typed_xsd_date(dgraph):
    res = dgraph.query("""SELECT ?start WHERE { ?m <https://w3id.org/diplograph/ontology#ofState>
        <https://w3id.org/diplograph/id/state/united-states-of-america> ;
        a <https://w3id.org/diplograph/ontology#SystemMembership> ;
        <https://w3id.org/diplograph/ontology#startDate> ?start }""")
    assert res.rows == [(Literal("1816-01-01", datatype=XSD.date),)]


def test_one_state_per_cow_code_with_earlier_names_as_aliases(ask):
    rows = ask("""SELECT ?s ?label ?alias WHERE {
        ?s dg:cowCode 345 ; rdfs:label ?label ; dg:alias ?alias }""")
    assert rows == [("state/serbia", "Serbia", "Yugoslavia")]
    abbs = ask("SELECT ?a WHERE { id:state\\/serbia dg:cowAbbreviation ?a } ORDER BY ?a")
    assert abbs == [("SRB",), ("YUG",)]


def test_usa_is_a_major_power_since_1898(ask):
    rows = ask("""SELECT ?start ?ongoing WHERE {
        ?m a dg:MajorPowerStatus ; dg:ofState id:state\\/united-states-of-america ;
           dg:startDate ?start ; dg:ongoing ?ongoing }""")
    assert rows == [("1898-08-13", "true")]


def test_capitals_of_russia_with_coordinates_and_dates(ask):
    rows = ask("""SELECT ?city ?label ?lat ?long ?start ?end WHERE {
        ?c a dg:CapitalSpell ; dg:ofState id:state\\/russia ; dg:city ?city ; dg:startDate ?start .
        OPTIONAL { ?c dg:endDate ?end }
        ?city rdfs:label ?label ; dg:latitude ?lat ; dg:longitude ?long } ORDER BY ?start""")
    assert rows == [
        (
            "place/saint-petersburg",
            "Saint Petersburg",
            "59.9606739",
            "30.1586551",
            "1816-01-01",
            "1918-03-11",
        ),
        ("place/moscow", "Moscow", "55.625578", "37.6063916", "1918-03-12", None),
    ]
    assert ask("SELECT ?c WHERE { id:state\\/russia dg:capital ?c } ORDER BY ?c") == [
        ("place/moscow",),
        ("place/saint-petersburg",),
    ]


def test_state_iris_are_minted_by_iri_module():
    assert entity("state", "United States of America") == URIRef(
        "https://w3id.org/diplograph/id/state/united-states-of-america"
    )


def test_a_newer_release_sets_ongoing_from_its_own_coverage(tmp_path):
    from diplograph.graph.datasets import import_dataset

    states = tmp_path / "statelist2030.csv"
    states.write_text(
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "RUS,365,Russia,1816,1,1,2030,12,31,2030\n"
        "USA,2,United States of America,1816,1,1,2020,12,31,2030\n",
        encoding="utf-8",
    )
    source, triples = import_dataset("cow-state-system", files=[f"statelist={states}"])
    dg = "https://w3id.org/diplograph/ontology#"
    facts = {
        (str(s).rsplit("/", 1)[1], str(p).removeprefix(dg), str(o))
        for s, p, o in triples
        if str(s).endswith(("cow-system-365-1816-01-01", "cow-system-2-1816-01-01"))
        and str(p) in (dg + "endDate", dg + "ongoing")
    }
    assert facts == {
        ("cow-system-365-1816-01-01", "ongoing", "true"),
        ("cow-system-2-1816-01-01", "endDate", "2020-12-31"),
    }
    assert source.version == "2030"  # read from the version column of the file given
