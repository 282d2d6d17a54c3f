"""Writing from the command line while ``diplograph serve`` holds the store (issue 19, "adding
while serving"): a real server subprocess on a free loopback port over a tmp on-disk store, real
``diplograph`` commands as subprocesses, and queries to the server to see what it holds."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from diplograph import iri
from diplograph.errors import ClaimError
from diplograph.server import discovery

EXE = str(Path(sys.executable).with_name("diplograph"))
SLUG = "served-check"
ARTICLE = str(iri.GRAPH[f"article/{SLUG}"])
RECORDS = """format: 2
article:
  id: {slug}
  title: An article written for the test of writes while serving
  text: >-
    The minister of Testland said that Testland welcomed the talks.
entities:
  minister:
    type: Official
    label: Minister {slug}
  testland:
    type: State
    label: Testland {slug}
claims:
  - id: c1
    kind: official statement
    speaker: minister
    on_behalf_of: testland
    event_type: "{code}"
    paraphrase: The minister made a statement.
  - id: c2
    kind: official statement
    speaker: minister
    event_type: "051"
    paraphrase: The minister praised the talks.
"""
CLAIMS_IN = "SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{g}> {{ ?c a <{dg}Claim> }} }}"
ALL_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class Served:
    url: str
    pid: int
    store: Path
    log: Path
    proc: subprocess.Popen[bytes]

    @property
    def store_url(self) -> str:
        return f"oxigraph:{self.store}"


def _build(store: Path) -> None:
    subprocess.run(
        [EXE, "--store", f"oxigraph:{store}", "build", "--only", "ontology,codes", "-q"],
        check=True,
        capture_output=True,
    )


def _serve(
    store: Path, log: Path, free_port: Callable[[], int], wait: Callable[..., None], *args: str
) -> Served:
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [EXE, "--store", f"oxigraph:{store}", "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if k != "DIPLOGRAPH_UPDATE_TOKEN"},
        )
    url = f"http://127.0.0.1:{port}"
    wait(proc, f"{url}/-/health.json", "diplograph serve", 120, log)
    return Served(url, proc.pid, store, log, proc)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    stop_process: Callable[..., None],
) -> Iterator[Served]:
    """A server with one real query worker (its copy must follow the writes), no update token."""
    root = tmp_path_factory.mktemp("served-writes")
    _build(root / "store")
    server = _serve(
        root / "store", root / "serve.log", free_port, wait_until_ready, "--workers", "1"
    )
    try:
        yield server
    finally:
        stop_process(server.proc, 30)


def cli(cwd: Path, store: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, "--store", store, *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def sparql(server: Served, query: str, etag: str | None = None) -> tuple[int, Any, str]:
    """``(status, rows, etag)`` of a SELECT on the server."""
    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": query})
    headers = {"Accept": "application/sparql-results+json"}
    if etag:
        headers["If-None-Match"] = etag
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            return r.status, json.loads(r.read())["results"]["bindings"], r.headers["ETag"]
    except urllib.error.HTTPError as exc:
        return exc.code, None, exc.headers.get("ETag", "")


def count(server: Served, query: str) -> int:
    status, rows, _ = sparql(server, query)
    assert status == 200
    return int(rows[0]["n"]["value"])


def claims_in(server: Served, graph: str) -> int:
    return count(server, CLAIMS_IN.format(g=graph, dg=iri.ONTOLOGY))


def records(tmp_path: Path, name: str, *, code: str = "010", slug: str = SLUG) -> Path:
    path = tmp_path / name
    path.write_text(RECORDS.format(slug=slug, code=code), encoding="utf-8")
    return path


def test_the_discovery_file_is_private_to_the_user_and_names_the_server(served: Served) -> None:
    path = served.store / discovery.FILENAME
    info = path.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_uid == os.getuid()
    data = json.loads(path.read_text())
    assert data["url"] == served.url
    assert data["pid"] == served.pid
    assert data["store"] == served.store_url
    assert len(data["token"]) >= 40
    assert data["token"] not in served.log.read_text()  # never printed


def test_ingest_while_serving_lands_and_the_server_sees_it_at_once(
    served: Served, tmp_path: Path
) -> None:
    query = CLAIMS_IN.format(g=ARTICLE, dg=iri.ONTOLOGY)
    status, rows, etag = sparql(served, query)  # cached by the server and by us
    assert (status, rows[0]["n"]["value"]) == (200, "0")
    records(tmp_path, "article.yaml")
    done = cli(tmp_path, served.store_url, "ingest", "article.yaml")
    assert done.returncode == 0, done.stderr
    assert f"sent to the running server at {served.url} (pid {served.pid})" in done.stderr
    assert f"kill {served.pid}" in done.stderr
    assert f"article.yaml: 31 triples into <{ARTICLE}>" in done.stdout
    # the next query sees it: no stale cached result, no 304 for the old ETag
    status, rows, new_etag = sparql(served, query, etag)
    assert (status, rows[0]["n"]["value"]) == (200, "2")
    assert new_etag != etag
    # and its search finds the new entity by name
    url = f"{served.url}/search?" + urllib.parse.urlencode(
        {"q": f"Minister {SLUG}", "format": "json"}
    )
    with urllib.request.urlopen(url) as r:
        labels = [hit["label"] for hit in json.loads(r.read())["hits"]]
    assert f"Minister {SLUG}" in labels
    # the provenance is in the metadata graph, and a later direct read sees it too
    listed = cli(tmp_path, served.store_url, "sources")
    assert listed.returncode == 0, listed.stderr
    assert ARTICLE in listed.stdout
    # the same file again: nothing changes, and it says so the same way
    again = cli(tmp_path, served.store_url, "ingest", "article.yaml")
    assert again.returncode == 0, again.stderr
    assert claims_in(served, ARTICLE) == 2


def test_a_bad_file_is_refused_with_file_line_and_the_store_is_unchanged(
    served: Served, tmp_path: Path
) -> None:
    before = count(served, ALL_QUADS)
    bad = records(tmp_path, "bad.yaml", code="0999", slug="served-bad")
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "0999" in text)
    done = cli(tmp_path, served.store_url, "ingest", "bad.yaml")
    assert done.returncode == 2
    assert f"bad.yaml:{line}: claim c1: 'event_type'" in done.stderr
    assert "nothing was written" in done.stderr
    assert "sent to the running server" not in done.stderr  # refused before sending
    assert count(served, ALL_QUADS) == before
    assert claims_in(served, str(iri.GRAPH["article/served-bad"])) == 0


def test_the_server_checks_what_it_is_sent_too(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sent straight to the server (no check by the command first): the same error, with the
    file named as it was given, and nothing written."""
    from diplograph.cli.served import send

    before = count(served, ALL_QUADS)
    bad = records(tmp_path, "sent.yaml", code="0999", slug="served-sent")
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "0999" in text)
    monkeypatch.chdir(tmp_path)
    found, _ = discovery.find(served.store_url)
    assert found is not None
    args = {"files": ["sent.yaml"], "shacl": True, "replace": False}
    with pytest.raises(ClaimError) as caught:
        send(found, "ingest", args)
    assert str(caught.value).startswith("sent.yaml: 1 problem(s) in the claim records")
    assert f"sent.yaml:{line}: claim c1: 'event_type'" in str(caught.value)
    assert str(tmp_path) not in str(caught.value)
    assert count(served, ALL_QUADS) == before


