"""The pre-checks of server/guard.py on their own: what they find and what they refuse."""

from __future__ import annotations

import pytest

from diplograph.errors import QueryError
from diplograph.server import guard


def test_forms_are_found_after_the_prologue() -> None:
    assert guard.check_query("PREFIX a: <urn:a#> BASE <urn:b> ASK {}").form == "ASK"
    assert guard.check_query("# SELECT\nCONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert guard.check_query("describe <urn:x>").form == "DESCRIBE"
    with pytest.raises(QueryError, match="send updates to /update"):
        guard.check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_keywords_inside_strings_iris_and_comments_do_not_count() -> None:
    q = (
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { FROM <http://y/> }" . '
        "# SERVICE <http://z/>\n ?s ?p '''LOAD <http://w/>''' FILTER(?p != <urn:SERVICE>) }"
    )
    checked = guard.check_query(q)
    assert checked.services == []
    assert checked.from_graphs == []
    braces = 'SELECT * WHERE { ?s ?p "' + "{" * 500 + '" }'
    assert guard.check_query(braces, max_nesting=3).form == "SELECT"


def test_prefixed_names_are_expanded() -> None:
    q = "PREFIX ex: <http://ex.example/> SELECT * FROM ex:g FROM NAMED ex:h WHERE { ?s ?p ?o }"
    with pytest.raises(guard.ForbiddenQuery, match=r"FROM <http://ex.example/g>"):
        guard.check_query(q, known_graphs=list)
    checked = guard.check_query(
        q, known_graphs=lambda: ["http://ex.example/g", "http://ex.example/h"]
    )
    assert checked.from_graphs == ["http://ex.example/g"]
    assert checked.from_named == ["http://ex.example/h"]
    assert checked.has_dataset_clause


def test_service_allow_list_is_by_prefix() -> None:
    q = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(guard.ForbiddenQuery, match="service_allowlist"):
        guard.check_query(q)
    checked = guard.check_query(q, service_allowlist=["https://query.wikidata.org/"])
    assert checked.services == ["https://query.wikidata.org/sparql"]
    with pytest.raises(guard.ForbiddenQuery):
        guard.check_query("SELECT * { SERVICE ?s { ?a ?b ?c } }", service_allowlist=["http"])


def test_nesting_depth_names_the_line() -> None:
    q = "SELECT *\nWHERE {\n" + "{ " * 10 + "?s ?p ?o" + " }" * 10 + "\n}"
    assert guard.check_query(q, max_nesting=11).form == "SELECT"
    with pytest.raises(guard.QueryTooLarge, match=r"deeper than 10 levels \(line 3\)"):
        guard.check_query(q, max_nesting=10)


def test_update_checks() -> None:
    with pytest.raises(guard.ForbiddenQuery, match="load_allowlist"):
        guard.check_update("LOAD <http://data.example/x.ttl>")
    ok = guard.check_update(
        "LOAD <http://data.example/x.ttl> INTO GRAPH <urn:g>",
        load_allowlist=["http://data.example/"],
    )
    assert ok.loads == ["http://data.example/x.ttl"]
    with pytest.raises(QueryError, match="not an update"):
        guard.check_update("SELECT * {}")


def test_using_clauses_are_written_into_each_modify_operation() -> None:
    text = (
        "DELETE { ?s <urn:p> ?o } WHERE { ?s <urn:p> ?o } ;\n"
        "INSERT DATA { <urn:a> <urn:b> <urn:c> } ;\n"
        "INSERT { ?s <urn:q> 1 } WHERE { ?s ?p ?o FILTER EXISTS { SELECT * WHERE {} } }"
    )
    checked = guard.check_update(text)
    out = guard.apply_using(text, checked, ["urn:g1"], ["urn:g2"])
    assert out.count("USING <urn:g1> USING NAMED <urn:g2> WHERE") == 2
    assert "INSERT DATA { <urn:a> <urn:b> <urn:c> }" in out
    assert guard.apply_using(text, checked, [], []) == text


def test_using_conflicts() -> None:
    with_clause = "WITH <urn:g> INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="one way only"):
        guard.apply_using(with_clause, guard.check_update(with_clause), ["urn:x"], [])
    delete_where = "DELETE WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="DELETE WHERE"):
        guard.apply_using(delete_where, guard.check_update(delete_where), ["urn:x"], [])
