"""The one table of formats: media types, file suffixes, parser/serialiser names and kind.

Content negotiation (HTTP ``Accept``), URL suffixes (``.ttl``), ``--format`` options, ingest by file
extension and network exports all look formats up here; nothing else lists them.

>>> by_suffix("claims.nq").key
'nquads'
>>> negotiate("text/turtle;q=0.9, application/ld+json", kinds=("graph",)).key
'jsonld'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from diplograph.errors import UnsupportedFormat

Kind = Literal["graph", "dataset", "results", "records", "network", "page"]


@dataclass(frozen=True)
class Format:
    """One format. ``media_types[0]`` is the one we send; the others are accepted aliases."""

    key: str
    label: str
    media_types: tuple[str, ...]
    suffixes: tuple[str, ...]
    kind: Kind
    rdflib: str | None = None  # rdflib parser/serialiser plugin name
    oxigraph: str | None = None  # pyoxigraph RdfFormat / QueryResultsFormat attribute name
    text: bool = True

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


FORMATS: tuple[Format, ...] = (
    # RDF graphs (CONSTRUCT/DESCRIBE results, resource documents, ingest)
    Format(
        "turtle",
        "Turtle",
        ("text/turtle", "application/x-turtle"),
        (".ttl",),
        "graph",
        "turtle",
        "TURTLE",
    ),
    Format(
        "ntriples",
        "N-Triples",
        ("application/n-triples", "text/plain"),
        (".nt",),
        "graph",
        "nt",
        "N_TRIPLES",
    ),
    Format(
        "rdfxml",
        "RDF/XML",
        ("application/rdf+xml", "application/xml"),
        (".rdf", ".owl"),
        "graph",
        "xml",
        "RDF_XML",
    ),
    Format(
        "jsonld", "JSON-LD", ("application/ld+json",), (".jsonld",), "graph", "json-ld", "JSON_LD"
    ),
    Format("n3", "N3", ("text/n3", "text/rdf+n3"), (".n3",), "graph", "n3", "N3"),
    # RDF datasets (named graphs)
    Format("trig", "TriG", ("application/trig",), (".trig",), "dataset", "trig", "TRIG"),
    Format("nquads", "N-Quads", ("application/n-quads",), (".nq",), "dataset", "nquads", "N_QUADS"),
    # SPARQL query results (SELECT/ASK)
    Format(
        "json",
        "SPARQL JSON",
        ("application/sparql-results+json", "application/json"),
        (".srj", ".json"),
        "results",
        "json",
        "JSON",
    ),
    Format(
        "xml",
        "SPARQL XML",
        ("application/sparql-results+xml", "application/xml"),
        (".srx", ".xml"),
        "results",
        "xml",
        "XML",
    ),
    Format("csv", "CSV", ("text/csv",), (".csv",), "results", "csv", "CSV"),
    Format("tsv", "TSV", ("text/tab-separated-values",), (".tsv",), "results", "tsv", "TSV"),
    # Claim records
    Format(
        "yaml",
        "Claim records (YAML)",
        ("application/yaml", "text/yaml"),
        (".yaml", ".yml"),
        "records",
    ),
    # Human pages
    Format("html", "HTML", ("text/html", "application/xhtml+xml"), (".html",), "page"),
    # Network views (graph/network/export.py): for Gephi, yEd, Cytoscape, D3, Graphviz, spreadsheets
    Format("graphml", "GraphML", ("application/graphml+xml",), (".graphml",), "network"),
    Format("gexf", "GEXF 1.2 (dynamic)", ("application/gexf+xml",), (".gexf",), "network"),
    Format("cytoscape", "Cytoscape.js JSON", ("application/json",), (".cyjs",), "network"),
    Format("d3", "D3 node-link JSON", ("application/json",), (".json",), "network"),
    Format("dot", "Graphviz DOT", ("text/vnd.graphviz",), (".dot", ".gv"), "network"),
    Format(
        "csvzip",
        "CSV nodes and edges (zip)",
        ("application/zip",),
        (".zip",),
        "network",
        text=False,
    ),
    Format("svg", "SVG picture", ("image/svg+xml",), (".svg",), "network"),
    Format("png", "PNG picture", ("image/png",), (".png",), "network", text=False),
)

_BY_KEY = {f.key: f for f in FORMATS}


def get(key: str, *, kinds: Iterable[Kind] | None = None) -> Format:
    """The format called ``key`` (case-insensitive), optionally only of the given kinds."""
    wanted = tuple(kinds) if kinds is not None else None
    fmt = _BY_KEY.get(key.lower())
    aliases = {
        "ttl": "turtle",
        "nt": "ntriples",
        "xml-rdf": "rdfxml",
        "rdf": "rdfxml",
        "rdf+xml": "rdfxml",
        "json-ld": "jsonld",
        "nq": "nquads",
        "srj": "json",
        "srx": "xml",
        "yml": "yaml",
    }
    if fmt is None and key.lower() in aliases:
        fmt = _BY_KEY[aliases[key.lower()]]
    if fmt is None or (wanted is not None and fmt.kind not in wanted):
        choices = ", ".join(f.key for f in FORMATS if wanted is None or f.kind in wanted)
        raise UnsupportedFormat(f"Unknown format {key!r}; choose one of: {choices}.")
    return fmt


#: What a format name means for a result of another kind: clients such as SPARQLWrapper send one
#: ``format=xml`` (its default) or ``format=json`` for every query form, meaning "the XML (JSON)
#: form of whatever the query gives", so for a graph they name RDF/XML (JSON-LD).
_COUNTERPARTS: dict[tuple[str, Kind], str] = {
    ("xml", "graph"): "rdfxml",
    ("xml", "dataset"): "rdfxml",
    ("json", "graph"): "jsonld",
    ("json", "dataset"): "jsonld",
}


def requested(name: str, *, kinds: Sequence[Kind]) -> Format:
    """The format a client names in a ``?format=``/``output=`` parameter for a result of
    ``kinds``: a key or alias (``ttl``, ``rdf+xml``, ``json-ld``), a media type, or the XML/JSON
    family name for a graph (``xml``: RDF/XML, ``json``: JSON-LD). Raises
    :class:`UnsupportedFormat` (HTTP 406) listing the choices.

    >>> requested("xml", kinds=("graph", "dataset")).key, requested("xml", kinds=("results",)).key
    ('rdfxml', 'xml')
    >>> requested("application/rdf+xml", kinds=("graph",)).key
    'rdfxml'
    """
    name = name.strip()
    if "/" in name:  # a media type ("+" may arrive decoded as a space)
        return negotiate(name.replace(" ", "+"), kinds=kinds)
    try:
        return get(name, kinds=kinds)
    except UnsupportedFormat:
        for kind in kinds:
            counterpart = _COUNTERPARTS.get((name.lower(), kind))
            if counterpart is not None:
                return get(counterpart)
        raise


def of_kind(*kinds: Kind) -> tuple[Format, ...]:
    """All formats of the given kinds, in table order."""
    return tuple(f for f in FORMATS if f.kind in kinds)


def by_suffix(path: str | PurePath, *, kinds: Iterable[Kind] | None = None) -> Format:
    """The format of a file name by its suffix (``.ttl``, ``.nq``, ``.yaml``...)."""
    wanted = tuple(kinds) if kinds is not None else None
    suffix = PurePath(path).suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.suffixes and (wanted is None or fmt.kind in wanted):
            return fmt
    raise UnsupportedFormat(
        f"Cannot tell the format of {str(path)!r} from its suffix {suffix or '(none)'!r}; "
        "give one with --format."
    )


def _parse_accept(header: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header, unparseable q as 0."""
    entries = []
    for pos, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        entries.append((media, q, pos))
    return entries