def test_drop_while_serving(served: Served, tmp_path: Path) -> None:
    slug = "served-drop"
    graph = str(iri.GRAPH[f"article/{slug}"])
    records(tmp_path, "drop.yaml", slug=slug)
    assert cli(tmp_path, served.store_url, "ingest", "-q", "drop.yaml").returncode == 0
    assert claims_in(served, graph) == 2
    done = cli(tmp_path, served.store_url, "drop", "--graph", graph)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Dropped <{graph}>."
    assert claims_in(served, graph) == 0
    again = cli(tmp_path, served.store_url, "drop", "--graph", graph)
    assert again.returncode == 2
    assert f"The store has no named graph <{graph}>; nothing was dropped." in again.stderr


def test_init_and_build_while_serving(served: Served, tmp_path: Path) -> None:
    shown = cli(tmp_path, served.store_url, "init")
    assert shown.returncode == 0, shown.stderr
    assert f"held by the running server at {served.url} (pid {served.pid})" in shown.stdout
    assert "it already holds" in shown.stdout
    topics = str(iri.GRAPH["codes/topics"])
    before = count(served, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{topics}> {{ ?s ?p ?o }} }}")
    built = cli(tmp_path, served.store_url, "build", "--only", "codes")
    assert built.returncode == 0, built.stderr
    assert f"build: sent to the running server at {served.url}" in built.stderr
    assert re.search(rf"^{re.escape(topics)} +codes +{before}$", built.stdout, re.M)
    assert built.stdout.rstrip().endswith(f"named graphs written to {served.store_url}.")
    after = count(served, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{topics}> {{ ?s ?p ?o }} }}")
    assert after == before > 0


