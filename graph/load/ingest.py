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

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from diplograph import formats, iri
from diplograph.errors import Problem, StoreError, ValidationError
from diplograph.graph.load.screen import screen_file, screen_records
from diplograph.graph.search import refresh as refresh_search
from diplograph.graph.store import STAGING_PREFIX, DiploGraph
from diplograph.graph.store.terms import to_rdflib
from diplograph.provenance import Source, Triple, sha256_of

#: SHACL (pySHACL, pure Python) runs on files up to this many triples; larger files are
#: checked for syntax only, and the report says so.
SHACL_LIMIT = 200_000
_KINDS: tuple[formats.Kind, ...] = ("graph", "dataset", "records")
_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]+)>")


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


# -- validation ------------------------------------------------------------------------------
def shacl_problems(
    triples: Iterable[Triple],
    *,
    path: Path | None = None,
    warnings: list[str] | None = None,
) -> list[str]:
    """SHACL violations of some triples (with the code lists), as sentences naming the record
    (``file:line: claim c7: 'speaker' ...``) where :mod:`diplograph.graph.records` knows it, or
    the first line of the RDF file ``path`` that names the node."""
    from diplograph.graph.records import locate
    from diplograph.ontology.shacl import describe, validate_shacl

    g = Graph()
    for t in triples:
        g.add(t)
    lines = _node_lines(path) if path is not None else {}

    def where(node: object) -> str | None:
        line = lines.get(str(node))
        return f"{path}:{line}: <{node}>" if line else locate(str(node))

    out = []
    for v in validate_shacl(g):
        line = describe(v, locate=where)
        if v.severity == "Violation":
            out.append(line)
        elif warnings is not None:
            warnings.append(line)
    return out


def _node_lines(path: Path, limit: int = 20_000_000) -> dict[str, int]:
    """For a text RDF file: the first line on which each ``<IRI>`` appears."""
    if path.stat().st_size > limit:
        return {}
    found: dict[str, int] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, text in enumerate(fh, 1):
            for m in _IRI.finditer(text):
                found.setdefault(m.group(1), n)
    return found


def _raise_shacl(path: Path, problems: list[str]) -> None:
    if problems:
        raise ValidationError(
            [
                Problem(str(path), p) if not p.startswith(str(path)) else _as_problem(p)
                for p in problems
            ],
            summary=f"{path}: {len(problems)} SHACL violation(s); nothing was written.",
        )


def _as_problem(line: str) -> Problem:
    where, _, rest = line.partition(": ")
    return Problem(where, rest)


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


# -- progress --------------------------------------------------------------------------------
class _CountingReader:
    """A binary file wrapper that advances a tqdm bar: by lines for line-based formats (one
    triple per line), by bytes otherwise."""

    def __init__(self, fh: Any, bar: Any, by_lines: bool) -> None:
        self._fh, self._bar, self._lines = fh, bar, by_lines

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._bar.update(data.count(b"\n") if self._lines else len(data))
        return data

    def readinto(self, buf: Any) -> int:
        n = self._fh.readinto(buf)
        self._bar.update(bytes(memoryview(buf)[:n]).count(b"\n") if self._lines else n)
        return n

    def readable(self) -> bool:
        return True


def _bar(path: Path, fmt: formats.Format, enabled: bool) -> Any:
    from tqdm import tqdm

    by_lines = fmt.key in ("ntriples", "nquads")
    return tqdm(
        desc=path.name,
        unit=" triples" if by_lines else "B",
        unit_scale=True,
        total=None if by_lines else path.stat().st_size,
        disable=not enabled,
        leave=False,
    )


