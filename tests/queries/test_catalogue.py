"""Data-driven over every named query (``queries/*.rq``): it parses (rdflib's parser and
Oxigraph's), is documented, declares exactly the parameters it uses, runs on the bundled data and
returns the rows stored in ``tests/queries/expected/NAME.json``; the same on a real
``oxigraph serve`` (the remote-store backend).

An expected file holds cases, each with the parameters, the graph (``seed``: ontology, codes,
articles and links; ``full``: the same plus every bundled dataset), optionally the ``columns`` to
compare (leaving out what changes on every load, such as load times), and the rows. Terms are
written as ``<state/russia>`` (a data IRI by its path), ``<dg:Claim>`` (a known prefix), ``<https://…>``,
``text``, ``text@en`` or ``1999^^xsd:gYear``. Rows are compared in order when the query has ORDER
BY, as a multiset otherwise. ``DIPLOGRAPH_UPDATE_EXPECTED=1 pytest tests/queries`` rewrites the rows
from the current results (review the diff before committing).
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from diplograph.cli import cli
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.graph.store.results import QueryResult
from diplograph.iri import shorten as short_iri
from diplograph.queries import NamedQuery, catalogue, run_query

EXPECTED = Path(__file__).parent / "expected"
UPDATE = os.environ.get("DIPLOGRAPH_UPDATE_EXPECTED") == "1"
QUERIES = list(catalogue().values())
IDS = [q.name for q in QUERIES]


def encode(term: Node | None) -> str | None:
    """A term as a short, readable, unambiguous-enough string for the expected files."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return f"<{short_iri(term)}>"
    if isinstance(term, BNode):
        return "_:b"  # blank node labels are not stable
    assert isinstance(term, Literal)
    if term.language:
        return f"{term}@{term.language}"
    if term.datatype is None or term.datatype == XSD.string:
        return str(term)
    return f"{term}^^{short_iri(term.datatype)}"


