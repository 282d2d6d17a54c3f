"""The named queries over HTTP (issue 5, "Named queries over HTTP"): the catalogue, a query's
HTML page (form, labelled table, errors next to fields, 404 suggestions) and escaping, through
Flask's test client on apps built by the factory over the seed graph (ontology, code lists, the
seed article's claims, links). Machine twins are in ``test_http_twins.py``. ``app``/``client``
are the shared ones (tests/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape
from urllib.parse import urlencode

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from rdflib import Literal
from rdflib.namespace import XSD

from diplograph.graph.store import DiploGraph, open_graph
from diplograph.iri import ID
from diplograph.queries import catalogue, parse_query, run_query
from diplograph.server.queries_api import FormState, read_params

HTML = {"Accept": "text/html"}
LAVROV = str(ID["person/sergey-lavrov"])


def lavrov_rows(seed_graph: DiploGraph) -> list[dict[str, str]]:
    result = run_query(seed_graph, "claims-by-actor", actor="person/sergey-lavrov")
    return [{k: str(v) for k, v in b.items()} for b in result.bindings()]


# -- the catalogue ------------------------------------------------------------------------------


def test_catalogue_page_lists_every_named_query(client: FlaskClient) -> None:
    resp = client.get("/queries", headers=HTML)
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    for name, q in catalogue().items():
        assert f'href="/queries/{name}"' in page
        assert str(q.title).replace("'", "&#39;") in page
    assert 'href="/queries.json"' in page


def test_catalogue_json_twin_by_suffix_and_by_accept(client: FlaskClient) -> None:
    by_suffix = client.get("/queries.json")
    by_accept = client.get("/queries", headers={"Accept": "application/json"})
    assert by_suffix.status_code == by_accept.status_code == 200
    assert by_suffix.mimetype == by_accept.mimetype == "application/json"
    assert by_suffix.json == by_accept.json
    entries = {e["name"]: e for e in by_suffix.json["queries"]}
    assert set(entries) == set(catalogue())
    entry = entries["claims-by-actor"]
    assert entry["url"] == "/queries/claims-by-actor"
    assert entry["json_url"] == "/queries/claims-by-actor.json"
    q = catalogue()["claims-by-actor"]
    assert entry["example_url"] == "/queries/claims-by-actor?" + urlencode(
        q.example_params(), safe="/"
    )
    params = {p["name"]: p for p in entry["params"]}
    assert params["actor"] == q.param("actor").to_dict()
    assert params["actor"]["type"] == "iri"
    assert params["actor"]["required"] is True
    assert params["start"]["type"] == "date"
    assert params["start"]["required"] is False


def test_catalogue_filters_by_tag(client: FlaskClient) -> None:
    page = client.get("/queries?tag=threats", headers=HTML).get_data(as_text=True)
    tagged = {n for n, q in catalogue().items() if "threats" in q.tags}
    untagged = set(catalogue()) - tagged
    assert tagged
    for name in tagged:
        assert f'id="q-{name}"' in page
    for name in untagged:
        assert f'id="q-{name}"' not in page


# -- one query: the HTML page ------------------------------------------------------------------


def test_query_page_shows_rows_with_labels_beside_linked_iris(
    client: FlaskClient, seed_graph: DiploGraph
) -> None:
    expected = lavrov_rows(seed_graph)
    assert len(expected) >= 3  # the seed article has several claims by Lavrov
    resp = client.get("/queries/claims-by-actor?actor=person/sergey-lavrov", headers=HTML)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    count = "1 row" if len(expected) == 1 else f"{len(expected)} rows"
    assert f'<span class="status ok" id="row-count">{count}</span>' in page
    # the speaker's label beside its IRI, linked to the local linked-data page
    link = re.search(
        r'<a href="/id/person/sergey-lavrov" title="' + re.escape(LAVROV) + r'">'
        r'<span class="term-label">([^<]*)</span><span class="term-iri">([^<]*)</span></a>',
        page,
    )
    assert link is not None
    assert link.groups() == ("Sergey Lavrov", "id:person/sergey-lavrov")
    # every claim of the result is on the page, linked
    for row in expected:
        claim_path = row["claim"][len(str(ID)) :]
        assert f'href="/id/{claim_path}"' in page
    # the parameter form: GET to the page itself, value kept, example and twins shown
    assert (
        '<form class="card" id="params-form" method="get" action="/queries/claims-by-actor">'
        in (page)
    )
    assert 'name="actor" value="person/sergey-lavrov"' in page
    example_end = catalogue()["claims-by-actor"].param("end").example
    assert f"Example: <code>{example_end}</code>" in page
    for suffix in ("json", "csv", "tsv", "srj", "srx"):
        assert f'href="/queries/claims-by-actor.{suffix}?actor=person/sergey-lavrov"' in page


def test_query_page_without_required_value_shows_the_form_only(client: FlaskClient) -> None:
    resp = client.get("/queries/claims-by-actor", headers=HTML)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert 'id="row-count"' not in page
    assert "Fill in the parameters and run the query" in page
    example = urlencode(catalogue()["claims-by-actor"].example_params(), safe="/")
    assert f'href="/queries/claims-by-actor?{example.replace("&", "&amp;")}"' in page


def test_bad_parameter_value_is_a_400_next_to_its_field(client: FlaskClient) -> None:
    resp = client.get("/queries/claims-by-actor?actor=state/russia&start=2024-13-01", headers=HTML)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    m = re.search(
        r'<div class="has-error">\s*<input type="text" id="param-start" name="start" '
        r'value="2024-13-01"[^>]*>\s*<span class="field-error" id="error-start">([^<]*)</span>',
        page,
    )
    assert m is not None
    assert unescape(m.group(1)) == (
        "parameter 'start': '2024-13-01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)."
    )
    assert 'id="error-actor"' not in page  # the good field has no error
    assert 'id="row-count"' not in page  # nothing ran


def test_missing_required_value_on_a_submitted_form_is_a_400(client: FlaskClient) -> None:
    resp = client.get("/queries/claims-by-actor?actor=&start=2025", headers=HTML)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert (
        '<span class="field-error" id="error-actor">parameter &#39;actor&#39; is required' in page
    )


def test_bad_parameter_in_a_machine_twin_is_a_json_400_naming_it(client: FlaskClient) -> None:
    resp = client.get("/queries/claims-by-actor.json?actor=state/russia&end=yesterday")
    assert resp.status_code == 400
    assert resp.json == {
        "error": "parameter 'end': 'yesterday' is not a date (YYYY, YYYY-MM or YYYY-MM-DD).",
        "status": 400,
    }
    missing = client.get("/queries/claims-by-actor.csv")
    assert missing.status_code == 400
    example = catalogue()["claims-by-actor"].param("actor").example
    assert missing.json["error"] == (
        f"Query 'claims-by-actor' needs parameter 'actor', a iri (for example actor={example})."
    )
    unknown = client.get("/queries/claims-by-actor.json?actor=state/russia&colour=red")
    assert unknown.status_code == 400
    assert unknown.json["error"] == (
        "Query 'claims-by-actor' has no parameter 'colour'; its parameters are: actor, end, start."
    )


def test_unknown_query_is_a_404_with_suggestions(client: FlaskClient) -> None:
    page = client.get("/queries/claims-by-actr", headers=HTML)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "No named query called &#39;claims-by-actr&#39;" in text
    assert '<a href="/queries/claims-by-actor">Claims by an actor in a date range' in text
    assert '<a href="/queries">All named queries</a>' in text
    api = client.get("/queries/claims-by-actr.json")
    assert api.status_code == 404
    assert api.json["status"] == 404
    assert "Did you mean: claims-by-actor" in api.json["error"]


# -- escaping -------------------------------------------------------------------------------------


@pytest.fixture
def hostile_graph() -> Iterator[DiploGraph]:
    """A graph whose claim, speaker label and paraphrase hold markup."""
    g = open_graph("memory:")
    g.update(
        "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "INSERT DATA { GRAPH <https://w3id.org/diplograph/graph/article/hostile> {\n"
        f"  <{ID}claim/hostile/1> a dg:Claim ; dg:speaker <{ID}person/mallory> ;\n"
        '    dg:paraphrase "He said <script>alert(\\"x\\")</script> & left." .\n'
        f'  <{ID}person/mallory> rdfs:label "Mallory <img src=x onerror=alert(1)>"@en .\n'
        "} }"
    )
    yield g
    g.close()


def test_literals_and_labels_are_escaped(
    make_app: Callable[..., Flask], hostile_graph: DiploGraph
) -> None:
    app = make_app(graph=hostile_graph, workers=0)
    page = app.test_client().get("/queries/claims-by-actor?actor=person/mallory", headers=HTML)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert "He said &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; left." in text
    assert "Mallory &lt;img src=x onerror=alert(1)&gt;" in text
    api = app.test_client().get("/queries/claims-by-actor.json?actor=person/mallory").json
    assert api["rows"][0]["paraphrase"]["value"] == 'He said <script>alert("x")</script> & left.'


def test_parameter_values_are_escaped_in_the_form(client: FlaskClient) -> None:
    resp = client.get('/queries/claims-by-actor?actor="><script>x</script>', headers=HTML)
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "<script>x</script>" not in text
    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in text


def test_a_string_parameter_cannot_change_the_query(
    client: FlaskClient, seed_graph: DiploGraph
) -> None:
    before = seed_graph.count()
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    strings = [n for n, q in catalogue().items() if any(p.type == "string" for p in q.params)]
    assert strings, "the catalogue has a query with a string parameter"
    name = strings[0]
    param = next(p for p in catalogue()[name].params if p.type == "string")
    resp = client.get(f"/queries/{name}.json", query_string={param.name: hostile})
    assert resp.status_code == 200
    assert resp.json["params"][param.name] == {"type": "literal", "value": hostile}
    assert seed_graph.count() == before


WITH_DEFAULT = """\
# title: Claims since a year
# description: Claims dated in or after a year.
# params:
#   - name: since
#     type: date
#     default: "2020"
#     example: "2024"
#     description: The first year.
SELECT ?claim WHERE { ?claim <https://w3id.org/diplograph/ontology#date> ?d
  FILTER(STR(?d) >= STR(?since)) }
