"""The ontology dereferences at its namespace IRI ``https://w3id.org/diplograph/ontology``.

``GET /ontology`` answers with one URL and ``Vary: Accept`` (the ontology is a hash namespace,
so every term IRI ``…/ontology#Claim`` is a fragment of this one document): HTML documentation
generated from ``ontology/diplo.ttl`` by our own template (each term at the anchor of its local
name, ``/ontology#Claim``) for browsers, the ontology itself in Turtle, N-Triples, RDF/XML or
JSON-LD for an RDF ``Accept``; ``/ontology.ttl`` (``.nt``, ``.rdf``/``.owl``, ``.jsonld``) name
one format; anything else is a 406.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from diplograph import formats
from diplograph.errors import NotFound
from diplograph.iri import ONTOLOGY, ONTOLOGY_IRI
from diplograph.server.negotiation import negotiate_document

bp = Blueprint("ontology", __name__)

KINDS: tuple[tuple[str, URIRef], ...] = (
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
    ("Individuals", OWL.NamedIndividual),
)


@dataclass
class Term:
    """One ontology term as the docs show it."""

    iri: URIRef
    name: str
    label: str | None = None
    definition: str | None = None
    comment: str | None = None
    facts: list[tuple[str, list[URIRef | Literal]]] = field(default_factory=list)


def english_text(g: Graph, s: URIRef, p: URIRef) -> str | None:
    """The English (or untagged) value of ``p`` for ``s``, else any; None when there is none."""
    values = list(g.objects(s, p))
    english = [v for v in values if isinstance(v, Literal) and v.language in (None, "en")]
    chosen = english or values
    return str(chosen[0]) if chosen else None


@functools.cache
def ontology() -> Graph:
    """The ontology graph, read from the package's file once (the docs and the editor's terms)."""
    from diplograph.ontology.load import ontology_graph

    return ontology_graph()


@functools.cache
def sections() -> tuple[tuple[str, tuple[Term, ...]], ...]:
    """The terms of the ontology by kind, in name order."""
    g = ontology()
    out = []
    relations = (
        ("Subclass of", RDFS.subClassOf),
        ("Subproperty of", RDFS.subPropertyOf),
        ("Domain", RDFS.domain),
        ("Range", RDFS.range),
        ("Inverse of", OWL.inverseOf),
        ("Equivalent to", OWL.equivalentClass),
        ("Type", RDF.type),
    )
    for title, kind in KINDS:
        terms = []
        for s in sorted(set(g.subjects(RDF.type, kind)), key=str):
            if not isinstance(s, URIRef) or not str(s).startswith(str(ONTOLOGY)):
                continue
            t = Term(
                s,
                str(s)[len(str(ONTOLOGY)) :],
                english_text(g, s, RDFS.label),
                english_text(g, s, SKOS.definition),
                english_text(g, s, RDFS.comment),
            )
            for name, p in relations:
                values = [o for o in g.objects(s, p) if isinstance(o, URIRef | Literal)]
                if p == RDF.type:
                    values = [o for o in values if o != kind and o != OWL.NamedIndividual]
                if values:
                    t.facts.append((name, sorted(values, key=str)))
            terms.append(t)
        out.append((title, tuple(terms)))
    return tuple(out)


def _labels() -> dict[URIRef, str]:
    g = ontology()
    return {s: str(o) for s, o in g.subject_objects(RDFS.label) if isinstance(s, URIRef)}


@bp.route("/ontology", endpoint="docs")
@bp.route("/ontology<any('.ttl','.nt','.rdf','.owl','.jsonld','.html'):suffix>", endpoint="file")
def docs(suffix: str | None = None) -> Response:
    if suffix == ".html":
        key = "html"
    elif suffix:
        key = formats.by_suffix("x" + suffix, kinds=("graph",)).key
    elif request.args.get("format"):
        key = formats.get(request.args["format"], kinds=("graph", "page")).key
    else:
        key = negotiate_document(request.headers.get("Accept"), page=True)
        if key == "json":
            key = "jsonld"
    g = ontology()
    if key == "html":
        meta = {
            "title": english_text(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")),
            "description": english_text(
                g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description")
            ),
            "version": english_text(g, ONTOLOGY_IRI, OWL.versionInfo),
            "license": english_text(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license")),
        }
        html = render_template(
            "ontology.html",
            sections=sections(),
            labels=_labels(),
            meta=meta,
            ontology_iri=str(ONTOLOGY_IRI),
            namespace=str(ONTOLOGY),
            alternates=[
                (formats.get(k).label, "/ontology" + formats.get(k).suffix)
                for k in ("turtle", "ntriples", "rdfxml", "jsonld")
            ],
            active_nav="Ontology",
        )
        response = Response(html, mimetype="text/html")
    else:
        fmt = formats.get(key)
        if fmt.kind != "graph":
            raise NotFound(f"The ontology is not served as {fmt.label}.")
        body = g.serialize(format=fmt.rdflib or "turtle", encoding="utf-8")
        response = Response(body, headers={"Content-Type": f"{fmt.media_type}; charset=utf-8"})
    if suffix is None:
        response.headers["Vary"] = "Accept"
    links = [
        f'<{request.script_root}/ontology{formats.get(k).suffix}>; rel="alternate"; '
        f'type="{formats.get(k).media_type}"'
        for k in ("turtle", "ntriples", "rdfxml", "jsonld")
    ]
    response.headers["Link"] = ", ".join(links)
    return response
