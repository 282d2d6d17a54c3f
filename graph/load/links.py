"""Links from diplograph entities to Wikidata, each with the source that verifies it.

Links are kept in a CSV file (``graph/data/links/wikidata.csv``, columns ``entity,qid,source``)
rather than in the claim records, so that one entity is linked once whichever sources mention it.
:func:`load_links_csv` reads and checks such a file (every row needs a source; entity paths, Q-IDs
and duplicates are checked), :func:`link_triples` writes each link as
``owl:sameAs <http://www.wikidata.org/entity/Q…>`` plus an ``rdf:Statement`` giving its
``dcterms:source``, and :func:`bundled_link_sources` builds the named graph
:data:`diplograph.iri.LINKS_GRAPH` for :func:`diplograph.graph.load.build.build`.

>>> [(link.entity_path, link.qid) for link in load_links_csv(WIKIDATA_CSV)][:2]
[('state/russia', 'Q159'), ('state/ukraine', 'Q212')]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from diplograph import iri
from diplograph.errors import Problem, SourceError
from diplograph.provenance import Source, Triple, sha256_of

#: The graph package's folder, which holds the bundled data (``graph/data/``).
_GRAPH_DIR = Path(__file__).resolve().parents[1]
#: The bundled Wikidata links.
WIKIDATA_CSV = _GRAPH_DIR / "data" / "links" / "wikidata.csv"
#: Wikidata's entity namespace (the IRIs ``owl:sameAs`` points to).
WD = Namespace("http://www.wikidata.org/entity/")
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

_COLUMNS = ("entity", "qid", "source")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_PATH = re.compile(r"^([a-z]+)/[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_WIKIDATA_PAGE = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q[0-9]+)$")


@dataclass(frozen=True)
class Link:
    """One verified link: the diplograph entity, its Wikidata item, and where that was checked."""

    entity_path: str  # state/russia
    qid: str  # Q159
    source: str  # https://www.wikidata.org/wiki/Q159
    line: int

    @property
    def entity(self) -> URIRef:
        return iri.ID[self.entity_path]

    @property
    def target(self) -> URIRef:
        return WD[self.qid]


def _location(path: Path) -> str:
    try:
        return "graph/" + path.resolve().relative_to(_GRAPH_DIR).as_posix()
    except ValueError:
        return str(path)


def load_links_csv(path: str | Path) -> list[Link]:
    """The links of a CSV file with the columns ``entity,qid,source``.

    Raises :class:`~diplograph.errors.SourceError` naming ``file:line`` and the column for every
    row without a source, with a malformed entity path or Q-ID, or linked twice."""
    path = Path(path)
    where = _location(path)
    problems: list[Problem] = []
    links: list[Link] = []
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            if tuple(header) != _COLUMNS:
                raise SourceError(
                    [
                        Problem(
                            f"{where}:1",
                            f"the header must be {','.join(_COLUMNS)}, "
                            f"not {','.join(header) or 'empty'}.",
                        )
                    ]
                )
            seen: dict[str, int] = {}
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                cells = [c.strip() for c in row] + [""] * (3 - len(row))
                if len(row) > 3:
                    problems.append(Problem(f"{where}:{line}", f"has {len(row)} columns, not 3."))
                    continue
                link = _check(cells[0], cells[1], cells[2], f"{where}:{line}", line, problems)
                if link is None:
                    continue
                if link.entity_path in seen:
                    problems.append(
                        Problem(
                            f"{where}:{line}",
                            f"is linked already at line {seen[link.entity_path]}.",
                            link.entity_path,
                            "entity",
                        )
                    )
                    continue
                seen[link.entity_path] = line
                links.append(link)
    except OSError as exc:
        raise SourceError([Problem(where, f"cannot be read: {exc}.")]) from None
    if problems:
        raise SourceError(
            problems,
            summary=f"{where}: {len(problems)} problem(s) in the links; nothing was written.",
        )
    return links


def _check(
    entity: str, qid: str, source: str, where: str, line: int, problems: list[Problem]
) -> Link | None:
    before = len(problems)
    record = entity or None
    m = _PATH.match(entity)
    if not entity:
        problems.append(Problem(where, "has no entity.", None, "entity"))
    elif m is None or m.group(1) not in iri.ENTITY_TYPES:
        problems.append(
            Problem(
                where,
                f"{entity!r} is not an entity IRI path such as state/russia.",
                record,
                "entity",
            )
        )
    if not _QID.match(qid):
        problems.append(
            Problem(where, f"{qid!r} is not a Wikidata Q-ID such as Q159.", record, "qid")
        )
    if not source:
        problems.append(
            Problem(
                where, "is missing: every link needs the source that verifies it.", record, "source"
            )
        )
    elif not source.startswith(("http://", "https://")):
        problems.append(Problem(where, f"{source!r} is not a URL.", record, "source"))
    else:
        page = _WIKIDATA_PAGE.match(source)
        if page is not None and _QID.match(qid) and page.group(1) != qid:
            problems.append(
                Problem(
                    where, f"{source} is the page of {page.group(1)}, not {qid}.", record, "source"
                )
            )
    if len(problems) > before:
        return None
    return Link(entity, qid, source, line)


def _same_as(entity: URIRef, target: URIRef, source: str) -> tuple[list[Triple], BNode]:
    """``entity owl:sameAs target`` and an ``rdf:Statement`` (returned) naming its source."""
    stmt = BNode()
    return [
        (entity, OWL.sameAs, target),
        (stmt, RDF.type, RDF.Statement),
        (stmt, RDF.subject, entity),
        (stmt, RDF.predicate, OWL.sameAs),
        (stmt, RDF.object, target),
        (stmt, DCTERMS.source, URIRef(source)),
    ], stmt


def link_triples(links: Iterable[Link]) -> list[Triple]:
    """``owl:sameAs`` for each link, and an ``rdf:Statement`` naming its source."""
    out: list[Triple] = []
    for link in links:
        triples, stmt = _same_as(link.entity, link.target, link.source)
        out += triples
        out.append((stmt, DCTERMS.identifier, Literal(link.qid)))
    return out


def links_source(path: str | Path = WIKIDATA_CSV) -> tuple[Source, list[Triple]]:
    """The named graph of the links in ``path`` (by default the bundled ones)."""
    path = Path(path)
    triples = link_triples(load_links_csv(path))
    source = Source(
        graph=iri.LINKS_GRAPH,
        title="Links to Wikidata",
        kind="links",
        origin=_location(path),
        content_hash=sha256_of([path]),
        citation="Wikidata, the free knowledge base (https://www.wikidata.org/); each link "
        "names the page that verifies it.",
        license=CC0,
    )
    return source, triples


def bundled_link_sources() -> list[tuple[Source, Iterable[Triple]]]:
    """The bundled links, for :func:`diplograph.graph.load.build.build`."""
    return [links_source(WIKIDATA_CSV)]


# -- DBpedia ---------------------------------------------------------------------------------
#: DBpedia's resource namespace (the IRIs ``owl:sameAs`` points to for DBpedia links).
DBR = Namespace("http://dbpedia.org/resource/")
_DBPEDIA_COLUMNS = ("entity", "dbpedia", "source")
_DBPEDIA_NAME = re.compile(r"^[^\s<>\"{}|\\^`/]+$")


@dataclass(frozen=True)
class DbpediaLink:
    """One verified link to DBpedia: the entity, the DBpedia resource name
    (``Russia`` for ``http://dbpedia.org/resource/Russia``) and the page that verifies it."""

    entity_path: str
    name: str
    source: str
    line: int

    @property
    def entity(self) -> URIRef:
        return iri.ID[self.entity_path]

    @property
    def target(self) -> URIRef:
        return DBR[self.name]


def load_dbpedia_csv(path: str | Path) -> list[DbpediaLink]:
    """The links of a CSV file with the columns ``entity,dbpedia,source`` (no link is bundled:
    DBpedia links are added only with a source, e.g. by ``diplograph link``). Raises
    :class:`~diplograph.errors.SourceError` naming ``file:line`` and the column of each bad row;
    a row without a source is refused."""
    path = Path(path)
    where = _location(path)
    problems: list[Problem] = []
    links: list[DbpediaLink] = []
    seen: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = tuple(h.strip() for h in next(reader, []))
            if header != _DBPEDIA_COLUMNS:
                raise SourceError(
                    [Problem(f"{where}:1", f"the header must be {','.join(_DBPEDIA_COLUMNS)}.")]
                )
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                line = reader.line_num
                at = f"{where}:{line}"
                entity, name, source = ([c.strip() for c in row] + ["", "", ""])[:3]
                before = len(problems)
                m = _PATH.match(entity)
                if m is None or m.group(1) not in iri.ENTITY_TYPES:
                    problems.append(
                        Problem(at, f"{entity!r} is not an entity IRI path.", entity, "entity")
                    )
                if not _DBPEDIA_NAME.match(name):
                    problems.append(
                        Problem(at, f"{name!r} is not a DBpedia resource name.", entity, "dbpedia")
                    )
                if not source:
                    problems.append(
                        Problem(
                            at,
                            "is missing: every link needs the source that verifies it.",
                            entity,
                            "source",
                        )
                    )
                elif not source.startswith(("http://", "https://")):
                    problems.append(Problem(at, f"{source!r} is not a URL.", entity, "source"))
                if entity in seen and len(problems) == before:
                    problems.append(
                        Problem(at, f"is linked already at line {seen[entity]}.", entity, "entity")
                    )
                if len(problems) == before:
                    seen[entity] = line
                    links.append(DbpediaLink(entity, name, source, line))
    except OSError as exc:
        raise SourceError([Problem(where, f"cannot be read: {exc}.")]) from None
    if problems:
        raise SourceError(
            problems,
            summary=f"{where}: {len(problems)} problem(s) in the links; nothing was written.",
        )
    return links


def dbpedia_link_triples(links: Iterable[DbpediaLink]) -> list[Triple]:
    """``owl:sameAs`` for each DBpedia link, and an ``rdf:Statement`` naming its source."""
    out: list[Triple] = []
    for link in links:
        out += _same_as(link.entity, link.target, link.source)[0]
    return out


__all__ = [
    "CC0",
    "DBR",
    "WD",
    "WIKIDATA_CSV",
    "DbpediaLink",
    "Link",
    "bundled_link_sources",
    "dbpedia_link_triples",
    "link_triples",
    "links_source",
    "load_dbpedia_csv",
    "load_links_csv",
]
