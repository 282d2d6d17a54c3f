"""A named query's text with its parameters bound inline, for "view and edit SPARQL".

A named query runs with its parameters bound by the store (never pasted into the text). To open it
in the query editor as a query that runs on its own, :func:`with_values` writes the bindings as a
SPARQL 1.1 ``VALUES`` block (section 10.2.1, inline data) at the start of the query's WHERE group,
so that every pattern and FILTER of that group sees the values, as pre-bound variables would.
Terms are written in their N-Triples form by pyoxigraph, which escapes them: a value cannot end
the block or add to the query.

>>> from rdflib import Literal, URIRef
>>> print(with_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("urn:x")}))
SELECT ?s WHERE {
  VALUES (?s) { (<urn:x>) }  # parameters
  ?s ?p ?o }
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.term import Node

from diplograph.graph.store.terms import to_oxigraph
from diplograph.sparqllex import tokens


def values_clause(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for the given bindings (one row)."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(to_oxigraph(term)) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def where_group_start(sparql: str) -> int | None:
    """The index just after the ``{`` that opens the query's WHERE group, or None if there is no
    group that can take a ``VALUES`` block (``CONSTRUCT WHERE { triples }``).

    The text is read with the server's SPARQL tokenizer (:func:`diplograph.sparqllex.tokens`),
    which skips strings, IRIs and comments."""
    saw_where = construct = False
    top_braces: list[int] = []
    for tok in tokens(sparql):
        if tok.depth != 0:
            continue
        if tok.kind == "word" and tok.upper in ("WHERE", "CONSTRUCT"):
            saw_where = saw_where or tok.upper == "WHERE"
            construct = construct or tok.upper == "CONSTRUCT"
        elif tok.kind == "open" and tok.text == "{":
            if saw_where:
                # CONSTRUCT WHERE { ... } holds a triples template: no VALUES there
                return None if construct and not top_braces else tok.start + 1
            top_braces.append(tok.start)
    if construct:
        return top_braces[1] + 1 if len(top_braces) >= 2 else None
    return top_braces[0] + 1 if top_braces else None


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with ``bindings`` written as a VALUES block at the start of its WHERE group
    (or, where the group cannot take one, as a trailing VALUES clause)."""
    if not bindings:
        return sparql
    clause = values_clause(bindings)
    at = where_group_start(sparql)
    if at is None:
        return sparql.rstrip() + "\n" + clause + "\n"
    head, rest = sparql[:at], sparql[at:]
    line = "\n  " + clause + "  # parameters"
    return head + line + (rest if rest.startswith(("\n", "\r\n")) else "\n " + rest)


def editable_sparql(title: str, name: str, body: str, bindings: Mapping[str, Node]) -> str:
    """The text "view and edit SPARQL" opens: a one-line comment naming the query, then its body
    (the header comment left out) with the parameters bound as VALUES."""
    return f"# {title} (named query {name})\n" + with_values(body.lstrip("\n"), bindings)
