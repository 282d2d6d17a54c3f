"""A network export drawn in a process of its own: ``python -m diplograph.server.export_proc FD
PREFIXES MEMORY_MB``, started by :mod:`.export_runner`.

Drawing a whole view is Python work: reading the rows of a few dozen queries, building a networkx
graph, grouping it and writing it out (about 40 MB of JSON for the ``full`` view of the bundled
store). Done in the server, it held the interpreter lock for seconds and took its memory with it
while every other request waited. Here it runs in a process that starts like a query worker
(:func:`.worker.start`: it dies with the server, has no network where the platform allows, and a
capped address space), and whose queries still go through the server's guarded executor: the
process sends each query's text to the server, which runs it as it runs a page's (the guard, a
query worker, ``query_timeout``) and sends the result back. It never touches the store.

Messages (pickled tuples) from the server: :class:`Job`. To the server, while drawing:
``("run", text, accept, format key, default graphs, named graphs)`` (answered ``(body, format
key, truncated)``), ``("named_graphs",)`` (answered with the graph IRIs), ``("urls", iris)``
(answered with the URL the server shows each at); and at the end ``("done", bytes, nodes,
edges)`` or ``("error", exception)`` for a view or filter that does not apply (400/404).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rdflib import URIRef

from diplograph import formats
from diplograph.errors import DiplographError
from diplograph.graph.network import build_view
from diplograph.graph.network.aggregate import aggregate, edge_type, keep_best_connected
from diplograph.graph.network.export import export, network_format
from diplograph.graph.network.filters import Filters
from diplograph.graph.store import DiploGraph
from diplograph.server.guarded_graph import GuardedGraph, Ran


class Job(NamedTuple):
    """One export: the view, its filters, ``group`` and ``top`` (0: off) and the format."""

    view: str
    filters: Filters
    group: int
    top: int
    fmt: str


def draw(
    graph: DiploGraph, job: Job, urls: Callable[[list[str]], list[str]]
) -> tuple[bytes, int, int]:
    """``job`` drawn from ``graph``: (bytes, nodes, edges). ``urls``: where this server shows
    each IRI (Cytoscape JSON gives each node its ``url``). Used here and, with no export
    processes (``workers = 0``), in the server itself."""
    chosen = network_format(job.fmt)
    g = build_view(graph, job.view, filters=job.filters)
    g = keep_best_connected(aggregate(g, limit=job.group), job.top, keep=job.filters.actors)
    if chosen.key == "cytoscape":
        nodes = [(n, d) for n, d in g.nodes(data=True) if "iri" in d]
        for (_, d), url in zip(nodes, urls([str(d["iri"]) for _, d in nodes]), strict=True):
            d["url"] = url
        for _, _, d in g.edges(data=True):
            d["type"] = edge_type(d)
    return export(g, chosen), g.number_of_nodes(), g.number_of_edges()


class RemoteGraph(GuardedGraph):
    """The store as the export process sees it: each query asked of the server, which runs it
    through its guarded executor."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.url = "export"
        self.max_results = 0

    def ask(self, *message: object) -> Any:
        self.conn.send(message)
        return self.conn.recv()

    @property
    def generation(self) -> int:
        return 0

    def named_graphs(self) -> list[URIRef]:
        return [URIRef(g) for g in self.ask("named_graphs")]

    def run_text(
        self,
        text: str,
        *,
        accept: str | None = None,
        fmt: formats.Format | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> Ran:
        body, key, truncated = self.ask(
            "run", text, accept, fmt.key if fmt else None, default_graphs, named_graphs
        )
        return Ran(body, formats.get(key), truncated)


def serve(conn: Any) -> int:
    """Draw the server's jobs until it closes the connection."""
    graph = RemoteGraph(conn)
    while True:
        try:
            job = Job(*conn.recv())
        except (EOFError, OSError):
            return 0
        try:
            data, nodes, edges = draw(graph, job, lambda iris: graph.ask("urls", iris))
        except DiplographError as exc:
            conn.send(("error", exc))
            continue
        conn.send(("done", data, nodes, edges))


def main(argv: Sequence[str]) -> int:
    from diplograph.server.sandbox import limit_memory
    from diplograph.server.worker import start

    conn, _, _, memory_mb, _ = start(argv)
    limit_memory(memory_mb)
    return serve(conn)


if __name__ == "__main__":  # pragma: no cover - runs in the export process
    from diplograph.server import export_proc as _imported

    sys.exit(_imported.main(sys.argv[1:]))
