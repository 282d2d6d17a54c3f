"""Ingest of claim records across sources: links to claims of other articles in the store,
probable duplicates of the store's entities, holdings as of an article, and safe re-ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from diplograph import iri
from diplograph.errors import ClaimError, ValidationError
from diplograph.graph.load.ingest import ingest_file, ingest_files
from diplograph.graph.records import ARTICLES_DIR
from diplograph.graph.store import DiploGraph, open_graph
from diplograph.provenance import Source
from diplograph.queries import run_query

ID = iri.ID
ARTICLE = """format: 2
article:
  id: reply-test
  title: A reply
  date: 2025-08-18
  text: >-
    On Saturday S. Lavrov answered the president's plan. B. Obama was not there.
entities:
  lavrov:
    type: Official
    label: S. Lavrov
{extra}
claims:
  - id: c1
    kind: official statement
    speaker: lavrov
    event_type: "127"
    date_text: On Saturday
    topics: [territorial swaps]
    paraphrase: Lavrov rejected the plan again.
    responds_to: [claim/article-001/2]
    contests: [{target}]
"""


@pytest.fixture
def store(tmp_path: Path) -> DiploGraph:
    """A store holding the bundled article-001 (as ingested by an analyst)."""
    g = open_graph(f"oxigraph:{tmp_path / 'store'}")
    for f in ARTICLES_DIR.glob("article-001.*"):
        shutil.copy(f, tmp_path / f.name)
    ingest_file(g, tmp_path / "article-001.yaml")
    return g


def write(tmp_path: Path, *, extra: str = "", target: str = "claim/article-001/2") -> Path:
    path = tmp_path / "reply.yaml"
    path.write_text(ARTICLE.format(extra=extra, target=target), encoding="utf-8")
    return path


def quads(store: DiploGraph) -> set[tuple[object, ...]]:
    return set(store.quads())


def test_s_lavrov_is_a_probable_duplicate_until_same_as(store: DiploGraph, tmp_path: Path) -> None:
    path = write(tmp_path)
    before = quads(store)
    with pytest.raises(ValidationError) as caught:
        ingest_file(store, path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:9: entity lavrov: 'label' 'S. Lavrov' is a probable duplicate of "
        "person/sergey-lavrov ('Sergey Lavrov'), already in the store: write 'same_as: "
        "person/sergey-lavrov' to use the existing entity, or 'distinct_from: "
        "[person/sergey-lavrov]' if it is another (nothing was written)"
    ]
    assert quads(store) == before
    path = write(tmp_path, extra="    same_as: person/sergey-lavrov")
    ingest_file(store, path)
    claim = iri.claim("reply-test", 1)
    ask = "ASK { ?c <%s> <%s> ; <%s> ?orig . ?orig <%s> <%s> }"
    dg = str(iri.ONTOLOGY)
    assert store.query(
        ask
        % (
            dg + "speaker",
            ID["person/sergey-lavrov"],
            dg + "respondsTo",
            dg + "speaker",
            ID["person/donald-trump"],
        ),
        bindings={"c": claim},
    ).boolean
    # the cross-article reply and contest are answered by the named queries
    rows = run_query(store, "claim-replies", claim="claim/article-001/2").bindings()
    assert [(r["reply"], r["inReplyTo"], str(r.get("stance"))) for r in rows] == [
        (claim, iri.claim("article-001", 2), "contests"),  # dated replies first
        (iri.claim("article-001", 1), iri.claim("article-001", 2), "contradicts"),
    ]
    # "On Saturday" of an article published on Monday 18 August 2025
    assert [str(r["date"]) for r in rows if r["reply"] == claim] == ["2025-08-16"]
    assert not store.query("ASK { ?p ?x ?y }", bindings={"p": ID["person/s-lavrov"]}).boolean


def test_distinct_from_keeps_a_new_entity(store: DiploGraph, tmp_path: Path) -> None:
    path = write(tmp_path, extra="    distinct_from: person/sergey-lavrov")
    ingest_file(store, path)
    assert store.query("ASK { ?p ?x ?y }", bindings={"p": ID["person/s-lavrov"]}).boolean


def test_a_claim_that_exists_nowhere_names_file_line_and_field(
    store: DiploGraph, tmp_path: Path
) -> None:
    path = write(tmp_path, extra="    same_as: person/sergey-lavrov", target="claim/article-001/99")
    before = quads(store)
    with pytest.raises(ClaimError) as caught:
        ingest_file(store, path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:22: claim c1: 'contests' refers to unknown claim 'claim/article-001/99' (not in "
        "the store or the files loaded with it)"
    ]
    assert quads(store) == before


def test_an_archigos_leader_written_with_an_initial(full_graph: DiploGraph, tmp_path: Path) -> None:
    # Archigos' own triples about its leader "Obama", in a store of their own
    obama = ID["person/barack-obama"]
    rows = full_graph.query("SELECT ?p ?o WHERE { ?s ?p ?o }", bindings={"s": obama}).rows
    assert ("Obama",) in [(str(o),) for _, o in rows]
    g = open_graph("memory:")
    g.replace_graph(
        Source(
            graph=iri.dataset_graph("archigos"),
            title="Archigos leaders",
            kind="dataset",
            origin="the full build",
            content_hash="0" * 64,
        ),
        [(obama, p, o) for p, o in rows],
    )
    text = ARTICLE.replace("responds_to: [claim/article-001/2]\n", "").replace(
        "    contests: [{target}]\n", ""
    )
    path = tmp_path / "obama.yaml"
    path.write_text(
        text.format(extra="  obama:\n    type: Official\n    label: B. Obama")
        .replace("speaker: lavrov", "speaker: obama")
        .replace("  lavrov:\n    type: Official\n    label: S. Lavrov\n", ""),
        encoding="utf-8",
    )
    before = quads(g)
    with pytest.raises(ValidationError) as caught:
        ingest_files(g, [path])
    assert "'B. Obama' is a probable duplicate of person/barack-obama ('Obama')" in str(
        caught.value
    )
    assert quads(g) == before
    path.write_text(
        path.read_text().replace(
            "label: B. Obama", "label: B. Obama\n    same_as: id:person/barack-obama"
        )
    )
    ingest_files(g, [path])
    speaker = g.query(f"SELECT ?s WHERE {{ ?c <{iri.ONTOLOGY}speaker> ?s }}").rows
    assert [r[0] for r in speaker] == [obama]


def test_a_holding_as_of_an_article_answers_post_holder_on_date(tmp_path: Path) -> None:
    g = open_graph("memory:")
    sources = sorted(ARTICLES_DIR.glob("article-00*.yaml"))
    ingest_files(g, sources)  # article-003 refers to claims and entities of 001 and 002
    rows = run_query(g, "post-holder-on-date", post="post/russia-president", on="2023-06-28")
    rows = rows.bindings()
    assert [(r["holder"], r["source"], str(r["heldOn"])) for r in rows] == [
        (ID["person/vladimir-putin"], ID["article/article-003"], "2023-06-28")
    ]
    later = run_query(g, "post-holder-on-date", post="post/russia-president", on="2023-06-29")
    assert later.bindings() == []


def test_reingest_with_other_content_needs_replace(store: DiploGraph, tmp_path: Path) -> None:
    path = tmp_path / "article-001.yaml"
    graph = iri.article_graph("article-001")
    assert ingest_file(store, path).graphs[0][0] == graph  # the same content: nothing to ask
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Lavrov dismisses U.S. offers to restore trade relations", "Lavrov dismisses"
    )
    cut = text.index("  - id: c13")
    path.write_text(text[:cut], encoding="utf-8")
    before = quads(store)
    with pytest.raises(ValidationError) as caught:
        ingest_file(store, path)
    assert [p.message for p in caught.value.problems] == [
        "claims removed: c13",
        "claim c4 changed: label",
    ]
    assert "with --replace" in str(caught.value)
    assert quads(store) == before
    report = ingest_file(store, path, replace=True)
    assert report.notes == (
        f"replaced <{graph}>: claims removed: c13",
        f"replaced <{graph}>: claim c4 changed: label",
    )
    assert not store.query("ASK { ?c ?p ?o }", bindings={"c": iri.claim("article-001", 13)}).boolean


def test_machine_coded_claims_never_replace_reviewed_ones() -> None:
    from rdflib import Literal

    from diplograph.graph.load.reingest import changes

    c = iri.claim("a", 1)
    dg = iri.ONTOLOGY
    reviewed = [(c, URIRef(str(dg) + "paraphrase"), Literal("x"))]
    from rdflib.namespace import RDF

    reviewed.append((c, RDF.type, dg.Claim))
    drafted = [*reviewed, (c, dg.machineCoded, Literal(True))]
    found = changes(reviewed, drafted)
    assert found.machine_over_reviewed == ("1",)
    assert found.lines()[-1] == "reviewed claims that machine-coded ones would replace: 1"
    assert not changes(drafted, drafted)
