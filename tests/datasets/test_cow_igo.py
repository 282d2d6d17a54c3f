"""COW IGO import: organisations, membership spells by status, "as of a date" on year spells."""

from __future__ import annotations

NATO_1949 = [
    "state/belgium",
    "state/canada",
    "state/denmark",
    "state/france",
    "state/iceland",
    "state/italy",
    "state/luxembourg",
    "state/netherlands",
    "state/norway",
    "state/portugal",
    "state/united-kingdom",
    "state/united-states-of-america",
]


def test_nato_osce_eu_un_are_organisations_with_igo_codes(ask):
    rows = ask("""SELECT ?o ?code ?label ?start WHERE {
        ?o a dg:InternationalOrganization ; dg:igoCode ?code ; rdfs:label ?label ;
           dg:startDate ?start
        VALUES ?o { id:organization\\/nato id:organization\\/osce id:organization\\/eu
                    id:organization\\/un } } ORDER BY ?o""")
    assert rows == [
        ("organization/eu", "EU", "European Union", "1993"),
        ("organization/nato", "NATO", "North Atlantic Treaty Organization", "1949"),
        (
            "organization/osce",
            "OSCE",
            "Organization for Security and Cooperation in Europe",
            "1973",
        ),
        ("organization/un", "UN", "United Nations", "1945"),
    ]


def test_nato_founding_members_in_1949(ask):
    rows = ask("""SELECT ?state WHERE { ?m dg:ofOrganization id:organization\\/nato ;
        dg:member ?state ; dg:startDate "1949"^^xsd:gYear } ORDER BY ?state""")
    assert [r[0] for r in rows] == NATO_1949


def test_nato_members_on_1999_11_19(ask, as_of):
    rows = ask(f"""SELECT ?state WHERE {{ ?rel dg:ofOrganization id:organization\\/nato ;
        dg:member ?state . {as_of("1999-11-19")} }} ORDER BY ?state""")
    members = {r[0] for r in rows}
    for state in ("united-states-of-america", "germany", "poland", "hungary", "czech-republic"):
        assert f"state/{state}" in members
    assert "state/russia" not in members
    assert "state/german-federal-republic" not in members  # West Germany's spell ends in 1989
    assert len(members) == 19


def test_nato_members_before_the_1999_enlargement(ask, as_of):
    rows = ask(f"""SELECT ?state WHERE {{ ?rel dg:ofOrganization id:organization\\/nato ;
        dg:member ?state . {as_of("1998-06-30")} }}""")
    members = {r[0] for r in rows}
    assert "state/poland" not in members
    assert "state/germany" in members
    assert len(members) == 16


def test_osce_participating_states_in_2010(ask, as_of):
    rows = ask(f"""SELECT ?state ?status WHERE {{ ?rel dg:ofOrganization id:organization\\/osce ;
        dg:member ?state ; dg:membershipStatus ?status . {as_of("2010-12-01")} }}
        ORDER BY ?state""")
    members = {r[0] for r in rows}
    assert {"state/kazakhstan", "state/russia", "state/united-states-of-america"} <= members
    assert len(members) == 55  # COW IGO counts 55 full members in 2010
    assert {r[1] for r in rows} == {"concept/membership-status/full"}


def test_spell_years_and_ongoing(ask):
    rows = ask("""SELECT ?start ?end ?ongoing WHERE { ?m dg:ofOrganization id:organization\\/nato ;
        dg:member id:state\\/german-federal-republic ; dg:startDate ?start .
        OPTIONAL { ?m dg:endDate ?end } OPTIONAL { ?m dg:ongoing ?ongoing } }""")
    assert rows == [("1955", "1989", None)]
    rows = ask("""SELECT ?start ?end ?ongoing WHERE { ?m dg:ofOrganization id:organization\\/osce ;
        dg:member id:state\\/kazakhstan ; dg:startDate ?start .
        OPTIONAL { ?m dg:endDate ?end } OPTIONAL { ?m dg:ongoing ?ongoing } }""")
    assert rows == [("1992", None, "true")]


def test_observer_and_associate_statuses_are_kept(ask):
    rows = ask("""SELECT ?status (COUNT(?m) AS ?n) WHERE { ?m a dg:Membership ;
        dg:membershipStatus ?status } GROUP BY ?status ORDER BY ?status""")
    assert rows == [
        ("concept/membership-status/associate", "88"),
        ("concept/membership-status/full", "18320"),
        ("concept/membership-status/observer", "280"),
    ]
