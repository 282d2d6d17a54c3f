"""A query worker: one process that holds an in-memory copy of the store and answers queries.

The server (:mod:`.pool`) starts workers with ``python -m diplograph.server.worker FD PREFIXES
MEMORY_MB LONG_QUERY``,
talks to each over a socket (``multiprocessing.connection``) and kills one that overruns the
query timeout: pyoxigraph cannot be interrupted, a process can. A worker answers one message at
a time (a query in a thread of its own, see below, while the main thread waits for it), so the
copy it queries is never between two writes.

Messages (pickled named tuples, defined here and used on both sides):

- first, unasked, the worker says :class:`Hello` ``(isolation)``: ``"netns"`` when it runs
  without any network (:func:`.sandbox.isolate_network`), else ``"none: <why>"``;
- the server sends :class:`Message` ``(op, sync, request)``: ``op`` is ``"query"`` (``request``
  is a :class:`~diplograph.server.execution.QueryRequest` as a dict), ``"update"`` (an
  :class:`~diplograph.server.execution.UpdateRequest`: evaluate it on the copy, answer what it
  changes as :class:`Changes` and leave the copy as it was, see :mod:`.update_delta`),
  ``"batch"`` (``request`` is ``{"queries": [...]}``, several of them: each answered as a query,
  in order, up to the first :class:`Failure`, and the replies sent back as one list) or
  ``"sync"`` (no request: only bring the copy up to date); ``sync`` is a list of
  :class:`SyncOp`: ``("load", path, generation)`` (replace the copy with an N-Quads snapshot)
  and ``("update", text, generation)`` (replay a write), applied before the query;
- the worker answers :class:`Answer` ``(generation, body, format_key, truncated)`` (``body``
  empty for a sync), or :class:`Failure` ``(kind, message, generation)`` with kind ``syntax``,
  ``failed`` or ``bug`` (the sync was applied, the query failed), or ``sync`` (the copy could
  not be brought up to date: the worker exits and is replaced).

Each query runs in a new thread. One still running after ``LONG_QUERY`` seconds (the fourth
argument; 0: never) has that thread moved to the idle CPU class (``SCHED_IDLE``), so it only
uses CPU time that nothing else wants; the next query's thread starts at normal priority again,
which needs no privilege (pyoxigraph releases the GIL while it evaluates).

:func:`execute` is also used in-process (setting ``workers = 0``). This module imports only
pyoxigraph, the standard library and :mod:`.sandbox` so that a worker starts fast. A worker is
either started on its own (this module's ``main``) or forked, with the store already loaded, by
the zygote (:mod:`.zygote`); either way it runs :func:`serve`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, NamedTuple

import pyoxigraph as ox

from diplograph.server.sandbox import (
    AUTO_MEMORY,
    die_with_parent,
    isolate_network,
    limit_memory,
)

#: format key → pyoxigraph RdfFormat name, for CONSTRUCT/DESCRIBE results
RDF_FORMATS = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON_LD",
    "n3": "N3",
    "trig": "TRIG",
    "nquads": "N_QUADS",
}
BOOLEAN_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
RESULTS_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}

Wire = tuple[str, str, str | None, str | None]  # (kind, value, datatype, language)


class SyncOp(NamedTuple):
    """One step that brings a copy up to date."""

    op: str  # "load" (an N-Quads snapshot) or "update" (a write to replay)
    arg: str  # the snapshot's path, or the update's text
    generation: int  # the store generation the copy is at after this step


class Message(NamedTuple):
    """From the server to a worker."""

    op: str  # "query", "update", "batch" or "sync"
    sync: list[SyncOp]
    request: dict[str, Any] | None  # a QueryRequest as a dict, for "query"


class Hello(NamedTuple):
    """The worker's first message."""

    isolation: str


class Answer(NamedTuple):
    """A query's result (or a finished sync, with an empty body)."""

    generation: int
    body: bytes
    fmt: str
    truncated: bool


class Changes(NamedTuple):
    """What an update would change (:func:`.update_delta.evaluate`): an update of concrete data
    (``""``: nothing) and whether it stands exactly for the update evaluated."""

    generation: int
    update: str
    exact: bool


class Failure(NamedTuple):
    """A query that failed (``syntax``, ``failed``, ``bug``) or a copy that could not be brought
    up to date (``sync``)."""

    kind: str
    message: str
    generation: int


Reply = Hello | Answer | Changes | Failure | list[Answer | Failure]  # the list: a batch's


def to_term(wire: Wire) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term from its wire form (see ``execution.encode_bindings``)."""
    kind, value, datatype, language = wire
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


# -- running a query ------------------------------------------------------------------------------
#
# Results are written by pyoxigraph, never term by term in Python (that is 3x slower). The cap is
# applied on the line-based form of the result (TSV for solutions, N-Triples for graphs: one row
# or triple per line, newlines inside literals escaped), which is then cut after ``cap`` lines and,
# when another format is wanted, parsed back and written natively. The round trip is exact.


class _Enough(Exception):
    """Raised from inside pyoxigraph's writer once more lines than wanted have arrived."""


