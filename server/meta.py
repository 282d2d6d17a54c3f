"""What the server says about itself: Service Description, VoID, settings, health, versions.

- ``GET /sparql`` without a query: a SPARQL 1.1 Service Description
  (https://www.w3.org/TR/sparql11-service-description/) in any RDF format;
- ``/.well-known/void``: a VoID description (https://www.w3.org/TR/void/) of the dataset: every
  named graph with its triple count, title, source and licence from the metadata graph, and the
  vocabularies its predicates come from;
- ``/-/settings.json``: every setting and its value, secrets masked;
- ``/-/health.json``: the store, its generation and the query workers;
- ``/-/versions.json``: diplograph, Python and the RDF libraries.

The descriptions' queries run through the guarded executor (:mod:`.guarded_graph`), so a large
store answers VoID under ``query_timeout`` or with a 503, and their results are kept in the
result cache per store generation.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, Response, jsonify, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from diplograph import __version__, settings
from diplograph.graph.store import DiploGraph
from diplograph.iri import META_GRAPH
from diplograph.server import urls
from diplograph.server.context import current_state
from diplograph.server.guarded_graph import page_graph
from diplograph.server.negotiation import choose_format, content_type, format_param

bp = Blueprint("meta", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "TriG",
    "N-Quads",
)


def _base() -> str:
    return urls.public_base()


def _graph_counts() -> list[tuple[str, int]]:
    rows = page_graph().query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    return [(str(g), int(n)) for g, n in rows.rows]  # type: ignore[call-overload]


def _void_graph() -> Graph:
    base = _base()
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    dataset = URIRef(base + url_for("meta.void") + "#dataset")
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add(
        (
            dataset,
            DCTERMS.title,
            Literal("diplograph: a knowledge graph of diplomatic relations", lang="en"),
        )
    )
    g.add((dataset, VOID.sparqlEndpoint, URIRef(base + url_for("sparql.query"))))
    for gz in ("", ".gz"):  # every named graph as N-Quads (:mod:`.store_protocol`)
        g.add((dataset, VOID.dataDump, URIRef(base + url_for("store.dump", gz=gz))))
    store = page_graph()
    total = 0
    for graph_iri, n in _graph_counts():
        subset = URIRef(graph_iri)
        total += n
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(n, datatype=XSD.integer)))
    g.add((dataset, VOID.triples, Literal(total, datatype=XSD.integer)))
    described = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{META_GRAPH}> {{ ?s ?p ?o }} }}")
    for s, p, o in described.rows:
        if p in (
            DCTERMS.title,
            DCTERMS.source,
            DCTERMS.license,
            DCTERMS.bibliographicCitation,
            DCTERMS.modified,
            DCTERMS.hasVersion,
        ):
            g.add((s, p, o))  # type: ignore[arg-type]
            if p == DCTERMS.license:
                g.add((dataset, DCTERMS.license, o))  # type: ignore[arg-type]
    predicates = store.query("SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }")
    vocabularies = set()
    for (p,) in predicates.rows:
        text = str(p)
        cut = max(text.rfind("#"), text.rfind("/"))
        if cut > 0:
            vocabularies.add(text[: cut + 1])
    for vocab in sorted(vocabularies):
        g.add((dataset, VOID.vocabulary, URIRef(vocab)))
    _linksets(g, dataset, base, store)
    return g


#: Datasets the ``owl:sameAs`` links point into: name, homepage, URI space.
LINK_TARGETS = (
    ("wikidata", "https://www.wikidata.org/", "http://www.wikidata.org/entity/"),
    ("dbpedia", "https://dbpedia.org/", "http://dbpedia.org/resource/"),
)


#: The ``owl:sameAs`` links into each URI space of :data:`LINK_TARGETS`, counted in one query.
_LINK_COUNTS = (
    "SELECT ?space (COUNT(?o) AS ?n) WHERE { VALUES ?space { "
    + " ".join(Literal(space).n3() for _, _, space in LINK_TARGETS)
    + " } OPTIONAL { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o "
    "FILTER(STRSTARTS(STR(?o), ?space)) } } GROUP BY ?space"
)


def _linksets(g: Graph, dataset: URIRef, base: str, store: DiploGraph) -> None:
    """A ``void:Linkset`` per target (Wikidata, DBpedia) with its count of ``owl:sameAs``."""
    counts = {str(space): int(n) for space, n in store.query(_LINK_COUNTS).rows}  # type: ignore[call-overload]
    for name, homepage, space in LINK_TARGETS:
        n = counts.get(space, 0)
        linkset = URIRef(base + url_for("meta.void") + "#linkset-" + name)
        target = URIRef(homepage)
        g.add((dataset, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.linkPredicate, URIRef("http://www.w3.org/2002/07/owl#sameAs")))
        g.add((linkset, VOID.subjectsTarget, dataset))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.triples, Literal(n, datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, VOID.uriSpace, Literal(space)))


def _sd_graph() -> Graph:
    base = _base()
    state = current_state()
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service = URIRef(base + url_for("sparql.query") + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(base + url_for("sparql.query"))))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if state.update_enabled:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if state.settings["service_allowlist"]:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS_NS[name]))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, VOID.triples, Literal(page_graph().count(), datatype=XSD.integer)))
    g.add((dataset, RDFS.seeAlso, URIRef(base + url_for("meta.void"))))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for graph_iri in page_graph().named_graphs():
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, graph_iri))
    return g


def _rdf_response(g: Graph) -> Response:
    """``g`` in the RDF format ``?format=`` names or ``Accept`` prefers (Turtle when it says
    nothing), chosen as /sparql chooses one for a CONSTRUCT result."""
    fmt = choose_format("CONSTRUCT", request.headers.get("Accept"), format_param())
    data = g.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
    return Response(data, headers={"Content-Type": content_type(fmt), "Vary": "Accept"})


def service_description_response() -> Response:
    """The Service Description of ``/sparql`` in the negotiated RDF format."""
    return _rdf_response(_sd_graph())


@bp.route("/.well-known/void", endpoint="void")
def void() -> Response:
    return _rdf_response(_void_graph())


@bp.route("/-/settings.json", endpoint="settings")
def settings_json() -> Response:
    state = current_state()
    return jsonify(
        {
            "settings": settings.masked(state.settings),
            "declared": settings.describe(),
        }
    )


@bp.route("/-/health.json", endpoint="health")
def health() -> Response:
    """The state of the server. 503 (same body) while it is in fault, so that a load balancer,
    which reads the status, sends clients elsewhere; ``fault`` says why."""
    state = current_state()
    fault = getattr(state.executor, "fault", None)
    response = jsonify(
        {
            "ok": fault is None,
            # what is wrong while the server still serves (e.g. the workers' snapshot cannot
            # be written: committed writes are kept, the copies replay them from the log)
            "fault": fault,
            "store": state.graph.url,
            "generation": state.generation,
            "executor": type(state.executor).__name__,
            "workers": getattr(state.executor, "size", 0),
            "workers_ready": getattr(state.executor, "ready", 0),
            "cache": {"hits": state.cache.hits, "misses": state.cache.misses},
            # queries answered in the server process (bounded: server/fastpath.py), declined
            # (sent to a worker) and over its budget while running (then sent to a worker)
            "fast_path": state.fast.counts() if state.fast is not None else None,
            "worker_pids": getattr(state.executor, "pids", []),
            # the process the workers are forked from, sharing its copy of the store (None: none)
            "zygote_pid": getattr(state.executor, "zygote_pid", None),
            # "netns": workers have no network at all; anything else says why not
            "worker_network": getattr(state.executor, "network_isolation", []),
            "update": state.update_enabled,
            # requests running outside /-/ and static files (diplograph serve only)
            "requests": state.admission.snapshot() if state.admission else None,
            "exports": state.admission.exports.snapshot() if state.admission else None,
        }
    )
    response.status_code = 200 if fault is None else 503
    return response


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


@bp.route("/-/versions.json", endpoint="versions")
def versions() -> Response:
    return jsonify(
        {
            "diplograph": __version__,
            "python": platform.python_version(),
            **{name: _version(name) for name in ("pyoxigraph", "rdflib", "flask", "waitress")},
        }
    )