def _post(server: Served, name: str, token: str | None, body: dict[str, Any]) -> tuple[int, Any]:
    req = urllib.request.Request(
        f"{server.url}/local/{name}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req) as r:
            assert "Access-Control-Allow-Origin" not in r.headers  # never for a browser
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        assert "Access-Control-Allow-Origin" not in exc.headers
        return exc.code, json.loads(exc.read())


def test_the_local_write_route_takes_only_this_runs_token(served: Served) -> None:
    before = count(served, ALL_QUADS)
    body = {"args": {"graph": str(iri.GRAPH["ontology"])}}
    status, answer = _post(served, "drop", None, body)
    assert status == 401 and answer["kind"] == "Unauthorized"
    status, answer = _post(served, "drop", "not-the-token", body)
    assert status == 403
    assert answer["error"] == "The token is not this server's local write token."
    # and /update stays closed: the server has no update token
    req = urllib.request.Request(
        f"{served.url}/update",
        data=b"update=DROP+ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    token = json.loads((served.store / discovery.FILENAME).read_text())["token"]
    req.add_header("Authorization", f"Bearer {token}")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req)
    assert caught.value.code == 403
    status, answer = _post(served, "nonsense", token, {"args": {}})
    assert status == 400 and answer["kind"] == "UsageError"
    assert count(served, ALL_QUADS) == before


def test_the_route_writes_an_rdf_file_and_answers_its_report(
    served: Served, tmp_path: Path
) -> None:
    token = json.loads((served.store / discovery.FILENAME).read_text())["token"]
    ttl = tmp_path / "places.ttl"
    place = iri.entity("place", "served-check-town")
    ttl.write_text(
        f'<{place}> <http://www.w3.org/2000/01/rdf-schema#label> "Served Check Town"@en .\n'
    )
    status, answer = _post(served, "ingest", token, {"args": {"files": [str(ttl)]}})
    assert status == 200, answer
    graph = str(iri.file_graph("places"))
    assert answer["result"]["reports"] == [{"path": str(ttl), "graphs": [[graph, 1]], "notes": []}]
    assert answer["pid"] == served.pid
    assert count(served, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == 1


def test_a_stale_discovery_file_is_ignored_and_removed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _build(store)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    discovery.publish(f"oxigraph:{store}", "http://127.0.0.1:9", "stale-token")
    path = store / discovery.FILENAME
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "pid": gone.pid}))
    os.chmod(path, 0o600)
    records(tmp_path, "article.yaml")
    done = cli(tmp_path, f"oxigraph:{store}", "ingest", "article.yaml")
    assert done.returncode == 0, done.stderr
    assert f"Removed the stale {path} (server pid {gone.pid} is gone)" in done.stderr
    assert "sent to the running server" not in done.stderr
    assert f"article.yaml: 31 triples into <{ARTICLE}>" in done.stdout
    assert not path.exists()


def test_a_discovery_file_others_may_read_is_not_trusted(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _build(store)
    path = discovery.publish(f"oxigraph:{store}", "http://127.0.0.1:9", "open-token")
    assert path is not None
    os.chmod(path, 0o644)
    done = cli(tmp_path, f"oxigraph:{store}", "drop", "--graph", str(iri.GRAPH["ontology"]))
    assert done.returncode == 0, done.stderr  # written directly, nothing sent
    assert f"Ignored {path}: it must belong to you and be readable by you alone" in done.stderr
    assert "sent to the running server" not in done.stderr


def test_no_server_no_change_and_the_file_goes_with_the_server(
    tmp_path: Path,
    free_port: Callable[[], int],
    wait_until_ready: Callable[..., None],
    stop_process: Callable[..., None],
) -> None:
    store = tmp_path / "store"
    _build(store)
    server = _serve(store, tmp_path / "serve.log", free_port, wait_until_ready, "--workers", "0")
    path = store / discovery.FILENAME
    try:
        assert path.exists()
    finally:
        stop_process(server.proc, 30)
    deadline = time.monotonic() + 30
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not path.exists()
    done = cli(tmp_path, f"oxigraph:{store}", "drop", "--graph", str(iri.GRAPH["ontology"]))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no note: a direct write, as before
    # with local writes off the server publishes nothing, and the store stays locked to it
    server = _serve(store, tmp_path / "off.log", free_port, wait_until_ready, "--no-local")
    try:
        assert not path.exists()
        locked = cli(tmp_path, f"oxigraph:{store}", "drop", "--graph", str(iri.GRAPH["shapes"]))
        assert locked.returncode == 3
        assert "Cannot open the store" in locked.stderr
    finally:
        stop_process(server.proc, 30)
