"""Binding variables in SPARQL text: a query's form, and a VALUES block for its bindings.

Where a store has no "initial bindings" API (a remote SPARQL server), and where a named query is
shown as text that runs on its own (the server's "view and edit SPARQL"), the bindings are
written as a SPARQL 1.1 ``VALUES`` block (section 10.2.1, inline data) at the start of the
query's WHERE group, so that every pattern and FILTER of that group sees them, as pre-bound
variables would. This is the one function that does it, :func:`bind_values`. The text is read
with diplograph's one SPARQL tokenizer, :func:`diplograph.sparqllex.tokens` (strings, IRIs and
comments are skipped), and terms are written in their N-Triples form by pyoxigraph, which
escapes them: a value cannot end the block or add to the query.

A ``CONSTRUCT WHERE { P }`` short form has no group that may hold a VALUES block (its group is
a triples template), so it is first written out as ``CONSTRUCT { P } WHERE { P }``. A query
without a WHERE group (``DESCRIBE <x>``) gets a trailing VALUES clause.

>>> from rdflib import Literal
>>> print(bind_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal('a "b" } c')}))
SELECT ?x WHERE {
  VALUES (?o) { ("a \\"b\\" } c") }
  ?x ?p ?o }
>>> query_form('PREFIX : <http://e/#> # {\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }')
'CONSTRUCT'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode
from rdflib.term import Node

from diplograph.errors import QueryError
from diplograph.graph.store.terms import to_oxigraph
from diplograph.sparqllex import Token, tokens

_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a query (UPDATE for an update)."""
    for tok in tokens(text):
        if tok.kind == "open" and tok.text == "{":
            break
        if tok.kind != "word" or tok.depth != 0:
            continue
        if tok.upper in _FORMS:
            return tok.upper
        if tok.upper in _UPDATE_WORDS:
            return "UPDATE"
    raise QueryError("This is not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE found.")


def _top_level(text: str) -> list[Token]:
    """The tokens outside every bracket, and the brackets at that level; refuses a text whose
    brackets do not balance."""
    out: list[Token] = []
    depth = 0
    for tok in tokens(text):
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            depth -= 1
        if tok.depth == 0:
            out.append(tok)
    if depth != 0:
        raise QueryError("The query has an unbalanced '{', '(' or '['.")
    return out


def _where_group(text: str, form: str) -> tuple[int | None, int | None]:
    """Where the outermost WHERE group opens (the index of its ``{``, or None when there is
    none) and, for a ``CONSTRUCT WHERE { template }`` short form, where its CONSTRUCT ends."""
    top = _top_level(text)
    braces = [i for i, t in enumerate(top) if t.kind == "open" and t.text == "{"]
    if not braces:
        return None, None
    first = braces[0]
    if form != "CONSTRUCT":
        return top[first].start, None
    if first > 0 and top[first - 1].upper == "WHERE":
        construct = next(t for t in top if t.upper == "CONSTRUCT")
        return top[first].start, construct.start + len(construct.text)
    # CONSTRUCT { template } WHERE { ... }: the second group
    return (top[braces[1]].start, None) if len(braces) > 1 else (None, None)


def _group_end(text: str, brace: int) -> int:
    """The index just past the ``}`` that closes the ``{`` at ``brace``."""
    depth = None
    for tok in tokens(text[brace:]):
        if depth is None:
            depth = tok.depth
        elif tok.kind == "close" and tok.depth == depth:
            return brace + tok.start + 1
    raise QueryError("The query has an unbalanced '{'.")


def values_clause(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for one row of bindings."""
    names, terms = [], []
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name.")
        if isinstance(term, BNode):
            raise QueryError(f"Variable ?{name} cannot be bound to a blank node.")
        names.append(f"?{name}")
        terms.append(str(to_oxigraph(term)))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def bind_values(text: str, bindings: Mapping[str, Node], *, note: str = "") -> str:
    """The query with ``bindings`` written as a VALUES block on a line of its own at the start
    of its WHERE group (``note``, if given, as a comment after it); see the module docstring."""
    if not bindings:
        return text
    form = query_form(text)
    if form == "UPDATE":
        raise QueryError("Variables cannot be bound in a SPARQL Update, only in a query.")
    clause = values_clause(bindings)
    brace, after = _where_group(text, form)
    if brace is None:
        return text.rstrip() + "\n" + clause + "\n"
    if after is not None:  # CONSTRUCT WHERE { P } becomes CONSTRUCT { P } WHERE { P }
        template = " " + text[brace : _group_end(text, brace)]
        text, brace = text[:after] + template + text[after:], brace + len(template)
    line = "\n  " + clause + (f"  # {note}" if note else "")
    rest = text[brace + 1 :]
    if not rest.startswith(("\n", "\r\n")):
        rest = "\n  " + rest.lstrip(" \t")
    return text[: brace + 1] + line + rest
