"""/export/<view>.<format> and /graph through the app factory's test client."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import networkx as nx
import pytest
from flask import Flask

from diplograph.graph.store import DiploGraph
from diplograph.server.app import BLUEPRINTS

ID = "https://w3id.org/diplograph/id/"


@pytest.fixture
def app(make_app: Callable[..., Flask], fiction: DiploGraph) -> Flask:
    """The shared ``client`` talks to an app over the fictional graph."""
    return make_app(graph=fiction, workers=0)


def test_blueprint_is_registered():
    from diplograph.server import export

    assert export.bp in BLUEPRINTS


@pytest.mark.parametrize(
    ("path", "media_type", "disposition"),
    [
        ("/export/actors.graphml", "application/graphml+xml; charset=utf-8", "attachment"),
        ("/export/actors.gexf", "application/gexf+xml; charset=utf-8", "attachment"),
        ("/export/actors.cytoscape", "application/json; charset=utf-8", "inline"),
        ("/export/actors.cyjs", "application/json; charset=utf-8", "inline"),
        ("/export/actors.d3", "application/json; charset=utf-8", "inline"),
        ("/export/actors.dot", "text/vnd.graphviz; charset=utf-8", "attachment"),
        ("/export/actors.gv", "text/vnd.graphviz; charset=utf-8", "attachment"),
        ("/export/actors.zip", "application/zip", "attachment"),
        ("/export/actors.svg", "image/svg+xml; charset=utf-8", "inline"),
        ("/export/actors.png", "image/png", "inline"),
    ],
)
def test_every_format_is_served(client, path, media_type, disposition):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == media_type
    suffix = path.rsplit(".", 1)[1]
    assert r.headers["Content-Disposition"].startswith(f'{disposition}; filename="actors.')
    assert r.headers["X-Diplograph-Nodes"] == "7"
    assert len(r.data) > 100, suffix


def test_filters_from_the_query_string(client):
    r = client.get("/export/claims.graphml?from=2021&to=2021-12")
    g = nx.read_graphml(io.BytesIO(r.data), force_multigraph=True)
    assert sorted(d["iri"][-1] for *_, d in g.edges(data=True)) == ["1", "2"]
    r = client.get(
        "/export/claims.cytoscape",
        query_string=[("actor", "state/syldavia"), ("event_type", "05")],
    )
    edges = r.json["elements"]["edges"]
    assert [e["data"]["iri"] for e in edges] == [ID + "claim/fiction-news/5"]
    r = client.get("/export/actors.zip?graph=article/fiction-news")
    with zipfile.ZipFile(io.BytesIO(r.data)) as zf:
        assert zf.read("edges.csv").decode().count("\n") == 2  # header and the one post


def test_cytoscape_nodes_link_to_their_pages(client):
    r = client.get("/export/actors.cytoscape?actor=person/rudolf-rassendyll")
    nodes = {n["data"]["id"]: n["data"] for n in r.json["elements"]["nodes"]}
    assert nodes[ID + "person/rudolf-rassendyll"]["url"] == "/id/person/rudolf-rassendyll"
    assert set(nodes) == {ID + "person/rudolf-rassendyll", ID + "state/ruritania"}


def test_etag_and_304(client):
    r = client.get("/export/claims.d3")
    again = client.get("/export/claims.d3", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/export/claims.d3?from=2022", headers={"If-None-Match": r.headers["ETag"]})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (
            "/export/people.graphml",
            404,
            "There is no network view 'people'; choose one of: actors, claims, agreements, full.",
        ),
        (
            "/export/actors.xls",
            404,
            "Unknown network format 'xls'; choose one of: graphml, gexf, "
            "cytoscape, d3, dot, csvzip, svg, png.",
        ),
        (
            "/export/actors.graphml?from=2021-02-30",
            400,
            "The 'from' date '2021-02-30' is not a date; give YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
        (
            "/export/actors.graphml?event_type=12",
            400,
            "The actors view has no claims, so an "
            "event-type filter cannot apply; use the "
            "claims, agreements or full view.",
        ),
        (
            "/export/full.d3?actor=state/oz",
            404,
            "There is no resource <https://w3id.org/diplograph/id/state/oz> in the graph.",
        ),
        (
            "/graph?view=people",
            404,
            "There is no network view 'people'; choose one of: actors, claims, agreements, full.",
        ),
    ],
)
def test_errors_are_json_with_the_right_status(client, path, status, message):
    r = client.get(path, headers={"Accept": "application/json"})
    assert r.status_code == status
    assert r.json == {"error": message, "status": status}


def test_graph_page_has_no_inline_script_and_escapes_labels(client):
    r = client.get("/graph?focus=state/xss&view=actors")
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    html = r.data.decode()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Land" in html
    assert "<script>alert" not in html
    scripts = html.count("<script")
    assert scripts == html.count("<script src=") == 6  # cytoscape, fcose (3), legend, page
    assert 'src="/static/vendor/cytoscape/cytoscape.min.js"' in html
    assert 'data-elements-url="/export/actors.cytoscape"' in html
    assert f'data-focus="{ID}state/xss"' in html
    nav = html[html.index('class="site-nav"') :]
    assert 'href="/graph" class="active"' in nav[: nav.index("</nav>")]


def test_graph_assets_ship_with_the_package(client):
    for path in (
        "/static/js/graph.js",
        "/static/css/graph.css",
        "/static/vendor/cytoscape/cytoscape.min.js",
    ):
        assert client.get(path).status_code == 200, path
    from importlib.resources import files

    vendor = files("diplograph.server") / "static" / "vendor" / "cytoscape"
    assert "MIT" in (vendor / "SOURCE.md").read_text()
    assert "Permission is hereby granted" in (vendor / "LICENSE").read_text()


def test_group_and_top_make_the_export_readable(make_app, seed_graph):
    seed = make_app(graph=seed_graph, workers=0).test_client()
    whole = seed.get("/export/full.cytoscape?actor=state/russia").get_json()["elements"]
    grouped = seed.get("/export/full.cytoscape?actor=state/russia&group=5").get_json()
    nodes = grouped["elements"]["nodes"]
    aggregates = [n["data"] for n in nodes if n["data"].get("aggregate")]
    assert aggregates and all(a["count"] > 5 for a in aggregates)
    assert "url" not in aggregates[0]  # an aggregate is no resource: no page to open
    assert len(nodes) - len(aggregates) + sum(a["count"] for a in aggregates) == len(whole["nodes"])
    # every edge says its type: the property's label in the full view
    assert {e["data"]["type"] for e in whole["edges"]} >= {"on behalf of", "target"}
    top = seed.get("/export/full.cytoscape?actor=state/russia&top=7").get_json()
    assert len(top["elements"]["nodes"]) == 7
    assert top["data"]["hidden_nodes"] == len(whole["nodes"]) - 7
    assert any(n["data"]["id"].endswith("/state/russia") for n in top["elements"]["nodes"])


@pytest.mark.parametrize("query", ["group=x", "top=-1", "group=1.5", "top=2000000"])
def test_bad_group_or_top_is_a_400(client, query):
    r = client.get(f"/export/actors.cytoscape?{query}")
    assert r.status_code == 400
    assert "must be a whole number from 0 (off) to 1000000" in r.get_json()["error"]


def test_graph_page_asks_for_a_readable_view_and_readable_pictures(client):
    html = client.get("/graph?focus=state/xss").get_data(as_text=True)
    assert 'data-filter-query="group=20&amp;top=400"' in html
    assert (
        "/export/full.png?actor=https%3A%2F%2Fw3id.org%2Fdiplograph%2Fid%2Fstate%2Fxss&amp;group=20"
        in html
    )
    html = client.get("/graph?focus=state/xss&group=3&top=50").get_data(as_text=True)
    assert 'data-filter-query="group=3&amp;top=50"' in html
    assert 'name="group" value="3"' in html


def test_a_picture_over_graphviz_s_limit_is_refused_with_422(client, monkeypatch):
    """A view with more nodes than Graphviz is asked to draw is a 422 with a JSON body that says
    so, before Graphviz starts (the limit lowered to 3 here: the fictional graph is small)."""
    from diplograph.graph.network import export as export_module

    monkeypatch.setattr(export_module, "DRAW_LIMIT", 3)
    got = client.get("/export/actors.svg")
    assert got.status_code == 422
    assert got.json["status"] == 422
    assert "more than the 3 Graphviz is asked to draw" in got.json["error"]
    assert client.get("/export/actors.graphml").status_code == 200  # not a picture: drawn
