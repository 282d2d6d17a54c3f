"""What only the embedded Oxigraph backend does: crash recovery of uncommitted loads, hiding
loads in progress, the rdflib view, closing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from diplograph import iri
from diplograph.errors import StoreError, ValidationError
from diplograph.graph.store import STAGING_PREFIX, open_graph
from diplograph.graph.store.embedded import MARKER_GRAPH, OxigraphGraph
from diplograph.provenance import Source

RUSSIA = iri.entity("state", "russia")
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def src(name: str) -> Source:
    return Source(iri.file_graph(name), f"Test {name}", "file", f"{name}.nt", "0" * 64)


def quad(graph: str, label: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(str(RUSSIA)),
        ox.NamedNode(str(RDFS.label)),
        ox.Literal(label),
        ox.NamedNode(graph),
    )


def test_uncommitted_loads_are_hidden_then_dropped(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with open_graph(f"oxigraph:{path}") as g:
        g.replace_graph(src("kept"), [(RUSSIA, RDFS.label, Literal("kept"))])
    # what a process killed mid-load leaves behind: a marked partial graph and a staging graph
    raw = ox.Store(str(path))
    partial = str(iri.file_graph("partial"))
    raw.extend(
        [
            quad(partial, "partial"),
            quad(partial, "partial too"),
            ox.Quad(
                ox.NamedNode(partial),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"),
                ox.Literal("loading"),
                MARKER_GRAPH,
            ),
            quad(STAGING_PREFIX + "0123", "staged"),
        ]
    )
    raw.flush()
    del raw

    with open_graph(f"oxigraph:{path}", read_only=True) as g:
        assert g.named_graphs() == [iri.file_graph("kept"), iri.META_GRAPH]
        rows = g.query(f"SELECT ?l WHERE {{ ?s {LABEL} ?l }} ORDER BY ?l").rows
        assert [str(r[0]) for r in rows] == ["Test kept", "kept"]
        assert g.count(iri.file_graph("partial")) == 0

    with open_graph(f"oxigraph:{path}") as g:
        assert g.named_graphs() == [iri.file_graph("kept"), iri.META_GRAPH]
        store = g.store  # type: ignore[attr-defined]
        names = sorted(n.value for n in store.named_graphs())
        assert names == [str(iri.file_graph("kept")), str(iri.META_GRAPH)]


def test_a_failed_check_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    g = OxigraphGraph(tmp_path / "store")
    data = tmp_path / "s.nt"
    data.write_text(f'<{RUSSIA}> {LABEL} "one" .\n', encoding="utf-8")
    from diplograph import formats

    nt = formats.get("ntriples")
    seen: list[int] = []

    def visible_during_load(count: int, triples: object) -> None:
        # the load is not visible to this process's queries until it is committed
        seen.append(count)
        assert g.count(iri.file_graph("s")) == 0
        assert g.query("ASK { ?s ?p 'one' }").boolean is False
        assert g.named_graphs() == []

    assert g.load_file(src("s"), data, nt, check=visible_during_load) == 1
    assert seen == [1]
    assert g.query("ASK { ?s ?p 'one' }").boolean is True

    def refuse(count: int, triples: object) -> None:
        raise ValidationError([])

    data.write_text(f'<{RUSSIA}> {LABEL} "two" .\n<{RUSSIA}> {LABEL} "three" .\n', "utf-8")
    with pytest.raises(ValidationError):
        g.load_file(src("s"), data, nt, check=refuse)
    with pytest.raises(ValidationError):
        g.load_file(src("fresh"), data, nt, check=refuse)
    assert g.named_graphs() == [iri.file_graph("s"), iri.META_GRAPH]
    assert g.count(iri.file_graph("s")) == 1
    assert g.query("ASK { ?s ?p 'two' }").boolean is False
    assert not [n for n in g.store.named_graphs() if n.value.startswith(STAGING_PREFIX)]
    assert g._hidden == set()
    g.close()


# rdflib 7.x warns about its own internal use of Dataset.default_context / identifier
@pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")
def test_the_rdflib_view_shares_the_store() -> None:
    g = OxigraphGraph(None)
    g.replace_graph(src("s"), [(RUSSIA, RDFS.label, Literal("Russia", lang="en"))])
    ds = g.rdflib_dataset()
    assert (RUSSIA, RDFS.label, Literal("Russia", lang="en")) in ds
    rows = list(ds.query(f"SELECT ?l WHERE {{ <{RUSSIA}> {LABEL} ?l }}"))
    assert [str(r[0]) for r in rows] == ["Russia"]
    assert URIRef(str(iri.file_graph("s"))) in {c.identifier for c in ds.contexts()}


def test_a_closed_graph_says_so(tmp_path: Path) -> None:
    g = open_graph(f"oxigraph:{tmp_path / 'store'}")
    g.close()
    with pytest.raises(StoreError, match="was closed"):
        g.query("ASK {}")
    # the lock is released: the store opens again
    with open_graph(f"oxigraph:{tmp_path / 'store'}") as again:
        assert again.count() == 0


def test_store_urls(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_graph(f"oxigraph:{tmp_path / 'missing'}", read_only=True)
    with pytest.raises(StoreError, match="needs a path"):
        open_graph("oxigraph:")
    with pytest.raises(StoreError, match="Unknown store URL 'mysql://x'"):
        open_graph("mysql://x")
    ro = open_graph(f"oxigraph:{tmp_path / 'store'}")
    ro.close()
    with (
        open_graph(f"oxigraph:{tmp_path / 'store'}", read_only=True) as g,
        pytest.raises(StoreError, match="read-only"),
    ):
        g.replace_graph(src("s"), [])


def test_the_default_store_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPLOGRAPH_STORE", f"oxigraph:{tmp_path / 'env-store'}")
    with open_graph() as g:
        assert g.url == f"oxigraph:{tmp_path / 'env-store'}"
    assert (tmp_path / "env-store").is_dir()


def test_parallel_bulk_load_keeps_blank_nodes_and_line_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diplograph.graph.store import bulk

    monkeypatch.setattr(bulk, "PARALLEL_MIN_BYTES", 0)
    path = tmp_path / "s.nt"
    lines = [f'<{iri.claim("p", i)}> {LABEL} "claim {i}" .' for i in range(10_000)]
    lines[0] = f'_:shared {LABEL} "first" .'
    lines[-1] = f'_:shared {LABEL} "last" .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = ox.Store()
    target = ox.NamedNode(str(iri.file_graph("s")))
    bulk.load(store, path, ox.RdfFormat.N_TRIPLES, target, line_based=True, threads=4)
    assert len(store) == 10_000
    blank = {
        q.subject
        for q in store.quads_for_pattern(None, None, None, target)
        if isinstance(q.subject, ox.BlankNode)
    }
    assert len(blank) == 1  # one node: a file with blank nodes is loaded in one piece

    lines[0] = lines[-1] = f'<{RUSSIA}> {LABEL} "no blank nodes" .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    threads: list[int] = []
    real = bulk.threading.Thread

    def counting(*args: object, **kw: object) -> object:
        threads.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk.threading, "Thread", counting)
    store = ox.Store()
    bulk.load(store, path, ox.RdfFormat.N_TRIPLES, target, line_based=True, threads=4)
    assert (len(store), len(threads)) == (9_999, 4)

    lines[7_499] = f'<{RUSSIA}> {LABEL} "unterminated .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SyntaxError) as caught:
        bulk.load(ox.Store(), path, ox.RdfFormat.N_TRIPLES, target, line_based=True, threads=4)
    assert caught.value.lineno == 7_500


def test_a_writable_open_removes_files_a_killed_bulk_load_left(tmp_path: Path) -> None:
    """A bulk load killed midway leaves ``bulk-*.sst`` files (never part of the store); the
    next writable open, which holds the write lock, removes them; a read-only open does not."""
    path = tmp_path / "store"
    with open_graph(f"oxigraph:{path}"):
        pass
    left = path / "bulk-12345.sst"
    left.write_bytes(b"x" * 1024)
    with open_graph(f"oxigraph:{path}", read_only=True):
        pass
    assert left.exists()
    with open_graph(f"oxigraph:{path}") as g:
        assert g.count() == 0
    assert not left.exists()
