"""The writing operations of the command line, as plain data in and plain data out.

Each operation in :data:`WRITES` (``ingest``, ``build``, ``drop``, ``link``, ``import``,
``accept``) takes the graph and its arguments as JSON values and returns its result as JSON
values; :func:`run_write` runs one. The command line runs it on the store it opens, or, when a
``diplograph serve`` holds that store, sends the name and arguments to that server
(:mod:`diplograph.cli.served`), which runs the same function as its single writer
(:mod:`diplograph.server.local_writes`): the same checks, the same all-or-nothing write and
the same result either way. Nothing here knows how the operation reached it.

Arguments are checked here, since they may come from another process: a wrong type or a
missing argument is a :class:`~diplograph.errors.UsageError`. Paths are read by the process that
runs the operation; the command line sends them absolute (:attr:`Write.paths` names them).

>>> from diplograph.graph.store import open_graph
>>> g = open_graph("memory:")
>>> run_write(g, "drop", {"graph": "https://example.org/none"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
diplograph.errors.NotFound: The store has no named graph <https://example.org/none>; ...
>>> run_write(g, "build", {"parts": ["ontology"], "strict": "no"})
Traceback (most recent call last):
...
diplograph.errors.UsageError: The build argument 'strict' must be true or false, not 'no'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from diplograph.errors import NotFound, Problem, SourceError, UsageError
from diplograph.graph.search import refresh as refresh_search
from diplograph.graph.store import DiploGraph
from diplograph.iri import named_graph

Result = dict[str, Any]

__all__ = ["WRITES", "Hooks", "Write", "add_links", "run_write", "touched"]


@dataclass(frozen=True)
class Hooks:
    """What only a local run shows: progress bars and per-file or per-part callbacks."""

    progress: bool = False
    on_file: Callable[[Path], None] | None = None
    on_part: Callable[[str], None] | None = None
    on_dataset: Callable[[str, int, int], None] | None = None


@dataclass(frozen=True)
class Args:
    """An operation's arguments, read with their types checked."""

    write: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def _bad(self, name: str, wanted: str) -> UsageError:
        return UsageError(
            f"The {self.write} argument {name!r} must be {wanted}, not {self.values[name]!r}."
        )

    def text(self, name: str, *, optional: bool = False) -> str | None:
        value = self.values.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value:
            if name not in self.values:
                raise UsageError(f"The {self.write} operation needs the argument {name!r}.")
            raise self._bad(name, "a non-empty string")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name, default)
        if not isinstance(value, bool):
            raise self._bad(name, "true or false")
        return value

    def texts(self, name: str) -> list[str]:
        value = self.values.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._bad(name, "a list of strings")
        return list(value)


@dataclass(frozen=True)
class Write:
    """One writing operation: its function and which arguments hold paths (strings, lists of
    strings or ``{role: path}``)."""

    run: Callable[[DiploGraph, Args, Hooks], Result]
    paths: tuple[str, ...] = ()


def run_write(
    graph: DiploGraph, name: str, args: Mapping[str, Any], hooks: Hooks | None = None
) -> Result:
    """Run the writing operation ``name`` on ``graph`` (see the module docstring)."""
    write = WRITES.get(name)
    if write is None:
        raise UsageError(f"No writing operation {name!r}; known: {', '.join(WRITES)}.")
    if not isinstance(args, Mapping):
        raise UsageError(f"The arguments of {name} must be a JSON object.")
    return write.run(graph, Args(name, args), hooks or Hooks())


# -- the operations --------------------------------------------------------------------------
def _ingest(graph: DiploGraph, args: Args, hooks: Hooks) -> Result:
    from diplograph.graph.load.ingest import ingest_files

    target = args.text("graph", optional=True)
    into = named_graph(target) if target else None  # an IRI, a CURIE or a path, as everywhere
    files = args.texts("files")
    if not files:
        raise UsageError("Name at least one file to ingest.")
    reports = ingest_files(
        graph,
        [Path(f) for f in files],
        fmt=args.text("format", optional=True),
        into=into,
        shacl=args.flag("shacl", True),
        progress=hooks.progress,
        on_file=hooks.on_file,
        replace=args.flag("replace"),
        machine_coded=args.flag("machine_coded"),
    )
    return {
        "reports": [
            {
                "path": str(r.path),
                "graphs": [[str(g), n] for g, n in r.graphs],
                "notes": list(r.notes),
            }
            for r in reports
        ]
    }


def _build(graph: DiploGraph, args: Args, hooks: Hooks) -> Result:
    from diplograph.graph.load.build import PARTS, build

    parts = args.texts("parts")
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise UsageError(f"Build parts must be some of {', '.join(PARTS)}; got {parts}.")
    report = build(
        graph,
        parts=parts,
        strict=args.flag("strict"),
        on_part=hooks.on_part,
        on_dataset=hooks.on_dataset,
    )
    rows = [[str(src.graph), src.kind, n] for src, n in report.graphs]
    return {"graphs": rows, "total": report.total, "store": graph.url}


