"""Just enough of SPARQL's lexical grammar to bind variables safely on a remote server.

A remote SPARQL server has no "initial bindings" API, so :func:`bind_values` injects a
``VALUES`` block at the start of the query's outermost WHERE group. Terms are written by rdflib's
``.n3()`` (escaped), never pasted in as text. The scanner skips strings, IRIs and comments so
that a ``{`` inside any of them is not mistaken for a group (SPARQL 1.1 Query, section 19.8
grammar: ``IRIREF``, ``STRING_LITERAL*``, comments).

>>> from rdflib import Literal
>>> bind_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": Literal('a "b" } c')})
'SELECT ?x WHERE { VALUES (?o) { ("a \\\\"b\\\\" } c") } ?x ?p ?o }'
>>> query_form('PREFIX : <http://e/#> # {\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }')
'CONSTRUCT'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rdflib import BNode
from rdflib.term import Node

from diplograph.errors import QueryError

# tokens that may hide braces or keywords; order matters (long strings before short)
_TOKEN = re.compile(
    r'''(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|'''
    r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*)"""
    r"""|(?P<open>\{)|(?P<close>\})|(?<![?$:\w])(?P<word>[A-Za-z_][A-Za-z0-9_]*)(?![:\w])""",
    re.DOTALL,
)
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


def _tokens(text: str) -> Iterator[re.Match[str]]:
    return _TOKEN.finditer(text)


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a query (UPDATE for an update)."""
    for m in _tokens(text):
        word = m.group("word")
        if word is None:
            if m.group("open") or m.group("close"):
                break
            continue
        upper = word.upper()
        if upper in _FORMS:
            return upper
        if upper in _UPDATE_WORDS:
            return "UPDATE"
    raise QueryError("This is not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE found.")


def _group_end(text: str, start: int) -> int:
    """Index just past the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for m in _TOKEN.finditer(text, start):
        if m.group("open"):
            depth += 1
        elif m.group("close"):
            depth -= 1
            if depth == 0:
                return m.end()
    raise QueryError("The query has an unbalanced '{'.")


def where_group(text: str) -> int:
    """Index of the ``{`` that opens the outermost WHERE group."""
    form = query_form(text)
    after_form = False
    for m in _tokens(text):
        word = m.group("word")
        if word is not None and word.upper() == form:
            after_form = True
            continue
        if not after_form or not m.group("open"):
            continue
        if form == "CONSTRUCT" and not re.search(r"\bWHERE\s*$", text[: m.start()], re.I):
            # CONSTRUCT { template } WHERE { ... }: skip the template
            after = _group_end(text, m.start())
            for n in _TOKEN.finditer(text, after):
                if n.group("open"):
                    return n.start()
            break
        return m.start()
    raise QueryError("Cannot find the WHERE group of the query.")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for one row of bindings."""
    names, terms = [], []
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise QueryError(f"{name!r} is not a SPARQL variable name.")
        if isinstance(term, BNode):
            raise QueryError(f"Variable ?{name} cannot be bound to a blank node.")
        names.append(f"?{name}")
        terms.append(term.n3())
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``bindings`` injected as a VALUES block at the start of its WHERE group.

    A ``CONSTRUCT WHERE { P }`` short form is first expanded to ``CONSTRUCT { P } WHERE { P }``.
    """
    if not bindings:
        return text
    brace = where_group(text)
    short = re.search(r"\bCONSTRUCT\s+WHERE\s*$", text[:brace], re.I)
    if short and query_form(text) == "CONSTRUCT":
        end = _group_end(text, brace)
        pattern = text[brace:end]
        text = text[: short.start()] + f"CONSTRUCT {pattern} WHERE " + text[brace:]
        brace = short.start() + len(f"CONSTRUCT {pattern} WHERE ")
    return f"{text[: brace + 1]} {values_block(bindings)}{text[brace + 1 :]}"
