"""SPARQLWrapper with its defaults (``format=``/``output=``/``results=`` parameters as well as
``Accept``) against a real ``diplograph serve``: every query form in every return format it
offers, each answer compared with the same query run on a local copy of the data.
SPARQLWrapper's warning that the answer's type is not the one it asked for fails the test."""

from __future__ import annotations

import csv
import io
import warnings
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.server.conftest import SAMPLE

pytestmark = pytest.mark.slow

DG = "https://w3id.org/diplograph/ontology#"
RUSSIA = "https://w3id.org/diplograph/id/state/russia"
SELECT = (
    f"PREFIX dg: <{DG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?s ?label WHERE { ?s a dg:State ; rdfs:label ?label } ORDER BY ?s"
)
ASK = f"ASK {{ <{RUSSIA}> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a <{DG}State> ; ?p ?o }}"
DESCRIBE = f"DESCRIBE <{RUSSIA}>"


@pytest.fixture(scope="module")
def local() -> ox.Store:
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    return store


def _run(endpoint: str, query: str, fmt: str, accept: str | None = None) -> Any:
    sw = SPARQLWrapper(endpoint)  # defaults: GET, format/output/results parameters and Accept
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if accept is not None:  # content negotiation only, by this Accept
        sw.setOnlyConneg(True)
        sw.addCustomHttpHeader("Accept", accept)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib's deprecations, SPARQLWrapper's own notes
        warnings.filterwarnings("error", "Format requested was", RuntimeWarning)
        return sw.query().convert()


def _expected_graph(local: ox.Store, query: str) -> Graph:
    data = ox.serialize(
        local.query(query, use_default_graph_as_union=True), format=ox.RdfFormat.N_TRIPLES
    )
    return Graph().parse(data=bytes(data or b""), format="nt")


def test_default_format_is_xml_for_every_form(live_server: Any, local: ox.Store) -> None:
    sw = SPARQLWrapper(live_server.sparql)
    for query in (SELECT, ASK, CONSTRUCT, DESCRIBE):
        sw.setQuery(query)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.filterwarnings("error", "Format requested was", RuntimeWarning)
            result = sw.query()
            assert result.response.status == 200
            converted = result.convert()
        if query in (CONSTRUCT, DESCRIBE):
            assert result.info()["content-type"].startswith("application/rdf+xml")
            assert isomorphic(converted, _expected_graph(local, query))
        else:
            assert result.info()["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select(live_server: Any, fmt: str) -> None:
    doc = _run(live_server.sparql, SELECT, fmt)
    if fmt == JSON:
        rows = [(b["s"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"]]
    elif fmt == XML:
        rows = [
            tuple(el.firstChild.data for el in r.getElementsByTagName("uri"))
            + tuple(el.firstChild.data for el in r.getElementsByTagName("literal"))
            for r in doc.getElementsByTagName("result")
        ]
    else:
        text = io.StringIO(doc.decode())
        table = list(
            csv.reader(text)
            if fmt == CSV
            else csv.reader(text, "excel-tab", quoting=csv.QUOTE_NONE)
        )
        assert table[0] == (["s", "label"] if fmt == CSV else ["?s", "?label"])
        rows = [
            (s.strip("<>"), label.split('"')[1] if fmt == TSV else label) for s, label in table[1:]
        ]
    assert [tuple(r) for r in rows] == [
        (f"https://w3id.org/diplograph/id/state/{n}", n.capitalize())
        for n in ("germany", "russia", "ukraine")
    ]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize(
    ("query", "answer"), [(ASK, True), (ASK.replace("?p", "<urn:x:none>"), False)]
)
def test_ask(live_server: Any, fmt: str, query: str, answer: bool) -> None:
    doc = _run(live_server.sparql, query, fmt)
    if fmt == JSON:
        assert doc["boolean"] is answer
    elif fmt == XML:
        assert doc.getElementsByTagName("boolean")[0].firstChild.data == str(answer).lower()
    else:
        assert doc.strip() == str(answer).lower().encode()


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("fmt", [XML, RDFXML, RDF, TURTLE, N3, JSONLD, JSON, "ntriples"])
def test_graph_forms(live_server: Any, local: ox.Store, query: str, fmt: str) -> None:
    if fmt == "ntriples":  # SPARQLWrapper has no name for it: by Accept alone
        doc = _run(live_server.sparql, query, N3, accept="application/n-triples")
        got = Graph().parse(data=doc, format="nt")
    else:
        doc = _run(live_server.sparql, query, fmt)
        if isinstance(doc, bytes):  # Turtle and N3 come back as text
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's N3 parser
                got = Graph().parse(data=doc, format="turtle" if fmt == TURTLE else "n3")
        else:
            got = Graph()
            for t in doc.triples((None, None, None)):
                got.add(t)
    expected = _expected_graph(local, query)
    assert len(expected) >= 2
    assert (URIRef(RUSSIA), None, None) in got
    assert isomorphic(got, expected)
