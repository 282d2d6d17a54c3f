"""Which graphs a SPARQL 1.1 Update may change, read from its tokens (the guard's canonical text).

The guard refuses updates that may change a protected graph (setting ``protected_graphs``). An
update changes: the graph of ``DROP``/``CLEAR``/``CREATE`` (every named graph for ``ALL`` and
``NAMED``), the target of ``LOAD … INTO GRAPH``, of ``ADD``/``COPY``/``MOVE`` (and the source of
``MOVE``, which it empties), and the graphs of the templates of ``INSERT DATA``, ``DELETE DATA``,
``DELETE WHERE`` and ``DELETE``/``INSERT … WHERE``: each ``GRAPH <g>`` block, and the ``WITH``
graph for triples outside one (the default graph, which holds none of the bundled data, without
``WITH``). A ``GRAPH ?var`` in a template may reach any graph: :data:`ANY_GRAPH`.

>>> from diplograph.sparqllex import tokens
>>> def graphs(text): return written_graphs(list(tokens(text)), base="http://x.example/")
>>> graphs("PREFIX g: <urn:g:> INSERT DATA { GRAPH g:a { <urn:s> <urn:p> 1 } }")
['urn:g:a']
>>> graphs("WITH <urn:w> DELETE { ?s ?p ?o } WHERE { GRAPH <urn:r> { ?s ?p ?o } }")
['urn:w']
>>> graphs("DROP SILENT ALL ; MOVE <a> TO GRAPH <b>")
['*', 'http://x.example/a', 'http://x.example/b']
>>> graphs("PREFIXex:<urn:> INSERTDATA{GRAPHex:a{<urn:s> <urn:p> 1}} ; DROPNAMED")
['urn:a', '*']

:func:`only_data` tells an update made only of ``INSERT DATA`` and ``DELETE DATA``: concrete
data, with nothing to evaluate; :func:`operations` splits an update into its operations, and
reads what each ``LOAD`` loads where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from diplograph.errors import QueryError
from diplograph.sparqllex import Token, iri_value, tokens, unglue

#: what :func:`written_graphs` says for "every named graph"
ANY_GRAPH = "*"
#: the keywords of SPARQL Update that decide which graphs are written
_KEYWORDS = (
    "ADD", "ALL", "BASE", "CLEAR", "COPY", "CREATE", "DATA", "DEFAULT", "DELETE", "DROP",
    "GRAPH", "INSERT", "INTO", "LOAD", "MOVE", "NAMED", "PREFIX", "SILENT", "TO", "WHERE",
    "WITH",
)  # fmt: skip
#: any of them may be glued to the one before it (``INSERTDATA{``, ``DROPSILENTNAMED``), as
#: Oxigraph reads them (:func:`diplograph.sparqllex.unglue`)
_GLUED = dict.fromkeys(_KEYWORDS, _KEYWORDS)


class _Reader:
    """The update's tokens with a cursor, the prefixes and base declared so far."""

    def __init__(self, toks: Sequence[Token], base: str) -> None:
        self.toks = toks
        self.i = 0
        self.base = base
        self.prefixes: dict[str, str] = {}

    def peek(self, ahead: int = 0) -> Token | None:
        at = self.i + ahead
        return self.toks[at] if at < len(self.toks) else None

    def take(self) -> Token | None:
        tok = self.peek()
        self.i += 1
        return tok

    def skip(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "word" and tok.upper == word:
            self.i += 1
            return True
        return False

    def iri(self, tok: Token | None) -> str | None:
        """The absolute IRI of an ``<…>`` or prefixed-name token; :data:`ANY_GRAPH` for a
        variable; None for anything else."""
        if tok is None:
            return None
        if tok.kind == "iri":
            return urljoin(self.base, iri_value(tok.text)) if self.base else iri_value(tok.text)
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            return self.prefixes.get(prefix, prefix + ":") + local
        if tok.kind == "var":
            return ANY_GRAPH
        return None


def _graph_ref(r: _Reader) -> str | None:
    """``GRAPH <g>`` / ``<g>`` (the graph), ``DEFAULT`` (None), ``ALL``/``NAMED`` (any)."""
    r.skip("SILENT")
    tok = r.peek()
    if tok is not None and tok.kind == "word":
        if tok.upper in ("ALL", "NAMED"):
            r.take()
            return ANY_GRAPH
        if tok.upper == "DEFAULT":
            r.take()
            return None
        if tok.upper == "GRAPH":
            r.take()
    return r.iri(r.take())


def _template(r: _Reader, with_graph: str | None) -> list[str]:
    """The graphs a template (``{ … }`` at the cursor) writes to; the cursor ends after it."""
    out: list[str] = []
    open_tok = r.take()
    if open_tok is None or open_tok.kind != "open":
        return out
    outer = open_tok.depth
    default_used = False
    while (tok := r.take()) is not None:
        if tok.kind == "close" and tok.depth == outer:
            break
        if tok.depth != outer + 1:
            continue
        if tok.kind == "word" and tok.upper == "GRAPH":
            graph = r.iri(r.take())
            if graph is not None:
                out.append(graph)
        elif tok.kind not in ("other", "punct") or tok.text not in (".", ";", ","):
            default_used = True
    if default_used and with_graph is not None:
        out.append(with_graph)
    return out


def written_graphs(toks: Sequence[Token], *, base: str = "") -> list[str]:
    """The graphs (absolute IRIs, or :data:`ANY_GRAPH`) that the update in ``toks`` may change,
    in the order met, without repeats."""
    r = _Reader(unglue(toks, _GLUED), base)
    out: list[str] = []
    with_graph: str | None = None
    while (tok := r.take()) is not None:
        if tok.depth != 0:
            continue
        word = tok.upper if tok.kind == "word" else tok.text
        found: list[str | None] = []
        if word == ";":
            with_graph = None
        elif word == "PREFIX":
            name, target = r.take(), r.take()
            if name is not None and target is not None and target.kind == "iri":
                r.prefixes[name.text.rstrip(":")] = r.iri(target) or ""
        elif word == "BASE":
            target = r.take()
            if target is not None and target.kind == "iri":
                r.base = r.iri(target) or r.base
        elif word == "WITH":
            with_graph = r.iri(r.take())
        elif word in ("DROP", "CLEAR", "CREATE", "INTO"):  # INTO: LOAD … INTO GRAPH <g>
            found.append(_graph_ref(r))
        elif word in ("ADD", "COPY", "MOVE"):
            source = _graph_ref(r)
            r.skip("TO")
            found.extend([source, _graph_ref(r)] if word == "MOVE" else [_graph_ref(r)])
        elif word in ("INSERT", "DELETE"):
            r.skip("DATA") or r.skip("WHERE")
            found.extend(_template(r, with_graph))
        for graph in found:
            if graph is not None and graph not in out:
                out.append(graph)
    return out


def only_data(toks: Sequence[Token]) -> bool:
    """Whether the update in ``toks`` is made only of ``INSERT DATA`` and ``DELETE DATA``
    operations (and ``PREFIX``/``BASE``): concrete data that needs no evaluation.

    >>> from diplograph.sparqllex import tokens
    >>> def data(text): return only_data(list(tokens(text)))
    >>> data("PREFIX ex: <urn:> INSERT DATA { ex:a ex:b [ ex:c 1 ] } ; DELETEDATA { <a> <b> 2 }")
    True
    >>> data("INSERT DATA { <a> <b> 1 } ; DELETE WHERE { ?s ?p ?o }")
    False
    >>> data("WITH <g> INSERT { <a> <b> 1 } WHERE {}"), data("")
    (False, False)
    """
    top = [t for t in unglue(toks, _GLUED) if t.depth == 0]
    i = 0
    while i < len(top):
        word = top[i].upper
        if word == "PREFIX" and [t.kind for t in top[i + 1 : i + 3]] == ["pname", "iri"]:
            i += 3
        elif word == "BASE" and [t.kind for t in top[i + 1 : i + 2]] == ["iri"]:
            i += 2
        elif word in ("INSERT", "DELETE") and [t.upper for t in top[i + 1 : i + 4]] == [
            "DATA",
            "{",
            "}",
        ]:
            i += 4
        elif word == ";":
            i += 1
        else:
            return False
    return bool(top)


@dataclass(frozen=True)
class Operation:
    """One operation of an update request (:func:`operations`)."""

    body: int  #: where it begins in the update's text (after its own PREFIX/BASE) ...
    end: int  #: ... and ends
    #: the PREFIX and BASE declarations made before ``body``, in order: it sees them
    declared: str
    load: str | None = None  #: a LOAD's source (absolute IRI); None: not a LOAD
    silent: bool = False  #: LOAD SILENT
    into: str | None = None  #: LOAD … INTO GRAPH <g>: ``g``; None: the default graph


def operations(text: str, *, base: str = "") -> list[Operation]:
    """The operations of the update ``text`` (split at each ``;`` outside brackets), in order.
    Raises :class:`QueryError` for a LOAD that is not ``LOAD SILENT? <source> (INTO GRAPH
    <graph>)?`` (the grammar's ``Load``), saying the line.

    >>> ops = operations("PREFIX ex: <http://x.example/> INSERT DATA { ex:a ex:b 1 } ;"
    ...                  "LOAD SILENT ex:d.ttl INTO GRAPH <urn:g> ; CLEAR DEFAULT")
    >>> [(o.load, o.silent, o.into) for o in ops]
    [(None, False, None), ('http://x.example/d.ttl', True, 'urn:g'), (None, False, None)]
    >>> ops[0].declared, ops[0].body
    ('PREFIX ex: <http://x.example/>', 31)
    """
    r = _Reader([], base)
    groups: list[list[Token]] = [[]]
    for tok in tokens(text):
        if tok.depth == 0 and tok.text == ";":
            groups.append([])
        else:
            groups[-1].append(tok)
    out: list[Operation] = []
    declared: list[str] = []
    for group in (g for g in groups if g):
        i = 0
        while i + 1 < len(group) and group[i].upper in ("PREFIX", "BASE"):  # the prologue
            if group[i].upper == "PREFIX" and i + 2 < len(group) and group[i + 2].kind == "iri":
                r.prefixes[group[i + 1].text.rstrip(":")] = r.iri(group[i + 2]) or ""
                declared.append(f"PREFIX {group[i + 1].text} {group[i + 2].text}")
                i += 3
            elif group[i].upper == "BASE" and group[i + 1].kind == "iri":
                r.base = r.iri(group[i + 1]) or r.base
                declared.append(f"BASE {group[i + 1].text}")
                i += 2
            else:
                break
        end = group[-1].start + len(group[-1].text)
        op = Operation(group[i].start if i < len(group) else end, end, " ".join(declared))
        # keywords are glued on only where one is expected: at the start, and in a LOAD
        body = (
            unglue(group[i:], _LOAD_GLUED)
            if group[i : i + 1] and group[i].upper.startswith("LOAD")
            else group[i:]
        )
        loads = [t for t in body if t.kind == "word" and t.upper == "LOAD"]
        if loads and loads[0] is body[0] and len(loads) == 1:
            op = _load(r, body[1:], op, line=text.count("\n", 0, body[0].start) + 1)
        elif loads:  # never handed to an engine, which would fetch it itself
            line = text.count("\n", 0, loads[-1].start) + 1
            raise QueryError(f"SPARQL Update syntax error: LOAD inside an operation (line {line}).")
        out.append(op)
    return out


#: LOAD and INTO may have the next keyword glued on (``LOADSILENT<…>``), as Oxigraph reads them
_LOAD_GLUED = {"LOAD": ("SILENT",), "INTO": ("GRAPH",)}


def _silent(r: _Reader, rest: list[Token]) -> tuple[bool, list[Token]]:
    """Whether ``rest`` (what follows LOAD) begins with SILENT, and the tokens after it. A
    prefixed name that begins with it is read as Oxigraph reads it: ``silent:x`` is SILENT
    ``:x`` when the empty prefix is declared, else the name ``silent:x``."""
    if not rest or rest[0].kind not in ("word", "pname") or not rest[0].upper.startswith("SILENT"):
        return False, rest
    tail = rest[0].text[len("SILENT") :]
    if not tail:
        return True, rest[1:]
    if ":" in tail and tail.partition(":")[0] in r.prefixes:
        return True, [Token("pname", tail, rest[0].start + len("SILENT"), 0), *rest[1:]]
    return False, rest


def _load(r: _Reader, rest: list[Token], op: Operation, *, line: int) -> Operation:
    """``op`` with what the LOAD in ``rest`` (the tokens after the keyword) loads where."""
    silent, rest = _silent(r, rest)

    def term(tok: Token) -> str | None:
        if tok.kind == "pname" and tok.text.partition(":")[0] not in r.prefixes:
            raise QueryError(
                f"SPARQL Update syntax error: the prefix of {tok.text} is not declared "
                f"(line {line})."
            )
        return r.iri(tok) if tok.kind in ("iri", "pname") else None

    source = term(rest[0]) if rest else None
    into = None
    if len(rest) == 4 and [t.upper for t in rest[1:3]] == ["INTO", "GRAPH"]:
        into = term(rest[3])
    if source is None or (len(rest) != 1 and into is None):
        raise QueryError(
            "SPARQL Update syntax error: a LOAD is written LOAD SILENT? <source> "
            f"(INTO GRAPH <graph>)? (line {line})."
        )
    return Operation(op.body, op.end, op.declared, source, silent, into)
