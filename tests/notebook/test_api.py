"""The notebook API (``import diplograph as dg; g = dg.open()``) on a real on-disk store: what
each call returns, checked against the lower layers it stands on, and its errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph as RdfGraph
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

import diplograph as dg
from diplograph import iri
from diplograph.errors import ExportError, NotFound, QueryError, QueryParameterError, StoreError
from diplograph.graph.describe.labels import labels_for
from diplograph.graph.network import build_view
from diplograph.graph.network.filters import Filters
from diplograph.queries.run import run_query

LAVROV = iri.entity("person", "sergey-lavrov")
RUSSIA = iri.entity("state", "russia")
DG = str(iri.ONTOLOGY)


@pytest.fixture(scope="module")
def g(store_path: Path) -> Iterator[dg.Graph]:
    graph = dg.open(store_path)
    yield graph
    graph.close()


def test_open_reads_the_store_setting_a_path_or_a_url(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPLOGRAPH_STORE", f"oxigraph:{store_path}")
    for store in (None, store_path, str(store_path), f"oxigraph:{store_path}"):
        with dg.open(store) as graph:
            assert graph.url == f"oxigraph:{store_path}"
            assert graph.query(f"ASK {{ ?s a <{DG}State> }}") is True


def test_open_says_what_it_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Unknown store URL 'ftp://x'"):
        dg.open("ftp://x")
    with pytest.raises(StoreError, match="nowhere"):
        dg.open(tmp_path / "nowhere")


def test_a_select_gives_rows_with_columns(g: dg.Graph) -> None:
    rows = g.query(
        f"SELECT ?claim ?date WHERE {{ ?claim <{DG}speaker> ?s ; <{DG}onBehalfOf> ?o "
        "OPTIONAL { ?claim <" + DG + "date> ?date } } ORDER BY ?claim",
        bindings={"s": LAVROV, "o": RUSSIA},
    )
    assert isinstance(rows, dg.Rows)
    assert rows.columns == ("claim", "date")
    assert [r["claim"] for r in rows][:2] == [
        iri.claim("article-001", 1),
        iri.claim("article-001", 3),
    ]
    first = rows[0]
    assert first[0] == first["claim"] and list(first) == ["claim", "date"]
    assert "claim" in first and 0 not in first and 5 not in first
    assert dict(first) == {"claim": iri.claim("article-001", 1), "date": None}
    with pytest.raises(KeyError, match="'speaker' is not a column; the columns: claim, date"):
        first["speaker"]
    assert rows.records()[0] == {"claim": "id:claim/article-001/1", "date": None}
    assert rows.records(short=False)[0]["claim"] == str(iri.claim("article-001", 1))
    assert isinstance(rows[1:], dg.Rows) and len(rows[1:]) == len(rows) - 1


def test_ask_gives_a_bool_and_construct_an_rdflib_graph(g: dg.Graph) -> None:
    assert g.query(f"ASK {{ <{LAVROV}> a <{DG}Person> }}") is True
    assert g.query(f"ASK {{ <{LAVROV}> a <{DG}State> }}") is False
    built = g.query(f"CONSTRUCT {{ <{LAVROV}> ?p ?o }} WHERE {{ <{LAVROV}> ?p ?o }}")
    assert isinstance(built, RdfGraph)
    assert (LAVROV, RDFS.label, Literal("Sergey Lavrov", lang="en")) in built
    assert (LAVROV, RDF.type, URIRef(DG + "Person")) in built


def test_a_bad_query_is_a_query_error(g: dg.Graph) -> None:
    with pytest.raises(QueryError):
        g.query("SELECT WHERE {")


def test_named_runs_the_catalogue_query_as_the_cli_does(g: dg.Graph) -> None:
    rows = g.named("claims-by-actor", actor="person/sergey-lavrov")
    direct = run_query(g.store, "claims-by-actor", actor="person/sergey-lavrov")
    assert isinstance(rows, dg.Rows)
    assert rows.columns == tuple(direct.variables)
    assert [tuple(r.values()) for r in rows] == direct.rows
    assert len(rows) > 0


def test_named_takes_dates(g: dg.Graph) -> None:
    as_text = g.named("members-on-date", organization="organization/nato", on="2014-03-01")
    as_date = g.named("members-on-date", organization="organization/nato", on=dt.date(2014, 3, 1))
    assert as_text.records() == as_date.records()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Query 'claims-by-actor' needs parameter 'actor'"),
        ({"actor": "Lavrov"}, "parameter 'actor': 'Lavrov' is not an IRI"),
        ({"actor": "state/russia", "who": "x"}, "Query 'claims-by-actor' has no parameter 'who'"),
        ({"actor": 3.5}, "parameter 'actor': 3.5 is a float"),
        ({"actor": dt.datetime(2014, 1, 1)}, "is a date and time; give a date"),
    ],
)
def test_named_checks_parameters_as_the_cli_does(
    g: dg.Graph, params: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryParameterError, match=message.replace("(", r"\(")):
        g.named("claims-by-actor", **params)  # type: ignore[arg-type]


def test_queries_lists_the_catalogue(g: dg.Graph) -> None:
    listed = g.queries()
    assert listed.columns == ("name", "title", "params")
    names = [str(r["name"]) for r in listed]
    assert "rejected-proposals" in names and names == sorted(names)
    tagged = {str(r["name"]) for r in g.queries(tag="rejection")}
    assert tagged and tagged <= set(names) and "rejected-proposals" in tagged


def test_to_dataframe_converts_values_and_adds_labels(g: dg.Graph) -> None:
    rows = g.query(
        f"SELECT ?who (COUNT(?c) AS ?n) WHERE {{ ?c <{DG}speaker> ?who }} "
        "GROUP BY ?who ORDER BY DESC(?n) ?who"
    )
    df = rows.to_dataframe(labels=True)  # type: ignore[union-attr]
    assert list(df.columns) == ["who", "who_label", "n"]
    assert df["n"].dtype.kind == "i"
    expected = labels_for(g.store, [r["who"] for r in rows])  # type: ignore[union-attr]
    assert dict(zip(df["who"], df["who_label"], strict=True)) == {
        iri.shorten(k): v for k, v in expected.items()
    }
    lavrov = df[df["who"] == "id:person/sergey-lavrov"]
    assert lavrov["who_label"].tolist() == ["Sergey Lavrov"]


def test_an_empty_result_is_an_empty_dataframe_with_its_columns(g: dg.Graph) -> None:
    rows = g.query("SELECT ?a ?b WHERE { FILTER(false) }")
    df = rows.to_dataframe()  # type: ignore[union-attr]
    assert list(df.columns) == ["a", "b"] and len(df) == 0
    assert repr(rows).endswith("(0 rows)")


def test_without_pandas_to_dataframe_says_how_to_install_it(store_path: Path) -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import diplograph as dg\n"
        "rows = dg.Rows(('a',), [])\n"
        "try:\n"
        "    rows.to_dataframe()\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "needs pandas, which is not installed: pip install pandas" in out.stdout


def test_network_is_the_exported_view(g: dg.Graph) -> None:
    view = g.network("actors", actors="state/russia")
    assert isinstance(view, nx.MultiDiGraph)
    assert str(RUSSIA) in view and view.nodes[str(RUSSIA)]["label"] == "Russia"
    claims = g.network("claims", event_types=["12"], graphs="article/article-001")
    exported = build_view(
        g.store, "claims", filters=Filters.of(event_types=["12"], graphs=["article/article-001"])
    )
    assert sorted(claims.edges(keys=True)) == sorted(exported.edges(keys=True))
    assert claims.number_of_edges() > 0
    assert all(d["event_code"].startswith("12") for _, _, d in claims.edges(data=True))
    dated = g.network("actors", start=dt.date(2014, 3, 1), end="2014-03-01")
    assert sorted(dated.edges(keys=True)) == sorted(
        build_view(
            g.store, "actors", filters=Filters.of(start="2014-03-01", end="2014-03-01")
        ).edges(keys=True)
    )
    with pytest.raises(ExportError, match="Unknown network view 'people'"):
        g.network("people")
    with pytest.raises(NotFound, match="There is no resource 'Russia'"):
        g.network("actors", actors="Russia")


def test_describe_reads_an_iri_as_the_cli_does(g: dg.Graph) -> None:
    for text in ("person/sergey-lavrov", "id:person/sergey-lavrov", f"<{LAVROV}>"):
        lavrov = g.describe(text)
        assert lavrov.iri == LAVROV and lavrov.label == "Sergey Lavrov"
    assert URIRef(DG + "Person") in lavrov.types
    assert lavrov.statements.columns == ("predicate", "object", "graph")
    assert (URIRef(str(iri.PREFIXES["rdfs"]) + "label"), Literal("Sergey Lavrov", lang="en")) in {
        (r["predicate"], r["object"]) for r in lavrov.statements
    }
    made = {r["claim"] for r in lavrov.claims_made}
    assert iri.claim("article-001", 1) in made
    assert [str(r["graph"]) for r in lavrov.sources] == [str(iri.article_graph("article-001"))]
    assert "Sergey Lavrov <" in repr(lavrov)


def test_describe_of_nothing_is_not_found(g: dg.Graph) -> None:
    with pytest.raises(NotFound, match=r"says nothing about <.*person/nobody>"):
        g.describe("person/nobody")
    with pytest.raises(NotFound, match="There is no resource 'Lavrov'"):
        g.describe("Lavrov")


def test_the_notebook_table_escapes_what_the_data_says() -> None:
    rows = dg.Rows(("label",), [(Literal("<script>alert(1)</script>"),)])
    shown = rows._repr_html_()
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert shown.endswith("<p>(1 row)</p>")
