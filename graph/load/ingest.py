"""Ingest: claim-record YAML files and RDF files into their own named graphs, validated first,
all or nothing per file, repeatable.

- A claim-record file (``.yaml``) goes through :func:`diplograph.graph.records.article_source`
  (schema, references, CAMEO codes, dates) into ``graph/article/<slug>``.
- An RDF file of triples (Turtle, N-Triples, RDF/XML, JSON-LD, N3) goes into
  ``graph/file/<stem>`` (or ``into``). On the embedded store it takes Oxigraph's bulk loader
  (:meth:`~diplograph.graph.store.embedded.OxigraphGraph.load_file`); elsewhere it is parsed in
  memory and written in one transaction.
- An RDF dataset file (TriG, N-Quads) keeps its named graphs (each described in the metadata
  graph; triples of its default graph go to ``graph/file/<stem>``), or, with ``into``, has all of
  its quads forced into that one graph.

Validation happens before the commit: syntax errors name ``file:line``; SHACL violations
(:mod:`diplograph.ontology.shacl`) name the record where one is known. Any problem raises
:class:`~diplograph.errors.ValidationError` and the store is left as it was. Loading the same
source again replaces its named graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import URIRef

from diplograph import formats, iri
from diplograph.errors import Problem, StoreError, ValidationError
from diplograph.graph.load.progress import CountingReader, bar
from diplograph.graph.load.reconcile import LabelIndex
from diplograph.graph.load.screen import screen_file, screen_records
from diplograph.graph.load.shacl import SHACL_LIMIT, raise_shacl, shacl_problems
from diplograph.graph.records.together import Sources
from diplograph.graph.search import refresh as refresh_search
from diplograph.graph.store import STAGING_PREFIX, DiploGraph
from diplograph.graph.store.terms import to_rdflib
from diplograph.provenance import Source, Triple, sha256_of

if TYPE_CHECKING:
    from diplograph.graph.store.embedded import OxigraphGraph

_KINDS: tuple[formats.Kind, ...] = ("graph", "dataset", "records")


@dataclass(frozen=True)
class IngestReport:
    """What one file wrote: triples per named graph, and any notes (e.g. SHACL skipped)."""

    path: Path
    graphs: tuple[tuple[URIRef, int], ...]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(n for _, n in self.graphs)


def file_format(path: Path, fmt: str | None = None) -> formats.Format:
    """The format of ``path``: ``fmt`` if given, else by its suffix."""
    chosen = formats.get(fmt, kinds=_KINDS) if fmt else formats.by_suffix(path, kinds=_KINDS)
    if chosen.kind != "records" and chosen.oxigraph is None:
        raise ValidationError([Problem(str(path), f"{chosen.label} files cannot be ingested.")])
    return chosen


def file_source(path: Path, graph: URIRef, *, title: str | None = None) -> Source:
    """The provenance of an RDF file loaded into ``graph``."""
    return Source(
        graph=graph,
        title=title or f"RDF file {path.name}",
        kind="file",
        origin=str(path.resolve()),
        content_hash=sha256_of([path]),
    )


def _syntax_problem(path: Path, exc: SyntaxError) -> ValidationError:
    from diplograph.graph.store.embedded import _syntax_message

    line = exc.lineno if exc.lineno is not None else "?"
    return ValidationError([Problem(f"{path}:{line}", _syntax_message(exc))])


def parse_quads(path: Path, fmt: formats.Format) -> Iterator[ox.Quad]:
    """Stream the quads of an RDF file (triples come in the default graph)."""
    try:
        yield from ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph or ""))
    except SyntaxError as exc:
        raise _syntax_problem(path, exc) from exc


# -- ingest ----------------------------------------------------------------------------------
def ingest_file(
    store: DiploGraph,
    path: Path,
    *,
    fmt: str | None = None,
    into: URIRef | None = None,
    shacl: bool = True,
    progress: bool = False,
    replace: bool = False,
    sources: Sources | None = None,
    index: LabelIndex | None = None,
    machine_coded: bool = False,
) -> IngestReport:
    """Validate one file and load it into its named graph(s), all or nothing.

    A claim-record file is checked against the store (and ``sources``, the record files
    ingested with it; see :mod:`.articles`); an article the store holds with other content is
    replaced only with ``replace``; one with claims not yet reviewed only with
    ``machine_coded``. Raises :class:`~diplograph.errors.ValidationError` (nothing written) on
    any problem.
    """
    from diplograph.graph.store.embedded import OxigraphGraph

    path = Path(path)
    chosen = file_format(path, fmt)
    if into is not None:
        _check_target(path, into)
    if chosen.kind == "records":
        from diplograph.graph.load.articles import ingest_records

        graph, n, changed = ingest_records(
            store,
            path,
            into=into,
            shacl=shacl,
            replace=replace,
            sources=sources,
            index=index,
            machine_coded=machine_coded,
        )
        return IngestReport(path, ((graph, n),), changed)
    screen_file(path, chosen)
    target = into or iri.file_graph(path.stem)
    if chosen.kind == "graph" and isinstance(store, OxigraphGraph):
        return _load_in_place(store, path, chosen, target, shacl=shacl, progress=progress)
    items = _read_in_memory(path, chosen, target, forced=into is not None, progress=progress)
    if shacl:
        raise_shacl(path, shacl_problems((t for _, ts in items for t in ts), path=path))
    counts = store.replace_graphs(items)
    return IngestReport(path, tuple((s.graph, n) for (s, _), n in zip(items, counts, strict=True)))


def _load_in_place(
    store: OxigraphGraph,
    path: Path,
    chosen: formats.Format,
    target: URIRef,
    *,
    shacl: bool,
    progress: bool,
) -> IngestReport:
    """Load one graph file straight into the embedded store (its bulk loader), all or nothing."""
    notes: list[str] = []

    def check(count: int, triples: Callable[[], list[Triple]]) -> None:
        if not shacl:
            return
        if count > SHACL_LIMIT:
            notes.append(f"SHACL skipped: {count} triples is more than {SHACL_LIMIT}.")
            return
        raise_shacl(path, shacl_problems(triples(), path=path))

    bulk_before = _bulk_files(store.path)
    try:
        with bar(path, chosen, progress) as shown:
            n = store.load_file(
                file_source(path, target),
                path,
                chosen,
                reader=(lambda fh: CountingReader(fh, shown, chosen.key == "ntriples"))
                if progress
                else None,
                check=check,
            )
    except StoreError:
        # a failed bulk load (a full disk) leaves its sorted files behind, outside the
        # database; they would keep the disk full and the store unopenable
        for leftover in _bulk_files(store.path) - bulk_before:
            leftover.unlink(missing_ok=True)
        raise
    return IngestReport(path, ((target, n),), tuple(notes))


def _bulk_files(store_path: object) -> set[Path]:
    """The bulk loader's files in an on-disk store directory (none for an in-memory store)."""
    return set(Path(str(store_path)).glob("bulk-*.sst")) if store_path else set()


