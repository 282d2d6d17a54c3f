"""Views and analyses on the bundled data: the seed article (seed_graph) and, for the real-world
backbone, every bundled dataset (full_graph). Expectations are read off the sources: the article
text (graph/data/articles/article-001.*) and the datasets' SOURCE notes."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from diplograph.graph.network import analysis, build_view
from diplograph.graph.network.export import export
from diplograph.graph.network.filters import Filters

ID = "https://w3id.org/diplograph/id/"
LAVROV, PESKOV, TRUMP = (
    ID + "person/sergey-lavrov",
    ID + "person/dmitry-peskov",
    ID + "person/donald-trump",
)
RUSSIA, USA, UKRAINE = (
    ID + "state/russia",
    ID + "state/united-states-of-america",
    ID + "state/ukraine",
)
NATO, OSCE = ID + "organization/nato", ID + "organization/osce"


def test_seed_actors_view_has_the_posts_of_the_article(seed_graph):
    g = build_view(seed_graph, "actors")
    posts = {(u, v, d["label"]) for u, v, d in g.edges(data=True) if d["relation"] == "post"}
    assert (LAVROV, RUSSIA, "Minister of Foreign Affairs of Russia") in posts
    assert (TRUMP, USA, "President of the United States") in posts
    assert any(u == PESKOV and v == RUSSIA for u, v, _ in posts)
    assert g.nodes[LAVROV]["label"] == "Sergey Lavrov" and g.nodes[LAVROV]["kind"] == "person"


def test_seed_claims_view(seed_graph):
    g = build_view(seed_graph, "claims")
    to_nato = [d for u, v, d in g.edges(data=True) if u == LAVROV and v == NATO]
    assert len(to_nato) == 1
    d = to_nato[0]
    assert d["on_behalf_of"] == RUSSIA and d["goldstein"] < 0
    assert d["document"] == ID + "article/article-001"
    assert d["graph"] == "https://w3id.org/diplograph/graph/article/article-001"
    assert "date" not in d  # the article gives no date: unknown stays unknown
    # every claim edge has an event type with a Goldstein score and a quad class
    assert all("goldstein" in d and "quad_class" in d for *_, d in g.edges(data=True))
    # the event-type filter: Lavrov's rejections (CAMEO 12x) of Trump's plan and US incentives
    rejections = build_view(seed_graph, "claims", filters=Filters.of(event_types=["12"]))
    assert {(u, v) for u, v in rejections.edges()} >= {(LAVROV, TRUMP), (LAVROV, USA)}
    assert all(d["event_code"].startswith("12") for *_, d in rejections.edges(data=True))


def test_seed_agreements_view_links_lavrov_to_the_osce_documents(seed_graph):
    g = build_view(seed_graph, "agreements")
    invoked = {g.nodes[v]["label"] for u, v, d in g.edges(data=True) if d["relation"] == "invokes"}
    assert {"Charter for European Security", "indivisible security"} <= invoked
    adopted = {
        g.nodes[u]["label"] for u, v, d in g.edges(data=True) if d["relation"] == "adopted-by"
    }
    assert "Charter for European Security" in adopted
    assert any(u == LAVROV and d["relation"] == "speaker" for u, _, d in g.edges(data=True))


def test_how_lavrov_connects_to_nato(seed_graph):
    steps = analysis.explain_path(seed_graph, LAVROV, NATO)
    assert len(steps) == 2
    claim = steps[0].subject
    assert claim.startswith(ID + "claim/article-001/")
    assert (steps[0].predicate_label, steps[0].object) == ("speaker", LAVROV)
    assert (steps[1].subject, steps[1].predicate_label, steps[1].object) == (claim, "target", NATO)
    assert str(steps[1]).endswith("--target--> North Atlantic Treaty Organization")


def test_seed_balance_russia_against_the_west(seed_graph):
    pairs, triads = analysis.balance(seed_graph)
    signs = {frozenset((p.a, p.b)): p.sign for p in pairs}
    assert signs[frozenset((RUSSIA, USA))] == -1  # Lavrov rejects the US plan and incentives
    assert signs[frozenset((RUSSIA, NATO))] == -1
    assert signs[frozenset((USA, UKRAINE))] == 1  # Trump appeals for a settlement
    assert all(t.signs.count(0) == 0 for t in triads)


def test_seed_contested_claims(seed_graph):
    found = analysis.contested(seed_graph)
    pairs = {(c.relation, c.claim_speaker, c.other_speaker) for c in found}
    assert ("contests", "Institute for the Study of War", "Dmitry Peskov") in pairs
    assert {
        ("contradicts", "Sergey Lavrov", "Donald Trump"),
        ("contradicts", "Donald Trump", "Sergey Lavrov"),
    } & pairs
    # the contradiction is not listed a second time as a contest
    assert not {("contests", "Sergey Lavrov", "Donald Trump")} & pairs


def test_seed_centrality_puts_lavrov_first_among_speakers(seed_graph):
    ranked = analysis.centrality(build_view(seed_graph, "claims"), top=10)
    speakers = [c for c in ranked if "/person/" in c.iri]
    assert (speakers[0].iri, speakers[0].label) == (LAVROV, "Sergey Lavrov")
    assert ranked[0].iri == ID + "state/russia"  # every source speaks of or for Russia


@pytest.mark.slow
def test_backbone_russia_in_2014(full_graph):
    g = build_view(
        full_graph,
        "actors",
        filters=Filters.of(actors=["state/russia"], start="2014-01-01", end="2014-12-31"),
    )
    rel = {(u, v, d["relation"]) for u, v, d in g.edges(data=True)}
    assert (RUSSIA, OSCE, "membership") in rel  # COW IGO
    assert (RUSSIA, ID + "organization/un", "membership") in rel
    assert (USA, RUSSIA, "mission") in rel  # US mission status: an embassy in Moscow
    assert (RUSSIA, UKRAINE, "rivalry") in rel or (UKRAINE, RUSSIA, "rivalry") in rel
    mission = next(d for u, v, d in g.edges(data=True) if d["relation"] == "mission")
    assert mission["label"] == "Embassy"
    # ATOP alliances join Russia to its allies; each pair's interval overlaps 2014
    assert any(d["relation"] == "alliance" for *_, d in g.edges(data=True))
    back = nx.read_gexf(io.BytesIO(export(g, "gexf")))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.nodes[RUSSIA]["label"] == "Russia"


@pytest.mark.slow
def test_backbone_centrality_and_communities(full_graph):
    # US missions and strategic rivalries in 2014: the US sits in the middle of both
    view = build_view(
        full_graph,
        "actors",
        filters=Filters.of(
            graphs=["dataset/us-missions", "dataset/rivalries"], start="2014", end="2014"
        ),
    )
    table = analysis.centrality(view)
    assert table[0].iri == USA
    assert table[0].degree > 0.5
    found = analysis.communities(view)
    assert sum(len(c) for c in found) == view.number_of_nodes()
    assert found == analysis.communities(view)  # seeded: the same every time
