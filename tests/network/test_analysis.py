"""Analyses on the fictional test graph, with the answers worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from diplograph.errors import ExportError, NotFound
from diplograph.graph.network import analysis, build_view
from diplograph.graph.network.filters import Filters

ID = "https://w3id.org/diplograph/id/"


def test_centrality_of_actors(fiction):
    table = analysis.centrality(build_view(fiction, "actors"))
    assert [c.label for c in table[:3]] == ["Freedonia", "Ruritania", "Syldavia"]
    fre = table[0]
    # Freedonia links to 4 of the 6 other actors
    assert fre.degree == pytest.approx(4 / 6, abs=1e-6)
    assert fre.betweenness == pytest.approx(
        nx.betweenness_centrality(nx.Graph(build_view(fiction, "actors")))[ID + "state/freedonia"],
        abs=1e-6,
    )
    assert sum(c.pagerank for c in table) == pytest.approx(1.0, abs=1e-4)
    assert len(analysis.centrality(build_view(fiction, "actors"), top=2)) == 2


def test_pagerank_matches_the_textbook_cycle():
    ring = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert analysis.pagerank(ring) == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    star = nx.DiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    pr = analysis.pagerank(star)
    assert pr["hub"] > pr["a"] == pytest.approx(pr["b"])


def test_explanation_path_is_printed_as_triples(fiction):
    steps = analysis.explain_path(
        fiction, ID + "person/rudolf-rassendyll", ID + "organization/league"
    )
    assert [str(s) for s in steps] == [
        "Rassendyll praises Freedonia --speaker--> Rudolf Rassendyll",
        "Rassendyll praises Freedonia --invokes--> Charter of Zenda",
        "Charter of Zenda --adoptedBy--> League of Fictional Nations",
    ]
    assert steps[0].predicate == "https://w3id.org/diplograph/ontology#speaker"
    assert steps[0].graph.endswith("/graph/article/fiction-news")


def test_explanation_path_errors(fiction):
    with pytest.raises(NotFound, match="no resource"):
        analysis.explain_path(fiction, ID + "state/oz", ID + "state/ruritania")
    article = Filters.of(graphs=["article/fiction-news"])
    with pytest.raises(NotFound, match="state/xss> has no links in the full view"):
        analysis.explain_path(
            fiction, ID + "person/rudolf-rassendyll", ID + "state/xss", filters=article
        )
    dg = "https://w3id.org/diplograph/ontology#"
    with pytest.raises(NotFound, match="No chain of links joins"):
        # without these links Rassendyll only reaches his tenure and his post
        analysis.explain_path(
            fiction,
            ID + "person/rudolf-rassendyll",
            ID + "state/syldavia",
            filters=article,
            skip=analysis.EXPLAIN_SKIP | {dg + "postIn", dg + "onBehalfOf", dg + "speaker"},
        )


def test_balance_pairs_and_triads(fiction):
    pairs, triads = analysis.balance(fiction)
    got = {(p.a_label, p.b_label): (p.claims, p.goldstein, p.sign) for p in pairs}
    assert got == {
        ("Borduria", "Ruritania"): (1, 3.4, 1),
        ("Borduria", "Syldavia"): (1, 3.4, 1),
        ("Freedonia", "Ruritania"): (1, 3.4, 1),  # Rassendyll spoke for Ruritania
        ("Freedonia", "Syldavia"): (1, -7.0, -1),
        ("Ruritania", "Syldavia"): (1, -5.0, -1),
    }
    assert [(t.labels, t.signs, t.balanced) for t in triads] == [
        (("Borduria", "Ruritania", "Syldavia"), (1, 1, -1), False),
        (("Freedonia", "Ruritania", "Syldavia"), (1, -1, -1), True),
    ]
    pairs, triads = analysis.balance(fiction, by="speaker")
    assert ("Rudolf Rassendyll", "Freedonia") in {(p.a_label, p.b_label) for p in pairs}
    assert [t.balanced for t in triads] == [False]
    with pytest.raises(ExportError, match="Unknown grouping"):
        analysis.balance(fiction, by="party")  # type: ignore[arg-type]


def test_communities_are_seeded_and_cover_every_node(fiction):
    view = build_view(fiction, "actors")
    first = analysis.communities(view)
    assert first == analysis.communities(view)
    assert sorted(n for c in first for n, _ in c) == sorted(view.nodes)
    together = [{label for _, label in c} for c in first]
    assert {"Rudolf Rassendyll", "Ruritania"} in together
    greedy = analysis.communities(view, method="greedy")
    assert sorted(n for c in greedy for n, _ in c) == sorted(view.nodes)


def test_contested_claims(fiction):
    [c] = analysis.contested(fiction)
    assert (c.relation, c.claim_label, c.other_label) == (
        "contests",
        "Syldavia courts Borduria",
        "Ruritania praises Borduria",
    )
    assert (c.claim_speaker, c.other_speaker) == ("Syldavia", "Ruritania")
    assert analysis.contested(fiction, filters=Filters.of(graphs=["dataset/fiction"])) == []
