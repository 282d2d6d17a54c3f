"""POCOM import: chiefs of mission and principal officers as persons holding US posts."""

from __future__ import annotations


def test_secretaries_of_state_since_2009(ask):
    rows = ask("""SELECT ?holder ?name ?start ?end WHERE {
        ?t a dg:Tenure ; dg:ofPost id:post\\/united-states-of-america-secretary-of-state ;
           dg:holder ?holder ; dg:startDate ?start . ?holder rdfs:label ?name .
        OPTIONAL { ?t dg:endDate ?end } FILTER(STR(?start) >= "2009") } ORDER BY ?start""")
    assert rows == [
        ("person/hillary-rodham-clinton", "Hillary Rodham Clinton", "2009-01-21", "2013-02-01"),
        ("person/john-kerry", "John Forbes Kerry", "2013-02-01", "2017-01-20"),
        ("person/rex-tillerson", "Rex W. Tillerson", "2017-02-01", "2018-03-31"),
        ("person/mike-pompeo", "Michael R. Pompeo", "2018-04-26", "2021-01-20"),
        ("person/antony-blinken", "Antony John Blinken", "2021-01-26", "2025-01-20"),
        ("person/marco-rubio", "Marco Rubio", "2025-01-21", None),
    ]


def test_the_secretary_of_state_post(ask):
    rows = ask("""SELECT ?label ?in ?role WHERE {
        id:post\\/united-states-of-america-secretary-of-state a dg:Post ; rdfs:label ?label ;
        dg:postIn ?in ; dg:roleType ?role } ORDER BY ?role""")
    assert rows == [
        (
            "Secretary of State of the United States of America",
            "state/united-states-of-america",
            "concept/role-type/foreign-minister",
        ),
        (
            "Secretary of State of the United States of America",
            "state/united-states-of-america",
            "concept/role-type/secretary-of-state",
        ),
    ]


def test_ambassadors_to_russia_since_2001(ask):
    rows = ask("""SELECT ?holder ?start ?end WHERE {
        ?t dg:ofPost id:post\\/united-states-of-america-ambassador-to-russia ;
           dg:holder ?holder ; dg:startDate ?start ; dg:endDate ?end
        FILTER(STR(?start) >= "2001") } ORDER BY ?start""")
    assert rows == [
        ("person/alexander-russel-vershbow", "2001-10-17", "2005-07-22"),
        ("person/william-joseph-burns", "2005-11-08", "2008-05-12"),
        ("person/john-ross-beyrle", "2008-09-18", "2012-01-04"),
        ("person/michael-anthony-mcfaul", "2012-02-22", "2014-02-26"),
        ("person/john-f-tefft", "2014-11-19", "2017-09-28"),
        ("person/jon-m-huntsman-jr", "2017-10-02", "2019-10-03"),
        # POCOM's tenure of Sullivan has neither start nor end: the backbone supplement gives
        # both, to that tenure (one Sullivan, not two); Tracy is the supplement's alone
        ("person/john-j-sullivan", "2020-02-05", "2022-09-04"),
        ("person/lynne-m-tracy", "2023-04-05", "2025-06-27"),
    ]
    post = ask("""SELECT ?label ?state ?role WHERE {
        id:post\\/united-states-of-america-ambassador-to-russia rdfs:label ?label ;
        dg:ofState ?state ; dg:roleType ?role }""")
    assert post == [
        (
            "Ambassador of the United States of America to Russia",
            "state/russia",
            "concept/role-type/ambassador",
        )
    ]


def test_who_was_us_ambassador_to_russia_on_a_date(ask, as_of):
    rows = ask(f"""SELECT ?holder WHERE {{ ?rel dg:ofPost ?post ; dg:holder ?holder .
        ?post dg:ofState id:state\\/russia ; dg:postIn id:state\\/united-states-of-america .
        {as_of("2010-06-01")} }}""")
    assert rows == [("person/john-ross-beyrle",)]


def test_territory_mapped_by_date_west_germany_then_germany(ask):
    rows = ask("""SELECT DISTINCT ?post WHERE { ?t dg:ofPost ?post ; dg:holder ?h .
        ?post dg:ofState ?s VALUES ?s { id:state\\/germany id:state\\/german-federal-republic }
        FILTER(CONTAINS(STR(?post), "ambassador")) } ORDER BY ?post""")
    assert rows == [
        ("post/united-states-of-america-ambassador-to-german-federal-republic",),
        ("post/united-states-of-america-ambassador-to-germany",),
    ]


def test_territory_that_was_no_cow_state_keeps_its_pocom_id(ask):
    rows = ask("""SELECT ?label (COUNT(?state) AS ?states) WHERE {
        id:post\\/united-states-of-america-minister-to-hawaii rdfs:label ?label .
        OPTIONAL { id:post\\/united-states-of-america-minister-to-hawaii dg:ofState ?state } }
        GROUP BY ?label""")
    assert rows == [("Envoy or Minister of the United States of America to Hawaii", "0")]


def test_same_full_name_told_apart_by_birth_year(ask):
    rows = ask("""SELECT ?p WHERE { ?p a dg:Person ; rdfs:label "John Forsyth"@en } ORDER BY ?p""")
    assert rows == [("person/john-forsyth-1780",), ("person/john-forsyth-1812",)]


def test_missing_dates_stay_missing(ask):
    # ru-1780-dana-01: Francis Dana was appointed in 1780 but never received; no start, no end
    rows = ask("""SELECT ?p ?o WHERE { id:tenure\\/pocom-ru-1780-dana-01 ?p ?o
        FILTER(?p IN (dg:startDate, dg:endDate, dg:ongoing, rdfs:comment)) }""")
    assert rows == [
        (
            "http://www.w3.org/2000/01/rdf-schema#comment",
            "POCOM: appointed 1780-12-19; Proceeded to post, but was not officially "
            "received at court; left post in September 1783.",
        )
    ]