def _specificity(media_range: str, media_type: str) -> int:
    """How specifically ``media_range`` matches ``media_type`` (3 exact .. 1 */*), 0 no match."""
    if media_range == media_type:
        return 3
    main, _, sub = media_range.partition("/")
    if sub == "*" and media_type.startswith(main + "/"):
        return 2
    if media_range == "*/*":
        return 1
    return 0


def quality(accept: str, media_type: str) -> tuple[float, int, int] | None:
    """``(q, specificity, -position)`` of the most specific range of ``accept`` that matches
    ``media_type`` (specificity 3 exact, 2 ``type/*``, 1 ``*/*``), or None when none does.

    >>> quality("text/*;q=0.5, text/html", "text/html")
    (1.0, 3, -1)
    """
    return max(
        (
            (q, spec, -pos)
            for rng, q, pos in _parse_accept(accept)
            for spec in (_specificity(rng, media_type),)
            if spec
        ),
        key=lambda m: (m[1], m[0], m[2]),
        default=None,
    )


def best_media(accept: str | None, offered: Sequence[str]) -> str | None:
    """The media type of ``offered`` that ``accept`` likes best (q, then how specifically it is
    named, then the order offered); the first when ``accept`` is empty; None when nothing fits.
    The one Accept reading of diplograph: :func:`negotiate` and the server's pages use it.

    >>> best_media("application/json;q=0.5, text/html", ["application/json", "text/html"])
    'text/html'
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for order, media_type in enumerate(offered):
        match = quality(accept, media_type)
        if match is None or match[0] <= 0:
            continue
        score = (match[0], match[1], -order, match[2])
        if best is None or score > best:
            best, chosen = score, media_type
    return chosen


def negotiate(accept: str | None, *, kinds: Iterable[Kind], default: str | None = None) -> Format:
    """Pick the best format of ``kinds`` for an HTTP ``Accept`` header (q-values, wildcards).

    An absent or empty header means ``default`` (else the first format of those kinds). Raises
    :class:`UnsupportedFormat` (HTTP 406) when nothing acceptable is on offer.
    """
    candidates = of_kind(*kinds)
    if default is not None:
        preferred = get(default)
        candidates = (preferred, *[f for f in candidates if f is not preferred])
    offered = [(m, f) for f in candidates for m in f.media_types]
    chosen = best_media(accept, [m for m, _ in offered])
    if chosen is None:
        offered_types = ", ".join(f.media_type for f in candidates)
        raise UnsupportedFormat(
            f"None of the requested media types ({accept}) is available; "
            f"this resource is offered as: {offered_types}."
        )
    return next(f for m, f in offered if m == chosen)
