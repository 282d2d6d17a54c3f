"""Whole graphs over HTTP: the SPARQL 1.1 Graph Store Protocol (read side) and the dump.

- ``GET``/``HEAD /store?graph=<IRI>``: one named graph (Graph Store HTTP Protocol §5.2,
  indirect graph identification), in the RDF format ``Accept`` (or ``?format=``) asks for,
  Turtle by default; ``404`` for a graph the store does not hold.
- ``GET``/``HEAD /store?default``: the default graph as queries see it, the union of the named
  graphs (each triple once).
- ``GET /dump.nq`` and ``/dump.nq.gz``: every named graph as N-Quads (gzip-compressed for
  ``.gz``), streamed one graph at a time; VoID links it as ``void:dataDump``.

Every graph is read by a ``CONSTRUCT`` through the guarded executor
(:func:`~diplograph.server.context.run_query`): the guard, a worker process, the
``query_timeout`` (503 when it overruns) and the result cache. A graph is a whole resource, so it
is not cut at ``max_results`` (as an export is not): the timeout and the worker's memory limit
bound it. The dump runs one such query per named graph; the first is run before the response
starts (its failure is an HTTP error), a later failure ends the stream early, so a client sees an
incomplete transfer rather than a short dump that looks whole. The store's writes are not
paused: a dump taken while ``/update`` writes holds each graph as it was when it was read.
Writes to graphs (``PUT``/``POST``/``DELETE``) go through ``/update``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from flask import Blueprint, Response, request, stream_with_context
from rdflib import URIRef

from diplograph import formats
from diplograph.errors import NotFound, QueryError
from diplograph.server.conditional import conditional, not_modified
from diplograph.server.context import current_state, run_query, state_key
from diplograph.server.negotiation import content_type, format_param

bp = Blueprint("store", __name__)

_NAMED = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_DEFAULT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_NTRIPLES = formats.get("ntriples")


def _known(graph_iri: str) -> URIRef:
    target = URIRef(graph_iri)
    if target not in current_state().graph.named_graphs():
        raise NotFound(f"The store has no named graph <{graph_iri}>; /.well-known/void lists them.")
    return target


@bp.route("/store", methods=["GET", "HEAD"], endpoint="graph")
def graph() -> Response:
    """One graph of the store (Graph Store Protocol, read)."""
    names = request.args.getlist("graph")
    default = "default" in request.args
    if len(names) + default != 1:
        raise QueryError("Name one graph: /store?graph=<IRI> or /store?default.")
    accept, fmt = request.headers.get("Accept"), format_param()
    tag = state_key("store", names, default, accept, fmt)
    cached = not_modified(tag, vary=True)
    if cached is not None:
        return cached
    if default:
        body, _, headers = run_query(_DEFAULT, accept=accept, fmt=fmt, max_results=0)
    else:
        target = _known(names[0])
        body, _, headers = run_query(
            _NAMED, accept=accept, fmt=fmt, bindings={"g": target}, max_results=0
        )
    return conditional(Response(body, headers=headers), tag, vary=True)


def _graph_quads(target: URIRef) -> bytes:
    """One named graph as N-Quads: its N-Triples with the graph's name put in every line."""
    body, _, _ = run_query(_NAMED, fmt=_NTRIPLES, bindings={"g": target}, max_results=0)
    name = b" <" + str(target).encode("utf-8") + b"> .\n"
    return b"".join(line[:-2] + name for line in body.splitlines() if line.endswith(b" ."))


def _chunks(targets: list[URIRef], gzip: bool) -> Iterator[bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31) if gzip else None  # 31: a gzip member
    first = _graph_quads(targets[0]) if targets else b""
    for i, target in enumerate(targets):
        data = first if i == 0 else _graph_quads(target)
        yield packer.compress(data) if packer else data
    if packer:
        yield packer.flush()


@bp.get("/dump.nq", endpoint="dump", defaults={"gz": ""})
@bp.get("/dump.nq.gz", endpoint="dump", defaults={"gz": ".gz"})
def dump(gz: str) -> Response:
    """Every named graph as N-Quads, streamed one graph at a time."""
    tag = state_key("dump", gz)
    cached = not_modified(tag)
    if cached is not None:
        return cached
    targets = sorted(current_state().graph.named_graphs())
    chunks = _chunks(targets, bool(gz))
    head = next(chunks, b"")  # the first graph before the response starts: its error is a status

    def stream() -> Iterator[bytes]:
        yield head
        yield from chunks

    nquads = formats.get("nquads")
    headers = {
        "Content-Type": "application/gzip" if gz else content_type(nquads),
        "Content-Disposition": f'attachment; filename="diplograph.nq{gz}"',
    }
    return conditional(Response(stream_with_context(stream()), headers=headers), tag)
