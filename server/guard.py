"""Checks a query or update must pass before any engine sees it.

Oxigraph aborts the whole process on deeply nested queries, rdflib fetches ``FROM`` graphs from
the web, and ``SERVICE``/``LOAD`` make outbound requests with no socket timeout (issue 10, hazards
2 and 3). So the text is first rewritten into its canonical form
(:func:`diplograph.sparqllex.canonical`: no comments, strings and IRIs written so that the
engine cannot read them any other way), and the canonical text, the one that then runs, is
scanned for: its length, its nesting depth (brackets and repeated unary operators, both of which
recurse in the engine's parser), ``SERVICE`` (refused unless allow-listed),
``FROM``/``FROM NAMED`` of graphs the store does not hold (refused unless allow-listed) and
``LOAD`` (refused unless allow-listed). The scan also finds the query form and, for updates,
where the ``using-graph-uri`` protocol parameters go (SPARQL 1.1 Protocol §2.2.3). Oxigraph
reads ``SERVICE``, ``LOAD`` and ``FROM`` even when letters follow them (``SERVICEex:x``), so a
word or prefixed name that begins with one of them is read as that keyword here too.

>>> check_query("SELECT * { ?s ?p ?o }").form
'SELECT'
>>> check_query("SELECT * { SERVICE <http://x.example/q> { ?s ?p ?o } }",
...             service_allowlist=["http://x.example/"]).services
['http://x.example/q']

The reading (canonical text, nesting, scan) is the costly part and depends only on the text and
``max_nesting``: the last readings are kept (:data:`READINGS`, by the exact text, the setting
and query or update), and every check that depends on other settings (the allow-lists, the
store's graphs, the protected graphs) runs on each request, on a copy of the kept reading.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from diplograph.errors import ForbiddenQuery, QueryError, QueryTooLarge
from diplograph.server.update_targets import ANY_GRAPH, only_data, written_graphs
from diplograph.sparqllex import Token, canonical, iri_value, tokens, unglue

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: keywords Oxigraph recognises even when letters follow them (``SERVICEex:x`` is ``SERVICE ex:x``,
#: ``FROMNAMED:g`` is ``FROM NAMED :g``), each with the keyword that may follow it glued on too,
#: so a word or prefixed name beginning with one is read as the keywords followed by the rest
#: (:func:`diplograph.sparqllex.unglue`)
_GLUED = {"SERVICE": ("SILENT",), "LOAD": ("SILENT",), "FROM": ("NAMED",)}
#: operators that nest when repeated (``!!!!x`` recurses in the engine's parser like brackets)
_UNARY = ("!", "+", "-")
V = TypeVar("V")


class Memo(Generic[V]):
    """A thread-safe least-recently-used map bounded by the total size of its entries (each
    put gives its size, e.g. characters of text); an entry larger than an eighth of the bound
    is not kept.

    >>> memo: Memo[int] = Memo(16)
    >>> for n in range(9):
    ...     memo.put(n, n, 2)
    >>> memo.get(0), memo.get(8)
    (None, 8)
    """

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: V, size: int) -> None:
        if size > self.max_size // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._size -= old[1] if old is not None else 0
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self.max_size:
                _, (_, gone) = self._entries.popitem(last=False)
                self._size -= gone


@dataclass
class Checked:
    """What the scan found in a query or update. ``text`` is the canonical form that was
    checked (:func:`diplograph.sparqllex.canonical`): run that, never the text as sent."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    text: str = ""
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    has_using: bool = False  # USING / USING NAMED / WITH in an update
    modify_wheres: list[int] = field(default_factory=list)  # offsets of DELETE/INSERT … WHERE
    delete_where: bool = False  # the DELETE WHERE short form
    #: the tokens of ``text`` as the scan read them (glued keywords split): what the fast path
    #: (:mod:`.fastpath`) reads, so that nothing reads the query a second way
    tokens: list[Token] = field(default_factory=list, repr=False)
    written: list[str] = field(default_factory=list)  # graphs an update may change ("*": any)
    only_data: bool = False  # an update of INSERT DATA / DELETE DATA only

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def _levels(toks: Iterable[Token]) -> Iterator[tuple[Token, int, int]]:
    """Each token with its nesting level (the parser's recursion there: brackets, and each
    unary operator in a row one level more) and the run of unary operators it ends."""
    run = 0  # unary operators in a row: each is one more level of the parser's recursion
    for t in toks:
        run = run + 1 if t.kind == "other" and t.text in _UNARY else 0
        yield t, (t.depth + 1 if t.kind == "open" else t.depth + run), run


def deepest(toks: Iterable[Token]) -> int:
    """The deepest nesting level of ``toks``, as the nesting check counts it.

    >>> deepest(tokens("ASK { FILTER(!!(1)) }")), deepest(tokens("ASK {}"))
    (4, 1)
    """
    return max((depth for _, depth, _ in _levels(toks)), default=0)


def _nesting(text: str, *, max_nesting: int, what: str) -> list[Token]:
    """The tokens of ``text``, refused at the first level deeper than ``max_nesting``."""
    toks: list[Token] = []
    # tokens() is lazy: the scan stops at the first level too deep, however long the text
    for t, depth, run in _levels(tokens(text)):
        toks.append(t)
        if max_nesting and depth > max_nesting:
            line = text.count("\n", 0, t.start) + 1
            nested = "brackets" if t.kind == "open" or not run else "unary operators"
            raise QueryTooLarge(
                f"The {what} nests {nested} deeper than {max_nesting} levels (line {line}); "
                "this server refuses deeper nesting (setting max_nesting)."
            )
    return toks


