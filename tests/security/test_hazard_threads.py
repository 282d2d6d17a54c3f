"""Hazard 4 of issue 10: parsers under threads (RDFLib/rdflib#1282: concurrent first parses by
rdflib's SPARQL parser can break every later query of the process). The server never hands a
query to rdflib: Oxigraph parses it. This is checked in a fresh process, where 16 threads send
their first requests at the same instant (queries of every form, named queries, pages), then
every request again: all answered, with the same results, and rdflib's SPARQL engine was never
imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

SCRIPT = r"""
import json, sys, threading
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph
from diplograph.server.app import create_app

graph = open_graph("memory:")
build(graph, parts=("ontology", "codes", "articles", "links"))
app = create_app({"TESTING": True, "graph": graph, "workers": 0, "result_cache": 0})
DG = "PREFIX dg: <https://w3id.org/diplograph/ontology#> "
Q = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    DG + "SELECT (COUNT(?c) AS ?n) WHERE { ?c a dg:Claim }",
    DG + "SELECT ?s WHERE { ?s a dg:State } ORDER BY ?s LIMIT 3",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), 'lavrov', 'i')) } ORDER BY ?s LIMIT 2",
    "ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } ORDER BY ?s LIMIT 5",
    "DESCRIBE <https://w3id.org/diplograph/id/state/russia>",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?b }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?s <urn:none> ?x } FILTER(!BOUND(?x)) } "
    "ORDER BY ?s LIMIT 1",
]
from urllib.parse import urlencode
def fmt(q):
    return "ntriples" if q.startswith(("CONSTRUCT", "DESCRIBE")) else "json"
URLS = ["/sparql?" + urlencode({"query": q, "format": fmt(q)}) for q in Q] + [
    "/queries/claims-by-actor.json?actor=state/russia",
    "/queries/search-entities.json?text=lavrov",
    "/queries/actor-timeline.json?actor=person/sergey-lavrov",
    "/page/state/russia",
    "/class/State",
    "/",
]
barrier = threading.Barrier(len(URLS))
first, second = {}, {}

def hit(url, out):
    barrier.wait()
    r = app.test_client().get(url)
    out[url] = (r.status_code, r.get_data(as_text=True))

for out in (first, second):
    threads = [threading.Thread(target=hit, args=(u, out)) for u in URLS]
    for t in threads: t.start()
    for t in threads: t.join()
print(json.dumps({
    "first": first, "second": second,
    "rdflib_sparql": "rdflib.plugins.sparql" in sys.modules,
}))
app.extensions["diplograph"].close()
"""


def test_concurrent_first_requests_in_a_fresh_process() -> None:
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    first, second = out["first"], out["second"]
    assert len(first) == 16
    for url, (status, body) in first.items():
        assert status == 200, (url, body[:500])
        assert "Traceback" not in body
    # the first answers (all parsed concurrently) equal the later ones, query by query
    for url in first:
        if url.startswith("/sparql"):
            assert first[url] == second[url], url
        elif url.startswith("/queries"):
            rows = [json.loads(out[url][1])["rows"] for out in (first, second)]
            assert rows[0], url
            assert sorted(map(json.dumps, rows[0])) == sorted(map(json.dumps, rows[1])), url
    counts = [json.loads(b) for u, (_, b) in first.items() if "COUNT%28%3Fc%29" in u]
    assert int(counts[0]["results"]["bindings"][0]["n"]["value"]) > 10
    assert out["rdflib_sparql"] is False
