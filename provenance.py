"""What a named graph is and where it came from: the records of the metadata graph.

Every source (an article, a dataset, the ontology, a code list, an RDF file) is loaded into its own
named graph and described in :data:`diplograph.iri.META_GRAPH` with PROV-O, DCTERMS and VoID:
title, kind, where it came from, citation, licence, when it was loaded, by which diplograph
version, how many triples, and the sha256 of its content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from diplograph import __version__
from diplograph.iri import META_GRAPH, ONTOLOGY

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Source:
    """A description of one named graph's source, written to the metadata graph on load."""

    graph: URIRef
    title: str
    kind: str  # article | dataset | ontology | codes | links | file
    origin: str  # where it came from: a path inside the package, a file path or a URL
    content_hash: str  # sha256 of the input bytes
    citation: str | None = None
    license: str | None = None  # IRI of a licence or a short statement
    version: str | None = None  # version of the dataset, when it has one
    rows_read: int | None = None
    rows_skipped: int | None = None
    extra: tuple[tuple[URIRef, Node], ...] = field(default_factory=tuple)
    #: the period the data covers (dates at the source's precision) and why it ends there
    coverage_start: Literal | None = None
    coverage_end: Literal | None = None
    coverage_note: str | None = None

    def metadata(self, *, triples: int, loaded_at: datetime | None = None) -> list[Triple]:
        """The triples that describe this source in the metadata graph."""
        g = self.graph
        when = loaded_at or datetime.now(UTC).replace(microsecond=0)
        dg = ONTOLOGY
        out: list[Triple] = [
            (g, RDF.type, dg.SourceGraph),
            (g, RDF.type, VOID.Dataset),
            (g, RDFS.label, Literal(self.title, lang="en")),
            (g, DCTERMS.title, Literal(self.title, lang="en")),
            (g, dg.sourceKind, Literal(self.kind)),
            (g, DCTERMS.source, _iri_or_literal(self.origin)),
            (g, dg.contentHash, Literal(self.content_hash)),
            (g, PROV.generatedAtTime, Literal(when.isoformat(), datatype=XSD.dateTime)),
            (g, DCTERMS.modified, Literal(when.isoformat(), datatype=XSD.dateTime)),
            (g, dg.softwareVersion, Literal(__version__)),
            (g, VOID.triples, Literal(triples, datatype=XSD.integer)),
        ]
        if self.citation:
            out.append((g, DCTERMS.bibliographicCitation, Literal(self.citation)))
        if self.license:
            out.append((g, DCTERMS.license, _iri_or_literal(self.license)))
        if self.version:
            out.append((g, DCTERMS.hasVersion, Literal(self.version)))
        if self.rows_read is not None:
            out.append((g, dg.rowsRead, Literal(self.rows_read, datatype=XSD.integer)))
        if self.rows_skipped is not None:
            out.append((g, dg.rowsSkipped, Literal(self.rows_skipped, datatype=XSD.integer)))
        if self.coverage_start is not None:
            out.append((g, dg.coverageStart, self.coverage_start))
        if self.coverage_end is not None:
            out.append((g, dg.coverageEnd, self.coverage_end))
        if self.coverage_note:
            out.append((g, dg.coverageNote, Literal(self.coverage_note, lang="en")))
        out.extend((g, p, o) for p, o in self.extra)
        return out


def _iri_or_literal(text: str) -> Node:
    return URIRef(text) if text.startswith(("http://", "https://", "urn:")) else Literal(text)


def sha256_of(paths: Iterable[Path] | None = None, data: bytes | None = None) -> str:
    """The sha256 of some files (in the order given) and/or bytes, as hex."""
    digest = hashlib.sha256()
    for path in paths or ():
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    if data is not None:
        digest.update(data)
    return digest.hexdigest()


__all__ = ["META_GRAPH", "Source", "Triple", "sha256_of"]