def encode_result(result: QueryResult) -> list[Any]:
    if result.kind == "CONSTRUCT":
        return sorted([encode(t) for t in triple] for triple in result.triples)  # type: ignore[type-var]
    if result.kind == "ASK":
        return [result.boolean]
    return [
        {v: encode(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]


def ordered(q: NamedQuery) -> bool:
    return re.search(r"^\s*ORDER\s+BY\b", q.body, re.IGNORECASE | re.MULTILINE) is not None


def concatenated(q: NamedQuery) -> dict[str, str]:
    """The variables made by GROUP_CONCAT, with their separators: SPARQL leaves the order of the
    parts undefined, so such cells are compared as sorted lists."""
    found = re.finditer(
        r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*[?$](\w+)', q.body, re.S
    )
    return {m.group(2): m.group(1) for m in found}


def normalise(q: NamedQuery, rows: list[Any], columns: list[str] | None) -> list[Any]:
    lists = concatenated(q)
    out: list[Any] = []
    for row in rows:
        if not isinstance(row, dict):
            out.append(row)
            continue
        kept = {k: v for k, v in row.items() if columns is None or k in columns}
        for k, sep in lists.items():
            if k in kept and isinstance(kept[k], str):
                kept[k] = sep.join(sorted(kept[k].split(sep)))
        out.append(kept)
    return out


def same_rows(q: NamedQuery, actual: list[Any], case: dict[str, Any]) -> bool:
    columns = case.get("columns")
    a = normalise(q, actual, columns)
    e = normalise(q, case["rows"], columns)
    if ordered(q):
        return a == e
    key = lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False)  # noqa: E731
    return Counter(map(key, a)) == Counter(map(key, e))


def load_cases(q: NamedQuery) -> list[dict[str, Any]]:
    path = EXPECTED / f"{q.name}.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data["cases"]
    return cases


CASES = [
    pytest.param(q, i, id=f"{q.name}-{i}") for q in QUERIES for i, _ in enumerate(load_cases(q))
]


def _graph(request: pytest.FixtureRequest, name: str) -> DiploGraph:
    assert name in ("seed", "full"), f"unknown graph {name!r} in an expected file"
    graph: DiploGraph = request.getfixturevalue(f"{name}_graph")
    return graph


# -- the query text ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", QUERIES, ids=IDS)
def test_parses_with_rdflib_and_oxigraph(q: NamedQuery) -> None:
    prepareQuery(q.text)
    ox.Store().query(q.text)  # parses, then runs on nothing


@pytest.mark.parametrize("q", QUERIES, ids=IDS)
def test_is_documented(q: NamedQuery) -> None:
    assert q.title and q.title[0].isupper() and not q.title.endswith(".")
    assert len(q.description) > 40 and q.description.endswith(".")
    assert q.tags
    for p in q.params:
        assert p.description, f"parameter {p.name!r} has no description"
        assert p.example is not None or p.default is not None, f"{p.name!r} has no example"


@pytest.mark.parametrize("q", QUERIES, ids=IDS)
def test_declares_every_parameter_it_uses(q: NamedQuery) -> None:
    body = re.sub(r"#[^\n]*", "", q.body)  # comments
    used = set(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", body))
    for p in q.params:
        assert p.name in used, f"parameter {p.name!r} is declared but ?{p.name} is not used"
        # the rules that make substitution and VALUES binding agree (see docs/queries.md)
        assert not re.search(rf"BOUND\s*\(\s*[?$]{p.name}\s*\)", body, re.IGNORECASE)
        assert not re.search(rf"BIND\s*\(\s*[?$]{p.name}\s+AS\b", body, re.IGNORECASE)
    prepared = prepareQuery(q.text)
    if prepared.algebra.name == "SelectQuery":
        projected = {str(v) for v in prepared.algebra["PV"]}
        missing = [p.name for p in q.params if p.name not in projected]
        assert not missing, f"parameters not in the SELECT projection: {missing}"
    # every variable the query reads but never binds (e.g. one only in a FILTER) is declared
    bound: set[str] = set()
    read: set[str] = set()
    _walk(prepared.algebra, bound, read)
    free = {v for v in read - bound if not v.startswith("_")} - {p.name for p in q.params}
    assert not free, f"variables read but neither bound nor declared: {sorted(free)}"


def _walk(node: object, bound: set[str], read: set[str]) -> None:
    """Collect the variables a query's algebra binds (triple patterns, BIND, VALUES, GRAPH) and
    every variable it mentions."""
    if isinstance(node, Variable):
        read.add(str(node))
    elif isinstance(node, CompValue):
        if node.name in ("BGP", "TriplesBlock"):
            bound.update(str(x) for t in node.triples for x in t if isinstance(x, Variable))
        elif node.name == "Extend":
            bound.add(str(node.var))
        elif node.name in ("values", "ToMultiSet"):
            bound.update(str(k) for row in node.get("res") or [] for k in row)
        elif node.name == "Graph" and isinstance(node.term, Variable):
            bound.add(str(node.term))
        for key, value in node.items():
            if key != "_vars":
                _walk(value, bound, read)
    elif isinstance(node, list | tuple | set):
        for item in node:
            _walk(item, bound, read)
    elif isinstance(node, dict):
        for key, value in node.items():
            _walk(key, bound, read)
            _walk(value, bound, read)


# -- results on the bundled data -----------------------------------------------------------------


@pytest.mark.parametrize("q", QUERIES, ids=IDS)
def test_has_expected_rows(q: NamedQuery) -> None:
    cases = load_cases(q)
    assert cases, f"no expected rows for {q.name}: add tests/queries/expected/{q.name}.json"
    assert any(c["rows"] for c in cases), f"every case of {q.name} expects no rows"


@pytest.mark.parametrize(("q", "i"), CASES)
def test_returns_the_expected_rows(request: pytest.FixtureRequest, q: NamedQuery, i: int) -> None:
    path = EXPECTED / f"{q.name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    case = data["cases"][i]
    result = run_query(_graph(request, case["graph"]), q, **case["params"])
    actual = encode_result(result)
    if UPDATE and not same_rows(q, actual, case):
        case["rows"] = normalise(q, actual, case.get("columns"))
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shown = json.dumps(normalise(q, actual, case.get("columns")), indent=1, ensure_ascii=False)
    assert same_rows(q, actual, case), shown


# -- the same on the remote-store backend (a real `oxigraph serve`) ------------------------------


def _case(q: NamedQuery, i: int) -> dict[str, Any]:
    return load_cases(q)[i]


_REMOTE_CASES = sorted(CASES, key=lambda p: _case(p.values[0], p.values[1])["graph"] != "seed")


class _Loaded:
    """Which bundled graph the shared server holds now (tests are ordered seed first, then full,
    so the server is loaded twice)."""

    graph: str | None = None


def _load_server(server: str, graph: DiploGraph, name: str) -> None:
    store = getattr(graph, "store", None)
    assert isinstance(store, ox.Store), "the session graphs are in-memory Oxigraph stores"
    if _Loaded.graph == name and _server_quads(server) == len(store):
        return
    body = store.dump(format=ox.RdfFormat.N_QUADS)
    assert body is not None
    _post(
        f"{server}/update",
        urllib.parse.urlencode({"update": "DROP SILENT ALL"}).encode(),
        "application/x-www-form-urlencoded",
    )
    _post(f"{server}/store", body, "application/n-quads")
    _Loaded.graph = name


def _server_quads(server: str) -> int:
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"})
    req = urllib.request.Request(
        f"{server}/query?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        return int(json.load(resp)["results"]["bindings"][0]["n"]["value"])


def _post(url: str, body: bytes, ctype: str) -> None:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    with urllib.request.urlopen(req, timeout=120) as resp:
        assert resp.status in (200, 201, 204)


@pytest.mark.slow
@pytest.mark.parametrize(("q", "i"), _REMOTE_CASES)
def test_same_rows_on_a_remote_store(
    request: pytest.FixtureRequest, oxigraph_server: str, q: NamedQuery, i: int
) -> None:
    case = _case(q, i)
    _load_server(oxigraph_server, _graph(request, case["graph"]), case["graph"])
    with open_graph(f"sparql+{oxigraph_server}/query") as remote:
        result = run_query(remote, q, **case["params"])
    assert _Loaded.graph == case["graph"]
    actual = encode_result(result)
    shown = json.dumps(normalise(q, actual, case.get("columns")), indent=1, ensure_ascii=False)
    assert same_rows(q, actual, case), shown


@pytest.mark.slow
def test_the_command_line_on_a_remote_store(
    runner: CliRunner, request: pytest.FixtureRequest, oxigraph_server: str
) -> None:
    _load_server(oxigraph_server, _graph(request, "full"), "full")
    result = runner.invoke(
        cli,
        [
            "--store",
            f"sparql+{oxigraph_server}/query",
            "query",
            "members-on-date",
            "-p",
            "organization=organization/nato",
            "-p",
            "on=1999-11-19",
            "--format",
            "csv",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    members = sorted(line.split(",")[3] for line in result.stdout.splitlines()[1:] if line)
    assert len(members) == 19
    assert "https://w3id.org/diplograph/id/state/poland" in members
    table = runner.invoke(
        cli,
        [
            "--store",
            f"sparql+{oxigraph_server}/query",
            "query",
            "leader-on-date",
            "-p",
            "state=state/germany",
            "-p",
            "on=1995",
        ],
        catch_exceptions=False,
    )
    assert table.exit_code == 0, table.stderr
    assert "Kohl" in table.stdout and "Germany" in table.stdout and "1998-10-27" in table.stdout
