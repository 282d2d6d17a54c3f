"""Checks a query or update must pass before any engine sees it.

Oxigraph aborts the whole process on deeply nested queries, rdflib fetches ``FROM`` graphs from
the web, and ``SERVICE``/``LOAD`` make outbound requests with no socket timeout (issue 10, hazards
2 and 3). So the text is scanned here, with a small tokenizer that skips strings, IRIs and
comments, for: its length, its nesting depth, ``SERVICE`` (refused unless allow-listed),
``FROM``/``FROM NAMED`` of graphs the store does not hold (refused unless allow-listed) and
``LOAD`` (refused unless allow-listed). The scan also finds the query form and, for updates,
where the ``using-graph-uri`` protocol parameters go (SPARQL 1.1 Protocol §2.2.3).

>>> check_query("SELECT * { ?s ?p ?o }").form
'SELECT'
>>> check_query("SELECT * { SERVICE <http://x.example/q> { ?s ?p ?o } }",
...             service_allowlist=["http://x.example/"]).services
['http://x.example/q']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from diplograph.errors import QueryError


class ForbiddenQuery(QueryError):
    """A query or update uses a form this server refuses (SERVICE, LOAD, unknown FROM graph)."""

    http_status = 403


class QueryTooLarge(QueryError):
    """A query or update is longer or nested deeper than the server accepts."""

    http_status = 400


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s{}()\[\],;.<>"'=!|&+*/^]+)
  | (?P<word>[A-Za-z_][\w\-]*(?::(?:[\w\-.%:]*[\w\-%:])?)?|:(?:[\w\-.%:]*[\w\-%:])?)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.X | re.S,
)

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # nesting depth at the token (an opening bracket has the depth outside it)

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of SPARQL text (whitespace and comments dropped)."""
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield Token(kind, m.group(), m.start(), depth)
        if kind == "open":
            depth += 1