"""


def test_defaults_apply_to_empty_fields_and_are_shown(app: Flask) -> None:
    q = parse_query(WITH_DEFAULT, name="claims-since")
    state, bindings = read_params(q, {})
    assert bindings == {"since": Literal("2020", datatype=XSD.gYear)}
    assert state.errors == {} and not state.submitted
    state, bindings = read_params(q, {"since": ""})  # an empty field means "not given"
    assert bindings == {"since": Literal("2020", datatype=XSD.gYear)}
    assert state.errors == {}
    state, bindings = read_params(q, {"since": "2024-02"})
    assert bindings == {"since": Literal("2024-02", datatype=XSD.gYearMonth)}
    state, bindings = read_params(q, {"since": "soon"})
    assert bindings == {}
    assert state.errors == {
        "since": "parameter 'since': 'soon' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)."
    }
    with app.test_request_context("/queries/claims-since"):
        html = render_template(
            "query.html",
            q=q,
            form=FormState(),
            result=None,
            ready=True,
            params_given={},
            twins=[],
            editor_link="/",
            example_url=None,
        )
    assert '<span class="param-type">date</span>' in html  # not required: it has a default
    assert "Default: <code>2020</code>." in html
    assert "Example: <code>2024</code>." in html
    assert 'placeholder="2024"' in html
