"""Strategic rivalries import."""

from __future__ import annotations


def test_usa_russia_rivalries(ask):
    rows = ask("""SELECT ?r ?label ?start ?end ?ongoing WHERE { ?r a dg:Rivalry ;
        dg:rival id:state\\/united-states-of-america, id:state\\/russia ; rdfs:label ?label ;
        dg:startDate ?start . OPTIONAL { ?r dg:endDate ?end } OPTIONAL { ?r dg:ongoing ?ongoing } }
        ORDER BY ?start""")
    assert rows == [
        ("rivalry/tss-78", "United States-USSR 1", "1918", "1920", None),
        ("rivalry/tss-100", "United States-USSR 2", "1945", "1989", None),
        ("rivalry/tss-246", "Russia-United States", "2007", None, "true"),
    ]
    types = ask("SELECT ?t WHERE { id:rivalry\\/tss-100 dg:rivalryType ?t } ORDER BY ?t")
    assert types == [("concept/rivalry-type/ideological",), ("concept/rivalry-type/positional",)]


def test_rivals_of_russia_in_2015(ask, as_of):
    rows = ask(f"""SELECT ?other WHERE {{ ?rel a dg:Rivalry ; dg:rival id:state\\/russia, ?other .
        FILTER(?other != id:state\\/russia) {as_of("2015-06-01")} }} ORDER BY ?other""")
    assert rows == [("state/ukraine",), ("state/united-states-of-america",)]