class OverBudget(Exception):
    """A result ran past the ``deadline`` or ``max_lines`` given to :func:`execute` (the
    server's in-process fast path, :mod:`.fastpath`, then hands the query to a worker)."""


class _LineBuffer(io.RawIOBase):
    """A write target that stops the serialisation (and so the lazy evaluation feeding it) once
    it holds more than ``keep`` lines: a capped query costs only what it returns. Past
    ``deadline`` (``time.monotonic()``) or ``limit`` lines it raises :class:`OverBudget`."""

    def __init__(self, keep: int, deadline: float | None = None, limit: int = 0) -> None:
        super().__init__()
        self.keep = keep
        self.deadline = deadline
        self.limit = limit
        self.lines = 0
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.lines += chunk.count(b"\n")
        if self.keep and self.lines > self.keep:
            raise _Enough  # the cap cuts the result: not over any budget
        if (self.limit and self.lines > self.limit) or (
            self.deadline is not None and time.monotonic() > self.deadline
        ):
            raise OverBudget
        return len(chunk)


def _write_lines(result: Any, fmt: Any, keep: int, out: _LineBuffer) -> tuple[bytes, bool]:
    """``result`` written in a line-based format into ``out``, cut after ``keep`` lines (0:
    all), and whether anything was cut."""
    with contextlib.suppress(_Enough):
        result.serialize(out, format=fmt)
    data = b"".join(out.parts)
    if not keep or out.lines <= keep:
        return data, False
    return b"\n".join(data.split(b"\n", keep)[:keep]) + b"\n", True


def execute(
    store: ox.Store,
    request: Any,
    prefixes: dict[str, str] | None = None,
    *,
    deadline: float | None = None,
    max_lines: int = 0,
) -> tuple[bytes, bool]:
    """Run one :class:`~diplograph.server.execution.QueryRequest` on ``store``: the complete
    serialised result and whether it was cut at ``max_results``. Raises ``SyntaxError`` for a
    bad query, ``OSError`` for a failure while evaluating, and :class:`OverBudget` when the
    result is still being written at ``deadline`` or has more than ``max_lines`` lines."""
    kwargs: dict[str, Any] = {}
    if request.default_graphs is not None or request.named_graphs is not None:
        # the protocol's dataset replaces the query's own (Protocol §2.1.4)
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs or []]
    elif not request.uses_dataset_clause:
        kwargs["use_default_graph_as_union"] = True
    if request.bindings:
        kwargs["substitutions"] = {ox.Variable(k): to_term(v) for k, v in request.bindings.items()}
    if request.base_iri:
        kwargs["base_iri"] = request.base_iri
    result = store.query(request.sparql, **kwargs)
    cap = request.max_results or 0
    if isinstance(result, ox.QueryBoolean):
        fmt = BOOLEAN_FORMATS.get(request.fmt, "JSON")
        return bytes(result.serialize(format=getattr(ox.QueryResultsFormat, fmt)) or b""), False
    if isinstance(result, ox.QuerySolutions):
        # + 1: the header line
        keep = cap + 1 if cap else 0
        out = _LineBuffer(keep, deadline, max_lines + 1 if max_lines else 0)
        tsv, truncated = _write_lines(result, ox.QueryResultsFormat.TSV, keep, out)
        if request.fmt == "tsv":
            return tsv, truncated
        solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        target = getattr(ox.QueryResultsFormat, RESULTS_FORMATS[request.fmt])
        body = bytes(solutions.serialize(format=target) or b"")
        return say_truncated(body, request.fmt, cap) if truncated else body, truncated
    nt, truncated = _write_lines(
        result, ox.RdfFormat.N_TRIPLES, cap, _LineBuffer(cap, deadline, max_lines)
    )
    if request.fmt == "ntriples":
        return say_truncated(nt, request.fmt, cap) if truncated else nt, truncated
    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[request.fmt])
    quads = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)  # in the default graph, for TriG too
    data = ox.serialize(
        quads,
        format=rdf_format,
        prefixes=prefixes if request.fmt in ("turtle", "trig", "n3") else None,
    )
    body = bytes(data or b"")
    return say_truncated(body, request.fmt, cap) if truncated else body, truncated


#: The node a truncated JSON-LD graph ends with (JSON has no comments): ``[] dg:truncatedAt N``.
TRUNCATED_AT = "https://w3id.org/diplograph/ontology#truncatedAt"


def say_truncated(body: bytes, fmt: str, cap: int) -> bytes:
    """``body``, cut at ``cap`` rows or triples, saying so in its own format: a ``#`` comment at
    the end of Turtle, N-Triples, N3, TriG and N-Quads, an XML comment after RDF/XML and SPARQL
    XML, ``"truncated": true`` in SPARQL JSON, a ``[] dg:truncatedAt cap`` node in JSON-LD.
    CSV and TSV have no place for it (the header ``X-Diplograph-Truncated`` says it)."""
    note = f"diplograph: cut at max_results = {cap}; the full result has more"
    if fmt in ("turtle", "ntriples", "n3", "trig", "nquads"):
        return body + (b"" if body.endswith(b"\n") or not body else b"\n") + f"# {note}\n".encode()
    if fmt in ("rdfxml", "xml"):
        return body.rstrip() + f"\n<!-- {note} -->\n".encode()
    text = body.rstrip()
    if fmt == "json" and text.endswith(b"}"):
        return text[:-1] + b',"truncated":true}'
    if fmt == "jsonld" and text.endswith(b"]"):
        node = json.dumps({"@id": "_:truncated", TRUNCATED_AT: cap}).encode()
        return text[:-1] + (b"," if text != b"[" else b"") + node + b"]"
    return body


