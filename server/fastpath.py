"""Cheap queries answered in the server process, without the round trip to a query worker.

A query reaches the fast path after the guard (:func:`.guard.check_query`) and is read from the
guard's canonical text, the one the engine parses (:mod:`diplograph.sparqllex` tokens). It is
answered here, from the server's own store (pyoxigraph reads are thread-safe, each sees one
committed state), only when this rule bounds its work **by construction**:

1. It is a SELECT, ASK, CONSTRUCT or DESCRIBE with no ``SERVICE``, ``EXISTS``/``NOT EXISTS``,
   subquery, ``FROM``, ``BASE`` or relative IRI, no ``ORDER BY`` or ``GROUP BY`` (for speed:
   the server's store is on disk, where sorting is slower than in a worker's in-memory copy),
   no protocol dataset (``default-graph-uri``), no property path (only an IRI, ``a`` or a
   variable as a predicate) and no ``[ … ]`` or ``( … )`` in a triple. DESCRIBE names
   constant IRIs only.
2. Every triple pattern is looked up in the store's indexes with the constant IRIs it has,
   counting matches up to the budget. A variable is anything, even one that a ``VALUES`` block
   or the request binds (the engine may evaluate a union or optional part apart from the
   values joined to it, so only a constant in the pattern itself bounds it), and a literal
   object counts as a variable, which only over-counts. The product of
   ``count + 1`` over all patterns (a DESCRIBE of ``<x>`` is the pattern ``<x> ?p ?o``) must be
   at most ``fast_path_budget``. Whatever plan the engine picks (hash or nested-loop joins, left
   joins, unions, a filter or sort of every combination), it examines at most that many
   combinations of matching triples, so the work is bounded before evaluation starts.
3. While the result is written, a row budget (``fast_path_budget`` rows or triples) and a time
   budget (``long_query`` seconds, at most ``query_timeout``) are checked; a query over either
   falls back to a worker, and the partial result is dropped.

The engine parses a query recursively, and deep nesting overflows its stack and kills the
process that parses it: a query nested deeper than :data:`MAX_DEPTH` (the default of
``max_nesting``, known safe) is never parsed here, whatever ``max_nesting`` is set to (0 turns
the guard's check off; a crash must then cost a worker, never the server).

Everything else goes to the killable workers (:mod:`.pool`). The fast path reads the durable
store, which every write reaches first, so it never answers from an older state than a worker
would; a result is cached only when no write happened while it ran. :class:`FastPath` keeps the
counts shown in ``/-/health.json`` and says in the header ``X-Diplograph-Path`` which path
answered (``fast`` or ``worker``).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from diplograph.graph.store.embedded import OxigraphGraph
from diplograph.server.execution import PREFIXES, Outcome, QueryRequest, raise_worker_error
from diplograph.server.fastcount import Pattern, Slot, Term, bounded, shape
from diplograph.server.guard import Memo, deepest
from diplograph.server.worker import OverBudget, execute
from diplograph.sparqllex import Token, iri_value, tokens

#: Response header naming the path that answered a query: ``fast`` or ``worker``.
PATH_HEADER = "X-Diplograph-Path"

#: The deepest nesting parsed in the server process (module docstring; the default max_nesting).
MAX_DEPTH = 64
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: words that send a query to the workers wherever they appear (``ORDER``, ``GROUP``: not for
#: safety but speed: sorting on the on-disk store reads terms' strings at every comparison,
#: measured slower there than in a worker's in-memory copy, round trip included)
_REFUSED = {"SERVICE", "EXISTS", "FROM", "BASE", "LOAD", "ORDER", "GROUP"}
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: tokens after a predicate that make it a property path
_PATH_OPS = {"/", "|", "^", "*", "+", "?", "!"}
#: an absolute IRI begins with a scheme (RFC 3986, section 3.1)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class NotBounded(Exception):
    """The query is outside the rule of the module docstring."""


def _named(value: str) -> ox.NamedNode:
    if not _ABSOLUTE.match(value):  # relative: would resolve against a base IRI
        raise NotBounded
    return ox.NamedNode(value)


class _Reader:
    """The triple patterns of a query's tokens (module docstring, rule 1)."""

    def __init__(self, toks: Sequence[Token]) -> None:
        self.toks = toks
        self.prefixes: dict[str, str] = {}
        self.patterns: list[Pattern] = []
        self.in_graph = 0  # GRAPH groups open

    def constant(self, tok: Token) -> Term | None:
        if tok.kind == "iri":
            return _named(iri_value(tok.text))
        if tok.kind == "pname":
            pfx, _, local = tok.text.partition(":")
            if pfx not in self.prefixes:
                raise NotBounded
            return _named(self.prefixes[pfx] + local.replace("\\", ""))
        return None

    def slot(self, tok: Token) -> Slot:
        """The constants a position may be: a variable is anything, even when a VALUES block
        or the request binds it (Oxigraph may evaluate a group apart from the VALUES joined to
        it, as it does a union: the pattern is then read whole)."""
        if tok.kind == "word" and tok.text == "a":
            return [ox.NamedNode(RDF_TYPE)]
        term = self.constant(tok)
        return None if term is None else [term]

    def close_of(self, i: int) -> int:
        """The index of the bracket closing the one opened at ``i``."""
        depth = self.toks[i].depth
        for j in range(i + 1, len(self.toks)):
            if self.toks[j].kind == "close" and self.toks[j].depth == depth:
                return j
        raise NotBounded

    def skip_values(self, i: int) -> int:
        """The index after the VALUES block at ``i`` (inline data: no pattern)."""
        toks = self.toks
        j = i + 1
        if toks[j].kind == "var":
            j += 1
        elif toks[j].text == "(":
            j = self.close_of(j) + 1
        else:
            raise NotBounded
        if toks[j].text != "{":
            raise NotBounded
        return self.close_of(j) + 1

    def object_end(self, j: int) -> int:
        """The index after the object term at ``j`` (a literal with its tag or datatype)."""
        toks = self.toks
        tok = toks[j]
        if tok.kind == "open":
            raise NotBounded  # [ … ] or a collection
        if tok.kind == "other" and tok.text in "+-":
            j += 1  # a signed number
        j += 1
        if toks[j - 1].kind == "string" and j < len(toks):
            if toks[j].kind == "langtag":
                j += 1
            elif toks[j].text == "^^":
                j += 2
        return j

    def triples(self, i: int, graph: Slot) -> int:
        """Read the triples block starting at ``i``; the index after it."""
        toks = self.toks
        if toks[i].kind not in ("var", "iri", "pname", "bnode"):
            raise NotBounded
        subject = self.slot(toks[i])
        j = i + 1
        while True:
            pred = toks[j]
            if pred.kind not in ("var", "iri", "pname") and not (
                pred.kind == "word" and pred.text == "a"
            ):
                raise NotBounded
            predicate = self.slot(pred)
            j += 1
            while True:
                if toks[j].kind == "other" and toks[j].text in _PATH_OPS:
                    raise NotBounded
                obj_tok = toks[j]
                j = self.object_end(j)
                obj = self.slot(obj_tok) if obj_tok.kind != "string" else None
                self.patterns.append(
                    Pattern(subject, predicate, obj, graph, in_graph=self.in_graph > 0)
                )
                if toks[j].text != ",":
                    break
                j += 1
            if toks[j].text != ";":
                return j
            while toks[j].text == ";":
                j += 1
            if toks[j].text in (".", "}"):
                return j

    def group(self, start: int) -> None:
        """Read the patterns of the group opened at ``start``."""
        end = self.close_of(start)
        graphs: list[tuple[int, Slot]] = []  # (depth of the GRAPH's brace, its graph)
        pending: Slot | bool = False
        i = start + 1
        while i < end:
            t = self.toks[i]
            if t.text == "{":
                if pending is not False:
                    graphs.append((t.depth, pending))  # type: ignore[arg-type]
                    self.in_graph += 1
                    pending = False
                i += 1
            elif t.text == "}":
                if graphs and graphs[-1][0] == t.depth:
                    graphs.pop()
                    self.in_graph -= 1
                i += 1
            elif t.kind == "word" and t.upper in ("OPTIONAL", "UNION", "MINUS"):
                i += 1
            elif t.kind == "word" and t.upper == "GRAPH":
                pending = self.slot(self.toks[i + 1])
                i += 2
            elif t.kind == "word" and t.upper in ("FILTER", "BIND"):
                j = i + 1 if self.toks[i + 1].text == "(" else i + 2
                if self.toks[j].text != "(":
                    raise NotBounded
                i = self.close_of(j) + 1
            elif t.kind == "word" and t.upper == "VALUES":
                i = self.skip_values(i)
            elif t.text == ".":
                i += 1
            else:
                i = self.triples(i, graphs[-1][1] if graphs else None)


