"""Wikidata links: only the verified Q-IDs, each with its source; bad rows refused at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from diplograph import iri
from diplograph.errors import SourceError
from diplograph.graph.load.links import (
    WIKIDATA_CSV,
    bundled_link_sources,
    load_links_csv,
)
from diplograph.graph.store import DiploGraph

VERIFIED = {
    "state/russia": "Q159",
    "state/ukraine": "Q212",
    "state/united-states-of-america": "Q30",
    "person/donald-trump": "Q22686",
    "organization/nato": "Q7184",
    "organization/osce": "Q81299",
    "organization/eu": "Q458",
    "place/kyiv": "Q1899",
    "post/united-states-of-america-president": "Q11696",
}


def test_the_bundled_links_are_exactly_the_verified_ones() -> None:
    links = load_links_csv(WIKIDATA_CSV)
    assert {link.entity_path: link.qid for link in links} == VERIFIED
    assert all(link.source == f"https://www.wikidata.org/wiki/{link.qid}" for link in links)


def test_link_triples_carry_their_source() -> None:
    [(source, triples)] = bundled_link_sources()
    assert source.graph == iri.LINKS_GRAPH and source.kind == "links"
    assert source.origin == "graph/data/links/wikidata.csv"
    same = {(s, o) for s, p, o in triples if p == OWL.sameAs}
    assert (iri.ID["state/russia"], URIRef("http://www.wikidata.org/entity/Q159")) in same
    assert len(same) == 9
    stmts = {s for s, p, o in triples if p == RDF.type and o == RDF.Statement}
    assert len(stmts) == 9
    by_subject = {
        next(o for s2, p, o in triples if s2 == s and p == RDF.subject): next(
            o for s2, p, o in triples if s2 == s and p == DCTERMS.source
        )
        for s in stmts
    }
    assert by_subject[iri.ID["place/kyiv"]] == URIRef("https://www.wikidata.org/wiki/Q1899")


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "links.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_without_source_and_other_mistakes_are_refused(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "entity,qid,source\n"
        "state/russia,Q159,https://www.wikidata.org/wiki/Q159\n"
        "state/ukraine,Q212,\n"
        "State Russia,159,https://www.wikidata.org/wiki/Q159\n"
        "state/germany,Q183,https://www.wikidata.org/wiki/Q184\n"
        "state/russia,Q159,https://www.wikidata.org/wiki/Q159\n",
    )
    with pytest.raises(SourceError) as info:
        load_links_csv(path)
    assert str(info.value).splitlines() == [
        f"{path}: 5 problem(s) in the links; nothing was written.",
        f"{path}:3: state/ukraine: 'source' is missing: every link needs the source that "
        "verifies it.",
        f"{path}:4: State Russia: 'entity' 'State Russia' is not an entity IRI path such as "
        "state/russia.",
        f"{path}:4: State Russia: 'qid' '159' is not a Wikidata Q-ID such as Q159.",
        f"{path}:5: state/germany: 'source' https://www.wikidata.org/wiki/Q184 is the page of "
        "Q184, not Q183.",
        f"{path}:6: state/russia: 'entity' is linked already at line 2.",
    ]


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path, "entity,qid\nstate/russia,Q159\n")
    with pytest.raises(SourceError, match=r"links.csv:1: the header must be entity,qid,source"):
        load_links_csv(path)


def test_every_linked_entity_exists_in_the_full_graph(full_graph: DiploGraph) -> None:
    query = """
    PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?e WHERE {
      ?e owl:sameAs ?wd .
      FILTER NOT EXISTS { ?e rdfs:label ?label }
    }"""
    assert list(full_graph.query(query)) == []
    eu = iri.ID["organization/eu"].n3()
    assert full_graph.query(f"ASK {{ {eu} a ?type }}").boolean is True