def _check_target(path: Path, graph: URIRef) -> None:
    text = str(graph)
    if graph == iri.META_GRAPH or text.startswith(STAGING_PREFIX):
        raise ValidationError(
            [Problem(str(path), f"the named graph <{text}> is reserved for diplograph.")]
        )


def _read_in_memory(
    path: Path, fmt: formats.Format, target: URIRef, *, forced: bool, progress: bool
) -> list[tuple[Source, Iterable[Triple]]]:
    """The named graphs of a file as ``(Source, triples)``: default-graph triples (and every
    quad when ``forced``) into ``target``, other quads into their own graphs."""
    graphs: dict[URIRef, list[Triple]] = {}
    with bar(path, formats.get("nquads"), progress) as shown:
        for q in parse_quads(path, fmt):
            g = q.graph_name
            name = target if forced or not isinstance(g, ox.NamedNode) else URIRef(g.value)
            graphs.setdefault(name, []).append(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            )
            shown.update(1)
    for name in graphs:
        _check_target(path, name)
    if not graphs:
        graphs[target] = []
    return [
        (
            file_source(path, g, title=None if g == target else f"Graph <{g}> of {path.name}"),
            triples,
        )
        for g, triples in graphs.items()
    ]


def ingest_files(
    store: DiploGraph,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    into: URIRef | None = None,
    shacl: bool = True,
    progress: bool = False,
    on_file: Callable[[Path], None] | None = None,
    replace: bool = False,
    machine_coded: bool = False,
) -> list[IngestReport]:
    """Ingest several files. With more than one, every file is validated before the first is
    written (:func:`check_files`), so a bad file means nothing is written; each file is then
    loaded all or nothing. Claim-record files may refer to each other; the store's labels are
    read once for all of them (reconciliation)."""
    paths = [Path(p) for p in paths]
    read = _together(store, paths, fmt)
    if len(paths) > 1:
        check_files(
            store, paths, fmt=fmt, into=into, shacl=shacl, replace=replace, read=read,
            machine_coded=machine_coded,
        )  # fmt: skip
    reports = []
    for path in paths:
        if on_file is not None:
            on_file(path)
        reports.append(
            ingest_file(store, path, fmt=fmt, into=into, shacl=shacl, progress=progress,
                        replace=replace, sources=read[0], index=read[1],
                        machine_coded=machine_coded)
        )  # fmt: skip
    refresh_search(store)
    return reports


