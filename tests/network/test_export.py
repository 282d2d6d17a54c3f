"""Every network format, read back by a real consumer: networkx for GraphML and GEXF, Graphviz's
dot for DOT, json/csv/zipfile for the others."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile

import networkx as nx
import pytest

from diplograph import formats
from diplograph.errors import ExportError, UnsupportedFormat
from diplograph.graph.network import build_view
from diplograph.graph.network.export import export, filename, network_format, to_dot
from diplograph.graph.store import DiploGraph

ID = "https://w3id.org/diplograph/id/"
XSS = ID + "state/xss"


@pytest.fixture(scope="module")
def claims(fiction: DiploGraph) -> nx.MultiDiGraph:
    return build_view(fiction, "claims")


@pytest.fixture(scope="module")
def actors(fiction: DiploGraph) -> nx.MultiDiGraph:
    return build_view(fiction, "actors")


def one_edge(g: nx.Graph, u: str, v: str) -> dict[str, object]:
    data = g.get_edge_data(u, v)
    return next(iter(data.values())) if g.is_multigraph() else data


def test_format_table_has_the_network_formats():
    keys = [f.key for f in formats.of_kind("network")]
    assert keys == ["graphml", "gexf", "cytoscape", "d3", "dot", "csvzip", "svg", "png"]
    assert network_format("gv").key == "dot" and network_format(".zip").key == "csvzip"
    assert filename("actors", network_format("gexf")) == "actors.gexf"
    with pytest.raises(
        UnsupportedFormat, match="Unknown network format 'xls'; choose one of: graphml, gexf"
    ):
        network_format("xls")
    with pytest.raises(UnsupportedFormat, match="Turtle is not a network format"):
        export(nx.MultiDiGraph(), formats.get("turtle"))


def test_graphml_reads_back_with_every_attribute(claims):
    back = nx.read_graphml(io.BytesIO(export(claims, "graphml")), force_multigraph=True)
    assert set(back.nodes) == set(claims.nodes)
    for n, d in claims.nodes(data=True):
        assert back.nodes[n] == d
    original = {d["iri"]: d for *_, d in claims.edges(data=True)}
    for u, v, d in back.edges(data=True):
        assert d == original[d["iri"]]
        assert (u, v) in claims.edges()
    assert back.graph["view"] == "claims"


def test_gexf_reads_back_with_attributes_and_time_intervals(actors):
    data = export(actors, "gexf")
    assert b'mode="dynamic"' in data and b'timeformat="date"' in data
    back = nx.read_gexf(io.BytesIO(data))
    assert back.nodes[ID + "person/rudolf-rassendyll"]["label"] == "Rudolf Rassendyll"
    assert back.nodes[XSS]["label"] == '<script>alert("x")</script> & Land'
    assert back.nodes[XSS]["kind"] == "state"
    pact = one_edge(back, ID + "state/freedonia", ID + "state/ruritania")
    # lexical dates kept; the spell as full dates for Gephi's timeline
    assert (pact["start_date"], pact["end_date"]) == ("2005-06", "2010-12-31")
    assert (pact["start"], pact["end"]) == ("2005-06-01", "2010-12-31")
    assert pact["label"] == "Pact of Strelsau" and pact["relation"] == "alliance"
    member = one_edge(back, ID + "state/syldavia", ID + "organization/league")
    assert (member["start"], member["end"]) == ("1995-01-01", "2005-12-31")


def test_gexf_claims_are_points_in_time_with_goldstein_weight(claims):
    back = nx.read_gexf(io.BytesIO(export(claims, "gexf")))
    e = next(d for *_, d in back.edges(data=True) if d["iri"].endswith("/2"))
    assert (e["start"], e["end"], e["date"]) == ("2021-04-01", "2021-04-30", "2021-04")
    assert e["weight"] == -7.0 and e["goldstein"] == -7.0
    assert e["quad_class"] == "Verbal conflict"


def test_dot_renders_with_graphviz(actors):
    dot = export(actors, "dot")
    done = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    svg = done.stdout.decode()
    assert len(re.findall(r'<g id="node\d+" class="node">', svg)) == actors.number_of_nodes() == 7
    assert len(re.findall(r'<g id="edge\d+" class="edge">', svg)) == 7
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Land" in svg
    assert "<script>" not in svg


def test_dot_escapes_quotes_and_backslashes():
    g = nx.MultiDiGraph(view="t")
    g.add_node('a"b', label='say "hi" \\ bye\nnext', kind="state")
    text = to_dot(g)
    assert '"a\\"b" [label="say \\"hi\\" \\\\ bye\\nnext"' in text
    done = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr


def test_svg_and_png_pictures(actors):
    svg = export(actors, "svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg.count('class="node"') == 7
    assert export(actors, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_cytoscape_json(claims):
    data = json.loads(export(claims, "cytoscape"))
    assert data["data"]["view"] == "claims"
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == 5 and len(edges) == 5
    rass = next(n["data"] for n in nodes if n["data"]["id"] == ID + "person/rudolf-rassendyll")
    assert rass["label"] == "Rudolf Rassendyll" and rass["iri"] == rass["id"]
    e = next(e["data"] for e in edges if e["data"]["iri"].endswith("/1"))
    assert e["source"] == rass["id"] and e["target"] == ID + "state/freedonia"
    assert e["goldstein"] == 3.4 and e["label"] == "Praise or endorse"
    assert len({e["data"]["id"] for e in edges}) == 5


def test_d3_node_link_json(claims):
    data = json.loads(export(claims, "d3"))
    assert {n["id"] for n in data["nodes"]} == set(claims.nodes)
    assert len(data["links"]) == 5 and data["directed"] and data["multigraph"]
    back = nx.node_link_graph(data, edges="links")
    assert back.number_of_edges() == 5


def test_csv_zip_has_node_and_edge_lists(actors):
    with zipfile.ZipFile(io.BytesIO(export(actors, "csvzip"))) as zf:
        assert zf.namelist() == ["nodes.csv", "edges.csv"]
        nodes = list(csv.DictReader(io.StringIO(zf.read("nodes.csv").decode())))
        edges = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode())))
    assert len(nodes) == 7 and len(edges) == 7
    assert list(nodes[0])[:4] == ["id", "label", "kind", "iri"]
    assert list(edges[0])[:5] == ["id", "source", "target", "relation", "label"]
    post = next(e for e in edges if e["relation"] == "post")
    assert post["start"] == "2020-05-01" and post["end"] == ""
    assert {n["label"] for n in nodes} >= {"Ruritania", '<script>alert("x")</script> & Land'}


def test_large_views_are_drawn_with_sfdp(monkeypatch):
    from diplograph.graph.network import export as export_module

    g = nx.MultiDiGraph(view="ring")
    for i in range(export_module.DOT_LIMIT + 20):
        g.add_edge(f"n{i}", f"n{(i + 1) % (export_module.DOT_LIMIT + 20)}", label="next")
    for n in g.nodes:
        g.nodes[n].update(label=n, kind="state")
    svg = export(g, "svg").decode()
    assert svg.count('class="node"') == export_module.DOT_LIMIT + 20
    monkeypatch.setattr(export_module, "DRAW_LIMIT", 10)
    with pytest.raises(ExportError, match="more than the 10 Graphviz is asked to draw"):
        export(g, "svg")
