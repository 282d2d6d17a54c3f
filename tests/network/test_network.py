"""The network views and their filters, on the fictional test graph (tests/network/data)."""

from __future__ import annotations

import pytest

from diplograph.errors import ExportError, NotFound
from diplograph.graph.network import VIEWS, build_view
from diplograph.graph.network.filters import Filters, bounds
from diplograph.graph.store import DiploGraph

ID = "https://w3id.org/diplograph/id/"
RUR, FRE, SYL, BOR = (ID + f"state/{s}" for s in ("ruritania", "freedonia", "syldavia", "borduria"))
LEAGUE = ID + "organization/league"
RASS = ID + "person/rudolf-rassendyll"


def edges(g, relation=None):
    return sorted(
        (u, v, d["relation"])
        for u, v, d in g.edges(data=True)
        if relation is None or d["relation"] == relation
    )


def test_every_view_is_documented():
    assert set(VIEWS) == {"actors", "claims", "agreements", "full"}
    assert all(len(text) > 40 for text in VIEWS.values())


def test_actors_view_has_posts_memberships_alliances_missions(fiction: DiploGraph):
    g = build_view(fiction, "actors")
    assert edges(g, "post") == [(RASS, RUR, "post")]
    assert edges(g, "membership") == [(RUR, LEAGUE, "membership"), (SYL, LEAGUE, "membership")]
    # Ruritania left the pact (2010) before Syldavia joined (2012): no Ruritania-Syldavia edge
    assert edges(g, "alliance") == [(FRE, RUR, "alliance"), (FRE, SYL, "alliance")]
    assert edges(g, "mission") == [(FRE, BOR, "mission"), (FRE, ID + "state/xss", "mission")]
    post = next(d for *_, d in g.edges(data=True) if d["relation"] == "post")
    assert post["label"] == "Minister of Foreign Affairs of Ruritania"
    assert post["start"] == "2020-05-01" and "end" not in post
    assert post["iri"] == ID + "tenure/rassendyll-mfa"
    assert post["graph"] == "https://w3id.org/diplograph/graph/article/fiction-news"
    pact = {(u, v): d for u, v, d in g.edges(data=True) if d["relation"] == "alliance"}
    # the pair's interval is the overlap of the two participations
    assert (pact[(FRE, RUR)]["start"], pact[(FRE, RUR)]["end"]) == ("2005-06", "2010-12-31")
    assert pact[(FRE, RUR)]["label"] == "Pact of Strelsau"
    mission = next(d for u, v, d in g.edges(data=True) if v == BOR)
    assert mission["label"] == "embassy" and mission["start"] == "1999"


def test_nodes_have_human_labels_kinds_and_iris(fiction: DiploGraph):
    g = build_view(fiction, "actors")
    assert g.nodes[RASS] == {
        "label": "Rudolf Rassendyll",
        "iri": RASS,
        "kind": "person",
        "class": "Official",
    }
    assert g.nodes[LEAGUE]["kind"] == "organization"
    assert g.nodes[LEAGUE]["class"] == "InternationalOrganization"
    assert g.nodes[ID + "state/xss"]["label"] == '<script>alert("x")</script> & Land'


def test_claims_view_carries_event_type_goldstein_date_source(fiction: DiploGraph):
    g = build_view(fiction, "claims")
    assert g.number_of_edges() == 5
    c1 = next(d for *_, d in g.edges(data=True) if d["iri"] == ID + "claim/fiction-news/1")
    assert c1 == {
        "relation": "claim",
        "iri": ID + "claim/fiction-news/1",
        "label": "Praise or endorse",
        "event_type": ID + "cameo/051",
        "event_code": "051",
        "quad_class": "Verbal cooperation",
        "goldstein": 3.4,
        "weight": 3.4,
        "on_behalf_of": RUR,
        "date": "2021-03-04",
        "document": ID + "article/fiction-news",
        "graph": "https://w3id.org/diplograph/graph/article/fiction-news",
    }
    assert (RASS, FRE) in g.edges()


def test_agreements_view(fiction: DiploGraph):
    g = build_view(fiction, "agreements")
    charter, pact = ID + "agreement/charter", ID + "agreement/pact"
    assert sorted(edges(g)) == sorted(
        [
            (RUR, pact, "participation"),
            (FRE, pact, "participation"),
            (SYL, pact, "participation"),
            (RUR, charter, "party"),
            (FRE, charter, "party"),
            (charter, ID + "principle/good-neighbourliness", "principle"),
            (charter, LEAGUE, "adopted-by"),
            (ID + "claim/fiction-news/1", charter, "invokes"),
            (RASS, ID + "claim/fiction-news/1", "speaker"),
        ]
    )
    assert g.nodes[charter]["class"] == "Charter"
    assert g.nodes[ID + "claim/fiction-news/1"]["kind"] == "claim"