def _drop(graph: DiploGraph, args: Args, hooks: Hooks) -> Result:
    target = str(named_graph(str(args.text("graph"))))
    if not graph.drop_graph(URIRef(target)):
        raise NotFound(f"The store has no named graph <{target}>; nothing was dropped.")
    refresh_search(graph)  # the search index beside the store, in step with the drop
    return {"graph": target}


def add_links(graph: DiploGraph, path: Path, *, dry_run: bool = False) -> tuple[URIRef, int]:
    """Check the links of a CSV file (Wikidata: ``entity,qid,source``; DBpedia:
    ``entity,dbpedia,source``) against ``graph`` and (unless ``dry_run``) write them into their
    named graph; returns the graph's IRI and the number of links. Raises
    :class:`~diplograph.errors.SourceError` (``file:line``, nothing written)."""
    from diplograph import iri
    from diplograph.graph.load import links as lk
    from diplograph.provenance import Source, sha256_of

    with open(path, encoding="utf-8") as fh:
        dbpedia = fh.readline().strip().replace(" ", "") == "entity,dbpedia,source"
    found: list[Any] = lk.load_dbpedia_csv(path) if dbpedia else lk.load_links_csv(path)
    problems = [
        Problem(
            f"{path}:{link.line}",
            f"the store knows nothing about {link.entity}; link only entities it holds.",
            link.entity_path,
            "entity",
        )
        for link in found
        if not graph.query(
            "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", bindings={"e": link.entity}
        ).boolean
    ]
    if problems:
        raise SourceError(
            problems,
            summary=f"{path}: {len(problems)} problem(s) in the links; nothing was written.",
        )
    target = iri.links_graph(path.stem)
    if dry_run:
        return target, len(found)
    site = "DBpedia (https://www.dbpedia.org/)" if dbpedia else (
        "Wikidata, the free knowledge base (https://www.wikidata.org/)"
    )  # fmt: skip
    source = Source(
        graph=target,
        title=f"Links to {'DBpedia' if dbpedia else 'Wikidata'} from {path.name}",
        kind="links",
        origin=str(path),
        content_hash=sha256_of([path]),
        citation=site + "; each link names the page that verifies it.",
        license=lk.CC0,
        rows_read=len(found),
    )
    triples = lk.dbpedia_link_triples(found) if dbpedia else lk.link_triples(found)
    graph.replace_graph(source, triples)
    return target, len(found)


def _link(graph: DiploGraph, args: Args, hooks: Hooks) -> Result:
    target, n = add_links(graph, Path(str(args.text("file"))))
    return {"graph": str(target), "links": n}


def _import(graph: DiploGraph, args: Args, hooks: Hooks) -> Result:
    from diplograph.graph.datasets import run_import

    files = args.values.get("files", {})
    if not isinstance(files, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise UsageError("The import argument 'files' must map input roles to paths.")
    run = run_import(
        str(args.text("dataset")), files={k: Path(v) for k, v in files.items()},
        strict=args.flag("strict"),
    )  # fmt: skip
    source, triples = run.result()  # raises SourceError in strict mode
    n = graph.replace_graph(source, triples)
    return {
        "dataset": run.dataset.name,
        "graph": str(source.graph),
        "triples": n,
        "rows_read": source.rows_read,
        "rows_skipped": source.rows_skipped,
        "skipped": [str(p) for p in run.problems],
    }


def _accept(graph: DiploGraph, args: Args, hooks: Hooks) -> Result:
    from diplograph.graph.extract import accept

    target, n = accept(graph, Path(str(args.text("file"))), origin=str(args.text("origin")))
    return {"graph": str(target), "triples": n}


def touched(name: str, result: Result) -> list[str] | None:
    """The named graphs (the metadata graph included) that the operation ``name`` wrote, read
    from its result; None when it wrote too many to name (a build)."""
    from diplograph.iri import META_GRAPH

    if name == "ingest":
        graphs = [g for report in result["reports"] for g, _ in report["graphs"]]
    elif name in ("drop", "link", "import", "accept"):
        graphs = [result["graph"]]
    else:
        return None
    return [*graphs, str(META_GRAPH)]


#: Every writing operation, by the name the command line and the server use.
WRITES: dict[str, Write] = {
    "ingest": Write(_ingest, paths=("files",)),
    "build": Write(_build),
    "drop": Write(_drop),
    "link": Write(_link, paths=("file",)),
    "import": Write(_import, paths=("files",)),
    "accept": Write(_accept, paths=("file",)),
}
