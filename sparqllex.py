"""SPARQL's lexical grammar, read the way Oxigraph reads it, and a canonical form of a text.

This is the one place diplograph splits SPARQL text into tokens (SPARQL 1.1 Query, section 19.8,
"Grammar"; terminals ``IRIREF``, ``PNAME_LN``, ``VAR1``, ``STRING_LITERAL*``, ``LANGTAG`` and
comments). The server's guard decides from these tokens what a query may do, so the tokens must
be the ones the engine sees. Three places where a reader can go wrong are handled here:

- a comment ends at a line feed **or** a carriage return (the grammar's end of line);
- ``<`` starts an IRI only where a term may start: inside an expression, after an operand, it
  is the less-than operator (``FILTER(?a<'>?b')`` compares ``?a`` with the string ``'>?b'``);
- prefixed names may hold escaped quotes and hashes (``ex:a\\'b``, ``ex:a\\#b``), which are not
  the start of a string or of a comment.

Matching the engine token for token is not left to hope. :func:`canonical` rewrites a text into
a form that reads the same under either reading of every ambiguous spot: comments are dropped,
every string is written as a long string whose characters outside a small safe set are
``\\u`` escapes, every IRI likewise (so an IRI read as "less than …" holds no quote, hash,
bracket or unary operator), and the line structure is kept so that error positions still
name the right line. The guard checks the canonical text, and the canonical text is what runs.

>>> [t.text for t in tokens("SELECT * { ?s <urn:p> 'x'@en } # done")]
['SELECT', '*', '{', '?s', '<urn:p>', "'x'", '@en', '}']
>>> canonical("ASK { #x\\r FILTER('a#b' != ?o) }")
'ASK { \\n FILTER(\"\"\"a\\\\u0023b\"\"\" != ?o) }'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from diplograph.errors import QueryError

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_TOKEN = re.compile(
    rf"""
    (?P<ws>[\ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:(?:""?)?(?:[^"\\]|\\.))*\"\"\"|'''(?:(?:''?)?(?:[^'\\]|\\.))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=)
  | (?P<open>[{{(\[])
  | (?P<close>[}})\]])
  | (?P<other>.)
    """,
    re.X | re.S,
)
_IRI_ONLY = re.compile(rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>", re.S)
_ESCAPE = re.compile(rf"{_UCHAR}|\\[tbnrf\"'\\]", re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

#: tokens after which, inside an expression, ``<`` is the less-than operator
_OPERAND_END = {"var", "string", "number", "iri", "pname", "langtag", "bnode"}
#: keywords after which an opening parenthesis starts an expression
_EXPRESSION_WORDS = {"FILTER", "BIND", "HAVING", "BY", "ASC", "DESC", "IN", "AS"}
#: clauses whose top-level parentheses hold expressions (until the group or solution modifiers)
_EXPRESSION_CLAUSES = {"SELECT", "BY", "HAVING"}
_CLAUSE_ENDS = {"WHERE", "LIMIT", "OFFSET", "VALUES", "FROM"}


@dataclass(frozen=True)
class Token:
    """A significant token: its kind (a group name of the lexer), text, offset and nesting
    depth (an opening bracket has the depth outside it)."""

    kind: str
    text: str
    start: int
    depth: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def _scan(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(kind, text, start, depth) of every token, whitespace and comments included."""
    depth = 0
    stack: list[bool] = []  # per open bracket: does it hold an expression?
    clause_expr = False  # inside SELECT / GROUP BY / ORDER BY / HAVING, outside brackets
    prev_kind, prev_upper = "", ""
    pos, end = 0, len(text)
    while pos < end:
        m = _TOKEN.match(text, pos)
        assert m is not None  # the last alternative matches any character
        kind = m.lastgroup or "other"
        value = m.group()
        if (
            kind == "iri"
            and (stack[-1] if stack else False)
            and _ends_operand(prev_kind, prev_upper)
        ):
            kind, value = "punct", "<"  # less-than inside an expression
        elif kind == "other" and value == "<" and text.startswith("<=", pos):
            kind, value = "punct", "<="
        pos += len(value)
        if kind in ("ws", "comment"):
            yield kind, value, m.start(), depth
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
            if stack:
                stack.pop()
        yield kind, value, m.start(), depth
        if kind == "open":
            in_expr = stack[-1] if stack else False
            opens_expression = (
                in_expr
                or (clause_expr and not stack)
                or prev_upper in _EXPRESSION_WORDS
                or (prev_kind == "word" and prev_upper != "A")
            )
            stack.append((value == "(" and opens_expression) or (value == "[" and in_expr))
            depth += 1
        elif kind == "word":
            word = value.upper()
            if word in _EXPRESSION_CLAUSES:
                clause_expr = True
            elif word in _CLAUSE_ENDS:
                clause_expr = False
        if kind == "open" and value == "{":
            clause_expr = False
        # only a word's case matters to the checks above (other tokens hold no keyword)
        prev_kind, prev_upper = kind, (value.upper() if kind == "word" else value)


def _ends_operand(kind: str, upper: str) -> bool:
    return kind in _OPERAND_END or upper in (")", "]", "TRUE", "FALSE")


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of SPARQL text (whitespace and comments dropped)."""
    for kind, value, start, depth in _scan(text):
        if kind not in ("ws", "comment"):
            yield Token(kind, value, start, depth)


def unglue(toks: Iterable[Token], keywords: Mapping[str, Collection[str]]) -> list[Token]:
    """The tokens with each word or prefixed name that begins with a key of ``keywords`` (and is
    not exactly it) split into that keyword and the rest, the way Oxigraph reads keywords with
    letters glued on (``SERVICEex:x`` is ``SERVICE ex:x``). The rest is split again by the
    keywords that may follow the one split off, ``keywords[keyword]`` (none when it is not a
    key); the longest keyword that fits is taken first.

    >>> follow = {"FROM": ["NAMED"], "SERVICE": ["SILENT"]}
    >>> [t.text for t in unglue(tokens("FROMNAMED:g SERVICESILENTex:x NAMEDx"), follow)]
    ['FROM', 'NAMED', ':g', 'SERVICE', 'SILENT', 'ex:x', 'NAMEDx']
    """
    out: list[Token] = []
    ranked = sorted(keywords, key=len, reverse=True)  # the longest first
    for tok in toks:
        candidates: Collection[str] = ranked
        while tok.kind in ("word", "pname"):
            upper = tok.upper
            first = next((k for k in candidates if upper.startswith(k) and upper != k), None)
            if first is None:
                break
            out.append(Token("word", first, tok.start, tok.depth))
            rest = tok.text[len(first) :]
            tok = Token("pname" if ":" in rest else "word", rest, tok.start + len(first), tok.depth)
            candidates = sorted(keywords.get(first, ()), key=len, reverse=True)
        out.append(tok)
    return out


def unescape(body: str) -> str:
    """The characters of a string's or IRI's body with its ``\\u``, ``\\U`` and (for
    strings) ``\\t``-style escapes decoded."""

    def one(m: re.Match[str]) -> str:
        s = m.group()
        if s[1] in "uU":
            return chr(int(s[2:], 16))
        return _ECHAR[s[1]]

    return _ESCAPE.sub(one, body)


def iri_value(token_text: str) -> str:
    """The IRI an ``<…>`` token stands for."""
    return unescape(token_text[1:-1])


def string_value(token_text: str) -> str:
    """The characters of a string token (either quote, long or short)."""
    quote = 3 if token_text[:3] in ('"""', "'''") else 1
    return unescape(token_text[quote:-quote])


_SAFE_STRING = re.compile(r"[A-Za-z0-9 ,.:;/_=?!@$%&*+\-\n]")
_SAFE_IRI = re.compile(r"[A-Za-z0-9:/._~%=&?@$*,]")
#: a body that needs no rewriting (no escape, only safe characters; an IRI without ``--``)
_PLAIN_STRING = re.compile(r"[A-Za-z0-9 ,.:;/_=?!@$%&*+\-\n]*")
_PLAIN_IRI = re.compile(r"[A-Za-z0-9:/._~%=&?@$*,\-]*")


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _canonical_string(token_text: str) -> str:
    quote = 3 if token_text[:3] in ('"""', "'''") else 1
    body = token_text[quote:-quote]
    if _PLAIN_STRING.fullmatch(body):  # no escape, nothing to rewrite: the same as below
        return '"""' + body + '"""'
    out = []
    for ch in string_value(token_text):
        out.append(ch if _SAFE_STRING.fullmatch(ch) else _escaped(ch))
    return '"""' + "".join(out) + '"""'


def _canonical_iri(token_text: str) -> str:
    body = token_text[1:-1]
    if "--" not in body and _PLAIN_IRI.fullmatch(body):  # the same as below, at once
        return token_text
    out, prev = [], ""
    for ch in iri_value(token_text):
        # a single '-' is kept; a second in a row is escaped, so that an IRI read as
        # "less than …" never holds a run of unary operators
        keep = _SAFE_IRI.fullmatch(ch) is not None or (ch == "-" and prev != "-")
        out.append(ch if keep else _escaped(ch))
        prev = ch
    return "<" + "".join(out) + ">"


def canonical(text: str) -> str:
    """``text`` with comments dropped, line ends made ``\\n``, and strings and IRIs rewritten
    as described in the module docstring. A quote that opens no complete string is refused
    (:class:`~diplograph.errors.QueryError`): no reading can agree on what follows it."""
    out: list[str] = []
    for kind, value, start, _depth in _scan(text):
        if kind == "comment":
            continue
        if kind == "ws":
            out.append(value.replace("\r\n", "\n").replace("\r", "\n"))
        elif kind == "string":
            out.append(_canonical_string(value))
        elif kind == "iri":
            out.append(_canonical_iri(value))
        elif kind == "other" and value in ("'", '"'):
            line = text.count("\n", 0, start) + 1
            raise QueryError(
                f"SPARQL syntax error: line {line}: a string opened with {value} is never closed."
            )
        else:
            out.append(value)
    return "".join(out)
