"""``diplograph queries``, ``diplograph query`` and ``diplograph sparql`` on a real on-disk store
built from the bundled ontology, code lists and article records."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplograph.cli import cli
from diplograph.graph.load.build import build
from diplograph.graph.store import open_graph
from diplograph.queries import catalogue

ID = "https://w3id.org/diplograph/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("cli-store") / "store"
    _build(path)
    # the writer's RocksDB handle lives until the object is collected; the commands open the store
    # read-only, which must not race its background compactions
    gc.collect()
    yield f"oxigraph:{path}"


def _build(path: Path) -> None:
    with open_graph(f"oxigraph:{path}") as g:
        build(g, parts=("ontology", "codes", "articles"))


def run(*args: str, store: str | None = None, input: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    argv = (["--store", store] if store else []) + list(args)
    result = runner.invoke(cli, argv, input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_queries_lists_every_query_with_its_title() -> None:
    code, out, _ = run("queries")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(catalogue())
    member = next(line for line in lines if line.startswith("members-on-date "))
    assert "Members of an organisation on a given date" in member
    assert "organization=iri on=date status=iri?" in member


def test_queries_json_and_tags() -> None:
    code, out, _ = run("queries", "--format", "json", "--tag", "threats")
    assert code == 0
    data = json.loads(out)
    assert [q["name"] for q in data] == ["threats"]
    assert data[0]["title"] == "Threats, against whom and on what condition"
    assert data[0]["sparql"].startswith("# title: Threats")


def test_query_table_shows_labels(store: str) -> None:
    code, out, err = run("query", "threats", store=store)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["claim", "speaker", "onBehalfOf", "eventType"]
    assert "Sergey Lavrov" in lines[2] and "Russia" in lines[2]
    assert "Threaten conventional attack" in lines[2]
    assert "European states" in lines[2]
    assert ID not in out  # labels or short forms, never bare data IRIs
    assert lines[-1] == "(2 rows)"


def test_query_json_is_standard_sparql_results(store: str) -> None:
    code, out, _ = run(
        "query",
        "claims-targeting-actor",
        "--param",
        "actor=state/ukraine",
        "--format",
        "json",
        store=store,
    )
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"][:3] == ["actor", "claim", "speaker"]
    claims = sorted(b["claim"]["value"] for b in data["results"]["bindings"])
    assert claims == [
        ID + "claim/article-001/11",
        ID + "claim/article-001/2",
        ID + "claim/article-001/3",
    ]
    first = data["results"]["bindings"][0]
    assert first["actor"] == {"type": "uri", "value": ID + "state/ukraine"}


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_query_csv_and_tsv(store: str, fmt: str, delimiter: str) -> None:
    code, out, _ = run("query", "contested-claims", "--format", fmt, store=store)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter=delimiter))
    header = [h.lstrip("?") for h in rows[0]]
    assert header[:3] == ["relation", "claim", "speaker"]
    every = sorted((tuple(r[1:3]) for r in rows[1:] if r), key=lambda r: r[0].strip("<>"))
    # article-002 contests article-001's claims across sources
    assert any("claim/article-002/3" in c and "person/michael-carpenter" in s for c, s in every)
    body = [r for r in every if "claim/article-001/" in r[0]]
    if fmt == "csv":
        assert body == [
            (ID + "claim/article-001/1", ID + "person/sergey-lavrov"),
            (ID + "claim/article-001/12", ID + "organization/institute-for-the-study-of-war"),
        ]
    else:
        assert body == [
            (f"<{ID}claim/article-001/1>", f"<{ID}person/sergey-lavrov>"),
            (f"<{ID}claim/article-001/12>", f"<{ID}organization/institute-for-the-study-of-war>"),
        ]


def test_construct_query_prints_turtle(store: str) -> None:
    code, out, _ = run(
        "query",
        "entity-neighbourhood",
        "-p",
        "entity=person/dmitry-peskov",
        "--format",
        "turtle",
        store=store,
    )
    assert code == 0
    assert f"<{ID}claim/article-001/11>" in out or "claim/article-001/11" in out
    assert '"Dmitry Peskov"@en' in out


def test_query_file_and_sparql(store: str, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"
        "SELECT (COUNT(?c) AS ?n) WHERE { ?c a dg:Claim }\n",
        encoding="utf-8",
    )
    assert run("query", "--file", str(rq), "--format", "csv", store=store)[1].split() == ["n", "29"]
    code, out, _ = run(
        "sparql",
        "ASK { ?s a <https://w3id.org/diplograph/ontology#Claim> }",
        "--format",
        "json",
        store=store,
    )
    assert (code, json.loads(out)["boolean"]) == (0, True)
    code, out, _ = run(
        "sparql",
        "--file",
        "-",
        "--format",
        "tsv",
        store=store,
        input=f"SELECT DISTINCT ?l WHERE {{ <{ID}state/russia> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    )
    assert (code, out.splitlines()) == (0, ["?l", '"Russia"@en'])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "member-on-date"), "No named query called 'member-on-date'. Did you mean: "),
        (
            (
                "query",
                "members-on-date",
                "-p",
                "organization=organization/nato",
                "-p",
                "on=2024-13-01",
            ),
            "parameter 'on': '2024-13-01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD).",
        ),
        (
            ("query", "members-on-date", "-p", "organization=organization/nato"),
            "Query 'members-on-date' needs parameter 'on', a date",
        ),
        (
            ("query", "threats", "-p", "who=state/russia"),
            "Query 'threats' has no parameter 'who'; it takes no parameters.",
        ),
        (("query", "threats", "-p", "oops"), "--param 'oops' is not of the form NAME=VALUE"),
        (("query", "threats", "--format", "yaml"), "Unknown format 'yaml'"),
        (("query",), "Give either a query NAME or --file X.rq"),
        (("sparql", "SELECT nonsense"), "SPARQL syntax error"),
        (
            ("sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "turtle"),
            "cannot be written as Turtle",
        ),
    ],
)
def test_errors_are_messages_with_exit_code_2(
    store: str, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(*args, store=store)
    assert code == 2
    assert out == ""
    assert err.startswith("Error: ")
    assert message in err
    assert "Traceback" not in err


def test_show_prints_the_query_without_opening_a_store(tmp_path: Path) -> None:
    missing = f"oxigraph:{tmp_path / 'nowhere'}"
    code, out, _ = run("query", "threats", "--show", store=missing)
    assert code == 0
    assert out.startswith("# title: Threats, against whom and on what condition\n")
    assert "skos:broader* <https://w3id.org/diplograph/id/cameo/13>" in out
    assert not (tmp_path / "nowhere").exists()


def test_a_missing_store_is_exit_code_3(tmp_path: Path) -> None:
    code, out, err = run("query", "threats", store=f"oxigraph:{tmp_path / 'nowhere'}")
    assert (code, out) == (3, "")
    assert err.startswith("Error: ") and "nowhere" in err


def test_query_file_with_a_header_takes_parameters(store: str, tmp_path: Path) -> None:
    rq = tmp_path / "speakers.rq"
    rq.write_text(
        "# title: Claims of one speaker\n"
        "# description: The claims a speaker made.\n"
        "# params:\n"
        "#   - name: who\n"
        "#     type: iri\n"
        "PREFIX dg: <https://w3id.org/diplograph/ontology#>\n"
        "SELECT ?who ?c WHERE { ?c dg:speaker ?who } ORDER BY ?c\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        "query", "--file", str(rq), "-p", "who=person/dmitry-peskov", "--format", "csv", store=store
    )
    row = f"{ID}person/dmitry-peskov,{ID}claim/article-001/11"
    assert (code, out.split()) == (0, ["who,c", row])
    code, _, err = run("query", "--file", str(rq), store=store)
    assert code == 2 and "needs parameter 'who'" in err