@dataclass
class Checked:
    """What the scan found in a query or update."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    has_using: bool = False  # USING / USING NAMED / WITH in an update
    modify_wheres: list[int] = field(default_factory=list)  # offsets of DELETE/INSERT … WHERE
    delete_where: bool = False  # the DELETE WHERE short form

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def _size(text: str, *, max_length: int, max_nesting: int, what: str) -> list[Token]:
    if max_length and len(text) > max_length:
        raise QueryTooLarge(
            f"The {what} is {len(text):,} characters long; this server accepts "
            f"at most {max_length:,} (setting max_query_length)."
        )
    toks: list[Token] = []
    deepest, depth = 0, 0
    for t in tokens(text):  # stops at the first bracket too deep, however long the text
        toks.append(t)
        if t.kind == "open":
            depth = t.depth + 1
            deepest = max(deepest, depth)
            if max_nesting and deepest > max_nesting:
                line = text.count("\n", 0, t.start) + 1
                raise QueryTooLarge(
                    f"The {what} nests brackets deeper than {max_nesting} levels (line {line}); "
                    "this server refuses deeper nesting (setting max_nesting)."
                )
    return toks


def _iri(tok: Token | None, prefixes: dict[str, str]) -> str | None:
    """The IRI a token stands for (``<…>`` or a prefixed name), None for a variable or junk."""
    if tok is None:
        return None
    if tok.kind == "iri":
        return tok.text[1:-1]
    if tok.kind == "word" and ":" in tok.text:
        pfx, _, local = tok.text.partition(":")
        if pfx in prefixes:
            return prefixes[pfx] + local
        return tok.text
    return None


def _scan(toks: Sequence[Token]) -> Checked:
    checked = Checked(form="UPDATE")
    prefixes: dict[str, str] = {}
    form_found = False
    n = len(toks)

    def at(i: int) -> Token | None:
        return toks[i] if 0 <= i < n else None

    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        word = t.upper
        if word == "PREFIX":
            name, target = at(i + 1), at(i + 2)
            if name is not None and target is not None and target.kind == "iri":
                prefixes[name.text.rstrip(":")] = target.text[1:-1]
        elif word in _FORMS and not form_found and t.depth == 0:
            checked.form, form_found = word, True
        elif word == "FROM":
            nxt = at(i + 1)
            if nxt is not None and nxt.upper == "NAMED":
                checked.from_named.append(_iri(at(i + 2), prefixes) or "")
            else:
                checked.from_graphs.append(_iri(nxt, prefixes) or "")
        elif word in ("SERVICE", "LOAD"):
            j = i + 1
            nxt = at(j)
            if nxt is not None and nxt.upper == "SILENT":
                j += 1
            operand = at(j)
            iri = _iri(operand, prefixes)
            if iri is None:  # a variable (SERVICE ?x) or junk: refused by name
                iri = operand.text if operand is not None else ""
            (checked.services if word == "SERVICE" else checked.loads).append(iri)
        elif word in ("USING", "WITH") and t.depth == 0:
            checked.has_using = True
        elif word == "WHERE" and t.depth == 0:
            prev = at(i - 1)
            if prev is not None and prev.kind == "close":
                checked.modify_wheres.append(t.start)
            elif prev is not None and prev.upper == "DELETE":
                checked.delete_where = True
    return checked


def _allowed(iri: str, allowlist: Iterable[str]) -> bool:
    return any(iri.startswith(prefix) for prefix in allowlist if prefix)


def check_query(
    text: str,
    *,
    max_length: int = 100_000,
    max_nesting: int = 64,
    service_allowlist: Iterable[str] = (),
    graph_allowlist: Iterable[str] = (),
    known_graphs: Callable[[], Iterable[object]] | None = None,
    protocol_dataset: bool = False,
) -> Checked:
    """Check a query; return what was found or raise :class:`QueryTooLarge` /
    :class:`ForbiddenQuery` saying what and where. ``known_graphs`` lists the store's named
    graphs (called only when the query has FROM). With ``protocol_dataset`` (the request gives
    ``default-graph-uri``/``named-graph-uri``) the query's FROM clauses are overridden (Protocol
    §2.1.4), so they are not checked."""
    checked = _scan(_size(text, max_length=max_length, max_nesting=max_nesting, what="query"))
    if checked.form == "UPDATE":
        raise QueryError(
            "This is not a SPARQL query (expected SELECT, ASK, CONSTRUCT or "
            "DESCRIBE); send updates to /update."
        )
    _check_services(checked.services, service_allowlist)
    if checked.has_dataset_clause and not protocol_dataset:
        known = {str(g) for g in known_graphs()} if known_graphs is not None else set()
        allow = list(graph_allowlist)
        for iri in [*checked.from_graphs, *checked.from_named]:
            if iri not in known and not _allowed(iri, allow):
                raise ForbiddenQuery(
                    f"FROM <{iri}> names a graph this store does not hold; graphs are never "
                    "fetched from elsewhere (allow-list: setting graph_allowlist)."
                )
    return checked


def check_update(
    text: str,
    *,
    max_length: int = 100_000,
    max_nesting: int = 64,
    service_allowlist: Iterable[str] = (),
    load_allowlist: Iterable[str] = (),
) -> Checked:
    """Check an update (length, nesting, SERVICE, LOAD) and return what was found."""
    checked = _scan(_size(text, max_length=max_length, max_nesting=max_nesting, what="update"))
    if checked.form != "UPDATE":
        raise QueryError(f"This is a {checked.form} query, not an update; send it to /sparql.")
    _check_services(checked.services, service_allowlist)
    allow = list(load_allowlist)
    for iri in checked.loads:
        if not _allowed(iri, allow):
            raise ForbiddenQuery(
                f"LOAD <{iri}> is not allowed on this server; only sources on the allow-list "
                "(setting load_allowlist) may be loaded."
            )
    return checked


def _check_services(services: Iterable[str], allowlist: Iterable[str]) -> None:
    allow = list(allowlist)
    for iri in services:
        if iri.startswith(("?", "$")) or not _allowed(iri, allow):
            raise ForbiddenQuery(
                f"SERVICE <{iri}> is not allowed on this server; only endpoints on the "
                "allow-list (setting service_allowlist) may be called."
            )


def apply_using(
    text: str, checked: Checked, using: Sequence[str], using_named: Sequence[str]
) -> str:
    """The update with the protocol's ``using-graph-uri``/``using-named-graph-uri`` written in
    as ``USING``/``USING NAMED`` clauses of each DELETE/INSERT operation (Protocol §2.2.3).

    Raises :class:`QueryError` when the update has its own USING/WITH (the protocol says that is
    an error) or uses the DELETE WHERE short form, which cannot take a dataset.
    """
    if not using and not using_named:
        return text
    if checked.has_using:
        raise QueryError(
            "The update has USING or WITH clauses and the request also gives "
            "using-graph-uri/using-named-graph-uri; give the dataset one way only."
        )
    if checked.delete_where:
        raise QueryError(
            "DELETE WHERE cannot take using-graph-uri/using-named-graph-uri; "
            "write DELETE { … } WHERE { … } instead."
        )
    clause = (
        " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
        + " "
    )
    out, last = [], 0
    for pos in checked.modify_wheres:
        out += [text[last:pos], clause]
        last = pos
    out.append(text[last:])
    return "".join(out)
