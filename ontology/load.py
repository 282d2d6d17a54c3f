"""The ontology and the SHACL shapes as package data, and as parts of the build.

:func:`ontology_sources` gives ``diplo.ttl`` in the named graph
:data:`~diplograph.iri.ONTOLOGY_GRAPH` and ``shapes.ttl`` in
:data:`~diplograph.iri.SHAPES_GRAPH`, each with its provenance (kind ``ontology``, licence
CC BY 4.0, sha256 of the file). :func:`ontology_graph` and :func:`shapes_graph` parse the files
once per process (from the installed package, via :mod:`importlib.resources`).

>>> from diplograph.iri import ONTOLOGY as DG
>>> (DG.Claim, None, None) in ontology_graph()
True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from diplograph import iri
from diplograph.provenance import Source, Triple, sha256_of

ONTOLOGY_FILE = "diplo.ttl"
SHAPES_FILE = "shapes.ttl"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SHAPES_IRI = URIRef("https://w3id.org/diplograph/shapes")


def read_bytes(name: str) -> bytes:
    """The bytes of a file shipped in ``diplograph.ontology`` (``diplo.ttl``, ``shapes.ttl``)."""
    return resources.files("diplograph.ontology").joinpath(name).read_bytes()


def _parse(name: str) -> Graph:
    g = Graph()
    g.parse(data=read_bytes(name), format="turtle", publicID=name)
    return g


@cache
def ontology_graph() -> Graph:
    """The ontology (``diplo.ttl``), parsed once. Shared: do not modify it (copy it first)."""
    return _parse(ONTOLOGY_FILE)


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes (``shapes.ttl``), parsed once. Shared: do not modify it."""
    return _parse(SHAPES_FILE)


def ontology_version() -> str:
    """The ``owl:versionInfo`` of the ontology."""
    value = ontology_graph().value(iri.ONTOLOGY_IRI, OWL.versionInfo)
    return str(value) if isinstance(value, Literal) else "unknown"


def ontology_sources() -> list[tuple[Source, Iterable[Triple]]]:
    """The ontology and the shapes as ``(Source, triples)`` parts for the build."""
    version = ontology_version()
    ontology = Source(
        graph=iri.ONTOLOGY_GRAPH,
        title="diplograph ontology",
        kind="ontology",
        origin="diplograph/ontology/" + ONTOLOGY_FILE,
        content_hash=sha256_of(data=read_bytes(ONTOLOGY_FILE)),
        citation=f"diplograph ontology of diplomatic relations, version {version}. "
        f"{iri.ONTOLOGY_IRI}",
        license=CC_BY,
        version=version,
    )
    shapes = Source(
        graph=iri.SHAPES_GRAPH,
        title="diplograph SHACL shapes",
        kind="ontology",
        origin="diplograph/ontology/" + SHAPES_FILE,
        content_hash=sha256_of(data=read_bytes(SHAPES_FILE)),
        license=CC_BY,
        version=version,
    )
    return [(ontology, list(ontology_graph())), (shapes, list(shapes_graph()))]


__all__ = [
    "ONTOLOGY_FILE",
    "SHAPES_FILE",
    "SHAPES_IRI",
    "ontology_graph",
    "ontology_sources",
    "ontology_version",
    "read_bytes",
    "shapes_graph",
]
