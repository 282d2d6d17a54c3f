"""Ingest: formats, named graphs, validation before any write, idempotence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from diplograph import iri
from diplograph.errors import ClaimError, UnsupportedFormat, ValidationError
from diplograph.graph.load.ingest import ingest_file, ingest_files
from diplograph.graph.records import bundled_article_files
from diplograph.graph.store import DiploGraph, open_graph

DG = str(iri.ONTOLOGY)
RUSSIA = iri.entity("state", "russia")
STATES_TTL = f"""@prefix dg: <{DG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{RUSSIA}> a dg:State ; rdfs:label "Russia"@en ; dg:cowCode 365 .
<{iri.entity("state", "ukraine")}> a dg:State ; rdfs:label "Ukraine"@en .
"""
BAD_CLAIM_TTL = f"""@prefix dg: <{DG}> .

<{iri.claim("x", 1)}> a dg:OfficialStatement ;
  dg:date "2024-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .
"""


@pytest.fixture
def store(tmp_path: Path) -> DiploGraph:
    return open_graph(f"oxigraph:{tmp_path / 'store'}")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A copy of the bundled claim-record file (and its text) in tmp_path."""
    src = bundled_article_files()[0]
    for f in src.parent.glob(src.stem + ".*"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / src.name


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def labels(store: DiploGraph, graph: URIRef) -> list[str]:
    rows = store.query(
        "SELECT ?l WHERE { GRAPH ?g { ?s ?label ?l } } ORDER BY ?l",
        bindings={"g": graph, "label": RDFS.label},
    ).rows
    return [str(r[0]) for r in rows]


def test_turtle_goes_to_its_file_graph_and_reingest_is_idempotent(
    store: DiploGraph, tmp_path: Path
) -> None:
    path = write(tmp_path / "states.ttl", STATES_TTL)
    report = ingest_file(store, path)
    assert report.graphs == ((iri.file_graph("states"), 5),)
    total = store.count()
    report = ingest_file(store, path)
    assert report.graphs == ((iri.file_graph("states"), 5),)
    assert store.count() == total
    assert labels(store, iri.file_graph("states")) == ["Russia", "Ukraine"]


@pytest.mark.parametrize(
    ("name", "fmt", "text"),
    [
        (
            "s.nt",
            None,
            f'<{RUSSIA}> <http://www.w3.org/2000/01/rdf-schema#label> "Russia"@en .\n',
        ),
        (
            "s.jsonld",
            None,
            f'{{"@id": "{RUSSIA}", "http://www.w3.org/2000/01/rdf-schema#label": '
            '{"@value": "Russia", "@language": "en"}}',
        ),
        (
            "s.rdf",
            None,
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
            f'<rdf:Description rdf:about="{RUSSIA}"><rdfs:label xml:lang="en">Russia'
            "</rdfs:label></rdf:Description></rdf:RDF>",
        ),
        (
            "s.data",
            "turtle",
            f'<{RUSSIA}> <http://www.w3.org/2000/01/rdf-schema#label> "Russia"@en .\n',
        ),
    ],
)
def test_every_rdf_format(
    store: DiploGraph, tmp_path: Path, name: str, fmt: str | None, text: str
) -> None:
    path = write(tmp_path / name, text)
    report = ingest_file(store, path, fmt=fmt)
    assert report.graphs == ((iri.file_graph("s"), 1),)
    assert labels(store, iri.file_graph("s")) == ["Russia"]


def test_an_unknown_suffix_asks_for_a_format(store: DiploGraph, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="give one with --format"):
        ingest_file(store, write(tmp_path / "s.data", STATES_TTL))


def test_into_a_given_graph(store: DiploGraph, tmp_path: Path) -> None:
    target = URIRef("https://example.org/graphs/states")
    ingest_file(store, write(tmp_path / "states.ttl", STATES_TTL), into=target)
    assert store.named_graphs() == [target, iri.META_GRAPH]


def test_quad_files_keep_their_graphs_or_are_forced_into_one(
    store: DiploGraph, tmp_path: Path
) -> None:
    a, b = "https://example.org/g/a", "https://example.org/g/b"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    path = write(
        tmp_path / "two.nq",
        f'<{RUSSIA}> {label} "A"@en <{a}> .\n'
        f'<{RUSSIA}> {label} "B"@en <{b}> .\n'
        f'<{RUSSIA}> {label} "default"@en .\n',
    )
    report = ingest_file(store, path)
    assert dict(report.graphs) == {URIRef(a): 1, URIRef(b): 1, iri.file_graph("two"): 1}
    assert labels(store, URIRef(a)) == ["A"]
    assert labels(store, iri.file_graph("two")) == ["default"]
    described = store.query(
        "SELECT ?t WHERE { GRAPH ?m { ?g ?p ?t } }",
        bindings={"m": iri.META_GRAPH, "g": URIRef(b), "p": URIRef(RDFS.label)},
    ).rows
    assert described == [(Literal(f"Graph <{b}> of two.nq", lang="en"),)]

    forced = URIRef("https://example.org/g/all")
    other = open_graph("memory:")
    ingest_file(other, path, into=forced)
    assert other.named_graphs() == [forced, iri.META_GRAPH]
    assert labels(other, forced) == ["A", "B", "default"]


def test_trig_on_the_remote_backend(remote_graph: DiploGraph, tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.trig",
        f'<https://example.org/g/a> {{ <{RUSSIA}> <{RDFS.label}> "A"@en }}\n'
        f'<{RUSSIA}> <{RDFS.label}> "default"@en .\n',
    )
    report = ingest_file(remote_graph, path)
    assert dict(report.graphs) == {
        URIRef("https://example.org/g/a"): 1,
        iri.file_graph("g"): 1,
    }
    assert labels(remote_graph, iri.file_graph("g")) == ["default"]


def test_a_syntax_error_names_file_and_line_and_writes_nothing(
    store: DiploGraph, tmp_path: Path
) -> None:
    ingest_file(store, write(tmp_path / "states.ttl", STATES_TTL))
    before = store.count()
    bad = write(tmp_path / "states.ttl", STATES_TTL + "\n<a> <b> .\n")
    with pytest.raises(ValidationError) as caught:
        ingest_file(store, bad)
    assert [p.location for p in caught.value.problems] == [f"{bad}:6"]
    assert store.count() == before
    assert labels(store, iri.file_graph("states")) == ["Russia", "Ukraine"]


def test_a_bad_ntriples_file_on_the_bulk_path_writes_nothing(
    store: DiploGraph, tmp_path: Path
) -> None:
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    lines = [f'<{RUSSIA}> {label} "n{i}" .' for i in range(5000)]
    lines.insert(4000, f'<{RUSSIA}> {label} "unterminated .')
    bad = write(tmp_path / "big.nt", "\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as caught:
        ingest_file(store, bad)
    assert caught.value.problems[0].location == f"{bad}:4001"
    assert store.named_graphs() == []
    assert store.count() == 0


def test_shacl_violations_name_the_line_and_field(store: DiploGraph, tmp_path: Path) -> None:
    bad = write(tmp_path / "claim.ttl", BAD_CLAIM_TTL)
    with pytest.raises(ValidationError) as caught:
        ingest_file(store, bad)
    text = str(caught.value)
    assert f"{bad}:3: <{iri.claim('x', 1)}>: 'speaker' is missing" in text
    assert "'date' value '2024-13-45'^^xsd:date is not a valid date" in text
    assert store.count() == 0
    # the same file loads when SHACL is switched off
    assert ingest_file(store, bad, shacl=False).total == 2


def test_claim_records(store: DiploGraph, article: Path) -> None:
    report = ingest_file(store, article)
    ((graph, n),) = report.graphs
    assert graph == iri.article_graph(article.stem)
    assert n == store.count(graph) and n > 100
    assert ingest_file(store, article).graphs == ((graph, n),)
    assert store.count(graph) == n


def test_a_bad_claim_record_names_file_line_record_and_field(
    store: DiploGraph, article: Path
) -> None:
    text = article.read_text(encoding="utf-8")
    line = next(
        i for i, t in enumerate(text.splitlines(), 1) if t.strip().startswith("event_type:")
    )
    lines = text.splitlines()
    lines[line - 1] = lines[line - 1].split("event_type:")[0] + 'event_type: "1999"'
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ClaimError) as caught:
        ingest_file(store, article)
    assert [str(p) for p in caught.value.problems] == [
        f"{article}:{line}: claim c1: 'event_type' 1999 is not a CAMEO code"
    ]
    assert store.count() == 0


def test_several_files_are_all_validated_before_any_is_written(
    store: DiploGraph, tmp_path: Path
) -> None:
    good = write(tmp_path / "states.ttl", STATES_TTL)
    bad = write(tmp_path / "bad.ttl", "<a> <b> .\n")
    with pytest.raises(ValidationError) as caught:
        ingest_files(store, [good, bad])
    assert [p.location for p in caught.value.problems] == [f"{bad}:1"]
    assert store.count() == 0
    reports = ingest_files(store, [good, write(tmp_path / "more.ttl", STATES_TTL)])
    assert [r.total for r in reports] == [5, 5]


def test_reserved_graphs_are_refused(store: DiploGraph, tmp_path: Path) -> None:
    path = write(tmp_path / "meta.nq", f'<{RUSSIA}> <{RDFS.label}> "x" <{iri.META_GRAPH}> .\n')
    with pytest.raises(ValidationError, match="reserved"):
        ingest_file(store, path)
    assert store.count() == 0