def _first(toks: Sequence[Token], start: int, text: str) -> int | None:
    for j in range(start, len(toks)):
        if toks[j].depth == 0 and toks[j].text == text:
            return j
    return None


def read(text: str, toks: Sequence[Token] | None = None) -> list[Pattern]:
    """The triple patterns of the canonical query ``text`` (rule 1 of the module docstring),
    read from ``toks`` (the guard's tokens of it) when given; raises :class:`NotBounded` for a
    query outside the rule."""
    toks = list(tokens(text)) if toks is None else toks
    reader = _Reader(toks)
    forms = [t for t in toks if t.kind == "word" and t.upper in _FORMS]
    if any(t.kind == "word" and t.upper in _REFUSED for t in toks) or len(forms) != 1:
        raise NotBounded
    for i, t in enumerate(toks):
        if t.kind == "word" and t.upper == "PREFIX" and i + 2 < len(toks):
            reader.prefixes[toks[i + 1].text.rstrip(":")] = iri_value(toks[i + 2].text)
    at = toks.index(forms[0])
    form = forms[0].upper
    if form == "DESCRIBE":
        j = at + 1
        while j < len(toks) and toks[j].kind in ("iri", "pname"):
            term = reader.constant(toks[j])
            reader.patterns.append(Pattern([term] if term else None, None, None, None))
            j += 1
        if j == at + 1 or (j < len(toks) and toks[j].upper not in ("WHERE", "{", "LIMIT")):
            raise NotBounded  # DESCRIBE * or of variables: described nodes not known here
    elif form == "CONSTRUCT" and at + 1 < len(toks) and toks[at + 1].text == "{":
        at = reader.close_of(at + 1)  # the template is not a pattern
    brace = _first(toks, at, "{")
    if brace is not None:
        reader.group(brace)
    return reader.patterns


