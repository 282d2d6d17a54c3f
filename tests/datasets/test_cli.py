"""The dataset commands: ``diplograph datasets``, ``import`` and ``reconcile-report``, run
through Click's runner against a real on-disk store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from diplograph.cli import cli
from diplograph.graph.store import open_graph
from diplograph.iri import dataset_graph

EXCERPT = Path(__file__).parent / "data" / "icews_excerpt.tsv"


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_datasets_lists_every_importer():
    result = _run("datasets")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("cow-state-system  (default build)  Correlates of War State System")
    assert "    statelist: statelist2024.csv" in lines
    assert any(line.startswith("icews  (not bundled)") for line in lines)


def test_import_one_dataset_into_its_graph(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    result = _run("--store", store, "import", "us_missions")
    assert result.exit_code == 0, result.output
    assert result.output == (
        # 4592 facts and 194 dg:knownUntil, one per status still open at the data's end
        "us-missions: 4786 triples into <https://w3id.org/diplograph/graph/dataset/us-missions>; "
        "656 rows read, 0 skipped.\n"
    )
    with open_graph(store, read_only=True) as g:
        assert dataset_graph("us-missions") in g.named_graphs()
        assert g.count(dataset_graph("us-missions")) == 4786


def test_import_reports_skipped_rows_with_file_and_line(runner: CliRunner, tmp_path):
    result = runner.invoke(cli, ["--store", "memory:", "import", "rivalries"])
    assert result.exit_code == 0
    path = "graph/data/datasets/peacesciencer_extras/tss_strategic_rivalries.csv"
    assert f"{path}:5: 4: 'ccode1' unknown COW code 324" in result.output
    assert f"{path}:7: 6: 'ccode2' unknown COW code 324" in result.output
    assert "264 rows read, 2 skipped." in result.output


def test_strict_import_exits_2_and_writes_nothing(runner: CliRunner, tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    result = runner.invoke(cli, ["--store", store, "import", "rivalries", "--strict"])
    assert result.exit_code == 2
    assert (
        "The rivalries import found 2 bad row(s) and --strict is on; nothing was written."
        in result.output
    )
    with open_graph(store, read_only=True) as g:
        assert g.named_graphs() == []


def test_import_a_newer_release_by_role(tmp_path):
    majors = tmp_path / "majors2030.csv"
    majors.write_text(
        "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "IND,750,2030,1,1,2030,12,31,2030\n",
        encoding="utf-8",
    )
    store = f"oxigraph:{tmp_path / 'store'}"
    result = _run("--store", store, "import", "cow-state-system", "--file", f"majors={majors}")
    assert result.exit_code == 0, result.output
    with open_graph(store, read_only=True) as g:
        res = g.query("""PREFIX dg: <https://w3id.org/diplograph/ontology#>
            SELECT ?s WHERE { ?m a dg:MajorPowerStatus ; dg:ofState ?s }""")
        assert [str(r[0]) for r in res.rows] == ["https://w3id.org/diplograph/id/state/india"]
        res = g.query("""SELECT ?origin WHERE { GRAPH <https://w3id.org/diplograph/graph/meta> {
            <https://w3id.org/diplograph/graph/dataset/cow-state-system>
            <http://purl.org/dc/terms/source> ?origin } }""")
        assert str(majors) in str(res.rows[0][0])


def test_import_errors_are_sentences_with_exit_codes(runner: CliRunner, tmp_path):
    result = runner.invoke(cli, ["--store", "memory:", "import", "nosuch"])
    assert result.exit_code == 2
    assert "Unknown dataset 'nosuch'; choose one of: cow-state-system, cow-igo" in result.output
    result = runner.invoke(cli, ["--store", "memory:", "import", "icews"])
    assert result.exit_code == 2
    assert "icews is not bundled" in result.output
    result = runner.invoke(
        cli, ["--store", "memory:", "import", "atop", "--file", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2
    assert "Cannot tell which input of atop the file" in result.output
    assert "alliances (default atop-alliance-level.csv)" in result.output
    result = runner.invoke(
        cli,
        ["--store", "memory:", "import", "atop", "--file", f"members={tmp_path / 'missing.csv'}"],
    )
    assert result.exit_code == 2
    assert "input file(s) missing" in result.output


def test_import_icews_from_a_file(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    result = _run("--store", store, "import", "icews", "--file", str(EXCERPT))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("50 rows read, 0 skipped.\n")


def test_reconcile_report_command(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    assert _run("--store", store, "init").exit_code == 0
    result = _run("--store", store, "reconcile-report", "--icews", str(EXCERPT), "--limit", "2")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== Bad rows skipped by the bundled importers: 7" in out
    assert "== POCOM territories that were no COW state (post keeps the POCOM id): 3" in out
    assert "  hawaii: 16 chief(s) of mission, 1853-12-20 to 1897-06-07" in out
    # 2790 before Cameron's row (the backbone supplement's David Cameron)
    assert "== Archigos leaders without a curated person row (own person IRI): 2789" in out
    assert "  ... and 2787 more" in out
    assert "== ICEWS actors not reconciled in" in out
    assert "== Entities the articles use that no dataset describes: 0" in out
