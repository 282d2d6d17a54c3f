"""Issue 16, defect 1: the guard and the engine read the same query.

Oxigraph ends a ``#`` comment at a carriage return as well as a line feed, reads ``<`` after an
operand as "less than", allows escaped quotes and hashes in prefixed names, and reads
``SERVICE``/``LOAD``/``FROM`` even when letters follow them. Each of these let text the guard
did not see reach the engine. The guard now checks, and the server now runs, the canonical text
(:func:`diplograph.sparqllex.canonical`). Tested three ways: known bypasses one by one, on
``/sparql`` and ``/update`` of a server with a real worker, and a property test that for random
decorations of a query the engine never contacts a canary when the guard lets the query through.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.errors import QueryError
from diplograph.graph.store import DiploGraph
from diplograph.server import guard
from diplograph.sparqllex import canonical

UPDATE = "application/sparql-update"


def bypasses(url: str) -> list[str]:
    """Queries that each reached the engine past the old guard; every one names ``url``."""
    return [
        f"SELECT * WHERE {{ #x\r SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ #x\r\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <{url}> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <{url}> SELECT * WHERE {{ SERVICESILENTex:x {{ ?s ?p ?o }} }}",
        # a string opened inside what the old guard took for an IRI
        f"SELECT * WHERE {{ BIND(1 AS ?a) FILTER(?a<'>?b') SERVICE <{url}> {{ ?s ?p ?o }} "
        "FILTER(?a != '') }",
        # an escaped quote in a prefixed name, and an escaped hash
        f"PREFIX ex: <urn:x:> SELECT * WHERE {{ ?s ex:a\\' ?o . SERVICE <{url}> {{ ?s ?p ?o }} "
        "FILTER(?o != '') }",
        f"PREFIX ex: <urn:x:> SELECT * WHERE {{ ?s ex:a\\# ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # a variable followed by a comment that holds a long string's opening quotes
        f'SELECT ?s#"""\nWHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n# """',
        # an escaped IRI character
        f"SELECT * WHERE {{ SERVICE <{url}\\u0078> {{ ?s ?p ?o }} }}",
    ]


@pytest.mark.parametrize("index", range(10))
def test_each_known_bypass_is_refused(index: int) -> None:
    url = "http://127.0.0.1:9/"
    query = bypasses(url)[index]
    with pytest.raises(guard.ForbiddenQuery, match="service_allowlist"):
        guard.check_query(query)


@pytest.mark.parametrize(
    "update",
    [
        "#x\rLOAD <{url}data.ttl>",
        "PREFIX ex: <{url}> LOADex:data.ttl",
        "PREFIX : <{url}> LOADSILENT:data.ttl",
        "INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { #\r SERVICE <{url}> { ?s ?p ?o } }",
    ],
)
def test_update_bypasses_are_refused(update: str) -> None:
    with pytest.raises(guard.ForbiddenQuery, match="allow-list"):
        guard.check_update(update.replace("{url}", "http://127.0.0.1:9/"))


@pytest.mark.parametrize(
    ("text", "check", "allow", "local"),
    [
        (
            "{p} SELECT * WHERE {{ SERVICE silent:x {{ ?s ?p ?o }} }}",
            guard.check_query,
            "service",
            "x",
        ),
        (
            "{p} SELECT * WHERE {{ SERVICE silentx:y {{ ?s ?p ?o }} }}",
            guard.check_query,
            "service",
            "y",
        ),
        ("{p} LOAD silent:x", guard.check_update, "load", "x"),
    ],
)
def test_a_prefix_named_like_silent_is_read_both_ways(
    text: str, check: Callable[..., guard.Checked], allow: str, local: str
) -> None:
    """Oxigraph reads ``SERVICE silent:x`` as ``SERVICE SILENT :x`` when ``:`` is declared (so
    an allow-listed ``silent:`` namespace must not let ``:x`` through), and as ``silent:x``
    when it is not: both readings must be allowed."""
    prologue = (
        "PREFIX silent: <http://allowed.example/> PREFIX silentx: <http://allowed.example/> "
        "PREFIX : <http://127.0.0.1:9/> PREFIX x: <http://127.0.0.1:9/>"
    )
    query = text.format(p=prologue)
    with pytest.raises(guard.ForbiddenQuery, match=rf"<http://127\.0\.0\.1:9/{local}>"):
        check(query, **{f"{allow}_allowlist": ["http://allowed.example/"]})
    both = ["http://allowed.example/", "http://127.0.0.1:9/"]
    checked = check(query, **{f"{allow}_allowlist": both})
    found = checked.services if allow == "service" else checked.loads
    assert found == [f"http://allowed.example/{local}", f"http://127.0.0.1:9/{local}"]


def test_glued_from_named_is_checked() -> None:
    q = "PREFIX : <http://127.0.0.1:9/> SELECT * FROMNAMED:g WHERE { GRAPH ?g { ?s ?p ?o } }"
    with pytest.raises(guard.ForbiddenQuery, match=r"FROM <http://127\.0\.0\.1:9/g>"):
        guard.check_query(q, known_graphs=list)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { #x\r" + "{" * 200 + "}" * 200 + " }",
        "SELECT * WHERE { FILTER(" + "!" * 20_000 + "true) }",
        "SELECT * WHERE { BIND(" + "- " * 100 + "1 AS ?x) }",
        "SELECT * WHERE { FILTER(?a<" + "(" * 100 + "1" + ")" * 100 + ">0) }",
    ],
)
def test_hidden_or_operator_nesting_is_refused(query: str) -> None:
    with pytest.raises(guard.QueryTooLarge, match="deeper than 64 levels"):
        guard.check_query(query)


