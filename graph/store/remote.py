"""A remote SPARQL 1.1 server as a diplograph store (``sparql+http://`` / ``sparql+https://``).

Store URL: ``sparql+http[s]://[USER:PASSWORD@]HOST[:PORT]/QUERY-PATH[?OPTIONS]``; the options
(``update``, ``gsp``, ``union``, ``timeout``, ``graphs``) and credentials are described in
:mod:`.sparqlhttp`, which reads them, and in docs/stores.md. Queries go as
``application/x-www-form-urlencoded`` POSTs (SPARQL 1.1 Protocol 2.1.2/2.2.1); bindings are
injected as a VALUES block (:mod:`.sparqltext`).

Writes: every replacement of named graphs and their descriptions is ONE update request (one
transaction on Oxigraph, Fuseki/TDB2, GraphDB; Virtuoso commits per request unless its log
mode says otherwise). An existing graph gets only the difference (:mod:`.diff`). When more than
:data:`GSP_THRESHOLD` triples of a graph change and there is a ``gsp`` endpoint, the new graph
is first PUT into a staging graph and then moved into place by that one update request.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph import formats
from diplograph.errors import QueryError, StoreError
from diplograph.graph.store import (
    STAGING_PREFIX,
    DiploGraph,
    default_format,
    diff,
    sparqlhttp,
    unknown_store_url,
)
from diplograph.graph.store.results import QueryResult
from diplograph.graph.store.sparqltext import bind_values, query_form
from diplograph.graph.store.terms import from_sparql_json
from diplograph.iri import META_GRAPH
from diplograph.provenance import Source, Triple

#: Graphs larger than this go through the Graph Store Protocol when the server has one.
GSP_THRESHOLD = 50_000
#: Seconds a write request (update, GSP PUT) may take: large graphs take minutes.
WRITE_TIMEOUT = 1800.0
#: Staging graphs older than this (seconds) are dropped before the next write.
STALE_AFTER = 3600.0
_UNION_MODES = ("auto", "param", "native", "list")
_JSON = "application/sparql-results+json"
_NT = "application/n-triples"


class RemoteGraph(DiploGraph):
    """A graph held by a remote SPARQL 1.1 server. Use :func:`open_graph` with a
    ``sparql+http(s)://`` URL, or :meth:`from_url`."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        union: str = "auto",
        auth: str | None = None,
        timeout: float = 60.0,
        read_only: bool = False,
        label: str | None = None,
        graphs: Sequence[str] = (),
    ) -> None:
        if union not in _UNION_MODES:
            raise StoreError(
                f"union={union!r} in the store URL: use one of {', '.join(_UNION_MODES)}."
            )
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.union = union
        #: when set, only named graphs under these IRI prefixes belong to diplograph
        self.graph_prefixes = tuple(graphs)
        self.read_only = read_only
        self.timeout = timeout
        self.url = label or f"sparql+{query_url}"
        self._auth = auth
        self._cleaned = False

    @classmethod
    def from_url(
        cls, url: str, *, read_only: bool = False, token: str | None = None
    ) -> RemoteGraph:
        """Parse a ``sparql+http(s)://`` store URL (see the module docstring); ``token`` None
        means the ``store_token`` setting."""
        return cls(**sparqlhttp.url_options(url, token=token), read_only=read_only)

    # -- HTTP --------------------------------------------------------------------------------
    def _request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        method: str = "POST",
        headers: Mapping[str, str] | None = None,
        write: bool = False,
    ) -> tuple[bytes, Any]:
        timeout = max(self.timeout, WRITE_TIMEOUT) if write else self.timeout
        return sparqlhttp.request(
            url,
            data=data,
            method=method,
            headers=headers,
            auth=self._auth,
            timeout=timeout,
            write=write,
        )

    def _form(
        self,
        url: str,
        fields: list[tuple[str, str]],
        accept: str | None = None,
        *,
        write: bool = False,
    ) -> tuple[bytes, Any]:
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        data = urllib.parse.urlencode(fields).encode("utf-8")
        return self._request(url, data=data, headers=headers, write=write)

    def _union_mode(self) -> str:
        if self.union == "auto":
            _, headers = self._form(self.query_url, [("query", "ASK {}")], _JSON)
            server = (headers.get("Server") or "").lower()
            self.union = "param" if server.startswith("oxigraph") else "native"
        return self.union

    # -- reading -----------------------------------------------------------------------------
    def _query_fields(
        self,
        text: str,
        default_graphs: Sequence[URIRef] | None,
        named_graphs: Sequence[URIRef] | None,
    ) -> list[tuple[str, str]]:
        fields = [("query", text)]
        if default_graphs is not None:
            fields += [("default-graph-uri", str(g)) for g in default_graphs]
        else:
            mode = self._union_mode()
            if mode == "param":
                fields.append(("union-default-graph", ""))
            elif mode == "list":
                # an empty list would mean the server's own default: name a graph that is not
                ours = [str(g) for g in self.named_graphs()] or [STAGING_PREFIX + "none"]
                fields += [("default-graph-uri", g) for g in ours]
                if named_graphs is None and self.graph_prefixes:
                    fields += [("named-graph-uri", g) for g in ours]
        if named_graphs is not None:
            fields += [("named-graph-uri", str(g)) for g in named_graphs]
        return fields

    def _raw(
        self,
        sparql: str,
        accept: str,
        bindings: Mapping[str, Node] | None,
        default_graphs: Sequence[URIRef] | None,
        named_graphs: Sequence[URIRef] | None,
    ) -> tuple[str, bytes, str]:
        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("This is a SPARQL Update, not a query; use update().")
        text = bind_values(sparql, bindings) if bindings else sparql
        body, headers = self._form(
            self.query_url, self._query_fields(text, default_graphs, named_graphs), accept
        )
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return form, body, ctype

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        form = query_form(sparql)
        accept = _NT if form in ("CONSTRUCT", "DESCRIBE") else _JSON
        form, body, ctype = self._raw(sparql, accept, bindings, default_graphs, named_graphs)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("CONSTRUCT", triples=sparqlhttp.parse_graph(body, ctype))
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise StoreError(
                f"The SPARQL server sent {ctype or 'an unknown type'}, not SPARQL JSON results."
            ) from exc
        if "boolean" in doc:
            return QueryResult("ASK", boolean=bool(doc["boolean"]))
        if form == "ASK":  # Virtuoso answers ASK in JSON as one row of ?__ASK_RETVAL
            rows = doc.get("results", {}).get("bindings", [])
            values = [v.get("value") for row in rows for v in row.values()]
            return QueryResult("ASK", boolean=bool(values) and values[0] not in ("0", "false"))
        names = list(doc.get("head", {}).get("vars", []))
        rows = [
            tuple(from_sparql_json(b[n]) if n in b else None for n in names)
            for b in doc.get("results", {}).get("bindings", [])
        ]
        return QueryResult("SELECT", names, rows)

    def query_serialized(
        self,
        sparql: str,
        fmt: formats.Format | None = None,
        *,
        bindings: Mapping[str, Node] | None = None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
    ) -> tuple[bytes, formats.Format]:
        form = query_form(sparql)
        kind = "CONSTRUCT" if form in ("CONSTRUCT", "DESCRIBE") else form
        chosen = fmt or default_format(kind)
        if kind == "ASK" and chosen.key in ("csv", "tsv"):
            chosen = formats.get("json")
        wanted = {"CONSTRUCT": ("graph", "dataset")}.get(kind, ("results",))
        if chosen.kind not in wanted:
            raise QueryError(f"A {kind} result cannot be written as {chosen.label}.")
        # servers write graphs as triples in dataset formats, and JSON-LD/N3 vary: convert those
        native = chosen.kind != "dataset" and chosen.key not in ("jsonld", "n3")
        if native:
            _, body, ctype = self._raw(
                sparql, chosen.media_type, bindings, default_graphs, named_graphs
            )
            if ctype in chosen.media_types:
                return body, chosen
        # the server answered in another format (or is not asked): convert a parsed result
        result = self.query(
            sparql, bindings=bindings, default_graphs=default_graphs, named_graphs=named_graphs
        )
        return result.serialize(chosen), chosen

    def _all_graphs(self) -> list[URIRef]:
        # GRAPH ?g {} lists empty graphs too, but Virtuoso answers it with one empty row
        for pattern in ("{ }", "{ ?s ?p ?o }"):
            text = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} }}"
            body, _ = self._form(self.query_url, [("query", text)], _JSON)
            rows = json.loads(body)["results"]["bindings"]
            if all("g" in b for b in rows):
                break
        return sorted(URIRef(b["g"]["value"]) for b in rows if b["g"].get("type") == "uri")

    def _ours(self, graph: URIRef) -> bool:
        text = str(graph)
        if text.startswith(STAGING_PREFIX):
            return False
        return not self.graph_prefixes or text.startswith(self.graph_prefixes)

    def named_graphs(self) -> list[URIRef]:
        return [g for g in self._all_graphs() if self._ours(g)]

    def count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            where = f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        elif self.graph_prefixes:
            return sum(self.count(g) for g in self.named_graphs())
        else:
            where = f'GRAPH ?g {{ ?s ?p ?o }} FILTER (!STRSTARTS(STR(?g), "{STAGING_PREFIX}"))'
        res = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", default_graphs=[])
        n = res.rows[0][0] if res.rows else None
        return int(n) if isinstance(n, Literal) else 0

    def quads(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        targets = [graph] if graph is not None else self.named_graphs()
        for g in targets:
            res = self.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
                default_graphs=[],
            )
            for s, p, o in res.triples:
                yield s, p, o, g

    # -- writing -----------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"The store {self.url} was opened read-only.")
        if not self._cleaned:
            # staging graphs left by a killed load are invisible garbage: drop them, but only
            # old ones, so that another writer's load in progress is left alone
            self._cleaned = True
            stale = [g for g in self._all_graphs() if _stale(str(g))]
            if stale:
                self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in stale))

    def _update(self, text: str) -> None:
        self._form(self.update_url, [("update", text)], write=True)

    def update(self, sparql: str) -> None:
        self._writable()
        self._update(sparql)
        self._generation += 1

    def replace_graphs(self, items: Sequence[tuple[Source, Iterable[Triple]]]) -> list[int]:
        self._writable()
        ops: list[str] = []
        counts: list[int] = []
        when = datetime.now(UTC).replace(microsecond=0)  # one write, one load time
        existing = set(self._all_graphs())
        for source, triples in items:
            data = list(dict.fromkeys(triples))  # a graph is a set: no duplicates
            new = diff.keys_of(data)
            counts.append(len(new))
            target = f"<{source.graph}>"
            old = self._graph_keys(source.graph) if source.graph in existing else set()
            changed = len(old ^ new)
            if self.gsp_url and changed > GSP_THRESHOLD:
                staging = f"{STAGING_PREFIX}{int(time.time())}-{os.urandom(8).hex()}"
                self._gsp_put(staging, data)
                # no SILENT: if the staging graph went missing, the whole request fails
                ops += [f"DROP SILENT GRAPH {target}", f"MOVE GRAPH <{staging}> TO {target}"]
            elif source.graph in existing:
                ops += diff.update_ops(old, new, target)  # only what changed
            else:
                # CREATE: a source with no triples still has its (empty) named graph
                ops.append(diff.insert_op(target, new) if new else f"CREATE SILENT GRAPH {target}")
            meta = _ntriples(source.metadata(triples=len(new), loaded_at=when))
            ops += [
                f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ {target} ?p ?o }} }}",
                f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {meta} }} }}",
            ]
        if ops:
            self._update(" ;\n".join(ops))  # one request: one transaction on the server
        self._generation += 1
        return counts

    def _graph_keys(self, graph: URIRef) -> set[diff.Key]:
        """The triples of one named graph on the server, as N-Triples keys."""
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body, headers = self._form(self.query_url, [("query", text)], _NT)
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fmt = formats.negotiate(ctype or _NT, kinds=("graph",))
        try:
            return diff.keys_of_quads(ox.parse(body, getattr(ox.RdfFormat, fmt.oxigraph or "")))
        except SyntaxError as exc:
            raise StoreError(f"The SPARQL server sent an unreadable graph: {exc}") from exc

    def _gsp_put(self, graph: str, triples: list[Triple]) -> None:
        assert self.gsp_url is not None
        sep = "&" if "?" in self.gsp_url else "?"
        url = f"{self.gsp_url}{sep}{urllib.parse.urlencode({'graph': graph})}"
        self._request(
            url,
            data=_ntriples(triples, sep="\n").encode("utf-8"),
            method="PUT",
            headers={"Content-Type": _NT},
            write=True,
        )

    def drop_graph(self, graph: URIRef) -> bool:
        self._writable()
        existed = graph in self.named_graphs()
        self._update(
            f"DROP SILENT GRAPH <{graph}> ;\n"
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> ?p ?o }} }}"
        )
        self._generation += 1
        return existed


def open_url(url: str, *, read_only: bool = False, token: str | None = None) -> RemoteGraph:
    """Open a ``sparql+http://`` or ``sparql+https://`` store URL."""
    if not url.startswith(("sparql+http://", "sparql+https://")):
        raise unknown_store_url(url)
    return RemoteGraph.from_url(url, read_only=read_only, token=token)


def _stale(graph: str, *, age: float = STALE_AFTER) -> bool:
    """A staging graph named ``<prefix><epoch>-<random>`` older than ``age`` seconds (or with
    another name under the prefix, left by an older version)."""
    if not graph.startswith(STAGING_PREFIX):
        return False
    stamp = graph[len(STAGING_PREFIX) :].split("-", 1)[0]
    return not stamp.isdigit() or time.time() - int(stamp) > age


def _ntriples(triples: Iterable[Triple], sep: str = " ") -> str:
    return sep.join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
