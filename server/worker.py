"""A query worker: one process that holds an in-memory copy of the store and answers queries.

The server (:mod:`.execution`) starts workers with ``python -m diplograph.server.worker FD``,
talks to each over a socket (``multiprocessing.connection``) and kills one that overruns the
query timeout: pyoxigraph cannot be interrupted, a process can. A worker is single-threaded and
answers one message at a time, so the copy it queries is never between two writes.

Messages (pickled tuples):

- ``("query", sync, request)`` → ``("ok", generation, body, format_key, truncated)`` or
  ``("error", kind, message, generation)`` with kind ``syntax``, ``failed`` or ``bug``;
- ``sync`` is a list of ``("load", path, generation)`` (replace the copy with an N-Quads
  snapshot) and ``("update", text, generation)`` (replay a write), applied before the query.

:func:`execute` is also used in-process (setting ``workers = 0``). This module imports only
pyoxigraph and the standard library so that a worker starts fast.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

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
DATASET_FORMATS = ("trig", "nquads")
BOOLEAN_FORMATS = {"json": "JSON", "xml": "XML"}

Wire = tuple[str, str, str | None, str | None]  # (kind, value, datatype, language)


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


# -- SELECT results writers (SPARQL 1.1 Query Results JSON, XML, CSV, TSV) ----------------------


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
            f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
            "</object></triple>"
        )
    return f"<literal>{escape(str(term))}</literal>"


def _csv_field(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    elif isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_field(term: Any) -> str:
    if term is None:
        return ""
    text = str(term)  # N-Triples syntax; newlines and quotes are already escaped
    return text.replace("\t", "\\t")


def write_select(
    variables: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, truncated: bool
) -> bytes:
    """SELECT rows (pyoxigraph terms or None) in one of the four SPARQL results formats."""
    if fmt == "json":
        doc: dict[str, Any] = {
            "head": {"vars": list(variables)},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows
                ]
            },
        }
        if truncated:
            doc["truncated"] = True
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n', f'<sparql xmlns="{RESULTS_NS}"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(variables)]
        lines += [",".join(_csv_field(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_field(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a SELECT results format: {fmt}")


# -- running a query ------------------------------------------------------------------------------


def execute(
    store: ox.Store, request: Any, prefixes: dict[str, str] | None = None
) -> tuple[bytes, bool]:
    """Run one :class:`~diplograph.server.execution.QueryRequest` on ``store``: the complete
    serialised result and whether it was cut at ``max_results``. Raises ``SyntaxError`` for a
    bad query and ``OSError`` for a failure while evaluating."""
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
        variables = [v.value for v in result.variables]
        rows, truncated = _take(result, cap)
        n = len(variables)
        values = [tuple(sol[i] for i in range(n)) for sol in rows]
        return write_select(variables, values, request.fmt, truncated), truncated
    triples, truncated = _take(result, cap)
    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[request.fmt])
    items: Iterable[Any] = triples
    if request.fmt in DATASET_FORMATS:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    data = ox.serialize(
        items,
        format=rdf_format,
        prefixes=prefixes if request.fmt in ("turtle", "trig", "n3") else None,
    )
    return bytes(data or b""), truncated


def _take(results: Iterable[Any], cap: int) -> tuple[list[Any], bool]:
    out: list[Any] = []
    if cap <= 0:
        return list(results), False
    for item in results:
        if len(out) == cap:
            return out, True
        out.append(item)
    return out, False


def apply_sync(
    store: ox.Store, sync: Sequence[tuple[str, str, int]], generation: int
) -> tuple[ox.Store, int]:
    """Bring a copy up to date: load a snapshot and/or replay writes, in order."""
    for op, arg, gen in sync:
        if op == "load":
            store = ox.Store()
            store.bulk_load(path=arg, format=ox.RdfFormat.N_QUADS)
        elif op == "update":
            store.update(arg)
        generation = gen
    return store, generation


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the server dies (a runaway query must not outlive
    it)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: Sequence[str]) -> int:
    from multiprocessing.connection import Connection

    _die_with_parent()
    conn = Connection(int(argv[0]))
    prefixes = json.loads(argv[1]) if len(argv) > 1 else {}
    store, generation = ox.Store(), -1
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return 0
        op, sync, fields = message
        try:
            store, generation = apply_sync(store, sync, generation)
        except Exception:
            # the copy may be half updated: say so, and the server replaces this worker
            conn.send(("error", "sync", traceback.format_exc()))
            return 1
        if op == "sync":
            conn.send(("ok", generation, b"", "", False))
            continue
        request = SimpleNamespace(**fields)
        try:
            body, truncated = execute(store, request, prefixes)
            reply: tuple[Any, ...] = ("ok", generation, body, request.fmt, truncated)
        except SyntaxError as exc:
            reply = ("error", "syntax", str(exc), generation)
        except (OSError, ValueError) as exc:
            reply = ("error", "failed", str(exc), generation)
        except Exception:
            reply = ("error", "bug", traceback.format_exc(), generation)
        conn.send(reply)


if __name__ == "__main__":  # pragma: no cover - runs in the worker process
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main(sys.argv[1:]))