def apply_sync(store: ox.Store, sync: Sequence[SyncOp], generation: int) -> tuple[ox.Store, int]:
    """Bring a copy up to date: load a snapshot and/or replay writes, in order."""
    for op, arg, gen in sync:
        if op == "load":
            store = ox.Store()
            store.bulk_load(path=arg, format=ox.RdfFormat.N_QUADS)
        elif op == "update":
            store.update(arg)
        generation = gen
    return store, generation


def _demote(thread: threading.Thread) -> None:
    """Move ``thread`` to the idle CPU class (Linux; a no-op elsewhere)."""
    if thread.native_id is None:  # the thread has ended
        return
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(thread.native_id, os.SCHED_IDLE, os.sched_param(0))


def answer(
    store: ox.Store, request: Any, prefixes: dict[str, str], generation: int, long_query: float
) -> Answer | Failure:
    """The reply to one query, computed in a thread of its own that is demoted (see the module
    docstring) when it runs past ``long_query`` seconds."""
    box: list[Answer | Failure] = []

    def run() -> None:
        try:
            body, truncated = execute(store, request, prefixes)
            box.append(Answer(generation, body, request.fmt, truncated))
        except SyntaxError as exc:
            box.append(Failure("syntax", str(exc), generation))
        except (OSError, ValueError) as exc:
            box.append(Failure("failed", str(exc), generation))
        except BaseException:
            box.append(Failure("bug", traceback.format_exc(), generation))

    thread = threading.Thread(target=run, name="query", daemon=True)
    thread.start()
    if long_query > 0:
        thread.join(long_query)
        if thread.is_alive():
            _demote(thread)
    thread.join()
    return box[0]


def start(argv: Sequence[str]) -> tuple[Any, str, dict[str, str], int, float]:
    """What a worker (or the zygote, :mod:`.zygote`) does first: die with the server, cut
    itself off from the network, and say :class:`Hello`. Returns the socket to the server, the
    isolation, and the arguments ``PREFIXES MEMORY_MB LONG_QUERY [NETWORK]``."""
    from multiprocessing.connection import Connection

    die_with_parent()
    reason = argv[4] if len(argv) > 4 else ""  # the server says why it keeps the network
    if not reason and os.environ.get("DIPLOGRAPH_WORKER_NETWORK") == "1":
        reason = "DIPLOGRAPH_WORKER_NETWORK=1"
    isolation = f"none: {reason}" if reason else isolate_network()
    conn = Connection(int(argv[0]))
    conn.send(Hello(isolation))
    prefixes = json.loads(argv[1]) if len(argv) > 1 else {}
    memory_mb = int(argv[2]) if len(argv) > 2 else 0
    long_query = float(argv[3]) if len(argv) > 3 else 0.0
    return conn, isolation, prefixes, memory_mb, long_query


def serve(
    conn: Any,
    store: ox.Store,
    generation: int,
    prefixes: dict[str, str],
    long_query: float,
    memory_mb: int = 0,
) -> int:
    """Answer the server's messages on ``conn`` until it closes (0) or a copy cannot be brought
    up to date (1)."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return 0
        op, sync, fields = Message(*message)
        try:
            if memory_mb == AUTO_MEMORY:
                limit_memory(memory_mb, sync)
            store, generation = apply_sync(store, sync, generation)
        except Exception:
            # the copy may be half updated: say so, and the server replaces this worker
            conn.send(Failure("sync", traceback.format_exc(), generation))
            return 1
        if op == "sync" or fields is None:
            conn.send(Answer(generation, b"", "", False))
            continue
        if op == "update":
            from diplograph.server.update_delta import reply_to

            reply = reply_to(store, fields, generation)
            conn.send(reply)
            if isinstance(reply, Failure) and reply.kind == "sync":
                return 1
            continue
        replies: list[Answer | Failure] = []
        for one in fields["queries"] if op == "batch" else [fields]:
            replies.append(answer(store, SimpleNamespace(**one), prefixes, generation, long_query))
            if isinstance(replies[-1], Failure):
                break
        conn.send(replies if op == "batch" else replies[0])


def main(argv: Sequence[str]) -> int:
    conn, _, prefixes, memory_mb, long_query = start(argv)
    limit_memory(memory_mb)
    return serve(conn, ox.Store(), -1, prefixes, long_query, memory_mb)


if __name__ == "__main__":  # pragma: no cover - runs in the worker process
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # run this module's copy under its import name, so that the replies pickle as
    # diplograph.server.worker.Answer (not __main__.Answer), which the server can read
    from diplograph.server import worker as _imported

    sys.exit(_imported.main(sys.argv[1:]))