def test_full_view_leaves_out_code_lists_and_types(fiction: DiploGraph):
    g = build_view(fiction, "full")
    assert ID + "concept/quad-class/verbal-cooperation" not in g  # only linked from codes graph
    assert g.has_edge(ID + "claim/fiction-news/5", ID + "claim/fiction-news/4")
    preds = {d["predicate"] for *_, d in g.edges(data=True)}
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in preds
    assert "https://w3id.org/diplograph/ontology#contests" in preds
    assert g.number_of_edges() == 45


def test_date_filter_uses_precision_and_intervals(fiction: DiploGraph):
    g = build_view(fiction, "claims", filters=Filters.of(start="2021", end="2021-12"))
    assert sorted(d["iri"].rsplit("/", 1)[1] for *_, d in g.edges(data=True)) == ["1", "2"]
    # claim 3 is dated "2022" only: it overlaps 2022-06 ; claim 5 has no date: left out
    g = build_view(fiction, "claims", filters=Filters.of(start="2022-06-01", end="2022-06-30"))
    assert [d["iri"] for *_, d in g.edges(data=True)] == [ID + "claim/fiction-news/3"]
    g = build_view(fiction, "actors", filters=Filters.of(start="2011", end="2013"))
    assert edges(g) == [(FRE, BOR, "mission"), (FRE, SYL, "alliance"), (RUR, LEAGUE, "membership")]


def test_graph_actor_and_event_type_filters(fiction: DiploGraph):
    g = build_view(fiction, "actors", filters=Filters.of(graphs=["article/fiction-news"]))
    assert edges(g) == [(RASS, RUR, "post")]
    g = build_view(fiction, "claims", filters=Filters.of(actors=["state/ruritania"]))
    # on-behalf-of counts: Rassendyll spoke for Ruritania
    assert sorted(d["iri"][-1] for *_, d in g.edges(data=True)) == ["1", "3", "4"]
    g = build_view(fiction, "claims", filters=Filters.of(event_types=["12"]))
    assert [d["event_code"] for *_, d in g.edges(data=True)] == ["1231"]
    g = build_view(fiction, "full", filters=Filters.of(actors=[RASS]))
    assert set(g.nodes) == {RASS, ID + "tenure/rassendyll-mfa", ID + "claim/fiction-news/1"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2021-13"}, "'from' date '2021-13' is not a date"),
        ({"start": "2022", "end": "2021"}, "The date range is empty"),
        ({"event_types": ["reject"]}, "not a CAMEO code"),
    ],
)
def test_bad_filters_say_what_is_wrong(fiction, kwargs, message):
    with pytest.raises(ExportError, match=message):
        build_view(fiction, "claims", filters=Filters.of(**kwargs))


def test_bad_view_or_focus(fiction):
    with pytest.raises(ExportError, match="Unknown network view 'people'; choose one of: actors"):
        build_view(fiction, "people")
    with pytest.raises(ExportError, match="actors view has no claims"):
        build_view(fiction, "actors", filters=Filters.of(event_types=["12"]))
    with pytest.raises(NotFound, match=r"no named graph <https://w3id\.org/diplograph/graph/x>"):
        build_view(fiction, "actors", filters=Filters.of(graphs=["x"]))
    with pytest.raises(NotFound, match=r"no resource <https://w3id\.org/diplograph/id/state/oz>"):
        build_view(fiction, "actors", filters=Filters.of(actors=["state/oz"]))


def test_bounds_of_partial_dates():
    assert [d.isoformat() for d in bounds("2024-02")] == ["2024-02-01", "2024-02-29"]
    assert bounds("not a date") is None


def test_a_relation_stated_twice_is_one_edge(empty_graph: DiploGraph):
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import RDF, SKOS

    from diplograph.provenance import Source

    dg, m = Namespace("https://w3id.org/diplograph/ontology#"), URIRef(ID + "membership/x")
    status = URIRef(ID + "concept/membership-status/full")
    triples = [
        (m, RDF.type, dg.Membership),
        (m, dg.member, URIRef(RUR)),
        (m, dg.ofOrganization, URIRef(LEAGUE)),
        (m, dg.membershipStatus, status),
        (status, SKOS.prefLabel, Literal("full member", lang="en")),
        (status, SKOS.prefLabel, Literal("membre", lang="fr")),
    ]
    sources = [
        Source(URIRef(f"https://w3id.org/diplograph/graph/file/{n}"), n, "file", n, "-")
        for n in ("a", "b")
    ]
    empty_graph.replace_graphs([(s, triples) for s in sources])
    g = build_view(empty_graph, "actors")
    assert edges(g) == [(RUR, LEAGUE, "membership")]
    assert next(iter(g.edges(data=True)))[2]["label"] == "member of (full member)"
