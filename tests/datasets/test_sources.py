"""bundled_dataset_sources(): one named graph per dataset, each with its provenance."""

from __future__ import annotations

from diplograph.graph.datasets import IMPORTERS, bundled_dataset_sources
from diplograph.iri import META_GRAPH, dataset_graph

BUNDLED = [
    "cow-state-system",
    "cow-igo",
    "atop",
    "us-missions",
    "us-chiefs-of-mission",
    "archigos",
    "rivalries",
    "supplement",  # last: it extends the others past their ends and reuses their IRIs
]


def test_one_graph_per_bundled_dataset_in_build_order(datasets_build):
    _, report = datasets_build
    assert [str(src.graph) for src, _ in report.graphs] == [str(dataset_graph(n)) for n in BUNDLED]
    assert [n for n, i in IMPORTERS.items() if i.dataset.bundled] == BUNDLED
    assert all(n > 1000 for _, n in report.graphs)


def test_sources_carry_dataset_provenance():
    sources = {str(src.graph): src for src, _ in bundled_dataset_sources()}
    atop = sources[str(dataset_graph("atop"))]
    assert atop.kind == "dataset"
    assert atop.version == "4.01"
    assert atop.citation is not None and atop.citation.startswith("Leeds, Brett Ashley")
    assert atop.origin == (
        "diplograph/graph/data/datasets/atop_v4_01/atop-alliance-level.csv, "
        "diplograph/graph/data/datasets/atop_v4_01/atop-member-level.csv"
    )
    assert (atop.rows_read, atop.rows_skipped) == (745 + 2398, 3)
    missions = sources[str(dataset_graph("us-missions"))]
    assert missions.license == "https://creativecommons.org/licenses/by/4.0/"
    # the hash of one input file is the sha256 the staged SOURCE.md gives for it
    assert missions.content_hash == (
        "71477dc753aa0113f07bcff60994b97220c59de57b47562663c93b3600ab50ae"
    )


def test_metadata_graph_describes_each_dataset_graph(ask):
    rows = ask(f"""SELECT ?g ?kind ?version ?read ?skipped ?n WHERE {{ GRAPH <{META_GRAPH}> {{
        ?g dg:sourceKind ?kind ; <http://purl.org/dc/terms/hasVersion> ?version ;
           dg:rowsRead ?read ; dg:rowsSkipped ?skipped ;
           <http://rdfs.org/ns/void#triples> ?n }} }} ORDER BY ?g""")
    by_graph = {r[0]: r[1:] for r in rows}
    cow = by_graph[str(dataset_graph("cow-state-system"))]
    assert cow[:4] == ("dataset", "2024", "500", "0")  # 244 spells + 14 majors + 242 capitals
    archigos = by_graph[str(dataset_graph("archigos"))]
    assert archigos[:4] == ("dataset", "4.1", "3409", "0")
    pocom = by_graph[str(dataset_graph("us-chiefs-of-mission"))]
    assert pocom[2:4] == ("11298", "2")  # 4261 people + 5743 chiefs + 1294 principal officers


def test_every_dataset_triple_is_in_its_own_graph(dgraph):
    graphs = {str(g) for g in dgraph.named_graphs()}
    assert {str(dataset_graph(n)) for n in BUNDLED} <= graphs
    res = dgraph.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{dataset_graph("cow-igo")}> {{
        ?m a <https://w3id.org/diplograph/ontology#Membership> }} }}""")
    assert int(res.rows[0][0]) == 18688


def test_progress_callback_is_called_once_per_dataset():
    seen: list[tuple[str, int, int]] = []
    sources = bundled_dataset_sources(on_dataset=lambda name, i, n: seen.append((name, i, n)))
    assert seen == [(name, i, 8) for i, name in enumerate(BUNDLED, start=1)]
    assert len(sources) == 8


def test_a_user_file_without_a_version_column_has_no_version(tmp_path):
    from diplograph.graph.datasets import import_dataset
    from diplograph.graph.datasets.common import bundled

    copy = tmp_path / "tss_strategic_rivalries.csv"
    copy.write_bytes(
        bundled("datasets", "peacesciencer_extras", "tss_strategic_rivalries.csv").read_bytes()
    )
    source, _ = import_dataset("rivalries", files=[copy])
    assert source.version is None  # unknown stays unknown: a copy may be any release
    assert source.origin == str(copy)
    bundled_source, _ = import_dataset("rivalries")
    assert bundled_source.version == "2021 (peacesciencer tss_rivalries)"
    assert source.content_hash == bundled_source.content_hash
