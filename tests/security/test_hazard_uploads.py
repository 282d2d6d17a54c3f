"""Hazard 6 of issue 10: hostile uploads. Files reach the store through ``diplograph ingest``
(:func:`diplograph.graph.ingest.ingest_file`); each hostile file is refused with ``file:line`` and
the store keeps every quad it had. The CLI case runs the installed command on an on-disk store."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from diplograph.errors import ValidationError
from diplograph.graph.load import ingest
from diplograph.graph.load.ingest import ingest_file
from diplograph.graph.load.screen import MAX_LITERAL
from diplograph.graph.store import DiploGraph, open_graph

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&f;</ex:p></rdf:Description>
</rdf:RDF>
"""
#: An external entity: would read a local file if a parser resolved it.
XXE = """<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&secret;</ex:p></rdf:Description>
</rdf:RDF>
"""
TRIPLE = "<http://example.org/s> <http://example.org/p> "
HUGE = MAX_LITERAL + 10

#: (file name, bytes, fragment of the problem, line or None)
HOSTILE: list[tuple[str, bytes, str, int | None]] = [
    ("laughs.rdf", LAUGHS.encode(), "document type declaration (<!DOCTYPE", 2),
    ("xxe.owl", XXE.encode(), "document type declaration", 2),
    ("nul.nt", (TRIPLE + '"a\x00b" .\n').encode(), "holds a NUL byte", 1),
    ("nul.ttl", (f'{TRIPLE}"ok" .\n{TRIPLE}"a\x00b" .\n').encode(), "holds a NUL byte", 2),
    ("utf8.nt", (TRIPLE + '"a').encode() + b"\xff\xfe" + b'" .\n', "Invalid UTF-8", 1),
    ("utf8.ttl", (TRIPLE + '"a').encode() + b"\xc3\x28" + b'" .\n', "UTF-8", 1),
    ("huge.nt", (TRIPLE + '"' + "x" * HUGE + '" .\n').encode(), f"{HUGE:,} characters", None),
    (
        "huge.ttl",
        (TRIPLE + '"""' + ("y" * 1000 + "\n") * (HUGE // 1000) + '""" .\n').encode(),
        "characters; this store accepts at most 1,000,000",
        None,
    ),
]


@pytest.mark.parametrize(("name", "data", "fragment", "line"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_rdf_files_are_refused_and_nothing_is_written(
    tmp_path: Path,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    name: str,
    data: bytes,
    fragment: str,
    line: int | None,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = fingerprint(graph)
    with pytest.raises(ValidationError) as info:
        ingest_file(graph, path, shacl=False)
    (problem,) = info.value.problems
    assert fragment in problem.message, problem
    assert problem.location == (f"{path}:{line}" if line else str(path)), problem
    assert fingerprint(graph) == before
    with pytest.raises(ValidationError):  # the dry run (diplograph validate FILE) refuses too
        ingest.check_file(path, shacl=False)


def test_a_literal_just_under_the_cap_is_loaded(tmp_path: Path, empty_graph: DiploGraph) -> None:
    path = tmp_path / "long.nt"
    path.write_text(TRIPLE + '"' + "z" * MAX_LITERAL + '" .\n', encoding="utf-8")
    report = ingest_file(empty_graph, path, shacl=False)
    assert report.total == 1
    n = empty_graph.query("SELECT (STRLEN(?o) AS ?n) WHERE { ?s <http://example.org/p> ?o }")
    assert [int(str(v)) for v in n.column("n")] == [MAX_LITERAL]


def test_rdfxml_without_a_dtd_still_loads(tmp_path: Path, empty_graph: DiploGraph) -> None:
    path = tmp_path / "plain.rdf"
    path.write_text(LAUGHS.split("]>\n", 1)[1].replace("&f;", "plain"), encoding="utf-8")
    assert ingest_file(empty_graph, path, shacl=False).total == 1


def test_the_cli_refuses_a_billion_laughs_file_and_the_store_keeps_its_state(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    good = tmp_path / "good.nt"
    good.write_text(TRIPLE + '"kept" .\n', encoding="utf-8")
    bad = tmp_path / "laughs.rdf"
    bad.write_text(LAUGHS, encoding="utf-8")
    exe = str(Path(sys.executable).with_name("diplograph"))
    url = f"oxigraph:{store}"
    ok = subprocess.run([exe, "--store", url, "ingest", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    r = subprocess.run([exe, "--store", url, "ingest", str(bad)], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert f"{bad}:2: RDF/XML with a document type declaration" in r.stderr
    assert "nothing was written" in r.stderr
    assert "Traceback" not in r.stderr
    with open_graph(url, read_only=True) as g:
        objects = g.query("SELECT ?o WHERE { ?s <http://example.org/p> ?o }").column("o")
        assert [str(o) for o in objects] == ["kept"]
        names = {
            str(n).rsplit("/", 2)[-2:][0] + "/" + str(n).rsplit("/", 1)[-1]
            for n in g.named_graphs()
        }
        assert "file/good" in names and "file/laughs" not in names


ARTICLE = Path(__file__).resolve().parents[2] / "graph" / "data" / "articles" / "article-001"
#: article-001's records in their format-1 form, whose lines the cases below name
RECORDS_FILE = Path(__file__).resolve().parents[1] / "records" / "data" / "article-001.format1.yaml"
ALIASES = (
    "x: [&a [x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a], "
    "&c [*b, *b, *b, *b, *b, *b, *b, *b, *b], &d [*c, *c, *c, *c, *c, *c, *c, *c, *c], "
    "&e [*d, *d, *d, *d, *d, *d, *d, *d, *d], &f [*e, *e, *e, *e, *e, *e, *e, *e, *e], "
    "&g [*f, *f, *f, *f, *f, *f, *f, *f, *f], &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]]\n"
)
#: (case, (old, new) edit of article-001.yaml, line of the problem, fragment of the message)
RECORDS: list[tuple[str, tuple[str, str], int, str]] = [
    ("missing claim id", ("  - id: c1\n    label", "  - label"), 236, "'id' is required"),
    ("missing speaker", ("    speaker: lavrov\n", ""), 236, "'speaker' is required but missing"),
    ("missing article id", ("  id: article-001\n", ""), 7, "article: 'id' is required"),
    ("impossible day", ("    date: unknown\n", "    date: 2025-02-30\n"), 245, "day is out of"),
    ("impossible month", ("    date: unknown\n", "    date: 2025-13-01\n"), 245, "month must be"),
    ("unknown entity", ("speaker: lavrov\n", "speaker: nobody\n"), 239, "unknown entity 'nobody'"),
    (
        "unknown IRI path",
        ("targets: [trump, usa]", "targets: [trump, state/atlantis]"),
        242,
        "unknown entity 'state/atlantis'",
    ),
    ("not a CAMEO code", ('event_type: "127"', 'event_type: "999"'), 241, "not a CAMEO code"),
    ("alias bomb", ("format: 1\n", "format: 1\n" + ALIASES), 6, "YAML aliases (*name) are refused"),
    (
        "python tag",
        ("format: 1\n", "format: !!python/object/apply:os.system ['touch /tmp/pwned']\n"),
        5,
        "could not determine a constructor",
    ),
]


@pytest.mark.parametrize(("case", "edit", "line", "fragment"), RECORDS, ids=[r[0] for r in RECORDS])
def test_bad_claim_records_are_refused_and_nothing_is_written(
    tmp_path: Path,
    graph: DiploGraph,
    fingerprint: Callable[..., object],
    case: str,
    edit: tuple[str, str],
    line: int,
    fragment: str,
) -> None:
    text = RECORDS_FILE.read_text(encoding="utf-8")
    assert edit[0] in text, case
    path = tmp_path / "article-001.yaml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    (tmp_path / "article-001.txt").write_bytes(ARTICLE.with_suffix(".txt").read_bytes())
    before = fingerprint(graph)
    with pytest.raises(ValidationError) as info:
        ingest_file(graph, path, shacl=False)
    located = [p for p in info.value.problems if p.location == f"{path}:{line}"]
    assert any(fragment in str(p) for p in located), [str(p)[:200] for p in located]
    assert all(len(str(p)) < 2_000 for p in info.value.problems)
    assert fingerprint(graph) == before
