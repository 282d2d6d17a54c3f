"""One behavioural suite, run on every backend (``backend`` fixture): in-memory Oxigraph,
on-disk Oxigraph, a real ``oxigraph serve`` and a real Virtuoso behind the remote SPARQL
backend."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, VOID, XSD

from diplograph import __version__, formats, iri
from diplograph.errors import QueryError, UnsupportedFormat
from diplograph.graph.load import inventory
from diplograph.graph.store import DiploGraph
from diplograph.provenance import Source, Triple

DG = iri.ONTOLOGY
RUSSIA = iri.entity("state", "russia")
UKRAINE = iri.entity("state", "ukraine")
LAVROV = iri.entity("person", "sergey-lavrov")
CLAIM = iri.claim("article-001", 1)
META = iri.META_GRAPH


def source(name: str, **kw: object) -> Source:
    fields: dict[str, object] = {
        "title": f"Test graph {name}",
        "kind": "file",
        "origin": f"tests/{name}.ttl",
        "content_hash": "ab" * 32,
    }
    fields.update(kw)
    return Source(graph=iri.file_graph(name), **fields)  # type: ignore[arg-type]


def states() -> list[Triple]:
    return [
        (RUSSIA, RDFS.label, Literal("Russia", lang="en")),
        (UKRAINE, RDFS.label, Literal("Ukraine", lang="en")),
        (RUSSIA, DG.cowCode, Literal(365)),
        (UKRAINE, DG.cowCode, Literal(369)),
    ]


def claims() -> list[Triple]:
    src = BNode()
    return [
        (LAVROV, RDFS.label, Literal("Sergey Lavrov", lang="en")),
        (CLAIM, DG.speaker, LAVROV),
        (CLAIM, DG.date, Literal("2025-05-07", datatype=XSD.date)),
        (CLAIM, DG.quote, Literal('He said "no" \\ twice\nand { left }')),
        (CLAIM, DG.source, src),
        (src, RDFS.label, Literal("a source without an IRI")),
    ]


def test_an_empty_store(backend: DiploGraph) -> None:
    assert backend.named_graphs() == []
    assert backend.count() == 0
    assert backend.query("ASK { ?s ?p ?o }").boolean is False


def test_replace_graph_writes_the_graph_and_its_description(backend: DiploGraph) -> None:
    src = source(
        "states", citation="COW State System 2024", license="https://x.org/l", version="2024"
    )
    assert backend.replace_graph(src, states()) == 4
    assert backend.named_graphs() == [iri.file_graph("states"), META]
    assert backend.count(iri.file_graph("states")) == 4
    rows = backend.query(
        "SELECT ?p ?o WHERE { GRAPH ?meta { ?g ?p ?o } }",
        bindings={"g": src.graph, "meta": META},
    ).rows
    described = {(p, o) for p, o in rows}
    assert (RDF.type, DG.SourceGraph) in described
    assert (DCTERMS.title, Literal("Test graph states", lang="en")) in described
    assert (VOID.triples, Literal(4, datatype=XSD.integer)) in described
    assert (DG.contentHash, Literal("ab" * 32)) in described
    assert (DG.softwareVersion, Literal(__version__)) in described
    assert (DCTERMS.source, Literal("tests/states.ttl")) in described
    assert (DCTERMS.bibliographicCitation, Literal("COW State System 2024")) in described
    assert (DCTERMS.license, URIRef("https://x.org/l")) in described
    assert (DCTERMS.hasVersion, Literal("2024")) in described
    loaded = [o for p, o in rows if p == PROV.generatedAtTime]
    assert len(loaded) == 1 and loaded[0].datatype == XSD.dateTime


def test_the_default_graph_is_the_union(backend: DiploGraph) -> None:
    backend.replace_graphs([(source("states"), states()), (source("claims"), claims())])
    rows = backend.query(
        "SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "FILTER(lang(?label) = 'en') } ORDER BY ?label"
    ).rows
    # the data of both graphs, and their descriptions in the metadata graph
    assert [str(r[0]) for r in rows] == [
        "Russia",
        "Sergey Lavrov",
        "Test graph claims",
        "Test graph states",
        "Ukraine",
    ]
    # restricting the default graph to one named graph
    only = backend.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[iri.file_graph("states")]
    )
    assert int(only.rows[0][0]) == 4  # type: ignore[arg-type]


def test_terms_survive_the_round_trip(backend: DiploGraph) -> None:
    backend.replace_graph(source("claims"), claims())
    row = backend.query(
        "SELECT ?date ?quote ?label WHERE { ?c ?speaker ?who ; ?d ?date ; ?q ?quote ; "
        "?src ?s . ?s ?l ?label }",
        bindings={
            "c": CLAIM,
            "speaker": DG.speaker,
            "who": LAVROV,
            "d": DG.date,
            "q": DG.quote,
            "src": DG.source,
            "l": RDFS.label,
        },
    ).rows
    assert row == [
        (
            Literal("2025-05-07", datatype=XSD.date),
            Literal('He said "no" \\ twice\nand { left }'),
            Literal("a source without an IRI"),
        )
    ]


def test_replacing_a_source_again_is_idempotent(backend: DiploGraph) -> None:
    g = iri.file_graph("claims")
    assert backend.replace_graph(source("claims"), claims()) == 6
    total = backend.count()
    assert backend.replace_graph(source("claims"), claims()) == 6
    assert backend.count(g) == 6
    assert backend.count() == total  # no duplicate data, no duplicate description
    described = backend.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?meta { ?g ?p ?o } }",
        bindings={"g": g, "meta": META},
    )
    assert int(described.rows[0][0]) == len(source("claims").metadata(triples=6))  # type: ignore[arg-type]
    # a smaller version replaces the old one entirely
    assert backend.replace_graph(source("claims"), claims()[:2]) == 2
    assert backend.count(g) == 2
    assert backend.query("ASK { ?c ?p ?d }", bindings={"c": CLAIM, "p": DG.date}).boolean is False


def test_bindings_are_terms_not_text(backend: DiploGraph) -> None:
    backend.replace_graph(source("states"), states())
    before = backend.count()
    evil = Literal('x" } ; DROP ALL ; SELECT * { "')
    res = backend.query("SELECT ?s WHERE { ?s ?p ?label }", bindings={"label": evil})
    assert res.rows == []
    assert backend.count() == before
    res = backend.query(
        "SELECT ?code WHERE { ?state ?p ?code }", bindings={"state": RUSSIA, "p": DG.cowCode}
    )
    assert res.rows == [(Literal(365),)]


def test_construct_and_ask(backend: DiploGraph) -> None:
    backend.replace_graph(source("states"), states())
    res = backend.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", bindings={"s": UKRAINE})
    assert res.kind == "CONSTRUCT"
    assert set(res.triples) == {t for t in states() if t[0] == UKRAINE}
    assert backend.query("ASK { ?s ?p 365 }").boolean is True


def test_query_serialized(backend: DiploGraph) -> None:
    backend.replace_graph(source("states"), states())
    text = "SELECT ?code WHERE { ?s ?p ?code } ORDER BY ?code"
    body, fmt = backend.query_serialized(text, bindings={"p": DG.cowCode})
    assert fmt.key == "json"
    values = [b["code"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert values == ["365", "369"]
    body, fmt = backend.query_serialized(text, formats.get("csv"), bindings={"p": DG.cowCode})
    assert list(csv.reader(io.StringIO(body.decode()))) == [["code"], ["365"], ["369"]]
    body, fmt = backend.query_serialized(
        "CONSTRUCT WHERE { ?s ?p ?o }", formats.get("ntriples"), bindings={"s": RUSSIA}
    )
    assert fmt.key == "ntriples"
    _, fmt = backend.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", bindings={"s": RUSSIA})
    assert fmt.key == "turtle"  # choosing by Accept is the server's job
    assert len(list(ox.parse(body, ox.RdfFormat.N_TRIPLES))) == 2
    for key, rdf_format in (
        ("turtle", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("nquads", ox.RdfFormat.N_QUADS),
    ):
        body, fmt = backend.query_serialized(
            "CONSTRUCT WHERE { ?s ?p ?o }", formats.get(key), bindings={"s": RUSSIA}
        )
        assert len(list(ox.parse(body, rdf_format))) == 2, key
    with pytest.raises((QueryError, UnsupportedFormat)):
        backend.query_serialized("SELECT * WHERE { ?s ?p ?o }", formats.get("turtle"))


def test_a_syntax_error_is_a_query_error(backend: DiploGraph) -> None:
    with pytest.raises(QueryError):
        backend.query("SELECT ?x WHERE { ?x ?p }")


def test_drop_graph_drops_data_and_description(backend: DiploGraph) -> None:
    backend.replace_graphs([(source("states"), states()), (source("claims"), claims())])
    assert backend.drop_graph(iri.file_graph("states")) is True
    assert backend.named_graphs() == [iri.file_graph("claims"), META]
    assert backend.query("ASK { ?s ?p ?o }", bindings={"s": RUSSIA}).boolean is False
    assert (
        backend.query(
            "ASK { GRAPH ?m { ?g ?p ?o } }", bindings={"m": META, "g": iri.file_graph("states")}
        ).boolean
        is False
    )
    assert backend.drop_graph(iri.file_graph("states")) is False


def test_update_changes_the_generation(backend: DiploGraph) -> None:
    before = backend.generation
    backend.update(
        f"INSERT DATA {{ GRAPH <{iri.file_graph('u')}> {{ <{RUSSIA}> a <{DG.State}> }} }}"
    )
    assert backend.generation != before
    assert backend.count(iri.file_graph("u")) == 1


def test_quads_and_dump(backend: DiploGraph) -> None:
    backend.replace_graphs([(source("states"), states()), (source("claims"), claims())])
    quads = list(backend.quads(iri.file_graph("states")))
    assert {(s, p, o) for s, p, o, _ in quads} == set(states())
    out = io.BytesIO()
    backend.dump(out, formats.get("turtle"), graph=iri.file_graph("states"))
    parsed = list(ox.parse(out.getvalue(), ox.RdfFormat.TURTLE))
    assert len(parsed) == 4
    out = io.BytesIO()
    backend.dump(out, formats.get("nquads"))
    graphs = {q.graph_name.value for q in ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS)}
    assert graphs == {str(iri.file_graph("states")), str(iri.file_graph("claims")), str(META)}


def test_inventory(backend: DiploGraph) -> None:
    backend.replace_graphs(
        [(source("states", license="CC0"), states()), (source("claims"), claims())]
    )
    listed = {s.graph: s for s in inventory.sources(backend)}
    assert set(listed) == {iri.file_graph("states"), iri.file_graph("claims")}
    info = listed[iri.file_graph("states")]
    assert (info.triples, info.kind, info.license, info.title) == (
        4,
        "file",
        "CC0",
        "Test graph states",
    )
    assert inventory.triples_per_graph(backend) == {
        iri.file_graph("claims"): 6,
        iri.file_graph("states"): 4,
    }
    typed = [
        (iri.claim("a", 1), RDF.type, DG.OfficialStatement),
        (iri.claim("a", 2), RDF.type, DG.AnalystAssessment),
        (RUSSIA, RDF.type, DG.State),
    ]
    backend.replace_graph(source("typed"), typed)
    assert inventory.claims_per_source(backend) == [(iri.file_graph("typed"), 2)]
    classes = dict(inventory.instances_per_class(backend))
    assert classes[DG.State] == 1 and classes[DG.OfficialStatement] == 1
    assert DG.SourceGraph not in classes  # the metadata graph is not counted


def test_a_source_without_triples_keeps_its_graph(backend: DiploGraph) -> None:
    assert backend.replace_graph(source("empty"), []) == 0
    assert iri.file_graph("empty") in backend.named_graphs()
    assert backend.count(iri.file_graph("empty")) == 0
    described = backend.query(
        "SELECT ?n WHERE { GRAPH ?m { ?g ?p ?n } }",
        bindings={"m": META, "g": iri.file_graph("empty"), "p": VOID.triples},
    ).rows
    assert described == [(Literal(0, datatype=XSD.integer),)]


def test_one_write_has_one_load_time(backend: DiploGraph) -> None:
    backend.replace_graphs([(source("states"), states()), (source("claims"), claims())])
    times = backend.query(
        "SELECT DISTINCT ?t WHERE { GRAPH ?m { ?g ?p ?t } }",
        bindings={"m": META, "p": PROV.generatedAtTime},
    ).rows
    assert len(times) == 1