@dataclass
class FastPath:
    """The fast path of one server and its counts (``/-/health.json``)."""

    graph: OxigraphGraph  # read through its current store (a write may reopen it)
    budget: int
    seconds: float
    answered: int = 0
    declined: int = 0
    fallbacks: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: decisions of :func:`bounded` by the patterns' constants and the store's read stamp (a
    #: write changes the stamp, so a decision is never used on another state of the store)
    _decided: Memo[bool] = field(default_factory=lambda: Memo(1 << 14), repr=False)

    def _tally(self, what: str) -> None:
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)

    def counts(self) -> dict[str, int]:
        return {"answered": self.answered, "declined": self.declined, "fallbacks": self.fallbacks}

    def admits(
        self,
        request: QueryRequest,
        toks: Sequence[Token] | None = None,
        stamp: tuple[int, int] | None = None,
    ) -> bool:
        """Whether ``request`` is bounded by the rule (module docstring, rules 1 and 2).
        ``stamp``: the store's read stamp now (:meth:`OxigraphGraph.read_stamp`); with it, the
        decision of rule 2 is kept for the same patterns at the same stamp."""
        if request.default_graphs is not None or request.named_graphs is not None:
            return False
        if request.uses_dataset_clause:  # base_iri: only relative IRIs use it, never read here
            return False
        if toks is None:
            toks = list(tokens(request.sparql))
        if deepest(toks) > MAX_DEPTH:  # the engine's parser recurses there: only in a worker
            return False
        try:
            patterns = read(request.sparql, toks)
        except (NotBounded, IndexError, ValueError):
            return False
        if not patterns:
            return False
        if stamp is None:
            return bounded(self.graph.store, patterns, self.budget)
        key = (stamp, shape(patterns))
        decided = self._decided.get(key)
        if decided is None:
            decided = bounded(self.graph.store, patterns, self.budget)
            self._decided.put(key, decided, len(patterns))
        return decided

    def run(self, request: QueryRequest, toks: Sequence[Token] | None = None) -> Outcome | None:
        """The outcome of ``request`` answered here, or None: not bounded, a write running or
        landing meanwhile, or over the row or time budget (rule 3), so a worker must answer it.
        The outcome names the generation it was read at (the store's read stamp is the same
        before and after the read: no write ran meanwhile). ``toks``: the guard's tokens of
        ``request.sparql`` (:attr:`.guard.Checked.tokens`)."""
        before = self.graph.read_stamp()
        if before is None or not self.admits(request, toks, before):
            self._tally("declined")
            return None
        deadline = time.monotonic() + self.seconds
        try:
            body, truncated = execute(
                self.graph.store, request, PREFIXES, deadline=deadline, max_lines=self.budget
            )
            if time.monotonic() > deadline:  # an ASK writes nothing on the way: checked after
                raise OverBudget
        except OverBudget:
            self._tally("fallbacks")
            return None
        except SyntaxError as exc:
            raise_worker_error("syntax", str(exc))
        except (OSError, ValueError) as exc:
            raise_worker_error("failed", str(exc))
        if self.graph.read_stamp() != before:  # a write ran meanwhile: a worker answers
            self._tally("fallbacks")
            return None
        self._tally("answered")
        return Outcome(body, truncated, before[1])