def test_a_string_that_is_never_closed_is_refused() -> None:
    with pytest.raises(
        QueryError, match=r"SPARQL syntax error: line 2: a string opened with ' is never closed"
    ):
        guard.check_query("SELECT * WHERE {\n BIND('abc AS ?x) }")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<'>?b') }",
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b&&?b>?a) }",
        "PREFIX ex: <http://e/> SELECT ?x WHERE { BIND(ex:a\\'b AS ?x) }",
        "SELECT ?x WHERE { BIND('''it's \"x\"\n#no comment''' AS ?x) } # a comment",
        "SELECT ?x WHERE { BIND(<http://e/a#b(c)\\u00e9> AS ?x) }",
        'SELECT ?x WHERE { BIND("caf\\u00e9\\t"@fr AS ?x) }',
        "SELECT ?x WHERE { BIND(!!true AS ?x) }",
        "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 } FILTER(?x<3) }",
        "SELECT ?x WHERE { VALUES ?x { <urn:a> <urn:b> } FILTER(?x IN (<urn:a>, <urn:c>)) }",
        'ASK { FILTER(STRLEN("\U0001f600") = 1) }',
    ],
)
def test_canonical_text_gives_the_same_answer(query: str) -> None:
    """The canonical text runs instead of the text sent: it must mean the same."""
    store = ox.Store()
    checked = guard.check_query(query)

    def rows(text: str) -> object:
        r = store.query(text)
        if isinstance(r, ox.QueryBoolean):
            return bool(r)
        return [[str(t) for t in row] for row in r]  # type: ignore[union-attr]

    assert rows(checked.text) == rows(query)


# -- the property: whatever the guard lets through never reaches the canary --------------------

DECORATIONS = st.sampled_from(
    [
        " ",
        "\n",
        "\r",
        "\r\n",
        "\t",
        "#c\r",
        "#c\n",
        "# ' \" <\r",
        '"""',
        "'''",
        "'",
        '"',
        "<",
        ">",
        "\\'",
        "\\#",
        "ex:a\\'",
        "ex:a\\#",
        "?v",
        "?v<'",
        "'x'",
        '"y"@en',
        "<urn:z>",
        "<urn:z#'>",
        "FILTER(?v<'",
        "') ",
        "{ }",
        "SILENT",
        "ex:",
        "\\u0023",
    ]
)


def service_query(url: str, parts: list[str], glue: int) -> str:
    decor = "".join(parts)
    half = len(decor) // 2
    keyword = ["SERVICE <{u}>", "SERVICE<{u}>", "SERVICEex:x", "SERVICE:x", "SERVICE SILENT ex:x"][
        glue
    ].format(u=url)
    return (
        f"PREFIX ex: <{url}> PREFIX : <{url}> SELECT * WHERE {{ {decor[:half]} "
        f"{keyword} {{ ?s ?p ?o }} {decor[half:]} }}"
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(DECORATIONS, max_size=8), glue=st.integers(0, 4))
def test_what_the_guard_passes_never_reaches_the_canary(
    canary: Any, parts: list[str], glue: int
) -> None:
    query = service_query(canary.url, parts, glue)
    try:
        checked = guard.check_query(query)
    except QueryError:
        return  # refused: nothing runs
    before = canary.hits
    with contextlib.suppress(SyntaxError, OSError, ValueError):
        list(ox.Store().query(checked.text))  # type: ignore[arg-type]
    assert canary.hits == before, (query, checked.text)


def test_canonical_is_stable() -> None:
    for query in bypasses("http://127.0.0.1:9/")[5:]:
        once = canonical(query)
        assert canonical(once) == once


# -- on the server, through a real worker ------------------------------------------------------


@pytest.mark.parametrize("workers", [0, 1])
def test_server_refuses_hidden_service_load_and_nesting(
    make_app: Callable[..., Flask],
    graph: DiploGraph,
    auth: dict[str, str],
    fingerprint: Callable[..., object],
    canary: Any,
    workers: int,
) -> None:
    before = fingerprint(graph)
    token = auth["Authorization"].removeprefix("Bearer ")
    c = make_app(graph=graph, workers=workers, update_token=token, result_cache=0).test_client()
    for q in bypasses(canary.url):
        r = c.get("/sparql", query_string={"query": q})
        assert r.status_code == 403, (q, r.status_code, r.get_data(as_text=True)[:300])
        assert "service_allowlist" in r.json["error"]
    deep = "SELECT * WHERE { #x\r" + "{" * 2_000 + "}" * 2_000 + " }"
    r = c.post("/sparql", data={"query": deep})
    assert r.status_code == 400 and "deeper than" in r.json["error"], r.status_code
    r = c.post(
        "/update",
        data=f"#x\rLOAD <{canary.url}data.ttl>".encode(),
        content_type=UPDATE,
        headers=auth,
    )
    assert r.status_code == 403 and "load_allowlist" in r.json["error"]
    deep_update = "INSERT DATA { #x\r" + "(" * 5_000 + ")" * 5_000 + " }"
    r = c.post("/update", data=deep_update.encode(), content_type=UPDATE, headers=auth)
    assert r.status_code == 400 and "deeper than" in r.json["error"]
    # the server (and its worker) still answer, and nothing changed or was contacted
    r = c.get(
        "/sparql",
        query_string={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200 and r.json["boolean"] is True
    assert canary.hits == 0
    assert fingerprint(graph) == before


def test_the_engine_still_overflows_without_the_guard() -> None:
    """Proof that the nesting check guards a real crash (in a child process)."""
    code = (
        "import pyoxigraph as ox\n"
        "ox.Store().query('SELECT * WHERE { FILTER(' + '!' * 50000 + 'true) }')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=600)
    assert done.returncode != 0