# -- ingest ----------------------------------------------------------------------------------
def ingest_file(
    store: DiploGraph,
    path: Path,
    *,
    fmt: str | None = None,
    into: URIRef | None = None,
    shacl: bool = True,
    progress: bool = False,
) -> IngestReport:
    """Validate one file and load it into its named graph(s), all or nothing.

    Raises :class:`~diplograph.errors.ValidationError` (nothing written) on any problem.
    """
    from diplograph.graph.store.embedded import OxigraphGraph

    path = Path(path)
    chosen = file_format(path, fmt)
    if into is not None:
        _check_target(path, into)
    if chosen.kind == "records":
        from diplograph.graph.records import article_source

        screen_records(path)
        source, triples = article_source(path)
        if into is not None:
            source = dataclasses.replace(source, graph=into)
        if shacl:
            _raise_shacl(path, shacl_problems(triples))
        return IngestReport(path, ((source.graph, store.replace_graph(source, triples)),))
    screen_file(path, chosen)
    target = into or iri.file_graph(path.stem)
    if chosen.kind == "graph" and isinstance(store, OxigraphGraph):
        notes: list[str] = []

        def check(count: int, triples: Callable[[], list[Triple]]) -> None:
            if not shacl:
                return
            if count > SHACL_LIMIT:
                notes.append(f"SHACL skipped: {count} triples is more than {SHACL_LIMIT}.")
                return
            _raise_shacl(path, shacl_problems(triples(), path=path))

        bulk_before = _bulk_files(store.path)
        try:
            with _bar(path, chosen, progress) as bar:
                n = store.load_file(
                    file_source(path, target),
                    path,
                    chosen,
                    reader=(lambda fh: _CountingReader(fh, bar, chosen.key == "ntriples"))
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
    items = _read_in_memory(path, chosen, target, forced=into is not None, progress=progress)
    if shacl:
        _raise_shacl(path, shacl_problems((t for _, ts in items for t in ts), path=path))
    counts = store.replace_graphs(items)
    return IngestReport(path, tuple((s.graph, n) for (s, _), n in zip(items, counts, strict=True)))


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
    with _bar(path, formats.get("nquads"), progress) as bar:
        for q in parse_quads(path, fmt):
            g = q.graph_name
            name = target if forced or not isinstance(g, ox.NamedNode) else URIRef(g.value)
            graphs.setdefault(name, []).append(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            )
            bar.update(1)
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
) -> list[IngestReport]:
    """Ingest several files. With more than one, every file is validated before the first is
    written, so a bad file means nothing is written; each file is then loaded all or nothing."""
    if len(paths) > 1:
        problems: list[Problem] = []
        for path in paths:
            try:
                check_file(path, fmt=fmt, shacl=shacl)
            except ValidationError as exc:
                problems += exc.problems
        if problems:
            raise ValidationError(problems)
    reports = []
    for path in paths:
        if on_file is not None:
            on_file(path)
        reports.append(ingest_file(store, path, fmt=fmt, into=into, shacl=shacl, progress=progress))
    refresh_search(store)
    return reports


def check_file(path: Path, *, fmt: str | None = None, shacl: bool = True) -> list[Triple]:
    """Validate one file without writing anything; returns its triples (every graph merged).
    Raises :class:`~diplograph.errors.ValidationError`."""
    chosen = file_format(path, fmt)
    if chosen.kind == "records":
        from diplograph.graph.records import article_source

        screen_records(path)
        _, triples = article_source(path)
    else:
        screen_file(path, chosen)
        triples = [
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in parse_quads(path, chosen)
        ]
    if shacl and len(triples) <= SHACL_LIMIT:
        _raise_shacl(path, shacl_problems(triples, path=None if chosen.kind == "records" else path))
    return triples


# -- validate (the command) ------------------------------------------------------------------
def validate_files(
    paths: Sequence[Path], *, fmt: str | None = None, reasoning: bool = True
) -> list[str]:
    """Every problem in some files (records, syntax, SHACL; then OWL consistency of them all
    together with the ontology and code lists), one sentence each; empty when valid."""
    lines: list[str] = []
    data: list[Triple] = []
    for path in paths:
        try:
            data += check_file(path, fmt=fmt)
        except ValidationError as exc:
            lines += [str(p) for p in exc.problems]
    if reasoning and not lines:
        lines += _consistency(data)
    return lines


def validate_store(store: DiploGraph, *, reasoning: bool = True) -> list[str]:
    """Every SHACL violation and OWL inconsistency of the data in a store, one sentence each."""
    from diplograph.graph.records import locate
    from diplograph.ontology.shacl import NON_DATA_GRAPHS, describe, validate_shacl

    g = Graph()
    facts: list[Triple] = []  # the reasoner's input: data without the (large) code lists
    codes = str(iri.GRAPH["codes/"])
    for s, p, o, name in store.quads():
        if name not in NON_DATA_GRAPHS:
            g.add((s, p, o))
            if not str(name).startswith(codes):
                facts.append((s, p, o))
    lines = [
        describe(v, locate=lambda node: locate(str(node)))
        for v in validate_shacl(g, include_codes=False)
        if v.severity == "Violation"
    ]
    if reasoning:
        lines += _consistency(facts)
    return lines


def _consistency(triples: list[Triple], *, include_codes: bool = False) -> list[str]:
    from diplograph.ontology.reasoning import check_consistency

    g = Graph()
    for t in triples:
        g.add(t)
    report = check_consistency(g, include_codes=include_codes)
    return [] if report.ok else report.summary().splitlines()
