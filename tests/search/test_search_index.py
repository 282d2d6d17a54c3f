"""The search index: ranking, kinds, normalisation, and staying in step with every write."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli import cli
from diplograph.errors import QueryParameterError, UnknownEntity
from diplograph.graph.search import index_path, normalise, search, suggest
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.queries.run import run_query

ID = "https://w3id.org/diplograph/id/"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALIAS = "<https://w3id.org/diplograph/ontology#alias>"


def _insert(g: DiploGraph, *triples: str) -> None:
    g.update("INSERT DATA { GRAPH <urn:x:test> { " + " ".join(triples) + " } }")


def _people(g: DiploGraph) -> None:
    _insert(
        g,
        f'<{ID}person/ann-berg> {LABEL} "Ann Berg"@en .',
        f'<{ID}person/ann-berg> {ALIAS} "Annie" .',
        f'<{ID}person/bergman> {LABEL} "Bergman"@en .',
        f'<{ID}person/berg> {LABEL} "Berg"@en .',
        f'<{ID}claim/a/1> {LABEL} "Berg warns of sanctions"@en .',
        f'<{ID}state/zeta> {LABEL} "Zéta"@fr .',
        f'<{ID}state/zeta> {LABEL} "Zeta Republic"@en .',
    )


def test_ranking_exact_then_prefix_then_words(empty_graph: DiploGraph) -> None:
    _people(empty_graph)
    hits = search(empty_graph, "berg")
    assert [(h.iri[len(ID) :], h.match) for h in hits] == [
        ("person/berg", "exact"),
        ("person/bergman", "prefix"),
        ("person/ann-berg", "words"),
        ("claim/a/1", "prefix"),  # a record about others ranks after the entities
    ]
    assert [h.kind for h in hits] == ["person", "person", "person", "claim"]


def test_aliases_accents_and_kinds(empty_graph: DiploGraph) -> None:
    _people(empty_graph)
    (annie,) = search(empty_graph, "ANNIE")
    assert (annie.label, annie.name, annie.match) == ("Ann Berg", "Annie", "exact")
    zeta = search(empty_graph, "zeta")
    assert [(h.label, h.kind, h.match) for h in zeta] == [("Zeta Republic", "state", "exact")]
    assert [h.iri for h in search(empty_graph, "berg", kinds=["claim"])] == [f"{ID}claim/a/1"]
    assert search(empty_graph, "  ") == [] and search(empty_graph, "nobody") == []
    assert normalise("Sergeï  LAVROV-") == "sergei lavrov"


def test_the_label_is_the_one_pages_and_exports_show(empty_graph: DiploGraph) -> None:
    """One label rule (describe.labels.pick_labels): English first, whatever the predicate, then
    a skos:prefLabel before an rdfs:label; an entity with aliases only is named by one."""
    from diplograph.graph.describe.labels import labels_for

    pref = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    _insert(
        empty_graph,
        f'<{ID}state/ruritania> {pref} "Ruritanie"@fr .',
        f'<{ID}state/ruritania> {LABEL} "Ruritania"@en .',
        f'<{ID}state/elbonia> {pref} "Elbonia"@en .',
        f'<{ID}state/elbonia> {LABEL} "Elbonia Republic"@en .',
        f'<{ID}person/nobody> {ALIAS} "Nemo" .',
    )
    found = {
        h.iri: h.label for name in ("rurit", "elbonia", "nemo") for h in search(empty_graph, name)
    }
    assert found == {
        f"{ID}state/ruritania": "Ruritania",
        f"{ID}state/elbonia": "Elbonia",
        f"{ID}person/nobody": "Nemo",
    }
    shown = labels_for(empty_graph, [f"{ID}state/ruritania", f"{ID}state/elbonia"])
    assert {str(k): v for k, v in shown.items()} == {
        k: v for k, v in found.items() if "/state/" in k
    }


def test_the_index_follows_every_write(empty_graph: DiploGraph) -> None:
    _people(empty_graph)
    assert search(empty_graph, "quentin") == []
    _insert(empty_graph, f'<{ID}person/q> {LABEL} "Quentin Roe"@en .')
    assert [h.label for h in search(empty_graph, "quent")] == ["Quentin Roe"]
    empty_graph.update(f"DELETE WHERE {{ GRAPH ?g {{ <{ID}person/q> ?p ?o }} }}")
    assert search(empty_graph, "quent") == []
    empty_graph.drop_graph(__import__("rdflib").URIRef("urn:x:test"))
    assert search(empty_graph, "berg") == []


def test_an_index_file_beside_the_store_is_rebuilt_when_stale(tmp_path: Path) -> None:
    url = f"oxigraph:{tmp_path / 'store'}"
    assert index_path(url) == tmp_path / "store.search.sqlite"
    with open_graph(url) as g:
        _people(g)
        assert search(g, "bergman")[0].match == "exact"
    assert (tmp_path / "store.search.sqlite").is_file()
    with open_graph(url) as g:  # another process's write: the stamp differs, so a rebuild
        _insert(g, f'<{ID}person/newcomer> {LABEL} "Newcomer"@en .')
    with open_graph(url, read_only=True) as g:
        assert [h.label for h in search(g, "newcomer")] == ["Newcomer"]


def test_suggestions_for_a_path_that_names_nothing(empty_graph: DiploGraph) -> None:
    _people(empty_graph)
    assert [h.label for h in suggest(empty_graph, "person/annie")] == ["Ann Berg"]
    assert [h.label for h in suggest(empty_graph, f"{ID}person/bergma")] == ["Bergman"]
    # a misspelt name: by the beginnings of its words
    assert [h.label for h in suggest(empty_graph, "person/bergmann")][:2] == ["Berg", "Bergman"]
    assert suggest(empty_graph, "person/xylophone") == []


def test_an_unknown_entity_parameter_is_an_error_with_suggestions(seed_graph: DiploGraph) -> None:
    with pytest.raises(UnknownEntity) as caught:
        run_query(seed_graph, "claims-by-actor", actor="person/lavrov")
    assert isinstance(caught.value, QueryParameterError)
    assert caught.value.param == "actor"
    assert "person/sergey-lavrov (Sergey Lavrov)" in str(caught.value)
    assert run_query(seed_graph, "claims-by-actor", actor="person/sergey-lavrov").rows


def test_cli_search_and_query(tmp_path: Path) -> None:
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_graph(url) as g:
        _people(g)
    runner = CliRunner()
    out = runner.invoke(cli, ["--store", url, "search", "berg", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"person/berg"' not in out.output and f'"{ID}person/berg"' in out.output
    table = runner.invoke(cli, ["--store", url, "search", "ann"])
    assert table.output.splitlines()[0].split() == ["Ann", "Berg", "person", "person/ann-berg"]
    bad = runner.invoke(
        cli, ["--store", url, "query", "claims-by-actor", "-p", "actor=person/bergmann"]
    )
    assert bad.exit_code == 2
    assert "no entity person/bergmann" in bad.output
    shown = runner.invoke(cli, ["query", "claims-by-actor", "--show"])
    assert shown.exit_code == 0 and "SELECT" in shown.output
