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

import re
from collections.abc import Mapping

from rdflib.term import Node

from diplograph.graph.terms import to_oxigraph

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_NAME_CHAR = re.compile(r"[A-Za-z0-9_:?$\-.]")


def values_clause(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for the given bindings (one row)."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(to_oxigraph(term)) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _skip_string(text: str, i: int) -> int:
    """The index just after the string literal that starts at ``i``."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        while end != -1 and _escaped(text, end):
            end = text.find(quote * 3, end + 1)
        return len(text) if end == -1 else end + 3
    j = i + 1
    while j < len(text) and text[j] != quote and text[j] != "\n":
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i - 1 - backslashes >= 0 and text[i - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def where_group_start(sparql: str) -> int | None:
    """The index just after the ``{`` that opens the query's WHERE group, or None if there is no
    group that can take a ``VALUES`` block (``CONSTRUCT WHERE { triples }``)."""
    text = sparql
    i, depth = 0, 0
    top_braces: list[int] = []
    saw_where = False
    construct = False
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl == -1 else nl + 1
            continue
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "<":
            m = _IRIREF.match(text, i)
            if m:
                i = m.end()
                continue
        if c == "{":
            if depth == 0:
                if saw_where:
                    # CONSTRUCT WHERE { ... } holds a triples template: no VALUES there
                    return None if construct and not top_braces else i + 1
                top_braces.append(i)
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c.isalpha() and (i == 0 or not _NAME_CHAR.match(text[i - 1])):
            m = re.match(r"[A-Za-z]+", text[i:])
            word = m.group(0).upper() if m else ""
            if word == "WHERE":
                saw_where = True
            elif word == "CONSTRUCT":
                construct = True
            i += max(len(word), 1)
            continue
        i += 1
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
