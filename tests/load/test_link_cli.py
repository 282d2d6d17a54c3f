"""``diplograph link FILE.csv``: verified links into their own named graph, rows without a
source refused with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from diplograph.cli import cli
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph
from diplograph.iri import META_GRAPH

LINKS = "https://w3id.org/diplograph/graph/links/more-links"


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_graph(url) as g:
        build(g, parts=("articles", "links"))
    return url


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "more-links.csv"
    path.write_text("entity,qid,source\n" + rows, encoding="utf-8")
    return path


def _graphs(url: str) -> list[str]:
    with open_graph(url) as g:
        return [str(x) for x in g.named_graphs()]


def test_link_adds_links_with_sources_and_provenance(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "state/germany,Q183,https://www.wikidata.org/wiki/Q183\n"
        "person/dmitry-peskov,Q2705478,https://www.wikidata.org/wiki/Q2705478\n",
    )
    with open_graph(store) as g:  # germany is not in the article graph: add it for this test
        g.update(
            "INSERT DATA { GRAPH <https://w3id.org/diplograph/graph/file/t> { "
            "<https://w3id.org/diplograph/id/state/germany> a "
            "<https://w3id.org/diplograph/ontology#State> } }"
        )
    result = runner.invoke(cli, ["--store", store, "link", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Added 2 link(s) from {path} into the named graph <{LINKS}>." in result.output
    with open_graph(store) as g:
        rows = g.query(
            f"SELECT ?e ?t ?src WHERE {{ GRAPH <{LINKS}> {{ "
            "?e <http://www.w3.org/2002/07/owl#sameAs> ?t ."
            " ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?e ;"
            " <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?t ;"
            " <http://purl.org/dc/terms/source> ?src } } ORDER BY ?e"
        ).rows
        assert [(str(e), str(t), str(s)) for e, t, s in rows] == [
            (
                "https://w3id.org/diplograph/id/person/dmitry-peskov",
                "http://www.wikidata.org/entity/Q2705478",
                "https://www.wikidata.org/wiki/Q2705478",
            ),
            (
                "https://w3id.org/diplograph/id/state/germany",
                "http://www.wikidata.org/entity/Q183",
                "https://www.wikidata.org/wiki/Q183",
            ),
        ]
        meta = g.query(
            f"SELECT ?l WHERE {{ GRAPH <{META_GRAPH}> {{ <{LINKS}> "
            "<http://purl.org/dc/terms/license> ?l } }"
        ).rows
        assert meta == [(URIRef("https://creativecommons.org/publicdomain/zero/1.0/"),)]


def test_row_without_source_is_refused_and_nothing_written(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "person/dmitry-peskov,Q2705478,https://www.wikidata.org/wiki/Q2705478\n"
        "state/russia,Q159,\n",
    )
    result = runner.invoke(cli, ["--store", store, "link", str(path)])
    assert result.exit_code == 2
    assert (
        ":3: state/russia: 'source' is missing: every link needs the source that verifies it."
        in (result.output)
    )
    assert LINKS not in _graphs(store)


def test_unknown_entity_is_refused(runner: CliRunner, store: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "person/nobody-at-all,Q42,https://www.wikidata.org/wiki/Q42\n")
    result = runner.invoke(cli, ["--store", store, "link", str(path)])
    assert result.exit_code == 2
    assert "more-links.csv:2: person/nobody-at-all: 'entity' the store knows nothing about" in (
        result.output
    )
    assert LINKS not in _graphs(store)


def test_dbpedia_links_reach_the_page_and_void(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    from diplograph.server.app import create_app

    path = tmp_path / "dbpedia-check.csv"
    path.write_text(
        "entity,dbpedia,source\nstate/russia,Russia,https://dbpedia.org/page/Russia\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["--store", store, "link", str(path)])
    assert result.exit_code == 0, result.output
    app = create_app({"store": store, "workers": 0})
    try:
        client = app.test_client()
        html = client.get("/page/state/russia").get_data(as_text=True)
        assert 'href="http://dbpedia.org/resource/Russia">DBpedia Russia</a>' in html
        assert 'href="http://www.wikidata.org/entity/Q159">Wikidata Q159</a>' in html
        void = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
        text = void.get_data(as_text=True)
        assert (
            "<http://localhost/.well-known/void#linkset-dbpedia> <http://rdfs.org/ns/void#triples> "
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
        ) in text
    finally:
        app.extensions["diplograph"].close()


def test_dbpedia_row_without_source_is_refused(
    runner: CliRunner, store: str, tmp_path: Path
) -> None:
    path = tmp_path / "dbpedia-bad.csv"
    path.write_text("entity,dbpedia,source\nstate/russia,Russia,\n", encoding="utf-8")
    result = runner.invoke(cli, ["--store", store, "link", str(path)])
    assert result.exit_code == 2
    assert "dbpedia-bad.csv:2: state/russia: 'source' is missing" in result.output
    assert "https://w3id.org/diplograph/graph/links/dbpedia-bad" not in _graphs(store)
