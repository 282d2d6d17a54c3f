"""Claim records: load and check an article's YAML records, and build its named graph.

An analyst describes one news article in one YAML file (format: ``docs/claim-records.md``, JSON
Schema: ``graph/data/schema/claim-records.schema.json``): the article, the entities it names, and
each of its statements as a claim. :func:`load_records` reads such a file and checks everything
(the schema, references, CAMEO codes, dates, duplicate ids, quotes against the text), reporting
every problem at once as a :class:`~diplograph.errors.ClaimError` whose lines read
``graph/data/articles/article-001.yaml:41: claim c7: 'event_type' 1999 is not a CAMEO code``.
:func:`article_source` turns a file into one ``(Source, triples)`` part for
:func:`diplograph.graph.load.build.build` or ingest; :func:`bundled_article_sources` does it for
every article shipped in ``graph/data/articles/``. :func:`locate` maps a minted IRI back to its
line.

>>> records = load_records(ARTICLES_DIR / "article-001.yaml")
>>> records.slug, len(records.claims) > 10
('article-001', True)
>>> locate(records.claims[0].iri)  # doctest: +ELLIPSIS
'graph/data/articles/article-001.yaml:...: claim c1'
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
from rdflib import URIRef

from diplograph.errors import ClaimError, Problem
from diplograph.graph.records.check import Checker
from diplograph.graph.records.dates import RecordDate, parse_date
from diplograph.graph.records.model import RecordFile
from diplograph.graph.records.review import coder_of
from diplograph.graph.records.yaml_lines import LineDict, load_yaml
from diplograph.provenance import Source, Triple, sha256_of

if TYPE_CHECKING:
    from diplograph.graph.store import DiploGraph

#: The graph package's folder, which holds the bundled data (``graph/data/``).
_GRAPH_DIR = Path(__file__).resolve().parents[1]
#: Where the bundled article records live (inside the package, so they ship in the wheel).
ARTICLES_DIR = _GRAPH_DIR / "data" / "articles"
#: The JSON Schema of the record format.
SCHEMA_PATH = _GRAPH_DIR / "data" / "schema" / "claim-records.schema.json"

#: Files loaded in this process, by location, so that :func:`locate` can name their lines.
_LOADED: dict[str, RecordFile] = {}


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of claim-record files."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def _location(path: Path) -> str:
    """How messages name a file: package files relative to the package, others as given."""
    try:
        return "graph/" + path.resolve().relative_to(_GRAPH_DIR).as_posix()
    except ValueError:
        return str(path)


def load_records(
    path: str | Path, *, known: Container[str] | None = None, location: str | None = None
) -> RecordFile:
    """Read and check the claim records in ``path``.

    References are local ids declared under ``entities`` or IRI paths (``state/russia``); an IRI
    path not declared in the file must be in ``known`` (full IRIs; ``KnownIn(graph)`` for the
    entities already in a store) or it is reported as unknown. ``location`` overrides how messages
    name the file.

    Raises :class:`~diplograph.errors.ClaimError` listing every problem found."""
    path = Path(path)
    where = location or _location(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimError(
            [Problem(where, f"cannot be read: {exc}.")],
            summary=f"{where}: cannot read the claim records; nothing was written.",
        ) from None
    data = load_yaml(text, where)
    if not isinstance(data, LineDict):
        raise ClaimError(
            [Problem(where, "must be a mapping with the keys format, article, entities, claims.")]
        )
    checker = Checker(path=path, location=where, data=data, known=known)
    for error in jsonschema.Draft202012Validator(schema()).iter_errors(data):
        checker.schema_error(error)
    records = checker.check()
    if checker.problems:
        problems = sorted(set(checker.problems), key=_order)
        raise ClaimError(
            problems,
            summary=f"{where}: {len(problems)} problem(s) in the claim records; "
            "nothing was written.",
        )
    assert records is not None
    hashed = [path] if records.text_path is None else [path, records.text_path]
    records.content_hash = sha256_of(hashed)
    records.coder = coder_of(text)
    _LOADED.pop(where, None)  # the latest load of a file is the last one looked in
    _LOADED[where] = records
    return records


def _order(p: Problem) -> tuple[int, str]:
    _, _, line = p.location.rpartition(":")
    return (int(line) if line.isdigit() else 0, str(p))


def locate(node: str) -> str | None:
    """``file:line: record`` of the record that minted ``node`` (a claim, an entity, an article),
    looking in the files loaded in this process and in the bundled articles; else ``None``.

    Used to turn a SHACL focus node into a place an analyst can open. The file loaded last is
    looked in first: it is the one being checked (an earlier file, or a copy of it, may mint the
    same IRI)."""
    for records in reversed(list(_LOADED.values())):
        found = records.locate(node)
        if found is not None:
            return found
    unread = [p for p in bundled_article_files() if _location(p) not in _LOADED]
    if unread:
        from diplograph.graph.records.together import load_together

        # the bundled articles refer to each other: read them together
        for records in load_together(bundled_article_files()):
            found = records.locate(node)
            if found is not None:
                return found
    return None


class KnownIn:
    """The entities of a graph as a container of IRIs, for ``load_records(..., known=...)``:
    ``iri in KnownIn(graph)`` is true when the graph has a triple about that IRI."""

    def __init__(self, graph: DiploGraph) -> None:
        self.graph = graph
        self._seen: dict[str, bool] = {}

    def __contains__(self, node: object) -> bool:
        key = str(node)
        if key not in self._seen:
            found = self.graph.query(
                "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", bindings={"s": URIRef(key)}
            )
            self._seen[key] = len(found) > 0
        return self._seen[key]

    def date_of(self, node: object) -> RecordDate | None:
        """The date of a claim in the graph (``dg:date``), if it has one."""
        found = self.graph.query(
            "SELECT ?d WHERE { ?c <https://w3id.org/diplograph/ontology#date> ?d } LIMIT 1",
            bindings={"c": URIRef(str(node))},
        )
        for row in found.rows:
            try:
                return parse_date(str(row[0]))
            except ValueError:
                return None
        return None


def bundled_article_files() -> list[Path]:
    """The claim-record files shipped with diplograph, in name order."""
    return sorted(ARTICLES_DIR.glob("*.yaml"))


def article_source(
    path: str | Path, *, known: Container[str] | None = None
) -> tuple[Source, list[Triple]]:
    """The named graph of one claim-record file: its :class:`Source` and triples.

    Raises :class:`~diplograph.errors.ClaimError` if the file has problems."""
    from diplograph.graph.records.rdf import record_triples

    records = load_records(path, known=known)
    return source_of(records), record_triples(records)


def source_of(records: RecordFile) -> Source:
    """The provenance of an article's named graph."""
    art = records.article
    parts = [f'"{records.title}"', "news article"]
    if isinstance(art.get("publisher"), str):
        parts.append(f"publisher {records.ref(art['publisher'])}")
    parts.append(
        f"published {art['date']}"
        if art.get("date") not in (None, "unknown")
        else "publication date unknown"
    )
    if art.get("url"):
        parts.append(str(art["url"]))
    return Source(
        graph=records.graph,
        title=f"Claim records of {records.slug}: {records.title}",
        kind="article",
        origin=records.location,
        content_hash=records.content_hash,
        citation=", ".join(parts) + ".",
    )


def bundled_article_sources() -> list[tuple[Source, Iterable[Triple]]]:
    """One ``(Source, triples)`` per bundled article, for
    :func:`diplograph.graph.load.build.build`."""
    from diplograph.graph.records.rdf import record_triples
    from diplograph.graph.records.together import load_together

    # the bundled articles may refer to each other's claims and entities
    return [(source_of(r), record_triples(r)) for r in load_together(bundled_article_files())]


__all__ = [
    "ARTICLES_DIR",
    "SCHEMA_PATH",
    "KnownIn",
    "article_source",
    "bundled_article_files",
    "bundled_article_sources",
    "load_records",
    "locate",
    "schema",
    "source_of",
]
