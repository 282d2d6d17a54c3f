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
from diplograph.graph import ingest
from diplograph.graph.ingest import MAX_LITERAL, ingest_file
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