def _together(
    store: DiploGraph, paths: Sequence[Path], fmt: str | None
) -> tuple[Sources | None, LabelIndex | None]:
    """What the record files among ``paths`` mint, and the store's labels (for reconciliation)."""
    from diplograph.graph.records.together import survey

    records = [p for p in paths if file_format(p, fmt).kind == "records"]
    return (survey(records), LabelIndex.of(store)) if records else (None, None)


def check_files(
    store: DiploGraph,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    into: URIRef | None = None,
    shacl: bool = True,
    replace: bool = False,
    rdf_limit: int | None = None,
    read: tuple[Sources | None, LabelIndex | None] | None = None,
    machine_coded: bool = False,
) -> None:
    """Every check :func:`ingest_files` makes before writing, against ``store`` (it may be open
    read-only), writing nothing: raises :class:`~diplograph.errors.ValidationError` with every
    file's problems (one file's error as it is). RDF files larger than ``rdf_limit`` bytes are
    left to the writer's own check. ``read``: :func:`_together`, if already made."""
    from diplograph.graph.load.articles import ingest_records

    paths = [Path(p) for p in paths]
    sources, index = read if read is not None else _together(store, paths, fmt)
    problems: list[Problem] = []
    for path in paths:
        try:
            if file_format(path, fmt).kind == "records":
                ingest_records(store, path, into=into, shacl=shacl, replace=replace,
                               sources=sources, index=index, dry_run=True,
                               machine_coded=machine_coded)  # fmt: skip
            elif rdf_limit is None or path.stat().st_size <= rdf_limit:
                check_file(path, fmt=fmt, shacl=shacl)
        except ValidationError as exc:
            if len(paths) == 1:
                raise
            problems += exc.problems
    if problems:
        raise ValidationError(problems)


def check_file(
    path: Path, *, fmt: str | None = None, shacl: bool = True, sources: Sources | None = None
) -> list[Triple]:
    """Validate one file without writing anything; returns its triples (every graph merged).
    A claim-record file may refer to what ``sources`` (other record files) mint.
    Raises :class:`~diplograph.errors.ValidationError`."""
    chosen = file_format(path, fmt)
    context: list[Triple] = []
    if chosen.kind == "records":
        from diplograph.graph.records import article_source

        screen_records(path)
        others = sources.without(Path(path)) if sources is not None else None
        _, triples = article_source(path, known=others)
        objects = [o for _, _, o in triples if isinstance(o, URIRef)]
        context = others.type_triples(objects) if others is not None else []
    else:
        screen_file(path, chosen)
        triples = [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in parse_quads(path, chosen)
        ]
    if shacl and len(triples) <= SHACL_LIMIT:
        where = None if chosen.kind == "records" else path
        raise_shacl(path, shacl_problems(triples, path=where, context=context))
    return triples