def _iri(tok: Token | None, prefixes: dict[str, str]) -> str | None:
    """The IRI a token stands for (``<…>`` or a prefixed name), None for a variable or junk."""
    if tok is None:
        return None
    if tok.kind == "iri":
        return iri_value(tok.text)
    if tok.kind == "pname":
        pfx, _, local = tok.text.partition(":")
        if pfx in prefixes:
            return prefixes[pfx] + local
        return tok.text
    return None


def _operand(toks: Sequence[Token], i: int, optional: str) -> tuple[Token | None, bool]:
    """The token after keyword ``i`` (skipping the keyword ``optional``) and whether it was
    skipped."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.upper == optional:
        return (toks[i + 2] if i + 2 < len(toks) else None), True
    return nxt, False


def _readings(tok: Token | None, keyword: str) -> list[Token | None]:
    """What the engine may read ``tok`` as: the token, and for a prefixed name that begins
    with ``keyword`` (``silent:x``) also the rest as a prefixed name (``:x``): Oxigraph reads
    ``SERVICE silent:x`` as ``SERVICE SILENT :x`` when the empty prefix is declared, and as
    ``SERVICE silent:x`` when it is not, so the guard checks both."""
    if tok is None or tok.kind != "pname" or not tok.upper.startswith(keyword):
        return [tok]
    rest = tok.text[len(keyword) :]
    if ":" not in rest:
        return [tok]
    return [tok, Token("pname", rest, tok.start + len(keyword), tok.depth)]


def _scan(toks: Sequence[Token], text: str) -> Checked:
    checked = Checked(form="UPDATE", text=text, tokens=list(toks))
    prefixes: dict[str, str] = {}
    form_found = False
    for i, t in enumerate(toks):
        if t.kind != "word":
            continue
        word = t.upper
        if word == "PREFIX":
            name = toks[i + 1] if i + 1 < len(toks) else None
            target = toks[i + 2] if i + 2 < len(toks) else None
            if name is not None and target is not None and target.kind == "iri":
                prefixes[name.text.rstrip(":")] = iri_value(target.text)
        elif word in _FORMS and not form_found and t.depth == 0:
            checked.form, form_found = word, True
        elif word == "FROM":
            operand, named = _operand(toks, i, "NAMED")
            (checked.from_named if named else checked.from_graphs).append(
                _iri(operand, prefixes) or ""
            )
        elif word in ("SERVICE", "LOAD"):
            operand, _silent = _operand(toks, i, "SILENT")
            for reading in _readings(operand, "SILENT"):
                iri = _iri(reading, prefixes)
                if iri is None:  # a variable (SERVICE ?x) or junk: refused by name
                    iri = reading.text if reading is not None else ""
                (checked.services if word == "SERVICE" else checked.loads).append(iri)
        elif word in ("USING", "WITH") and t.depth == 0:
            checked.has_using = True
        elif word == "WHERE" and t.depth == 0:
            prev = toks[i - 1] if i > 0 else None
            if prev is not None and prev.kind == "close":
                checked.modify_wheres.append(t.start)
            elif prev is not None and prev.upper == "DELETE":
                checked.delete_where = True
    return checked


#: The last readings of :func:`_read` (module docstring), bounded by the characters of their
#: texts: about 30 bytes a character with the tokens (the catalogue's queries), so about 8 MB at
#: most; a text over 32,768 characters is not kept. A repeated query is not read again.
READINGS: Memo[Checked] = Memo(1 << 18)


def _read(text: str, *, max_length: int, max_nesting: int, what: str) -> Checked:
    """Canonical text, size checks, then the scan (module docstring); a fresh copy of a kept
    reading when the same text was read under the same ``max_nesting`` before."""
    if max_length and len(text) > max_length:  # before any work on a huge text
        raise QueryTooLarge(
            f"The {what} is {len(text):,} characters long; this server accepts "
            f"at most {max_length:,} (setting max_query_length)."
        )
    key = (what, max_nesting, text)
    kept = READINGS.get(key)
    if kept is None:
        canon = canonical(text)
        toks = _nesting(canon, max_nesting=max_nesting, what=what)
        kept = _scan(unglue(toks, _GLUED), canon)
        READINGS.put(key, kept, len(text))
    return _copy(kept)


def _copy(checked: Checked) -> Checked:
    """``checked`` with lists of its own (a caller may change them; the kept one stays)."""
    c = checked
    return dataclasses.replace(
        c,
        from_graphs=list(c.from_graphs),
        from_named=list(c.from_named),
        services=list(c.services),
        loads=list(c.loads),
        modify_wheres=list(c.modify_wheres),
        tokens=list(c.tokens),
        written=list(c.written),
    )


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
    checked = _read(text, max_length=max_length, max_nesting=max_nesting, what="query")
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
    protected_graphs: Iterable[str] = (),
    base: str = "",
) -> Checked:
    """Check an update (length, nesting, SERVICE, LOAD, the graphs it may change) and return
    what was found. ``base`` resolves relative graph IRIs as the engine will."""
    checked = _read(text, max_length=max_length, max_nesting=max_nesting, what="update")
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
    toks = list(tokens(checked.text))
    checked.written = written_graphs(toks, base=base)
    checked.only_data = only_data(toks)
    protected = [p for p in protected_graphs if p]
    if protected:
        for graph in checked.written:
            if graph == ANY_GRAPH:
                raise ForbiddenQuery(
                    "This update may change every named graph (ALL, NAMED, or GRAPH with a "
                    "variable in an INSERT/DELETE template), and this server protects some "
                    "(setting protected_graphs); name the graphs to change."
                )
            if _allowed(graph, protected):
                raise ForbiddenQuery(
                    f"The graph <{graph}> is protected on this server (setting "
                    "protected_graphs): updates may not change it. Rebuild it with "
                    "`diplograph build` or `diplograph import` instead."
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
